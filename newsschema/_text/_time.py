"""Time expressions as written, resolved against the publication date.

The model copies time expressions verbatim ("last weekend", "on Monday"); this
module turns them into TIMEX3 values (TimeML's normal form) with the first and
last day they cover. Hand-written rules cover the shapes news uses; dateparser
reads complete dates written in forms the rules do not know.

Where the words leave a choice open, the sentence decides: its tense picks the
past or the coming Friday (a news sentence without a future marker reports the
past), and a month and day without a year is the nearest such date when one lies
within 90 days (a bare month: when it is the month before or after publication, or
when the sentence has no tense cue). Words the sentence writes around a clipped
expression complete it ("a year" before "earlier", "25" in "April 24 and 25").
What neither the words nor the sentence settle (a weekday with no sentence, "that
day" with no date before it, "05/06/2023") stays unresolved, and ``When.reason``
says why. A part of the day resolves to its day ("Friday night" → the Friday); a
clock time written with a day keeps TimeML's value ("9 a.m. Tuesday" →
``...T09:00``), at granularity day. February 29 is the one of the publication
year when that is a leap year, else the leap year before or after as the tense
says. Any text and any anchor give a When: a period running past year 1 or year
9999 is unresolved ("outside the calendar range"), and so is a day that does not
exist ("no such date").

How well this works is measured by ``benchmarks/time_accuracy.py`` against the
TimeML gold values of the TempEval-3 training corpus.
"""

from __future__ import annotations

import re
from calendar import isleap, monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import cached_property
from typing import Any, Literal

from newsschema._errors import InputError
from newsschema._records import Granularity, When

__all__ = ["find_published", "resolve_time"]

Direction = Literal["past", "future"]
Modifier = Literal["START", "MID", "END", "APPROX"]


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


# --------------------------------------------------------------------------------------
# Calendar arithmetic. Every date is made here, so that running off either end of the
# calendar (year 0, year 10000) is an unresolved expression, not an exception.


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


# The parts of a day. TimeML can write one (``...TNI``), but annotated news gives
# the day for most of them (12 of 21 on the benchmark corpus, which scores 5 items
# lower with the suffix), and users group events by date: "Friday night" resolves
# to the Friday.
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night", "tonight", "overnight"})


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


# --------------------------------------------------------------------------------------
# Words.

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


# --------------------------------------------------------------------------------------
# Direction from the sentence: did it happen, or is it to come?


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_IRREGULAR_PAST = _words(
    """said told met was were had did went came took gave made left found got saw held began
    ran won lost sent spent sold bought brought thought felt kept led fell rose struck broke
    spoke wrote became fled knew paid sought fought caught taught meant stood drew grew threw
    flew hung shot slid sank swore wore tore bore forgot forgave overtook undertook withdrew
    heard hid rode shook woke awoke stole dealt dug fed laid lent lit sat slept spun stuck
    swept swung"""
)
# Words ending in -ed that are not past tenses (or are usually adjectives in news).
_NOT_PAST = _words(
    """need indeed speed proceed exceed succeed feed seed bed red shed hundred united based
    related limited detailed interested concerned armed alleged expected scheduled proposed
    supposed embed breed bleed weed steed"""
)
# "un-" before a participle makes a negative adjective ("an unspecified date", "an
# unnamed official"); before a verb it makes a verb of undoing ("unveiled", "unearthed"),
# whose -ed form is a past like any other. These are the verbs of undoing ("under-"
# is another prefix: "undermined", "underscored" are pasts).
_UNDOING = _words(
    """unveiled unfolded uncovered unleashed unlocked unearthed unloaded unpacked unseated
    unraveled unravelled unplugged unwrapped untied unmasked unsealed unblocked unrolled
    uncorked unbuckled unbolted unchained unhooked unfurled unnerved unsettled unzipped
    unburdened"""
)


def _negative_adjective(word: str) -> bool:
    return word.startswith("un") and not word.startswith("under") and word not in _UNDOING


_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "its", "their", "his", "her", "our"})
_BE = frozenset({"be", "been", "being", "is", "are", "am", "'s", "'re", "get", "gets"})
_BE_PRESENT = frozenset({"be", "is", "are", "am", "'re"})
_HAVE_PAST = frozenset({"has", "have", "had", "was", "were", "'ve", "'d"})
# Cues for the future, some of several words, matched on the lower-cased sentence.
_FUTURE_PHRASES = re.compile(
    r"\b(?:will|shall|going to|(?:plans?|planning|planned|hopes?|hoping|intends?|intending"
    r"|aims?|aiming|prepares?|preparing|expects?|expected|scheduled|set|is|are|about|ready"
    r"|poised|slated|likely|supposed) to|to be|scheduled|is expected|are expected|would"
    r"|upcoming|(?:next|coming) (?:days?|weeks?|months?|years?)|as soon as|effective)\b"
    # Modal verbs put what they govern ahead of the moment of speaking ("might meet in
    # November", "could come as early as Tuesday"), except before "have" ("might have
    # met"), which is a past. "may" is the modal only in lower case: "May" is the month.
    r"|\b(?:might|may|should|could)\b(?! have\b| not have\b)"
)
# "could" is also the past of "can": negated, it reports what was not possible
# ("could not be reached Friday", "neither he nor ... could be located Wednesday").
_NEGATORS = frozenset({"not", "never", "neither", "nor", "no", "nobody", "none"})
_CLAUSE_BREAK = re.compile(r"[;:]|``|''|\"|\u201c|\u201d")
_TOKEN = re.compile(r"[a-z]+|'[a-z]+|\d+|[;:\"]|``|''|[\u201c\u201d]")
_CONTRACTIONS = (("won't", "will not"), ("can't", "can not"), ("n't", " not"), ("'ll", " will"))
_WINDOW = 25  # words scanned each side of the expression
# A month and day without a year ("Dec. 15") is the nearest such date when it lies
# within a quarter-year of publication: the verb of the sentence often belongs to
# the report ("extended the offer to Nov. 20"), not to the date.
_NEAREST_DAYS = 90
# A bare month name (no day) is the nearest such month when it is the one right before
# or right after the publication month: within a month of the publication date.
_ADJACENT = 31


def _tokens_with_cues(text: str) -> list[tuple[str, Direction | None]]:
    """The sentence's words, each with the direction it signals, if any."""
    lowered = text.replace("\u2019", "'")
    for short, long in _CONTRACTIONS:
        lowered = re.sub(re.escape(short), long, lowered, flags=re.IGNORECASE)
    # The month "May" is written with a capital; the modal "may" is not.
    lowered = re.sub(r"\bMay\b", "Maymonth", lowered).lower()
    future_at = {m.start(): m for m in _FUTURE_PHRASES.finditer(lowered)}
    tokens: list[tuple[str, Direction | None]] = []
    skip_until = -1
    for match in _TOKEN.finditer(lowered):
        if match.start() < skip_until:
            continue
        word = match.group()
        phrase = future_at.get(match.start())
        if phrase is not None and word == "could" and _negated(tokens, lowered[match.end() :]):
            phrase = None
        if phrase is not None:
            tokens.append((phrase.group(), "future"))
            skip_until = phrase.end()
            continue
        past = word in _IRREGULAR_PAST or (
            word.endswith("ed")
            and len(word) > 4
            and word not in _NOT_PAST
            and not _negative_adjective(word)
        )
        tokens.append((word, "past" if past else None))
    return tokens


