"""``newsschema batch``: files and folders in, one JSON Lines line per article out, a summary table.

:func:`run_batch_cli` holds the whole command; the CLI module only parses options.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsschema._batch import DEFAULT_CONCURRENCY, BatchStats
from newsschema._errors import InputError, OutputError
from newsschema._io import cli_words, terminal_line
from newsschema._usage import Usage

__all__ = ["KNOWN_PRICES", "Price", "estimate_cost", "run_batch_cli"]


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    output: float
    cached_input: float | None = None


#: OpenAI list prices (USD per 1M tokens, standard tier) as of August 2025; they change.
#: The Batch API bills half of these. Pass ``prices=`` for other models or newer prices.
KNOWN_PRICES: Mapping[str, Price] = {
    "gpt-4.1": Price(2.00, 8.00, 0.50),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-4o": Price(2.50, 10.00, 1.25),
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "gpt-5": Price(1.25, 10.00, 0.125),
    "gpt-5-mini": Price(0.25, 2.00, 0.025),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
}
BATCH_DISCOUNT = 0.5
INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (128 + SIGINT)


def load_prices(path: str | os.PathLike[str]) -> dict[str, Price]:
    """A price table in USD per 1M tokens: ``{"model": {"input": 0.4, "output": 1.6}}``.

    ``cached_input`` (the price of cached prompt tokens) is optional.

    Raises:
        InputError: the file is not such a table.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {
            str(model): Price(
                float(p["input"]),
                float(p["output"]),
                float(p["cached_input"]) if p.get("cached_input") is not None else None,
            )
            for model, p in data.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"{path}: not a price table ({type(exc).__name__}: {exc}); expected "
            '{"model": {"input": USD per 1M tokens, "output": ..., "cached_input": ...}}'
        ) from None


def price_of(model: str, table: Mapping[str, Price]) -> Price | None:
    """The model's price: an exact entry, else the longest entry its name starts with
    (``gpt-4.1-mini-2025-04-14`` is priced as ``gpt-4.1-mini``)."""
    if model in table:
        return table[model]
    prefixes = [name for name in table if model.startswith(name + "-")]
    return table[max(prefixes, key=len)] if prefixes else None


def _dollars(usage: Usage, price: Price) -> float:
    cached = usage.cached_tokens if price.cached_input is not None else 0
    fresh = usage.prompt_tokens - cached
    return (
        fresh * price.input
        + cached * (price.cached_input or 0.0)
        + usage.completion_tokens * price.output
    ) / 1_000_000


def estimate_cost(stats: BatchStats, price: Price) -> float:
    """Dollars this run spent: batch answers at half price, everything else at full price."""
    batch = stats.provider_batch_usage
    sync = Usage(
        prompt_tokens=stats.usage.prompt_tokens - batch.prompt_tokens,
        completion_tokens=stats.usage.completion_tokens - batch.completion_tokens,
        cached_tokens=stats.usage.cached_tokens - batch.cached_tokens,
    )
    return _dollars(sync, price) + BATCH_DISCOUNT * _dollars(batch, price)


def _shorten(text: str, limit: int = 110) -> str:
    line = terminal_line(cli_words(text))
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class StoredFailure:
    """A failure line of the output file: the article's id and why it has no summary."""

    id: str
    type: str
    message: str
    line: int


@dataclass
class OutputState:
    """What the output file holds after a run: ids done, and every failure line."""

    done: set[str] = field(default_factory=set)
    failures: list[StoredFailure] = field(default_factory=list)


def read_output(path: Path) -> OutputState:
    """The output file's finished ids and failure lines (a torn or foreign line is skipped)."""
    state = OutputState()
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return state
    with handle:
        for number, line in enumerate(handle, start=1):
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if not isinstance(row, dict) or row.get("id") is None:
                continue
            article_id = str(row["id"])
            error = row.get("error")
            if "summary" in row or not isinstance(error, dict):
                state.done.add(article_id)
                continue
            state.failures.append(
                StoredFailure(
                    article_id, str(error.get("type", "?")), str(error.get("message", "")), number
                )
            )
    return state


