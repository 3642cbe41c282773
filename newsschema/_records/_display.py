"""Records for people to read: titles, labelled fields, colours, and notebook displays.

Every event type is shown the same way, from its fields: actors as
"name (title, organisation, country)", places as "name (country)", lists joined
with "; ", quoted fields in quotation marks, a duration with its value
("four-day → P4D"); other fields the library computes (offsets) are left out.
A record's title is the names of its first actor field, then its first required
text field (not a literal), then its first place. Each type has a
colour: the built-ins keep theirs, other types take the next of a fixed set.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ._builtin import BUILTIN_TYPES
from ._event import Event, event_type, type_named
from ._flat import FieldShape, SummaryView, field_shapes
from ._parts import Actor, Place, When

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "DroppedView",
    "EvidenceView",
    "RecordView",
    "TypeStyle",
    "dropped_views",
    "record_views",
    "summary_html",
    "summary_markdown",
    "type_styles",
    "when_text",
]


@dataclass(frozen=True)
class EvidenceView:
    """One evidence quote as shown: its id on the page, offsets, whether it was found."""

    id: str
    quote: str
    start: int | None
    end: int | None
    found: bool


@dataclass(frozen=True)
class RecordView:
    """One record as shown: id, type (name and CSS class), title, labelled fields."""

    id: str
    type: str
    css: str
    index: int
    status: str
    title: str
    fields: list[tuple[str, str]]
    when: str | None
    evidence: list[EvidenceView]
    places: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """'meeting 0'."""
        return f"{self.type} {self.index}"

    @property
    def grounded(self) -> bool:
        """Whether every evidence quote was found in the text."""
        return all(e.found for e in self.evidence)


@dataclass(frozen=True)
class DroppedView:
    """A dropped record as shown: type, index, reason and the quotes it had."""

    type: str
    css: str
    index: int
    reason: str
    quotes: list[str]


@dataclass(frozen=True)
class TypeStyle:
    """An event type's look: CSS class (``t-meeting``), fill and edge colours."""

    name: str
    css: str
    fill: str
    edge: str


# (fill, edge): the built-ins' colours, in BUILTIN_TYPES order, then the others'.
_BUILTIN_COLOURS = (
    ("#cfe2ff", "#3d7be0"),
    ("#ffe4a8", "#c98a00"),
    ("#cdeed0", "#2f9a46"),
    ("#ffcfcf", "#cf3b3b"),
)
_MORE_COLOURS = (
    ("#e5d4ff", "#7b4bd1"),
    ("#c8f0ee", "#14857e"),
    ("#ffd6ec", "#c2387f"),
    ("#ead9c6", "#8a5a2b"),
    ("#e8efc2", "#6f7d12"),
    ("#ffdcc2", "#d0661a"),
    ("#cdeefb", "#1b8bb8"),
    ("#d8dde6", "#4a5a75"),
)


def _css(name: str) -> str:
    """A class name safe in CSS and in space-separated attributes: 't-' and [a-z0-9_-]."""
    slug = re.sub(r"[^a-z0-9_-]+", "_", name.lower()).strip("_-") or "type"
    if slug != name:  # two names cannot end up with one class
        slug += "-" + hashlib.sha256(name.encode()).hexdigest()[:6]
    return "t-" + slug


def type_styles(names: Iterable[str]) -> list[TypeStyle]:
    """The look of each named event type, in the order given, colours distinct on a page."""
    builtin = [event_type(cls).name for cls in BUILTIN_TYPES]
    styles: list[TypeStyle] = []
    others = 0
    for name in dict.fromkeys(names):
        if name in builtin:
            fill, edge = _BUILTIN_COLOURS[builtin.index(name) % len(_BUILTIN_COLOURS)]
        elif others < len(_MORE_COLOURS):
            fill, edge = _MORE_COLOURS[others]
            others += 1
        else:  # more types than colours: a hue from the name, stable across pages
            hue = int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) % 360
            fill, edge = f"hsl({hue} 80% 88%)", f"hsl({hue} 60% 40%)"
        styles.append(TypeStyle(name, _css(name), fill, edge))
    return styles


