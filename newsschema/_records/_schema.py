"""The JSON schema sent to the model: one answer's model, built for the chosen event types."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, create_model

from newsschema._errors import ConfigurationError

from ._builtin import BUILTIN_TYPES
from ._event import Event, event_type
from ._parts import Part

__all__ = [
    "STRICT_KEYWORDS",
    "EventTypes",
    "article_draft",
    "choose_types",
    "draft_schema",
    "schema_version",
    "strict_json_schema",
]

# Keywords OpenAI strict structured outputs accepts (platform docs, "Supported schemas").
STRICT_KEYWORDS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "anyOf", "$ref", "$defs", "description", "title", "pattern", "format", "minimum",
        "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
    }
)  # fmt: skip


def _compact(node: Any, *, in_properties: bool = False) -> Any:
    """The schema in the form sent: no ``title`` keywords, no ``$ref`` beside other keys.

    Titles repeat the property names and tell the model nothing, so they are left
    out. Strict mode rejects ``$ref`` beside other keys (a field's description):
    such a ref is wrapped as ``{"anyOf": [{"$ref": ...}], "description": ...}``,
    the shape an optional field already has, instead of copying the definition
    into every field that uses it. Either cuts what every request repeats.
    """
    if isinstance(node, list):
        return [_compact(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _compact(v, in_properties=k == "properties" and not in_properties)
        for k, v in node.items()
        # Inside "properties" the keys are field names: a field called "title" stays.
        if in_properties or not (k == "title" and isinstance(v, str))
    }
    ref = out.get("$ref")
    if isinstance(ref, str) and len(out) > 1:
        del out["$ref"]
        out = {"anyOf": [{"$ref": ref}], **out}
    return out


@cache
def _strict_schema_text(model: type[BaseModel]) -> str:
    return json.dumps(_compact(model.model_json_schema()))


EventTypes = tuple[type[Event], ...]


def choose_types(events: Sequence[type[Event]] | None) -> EventTypes:
    """The event types to extract: ``events`` checked and without repeats, else the built-ins.

    Raises:
        ConfigurationError: an entry is not an event type, or cannot be sent to the model.
    """
    if events is None:
        return BUILTIN_TYPES
    if isinstance(events, type | str | bytes):
        raise ConfigurationError(
            f"events must be a list of event types (events=[Meeting]), got {events!r}"
        )
    chosen: list[type[Event]] = []
    plurals: dict[str, type[Event]] = {}
    for cls in events:
        spec = event_type(cls)
        if spec.plural in plurals and plurals[spec.plural] is not cls:
            raise ConfigurationError(
                f"two event types share the key {spec.plural!r}: "
                f"{plurals[spec.plural].__qualname__} and {cls.__qualname__}"
            )
        plurals[spec.plural] = cls
        if cls not in chosen:
            chosen.append(cls)
    if not chosen:
        raise ConfigurationError("events is empty: choose at least one event type")
    return tuple(chosen)


@cache
def article_draft(types: EventTypes = BUILTIN_TYPES) -> type[Part]:
    """The model of one answer: headline, summary and a list per chosen event type."""
    fields: dict[str, Any] = {
        "headline": (
            str | None,
            Field(description="The main article's headline as written, or null if there is none."),
        ),
        "summary": (
            str,
            Field(
                description=(
                    "Two or three sentences that faithfully summarise the main article only."
                )
            ),
        ),
    }
    for cls in types:
        spec = event_type(cls)
        item: Any = spec.draft
        fields[spec.plural] = (list[item], Field(description=spec.description))
    model: type[Part] = create_model(
        "ArticleDraft", __base__=Part, __doc__="What the model returns for one article.", **fields
    )
    return model


@cache
def draft_schema(types: EventTypes = BUILTIN_TYPES) -> dict[str, Any]:
    """The schema sent with every request for ``types``, built once (do not mutate it)."""
    return strict_json_schema(article_draft(types))


def strict_json_schema(model: type[BaseModel] | None = None) -> dict[str, Any]:
    """The JSON schema of ``model`` in the form OpenAI strict structured outputs accepts.

    Without ``model``: the schema of an answer for the four built-in event types.
    """
    schema: dict[str, Any] = json.loads(_strict_schema_text(model or article_draft()))
    return schema


@cache
def schema_version(types: EventTypes = BUILTIN_TYPES) -> str:
    """Short content hash of the schema sent to the model for ``types``."""
    canonical = json.dumps(draft_schema(types), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]