def _negated(before: list[tuple[str, Direction | None]], after: str) -> bool:
    """Whether a negation stands right after the word, or earlier in its clause."""
    if re.match(r"\s*not\b", after):
        return True
    for word, _ in reversed(before[-8:]):
        if _CLAUSE_BREAK.fullmatch(word):
            return False
        if word in _NEGATORS:
            return True
    return False


# Words after which "to" opens an infinitive of what is agreed, planned or sought
# ("agreed to buy the unit in February", "an agreement to acquire it in January"): the
# date belongs to that infinitive, which lies after the agreement but may be past or
# to come: the tense of the report does not decide it.
_INTENDING = _words(
    """agreed agreement agreements plan plans planned plot deal deals offer offered offers
    bid bids proposal proposed decided decision voted pledged promised vowed threatened
    intended intends sought seeks wants wanted arranged scheduled program programme effort
    efforts attempt campaign"""
)


# Words after "to" that show it is a preposition ("agreed to a truce", "to Friday").
_NOT_INFINITIVES = _DETERMINERS | frozenset(_MONTHS) | frozenset(_WEEKDAYS)


def _intended(tokens: list[tuple[str, Direction | None]], i: int) -> bool:
    """Whether ``tokens[i]`` is the "to" of an infinitive after a word of intending."""
    if tokens[i][0] != "to" or i == 0 or i + 1 >= len(tokens):
        return False
    after = tokens[i + 1][0]
    infinitive = after.isalpha() and after not in _NOT_INFINITIVES
    return infinitive and tokens[i - 1][0] in _INTENDING


def _scan(
    tokens: list[tuple[str, Direction | None]], order: range
) -> Direction | Literal["open"] | None:
    """The first tense cue in ``order``; "open" when the words leave it undecided."""
    for i in order:
        word, cue = tokens[i]
        if _CLAUSE_BREAK.fullmatch(word):
            return None
        if order.step < 0 and _intended(tokens, i):
            return "open"
        # An irregular past participle after a present form of "be" is a passive
        # present, which with a date is a scheduled event ("the case is heard in May"),
        # not a past.
        if cue == "past" and word in _IRREGULAR_PAST and i > 0 and tokens[i - 1][0] in _BE_PRESENT:
            return "future"
        if cue == "past" and word not in _IRREGULAR_PAST and i > 0:
            # A participle after "be" ("will be held", "to be published") says nothing
            # by itself; after "has" or "was" it is a past. The auxiliary decides.
            before = tokens[i - 1][0].split()[-1]
            if before in _BE or before in _DETERMINERS:
                # ... and after a determiner it is an adjective ("an unspecified date").
                continue
            if before in _HAVE_PAST:
                return "past"
        if cue is not None:
            return cue
    return None


# Verbs that move a date or a deadline later: the date they move it to lies ahead.
_POSTPONING = _words(
    """postponed postpones postpone delayed delays deferred defers adjourned adjourns
    extended extends rescheduled reschedules recessed pushed put"""
)
_TO_A_LATER_DATE = frozenset({"until", "till", "to", "through", "into"})


def _postponed(before: list[tuple[str, Direction | None]]) -> bool:
    """Whether a postponing verb stands earlier in the clause ("put off", "pushed back")."""
    for i in range(len(before) - 1, max(len(before) - _WINDOW, 0) - 1, -1):
        word = before[i][0]
        if _CLAUSE_BREAK.fullmatch(word):
            return False
        if word in _POSTPONING:
            following = before[i + 1][0] if i + 1 < len(before) else ""
            return word not in {"pushed", "put"} or following in {"back", "off"}
    return False


def _direction(context: str, expression: str) -> Direction | None:
    """Past or future, from the verbs nearest the expression in its sentence.

    The verb governing a time adverbial usually stands before it ("met on Friday",
    "will meet on Friday"); a sentence-initial adverbial is governed by what follows
    ("On Friday, the talks resumed"). So look left first, then right, up to a clause
    break; the first tense cue found decides. "since" right before the expression
    means past whatever the verb; "until" with no tense cue means future, and so
    does "until", "to" or "through" after a verb that moves a date later
    ("postponed until Tuesday", "extended the loans through January").
    """
    at = context.lower().find(expression.lower())
    if at < 0:
        return None
    before = _tokens_with_cues(context[:at])
    preposition = before[-1][0] if before else ""
    if preposition == "since" or (preposition in _TO_A_LATER_DATE and _postponed(before[:-1])):
        return "past" if preposition == "since" else "future"
    tokens = before + _tokens_with_cues(context[at + len(expression) :])
    left = _scan(tokens, range(len(before) - 1, max(len(before) - _WINDOW, 0) - 1, -1))
    if left == "open":
        return None
    if left is not None:
        return left
    right = _scan(tokens, range(len(before), min(len(tokens), len(before) + _WINDOW)))
    if right is None and preposition in {"until", "till"}:
        return "future"
    return None if right == "open" else right


# --------------------------------------------------------------------------------------
# Choosing among recurring periods (a weekday, a month, a season, a quarter).

_Rel = Literal["this", "last", "next"] | None


def _relation(word: str | None) -> _Rel:
    if not word:
        return None
    if word in {"last", "past", "this past", "previous"}:
        return "last"
    if word in {"next", "coming", "this coming"}:
        return "next"
    return "this"


def _pick(
    occurrence: Callable[[int], _Span],
    current: int,
    anchor: date,
    relation: _Rel,
    request: _Request,
    *,
    unmarked: Literal["past", "this", "nearest"] = "past",
    nearest_within: int = 0,
) -> _Span:
    """One occurrence of a recurring period: ``occurrence(k)`` for k near ``current``.

    "last X" is the latest that ended before the anchor, "next X" the first that
    starts after it, "this X" the one of the anchor's week or year. A bare X is the
    one the anchor falls in. Otherwise, with ``nearest_within``, the nearer of the
    previous and the next when it is that many days away or less; then the
    sentence's tense. A sentence with no future marker reads as past (news reports
    what happened; English marks what is to come), or, with ``unmarked="this"``, as
    the occurrence of the anchor's year, or, with ``unmarked="nearest"``, as the
    nearer of the previous and the next. Without a sentence there is no telling.
    """
    candidates = []
    for k in range(current - 2, current + 3):
        try:
            candidates.append(occurrence(k))
        except _OutOfRange:
            continue  # near the ends of the calendar, some occurrences do not exist
    past = [s for s in candidates if s.end is not None and s.end < anchor]
    future = [s for s in candidates if s.start is not None and s.start > anchor]
    holding = [s for s in candidates if s not in past and s not in future]
    if relation == "last":
        return _latest(past)
    if relation == "next":
        return _earliest(future)
    if relation == "this" or holding:
        return holding[0] if holding else occurrence(current)
    before, after = _latest(past), _earliest(future)
    back = (anchor - before.end).days  # type: ignore[operator]
    ahead = (after.start - anchor).days  # type: ignore[operator]
    nearer = before if back <= ahead else after
    if nearest_within and min(back, ahead) <= nearest_within:
        return nearer
    wanted = request.direction()
    if wanted is None and unmarked != "this" and request.in_context is None:
        raise _Unresolved(
            "past or future cannot be told without the sentence; pass it as context"
            if request.context is None
            else "past or future cannot be told: the expression is not in the given sentence"
        )
    if wanted is None:
        return {"this": occurrence(current), "nearest": nearer, "past": before}[unmarked]
    return after if wanted == "future" else before


