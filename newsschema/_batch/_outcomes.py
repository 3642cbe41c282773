"""What a batch run gives back: one Outcome per article, a Failure when it failed, stats."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from newsschema._io import Article
from newsschema._records import ArticleSummary
from newsschema._usage import Usage

__all__ = ["BatchStats", "Failure", "Outcome"]


class Failure(BaseModel):
    """Why an article has no summary.

    Attributes:
        type: the error's class name (``RateLimitError``, ``InvalidAnswerError`` ...).
        message: the error's message.
        usage: tokens spent on the article before it failed.
        status_code: the provider's HTTP status, when the error carries one.
    """

    model_config = ConfigDict(frozen=True)

    type: str
    message: str
    usage: Usage = Field(default_factory=Usage)
    status_code: int | None = None

    @classmethod
    def of(cls, exc: BaseException) -> Failure:
        """The failure of an exception, with the tokens it says were spent."""
        status = getattr(exc, "status_code", None) or getattr(exc, "last_status", None)
        return cls(
            type=type(exc).__name__,
            message=str(exc),
            usage=_spent(exc),
            status_code=status if isinstance(status, int) else None,
        )


def _spent(exc: BaseException) -> Usage:
    """The tokens an exception reports: its ``usage``, else that of the errors it wraps.

    Every ``ExtractionFailed`` carries ``usage``; any other exception may too, or
    may have been raised from one (``raise ... from``), whose spending still counts.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        usage = getattr(current, "usage", None)
        if isinstance(usage, Usage) and usage != Usage():
            return usage
        current = current.__cause__ or current.__context__
    return Usage()


class Outcome(BaseModel):
    """What became of one input article: a summary, or a failure.

    Attributes:
        id: the article's id.
        index: the article's position in the input.
        summary: the summary, or None when the article failed.
        error: why it failed, or None.
        cached: the summary came from the cache; no call was made.
        article: the input article (not serialised).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    index: int
    summary: ArticleSummary | None = None
    error: Failure | None = None
    cached: bool = False
    article: Article | None = Field(default=None, exclude=True, repr=False)
    _exception: BaseException | None = PrivateAttr(default=None)

    @property
    def ok(self) -> bool:
        return self.summary is not None

    @property
    def incomplete(self) -> bool:
        """A summary of a long article some of whose chunks failed (see ``failed_chunks``)."""
        return self.summary is not None and self.summary.incomplete

    @property
    def exception(self) -> BaseException | None:
        """The exception itself (``attempts``, ``request_id`` ...), in the run that raised it."""
        return self._exception

    @property
    def usage(self) -> Usage:
        """Tokens this run spent on the article (none when it came from the cache)."""
        if self.summary is not None:
            return Usage() if self.cached else self.summary.provenance.usage
        return self.error.usage if self.error is not None else Usage()


@dataclass
class BatchStats:
    """Running totals of a many-article run; pass one as ``stats=`` to read them.

    Attributes:
        total: articles given.
        skipped: articles already in the output from an earlier run (not yielded).
        succeeded: articles summarised (cached ones included).
        incomplete: of those, long articles summarised with some chunks failed.
        failed: articles that ended with an error.
        cached: summaries taken from the cache.
        usage: tokens spent by this run, failed attempts included.
        provider_batch_usage: the part of ``usage`` answered through the provider's
            Batch API (billed at its batch price).
        http_requests: HTTP requests sent (every attempt, re-ask and batch call).
        rate_limited: 429 answers received.
        failures: failed articles by error type.
        examples: one message per error type.
        elapsed: wall time in seconds, once finished.
    """

    total: int = 0
    skipped: int = 0
    succeeded: int = 0
    incomplete: int = 0
    failed: int = 0
    cached: int = 0
    usage: Usage = field(default_factory=Usage)
    provider_batch_usage: Usage = field(default_factory=Usage)
    http_requests: int = 0
    rate_limited: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    elapsed: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.usage += outcome.usage
        if outcome.summary is not None:
            self.succeeded += 1
            self.incomplete += outcome.summary.incomplete
            self.cached += outcome.cached
        elif outcome.error is not None:
            self.failed += 1
            self.failures[outcome.error.type] += 1
            self.examples.setdefault(outcome.error.type, outcome.error.message)
