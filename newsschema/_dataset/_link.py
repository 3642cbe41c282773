"""One event across many articles: records of the same real-world event linked into clusters.

Precision first: a wrong merge corrupts counts, so a record joins a cluster only on
strong evidence and when nothing disagrees. The rule, for two records of one type
(every type of the registry, read through ``event_type``):

- **Conflicts block.** Resolved times whose day ranges do not overlap; places that
  are both given and do not match (by GeoNames id, normalised name, or a country
  place holding the other's country code); single-actor fields holding different actors;
  identity text fields (a quote) both filled and different; incompatible statuses.
- **Statuses.** Same group (occurred/ongoing; planned/expected/possible) links; a
  planned and an occurred record link only when both times are resolved to the day
  and agree; planned and cancelled link when times do not conflict; denied links
  only with denied. A type with ``status_match="exact"`` links equal statuses only.
- **Evidence.** Actors match by normalised name words (one name's words inside the
  other's in order with the same last word, or a one-word name equal to the other's
  first or last word: "Putin", "Vladimir Putin", "Russian President Vladimir Putin";
  "Xi", "Xi Jinping") and compatible country codes. A link needs one of: ``min_actors`` (default
  2) matched actors (rule ``actors``); or one matched actor, the same place and the
  same day (rule ``actor+place+day``); or one matched actor, an equal identity text
  field and the same day (rule ``actor+identity+day``). An unresolved time does not
  block, but a record with one joins only a cluster it alone matches.
- **Ambiguity.** A record matching more than one cluster equally well stays alone.

Blocking: candidates come from an index keyed by (type, actor key, month of the
time), so the work is near-linear in the number of records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from newsschema._io import read_jsonl
from newsschema._records import Actor, ArticleSummary, Event, Place, When, event_type
from newsschema._text import name_words

__all__ = ["ClusterLink", "EventCluster", "LinkRules", "Mention", "link_events"]

_PAST, _FUTURE = frozenset({"occurred", "ongoing"}), frozenset({"planned", "expected", "possible"})
_COARSE = "*"  # bucket of records without a time resolved to two months or less
_FINE_DAYS = 62


class LinkRules(BaseModel):
    """The thresholds of :func:`link_events`.

    Attributes:
        min_actors: matched actors that link two records by themselves.
        allow_single_actor: whether one actor plus the same place (or an equal
            identity text) and the same day may link.
        link_planned_occurred: whether a planned and an occurred record of the same
            day link (a meeting announced, then held).
        max_candidates: clusters compared per record; a record with more candidates
            (very common actors with no usable time) stays alone.
        unresolved_window_days: a record whose time is unresolved is compared with
            clusters whose times lie within this many days of its publication.
    """

    model_config = ConfigDict(frozen=True)

    min_actors: int = Field(default=2, ge=1)
    allow_single_actor: bool = True
    link_planned_occurred: bool = True
    max_candidates: int = Field(default=1000, ge=1)
    unresolved_window_days: int = Field(default=365, ge=0)


class Mention(BaseModel):
    """One article's record of a clustered event."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    index: int = Field(description="Position in that article's list of records of the type.")
    published: date | None = Field(description="The article's publication date.")
    headline: str | None = Field(description="The article's headline.")
    record: SerializeAsAny[Event]


class ClusterLink(BaseModel):
    """Why a mention joined its cluster."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    index: int
    rule: str = Field(description="actors, actor+place+day or actor+identity+day.")
    matched: list[str] = Field(description="The keys that matched ('actor:vladimir putin').")


class EventCluster(BaseModel):
    """Records of one real-world event, from one or more articles.

    ``id`` derives from the cluster's first mention (by publication, article id,
    index), so reruns on the same results give the same ids, and adding later
    articles keeps them.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    type: str = Field(description="The event type's name.")
    record: SerializeAsAny[Event] = Field(description="Canonical record: the fullest fields.")
    mentions: list[Mention]
    earliest: date | None = Field(description="Earliest publication among the mentions.")
    links: list[ClusterLink] = Field(description="For every mention after the first, why.")

    @property
    def articles(self) -> list[str]:
        """The ids of the articles reporting the event, once each, in mention order."""
        return list(dict.fromkeys(m.article_id for m in self.mentions))


# --------------------------------------------------------------------------------------
# Keys of a record


@dataclass(frozen=True)
class _Person:
    words: tuple[str, ...]
    country: str | None

    def matches(self, other: _Person) -> bool:
        if self.country and other.country and self.country != other.country:
            return False
        short, long = sorted((self.words, other.words), key=len)
        if len(short) == 1:  # "Putin" is "Vladimir Putin", "Xi" is "Xi Jinping"
            return short[0] in (long[0], long[-1])
        if short[-1] != long[-1]:  # "Wang Yi" is not "Wang Wenbin"
            return False
        rest = iter(long)
        return all(w in rest for w in short)