def _latest(spans: list[_Span]) -> _Span:
    if not spans:
        raise _OutOfRange
    return spans[-1]


def _earliest(spans: list[_Span]) -> _Span:
    if not spans:
        raise _OutOfRange
    return spans[0]


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


# --------------------------------------------------------------------------------------
# The rules, in order: each is a pattern on the normalised expression and a handler.

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
_ANAPHORIC = re.compile(
    r"^(?:that|the same|same|the following|following|the next|the previous|the prior|"
    r"the preceding|preceding|prior|a later|the latter|that same|the day|the night)\b"
    r"|\b(?:before|after|earlier|later) (?:that|the)\b|^(?:time|day|days|night|then)$"
    r"|^(?:next|following|previous) (?:morning|afternoon|evening|night)$"
)


@dataclass
class _Request:
    """One expression to resolve: its normalised text, the anchor and the sentence."""

    text: str
    original: str
    anchor: date | None
    context: str | None

    def need_anchor(self) -> date:
        if self.anchor is None:
            raise _Unresolved(NO_PUBLICATION_DATE)
        return self.anchor

    @cached_property
    def in_context(self) -> str | None:
        """The expression as it stands in the sentence, or None if it is not found there."""
        if not self.context:
            return None
        lowered = self.context.lower()
        for form in (self.original.strip(" .,;:"), self.text):
            if form and form.lower() in lowered:
                return form
        return None

    @cached_property
    def _marked(self) -> Direction | None:
        if self.context is None or self.in_context is None:
            return None
        return _direction(self.context, self.in_context)

    def direction(self) -> Direction | None:
        """The direction the sentence marks, or None (no sentence, or no marker)."""
        return self._marked


NO_PUBLICATION_DATE = (
    "relative to the publication date, and no publication date is known "
    "(pass published=, or --published on the command line)"
)

_Rule = Callable[[re.Match[str], _Request], "_Span | tuple[_Span, bool]"]
_RULES: list[tuple[re.Pattern[str], _Rule]] = []


def _rule(pattern: str) -> Callable[[_Rule], _Rule]:
    def register(handler: _Rule) -> _Rule:
        _RULES.append((re.compile(f"^(?:{pattern})$"), handler))
        return handler

    return register


def _explicit(span: _Span) -> tuple[_Span, bool]:
    return span, True


def _two_digit_year(yy: int, anchor: date | None) -> int:
    if anchor is None:
        raise _Unresolved("a two-digit year needs the publication date to fix its century")
    year = anchor.year // 100 * 100 + yy
    # A two-digit year in news is at most a few years ahead of publication.
    return year - 100 if year > anchor.year + 10 else year


