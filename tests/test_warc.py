"""Web crawls: the HTML responses of a WARC file become articles; other records are counted."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from batch_server import BatchServer, article_of
from conftest import EMPTY_ANSWER, FAKE_KEY
from test_pages import ANSWER, PAGE
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsschema import ConfigurationError, InputError, load_articles
from newsschema._io import load_sourced
from newsschema.cli import app

G7 = "https://www.voanews.com/a/g7-urges-russia/8010842.html"
UNDATED = "https://example.org/news/council.html"
COUNCIL = (
    f"<html><body><article><p>{'The council met on Tuesday. ' * 10}</p></article></body></html>"
)


def _record(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    *,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    date: str = "2025-03-16T08:00:00Z",
    kind: str = "response",
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri, kind, payload=io.BytesIO(body), http_headers=http if kind == "response" else None,
        warc_headers_dict={"WARC-Date": date},
    )  # fmt: skip
    writer.write_record(record)


def write_crawl(path: Path, *, gzip: bool = True) -> None:
    """A small crawl: two HTML pages among a request, a PDF, a 404, metadata, a re-crawl."""
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        request = writer.create_warc_record(
            G7, "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\nHost: voanews.com\r\n\r\n"),
            warc_headers_dict={"WARC-Date": "2025-03-16T08:00:00Z"},
        )  # fmt: skip
        writer.write_record(request)
        _record(writer, G7, PAGE.encode())
        _record(
            writer, "https://example.org/report.pdf", b"%PDF-1.7", content_type="application/pdf"
        )
        _record(writer, "https://example.org/gone", b"<html>gone</html>", status="404 Not Found")
        _record(writer, UNDATED, COUNCIL.encode(), date="2025-03-17T09:30:00Z")
        _record(writer, G7, PAGE.encode(), date="2025-03-18T00:00:00Z")  # crawled again
        metadata = writer.create_warc_record(
            G7, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120"),
            warc_content_type="application/warc-fields",
        )  # fmt: skip
        writer.write_record(metadata)


def test_html_responses_become_articles_and_other_records_are_counted(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc.gz"
    write_crawl(crawl)
    skipped: Any = __import__("collections").Counter()
    sourced = load_sourced(crawl, skipped=skipped)
    assert [a.id for a, _ in sourced] == [G7, UNDATED]
    first, source = sourced[0]
    assert first.url == G7 and first.text == PAGE
    assert first.crawled is not None and first.crawled.isoformat() == "2025-03-16"
    assert first.published is None  # the page's own date is read when it is summarised
    assert source == f"{crawl}, record 3"
    assert dict(skipped) == {
        "warcinfo": 1, "request": 1, "not HTML (application/pdf)": 1, "HTTP 404": 1,
        "duplicate URI": 1, "metadata": 1,
    }  # fmt: skip


def test_an_uncompressed_warc_reads_the_same(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc"
    write_crawl(crawl, gzip=False)
    assert [a.id for a in load_articles(crawl)] == [G7, UNDATED]


def test_a_file_that_is_not_a_warc_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    for data in (b"this is not a crawl", __import__("gzip").compress(b"<html>no</html>")):
        bad.write_bytes(data)
        with pytest.raises(InputError, match=r"bad.warc.gz: not a readable WARC file"):
            load_articles(bad)


def test_without_warcio_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    crawl = tmp_path / "crawl.warc.gz"
    write_crawl(crawl)
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)
    with pytest.raises(ConfigurationError, match=r"pip install 'newsschema\[html\]'"):
        load_articles(crawl)


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    return ANSWER if "Group of Seven" in article_of(body) else EMPTY_ANSWER


def test_cli_batch_summarises_the_pages_of_a_crawl(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc.gz"
    write_crawl(crawl)
    out = tmp_path / "out.jsonl"
    server = BatchServer(answer=_answer)
    with server.serve() as base_url:
        result = CliRunner().invoke(app, [
            "batch", str(crawl), "-o", str(out), "--no-cache", "--model", "m",
            "--base-url", base_url, "--api-key", FAKE_KEY,
        ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "WARC: 6 record(s) that are no HTML page skipped" in result.output
    rows = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {G7, UNDATED}
    g7 = rows[G7]["summary"]
    # The page's metadata date wins over the crawl date; the undated page takes the crawl's.
    assert (g7["published"], g7["published_source"]) == ("2025-03-14", "page metadata")
    council = rows[UNDATED]["summary"]
    assert (council["published"], council["published_source"]) == ("2025-03-17", "crawl date")
    assert rows[G7]["url"] == G7
    for statement in g7["statements"]:
        for e in statement["evidence"]:
            assert rows[G7]["article"][e["start"] : e["end"]] == e["quote"]
