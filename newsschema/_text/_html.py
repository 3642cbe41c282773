"""Web pages: telling HTML from plain text, and extracting a page's main text and metadata.

The extraction is trafilatura's (boilerplate dropped, entities decoded, one paragraph
a line); the publication date is htmldate's, read from the markup only (meta tags,
JSON-LD, ``<time>``), never guessed from the body or a copyright line. Both come
with the ``html`` extra and are imported on first use.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from newsschema._errors import ConfigurationError, InputError
from newsschema._records import WebPage

__all__ = ["HTML_HINT", "decode_page", "extract_page", "looks_like_html"]

HTML_HINT = "pip install 'newsschema[html]'"
#: Fewer words than this is no article: what trafilatura keeps of a page of menus only.
MIN_WORDS = 5

# A page starts, after a BOM, blanks and comments, with a doctype or an HTML element;
# plain text never does. Fragments (a scraper's "<p>...</p>" output) count too.
_HTML_START = re.compile(
    r"\A(?:\ufeff)?\s*(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h[1-6]"
    r"|header|nav|table|ul|ol|span|a|br|img|figure|blockquote)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_XML_PROLOG = re.compile(r"\A(?:\ufeff)?\s*<\?xml[^>]*\?>", re.IGNORECASE)
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.I)
_OG_LOCALE = re.compile(
    r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*[\"']([A-Za-z_-]+)", re.I
)


def looks_like_html(text: str | bytes | bytearray) -> bool:
    """Whether an article is an HTML page or fragment rather than plain text.

    Only the start is read: a doctype, ``<html>``, ``<head>``, ``<body>`` or a
    common element, after blanks, comments or an XML prolog.
    """
    head = bytes(text[:4096]).decode("utf-8", "ignore") if not isinstance(text, str) else text
    return bool(_HTML_START.match(_XML_PROLOG.sub("", head[:4096], count=1)))


def _modules() -> tuple[Any, Any]:
    try:
        import htmldate
        import trafilatura
    except ImportError as exc:
        raise ConfigurationError(
            f"this article is an HTML page; reading web pages needs trafilatura ({exc.name} "
            f"is not installed): {HTML_HINT}, or pass the article's plain text"
        ) from None
    return trafilatura, htmldate


def decode_page(data: bytes) -> str:
    """A page's bytes as text, in the encoding its markup declares (else detected)."""
    trafilatura, _ = _modules()
    text: str = trafilatura.utils.decode_file(data)
    return text


def _language(html: str, found: str | None) -> str | None:
    if found:
        return found
    match = _LANG.search(html[:8192]) or _OG_LOCALE.search(html[:20000])
    return match.group(1).replace("_", "-") if match else None


def _page_date(htmldate: Any, html: str, url: str | None) -> date | None:
    try:
        found = htmldate.find_date(html, extensive_search=False, original_date=True, url=url)
    except Exception:  # noqa: BLE001 - a date the markup does not give cleanly is no date
        return None
    if not found:
        return None
    try:
        return date.fromisoformat(str(found))
    except ValueError:
        return None


def extract_page(page: str | bytes, *, url: str | None = None) -> WebPage:
    """A page's main text and metadata.

    Args:
        page: the HTML (bytes are decoded as the page declares).
        url: where the page came from, if known; helps trafilatura and htmldate, and
            is the page's ``url`` when the markup names no canonical one.

    Raises:
        ConfigurationError: trafilatura is not installed (the ``html`` extra).
        InputError: the page has no main text to extract.
    """
    trafilatura, htmldate = _modules()
    html = decode_page(page) if isinstance(page, bytes) else page
    where = f" at {url}" if url else ""
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - a page trafilatura cannot parse is bad input
        raise InputError(
            f"the HTML page{where} could not be read ({type(exc).__name__}: {exc}); "
            "pass the article's plain text instead"
        ) from None
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(text.split()) < MIN_WORDS:
        found = f": only {text[:60]!r}" if text else ""
        raise InputError(
            f"the HTML page{where} has no main text to extract{found} (menus, scripts or "
            "markup only, or an empty page); check that it is the article's page, or pass "
            "the article's plain text"
        )

    def meta(name: str) -> str | None:
        value = getattr(document, name, None)
        return str(value).strip() or None if value else None

    return WebPage(
        text=text,
        title=meta("title"),
        url=meta("url") or url,
        author=meta("author"),
        language=_language(html, meta("language")),
        site=meta("sitename"),
        published=_page_date(htmldate, html, url),
    )
