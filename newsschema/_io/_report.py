"""The HTML review page: each article's text with its evidence highlighted, beside its records.

The review page (:func:`render_report`) is one self-contained HTML file: inline
CSS and JS, no request to anywhere (its Content-Security-Policy forbids them,
and allows only its own script, by hash). For each article it shows the text
with every evidence span highlighted in its event type's colour, next to each
record with its fields, status, resolved time and whether its quotes were found
in the text. Any event type is shown from its fields (see
``newsschema._records`` ``record_views``). Overlapping spans are cut into
segments at every span boundary; each segment is one ``<mark>`` listing every
span that covers it (``data-ev``) and their records (``data-records``).
Everything from the article or the model is escaped (jinja2 autoescaping);
nothing from them becomes a link, attribute name or script.
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

from newsschema._records import (
    ArticleSummary,
    DroppedView,
    RecordView,
    dropped_views,
    record_views,
    summary_html,
    summary_markdown,
    type_styles,
)

from ._report_index import index_data, script_json, timeline

if TYPE_CHECKING:
    import jinja2

    from ._export import ExportedArticle

    ReportItem: TypeAlias = tuple[str, str | None, ArticleSummary] | ExportedArticle

__all__ = [
    "INLINE_ARTICLES",
    "render_report",
    "segments",
    "summary_html",
    "summary_markdown",
    "summary_records",
    "write_report",
]


# Up to this many articles the page shows every one in full; past it, the index
# and the timeline lead, and an article is drawn when it is chosen there.
INLINE_ARTICLES = 10


@dataclass(frozen=True)
class _Segment:
    text: str
    spans: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The records covering this piece, as 'meeting 0, statement 1'."""
        return ", ".join(self.labels)


@dataclass
class _ArticleView:
    number: int
    id: str
    summary: ArticleSummary
    has_text: bool
    records: list[RecordView]
    dropped: list[DroppedView]
    segments: list[_Segment] = field(default_factory=list)

    @property
    def spans(self) -> int:
        return sum(len(r.evidence) for r in self.records)

    @property
    def found(self) -> int:
        return sum(e.found for r in self.records for e in r.evidence)


def summary_records(summary: ArticleSummary) -> list[RecordView]:
    """A summary's records as the review page shows them (title, fields, evidence)."""
    return record_views(summary)


