"""Bounds on every HTTP attempt, held while the body is read: a deadline, a size cap, redaction.

httpx's ``timeout`` applies to each read, so a server that trickles one byte at a
time never trips it, and its decoders inflate a gzip body without limit. The
hooks here sit on the openai client's HTTP client and wrap each response's byte
stream while an attempt is under way (:func:`attempt_limits` marks one):

- the attempt ends at its deadline (``RetryPolicy.timeout``, or sooner when the
  article's ``time_budget`` ends first), however slowly the bytes come;
- the body, decompressed by us with a bound, may not exceed ``max_response_bytes``;
- the API key is cut out of the body and headers before anything reads them, so
  a server that echoes it cannot put it into errors, failure rows or outputs.

Outside an attempt the hooks do nothing, so a client the caller shares with other
code behaves as before.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import socket
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from newsschema._errors import MalformedResponseError

__all__: list[str] = []

REDACTED = "[redacted]"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class AttemptLimits:
    """What one HTTP attempt may take.

    Attributes:
        deadline: ``time.monotonic()`` by which the whole response must be in.
        article_deadline: the article's ``time_budget`` end, or None.
        max_wait: the longest client-side pause (rate limiter) this attempt accepts.
        max_bytes: the largest decompressed body accepted.
        secrets: values cut out of every response (the API key).
    """

    deadline: float
    article_deadline: float | None
    max_wait: float
    max_bytes: int
    secrets: tuple[str, ...] = ()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def wait_allowance(self) -> float:
        """Seconds a client-side pause may last within this attempt."""
        return max(0.0, min(self.max_wait, self.remaining()))


_CURRENT: contextvars.ContextVar[AttemptLimits | None] = contextvars.ContextVar(
    "newsschema_attempt", default=None
)


def current_limits() -> AttemptLimits | None:
    """The limits of the attempt under way in this thread or task, if any."""
    return _CURRENT.get()


@contextlib.contextmanager
def attempt_limits(limits: AttemptLimits) -> Iterator[None]:
    """Mark the HTTP requests made inside as one attempt held to ``limits``."""
    token = _CURRENT.set(limits)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret value replaced by ``[redacted]``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def secrets_of(api_key: str | None) -> tuple[str, ...]:
    """The values to redact for a client using ``api_key`` (placeholders are not secrets)."""
    if not api_key or api_key == "unused" or len(api_key) < 6:
        return ()
    return (api_key,)


# --------------------------------------------------------------------------------------
# Reading a body within the limits.


class _Inflater:
    """gzip/deflate decompression that never produces more than the cap allows."""

    def __init__(self, encoding: str | None, max_bytes: int) -> None:
        self.encoding = encoding
        self.max_bytes = max_bytes
        self.body = bytearray()
        self._raw_deflate = False
        self._zlib: Any = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()

    def _too_big(self) -> MalformedResponseError:
        size = (
            f"{self.max_bytes / 2**20:g} MB"
            if self.max_bytes >= 2**20
            else f"{self.max_bytes} bytes"
        )
        return MalformedResponseError(
            f"the provider's answer is larger than {size} once decompressed; "
            "refused (raise RetryPolicy.max_response_bytes if the server is trusted)"
        )

    def feed(self, data: bytes) -> None:
        if self._zlib is None:
            self.body += data
            if len(self.body) > self.max_bytes:
                raise self._too_big()
            return
        while data:
            room = self.max_bytes - len(self.body) + 1
            try:
                out = self._zlib.decompress(data, room)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._raw_deflate and not self.body:
                    # "deflate" is sent both zlib-wrapped and raw; try raw once.
                    self._raw_deflate = True
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise MalformedResponseError(
                    f"the provider's answer is not valid {self.encoding} data ({exc})"
                ) from None
            self.body += out
            if len(self.body) > self.max_bytes:
                raise self._too_big()
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                break

    def finish(self) -> bytes:
        if self._zlib is not None:
            if not self._zlib.eof and self.body:
                raise MalformedResponseError(
                    f"the provider's answer ends in the middle of its {self.encoding} data"
                )
            with contextlib.suppress(zlib.error):
                self.body += self._zlib.flush()
        return bytes(self.body)


def _scrub(body: bytes, secrets: tuple[str, ...]) -> bytes:
    for secret in secrets:
        if secret:
            body = body.replace(secret.encode(), REDACTED.encode())
    return body


def _timed_out(limits: AttemptLimits, started: float) -> Exception:
    import httpx2

    return httpx2.ReadTimeout(
        f"no complete answer within {limits.deadline - started:.1f} s (the body was still arriving)"
    )


class _Watchdog:
    """Shuts the response's socket at the deadline, so a blocked read returns at once."""

    def __init__(self, response: Any, limits: AttemptLimits) -> None:
        self._timer: threading.Timer | None = None
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            self._timer = threading.Timer(max(0.0, limits.remaining()), _shutdown, (sock,))
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@functools.cache
def _stream_classes() -> tuple[type[Any], type[Any]]:
    """The guarded stream classes, built on first use: httpx2 is not imported with newsschema."""
    import httpx2

    class _GuardedStream(httpx2.SyncByteStream):
        """The response's byte stream, read within the attempt's limits (sync)."""

        def __init__(
            self, inner: Any, limits: AttemptLimits, encoding: str | None, response: Any
        ) -> None:
            self._inner = inner
            self._limits = limits
            self._encoding = encoding
            self._started = time.monotonic()
            self._watchdog = _Watchdog(response, limits)

        @property
        def elapsed(self) -> Any:
            return getattr(self._inner, "elapsed", None)

        def __iter__(self) -> Iterator[bytes]:
            limits = self._limits
            inflater = _Inflater(self._encoding, limits.max_bytes)
            try:
                for chunk in self._inner:
                    if time.monotonic() >= limits.deadline:
                        raise _timed_out(limits, self._started)
                    inflater.feed(chunk)
            except Exception:
                if time.monotonic() >= limits.deadline:
                    raise _timed_out(limits, self._started) from None
                raise
            finally:
                self._watchdog.cancel()
            yield _scrub(inflater.finish(), limits.secrets)

        def close(self) -> None:
            self._watchdog.cancel()
            self._inner.close()

    class _AsyncGuardedStream(httpx2.AsyncByteStream):
        """The async twin of :class:`_GuardedStream`; the caller's task is bounded by
        ``asyncio.timeout`` too, so no watchdog thread is needed."""

        def __init__(self, inner: Any, limits: AttemptLimits, encoding: str | None) -> None:
            self._inner = inner
            self._limits = limits
            self._encoding = encoding
            self._started = time.monotonic()

        @property
        def elapsed(self) -> Any:
            return getattr(self._inner, "elapsed", None)

        async def __aiter__(self) -> AsyncIterator[bytes]:
            limits = self._limits
            inflater = _Inflater(self._encoding, limits.max_bytes)
            async for chunk in self._inner:
                if time.monotonic() >= limits.deadline:
                    raise _timed_out(limits, self._started)
                inflater.feed(chunk)
            yield _scrub(inflater.finish(), limits.secrets)

        async def aclose(self) -> None:
            await self._inner.aclose()

    return _GuardedStream, _AsyncGuardedStream


