"""Servers that misbehave on purpose: every bound holds, and nothing but newsschema's errors escape.

Each test talks real HTTP to a raw-socket server on 127.0.0.1 (tests/hostile_server.py).
Bounds are checked with generous upper limits (a shared machine is noisy); the
figures for the README's fault table come from ``benchmarks/faults.py``.
"""

from __future__ import annotations

import json
import logging
import time
from email.utils import formatdate
from typing import Any

import openai
import pytest
from conftest import SEED_ANSWER, SEED_ARTICLE
from hostile_server import HostileServer, gzip_bomb, gzipped, json_bytes, reply, trickle
from scripted_server import completion_body

from newsschema import (
    BudgetExceededError,
    MalformedResponseError,
    NewsschemaError,
    ProviderError,
    RetriesExhaustedError,
    RetryPolicy,
    asummarize,
    asummarize_many,
    summarize,
    summarize_many,
)

SYNC_ASYNC = pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
KEY = "sk-hostile-ECHOED-0123456789abcdefghijkl"


def _client(base_url: str, asynchronous: bool) -> Any:
    make = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    return make(api_key=KEY, base_url=base_url, timeout=30)


async def _summarize(base_url: str, asynchronous: bool, **kwargs: Any) -> Any:
    client = _client(base_url, asynchronous)
    if asynchronous:
        return await asummarize(SEED_ARTICLE, client=client, model="m", **kwargs)
    return summarize(SEED_ARTICLE, client=client, model="m", **kwargs)


def _completion(answer: Any = SEED_ANSWER) -> bytes:
    return json_bytes(completion_body(answer))


# -- 1. a body that trickles in -----------------------------------------------------------


@SYNC_ASYNC
async def test_a_trickling_body_is_cut_at_the_time_budget(asynchronous) -> None:
    with HostileServer(trickle(interval=0.2)) as server:
        started = time.monotonic()
        with pytest.raises(BudgetExceededError) as caught:
            await _summarize(
                server.base_url, asynchronous, time_budget=2,
                retry=RetryPolicy(max_attempts=3, max_time=10, timeout=30),
            )  # fmt: skip
        took = time.monotonic() - started
    assert caught.value.budget == "time"
    assert 1.9 <= took < 3.5, took


@SYNC_ASYNC
async def test_a_trickling_body_is_cut_at_the_attempt_timeout_then_retried(asynchronous) -> None:
    with HostileServer(trickle(interval=0.2)) as server:
        started = time.monotonic()
        with pytest.raises(RetriesExhaustedError) as caught:
            await _summarize(
                server.base_url, asynchronous,
                retry=RetryPolicy(max_attempts=2, timeout=1.0, initial_wait=0, jitter=0),
            )  # fmt: skip
        took = time.monotonic() - started
    assert caught.value.attempts == 2
    assert len(server.requests) == 2
    assert "timed out at http://127.0.0.1" in str(caught.value)
    assert took < 4.0, took


@SYNC_ASYNC
async def test_a_trickling_batch_ends_every_article_within_its_budget(asynchronous) -> None:
    articles = [{"id": f"a{i}", "text": SEED_ARTICLE} for i in range(3)]
    kwargs: dict[str, Any] = {
        "client": None,
        "model": "m", "time_budget": 2, "cache": False, "concurrency": 3,
        "retry": RetryPolicy(max_attempts=3, max_time=10, timeout=1.5),
    }  # fmt: skip
    with HostileServer(trickle(interval=0.2)) as server:
        kwargs["client"] = openai.AsyncOpenAI(api_key=KEY, base_url=server.base_url)
        started = time.monotonic()
        if asynchronous:
            outcomes = [o async for o in asummarize_many(articles, **kwargs)]
        else:
            outcomes = list(summarize_many(articles, **kwargs))
        took = time.monotonic() - started
    assert sorted(o.id for o in outcomes) == ["a0", "a1", "a2"]
    assert all(o.error is not None and o.error.type == "BudgetExceededError" for o in outcomes)
    assert took < 4.5, took


# -- 2. a 429 asking for a wait that cannot fit ------------------------------------------


