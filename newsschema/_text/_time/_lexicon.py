"""Words of time expressions: months, weekdays, seasons, holidays, number words,
and the cleaning that reduces an expression to the core the rules read."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from ._calendar import _date, _easter, _election_day, _OutOfRange, _thanksgiving

Modifier = Literal["START", "MID", "END", "APPROX"]


# The parts of a day. TimeML can write one (``...TNI``), but annotated news gives
# the day for most of them (12 of 21 on the benchmark corpus, which scores 5 items
# lower with the suffix), and users group events by date: "Friday night" resolves
# to the Friday.
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night", "tonight", "overnight"})


_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SEASON_CODES = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7, "eighty": 8,
    "ninety": 9,
}  # fmt: skip
_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "twenty first": 21, "twenty second": 22,
}  # fmt: skip

_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# The same, without named groups, for searching running text.
_RAW_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_RAW_WD = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_RAW_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[12]\d{3})"
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WD_PREFIX = (
    r"(?:(?:this coming |this |next |last )?"
    r"(?P<pwd>monday|tuesday|wednesday|thursday|friday|saturday|sunday),? )?"
)
_COUNT = (
    r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|a couple of|a few|few|several|many|some)"
)
_RAW_COUNT = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty)"
)
_RAW_UNIT = r"(?:day|week|month|year|decade)"
_VAGUE_COUNTS = {"a few", "few", "several", "many", "some"}
_MAX_COUNT_DIGITS = 10
_UNIT = r"(?P<unit>day|week|weekend|month|quarter|year|decade|century)s?"


def _count(word: str) -> int | None:
    """A count written as digits or words ("two", "a"); None for vague ones ("several")."""
    if word.isdigit():
        # Ten digits of days already reach past the calendar; int() would refuse a
        # few thousand digits with a ValueError.
        if len(word.lstrip("0")) > _MAX_COUNT_DIGITS:
            raise _OutOfRange
        return int(word)
    if word in {"a", "an"}:
        return 1
    if word == "a couple of":
        return 2
    if word in _VAGUE_COUNTS:
        return None
    return _UNITS.get(word) or _TEENS.get(word) or _TENS[word] * 10


def _below_hundred(words: list[str]) -> int | None:
    if len(words) == 1:
        word = words[0]
        if word in _UNITS or word in _TEENS:
            return _UNITS.get(word) or _TEENS[word]
        return _TENS[word] * 10 if word in _TENS else None
    if len(words) == 2 and words[0] in _TENS and words[1] in _UNITS:
        return _TENS[words[0]] * 10 + _UNITS[words[1]]
    return None


def _spoken_year(text: str) -> int | None:
    """Years read out in broadcast transcripts: 'nineteen ninety six', 'two thousand one'."""
    words = [w for w in text.split() if w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = words[2:]
        below = _below_hundred(rest) if rest else 0
        return None if below is None else 2000 + below
    if len(words) >= 2 and words[0] in {"eighteen", "nineteen", "twenty"}:
        if words[1] in {"oh", "o"}:
            unit = _UNITS.get(words[2]) if len(words) == 3 else None
            return None if unit is None else _TEENS[words[0]] * 100 + unit
        below = _below_hundred(words[1:])
        if below is not None and below >= 10:
            return (_TEENS.get(words[0]) or 20) * 100 + below
    return None


_DAY_WORDS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "overnight": 0, "tomorrow": 1,
    "the day before yesterday": -2, "day before yesterday": -2, "the day after tomorrow": 2,
    "day after tomorrow": 2, "today and tomorrow": 0,
}  # fmt: skip


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas": lambda y: _date(y, 12, 25),
    "christmas day": lambda y: _date(y, 12, 25),
    "christmas eve": lambda y: _date(y, 12, 24),
    "new year day": lambda y: _date(y, 1, 1),
    "new year eve": lambda y: _date(y, 12, 31),
    "thanksgiving": _thanksgiving,
    "thanksgiving day": _thanksgiving,
    "easter": _easter,
    "easter sunday": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "halloween": lambda y: _date(y, 10, 31),
    "valentine day": lambda y: _date(y, 2, 14),
    "election day": _election_day,
}


# Expressions that name the present, the past or the future as a whole.

_PRESENT = {
    "now", "right now", "just now", "currently", "current", "at present", "present",
    "presently", "these days", "nowadays", "at the moment", "this time", "the present",
    "the moment", "for now", "time being", "the time being", "already", "yet", "so far",
    "to date", "as yet",
}  # fmt: skip
_PAST = {
    "recently", "recent", "lately", "past", "previously", "formerly", "once", "earlier",
    "before", "in the past", "more recently", "recent years", "recent months",
    "recent weeks", "recent days", "past years", "past months", "past weeks", "past days",
    "then current", "at the time", "the time", "in those days", "back then",
    "recent weeks and months", "recent months and years", "years past", "the old days",
    "long ago", "some time ago", "a while ago", "a while back",
    "previous years", "prior years", "earlier years", "in recent years",
}  # fmt: skip
_FUTURE = {
    "soon", "future", "near future", "the future", "the near future", "later", "eventually",
    "shortly", "in due course", "a later date", "later date", "as soon as possible",
    "coming days", "coming weeks", "coming months", "coming years", "coming quarters",
    "future quarters", "future years", "upcoming", "in the coming months", "near term",
    "short term", "the near term", "the short term", "next few years", "next few months",
    "the next few years", "the next few months", "years to come", "months to come",
    "soon afterward", "before long", "in the years ahead", "years ahead", "months ahead",
    "weeks ahead", "days ahead", "the years ahead", "the months ahead",
}  # fmt: skip


# --------------------------------------------------------------------------------------
# Normalising the expression.

_DECADE_SHAPE = r"(?:(?:1\d|20)\d0 ?'?s|'\d0 ?s|\d0s)"
_TIME_OF_DAY = re.compile(
    r"\b(?:at )?(?:\d{1,2}(?::\d{2})? ?(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2})"
    r"(?: (?:edt|est|cdt|cst|mdt|mst|pdt|pst|gmt|utc|bst|cet|cest))?|\b(?:at )?(?:noon|midnight)\b"
)
# A clock time written with a day ("9 a.m. Tuesday", "Friday at 14:30", "noon
# Wednesday") is kept in the value as TimeML writes it (2000-04-04T09:00), in the
# local time the article states; the rules read the rest. "midnight" is left out:
# which day it closes or opens is not settled by the words.
_CLOCK = re.compile(
    r"(?<![\w:.])(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))? ?(?:(?P<am>a\.?m\b\.?)|(?P<pm>p\.?m\b\.?))"
    r"|(?<![\w:.])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])|\b(?P<noon>noon)\b"
)


def _clock_time(expression: str) -> str | None:
    """The clock time an expression writes, as ``HH:MM``, or None."""
    found = _CLOCK.search(expression.lower())
    if found is None:
        return None
    if found["noon"]:
        return "12:00"
    if found["h24"]:
        return f"{int(found['h24']):02d}:{found['m24']}"
    hour = int(found["h"])
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if found["pm"] else 0)
    return f"{hour:02d}:{found['m'] or '00'}"


_PREPOSITIONS = re.compile(
    r"^(?:on|in|at|during|by|since|until|till|from|as of|as early as|as late as|as recently as"
    r"|through|throughout|for|of|over|beginning|starting|sometime|some time|so far|as)\s+"
)
# "in two weeks" is a date to come, not "two weeks": keep the "in".
_IN_COUNT = re.compile(rf"^(?:in|within) {_COUNT} {_UNIT}")
_MODIFIERS: list[tuple[re.Pattern[str], Modifier | None]] = [
    (re.compile(r"^(?:about|around|approximately|roughly|circa)\s+"), "APPROX"),
    (re.compile(r"\s+or so\b"), "APPROX"),
    (re.compile(r"^(?:nearly|almost|just|only|fully|exactly)\s+"), None),
    (re.compile(r"^(?:early|the beginning of|beginning of|the start of|start of)\s+"), "START"),
    (re.compile(r"^(?:mid|the middle of|middle of)\s+"), "MID"),
    (re.compile(r"^(?:late|the end of|end of|the close of|close of|the latter part of)\s+"), "END"),
    # "year end", "year-end", "year's end"
    (re.compile(r"(?<=year) end$"), "END"),
    # Half of a decade or century is written as that decade with a modifier ("the last
    # half of the '80s" is 198); half of a year is a value of its own (1989-H2).
    (re.compile(rf"^(?:the )?(?:first|early) half of (?=(?:the )?{_DECADE_SHAPE}$)"), "START"),
    (
        re.compile(rf"^(?:the )?(?:last|second|latter) half of (?=(?:the )?{_DECADE_SHAPE}$)"),
        "END",
    ),
    # A part of a period is annotated with the period's value: "a good part of 1990",
    # "much of the year", "the rest of the month".
    (
        re.compile(
            r"^(?:(?:a )?(?:good |large |big )?(?:part|portion) of|much of|most of|all of"
            r"|the rest of|rest of|the remainder of|the bulk of)\s+"
        ),
        None,
    ),
    # An open-ended range is annotated with the value of its named end: "1994 or
    # later", "1990 and beyond", "post-1959".
    (re.compile(r"\s+(?:or|and) (?:later|earlier|beyond|after|before|thereafter)$"), None),
    (re.compile(r"^(?:pre|post)\s+(?=[12]\d{3}$)"), None),
]
# "a strong fourth quarter", "a flat second quarter": the article and one adjective
# before a named quarter or half say nothing about when.
_QUALIFIED_PERIOD = re.compile(
    r"^an? [a-z]+ (?=(?:first|second|third|fourth|1st|2nd|3rd|4th) (?:fiscal )?(?:quarter|half)$)"
)
_DROP_LEADING = re.compile(r"^(?:the|its|their|his|her|our|earlier|later)\s+(?=\S)")


_SPOKEN_YEAR = re.compile(
    r"\b(?:(?:eighteen|nineteen|twenty) (?:(?:oh|o) [a-z]+|[a-z]+ [a-z]+|[a-z]+)"
    r"|two thousand(?: and)?(?: [a-z]+){0,2})\b"
)


# "March eighth" → "March 8"; _MON's group names are reused, so compile it on its own.
_SPELLED_DAY = re.compile(
    rf"\b{_MON} (?P<ord>"
    + "|".join(sorted((k for k in _ORDINALS if not k[0].isdigit()), key=len, reverse=True))
    + r")\b"
)


def _spoken_year_digits(match: re.Match[str]) -> str:
    """'nineteen ninety six' → '1996' where the words spell a year (broadcast transcripts)."""
    words = match.group().split()
    # The longest run of words from the start that spells a year, the rest kept.
    for end in range(len(words), 1, -1):
        year = _spoken_year(" ".join(words[:end]))
        if year is not None:
            return " ".join([str(year), *words[end:]])
    return match.group()


def _clean(expression: str) -> str:
    """Lower case, without quotes, clock times, abbreviation dots, possessives, hyphens."""
    text = expression.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[\"\u201c\u201d`]", " ", text)
    text = _TIME_OF_DAY.sub(" ", text)
    text = re.sub(r"\.(?!\d)", " ", text)  # abbreviation dots; keep 18.09.2023
    text = re.sub(r"(?<=[a-z0-9])'s\b", "", text)  # "Friday's", "this year's"
    text = re.sub(r"(?<=[a-z])-(?=[a-z0-9'])|(?<=\d)-(?=[a-z])", " ", text)
    text = _SPOKEN_YEAR.sub(_spoken_year_digits, text)
    text = _SPELLED_DAY.sub(lambda m: f"{m['mon']} {_ORDINALS[m['ord']]}", text)
    return re.sub(r"^[,;:!?()\[\]\s]+|[,;:!?()\[\]\s]+$", "", " ".join(text.split()))


# A count given as a range ("a year or two", "two or three weeks") is a vague count,
# written here as "a few" so that the rules read it as they read "a few years".
_COUNT_RANGE = re.compile(
    rf"\b(?:{_RAW_COUNT} (?P<unit>{_RAW_UNIT})s? (?:or|to) {_RAW_COUNT}(?: (?P=unit)s?)?"
    rf"|{_RAW_COUNT} (?:or|to) {_RAW_COUNT} (?P<unit2>{_RAW_UNIT})s?)\b"
)


def _normalise(text: str) -> tuple[str, Modifier | None]:
    """The core of a cleaned expression, without prepositions, and its TIMEX3 modifier."""
    modifier: Modifier | None = None
    text = _COUNT_RANGE.sub(lambda m: f"a few {m['unit'] or m['unit2']}s", text)
    changed = True
    while changed:
        before = text
        if not _IN_COUNT.match(text):
            text = _PREPOSITIONS.sub("", text)
        for pattern, mod in _MODIFIERS:
            text, found = pattern.subn("", text)
            if found and mod is not None:
                modifier = mod
        text = _DROP_LEADING.sub("", _QUALIFIED_PERIOD.sub("", text))
        changed = text != before
    return text, modifier
