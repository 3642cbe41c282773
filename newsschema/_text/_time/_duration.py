"""Durations as written ("four-day", "two weeks", "48 hours") to TIMEX3 DURATION values.

TimeML writes a duration as an ISO 8601 period: ``P4D``, ``P2W``, ``P1M``,
``PT48H``, ``P2Y6M``; a count the words leave open is ``X`` (``PXD`` for
"several days", ``PXY`` for "years"). Units ISO 8601 has no letter for are
counted in one it has, as TimeBank writes them: a quarter in months, a decade or
century in years ("two decades" → ``P20Y``); with an open count they keep their
TIMEX3 unit (``PXQ``, ``PXDE``, ``PXCE``). A unit named from now ("last week",
"this year") is a date, not a duration. How long something lasts does not need
a publication date, so a duration resolves from its words alone. Modifiers
("about", "more than", "nearly") do not change the value, as in TimeML.
"""

from __future__ import annotations

import re

from ._lexicon import _TEENS, _TENS, _UNITS

__all__ = ["resolve_duration"]

# unit word -> (ISO designator, is a time unit written after "T")
_DURATION_UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "sec": ("S", True), "minute": ("M", True), "min": ("M", True),
    "hour": ("H", True), "hr": ("H", True), "day": ("D", False), "night": ("D", False),
    "week": ("W", False), "fortnight": ("W", False), "weekend": ("D", False),
    "month": ("M", False), "quarter": ("M", False), "year": ("Y", False), "yr": ("Y", False),
    "decade": ("Y", False), "century": ("Y", False), "centurie": ("Y", False),
    "millennium": ("Y", False), "millennia": ("Y", False),
}  # fmt: skip
# Units ISO 8601 has no designator for, counted in a smaller one ("two decades" → P20Y, as
# TimeBank writes them); an open count keeps the TIMEX3 unit ("decades" → PXDE).
_MULTIPLES = {
    "fortnight": 2, "weekend": 2, "quarter": 3, "decade": 10, "century": 100, "centurie": 100,
    "millennium": 1000, "millennia": 1000,
}  # fmt: skip
_OPEN_UNITS = {
    "quarter": "Q", "decade": "DE", "century": "CE", "centurie": "CE", "millennium": "ML",
    "millennia": "ML",
}  # fmt: skip
# Half of a unit, as the next smaller one (what TimeML writes for "two and a half years").
_HALVES: dict[str, tuple[int, str]] = {
    "Y": (6, "M"), "M": (15, "D"), "D": (12, "H"), "H": (30, "TM"), "TM": (30, "S"),
}  # fmt: skip
_VAGUE = frozenset(
    {"a few", "few", "several", "many", "some", "recent", "coming",
     "numerous", "a number of", "countless", "ensuing", "following", "next few", "past few"}
)  # fmt: skip
# Words around a duration that do not change its value.
_AROUND = re.compile(
    r"\b(?:for|over|during|within|in|about|around|nearly|almost|roughly|some|approximately"
    r"|up to|at least|at most|more than|less than|fewer than|no more than|no less than"
    r"|under|just|only|barely|another|an additional|additional|extra|full|whole|entire"
    r"|long|old|lasting|the|a period of|period|past|last|next|first|final|latest|those|these"
    r"|that|this|its|his|her|their|our|trading|business|working|calendar|straight"
    r"|consecutive|ago|earlier|later|ahead|more|plus|fiscal)\b"
)
_FIXED_COUNTS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "a single": 1.0, "single": 1.0, "a couple": 2.0,
    "couple": 2.0, "a couple of": 2.0, "couple of": 2.0, "half a": 0.5, "half an": 0.5,
    "a half": 0.5, "half": 0.5,
}  # fmt: skip
# One unit named from now ("last week", "this year") is a date, not a length of time.
_DEICTIC = re.compile(
    r"^(?:the )?(?:last|next|this|that|coming|previous|following|same|current|early|late)"
    r" (?:fiscal )?(?:second|minute|hour|day|night|week|weekend|month|quarter|year|decade"
    r"|century)$"
)
_NUMBER = re.compile(r"^\d{1,6}(?:,\d{3})*(?:\.\d+)?$")
_UNIT_WORD = re.compile(
    r"^(?:(second|sec|minute|min|hour|hr|day|night|weekend|week|fortnight|month|quarter|year|yr"
    r"|decade|centur(?:y|ie)|millenni(?:um|a))s?)$"
)


def _word_number(words: list[str]) -> int | None:
    """'two', 'sixteen', 'forty', 'twenty one'."""
    if len(words) == 2 and words[0] in _TENS and words[1] in _UNITS:
        return _TENS[words[0]] * 10 + _UNITS[words[1]]
    if len(words) != 1:
        return None
    word = words[0]
    found = _UNITS.get(word) or _TEENS.get(word)
    return _TENS[word] * 10 if found is None and word in _TENS else found


def _number(words: list[str]) -> float | None:
    """A count written in digits or words ('48', 'two', 'twenty one', 'a', '5 1/2')."""
    text = " ".join(words)
    fraction = re.match(r"^(\d+) 1/2$", text)
    hundred = re.match(r"^(?:(.+) )?hundred(?: (?:and )?(.+))?$", text)
    found: float | None = None
    if fraction:
        found = int(fraction.group(1)) + 0.5
    elif _NUMBER.match(text):
        found = float(text.replace(",", ""))
    elif text in _FIXED_COUNTS:
        found = _FIXED_COUNTS[text]
    elif hundred:
        high = _number(hundred.group(1).split()) if hundred.group(1) else 1.0
        low = _number(hundred.group(2).split()) if hundred.group(2) else 0.0
        found = None if high is None or low is None else high * 100 + low
    else:
        whole = _word_number(words)
        found = float(whole) if whole is not None else None
    return found