def _actor(actor: Actor) -> str:
    details = [d for d in (actor.title, actor.organisation, actor.country) if d]
    return f"{actor.name} ({', '.join(details)})" if details else actor.name


def _place(place: Place) -> str:
    return f"{place.name} ({place.country})" if place.country else place.name


def place_geo_text(place: Place) -> str | None:
    """Where the gazetteer put a place: 'Paris → GeoNames 2988507 (P, FR.11) 48.8534, 2.3488'."""
    if place.geonames_id is None:
        return None
    details = ", ".join(d for d in (place.feature_class, place.admin1, place.country_code) if d)
    text = f"{place.name} → GeoNames {place.geonames_id}" + (f" ({details})" if details else "")
    if place.latitude is not None and place.longitude is not None:
        text += f" {place.latitude:.4f}, {place.longitude:.4f}"
    return text


def _geo(event: Event) -> tuple[str, ...]:
    found: list[str] = []
    for field, _ in event_type(type(event)).place_fields:
        value = getattr(event, field, None)
        for place in value if isinstance(value, list) else [value]:
            text = place_geo_text(place) if isinstance(place, Place) else None
            if text is not None and text not in found:
                found.append(text)
    return tuple(found)


def _one(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Actor):
        return _actor(value)
    if isinstance(value, Place):
        return _place(value)
    if isinstance(value, BaseModel):
        return ", ".join(f"{k}: {v}" for k, v in value.model_dump(mode="json").items() if v)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _shown(shape: FieldShape, value: Any) -> str:
    if shape.many:
        return "; ".join(_one(v) for v in value or [])
    text = _one(value)
    return f"“{text}”" if text and shape.quote else text


def _names(value: Any) -> str:
    items = value if isinstance(value, list) else [value]
    return "; ".join(getattr(v, "name", "") for v in items if v is not None)


def _title(event: Event, shapes: Sequence[FieldShape]) -> str:
    """Names of the first actor field, then the first required text, then the first place."""
    title = ""
    actor = next((s for s in shapes if s.kind == "actor"), None)
    if actor is not None:
        title = _names(getattr(event, actor.name))
    text = next(
        (
            s for s in shapes
            if s.kind == "value" and s.python is str and not s.choices
            and not (s.many or s.optional or s.computed)
        ),
        None,
    )  # fmt: skip
    if text is not None and getattr(event, text.name):
        title = f"{title}: {getattr(event, text.name)}" if title else str(getattr(event, text.name))
    place = next((s for s in shapes if s.kind == "place"), None)
    where = _names(getattr(event, place.name)) if place is not None else ""
    if where:
        title = f"{title} · {where}" if title else where
    return title or event.type


def _with_duration(event: Event, shape: FieldShape) -> str:
    """A field as shown; a duration with its value: “four-day → P4D”."""
    text = _shown(shape, getattr(event, shape.name))
    if text and shape.name in event_type(type(event)).duration_fields:
        value = getattr(event, f"{shape.name}_value", None)
        if isinstance(value, str):
            return f"{text} → {value}"
    return text


def when_text(when: When | None) -> str | None:
    """A time as shown: “as written” → value (first to last day), or why unresolved."""
    if when is None:
        return None
    text = f"“{when.expression}”"
    if when.value is not None:
        text += f" → {when.value}"
        if when.start is not None and when.end is not None:
            span = str(when.start) if when.start == when.end else f"{when.start} to {when.end}"
            text += f" ({span})"
        return text
    return text + (f" · unresolved: {when.reason}" if when.reason else " · unresolved")


