"""Web pages: HTML is told from plain text, its main text extracted, its metadata kept.

The fixture is a public-domain VOA story wrapped into a page built for the test
(tests/fixtures/SOURCES.md): scripts, menus, teasers, footer, ``&quot;`` entities,
meta tags.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPTY_ANSWER, ROOT

from newsschema import (
    Article,
    ArticleSummary,
    ConfigurationError,
    InputError,
    asummarize,
    load_articles,
    summarize,
    summarize_many,
)
from newsschema._extraction import render_messages
from newsschema._io import read_articles, render_report
from newsschema._records import BUILTIN_TYPES, schema_version
from newsschema._text import extract_page, looks_like_html
from newsschema.testing import FakeModel

FIXTURES = ROOT / "tests" / "fixtures"
PAGE = (FIXTURES / "voa_8010842.html").read_text(encoding="utf-8")
CLEAN = (FIXTURES / "voa_8010842.txt").read_text(encoding="utf-8")
PUBLISHED = "2025-03-14"

RUBIO = {"name": "Marco Rubio", "title": "Secretary of State", "organisation": None,
         "country": "United States", "kind": "person"}  # fmt: skip
JOLY = {"name": "Malie Joly", "title": "Foreign Minister", "organisation": None,
        "country": "Canada", "kind": "person"}  # fmt: skip
#: A hand-written answer (a fixture, not a model's output): the same for the page and the text.
ANSWER: dict[str, Any] = {
    **EMPTY_ANSWER,
    "headline": "G7 urges Russia to accept ceasefire or face further sanctions",
    "summary": "G7 foreign ministers urged Russia to accept a U.S.-proposed ceasefire.",
    "statements": [
        {
            "speaker": RUBIO, "addressee": None,
            "content": "Rubio said there is reason to be cautiously optimistic.",
            "quote": "Suffice to say, I think there is reason to be cautiously optimistic.",
            "occasion": None, "status": "occurred", "when": {"expression": "On Friday"},
            "evidence": [{"quote": "On Friday, U.S. Secretary of State Marco Rubio told "
                          "reporters that U.S. officials would convene this weekend"}],
        },
        {
            "speaker": JOLY, "addressee": None,
            "content": "Joly said the ball is in Russia's court.",
            "quote": "The ball is now in Russia's court when it comes to Ukraine.",
            "occasion": None, "status": "occurred", "when": None,
            "evidence": [{"quote": "She added, \u201cThe ball is now in Russia's court "
                          "when it comes to Ukraine.\u201d"}],
        },
        {
            "speaker": RUBIO, "addressee": None,
            "content": "Rubio said the situation remains difficult and complex.",
            "quote": None, "occasion": None, "status": "occurred", "when": None,
            "evidence": [{"quote": 'we continue to recognize a difficult and complex '
                          'situation," Rubio told reporters'}],
        },
    ],
}  # fmt: skip


def _fake(answer: dict[str, Any] = ANSWER, times: int = 1) -> FakeModel:
    fake = FakeModel()
    for _ in range(times):
        fake.enqueue(answer)
    return fake


def _records(summary: ArticleSummary) -> list[dict[str, Any]]:
    """The records without their offsets (which index different texts)."""
    out = []
    for record in summary.events:
        data = record.model_dump(mode="json")
        for evidence in data["evidence"]:
            evidence.pop("start"), evidence.pop("end")
        for key in [k for k in data if k.endswith(("_start", "_end"))]:
            data.pop(key)
        out.append(data)
    return out


def test_a_page_is_told_from_plain_text() -> None:
    assert looks_like_html(PAGE)
    assert looks_like_html(PAGE.encode("utf-8"))
    assert looks_like_html("\ufeff  <!-- saved -->\n<html><body><p>x</p></body></html>")
    assert looks_like_html("<p>A scraper's fragment.</p><p>Two.</p>")
    assert not looks_like_html(CLEAN)
    assert not looks_like_html("<b> is how the article starts, a stray tag in prose")
    assert not looks_like_html("Prices rose 5% <and> fell.")


def test_the_page_yields_the_records_of_its_clean_text() -> None:
    from_text = summarize(CLEAN, published=PUBLISHED, client=_fake().client(), model="m")
    fake = _fake()
    from_page = summarize(PAGE, client=fake.client(), model="m")

    assert len(from_text.events) == 3 and not from_text.dropped
    assert _records(from_page) == _records(from_text)
    assert not from_page.dropped
    # The page's date came from its metadata, and read "On Friday" the same way.
    assert from_page.published.isoformat() == PUBLISHED
    assert from_page.published_source == "page metadata"
    assert from_text.published_source == "caller"
    # The model read the main text: no script, menu, teaser or entity reached it.
    sent = fake.requests[0]["messages"][1]["content"]
    for furniture in ("gtag(", "Most Read", "Skip to main", "cookie policy", "Terms of Use",
                      "&quot;", "&rsquo;", "<p>", "Pope Francis"):  # fmt: skip
        assert furniture not in sent, furniture
    assert "Top diplomats from the Group of Seven" in sent


def test_offsets_slice_the_extracted_text_the_result_carries() -> None:
    summary = summarize(PAGE, client=_fake().client(), model="m")
    page = summary.page
    assert page is not None
    assert "<" not in page.text and "&quot;" not in page.text
    assert 'situation," Rubio' in page.text  # &quot; decoded
    assert "\n" in page.text  # paragraphs kept
    for record in summary.events:
        for evidence in record.evidence:
            assert page.text[evidence.start : evidence.end] == evidence.quote
        quote = getattr(record, "quote", None)
        if quote is not None:
            assert page.text[record.quote_start : record.quote_end] == quote
    assert page.title == "G7 urges Russia to accept ceasefire or face further sanctions"
    assert page.url == (
        "https://www.voanews.com/a/g7-urges-russia-to-accept-ceasefire-or-face-further"
        "-sanctions/8010842.html"
    )
    assert page.author == "Nike Ching"
    assert page.language == "en"
    assert page.published is not None and page.published.isoformat() == PUBLISHED
    # The page survives JSON both ways.
    again = ArticleSummary.model_validate_json(summary.model_dump_json())
    assert again.page == page


def test_a_plain_text_article_sends_the_same_request_as_before() -> None:
    fake = _fake()
    summary = summarize(CLEAN, published=PUBLISHED, client=fake.client(), model="m")
    assert summary.page is None
    assert "page" not in json.loads(summary.model_dump_json()) or (
        json.loads(summary.model_dump_json())["page"] is None
    )
    assert schema_version() == "a677318de75b"
    expected = render_messages(CLEAN, summary.published, BUILTIN_TYPES)
    assert fake.requests[0]["messages"] == expected


def test_the_caller_date_wins_over_the_page_metadata() -> None:
    summary = summarize(PAGE, published="2025-03-15", client=_fake().client(), model="m")
    assert summary.published is not None and summary.published.isoformat() == "2025-03-15"
    assert summary.published_source == "caller"


def test_html_bytes_in_the_encoding_the_page_declares() -> None:
    latin = PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    latin = latin.replace("Top diplomats", "Caf\u00e9 diplomats")
    data = latin.encode("iso-8859-1", "xmlcharrefreplace")
    summary = summarize(data, client=_fake(EMPTY_ANSWER).client(), model="m")
    assert summary.page is not None and summary.page.text.startswith("Caf\u00e9 diplomats")


async def test_asummarize_reads_a_page_too() -> None:
    fake = _fake()
    summary = await asummarize(PAGE, client=fake.async_client(), model="m")
    assert summary.page is not None and len(summary.events) == 3


def test_a_page_without_main_text_is_an_input_error() -> None:
    fake = FakeModel()
    empty = (
        "<!DOCTYPE html><html><head><title>Home</title><script>var a=1;</script></head>"
        "<body><nav><a href='/'>Home</a></nav></body></html>"
    )
    with pytest.raises(InputError, match="no main text"):
        summarize(empty, client=fake.client(), model="m")
    assert fake.requests == []


def test_without_the_html_extra_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now fails
    with pytest.raises(ConfigurationError, match=r"pip install 'newsschema\[html\]'"):
        summarize(PAGE, client=FakeModel().client(), model="m")
    # Plain text needs no extra.
    summarize(CLEAN, client=_fake().client(), model="m")


def test_a_page_without_a_date_falls_back_to_the_crawl_date() -> None:
    undated = extract_page(PAGE).text  # plain text again: no metadata
    bare = "<html><body><article>" + "".join(
        f"<p>{p}</p>" for p in undated.split("\n")
    ) + "</article></body></html>"  # fmt: skip
    summary = summarize(bare, crawled="2025-03-16", client=_fake().client(), model="m")
    assert summary.published_source == "crawl date"
    assert summary.published is not None and summary.published.isoformat() == "2025-03-16"
    dated = summarize(PAGE, crawled="2025-03-16", client=_fake().client(), model="m")
    assert dated.published_source == "page metadata"


def test_load_articles_reads_saved_pages(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "g7.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "old.htm").write_bytes(
        b"<html><head><meta charset='windows-1252'></head><body><p>Caf\xe9 "
        + b"society met on Monday. " * 20
        + b"</p></body></html>"
    )
    articles = load_articles(tmp_path)
    assert [a.id for a in articles] == ["clean", "old", "sub/g7"]
    assert articles[2].text == PAGE  # the page as saved; summarize extracts it
    assert "Caf\u00e9" in articles[1].text


def test_summarize_many_extracts_pages_and_keeps_the_text_in_the_output(tmp_path: Path) -> None:
    fake = FakeModel()
    fake.answer_with(lambda body: ANSWER)
    out = tmp_path / "out.jsonl"
    articles = [Article(id="page", text=PAGE), Article(id="text", text=CLEAN, published=PUBLISHED)]
    db = tmp_path / "out.sqlite"
    outcomes = list(
        summarize_many(
            articles, client=fake.async_client(), model="m", output=out, db=db, cache=False
        )
    )
    by_id = {o.id: o for o in outcomes}
    page_summary = by_id["page"].summary
    assert page_summary is not None and page_summary.page is not None
    assert _records(page_summary) == _records(by_id["text"].summary)
    lines = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    # The output keeps the text the offsets index, not the HTML.
    assert lines["page"]["article"] == page_summary.page.text
    assert lines["page"]["url"] == page_summary.page.url
    with sqlite3.connect(db) as conn:
        (stored_text,) = conn.execute("SELECT article FROM articles WHERE id = 'page'").fetchone()
    assert stored_text == page_summary.page.text
    stored = {a.id: a for a in read_articles(out)}
    assert stored["page"].summary.page == page_summary.page
    html = render_report([(a.id, a.article, a.summary) for a in stored.values()])
    assert "Top diplomats from the Group of Seven" in html
    assert "gtag(" not in html


def test_the_review_page_shows_the_extracted_text() -> None:
    summary = summarize(PAGE, client=_fake().client(), model="m")
    html = render_report([("g7", None, summary)])
    assert "Top diplomats from the Group of Seven" in html
    assert "cautiously optimistic" in html


def test_reprocessing_a_page_summary_keeps_its_page_and_date() -> None:
    from newsschema._extraction import reprocess_summary

    summary = summarize(PAGE, client=_fake().client(), model="m")
    assert summary.page is not None
    again = reprocess_summary(summary.page.text, summary)
    assert again.page == summary.page
    assert again.published_source == "page metadata"
    assert _records(again) == _records(summary)


def test_import_newsschema_loads_no_page_reader() -> None:
    import subprocess
    import sys

    code = (
        "import sys, newsschema; "
        "names = ('trafilatura', 'htmldate', 'warcio', 'lxml'); "
        "print(sorted(m for m in names if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