def _prepare(response: Any, limits: AttemptLimits) -> str | None:
    """Scrub the headers and take over decoding; returns the body's content encoding."""
    import httpx2

    encodings = [
        value.strip().lower()
        for value in response.headers.get_list("content-encoding", split_commas=True)
        if value.strip().lower() not in ("", "identity")
    ]
    if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
        raise MalformedResponseError(
            f"the provider's answer uses content-encoding {', '.join(encodings)!r}, "
            "which newsschema did not ask for (it accepts gzip and deflate)"
        )
    headers = [
        (name, redact(value, limits.secrets))
        for name, value in response.headers.multi_items()
        if name.lower() != "content-encoding"
    ]
    response.headers = httpx2.Headers(headers)
    return encodings[0] if encodings else None


def _on_request(request: Any) -> None:
    if current_limits() is not None:
        # Only what _Inflater can bound: no brotli or zstd bombs.
        request.headers["accept-encoding"] = "gzip, deflate"


async def _on_request_async(request: Any) -> None:
    _on_request(request)


def _on_response(response: Any) -> None:
    limits = current_limits()
    if limits is None:
        return
    encoding = _prepare(response, limits)
    response.stream = _stream_classes()[0](response.stream, limits, encoding, response)


async def _on_response_async(response: Any) -> None:
    limits = current_limits()
    if limits is None:
        return
    encoding = _prepare(response, limits)
    response.stream = _stream_classes()[1](response.stream, limits, encoding)


def guard_client(client: Any, *, asynchronous: bool) -> None:
    """Install the attempt hooks on an openai client's HTTP client (once)."""
    http = getattr(client, "_client", None)
    hooks = getattr(http, "event_hooks", None)
    if http is None or hooks is None:
        return
    before = _on_request_async if asynchronous else _on_request
    after = _on_response_async if asynchronous else _on_response
    if before in hooks["request"]:
        return
    # First, so the rate limiter and the caller's hooks see the scrubbed response.
    hooks["request"].insert(0, before)
    hooks["response"].insert(0, after)
    http.event_hooks = hooks