def _clean(expression: str) -> str:
    text = expression.lower().replace("\u2019", "'")
    text = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])|[\"'()\u201c\u201d]", " ", text)
    text = re.sub(r"\b(\w+)long\b", r"\1 long", text)  # "daylong", "yearlong"
    return " ".join(text.split()).strip(",.;:!? ")


def _format(count: float | None, designator: str, time_unit: bool) -> str:
    """``P4D``, ``PT48H``, ``PXY``; a half as the next smaller unit (``P2Y6M``)."""
    if count is None:
        return f"PTX{designator}" if time_unit else f"PX{designator}"
    whole = int(count)
    key = "TM" if time_unit and designator == "M" else designator
    if count != whole and count - whole == 0.5 and key in _HALVES:
        amount, smaller = _HALVES[key]
        parts: list[tuple[int, str, bool]] = []
        if whole:
            parts.append((whole, designator, time_unit))
        small_time = smaller in {"H", "TM", "S"}
        parts.append((amount, "M" if smaller == "TM" else smaller, small_time))
        dates = "".join(f"{n}{d}" for n, d, t in parts if not t)
        times = "".join(f"{n}{d}" for n, d, t in parts if t)
        return "P" + dates + (f"T{times}" if times else "")
    number = str(whole) if count == whole else f"{count:g}"
    return f"PT{number}{designator}" if time_unit else f"P{number}{designator}"


def resolve_duration(expression: str | None) -> str | None:
    """The TIMEX3 DURATION value of a length of time as written, or None.

    ``"four-day"`` → ``P4D``, ``"two weeks"`` → ``P2W``, ``"several days"`` →
    ``PXD``, ``"48 hours"`` → ``PT48H``, ``"a month"`` → ``P1M``, ``"a fortnight"``
    → ``P2W``, ``"two and a half years"`` → ``P2Y6M``, ``"half an hour"`` →
    ``PT30M``. Ranges ("two or three days", "12 to 18 months") have an open count
    (``PXD``, ``PXM``). Anything else (a date, "a while", "until Friday") is None.

    Args:
        expression: the words as the article writes them.

    Returns:
        The value, or None when the words are not a length of time this reads.
    """
    if not expression or not expression.strip():
        return None
    text = _clean(expression)
    if text in {"fortnight", "a fortnight"}:
        return "P2W"
    if _DEICTIC.match(text):
        return None  # "last week", "this year": a date
    text = re.sub(r"\s*\bor so\b|\b(?:up to|close to)\s+", "", text)
    # "weeks or months", "two or three days", "12 to 18 months": the first unit, open count.
    ranged = re.match(r"^(.*?)\b(?:or|to|and|-)\b\s*(.*)$", text)
    if (
        ranged
        and _AROUND.sub(" ", ranged.group(1)).strip()
        and not re.search(r"\band a half\b|\band an? \w+\b", text)
    ):
        return _range(ranged.group(1), ranged.group(2).strip())
    return _single(" ".join(_AROUND.sub(" ", text).split()))


def _range(left: str, right: str) -> str | None:
    """A range of counts ("two or three days") or units ("weeks or months"): open count."""
    left = " ".join(_AROUND.sub(" ", left).split())
    left_value = resolve_duration(left) if left else None
    right_value = resolve_duration(right)
    if right_value is None or (left_value is None and not _number(left.split())):
        return None
    unit = re.sub(r"^PT?(?:\d+|X)", "", right_value)
    first = re.sub(r"^PT?(?:\d+|X)", "", left_value) if left_value else unit
    return ("PTX" if right_value.startswith("PT") else "PX") + (first or unit)


def _single(text: str) -> str | None:
    """One count of one unit: "four day", "several days", "a minute and a half"."""
    half = False
    for tail in (" and a half", " and one half"):
        if text.endswith(tail):
            text, half = text[: -len(tail)], True
    # "two and a half years": the half after the count.
    if " and a half " in f" {text} ":
        before, _, after = text.partition(" and a half ")
        text, half = f"{before} {after}", True
    words = text.split()
    units = [i for i, word in enumerate(words) if _UNIT_WORD.match(word)]
    if not units:
        return None
    if units[-1] < len(words) - 1:
        # "a three-day visit": a unit used as an adjective, before what lasts that long.
        if words[units[-1]].endswith("s"):
            return None
        words = words[: units[-1] + 1]
    unit = _UNIT_WORD.match(words[-1])
    assert unit is not None
    stem = unit.group(1)
    designator, time_unit = _DURATION_UNITS[stem]
    counted, count = _count_of(words[:-1], plural=words[-1] != stem)
    if not counted:
        return None
    if count is None:
        return _format(None, _OPEN_UNITS.get(stem, designator), time_unit)
    count += 0.5 if half else 0.0
    return _format(count * _MULTIPLES.get(stem, 1), designator, time_unit)


def _count_of(words: list[str], *, plural: bool) -> tuple[bool, float | None]:
    """(the words are a count, the count or None for an open one: "several", "days")."""
    text = " ".join(words)
    if not words:
        # "days", "years": an open count; "day", "year" (as in "day-long"): one.
        return True, None if plural else 1.0
    if text in _VAGUE or text.endswith((" few", " several")):
        return True, None
    if len(words) > 1 and words[0] in {"a", "an"} and words[1] != "half":
        words = words[1:]  # "a three-day visit"
    count = _number(words)
    return count is not None, count
