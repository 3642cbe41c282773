"""The four event types newsschema ships: entries of the registry like any user's type.

Their class keywords carry the prompt's definition and the schema's description,
worded (and, in the definitions, broken into lines) as the prompt has always had
them, so requests stay the same as recorded.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from ._event import Event
from ._parts import STATUS_HELP, Actor, Place, Status

__all__ = ["BUILTIN_TYPES", "Meeting", "Statement", "Visit", "Warrant", "WarrantStatus"]

WarrantStatus = Literal["sought", "issued", "executed", "withdrawn", "denied"]
MeetingFormat = Literal["in_person", "phone", "video", "unknown"]


class Meeting(
    Event,
    definition=(
        "talks, summits, calls and encounters between actors, held or not\n"
        "yet held. Phone and video calls are meetings with format phone or video."
    ),
    description="Meetings, talks and calls: held, planned, expected or denied.",
    identity=("participants", "place"),
):
    """Two or more actors meeting, talking or calling (held, planned, expected ...)."""

    participants: list[Actor] = Field(
        description=(
            "Everyone taking part: two or more actors, or one actor and a counterpart group."
        )
    )
    place: Place | None = Field(description="Where the meeting was or will be held, or null.")
    format: MeetingFormat = Field(description="in_person, phone, video, or unknown.")
    topics: list[str] = Field(description="What was discussed, briefly, as the article says.")
    outcomes: list[str] = Field(description="Agreements or results the article reports.")
    status: Status = Field(description=STATUS_HELP)


class Statement(
    Event,
    definition=(
        "who said what, to whom, in direct quotation or reported speech.\n"
        "One record per distinct claim. Put the speaker's own quoted words in `quote`\n"
        "only when the article puts them in quotation marks; otherwise `quote` is null."
    ),
    description="Statements: who said what, to whom, in direct or reported speech.",
    identity=("speaker", ("quote", "content")),
    quote_fields=("quote",),
    # Its status is the act of saying; what was said ("will not leave") is often future.
    check_modality=False,
):
    """Someone said something, in direct or reported speech.

    A direct ``quote`` is the article's own characters, ``text[quote_start:quote_end]``,
    as for :class:`Evidence`; ``model_quote`` keeps the model's copy where it differs.
    """

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
    status: Status = Field(description=STATUS_HELP)
    quote_start: SkipJsonSchema[int | None] = Field(
        default=None, description="Start offset of the direct quote in the article text."
    )
    quote_end: SkipJsonSchema[int | None] = Field(
        default=None, description="End offset (exclusive)."
    )
    model_quote: SkipJsonSchema[str | None] = Field(
        default=None,
        description="The model's copy of the direct quote when it differs from the article's.",
    )


class Visit(
    Event,
    definition="an actor travelling to a place or host.",
    description="Trips and visits by an actor to a place or host.",
    identity=("visitor", "destination"),
):
    """An actor travelling to a place or host."""

    visitor: Actor = Field(description="Who travels.")
    host: Actor | None = Field(description="Who receives the visitor (person or state), or null.")
    destination: Place | None = Field(description="Where the visitor goes, or null.")
    duration: str | None = Field(
        description="Length of the visit as written ('four-day'), or null."
    )
    purpose: str | None = Field(description="Why, as the article says, or null.")
    status: Status = Field(description=STATUS_HELP)
    duration_value: SkipJsonSchema[str | None] = Field(
        default=None,
        description="The duration as a TIMEX3 value ('four-day' → 'P4D'), None if unread.",
    )


class Warrant(
    Event,
    definition=(
        "arrest warrants, red notices and similar orders against a person.\n"
        "An arrest made on a warrant is a warrant with status executed."
    ),
    description="Arrest warrants, red notices and similar legal orders against a person.",
    identity=("subject", "kind"),
    # A warrant sought and the same warrant issued are two steps worth keeping.
    status_match="exact",
):
    """A warrant, red notice or similar order against a person."""

    subject: Actor = Field(description="Who the warrant is for.")
    authority: Actor | None = Field(
        description="Who issued or seeks it (court, prosecutor, state), or null."
    )
    kind: str = Field(description="'arrest warrant', 'red notice', 'summons' ... as written.")
    charges: list[str] = Field(description="Alleged offences, as written.")
    status: WarrantStatus = Field(  # type: ignore[assignment]
        description="sought, issued, executed (arrest made), withdrawn, or denied."
    )


#: The default event types, in the order the answer lists them.
BUILTIN_TYPES: tuple[type[Event], ...] = (Meeting, Statement, Visit, Warrant)