@pytest.mark.parametrize(
    "retry_after", ["99999", "http-date"], ids=["seconds", "http-date-30s-ahead"]
)
def test_a_huge_retry_after_does_not_stall_a_batch(retry_after) -> None:
    value = formatdate(time.time() + 30, usegmt=True) if retry_after == "http-date" else retry_after
    body = json_bytes({"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}})
    articles = [{"id": f"a{i}", "text": SEED_ARTICLE} for i in range(3)]
    with HostileServer(reply(429, body, {"retry-after": value})) as server:
        started = time.monotonic()
        outcomes = list(
            summarize_many(
                articles, client=openai.AsyncOpenAI(api_key=KEY, base_url=server.base_url),
                model="m", time_budget=5, cache=False, concurrency=1, rpm=600,
            )
        )  # fmt: skip
        took = time.monotonic() - started
    assert sorted(o.id for o in outcomes) == ["a0", "a1", "a2"]
    assert all(o.error is not None for o in outcomes)
    assert {o.error.type for o in outcomes if o.error} <= {"RateLimitError", "BudgetExceededError"}
    assert any(o.error is not None and o.error.type == "RateLimitError" for o in outcomes)
    assert took < 10, took  # three articles of 5 s each, never the 120 s limiter pause


def test_a_limiter_pause_that_cannot_fit_is_a_rate_limit_error_with_the_wait_asked() -> None:
    body = json_bytes({"error": {"message": "Rate limit reached"}})
    articles = [{"id": "first", "text": SEED_ARTICLE}, {"id": "second", "text": SEED_ARTICLE}]
    with HostileServer(reply(429, body, {"retry-after": "99999"})) as server:
        outcomes = {
            o.id: o
            for o in summarize_many(
                articles, client=openai.AsyncOpenAI(api_key=KEY, base_url=server.base_url),
                model="m", time_budget=3, cache=False, concurrency=1, rpm=600,
                retry=RetryPolicy(max_wait=1),
            )
        }  # fmt: skip
    second = outcomes["second"].error
    assert second is not None and second.type == "RateLimitError"
    assert "99999" in second.message or "120" in second.message


# -- 3. no cap on the decompressed response ----------------------------------------------


@SYNC_ASYNC
async def test_a_gzip_bomb_is_refused_within_the_size_cap(asynchronous) -> None:
    bomb = gzip_bomb(200)  # 200 MiB of zeros in about 200 KB
    with HostileServer(reply(200, bomb, {"content-encoding": "gzip"})) as server:
        started = time.monotonic()
        with pytest.raises(MalformedResponseError, match="larger than 32 MB"):
            await _summarize(server.base_url, asynchronous)
        took = time.monotonic() - started
    assert len(server.requests) == 1  # not retried: the same answer would come again
    assert took < 10, took


@SYNC_ASYNC
async def test_the_response_size_cap_is_configurable(asynchronous) -> None:
    body = gzipped(_completion())
    with HostileServer(reply(200, body, {"content-encoding": "gzip"})) as server:
        with pytest.raises(MalformedResponseError, match="larger than 1000 bytes"):
            await _summarize(
                server.base_url, asynchronous, retry=RetryPolicy(max_response_bytes=1000)
            )
        # A gzip answer under the cap is read as usual.
        s = await _summarize(server.base_url, asynchronous)
    assert len(s.statements) == 10


# -- 4. exceptions that are not newsschema's ---------------------------------------------


@SYNC_ASYNC
@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", b"this is not gzip data at all"),
        ("gzip", gzipped(b'{"id": "c", "choices": [')[:-12]),  # cut mid-stream
        ("deflate", b"\x00\x01garbage"),
        ("br", b"\x8b\x02\x80"),  # an encoding that was not asked for
    ],
    ids=["garbage-gzip", "truncated-gzip", "garbage-deflate", "brotli"],
)
async def test_an_undecodable_body_is_a_malformed_response_error(
    asynchronous, encoding, body
) -> None:
    server = HostileServer(reply(200, body, {"content-encoding": encoding}))
    with server, pytest.raises(MalformedResponseError):
        await _summarize(server.base_url, asynchronous, retry=RetryPolicy(max_attempts=1))


