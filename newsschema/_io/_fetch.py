"""Fetching web pages: one GET with timeouts, a size cap, retries and a User-Agent of its own.

The HTTP stack is the one the library already uses (httpx2). Nothing is sent to
a model here; a page that cannot be had is a :class:`FetchError` naming its URL.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from newsschema._errors import FetchError, InputError, PageTooLargeError
from newsschema._extraction import library_version, wait_from_headers
from newsschema._text import decode_page, looks_like_html

__all__ = [
    "FetchPolicy",
    "FetchedPage",
    "decode_body",
    "fetch_page",
    "is_page_type",
    "is_url",
    "user_agent",
]

#: Statuses worth asking again for: the server is busy or failing for now.
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_URL = re.compile(r"\Ahttps?://[^\s/]+", re.IGNORECASE)


def is_url(value: str) -> bool:
    """Whether a command-line argument or a line of a list is an http(s) address."""
    return bool(_URL.match(value.strip()))


def user_agent() -> str:
    """The User-Agent sent with every fetch: newsschema, its version, where to read about it."""
    return (
        f"newsschema/{library_version()} (+https://github.com/newsschema/newsschema; "
        "news article event extraction)"
    )


@dataclass(frozen=True)
class FetchPolicy:
    """How pages are fetched.

    Attributes:
        timeout: seconds one attempt may take in all, connecting to the last byte.
        max_bytes: the largest page accepted, counted while it is read (after
            decompression); a larger one is a :class:`PageTooLargeError`.
        max_attempts: attempts per page, the first included (retries + 1): a
            connection failure, a timeout or HTTP 408/425/429/5xx is tried again.
        initial_wait: seconds before the first retry, doubled on each (a server's
            ``Retry-After`` instead, up to ``max_wait``).
        max_wait: the longest wait between attempts.
        user_agent: the ``User-Agent`` header; default names newsschema and its version.
    """

    timeout: float = 20.0
    max_bytes: int = 10 * 2**20
    max_attempts: int = 3
    initial_wait: float = 1.0
    max_wait: float = 30.0
    user_agent: str = field(default_factory=user_agent)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts counts the first attempt too; it must be at least 1")
        if self.max_bytes < 1 or self.timeout <= 0:
            raise ValueError("max_bytes and timeout must be positive")


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page.

    Attributes:
        url: the address asked for.
        final_url: where the page was found, after redirects.
        text: the page decoded (HTML, or plain text for a ``text/plain`` answer).
        status_code: the HTTP status of the answer (200 ...).
        content_type: its ``Content-Type`` without parameters, or None.
        fetched_at: when the answer came in (UTC).
    """

    url: str
    final_url: str
    text: str
    status_code: int
    content_type: str | None
    fetched_at: datetime


# Replaced by tests to observe waits without sleeping.
def _sleep(seconds: float) -> None:
    time.sleep(seconds)


