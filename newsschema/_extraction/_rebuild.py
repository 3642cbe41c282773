"""A summary rebuilt from the answer it stores: every deterministic step again, no request.

The model's answer (``ArticleSummary.answer``: the validated draft, one per chunk
of a long article) and the article text are all the installed version needs to
ground the quotes, resolve times and durations, normalise actors, merge
duplicates and index the actors anew. An answer made with another schema is
migrated to the installed draft model where that is safe (a field the installed
types no longer have is left out; a new field that may be null or empty is null
or empty); otherwise the article must be summarised again.
"""

from __future__ import annotations

import sys
import typing
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from newsschema._errors import InputError, NewsschemaError, StoredAnswerError
from newsschema._records import (
    ArticleSummary,
    Event,
    EventTypes,
    ModelAnswer,
    PublishedSource,
    article_draft,
    event_type,
    text_sha256,
    type_named,
)
from newsschema._text import find_published

from ._chunks import merge_parts
from ._summarize import check_article, library_version, summary_of

__all__ = ["migrate_draft", "reprocess_summary", "summary_types_of"]


def summary_types_of(summary: ArticleSummary) -> EventTypes:
    """The event types the summary's answer was asked for, as installed classes.

    Raises:
        StoredAnswerError: a type is not defined here (reason ``unknown_type``).
    """
    found: list[type[Event]] = []
    for name in summary.provenance.event_types:
        cls = type_named(name)
        if cls is None:
            raise StoredAnswerError(
                f"the answer was made for the event type {name!r}, which is not defined; "
                "import the module that defines it before reprocessing",
                reason="unknown_type",
            )
        found.append(cls)
    return tuple(found)


def _empty(annotation: Any) -> tuple[bool, Any]:
    """(a value may stand for a field missing from an old answer, that value)."""
    origin = typing.get_origin(annotation)
    if origin is list:
        return True, []
    if annotation is type(None) or type(None) in typing.get_args(annotation):
        return True, None
    return False, None


