"""The gold format: one JSON file an article, with a list of gold records per event type.

The format is documented in ``benchmarks/gold/README.md``. A gold record is
derived from its event type (the registry entry, :func:`newsschema.event_type`),
so a user's own type has a gold format without further code:

- every field that holds actors holds their names instead: a string (or a list
  of strings for a list of actors), where " | " separates accepted alternatives;
- every field that holds places holds the place's name the same way;
- ``time`` is ``{"expression": ..., "value": ...}``: the time as written and its
  TIMEX3 value resolved from the article's ``published`` date (or null);
- ``evidence`` is a list of passages copied from the article;
- every other field the model fills in keeps its type; optional fields (``X |
  None``) may be left out (null), lists may be left out (empty), and ``status``
  may be left out where ``"occurred"`` is one of its values.

A gold file carries the list of each event type it annotates under the type's
plural key (``"meetings": [...]``, ``"protests": [...]``); scoring a type needs
its list in every file, even if empty.
"""

from __future__ import annotations

import functools
import json
import re
import types
import typing
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    create_model,
    field_validator,
)

from newsschema._errors import GoldSetError
from newsschema._records import (
    BUILTIN_TYPES,
    ArticleSummary,
    Event,
    EventType,
    EventTypes,
    Provenance,
    choose_types,
    event_type,
    type_named,
)
from newsschema._text import index_actors, locate_quote
from newsschema._usage import Usage

__all__ = [
    "ALTERNATIVES",
    "GoldArticle",
    "GoldEvent",
    "GoldTime",
    "chosen",
    "first_name",
    "gold_model",
    "load_gold",
    "primary_actors",
    "primary_place",
]

ALTERNATIVES = " | "

_TIMEX_VALUE = re.compile(
    r"\d{2,4}"  # year, decade (199) or century (19)
    r"|\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T(MO|AF|EV|NI|DT|\d{2}(:\d{2})?))?)?"
    r"|\d{4}-W(0[1-9]|[1-4]\d|5[0-3])(-WE)?"
    r"|\d{4}-(Q[1-4]|H[12]|SP|SU|FA|WI)"
    r"|PRESENT_REF|PAST_REF|FUTURE_REF"
)


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldTime(_Gold):
    """A time expression as written and its TIMEX3 value resolved from ``published``."""

    expression: str = Field(min_length=1)
    value: str | None

    @field_validator("value")
    @classmethod
    def _timex3(cls, value: str | None) -> str | None:
        if value is not None and not _TIMEX_VALUE.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a TIMEX3 value this scorer reads (2023-09-18, 2023-09, "
                "2023, 2023-W37, 2023-W37-WE, 2023-Q1, 2023-SU, PAST_REF ...)"
            )
        return value


class GoldEvent(_Gold):
    """Base of every gold record: what every event has, as annotated.

    The subclass of one event type is :func:`gold_model` of it.
    """

    time: GoldTime | None = None
    evidence: list[str] = Field(min_length=1)


def chosen(events: EventTypes | None) -> tuple[EventType, ...]:
    """The registry entries of the event types scored (default: the built-ins)."""
    return tuple(event_type(cls) for cls in choose_types(events or BUILTIN_TYPES))


def _admits(annotation: Any, value: object) -> bool:
    """Whether ``value`` is a valid value of ``annotation`` (None, a literal, a list)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_admits(a, value) for a in typing.get_args(annotation))
    if origin is Literal:
        return value in typing.get_args(annotation)
    if value is None:
        return annotation is type(None)
    return origin is list and isinstance(value, list)


@functools.cache
def gold_model(record: type[Event]) -> type[GoldEvent]:
    """The gold record of one event type (see the module docstring for the rules)."""
    kind = event_type(record)
    actors, places = dict(kind.actor_fields), dict(kind.place_fields)
    primary = kind.actor_fields[0][0] if kind.actor_fields else None
    fields: dict[str, Any] = {}
    for name, info in kind.draft.model_fields.items():
        if name in GoldEvent.model_fields or name == "when":
            continue  # the gold's "time" stands for "when"
        nullable = _admits(info.annotation, None)
        if name in actors or name in places:
            many = actors.get(name, places.get(name))
            if many:
                fields[name] = (list[str], Field(default_factory=list, min_length=int(
                    name == primary)))  # fmt: skip
            elif nullable:
                fields[name] = (str | None, None)
            else:
                fields[name] = (str, Field(min_length=1))
        elif name == "status" and _admits(info.annotation, "occurred"):
            fields[name] = (info.annotation, "occurred")
        elif nullable:
            fields[name] = (info.annotation, None)
        elif _admits(info.annotation, []):
            fields[name] = (info.annotation, Field(default_factory=list))
        else:
            fields[name] = (info.annotation, ...)
    model: type[GoldEvent] = create_model(
        f"Gold{record.__name__}",
        __base__=GoldEvent,
        __module__=__name__,
        __doc__=f"A {kind.name} as annotated: {kind.description}",
        **fields,
    )
    return model


def first_name(name: str) -> str:
    """The first of a gold name's alternatives ("Xi | Xi Jinping" gives "Xi")."""
    return name.split(ALTERNATIVES, maxsplit=1)[0].strip()