def _person(actor: Actor) -> _Person | None:
    return _person_of(actor.name, actor.country_code)


@lru_cache(maxsize=65536)
def _person_of(name: str, country: str | None) -> _Person | None:
    words = name_words(name)
    if words[:1] == ("the",):
        words = words[1:]
    return _Person(words, country) if words else None


def _place_key(place: Place) -> tuple[str, ...]:
    words = name_words(place.name)
    return words[1:] if words[:1] == ("the",) else words


def _day_span(when: When | None) -> tuple[date, date] | None:
    if when is None or when.start is None or when.end is None:
        return None
    return when.start, when.end


@dataclass
class _Item:
    order: tuple[Any, ...]
    article_id: str
    index: int
    published: date | None
    headline: str | None
    record: Event
    single: dict[str, _Person | None]
    people: list[_Person]
    places: list[Place]
    span: tuple[date, date] | None
    texts: dict[str, str]
    buckets: list[str] = dataclass_field(init=False)
    months: tuple[str, str] | None = dataclass_field(init=False)

    @property
    def day(self) -> date | None:
        return self.span[0] if self.span and self.span[0] == self.span[1] else None

    def __post_init__(self) -> None:
        span = self.span
        if span is None or (span[1] - span[0]).days > _FINE_DAYS:
            self.buckets = [_COARSE]
        else:
            self.buckets = sorted({f"{span[0]:%Y-%m}", f"{span[1]:%Y-%m}"})
        self.months = (f"{span[0]:%Y-%m}", f"{span[1]:%Y-%m}") if span else None


def _item(article_id: str, index: int, summary: ArticleSummary, record: Event) -> _Item:
    spec = event_type(type(record))
    single: dict[str, _Person | None] = {}
    people: list[_Person] = []
    for field, many in spec.actor_fields:
        value = getattr(record, field)
        actors = value if many else [value] if value is not None else []
        found = [p for p in map(_person, actors) if p is not None]
        people.extend(found)
        if not many:
            single[field] = found[0] if found else None
    places: list[Place] = []
    for field, many in spec.place_fields:
        value = getattr(record, field)
        places.extend(value if many else [value] if value is not None else [])
    texts: dict[str, str] = {}
    for part in spec.identity:
        for field in part if isinstance(part, tuple) else (part,):
            value = getattr(record, field, None)
            if isinstance(value, str) and value.strip():
                texts[field] = " ".join(value.casefold().split())
    order = (summary.published or date.max, article_id, spec.name, index)
    return _Item(
        order,
        article_id,
        index,
        summary.published,
        summary.headline,
        record,
        single,
        people,
        places,
        _day_span(record.when),
        texts,
    )


# --------------------------------------------------------------------------------------
# Comparing a record with a cluster


def _status_ok(a: str, b: str, same_day: bool, exact: bool, rules: LinkRules) -> bool:
    if a == b:
        return True
    if exact or "denied" in (a, b):
        return False
    if {a, b} <= _PAST or {a, b} <= _FUTURE:
        return True
    if "cancelled" in (a, b):
        return ({a, b} - {"cancelled"}) <= _FUTURE
    return rules.link_planned_occurred and same_day


def _place_match(a: Place, b: Place) -> bool | None:
    """True: the same place; False: different places; None: compatible (country holds city)."""
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True  # "Moscow" and "Moscow, Russia": one gazetteer entry
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return False
    ka, kb = _place_key(a), _place_key(b)
    if ka == kb:
        return True
    for big, small in ((a, b), (b, a)):
        if big.kind == "country" and big.country_code and big.country_code == small.country_code:
            return None
    return False


@dataclass
class _Cluster:
    first: _Item
    items: list[_Item]
    reasons: list[ClusterLink]
    days: set[date] = dataclass_field(default_factory=set)

    def span(self) -> tuple[date, date] | None:
        spans = [i.span for i in self.items if i.span is not None]
        return min(spans, key=lambda s: (s[1] - s[0], s)) if spans else None


