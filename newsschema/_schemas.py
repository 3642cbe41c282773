"""The records: what the model fills in (drafts) and what users get back.

Drafts hold only what the article says, as written; every field description is
sent to the model. Final records extend them with what code computes: evidence
offsets, resolved dates, provenance. The model is never asked for those.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

__all__ = [
    "Actor",
    "ArticleSummary",
    "DroppedRecord",
    "Evidence",
    "IndexedActor",
    "Meeting",
    "Place",
    "Provenance",
    "Statement",
    "Status",
    "Usage",
    "Visit",
    "Warrant",
    "WarrantStatus",
    "When",
]

Status = Literal["occurred", "ongoing", "planned", "expected", "possible", "cancelled", "denied"]
WarrantStatus = Literal["sought", "issued", "executed", "withdrawn", "denied"]
ActorKind = Literal["person", "organisation", "state", "group"]
PlaceKind = Literal["city", "region", "country", "venue", "event", "other"]
MeetingFormat = Literal["in_person", "phone", "video", "unknown"]

_STATUS_HELP = (
    "Modality as the article states it: occurred (it happened), ongoing, planned "
    "(announced or scheduled), expected (reported as likely), possible (hedged: may, "
    "might, could), cancelled, denied (someone denies it happened or will happen)."
)


class _Draft(BaseModel):
    """Base of everything sent to the model: closed objects, every field required."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(_Draft):
    """A person, organisation, state or group taking part in an event."""

    name: str = Field(
        description=(
            "Name as most fully given anywhere in the article (e.g. 'Wang Yi' even where "
            "a sentence says only 'Wang'). For an unnamed source, the article's words "
            "('a Kremlin official')."
        )
    )
    title: str | None = Field(
        description="Title or role as the article gives it ('Foreign Minister'), or null."
    )
    organisation: str | None = Field(
        description="Organisation the actor belongs to or speaks for, as written, or null."
    )
    country: str | None = Field(
        description="Country the actor belongs to, only when the article makes it clear, or null."
    )
    kind: ActorKind = Field(description="person, organisation, state (a country acting) or group.")
    # Computed by the library, never asked from the model (absent from the JSON schema).
    country_code: SkipJsonSchema[str | None] = Field(
        default=None, description="ISO 3166-1 alpha-3 code derived from `country` or the name."
    )


class Place(_Draft):
    """Where an event took or will take place."""

    name: str = Field(description="Place name as written in the article ('Moscow', 'Malta').")
    country: str | None = Field(
        description="Country of the place when the article makes it clear, or null."
    )
    kind: PlaceKind = Field(description="city, region, country, venue, event or other.")
    country_code: SkipJsonSchema[str | None] = Field(
        default=None, description="ISO 3166-1 alpha-3 code derived from `country` or the name."
    )


class WhenDraft(_Draft):
    expression: str = Field(
        description=(
            "The time expression exactly as written in the article ('last weekend', "
            "'on Monday', 'in March', 'this year'). Never compute or add a date."
        )
    )


class EvidenceDraft(_Draft):
    quote: str = Field(
        description=(
            "A sentence or passage copied verbatim, character for character, from the "
            "article body, that states this event."
        )
    )

    # Whether the quote stands in the article is checked after parsing (see
    # _checks.grounding_problems): an ungrounded record is re-asked once, then dropped.
    @field_validator("quote")
    @classmethod
    def _quote_is_not_empty(cls, quote: str) -> str:
        if not quote.strip():
            raise ValueError("evidence quote is empty; copy the sentence that states the event")
        return quote


class EventDraft(_Draft):
    when: WhenDraft | None = Field(
        description=(
            "When the event took or takes place, as written; null if the article does not say."
        )
    )
    evidence: list[EvidenceDraft] = Field(
        description="One or more verbatim passages from the article that state this event."
    )

    @field_validator("evidence")
    @classmethod
    def _has_evidence(cls, evidence: list[Any]) -> list[Any]:
        if not evidence:
            raise ValueError("at least one evidence quote is required")
        return evidence


class MeetingDraft(EventDraft):
    participants: list[Actor] = Field(
        description=(
            "Everyone taking part: two or more actors, or one actor and a counterpart group."
        )
    )
    place: Place | None = Field(description="Where the meeting was or will be held, or null.")
    format: MeetingFormat = Field(description="in_person, phone, video, or unknown.")
    topics: list[str] = Field(description="What was discussed, briefly, as the article says.")
    outcomes: list[str] = Field(description="Agreements or results the article reports.")
    status: Status = Field(description=_STATUS_HELP)


class StatementDraft(EventDraft):
    speaker: Actor = Field(description="Who said it (person, office, ministry or state).")
    content: str = Field(description="What was said, as a short faithful paraphrase.")
    quote: str | None = Field(
        description=(
            "The speaker's words copied verbatim when the article puts them in quotation "
            "marks; null for reported speech."
        )
    )
    addressee: Actor | None = Field(description="Whom it was said to, when stated, or null.")
    occasion: str | None = Field(
        description="The meeting, call or event where it was said, as the article puts it, or null."
    )
    status: Status = Field(description=_STATUS_HELP)