def _names(value: object) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [str(value)]


def primary_actors(kind: EventType, record: BaseModel) -> list[str]:
    """Names in the type's first actor field ("who"): participants, speaker, visitor ..."""
    if not kind.actor_fields:
        return []
    value = getattr(record, kind.actor_fields[0][0])
    if isinstance(record, GoldEvent):
        return _names(value)
    items = value if isinstance(value, list) else [value]
    return [actor.name for actor in items if actor is not None]


def primary_place(kind: EventType, record: BaseModel) -> tuple[bool, str | None]:
    """(whether the type has a place, the name in its first place field: "where")."""
    if not kind.place_fields:
        return False, None
    field, _ = kind.place_fields[0]
    value = getattr(record, field)
    items = value if isinstance(value, list) else [value]
    if not items or items[0] is None:
        return True, None
    first = items[0]
    return True, first if isinstance(first, str) else first.name


def _actor(name: str) -> dict[str, Any]:
    return {"name": first_name(name), "title": None, "organisation": None, "country": None,
            "kind": "person"}  # fmt: skip


def _place(name: str) -> dict[str, Any]:
    return {"name": first_name(name), "country": None, "kind": "other"}


def _draft(kind: EventType, gold: GoldEvent) -> dict[str, Any]:
    """A gold record as the draft dict the model fills in."""
    actors, places = dict(kind.actor_fields), dict(kind.place_fields)
    data: dict[str, Any] = {}
    for name in kind.draft.model_fields:
        if name == "when":
            data[name] = None if gold.time is None else {"expression": gold.time.expression}
        elif name == "evidence":
            data[name] = [{"quote": quote} for quote in gold.evidence]
        elif name in actors or name in places:
            make = _actor if name in actors else _place
            value = getattr(gold, name)
            if isinstance(value, list):
                data[name] = [make(v) for v in value]
            else:
                data[name] = None if value is None else make(value)
        else:
            data[name] = getattr(gold, name)
    return data


