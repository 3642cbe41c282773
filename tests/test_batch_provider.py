"""The provider's Batch API: request lines, the full cycle (from a cassette), repairs, resume.

The full cycle replays cassettes/batch_provider/full_cycle.json, recorded from
tests/batch_server.py (scripted answers, see cassettes/README.md). Re-record with
NEWSSCHEMA_RECORD=1 python -m pytest tests/test_batch_provider.py

That cassette sits in a folder of its own: the files and batches endpoints are
GETs without a body and a multipart upload, which tests/test_cassettes.py (JSON
request bodies only) does not expect; its secret scan is repeated here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from batch_server import BatchLine, BatchServer, article_of, completion_body, small_answer
from conftest import CASSETTES, FAKE_KEY

from newsschema import ConfigurationError, summarize
from newsschema._batch._provider_batch import ProviderBatch, request_body
from newsschema._batch._run import BatchStats, Outcome, summarize_many
from newsschema._io._articles import Article
from newsschema.testing import FakeModel, cassette, record_mode, replay_client
from newsschema.testing._cassettes import load_interactions

MODEL = "newsschema-scripted-batch"


@pytest.fixture(autouse=True)
def _default_cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run left on the default cache=True never writes to the developer's cache."""
    monkeypatch.setenv("NEWSSCHEMA_CACHE_DIR", str(tmp_path / "default-cache"))


CYCLE = CASSETTES / "batch_provider" / "full_cycle.json"

ARTICLES = [
    Article(
        id="ok",
        text="Foreign Minister Anna Berg met the Danish envoy Lars Holm in Oslo on Tuesday. "
        "They discussed fishing quotas.",
        published="2024-05-07",
    ),
    Article(
        id="ungrounded",
        text="Prime Minister Eva Lind visited Helsinki on Friday. She opened a trade fair.",
    ),
    Article(
        id="invalid",
        text="Judge Omar Haddad issued an arrest warrant for the former mayor on Monday. "
        "The mayor denied wrongdoing.",
    ),
    Article(
        id="errored",
        text="President Mara Costa spoke to reporters in Lisbon. She promised new elections.",
    ),
]


def scripted_line(custom_id: str, body: dict[str, Any]) -> BatchLine:
    """What the scripted batch answers for each article (written here, not by a model)."""
    article = article_of(body)
    if custom_id == "ungrounded":
        answer = small_answer(article)
        answer["statements"][0]["evidence"] = [{"quote": "Eva Lind resigned in protest."}]
        return BatchLine(200, completion_body(answer))
    if custom_id == "invalid":
        return BatchLine(200, completion_body('{"headline": null, "summary": 5}'))
    if custom_id == "errored":
        error = {
            "message": "The server had an error processing your request.",
            "type": "server_error",
        }
        return BatchLine(500, {"error": {**error, "code": "server_error"}})
    return BatchLine(200, completion_body(small_answer(article)))


