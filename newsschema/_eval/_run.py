"""Score extractions against a hand-annotated gold set: load, match, count, report.

The gold format is documented in ``benchmarks/gold/README.md``. The flow:
:func:`load_gold` reads and checks the gold files, :func:`score` pairs predicted
records with gold records (:func:`match_events`) and counts, :func:`run_eval`
runs ``summarize`` over the gold articles and scores the result, and
:func:`render_table` prints a report with rich.

Matching rule, per article and per event type (meetings, statements, visits,
warrants):

1. **Names.** Names are normalised: accents removed, casefolded, possessive
   "'s", apostrophes and full stops dropped (``U.S.`` is ``us``), other
   punctuation read as spaces, a leading "the" and leading titles
   ("President", "Foreign Minister", "Mr" ...) removed. Two names match when
   one, word for word, occurs inside the other: a surname alone matches a full
   name that ends with it ("Lavrov" ~ "Sergey Lavrov"), a family name written
   first matches too ("Xi" ~ "Xi Jinping"), and a place matches a fuller
   form ("Jeddah" ~ "Jeddah, Saudi Arabia"). A gold name may list accepted
   alternatives separated by " | ".
2. **Who.** The actors compared are the participants (meetings), the speaker
   (statements), the visitor (visits) and the subject (warrants). Actors are
   paired one to one (a maximum matching); a predicted and a gold record are
   *eligible* when more than half of the smaller actor list is paired.
3. **When.** Eligible only if the times are compatible: the same TIMEX3 value,
   either value missing, or two calendar values whose periods overlap
   (``2023-09`` and ``2023-09-18``). Non-calendar values (``PAST_REF``) are
   compatible only with themselves.
4. **Where** (meetings: place; visits: destination). Eligible only if either
   place is missing or the names match (rule 1).
5. **Greedy pairing.** Among eligible pairs, the best are paired first, by
   actor overlap (Jaccard: paired / (gold + predicted - paired)), then evidence
   overlap (characters of the article covered by both records' evidence over
   characters covered by either), then equal time value, then matching place;
   ties go to the earlier gold record, then to the earlier predicted record.
   Each record is paired at most once.

Counts: a pair is a true positive, an unpaired gold record a false negative, an
unpaired predicted record a false positive. Precision, recall and F1 are
computed per type over all articles pooled (and micro-averaged over the four
types); with an empty denominator the value is 1.0 when the other count is
also zero (nothing to find, nothing claimed), else 0.0. Field accuracy is
measured on pairs only: time (equal TIMEX3 values; both missing counts as
equal), status (equal), place (both missing, or matching names). Grounding is
the share of predicted records whose every evidence quote is located in the
article by :func:`newsschema.locate_quote`; records the library dropped for
ungrounded evidence (``ArticleSummary.dropped``) count as ungrounded.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsschema._errors import ConfigurationError, NewsschemaError
from newsschema._extraction import DEFAULT_MAX_INPUT_TOKENS
from newsschema._io import terminal_line
from newsschema._records import (
    Actor,
    ArticleSummary,
    IndexedActor,
    Meeting,
    Place,
    Provenance,
    Statement,
    Status,
    Visit,
    Warrant,
    WarrantStatus,
)
from newsschema._text import locate_quote
from newsschema._usage import Usage
from newsschema.testing import CassetteMismatchError

if TYPE_CHECKING:
    import openai
    from rich.console import Group

    from newsschema._extraction import RetryPolicy

__all__ = [
    "EVENT_TYPES",
    "ArticleError",
    "ArticleResult",
    "EvalReport",
    "FieldScore",
    "GoldArticle",
    "GoldMeeting",
    "GoldSetError",
    "GoldStatement",
    "GoldTime",
    "GoldVisit",
    "GoldWarrant",
    "Grounding",
    "Pair",
    "Scores",
    "TypeScores",
    "load_gold",
    "match_events",
    "names_match",
    "render_table",
    "run_eval",
    "score",
    "times_compatible",
    "timex_period",
]

EventType = Literal["meetings", "statements", "visits", "warrants"]
EVENT_TYPES: tuple[EventType, ...] = ("meetings", "statements", "visits", "warrants")
ALTERNATIVES = " | "

# --------------------------------------------------------------------------------------
# The gold format.


class GoldSetError(NewsschemaError, ValueError):
    """A gold file is missing, unreadable or invalid; the message names the file and field."""


_TIMEX_VALUE = re.compile(
    r"\d{2,4}"  # year, decade (199) or century (19)
    r"|\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T(MO|AF|EV|NI|DT|\d{2}(:\d{2})?))?)?"
    r"|\d{4}-W(0[1-9]|[1-4]\d|5[0-3])(-WE)?"
    r"|\d{4}-(Q[1-4]|H[12]|SP|SU|FA|WI)"
    r"|PRESENT_REF|PAST_REF|FUTURE_REF"
)


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldTime(_Gold):
    """A time expression as written and its TIMEX3 value resolved from ``published``."""

    expression: str = Field(min_length=1)
    value: str | None

    @field_validator("value")
    @classmethod
    def _timex3(cls, value: str | None) -> str | None:
        if value is not None and not _TIMEX_VALUE.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a TIMEX3 value this scorer reads (2023-09-18, 2023-09, "
                "2023, 2023-W37, 2023-W37-WE, 2023-Q1, 2023-SU, PAST_REF ...)"
            )
        return value


class _GoldEvent(_Gold):
    time: GoldTime | None
    evidence: list[str] = Field(min_length=1)


class GoldMeeting(_GoldEvent):
    """A meeting, talk or call as annotated."""

    participants: list[str] = Field(min_length=1)
    place: str | None
    format: Literal["in_person", "phone", "video", "unknown"]
    status: Status


class GoldStatement(_GoldEvent):
    """A distinct claim of a named speaker, as annotated."""

    speaker: str = Field(min_length=1)
    addressee: str | None
    content: str = Field(min_length=1)
    quote: str | None
    status: Status = "occurred"


class GoldVisit(_GoldEvent):
    """A trip or visit, as annotated."""

    visitor: str = Field(min_length=1)
    host: str | None
    destination: str | None
    status: Status


class GoldWarrant(_GoldEvent):
    """A warrant, summons or arrest, as annotated (an arrest made is ``executed``)."""

    subject: str = Field(min_length=1)
    authority: str | None
    kind: str = Field(min_length=1)
    status: WarrantStatus


GoldEvent = GoldMeeting | GoldStatement | GoldVisit | GoldWarrant


class GoldArticle(_Gold):
    """One hand-annotated article: its text, where it comes from, and its events."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    source: str = Field(min_length=1)
    credit: str = Field(min_length=1)
    published: date
    headline: str | None = None
    text: str = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)
    meetings: list[GoldMeeting]
    statements: list[GoldStatement]
    visits: list[GoldVisit]
    warrants: list[GoldWarrant]

    def events(self, kind: EventType) -> Sequence[GoldEvent]:
        """The gold records of one type."""
        records: Sequence[GoldEvent] = getattr(self, kind)
        return records

    def to_answer(self) -> dict[str, Any]:
        """The gold events as the JSON answer a model would give (for ``FakeModel``).

        Only what the gold records is filled in: actors carry a name (the first
        alternative) and kind "person"; topics, outcomes, charges are empty.
        """
        return {
            "headline": self.headline,
            "summary": f"Gold annotation of {self.id}.",
            **{kind: [_draft(kind, e) for e in self.events(kind)] for kind in EVENT_TYPES},
        }

    def to_summary(self) -> ArticleSummary:
        """The gold events as an ``ArticleSummary``, with TIMEX3 values and evidence offsets.

        Scoring the gold set against its own summaries gives 1.0 everywhere. The
        provenance says ``model="gold"``.
        """
        events: dict[str, list[Any]] = {}
        for kind, record_type in _RECORD_TYPES.items():
            events[kind] = []
            for gold in self.events(kind):
                data = _draft(kind, gold)
                for evidence in data["evidence"]:
                    span = locate_quote(evidence["quote"], self.text)
                    evidence["start"], evidence["end"] = span or (None, None)
                if gold.time is not None:
                    data["when"]["value"] = gold.time.value
                events[kind].append(record_type.model_validate(data))
        created = datetime.combine(self.published, time(), tzinfo=UTC)
        return ArticleSummary(
            headline=self.headline,
            summary=f"Gold annotation of {self.id}.",
            published=self.published,
            published_source="caller",
            actors=_index_actors(events),
            provenance=Provenance(
                model="gold",
                mode="gold",
                prompt_version="gold",
                schema_version="gold",
                library_version="gold",
                validation_attempts=0,
                usage=Usage(),
                duration_seconds=0.0,
                created_at=created,
            ),
            **events,
        )


