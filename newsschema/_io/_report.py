"""Summaries for people to check: an HTML review page and notebook displays.

The review page (:func:`render_report`) is one self-contained HTML file: inline
CSS and JS, no request to anywhere (its Content-Security-Policy forbids them,
and allows only its own script, by hash). For each article it shows the text
with every evidence span highlighted by event type, next to each record with its
fields, status, resolved time and whether its quotes were found in the text.
Overlapping spans are cut into segments at every span boundary; each segment is
one ``<mark>`` listing every span that covers it (``data-ev``) and their records
(``data-records``). Everything from the article or the model is escaped
(jinja2 autoescaping); nothing from them becomes a link, attribute name or script.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import jinja2

    from newsschema._records import (
        Actor,
        ArticleSummary,
        Meeting,
        Place,
        Statement,
        Visit,
        Warrant,
        When,
    )

    from ._export import ExportedArticle

    ReportItem: TypeAlias = tuple[str, str | None, ArticleSummary] | ExportedArticle

__all__ = [
    "render_report",
    "summary_html",
    "summary_markdown",
    "summary_records",
    "write_report",
]

_PLURALS = ("meetings", "statements", "visits", "warrants")
_TYPES = ("meeting", "statement", "visit", "warrant")


@dataclass(frozen=True)
class _EvidenceView:
    id: str
    quote: str
    start: int | None
    end: int | None
    found: bool


@dataclass(frozen=True)
class _RecordView:
    id: str
    type: str
    index: int
    status: str
    title: str
    fields: list[tuple[str, str]]
    when: str | None
    evidence: list[_EvidenceView]

    @property
    def grounded(self) -> bool:
        return all(e.found for e in self.evidence)


@dataclass(frozen=True)
class _DroppedView:
    type: str
    index: int
    reason: str
    quotes: list[str]


@dataclass(frozen=True)
class _Segment:
    text: str
    spans: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The records covering this piece, as 'meeting 0, statement 1'."""
        return ", ".join(" ".join(r.split("-")[1:]) for r in self.records)


@dataclass
class _ArticleView:
    number: int
    id: str
    summary: ArticleSummary
    has_text: bool
    records: list[_RecordView]
    dropped: list[_DroppedView]
    segments: list[_Segment] = field(default_factory=list)

    @property
    def spans(self) -> int:
        return sum(len(r.evidence) for r in self.records)

    @property
    def found(self) -> int:
        return sum(e.found for r in self.records for e in r.evidence)


def _actor(actor: Actor | None) -> str:
    if actor is None:
        return ""
    details = [d for d in (actor.title, actor.organisation, actor.country) if d]
    return f"{actor.name} ({', '.join(details)})" if details else actor.name


def _place(place: Place | None) -> str:
    if place is None:
        return ""
    return f"{place.name} ({place.country})" if place.country else place.name


def _when(when: When | None) -> str | None:
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


def _fields(event: Meeting | Statement | Visit | Warrant) -> tuple[str, list[tuple[str, str]]]:
    """A one-line title and the labelled fields of a record (empty ones left out)."""
    rows: list[tuple[str, str]]
    if event.type == "meeting":
        names = "; ".join(p.name for p in event.participants)
        rows = [
            ("participants", "; ".join(_actor(p) for p in event.participants)),
            ("place", _place(event.place)),
            ("format", event.format),
            ("topics", "; ".join(event.topics)),
            ("outcomes", "; ".join(event.outcomes)),
        ]
        title = names + (f" · {event.place.name}" if event.place else "")
    elif event.type == "statement":
        rows = [
            ("speaker", _actor(event.speaker)),
            ("addressee", _actor(event.addressee)),
            ("content", event.content),
            ("quote", f"“{event.quote}”" if event.quote else ""),
            ("occasion", event.occasion or ""),
        ]
        title = f"{event.speaker.name}: {event.content}"
    elif event.type == "visit":
        rows = [
            ("visitor", _actor(event.visitor)),
            ("host", _actor(event.host)),
            ("destination", _place(event.destination)),
            ("duration", event.duration or ""),
            ("purpose", event.purpose or ""),
        ]
        title = event.visitor.name + (f" → {event.destination.name}" if event.destination else "")
    else:
        rows = [
            ("subject", _actor(event.subject)),
            ("authority", _actor(event.authority)),
            ("kind", event.kind),
            ("charges", "; ".join(event.charges)),
        ]
        title = f"{event.kind}: {event.subject.name}"
    return title, [(label, value) for label, value in rows if value]


