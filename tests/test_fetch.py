"""Fetching pages by URL: the library's own HTTP stack, against a loopback server."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from batch_server import BatchServer, article_of
from conftest import EMPTY_ANSWER, FAKE_KEY
from page_server import PageServer, Route
from scripted_server import ScriptedServer, completion
from test_pages import ANSWER, CLEAN, PAGE, _records
from typer.testing import CliRunner

from newsschema import (
    Article,
    FetchError,
    FetchPolicy,
    InputError,
    PageTooLargeError,
    fetch_page,
    summarize,
    summarize_many,
)
from newsschema._extraction import library_version
from newsschema.cli import app
from newsschema.testing import FakeModel

HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits between fetch attempts, recorded instead of slept."""
    seen: list[float] = []
    monkeypatch.setattr("newsschema._io._fetch._sleep", seen.append)
    return seen


def test_a_page_is_fetched_with_a_user_agent_naming_newsschema() -> None:
    server = PageServer({"/g7.html": Route(PAGE.encode(), headers=HTML)})
    with server.serve() as base:
        page = fetch_page(base + "/g7.html")
    assert page.text == PAGE
    assert page.status_code == 200 and page.content_type == "text/html"
    assert page.final_url == base + "/g7.html"
    agent = server.requests[0][1]["User-Agent"]
    assert agent.startswith(f"newsschema/{library_version()} (")
    assert "text/html" in server.requests[0][1]["Accept"]


def test_an_http_error_names_the_url_and_is_not_retried(waits: list[float]) -> None:
    server = PageServer({})
    with server.serve() as base, pytest.raises(FetchError) as caught:
        fetch_page(base + "/gone.html")
    assert caught.value.url == base + "/gone.html"
    assert caught.value.status_code == 404
    assert f"{base}/gone.html answered HTTP 404" in str(caught.value)
    assert len(server.requests) == 1 and waits == []


def test_busy_answers_and_dropped_connections_are_retried(waits: list[float]) -> None:
    server = PageServer({"/a.html": Route(PAGE.encode(), headers=HTML, failures=[503, 0])})
    with server.serve() as base:
        page = fetch_page(base + "/a.html")
    assert page.text == PAGE
    assert len(server.requests) == 3
    assert waits == [0.0, pytest.approx(2.0, abs=0.6)]  # Retry-After: 0, then backoff


def test_retries_end_after_max_attempts(waits: list[float]) -> None:
    server = PageServer({"/a.html": Route(b"x", failures=[503] * 5)})
    with server.serve() as base, pytest.raises(FetchError, match=r"HTTP 503 \(3 attempt") as e:
        fetch_page(base + "/a.html")
    assert e.value.status_code == 503 and len(server.requests) == 3
    with server.serve() as base, pytest.raises(FetchError, match=r"1 attempt"):
        fetch_page(base + "/a.html", policy=FetchPolicy(max_attempts=1))


def test_a_page_over_the_size_cap_is_refused_while_it_is_read() -> None:
    body = b"<html><body>" + b"<p>word</p>" * 5000 + b"</body></html>"
    routes = {
        "/declared.html": Route(body, headers=HTML),
        "/streamed.html": Route(body, headers=HTML, send_length=False),
    }
    with PageServer(routes).serve() as base:
        for path in routes:
            with pytest.raises(PageTooLargeError, match="cap of 10,000 bytes") as caught:
                fetch_page(base + path, policy=FetchPolicy(max_bytes=10_000))
            assert caught.value.url == base + path


def test_a_slow_page_times_out(waits: list[float]) -> None:
    routes = {
        "/slow.html": Route(PAGE.encode(), headers=HTML, delay=2.0),
        "/trickle.html": Route(PAGE.encode(), headers=HTML, trickle=0.1),
    }
    policy = FetchPolicy(timeout=0.5, max_attempts=2)
    with PageServer(routes).serve() as base:
        for path in routes:
            with pytest.raises(FetchError, match=r"timed out after 0.5 s \(timeout=...\)") as e:
                fetch_page(base + path, policy=policy)
            assert e.value.url == base + path
    assert len(waits) == 2  # one retry each


def test_what_is_not_a_page_is_refused() -> None:
    pdf = Route(b"%PDF-1.7", headers={"content-type": "application/pdf"})
    refused = pytest.raises(FetchError, match=r"not a web page \(Content-Type application/pdf\)")
    with PageServer({"/report.pdf": pdf}).serve() as base, refused:
        fetch_page(base + "/report.pdf")
    with pytest.raises(InputError, match="not an http"):
        fetch_page("ftp://example.org/a")


def test_redirects_are_followed_and_the_charset_header_read() -> None:
    latin = "<html><body><p>Caf\u00e9 talks</p></body></html>".encode("iso-8859-1")
    routes = {
        "/old": Route(b"", status=301, headers={"location": "/new.html"}),
        "/new.html": Route(latin, headers={"content-type": "text/html; charset=iso-8859-1"}),
    }
    with PageServer(routes).serve() as base:
        page = fetch_page(base + "/old")
    assert page.final_url == base + "/new.html"
    assert "Caf\u00e9 talks" in page.text