def unknown_anchor_times(summary: Any) -> int:
    """Time expressions of a summary left unresolved because its publication date was unknown."""
    if summary.published is not None:
        return 0
    count = 0
    for event in summary.events:
        when = getattr(event, "when", None)
        reason = (getattr(when, "reason", None) or "").lower()
        if getattr(when, "resolution", None) == "unresolved" and "publication date" in reason:
            count += 1
    return count


def failure_table(
    failures: Sequence[StoredFailure], sources: Mapping[str, str], *, output: Path, limit: int = 25
) -> Any:
    """Every failure still in the output: article id, where it came from, error, message."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(f"failed articles in {terminal_line(output)} ({len(failures):,})"),
        title_justify="left",
    )
    for column in ("id", "source", "error", "message"):
        table.add_column(column, overflow="fold")
    for f in failures[:limit]:
        source = sources.get(f.id, "not among these inputs")
        table.add_row(
            Text(terminal_line(f.id)),
            Text(terminal_line(source)),
            Text(terminal_line(f.type)),
            Text(_shorten(f.message, 200)),
        )
    if len(failures) > limit:
        more = f"... {len(failures) - limit:,} more"
        table.add_row(Text(more), Text(str(output)), Text(""), Text('lines with an "error"'))
    return table


def summary_table(
    stats: BatchStats,
    *,
    model: str,
    price: Price | None,
    output: Path,
    db: Path | None,
    earlier_failures: int = 0,
) -> Any:
    """The end-of-run table: counts, failure reasons, tokens, cost, time."""
    from rich.table import Table
    from rich.text import Text

    from newsschema._batch import human_tokens

    table = Table(title=Text(f"newsschema batch: {model}"), title_justify="left", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    u = stats.usage
    cached = f" ({stats.cached:,} from the cache)" if stats.cached else ""
    rows: list[tuple[str, str]] = [
        ("articles", f"{stats.total:,}"),
        ("done", f"{stats.succeeded:,}{cached}"),
        ("failed", f"{stats.failed:,} in this run"),
    ]
    if stats.incomplete:
        rows.insert(2, ("  incomplete", f"{stats.incomplete:,} long article(s) with parts failed"))
    for kind, count in stats.failures.most_common():
        rows.append((f"  {kind}", f"{count:,}: {_shorten(stats.examples.get(kind, ''))}"))
    if earlier_failures:
        rows.append(
            ("failed earlier", f"{earlier_failures:,} still failed in {output.name} (not redone)")
        )
    if stats.skipped:
        rows.append(("skipped", f"{stats.skipped:,} already in {output.name}"))
    rows.append(("cached", f"{stats.cached:,}"))
    rows.append(
        (
            "tokens",
            f"{human_tokens(u.total_tokens)} ({u.prompt_tokens:,} prompt, "
            f"{u.completion_tokens:,} completion)",
        )
    )
    if stats.provider_batch_usage.requests:
        rows.append(("  via provider batch", human_tokens(stats.provider_batch_usage.total_tokens)))
    rows.append(("HTTP requests", f"{stats.http_requests:,} ({stats.rate_limited:,} answered 429)"))
    if price is not None:
        rows.append(("estimated cost", f"${estimate_cost(stats, price):,.4f}"))
    else:
        rows.append(("estimated cost", f"unknown (no price for {model}; pass a price table)"))
    rows.append(("wall time", f"{stats.elapsed:,.1f} s"))
    rows.append(("output", str(output) + (f", {db}" if db is not None else "")))
    for what, value in rows:
        table.add_row(Text(terminal_line(what)), Text(terminal_line(value)))
    return table


@dataclass(frozen=True)
class _Report:
    """The end-of-run tables of one batch run."""

    stats: BatchStats
    model: str
    prices: Mapping[str, Price]
    output: Path
    db: str | os.PathLike[str] | None
    sources: Mapping[str, str]

    def print(self, out: Any, stored: OutputState) -> int:
        """Print the summary table, then every failure still in the output; the earlier ones."""
        earlier = max(len(stored.failures) - self.stats.failed, 0)
        out.print(
            summary_table(
                self.stats,
                model=self.model,
                price=price_of(self.model, self.prices),
                output=self.output,
                db=Path(self.db) if self.db is not None else None,
                earlier_failures=earlier,
            )
        )
        if stored.failures:
            out.print(failure_table(stored.failures, self.sources, output=self.output))
        return earlier


def run_batch_cli(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    output: str | os.PathLike[str],
    db: str | os.PathLike[str] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: bool | str | os.PathLike[str] = True,
    published_field: str = "published",
    text_field: str = "text",
    id_field: str = "id",
    model: str | None = None,
    mode: str | None = None,
    base_url: str | None = None,
    provider_batch: bool = False,
    retry_failed: bool = False,
    prices: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    client: Any = None,
    console: Any = None,
    call: Mapping[str, Any] | None = None,
) -> int:
    """Run ``newsschema batch``: summarise every article in ``inputs`` into ``output``.

    Prints a summary table at the end (done, failed with reasons, cached, tokens,
    estimated cost when the model's price is known or given, wall time), then
    every failure line the output still holds, this run's and earlier runs', each
    with its article id and source. ``call`` holds further keyword arguments of
    ``summarize_many`` (``max_tokens``, ``retry`` ...).

    Returns:
        The exit code: 0 when every article is done, 1 while the output holds a
        failure (``retry_failed`` redoes them), 130 when interrupted (Ctrl-C; the
        summary is printed and a re-run resumes).

    Raises:
        InputError, ConfigurationError: before any call (bad input file, no model ...).
        OutputError: the output or database cannot be written; when it happens mid-run
            (disk full), the summary table of what was written is printed first.
    """
    from rich.console import Console

    from newsschema._batch import summarize_many
    from newsschema._extraction import resolve_model
    from newsschema._io import load_sourced

    table = dict(KNOWN_PRICES)
    if prices is not None:
        table.update(load_prices(prices))
    skipped: Counter[str] = Counter()
    sourced = load_sourced(
        *inputs, id_field=id_field, text_field=text_field, published_field=published_field,
        skipped=skipped,
    )  # fmt: skip
    out = console if console is not None else Console(stderr=False)
    if skipped:
        kinds = ", ".join(f"{n:,} {why}" for why, n in skipped.most_common())
        out.print(
            f"WARC: {sum(skipped.values()):,} record(s) that are no HTML page skipped ({kinds})",
            markup=False,
            highlight=False,
        )
    if not sourced:
        raise InputError(
            "no articles found in "
            + ", ".join(str(p) for p in inputs)
            + " (folders are read for *.txt and *.html files, .jsonl/.ndjson files a row "
            "each, WARC files for their HTML responses)"
        )
    sources = {article.id: source for article, source in sourced}
    stats = BatchStats()
    outcomes = summarize_many(
        [article for article, _ in sourced],
        model=model, mode=mode, base_url=base_url, client=client, concurrency=concurrency,
        rpm=rpm, tpm=tpm, cache=cache, output=output, db=db, retry_failed=retry_failed,
        progress=progress, provider_batch=provider_batch, stats=stats, **(call or {}),
    )  # fmt: skip
    interrupted = False
    unanchored: list[Any] = []
    name = resolve_model(model)
    try:
        for outcome in outcomes:
            # Each outcome is already written to the output as it finishes.
            if outcome.summary is not None and outcome.summary.published is None:
                unanchored.append(outcome.summary)
    except KeyboardInterrupt:
        interrupted = True  # the run has stopped; what finished is written
    except OutputError:
        # Stopped mid-run (disk full): what was written is kept, so show it before the error.
        if stats.total:
            report = _Report(stats, name, table, Path(output), db, sources)
            report.print(out, read_output(Path(output)))
        raise
    stored = read_output(Path(output))
    earlier = _Report(stats, name, table, Path(output), db, sources).print(out, stored)
    times = sum(unknown_anchor_times(s) for s in unanchored)
    if times:
        out.print(
            f"note: {times:,} relative time(s) stayed unresolved: the publication date is "
            f"unknown; give each article one (a {published_field!r} field in JSON Lines rows, "
            "or --published-field NAME)",
            markup=False,
            highlight=False,
        )
    if interrupted:
        out.print("interrupted: run the same command again to resume where it stopped")
        return INTERRUPTED
    if stored.failures:
        out.print(
            f"{len(stored.failures):,} article(s) in {output} have failed "
            f"({earlier:,} in earlier runs); fix the cause, then run the same command with "
            "--retry-failed to redo them",
            markup=False,
            highlight=False,
        )
        return 1
    return 1 if stats.failed else 0