def _records(number: int, summary: ArticleSummary, text: str | None) -> list[_RecordView]:
    views: list[_RecordView] = []
    for plural in _PLURALS:
        events: list[Meeting | Statement | Visit | Warrant] = getattr(summary, plural)
        for index, event in enumerate(events):
            record_id = f"a{number}-{event.type}-{index}"
            evidence = [
                _EvidenceView(
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
            title, rows = _fields(event)
            views.append(
                _RecordView(
                    id=record_id,
                    type=event.type,
                    index=index,
                    status=event.status,
                    title=title,
                    fields=rows,
                    when=_when(event.when),
                    evidence=evidence,
                )
            )
    return views


def summary_records(summary: ArticleSummary) -> list[_RecordView]:
    """A summary's records as the review page shows them (title, fields, evidence)."""
    return _records(0, summary, None)


def _dropped(summary: ArticleSummary) -> list[_DroppedView]:
    views: list[_DroppedView] = []
    # `dropped` is read defensively: summaries stored by older versions lack it.
    for d in getattr(summary, "dropped", None) or []:
        record = getattr(d, "record", None) or {}
        evidence = record.get("evidence") if isinstance(record, dict) else None
        quotes = [
            str(e.get("quote"))
            for e in (evidence if isinstance(evidence, list) else [])
            if isinstance(e, dict) and e.get("quote")
        ]
        views.append(
            _DroppedView(
                type=str(getattr(d, "type", "?")),
                index=int(getattr(d, "index", -1)),
                reason=str(getattr(d, "reason", "")),
                quotes=quotes,
            )
        )
    return views


def segments(text: str, records: Sequence[_RecordView]) -> list[_Segment]:
    """The text cut at every span boundary, each piece with the spans covering it."""
    spans = [
        (e.start, e.end, e.id, r.id, r.type)
        for r in records
        for e in r.evidence
        if e.found and e.start is not None and e.end is not None
    ]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out: list[_Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        if not covering:
            out.append(_Segment(text[a:b]))
            continue
        out.append(
            _Segment(
                text[a:b],
                spans=tuple(s[2] for s in covering),
                records=tuple(dict.fromkeys(s[3] for s in covering)),
                types=tuple(dict.fromkeys(s[4] for s in covering)),
                starts=tuple(s[2] for s in covering if s[0] == a),
            )
        )
    return out


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsschema._io", "_templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _script() -> tuple[str, str]:
    """The page's script and its CSP hash."""
    from importlib import resources

    script = resources.files("newsschema._io").joinpath("_templates/report.js").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return script, f"'sha256-{digest}'"


def _views(items: Iterable[Any]) -> list[_ArticleView]:
    views: list[_ArticleView] = []
    for number, item in enumerate(items, start=1):
        article_id, text, summary = item[0], item[1], item[2]
        records = _records(number, summary, text)
        view = _ArticleView(
            number=number,
            id=str(article_id),
            summary=summary,
            has_text=text is not None,
            records=records,
            dropped=_dropped(summary),
        )
        if text is not None:
            view.segments = segments(text, records)
        views.append(view)
    return views


def render_report(items: Iterable[ReportItem], *, title: str = "newsschema review") -> str:
    """One self-contained HTML page to check summaries against their articles.

    Args:
        items: ``(article_id, article_text, summary)`` per article (an
            ``ExportedArticle`` from ``read_articles`` works too). With text None,
            the records are listed without the highlighted article.
        title: the page title.

    Returns:
        The HTML document.
    """
    from markupsafe import Markup

    from newsschema._records import ArticleSummary

    articles = _views(items)
    for a in articles:
        if not isinstance(a.summary, ArticleSummary):
            raise TypeError(f"expected an ArticleSummary, got {type(a.summary).__name__}")
    records = [r for a in articles for r in a.records]
    statuses = sorted({r.status for r in records})
    script, script_hash = _script()
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            articles=articles,
            types=[t for t in _TYPES if any(r.type == t for r in records)],
            statuses=statuses,
            type_counts={t: sum(r.type == t for r in records) for t in _TYPES},
            status_counts={s: sum(r.status == s for r in records) for s in statuses},
            script=Markup(script),  # noqa: S704 - our own file, not data
            script_hash=script_hash,
        )
    )


def write_report(
    items: Iterable[ReportItem],
    path: str | Path,
    *,
    title: str = "newsschema review",
) -> Path:
    """Write :func:`render_report`'s page to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_report(items, title=title), encoding="utf-8")
    return path


def summary_html(summary: ArticleSummary) -> str:
    """A compact HTML table of a summary's records, for notebooks."""
    records = _records(0, summary, None)
    return (
        _environment()
        .get_template("summary.html.j2")
        .render(summary=summary, records=records, dropped=_dropped(summary))
    )


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"})


def _md(text: str) -> str:
    """Text as literal Markdown: HTML escaped, Markdown punctuation backslashed."""
    import html

    return html.escape(" ".join(text.split()), quote=False).translate(_MD_SPECIAL)


def summary_markdown(summary: ArticleSummary) -> str:
    """A summary as Markdown: headline, summary, then one bullet per record."""
    lines = [f"### {_md(summary.headline)}" if summary.headline else "### (no headline)", ""]
    lines += [_md(summary.summary), ""]
    if summary.published:
        lines += [f"Published {summary.published.isoformat()}", ""]
    for view in summary_records(summary):
        parts = [f"**{view.type} {view.index}**", _md(view.status), _md(view.title)]
        if view.when:
            parts.append(_md(view.when))
        located = sum(e.found for e in view.evidence)
        parts.append(f"evidence {located}/{len(view.evidence)} found")
        lines.append("- " + " · ".join(parts))
    dropped = _dropped(summary)
    if dropped:
        lines += ["", f"Dropped {len(dropped)}:"]
        lines += [f"- {_md(d.type)} {d.index}: {_md(d.reason)}" for d in dropped]
    return "\n".join(lines) + "\n"
