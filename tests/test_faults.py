"""The fault matrix: every provider fault ends in success or a typed error, sync and async.

In-process faults use FakeModel (real SDK, no sockets); connection faults and
timeouts use the scripted server over real HTTP on 127.0.0.1. Waits are recorded
by the `sleeps` fixture, never slept, except where a real timeout is the point.
"""

from __future__ import annotations

import logging
from typing import Any

import openai
import pytest
from conftest import EMPTY_ANSWER, SEED_ANSWER, SEED_ARTICLE
from scripted_server import ScriptedServer, completion

from newsschema import (
    BudgetExceededError,
    InvalidAnswerError,
    MalformedResponseError,
    NewsschemaError,
    ProviderError,
    RateLimitError,
    RefusalError,
    RetriesExhaustedError,
    RetryPolicy,
    TruncatedOutputError,
    asummarize,
    summarize,
)
from newsschema.testing import FakeModel

SYNC_ASYNC = pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
KEY = "sk-test-RECOGNISABLE-0123456789abcdefghij"
EMPTY = EMPTY_ANSWER


async def run(fake_or_client: Any, asynchronous: bool, **kwargs: Any) -> Any:
    if isinstance(fake_or_client, FakeModel):
        client = (
            fake_or_client.async_client(api_key=KEY)
            if asynchronous
            else fake_or_client.client(api_key=KEY)
        )
    else:
        client = fake_or_client
    if asynchronous:
        return await asummarize(SEED_ARTICLE, client=client, model="m", **kwargs)
    return summarize(SEED_ARTICLE, client=client, model="m", **kwargs)


def _completion_body(
    message: dict[str, Any], finish_reason: str = "stop", choices: bool = True
) -> dict[str, Any]:
    choice = {"index": 0, "message": message, "finish_reason": finish_reason}
    return {
        "id": "c", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [choice] if choices else [],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }  # fmt: skip


# -- 429 -----------------------------------------------------------------------------


@SYNC_ASYNC
async def test_429_retry_after_ms_is_honoured(sleeps, asynchronous) -> None:
    fake = FakeModel()
    fake.enqueue_error(429, {"error": {"message": "slow down"}}, headers={"retry-after-ms": "1500"})
    fake.enqueue(SEED_ANSWER)
    s = await run(fake, asynchronous)
    assert sleeps == [1.5]
    assert len(s.meetings) == 6


@SYNC_ASYNC
async def test_429_with_only_ratelimit_reset_headers_waits_for_the_limit_named(
    sleeps, asynchronous
) -> None:
    fake = FakeModel()
    headers = {"x-ratelimit-reset-requests": "6m0s", "x-ratelimit-reset-tokens": "20ms"}
    body = {
        "error": {
            "message": "Rate limit reached for m on tokens per min (TPM)",
            "code": "rate_limit_exceeded",
        }
    }
    fake.enqueue_error(429, body, headers=headers)
    fake.enqueue(SEED_ANSWER)
    await run(fake, asynchronous)
    assert sleeps == [0.02]


def test_429_without_a_named_limit_waits_for_the_later_reset_capped(sleeps) -> None:
    fake = FakeModel()
    fake.enqueue_error(
        429, "", headers={"x-ratelimit-reset-requests": "6m0s", "x-ratelimit-reset-tokens": "20ms"}
    )
    fake.enqueue(SEED_ANSWER)
    summarize(SEED_ARTICLE, client=fake.client(), model="m", retry=RetryPolicy(max_wait=45))
    assert sleeps == [45.0]


@SYNC_ASYNC
async def test_persistent_429_is_a_rate_limit_error_with_attempts(sleeps, asynchronous) -> None:
    fake = FakeModel()
    for _ in range(3):
        fake.enqueue_error(
            429,
            {"error": {"message": "quota"}},
            headers={"retry-after": "1", "x-request-id": "req_9"},
        )
    with pytest.raises(RateLimitError) as caught:
        await run(fake, asynchronous, retry=RetryPolicy(max_attempts=3))
    assert (caught.value.attempts, caught.value.last_status, caught.value.request_id) == (
        3,
        429,
        "req_9",
    )
    assert sleeps == [1.0, 1.0]


# -- 5xx -----------------------------------------------------------------------------


@SYNC_ASYNC
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_with_plain_text_bodies_are_retried_then_succeed(
    sleeps, asynchronous, status
) -> None:
    fake = FakeModel()
    fake.enqueue_error(status, "upstream connect error or disconnect/reset before headers")
    fake.enqueue(SEED_ANSWER)
    s = await run(fake, asynchronous)
    assert len(sleeps) == 1
    assert len(fake.requests) == 2
    assert len(s.warrants) == 1


@SYNC_ASYNC
async def test_persistent_5xx_exhausts_retries_with_last_status(sleeps, asynchronous) -> None:
    fake = FakeModel()
    for status in (500, 502, 504):
        fake.enqueue_error(status, "bad gateway")
    with pytest.raises(RetriesExhaustedError) as caught:
        await run(fake, asynchronous, retry=RetryPolicy(max_attempts=3))
    assert (caught.value.attempts, caught.value.last_status) == (3, 504)
    assert not isinstance(caught.value, RateLimitError)


