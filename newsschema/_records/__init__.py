"""Records: the event types, their parts, the registry and the schema sent to the model.

The lowest layer of the package above the errors: it imports nothing else of newsschema.
"""

from ._builtin import BUILTIN_TYPES, Meeting, Statement, Visit, Warrant, WarrantStatus
from ._event import Event, EventDraft, EventType, event_type, registered_types, type_named
from ._parts import (
    STATUS_HELP,
    Actor,
    ActorKind,
    Evidence,
    EvidenceDraft,
    Granularity,
    Part,
    Place,
    PlaceKind,
    Status,
    When,
    WhenDraft,
)
from ._schema import (
    STRICT_KEYWORDS,
    EventTypes,
    article_draft,
    choose_types,
    draft_schema,
    schema_version,
    strict_json_schema,
)
from ._summary import ArticleSummary, DroppedRecord, IndexedActor, Provenance, PublishedSource

__all__ = [
    "BUILTIN_TYPES",
    "STATUS_HELP",
    "STRICT_KEYWORDS",
    "Actor",
    "ActorKind",
    "ArticleSummary",
    "DroppedRecord",
    "Event",
    "EventDraft",
    "EventType",
    "EventTypes",
    "Evidence",
    "EvidenceDraft",
    "Granularity",
    "IndexedActor",
    "Meeting",
    "Part",
    "Place",
    "PlaceKind",
    "Provenance",
    "PublishedSource",
    "Statement",
    "Status",
    "Visit",
    "Warrant",
    "WarrantStatus",
    "When",
    "WhenDraft",
    "article_draft",
    "choose_types",
    "draft_schema",
    "event_type",
    "registered_types",
    "schema_version",
    "strict_json_schema",
    "type_named",
]