class VisitDraft(EventDraft):
    visitor: Actor = Field(description="Who travels.")
    host: Actor | None = Field(description="Who receives the visitor (person or state), or null.")
    destination: Place | None = Field(description="Where the visitor goes, or null.")
    duration: str | None = Field(
        description="Length of the visit as written ('four-day'), or null."
    )
    purpose: str | None = Field(description="Why, as the article says, or null.")
    status: Status = Field(description=_STATUS_HELP)


class WarrantDraft(EventDraft):
    subject: Actor = Field(description="Who the warrant is for.")
    authority: Actor | None = Field(
        description="Who issued or seeks it (court, prosecutor, state), or null."
    )
    kind: str = Field(description="'arrest warrant', 'red notice', 'summons' ... as written.")
    charges: list[str] = Field(description="Alleged offences, as written.")
    status: WarrantStatus = Field(
        description="sought, issued, executed (arrest made), withdrawn, or denied."
    )


class ArticleDraft(_Draft):
    """What the model returns for one article."""

    headline: str | None = Field(
        description="The main article's headline as written, or null if there is none."
    )
    summary: str = Field(
        description="Two or three sentences that faithfully summarise the main article only."
    )
    meetings: list[MeetingDraft] = Field(
        description="Meetings, talks and calls: held, planned, expected or denied."
    )
    statements: list[StatementDraft] = Field(
        description="Statements: who said what, to whom, in direct or reported speech."
    )
    visits: list[VisitDraft] = Field(description="Trips and visits by an actor to a place or host.")
    warrants: list[WarrantDraft] = Field(
        description="Arrest warrants, red notices and similar legal orders against a person."
    )


# --------------------------------------------------------------------------------------
# Final records: the drafts plus what code computes.


Granularity = Literal[
    "day", "weekend", "week", "month", "season", "quarter", "half", "year", "decade", "century"
]  # fmt: skip


class When(WhenDraft):
    """A time expression as written, and what code could resolve it to.

    ``value`` is the TIMEX3 value as TimeML writes it (``2023-09-16``, ``2023-09``,
    ``2023-W37``, ``2023-W37-WE``, ``2023-SU``, ``2023-Q1``, ``2023``, ``199``,
    ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``), or None when the expression
    could not be resolved; ``reason`` then says why.
    """

    value: str | None = Field(default=None, description="TIMEX3 value, or None if unresolved.")
    start: date | None = Field(default=None, description="First day the expression covers.")
    end: date | None = Field(default=None, description="Last day the expression covers.")
    granularity: Granularity | None = Field(default=None, description="Unit of the value.")
    modifier: Literal["START", "MID", "END", "APPROX"] | None = Field(
        default=None, description="TIMEX3 mod: early → START, mid → MID, late/end → END."
    )
    resolution: Literal["explicit", "relative", "unresolved"] = Field(
        default="unresolved",
        description=(
            "explicit (complete in the text), relative (computed from the anchor date), "
            "or unresolved."
        ),
    )
    reason: str | None = Field(default=None, description="Why it stayed unresolved.")


class Evidence(EvidenceDraft):
    """A verbatim passage of the article, with its offsets in the article text.

    Once located, ``text[start:end] == quote``: ``quote`` is the article's own
    characters (``str`` indices), with the punctuation around it that the model's
    copy also had. ``model_quote`` keeps the model's copy where it differs (case,
    spacing, quote marks, dashes, an ellipsis), else None. Fragments the model
    joined with "..." give one passage from the first fragment to the last, the
    words between them included. Unlocated evidence (``start`` None) keeps the
    model's copy as ``quote``.
    """

    start: int | None = Field(default=None, description="Start offset in the article text.")
    end: int | None = Field(default=None, description="End offset (exclusive).")
    model_quote: str | None = Field(
        default=None,
        description="The model's copy of the quote when it differs from the article's text.",
    )


class Meeting(MeetingDraft):
    """Two or more actors meeting, talking or calling (held, planned, expected ...)."""

    type: Literal["meeting"] = "meeting"
    when: When | None = None
    evidence: list[Evidence]  # type: ignore[assignment]


class Statement(StatementDraft):
    """Someone said something, in direct or reported speech.

    A direct ``quote`` is the article's own characters, ``text[quote_start:quote_end]``,
    as for :class:`Evidence`; ``model_quote`` keeps the model's copy where it differs.
    """

    type: Literal["statement"] = "statement"
    when: When | None = None
    evidence: list[Evidence]  # type: ignore[assignment]
    quote_start: int | None = Field(
        default=None, description="Start offset of the direct quote in the article text."
    )
    quote_end: int | None = Field(default=None, description="End offset (exclusive).")
    model_quote: str | None = Field(
        default=None,
        description="The model's copy of the direct quote when it differs from the article's.",
    )


class Visit(VisitDraft):
    """An actor travelling to a place or host."""

    type: Literal["visit"] = "visit"
    when: When | None = None
    evidence: list[Evidence]  # type: ignore[assignment]


class Warrant(WarrantDraft):
    """A warrant, red notice or similar order against a person."""

    type: Literal["warrant"] = "warrant"
    when: When | None = None
    evidence: list[Evidence]  # type: ignore[assignment]


