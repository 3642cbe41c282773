"""Transport retries: what is transient, how long to wait, and the error when it never clears.

These retries never reach the model: they repeat the same request. Validation
re-asks (a new request carrying the validation errors) live in ``_summarize``.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsschema._errors import ProviderError, RateLimitError, RetriesExhaustedError

if TYPE_CHECKING:
    from tenacity import RetryCallState

__all__ = ["RetryPolicy"]

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})

#: Set in a Retrying's statistics when the article's deadline, not the policy, ended it.
DEADLINE_STOP = "newsschema_deadline_stop"

#: Every transport retry is logged here at WARNING as it happens (the CLI shows them).
retry_log = logging.getLogger("newsschema.retry")


@dataclass(frozen=True)
class RetryPolicy:
    """How transient provider failures (408/409/429/5xx, connection errors, timeouts) are retried.

    Attributes:
        max_attempts: HTTP attempts per request, the first included (retries + 1).
        max_time: seconds after which no new attempt starts; a wait that would end
            past it is not begun.
        initial_wait: first backoff in seconds, doubled on each retry ...
        max_wait: ... up to this many seconds. Also caps a server's ``Retry-After``.
        jitter: up to this many random seconds added to each computed backoff.
        timeout: seconds one HTTP attempt may take in all, from sending the request
            to the last byte of the answer (not per read: a server that trickles
            bytes is cut off at this bound too).
        max_response_bytes: the largest answer accepted, counted after
            decompression while it is read; a larger one is a
            ``MalformedResponseError``, and memory stays bounded.
    """

    max_attempts: int = 5
    max_time: float = 120.0
    initial_wait: float = 1.0
    max_wait: float = 60.0
    jitter: float = 1.0
    timeout: float = 120.0
    max_response_bytes: int = 32 * 2**20

    def __post_init__(self) -> None:
        if self.max_response_bytes < 1:
            raise ValueError("max_response_bytes must be at least 1")
        if self.max_attempts < 1:
            raise ValueError("max_attempts counts the first attempt too; it must be at least 1")
        for name in ("max_time", "initial_wait", "max_wait", "jitter", "timeout"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    def backoff(self, retry_number: int) -> float:
        """Exponential backoff with jitter before retry ``retry_number`` (1-based)."""
        base = min(self.max_wait, self.initial_wait * 2.0 ** (retry_number - 1))
        return base + random.uniform(0, self.jitter)  # noqa: S311 - jitter, not crypto


# Replaced by tests to observe waits without sleeping.
def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _asleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def _headers(exc: BaseException) -> Any:
    response = getattr(exc, "response", None)
    return getattr(response, "headers", None)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: str) -> float | None:
    """Durations as OpenAI's ``x-ratelimit-reset-*`` headers write them (``6m0s``, ``20ms``),
    or bare seconds (``1.5``)."""
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)


def wait_from_headers(
    headers: Any, *, rate_limited: bool = True, message: str = ""
) -> float | None:
    """Seconds a response's headers ask the client to wait.

    ``retry-after-ms``, then ``Retry-After`` (seconds or an HTTP date); failing
    both, when rate limited, the ``x-ratelimit-reset-*`` header of the limit the
    error ``message`` names ("... on tokens per min"), else the later of the two.
    """
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    if (value := headers.get("retry-after")) is not None:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, when.timestamp() - time.time())
    if rate_limited:
        lowered = message.lower()
        named = [kind for kind in ("requests", "tokens") if f"on {kind}" in lowered]
        names = [f"x-ratelimit-reset-{kind}" for kind in named or ("requests", "tokens")]
        resets = [parse_duration(str(headers.get(name))) for name in names if headers.get(name)]
        known = [r for r in resets if r is not None]
        if known:
            return max(known)
    return None


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait before repeating the request that raised ``exc``."""
    headers = _headers(exc)
    if headers is None:
        return None
    return wait_from_headers(
        headers,
        rate_limited=status_of(exc) == 429,
        message=str(getattr(exc, "message", "")),
    )


