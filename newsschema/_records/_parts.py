"""The parts every event is built from: actors, places, times and evidence.

Each part is what the model fills in (its fields are sent as the JSON schema)
plus what code computes, marked ``SkipJsonSchema`` so the model is never asked
for it (country codes, resolved dates, offsets).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

__all__ = [
    "STATUS_HELP",
    "Actor",
    "ActorKind",
    "Evidence",
    "EvidenceDraft",
    "Granularity",
    "Part",
    "Place",
    "PlaceKind",
    "Status",
    "When",
    "WhenDraft",
]

Status = Literal["occurred", "ongoing", "planned", "expected", "possible", "cancelled", "denied"]
ActorKind = Literal["person", "organisation", "state", "group"]
PlaceKind = Literal["city", "region", "country", "venue", "event", "other"]

STATUS_HELP = (
    "Modality as the article states it: occurred (it happened), ongoing, planned "
    "(announced or scheduled), expected (reported as likely), possible (hedged: may, "
    "might, could), cancelled, denied (someone denies it happened or will happen)."
)


class Part(BaseModel):
    """Base of everything sent to the model: closed objects, every field required."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(Part):
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


class Place(Part):
    """Where an event took or will take place."""

    name: str = Field(description="Place name as written in the article ('Moscow', 'Malta').")
    country: str | None = Field(
        description="Country of the place when the article makes it clear, or null."
    )
    kind: PlaceKind = Field(description="city, region, country, venue, event or other.")
    country_code: SkipJsonSchema[str | None] = Field(
        default=None,
        description=(
            "ISO 3166-1 alpha-3 code derived from `country` or the name, else from the "
            "gazetteer entry the place resolved to."
        ),
    )
    # Resolved from the offline GeoNames gazetteer (newsschema[geo]); None when the
    # place was not found or could not be told apart from another of the same name.
    geonames_id: SkipJsonSchema[int | None] = Field(
        default=None, description="GeoNames id of the place, or None if unresolved."
    )
    latitude: SkipJsonSchema[float | None] = Field(
        default=None, description="WGS 84 latitude of a resolved city, or None."
    )
    longitude: SkipJsonSchema[float | None] = Field(
        default=None, description="WGS 84 longitude of a resolved city, or None."
    )
    admin1: SkipJsonSchema[str | None] = Field(
        default=None,
        description="GeoNames first-level region code ('FR.11', 'US.TX'), or None.",
    )
    feature_class: SkipJsonSchema[str | None] = Field(
        default=None,
        description="GeoNames feature class: 'P' a populated place, 'A' a country or state.",
    )


class WhenDraft(Part):
    expression: str = Field(
        description=(
            "The time expression exactly as written in the article ('last weekend', "
            "'on Monday', 'in March', 'this year'). Never compute or add a date."
        )
    )


class EvidenceDraft(Part):
    quote: str = Field(
        description=(
            "A sentence or passage copied verbatim, character for character, from the "
            "article body, that states this event."
        )
    )

    # Whether the quote stands in the article is checked after parsing: an
    # ungrounded record is re-asked once, then dropped.
    @field_validator("quote")
    @classmethod
    def _quote_is_not_empty(cls, quote: str) -> str:
        if not quote.strip():
            raise ValueError("evidence quote is empty; copy the sentence that states the event")
        return quote


Granularity = Literal[
    "day", "weekend", "week", "month", "season", "quarter", "half", "year", "decade", "century"
]  # fmt: skip


class When(WhenDraft):
    """A time expression as written, and what code could resolve it to.

    ``value`` is the TIMEX3 value as TimeML writes it (``2023-09-16``, ``2023-09``,
    ``2023-W37``, ``2023-W37-WE``, ``2023-SU``, ``2023-Q1``, ``2023``, ``199``,
    ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``), or None when the expression
    could not be resolved; ``reason`` then says why. An expression that says how
    long, not when ("for three days"), stays unresolved with its ``duration``
    (``P3D``).
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
    duration: str | None = Field(
        default=None,
        description=(
            "TIMEX3 DURATION value when the expression is a length of time rather than a "
            "date ('for three days' → 'P3D'); None otherwise."
        ),
    )


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