class GoldArticle(_Gold):
    """One hand-annotated article: its text, where it comes from, and its events."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    source: str = Field(min_length=1)
    credit: str = Field(min_length=1)
    published: date
    headline: str | None = None
    text: str = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)
    records: dict[str, tuple[GoldEvent, ...]] = Field(
        default_factory=dict,
        description="The gold records by the event type's plural key, as in the file.",
    )

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # `article.meetings`: the records of a scored type, by its plural key.
            records = self.__dict__.get("records") or {}
            if not name.startswith("_") and name in records:
                return records[name]
            return super().__getattr__(name)

    def events(self, kind: str) -> Sequence[GoldEvent]:
        """The gold records of one type, by its plural key (``"meetings"``).

        Raises:
            GoldSetError: the article has no list for this type.
        """
        try:
            return self.records[kind]
        except KeyError:
            raise GoldSetError(
                f"gold article {self.id!r} has no {kind!r} list: annotate it (an empty list "
                "if the article reports none), or score other event types"
            ) from None

    def to_answer(self, events: EventTypes | None = None) -> dict[str, Any]:
        """The gold events as the JSON answer a model would give (for ``FakeModel``).

        Only what the gold records is filled in: actors carry a name (the first
        alternative) and kind "person"; fields the gold leaves out are null or empty.
        """
        return {
            "headline": self.headline,
            "summary": f"Gold annotation of {self.id}.",
            **{k.plural: [_draft(k, e) for e in self.events(k.plural)] for k in chosen(events)},
        }

    def to_summary(self, events: EventTypes | None = None) -> ArticleSummary:
        """The gold events as an ``ArticleSummary``, with TIMEX3 values and evidence offsets.

        Scoring the gold set against its own summaries gives 1.0 everywhere. The
        provenance says ``model="gold"``.
        """
        kinds = chosen(events)
        lists: dict[str, list[Any]] = {}
        for kind in kinds:
            lists[kind.plural] = []
            for gold in self.events(kind.plural):
                data = _draft(kind, gold)
                for evidence in data["evidence"]:
                    span = locate_quote(evidence["quote"], self.text)
                    evidence["start"], evidence["end"] = span or (None, None)
                if gold.time is not None:
                    data["when"]["value"] = gold.time.value
                lists[kind.plural].append(kind.record.model_validate(data))
        created = datetime.combine(self.published, time(), tzinfo=UTC)
        return ArticleSummary(
            headline=self.headline,
            summary=f"Gold annotation of {self.id}.",
            published=self.published,
            published_source="caller",
            actors=index_actors(lists),
            provenance=Provenance(
                model="gold",
                mode="gold",
                prompt_version="gold",
                schema_version="gold",
                library_version="gold",
                validation_attempts=0,
                usage=Usage(),
                duration_seconds=0.0,
                created_at=created,
                event_types=[kind.name for kind in kinds],
            ),
            **lists,
        )


def _field_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def _invalid(path: Path, exc: ValidationError, prefix: Sequence[str | int] = ()) -> GoldSetError:
    lines = [f"{_field_path([*prefix, *e['loc']])}: {e['msg']}" for e in exc.errors()]
    return GoldSetError(f"{path}: " + "; ".join(lines))


def _is_plural(key: str) -> bool:
    """Whether ``key`` is the plural key of some defined event type."""
    cls = type_named(key)
    return cls is not None and event_type(cls).plural == key


def _check_text(article: GoldArticle, kinds: Sequence[EventType]) -> list[str]:
    """Every evidence passage, quoted field and time expression must stand in the text."""
    problems: list[str] = []
    for kind in kinds:
        plural, quoted = kind.plural, kind.quote_fields
        for i, event in enumerate(article.records[plural]):
            for j, quote in enumerate(event.evidence):
                if locate_quote(quote, article.text) is None:
                    problems.append(f"{plural}[{i}].evidence[{j}]: not found in text: {quote!r}")
            for field in quoted:
                words = getattr(event, field, None)
                if isinstance(words, str) and locate_quote(words, article.text) is None:
                    problems.append(f"{plural}[{i}].{field}: not found in text: {words!r}")
            if event.time is not None and locate_quote(event.time.expression, article.text) is None:
                problems.append(
                    f"{plural}[{i}].time.expression: not found in text: {event.time.expression!r}"
                )
    return problems


def _load_file(path: Path, kinds: Sequence[EventType]) -> GoldArticle:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldSetError(f"{path}: cannot read the file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldSetError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise GoldSetError(f"{path}: expected a JSON object, found {type(data).__name__}")
    records: dict[str, tuple[GoldEvent, ...]] = {}
    wanted = {kind.plural: kind for kind in kinds}
    for key in list(data):
        if key in wanted:
            model = gold_model(wanted[key].record)
            adapter: TypeAdapter[list[GoldEvent]] = TypeAdapter(list[model])  # type: ignore[valid-type]
            try:
                records[key] = tuple(adapter.validate_python(data.pop(key)))
            except ValidationError as exc:
                raise _invalid(path, exc, (key,)) from None
        elif key not in GoldArticle.model_fields and _is_plural(key):
            del data[key]  # annotated, but not scored in this run
    missing = [plural for plural in sorted(wanted) if plural not in records]
    if missing:
        raise GoldSetError(
            f"{path}: no {', '.join(repr(m) for m in missing)} list: annotate it (an empty "
            "list if the article reports none), or score other event types (--events)"
        )
    try:
        article = GoldArticle.model_validate({**data, "records": records})
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    problems = _check_text(article, kinds)
    if problems:
        raise GoldSetError(f"{path}: " + "; ".join(problems))
    return article


def load_gold(path: str | Path, *, events: EventTypes | None = None) -> list[GoldArticle]:
    """Read a gold set: a directory of ``*.json`` files (sorted by name), or one file.

    Each file is validated against the gold format, and every evidence passage,
    direct quote and time expression must be found in the article text.

    Args:
        path: the directory or file.
        events: the event types to read (default: the four built-ins). Each file
            must carry their lists; lists of other known types are skipped.

    Raises:
        GoldSetError: naming the file and the field at fault (e.g.
            ``meetings[2].evidence[0]``), a list that is missing, a duplicate id,
            or an empty directory.
    """
    path = Path(path)
    kinds = chosen(events)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise GoldSetError(f"{path}: no gold files (*.json) in this directory")
    elif path.is_file():
        files = [path]
    else:
        raise GoldSetError(f"{path}: no such file or directory")
    articles: list[GoldArticle] = []
    seen: dict[str, Path] = {}
    for file in files:
        article = _load_file(file, kinds)
        if article.id in seen:
            raise GoldSetError(f"{file}: id: {article.id!r} is already used by {seen[article.id]}")
        seen[article.id] = file
        articles.append(article)
    return articles