def _fitted(item: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """``item`` with the fields of ``model`` only, nullable or list fields it lacks filled."""
    fitted = {key: value for key, value in item.items() if key in model.model_fields}
    for name, field in model.model_fields.items():
        if name not in fitted:
            fills, value = _empty(field.annotation)
            if fills:
                fitted[name] = value
    return fitted


def migrate_draft(stored: dict[str, Any], types: EventTypes) -> Any:
    """The stored answer as an instance of the installed draft model for ``types``.

    Validated as it is when it fits; else each record keeps the fields the
    installed type still has, and a field it lacks is null (or an empty list)
    where the installed schema allows that.

    Raises:
        StoredAnswerError: the answer cannot be made to fit (reason ``incompatible``).
    """
    model = article_draft(types)
    try:
        return model.model_validate(stored)
    except ValidationError:
        pass
    adapted: dict[str, Any] = _fitted(stored, model)
    for cls in types:
        spec = event_type(cls)
        items = stored.get(spec.plural) or []
        if isinstance(items, list):
            adapted[spec.plural] = [
                _fitted(item, spec.draft) if isinstance(item, dict) else item for item in items
            ]
    try:
        return model.model_validate(adapted)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StoredAnswerError(
            f"the stored answer does not fit the installed schema and cannot be migrated "
            f"({exc.error_count()} error(s); {where}: {first['msg']}); summarise this article "
            "again to get records of the installed version",
            reason="incompatible",
        ) from None


def _anchor(summary: ArticleSummary, article: str) -> tuple[Any, PublishedSource]:
    """The caller's (or a web page's) date as before; else the date the installed version
    finds in the text; else a crawl date as before."""
    if summary.published_source in ("caller", "page metadata"):
        return summary.published, summary.published_source
    found = find_published(article)
    if found is not None:
        return found
    if summary.published_source == "crawl date":
        return summary.published, "crawl date"
    return None, "unknown"


def _with_page(rebuilt: ArticleSummary, summary: ArticleSummary) -> ArticleSummary:
    """A web page's summary keeps its page: the text and metadata it was made from."""
    return rebuilt if summary.page is None else rebuilt.model_copy(update={"page": summary.page})


def reprocess_summary(text: str, summary: ArticleSummary) -> ArticleSummary:
    """``summary`` made again from its stored answer and ``text``, with no request.

    Every deterministic step of the installed version runs again: grounding,
    time and duration resolution, actors, merging, the actor index (and the
    publication date found in the text, unless the caller gave it). The
    provenance keeps the model's facts (model, usage, prompt and schema versions
    of the answer); ``library_version`` becomes the installed one and
    ``reprocessed_at`` now. Failed chunks of a long article stay failed.

    Args:
        text: the article text the summary was made from.
        summary: a summary with ``answer`` (written by newsschema 0.x with stored answers).

    Raises:
        StoredAnswerError: no answer stored (``no_answer``), ``text`` is not the text
            it was made for (``text_changed``), an event type is not defined
            (``unknown_type``), or the answer cannot be migrated (``incompatible``).
    """
    answer: ModelAnswer | None = summary.answer
    if answer is None:
        raise StoredAnswerError(
            "the summary holds no stored answer (it was written before answers were kept); "
            "only summarising the article again gives records of the installed version",
            reason="no_answer",
        )
    if text_sha256(text) != answer.text_sha256:
        raise StoredAnswerError(
            f"the article text is not the one the answer was made for (its SHA-256 is "
            f"{text_sha256(text)[:12]}…, the answer's {answer.text_sha256[:12]}…); give the "
            "original text, or summarise the changed article again",
            reason="text_changed",
        )
    try:
        article = check_article(text, max_input_tokens=sys.maxsize)
    except InputError as exc:
        raise StoredAnswerError(str(exc), reason="unreadable") from None
    types = summary_types_of(summary)
    drafts = [(d.start, d.end, migrate_draft(d.draft, types)) for d in answer.drafts]
    for start, end, _ in drafts:
        if not 0 <= start < end <= len(article):
            raise StoredAnswerError(
                f"a stored answer covers characters {start}-{end}, outside the article "
                f"({len(article)} characters); summarise this article again",
                reason="incompatible",
            )
    try:
        return _rebuilt(article, summary, answer, types, drafts)
    except NewsschemaError:
        raise
    except ValidationError as exc:
        first = exc.errors()[0]
        raise StoredAnswerError(
            f"the stored answer gives a record the installed type refuses ({first['msg']}); "
            "summarise this article again",
            reason="incompatible",
        ) from None
    except Exception as exc:
        raise NewsschemaError(
            f"newsschema could not rebuild the records from the stored answer "
            f"({type(exc).__name__}: {exc}); this is a bug in newsschema, please report it "
            "with the line"
        ) from exc


def _rebuilt(
    article: str,
    summary: ArticleSummary,
    answer: ModelAnswer,
    types: EventTypes,
    drafts: list[tuple[int, int, Any]],
) -> ArticleSummary:
    anchor, source = _anchor(summary, article)
    # Read again in the language it was read in (English for summaries from before).
    language = summary.provenance.language or "en"
    provenance = summary.provenance.model_copy(
        update={"library_version": library_version(), "reprocessed_at": datetime.now(UTC)}
    )
    whole = len(drafts) == 1 and (drafts[0][0], drafts[0][1]) == (0, len(article))
    if whole and not summary.failed_chunks:
        draft = drafts[0][2]
        rebuilt = summary_of(
            draft, article, anchor=anchor, source=source, types=types,
            provenance=provenance, answer=answer, language=language,
        )  # fmt: skip
        return _with_page(rebuilt, summary)
    parts = []
    for stored, (start, end, draft) in zip(answer.drafts, drafts, strict=True):
        own = ModelAnswer(
            text_sha256=answer.text_sha256,
            drafts=[stored.model_copy(update={"start": 0, "end": end - start})],
        )
        part = summary_of(
            draft, article[start:end], anchor=anchor, source=source, types=types,
            provenance=provenance, answer=own, language=language,
        )  # fmt: skip
        parts.append(((start, end), part))
    starts = [start for start, _, _ in drafts] + [f.start for f in summary.failed_chunks]
    merged = merge_parts(
        article, parts, summary.failed_chunks, chunks=len(drafts) + len(summary.failed_chunks),
        whole_start=min(starts), published=anchor, source=source, types=types,
        provenance=provenance, digest=answer.text_sha256,
    )  # fmt: skip
    return _with_page(merged, summary)
