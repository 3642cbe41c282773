"""Long articles: split into chunks, extracted concurrently, merged into one summary.

An article estimated above ``chunk_tokens`` is cut at paragraph boundaries, else
at sentence boundaries, else (one huge sentence) between words, into chunks of
about equal size, each starting ``chunk_overlap`` sentences before the previous
chunk ended. Each chunk goes through the ordinary one-article flow (same client,
retries, re-asks, budgets shared over the whole article); the records of every
chunk are moved to offsets in the whole text, their actors normalised against the
whole text and their duplicates (an event told in the overlap is reported twice)
merged. A chunk that fails is listed in ``ArticleSummary.failed_chunks``; only when
every chunk fails is the extraction an error.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import accumulate
from typing import Any, Protocol

from newsschema._errors import ExtractionFailed
from newsschema._records import (
    ArticleSummary,
    DraftAnswer,
    DroppedRecord,
    Event,
    EventTypes,
    FailedChunk,
    ModelAnswer,
    Provenance,
    PublishedSource,
    event_type,
)
from newsschema._text import index_actors, merge_duplicates, normalise_actors
from newsschema._usage import Usage

__all__ = ["CHUNK_CONCURRENCY", "ChunkedJob", "Ledger", "Span", "merge_parts", "plan_chunks"]

#: Chunks of one article extracted at the same time (one client, so one rate limit).
CHUNK_CONCURRENCY = 4

# Overlap is bounded to this share of a chunk, however long its sentences are.
_MAX_OVERLAP_SHARE = 0.1
# A paragraph boundary is preferred to a later sentence boundary when the chunk
# it ends holds at least this share of the target size.
_PARAGRAPH_PREFERENCE = 0.7
# Chunks are balanced: an article of 2.1 chunk sizes gives three chunks of 0.7, not
# two full ones and a scrap; this slack leaves room for the overlap.
_BALANCE_SLACK = 1.15

Span = tuple[int, int]

# The end of a sentence: a stop (and closing quotes or brackets), then space, then
# what can begin a sentence. CJK stops need no space after them.
_SENTENCE_END = re.compile(
    r"""[.!?\u2026]+["'\u201d\u2019\u00bb)\]]*(?=\s+["'\u201c\u2018\u00ab(\[]*[^\s\w]*\w)"""
    r"""|[\u3002\uff01\uff1f]+["'\u201d\u2019\u300d\u300f)\]]*"""
)
# Words after which a full stop does not end the sentence ("Mr. Lavrov", "U.S. officials").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "mt",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "sen",
        "rep",
        "gov",
        "pres",
        "prof",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
        "fig",
        "al",
    ]
)
_WORD_BEFORE = re.compile(r"(\w+)\.?$")


class _Tokens:
    """``estimate_tokens`` of any slice of one text in constant time (prefix sums)."""

    def __init__(self, text: str) -> None:
        self._ascii = [0, *accumulate(1 if ord(ch) < 128 else 0 for ch in text)]

    def __call__(self, start: int, end: int) -> int:
        ascii_chars = self._ascii[end] - self._ascii[start]
        return ascii_chars // 4 + (end - start - ascii_chars) + 1


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    paragraph: bool  # a paragraph begins here