_RECORD_TYPES: dict[EventType, type[Meeting | Statement | Visit | Warrant]] = {
    "meetings": Meeting,
    "statements": Statement,
    "visits": Visit,
    "warrants": Warrant,
}


def _index_actors(events: dict[str, list[Any]]) -> list[IndexedActor]:
    """Every actor once (by casefolded name), with the records it appears in."""
    index: dict[str, IndexedActor] = {}
    for kind, records in events.items():
        for i, record in enumerate(records):
            for name in ("participants", "speaker", "addressee", "visitor", "host", "subject",
                         "authority"):  # fmt: skip
                value = getattr(record, name, None)
                for actor in value if isinstance(value, list) else [value]:
                    if isinstance(actor, Actor):
                        entry = index.setdefault(
                            actor.name.casefold(), IndexedActor(**actor.model_dump())
                        )
                        if f"{kind}.{i}" not in entry.records:
                            entry.records.append(f"{kind}.{i}")
    return list(index.values())


def _first(name: str) -> str:
    return name.split(ALTERNATIVES, maxsplit=1)[0].strip()


def _actor(name: str | None) -> dict[str, Any] | None:
    if name is None:
        return None
    return {"name": _first(name), "title": None, "organisation": None, "country": None,
            "kind": "person"}  # fmt: skip