def record_views(
    summary: SummaryView, *, number: int = 0, text: str | None = None
) -> list[RecordView]:
    """A summary's records as shown, ids ``a<number>-<type>-<index>``.

    With ``text``, a quote counts as found only if its offsets fall inside it.
    """
    lists = summary.event_lists()
    styles = {s.name: s for s in type_styles(event_type(type(r)).name for r in summary.events)}
    views: list[RecordView] = []
    for events in lists.values():
        for index, event in enumerate(events):
            style = styles[event.type]
            record_id = f"a{number}-{style.css.removeprefix('t-')}-{index}"
            evidence = [
                EvidenceView(
                    id=f"{record_id}-e{k}",
                    quote=e.quote,
                    start=e.start,
                    end=e.end,
                    found=e.start is not None
                    and e.end is not None
                    and (text is None or 0 <= e.start < e.end <= len(text)),
                )
                for k, e in enumerate(event.evidence)
            ]
            shapes = [s for s in field_shapes(type(event)) if not s.computed]
            rows = [(s.name, _with_duration(event, s)) for s in shapes]
            views.append(
                RecordView(
                    id=record_id,
                    type=event.type,
                    css=style.css,
                    index=index,
                    status=event.status,
                    title=_title(event, shapes),
                    fields=[(label, value) for label, value in rows if value],
                    when=when_text(event.when),
                    evidence=evidence,
                    places=_geo(event),
                )
            )
    return views


def dropped_views(summary: SummaryView) -> list[DroppedView]:
    """The summary's dropped records as shown, read defensively (older summaries lack them)."""
    views: list[DroppedView] = []
    for d in getattr(summary, "dropped", None) or []:
        record = getattr(d, "record", None) or {}
        evidence = record.get("evidence") if isinstance(record, dict) else None
        quotes = [
            str(e.get("quote"))
            for e in (evidence if isinstance(evidence, list) else [])
            if isinstance(e, dict) and e.get("quote")
        ]
        name = str(getattr(d, "type", "?"))
        cls = type_named(name)
        views.append(
            DroppedView(
                type=name,
                css=_css(event_type(cls).name if cls is not None else name),
                index=int(getattr(d, "index", -1)),
                reason=str(getattr(d, "reason", "")),
                quotes=quotes,
            )
        )
    return views


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsschema._records", "_templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def summary_html(summary: SummaryView) -> str:
    """A compact HTML table of a summary's records, for notebooks."""
    records = record_views(summary)
    return (
        _environment()
        .get_template("summary.html.j2")
        .render(
            summary=summary,
            records=records,
            styles=type_styles(r.type for r in records),
            dropped=dropped_views(summary),
        )
    )


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"})


def _md(text: str) -> str:
    """Text as literal Markdown: HTML escaped, Markdown punctuation backslashed."""
    return html.escape(" ".join(text.split()), quote=False).translate(_MD_SPECIAL)


def summary_markdown(summary: SummaryView) -> str:
    """A summary as Markdown: headline, summary, then one bullet per record."""
    lines = [f"### {_md(summary.headline)}" if summary.headline else "### (no headline)", ""]
    lines += [_md(summary.summary), ""]
    if summary.published:
        lines += [f"Published {summary.published.isoformat()}", ""]
    for view in record_views(summary):
        parts = [f"**{_md(view.label)}**", _md(view.status), _md(view.title)]
        if view.when:
            parts.append(_md(view.when))
        located = sum(e.found for e in view.evidence)
        parts.append(f"evidence {located}/{len(view.evidence)} found")
        lines.append("- " + " · ".join(parts))
    dropped = dropped_views(summary)
    if dropped:
        lines += ["", f"Dropped {len(dropped)}:"]
        lines += [f"- {_md(d.type)} {d.index}: {_md(d.reason)}" for d in dropped]
    failed = getattr(summary, "failed_chunks", None) or []
    if failed:
        lines += ["", f"Incomplete: {len(failed)} part(s) of the article not extracted:"]
        lines += [
            f"- characters {f.start}-{f.end}: {_md(f.error)}: {_md(f.message)}" for f in failed
        ]
    return "\n".join(lines) + "\n"