def _stripped(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _ends_sentence(text: str, start: int, stop: int) -> bool:
    """False for the stop of an abbreviation or an initial ("Mr.", "U.S.", "J.")."""
    if text[stop - 1] != ".":
        return True
    found = _WORD_BEFORE.search(text[max(start, stop - 12) : stop])
    if found is None:
        return True
    word = found.group(1)
    return not (len(word) == 1 or word.casefold() in _ABBREVIATIONS)


def _sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences of one paragraph, without the space between them."""
    spans: list[Span] = []
    begin = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.end() < end and _ends_sentence(text, begin, match.end()):
            found = _stripped(text, begin, match.end())
            if found is not None:
                spans.append(found)
            begin = match.end()
    found = _stripped(text, begin, end)
    if found is not None:
        spans.append(found)
    return spans


def _words(text: str, span: Span, limit: int, tokens: _Tokens) -> list[Span]:
    """A sentence too long for one chunk, cut between words into pieces under ``limit``.

    Only a single "word" longer than a chunk (no space in thousands of characters)
    is cut inside itself, where nothing else is possible.
    """
    words = [
        (span[0] + m.start(), span[0] + m.end())
        for m in re.finditer(r"\S+", text[span[0] : span[1]])
    ]
    pieces: list[Span] = []
    begin, end = words[0]
    for word_start, word_end in words[1:]:
        if tokens(begin, word_end) > limit:
            pieces.append((begin, end))
            begin = word_start
        end = word_end
    pieces.append((begin, end))
    out: list[Span] = []
    for piece in pieces:
        at, end = piece
        while tokens(at, end) > limit:
            out.append((at, at + max(1, limit * 2)))
            at += max(1, limit * 2)
        out.append((at, end))
    return out


def _units(text: str, limit: int, tokens: _Tokens) -> list[_Unit]:
    """The article as sentences (or word runs), each marked when it begins a paragraph."""
    units: list[_Unit] = []
    for line in re.finditer(r"[^\n]+", text):
        first = True
        for span in _sentences(text, line.start(), line.end()):
            pieces = [span] if tokens(*span) <= limit else _words(text, span, limit, tokens)
            for piece in pieces:
                units.append(_Unit(piece[0], piece[1], first))
                first = False
    return units


def plan_chunks(text: str, chunk_tokens: int | None, overlap: int) -> list[Span]:
    """Where to cut ``text``: the (start, end) of each chunk, in order.

    A text of at most ``chunk_tokens`` estimated tokens (or ``chunk_tokens`` None) is
    one chunk, the whole text. Otherwise chunks begin and end at sentence (better:
    paragraph) boundaries, never inside a word, are of about equal size, none over
    ``chunk_tokens``, and each after the first repeats the last ``overlap``
    sentences of the one before (at most a tenth of a chunk).

    Args:
        text: the article.
        chunk_tokens: the largest chunk, in estimated tokens; None: never split.
        overlap: sentences repeated at the start of each following chunk.

    Returns:
        The chunks' spans in ``text``; ``text[start:end]`` is a chunk's text.
    """
    tokens = _Tokens(text)
    if chunk_tokens is None or tokens(0, len(text)) <= chunk_tokens:
        return [(0, len(text))]
    units = _units(text, chunk_tokens, tokens)
    count = math.ceil(tokens(0, len(text)) / chunk_tokens)
    target = min(chunk_tokens, math.ceil(tokens(0, len(text)) / count * _BALANCE_SLACK))
    spans: list[Span] = []
    first = 0
    while True:
        last = first
        while last + 1 < len(units) and tokens(units[first].start, units[last + 1].end) <= target:
            last += 1
        if last + 1 == len(units):
            spans.append((units[first].start, units[last].end))
            return spans
        cut = last
        for k in range(last, first, -1):
            if not units[k + 1].paragraph:
                continue
            if tokens(units[first].start, units[k].end) >= target * _PARAGRAPH_PREFERENCE:
                cut = k
            break
        spans.append((units[first].start, units[cut].end))
        following = cut + 1
        budget = chunk_tokens * _MAX_OVERLAP_SHARE
        while (
            cut + 1 - following < overlap
            and following - 1 > first
            and tokens(units[following - 1].start, units[cut].end) <= budget
        ):
            following -= 1
        first = following


@dataclass
class Ledger:
    """What a long article's chunks have spent together, for budgets over the whole article."""

    started: float = field(default_factory=time.monotonic)
    usage: Usage = field(default_factory=Usage)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, usage: Usage) -> None:
        with self._lock:
            self.usage = self.usage + usage


class _Job(Protocol):
    def run_sync(self) -> ArticleSummary: ...

    async def run_async(self) -> ArticleSummary: ...


def _shifted(record: Event, offset: int) -> Event:
    """The record with its offsets moved from its chunk's text to the whole article's."""
    if offset == 0:
        return record
    update: dict[str, Any] = {
        "evidence": [
            e if e.start is None or e.end is None
            else e.model_copy(update={"start": e.start + offset, "end": e.end + offset})
            for e in record.evidence
        ]
    }  # fmt: skip
    own = type(record).model_fields
    for name in event_type(type(record)).quote_fields:
        for key in (f"{name}_start", f"{name}_end"):
            value = getattr(record, key, None) if key in own else None
            if isinstance(value, int):
                update[key] = value + offset
    return record.model_copy(update=update)


def _failure(span: Span, exc: ExtractionFailed) -> FailedChunk:
    return FailedChunk(start=span[0], end=span[1], error=type(exc).__name__, message=str(exc))


def _joined_summary(parts: Sequence[ArticleSummary]) -> str:
    """Each chunk's summary once, in the order of the text."""
    seen: dict[str, None] = {}
    for part in parts:
        text = part.summary.strip()
        if text:
            seen.setdefault(text)
    return " ".join(seen)