def _compare(item: _Item, cluster: _Cluster, rules: LinkRules) -> tuple[str, list[str]] | None:
    """The rule and keys that link ``item`` to ``cluster``, or None."""
    spec = event_type(type(item.record))
    matched: list[str] = []
    for other in cluster.items:
        if not _agrees(item, other, spec.status_match == "exact", rules):
            return None
    people = [p for i in cluster.items for p in i.people]
    for person in item.people:
        same = next((p for p in people if person.matches(p)), None)
        if same is not None:
            mine, theirs = " ".join(person.words), " ".join(same.words)
            matched.append(f"actor:{mine}" + (f"={theirs}" if theirs != mine else ""))
    place_same = False
    for place in item.places:
        for seen in (p for i in cluster.items for p in i.places):
            if _place_match(place, seen) is True:
                place_same = True
                matched.append("place:" + " ".join(_place_key(place)))
                break
    days = {i.day for i in cluster.items} - {None}
    same_day = item.day is not None and item.day in days
    if same_day:
        matched.append(f"day:{item.day}")
    texts = {k: v for i in cluster.items for k, v in i.texts.items()}
    same_text = [k for k, v in item.texts.items() if texts.get(k) == v]
    matched.extend(f"{k}:equal" for k in same_text)
    actors = sum(m.startswith("actor:") for m in matched)
    if actors >= rules.min_actors:
        return "actors", matched
    if rules.allow_single_actor and actors >= 1 and same_day:
        if place_same:
            return "actor+place+day", matched
        if same_text:
            return "actor+identity+day", matched
    return None


def _agrees(a: _Item, b: _Item, exact: bool, rules: LinkRules) -> bool:
    if a.span and b.span and (a.span[1] < b.span[0] or b.span[1] < a.span[0]):
        return False
    same_day = a.day is not None and a.day == b.day
    if not _status_ok(str(a.record.status), str(b.record.status), same_day, exact, rules):
        return False
    if (
        a.places
        and b.places
        and not any(_place_match(x, y) is not False for x in a.places for y in b.places)
    ):
        return False
    for field, person in a.single.items():
        theirs = b.single.get(field)
        if person and theirs and not person.matches(theirs):
            return False
    return all(b.texts.get(k, v) == v for k, v in a.texts.items())


# --------------------------------------------------------------------------------------
# Canonical record


def _fullness(record: BaseModel) -> int:
    return sum(v not in (None, [], "") for v in record.model_dump().values())


def _fullest_actor(actors: list[Actor]) -> list[Actor]:
    """Actors once each (matching names merged), each in its fullest form."""
    kept: list[tuple[_Person, Actor]] = []
    for actor in actors:
        person = _person(actor)
        if person is None:
            continue
        for n, (seen, old) in enumerate(kept):
            if seen.matches(person):
                if (len(person.words), _fullness(actor)) > (len(seen.words), _fullness(old)):
                    kept[n] = (person, actor)
                break
        else:
            kept.append((person, actor))
    return [a for _, a in kept]


def _canonical(items: list[_Item]) -> Event:
    records = [i.record for i in items]
    base = max(records, key=_fullness)
    spec = event_type(type(base))
    update: dict[str, Any] = {}
    for field, many in spec.actor_fields:
        if many:
            update[field] = _fullest_actor([a for r in records for a in getattr(r, field)])
    for field in spec.fields:
        if getattr(base, field) in (None, [], "") and field not in update:
            filled = [getattr(r, field) for r in records if getattr(r, field) not in (None, [], "")]
            if filled:
                update[field] = filled[0]
    timed = [r.when for r in records if r.when is not None and r.when.start and r.when.end]
    if timed:
        update["when"] = min(timed, key=lambda w: (w.end - w.start) if w.end and w.start else 0)
    newest = max(items, key=lambda i: i.order[:1] if i.published else (date.min,))
    update["status"] = newest.record.status
    seen: set[str] = set()
    evidence = []
    for record in records:
        for quote in record.evidence:
            if quote.quote not in seen:
                seen.add(quote.quote)
                evidence.append(quote)
    update["evidence"] = evidence
    return base.model_copy(update=update)


# --------------------------------------------------------------------------------------
# Linking


def _items(results: Iterable[tuple[str, ArticleSummary]]) -> Iterator[_Item]:
    for article_id, summary in results:
        counters: dict[type[Event], int] = {}
        for record in summary.events:
            index = counters.get(type(record), 0)
            counters[type(record)] = index + 1
            yield _item(article_id, index, summary, record)


def _cluster_id(item: _Item) -> str:
    key = f"{item.record.type}\x1f{item.article_id}\x1f{item.index}"
    return "ev-" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]


