"""Reprocessing outputs without the model: stored answers, text hashes, migration, no requests."""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import httpx2
import pytest
from conftest import CASSETTES, EMPTY_ANSWER, ROOT, SCRIPTED_MODEL, SEED_ANSWER, SEED_ARTICLE
from typer.testing import CliRunner

import newsschema._extraction._summarize
from newsschema import (
    Article,
    ArticleSummary,
    InputError,
    NewsschemaError,
    OutputError,
    StoredAnswerError,
    TruncatedOutputError,
    reprocess,
    reprocess_summary,
    summarize,
    summarize_many,
    write_jsonl,
)
from newsschema._batch import Failure
from newsschema._eval import load_gold
from newsschema._extraction import DEFAULTS
from newsschema._extraction._chunks import plan_chunks
from newsschema._io import ExportedArticle, jsonl_line
from newsschema._records import article_draft, schema_version
from newsschema.cli import app
from newsschema.testing import FakeModel, replay_client

PUBLISHED = "2023-12-04"


class NoNetwork:
    """Counts (and refuses) every HTTP request and socket connection made while active."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []

        def refuse(what: str) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                self.attempts.append(what)
                raise AssertionError(f"reprocessing made a network call ({what})")

            return call

        monkeypatch.setattr(httpx2.HTTPTransport, "handle_request", refuse("http"))
        monkeypatch.setattr(httpx2.AsyncHTTPTransport, "handle_async_request", refuse("http"))
        monkeypatch.setattr(socket.socket, "connect", refuse("socket"))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> NoNetwork:
    return NoNetwork(monkeypatch)


def seed_output(tmp_path: Path, name: str = "out.jsonl") -> Path:
    """The seed article through ``summarize_many`` into a JSON Lines file, as a user runs it."""
    fake = FakeModel()
    fake.enqueue(SEED_ANSWER)
    path = tmp_path / name
    article = Article(id="seed", text=SEED_ARTICLE, published=PUBLISHED)
    outcomes = list(
        summarize_many(
            [article], client=fake.async_client(), model="m", output=path, cache=False,
            progress=False,
        )
    )  # fmt: skip
    assert [o.ok for o in outcomes] == [True]
    return path


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def without_provenance(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k != "provenance"}


# -- what every output keeps ------------------------------------------------------------------


def test_a_batch_line_keeps_the_validated_answer_and_the_hash_of_the_text(tmp_path: Path) -> None:
    [line] = lines(seed_output(tmp_path))
    answer = line["summary"]["answer"]
    assert answer["text_sha256"] == hashlib.sha256(SEED_ARTICLE.encode()).hexdigest()
    [draft] = answer["drafts"]
    assert (draft["start"], draft["end"]) == (0, len(SEED_ARTICLE))
    assert draft["draft"] == article_draft().model_validate(SEED_ANSWER).model_dump(mode="json")
    assert line["article"] == SEED_ARTICLE


def test_summarize_and_write_jsonl_keep_the_answer_too(tmp_path: Path) -> None:
    fake = FakeModel()
    fake.enqueue(SEED_ANSWER)
    summary = summarize(SEED_ARTICLE, client=fake.client(), model="m", published=PUBLISHED)
    assert summary.answer is not None
    write_jsonl([("seed", SEED_ARTICLE, summary)], tmp_path / "s.jsonl")
    [line] = lines(tmp_path / "s.jsonl")
    assert ArticleSummary.model_validate(line["summary"]) == summary


def test_a_long_article_keeps_one_answer_per_chunk_with_its_span() -> None:
    gold = [g for g in load_gold(ROOT / "benchmarks" / "gold") if g.id.startswith("voa-")][:6]
    article = "\n\n".join(g.text for g in gold)
    answers = [g.to_answer() for g in gold]

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        text = body["messages"][1]["content"]
        out: dict[str, Any] = {**EMPTY_ANSWER, "summary": "Part."}
        for kind in ("meetings", "statements", "visits", "warrants"):
            out[kind] = [
                {**r, "evidence": [e for e in r["evidence"] if e["quote"] in text]}
                for a in answers for r in a[kind]
                if any(e["quote"] in text for e in r["evidence"])
                and (not r.get("quote") or r["quote"] in text)
            ]  # fmt: skip
        return out

    fake = FakeModel()
    fake.answer_with(respond)
    summary = summarize(
        article, client=fake.client(), model="m", published="2025-03-14", chunk_tokens=1_500
    )
    assert summary.answer is not None
    drafts = summary.answer.drafts
    chunks = plan_chunks(article, 1_500, DEFAULTS.chunk_overlap)
    assert [(d.start, d.end) for d in drafts] == chunks and len(chunks) > 1
    # Rebuilt from those answers alone, the long article gives the same summary.
    rebuilt = reprocess_summary(article, summary)
    assert without_provenance(rebuilt.model_dump()) == without_provenance(summary.model_dump())


# -- reprocessing -----------------------------------------------------------------------------


def test_reprocessing_makes_no_request_and_rebuilds_the_same_records(
    tmp_path: Path, no_network: NoNetwork
) -> None:
    source = seed_output(tmp_path)
    report = reprocess(source, tmp_path / "new.jsonl")
    assert no_network.attempts == []
    assert (report.lines, report.reprocessed, report.changed, report.kept) == (1, 1, 0, {})
    [old], [new] = lines(source), lines(tmp_path / "new.jsonl")
    assert without_provenance(new["summary"]) == without_provenance(old["summary"])
    assert new["summary"]["provenance"]["reprocessed_at"] is not None
    assert new["summary"]["provenance"]["usage"] == old["summary"]["provenance"]["usage"]
    assert {k: v for k, v in new.items() if k != "summary"} == {
        k: v for k, v in old.items() if k != "summary"
    }


def test_an_older_output_gains_what_the_installed_version_computes(
    tmp_path: Path, no_network: NoNetwork
) -> None:
    """A line as an older version wrote it: no duration values, a time left unresolved."""
    source = seed_output(tmp_path)
    [line] = lines(source)
    visits = line["summary"]["visits"]
    assert [v["duration_value"] for v in visits] == ["P4D", None]
    for visit in visits:
        del visit["duration_value"]  # the field did not exist then
    meetings = line["summary"]["meetings"]
    resolved = [i for i, m in enumerate(meetings) if m["when"] and m["when"]["value"]]
    for i in resolved:
        meetings[i]["when"] = {"expression": meetings[i]["when"]["expression"]}
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")

    report = reprocess(source, tmp_path / "new.jsonl")
    assert no_network.attempts == []
    assert report.changed == 1
    assert report.fields["visits.duration_value"] == 1
    assert report.fields["meetings.when.value"] == len(resolved) > 0
    [new] = lines(tmp_path / "new.jsonl")
    assert [v["duration_value"] for v in new["summary"]["visits"]] == ["P4D", None]
    assert "visits.duration_value" in report.table()


def test_lines_that_cannot_be_reprocessed_are_kept_and_counted(tmp_path: Path) -> None:
    [good] = lines(seed_output(tmp_path))
    old = json.loads(json.dumps(good))
    old["id"] = "old"
    del old["summary"]["answer"]  # written before answers were stored
    changed = json.loads(json.dumps(good))
    changed["id"] = "edited"
    changed["article"] = changed["article"].replace("Putin", "Poutine", 1)
    failed = {"id": "f", "url": None, "title": None, "article": "x", "error": {"type": "E"}}
    source = tmp_path / "mixed.jsonl"
    rows = [good, old, changed, failed]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows) + "not json\n", encoding="utf-8")

    report = reprocess(source, tmp_path / "new.jsonl")
    assert report.lines == 5 and report.reprocessed == 1
    assert report.kept == {"no_answer": 1, "text_changed": 1, "failed": 1, "unreadable": 1}
    assert [(p.line, p.id, p.reason) for p in report.problems] == [
        (2, "old", "no_answer"), (3, "edited", "text_changed"), (4, "f", "failed"),
        (5, None, "unreadable"),
    ]  # fmt: skip
    assert "SHA-256" in report.problems[1].message
    # Every line is in the output, in order; the kept ones byte for byte.
    written = (tmp_path / "new.jsonl").read_text(encoding="utf-8").splitlines()
    original = source.read_text(encoding="utf-8").splitlines()
    assert len(written) == 5 and written[1:] == original[1:]


def test_the_text_of_a_line_without_it_comes_from_the_articles(tmp_path: Path) -> None:
    [good] = lines(seed_output(tmp_path))
    good["article"] = None
    source = tmp_path / "bare.jsonl"
    source.write_text(json.dumps(good) + "\n", encoding="utf-8")
    report = reprocess(source, tmp_path / "new.jsonl")
    assert report.kept == {"no_text": 1} and "--articles" in report.problems[0].message

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED_ARTICLE, encoding="utf-8")
    report = reprocess(source, tmp_path / "new.jsonl", articles=folder)
    assert (report.reprocessed, report.kept) == (1, {})
    [new] = lines(tmp_path / "new.jsonl")
    assert new["article"] == SEED_ARTICLE  # the next reprocessing needs no articles

    (folder / "seed.txt").write_text(SEED_ARTICLE + " Edited.", encoding="utf-8")
    report = reprocess(source, None, articles=folder)
    assert report.kept == {"text_changed": 1}


def test_an_answer_of_another_schema_version_is_migrated(tmp_path: Path) -> None:
    [line] = lines(seed_output(tmp_path))
    summary = line["summary"]
    summary["provenance"]["schema_version"] = "0123456789ab"  # made with another schema
    draft = summary["answer"]["drafts"][0]["draft"]
    for visit in draft["visits"]:
        visit["transport"] = "plane"  # a field the installed Visit no longer has
        del visit["purpose"]  # a field added since (nullable): null
    source = tmp_path / "old.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = reprocess(source, tmp_path / "new.jsonl")
    assert (report.reprocessed, report.migrated, report.kept) == (1, 1, {})
    assert report.fields["visits.purpose"] == sum(1 for v in summary["visits"] if v["purpose"])
    [new] = lines(tmp_path / "new.jsonl")
    assert all(v["purpose"] is None for v in new["summary"]["visits"])
    assert new["summary"]["provenance"]["schema_version"] == "0123456789ab"  # the answer's
    assert schema_version() != "0123456789ab"


def test_an_answer_the_installed_schema_cannot_take_is_kept_with_the_reason(
    tmp_path: Path,
) -> None:
    [line] = lines(seed_output(tmp_path))
    line["summary"]["answer"]["drafts"][0]["draft"]["visits"][0]["status"] = "rumoured"
    source = tmp_path / "old.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = reprocess(source, tmp_path / "new.jsonl")
    assert report.kept == {"incompatible": 1}
    assert "summarise this article again" in report.problems[0].message
    with pytest.raises(StoredAnswerError) as caught:
        reprocess_summary(SEED_ARTICLE, ArticleSummary.model_validate(line["summary"]))
    assert caught.value.reason == "incompatible"


def test_reprocessing_in_place_replaces_the_file_only_when_complete(tmp_path: Path) -> None:
    source = seed_output(tmp_path)
    before = source.read_bytes()
    report = reprocess(source, source)
    assert report.reprocessed == 1
    after = source.read_bytes()
    assert after != before  # provenance says when it was reprocessed
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temporary left


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    source = seed_output(tmp_path)
    report = reprocess(source)
    assert report.output is None and report.reprocessed == 1
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_missing_source_and_an_unwritable_output_are_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        reprocess(tmp_path / "missing.jsonl", tmp_path / "new.jsonl")
    source = seed_output(tmp_path)
    with pytest.raises(OutputError, match="is a directory"):
        reprocess(source, tmp_path)


def test_reprocess_summary_refuses_a_summary_without_an_answer() -> None:
    fake = FakeModel()
    fake.enqueue(SEED_ANSWER)
    summary = summarize(SEED_ARTICLE, client=fake.client(), model="m", published=PUBLISHED)
    with pytest.raises(StoredAnswerError) as caught:
        reprocess_summary(SEED_ARTICLE, summary.model_copy(update={"answer": None}))
    assert caught.value.reason == "no_answer"
    with pytest.raises(StoredAnswerError) as caught:
        reprocess_summary(SEED_ARTICLE.replace("Putin", "Putn"), summary)
    assert caught.value.reason == "text_changed"


def test_the_gold_cassettes_reprocess_with_no_request(
    tmp_path: Path, no_network: NoNetwork
) -> None:
    """Real recorded answers (truncated and valid) and the seed reference, then reprocessed."""
    gold = {g.id: g for g in load_gold(ROOT / "benchmarks" / "gold")}
    jobs = [
        (g.id, g.text, {"published": g.published, "model": "gemma3-270m", "max_tokens": 1024,
                        "temperature": 0.0}, CASSETTES / "eval_gemma3_270m" / f"{g.id}.json")
        for g in (gold["seed"], gold["voa-7836916"], gold["voa-8010030"])
    ] + [("seed-reference", SEED_ARTICLE, {"published": "2023-09-18", "model": SCRIPTED_MODEL},
          CASSETTES / "seed_reference.json")]  # fmt: skip
    rows = []
    for article_id, text, options, path in jobs:
        head = {"id": article_id, "url": None, "title": None, "article": text}
        try:
            summary = summarize(text, client=replay_client(path), **options)
        except TruncatedOutputError as exc:
            rows.append(json.dumps({**head, "error": Failure.of(exc).model_dump(mode="json")}))
            continue
        rows.append(jsonl_line(ExportedArticle(article_id, text, summary)))
    source = tmp_path / "gold.jsonl"
    source.write_text("".join(row + "\n" for row in rows), encoding="utf-8")

    report = reprocess(source, tmp_path / "new.jsonl")
    assert no_network.attempts == []
    assert (report.lines, report.reprocessed, report.changed) == (4, 2, 0)
    assert report.kept == {"failed": 2}
    [seed] = [r for r in lines(tmp_path / "new.jsonl") if r["id"] == "seed-reference"]
    assert len(seed["summary"]["statements"]) == 10


def test_a_summary_cached_by_another_version_is_rebuilt_by_this_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    article = Article(id="seed", text=SEED_ARTICLE, published=PUBLISHED)
    fake = FakeModel()
    fake.enqueue(SEED_ANSWER)
    options: dict[str, Any] = {"model": "m", "cache": cache, "progress": False}
    [first] = summarize_many([article], client=fake.async_client(), **options)
    with sqlite3.connect(cache) as db:
        [(text,)] = db.execute("SELECT summary FROM summaries").fetchall()
        stored = json.loads(text)
        stored["provenance"]["library_version"] = "0.0.1"  # cached by an older release
        for visit in stored["visits"]:
            del visit["duration_value"]
        db.execute("UPDATE summaries SET summary = ?", (json.dumps(stored),))
    [again] = summarize_many([article], client=FakeModel().async_client(), **options)
    assert again.cached and again.summary is not None and first.summary is not None
    assert [v.duration_value for v in again.summary.visits] == ["P4D", None]
    assert again.summary.provenance.reprocessed_at is not None
    assert again.summary.events == first.summary.events


def test_a_cached_web_page_of_another_version_is_rebuilt_from_its_text(tmp_path: Path) -> None:
    page = (ROOT / "tests" / "fixtures" / "voa_8010842.html").read_text(encoding="utf-8")
    cache = tmp_path / "cache.sqlite"
    article = Article(id="g7", text=page)
    fake = FakeModel()
    fake.enqueue(EMPTY_ANSWER)
    options: dict[str, Any] = {"model": "m", "cache": cache, "progress": False}
    [first] = summarize_many([article], client=fake.async_client(), **options)
    assert first.summary is not None and first.summary.page is not None
    with sqlite3.connect(cache) as db:
        [(text,)] = db.execute("SELECT summary FROM summaries").fetchall()
        stored = json.loads(text)
        stored["provenance"]["library_version"] = "0.0.1"
        db.execute("UPDATE summaries SET summary = ?", (json.dumps(stored),))
    [again] = summarize_many([article], client=FakeModel().async_client(), **options)
    assert again.cached and again.summary is not None
    assert again.summary.provenance.reprocessed_at is not None  # rebuilt, not served as stored
    assert again.summary.page == first.summary.page


# -- the command line -------------------------------------------------------------------------


def test_the_cli_reprocesses_and_prints_the_changes(tmp_path: Path, no_network: NoNetwork) -> None:
    source = seed_output(tmp_path)
    [line] = lines(source)
    for visit in line["summary"]["visits"]:
        del visit["duration_value"]
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["reprocess", str(source), "-o", str(tmp_path / "n.jsonl")])
    assert result.exit_code == 0, result.output
    assert "1 reprocessed (1 changed" in result.stdout
    assert "visits.duration_value" in result.stdout
    assert no_network.attempts == []
    as_json = CliRunner().invoke(app, ["reprocess", str(tmp_path / "n.jsonl"), "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["changed"] == 0


def test_the_cli_exits_1_when_a_line_needs_action(tmp_path: Path) -> None:
    [line] = lines(seed_output(tmp_path))
    line["article"] = line["article"] + " (updated)"
    source = tmp_path / "edited.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["reprocess", str(source), "-o", str(tmp_path / "n.jsonl")])
    assert result.exit_code == 1
    assert "text_changed" in result.stderr and "kept, text_changed: 1" in result.stdout


def test_a_fault_in_the_rebuild_is_a_newsschema_error_and_leaves_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = seed_output(tmp_path)
    before = source.read_bytes()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(newsschema._extraction._summarize, "_enrich", broken)
    with pytest.raises(
        NewsschemaError, match=r"line 1 \(article 'seed'\).*RuntimeError: boom.*bug"
    ):
        reprocess(source, source)
    assert source.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