# -- connection faults, over real HTTP -------------------------------------------------


def _client(base_url: str, asynchronous: bool, timeout: float = 5.0) -> Any:
    make = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    return make(api_key=KEY, base_url=base_url, timeout=timeout)


@SYNC_ASYNC
async def test_connection_refused_is_retried_then_typed(sleeps, asynchronous) -> None:
    with pytest.raises(RetriesExhaustedError) as caught:
        await run(
            _client("http://127.0.0.1:9/v1", asynchronous),
            asynchronous,
            retry=RetryPolicy(max_attempts=2),
        )
    assert (caught.value.attempts, caught.value.last_status) == (2, None)
    assert len(sleeps) == 1


@SYNC_ASYNC
async def test_connection_reset_mid_response_is_retried_then_succeeds(sleeps, asynchronous) -> None:
    broken = completion(SEED_ANSWER)
    broken.action = "reset"
    with ScriptedServer([broken, completion(SEED_ANSWER)]) as server:
        s = await run(_client(server.base_url, asynchronous), asynchronous)
    assert len(server.requests) == 2
    assert len(s.statements) == 10


@SYNC_ASYNC
async def test_read_timeout_is_retried_then_succeeds(sleeps, asynchronous) -> None:
    slow = completion(SEED_ANSWER)
    slow.action, slow.delay = "hang", 1.0
    with ScriptedServer([slow, completion(SEED_ANSWER)]) as server:
        s = await run(
            _client(server.base_url, asynchronous), asynchronous, retry=RetryPolicy(timeout=0.2)
        )
    assert len(sleeps) == 1
    assert len(s.visits) == 2


@SYNC_ASYNC
async def test_persistent_timeouts_end_in_a_typed_error(sleeps, asynchronous) -> None:
    script = []
    for _ in range(2):
        slow = completion(SEED_ANSWER)
        slow.action, slow.delay = "hang", 0.6
        script.append(slow)
    with ScriptedServer(script) as server, pytest.raises(RetriesExhaustedError) as caught:
        await run(
            _client(server.base_url, asynchronous), asynchronous,
            retry=RetryPolicy(timeout=0.2, max_attempts=2),
        )  # fmt: skip
    assert caught.value.last_status is None
    assert "timed out at http://127.0.0.1" in str(caught.value)


# -- non-retryable 4xx ------------------------------------------------------------------


@SYNC_ASYNC
@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "invalid_request_error"), (401, "invalid_api_key"), (403, "unsupported_country"),
     (404, "model_not_found"), (422, "unprocessable")],
)  # fmt: skip
async def test_client_errors_raise_provider_error_without_retry(
    sleeps, asynchronous, status, code
) -> None:
    fake = FakeModel()
    fake.enqueue_error(
        status,
        {"error": {"message": f"scripted {status}", "code": code}},
        headers={"x-request-id": "req_42"},
    )
    with pytest.raises(ProviderError) as caught:
        await run(fake, asynchronous)
    err = caught.value
    assert (err.status_code, err.code, err.provider_message, err.request_id) == (
        status,
        code,
        f"scripted {status}",
        "req_42",
    )
    assert len(fake.requests) == 1
    assert sleeps == []


# -- 200s that cannot be used ------------------------------------------------------------


@SYNC_ASYNC
async def test_finish_reason_length_is_a_truncation_error_not_a_half_record(asynchronous) -> None:
    fake = FakeModel()
    fake.enqueue('{"headline": null, "summary": "Lavrov met', finish_reason="length")
    with pytest.raises(TruncatedOutputError, match="max_tokens") as caught:
        await run(fake, asynchronous)
    assert len(fake.requests) == 1
    assert caught.value.usage.total_tokens == 150
    assert _chain(caught.value)[-1] is not caught.value  # the chain ends, at instructor's error


