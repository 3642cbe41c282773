"""Long articles: chunk boundaries, concurrent extraction, merged records, failed chunks."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from batch_server import BatchServer, article_of
from conftest import EMPTY_ANSWER, ROOT, SEED_ANSWER, SEED_ARTICLE
from scripted_server import ScriptedServer, completion, error
from typer.testing import CliRunner

from newsschema import (
    ArticleSummary,
    BatchStats,
    BudgetExceededError,
    InputError,
    InvalidAnswerError,
    ProviderBatch,
    asummarize,
    summarize,
    summarize_many,
)
from newsschema._batch._cache import SummaryCache
from newsschema._eval import GoldArticle, load_gold
from newsschema._extraction import ExtractionOptions, estimate_tokens, render_messages
from newsschema._extraction._chunks import plan_chunks
from newsschema._io._report import render_report
from newsschema.cli import app
from newsschema.testing import FakeModel

KINDS = ("meetings", "statements", "visits", "warrants")
PUBLISHED = "2025-03-14"


@pytest.fixture(scope="module")
def gold() -> list[GoldArticle]:
    return [g for g in load_gold(ROOT / "benchmarks" / "gold") if g.id.startswith("voa-")]


@pytest.fixture(scope="module")
def long_article(gold: list[GoldArticle]) -> str:
    """Twenty gold articles, one after the other: about 21,000 estimated tokens."""
    return "\n\n".join(g.text for g in gold)


def chunk_text(body: dict[str, Any]) -> str:
    """The article (or chunk) a request carries, between its boundary lines."""
    content = body["messages"][1]["content"]
    boundary = re.search(r"^=====ARTICLE-[^\n]*=====$", content, re.MULTILINE)
    assert boundary is not None
    return content.split(boundary.group() + "\n")[1].removesuffix("\n")


def gold_responder(gold: list[GoldArticle], fail_if: str | None = None) -> Any:
    """Answers each chunk like a model that sees only it: the gold records it quotes.

    A record keeps the evidence quotes that stand in the chunk; a statement whose
    direct quote is elsewhere is left out. A chunk containing ``fail_if`` gets an
    answer that never validates.
    """
    answers = [g.to_answer() for g in gold]

    def respond(body: dict[str, Any]) -> dict[str, Any] | str:
        text = chunk_text(body)
        if fail_if is not None and fail_if in text:
            return "this is not JSON"
        out: dict[str, Any] = {
            "headline": None,
            "summary": f"Part {text[:20]}.",
            **dict.fromkeys(KINDS),
        }
        for kind in KINDS:
            out[kind] = []
            for answer in answers:
                for record in answer[kind]:
                    quotes = [e for e in record["evidence"] if e["quote"] in text]
                    if quotes and (not record.get("quote") or record["quote"] in text):
                        out[kind].append({**record, "evidence": quotes})
        if text.startswith(gold[0].text[:100]):
            out["headline"] = "Ankara Defies Washington"
        return out

    return respond


def run(article: str, respond: Any, **options: Any) -> tuple[ArticleSummary, FakeModel]:
    fake = FakeModel()
    fake.answer_with(respond)
    summary = summarize(article, client=fake.client(), model="m", published=PUBLISHED, **options)
    return summary, fake


def spans(summary: ArticleSummary) -> list[tuple[str, tuple[tuple[int | None, int | None], ...]]]:
    return [(type(r).__name__, tuple((e.start, e.end) for e in r.evidence)) for r in summary.events]


# -- where chunks are cut -------------------------------------------------------------------


def test_a_short_article_is_one_chunk() -> None:
    assert plan_chunks(SEED_ARTICLE, 12_000, 2) == [(0, len(SEED_ARTICLE))]
    assert plan_chunks("x " * 100_000, None, 2) == [(0, 200_000)]


@pytest.mark.parametrize(("size", "overlap"), [(12_000, 2), (2_000, 2), (600, 1), (300, 0)])
def test_chunks_cover_the_text_within_the_size_and_never_cut_a_word(
    long_article: str, size: int, overlap: int
) -> None:
    chunks = plan_chunks(long_article, size, overlap)
    assert len(chunks) >= estimate_tokens(long_article) // size
    covered = [False] * len(long_article)
    for start, end in chunks:
        assert estimate_tokens(long_article[start:end]) <= size
        assert start == 0 or not long_article[start - 1].isalnum()
        assert end == len(long_article) or not long_article[end].isalnum()
        assert not long_article[start].isspace() and not long_article[end - 1].isspace()
        covered[start:end] = [True] * (end - start)
    assert all(c or ch.isspace() for c, ch in zip(covered, long_article, strict=True))
    starts = [s for s, _ in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_chunks_end_at_paragraphs_when_they_can(gold: list[GoldArticle]) -> None:
    # Paragraphs of three sentences: one always ends near where a chunk must.
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(g.text for g in gold[:6]))
    article = "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))
    chunks = plan_chunks(article, 2_500, 2)
    assert len(chunks) > 1
    ends = [end for _, end in chunks[:-1]]
    assert all(article[end : end + 2] == "\n\n" for end in ends)


def test_overlap_repeats_the_last_sentences_of_the_chunk_before(long_article: str) -> None:
    chunks = plan_chunks(long_article, 2_000, 2)
    for (_, end), (start, _) in itertools.pairwise(chunks):
        assert start < end  # the next chunk begins inside the one before
        repeated = long_article[start:end]
        assert estimate_tokens(repeated) <= 2_000 // 10  # at most a tenth of a chunk
        assert re.search(r"[.!?][\"'\u201d]*$", repeated)  # whole sentences
    assert plan_chunks(long_article, 2_000, 0)[1][0] >= plan_chunks(long_article, 2_000, 0)[0][1]


def test_one_huge_paragraph_is_cut_between_sentences_then_words() -> None:
    sentences = " ".join(
        f"Sentence number {i} says that talks went on for hours." for i in range(400)
    )
    chunks = plan_chunks(sentences, 500, 1)
    assert len(chunks) > 1
    assert all(sentences[end - 1] == "." for _, end in chunks)
    one_sentence = "word " * 5_000 + "end."
    pieces = plan_chunks(one_sentence, 500, 1)
    assert len(pieces) > 1
    for start, end in pieces:
        assert one_sentence[start:end].split() == one_sentence[start:end].split(" ")


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = ("Mr. Lavrov met U.S. officials in St. Petersburg on Monday. " * 200).strip()
    for start, end in plan_chunks(text, 300, 0):
        assert text[start:].startswith("Mr. Lavrov") and text[:end].endswith("Monday.")


# -- one article in chunks ---------------------------------------------------------------------


def test_a_short_article_sends_the_request_it_always_sent() -> None:
    fake = FakeModel()
    fake.enqueue(SEED_ANSWER)
    summarize(SEED_ARTICLE, client=fake.client(), model="m", published="2023-09-18")
    assert len(fake.requests) == 1
    sent = fake.requests[0]
    assert sent["messages"] == render_messages(
        SEED_ARTICLE, __import__("datetime").date(2023, 9, 18)
    )
    fake_off = FakeModel()
    fake_off.enqueue(SEED_ANSWER)
    summarize(SEED_ARTICLE, client=fake_off.client(), model="m", published="2023-09-18",
              chunk_tokens=None)  # fmt: skip
    assert json.dumps(fake_off.requests[0]) == json.dumps(sent)


def test_a_long_article_gives_every_gold_record_once_with_offsets_in_the_whole_text(
    gold: list[GoldArticle], long_article: str
) -> None:
    whole, fake_whole = run(long_article, gold_responder(gold), chunk_tokens=None)
    chunked, fake = run(long_article, gold_responder(gold), chunk_tokens=2_000, chunk_overlap=2)
    chunks = plan_chunks(long_article, 2_000, 2)
    assert len(chunks) >= 10
    first_requests = {chunk_text(body) for body in fake.requests}
    assert first_requests == {long_article[s:e] for s, e in chunks}
    assert not chunked.incomplete and chunked.failed_chunks == []
    # Offsets index the whole text.
    for record in chunked.events:
        for evidence in record.evidence:
            assert evidence.start is not None and evidence.end is not None
            assert long_article[evidence.start : evidence.end] == evidence.quote
    # Every gold passage is found, where it stands in the whole text.
    found = {(e.start, e.end) for r in chunked.events for e in r.evidence}
    assert found == {(e.start, e.end) for r in whole.events for e in r.evidence}
    # No duplicates from the overlaps: as many records as one request gives.
    assert len(chunked.events) == len(whole.events)
    assert Counter(spans(chunked)) == Counter(spans(whole))
    # Times resolved from the article's date, actors indexed over the merged records.
    assert chunked.published == whole.published and chunked.published_source == "caller"
    assert {a.name for a in chunked.actors} == {a.name for a in whole.actors}
    assert chunked.headline == "Ankara Defies Washington"
    assert chunked.summary.startswith(f"Part {long_article[:20]}.")
    # Usage is the sum over every request.
    assert chunked.provenance.usage.requests == len(fake.requests)
    assert chunked.provenance.usage.total_tokens == 150 * len(fake.requests)
    assert len(fake_whole.requests) < len(fake.requests)


async def test_asummarize_chunks_the_same_way(gold: list[GoldArticle], long_article: str) -> None:
    sync, _ = run(long_article, gold_responder(gold), chunk_tokens=3_000)
    fake = FakeModel()
    fake.answer_with(gold_responder(gold))
    result = await asummarize(long_article, client=fake.async_client(), model="m",
                              published=PUBLISHED, chunk_tokens=3_000)  # fmt: skip
    assert spans(result) == spans(sync)
    assert result.provenance.usage == sync.provenance.usage


def test_a_failing_chunk_leaves_the_others_and_is_listed(
    gold: list[GoldArticle], long_article: str
) -> None:
    marker = gold[7].text[200:260]
    summary, fake = run(long_article, gold_responder(gold, fail_if=marker), chunk_tokens=2_000)
    assert summary.incomplete
    [failed] = summary.failed_chunks
    assert marker in long_article[failed.start : failed.end]
    assert failed.error == "InvalidAnswerError" and "attempt" in failed.message
    assert summary.events  # the other chunks' records are kept
    quoted = [long_article[e.start : e.end] for r in summary.events for e in r.evidence
              if e.start is not None]  # fmt: skip
    assert not any(marker in quote for quote in quoted)
    # The failed chunk's three answers count in the usage.
    assert summary.provenance.usage.requests == len(fake.requests)
    dumped = json.loads(summary.model_dump_json())
    assert dumped["incomplete"] is True
    assert dumped["failed_chunks"][0]["start"] == failed.start
    assert ArticleSummary.model_validate_json(summary.model_dump_json()) == summary


def test_every_chunk_failing_raises_the_first_chunks_error(long_article: str) -> None:
    fake = FakeModel()
    fake.answer_with(lambda body: "not JSON")
    with pytest.raises(InvalidAnswerError) as caught:
        summarize(long_article, client=fake.client(), model="m", chunk_tokens=5_000)
    chunks = len(plan_chunks(long_article, 5_000, 2))
    assert caught.value.usage.requests == len(fake.requests) == 3 * chunks
    assert any("every one of the" in note for note in caught.value.__notes__)


def test_a_provider_error_on_one_chunk_is_listed_with_its_type(long_article: str) -> None:
    first = long_article[:50]

    def respond(body: dict[str, Any]) -> Any:
        if chunk_text(body).startswith(first):
            return (400, {"error": {"message": "context too long", "code": "bad"}})
        return EMPTY_ANSWER

    summary, _ = run(long_article, respond, chunk_tokens=5_000)
    assert [f.error for f in summary.failed_chunks] == ["ProviderError"]
    assert summary.failed_chunks[0].start == 0
    assert summary.headline is None  # the first chunk, where the headline stands, failed


def test_the_token_budget_is_for_the_whole_article(long_article: str) -> None:
    fake = FakeModel()
    fake.answer_with(lambda body: EMPTY_ANSWER)
    chunks = plan_chunks(long_article, 1_000, 2)
    summary = summarize(long_article, client=fake.client(), model="m", chunk_tokens=1_000,
                        token_budget=150 * 6)  # fmt: skip
    assert summary.incomplete
    assert len(fake.requests) < len(chunks)
    assert {f.error for f in summary.failed_chunks} == {BudgetExceededError.__name__}


def test_the_cost_guard_counts_the_whole_article(long_article: str) -> None:
    fake = FakeModel()
    with pytest.raises(InputError, match=r"max_input_tokens=\.\.\.\).*raise the limit"):
        summarize(long_article, client=fake.client(), model="m", max_input_tokens=10_000)
    assert fake.requests == []


def test_chunk_options_are_checked() -> None:
    with pytest.raises(InputError, match="chunk_tokens"):
        ExtractionOptions(chunk_tokens=0)
    with pytest.raises(InputError, match="chunk_overlap"):
        ExtractionOptions(chunk_overlap=-1)


# -- incompleteness in batch outcomes, JSON Lines, SQLite and the review page ------------------


def test_batch_outputs_and_the_review_page_show_an_incomplete_article(
    gold: list[GoldArticle], long_article: str, tmp_path: Path
) -> None:
    marker = gold[3].text[100:160]
    fake = FakeModel()
    fake.answer_with(gold_responder(gold, fail_if=marker))
    stats = BatchStats()
    out, db = tmp_path / "out.jsonl", tmp_path / "out.sqlite"
    outcomes = list(
        summarize_many(
            [{"id": "long", "text": long_article}, {"id": "short", "text": gold[0].text}],
            client=fake.async_client(), model="m", cache=tmp_path / "cache", output=out,
            db=db, stats=stats, chunk_tokens=2_000, progress=False,
        )
    )  # fmt: skip
    by_id = {o.id: o for o in outcomes}
    assert by_id["long"].ok and by_id["long"].incomplete and not by_id["short"].incomplete
    assert (stats.succeeded, stats.incomplete, stats.failed) == (2, 1, 0)
    lines = {json.loads(x)["id"]: json.loads(x) for x in out.read_text().splitlines()}
    assert lines["long"]["summary"]["incomplete"] is True
    [failed] = lines["long"]["summary"]["failed_chunks"]
    assert marker in long_article[failed["start"] : failed["end"]]
    assert lines["short"]["summary"]["incomplete"] is False
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT article_id, span_start, span_end, error FROM failed_chunks")
        assert rows.fetchall() == [("long", failed["start"], failed["end"], "InvalidAnswerError")]
    page = render_report([("long", long_article, by_id["long"].summary)])  # type: ignore[list-item]
    assert "incomplete: 1 part(s) of the text not extracted" in page
    assert f"characters {failed['start']}–{failed['end']}" in page
    notebook = by_id["long"].summary
    assert notebook is not None
    assert "Incomplete: 1 part(s)" in notebook._repr_html_()
    assert f"characters {failed['start']}-{failed['end']}" in notebook._repr_markdown_()
    # An incomplete summary is not cached: the next run asks for the article again.
    again = FakeModel()
    again.answer_with(gold_responder(gold))
    rerun = list(summarize_many([{"id": "long", "text": long_article}], client=again.async_client(),
                                model="m", cache=tmp_path / "cache", chunk_tokens=2_000,
                                progress=False))  # fmt: skip
    assert not rerun[0].cached and not rerun[0].incomplete and again.requests


# -- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "requests"), [("5000", 0), ("0", 1)])
def test_the_cli_chunks_with_chunk_tokens(
    long_article: str, tmp_path: Path, given: str, requests: int
) -> None:
    expected = requests or len(plan_chunks(long_article, 5_000, 2))
    article = tmp_path / "long.txt"
    article.write_text(long_article, encoding="utf-8")
    with ScriptedServer([completion(EMPTY_ANSWER) for _ in range(expected)]) as server:
        result = CliRunner().invoke(app, ["summarize", str(article), "--json", "--model", "m",
                                          "--base-url", server.base_url, "--api-key", "sk-test",
                                          "--chunk-tokens", given])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(server.requests) == expected
    data = json.loads(result.stdout)
    assert data["incomplete"] is False
    assert data["provenance"]["usage"]["requests"] == expected


def test_the_cli_warns_of_an_incomplete_article(long_article: str, tmp_path: Path) -> None:
    chunks = len(plan_chunks(long_article, 5_000, 2))
    article = tmp_path / "long.txt"
    article.write_text(long_article, encoding="utf-8")
    script = [error(400, "context window exceeded")] + [completion(EMPTY_ANSWER)] * (chunks - 1)
    with ScriptedServer(script) as server:
        result = CliRunner().invoke(app, ["summarize", str(article), "--json", "--model", "m",
                                          "--base-url", server.base_url, "--api-key", "sk-test",
                                          "--chunk-tokens", "5000"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"warning: {article}: incomplete: 1 part(s) of the long article failed" in result.stderr
    assert "ProviderError" in result.stderr
    assert json.loads(result.stdout)["incomplete"] is True


def test_the_provider_batch_leaves_long_articles_to_chunked_calls(long_article: str) -> None:
    short = long_article[:400].rsplit(". ", 1)[0] + "."
    server = BatchServer()
    http = httpx2.AsyncClient(transport=server.transport())
    client = openai.AsyncOpenAI(
        api_key="sk-test", base_url="http://batch-server.test/v1", http_client=http
    )
    outcomes = list(
        summarize_many(
            [{"id": "short", "text": short}, {"id": "long", "text": long_article}],
            client=client, model="m", cache=False, chunk_tokens=5_000, progress=False,
            provider_batch=ProviderBatch(poll_interval=0.001),
        )
    )  # fmt: skip
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    [upload] = [data for name, data in server.files.items()
                if name in {b["input_file_id"] for b in server.batches.values()}]  # fmt: skip
    assert [json.loads(line)["custom_id"] for line in upload.decode().splitlines()] == ["short"]
    chunks = plan_chunks(long_article, 5_000, 2)
    assert sorted(article_of(b) for b in server.chat_bodies) == sorted(
        long_article[s:e] for s, e in chunks
    )


def test_the_cache_key_of_a_long_article_depends_on_how_it_is_cut(
    long_article: str, tmp_path: Path
) -> None:
    def key(text: str, chunking: tuple[int | None, int]) -> str:
        cache = SummaryCache(tmp_path / "c.sqlite", model="m", mode="json_schema",
                             chunking=chunking)  # fmt: skip
        try:
            return cache.key(text, None)
        finally:
            cache.close()

    short = SEED_ARTICLE
    assert key(short, (12_000, 2)) == key(short, (None, 0)) == key(short, (8_000, 5))
    assert len({key(long_article, c) for c in [(12_000, 2), (8_000, 2), (8_000, 5)]}) == 3
    assert key(long_article, (None, 0)) == key(long_article, (50_000, 2))