def segments(text: str, records: Sequence[RecordView]) -> list[_Segment]:
    """The text cut at every span boundary, each piece with the spans covering it."""
    spans = [
        (e.start, e.end, e.id, r.id, r.css, r.label)
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
                labels=tuple(dict.fromkeys(s[5] for s in covering)),
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
def _script_file() -> str:
    from importlib import resources

    return resources.files("newsschema._io").joinpath("_templates/report.js").read_text("utf-8")


def _script(data: Any) -> tuple[str, str]:
    """The page's script, holding the index ``data``, and its CSP hash."""
    script = f"var NEWSSCHEMA_INDEX = {script_json(data)};\n{_script_file()}"
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return script, f"'sha256-{digest}'"


def _views(items: Iterable[Any]) -> list[_ArticleView]:
    views: list[_ArticleView] = []
    for number, item in enumerate(items, start=1):
        article_id, text, summary = item[0], item[1], item[2]
        if summary.page is not None:
            text = summary.page.text  # a web page: offsets index its extracted main text
        records = record_views(summary, number=number, text=text)
        view = _ArticleView(
            number=number,
            id=str(article_id),
            summary=summary,
            has_text=text is not None,
            records=records,
            dropped=dropped_views(summary),
        )
        if text is not None:
            view.segments = segments(text, records)
        views.append(view)
    return views


@dataclass(frozen=True)
class _ClusterColumn:
    article_id: str
    anchor: str | None
    headline: str | None
    published: Any
    status: str
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class _ClusterView:
    id: str
    type: str
    css: str
    columns: tuple[_ClusterColumn, ...]
    rules: tuple[str, ...]


def _cluster_views(
    clusters: Iterable[Any], articles: Sequence[_ArticleView], css: dict[str, str]
) -> list[_ClusterView]:
    """Clusters of more than one article, each mention a column (``link_events`` output)."""
    anchors = {a.id: f"a{a.number}" for a in articles}
    views = []
    for cluster in clusters:
        if len({m.article_id for m in cluster.mentions}) < 2:
            continue
        columns = tuple(
            _ClusterColumn(
                article_id=m.article_id,
                anchor=anchors.get(m.article_id),
                headline=m.headline,
                published=m.published,
                status=str(m.record.status),
                quotes=tuple(e.quote for e in m.record.evidence),
            )
            for m in cluster.mentions
        )
        rules = tuple(f"{k.article_id}: {k.rule} ({', '.join(k.matched)})" for k in cluster.links)
        views.append(
            _ClusterView(cluster.id, cluster.type, css.get(cluster.type, ""), columns, rules)
        )
    return views


def render_report(
    items: Iterable[ReportItem],
    *,
    title: str = "newsschema review",
    clusters: Iterable[Any] = (),
) -> str:
    """One self-contained HTML page to check summaries against their articles.

    Args:
        items: ``(article_id, article_text, summary)`` per article (an
            ``ExportedArticle`` from ``read_articles`` works too). With text None,
            the records are listed without the highlighted article.
        title: the page title.
        clusters: event clusters (``newsschema.link_events``): each reported by
            more than one article gets a section with its sources side by side
            (article id, headline, status, evidence) and the reasons of its links.

    With more than one article the page opens with an index: search (titles,
    actors, places, headlines), filters by type, status, actor and date range,
    the matching articles and events, and a timeline of the events by resolved
    date (inline SVG; a bar sets the date range). With more than
    ``INLINE_ARTICLES`` (10), articles are kept as inert ``<template>`` elements
    and drawn one at a time when chosen in the index, so the browser lays out one
    article, not hundreds.

    Returns:
        The HTML document.
    """
    from markupsafe import Markup

    articles = _views(items)
    for a in articles:
        if not isinstance(a.summary, ArticleSummary):
            raise TypeError(f"expected an ArticleSummary, got {type(a.summary).__name__}")
    records = [r for a in articles for r in a.records]
    # Every type asked for gets its filter and colour, records or not, then any others.
    names = [n for a in articles for n in a.summary.provenance.event_types]
    names += [r.type for r in records] + [d.type for a in articles for d in a.dropped]
    clusters = list(clusters)
    styles = type_styles(names + [c.type for c in clusters])
    statuses = sorted({r.status for r in records})
    many = len(articles) > 1
    on_demand = len(articles) > INLINE_ARTICLES
    data = index_data((a.number, a.id, a.summary, a.records) for a in articles) if many else None
    if data is not None:
        data["on_demand"] = on_demand
        data["css"] = {s.name: s.css for s in styles}
    script, script_hash = _script(data)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            articles=articles,
            styles=styles,
            types=[s for s in styles if any(r.type == s.name for r in records)],
            statuses=statuses,
            type_counts={s.name: sum(r.type == s.name for r in records) for s in styles},
            status_counts={s: sum(r.status == s for r in records) for s in statuses},
            script=Markup(script),  # noqa: S704 - our own file, not data
            script_hash=script_hash,
            clusters=_cluster_views(clusters, articles, {s.name: s.css for s in styles}),
            index=many,
            on_demand=on_demand,
            timeline=timeline(((a.summary, a.records) for a in articles), styles) if many else None,
        )
    )


def write_report(
    items: Iterable[ReportItem],
    path: str | Path,
    *,
    title: str = "newsschema review",
    clusters: Iterable[Any] = (),
) -> Path:
    """Write :func:`render_report`'s page to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_report(items, title=title, clusters=clusters), encoding="utf-8")
    return path
