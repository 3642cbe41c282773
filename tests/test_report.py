"""The HTML review page, checked as markup and in a real browser, and notebook displays."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import CASSETTES, ROOT, SCRIPTED_MODEL, SEED_ARTICLE

from newsschema import ArticleSummary, DroppedRecord, Evidence, summarize
from newsschema._io._report import render_report, summary_html, summary_markdown, write_report
from newsschema.testing import FakeModel, replay_client

ARTIFACTS = ROOT / "artifacts"
PAYLOAD = "<script>window.__pwned=1</script>"
ATTRIBUTE_PAYLOAD = '"><img src=x onerror="window.__pwned=1">'
HOSTILE_ARTICLE = (
    f"Mayor {PAYLOAD} met the council in Springfield on Monday.\n"
    f"The council said {ATTRIBUTE_PAYLOAD} was no threat.\n"
    "Residents were told to open javascript:window.__pwned=1 for details. </pre></mark>\n"
)


@pytest.fixture(scope="module")
def seed() -> ArticleSummary:
    client = replay_client(CASSETTES / "seed_reference.json")
    return summarize(SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL)


def _actor(name: str) -> dict[str, Any]:
    return {"name": name, "title": None, "organisation": None, "country": None, "kind": "person"}


@pytest.fixture(scope="module")
def hostile() -> ArticleSummary:
    """Model output and article text that try to run script, with overlapping evidence."""
    meeting = {
        "when": {"expression": "on Monday"},
        "evidence": [{"quote": f"Mayor {PAYLOAD} met the council in Springfield on Monday."}],
        "participants": [_actor(PAYLOAD), _actor(ATTRIBUTE_PAYLOAD)],
        "place": {"name": "javascript:window.__pwned=1", "country": None, "kind": "city"},
        "format": "in_person",
        "topics": [f"{{{{ 7 * 7 }}}} {PAYLOAD}"],
        "outcomes": [],
        "status": "occurred",
    }
    statement = {
        "when": None,
        # Partly overlaps the meeting's quote, and holds the attribute payload.
        "evidence": [
            {"quote": "in Springfield on Monday. The council said"},
            {"quote": f"The council said {ATTRIBUTE_PAYLOAD} was no threat."},
        ],
        "speaker": _actor("javascript:window.__pwned=1"),
        "content": '<b onmouseover="window.__pwned=1">no threat</b>',
        "quote": None,
        "addressee": None,
        "occasion": None,
        "status": "denied",
    }
    fake = FakeModel()
    fake.enqueue(
        {
            "headline": f"</title>{PAYLOAD}",
            "summary": f"{ATTRIBUTE_PAYLOAD} and {PAYLOAD}",
            "meetings": [meeting],
            "statements": [statement],
            "visits": [],
            "warrants": [],
        }
    )
    return summarize(HOSTILE_ARTICLE, client=fake.client(), model="fake")


class _Marks(HTMLParser):
    """The article text of a report page, as (text, evidence ids) pieces in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, tuple[str, ...]]] = []
        self.in_text = False
        self.current: tuple[str, ...] = ()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "pre" and values.get("class") == "article-text":
            self.in_text = True
        elif tag == "mark" and self.in_text:
            self.current = tuple((values.get("data-ev") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.in_text = False
        elif tag == "mark":
            self.current = ()

    def handle_data(self, data: str) -> None:
        if self.in_text:
            self.pieces.append((data, self.current))

    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def span_texts(self) -> dict[str, str]:
        spans: dict[str, str] = {}
        for text, ids in self.pieces:
            for span in ids:
                spans[span] = spans.get(span, "") + text
        return spans


def _parse(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    return parser


def _expected_spans(summary: ArticleSummary, article: str, number: int = 1) -> dict[str, str]:
    return {
        f"a{number}-{event.type}-{i}-e{k}": article[e.start : e.end]
        for kind in ("meetings", "statements", "visits", "warrants")
        for i, event in enumerate(getattr(summary, kind))
        for k, e in enumerate(event.evidence)
        if e.start is not None and e.end is not None
    }


def test_report_highlights_each_of_the_26_evidence_spans_of_the_seed(
    seed: ArticleSummary,
) -> None:
    page = _parse(render_report([("seed", SEED_ARTICLE, seed)]))
    assert page.text() == SEED_ARTICLE  # the whole text, unchanged, once
    spans = page.span_texts()
    assert len(spans) == 26
    assert spans == _expected_spans(seed, SEED_ARTICLE)


def test_overlapping_spans_are_cut_into_pieces_that_cover_each_span(
    hostile: ArticleSummary,
) -> None:
    page = _parse(render_report([("x", HOSTILE_ARTICLE, hostile)]))
    assert page.text() == HOSTILE_ARTICLE
    assert page.span_texts() == _expected_spans(hostile, HOSTILE_ARTICLE)
    shared = [text for text, ids in page.pieces if len(ids) == 2]
    # The meeting's span keeps its full stop: the model's copy has it, and so does the article.
    assert shared == ["in Springfield on Monday.", "The council said"]


def test_report_escapes_article_text_and_model_output(hostile: ArticleSummary) -> None:
    html = render_report([(f"<img src=x onerror={PAYLOAD}>", HOSTILE_ARTICLE, hostile)])
    page = _parse(html)
    assert page.tags.count("script") == 1  # the page's own
    assert "img" not in page.tags and "a" not in page.tags and "b" not in page.tags
    assert re.search(r"<[^>]*\bon\w+=", html) is None  # no event-handler attribute anywhere
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "{{ 7 * 7 }}" in html  # data is never rendered as a template


def test_report_page_loads_nothing_from_anywhere(seed: ArticleSummary) -> None:
    html = render_report([("seed", SEED_ARTICLE, seed)])
    assert re.search(r"\b(src|href)\s*=|@import|url\(", html) is None
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    policy = unescape(csp.group(1))
    assert "default-src 'none'" in policy
    (script,) = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy


def test_each_record_shows_its_fields_status_time_and_grounding(seed: ArticleSummary) -> None:
    html = render_report([("seed", SEED_ARTICLE, seed)])
    cards = re.findall(r'<article class="record[^"]*" id="([^"]+)" data-type="(\w+)" '
                       r'data-status="(\w+)" data-grounded="(\w+)"', html)  # fmt: skip
    assert len(cards) == 19
    assert cards[0] == ("a1-meeting-0", "meeting", "occurred", "yes")
    assert cards[-1] == ("a1-warrant-0", "warrant", "issued", "yes")
    assert "<dt>authority</dt><dd>International Criminal Court" in html
    assert "“on Monday”" in html


def test_a_record_whose_quote_was_not_found_is_flagged(seed: ArticleSummary) -> None:
    lost = seed.warrants[0].model_copy(update={"evidence": [Evidence(quote="Invented.")]})
    html = render_report([("seed", SEED_ARTICLE, seed.model_copy(update={"warrants": [lost]}))])
    assert 'id="a1-warrant-0" data-type="warrant" data-status="issued" data-grounded="no"' in html
    assert "not found in the article" in html
    assert len(_parse(html).span_texts()) == 25


def test_dropped_records_are_listed_with_their_reason(seed: ArticleSummary) -> None:
    dropped = DroppedRecord(
        type="visit",
        index=2,
        reason="visits.2.evidence.0.quote: evidence quote not found in the article",
        record={"evidence": [{"quote": f"Made up {PAYLOAD}"}]},
    )
    html = render_report([("seed", SEED_ARTICLE, seed.model_copy(update={"dropped": [dropped]}))])
    assert "Dropped records (1)" in html
    assert "visits.2.evidence.0.quote: evidence quote not found" in html
    assert "Made up &lt;script&gt;" in html
    assert "Dropped records" not in render_report([("seed", SEED_ARTICLE, seed)])


def test_report_without_article_text_still_lists_the_records(seed: ArticleSummary) -> None:
    html = render_report([("seed", None, seed)])
    assert '<pre class="article-text">' not in html and "<mark" not in html
    assert html.count('<article class="record') == 19
    assert "text was not stored" in html


def test_write_report_writes_one_utf8_file(seed: ArticleSummary, tmp_path: Path) -> None:
    path = write_report([("seed", SEED_ARTICLE, seed)], tmp_path / "r.html", title="Seed check")
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>Seed check</title>" in html
    assert "Putin’s" in html  # curly quote kept as UTF-8


# --------------------------------------------------------------------------------------
# In a real browser.


def _chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROME_BIN"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium not found: apt-get install chromium (or set CHROME_BIN)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright (Python package) drives Chromium"
    )
    with sync_api.sync_playwright() as p:
        # Playwright gives each launch a fresh temporary profile (--user-data-dir).
        browser = p.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _open(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """A page showing ``path``; the list collects any request other than the page and errors."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("request", lambda r: None if r.url == path.as_uri() else problems.append(r.url))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.goto(path.as_uri())
    return page, problems


_SPAN_TEXTS_JS = """() => {
  const spans = {};
  document.querySelectorAll("pre.article-text mark").forEach((m) => {
    for (const id of m.dataset.ev.split(" ")) spans[id] = (spans[id] || "") + m.textContent;
  });
  return spans;
}"""


def test_in_chromium_hostile_text_stays_inert_and_spans_match_the_records(
    browser: Any, hostile: ArticleSummary, tmp_path: Path
) -> None:
    path = write_report(
        [(f"<img src=x onerror={PAYLOAD}>", HOSTILE_ARTICLE, hostile)], tmp_path / "hostile.html"
    )
    page, problems = _open(browser, path)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img, a, b, iframe').length") == 0
    assert page.evaluate("document.querySelector('pre.article-text').textContent") == (
        HOSTILE_ARTICLE
    )
    assert PAYLOAD in page.inner_text("body") and ATTRIBUTE_PAYLOAD in page.inner_text("body")
    assert page.evaluate(_SPAN_TEXTS_JS) == _expected_spans(hostile, HOSTILE_ARTICLE)
    # Hovering and clicking run the page's script over the hostile text.
    page.hover("#a1-statement-0")
    page.click("pre.article-text mark >> nth=0")
    page.click("button[data-ev-ref='a1-statement-0-e1']")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_hostile.png"), full_page=True)
    assert problems == []
    page.close()


def test_in_chromium_the_seed_report_highlights_26_spans_and_filters_work(
    browser: Any, seed: ArticleSummary, tmp_path: Path
) -> None:
    path = write_report([("seed", SEED_ARTICLE, seed)], tmp_path / "seed.html")
    page, problems = _open(browser, path)
    spans = page.evaluate(_SPAN_TEXTS_JS)
    assert len(spans) == 26
    assert spans == _expected_spans(seed, SEED_ARTICLE)
    assert page.inner_text("#shown") == "19 of 19 records shown"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_seed.png"))

    page.uncheck("input[data-filter='type'][value='statement']")
    page.uncheck("input[data-filter='status'][value='expected']")
    assert page.inner_text("#shown") == "8 of 19 records shown"
    hidden = page.evaluate(
        "[...document.querySelectorAll('.record')].filter(c => c.hidden).map(c => c.id)"
    )
    assert sorted(hidden) == sorted([f"a1-statement-{i}" for i in range(10)] + ["a1-visit-1"])
    # A highlight stays lit only while one of its records is shown.
    lit = page.evaluate(
        "[...document.querySelectorAll('pre.article-text mark:not(.dim)')]"
        ".flatMap(m => m.dataset.records.split(' '))"
    )
    assert set(lit) - set(hidden) == {f"a1-meeting-{i}" for i in range(6)} | {
        "a1-visit-0",
        "a1-warrant-0",
    }
    page.check("input[data-filter='type'][value='statement']")
    assert page.inner_text("#shown") == "18 of 19 records shown"
    assert problems == []
    page.close()


# --------------------------------------------------------------------------------------
# Notebook display.


def test_repr_html_is_a_compact_table_of_the_records(seed: ArticleSummary) -> None:
    html = seed._repr_html_()
    assert len(re.findall(r'<tr data-type="(\w+)"', html)) == 19
    assert "Sergey Lavrov; Wang Yi" in html and "2/2 found" in html
    assert SEED_ARTICLE[962:1086] not in html  # no article text, records only


def test_repr_html_and_markdown_escape_model_output(hostile: ArticleSummary) -> None:
    html = summary_html(hostile)
    assert "<script>" not in html and "<img" not in html and "<b " not in html
    markdown = summary_markdown(hostile)
    assert "<script>" not in markdown and "<img" not in markdown
    assert "&lt;script&gt;" in markdown


def test_repr_markdown_lists_one_bullet_per_record(seed: ArticleSummary) -> None:
    markdown = seed._repr_markdown_()
    bullets = [line for line in markdown.splitlines() if line.startswith("- **")]
    assert len(bullets) == 19
    assert bullets[0].startswith("- **meeting 0** · occurred · Sergey Lavrov; Wang Yi · Moscow")
    assert bullets[-1].endswith("evidence 1/1 found")


def test_example_notebook_runs_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = json.loads((ROOT / "examples" / "notebook.ipynb").read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT / "examples")
    shown: list[Any] = []
    namespace: dict[str, Any] = {"display": shown.append}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)
    summary = namespace["summary"]
    assert isinstance(summary, ArticleSummary)
    assert len(summary.events) == 19
    assert summary in shown
