"""Transport retries: 429/503 retried with the server's wait honoured, 401 not retried."""

from __future__ import annotations

import pytest
from conftest import FAKE_KEY, SCRIPTED_MODEL, SEED_ANSWER, SEED_ARTICLE, scripted_cassette
from scripted_server import completion, error

from newsschema import (
    ProviderError,
    RateLimitError,
    RetriesExhaustedError,
    RetryPolicy,
    asummarize,
    summarize,
)
from newsschema.testing import FakeModel

OK = completion(SEED_ANSWER)


async def _run(client, asynchronous: bool, **kwargs):
    call = asummarize if asynchronous else summarize
    result = call(
        SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL, **kwargs
    )
    return await result if asynchronous else result


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
async def test_429_with_retry_after_waits_as_asked_then_succeeds(sleeps, asynchronous) -> None:
    script = [
        error(429, "Rate limit reached", code="rate_limit_exceeded", headers={"retry-after": "7"}),
        OK,
    ]
    with scripted_cassette("rate_limit_then_ok.json", script, asynchronous=asynchronous) as client:
        s = await _run(client, asynchronous)
    assert sleeps == [7.0]
    assert len(s.warrants) == 1
    assert s.provenance.usage.requests == 1  # the 429 carried no tokens


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
async def test_503_plain_text_is_retried_with_backoff_then_succeeds(sleeps, asynchronous) -> None:
    script = [
        error(503, "upstream connect error or disconnect/reset before headers", json_body=False),
        OK,
    ]
    with scripted_cassette(
        "server_error_then_ok.json", script, asynchronous=asynchronous
    ) as client:
        s = await _run(client, asynchronous, retry=RetryPolicy(initial_wait=2.0, jitter=0.5))
    assert len(sleeps) == 1 and 2.0 <= sleeps[0] <= 2.5
    assert len(s.meetings) == 6


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
async def test_401_raises_provider_error_at_once(sleeps, asynchronous) -> None:
    script = [error(401, "Incorrect API key provided: sk-test-***6789.", code="invalid_api_key")]
    with (
        scripted_cassette("unauthorized.json", script, asynchronous=asynchronous) as client,
        pytest.raises(ProviderError) as caught,
    ):
        await _run(client, asynchronous)
    err = caught.value
    assert (err.status_code, err.code, err.request_id) == (
        401,
        "invalid_api_key",
        "req_scripted_401",
    )
    assert "OPENAI_API_KEY" in str(err)
    assert sleeps == []
    assert FAKE_KEY not in str(err) and FAKE_KEY not in repr(err)


def test_persistent_503_exhausts_the_attempts(sleeps) -> None:
    fake = FakeModel()
    for _ in range(3):
        fake.enqueue_error(503, "upstream connect error")
    with pytest.raises(RetriesExhaustedError) as caught:
        summarize(SEED_ARTICLE, client=fake.client(), model="m", retry=RetryPolicy(max_attempts=3))
    assert (caught.value.attempts, caught.value.last_status) == (3, 503)
    assert len(sleeps) == 2 and fake.pending == 0


def test_persistent_429_is_a_rate_limit_error_and_honours_retry_after_ms(sleeps) -> None:
    fake = FakeModel()
    for _ in range(2):
        fake.enqueue_error(
            429, {"error": {"message": "slow down"}}, headers={"retry-after-ms": "250"}
        )
    with pytest.raises(RateLimitError):
        summarize(SEED_ARTICLE, client=fake.client(), model="m", retry=RetryPolicy(max_attempts=2))
    assert sleeps == [0.25]


def test_retry_after_is_capped_by_max_wait(sleeps) -> None:
    fake = FakeModel()
    fake.enqueue_error(429, "", headers={"retry-after": "3600"})
    fake.enqueue(SEED_ANSWER)
    summarize(SEED_ARTICLE, client=fake.client(), model="m", retry=RetryPolicy(max_wait=30))
    assert sleeps == [30.0]


def test_sdk_retries_are_switched_off(sleeps) -> None:
    """One 500 then success must be exactly two HTTP requests: no SDK retry on top of ours."""
    fake = FakeModel()
    fake.enqueue_error(500, "boom")
    fake.enqueue(SEED_ANSWER)
    summarize(SEED_ARTICLE, client=fake.client(), model="m")
    assert len(fake.requests) == 2 and len(sleeps) == 1


def test_connection_refused_is_retried_then_typed(sleeps) -> None:
    import openai

    client = openai.OpenAI(api_key="k", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(RetriesExhaustedError) as caught:
        summarize(SEED_ARTICLE, client=client, model="m", retry=RetryPolicy(max_attempts=2))
    assert caught.value.attempts == 2 and caught.value.last_status is None
    assert len(sleeps) == 1
