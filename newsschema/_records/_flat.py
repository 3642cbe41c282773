"""Summaries as flat records: one dict per event, columns derived from each type's fields.

Every record of a summary has the same keys (:func:`flat_columns` of the summary's
event types), None where a field does not apply to its type, so a list of records
is a table whatever types it mixes. Columns come from each field by its kind:

- an ``Actor`` field is spread over ``<field>``, ``<field>_title``,
  ``<field>_organisation``, ``<field>_country``, ``<field>_country_code``,
  ``<field>_kind``; a ``Place`` field over ``<field>``, ``<field>_country``,
  ``<field>_country_code``, ``<field>_kind`` and the gazetteer's
  ``<field>_geonames_id``, ``<field>_latitude``, ``<field>_longitude``,
  ``<field>_admin1``, ``<field>_feature_class``;
- a list is given twice: joined with ``"; "`` (``<field>``, for actors and places
  their names) and as a list (``<field>_list``);
- any other value is one column of its own name.

A field whose column would take one of the common columns' names (``url``,
``index`` ...) is named ``<type>_<field>`` instead. The common columns are the
article's (``article_id``, ``url``, ``published``, ``headline``), the record's
(``type``, ``index``, ``record``, ``status``), then, after every type's fields,
the time (``when`` ...) and the evidence (``evidence_quote`` ...).
"""

from __future__ import annotations

import importlib
import json
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol, TypeAlias

from pydantic import BaseModel

from newsschema._errors import ConfigurationError

from ._builtin import BUILTIN_TYPES
from ._event import Event, EventType, _is_computed, event_type, type_named
from ._parts import Actor, Place, When


class _Provenance(Protocol):
    @property
    def event_types(self) -> list[str]: ...


class SummaryView(Protocol):
    """What the tables and displays read of a summary; an ``ArticleSummary`` is one."""

    @property
    def headline(self) -> str | None: ...
    @property
    def summary(self) -> str: ...
    @property
    def published(self) -> date | None: ...
    @property
    def events(self) -> list[Event]: ...
    @property
    def provenance(self) -> _Provenance: ...
    def event_lists(self) -> dict[str, list[Event]]: ...


__all__ = [
    "COLUMNS",
    "FieldShape",
    "SummaryView",
    "field_shapes",
    "flat_columns",
    "flat_frame",
    "flat_records",
    "summary_types",
]

Record: TypeAlias = dict[str, Any]
Kind = Literal["actor", "place", "part", "value"]

ACTOR_PARTS = ("", "_title", "_organisation", "_country", "_country_code", "_kind")
PLACE_PARTS = (
    "", "_country", "_country_code", "_kind",
    "_geonames_id", "_latitude", "_longitude", "_admin1", "_feature_class",
)  # fmt: skip
_TIME_PARTS = ("", "_value", "_start", "_end", "_granularity", "_modifier", "_resolution")

HEAD_COLUMNS = (
    "article_id", "url", "published", "headline", "type", "index", "record", "status",
)  # fmt: skip
TAIL_COLUMNS = (
    *("when" + p for p in _TIME_PARTS), "when_reason", "when_duration",
    "evidence_quote", "evidence_start", "evidence_end", "evidence_quotes",
    "evidence_quotes_list", "evidence_count", "grounded",
)  # fmt: skip
_COMMON_COLUMNS = frozenset(HEAD_COLUMNS + TAIL_COLUMNS)
DATE_COLUMNS = ("published", "when_start", "when_end")


@dataclass(frozen=True)
class FieldShape:
    """What one field of an event type holds, as the exports need to know it.

    Attributes:
        name: the field's name.
        kind: ``"actor"``, ``"place"``, ``"part"`` (another closed model) or
            ``"value"`` (str, number, bool, literal).
        many: a list of them.
        optional: may be None.
        python: for values, ``str``, ``int``, ``float`` or ``bool`` (literals and
            mixed unions are ``str``).
        computed: filled in by the library, not the model.
        quote: words quoted verbatim from the article (the type's ``quote_fields``).
        choices: a literal's values, else empty.
    """

    name: str
    kind: Kind
    many: bool
    optional: bool
    python: type
    computed: bool
    quote: bool
    choices: tuple[Any, ...] = ()


