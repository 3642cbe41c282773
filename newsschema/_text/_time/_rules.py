"""The expression patterns, in order, and the TIMEX3 arithmetic of each.

Each rule is a pattern on the normalised expression and a handler; the first
pattern that matches decides. A handler returns the span, or the span and whether
the text alone gave it (an explicit date), and raises ``_Unresolved`` for a shape
it recognises but cannot resolve.
"""

from __future__ import annotations

import re
from calendar import isleap
from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from typing import Any

from ._calendar import (
    _REFS,
    _century,
    _date,
    _day,
    _decade,
    _easter,
    _half,
    _month,
    _month_end,
    _plus,
    _quarter,
    _season,
    _shift,
    _Span,
    _two_digit_year,
    _Unresolved,
    _week,
    _weekend,
    _year,
    _yearly,
)
from ._lexicon import (
    _COUNT,
    _DAY,
    _DAY_WORDS,
    _DECADE_WORDS,
    _HOLIDAYS,
    _MON,
    _MONTHS,
    _ORDINALS,
    _SEASON_CODES,
    _TEENS,
    _UNIT,
    _WD,
    _WD_PREFIX,
    _WEEKDAYS,
    _YEAR,
    _clean,
    _count,
    _normalise,
)
from ._tense import _ADJACENT, _NEAREST_DAYS, _pick, _relation, _Request

_Rule = Callable[[re.Match[str], _Request], "_Span | tuple[_Span, bool]"]
_RULES: list[tuple[re.Pattern[str], _Rule]] = []


def _rule(pattern: str) -> Callable[[_Rule], _Rule]:
    def register(handler: _Rule) -> _Rule:
        _RULES.append((re.compile(f"^(?:{pattern})$"), handler))
        return handler

    return register


def _explicit(span: _Span) -> tuple[_Span, bool]:
    return span, True


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


def _dateparser_explicit(expression: str, language: str = "en") -> date | None:
    """A complete date that dateparser reads with no help from the anchor, or None."""
    # Only text that states a four-digit year can be a complete date; this also keeps
    # dateparser's relative parser ("in 2 days") out of the way.
    if not re.search(r"(?<!\d)[12]\d{3}(?!\d)", expression) or (
        language == "en"
        and re.search(
            r"\b(?:ago|last|next|this|in \d+|yesterday|today|tomorrow)\b", expression.lower()
        )
    ):
        return None
    import dateparser  # type: ignore[import-untyped]  # heavy: loaded on first use

    try:
        parsed = dateparser.parse(expression, languages=[language], settings=_DATEPARSER_SETTINGS)
        if not isinstance(parsed, datetime):
            return None
        # A date that does not depend on today: parsing against two different bases agrees.
        again = dateparser.parse(
            expression,
            languages=[language],
            settings={**_DATEPARSER_SETTINGS, "RELATIVE_BASE": datetime(1901, 6, 15)},
        )
    except (ValueError, OverflowError, ArithmeticError, LookupError):
        return None  # dateparser's own arithmetic gave up on the text: not a date it reads
    return parsed.date() if isinstance(again, datetime) and again.date() == parsed.date() else None


# --------------------------------------------------------------------------------------
# Applying the rules.


def _apply_rules(request: _Request) -> tuple[_Span, bool] | None:
    """The span of the first rule whose pattern matches, and whether the text alone
    gave it; None when no pattern matches. Raises _Unresolved."""
    for pattern, handler in _RULES:
        match = pattern.match(request.text)
        if match is not None:
            outcome = handler(match, request)
            return outcome if isinstance(outcome, tuple) else (outcome, False)
    return None


def _written_day(written: str) -> date | None:
    """The day a complete date names ("Monday, Sept. 18, 2023", "2023-09-18"), read by
    the rules, then dateparser, with no anchor and no sentence; None for any other text."""
    text = _normalise(_clean(written))[0]
    if not text:
        return None
    try:
        found = _apply_rules(_Request(text=text, original=written, anchor=None, context=None))
    except _Unresolved:
        return None
    if found is None:
        return _dateparser_explicit(written)
    span, explicit = found
    return span.start if explicit and span.granularity == "day" else None