@_rule(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:t[\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?")
def _iso_date(m: re.Match[str], r: _Request) -> tuple[_Span, bool]:
    return _explicit(_day(_date(int(m["y"]), int(m["m"]), int(m["d"]))))


@_rule(r"(?P<y>\d{4})-(?P<m>\d{2})")
def _iso_month(m: re.Match[str], r: _Request) -> tuple[_Span, bool]:
    if not 1 <= int(m["m"]) <= 12:
        raise _Unresolved(f"no such month: {m.group()}")
    return _explicit(_month(int(m["y"]), int(m["m"])))


@_rule(rf"{_WD_PREFIX}{_MON} {_DAY},? (?:{_YEAR}|'(?P<yy>\d\d))")
@_rule(rf"{_WD_PREFIX}(?:the )?{_DAY} (?:of )?{_MON},? (?:{_YEAR}|'(?P<yy>\d\d))")
def _full_date(m: re.Match[str], r: _Request) -> tuple[_Span, bool]:
    year = int(m["year"]) if m["year"] else _two_digit_year(int(m["yy"]), r.anchor)
    span = _day(_date(year, _MONTHS[m["mon"]], int(m["day"])))
    return span, m["year"] is not None


@_rule(r"(?P<mm>\d{1,2})(?P<sep>[/.-])(?P<dd>\d{1,2})(?P=sep)(?P<y>\d{4}|\d\d)")
def _numeric_date(m: re.Match[str], r: _Request) -> tuple[_Span, bool]:
    first, second = int(m["mm"]), int(m["dd"])
    if first <= 12 and second <= 12 and first != second:
        # 05/06/2023 is May 6 in the US and 5 June elsewhere.
        raise _Unresolved("day and month order is ambiguous in a numeric date")
    month, day = (first, second) if first <= 12 else (second, first)
    year = int(m["y"]) if len(m["y"]) == 4 else _two_digit_year(int(m["y"]), r.anchor)
    return _day(_date(year, month, day)), len(m["y"]) == 4


@_rule(rf"{_MON},? (?:of )?{_YEAR}")
@_rule(rf"{_YEAR} {_MON}")
def _month_year(m: re.Match[str], r: _Request) -> tuple[_Span, bool]:
    return _explicit(_month(int(m["year"]), _MONTHS[m["mon"]]))


_YEAR_REL = r"(?: (?:of )?(?P<yrel>last year|this year|next year))?"


_YEAR_OFFSETS = {"last year": -1, "this year": 0, "next year": 1}


def _relative_year(word: str | None) -> int | None:
    return None if word is None else _YEAR_OFFSETS[word]


@_rule(rf"{_WD_PREFIX}(?P<rel>this|last|next|this past|this coming)? ?{_MON} {_DAY}{_YEAR_REL}")
@_rule(rf"{_WD_PREFIX}(?:the )?{_DAY} (?:of )?{_MON}{_YEAR_REL}")
def _month_day(m: re.Match[str], r: _Request) -> _Span:
    anchor = r.need_anchor()
    month, day = _MONTHS[m["mon"]], int(m["day"])
    if day > (29 if month == 2 else _month_end(2001, month).day):
        raise _Unresolved(f"no such date: {m.group()}")
    offset = _relative_year(m["yrel"])
    if offset is not None:
        return _day(_date(anchor.year + offset, month, day))
    if m["pwd"]:
        # "Monday, Oct. 26": the year near publication in which that day is a Monday.
        weekday = _WEEKDAYS.index(m["pwd"])
        near = range(max(anchor.year - 6, MINYEAR), min(anchor.year + 7, MAXYEAR + 1))
        for year in sorted(near, key=lambda y: abs(y - anchor.year)):
            exists = isleap(year) or (month, day) != (2, 29)
            if exists and date(year, month, day).weekday() == weekday:
                return _day(date(year, month, day))
        raise _Unresolved(f"{m.group()} names a weekday that date does not fall on")
    occurrence, unmarked = _yearly(month, day, anchor)
    rel = _relation(m.groupdict().get("rel"))
    if rel == "this" and (month, day) == (2, 29) and not isleap(anchor.year):
        raise _Unresolved(
            f"no such date: {anchor.year:04d}-02-29 ({anchor.year} is not a leap year)"
        )
    return _pick(
        occurrence, anchor.year, anchor, rel, r, nearest_within=_NEAREST_DAYS, unmarked=unmarked
    )


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


@_rule(rf"(?P<rel>this|last|next|this past|this coming|past|coming)? ?{_MON}{_YEAR_REL}")
def _month_alone(m: re.Match[str], r: _Request) -> _Span:
    anchor = r.need_anchor()
    month = _MONTHS[m["mon"]]
    offset = _relative_year(m["yrel"])
    if offset is not None:
        return _month(anchor.year + offset, month)
    # The month just before or just after the publication month, named bare, is that
    # one whatever the tense ("cut its supply in September", said in August); a bare
    # month in a sentence with no tense cue is the nearer occurrence ("planning for
    # the summit in April", said in December), since news rarely names a month almost
    # a year away without "last" or "next".
    rel = _relation(m["rel"])
    return _pick(
        lambda y: _month(y, month),
        anchor.year,
        anchor,
        rel,
        r,
        nearest_within=_ADJACENT,
        unmarked="nearest",
    )


@_rule(
    rf"(?P<rel>this|last|next|this past|this coming|past|coming|previous)? ?{_WD}"
    r"(?: (?P<part>morning|afternoon|evening|night|overnight))?"
)
def _weekday(m: re.Match[str], r: _Request) -> _Span:
    anchor = r.need_anchor()
    wanted = _WEEKDAYS.index(m["wd"])
    monday = anchor - timedelta(days=anchor.weekday())  # date.min is a Monday
    rel = _relation(m["rel"])
    if rel == "this":
        found = _day(_plus(monday, wanted))
    else:
        found = _pick(lambda k: _day(_plus(monday, 7 * k + wanted)), 0, anchor, rel, r)
    return found


@_rule(r"(?P<rel>this|last|next|this past|this coming|past|coming)? ?weekend")
def _weekend_rule(m: re.Match[str], r: _Request) -> _Span:
    anchor = r.need_anchor()
    saturday = _plus(anchor, 5 - anchor.weekday())
    rel = _relation(m["rel"])
    if rel == "this" and anchor.weekday() >= 2:
        # From Wednesday on, "this weekend" is the coming one; on Monday and Tuesday
        # it may be the one just past, so the tense decides.
        return _weekend(saturday)
    if rel == "this":
        rel = None
    return _pick(lambda k: _weekend(_plus(saturday, 7 * k)), 0, anchor, rel, r)


_DAY_WORDS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "overnight": 0, "tomorrow": 1,
    "the day before yesterday": -2, "day before yesterday": -2, "the day after tomorrow": 2,
    "day after tomorrow": 2, "today and tomorrow": 0,
}  # fmt: skip


@_rule("|".join(re.escape(k) for k in sorted(_DAY_WORDS, key=len, reverse=True)))
def _relative_day(m: re.Match[str], r: _Request) -> _Span:
    day = _plus(r.need_anchor(), _DAY_WORDS[m.group()])
    return _day(day)


@_rule(
    r"(?P<base>yesterday|tomorrow)(?: (?P<part>morning|afternoon|evening|night))?"
    r"|(?:this )?(?P<part2>morning|afternoon|evening|night) (?P<base2>yesterday|today|tomorrow)"
)
def _relative_day_part(m: re.Match[str], r: _Request) -> _Span:
    day = _plus(r.need_anchor(), _DAY_WORDS[m["base"] or m["base2"]])
    return _day(day)


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


@_rule(rf"{_COUNT} {_UNIT} (?P<dir>ago|back|earlier|before now|from now|hence|later|ahead)")
@_rule(rf"(?P<dir>in|within) {_COUNT} {_UNIT}(?: time)?")
def _units_away(m: re.Match[str], r: _Request) -> _Span:
    unit, how = m["unit"], m["dir"]
    if how == "within":
        raise _Unresolved("'within' gives a deadline, not a date")
    n = _count(m["n"])
    past = how in {"ago", "back", "earlier", "before now"}
    if n is None:
        return _REFS["PAST_REF" if past else "FUTURE_REF"]
    if how in {"earlier", "later"} and unit not in {"year", "quarter"}:
        # "two days later" counts from another event in the article, not from the
        # publication date; only year-on-year comparisons ("a year earlier") are safe.
        raise _Unresolved(f"'{m.group()}' counts from another time in the article")
    anchor = r.need_anchor()
    if past and unit == "year" and n == 1:
        return _year_before(r, anchor)
    if unit in {"decade", "century"}:
        # "a decade ago" is the year ten years back, not the 1980s.
        size = 10 if unit == "decade" else 100
        return _year(anchor.year + (-n if past else n) * size)
    return _shift(anchor, "week" if unit == "weekend" else unit, -n if past else n)


_QUARTER_WORDS = re.compile(r"\b(first|second|third|fourth)[ -](?:fiscal )?quarter\b")
_QUARTER_ENDED = re.compile(rf"\bquarter ended {_MON} {_DAY}\b")
# An earnings sentence: a sum of money and a word for results.
_MONEY = re.compile(r"\$ ?\d|\b\d+(?:\.\d+)? (?:cents|pence|million|billion)\b")
_RESULTS = re.compile(r"\b(?:net|earnings|earned|revenue|sales|profit|income|loss)\b")
_LONGER_PERIOD = re.compile(
    r"\b(?:nine|six|twelve|12|first \w+) months\b|\b(?:first|second) half\b|\bfull year\b"
    r"|\b(?:fiscal )?year ended\b|\bfor the year\b|\bannual\b"
)


def _is_earnings(context: str) -> bool:
    """A sentence reporting results: a sum of money and a word for results."""
    lowered = context.lower()
    return _MONEY.search(lowered) is not None and _RESULTS.search(lowered) is not None


def _reported_quarter(context: str, anchor: date, *, quarter_named: bool) -> tuple[int, int] | None:
    """The (year, quarter) an earnings sentence reports on, or None.

    The quarter the sentence names ("third-quarter profit rose ..."), or whose end
    it gives ("the quarter ended Sept. 30"); failing those, the last quarter
    completed before publication, which is what quarterly results are about. That
    last reading needs ``quarter_named`` (the expression itself is about a quarter:
    "the year-ago quarter") or an earnings sentence that is not about a longer
    period ("net rose to $94 million from $85 million a year ago").
    """
    lowered = context.lower().replace("-", " ")
    found = {_ORDINALS[q] for q in _QUARTER_WORDS.findall(lowered)}
    if len(found) > 1:
        return None
    if found:
        quarter = found.pop()
        # Results are reported for a quarter that has begun: this year's, or last year's.
        started = (anchor.month - 1) // 3 + 1
        return (anchor.year if quarter <= started else anchor.year - 1), quarter
    ended = _QUARTER_ENDED.search(_clean(context))
    if ended is not None:
        month, day = _MONTHS[ended["mon"]], int(ended["day"])
        year = anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1
        # A fiscal quarter ending at the close of month m (or early in month m + 1, for
        # 52-week years) covers months m - 2 to m: the calendar quarter holding most of
        # it is the one of its middle month ("the quarter ended July 31" is Q2).
        last_month = month if day >= 15 else month - 1
        middle = (last_month - 2) % 12 + 1
        if middle > last_month:
            year -= 1
        return year, (middle - 1) // 3 + 1
    earnings = _is_earnings(lowered)
    if quarter_named or re.search(r"\bquarter", lowered) or earnings:
        if _LONGER_PERIOD.search(lowered):
            return None
        last = _shift(anchor, "quarter", -1)
        return last.start.year, (last.start.month - 1) // 3 + 1  # type: ignore[union-attr]
    return None


_REL_WORDS = (
    r"(?P<rel>this|last|next|current|present|coming|past|previous|"
    r"latest|most recent|recent|same|full|whole|entire)"
)


@_rule(rf"(?:{_REL_WORDS} )?(?:fiscal |calendar )?(?P<unit>week|month|quarter|year|decade|century)")
def _this_unit(m: re.Match[str], r: _Request) -> _Span:
    anchor = r.need_anchor()
    rel, unit = m["rel"], m["unit"]
    if rel == "same":
        raise _Unresolved(f"'{m.group()}' refers to another time in the article")
    if rel in {"last", "past", "previous"}:
        return _shift(anchor, unit, -1)
    if rel in {"next", "coming"}:
        return _shift(anchor, unit, 1)
    if unit == "quarter" and rel in {None, "latest", "most recent", "recent", "this"}:
        # "this quarter's loss" in a results report is the quarter reported on; outside
        # one, "this quarter" is the quarter of publication.
        if rel == "this" and not _is_earnings(r.context or ""):
            return _shift(anchor, unit, 0)
        reported = _reported_quarter(r.context or "", anchor, quarter_named=True)
        if reported is None:
            raise _Unresolved(f"'{m.group()}' refers to a quarter named elsewhere in the article")
        return _quarter(*reported)
    if rel in {"latest", "most recent", "recent"}:
        # The latest year (or month) is the last one completed: the one reported on.
        return _shift(anchor, unit, -1)
    return _shift(anchor, unit, 0)


@_rule(rf"week of {_MON} {_DAY}(?:,? {_YEAR})?")
def _week_of(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    month, day = _MONTHS[m["mon"]], int(m["day"])
    if m["year"]:
        return _explicit(_week(_date(int(m["year"]), month, day)))
    anchor = r.need_anchor()
    occurrence, unmarked = _yearly(month, day, anchor)
    span = _pick(
        occurrence, anchor.year, anchor, None, r, nearest_within=_NEAREST_DAYS, unmarked=unmarked
    )
    return _week(span.start)  # type: ignore[arg-type]


@_rule(
    r"(?P<ord>first|last) two quarters"
    r"(?: of (?:(?P<year>\d{4})|(?P<yrel>this year|last year|next year)))?"
)
def _two_quarters(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    half = 1 if m["ord"] == "first" else 2
    if m["year"]:
        return _explicit(_half(int(m["year"]), half))
    anchor = r.need_anchor()
    offset = _relative_year(m["yrel"])
    if offset is not None:
        return _half(anchor.year + offset, half)
    return _fiscal_period(_half, half, anchor, r)


@_rule(r"one day|some day|someday")
def _one_day(m: re.Match[str], r: _Request) -> _Span:
    if r.direction() == "future":
        return _REFS["FUTURE_REF"]
    raise _Unresolved(f"'{m.group()}' is a day the sentence does not place")


@_rule(
    r"(?:(?P<yrel>this year|last year|next year|fiscal (?P<y1>\d{4})|(?P<y2>\d{4})) )?"
    r"(?:fiscal |calendar )?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last) "
    r"(?:fiscal )?(?P<unit>quarter|half)"
    r"(?: (?:of |of the )?(?:fiscal |calendar )?(?:year )?(?:(?P<y3>\d{4})|(?P<yrel2>this year"
    r"|last year|next year)|fiscal (?P<y4>\d{4})))?"
)
def _ordinal_period(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    unit = m["unit"]
    count = 4 if unit == "quarter" else 2
    which = count if m["ord"] in {"final", "last"} else _ORDINALS[m["ord"]]
    if which > count:
        raise _Unresolved(f"a year has no {m['ord']} {unit}")
    make = _quarter if unit == "quarter" else _half
    explicit_year = m["y1"] or m["y2"] or m["y3"] or m["y4"]
    if explicit_year:
        return _explicit(make(int(explicit_year), which))
    anchor = r.need_anchor()
    yrel = (m["yrel"] or m["yrel2"] or "").removeprefix("fiscal ")
    if yrel:
        return make(anchor.year + _YEAR_OFFSETS[yrel], which)
    # Quarters are talked about within the fiscal year: a bare "the first quarter"
    # is this year's unless the tense says it is still to come or already gone.
    return _fiscal_period(make, which, anchor, r)


def _fiscal_period(
    make: Callable[[int, int], _Span], which: int, anchor: date, r: _Request
) -> _Span:
    """A quarter or half named without a year ("the third quarter").

    Business news talks about the periods of the current year: one that has begun
    is this year's (results are reported after it ends, so a future verb does not
    move it: "expects to report third-quarter earnings"). One still to come is this
    year's too, unless the sentence is in the past.
    """
    this_year = make(anchor.year, which)
    if this_year.start is not None and this_year.start <= anchor:
        return this_year
    return make(anchor.year - 1, which) if r.direction() == "past" else this_year


@_rule(r"q(?P<q>[1-4])(?: (?P<y>\d{4}))?|(?P<y0>\d{4}) q(?P<q0>[1-4])|h(?P<h>[12]) (?P<yh>\d{4})")
def _quarter_code(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    if m["h"]:
        return _explicit(_half(int(m["yh"]), int(m["h"])))
    quarter, year = int(m["q"] or m["q0"]), m["y"] or m["y0"]
    if year:
        return _explicit(_quarter(int(year), quarter))
    anchor = r.need_anchor()
    return _fiscal_period(_quarter, quarter, anchor, r)


@_rule(
    r"(?:the )?(?:year ago|year earlier|comparable year ago|comparable year earlier|prior year"
    r"|last year|previous year|year before)"
    r"(?: (?P<ord>first|second|third|fourth))? (?:fiscal )?(?:quarter|period)"
    r"|(?:the )?(?:corresponding|comparable|same) (?:period|quarter) (?:a year ago|last year"
    r"|a year earlier|of last year)|(?:the )?quarter a year (?:ago|earlier)"
)
def _year_ago_quarter(m: re.Match[str], r: _Request) -> _Span:
    anchor = r.need_anchor()
    if m.groupdict().get("ord"):
        which = _ORDINALS[m["ord"]]
        latest = (anchor.month - 1) // 3 + 1
        return _quarter(anchor.year - (1 if which <= latest else 2), which)
    reported = _reported_quarter(r.context or "", anchor, quarter_named=True)
    if reported is None:
        raise _Unresolved("the sentence does not say which quarter it compares with")
    return _quarter(reported[0] - 1, reported[1])


@_rule(
    r"(?P<rel>latest|most recent|recent|current|same|this year)? ?(?:fiscal )?(?:quarter|period)"
    r"|(?P<year>[12]\d{3}) (?:fiscal )?(?:quarter|period)"
)
def _reported_period(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    anchor = r.need_anchor()
    if m["rel"] in {"current", "same"}:
        raise _Unresolved(f"'{m.group()}' refers to a period named elsewhere in the article")
    reported = _reported_quarter(r.context or "", anchor, quarter_named=True)
    if reported is None and m["year"] and _LONGER_PERIOD.search((r.context or "").lower()):
        # "the 1988 period" in a sentence about nine months or a year is that year.
        return _explicit(_year(int(m["year"])))
    if reported is None:
        raise _Unresolved(f"'{m.group()}' refers to a period named elsewhere in the article")
    year = int(m["year"]) if m["year"] else reported[0]
    return _quarter(year, reported[1])


@_rule(r"year (?:ago|earlier)")
def _year_ago_adjective(m: re.Match[str], r: _Request) -> _Span:
    return _year_before(r, r.need_anchor())


def _year_before(r: _Request, anchor: date) -> _Span:
    """'a year ago': last year, or the same quarter last year in a quarterly report."""
    reported = _reported_quarter(r.context or "", anchor, quarter_named=False)
    if reported is None:
        return _year(anchor.year - 1)
    return _quarter(reported[0] - 1, reported[1])


@_rule(
    r"(?P<dir>past|last|recent|previous|prior|earlier|coming|next|future|upcoming)"
    r"(?: (?:few|several|many|couple of))? (?:days|weeks|months|quarters|years|decades)"
)
def _vague_periods(m: re.Match[str], r: _Request) -> _Span:
    future = m["dir"] in {"coming", "next", "future", "upcoming"}
    return _REFS["FUTURE_REF" if future else "PAST_REF"]


@_rule(
    rf"(?:(?P<rel>this|last|next|this past|this coming|past|coming) )?"
    r"(?P<season>spring|summer|fall|autumn|winter)"
    rf"(?: (?:of )?(?:{_YEAR}|'(?P<yy>\d\d)|(?P<yrel>last year|this year|next year)))?"
)
def _season_rule(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    code = _SEASON_CODES[m["season"]]
    if m["year"]:
        return _explicit(_season(int(m["year"]), code))
    if m["yy"]:
        return _season(_two_digit_year(int(m["yy"]), r.anchor), code)
    anchor = r.need_anchor()
    if m["yrel"]:
        return _season(anchor.year + _YEAR_OFFSETS[m["yrel"]], code)
    rel = _relation(m["rel"])
    return _pick(lambda y: _season(y, code), anchor.year, anchor, rel, r)


@_rule(r"(?:(?:the )?year |fiscal (?:year )?|calendar (?:year )?|fy ?)?(?P<y>[12]\d{3})")
def _year_number(m: re.Match[str], r: _Request) -> tuple[_Span, bool]:
    return _explicit(_year(int(m["y"])))


@_rule(r"(?:fy ?|')(?P<yy>\d\d)|(?P<bare>\d\d)")
def _short_year(m: re.Match[str], r: _Request) -> _Span:
    if m["bare"] and not _reads_as_year(m["bare"], r.context):
        raise _Unresolved(
            "a bare two-digit number is read as a year only where the sentence says so"
        )
    return _year(_two_digit_year(int(m["yy"] or m["bare"]), r.anchor))


def _reads_as_year(digits: str, context: str | None) -> bool:
    """'58' is a year where the sentence writes "'58", "in 58", "class of 58", "May 58"."""
    if not context:
        return False
    lowered = context.lower().replace("\u2019", "'")
    before = (
        r"(?:'|(?:\b(?:in|since|until|till|of|from|year|summer|spring|autumn|fall|winter|"
        + "|".join(_MONTHS)
        + r")\.? ))"
    )
    # ... and is not followed by a unit ("58 points", "58 percent").
    after = r"(?=\s*(?:[.,;:!?)'\"]|$|(?:and|or|but|when|while|after|before|until|as|with)\b))"
    return re.search(before + re.escape(digits) + r"\b" + after, lowered) is not None


@_rule(
    r"(?P<cen>1\d|20)(?P<dec>\d)0 ?'?s|'(?P<short>\d)0 ?s|(?P<word>twenties|thirties|forties|"
    r"fifties|sixties|seventies|eighties|nineties)|(?P<spoken>eighteen|nineteen|twenty) "
    r"(?P<word2>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
)
def _decade_rule(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    if m["cen"]:
        return _explicit(_decade(int(m["cen"]) * 10 + int(m["dec"])))
    if m["spoken"]:
        return _explicit(_decade(_TEENS.get(m["spoken"], 20) * 10 + _DECADE_WORDS[m["word2"]]))
    digit = int(m["short"]) if m["short"] else _DECADE_WORDS[m["word"]]
    anchor = r.need_anchor()
    # "the '90s": the latest such decade that has begun by publication.
    decade = anchor.year // 100 * 10 + digit
    return _decade(decade - 10 if decade * 10 > anchor.year else decade)


@_rule(
    r"(?P<num>\d{1,2})(?:st|nd|rd|th) century|(?P<word>first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    r"seventeenth|eighteenth|nineteenth|twentieth|twenty first|twenty second) century"
)
def _century_rule(m: re.Match[str], r: _Request) -> tuple[_Span, bool]:
    ordinal = int(m["num"]) if m["num"] else _ORDINALS[m["word"]]
    if ordinal < 1:
        raise _Unresolved("there is no 0th century")
    return _explicit(_century(ordinal - 1))


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


@_rule(r"(?:(?P<rel>this|last|next) )?(?:easter week|holy week)(?: (?P<year>[12]\d{3}))?")
def _holy_week(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    """Easter week (Holy Week): the ISO week, Monday to Sunday, that ends on Easter."""
    if m["year"]:
        return _explicit(_week(_easter(int(m["year"]))))
    anchor = r.need_anchor()
    return _pick(lambda y: _week(_easter(y)), anchor.year, anchor, _relation(m["rel"]), r)


@_rule(
    r"(?P<rel>this|last|next|this past|this coming|past|coming)? ?(?P<name>"
    + "|".join(sorted(_HOLIDAYS, key=len, reverse=True))
    + rf")(?: (?:of )?(?:{_YEAR}|(?P<yrel>last year|this year|next year)))?"
)
def _holiday(m: re.Match[str], r: _Request) -> _Span | tuple[_Span, bool]:
    when = _HOLIDAYS[m["name"]]
    if m["year"]:
        return _explicit(_day(when(int(m["year"]))))
    anchor = r.need_anchor()
    if m["yrel"]:
        return _day(when(anchor.year + _YEAR_OFFSETS[m["yrel"]]))
    return _pick(lambda y: _day(when(y)), anchor.year, anchor, _relation(m["rel"]), r)


# --------------------------------------------------------------------------------------
# dateparser, for complete dates in forms the rules do not know ("18.09.2023").

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _dateparser_explicit(expression: str) -> date | None:
    """A complete date that dateparser reads with no help from the anchor, or None."""
    # Only text that states a four-digit year can be a complete date; this also keeps
    # dateparser's relative parser ("in 2 days") out of the way.
    if not re.search(r"(?<!\d)[12]\d{3}(?!\d)", expression) or re.search(
        r"\b(?:ago|last|next|this|in \d+|yesterday|today|tomorrow)\b", expression.lower()
    ):
        return None
    import dateparser  # type: ignore[import-untyped]  # heavy: loaded on first use

    try:
        parsed = dateparser.parse(expression, languages=["en"], settings=_DATEPARSER_SETTINGS)
        if not isinstance(parsed, datetime):
            return None
        # A date that does not depend on today: parsing against two different bases agrees.
        again = dateparser.parse(
            expression,
            languages=["en"],
            settings={**_DATEPARSER_SETTINGS, "RELATIVE_BASE": datetime(1901, 6, 15)},
        )
    except (ValueError, OverflowError, ArithmeticError, LookupError):
        return None  # dateparser's own arithmetic gave up on the text: not a date it reads
    return parsed.date() if isinstance(again, datetime) and again.date() == parsed.date() else None


# --------------------------------------------------------------------------------------
# Public API.


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


# "this moment", "this crucial moment", "this critical juncture": the present.
_THIS_MOMENT = re.compile(r"^(?:at )?this (?:[a-z]+ )?(?:moment|juncture|point in time)$")


def _refs(text: str) -> _Span | None:
    if text in _PRESENT or _THIS_MOMENT.match(text):
        return _REFS["PRESENT_REF"]
    if text in _PAST:
        return _REFS["PAST_REF"]
    if text in _FUTURE:
        return _REFS["FUTURE_REF"]
    return None


def resolve_time(
    expression: str,
    published: date | datetime | str | None,
    *,
    context: str | None = None,
) -> When:
    """Resolve a time expression as written against the publication date.

    Args:
        expression: the expression as the article writes it ("last weekend",
            "on Monday", "Sept. 18, 2023", "the first quarter").
        published: the publication date (date, datetime or ISO 8601 string);
            None when unknown, in which case only complete dates resolve.
        context: the sentence the expression stands in. Its tense ("met" vs
            "will meet") decides between past and future where the expression
            alone does not ("on Friday", "in March").

    Returns:
        A :class:`When` whose ``value`` is the TIMEX3 value (``2023-09-16``,
        ``2023-W37-WE``, ``2023-SU``, ``199``, ``PAST_REF`` ...), with the first and
        last day covered, the granularity, the modifier ("early" → START, "mid" →
        MID, "late"/"the end of" → END, "about" → APPROX) and how it was resolved.
        An expression that cannot be resolved with confidence has ``value`` None
        and ``reason`` set: also one that lies past either end of the calendar
        (years 1 to 9999; "outside the calendar range") or names a day that does not
        exist ("no such date"). Any text gives a When.

    Raises:
        InputError: ``published`` is not a date, a datetime or an ISO 8601 string.
    """
    anchor = coerce_published(published)
    try:
        return _resolve_when(expression, anchor, context)
    except Exception as exc:  # noqa: BLE001
        # The one guard at the boundary: the arithmetic above turns every calendar edge
        # into a reason, so reaching this is a bug; the article still gets a When (one
        # bad expression must not cost the whole summary), and the reason says so.
        return When(
            expression=expression,
            reason=f"internal error ({type(exc).__name__}) while resolving; please report it",
        )


def _resolve_when(expression: str, anchor: date | None, context: str | None) -> When:
    """resolve_time after the anchor is read; may raise only on a bug."""
    cleaned = _clean(expression)
    text, modifier = _normalise(cleaned)
    try:
        span, explicit = _resolve(cleaned, text, expression, anchor, context)
    except _Unresolved as exc:
        return When(expression=expression, modifier=modifier, reason=str(exc))
    clock = _clock_time(expression)
    if clock is not None and span.granularity == "day" and "T" not in span.value:
        span = _Span(f"{span.value}T{clock}", span.start, span.end, span.granularity)
    return When(
        expression=expression,
        value=span.value,
        start=span.start,
        end=span.end,
        granularity=span.granularity,
        modifier=modifier,
        resolution="explicit" if explicit else "relative",
    )


_ANAPHOR = re.compile(
    r"(?P<which>that|that same|same|following|next|previous|prior|preceding) "
    r"(?P<unit>day|morning|afternoon|evening|night|week|month|quarter|year)"
)
_STEP = {"following": 1, "next": 1, "previous": -1, "prior": -1, "preceding": -1}
_FINENESS = ("day", "week", "month", "quarter", "year")
# Complete dates, months of a year, and years, as written in running text.
_DATE_IN_TEXT = re.compile(
    rf"\b{_RAW_MON}\s+{_RAW_DAY},?\s+[12]\d{{3}}\b|\b{_RAW_DAY}\s+{_RAW_MON},?\s+[12]\d{{3}}\b"
    rf"|\b{_RAW_MON},?\s+(?:of\s+)?[12]\d{{3}}\b|(?<![\d$.,])[12]\d{{3}}(?!\d|,\d|%|\s*percent)",
    re.IGNORECASE,
)


def _anaphora(text: str, expression: str, context: str | None) -> _Span | None:
    """'that year', 'the following month': counted from the last complete date before
    the expression in the same sentence ("in June 1998 ... later that year")."""
    match = _ANAPHOR.fullmatch(text)
    if match is None or not context:
        return None
    at = context.lower().find(expression.lower())
    written = list(_DATE_IN_TEXT.finditer(context[: max(at, 0)]))
    if not written:
        return None
    found = resolve_time(written[-1].group(), None)
    part = match["unit"] in _DAY_PARTS
    unit = "day" if part else match["unit"]
    if found.start is None or found.granularity not in _FINENESS:
        return None
    if _FINENESS.index(found.granularity) > _FINENESS.index(unit):
        return None  # "that day" after a bare year: which day is not said
    shifted = _shift(found.start, unit, _STEP.get(match["which"], 0))
    return _day(shifted.start) if part else shifted  # type: ignore[arg-type]


_IN_THE_DAY = re.compile(r"\b(?:later|earlier) in the day\b", re.IGNORECASE)
_BARE_COUNT = re.compile(rf"^{_COUNT} {_UNIT}$")


def _completed_by_sentence(text: str, expression: str, context: str | None) -> str | None:
    """The expression with the words the sentence writes around it, where they make
    it a date: "a year" before "earlier" ("a year earlier"), "five years" after "in"
    in a sentence about the future ("will be redeemed in five years"), "25" after a
    month and day ("April 24 and 25")."""
    if not context:
        return None
    lowered = " ".join(context.lower().split())
    at = lowered.find(expression.lower().strip())
    if at < 0:
        return None
    before, after = lowered[:at], lowered[at + len(expression.strip()) :]
    completed: str | None = None
    if _BARE_COUNT.match(text):
        follows = re.match(r"\s+(ago|earlier|back|from now|hence)\b", after)
        if follows is not None:
            completed = f"{expression.strip()} {follows.group(1)}"
        elif re.search(r"\bin\s+$", before) and _direction(context, expression) == "future":
            completed = f"in {expression.strip()}"
    elif re.fullmatch(r"[0-3]?\d", text):
        # A day number joined to a month and day: it shares the month.
        joined = re.search(
            rf"\b(?P<mon>{_RAW_MON})\s+{_RAW_DAY}(?:,\s*{_RAW_DAY})*,?\s+"
            r"(?:and|or|to|through|-)\s+$",
            before,
        )
        if joined is not None:
            completed = f"{joined['mon']} {text}"
    elif text in {"last", "next"}:
        # "this year as last", "more this quarter than next": the unit is the one of
        # the "this" the comparison is made with.
        compared = re.search(
            r"\bthis (?P<unit>week|month|quarter|year)\b(?:(?!\bthis\b).)*"
            r"\b(?:as|than|and|or|from|with|to)\s+$",
            before,
        )
        if compared is not None:
            completed = f"{text} {compared['unit']}"
    return completed


def _resolve(
    cleaned: str, text: str, expression: str, anchor: date | None, context: str | None
) -> tuple[_Span, bool]:
    """The span and whether the text alone gave it; raises _Unresolved."""
    if not text:
        raise _Unresolved("the expression is empty")
    ref = _refs(cleaned) or _refs(text)
    if ref is not None:
        return ref, False
    if _ANAPHORIC.search(text):
        same_sentence = _anaphora(text, expression, context) or _apposition(
            text, expression, anchor, context
        )
        if same_sentence is None and text == "day" and anchor and _IN_THE_DAY.search(context or ""):
            # "later in the day" in a news report: the day reported on, which is the
            # publication day.
            return _day(anchor), False
        if same_sentence is None:
            raise _Unresolved(f"'{expression}' refers to another time in the article")
        return same_sentence, False
    completed = _completed_by_sentence(text, expression, context)
    if completed is not None:
        whole = _clean(completed)
        return _resolve(whole, _normalise(whole)[0], completed, anchor, context)
    request = _Request(text=text, original=expression, anchor=anchor, context=context)
    for pattern, handler in _RULES:
        match = pattern.match(text)
        if match is not None:
            outcome = handler(match, request)
            return outcome if isinstance(outcome, tuple) else (outcome, False)
    return _last_resort(text, expression, anchor, context)


def _last_resort(
    text: str, expression: str, anchor: date | None, context: str | None
) -> tuple[_Span, bool]:
    """A day counted from a date the expression names, "today is the eighth day",
    then dateparser for complete dates; raises _Unresolved."""
    counted = _counted_from(text, anchor, context) or _today_is(text, anchor, context)
    if counted is not None:
        return counted, False
    parsed = _dateparser_explicit(expression)
    if parsed is None:
        raise _Unresolved("not a date these rules or dateparser can read")
    return _day(parsed), True


_MAX_STEPS = 3
_COUNTED_FROM = re.compile(r"(?P<unit>day|week|month|year) (?P<dir>before|after) (?P<rest>.+)")


def _counted_from(text: str, anchor: date | None, context: str | None) -> _Span | None:
    """'the day before last Tuesday', 'the week after Easter': one unit from a date the
    expression itself resolves; None when the rest is not a date ("his death")."""
    match = _COUNTED_FROM.fullmatch(text)
    if match is None:
        return None
    if len(re.findall(r"\b(?:before|after)\b", text)) > _MAX_STEPS:
        # Each step resolves the rest anew: a long chain would only exhaust the stack.
        raise _Unresolved(f"more than {_MAX_STEPS} steps counted from a date")
    unit: str = match["unit"]
    found = resolve_time(match["rest"], anchor, context=context)
    if found.start is None or found.granularity != unit:
        return None
    return _shift(found.start, unit, 1 if match["dir"] == "after" else -1)


_ORDINAL_DAY = re.compile(
    r"(?:the )?(?:\d+(?:st|nd|rd|th)|"
    + "|".join(sorted((k for k in _ORDINALS if not k[0].isdigit()), key=len, reverse=True))
    + r") day"
)


def _today_is(text: str, anchor: date | None, context: str | None) -> _Span | None:
    """'today is the eighth day of the blockade', 'it's the second day of the strike':
    a count of days said of the present, in the present tense, is the day of the report."""
    if anchor is None or not context or not _ORDINAL_DAY.fullmatch(text):
        return None
    lowered = " ".join(context.lower().replace("\u2019", "'").split())
    said_of_today = re.search(
        r"\b(?:today|tonight|this|it)(?: is|'s) (?:now )?(?:the )?" + re.escape(text), lowered
    )
    return _day(anchor) if said_of_today else None


# A date, then a comma, right before the expression: "Oct. 12, the day before the crash".
_APPOSED = re.compile(
    rf"(?P<date>\b(?:{_RAW_WD}{_RAW_MON}\s+{_RAW_DAY}(?:,?\s+[12]\d{{3}})?"
    rf"|{_RAW_DAY}\s+{_RAW_MON}(?:\s+[12]\d{{3}})?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day))\s*,\s*$",
    re.IGNORECASE,
)


def _apposition(
    text: str, expression: str, anchor: date | None, context: str | None
) -> _Span | None:
    """'the day' in apposition to the date written right before it ("Oct. 12, the day
    before the plunge"): that date."""
    if text not in {"day", "same day"} or not context:
        return None
    at = context.lower().find(expression.lower())
    match = _APPOSED.search(context[: max(at, 0)])
    if at <= 0 or match is None:
        return None
    found = resolve_time(match["date"], anchor, context=context)
    if found.start is None or found.granularity != "day" or found.value is None:
        return None
    return _Span(found.value, found.start, found.end, "day")


# --------------------------------------------------------------------------------------
# Finding the publication date in the article.
#
# Papers print the publication date in a few set places: a dateline opening the story,
# a labelled line ("Published 18 September 2023", "Updated: ..."), a byline, or a date
# on a line of its own in the page header. A date inside a sentence of the story is an
# event's (a trial, an attack, a birth), never the publication's: none is read.

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
    when = resolve_time(text, None)
    if when.resolution == "explicit" and when.granularity == "day":
        return when.start
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
