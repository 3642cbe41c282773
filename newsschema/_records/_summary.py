"""The summary of one article: its events of every chosen type, actors and provenance."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from newsschema._usage import Usage

from ._answer import ModelAnswer
from ._builtin import BUILTIN_TYPES
from ._display import summary_html, summary_markdown
from ._event import Event, event_type, type_named
from ._flat import flat_columns, flat_frame, flat_records, summary_types
from ._page import WebPage
from ._parts import Actor

__all__ = [
    "ArticleSummary",
    "DroppedRecord",
    "FailedChunk",
    "IndexedActor",
    "Provenance",
    "PublishedSource",
]

E = TypeVar("E", bound=Event)

_BUILTIN_NAMES = [event_type(cls).name for cls in BUILTIN_TYPES]


class IndexedActor(Actor):
    """An actor of the article, once, with the records it appears in."""

    records: list[str] = Field(
        default_factory=list,
        description="Where the actor appears, as 'meetings.0', 'statements.3' ...",
    )


class DroppedRecord(BaseModel):
    """A record the model returned that was left out of the summary, and why."""

    model_config = ConfigDict(frozen=True)

    type: str = Field(description="The event type's name ('meeting').")
    index: int = Field(description="Position in the model's list of that type.")
    reason: str
    record: dict[str, Any] = Field(description="The record as the model returned it.")


class FailedChunk(BaseModel):
    """A part of a long article whose extraction failed; its events are missing."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(description="Offset in the article where the part begins.")
    end: int = Field(description="Offset in the article just past the part.")
    error: str = Field(description="The error's class name ('InvalidAnswerError').")
    message: str = Field(description="The error's message.")


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
    event_types: list[str] = Field(
        default_factory=lambda: list(_BUILTIN_NAMES),
        description="The event types asked for, by name, in the order of the answer.",
    )
    reprocessed_at: datetime | None = Field(
        default=None,
        description="When the records were last rebuilt from the stored answer, if ever.",
    )
    language: str | None = Field(
        default=None,
        description="The article's language (ISO 639-1) its times, countries and titles "
        "were read in; None in summaries made before languages were recorded.",
    )
    language_source: Literal["caller", "detected", "assumed"] | None = Field(
        default=None,
        description="Where the language came from: given by the caller, detected, or "
        "assumed (English) because the text was too short or mixed to tell.",
    )


PublishedSource = Literal[
    "caller", "page metadata", "article header", "body", "crawl date", "unknown"
]

# The summary's own keys, in the order its JSON lists them; the event lists follow
# `published_source`.
_HEAD = ("headline", "summary", "published", "published_source")


class ArticleSummary(BaseModel):
    """A faithful summary of one article and the events it reports.

    ``events`` holds every record, of every chosen type; ``of(Meeting)`` those of
    one type, typed; ``summary.meetings`` (any type's plural key) the same by
    name. In JSON each type's records stand under its plural key
    (``"meetings": [...]``), every chosen type present, empty or not.
    """

    model_config = ConfigDict(frozen=True)

    headline: str | None
    summary: str
    published: date | None = Field(description="Publication date used to resolve relative times.")
    published_source: PublishedSource = Field(
        description=(
            "Where the publication date came from: the caller, the web page's metadata, "
            "the article's header or dateline, the crawl date of a fetched page, or "
            "unknown (relative times unresolved)."
        )
    )
    events: list[SerializeAsAny[Event]] = Field(
        default_factory=list, description="Every event record, grouped by type in type order."
    )
    dropped: list[DroppedRecord] = Field(
        default_factory=list,
        description="Records left out (e.g. evidence not found in the article), with the reason.",
    )
    actors: list[IndexedActor] = Field(
        description="Every actor named in the events, once each, with where it appears."
    )
    provenance: Provenance
    incomplete: bool = Field(
        default=False,
        description="True when part of a long article failed: see failed_chunks.",
    )
    failed_chunks: list[FailedChunk] = Field(
        default_factory=list,
        description="The parts of a long article whose extraction failed, with the error.",
    )
    answer: ModelAnswer | None = Field(
        default=None,
        description=(
            "What the model answered and the hash of the article text, so the records can be "
            "rebuilt without the model (newsschema.reprocess); None in older outputs."
        ),
    )
    page: WebPage | None = Field(
        default=None,
        description="For an article given as HTML: the page's extracted main text, which "
        "evidence offsets index, and its metadata (title, canonical URL, author, language).",
    )

    def of(self, cls: type[E]) -> list[E]:
        """The records of one event type, in order: ``summary.of(Meeting)``."""
        return [e for e in self.events if isinstance(e, cls)]

    def event_lists(self) -> dict[str, list[Event]]:
        """Each chosen type's records under its plural key, in type order."""
        lists: dict[str, list[Event]] = {}
        for name in self.provenance.event_types:
            cls = type_named(name)
            plural = event_type(cls).plural if cls is not None else name
            lists[plural] = []
        for record in self.events:
            plural = event_type(type(record)).plural
            lists.setdefault(plural, []).append(record)
        return lists

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with fields replaced; a plural key (``"meetings"``) replaces its records."""
        if update:
            changes = dict(update)
            lists: dict[str, list[Event]] | None = None
            for key in list(changes):
                if key in type(self).model_fields:
                    continue
                cls = type_named(key)
                if cls is not None and event_type(cls).plural == key:
                    lists = lists if lists is not None else self.event_lists()
                    lists[key] = list(changes.pop(key))
            if lists is not None:
                changes["events"] = [record for records in lists.values() for record in records]
            update = changes
        return super().model_copy(update=update, deep=deep)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # `summary.meetings`: a plural key of any defined event type.
            if not name.startswith("_"):
                cls = type_named(name)
                if cls is not None and event_type(cls).plural == name:
                    return self.of(cls)
            return super().__getattr__(name)

    @model_validator(mode="before")
    @classmethod
    def _from_lists(cls, data: Any) -> Any:
        """Read records from their plural keys (the JSON form) into ``events``."""
        if not isinstance(data, dict) or "events" in data:
            return data
        data = dict(data)
        events: list[Event] = []
        for key in list(data):
            if key in cls.model_fields:
                continue
            record_type = type_named(key)
            if record_type is None or event_type(record_type).plural != key:
                raise ValueError(
                    f"{key!r} is neither a field of a summary nor the list of a known event "
                    "type; import the module that defines that event type before reading"
                )
            for item in data.pop(key) or []:
                events.append(
                    item if isinstance(item, record_type) else record_type.model_validate(item)
                )
        data["events"] = events
        return data

    @model_serializer(mode="wrap")
    def _to_lists(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(self)
        events = dumped.pop("events", [])
        out = {key: dumped.pop(key) for key in _HEAD if key in dumped}
        for plural in self.event_lists():
            out[plural] = []
        for record, data in zip(self.events, events, strict=True):
            out[event_type(type(record)).plural].append(data)
        out.update(dumped)
        return out

    def to_records(
        self, *, article_id: str | None = None, url: str | None = None
    ) -> list[dict[str, Any]]:
        """One flat dict per event (see ``newsschema.to_records``)."""
        return flat_records(self, article_id=article_id, url=url)

    def to_dataframe(self, *, article_id: str | None = None, url: str | None = None) -> Any:
        """The records as a pandas DataFrame; needs ``pip install 'newsschema[pandas]'``."""
        columns = flat_columns(summary_types(self))
        records = flat_records(self, article_id=article_id, url=url, columns=columns)
        return flat_frame(records, columns)

    def _repr_html_(self) -> str:
        return summary_html(self)

    def _repr_markdown_(self) -> str:
        return summary_markdown(self)
