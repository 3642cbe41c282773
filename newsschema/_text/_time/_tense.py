"""Past or future, read from the sentence an expression stands in, and the choice it
makes among the occurrences of a recurring period (a weekday, a month, a season)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal

from ._calendar import _OutOfRange, _Span, _Unresolved
from ._lexicon import _MONTHS, _WEEKDAYS

Direction = Literal["past", "future"]


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
# One expression to resolve.


@dataclass
class _Request:
    """One expression to resolve: its normalised text, the anchor and the sentence."""

    text: str
    original: str
    anchor: date | None
    context: str | None
    # Another language's sentence: its tense, read by that language's marks.
    foreign: bool = False
    tense: Direction | None = None

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
        return self.tense if self.foreign else self._marked


NO_PUBLICATION_DATE = (
    "relative to the publication date, and no publication date is known "
    "(pass published=, or --published on the command line)"
)
