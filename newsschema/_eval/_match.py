"""Matching predicted records to gold records: names, times, places, then greedy pairing.

The rule, per article and per event type (it reads the type from the registry,
so a user's own type is matched the same way):

1. **Names.** Names are compared as :func:`newsschema._text.name_words` reads
   them (accents removed, casefolded, possessive "'s", courtesy titles and full
   stops dropped: ``U.S.`` is ``us``), then a leading "the" and leading office
   titles ("President", "Foreign Minister" ...) are left out. Two names match
   when one, word for word, occurs inside the other: a surname alone matches a
   full name that ends with it ("Lavrov" ~ "Sergey Lavrov"), a family name
   written first matches too ("Xi" ~ "Xi Jinping"), and a place matches a fuller
   form ("Jeddah" ~ "Jeddah, Saudi Arabia"). A gold name may list accepted
   alternatives separated by " | ".
2. **Who.** The actors compared are those of the type's first actor field (for
   the built-in types: participants, speaker, visitor, subject; the organisers
   of a user's ``Protest``). Actors are paired
   one to one (a maximum matching); a predicted and a gold record are
   *eligible* when more than half of the smaller actor list is paired. A type
   without actor fields skips this rule.
3. **When.** Eligible only if the times are compatible: the same TIMEX3 value,
   either value missing, or two calendar values whose periods overlap
   (``2023-09`` and ``2023-09-18``). Non-calendar values (``PAST_REF``) are
   compatible only with themselves.
4. **Where** (the type's first place field: a meeting's place, a visit's
   destination). Eligible only if either place is missing or the names match.
5. **Greedy pairing.** Among eligible pairs, the best are paired first, by
   actor overlap (Jaccard: paired / (gold + predicted - paired)), then evidence
   overlap (characters of the article covered by both records' evidence over
   characters covered by either), then equal time value, then matching place;
   ties go to the earlier gold record, then to the earlier predicted record.
   Each record is paired at most once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from newsschema._records import Event, EventType
from newsschema._text import locate_quote, name_words

from ._gold import ALTERNATIVES, GoldEvent, primary_actors, primary_place

__all__ = [
    "Pair",
    "locate",
    "match_events",
    "names_match",
    "times_compatible",
    "timex_period",
]

# Office titles a gold or predicted name may start with; courtesy titles ("Mr",
# "Dr") are left out by name_words already.
_TITLES = tuple(
    tuple(t.split())
    for t in (
        "acting", "former", "president", "vice president", "prime minister",
        "deputy prime minister", "foreign minister", "defense minister", "defence minister",
        "minister", "secretary of state", "secretary general", "secretary", "chancellor",
        "king", "queen", "crown prince", "prince", "emir", "sheikh", "pope", "gen",
        "general", "lieutenant general", "lt gen", "judge", "ambassador", "special envoy",
        "envoy", "senator", "sen", "representative", "rep", "governor", "gov", "mayor",
    )
)  # fmt: skip


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    """A name as comparable words, without a leading "the" or office title."""
    words = name_words(name.replace(".", ""))
    if words[:1] == ("the",) and len(words) > 1:
        words = words[1:]
    stripped = True
    while stripped:
        stripped = False
        for title in _TITLES:
            if words[: len(title)] == title and len(words) > len(title):
                words = words[len(title) :]
                stripped = True
                break
    return words


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def names_match(a: str, b: str) -> bool:
    """Whether two names (either may list alternatives with " | ") denote the same actor or place.

    After normalisation (see the module docstring), one name must occur word for
    word inside the other.
    """
    for x in a.split(ALTERNATIVES):
        for y in b.split(ALTERNATIVES):
            wx, wy = _words(x), _words(y)
            if wx and wy and (_contains(wx, wy) if len(wx) >= len(wy) else _contains(wy, wx)):
                return True
    return False


def _pair_actors(gold: Sequence[str], predicted: Sequence[str]) -> int:
    """Size of a maximum one-to-one pairing of gold and predicted names (Kuhn's algorithm)."""
    edges = [[j for j, p in enumerate(predicted) if names_match(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(gold)))


_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _month_span(year: int, first: int, last: int) -> tuple[date, date]:
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    after = date(end_year + end_month // 12, end_month % 12 + 1, 1)
    return date(year, first, 1), after - timedelta(days=1)


def _week(m: re.Match[str]) -> tuple[date, date]:
    monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    if m[3]:
        return monday + timedelta(days=5), monday + timedelta(days=6)
    return monday, monday + timedelta(days=6)


def _years(m: re.Match[str]) -> tuple[date, date]:
    scale = 10 ** (4 - len(m[0]))
    first = int(m[0]) * scale
    return date(first, 1, 1), date(first + scale - 1, 12, 31)


def _day(m: re.Match[str]) -> tuple[date, date]:
    day = date(int(m[1]), int(m[2]), int(m[3]))
    return day, day


def _months(size: int) -> Callable[[re.Match[str]], tuple[date, date]]:
    """Period of the n-th block of ``size`` months (month: 1, quarter: 3, half: 6)."""
    return lambda m: _month_span(int(m[1]), size * int(m[2]) - size + 1, size * int(m[2]))


_PERIODS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[date, date]]], ...] = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})(T.*)?"), _day),
    (re.compile(r"(\d{4})-(\d{2})"), _months(1)),
    (re.compile(r"(\d{4})-W(\d{2})(-WE)?"), _week),
    (re.compile(r"(\d{4})-Q([1-4])"), _months(3)),
    (re.compile(r"(\d{4})-H([12])"), _months(6)),
    (re.compile(r"(\d{4})-(SP|SU|FA|WI)"), lambda m: _month_span(int(m[1]), *_SEASONS[m[2]])),
    (re.compile(r"\d{2,4}"), _years),
)


