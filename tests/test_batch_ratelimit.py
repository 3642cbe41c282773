"""The client-side rate limiter, on an injected clock: limits per window, spacing, adaptation."""

from __future__ import annotations

import asyncio
import json
import sys
import types

import pytest

from newsschema._batch._ratelimit import (
    RateLimiter,
    estimate_tokens,
    request_tokens,
    server_wait,
    token_counter,
)


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def most_in_any_window(starts: list[float], window: float) -> int:
    return max(sum(1 for t in starts if s <= t < s + window) for s in starts)


@pytest.mark.parametrize("margin", [0.0, 0.02])
async def test_requests_stay_under_rpm_in_every_window_and_reach_it(margin: float) -> None:
    t = FakeTime()
    limiter = RateLimiter(rpm=10, window=60, margin=margin, clock=t.clock, sleep=t.sleep)
    starts: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        starts.append(t.now)

    await asyncio.gather(*(one() for _ in range(45)))
    assert most_in_any_window(starts, 60) <= 10
    # Smooth, not bursty: the rate over the run is the limit (less the margin).
    achieved = (len(starts) - 1) / (starts[-1] - starts[0]) * 60
    assert 0.95 * 10 / (1 + margin) <= achieved <= 10


async def test_an_idle_spell_earns_no_burst_and_late_timers_cost_no_rate() -> None:
    t = FakeTime()
    lateness = iter([0.05, 0.2, 0.4, 0.1] * 40)

    async def late_timer(seconds: float) -> None:
        t.now += seconds + next(lateness)  # timers fire late, by up to most of an interval

    limiter = RateLimiter(rpm=20, window=10, margin=0, clock=t.clock, sleep=late_timer)
    starts = []
    for n in range(90):
        if n == 30:
            t.now += 45.0  # nothing to send for a while
        await limiter.acquire()
        starts.append(t.now)
    assert most_in_any_window(starts, 10) <= 20
    busy = starts[30:]
    assert (len(busy) - 1) / (busy[-1] - busy[0]) * 10 >= 0.9 * 20


async def test_tokens_stay_under_tpm_in_every_window() -> None:
    t = FakeTime()
    limiter = RateLimiter(tpm=1000, window=60, margin=0, clock=t.clock, sleep=t.sleep)
    spent: list[tuple[float, int]] = []
    for size in [300, 500, 200, 400, 100, 300, 600, 250] * 3:
        await limiter.acquire(size)
        spent.append((t.now, size))
    for start, _ in spent:
        assert sum(n for at, n in spent if start <= at < start + 60) <= 1000


async def test_a_request_larger_than_tpm_still_goes_alone() -> None:
    t = FakeTime()
    limiter = RateLimiter(tpm=1000, window=60, clock=t.clock, sleep=t.sleep)
    await limiter.acquire(400)
    await limiter.acquire(5000)  # would never fit: waits for an empty window, then goes
    assert t.now >= 1000.0 + 60


async def test_a_429_pauses_every_request_for_the_servers_wait_and_slows_the_rate() -> None:
    t = FakeTime()
    limiter = RateLimiter(rpm=60, window=60, margin=0, clock=t.clock, sleep=t.sleep)
    await limiter.acquire()
    limiter.observe(429, {"retry-after-ms": "5000"})
    before = t.now
    await limiter.acquire()
    assert t.now - before >= 5.0
    assert limiter.rate_limited == 1
    gap_start = t.now
    await limiter.acquire()
    assert t.now - gap_start == pytest.approx(1 / 0.9)  # spacing widened by 10%


async def test_no_room_left_in_the_headers_pauses_until_a_slot_frees() -> None:
    t = FakeTime()
    limiter = RateLimiter(clock=t.clock, sleep=t.sleep)  # no configured limits
    limiter.observe(
        200,
        {
            "x-ratelimit-limit-requests": "10",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "6s",
        },
    )
    await limiter.acquire()
    assert t.now - 1000.0 == pytest.approx(0.6)  # one of ten slots refills in 6 s / 10
    limiter.observe(
        200, {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "2s"}
    )
    before = t.now
    await limiter.acquire()
    assert t.now - before == pytest.approx(2.0)  # no limit given: wait the whole reset


async def test_room_left_in_the_headers_does_not_pause() -> None:
    t = FakeTime()
    limiter = RateLimiter(clock=t.clock, sleep=t.sleep)
    limiter.observe(
        200, {"x-ratelimit-remaining-requests": "9999", "x-ratelimit-reset-requests": "6ms"}
    )
    await limiter.acquire()
    assert t.now == 1000.0


def test_server_wait_reads_retry_after_ms_then_retry_after_then_resets() -> None:
    assert server_wait({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert server_wait({"retry-after": "3"}) == 3.0
    assert server_wait({"x-ratelimit-reset-requests": "1m0s", "x-ratelimit-reset-tokens": "20ms"})
    assert server_wait({"x-ratelimit-reset-tokens": "1.5s"}) == 1.5
    assert server_wait({}) is None


def test_request_tokens_count_prompt_schema_and_the_answer_allowance() -> None:
    body = {
        "messages": [
            {"role": "system", "content": "x" * 400},
            {"role": "user", "content": "y" * 40},
        ],
        "response_format": {"type": "json_schema"},
    }
    plain = request_tokens(body, estimate_tokens)
    assert plain > 1000 + 100  # the default allowance for the answer, plus the prompt
    with_cap = request_tokens({**body, "max_tokens": 50}, estimate_tokens)
    assert with_cap == pytest.approx(plain - 1000 + 50, abs=5)  # the cap replaces the allowance
    raw = json.dumps(body).encode()
    assert request_tokens(body, estimate_tokens, size=len(raw)) == pytest.approx(plain, rel=0.05)


@pytest.fixture
def fresh_counter() -> object:
    token_counter.cache_clear()
    yield
    token_counter.cache_clear()


def test_token_counter_uses_tiktoken_when_it_loads(
    monkeypatch: pytest.MonkeyPatch, fresh_counter: object
) -> None:
    class Encoding:
        def encode(self, text: str, **_: object) -> list[int]:
            return [0] * len(text.split())

    stub = types.ModuleType("tiktoken")
    stub.encoding_for_model = lambda model: Encoding()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiktoken", stub)
    assert token_counter("gpt-4.1-mini")("three words here") == 3


def test_token_counter_falls_back_to_the_estimate_when_tiktoken_cannot_load_offline(
    monkeypatch: pytest.MonkeyPatch, fresh_counter: object
) -> None:
    def offline(model: str) -> object:
        raise OSError("could not download the encoding")

    stub = types.ModuleType("tiktoken")
    stub.encoding_for_model = offline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiktoken", stub)
    assert token_counter("gpt-4.1-mini") is estimate_tokens


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rpm"):
        RateLimiter(rpm=0)