class _Retry(Exception):  # a signal inside this module, never raised out of it
    def __init__(self, error: FetchError, wait: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def decode_body(data: bytes, content_type: str) -> str | None:
    """An HTTP body as text: the header's charset, else the page's own, else UTF-8; or None."""
    charset = _charset(content_type)
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a header that lies: the page's own declaration, or detection
    if looks_like_html(data) or content_type.lower().startswith(_PAGE_TYPES):
        return decode_page(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def is_page_type(content_type: str | None) -> bool:
    """Whether a ``Content-Type`` is a web page's (HTML or XHTML)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind.startswith(_PAGE_TYPES)


def _decode(data: bytes, content_type: str, url: str) -> str:
    text = decode_body(data, content_type)
    if text is None:
        raise FetchError(
            f"{url} answered text that is not UTF-8 and names no charset; save the page and "
            "pass its text",
            url=url,
        )
    return text


def _read(response: Any, url: str, policy: FetchPolicy, deadline: float) -> bytes:
    import httpx2

    length = response.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > policy.max_bytes:
        raise PageTooLargeError(
            f"{url} is {int(length):,} bytes, over the cap of {policy.max_bytes:,} bytes "
            "(max_bytes=...); a news article's page is far smaller: check the address",
            url=url,
            status_code=response.status_code,
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise PageTooLargeError(
                f"{url} is larger than the cap of {policy.max_bytes:,} bytes (max_bytes=...); "
                "it was not read further",
                url=url,
                status_code=response.status_code,
            )
        chunks.append(chunk)
        if time.monotonic() > deadline:  # a server that trickles bytes is cut off too
            raise httpx2.ReadTimeout("the page took longer than the timeout")
    return b"".join(chunks)


def _attempt(client: Any, url: str, policy: FetchPolicy, deadline: float) -> FetchedPage:
    import httpx2

    try:
        with client.stream("GET", url, headers=_headers(policy)) as response:
            status = response.status_code
            if status in RETRY_STATUS:
                wait = wait_from_headers(response.headers, rate_limited=False)
                raise _Retry(FetchError(f"{url} answered HTTP {status}", url=url,
                                        status_code=status), wait)  # fmt: skip
            if status >= 400:
                raise FetchError(
                    f"{url} answered HTTP {status} {response.reason_phrase}; check the address "
                    "(a page behind a login or a paywall cannot be fetched: save it and pass "
                    "the file)",
                    url=url,
                    status_code=status,
                )
            content_type = response.headers.get("content-type", "")
            kind = content_type.split(";")[0].strip().lower() or None
            if kind is not None and not (kind.startswith(_PAGE_TYPES) or kind == "text/plain"):
                raise FetchError(
                    f"{url} is not a web page (Content-Type {kind}); newsschema reads HTML "
                    "pages and plain text",
                    url=url,
                    status_code=status,
                )
            data = _read(response, url, policy, deadline)
            return FetchedPage(
                url=url,
                final_url=str(response.url),
                text=_decode(data, content_type, url),
                status_code=status,
                content_type=kind,
                fetched_at=datetime.now(UTC),
            )
    except httpx2.TimeoutException:
        message = f"fetching {url} timed out after {policy.timeout:g} s (timeout=...)"
        raise _Retry(FetchError(message, url=url), None) from None
    except httpx2.TooManyRedirects:
        raise FetchError(f"{url} redirects too many times", url=url) from None
    except httpx2.TransportError as exc:
        detail = str(exc) or type(exc).__name__
        raise _Retry(FetchError(f"could not fetch {url} ({detail})", url=url), None) from None


def _headers(policy: FetchPolicy) -> dict[str, str]:
    return {
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
    }


def _check(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InputError(f"{url!r} is not an http(s) URL; give one like https://example.org/a")
    return url


def fetch_page(url: str, *, policy: FetchPolicy | None = None, client: Any = None) -> FetchedPage:
    """Fetch one web page.

    Args:
        url: an ``http://`` or ``https://`` address.
        policy: timeouts, size cap, retries, User-Agent (see :class:`FetchPolicy`).
        client: a ready ``httpx2.Client`` to send with (its own settings apply,
            the User-Agent is added); default a fresh one per call.

    Returns:
        The page, decoded; give its ``text`` to ``summarize``.

    Raises:
        InputError: ``url`` is not an http(s) address.
        PageTooLargeError: the page is over ``policy.max_bytes``.
        FetchError: no connection, a timeout or HTTP 408/429/5xx after every
            attempt, another HTTP error, or an answer that is not a page.
    """
    import httpx2

    url = _check(url)
    policy = policy or FetchPolicy()
    own = client is None
    if own:
        client = httpx2.Client(
            timeout=httpx2.Timeout(policy.timeout), follow_redirects=True, max_redirects=10
        )
    try:
        started = time.monotonic()
        for attempt in range(1, policy.max_attempts + 1):
            try:
                deadline = time.monotonic() + policy.timeout
                return _attempt(client, url, policy, deadline)
            except _Retry as retry:
                if attempt == policy.max_attempts:
                    error = retry.error
                    raise type(error)(
                        f"{error} ({attempt} attempt(s) in {time.monotonic() - started:.1f} s)",
                        url=url,
                        status_code=error.status_code,
                    ) from None
                backoff = policy.initial_wait * 2.0 ** (attempt - 1) + random.uniform(0, 0.5)  # noqa: S311
                _sleep(min(retry.wait if retry.wait is not None else backoff, policy.max_wait))
        raise AssertionError("not reached")  # pragma: no cover
    finally:
        if own:
            client.close()
