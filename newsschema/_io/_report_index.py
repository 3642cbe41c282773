"""The review page's index of many articles: compact data for search and filters, a timeline.

The index is data, not markup: one JSON object embedded in the page's own script
(escaped for that place: no ``<``, ``>``, ``&`` or line separator survives as
itself), from which the script builds rows with ``textContent`` only. The
timeline is inline SVG drawn here: events by the first day of their resolved
time, stacked by type, in days, months or years as the dates' spread asks.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from newsschema._records import (
    Actor,
    ArticleSummary,
    Place,
    RecordView,
    TypeStyle,
    event_type,
    type_named,
)

__all__ = ["Timeline", "index_data", "script_json", "timeline"]

# A time that covers more than this many days ("this year", "last summer") is too
# coarse to stand on a date: it is counted beside the timeline, not on it.
_MAX_SPAN_DAYS = 31
_WIDTH, _HEIGHT, _AXIS = 1000, 120, 18


def _names(value: Any, cls: type[Actor] | type[Place]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v.name) for v in items if isinstance(v, cls)]


def _pairs(summary: ArticleSummary, records: Sequence[RecordView]) -> Iterable[tuple[Any, Any]]:
    """Each record view with its event (``record_views`` lists them in this order)."""
    events = [e for records_ in summary.event_lists().values() for e in records_]
    return zip(records, events, strict=True)


def index_data(
    articles: Iterable[tuple[int, str, ArticleSummary, Sequence[RecordView]]],
) -> dict[str, Any]:
    """The index as compact JSON-ready data.

    ``articles``: [number, id, headline, published, records]; ``actors``: names;
    ``events``: [record id, article number, type, status, title, first day, last
    day, actor numbers, places].
    """
    actors: dict[str, int] = {}
    rows: list[list[Any]] = []
    events: list[list[Any]] = []
    for number, article_id, summary, records in articles:
        published = summary.published.isoformat() if summary.published else None
        rows.append([number, article_id, summary.headline or "", published, len(records)])
        for view, event in _pairs(summary, records):
            spec = event_type(type(event))
            names = [n for f, _ in spec.actor_fields for n in _names(getattr(event, f), Actor)]
            places = [n for f, _ in spec.place_fields for n in _names(getattr(event, f), Place)]
            when = event.when
            start = when.start.isoformat() if when is not None and when.start else None
            end = when.end.isoformat() if when is not None and when.end else None
            ids = [actors.setdefault(n, len(actors)) for n in dict.fromkeys(names)]
            events.append(
                [view.id, number, view.type, view.status, view.title, start, end, ids, places]
            )
    return {"articles": rows, "actors": list(actors), "events": events}


def script_json(data: Any) -> str:
    """``data`` as a JavaScript literal that is safe inside ``<script>``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


@dataclass(frozen=True)
class Bar:
    """One type's count in one period of the timeline, as an SVG rectangle."""

    x: float
    y: float
    width: float
    height: float
    css: str
    label: str
    first: str  # the period's first and last day, for the date filter
    last: str


@dataclass(frozen=True)
class Timeline:
    """The timeline's bars, axis labels, and what it leaves out."""

    bars: list[Bar]
    ticks: list[tuple[float, str]]
    unit: str
    placed: int
    coarse: int
    undated: int
    width: int = _WIDTH
    height: int = _HEIGHT
    axis: int = _AXIS


def _period(day: date, unit: str) -> tuple[date, date]:
    if unit == "day":
        return day, day
    if unit == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    return day.replace(month=1, day=1), day.replace(month=12, day=31)


def _label(first: date, unit: str) -> str:
    return {"day": first.isoformat(), "month": first.isoformat()[:7]}.get(unit, str(first.year))


def timeline(
    articles: Iterable[tuple[ArticleSummary, Sequence[RecordView]]], styles: Sequence[TypeStyle]
) -> Timeline:
    """Events by resolved date, stacked by type (in ``styles`` order)."""
    dated: list[tuple[date, str]] = []
    coarse = undated = 0
    for summary, records in articles:
        for view, event in _pairs(summary, records):
            when = event.when
            if when is None or when.start is None or when.end is None:
                undated += 1
            elif (when.end - when.start).days >= _MAX_SPAN_DAYS:
                coarse += 1
            else:
                dated.append((when.start, view.type))
    if not dated:
        return Timeline([], [], "day", 0, coarse, undated)
    low, high = min(d for d, _ in dated), max(d for d, _ in dated)
    spread = (high - low).days
    unit = "day" if spread <= 92 else "month" if spread <= 366 * 8 else "year"
    periods: list[tuple[date, date]] = []
    cursor = _period(low, unit)[0]
    while cursor <= high:
        periods.append(_period(cursor, unit))
        cursor = periods[-1][1] + timedelta(days=1)
    where = {first: i for i, (first, _) in enumerate(periods)}
    counts = Counter((where[_period(day, unit)[0]], kind) for day, kind in dated)
    totals = Counter(where[_period(day, unit)[0]] for day, _ in dated)
    scale = (_HEIGHT - _AXIS - 4) / max(totals.values())
    width = _WIDTH / len(periods)
    bars: list[Bar] = []
    for i, (first, last) in enumerate(periods):
        top = float(_HEIGHT - _AXIS)
        for style in styles:
            n = counts.get((i, style.name), 0)
            if not n:
                continue
            top -= n * scale
            plural = _plural(style.name, n)
            bars.append(
                Bar(
                    x=round(i * width, 2),
                    y=round(top, 2),
                    width=round(max(width - 1, 0.5), 2),
                    height=round(n * scale, 2),
                    css=style.css,
                    label=f"{_label(first, unit)}: {n} {plural}",
                    first=first.isoformat(),
                    last=last.isoformat(),
                )
            )
    step = max(1, len(periods) // 6)
    ticks = [
        (round(i * width, 2), _label(periods[i][0], unit)) for i in range(0, len(periods), step)
    ]
    return Timeline(bars, ticks, unit, len(dated), coarse, undated)


def _plural(name: str, n: int) -> str:
    """'meeting' for one, else the type's own plural from the registry ('meetings')."""
    if n == 1:
        return name
    cls = type_named(name)
    return event_type(cls).plural if cls is not None else f"{name}s"
