"""Client-side rate limiting for many concurrent articles: requests and tokens per minute.

The limiter gates every HTTP request to ``/chat/completions``, not every article:
transport retries and validation re-asks are requests the provider counts too.
It sits in the openai client's ``httpx2`` event hooks (see :func:`install_hooks`),
which see each request before it is sent and each response's status and headers.

Two limits hold at once:

- **Spacing** (GCRA): request starts are spread at ``window / rpm`` seconds, and
  tokens at ``window / tpm`` seconds a token, so the rate is smooth, with no burst
  at the start of a window that a provider enforcing per-second quanta would reject.
- **A sliding window**: never more than ``rpm`` requests, or ``tpm`` estimated
  tokens, start in any ``window`` seconds (a lone request above ``tpm`` still goes).

And it adapts to the server: a 429 pauses every request for as long as the
server asks (``retry-after-ms``, ``Retry-After`` or ``x-ratelimit-reset-*``) and
slows the configured rate by 10% (recovering on successes); a response whose
``x-ratelimit-remaining-requests``/``-tokens`` shows the limit spent pauses new
requests until the server frees room (from ``x-ratelimit-reset-*``).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from functools import cache, lru_cache
from typing import Any

from newsschema._errors import RateLimitError
from newsschema._extraction import (
    current_limits,
    estimate_tokens,
    parse_duration,
    wait_from_headers,
)

__all__ = ["RateLimiter", "estimate_tokens", "install_hooks", "request_tokens", "token_counter"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

#: Completion tokens assumed for a request that sets no ``max_tokens``.
DEFAULT_COMPLETION_TOKENS = 1000
#: Longest pause a server's answer can impose on every request at once.
MAX_PAUSE = 120.0


@cache
def token_counter(model: str) -> Callable[[str], int]:
    """Tokens in a text: tiktoken's count when installed and loadable, else the library's estimate.

    tiktoken downloads its encodings on first use; offline, that fails and the
    library's deliberately generous estimate (:func:`estimate_tokens`) is used.
    """
    try:
        tiktoken = importlib.import_module("tiktoken")  # optional: not a dependency
    except ImportError:
        return estimate_tokens
    try:
        try:
            encoding = tiktoken.encoding_for_model(model)
        except KeyError:
            encoding = tiktoken.get_encoding("o200k_base")
        encoding.encode("probe")
    except Exception:  # noqa: BLE001 - any failure to load (offline, proxy) means: fall back
        return estimate_tokens

    def count(text: str) -> int:
        return len(encoding.encode(text, disallowed_special=()))

    return count


def request_tokens(
    body: Mapping[str, Any], count: Callable[[str], int], *, size: int | None = None
) -> int:
    """Tokens a chat request is charged against a tokens-per-minute limit.

    Providers charge the prompt (messages, plus the schema or tools sent) and the
    completion allowance (``max_tokens``) when the request arrives. Message texts
    are counted; the rest of the body (schema, tools), at 4 bytes a token, from
    ``size`` (the body's length in bytes) when given.
    """
    texts: list[str] = []
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts.extend(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    if size is None:
        rest = {k: v for k, v in body.items() if k != "messages"}
        size = len(json.dumps(rest, separators=(",", ":"))) + sum(len(t) for t in texts)
    structure = max(0, size - sum(len(t) for t in texts)) // 4
    allowance = body.get("max_tokens") or body.get("max_completion_tokens")
    completion = allowance if isinstance(allowance, int) else DEFAULT_COMPLETION_TOKENS
    return sum(count(t) for t in texts) + structure + completion


def _duration(value: str | None) -> float | None:
    return parse_duration(value) if value is not None else None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def server_wait(headers: Mapping[str, str]) -> float | None:
    """Seconds a 429 asks to wait (see :func:`newsschema._retry.wait_from_headers`)."""
    return wait_from_headers(headers)


class RateLimiter:
    """Spaces requests under ``rpm`` requests and ``tpm`` tokens per ``window`` seconds.

    Args:
        rpm: requests per window; None for no request limit.
        tpm: estimated tokens per window; None for no token limit.
        window: the window in seconds (60: per minute).
        margin: fraction by which the spacing is widened, for network jitter
            between this client and the server's clock.
        clock: a monotonic clock (replaced in tests).
        sleep: an async sleep (replaced in tests).
    """

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        window: float = 60.0,
        margin: float = 0.02,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be a positive number, or None for no limit")
        if window <= 0 or margin < 0:
            raise ValueError("window must be positive and margin not negative")
        self.rpm, self.tpm, self.window, self.margin = rpm, tpm, window, margin
        self._clock, self._sleep = clock, sleep
        self._lock: asyncio.Lock | None = None
        self._next_request = float("-inf")  # GCRA: earliest start of the next request
        self._next_token = float("-inf")
        self._starts: deque[float] = deque()  # sliding window of request starts
        self._tokens: deque[tuple[float, int]] = deque()
        self._tokens_in_window = 0
        self._paused_until = float("-inf")
        self._asked = 0.0  # the last wait a server asked for, before MAX_PAUSE
        self._factor = 1.0  # < 1 after 429s: the configured rate was too optimistic
        self._last_slowdown = float("-inf")
        self._typical_tokens = 0
        #: 429 answers seen.
        self.rate_limited = 0

    def _expire(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - self.window:
            self._starts.popleft()
        while self._tokens and self._tokens[0][0] <= now - self.window:
            self._tokens_in_window -= self._tokens.popleft()[1]

    def _ready_at(self, now: float, tokens: int, pause_ends: float = float("inf")) -> float:
        """The earliest time a request of ``tokens`` may start; a server-asked pause
        counts until ``pause_ends`` at most (the caller's ``max_wait``)."""
        self._expire(now)
        ready = max(min(self._paused_until, pause_ends), now)
        if self.rpm is not None:
            ready = max(ready, self._next_request)
            cap = max(1, int(self.rpm))
            if len(self._starts) >= cap:
                ready = max(ready, self._starts[-cap] + self.window)
        if self.tpm is not None:
            ready = max(ready, self._next_token)
            excess = self._tokens_in_window + tokens - self.tpm
            for started, spent in self._tokens:
                if excess <= 0:
                    break
                ready = max(ready, started + self.window)
                excess -= spent
        return ready

    def _take(self, now: float, tokens: int) -> None:
        stretch = (1 + self.margin) / self._factor
        if self.rpm is not None:
            interval = self.window / self.rpm * stretch
            # Counted from the scheduled slot while late by less than one interval,
            # so timer overshoot does not erode the rate; the window check still holds.
            base = self._next_request if now - self._next_request < interval else now
            self._next_request = base + interval
            self._starts.append(now)
        if self.tpm is not None:
            cost = self.window / self.tpm * tokens * stretch
            base = self._next_token if now - self._next_token < cost else now
            self._next_token = base + cost
            self._tokens.append((now, tokens))
            self._tokens_in_window += tokens
        self._typical_tokens = max(self._typical_tokens, tokens)

    async def acquire(self, tokens: int = 0) -> None:
        """Wait until a request of ``tokens`` estimated tokens may start, and count it.

        Inside an attempt (see ``_transport.attempt_limits``) a pause the server
        asked for is cut to the attempt's ``max_wait``, and a wait that would end
        past the article's deadline is not begun: it raises ``RateLimitError``
        with the wait asked for, at once.
        """
        if self._lock is None:
            self._lock = asyncio.Lock()  # created on first use, inside the running loop
        limits = current_limits()
        started = self._clock()
        pause_ends = started + limits.max_wait if limits is not None else float("inf")
        async with self._lock:  # FIFO: one waiter sleeps, the rest queue behind it
            while True:
                now = self._clock()
                ready = self._ready_at(now, tokens, pause_ends)
                if ready <= now:
                    break
                if limits is not None and limits.article_deadline is not None:
                    left = limits.article_deadline - time.monotonic()
                    if ready - now > left:
                        raise self._cannot_wait(ready - now, left)
                await self._sleep(ready - now)
            self._take(now, tokens)

    def _cannot_wait(self, wait: float, left: float) -> RateLimitError:
        asked = self._asked if self._paused_until > self._clock() else None
        why = (
            f"the server asked to wait {asked:g} s (Retry-After)"
            if asked is not None
            else f"the rate limit (rpm/tpm) needs a {wait:.1f} s wait"
        )
        return RateLimitError(
            f"{why}; {max(0.0, left):.1f} s of the article's time_budget are left, so it "
            "was not sent (raise time_budget, or lower concurrency/rpm)",
            attempts=0, last_status=429 if asked is not None else None,
            retry_after=asked if asked is not None else wait,
        )  # fmt: skip

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Adapt to one response: pause after a 429 or when the server's headers show no room."""
        now = self._clock()
        if status == 429:
            self.rate_limited += 1
            wait = server_wait(headers)
            self._asked = 1.0 if wait is None else wait
            self._pause(now, self._asked)
            if now - self._last_slowdown >= 1.0:  # one slowdown per burst of 429s
                self._factor = max(0.25, self._factor * 0.9)
                self._last_slowdown = now
            return
        if 200 <= status < 300:
            self._factor = min(1.0, self._factor + 0.005)
        for kind, need in (("requests", 1), ("tokens", max(1, self._typical_tokens))):
            remaining = _number(headers.get(f"x-ratelimit-remaining-{kind}"))
            reset = _duration(headers.get(f"x-ratelimit-reset-{kind}"))
            if remaining is None or reset is None or remaining >= need:
                continue
            limit = _number(headers.get(f"x-ratelimit-limit-{kind}"))
            if limit is not None and limit > remaining:
                # The server refills continuously: `reset` frees `limit - remaining`.
                self._pause(now, min(reset, reset / (limit - remaining) * (need - remaining)))
            else:
                self._pause(now, reset)

    def _pause(self, now: float, seconds: float) -> None:
        self._paused_until = max(self._paused_until, now + min(seconds, MAX_PAUSE))


def install_hooks(
    http_client: Any,
    limiter: RateLimiter,
    *,
    model: str,
    on_request: Callable[[], None] | None = None,
    on_answer: Callable[[Any], Awaitable[None]] | None = None,
) -> Callable[[], None]:
    """Add the limiter to an ``httpx2.AsyncClient``'s event hooks; returns their removal.

    The request hook calls ``on_request`` for every request, then waits for the
    limiter before each chat completion is sent; the response hook hands status
    and headers to :meth:`RateLimiter.observe`, then the response to ``on_answer``.
    """
    count = lru_cache(maxsize=256)(token_counter(model))  # the system prompt repeats

    async def before(request: Any) -> None:
        if on_request is not None:
            on_request()
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return
        try:
            content = request.content
            body = json.loads(content)
        except Exception:  # noqa: BLE001 - an unreadable body costs only its allowance
            content, body = b"", {}
        if not isinstance(body, dict):
            body = {}
        await limiter.acquire(request_tokens(body, count, size=len(content)))

    async def after(response: Any) -> None:
        if response.request.url.path.endswith("/chat/completions"):
            limiter.observe(response.status_code, response.headers)
            if on_answer is not None:
                await on_answer(response)

    hooks = http_client.event_hooks
    hooks["request"].append(before)
    hooks["response"].append(after)
    http_client.event_hooks = hooks

    def remove() -> None:
        current = http_client.event_hooks
        current["request"] = [h for h in current["request"] if h is not before]
        current["response"] = [h for h in current["response"] if h is not after]
        http_client.event_hooks = current

    return remove