def merge_parts(
    article: str,
    parts: Sequence[tuple[Span, ArticleSummary]],
    failed: Sequence[FailedChunk],
    *,
    chunks: int,
    whole_start: int,
    published: date | None,
    source: PublishedSource,
    types: EventTypes,
    provenance: Provenance,
    digest: str,
) -> ArticleSummary:
    """One summary of a long article from its chunks' summaries (at least one), in text order.

    Records move to offsets in ``article``, actors are normalised against it and
    duplicates merged; each chunk's answer is kept with its span, so the whole can
    be rebuilt without the model.
    """
    events: dict[str, list[Any]] = {event_type(cls).plural: [] for cls in types}
    dropped: list[DroppedRecord] = []
    drafts: list[DraftAnswer] = []
    for number, ((start, end), part) in enumerate(parts, 1):
        for record in part.events:
            events[event_type(type(record)).plural].append(_shifted(record, start))
        where = f"(chunk {number} of {chunks}, characters {start}-{end}) "
        dropped += [d.model_copy(update={"reason": where + d.reason}) for d in part.dropped]
        if part.answer is not None:
            drafts += [
                DraftAnswer(start=start + d.start, end=start + d.end, draft=d.draft)
                for d in part.answer.drafts
            ]
    events = normalise_actors(events, article)
    events = {kind: merge_duplicates(records) for kind, records in events.items()}
    first_span, first_part = parts[0]
    return ArticleSummary(
        # The headline is the article's only when the first chunk gave it.
        headline=first_part.headline if first_span[0] == whole_start else None,
        summary=_joined_summary([part for _, part in parts]),
        published=published,
        published_source=source,
        actors=index_actors(events),
        dropped=dropped,
        provenance=provenance,
        events=[record for records in events.values() for record in records],
        incomplete=bool(failed),
        failed_chunks=list(failed),
        answer=ModelAnswer(text_sha256=digest, drafts=drafts),
    )


class ChunkedJob:
    """One long article's extraction: its chunks' jobs, run concurrently, merged."""

    def __init__(
        self,
        article: str,
        spans: Sequence[Span],
        jobs: Sequence[_Job],
        *,
        published: date | None,
        source: PublishedSource,
        types: EventTypes,
        ledger: Ledger,
        digest: str,
    ) -> None:
        self.digest = digest
        self.article = article
        self.spans = list(spans)
        self.jobs = list(jobs)
        self.published = published
        self.source: PublishedSource = source
        self.types = types
        self.ledger = ledger

    def run_sync(self) -> ArticleSummary:
        """Every chunk on a small thread pool, sharing the caller's client."""

        def one(job: _Job) -> ArticleSummary | ExtractionFailed:
            try:
                return job.run_sync()
            except ExtractionFailed as exc:
                return exc

        workers = min(CHUNK_CONCURRENCY, len(self.jobs))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="newsschema") as pool:
            # Each chunk runs in a copy of the caller's context (transport settings).
            futures = [pool.submit(contextvars.copy_context().run, one, job) for job in self.jobs]
            outcomes = [future.result() for future in futures]
        return self.merge(outcomes)

    async def run_async(self) -> ArticleSummary:
        """Every chunk as a task, at most :data:`CHUNK_CONCURRENCY` at a time."""
        gate = asyncio.Semaphore(CHUNK_CONCURRENCY)

        async def one(job: _Job) -> ArticleSummary | ExtractionFailed:
            async with gate:
                try:
                    return await job.run_async()
                except ExtractionFailed as exc:
                    return exc

        outcomes = await asyncio.gather(*(one(job) for job in self.jobs))
        return self.merge(list(outcomes))

    def merge(self, outcomes: Sequence[ArticleSummary | ExtractionFailed]) -> ArticleSummary:
        """The article's summary from its chunks' summaries (or errors), in text order.

        Raises:
            ExtractionFailed: every chunk failed: the first chunk's error, its
                ``usage`` that of every chunk.
        """
        usage = Usage()
        parts: list[tuple[Span, ArticleSummary]] = []
        failed: list[FailedChunk] = []
        for span, outcome in zip(self.spans, outcomes, strict=True):
            if isinstance(outcome, ExtractionFailed):
                usage += outcome.usage
                failed.append(_failure(span, outcome))
            else:
                usage += outcome.provenance.usage
                parts.append((span, outcome))
        if not parts:
            first = outcomes[0]
            assert isinstance(first, ExtractionFailed)
            first.usage = usage
            first.add_note(
                f"every one of the {len(outcomes)} chunks of this long article failed; "
                "this is the first chunk's error"
            )
            raise first
        first_part = parts[0][1]
        provenance = first_part.provenance.model_copy(
            update={
                "usage": usage,
                "validation_attempts": max(p.provenance.validation_attempts for _, p in parts),
                "duration_seconds": round(time.monotonic() - self.ledger.started, 3),
                "created_at": datetime.now(UTC),
            }
        )
        return merge_parts(
            self.article, parts, failed, chunks=len(self.spans), whole_start=self.spans[0][0],
            published=self.published, source=self.source, types=self.types,
            provenance=provenance, digest=self.digest,
        )  # fmt: skip
