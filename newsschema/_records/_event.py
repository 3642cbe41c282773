"""``Event``, the base of every event type, and the registry of event types.

An event type is one class. Subclass :class:`Event`, add fields built from
``Actor``, ``Place``, strings, numbers, literals and lists of them, each with a
description, and write a docstring: the docstring is the type's definition in
the prompt. Everything else — the draft sent to the model, which fields hold
actors and places, how two records of one event are recognised — is read from
the class (:func:`event_type`), so the whole pipeline handles a new type without
further code. Class keywords refine it::

    class Arrest(Event, plural="arrests", identity=("person", "place")):
        \"\"\"A person taken into custody by police or security forces.\"\"\"
        person: Actor = Field(description="Who was arrested.")
        place: Place | None = Field(description="Where, or null.")
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, create_model, field_validator
from pydantic.fields import FieldInfo
from pydantic.json_schema import SkipJsonSchema

from newsschema._errors import ConfigurationError

from ._parts import (
    STATUS_HELP,
    Actor,
    Evidence,
    EvidenceDraft,
    Part,
    Place,
    Status,
    When,
    WhenDraft,
)

__all__ = ["Event", "EventDraft", "EventType", "event_type", "registered_types", "type_named"]

WHEN_HELP = "When the event took or takes place, as written; null if the article does not say."
EVIDENCE_HELP = "One or more verbatim passages from the article that state this event."

# Field names every event has; a subclass adds to them.
_COMMON = ("type", "status", "when", "evidence")
# Keys of the summary itself: an event type's plural key may not be one of them.
_RESERVED = frozenset(
    {"headline", "summary", "published", "published_source", "dropped", "actors",
     "provenance", "events", "type", "answer", "incomplete", "failed_chunks"}
)  # fmt: skip

Identity = tuple[str | tuple[str, ...], ...]


class EventDraft(Part):
    """Base of every event draft: what the model fills in for any event type."""

    when: WhenDraft | None = Field(description=WHEN_HELP)
    evidence: list[EvidenceDraft] = Field(description=EVIDENCE_HELP)

    @field_validator("evidence")
    @classmethod
    def _has_evidence(cls, evidence: list[Any]) -> list[Any]:
        if not evidence:
            raise ValueError("at least one evidence quote is required")
        return evidence


class Event(Part):
    """Base of every event type: what every event has (type, status, when, evidence).

    Subclass it to define an event type (see the module docstring). Class keywords,
    all optional:

    - ``name``: the type's name in records and on the command line (default: the
      class name in lower case, ``"protest"``).
    - ``plural``: the key of its list in the answer and in exports (default
      ``name + "s"``, ``"protests"``).
    - ``definition``: what the prompt says the type is (default: the docstring).
    - ``description``: the description of its list in the JSON schema (default:
      the docstring's first paragraph).
    - ``identity``: the fields two records of one event agree on, to merge
      duplicates (default: every Actor and Place field). A tuple inside it names
      alternatives: the first field both records fill decides.
    - ``status_match``: ``"group"`` (default: "planned" and "expected" can be one
      event) or ``"exact"``.
    - ``quote_fields``: fields holding words quoted verbatim from the article,
      located like evidence (offsets in ``<field>_start``/``<field>_end`` and the
      model's copy in ``model_<field>``, where the class declares them).
    - ``check_modality``: re-ask once when a record marked "occurred" has only
      hedged evidence ("is likely to"); default True.
    - ``duration_fields``: fields holding a length of time as written ("four-day"),
      resolved to a TIMEX3 duration (``P4D``) in ``<field>_value`` where the class
      declares it (default: text fields named ``duration`` or ``*_duration``).
    """

    __event_options__: ClassVar[dict[str, Any]] = {}

    type: SkipJsonSchema[str] = Field(
        default="", validate_default=True, description="The event type's name ('meeting')."
    )
    status: Status = Field(description=STATUS_HELP)
    when: When | None = Field(default=None, description=WHEN_HELP)
    evidence: list[Evidence] = Field(description=EVIDENCE_HELP)

    def __init_subclass__(
        cls,
        *,
        name: str | None = None,
        plural: str | None = None,
        definition: str | None = None,
        description: str | None = None,
        identity: Identity | None = None,
        status_match: Literal["group", "exact"] = "group",
        quote_fields: Sequence[str] = (),
        check_modality: bool = True,
        duration_fields: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.__event_options__ = {
            "name": name, "plural": plural, "definition": definition,
            "description": description, "identity": identity, "status_match": status_match,
            "quote_fields": tuple(quote_fields), "check_modality": check_modality,
            "duration_fields": None if duration_fields is None else tuple(duration_fields),
        }  # fmt: skip

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _REGISTRY[_name_of(cls)] = cls

    @field_validator("type", mode="before")
    @classmethod
    def _type_is_the_class(cls, value: object) -> str:
        return _name_of(cls)


# name -> the class most recently defined under it (reading data back finds it here).
_REGISTRY: dict[str, type[Event]] = {}


def _name_of(cls: type[Event]) -> str:
    return str(cls.__dict__.get("__event_options__", {}).get("name") or cls.__name__.lower())


def _plural(name: str) -> str:
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


@dataclass(frozen=True)
class EventType:
    """Everything the pipeline needs to know about one event type, read from its class.

    Attributes:
        record: the class users get back (a subclass of :class:`Event`).
        draft: the class the model fills in (derived: no computed fields).
        name: ``"meeting"``; plural: ``"meetings"``, the key of its list.
        definition: what the prompt says the type is.
        description: the description of its list in the JSON schema.
        actor_fields: ``(field, many)`` for every field holding actors.
        place_fields: ``(field, many)`` for every field holding places.
        identity: the fields two records of one event agree on.
        status_match: ``"group"`` or ``"exact"``.
        quote_fields: fields quoted verbatim from the article.
        check_modality: whether hedged "occurred" records are re-asked.
        duration_fields: fields holding a length of time as written.
    """

    record: type[Event]
    draft: type[EventDraft]
    name: str
    plural: str
    definition: str
    description: str
    actor_fields: tuple[tuple[str, bool], ...]
    place_fields: tuple[tuple[str, bool], ...]
    identity: Identity
    status_match: Literal["group", "exact"]
    quote_fields: tuple[str, ...]
    check_modality: bool
    duration_fields: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The type's own fields, in order (those the model fills in, then computed ones)."""
        return tuple(n for n in self.record.model_fields if n not in _COMMON)


def _is_computed(field: FieldInfo) -> bool:
    # Typed as an Annotated alias for checkers; at run time a class whose instances mark it.
    marker = typing.cast("type[Any]", SkipJsonSchema)
    return any(isinstance(m, marker) for m in field.metadata)


def _holds(annotation: Any, part: type[BaseModel] | type[str]) -> tuple[bool, bool]:
    """(holds ``part``, as a list) for one field annotation."""
    origin = typing.get_origin(annotation)
    if origin in (list, Sequence, tuple):
        inner = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return (any(_holds(a, part)[0] for a in inner), True)
    if origin in (typing.Union, types.UnionType):
        found = [_holds(a, part) for a in typing.get_args(annotation) if a is not type(None)]
        return (any(f[0] for f in found), any(f[1] for f in found if f[0]))
    return (isinstance(annotation, type) and issubclass(annotation, part), False)


_SCALARS = (str, int, float, bool, type(None))


def _unsupported(annotation: Any) -> str | None:  # noqa: PLR0911 - one per kind of type
    """Why the strict JSON schema cannot express ``annotation``, or None when it can."""
    origin = typing.get_origin(annotation)
    if annotation in _SCALARS:
        return None
    if origin is Literal:
        return None
    if origin is list:
        args = typing.get_args(annotation)
        return _unsupported(args[0]) if args else "a list needs an item type (list[str])"
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            problem = _unsupported(arg)
            if problem:
                return problem
        return None
    if isinstance(annotation, type) and issubclass(annotation, Actor | Place):
        return None
    if isinstance(annotation, type) and issubclass(annotation, Part):
        return None  # another closed part of the library's own kind
    shown = getattr(annotation, "__name__", None) or repr(annotation)
    return (
        f"{shown} cannot be expressed in a strict JSON schema; use str, int, float, bool, "
        "a Literal, Actor, Place, or a list or optional of those"
    )


def _check(cls: type[Event], name: str, field: FieldInfo) -> None:
    where = f"{cls.__module__}.{cls.__qualname__}.{name}"
    problem = _unsupported(field.annotation)
    if problem:
        raise ConfigurationError(f"event type field {where}: {problem}")
    if not (field.description or "").strip():
        raise ConfigurationError(
            f"event type field {where} has no description; the model reads it to fill the "
            'field: declare it as Field(description="...")'
        )
    if not field.is_required():
        raise ConfigurationError(
            f"event type field {where} has a default; fields the model fills in are all "
            "required (write `X | None` for an optional value), and computed ones are "
            "marked SkipJsonSchema"
        )


def _derive_draft(cls: type[Event]) -> type[EventDraft]:
    """The draft of ``cls``: its fields the model fills in, ``status`` last."""
    own = [(n, f) for n, f in cls.model_fields.items() if n not in _COMMON and not _is_computed(f)]
    if not own:
        raise ConfigurationError(
            f"event type {cls.__module__}.{cls.__qualname__} declares no fields of its own "
            "for the model to fill in"
        )
    status = cls.model_fields["status"]
    fields: dict[str, Any] = {}
    for n, f in [*own, ("status", status)]:
        _check(cls, n, f)
        fields[n] = (f.annotation, copy(f))
    draft: type[EventDraft] = create_model(
        f"{cls.__name__}Draft", __base__=EventDraft, __module__=cls.__module__, **fields
    )
    return draft


def _default_identity(
    actors: tuple[tuple[str, bool], ...], places: tuple[tuple[str, bool], ...]
) -> Identity:
    return tuple(n for n, _ in actors) + tuple(n for n, _ in places)


def event_type(cls: type[Event]) -> EventType:
    """The registry entry of ``cls``, read from the class once.

    Raises:
        ConfigurationError: ``cls`` is not an Event subclass, or one of its fields
            cannot be sent to the model (a ``dict``, a set, no description ...).
    """
    if not (isinstance(cls, type) and issubclass(cls, Event)) or cls is Event:
        raise ConfigurationError(
            f"{cls!r} is not an event type: pass Event subclasses such as Meeting, or your own "
            "`class Protest(Event)`"
        )
    return _read(cls)


@functools.cache
def _read(cls: type[Event]) -> EventType:
    options = cls.__dict__.get("__event_options__", {})
    name = _name_of(cls)
    plural = options.get("plural") or _plural(name)
    if plural in _RESERVED or name in _RESERVED:
        raise ConfigurationError(
            f"event type {cls.__qualname__}: {plural!r} is a key of the summary itself; "
            f"choose another with `class {cls.__name__}(Event, plural=...)`"
        )
    doc = (cls.__doc__ or "").strip()
    if not doc and not options.get("definition"):
        raise ConfigurationError(
            f"event type {cls.__module__}.{cls.__qualname__} has no docstring: it is the "
            "type's definition in the prompt, so write one (what counts as this event)"
        )
    actors, places = [], []
    for field_name, field in cls.model_fields.items():
        if field_name in _COMMON or _is_computed(field):
            continue
        holds_actor, many = _holds(field.annotation, Actor)
        if holds_actor:
            actors.append((field_name, many))
        holds_place, many = _holds(field.annotation, Place)
        if holds_place:
            places.append((field_name, many))
    draft = _derive_draft(cls)
    identity = options.get("identity") or _default_identity(tuple(actors), tuple(places))
    for part in identity:
        for field_name in part if isinstance(part, tuple) else (part,):
            if field_name not in draft.model_fields:
                raise ConfigurationError(
                    f"event type {cls.__qualname__}: identity names {field_name!r}, "
                    "which is not one of its fields"
                )
    durations = options.get("duration_fields")
    if durations is None:
        durations = tuple(
            n for n, f in draft.model_fields.items()
            if (n == "duration" or n.endswith("_duration")) and _holds(f.annotation, str)[0]
        )  # fmt: skip
    for field_name in durations:
        if field_name not in draft.model_fields:
            raise ConfigurationError(
                f"event type {cls.__qualname__}: duration_fields names {field_name!r}, "
                "which is not one of its fields"
            )
    first_paragraph = " ".join(doc.split("\n\n")[0].split())
    return EventType(
        record=cls,
        draft=draft,
        name=name,
        plural=plural,
        definition=options.get("definition") or " ".join(doc.split()),
        description=options.get("description") or first_paragraph,
        actor_fields=tuple(actors),
        place_fields=tuple(places),
        identity=tuple(identity),
        status_match=options.get("status_match", "group"),
        quote_fields=tuple(options.get("quote_fields", ())),
        check_modality=bool(options.get("check_modality", True)),
        duration_fields=tuple(durations),
    )


def registered_types() -> dict[str, type[Event]]:
    """Every event type defined so far, by name (the built-ins and any imported)."""
    return dict(_REGISTRY)


def type_named(name: str) -> type[Event] | None:
    """The event type of that name or plural key, if one is defined."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    for cls in _REGISTRY.values():
        try:
            plural = event_type(cls).plural
        except ConfigurationError:
            continue  # a class defined but refused: it never gets this far by its plural
        if plural == name:
            return cls
    return None
