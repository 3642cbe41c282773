"""The review page of many articles: index, filters, timeline, articles drawn on demand."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_ARTICLE
from test_report import (  # fixtures and helpers of the single-article page's tests
    ATTRIBUTE_PAYLOAD,
    HOSTILE_ARTICLE,
    PAYLOAD,
    _open,
    _parse,
    browser,
    hostile,
    seed,
)
from typer.testing import CliRunner

import newsschema._io._report as report_module
from newsschema import ArticleSummary, render_report, write_jsonl, write_report
from newsschema.cli import app

__all__ = ["browser", "hostile", "seed"]  # re-exported fixtures


def moved(summary: ArticleSummary, days: int) -> ArticleSummary:
    """The summary with every resolved time and its publication ``days`` later."""
    events = []
    for record in summary.events:
        when = record.when
        if when is not None and when.start is not None and when.end is not None:
            shift = timedelta(days=days)
            when = when.model_copy(update={"start": when.start + shift, "end": when.end + shift})
            events.append(record.model_copy(update={"when": when}))
        else:
            events.append(record)
    published = summary.published + timedelta(days=days) if summary.published else None
    return summary.model_copy(update={"events": events, "published": published})


def many(summary: ArticleSummary, n: int, text: str = SEED_ARTICLE) -> list[Any]:
    return [(f"art-{i:03d}", text, moved(summary, 3 * i)) for i in range(n)]


def script_of(html: str) -> str:
    (script,) = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    return script


def test_one_article_has_no_index(seed: ArticleSummary) -> None:
    html = render_report([("seed", SEED_ARTICLE, seed)])
    assert 'id="index"' not in html and "<template" not in html
    assert "var NEWSSCHEMA_INDEX = null;" in script_of(html)


def test_many_articles_get_an_index_with_search_and_filters(seed: ArticleSummary) -> None:
    html = render_report(many(seed, 12))
    for control in ('id="q"', 'id="actor"', 'id="actor-names"', 'id="from"', 'id="to"'):
        assert control in html
    for kind in ("meeting", "statement", "visit", "warrant"):
        assert f'data-filter="type" value="{kind}"' in html
    assert 'data-filter="status" value="occurred"' in html
    assert 'id="index-articles"' in html and 'id="index-events"' in html
    # Past INLINE_ARTICLES every article waits in a template, drawn when chosen.
    assert len(re.findall(r'<template id="tpl-a\d+">', html)) == 12
    assert '<div id="detail">' in html
    # One script, the page's own, holding the index; the CSP allows exactly it.
    script = script_of(html)
    assert _parse(html).tags.count("script") == 1
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in unescape(html)
    assert script.count('"art-0') >= 12 and "Sergey Lavrov" in script


def test_ten_articles_or_fewer_are_shown_in_full_under_the_index(seed: ArticleSummary) -> None:
    html = render_report(many(seed, report_module.INLINE_ARTICLES))
    assert "<template" not in html and 'id="index"' in html
    assert html.count('<section class="article"') == report_module.INLINE_ARTICLES


def test_the_timeline_stacks_events_by_resolved_day(seed: ArticleSummary) -> None:
    # The seed's one meeting "on Monday" (2023-09-18) in articles moved by 0, 0 and 14 days.
    (monday,) = [m for m in seed.meetings if m.when and m.when.value == "2023-09-18"]
    one = seed.model_copy(update={"events": [monday]})
    items = [("a", None, one), ("b", None, one), ("c", None, moved(one, 14))]
    html = render_report(items)
    svg = re.search(r'<svg class="timeline".*?</svg>', html, flags=re.DOTALL)
    assert svg is not None and "<script" not in svg.group(0) and "href" not in svg.group(0)
    bars = re.findall(
        r'<rect class="bar (t-\w+)" x="([\d.]+)" y="[\d.]+" width="[\d.]+" '
        r'height="([\d.]+)" data-from="([\d-]+)" data-to="([\d-]+)"><title>([^<]+)</title>',
        svg.group(0),
    )
    assert [(b[0], b[3], b[4], b[5]) for b in bars] == [
        ("t-meeting", "2023-09-18", "2023-09-18", "2023-09-18: 2 meetings"),
        ("t-meeting", "2023-10-02", "2023-10-02", "2023-10-02: 1 meeting"),
    ]
    assert float(bars[0][2]) == pytest.approx(2 * float(bars[1][2]))  # twice as tall
    assert float(bars[1][1]) > float(bars[0][1])  # later is to the right
    assert "3 event(s) by the first day of their resolved time, per day" in html


def test_the_timeline_counts_coarse_and_undated_times_beside_it(seed: ArticleSummary) -> None:
    html = render_report([("a", None, seed), ("b", None, seed)])
    coarse = sum(
        1
        for r in seed.events
        if r.when and r.when.start and r.when.end and (r.when.end - r.when.start).days >= 31
    )
    undated = sum(1 for r in seed.events if r.when is None or r.when.start is None)
    placed = len(seed.events) - coarse - undated
    assert f"{2 * placed} event(s)" in html
    assert f"{2 * coarse} with a time coarser than a month not shown" in html
    assert f"{2 * undated} without a resolved date" in html


def test_hostile_text_in_the_index_data_cannot_leave_the_script(hostile: ArticleSummary) -> None:
    html = render_report([(f"<img src=x onerror={PAYLOAD}>", HOSTILE_ARTICLE, hostile)] * 12)
    script = script_of(html)
    data = script.split(";\n", 1)[0]
    assert "<" not in data and ">" not in data and "&" not in data
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in data
    page = _parse(html)
    assert page.tags.count("script") == 1
    assert "img" not in page.tags and "a" not in page.tags and "b" not in page.tags
    assert re.search(r"<[^>]*\bon\w+=", html) is None


def test_the_page_of_many_articles_lays_out_a_fraction_of_it(
    seed: ArticleSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = many(seed, 60)
    on_demand = render_report(items)
    monkeypatch.setattr(report_module, "INLINE_ARTICLES", 10_000)
    inline = render_report(items)
    live = len(re.sub(r"<template\b.*?</template>", "", on_demand, flags=re.DOTALL))
    # What the browser parses into the live page at load: the index, not 60 articles.
    assert live < len(inline) / 10
    # The templates hold the same article markup the inline page shows.
    assert on_demand.count('<article class="record') == inline.count('<article class="record')


def test_newsschema_report_of_many_articles_writes_the_index(
    seed: ArticleSummary, tmp_path: Path
) -> None:
    out, page = tmp_path / "out.jsonl", tmp_path / "report.html"
    write_jsonl(many(seed, 12), out)
    result = CliRunner().invoke(app, ["report", str(out), "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert 'id="index-events"' in html and '<svg class="timeline"' in html
    assert len(re.findall(r'<template id="tpl-a\d+">', html)) == 12
    assert '"art-011"' in script_of(html)


# --------------------------------------------------------------------------------------
# In a real browser.


def test_in_chromium_the_index_filters_and_opens_articles_on_demand(
    browser: Any, seed: ArticleSummary, tmp_path: Path
) -> None:
    path = write_report(many(seed, 12), tmp_path / "many.html")
    page, problems = _open(browser, path)
    total = 12 * len(seed.events)
    assert page.inner_text("#index-shown").startswith(f"{total} of {total} events in 12 of 12")
    assert page.evaluate("document.querySelectorAll('section.article').length") == 0
    assert page.evaluate("document.querySelectorAll('#actor-names option').length") == len(
        {a.name for a in seed.actors}
    )

    page.fill("#q", "lavrov moscow")
    lavrov = page.evaluate("document.querySelectorAll('#index-events tbody tr').length")
    assert 0 < lavrov < total
    page.fill("#q", "")
    page.fill("#actor", "Wang Yi")
    page.dispatch_event("#actor", "change")
    with_wang = page.evaluate("document.querySelectorAll('#index-events tbody tr').length")
    assert 0 < with_wang < total
    page.fill("#actor", "")
    page.uncheck("input[data-filter='type'][value='statement']")
    without_statements = 12 * (len(seed.events) - len(seed.statements))
    assert page.inner_text("#index-shown").startswith(f"{without_statements} of {total} events")
    page.check("input[data-filter='type'][value='statement']")

    # A date range keeps the events whose resolved time overlaps it.
    page.fill("#from", "2023-09-18")
    page.fill("#to", "2023-09-18")
    page.dispatch_event("#to", "change")
    dates = page.evaluate(
        "[...document.querySelectorAll('#index-events tbody tr td:first-child')]"
        ".map(td => td.textContent)"
    )
    assert dates and "" not in dates
    for shown in dates:
        first_day, _, last_day = shown.partition(" to ")
        assert first_day <= "2023-09-18" <= (last_day or first_day)
    # A timeline bar sets the range to its period.
    page.click("svg.timeline rect.bar >> nth=-1")
    first, last = page.input_value("#from"), page.input_value("#to")
    assert first <= last and date.fromisoformat(first) > date(2023, 9, 18)
    page.click("#clear")
    assert page.input_value("#from") == ""

    # Choosing an event draws its article, with the record in view.
    page.click("#index-events tbody tr >> nth=0")
    assert page.evaluate("document.querySelectorAll('section.article').length") == 1
    assert page.inner_text("#shown") == f"{len(seed.events)} of {len(seed.events)} records shown"
    assert page.evaluate("document.querySelectorAll('pre.article-text mark').length") > 0
    page.click("#index-articles tbody tr >> nth=3")
    assert page.evaluate("document.querySelector('section.article').id") == "a4"
    assert problems == []
    page.close()


def test_in_chromium_hostile_text_stays_inert_in_the_index(
    browser: Any, hostile: ArticleSummary, tmp_path: Path
) -> None:
    items = [(f"<img src=x onerror={PAYLOAD}>", HOSTILE_ARTICLE, hostile)] * 12
    path = write_report(items, tmp_path / "hostile-many.html")
    page, problems = _open(browser, path)
    page.fill("#q", "pwned")
    page.click("#index-events tbody tr >> nth=0")
    page.fill("#actor", ATTRIBUTE_PAYLOAD)
    page.dispatch_event("#actor", "change")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img, a, b, iframe').length") == 0
    assert PAYLOAD in page.inner_text("#index-events")
    assert problems == []
    page.close()
