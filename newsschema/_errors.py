"""The exceptions newsschema raises.

Every error the library raises on purpose derives from :class:`NewsschemaError`::

    NewsschemaError
    ├── ConfigurationError        the caller's setup: no API key, no model, bad option
    ├── InputError                the caller's article: empty, whitespace-only, not text
    │   ├── StoredAnswerError     a stored answer cannot be reprocessed (none stored, the
    │   │                         text changed, the schema moved incompatibly); ``.reason``
    │   └── GoldSetError          a gold file for ``newsschema eval`` is missing or invalid
    ├── OutputError               an output file cannot be written (read-only, disk full,
    │                             not a newsschema output); ``.path`` names it
    ├── LocalServerError          building or starting the local model server failed
    │                             (``newsschema.local_llm``)
    ├── CassetteMismatchError     a cassette cannot answer a request (``newsschema.testing``;
    │                             an ``AssertionError`` too, so pytest shows a failure)
    ├── FetchError                a web page could not be fetched (no connection, timeout,
    │   │                         HTTP error after retries, not a page); ``.url`` names it
    │   └── PageTooLargeError     ... the page is larger than the size cap
    └── ExtractionFailed          a runtime failure; carries the usage spent so far
        ├── ProviderError         the provider refused the request (non-retryable 4xx)
        ├── RetriesExhaustedError transient failures (429/5xx/timeouts) outlasted the policy
        │   └── RateLimitError    ... and the last of them was a 429
        ├── MalformedResponseError the provider's answer could not be read at all
        ├── BudgetExceededError   the article's token or time budget ran out
        ├── TruncatedOutputError  the model stopped at max_tokens mid-answer
        ├── RefusalError          the model refused to answer
        └── InvalidAnswerError    the answers never passed validation

Caller mistakes (``ConfigurationError``, ``InputError``) are raised before any
HTTP request is made; so is an ``OutputError`` whenever the problem can be seen
before the run starts. No message, ``repr`` or attribute holds the API key.

A cache never stops work: a cache that cannot be read or written is reported
with a :class:`NewsschemaWarning` and the run goes on without it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ._usage import Usage

__all__ = [
    "BudgetExceededError",
    "ConfigurationError",
    "ExtractionFailed",
    "FailedAttempt",
    "FetchError",
    "GoldSetError",
    "InputError",
    "InvalidAnswerError",
    "LocalServerError",
    "MalformedResponseError",
    "NewsschemaError",
    "NewsschemaWarning",
    "OutputError",
    "PageTooLargeError",
    "ProviderError",
    "RateLimitError",
    "RefusalError",
    "RetriesExhaustedError",
    "StoredAnswerError",
    "StoredAnswerReason",
    "TruncatedOutputError",
]


class NewsschemaError(Exception):
    """Base class of every error newsschema raises on purpose."""


class NewsschemaWarning(RuntimeWarning):
    """Something went wrong that costs time or money but not results (a cache set aside).

    A ``RuntimeWarning``: filter it with ``warnings.filterwarnings("ignore",
    category=RuntimeWarning, module="newsschema")`` or by this class.
    """


class OutputError(NewsschemaError):
    """A file newsschema writes its results to cannot be used.

    The directory is read-only or missing under a regular file, the disk is full,
    the database cannot be opened, or the file holds lines that are not newsschema
    results (say, the input feed given as the output by mistake). Raised before the
    run starts whenever the problem can be seen then; a failure mid-run leaves every
    article finished before it in the file, so running again resumes.

    Attributes:
        path: the file (or directory) that could not be written.
    """

    def __init__(self, message: str, *, path: str | os.PathLike[str]) -> None:
        super().__init__(message)
        self.path = Path(path)


class ConfigurationError(NewsschemaError):
    """The library is not set up to make a call (missing key, model, bad option)."""


class InputError(NewsschemaError, ValueError):
    """The article given cannot be summarised (empty, whitespace-only, not a string)."""


StoredAnswerReason = Literal[
    "no_answer", "failed", "no_text", "text_changed", "unknown_type", "incompatible", "unreadable"
]


class StoredAnswerError(InputError):
    """A summary cannot be rebuilt from what the model answered (``newsschema.reprocess``).

    Attributes:
        reason: ``no_answer`` (written before answers were stored, or by hand),
            ``failed`` (the extraction failed: there is no answer), ``no_text`` (the
            line holds no article text: pass ``articles=``), ``text_changed`` (the
            text's SHA-256 is not the one the answer was made for), ``unknown_type``
            (an event type of the answer is not defined: import it),
            ``incompatible`` (the stored answer does not fit the installed schema and
            cannot be migrated: summarise the article again), ``unreadable`` (not a
            newsschema summary).
        article_id: the article, when known.
        path: the file, when the answer was read from one.
        line: the line number in ``path``.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: StoredAnswerReason,
        article_id: str | None = None,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reason: StoredAnswerReason = reason
        self.article_id = article_id
        self.path = Path(path) if path is not None else None
        self.line = line


class GoldSetError(InputError):
    """A gold file is missing, unreadable or invalid; the message names the file and field."""


class LocalServerError(NewsschemaError, RuntimeError):
    """A build step or the local model server failed; the message names the command and output."""


class FetchError(NewsschemaError):
    """A web page could not be fetched; nothing was sent to the model.

    Attributes:
        url: the address asked for.
        status_code: the last HTTP status the server answered, or None (no answer).
    """

    def __init__(self, message: str, *, url: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status_code = status_code


class PageTooLargeError(FetchError):
    """The page is larger than the size cap (``max_bytes``); it was not read further."""


class ExtractionFailed(NewsschemaError):
    """A call was made but no valid summary came back.

    Attributes:
        usage: tokens spent by every attempt made before the failure.
    """

    def __init__(self, message: str, *, usage: Usage | None = None) -> None:
        super().__init__(message)
        from ._usage import Usage

        self.usage: Usage = usage if usage is not None else Usage()


class ProviderError(ExtractionFailed):
    """The provider answered with an error that retrying cannot fix (400, 401, 403, 404, 422).

    Attributes:
        status_code: the HTTP status.
        code: the provider's error code, e.g. ``"invalid_api_key"``, when it sent one.
        provider_message: the provider's own message.
        request_id: the ``x-request-id`` header, to quote to the provider's support.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        provider_message: str | None = None,
        request_id: str | None = None,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, usage=usage)
        self.status_code = status_code
        self.code = code
        self.provider_message = provider_message
        self.request_id = request_id


class RetriesExhaustedError(ExtractionFailed):
    """Transient failures went on past the retry policy's attempts or time.

    Attributes:
        attempts: HTTP attempts made for the call that failed.
        last_status: HTTP status of the last attempt, or None for a connection error or timeout.
        request_id: ``x-request-id`` of the last response, when there was one.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        last_status: int | None,
        request_id: str | None = None,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, usage=usage)
        self.attempts = attempts
        self.last_status = last_status
        self.request_id = request_id


class RateLimitError(RetriesExhaustedError):
    """The provider kept answering 429 (rate limit or quota) until the policy gave up,
    or asked for a pause that does not fit in the article's ``time_budget``.

    Attributes:
        retry_after: the wait in seconds the server last asked for, when it said.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        last_status: int | None,
        request_id: str | None = None,
        usage: Usage | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, attempts=attempts, last_status=last_status, request_id=request_id, usage=usage
        )
        self.retry_after = retry_after


class MalformedResponseError(ExtractionFailed):
    """The provider answered, but not with a chat completion the SDK can read.

    Seen with proxies and half-compatible servers; the cause is chained.
    """


class TruncatedOutputError(ExtractionFailed):
    """The model hit its output-token limit before finishing the JSON (``finish_reason: length``).

    Raise ``max_tokens`` or shorten the article.
    """


class RefusalError(ExtractionFailed):
    """The model refused to answer. ``refusal`` holds its text."""

    def __init__(self, message: str, *, refusal: str, usage: Usage | None = None) -> None:
        super().__init__(message, usage=usage)
        self.refusal = refusal


@dataclass(frozen=True)
class FailedAttempt:
    """One model answer that did not pass validation.

    Attributes:
        attempt: 1-based number of the validation attempt.
        errors: the validation errors, one line each, as sent back to the model.
        raw_output: the model's answer as received.
    """

    attempt: int
    errors: tuple[str, ...]
    raw_output: str | None


class InvalidAnswerError(ExtractionFailed):
    """The model's answers never passed validation within ``max_validation_attempts``.

    Attributes:
        attempts: every failed attempt with its errors and raw output.
        last_raw_output: the last answer received.
    """

    def __init__(
        self, message: str, *, attempts: list[FailedAttempt], usage: Usage | None = None
    ) -> None:
        super().__init__(message, usage=usage)
        self.attempts = attempts
        self.last_raw_output = attempts[-1].raw_output if attempts else None


class BudgetExceededError(ExtractionFailed):
    """The article's budget ran out before a valid answer came.

    Attributes:
        budget: ``"tokens"`` (``token_budget``) or ``"time"`` (``time_budget``).
        limit: the budget that was set.
        attempts: the failed answers received before the budget ran out.
    """

    def __init__(
        self,
        message: str,
        *,
        budget: str,
        limit: float,
        attempts: list[FailedAttempt],
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, usage=usage)
        self.budget = budget
        self.limit = limit
        self.attempts = attempts
