"""resolve_time: an expression as written, resolved against the publication date.

The expression is cleaned and normalised, then read as a reference to the present,
past or future, as an anaphor resolved within its sentence, as completed by the
words around it, by the rules, and last by counting from a date it names or by
dateparser. One guard at the boundary turns a bug into a When that says so.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsschema._records import When

from ._calendar import _REFS, _day, _shift, _Span, _Unresolved
from ._duration import resolve_duration
from ._foreign import LANGUAGES, direction, translate, zh_week_day
from ._lexicon import (
    _COUNT,
    _DAY_PARTS,
    _FUTURE,
    _ORDINALS,
    _PAST,
    _PRESENT,
    _RAW_DAY,
    _RAW_MON,
    _RAW_WD,
    _UNIT,
    _clean,
    _clock_time,
    _normalise,
)
from ._published import coerce_published
from ._rules import _apply_rules, _dateparser_explicit
from ._tense import Direction, _direction, _Request

__all__ = ["resolve_time"]


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
    language: str | None = None,
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
        language: the article's language, an ISO 639-1 code ("de", "zh"); None or
            "en" for English. German, French, Spanish, Italian, Portuguese, Russian,
            Chinese and Arabic expressions are read as their English counterparts
            are ("am Montag", "la semaine dernière", "去年"), the sentence's tense
            read by that language's marks; in any other language only complete
            dates resolve (dateparser), and ``reason`` says so.

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
        if language is None or language == "en":
            return _resolve_when(expression, anchor, context)
        return _resolve_foreign(expression, anchor, context, language)
    except Exception as exc:  # noqa: BLE001
        # The one guard at the boundary: the arithmetic above turns every calendar edge
        # into a reason, so reaching this is a bug; the article still gets a When (one
        # bad expression must not cost the whole summary), and the reason says so.
        return When(
            expression=expression,
            reason=f"internal error ({type(exc).__name__}) while resolving; please report it",
        )


def _resolve_foreign(
    expression: str, anchor: date | None, context: str | None, language: str
) -> When:
    """resolve_time for an expression in another language; may raise only on a bug."""
    if language not in LANGUAGES:
        found = _dateparser_explicit(expression, language)
        if found is not None:
            span = _day(found)
            return When(
                expression=expression, value=span.value, start=span.start, end=span.end,
                granularity="day", resolution="explicit",
            )  # fmt: skip
        return When(
            expression=expression,
            reason=f"not a complete date, and relative time expressions in '{language}' "
            "are not read (supported: en, " + ", ".join(LANGUAGES) + ")",
        )
    day = zh_week_day(expression, anchor) if language == "zh" and anchor else None
    if day is not None:
        return When(
            expression=expression, value=day.isoformat(), start=day, end=day,
            granularity="day", resolution="relative",
        )  # fmt: skip
    english = translate(expression, language)
    # The rules read the English words; the sentence's tense is read in its own language.
    tense = direction(context, expression, language) if context else None
    foreign = _Foreign(language, tense, expression)
    return _resolve_when(english, anchor, english if context else None, foreign)


class _Foreign:
    """An expression of another language: its language, its sentence's tense, as written."""

    def __init__(self, language: str, tense: Direction | None, written: str) -> None:
        self.language, self.tense, self.written = language, tense, written


class _LengthOfTime(_Unresolved):
    """The expression says how long ("for three days"), not when: its TIMEX3 duration."""

    def __init__(self, value: str) -> None:
        super().__init__(f"a length of time ({value}), not a date: it says how long")
        self.value = value


def _resolve_when(
    expression: str, anchor: date | None, context: str | None, foreign: _Foreign | None = None
) -> When:
    """resolve_time after the anchor is read; may raise only on a bug."""
    cleaned = _clean(expression)
    text, modifier = _normalise(cleaned)
    written = foreign.written if foreign is not None else expression
    try:
        if foreign is None:
            span, explicit = _resolve(cleaned, text, expression, anchor, context)
        else:
            span, explicit = _resolve(cleaned, text, expression, anchor, context, foreign=foreign)
    except _Unresolved as exc:
        length = exc.value if isinstance(exc, _LengthOfTime) else None
        return When(expression=written, modifier=modifier, reason=str(exc), duration=length)
    clock = _clock_time(expression)
    if clock is not None and span.granularity == "day" and "T" not in span.value:
        span = _Span(f"{span.value}T{clock}", span.start, span.end, span.granularity)
    return When(
        expression=written,
        value=span.value,
        start=span.start,
        end=span.end,
        granularity=span.granularity,
        modifier=modifier,
        resolution="explicit" if explicit else "relative",
    )


_ANAPHORIC = re.compile(
    r"^(?:that|the same|same|the following|following|the next|the previous|the prior|"
    r"the preceding|preceding|prior|a later|the latter|that same|the day|the night)\b"
    r"|\b(?:before|after|earlier|later) (?:that|the)\b|^(?:time|day|days|night|then)$"
    r"|^(?:next|following|previous) (?:morning|afternoon|evening|night)$"
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
    cleaned: str,
    text: str,
    expression: str,
    anchor: date | None,
    context: str | None,
    *,
    foreign: _Foreign | None = None,
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
        return _resolve(whole, _normalise(whole)[0], completed, anchor, context, foreign=foreign)
    request = _Request(text=text, original=expression, anchor=anchor, context=context)
    if foreign is not None:
        request.foreign, request.tense = True, foreign.tense
    found = _apply_rules(request)
    if found is None:
        return _last_resort(text, expression, anchor, context, foreign)
    return found


def _last_resort(
    text: str,
    expression: str,
    anchor: date | None,
    context: str | None,
    foreign: _Foreign | None = None,
) -> tuple[_Span, bool]:
    """A day counted from a date the expression names, "today is the eighth day",
    then dateparser for complete dates; raises _Unresolved."""
    counted = _counted_from(text, anchor, context) or _today_is(text, anchor, context)
    if counted is not None:
        return counted, False
    if foreign is None:
        parsed = _dateparser_explicit(expression)
    else:
        parsed = _dateparser_explicit(foreign.written, foreign.language)
    if parsed is None:
        length = resolve_duration(expression)
        if length is not None:
            raise _LengthOfTime(length)
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