def link_events(
    results: Iterable[tuple[str, ArticleSummary]] | str | Path,
    *,
    rules: LinkRules | None = None,
) -> list[EventCluster]:
    """Group the records of many articles that report the same real-world event.

    Args:
        results: ``(article id, ArticleSummary)`` pairs, or the path of a JSON Lines
            output (read with :func:`newsschema.read_jsonl`).
        rules: the thresholds (default :class:`LinkRules()`); see the module's rule.

    Returns:
        One cluster per event, every record in exactly one cluster (a record no
        other matched forms one of its own), ordered by first mention.

    Raises:
        InputError: the JSON Lines file cannot be read.
    """
    rules = rules or LinkRules()
    pairs = read_jsonl(results) if isinstance(results, str | Path) else results
    items = sorted(_items(pairs), key=lambda i: i.order)
    clusters: list[_Cluster] = []
    blocks = _Blocks(rules.unresolved_window_days)
    for item in items:
        hits = blocks.candidates(item)
        wanted = [
            n
            for n, people in hits.items()
            if people >= rules.min_actors
            or (rules.allow_single_actor and item.day is not None and item.day in clusters[n].days)
        ]
        found: list[tuple[int, int, str, list[str]]] = []
        if len(wanted) <= rules.max_candidates:
            for number in wanted:
                linked = _compare(item, clusters[number], rules)
                if linked is not None:
                    found.append((-len(linked[1]), number, *linked))
        found.sort(key=lambda f: f[:2])
        unique = len(found) == 1 or (len(found) > 1 and found[0][0] < found[1][0])
        if found and unique and (item.span is not None or len(found) == 1):
            _, number, rule, matched = found[0]
            cluster = clusters[number]
            cluster.items.append(item)
            cluster.reasons.append(
                ClusterLink(
                    article_id=item.article_id, index=item.index, rule=rule, matched=matched
                )
            )
        else:
            number = len(clusters)
            cluster = _Cluster(item, [item], [])
            clusters.append(cluster)
        if item.day is not None:
            cluster.days.add(item.day)
        blocks.add(item, number)
    return [_finish(c) for c in clusters]


class _Blocks:
    """Clusters by (type, name word, month): where a record's candidates are looked up.

    A person is found by the last word of their name; a one-word name also by the
    first word of longer names ("Xi" finds "Xi Jinping"), and a longer name finds
    one-word names equal to its first word. A record whose time spans more than two
    months (or is unresolved) goes in the month ``*``; an unresolved one looks in
    the months within ``window`` days of its article's publication (every month
    when that is unknown).
    """

    def __init__(self, window: int) -> None:
        self.window = timedelta(days=window)
        self.last: dict[tuple[str, str, str], list[int]] = {}
        self.first: dict[tuple[str, str, str], list[int]] = {}
        self.single: dict[tuple[str, str, str], list[int]] = {}
        self.months: dict[tuple[str, str], set[str]] = {}

    def _looked(self, kind: str, key: str, item: _Item) -> list[str]:
        if item.span is None:
            months = self.months.get((kind, key), set())
            if item.published is None:
                return sorted(months)
            low, high = item.published - self.window, item.published + self.window
            return sorted(b for b in months if _overlaps(b, (f"{low:%Y-%m}", f"{high:%Y-%m}")))
        if item.buckets != [_COARSE]:
            return [*item.buckets, _COARSE]
        return sorted(b for b in self.months.get((kind, key), ()) if _overlaps(b, item.months))

    def candidates(self, item: _Item) -> dict[int, int]:
        """Cluster numbers, each with how many of the record's people it may share."""
        kind = item.record.type
        hits: dict[int, int] = {}
        for person in item.people:
            words = person.words
            if len(words) == 1:
                lookups = [(self.last, words[0]), (self.first, words[0])]
            else:
                lookups = [(self.last, words[-1]), (self.single, words[0])]
            found: set[int] = set()
            for table, key in lookups:
                for bucket in self._looked(kind, key, item):
                    found.update(table.get((kind, key, bucket), ()))
            for number in found:
                hits[number] = hits.get(number, 0) + 1
        return dict(sorted(hits.items()))

    def add(self, item: _Item, number: int) -> None:
        kind = item.record.type
        for person in item.people:
            words = person.words
            keys = [(self.last, words[-1])]
            keys.append((self.single, words[0]) if len(words) == 1 else (self.first, words[0]))
            for table, key in keys:
                for bucket in item.buckets:
                    entries = table.setdefault((kind, key, bucket), [])
                    if not entries or entries[-1] != number:
                        entries.append(number)
                    self.months.setdefault((kind, key), set()).add(bucket)


def _overlaps(bucket: str, months: tuple[str, str] | None) -> bool:
    return bucket == _COARSE or months is None or months[0] <= bucket <= months[1]


def _finish(cluster: _Cluster) -> EventCluster:
    first = cluster.first
    published = [i.published for i in cluster.items if i.published is not None]
    return EventCluster(
        id=_cluster_id(first),
        type=first.record.type,
        record=_canonical(cluster.items),
        mentions=[
            Mention(
                article_id=i.article_id,
                index=i.index,
                published=i.published,
                headline=i.headline,
                record=i.record,
            )
            for i in cluster.items
        ],
        earliest=min(published) if published else None,
        links=cluster.reasons,
    )
