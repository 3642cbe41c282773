"""Running an evaluation: summarise every gold article with a model, score, render.

:func:`run_eval` runs ``summarize`` over the gold articles (recording or
replaying each article's HTTP when asked) and scores the result with
:func:`newsschema._eval.score`; :func:`render_table` prints the report with rich.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsschema._errors import ConfigurationError, NewsschemaError
from newsschema._extraction import DEFAULTS, summarize
from newsschema._io import terminal_line
from newsschema._records import ArticleSummary, EventTypes
from newsschema.testing import CassetteMismatchError, cassette

from ._gold import GoldArticle, load_gold
from ._score import EvalReport, TypeScores, score

if TYPE_CHECKING:
    import openai
    from rich.console import Group

    from newsschema._extraction import RetryPolicy

__all__ = ["render_table", "run_eval"]


def run_eval(
    gold_dir: str | Path,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    cassette_dir: str | Path | None = None,
    record: bool = False,
    client: openai.OpenAI | None = None,
    retry: RetryPolicy | None = None,
    progress: Callable[[GoldArticle], None] | None = None,
    max_tokens: int | None = DEFAULTS.max_tokens,
    max_input_tokens: int = DEFAULTS.max_input_tokens,
    temperature: float | None = DEFAULTS.temperature,
    token_budget: int | None = DEFAULTS.token_budget,
    time_budget: float | None = DEFAULTS.time_budget,
    max_validation_attempts: int = DEFAULTS.max_validation_attempts,
    events: EventTypes | None = None,
    chunk_tokens: int | None = DEFAULTS.chunk_tokens,
) -> EvalReport:
    """Summarise every gold article with a model and score the result.

    Each article is summarised with its gold ``published`` date. An article whose
    extraction raises a newsschema error (or whose cassette does not match)
    counts as predicted-empty, and its error is listed in the report. A
    ``ConfigurationError`` (no model, no key, unknown mode) is raised instead:
    it would fail every article alike.

    Args:
        gold_dir: directory of gold files (or one file), see :func:`load_gold`.
        model: model name; default ``NEWSSCHEMA_MODEL``.
        base_url: OpenAI-compatible server; default ``OPENAI_BASE_URL``.
        api_key: default ``OPENAI_API_KEY``. Replaying cassettes needs none.
        mode: structured-output mode; default ``NEWSSCHEMA_MODE`` or ``json_schema``.
        cassette_dir: record or replay each article's HTTP traffic in
            ``cassette_dir/<id>.json`` (needs vcrpy: ``newsschema[testing]``).
        record: with ``cassette_dir``, call the model and (re)write the cassettes;
            without it, replay them (``NEWSSCHEMA_RECORD=1`` also records).
        client: a ready ``openai.OpenAI`` client (e.g. ``FakeModel().client()``).
        retry: transport retry policy passed to ``summarize``.
        progress: called with each gold article before it is summarised.
        max_tokens: cap on output tokens per answer (bound it for weak models
            that repeat themselves until the context is full).
        max_input_tokens: articles estimated above this many tokens fail before
            any call, as in ``summarize``.
        temperature: sampling temperature sent with each request (None sends none).
        token_budget: tokens per article, all answers, after which no new answer
            is asked for.
        time_budget: seconds per article, retries and re-asks included.
        max_validation_attempts: answers allowed per article until one validates.
        events: the event types extracted and scored (default: the four built-ins);
            every gold file must carry their lists.
        chunk_tokens: articles estimated above this many tokens are extracted in
            chunks, as in ``summarize``.

    Returns:
        The :class:`EvalReport`, with ``model`` set.

    Raises:
        GoldSetError: the gold set is invalid.
        ConfigurationError: the model cannot be called at all.
    """
    gold = load_gold(gold_dir, events=events)
    model_name = model or os.environ.get("NEWSSCHEMA_MODEL")
    if cassette_dir is not None and not record and api_key is None and client is None:
        # Replay never reaches the provider; the SDK still wants some key.
        api_key = os.environ.get("OPENAI_API_KEY") or "replay"
    predicted: dict[str, ArticleSummary] = {}
    errors: dict[str, BaseException] = {}
    for article in gold:
        if progress is not None:
            progress(article)

        tape: AbstractContextManager[Any] = nullcontext()
        if cassette_dir is not None:
            path = Path(cassette_dir) / f"{article.id}.json"
            tape = cassette(path, record="all" if record else None)
        try:
            with tape:
                predicted[article.id] = summarize(
                    article.text, published=article.published, model=model, client=client,
                    mode=mode, api_key=api_key, base_url=base_url, retry=retry,
                    max_tokens=max_tokens, max_input_tokens=max_input_tokens,
                    temperature=temperature, token_budget=token_budget,
                    time_budget=time_budget, max_validation_attempts=max_validation_attempts,
                    events=events, chunk_tokens=chunk_tokens,
                )  # fmt: skip
        except ConfigurationError:
            raise
        except (NewsschemaError, CassetteMismatchError) as exc:
            errors[article.id] = exc
    return score(gold, predicted, errors=errors, model=model_name, events=events)


def render_table(report: EvalReport) -> Group:
    """The report as rich renderables: a score table, grounding, then every error.

    Example:
        >>> from rich.console import Console
        >>> Console().print(render_table(report))  # doctest: +SKIP
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}"

    def field(scores: TypeScores | None, name: str) -> str:
        fields = report.fields if scores is None else scores.fields
        found = fields.get(name)
        return "" if found is None else f"{pct(found.accuracy)} ({found.correct}/{found.total})"

    # Model names, error ids and messages come from the user, the provider or a JSON file:
    # shown as Text (never markup) without escape sequences or control characters.
    def safe(text: object, style: str = "") -> Text:
        return Text(terminal_line(text), style=style)

    title = f"newsschema eval: {report.articles} articles"
    if report.model:
        title += f", model {report.model}"
    table = Table(title=safe(title))
    for column in ("type", "gold", "pred", "tp", "P", "R", "F1", "time", "status", "place"):
        numeric = column not in ("type", "time", "status", "place")
        table.add_column(column, justify="right" if numeric else "left", no_wrap=column == "type")
    for kind, s in report.types.items():
        table.add_row(
            safe(kind), str(s.gold), str(s.predicted), str(s.tp), pct(s.precision), pct(s.recall),
            pct(s.f1), field(s, "time"), field(s, "status"), field(s, "place"),
        )  # fmt: skip
    m = report.micro
    table.add_row(
        "micro", str(m.gold), str(m.predicted), str(m.tp), pct(m.precision), pct(m.recall),
        pct(m.f1), field(None, "time"), field(None, "status"), field(None, "place"),
        style="bold", end_section=True,
    )  # fmt: skip
    g = report.grounding
    parts: list[Any] = [
        table,
        Text(
            f"grounded evidence: {pct(g.share)} ({g.grounded}/{g.predicted} predicted records"
            f"{f', {g.dropped} dropped by the library' if g.dropped else ''})"
        ),
    ]
    if report.errors:
        parts.append(Text(f"{len(report.errors)} article error(s):", style="bold red"))
        parts += [
            Text("  " + terminal_line(f"{e.id}: {e.error}: {e.message}")) for e in report.errors
        ]
    else:
        parts.append(Text("no article errors"))
    return Group(*parts)