def timex_period(value: str) -> tuple[date, date] | None:
    """First and last day a TIMEX3 calendar value covers, or None (``PAST_REF`` ...)."""
    for pattern, period in _PERIODS:
        if m := pattern.fullmatch(value):
            try:
                return period(m)
            except ValueError:  # a day or week that does not exist
                return None
    return None


def times_compatible(a: str | None, b: str | None) -> bool:
    """Same value, either missing, or calendar periods that overlap."""
    if a is None or b is None or a == b:
        return True
    pa, pb = timex_period(a), timex_period(b)
    return pa is not None and pb is not None and pa[0] <= pb[1] and pb[0] <= pa[1]


@lru_cache(maxsize=8192)
def locate(quote: str, text: str) -> tuple[int, int] | None:
    """``locate_quote``, remembered: scoring looks up the same gold passages many times."""
    return locate_quote(quote, text)


def _span_chars(spans: Iterable[tuple[int, int] | None]) -> set[int]:
    chars: set[int] = set()
    for span in spans:
        if span is not None:
            chars.update(range(*span))
    return chars


def _predicted_spans(record: Event, text: str) -> list[tuple[int, int] | None]:
    spans: list[tuple[int, int] | None] = []
    for evidence in record.evidence:
        if evidence.start is not None and evidence.end is not None:
            spans.append((evidence.start, evidence.end))
        else:
            spans.append(locate(evidence.quote, text))
    return spans


def _places_agree(gold: str | None, predicted: str | None) -> bool:
    """Field accuracy of a place: both missing, or both given and matching."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return names_match(gold, predicted)


class Pair(BaseModel):
    """A predicted record paired with a gold record, and which fields agree."""

    model_config = ConfigDict(frozen=True)

    type: str = Field(description="The event type's plural key ('meetings').")
    gold: int = Field(description="Index of the gold record in its list.")
    predicted: int = Field(description="Index of the predicted record in its list.")
    actor_overlap: float = Field(description="Jaccard overlap of the paired actors.")
    evidence_overlap: float = Field(description="Jaccard overlap of the evidence characters.")
    time_correct: bool
    status_correct: bool
    place_correct: bool | None = Field(description="None for types without a place.")


def _eligible_overlap(kind: EventType, gold: list[str], predicted: list[str]) -> float | None:
    """Actor overlap of an eligible pair, or None when the actors rule them out."""
    if not kind.actor_fields:
        return 1.0
    paired = _pair_actors(gold, predicted)
    if not predicted or paired * 2 <= min(len(gold), len(predicted)):
        return None
    return paired / (len(gold) + len(predicted) - paired)


def match_events(
    kind: EventType, gold: Sequence[GoldEvent], predicted: Sequence[Event], text: str
) -> list[Pair]:
    """Pair predicted records with gold records of one type in one article.

    The rule (eligibility by actors, time and place; greedy pairing by actor
    overlap, evidence overlap, time, place; ties to the earlier gold, then the
    earlier predicted record) is stated in the module docstring.
    """
    gold_chars = [_span_chars(locate(q, text) for q in g.evidence) for g in gold]
    pred_chars = [_span_chars(_predicted_spans(p, text)) for p in predicted]
    pred_actors = [primary_actors(kind, p) for p in predicted]
    pred_places = [primary_place(kind, p)[1] for p in predicted]
    candidates: list[tuple[tuple[float, float, int, int, int, int], Pair]] = []
    for gi, g in enumerate(gold):
        g_actors = primary_actors(kind, g)
        g_time = None if g.time is None else g.time.value
        has_place, g_place = primary_place(kind, g)
        for pi, p in enumerate(predicted):
            overlap = _eligible_overlap(kind, g_actors, pred_actors[pi])
            if overlap is None:
                continue
            p_time = None if p.when is None else p.when.value
            if not times_compatible(g_time, p_time):
                continue
            p_place = pred_places[pi]
            if has_place and g_place and p_place and not names_match(g_place, p_place):
                continue
            union = gold_chars[gi] | pred_chars[pi]
            pair = Pair(
                type=kind.plural,
                gold=gi,
                predicted=pi,
                actor_overlap=overlap,
                evidence_overlap=len(gold_chars[gi] & pred_chars[pi]) / len(union) if union else 0,
                time_correct=g_time == p_time,
                status_correct=getattr(g, "status", None) == p.status,
                place_correct=None if not has_place else _places_agree(g_place, p_place),
            )
            rank = (
                -pair.actor_overlap,
                -pair.evidence_overlap,
                -int(pair.time_correct),
                -int(bool(pair.place_correct)),
                gi,
                pi,
            )
            candidates.append((rank, pair))
    candidates.sort(key=lambda c: c[0])
    pairs: list[Pair] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, pair in candidates:
        if pair.gold not in used_gold and pair.predicted not in used_pred:
            used_gold.add(pair.gold)
            used_pred.add(pair.predicted)
            pairs.append(pair)
    return sorted(pairs, key=lambda p: p.gold)