@pytest.fixture
def polls(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits between batch status checks, recorded instead of slept."""
    waits: list[float] = []

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("newsschema._batch._provider_batch._asleep", asleep)
    return waits


@contextmanager
def batch_cassette(path: Path, server: BatchServer) -> Iterator[openai.AsyncOpenAI]:
    """Replays the cassette; with NEWSSCHEMA_RECORD=1 records it from the scripted server.

    Replay goes through ``replay_client``: the upload is a multipart body, which
    the vcrpy matcher of ``cassette()`` compares as bytes against text.
    """
    if record_mode() == "none":
        yield replay_client(path, asynchronous=True)
        return
    with cassette(path), server.serve() as url:
        yield openai.AsyncOpenAI(api_key=FAKE_KEY, base_url=url)


def in_process(server: BatchServer) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        api_key=FAKE_KEY,
        base_url="http://batch-server.test/v1",
        http_client=httpx2.AsyncClient(transport=server.transport()),
    )


def run(client: openai.AsyncOpenAI, articles: list[Article], **kwargs: Any) -> list[Outcome]:
    kwargs.setdefault("cache", False)
    kwargs.setdefault("provider_batch", ProviderBatch(poll_interval=30))
    return list(summarize_many(articles, client=client, model=MODEL, **kwargs))


def test_a_request_line_carries_the_body_a_synchronous_call_sends() -> None:
    fake = FakeModel()
    fake.enqueue(small_answer(ARTICLES[0].text))
    summarize(ARTICLES[0].text, published="2024-05-07", client=fake.client(), model=MODEL)
    body = request_body(
        ARTICLES[0], model=MODEL, mode="json_schema", max_input_tokens=100_000, max_tokens=None,
        temperature=0.0,
    )  # fmt: skip
    assert body == fake.requests[0]
    assert body["response_format"]["json_schema"]["strict"] is True


def test_full_cycle_validates_answers_and_repairs_failed_lines_with_ordinary_calls(
    tmp_path: Path, polls: list[float]
) -> None:
    server = BatchServer(batch_line=scripted_line, polls=1)
    stats = BatchStats()
    out = tmp_path / "out.jsonl"
    with batch_cassette(CYCLE, server) as client:
        outcomes = run(client, ARTICLES, output=out, stats=stats, order="input")
    assert [o.id for o in outcomes] == ["ok", "ungrounded", "invalid", "errored"]
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    attempts = {o.id: o.summary.provenance.validation_attempts for o in outcomes if o.summary}
    # The batch answered three; two of them were re-asked once with ordinary calls, and the
    # errored line was summarised afresh.
    assert attempts == {"ok": 1, "ungrounded": 2, "invalid": 2, "errored": 1}
    assert stats.provider_batch_usage.requests == 3
    # upload, create, two status checks, two downloads (output, errors), three chat calls:
    # each request played one recorded interaction, and none was left over.
    assert stats.http_requests == 9 == len(load_interactions(CYCLE))
    assert polls == [30]
    ok = outcomes[0].summary
    assert ok is not None and ok.statements[0].evidence[0].start == 0  # grounded as usual
    assert ok.published is not None and ok.published.isoformat() == "2024-05-07"
    assert not (tmp_path / "out.jsonl.batch.json").exists()  # the batch is spent
    assert sorted(json.loads(line)["id"] for line in out.read_text().splitlines()) == sorted(
        a.id for a in ARTICLES
    )


def test_without_repair_failed_lines_end_as_provider_errors(polls: list[float]) -> None:
    server = BatchServer(batch_line=scripted_line)
    outcomes = run(in_process(server), ARTICLES, provider_batch=ProviderBatch(repair=False))
    errored = next(o for o in outcomes if o.id == "errored")
    assert errored.error is not None
    assert (errored.error.type, errored.error.status_code) == ("ProviderError", 500)
    assert "server_error" in errored.error.message
    assert sum(o.ok for o in outcomes) == 3
    assert server.completions == 2  # only the two re-asks


def test_a_rerun_picks_up_the_recorded_batch_instead_of_paying_for_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Stopped(Exception):
        pass

    async def stop(seconds: float) -> None:
        raise Stopped  # the run ends while it waits for the batch

    monkeypatch.setattr("newsschema._batch._provider_batch._asleep", stop)
    server = BatchServer(polls=1)
    client = in_process(server)
    out = tmp_path / "out.jsonl"
    with pytest.raises(Stopped):
        run(client, ARTICLES[:2], output=out)
    state = json.loads((tmp_path / "out.jsonl.batch.json").read_text())
    assert [b["batch_id"] for b in state["batches"]] == ["batch_scripted_1"]

    async def no_wait(seconds: float) -> None:
        pass

    monkeypatch.setattr("newsschema._batch._provider_batch._asleep", no_wait)
    outcomes = run(client, ARTICLES[:2], output=out)
    assert sorted(o.id for o in outcomes) == ["ok", "ungrounded"] and all(o.ok for o in outcomes)
    assert server.requests["POST /v1/files"] == 1 and server.requests["POST /v1/batches"] == 1
    assert not (tmp_path / "out.jsonl.batch.json").exists()


def test_a_state_file_from_other_settings_is_refused(tmp_path: Path, polls: list[float]) -> None:
    state = tmp_path / "out.jsonl.batch.json"
    state.write_text(json.dumps({"fingerprint": {"model": "other"}, "batches": []}))
    with pytest.raises(ConfigurationError, match="another model"):
        run(in_process(BatchServer()), ARTICLES[:1], output=tmp_path / "out.jsonl")


def test_cached_articles_are_not_sent_and_big_inputs_are_split(
    tmp_path: Path, polls: list[float]
) -> None:
    cache = tmp_path / "cache"
    list(summarize_many(ARTICLES[:1], client=in_process(BatchServer()), model=MODEL, cache=cache))
    server = BatchServer()
    outcomes = run(
        in_process(server), ARTICLES, cache=cache, provider_batch=ProviderBatch(max_requests=2)
    )
    assert sum(o.cached for o in outcomes) == 1 and all(o.ok for o in outcomes)
    uploads = [
        [json.loads(line)["custom_id"] for line in data.decode().splitlines()]
        for name, data in server.files.items()
        if name in {b["input_file_id"] for b in server.batches.values()}
    ]
    assert uploads == [["ungrounded", "invalid"], ["errored"]]


def test_provider_batch_needs_json_schema_mode() -> None:
    with pytest.raises(ConfigurationError, match="json_schema"):
        summarize_many(
            ARTICLES, client=in_process(BatchServer()), model=MODEL, mode="tools",
            provider_batch=True,
        )  # fmt: skip


def test_the_cycle_cassette_holds_no_secret() -> None:
    from test_cassettes import SECRET

    from newsschema.testing._cassettes import SCRUBBED_HEADERS

    text = CYCLE.read_text(encoding="utf-8")
    assert not SECRET.search(text)
    assert FAKE_KEY not in text
    for interaction in json.loads(text)["interactions"]:
        for part in ("request", "response"):
            assert not {h.lower() for h in interaction[part]["headers"]} & SCRUBBED_HEADERS
