"""Finding the publication date in the article, and reading one the caller passes.

Papers print the publication date in a few set places: a dateline opening the story,
a labelled line ("Published 18 September 2023", "Updated: ..."), a byline, or a date
on a line of its own in the page header. A date inside a sentence of the story is an
event's (a trial, an attack, a birth), never the publication's: none is read.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from newsschema._errors import InputError

from ._lexicon import _RAW_DAY, _RAW_MON, _RAW_WD
from ._rules import _written_day

__all__ = ["coerce_published", "find_published"]


def coerce_published(published: object) -> date | None:
    """A publication date from a date, datetime or ISO string (None: unknown)."""
    if published is None or (isinstance(published, str) and not published.strip()):
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if isinstance(published, str):
        try:
            return datetime.fromisoformat(published.strip()).date()
        except ValueError:
            pass
    raise InputError(
        f"published must be a date, datetime or ISO 8601 string like '2023-09-18'; "
        f"got {published!r}"
    )


_WRITTEN_DATE = re.compile(
    rf"\b{_RAW_WD}(?:{_RAW_MON}\s+{_RAW_DAY},?\s+[12]\d{{3}}"
    rf"|{_RAW_DAY}\s+(?:of\s+)?{_RAW_MON},?\s+[12]\d{{3}})(?!\d)"
    r"|(?<![\d-])[12]\d{3}-[01]\d-[0-3]\d(?![\d-])",
    re.IGNORECASE,
)
# Each word of a place capitalised: "WASHINGTON", "New York", "Port-au-Prince".
_PLACE = r"[A-Z][A-Za-z.'\-]*(?:\s+[A-Z][A-Za-z.'\-]*){0,3}"
_DATELINE_DATE = (
    rf"(?P<date>(?i:{_RAW_WD}(?:{_RAW_MON}\s+{_RAW_DAY}|{_RAW_DAY}\s+{_RAW_MON})"
    r"(?:,?\s+[12]\d{3})?))"
)
_DASH = r"(?:\u2014|\u2013|--?)"
_DATELINES = (
    # "WASHINGTON, Sept. 18 (Reuters) -", "BEIJING, Dec 4 -": the place, a comma, the
    # date, then the agency or a dash.
    re.compile(rf"^{_PLACE},(?:\s+{_PLACE},)?\s+{_DATELINE_DATE}(?=\s*(?:\(|{_DASH}|$))"),
    # "MOSCOW — Monday, Sept 18, 2023": the place in capitals, a dash, the date.
    re.compile(
        rf"^[A-Z][A-Z.'\-]*(?:\s+[A-Z][A-Z.'\-]*){{0,3}}(?:,\s+{_PLACE})?\s*{_DASH}\s*"
        rf"{_DATELINE_DATE}(?=\s*(?:\(|:|{_DASH}|$))"
    ),
)
_LABEL = (
    r"(?i:(?P<label>(?:first\s+)?published|posted|(?:last\s+)?(?:updated|modified)|dated?)"
    r"(?:\s+on)?)"
)
_NAME = r"[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3}"
_SEPARATOR = r"[|,:\u2022\u00b7\u2014\u2013-]"
# What may stand before the date on a header line: nothing, a label, a byline, or a
# byline and a label ("By Jane Doe | Published").
_BEFORE_HEADER_DATE = re.compile(
    rf"^(?:(?i:by)\s+{_NAME}(?:\s*(?:,|&|and)\s*{_NAME})*\s*{_SEPARATOR}?\s*)?"
    rf"(?:{_LABEL}\s*{_SEPARATOR}?\s*)?"
    # "First published Mon 18 Sep 2023": a weekday abbreviated in a header line.
    r"(?i:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?)?\s*$"
)
# ... and after it: at most a clock time and a time zone ("10:32 BST", "T09:30:00Z").
_AFTER_HEADER_DATE = re.compile(
    rf"^\s*(?:{_SEPARATOR}|\bat\b)?\s*"
    r"(?:T?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|\(?[A-Z]{2,5}(?:[+-]\d{1,2})?\)?)?\s*$",
    re.IGNORECASE,
)
# A year alone on a labelled line ("Updated 2023"): the year of a yearless dateline.
_HEADER_YEAR = re.compile(rf"^(?:{_LABEL}\s*{_SEPARATOR}?\s*)?(?P<year>[12]\d{{3}})\s*$")
_HEADER_LINES = 5


def _explicit_day(text: str) -> date | None:
    """The day a date written out in full names, or None."""
    try:
        return _written_day(text)
    except Exception:  # noqa: BLE001
        # find_published never raises, like resolve_time: a bug in a rule costs the
        # anchor, not the article.
        return None


def _header_date(line: str) -> tuple[date, bool] | None:
    """The date of a header line, and whether it is only an update's; None for any
    other line (a headline, a sentence of the story)."""
    for match in _WRITTEN_DATE.finditer(line):
        before = _BEFORE_HEADER_DATE.match(line[: match.start()].strip())
        if before is None or not _AFTER_HEADER_DATE.match(line[match.end() :]):
            continue
        found = _explicit_day(match.group())
        if found is not None:
            label = (before["label"] or "").lower()
            return found, "updated" in label or "modified" in label
    return None


def _dateline_date(line: str, header_years: list[str]) -> date | None:
    """The date of a dateline opening the line; a yearless one takes the year of a
    header line, and is skipped without one."""
    for pattern in _DATELINES:
        dateline = pattern.match(line)
        if dateline is None:
            continue
        written = dateline["date"]
        if not re.search(r"[12]\d{3}$", written):
            if not header_years:
                return None
            written = f"{written}, {header_years[0]}"
        return _explicit_day(written)
    return None


def find_published(text: str) -> tuple[date, Literal["article header"]] | None:
    """The publication date an article states in its header or dateline.

    Read only where papers print it, on the first few lines: a dateline opening
    the story ("WASHINGTON, Sept. 18 (Reuters) -", "MOSCOW — Monday, Sept 18,
    2023"), a labelled line or byline ("Published 18 September 2023, 10:32 BST",
    "By A. Writer | Sept. 18, 2023"), or a date on a line of its own ("Monday,
    December 4, 2023", a scraped page's header). A yearless dateline takes its
    year from such a line ("Updated 2023"), and is skipped without one. A date
    in the story's sentences is never taken: articles date past events
    ("the attacks of September 11, 2001"), so a wrong anchor is worse than
    none. "Published" wins over "Updated" when the header gives both.

    Args:
        text: the article as plain text.

    Returns:
        ``(date, "article header")``, or None when the header states no date;
        relative times then stay unresolved unless the caller passes
        ``published=``. Never raises.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()][:_HEADER_LINES]
    header_years = [y["year"] for line in lines if (y := _HEADER_YEAR.match(line))]
    updated: date | None = None
    for line in lines:
        found = _header_date(line)
        if found is not None and not found[1]:
            return found[0], "article header"
        if found is not None:
            updated = updated or found[0]
            continue
        dated = _dateline_date(line, header_years)
        if dated is not None:
            return dated, "article header"
    return (updated, "article header") if updated is not None else None