@SYNC_ASYNC
async def test_an_error_body_that_trickles_is_bounded_too(asynchronous) -> None:
    with HostileServer(trickle(status=500, interval=0.2)) as server:
        started = time.monotonic()
        with pytest.raises(NewsschemaError):
            await _summarize(
                server.base_url, asynchronous,
                retry=RetryPolicy(max_attempts=2, timeout=1.0, initial_wait=0, jitter=0),
            )  # fmt: skip
    assert time.monotonic() - started < 4.0


# -- 9. a server that reflects the key ---------------------------------------------------


@SYNC_ASYNC
async def test_a_reflected_key_is_redacted_from_errors(asynchronous, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    body = json_bytes(
        {"error": {"message": f"Incorrect API key provided: Bearer {KEY}", "code": KEY}}
    )
    headers = {"x-request-id": KEY, "x-echo-authorization": f"Bearer {KEY}"}
    server = HostileServer(reply(401, body, headers))
    with server, pytest.raises(ProviderError) as caught:
        await _summarize(server.base_url, asynchronous)
    error = caught.value
    # newsschema's own records; httpcore's DEBUG lines show raw traffic (README says so).
    ours = [r for r in caplog.records if r.name.startswith(("newsschema", "openai"))]
    surfaced = f"{error}\n{error!r}\n{vars(error)!r}\n"
    surfaced += "\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in ours)
    assert KEY not in surfaced
    assert "[redacted]" in (error.provider_message or "")
    assert error.request_id == "[redacted]"


@SYNC_ASYNC
async def test_a_key_echoed_in_a_500_body_is_redacted_from_the_final_error(asynchronous) -> None:
    body = f"upstream said: Authorization: Bearer {KEY}".encode()
    server = HostileServer(reply(503, body, {"content-type": "text/plain"}))
    with server, pytest.raises(RetriesExhaustedError) as caught:
        await _summarize(
            server.base_url, asynchronous,
            retry=RetryPolicy(max_attempts=2, initial_wait=0, jitter=0),
        )  # fmt: skip
    assert KEY not in f"{caught.value}{vars(caught.value)}"


def test_a_key_echoed_into_the_answer_is_redacted_from_failure_rows(tmp_path) -> None:
    answer = dict(SEED_ANSWER)
    answer["headline"] = f"key {KEY}"
    body = json_bytes(completion_body(json.dumps({"not": "the schema"}) + KEY))
    output = tmp_path / "out.jsonl"
    with HostileServer(reply(200, body)) as server:
        outcomes = list(
            summarize_many(
                [{"id": "a", "text": SEED_ARTICLE}],
                client=openai.AsyncOpenAI(api_key=KEY, base_url=server.base_url),
                model="m", cache=False, output=output,
            )
        )  # fmt: skip
    assert outcomes[0].error is not None
    assert KEY not in output.read_text()
    assert KEY not in repr(outcomes[0])


def test_retries_are_logged_with_the_url_and_attempt(caplog) -> None:
    caplog.set_level(logging.WARNING, logger="newsschema.retry")
    with pytest.raises(RetriesExhaustedError) as caught:
        summarize(
            SEED_ARTICLE, base_url="http://127.0.0.1:9/v1", model="m",
            retry=RetryPolicy(max_attempts=3, initial_wait=0.01, jitter=0),
        )  # fmt: skip
    lines = [r.getMessage() for r in caplog.records if r.name == "newsschema.retry"]
    assert len(lines) == 2
    assert lines[0].startswith("retrying: connection refused at http://127.0.0.1:9/v1")
    assert "(attempt 1 of 3 failed), next in 0.0 s" in lines[0]
    assert "connection refused at http://127.0.0.1:9/v1" in str(caught.value)
    assert "check that the server is running" in str(caught.value)


@SYNC_ASYNC
async def test_a_fault_in_enrichment_is_typed_and_keeps_the_usage(
    asynchronous, monkeypatch
) -> None:
    import newsschema._extraction._summarize

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise IndexError("list index out of range")

    monkeypatch.setattr(newsschema._extraction._summarize, "_enrich", broken)
    server = HostileServer(reply(200, _completion()))
    with server, pytest.raises(NewsschemaError) as caught:
        await _summarize(server.base_url, asynchronous)
    assert "IndexError" in str(caught.value)
    assert caught.value.usage.total_tokens == 2000  # type: ignore[attr-defined]
