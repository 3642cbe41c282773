"""Calendar arithmetic: the spans TIMEX3 values cover, and the one place dates are made.

Every date is made here, so that running off either end of the calendar (year 0,
year 10000) is an unresolved expression (``_OutOfRange``), not an exception.
"""

from __future__ import annotations

from calendar import isleap, monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from typing import Literal

from newsschema._records import Granularity


@dataclass(frozen=True)
class _Span:
    """A resolved value and the days it covers."""

    value: str
    start: date | None
    end: date | None
    granularity: Granularity | None


class _Unresolved(Exception):
    """Raised inside a rule that recognised the shape but cannot resolve it."""


class _OutOfRange(_Unresolved):
    """The period lies, wholly or partly, outside the years Python's dates cover."""

    def __init__(self) -> None:
        super().__init__(f"outside the calendar range (years {MINYEAR} to {MAXYEAR})")


def _date(year: int, month: int, day: int) -> date:
    """The date, or _Unresolved: _OutOfRange past the calendar, "no such date" inside it."""
    if not MINYEAR <= year <= MAXYEAR:
        raise _OutOfRange
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Unresolved(f"no such date: {year:04d}-{month:02d}-{day:02d}") from exc


def _plus(day: date, days: int) -> date:
    """``day`` moved by ``days`` days, or _OutOfRange."""
    try:
        return day + timedelta(days=days)
    except OverflowError as exc:  # past date.min or date.max, or a count beyond timedelta
        raise _OutOfRange from exc


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    if not MINYEAR <= year <= MAXYEAR:
        raise _OutOfRange
    return _date(year, month, monthrange(year, month)[1])


def _month_start(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return _date(year, month, 1)


def _day(day: date) -> _Span:
    return _Span(day.isoformat(), day, day, "day")


def _month(year: int, month: int) -> _Span:
    first = _month_start(year, month)
    return _Span(f"{first.year:04d}-{first.month:02d}", first, _month_end(year, month), "month")


def _week(day: date) -> _Span:
    iso = day.isocalendar()
    monday = _plus(day, -day.weekday())
    return _Span(f"{iso.year:04d}-W{iso.week:02d}", monday, _plus(monday, 6), "week")


def _weekend(saturday: date) -> _Span:
    iso = saturday.isocalendar()
    value = f"{iso.year:04d}-W{iso.week:02d}-WE"
    return _Span(value, saturday, _plus(saturday, 1), "weekend")


# Astronomical seasons (northern hemisphere), as TimeML's SP/SU/FA/WI are usually read;
# winter belongs to the year in which it starts.
_SEASONS = {"SP": ((3, 20), (6, 20)), "SU": ((6, 21), (9, 22)), "FA": ((9, 23), (12, 20))}


def _season(year: int, code: str) -> _Span:
    if code == "WI":
        return _Span(f"{year:04d}-WI", _date(year, 12, 21), _date(year + 1, 3, 19), "season")
    (m1, d1), (m2, d2) = _SEASONS[code]
    return _Span(f"{year:04d}-{code}", _date(year, m1, d1), _date(year, m2, d2), "season")


def _quarter(year: int, quarter: int) -> _Span:
    start = _month_start(year, 3 * quarter - 2)
    return _Span(f"{year:04d}-Q{quarter}", start, _month_end(year, 3 * quarter), "quarter")


def _half(year: int, half: int) -> _Span:
    start = _month_start(year, 6 * half - 5)
    return _Span(f"{year:04d}-H{half}", start, _month_end(year, 6 * half), "half")


def _year(year: int) -> _Span:
    return _Span(f"{year:04d}", _date(year, 1, 1), _date(year, 12, 31), "year")


def _decade(decade: int) -> _Span:
    """``decade`` is the year divided by ten (199 for the 1990s).

    There is no year 0: the first decade, like the first century, starts in year 1.
    """
    start, end = _date(max(decade * 10, MINYEAR), 1, 1), _date(decade * 10 + 9, 12, 31)
    return _Span(f"{decade:03d}", start, end, "decade")


def _century(century: int) -> _Span:
    """``century`` as TimeML writes it: 19 for 1900-1999 (the 20th century)."""
    start, end = _date(max(century * 100, MINYEAR), 1, 1), _date(century * 100 + 99, 12, 31)
    return _Span(f"{century:02d}", start, end, "century")


_REFS = {
    "PRESENT_REF": _Span("PRESENT_REF", None, None, None),
    "PAST_REF": _Span("PAST_REF", None, None, None),
    "FUTURE_REF": _Span("FUTURE_REF", None, None, None),
}


_PER_YEAR: dict[str, tuple[int, Callable[[int, int], _Span]]] = {
    "month": (12, _month),
    "quarter": (4, _quarter),
    "half": (2, _half),
}
_YEARS_LONG: dict[str, tuple[int, Callable[[int], _Span]]] = {
    "year": (1, _year),
    "decade": (10, _decade),
    "century": (100, _century),
}


def _shift(anchor: date, unit: str, n: int) -> _Span:
    """The period ``n`` units away from the anchor's (negative: in the past)."""
    if unit in {"day", "week"}:
        day = _plus(anchor, n * (7 if unit == "week" else 1))
        return _day(day) if unit == "day" else _week(day)
    if unit in _PER_YEAR:
        per, make = _PER_YEAR[unit]
        year, index = divmod(anchor.year * per + (anchor.month - 1) * per // 12 + n, per)
        return make(year, index + 1)
    size, make_long = _YEARS_LONG[unit]
    return make_long(anchor.year // size + n)


# Years and days of the year.


def _two_digit_year(yy: int, anchor: date | None) -> int:
    if anchor is None:
        raise _Unresolved("a two-digit year needs the publication date to fix its century")
    year = anchor.year // 100 * 100 + yy
    # A two-digit year in news is at most a few years ahead of publication.
    return year - 100 if year > anchor.year + 10 else year


def _yearly(
    month: int, day: int, anchor: date
) -> tuple[Callable[[int], _Span], Literal["past", "this"]]:
    """The occurrences of a month and day, indexed by year, for ``_pick``, and how a
    sentence without a tense cue reads.

    February 29 comes only in leap years: its occurrences are the leap years either
    side of publication (``occurrence(anchor.year + k)`` is the k-th leap year after
    the latest one up to publication). Published in a leap year, it is that year's
    unless the tense points to another; in a common year only the tense, or a leap
    day within 90 days, decides between the leap years before and after.
    """
    if (month, day) != (2, 29):
        return (lambda year: _day(_date(year, month, day))), "past"

    def leap_day(year: int) -> _Span:
        return _day(_date(_leap_year(anchor.year, year - anchor.year), 2, 29))

    return leap_day, "this" if isleap(anchor.year) else "past"


def _leap_year(year: int, steps: int) -> int:
    """The leap year ``steps`` leap years after the latest one up to ``year`` (before it
    when negative). 1900 is not a leap year: 1896 is followed by 1904."""
    leap = year
    while not isleap(leap):
        leap -= 1
    step = 4 if steps > 0 else -4
    for _ in range(abs(steps)):
        leap += step
        while not isleap(leap):
            leap += step
    return leap


# Holidays whose date moves.


def _thanksgiving(year: int) -> date:
    first = _date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _election_day(year: int) -> date:
    """US general elections: the Tuesday after the first Monday in November."""
    first = _date(year, 11, 1)
    monday = first + timedelta(days=(0 - first.weekday()) % 7)
    return monday + timedelta(days=1)


def _easter(year: int) -> date:
    from dateutil.easter import easter

    if not MINYEAR <= year <= MAXYEAR:
        raise _OutOfRange
    return easter(year)