def _strip_none(annotation: Any) -> tuple[Any, bool]:
    """(annotation without None, whether None was allowed)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return typing.Union[tuple(args)], optional  # noqa: UP007 - built from a tuple
    return annotation, False


def _value_type(annotation: Any) -> type:
    if typing.get_origin(annotation) is Literal:
        found = {type(v) for v in typing.get_args(annotation)}
        return found.pop() if len(found) == 1 else str
    if annotation is bool or annotation is int or annotation is float:
        return typing.cast("type", annotation)
    return str


def _shape(name: str, annotation: Any, *, computed: bool, quote: bool) -> FieldShape:
    inner, optional = _strip_none(annotation)
    many = typing.get_origin(inner) in (list, Sequence, tuple)
    if many:
        args = [a for a in typing.get_args(inner) if a is not Ellipsis]
        inner = _strip_none(args[0])[0] if args else str
    kind: Kind = "value"
    if isinstance(inner, type) and issubclass(inner, Actor):
        kind = "actor"
    elif isinstance(inner, type) and issubclass(inner, Place):
        kind = "place"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        kind = "part"
    python = _value_type(inner) if kind == "value" else str
    choices = typing.get_args(inner) if typing.get_origin(inner) is Literal else ()
    return FieldShape(name, kind, many, optional, python, computed, quote, choices)


def field_shapes(cls: type[Event]) -> tuple[FieldShape, ...]:
    """The shape of each of the type's own fields, in order (computed ones included)."""
    entry = event_type(cls)
    return tuple(
        _shape(
            name,
            cls.model_fields[name].annotation,
            computed=_is_computed(cls.model_fields[name]),
            quote=name in entry.quote_fields,
        )
        for name in entry.fields
    )


def _column_parts(shape: FieldShape) -> tuple[str, ...]:
    if shape.many:
        return ("", "_list")
    if shape.kind == "actor":
        return ACTOR_PARTS
    if shape.kind == "place":
        return PLACE_PARTS
    return ("",)


def column_base(entry: EventType, shape: FieldShape, taken: frozenset[str]) -> str:
    """The column name a field's columns start with: its own, or ``<type>_<field>``."""
    if any(shape.name + part in taken for part in _column_parts(shape)):
        return f"{entry.name}_{shape.name}"
    return shape.name


def _type_columns(cls: type[Event]) -> list[str]:
    entry = event_type(cls)
    out: list[str] = []
    for shape in field_shapes(cls):
        base = column_base(entry, shape, _COMMON_COLUMNS)
        out += [base + part for part in _column_parts(shape)]
    return out


def flat_columns(event_types: Iterable[type[Event]] = BUILTIN_TYPES) -> tuple[str, ...]:
    """The keys of every record of these event types, in column order."""
    fields: dict[str, None] = {}
    for cls in event_types:
        fields.update(dict.fromkeys(_type_columns(cls)))
    return (*HEAD_COLUMNS, *fields, *TAIL_COLUMNS)


#: The keys of every record of the built-in event types, in column order.
COLUMNS: tuple[str, ...] = flat_columns()


def summary_types(summary: SummaryView) -> list[type[Event]]:
    """The event types of a summary: those it was asked for, then any others it holds."""
    found: dict[type[Event], None] = {}
    for name in summary.provenance.event_types:
        cls = type_named(name)
        if cls is not None:
            found[cls] = None
    for record in summary.events:
        found[type(record)] = None
    return list(found)


def _actor(prefix: str, actor: Actor | None) -> Record:
    if actor is None:
        return {}
    return {
        prefix: actor.name,
        f"{prefix}_title": actor.title,
        f"{prefix}_organisation": actor.organisation,
        f"{prefix}_country": actor.country,
        f"{prefix}_country_code": actor.country_code,
        f"{prefix}_kind": actor.kind,
    }