def _chain(error: BaseException) -> list[BaseException]:
    """The error's cause/context chain; fails if it loops (tools walking it would hang)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None:
        assert all(current is not seen for seen in chain), f"the chain loops at {current!r}"
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


@SYNC_ASYNC
async def test_refusal_is_a_typed_error_carrying_the_text_and_is_not_reasked(asynchronous) -> None:
    fake = FakeModel()
    fake.enqueue_raw(
        _completion_body(
            {"role": "assistant", "content": None, "refusal": "I can't help with that."}
        )
    )
    with pytest.raises(RefusalError) as caught:
        await run(fake, asynchronous)
    assert caught.value.refusal == "I can't help with that."
    assert len(fake.requests) == 1


@SYNC_ASYNC
async def test_empty_choices_end_in_a_typed_error(asynchronous) -> None:
    fake = FakeModel()
    for _ in range(3):
        fake.enqueue_raw(_completion_body({}, choices=False))
    with pytest.raises(NewsschemaError):
        await run(fake, asynchronous)


@SYNC_ASYNC
async def test_a_200_that_is_not_json_is_a_malformed_response_error(asynchronous) -> None:
    fake = FakeModel()
    fake.enqueue_raw(b"<html>gateway</html>", headers={"content-type": "text/html"})
    with pytest.raises(MalformedResponseError):
        await run(fake, asynchronous)


@SYNC_ASYNC
async def test_forced_tool_call_with_finish_reason_stop_is_read_in_tools_mode(asynchronous) -> None:
    import json

    fake = FakeModel()
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "ArticleDraft", "arguments": json.dumps(SEED_ANSWER)},
    }
    fake.enqueue_raw(
        _completion_body(
            {"role": "assistant", "content": None, "tool_calls": [call]}, finish_reason="stop"
        )
    )
    s = await run(fake, asynchronous, mode="tools")
    assert len(s.meetings) == 6
    assert fake.requests[0]["tool_choice"]["function"]["name"] == "ArticleDraft"


@SYNC_ASYNC
async def test_text_instead_of_the_forced_tool_call_is_reasked_in_tools_mode(asynchronous) -> None:
    import json

    fake = FakeModel()
    fake.enqueue_raw(_completion_body({"role": "assistant", "content": "Lavrov met Wang."}))
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "ArticleDraft", "arguments": json.dumps(SEED_ANSWER)},
    }
    fake.enqueue_raw(_completion_body({"role": "assistant", "content": None, "tool_calls": [call]}))
    s = await run(fake, asynchronous, mode="tools")
    assert len(fake.requests) == 2 and len(s.meetings) == 6
    reask = fake.requests[1]["messages"][-1]["content"]
    assert "No tool calls" in reask


@SYNC_ASYNC
async def test_schema_failure_every_time_stops_at_the_bound_with_summed_usage(asynchronous) -> None:
    fake = FakeModel()
    for _ in range(3):
        fake.enqueue({"headline": None, "summary": "s"})
    with pytest.raises(InvalidAnswerError) as caught:
        await run(fake, asynchronous)
    assert len(caught.value.attempts) == 3
    assert caught.value.usage.total_tokens == 450


# -- budgets --------------------------------------------------------------------------------


@SYNC_ASYNC
async def test_token_budget_stops_before_another_answer(asynchronous) -> None:
    fake = FakeModel()
    for _ in range(3):
        fake.enqueue({"headline": None, "summary": "s"})
    with pytest.raises(BudgetExceededError, match="token budget") as caught:
        await run(fake, asynchronous, token_budget=200)
    assert (caught.value.budget, caught.value.limit) == ("tokens", 200)
    assert len(fake.requests) == 2  # 150 spent, under 200: one more; 300 spent: stop
    assert caught.value.usage.total_tokens == 300


@SYNC_ASYNC
async def test_time_budget_bounds_retries_and_waits(asynchronous) -> None:
    script = []
    for _ in range(5):
        slow = completion(SEED_ANSWER)
        slow.action, slow.delay = "hang", 1.0
        script.append(slow)
    with ScriptedServer(script) as server, pytest.raises(BudgetExceededError) as caught:
        await run(
            _client(server.base_url, asynchronous), asynchronous, time_budget=0.6,
            retry=RetryPolicy(initial_wait=0.05, jitter=0),
        )  # fmt: skip
    assert caught.value.budget == "time"
    assert len(server.requests) <= 3


# -- secrets -----------------------------------------------------------------------------


def test_the_api_key_appears_in_no_error_and_no_log_record(caplog, sleeps) -> None:
    caplog.set_level(logging.DEBUG)
    faults: list[tuple[str, Any]] = [
        (
            "401",
            lambda f: f.enqueue_error(
                401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}
            ),
        ),
        (
            "429",
            lambda f: [f.enqueue_error(429, "", headers={"retry-after": "0"}) for _ in range(5)],
        ),
        ("503", lambda f: [f.enqueue_error(503, "down") for _ in range(5)]),
        ("length", lambda f: f.enqueue("{", finish_reason="length")),
        ("invalid", lambda f: [f.enqueue("not json") for _ in range(3)]),
        ("html", lambda f: f.enqueue_raw(b"<html>", headers={"content-type": "text/html"})),
    ]
    seen: list[str] = []
    for _name, script in faults:
        fake = FakeModel()
        script(fake)
        with pytest.raises(NewsschemaError) as caught:
            summarize(SEED_ARTICLE, client=fake.client(api_key=KEY), model="m")
        chain: list[BaseException] = [caught.value]
        while chain[-1].__cause__ or chain[-1].__context__:
            nxt = chain[-1].__cause__ or chain[-1].__context__
            if nxt is None or nxt in chain:  # exception chains can loop
                break
            chain.append(nxt)
        seen += [f"{e}\n{e!r}\n{vars(e)!r}" for e in chain]
    with pytest.raises(NewsschemaError):
        summarize(SEED_ARTICLE, api_key=KEY, base_url="http://127.0.0.1:9/v1", model="m",
                  retry=RetryPolicy(max_attempts=1))  # fmt: skip
    records = caplog.records
    assert any(r.levelno == logging.DEBUG for r in records)  # DEBUG logging really was on
    text = "\n".join([*seen, caplog.text, *(repr(r.__dict__) for r in records)])
    assert KEY not in text
    assert KEY[8:] not in text