def _place(name: str | None) -> dict[str, Any] | None:
    return None if name is None else {"name": _first(name), "country": None, "kind": "other"}


def _draft(kind: EventType, gold: GoldEvent) -> dict[str, Any]:
    """A gold record as the draft dict the model fills in."""
    common: dict[str, Any] = {
        "when": None if gold.time is None else {"expression": gold.time.expression},
        "evidence": [{"quote": quote} for quote in gold.evidence],
    }
    if isinstance(gold, GoldMeeting):
        return {"participants": [_actor(p) for p in gold.participants],
                "place": _place(gold.place), "format": gold.format, "topics": [],
                "outcomes": [], "status": gold.status, **common}  # fmt: skip
    if isinstance(gold, GoldStatement):
        return {"speaker": _actor(gold.speaker), "content": gold.content, "quote": gold.quote,
                "addressee": _actor(gold.addressee), "occasion": None, "status": gold.status,
                **common}  # fmt: skip
    if isinstance(gold, GoldVisit):
        return {"visitor": _actor(gold.visitor), "host": _actor(gold.host),
                "destination": _place(gold.destination), "duration": None, "purpose": None,
                "status": gold.status, **common}  # fmt: skip
    return {"subject": _actor(gold.subject), "authority": _actor(gold.authority),
            "kind": gold.kind, "charges": [], "status": gold.status, **common}  # fmt: skip


def _field_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def _check_text(article: GoldArticle) -> list[str]:
    """Every evidence passage, direct quote and time expression must stand in the text."""
    problems: list[str] = []
    for kind in EVENT_TYPES:
        for i, event in enumerate(article.events(kind)):
            for j, quote in enumerate(event.evidence):
                if locate_quote(quote, article.text) is None:
                    problems.append(f"{kind}[{i}].evidence[{j}]: not found in text: {quote!r}")
            direct = getattr(event, "quote", None)
            if direct is not None and locate_quote(direct, article.text) is None:
                problems.append(f"{kind}[{i}].quote: not found in text: {direct!r}")
            if event.time is not None and locate_quote(event.time.expression, article.text) is None:
                problems.append(
                    f"{kind}[{i}].time.expression: not found in text: {event.time.expression!r}"
                )
    return problems


