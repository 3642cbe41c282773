"""Reprocessing an output without the model: the stored answers through the installed version.

Every summary newsschema writes keeps what the model answered
(``ArticleSummary.answer``: the validated draft, one per chunk of a long article)
and the SHA-256 of the article text, and every JSON Lines line of ``newsschema
summarize --format jsonl``, ``newsschema batch`` and ``summarize_many`` keeps the
text itself (``"article"``). :func:`reprocess` reads such a file and runs every
deterministic step of the installed version again — grounding, time and
duration resolution, actors, merging, the actor index — with no request, and
counts what changed, field by field. A new time resolver improves an old dataset
for free; an answer made with another ``schema_version`` is migrated to the
installed draft model where that is safe, not bought again.

Lines that cannot be reprocessed are copied to the output unchanged and counted
by reason, never dropped: a failed extraction (no answer), a line written before
answers were stored (``no_answer``), a text that no longer matches its hash
(``text_changed``), an answer the installed schema cannot take
(``incompatible``), an event type not imported (``unknown_type``), a line without
its text and no ``articles`` to find it in (``no_text``), or a line that is not a
newsschema result (``unreadable``).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from newsschema._errors import (
    InputError,
    NewsschemaError,
    OutputError,
    StoredAnswerError,
    StoredAnswerReason,
)
from newsschema._extraction import reprocess_summary, summary_types_of
from newsschema._io import load_articles
from newsschema._records import ArticleSummary, schema_version

__all__ = ["LineProblem", "ReprocessReport", "changed_fields", "reprocess"]

# Keys whose change is not a change of the records.
_IGNORED = frozenset({"provenance", "answer"})


class LineProblem(BaseModel):
    """A line copied unchanged because it could not be reprocessed."""

    line: int = Field(description="Line number in the source file (1-based).")
    id: str | None = Field(description="The article id, when the line has one.")
    reason: StoredAnswerReason
    message: str


class ReprocessReport(BaseModel):
    """What :func:`reprocess` did: lines read, rebuilt, changed, and kept as they were."""

    source: str
    output: str | None = Field(description="The file written, or None for a dry run.")
    started_at: datetime
    lines: int = Field(default=0, description="Lines read (blank lines not counted).")
    reprocessed: int = Field(default=0, description="Summaries rebuilt from their answer.")
    changed: int = Field(default=0, description="Rebuilt summaries whose records changed.")
    migrated: int = Field(
        default=0, description="Rebuilt from an answer made with another schema_version."
    )
    kept: dict[str, int] = Field(
        default_factory=dict, description="Lines copied unchanged, by reason."
    )
    fields: dict[str, int] = Field(
        default_factory=dict,
        description=(
            "Changes by field: 'visits.duration_value' counts records whose value changed, "
            "'visits' articles whose number of visits changed, 'headline' articles."
        ),
    )
    problems: list[LineProblem] = Field(default_factory=list)

    @property
    def unchanged(self) -> int:
        """Rebuilt summaries identical to the stored ones (provenance aside)."""
        return self.reprocessed - self.changed

    def table(self) -> str:
        """The report as plain text lines, for a terminal."""
        out = [
            f"{self.lines} line(s): {self.reprocessed} reprocessed ({self.changed} changed, "
            f"{self.unchanged} unchanged, {self.migrated} migrated from another schema), "
            f"{sum(self.kept.values())} kept as they were"
        ]
        out += [f"  kept, {reason}: {count}" for reason, count in sorted(self.kept.items())]
        if self.fields:
            width = max(len(name) for name in self.fields)
            out.append(f"{'field':<{width}}  changed")
            out += [f"{name:<{width}}  {count:>7}" for name, count in sorted(self.fields.items())]
        return "\n".join(out)


def _flat(value: Any, prefix: str, out: dict[str, Any]) -> None:
    """A record as dotted paths: nested objects are opened, lists compared whole."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flat(item, f"{prefix}.{key}", out)
    else:
        out[prefix] = value