def _place(prefix: str, place: Place | None) -> Record:
    if place is None:
        return {}
    return {
        prefix: place.name,
        f"{prefix}_country": place.country,
        f"{prefix}_country_code": place.country_code,
        f"{prefix}_kind": place.kind,
        f"{prefix}_geonames_id": place.geonames_id,
        f"{prefix}_latitude": place.latitude,
        f"{prefix}_longitude": place.longitude,
        f"{prefix}_admin1": place.admin1,
        f"{prefix}_feature_class": place.feature_class,
    }


def _item(value: Any) -> Any:
    """One item of a list column: an actor's or place's name, a part as a dict."""
    if isinstance(value, Actor | Place):
        return value.name
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def _joined(items: list[Any]) -> str:
    return "; ".join(
        json.dumps(i, ensure_ascii=False) if isinstance(i, dict) else str(i) for i in items
    )


def _field(base: str, shape: FieldShape, value: Any) -> Record:
    if shape.many:
        items = [_item(v) for v in value or []]
        return {base: _joined(items), f"{base}_list": items}
    if shape.kind == "actor":
        return _actor(base, value)
    if shape.kind == "place":
        return _place(base, value)
    if isinstance(value, BaseModel):
        return {base: value.model_dump(mode="json")}
    return {base: value}


def _fields(event: Event) -> Record:
    """The type's own fields, flattened."""
    entry = event_type(type(event))
    out: Record = {}
    for shape in field_shapes(type(event)):
        base = column_base(entry, shape, _COMMON_COLUMNS)
        out |= _field(base, shape, getattr(event, shape.name))
    return out


def _when(when: When | None) -> Record:
    if when is None:
        return {}
    return {
        "when": when.expression,
        "when_value": when.value,
        "when_start": when.start,
        "when_end": when.end,
        "when_granularity": when.granularity,
        "when_modifier": when.modifier,
        "when_resolution": when.resolution,
        "when_reason": when.reason,
        "when_duration": when.duration,
    }


def flat_records(
    summary: SummaryView,
    *,
    article_id: str | None = None,
    url: str | None = None,
    columns: Sequence[str] | None = None,
) -> list[Record]:
    """One flat dict per event, each type's records in type order (module docstring).

    Values are as the summary holds them (no formula escaping); dates are
    ``datetime.date``. ``columns`` (default: :func:`flat_columns` of the summary's
    types) gives every record the same keys when records of several summaries
    are put in one table.
    """
    keys = tuple(columns) if columns is not None else flat_columns(summary_types(summary))
    records: list[Record] = []
    for plural, events in summary.event_lists().items():
        for index, event in enumerate(events):
            quotes = [e.quote for e in event.evidence]
            first = event.evidence[0] if event.evidence else None
            record: Record = dict.fromkeys(keys)
            record.update(
                {
                    "article_id": article_id,
                    "url": url,
                    "published": summary.published,
                    "headline": summary.headline,
                    "type": event.type,
                    "index": index,
                    "record": f"{plural}.{index}",
                    "status": event.status,
                    **_fields(event),
                    **_when(event.when),
                    "evidence_quote": first.quote if first else None,
                    "evidence_start": first.start if first else None,
                    "evidence_end": first.end if first else None,
                    "evidence_quotes": " | ".join(quotes),
                    "evidence_quotes_list": quotes,
                    "evidence_count": len(quotes),
                    "grounded": all(e.start is not None for e in event.evidence),
                }
            )
            records.append(record)
    return records


def flat_frame(records: list[Record], columns: Sequence[str]) -> Any:
    """Records as a ``pandas.DataFrame`` with datetime64 date columns.

    Raises:
        ConfigurationError: pandas is not installed.
    """
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:
        raise ConfigurationError(
            "to_dataframe needs pandas, which is not installed: pip install 'newsschema[pandas]'"
        ) from None
    frame = pandas.DataFrame.from_records(records, columns=list(columns))
    for column in DATE_COLUMNS:
        frame[column] = pandas.to_datetime(frame[column])
    return frame