class IndexedActor(Actor):
    """An actor of the article, once, with the records it appears in."""

    records: list[str] = Field(
        default_factory=list,
        description="Where the actor appears, as 'meetings.0', 'statements.3' ...",
    )


class DroppedRecord(BaseModel):
    """A record the model returned that was left out of the summary, and why."""

    model_config = ConfigDict(frozen=True)

    type: Literal["meeting", "statement", "visit", "warrant"]
    index: int = Field(description="Position in the model's list of that type.")
    reason: str
    record: dict[str, Any] = Field(description="The record as the model returned it.")


class Usage(BaseModel):
    """Tokens spent, summed over every attempt (failed ones too)."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    total_tokens: int = 0
    requests: int = Field(default=0, description="Model answers received (HTTP 200s).")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            requests=self.requests + other.requests,
        )

    @classmethod
    def from_openai(cls, usage: Any) -> Usage:
        """Read an OpenAI ``CompletionUsage`` (or None) as one request's usage."""
        if usage is None:
            return cls(requests=1)
        details = getattr(usage, "prompt_tokens_details", None)
        return cls(
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            cached_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0,
            total_tokens=getattr(usage, "total_tokens", 0) or 0,
            requests=1,
        )


class Provenance(BaseModel):
    """How a summary was made."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(description="Model name as sent to the provider.")
    mode: str = Field(description="How structured output was requested (see Mode).")
    prompt_version: str = Field(description="Content hash of the prompt templates.")
    schema_version: str = Field(description="Content hash of the JSON schema sent to the model.")
    library_version: str
    validation_attempts: int = Field(description="Model answers needed until one validated.")
    usage: Usage
    duration_seconds: float = Field(description="Wall time of the whole extraction.")
    created_at: datetime


PublishedSource = Literal["caller", "article header", "body", "unknown"]


class ArticleSummary(BaseModel):
    """A faithful summary of one article and the events it reports."""

    model_config = ConfigDict(frozen=True)

    headline: str | None
    summary: str
    published: date | None = Field(description="Publication date used to resolve relative times.")
    published_source: PublishedSource = Field(
        description=(
            "Where the publication date came from: the caller, the article's header or "
            "dateline, the first full date in its body, or unknown (relative times unresolved)."
        )
    )
    meetings: list[Meeting]
    statements: list[Statement]
    visits: list[Visit]
    warrants: list[Warrant]
    dropped: list[DroppedRecord] = Field(
        default_factory=list,
        description="Records left out (e.g. evidence not found in the article), with the reason.",
    )
    actors: list[IndexedActor] = Field(
        description="Every actor named in the events, once each, with where it appears."
    )
    provenance: Provenance

    @property
    def events(self) -> list[Meeting | Statement | Visit | Warrant]:
        """All events, meetings first, then statements, visits and warrants."""
        return [*self.meetings, *self.statements, *self.visits, *self.warrants]

    def to_records(
        self, *, article_id: str | None = None, url: str | None = None
    ) -> list[dict[str, Any]]:
        """One flat dict per event (see ``newsschema._export.to_records``)."""
        from ._export import to_records

        return to_records(self, article_id=article_id, url=url)

    def to_dataframe(self, *, article_id: str | None = None, url: str | None = None) -> Any:
        """The records as a pandas DataFrame; needs ``pip install 'newsschema[pandas]'``."""
        from ._export import to_dataframe

        return to_dataframe(self, article_id=article_id, url=url)

    def _repr_html_(self) -> str:
        from ._report import summary_html

        return summary_html(self)

    def _repr_markdown_(self) -> str:
        from ._report import summary_markdown

        return summary_markdown(self)


# --------------------------------------------------------------------------------------
# The JSON schema sent to the model.

# Keywords OpenAI strict structured outputs accepts (platform docs, "Supported schemas").
STRICT_KEYWORDS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "anyOf", "$ref", "$defs", "description", "title", "pattern", "format", "minimum",
        "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
    }
)  # fmt: skip


def _inline_refs_with_siblings(node: Any, defs: dict[str, Any]) -> Any:
    """Strict mode rejects ``$ref`` beside other keys: inline those refs (as openai-python does)."""
    if isinstance(node, list):
        return [_inline_refs_with_siblings(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _inline_refs_with_siblings(v, defs) for k, v in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) > 1:
        target = defs[ref.removeprefix("#/$defs/")]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline_refs_with_siblings(merged, defs)
    return node


@cache
def _strict_schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    return json.dumps(_inline_refs_with_siblings(schema, defs))


@cache
def draft_schema() -> dict[str, Any]:
    """The schema sent with every request, built once (callers must not mutate it)."""
    return strict_json_schema()


def strict_json_schema(model: type[BaseModel] = ArticleDraft) -> dict[str, Any]:
    """The JSON schema of ``model`` in the form OpenAI strict structured outputs accepts."""
    schema: dict[str, Any] = json.loads(_strict_schema_text(model))
    return schema


@cache
def schema_version() -> str:
    """Short content hash of the schema sent to the model."""
    canonical = json.dumps(strict_json_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]
