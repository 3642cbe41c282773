"""One record per event: duplicates merged, and a cheap check of the reported modality.

The model may report one event twice, once for each sentence that mentions it.
Records are merged only when nothing they say disagrees.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

from newsschema._records import Actor, Event, Evidence, Place, When, event_type

__all__ = ["merge_duplicates", "status_problem"]

R = TypeVar("R", bound=Event)

_QUOTES = str.maketrans(dict.fromkeys("\u2018\u2019\u201c\u201d", "'"))
# Time values that say only "past", "present" or "future": two of them need not be
# the same time, so the expressions decide.
_VAGUE_TIMES = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
# Statuses that can describe one event: "planned" in one sentence and "expected" in
# another is one future visit; "occurred" and "planned" are two events.
_STATUS_GROUP = {
    "occurred": "past",
    "ongoing": "past",
    "planned": "future",
    "expected": "future",
    "possible": "future",
    "cancelled": "cancelled",
    "denied": "denied",
}


def _text(value: str) -> str:
    """Comparable form of free text: casefolded, straight quotes, single spaces, no end stop."""
    return " ".join(value.translate(_QUOTES).casefold().split()).strip(" .,;:'\"")


def _same_time(a: When | None, b: When | None) -> bool:
    if a is None or b is None:
        return True
    if a.value and b.value and a.value not in _VAGUE_TIMES and b.value not in _VAGUE_TIMES:
        return a.value == b.value
    return _text(a.expression) == _text(b.expression)


def _same_place(a: Place | None, b: Place | None) -> bool:
    return a is None or b is None or _text(a.name) == _text(b.name)


def _same_actor(a: Actor | None, b: Actor | None) -> bool:
    return a is not None and b is not None and _text(a.name) == _text(b.name)


def _same_value(a: Any, b: Any) -> bool:
    """One identity field of two records: the same thing, or for a place, compatible."""
    if isinstance(a, list) and isinstance(b, list):
        names_a = {_name(x) for x in a} - {None}
        return bool(names_a) and names_a == {_name(x) for x in b} - {None}
    if isinstance(a, Place) or isinstance(b, Place):
        return _same_place(a, b)
    if isinstance(a, Actor) or isinstance(b, Actor):
        return _same_actor(a, b)
    if isinstance(a, str) and isinstance(b, str):
        return _text(a) == _text(b)
    return bool(a == b)


def _name(value: Any) -> str | None:
    if isinstance(value, Actor | Place):
        return _text(value.name)
    return _text(value) if isinstance(value, str) else None


def _same_event(a: Any, b: Any) -> bool:
    """True when two records report one event and nothing in them disagrees.

    The event type's ``identity`` says which fields must agree; a tuple in it names
    alternatives, of which the first that both records fill decides.
    """
    if type(a) is not type(b) or not _same_time(a.when, b.when):
        return False
    spec = event_type(type(a))
    for part in spec.identity:
        choices = part if isinstance(part, tuple) else (part,)
        for field in choices:
            mine, theirs = getattr(a, field), getattr(b, field)
            if len(choices) > 1 and (mine is None or theirs is None) and field != choices[-1]:
                continue  # an alternative one record leaves empty: the next decides
            if not _same_value(mine, theirs):
                return False
            break
    mine_status, their_status = str(a.status), str(b.status)
    if spec.status_match == "exact":
        return mine_status == their_status
    return _STATUS_GROUP.get(mine_status, mine_status) == _STATUS_GROUP.get(
        their_status, their_status
    )


def _identity(value: BaseModel) -> str | None:
    """What makes two nested values the same thing: an actor's or place's name."""
    if isinstance(value, Actor | Place):
        return _text(value.name)
    if isinstance(value, Evidence):
        return _text(value.quote)
    return None


def _fill(kept: Any, other: Any) -> Any:
    """``kept`` with its None fields taken from ``other`` when both are the same thing."""
    if not isinstance(kept, BaseModel) or not isinstance(other, BaseModel):
        return kept if kept is not None else other
    if isinstance(kept, When) and isinstance(other, When):
        # A resolved time replaces an unresolved one as a whole: its value, range
        # and reason belong together.
        return other if kept.value is None and other.value is not None else kept
    if type(kept) is not type(other) or _identity(kept) != _identity(other):
        return kept
    update = {
        name: getattr(other, name)
        for name in type(kept).model_fields
        if getattr(kept, name) is None and getattr(other, name) is not None
    }
    return kept.model_copy(update=update) if update else kept


def _union(kept: list[Any], other: list[Any]) -> list[Any]:
    """Items of both lists once, in order; models of the same thing merged."""
    merged = list(kept)
    for item in other:
        for i, existing in enumerate(merged):
            if _duplicate(existing, item):
                merged[i] = _fill(existing, item)
                break
        else:
            merged.append(item)
    return merged


def _duplicate(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return _text(a) == _text(b)
    if isinstance(a, Evidence) and isinstance(b, Evidence):
        same_span = a.start is not None and (a.start, a.end) == (b.start, b.end)
        return same_span or _text(a.quote) == _text(b.quote)
    if isinstance(a, BaseModel) and isinstance(b, BaseModel):
        return type(a) is type(b) and _identity(a) is not None and _identity(a) == _identity(b)
    return bool(a == b)


def _combine(kept: R, other: R) -> R:
    update: dict[str, Any] = {}
    for name in type(kept).model_fields:
        mine, theirs = getattr(kept, name), getattr(other, name)
        value = _union(mine, theirs) if isinstance(mine, list) else _fill(mine, theirs)
        if value is not mine:
            update[name] = value
    return kept.model_copy(update=update)


def merge_duplicates(records: list[R]) -> list[R]:
    """The records with each event reported more than once merged into one record.

    Two records are one event when they are of the same type, agree on the fields
    of the type's ``identity`` (meetings: the same participants and a compatible
    place; visits: the same visitor and destination; statements: the same speaker
    and the same direct quote, or the same content; a user's type: its actors and
    places, unless it names its own identity), at a
    compatible time (the same expression, or the same resolved value), with a
    compatible status (occurred/ongoing, or planned/expected/possible, unless the
    type asks for the exact status). A missing time or place is compatible with
    any. Names and texts are compared ignoring case and spacing.

    The merged record stands where the first mention stood and keeps its values; its
    empty fields are filled from the later mentions, its lists (topics, outcomes,
    charges) gain their new items, and its evidence lists every mention's quotes
    once. Each record is compared with the merged records before it, so a record
    that disagrees with what a merge already knows stays apart.

    Args:
        records: records of one type, in the order the model gave them.

    Returns:
        New list; records without duplicates are returned as they were, in order.
    """
    merged: list[R] = []
    for record in records:
        for i, kept in enumerate(merged):
            if _same_event(kept, record):
                merged[i] = _combine(kept, record)
                break
        else:
            merged.append(record)
    return merged


# --------------------------------------------------------------------------------------
# Modality

# Words that put an event in the future or in doubt, and the status they suggest.
# "may" and "will" match in lower case only: "May" is a month, "Will" a name.
_HEDGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:un)?likely\b", re.IGNORECASE), "expected"),
    (re.compile(r"\bexpected to\b", re.IGNORECASE), "expected"),
    (re.compile(r"\b(?:might|could|would)\b", re.IGNORECASE), "possible"),
    (re.compile(r"\bmay\b"), "possible"),
    (re.compile(r"\bwill\b|\w['\u2019]ll\b"), "planned"),
    (re.compile(r"\b(?:plans?|planning|intends?|intending) to\b", re.IGNORECASE), "planned"),
    (re.compile(r"\b(?:is|are|was|were) (?:set|scheduled|due) to\b", re.IGNORECASE), "planned"),
    (re.compile(r"\b(?:is|are|am) going to\b", re.IGNORECASE), "planned"),
)
# Verbs in the past and past time phrases: a quote with one states something done.
_DONE = re.compile(
    r"\b(?:met|said|told|visited|arrived|held|hosted|signed|issued|announced|agreed|"
    r"discussed|talked|spoke|called|travell?ed|went|came|flew|landed|received|welcomed|"
    r"stated|added|declared|warned|urged|insisted|confirmed|arrested|charged|attended|"
    r"returned|reached|concluded|mentioned|explained|noted|wrote|argued|claimed|"
    r"stressed|emphasi[sz]ed|pledged|promised|vowed|invited|asked|replied|"
    r"responded|had|happened|occurred|took place|began|started|ended|"
    r"yesterday|ago|last (?:night|week|weekend|month|year|[a-z]+day))\b",
    re.IGNORECASE,
)
# "may have met", "would have visited": a past verb under a modal is still hedged.
# Lower case only, as above: "In May Putin met Xi" states a meeting.
_MODAL_BEFORE = re.compile(r"\b(?:may|might|could|would|will|should|must)(?:\s+\w+){0,2}\s*$")


def _hedge(quote: str) -> tuple[str, str] | None:
    """The first hedge word in the quote and the status it suggests, or None."""
    found = [
        (match.start(), match.group(), status)
        for pattern, status in _HEDGES
        if (match := pattern.search(quote))
    ]
    if not found:
        return None
    _, word, status = min(found)
    return word, status


def _states_done(quote: str) -> bool:
    return any(not _MODAL_BEFORE.search(quote[: match.start()]) for match in _DONE.finditer(quote))


def status_problem(status: str, quotes: list[str]) -> str | None:
    """An error message when a record says "occurred" but its evidence is hedged.

    A quote is hedged when it has a word that puts the event in doubt or in the
    future ("likely", "may", "will", "plans to", "is expected to" ...) and no
    past-tense verb or past time phrase that states something done ("met",
    "said", "last week"). Only when every quote is hedged is there a problem: one
    plain sentence of the event is enough.

    Args:
        status: the record's status.
        quotes: its evidence quotes.

    Returns:
        A one-line message naming the hedge word and the statuses to use instead,
        or None.

    Examples:
        >>> status_problem("occurred", ["Putin is likely to visit China next month."])[:45]
        "status is 'occurred' but the evidence says 'l"
        >>> status_problem("occurred", ["Lavrov said Russia will prepare the meetings."])
    """
    if status != "occurred" or not quotes:
        return None
    hedges = []
    for quote in quotes:
        hedge = _hedge(quote)
        if hedge is None or _states_done(quote):
            return None
        hedges.append(hedge)
    word, suggested = hedges[0]
    others = [s for s in ("expected", "possible", "planned") if s != suggested]
    return (
        f"status is 'occurred' but the evidence says {word!r}: use {suggested!r} "
        f"(or {others[0]!r} / {others[1]!r}, as the article puts it), or quote a sentence "
        "that states the event happened"
    )