def _load_file(path: Path) -> GoldArticle:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldSetError(f"{path}: cannot read the file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldSetError(f"{path}: not valid JSON: {exc}") from None
    try:
        article = GoldArticle.model_validate(data)
    except ValidationError as exc:
        lines = [f"{_field_path(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise GoldSetError(f"{path}: " + "; ".join(lines)) from None
    problems = _check_text(article)
    if problems:
        raise GoldSetError(f"{path}: " + "; ".join(problems))
    return article


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Read a gold set: a directory of ``*.json`` files (sorted by name), or one file.

    Each file is validated against the gold format, and every evidence passage,
    direct quote and time expression must be found in the article text.

    Raises:
        GoldSetError: naming the file and the field at fault (e.g.
            ``meetings[2].evidence[0]``), or a duplicate id, or an empty directory.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise GoldSetError(f"{path}: no gold files (*.json) in this directory")
    elif path.is_file():
        files = [path]
    else:
        raise GoldSetError(f"{path}: no such file or directory")
    articles: list[GoldArticle] = []
    seen: dict[str, Path] = {}
    for file in files:
        article = _load_file(file)
        if article.id in seen:
            raise GoldSetError(f"{file}: id: {article.id!r} is already used by {seen[article.id]}")
        seen[article.id] = file
        articles.append(article)
    return articles


# --------------------------------------------------------------------------------------
# Matching.

_TITLES = tuple(
    tuple(t.split())
    for t in (
        "acting", "former", "mr", "mrs", "ms", "dr", "sir", "professor", "prof",
        "president", "vice president", "prime minister", "deputy prime minister",
        "foreign minister", "defense minister", "defence minister", "minister",
        "secretary of state", "secretary general", "secretary", "chancellor", "king",
        "queen", "crown prince", "prince", "emir", "sheikh", "pope", "gen",
        "lieutenant general", "lt gen", "judge", "ambassador", "special envoy", "envoy",
        "senator", "sen", "representative", "rep", "governor", "gov", "mayor",
    )
)  # fmt: skip


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    """A name as normalised words: no accents, casefolded, no punctuation, no leading title."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['\u2019\u2018`]s\b", "", text)
    text = re.sub(r"['\u2019\u2018`.]", "", text)
    words = tuple(re.sub(r"[^\w]+|_", " ", text).split())
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


def _gold_actors(kind: EventType, gold: GoldEvent) -> list[str]:
    if isinstance(gold, GoldMeeting):
        return list(gold.participants)
    if isinstance(gold, GoldStatement):
        return [gold.speaker]
    if isinstance(gold, GoldVisit):
        return [gold.visitor]
    assert isinstance(gold, GoldWarrant), kind
    return [gold.subject]


def _predicted_actors(record: Meeting | Statement | Visit | Warrant) -> list[str]:
    if isinstance(record, Meeting):
        return [p.name for p in record.participants]
    if isinstance(record, Statement):
        return [record.speaker.name]
    if isinstance(record, Visit):
        return [record.visitor.name]
    return [record.subject.name]


def _gold_place(gold: GoldEvent) -> tuple[bool, str | None]:
    """(whether this type has a place, the place)."""
    if isinstance(gold, GoldMeeting):
        return True, gold.place
    if isinstance(gold, GoldVisit):
        return True, gold.destination
    return False, None


def _predicted_place(record: Meeting | Statement | Visit | Warrant) -> str | None:
    place: Place | None = None
    if isinstance(record, Meeting):
        place = record.place
    elif isinstance(record, Visit):
        place = record.destination
    return None if place is None else place.name


@lru_cache(maxsize=8192)
def _locate(quote: str, text: str) -> tuple[int, int] | None:
    """``locate_quote``, remembered: scoring looks up the same gold passages many times."""
    return locate_quote(quote, text)


def _span_chars(spans: Iterable[tuple[int, int] | None]) -> set[int]:
    chars: set[int] = set()
    for span in spans:
        if span is not None:
            chars.update(range(*span))
    return chars


def _predicted_spans(
    record: Meeting | Statement | Visit | Warrant, text: str
) -> list[tuple[int, int] | None]:
    spans: list[tuple[int, int] | None] = []
    for evidence in record.evidence:
        if evidence.start is not None and evidence.end is not None:
            spans.append((evidence.start, evidence.end))
        else:
            spans.append(_locate(evidence.quote, text))
    return spans


def _places_agree(gold: str | None, predicted: str | None) -> bool:
    """Field accuracy of a place: both missing, or both given and matching."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return names_match(gold, predicted)


class Pair(BaseModel):
    """A predicted record paired with a gold record, and which fields agree."""

    model_config = ConfigDict(frozen=True)

    type: EventType
    gold: int = Field(description="Index of the gold record in its list.")
    predicted: int = Field(description="Index of the predicted record in its list.")
    actor_overlap: float = Field(description="Jaccard overlap of the paired actors.")
    evidence_overlap: float = Field(description="Jaccard overlap of the evidence characters.")
    time_correct: bool
    status_correct: bool
    place_correct: bool | None = Field(description="None for types without a place.")


def match_events(
    kind: EventType,
    gold: Sequence[GoldEvent],
    predicted: Sequence[Meeting | Statement | Visit | Warrant],
    text: str,
) -> list[Pair]:
    """Pair predicted records with gold records of one type in one article.

    The rule (eligibility by actors, time and place; greedy pairing by actor
    overlap, evidence overlap, time, place; ties to the earlier gold, then the
    earlier predicted record) is stated in the module docstring.
    """
    gold_chars = [_span_chars(_locate(q, text) for q in g.evidence) for g in gold]
    pred_chars = [_span_chars(_predicted_spans(p, text)) for p in predicted]
    candidates: list[tuple[tuple[float, float, int, int, int, int], Pair]] = []
    for gi, g in enumerate(gold):
        g_actors = _gold_actors(kind, g)
        g_time = None if g.time is None else g.time.value
        has_place, g_place = _gold_place(g)
        for pi, p in enumerate(predicted):
            p_actors = _predicted_actors(p)
            paired = _pair_actors(g_actors, p_actors)
            if not p_actors or paired * 2 <= min(len(g_actors), len(p_actors)):
                continue
            p_time = None if p.when is None else p.when.value
            if not times_compatible(g_time, p_time):
                continue
            p_place = _predicted_place(p)
            if has_place and g_place and p_place and not names_match(g_place, p_place):
                continue
            union = gold_chars[gi] | pred_chars[pi]
            pair = Pair(
                type=kind,
                gold=gi,
                predicted=pi,
                actor_overlap=paired / (len(g_actors) + len(p_actors) - paired),
                evidence_overlap=len(gold_chars[gi] & pred_chars[pi]) / len(union) if union else 0,
                time_correct=g_time == p_time,
                status_correct=g.status == p.status,
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


# --------------------------------------------------------------------------------------
# Scores and the report.


def _ratio(numerator: int, denominator: int, other: int) -> float:
    if denominator:
        return numerator / denominator
    return 1.0 if other == 0 else 0.0


class Scores(BaseModel):
    """True positives, false positives, false negatives and what follows from them."""

    model_config = ConfigDict(frozen=True)

    gold: int = Field(description="Gold records (tp + fn).")
    predicted: int = Field(description="Predicted records (tp + fp).")
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> Scores:
        """Scores from counts (an empty denominator gives 1.0 if nothing else is counted)."""
        precision = _ratio(tp, tp + fp, fn)
        recall = _ratio(tp, tp + fn, fp)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(gold=tp + fn, predicted=tp + fp, tp=tp, fp=fp, fn=fn,
                   precision=precision, recall=recall, f1=f1)  # fmt: skip


class FieldScore(BaseModel):
    """Accuracy of one field over paired records."""

    model_config = ConfigDict(frozen=True)

    correct: int
    total: int
    accuracy: float | None = Field(description="correct / total; None when nothing was paired.")

    @classmethod
    def of(cls, correct: int, total: int) -> FieldScore:
        """A field score from counts."""
        return cls(correct=correct, total=total, accuracy=correct / total if total else None)


class TypeScores(Scores):
    """Scores of one event type, with field accuracy on its pairs."""

    fields: dict[str, FieldScore] = Field(description="time, status, and place where it applies.")


class Grounding(BaseModel):
    """Share of predicted records whose evidence is located in the article."""

    model_config = ConfigDict(frozen=True)

    grounded: int
    predicted: int = Field(description="Predicted records, those the library dropped included.")
    dropped: int = Field(description="Records the library dropped (counted as ungrounded).")
    share: float | None = Field(description="grounded / predicted; None with no prediction.")


class ArticleError(BaseModel):
    """Why an article has no (or no usable) prediction."""

    model_config = ConfigDict(frozen=True)

    id: str
    error: str = Field(description="Exception class, or a short tag.")
    message: str


class ArticleResult(BaseModel):
    """One article's counts, pairs, and the records left unpaired."""

    model_config = ConfigDict(frozen=True)

    id: str
    error: ArticleError | None = None
    scores: dict[str, Scores]
    pairs: list[Pair]
    missed: list[str] = Field(description="Gold records left unpaired, as 'type[i]: who'.")
    spurious: list[str] = Field(description="Predicted records left unpaired, as 'type[i]: who'.")
    grounding: Grounding


class EvalReport(BaseModel):
    """Scores of a set of predictions against the gold set. JSON-serialisable."""

    model_config = ConfigDict(frozen=True)

    model: str | None = Field(default=None, description="Model evaluated, when known.")
    articles: int
    types: dict[str, TypeScores]
    micro: Scores = Field(description="Micro-average over the four types.")
    fields: dict[str, FieldScore] = Field(description="Field accuracy over all types' pairs.")
    grounding: Grounding
    errors: list[ArticleError] = Field(description="Every article-level error; never hidden.")
    per_article: list[ArticleResult]


def _describe(who: Sequence[str]) -> str:
    return ", ".join(_first(name) for name in who)


def _is_grounded(record: Meeting | Statement | Visit | Warrant, text: str) -> bool:
    return all(_locate(e.quote, text) is not None for e in record.evidence)


def _grounding(grounded: int, predicted: int, dropped: int) -> Grounding:
    return Grounding(grounded=grounded, predicted=predicted, dropped=dropped,
                     share=grounded / predicted if predicted else None)  # fmt: skip


def _score_article(
    article: GoldArticle, summary: ArticleSummary | None, error: ArticleError | None
) -> ArticleResult:
    scores: dict[str, Scores] = {}
    all_pairs: list[Pair] = []
    missed: list[str] = []
    spurious: list[str] = []
    grounded = predicted_count = 0
    for kind in EVENT_TYPES:
        gold = article.events(kind)
        predicted: list[Meeting | Statement | Visit | Warrant] = (
            list(getattr(summary, kind)) if summary is not None else []
        )
        pairs = match_events(kind, gold, predicted, article.text)
        all_pairs.extend(pairs)
        paired_gold = {p.gold for p in pairs}
        paired_pred = {p.predicted for p in pairs}
        missed += [
            f"{kind}[{i}]: {_describe(_gold_actors(kind, g))}"
            for i, g in enumerate(gold)
            if i not in paired_gold
        ]
        spurious += [
            f"{kind}[{i}]: {_describe(_predicted_actors(p))}"
            for i, p in enumerate(predicted)
            if i not in paired_pred
        ]
        scores[kind] = Scores.of(len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs))
        grounded += sum(_is_grounded(p, article.text) for p in predicted)
        predicted_count += len(predicted)
    dropped = len(summary.dropped) if summary is not None else 0
    return ArticleResult(
        id=article.id,
        error=error,
        scores=scores,
        pairs=all_pairs,
        missed=missed,
        spurious=spurious,
        grounding=_grounding(grounded, predicted_count + dropped, dropped),
    )


_FIELDS: dict[str, Callable[[Pair], bool | None]] = {
    "time": lambda p: p.time_correct,
    "status": lambda p: p.status_correct,
    "place": lambda p: p.place_correct,
}


def _field_scores(pairs: Sequence[Pair], names: Iterable[str]) -> dict[str, FieldScore]:
    out: dict[str, FieldScore] = {}
    for name in names:
        values = [v for v in map(_FIELDS[name], pairs) if v is not None]
        out[name] = FieldScore.of(sum(values), len(values))
    return out


def score(
    gold: Sequence[GoldArticle],
    predicted: Mapping[str, ArticleSummary],
    *,
    errors: Mapping[str, BaseException | str] | None = None,
    model: str | None = None,
) -> EvalReport:
    """Score predicted summaries (by gold article id) against the gold set.

    A gold article without a prediction counts as predicted-empty and is listed
    in ``errors`` (with the error given in ``errors``, if any); a prediction for
    an id not in the gold set is listed there too and not scored. The matching
    rule and the measures are stated in the module docstring.

    Args:
        gold: the gold articles, e.g. from :func:`load_gold`.
        predicted: one ``ArticleSummary`` per gold article id.
        errors: why some articles have no prediction (an exception or a message).
        model: the model evaluated, recorded in the report.

    Returns:
        The report: per-type precision, recall, F1 and field accuracy, the
        micro-average, grounding, every error, and per-article details.
    """
    errors = dict(errors or {})
    listed: list[ArticleError] = []
    results: list[ArticleResult] = []
    gold_ids = {article.id for article in gold}
    for article in gold:
        summary = predicted.get(article.id)
        error: ArticleError | None = None
        cause = errors.get(article.id)
        if cause is not None:
            error = ArticleError(
                id=article.id,
                error=type(cause).__name__ if isinstance(cause, BaseException) else "error",
                message=str(cause),
            )
        elif summary is None:
            error = ArticleError(
                id=article.id, error="missing", message="no prediction for this article"
            )
        if error is not None:
            listed.append(error)
        results.append(_score_article(article, summary, error))
    for extra in sorted(set(predicted) - gold_ids):
        listed.append(
            ArticleError(
                id=extra, error="unknown", message="prediction for an id not in the gold set"
            )
        )

    types: dict[str, TypeScores] = {}
    all_pairs = [pair for result in results for pair in result.pairs]
    for kind in EVENT_TYPES:
        tp = sum(r.scores[kind].tp for r in results)
        fp = sum(r.scores[kind].fp for r in results)
        fn = sum(r.scores[kind].fn for r in results)
        names = (
            ("time", "status", "place") if kind in ("meetings", "visits") else ("time", "status")
        )
        base = Scores.of(tp, fp, fn)
        types[kind] = TypeScores(
            **base.model_dump(),
            fields=_field_scores([p for p in all_pairs if p.type == kind], names),
        )
    micro = Scores.of(
        sum(t.tp for t in types.values()),
        sum(t.fp for t in types.values()),
        sum(t.fn for t in types.values()),
    )
    grounding = _grounding(
        sum(r.grounding.grounded for r in results),
        sum(r.grounding.predicted for r in results),
        sum(r.grounding.dropped for r in results),
    )
    return EvalReport(
        model=model,
        articles=len(gold),
        types=types,
        micro=micro,
        fields=_field_scores(all_pairs, ("time", "status", "place")),
        grounding=grounding,
        errors=listed,
        per_article=results,
    )


# --------------------------------------------------------------------------------------
# Running an evaluation.


def run_eval(
    gold_dir: str | Path,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    cassette_dir: str | Path | None = None,
    record: bool = False,
    client: openai.OpenAI | None = None,
    retry: RetryPolicy | None = None,
    progress: Callable[[GoldArticle], None] | None = None,
    max_tokens: int | None = None,
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
    temperature: float | None = 0.0,
    token_budget: int | None = None,
    time_budget: float | None = None,
    max_validation_attempts: int = 3,
) -> EvalReport:
    """Summarise every gold article with a model and score the result.

    Each article is summarised with its gold ``published`` date. An article whose
    extraction raises a newsschema error (or whose cassette does not match)
    counts as predicted-empty, and its error is listed in the report. A
    ``ConfigurationError`` (no model, no key, unknown mode) is raised instead:
    it would fail every article alike.

    Args:
        gold_dir: directory of gold files (or one file), see :func:`load_gold`.
        model: model name; default ``NEWSSCHEMA_MODEL``.
        base_url: OpenAI-compatible server; default ``OPENAI_BASE_URL``.
        api_key: default ``OPENAI_API_KEY``. Replaying cassettes needs none.
        mode: structured-output mode; default ``NEWSSCHEMA_MODE`` or ``json_schema``.
        cassette_dir: record or replay each article's HTTP traffic in
            ``cassette_dir/<id>.json`` (needs vcrpy: ``newsschema[testing]``).
        record: with ``cassette_dir``, call the model and (re)write the cassettes;
            without it, replay them (``NEWSSCHEMA_RECORD=1`` also records).
        client: a ready ``openai.OpenAI`` client (e.g. ``FakeModel().client()``).
        retry: transport retry policy passed to ``summarize``.
        progress: called with each gold article before it is summarised.
        max_tokens: cap on output tokens per answer (bound it for weak models
            that repeat themselves until the context is full).
        max_input_tokens: articles estimated above this many tokens fail before
            any call, as in ``summarize``.
        temperature: sampling temperature sent with each request (None sends none).
        token_budget: tokens per article, all answers, after which no new answer
            is asked for.
        time_budget: seconds per article, retries and re-asks included.
        max_validation_attempts: answers allowed per article until one validates.

    Returns:
        The :class:`EvalReport`, with ``model`` set.

    Raises:
        GoldSetError: the gold set is invalid.
        ConfigurationError: the model cannot be called at all.
    """
    from newsschema._extraction import summarize

    gold = load_gold(gold_dir)
    model_name = model or os.environ.get("NEWSSCHEMA_MODEL")
    if cassette_dir is not None and not record and api_key is None and client is None:
        # Replay never reaches the provider; the SDK still wants some key.
        api_key = os.environ.get("OPENAI_API_KEY") or "replay"
    predicted: dict[str, ArticleSummary] = {}
    errors: dict[str, BaseException] = {}
    for article in gold:
        if progress is not None:
            progress(article)

        tape: AbstractContextManager[Any] = nullcontext()
        if cassette_dir is not None:
            from newsschema.testing import cassette

            path = Path(cassette_dir) / f"{article.id}.json"
            tape = cassette(path, record="all" if record else None)
        try:
            with tape:
                predicted[article.id] = summarize(
                    article.text, published=article.published, model=model, client=client,
                    mode=mode, api_key=api_key, base_url=base_url, retry=retry,
                    max_tokens=max_tokens, max_input_tokens=max_input_tokens,
                    temperature=temperature, token_budget=token_budget,
                    time_budget=time_budget, max_validation_attempts=max_validation_attempts,
                )  # fmt: skip
        except ConfigurationError:
            raise
        except (NewsschemaError, CassetteMismatchError) as exc:
            errors[article.id] = exc
    return score(gold, predicted, errors=errors, model=model_name)


def render_table(report: EvalReport) -> Group:
    """The report as rich renderables: a score table, grounding, then every error.

    Example:
        >>> from rich.console import Console
        >>> Console().print(render_table(report))  # doctest: +SKIP
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}"

    def field(scores: TypeScores | None, name: str) -> str:
        fields = report.fields if scores is None else scores.fields
        found = fields.get(name)
        return "" if found is None else f"{pct(found.accuracy)} ({found.correct}/{found.total})"

    # Model names, error ids and messages come from the user, the provider or a JSON file:
    # shown as Text (never markup) without escape sequences or control characters.
    def safe(text: object, style: str = "") -> Text:
        return Text(terminal_line(text), style=style)

    title = f"newsschema eval: {report.articles} articles"
    if report.model:
        title += f", model {report.model}"
    table = Table(title=safe(title))
    for column in ("type", "gold", "pred", "tp", "P", "R", "F1", "time", "status", "place"):
        numeric = column not in ("type", "time", "status", "place")
        table.add_column(column, justify="right" if numeric else "left", no_wrap=column == "type")
    for kind, s in report.types.items():
        table.add_row(
            safe(kind), str(s.gold), str(s.predicted), str(s.tp), pct(s.precision), pct(s.recall),
            pct(s.f1), field(s, "time"), field(s, "status"), field(s, "place"),
        )  # fmt: skip
    m = report.micro
    table.add_row(
        "micro", str(m.gold), str(m.predicted), str(m.tp), pct(m.precision), pct(m.recall),
        pct(m.f1), field(None, "time"), field(None, "status"), field(None, "place"),
        style="bold", end_section=True,
    )  # fmt: skip
    g = report.grounding
    parts: list[Any] = [
        table,
        Text(
            f"grounded evidence: {pct(g.share)} ({g.grounded}/{g.predicted} predicted records"
            f"{f', {g.dropped} dropped by the library' if g.dropped else ''})"
        ),
    ]
    if report.errors:
        parts.append(Text(f"{len(report.errors)} article error(s):", style="bold red"))
        parts += [
            Text("  " + terminal_line(f"{e.id}: {e.error}: {e.message}")) for e in report.errors
        ]
    else:
        parts.append(Text("no article errors"))
    return Group(*parts)
