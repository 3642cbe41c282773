"""Web crawls: the HTML pages of a WARC file (Common Crawl's news crawl, a site's own crawl).

Each HTML response (``WARC-Type: response`` with HTTP 200 and an HTML
``Content-Type``, or a ``resource`` record holding HTML) becomes one article: its
id and url the record's ``WARC-Target-URI``, its text the page as crawled (the
main text is extracted when it is summarised), and ``crawled`` the record's
``WARC-Date``, the publication date when the page gives none. Every other record
is skipped and counted by why. Reading needs warcio (``pip install 'newsschema[html]'``).
"""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newsschema._errors import ConfigurationError, InputError
from newsschema._text import HTML_HINT

from ._fetch import decode_body, is_page_type

__all__ = ["WARC_SUFFIXES", "WarcContents", "WarcPage", "is_warc", "read_warc"]

WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: Path) -> bool:
    """Whether a file is named as a WARC file, compressed or not."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def _starts_as_warc(handle: Any) -> bool:
    """Whether the file's first record starts ``WARC/`` (inside gzip, if compressed)."""
    head = handle.read(512)
    handle.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=handle) as inner:
                head = inner.read(5)
        except (OSError, EOFError):
            return False
        finally:
            handle.seek(0)
    return bool(head.lstrip()[:5] == b"WARC/")


@dataclass(frozen=True)
class WarcPage:
    """One HTML response of a WARC file.

    Attributes:
        uri: its ``WARC-Target-URI``.
        html: the page as crawled, decoded.
        crawled: the date of its ``WARC-Date``, or None.
        record: its position in the file (1 = the first record).
    """

    uri: str
    html: str
    crawled: date | None
    record: int


@dataclass
class WarcContents:
    """What a WARC file held: its HTML pages, and the other records, counted.

    Attributes:
        pages: one per HTML response, in the file's order.
        skipped: records left out, by why: ``"request"``, ``"metadata"`` (any
            record type that is not a response), ``"HTTP 404"`` (a response other
            than 200), ``"not HTML (application/pdf)"``, ``"duplicate URI"`` (a
            later record of a URI already read), ``"undecodable"``.
    """

    pages: list[WarcPage] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def describe(self, path: Path) -> str:
        """One line: how many pages were read and what was skipped."""
        skipped = sum(self.skipped.values())
        line = f"{path}: {len(self.pages):,} HTML page(s) read"
        if skipped:
            kinds = ", ".join(f"{n:,} {why}" for why, n in self.skipped.most_common())
            line += f"; {skipped:,} record(s) skipped ({kinds})"
        return line


def _iterator_class() -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise ConfigurationError(
            f"reading WARC files needs warcio, which is not installed: {HTML_HINT}"
        ) from None
    return ArchiveIterator


def _warc_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _page_of(record: Any) -> tuple[str | None, str | None]:
    """(content type, why skipped) of a record."""
    kind = record.rec_type
    if kind == "response":
        http = record.http_headers
        if http is None:
            return None, "response without HTTP headers"
        status = http.get_statuscode()
        if status != "200":
            return None, f"HTTP {status}"
        content_type = http.get_header("Content-Type") or ""
    elif kind == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None, str(kind)
    if not is_page_type(content_type):
        shown = content_type.split(";")[0].strip() or "no Content-Type"
        return None, f"not HTML ({shown})"
    return content_type, None


def read_warc(path: str | Path) -> WarcContents:
    """The HTML pages of a WARC file (``.warc``, or ``.warc.gz`` compressed per record).

    Raises:
        InputError: the file is missing or not a WARC file.
        ConfigurationError: warcio is not installed (the ``html`` extra).
    """
    path = Path(path)
    contents = WarcContents()
    seen: set[str] = set()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    with handle:
        iterator = _iterator_class()
        if not _starts_as_warc(handle):
            raise InputError(
                f"{path}: not a readable WARC file (it does not start with a WARC record); "
                "give a .warc or .warc.gz file as crawlers write them"
            )
        records = iterator(handle)
        try:
            for number, record in enumerate(records, start=1):
                content_type, why = _page_of(record)
                uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
                if why is None and not uri:
                    why = "no WARC-Target-URI"
                if why is None and uri in seen:
                    why = "duplicate URI"
                if why is not None:
                    contents.skipped[why] += 1
                    continue
                assert content_type is not None
                text = decode_body(record.content_stream().read(), content_type)
                if text is None:
                    contents.skipped["undecodable"] += 1
                    continue
                seen.add(uri)
                crawled = _warc_date(record.rec_headers.get_header("WARC-Date"))
                contents.pages.append(WarcPage(uri, text, crawled, number))
        except Exception as exc:
            if isinstance(exc, InputError | ConfigurationError):
                raise
            raise InputError(
                f"{path}: not a readable WARC file ({type(exc).__name__}: {exc}); give a "
                ".warc or .warc.gz file as crawlers write them"
            ) from None
    return contents