def test_a_refused_connection_names_the_url(waits: list[float]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}/a.html"
    with pytest.raises(FetchError, match=rf"could not fetch {url}") as caught:
        fetch_page(url)
    assert caught.value.status_code is None and len(waits) == 2


def test_summarize_many_fetches_articles_given_by_url(tmp_path: Path) -> None:
    server = PageServer({"/g7.html": Route(PAGE.encode(), headers=HTML)})
    fake = FakeModel()
    fake.answer_with(lambda body: ANSWER)
    out = tmp_path / "out.jsonl"
    with server.serve() as base:
        articles = [Article.from_url(base + "/g7.html"), {"id": "missing", "url": base + "/no"}]
        outcomes = {
            o.id: o
            for o in summarize_many(
                articles, client=fake.async_client(), model="m", output=out, cache=False
            )
        }
    done = outcomes[base + "/g7.html"]
    assert done.summary is not None and done.summary.page is not None
    assert len(done.summary.events) == 3
    failed = outcomes["missing"]
    assert failed.error is not None and failed.error.type == "FetchError"
    assert base + "/no" in failed.error.message
    lines = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert lines["missing"]["error"]["type"] == "FetchError"
    assert lines[base + "/g7.html"]["article"] == done.summary.page.text


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_summarize_fetches_a_url_and_reads_a_saved_page(tmp_path: Path) -> None:
    saved = tmp_path / "saved.html"
    saved.write_text(PAGE, encoding="utf-8")
    pages = PageServer({"/a/8010842.html": Route(PAGE.encode(), headers=HTML)})
    with pages.serve() as base, ScriptedServer([completion(ANSWER), completion(ANSWER)]) as model:
        url = base + "/a/8010842.html"
        result = _cli("summarize", url, saved, "--format", "jsonl", "--model", "m",
                      "--base-url", model.base_url, "--api-key", FAKE_KEY)  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [url, "saved"]
    assert rows[0]["url"] == url
    for row in rows:
        summary = row["summary"]
        assert summary["published_source"] == "page metadata"
        assert summary["page"]["title"].startswith("G7 urges Russia")
        assert row["article"] == summary["page"]["text"]
        for statement in summary["statements"]:
            for e in statement["evidence"]:
                assert row["article"][e["start"] : e["end"]] == e["quote"]
    # The model read the page's main text, not its markup.
    for request in model.requests:
        assert "gtag(" not in request["messages"][1]["content"]


def test_cli_summarize_reports_a_url_that_fails_and_goes_on(tmp_path: Path) -> None:
    article = tmp_path / "clean.txt"
    article.write_text(CLEAN, encoding="utf-8")
    with PageServer({}).serve() as base, ScriptedServer([completion(ANSWER)]) as model:
        result = _cli("summarize", base + "/missing.html", article, "--json", "--model", "m",
                      "--base-url", model.base_url, "--api-key", FAKE_KEY)  # fmt: skip
    assert result.exit_code == 1
    assert f"{base}/missing.html answered HTTP 404" in result.stderr
    assert "1 of 2 article(s) failed" in result.stderr
    assert len(model.requests) == 1


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    return ANSWER if "Group of Seven" in article_of(body) else EMPTY_ANSWER


def test_cli_batch_reads_url_lists_and_jsonl_rows_with_a_url(tmp_path: Path) -> None:
    council = "The council met on Tuesday. " * 10
    other = f"<html><body><article><p>{council}</p></article></body></html>"
    pages = PageServer({
        "/g7.html": Route(PAGE.encode(), headers=HTML),
        "/council.html": Route(other.encode(), headers=HTML),
    })  # fmt: skip
    out = tmp_path / "out.jsonl"
    with pages.serve() as base, BatchServer(answer=_answer).serve() as model:
        urls = tmp_path / "urls.txt"
        urls.write_text(f"# pages to read\n{base}/g7.html\n\n{base}/gone.html\n", encoding="utf-8")
        feed = tmp_path / "feed.jsonl"
        feed.write_text(json.dumps({"id": "council", "url": base + "/council.html"}) + "\n")
        result = _cli("batch", urls, feed, "-o", out, "--no-cache", "--model", "m",
                      "--base-url", model, "--api-key", FAKE_KEY)  # fmt: skip
    assert result.exit_code == 1, result.output  # the missing page is a failure line
    rows = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {f"{base}/g7.html", f"{base}/gone.html", "council"}
    g7 = rows[f"{base}/g7.html"]["summary"]
    assert g7["page"]["url"].endswith("/8010842.html") and len(g7["statements"]) == 3
    assert rows["council"]["summary"]["page"]["text"].startswith("The council met")
    gone = rows[f"{base}/gone.html"]["error"]
    assert gone["type"] == "FetchError" and f"{base}/gone.html" in gone["message"]
    assert "FetchError" in result.output


def test_the_page_fetched_yields_the_records_of_the_clean_text() -> None:
    with PageServer({"/g7.html": Route(PAGE.encode(), headers=HTML)}).serve() as base:
        text = fetch_page(base + "/g7.html").text
    fake = FakeModel()
    fake.enqueue(ANSWER)
    from_page = summarize(text, client=fake.client(), model="m")
    fake.enqueue(ANSWER)
    from_text = summarize(CLEAN, published="2025-03-14", client=fake.client(), model="m")
    assert _records(from_page) == _records(from_text)