def status_of(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_transient(exc: BaseException) -> bool:
    """A failure worth repeating the same request for."""
    import openai

    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    if isinstance(exc, openai.APITimeoutError):
        return True
    if isinstance(exc, openai.APIConnectionError):
        # Only real network faults; anything else under the SDK (a bug, a test
        # double refusing a request) is not made better by repeating it.
        import httpx2

        return isinstance(exc.__cause__, httpx2.TransportError)
    import httpx2

    # Raised outside the SDK's own handling: while it reads an error body, or by
    # our deadline on an attempt.
    return isinstance(exc, httpx2.TransportError)


def make_wait(policy: RetryPolicy) -> Any:
    """A tenacity wait: the server's ``Retry-After`` when given, else exponential backoff."""

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after(exc) if exc is not None else None
        if asked is not None:
            return min(asked, policy.max_wait)
        return policy.backoff(state.attempt_number)

    return wait


def describe_failure(exc: BaseException, url: str = "") -> str:  # noqa: PLR0911 - one per kind
    """One transient failure in words, with where it happened: "connection refused at URL"."""
    import openai

    where = f" at {url}" if url else ""
    status = status_of(exc)
    if status is not None:
        return f"HTTP {status}{where}"
    cause: BaseException | None = exc
    if isinstance(exc, openai.APIConnectionError) and exc.__cause__ is not None:
        cause = exc.__cause__
    import httpx2

    text = str(cause) if cause is not None else ""
    if isinstance(cause, httpx2.ConnectTimeout):
        return f"connection timed out{where}"
    if isinstance(cause, httpx2.TimeoutException) or isinstance(exc, openai.APITimeoutError):
        detail = f" ({text})" if text and "timed out" not in text.lower() else ""
        return f"timed out{where}{detail}"
    if isinstance(cause, httpx2.ConnectError):
        lowered = text.lower()
        if "refused" in lowered:
            return f"connection refused{where}"
        if "name or service" in lowered or "nodename" in lowered or "resolve" in lowered:
            return f"host not found{where} ({text})"
        return f"could not connect{where} ({text or type(cause).__name__})"
    if isinstance(cause, httpx2.RemoteProtocolError):
        return f"the server closed the connection mid-answer{where}"
    name = type(cause).__name__ if cause is not None else type(exc).__name__
    return f"{name}{where}" + (f" ({text})" if text else "")


def tenacity_kwargs(
    policy: RetryPolicy, *, asynchronous: bool, deadline: float | None = None, url: str = ""
) -> dict[str, Any]:
    """Retrying arguments; ``deadline`` (``time.monotonic()``) also stops before a wait past it.

    Each retry is logged on ``newsschema.retry`` before its wait.
    """
    from tenacity import retry_if_exception, stop_after_attempt, stop_before_delay

    # Looked up at call time so tests can replace the module's _sleep/_asleep.
    def sleep(seconds: float) -> Any:
        return (_asleep if asynchronous else _sleep)(seconds)

    from tenacity.stop import stop_base

    class past_deadline(stop_base):
        def __call__(self, state: RetryCallState) -> bool:
            upcoming = state.upcoming_sleep or 0.0
            if deadline is not None and time.monotonic() + upcoming >= deadline:
                state.retry_object.statistics[DEADLINE_STOP] = True
                return True
            return False

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if exc is None:  # pragma: no cover - only failures are retried
            return
        wait = state.upcoming_sleep or 0.0
        retry_log.warning(
            "retrying: %s (attempt %d of %d failed), next in %.1f s",
            describe_failure(exc, url), state.attempt_number, policy.max_attempts, wait,
            extra={"newsschema_attempt": state.attempt_number, "newsschema_wait": wait},
        )  # fmt: skip

    return {
        "before_sleep": before_sleep,
        "stop": stop_after_attempt(policy.max_attempts)
        | stop_before_delay(policy.max_time)
        | past_deadline(),
        "wait": make_wait(policy),
        "retry": retry_if_exception(is_transient),
        "sleep": sleep,
        "reraise": True,
    }


def _request_id(exc: BaseException) -> str | None:
    headers = _headers(exc)
    value = headers.get("x-request-id") if headers is not None else None
    return str(value) if value else None


def provider_error(exc: BaseException) -> ProviderError:
    """A non-retryable provider answer, with what the provider said."""
    import openai

    status = status_of(exc) or 0
    body = getattr(exc, "body", None)
    error = body.get("error", body) if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    if message is None and isinstance(exc, openai.APIError):
        message = exc.message
    request_id = _request_id(exc)
    hint = {
        401: "check the API key (OPENAI_API_KEY or api_key=...)",
        403: "the key has no access to this model or project",
        404: "check the model name and base_url",
    }.get(status, "the request was rejected; retrying will not help")
    parts = [f"provider answered HTTP {status}"]
    if code:
        parts.append(f"code={code}")
    if request_id:
        parts.append(f"request_id={request_id}")
    text = f"{', '.join(parts)}: {message or 'no message'} ({hint})"
    return ProviderError(
        text,
        status_code=status,
        code=str(code) if code is not None else None,
        provider_message=str(message) if message is not None else None,
        request_id=request_id,
    )


def exhausted_error(exc: BaseException, attempts: int, *, url: str = "") -> RetriesExhaustedError:
    """The error for a transient failure that outlasted the policy."""
    import httpx2
    import openai

    status = status_of(exc)
    what = describe_failure(exc, url)
    cause = exc.__cause__ if isinstance(exc, openai.APIConnectionError) else exc
    if status == 429:
        advice = "lower the request rate or raise RetryPolicy.max_time"
    elif isinstance(cause, httpx2.ConnectError):
        advice = "check that the server is running and that base_url is right"
    elif isinstance(cause, httpx2.TimeoutException) or isinstance(exc, openai.APITimeoutError):
        advice = "the server is slow or stalled; raise RetryPolicy.timeout or time_budget"
    else:
        advice = "the provider or network kept failing; try again later or raise RetryPolicy limits"
    message = f"gave up after {attempts} attempt(s); last failure: {what} ({advice})"
    if status == 429:
        asked = retry_after(exc)
        if asked is not None:
            message += f"; the server asked to wait {asked:g} s"
        return RateLimitError(
            message, attempts=attempts, last_status=status, request_id=_request_id(exc),
            retry_after=asked,
        )  # fmt: skip
    return RetriesExhaustedError(
        message, attempts=attempts, last_status=status, request_id=_request_id(exc)
    )