def _differences(old: Any, new: Any, prefix: str) -> list[str]:
    """The dotted paths at which two records differ (a field the old one lacks: if filled)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flat(old, prefix, before)
    _flat(new, prefix, after)
    paths = []
    for path in dict.fromkeys([*before, *after]):
        if path not in before and after[path] in (None, []):
            continue  # a field added since, left empty
        if before.get(path) != after.get(path):
            paths.append(path)
    return paths


def changed_fields(old: ArticleSummary, new: ArticleSummary) -> Counter[str]:
    """What differs between two summaries of one article, counted by field.

    Records at the same position of a type's list are compared field by field:
    ``"visits.duration_value": 2`` says two visits got another value,
    ``"meetings.when.value"`` opens the time. A type's plural key alone
    (``"visits": 1``) says its number of records changed. Summary fields
    (``headline``, ``published``, ``actors``, ``dropped`` ...) count 1 when they
    differ. A field an older record lacks counts only when the new value is not
    empty. Provenance and the stored answer are not compared.
    """
    before = old.model_dump(mode="json")
    after = new.model_dump(mode="json")
    lists = set(new.event_lists()) | set(old.event_lists())
    counts: Counter[str] = Counter()
    for key in dict.fromkeys([*before, *after]):
        if key in _IGNORED:
            continue
        if key not in lists:
            counts[key] += before.get(key) != after.get(key)
            continue
        old_items, new_items = before.get(key) or [], after.get(key) or []
        counts[key] += len(old_items) != len(new_items)
        for old_item, new_item in zip(old_items, new_items, strict=False):
            for path in _differences(old_item, new_item, key):
                counts[path] += 1
    return +counts


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as f:
        yield from enumerate(f, start=1)


def _check_source(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path} does not exist; give the JSON Lines output to reprocess")
    if not path.is_file():
        raise InputError(f"{path} is not a file; give the JSON Lines output to reprocess")
    if not os.access(path, os.R_OK):
        raise InputError(f"cannot read {path}: permission denied")


def _line_of(head: dict[str, Any], summary: ArticleSummary) -> bytes:
    """A line as the batch sink writes it: the head, then the summary spliced in."""
    text = json.dumps(head, ensure_ascii=False)
    line = f'{text[:-1]}, "summary": {summary.model_dump_json()}}}\n'
    return line.encode("utf-8", "surrogatepass")


class _Run:
    """One pass over a file: each line rebuilt or kept, counted in the report."""

    def __init__(self, source: Path, output: Path | None, texts: dict[str, str]) -> None:
        self.source = source
        self.texts = texts
        self.report = ReprocessReport(
            source=str(source),
            output=str(output) if output is not None else None,
            started_at=datetime.now(UTC),
        )
        self.fields: Counter[str] = Counter()

    def keep(self, number: int, article_id: str | None, error: StoredAnswerError) -> None:
        kept = self.report.kept
        kept[error.reason] = kept.get(error.reason, 0) + 1
        self.report.problems.append(
            LineProblem(line=number, id=article_id, reason=error.reason, message=str(error))
        )

    def line(self, number: int, raw: bytes) -> bytes:
        """The line to write for ``raw``: rebuilt, or ``raw`` itself when it cannot be."""
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not ("summary" in data or "error" in data):
            self.keep(number, None, StoredAnswerError(
                "not a newsschema result (a JSON object with an id and a summary or an error)",
                reason="unreadable",
            ))  # fmt: skip
            return raw
        article_id = str(data["id"]) if data.get("id") is not None else None
        try:
            return self._rebuilt(data, article_id)
        except StoredAnswerError as exc:
            self.keep(number, article_id, exc)
            return raw
        except NewsschemaError as exc:
            about = f" (article {article_id!r})" if article_id is not None else ""
            raise NewsschemaError(
                f"{self.source}, line {number}{about}: {exc}; nothing was written"
            ) from exc

    def _rebuilt(self, data: dict[str, Any], article_id: str | None) -> bytes:
        if not isinstance(data.get("summary"), dict):
            raise StoredAnswerError(
                "the extraction of this article failed, so there is no answer to reprocess; "
                "`newsschema batch ... --retry-failed` runs it again",
                reason="failed",
            )
        try:
            old = ArticleSummary.model_validate(data["summary"])
        except ValidationError as exc:
            first = exc.errors()[0]
            raise StoredAnswerError(
                f"not a summary this version can read ({first['msg']}); if it names an event "
                "type of your own, import the module that defines it first (--events)",
                reason="unreadable",
            ) from None
        text = data.get("article")
        if not isinstance(text, str):
            text = self.texts.get(article_id or "")
            if text is None:
                raise StoredAnswerError(
                    "the line holds no article text; give the articles it was made from "
                    "(articles= / --articles FOLDER_OR_JSONL), matched by id",
                    reason="no_text",
                )
            data = {**data, "article": text}
        new = reprocess_summary(text, old)
        report = self.report
        report.reprocessed += 1
        if old.provenance.schema_version != schema_version(summary_types_of(old)):
            report.migrated += 1
        changes = changed_fields(old, new)
        if changes:
            report.changed += 1
            self.fields.update(changes)
        head = {key: value for key, value in data.items() if key != "summary"}
        return _line_of(head, new)


Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def _texts(articles: Paths | None) -> dict[str, str]:
    if articles is None:
        return {}
    paths = [articles] if isinstance(articles, str | os.PathLike) else list(articles)
    return {article.id: article.text for article in load_articles(*paths)}


def reprocess(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    articles: Paths | None = None,
) -> ReprocessReport:
    """Rebuild every summary of a JSON Lines output from its stored answer, with no request.

    Each line's answer and text go through every deterministic step of the
    installed version (grounding, time and duration resolution, actors, merging,
    the actor index); the rebuilt line replaces it in ``output``, in the same
    order and format (``newsschema batch`` can resume from it). A line that cannot
    be rebuilt is copied unchanged and counted in ``report.kept`` by reason,
    with ``report.problems`` saying why, line by line. ``output`` may be
    ``source`` itself: the file is replaced only when every line is written.

    Args:
        source: a JSON Lines file of ``newsschema summarize --format jsonl``,
            ``newsschema batch`` or ``summarize_many(output=...)``.
        output: the file to write; None: a dry run that only reports.
        articles: where to find the text of lines that lack it (written by
            ``write_jsonl`` from bare summaries): files or folders as
            :func:`newsschema.load_articles` reads them, matched by id. Each text
            must still match the hash its answer stores.

    Returns:
        Lines read, rebuilt, changed and migrated; lines kept by reason; and the
        changes by field (``report.fields``, ``report.table()``).

    Raises:
        InputError: ``source`` or ``articles`` cannot be read.
        OutputError: ``output`` cannot be written; ``source`` is left as it was.
    """
    source = Path(source)
    _check_source(source)
    target = Path(output) if output is not None else None
    run = _Run(source, target, _texts(articles))
    if target is not None and target.is_dir():
        raise OutputError(f"{target} is a directory; give a file name for the output", path=target)
    temporary = target.with_name(f".{target.name}.reprocess") if target is not None else None
    try:
        sink = temporary.open("wb") if temporary is not None else None
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; choose another output file",
            path=target or source,
        ) from None
    try:
        with sink if sink is not None else contextlib.nullcontext():
            for number, raw in _lines(source):
                if not raw.strip():
                    continue
                run.report.lines += 1
                written = run.line(number, raw if raw.endswith(b"\n") else raw + b"\n")
                if sink is not None:
                    sink.write(written)
        if temporary is not None and target is not None:
            os.replace(temporary, target)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; free some space or choose another "
            "output file (the source is unchanged)",
            path=target if target is not None else source,
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
    run.report.fields = dict(sorted(run.fields.items()))
    return run.report
