"""Throughput of summarize_many against a server with a fixed latency, beside a plain loop.

Usage: python benchmarks/batch_throughput.py [N] [CONCURRENCY] [LATENCY] [N_SEQUENTIAL]

Efficiency = (N x latency / concurrency) / measured wall time: 1.0 means the
run took no longer than the server's latency makes unavoidable. The plain loop
calls ``summarize`` once per article on fewer articles; the ratio compares time
per article. Client CPU per article is the process CPU time of the concurrent
run divided by N: when it approaches latency / concurrency, the client, not the
server, sets the pace. The same run is repeated with the per-article flow
replaced by one raw SDK call (the library's request: same messages, same
schema) and a fixed summary ("machinery only"): the efficiency of the worker
pool, rate-limit hooks, sinks and SDK alone; and the same request bodies are
sent by a bare httpx2 client: the pace of the server and machine themselves.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from batch_common import MODEL, articles, server, server_stats

from newsschema import summarize
from newsschema._batch._run import BatchStats, summarize_many


def library_request(text: str) -> dict[str, Any]:
    """The keyword arguments of the request the library sends for ``text`` (first attempt)."""
    from newsschema import RetryPolicy
    from newsschema._extraction._calls import CallSettings
    from newsschema._extraction._prompts import render_messages

    settings = CallSettings(
        client=None, model=MODEL, mode="json_schema", article=text, retry=RetryPolicy(),
        temperature=0.0,
    )  # fmt: skip
    return settings.request(render_messages(text, None))


def machinery_only(rows: list[dict[str, str]], url: str, concurrency: int) -> tuple[float, float]:
    """Wall and CPU seconds of a run whose per-article flow is one raw request."""
    import newsschema._extraction._summarize as flow
    from newsschema.testing import FakeModel

    fake = FakeModel()
    fake.enqueue({"headline": None, "summary": "s", "meetings": [], "statements": [],
                  "visits": [], "warrants": []})  # fmt: skip
    fixed = summarize("s", client=fake.client(), model=MODEL)

    async def raw_flow(text: str, *, client: Any, **_: object) -> object:
        """The library's request through the same client; a summary made ahead of time."""
        await client.chat.completions.create(**library_request(text))
        return fixed

    real = flow.asummarize
    flow.asummarize = raw_flow  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cpu, wall = time.process_time(), time.perf_counter()
            outcomes = list(
                summarize_many(
                    rows, base_url=url, model=MODEL, concurrency=concurrency, cache=False,
                    output=Path(tmp) / "out.jsonl", progress=False,
                )
            )  # fmt: skip
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        flow.asummarize = real
    assert all(o.ok for o in outcomes)
    return wall, cpu


def floor(rows: list[dict[str, str]], url: str, concurrency: int) -> float:
    """Wall seconds for the same requests from a bare httpx2 client: the server's own pace."""
    import asyncio
    import json

    import httpx2

    async def go() -> None:
        gate = asyncio.Semaphore(concurrency)
        async with httpx2.AsyncClient(timeout=60) as http:

            async def one(text: str) -> None:
                async with gate:
                    body = library_request(text)
                    body.update(body.pop("extra_body"))  # as the SDK merges it
                    del body["timeout"]
                    response = await http.post(url + "/chat/completions", content=json.dumps(body))
                    response.raise_for_status()

            await asyncio.gather(*(one(r["text"]) for r in rows))

    start = time.perf_counter()
    asyncio.run(go())
    return time.perf_counter() - start


def main(n: int = 500, concurrency: int = 50, latency: float = 0.2, n_seq: int = 25) -> None:
    import openai

    rows = articles(n)
    with server(latency=latency) as url, tempfile.TemporaryDirectory() as tmp:
        # Warm-up: imports, prompt templates, schema, connection set-up.
        list(summarize_many(rows[:2], base_url=url, model=MODEL, cache=False, progress=False))
        stats = BatchStats()
        before = server_stats(url)["completions"]
        cpu, wall = time.process_time(), time.perf_counter()
        outcomes = list(
            summarize_many(
                rows, base_url=url, model=MODEL, concurrency=concurrency, cache=False,
                output=Path(tmp) / "out.jsonl", progress=False, stats=stats,
            )
        )  # fmt: skip
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        served = server_stats(url)["completions"] - before
        assert len(outcomes) == n
        assert all(o.ok for o in outcomes), stats.failures

        bare_wall, bare_cpu = machinery_only(rows, url, concurrency)
        floor_wall = floor(rows, url, concurrency)
        client = openai.OpenAI(base_url=url, api_key="unused")
        seq = time.perf_counter()
        for row in rows[:n_seq]:
            summarize(row["text"], client=client, model=MODEL)
        seq = (time.perf_counter() - seq) / n_seq

    ideal = n * latency / concurrency
    per_article = wall / n
    print(f"N={n} concurrency={concurrency} latency={latency}s requests served={served}")
    print(f"concurrent: {wall:.2f} s wall, ideal {ideal:.2f} s -> efficiency {ideal / wall:.2f}")
    print(f"client CPU {cpu / n * 1000:.1f} ms/article (busy {cpu / wall:.0%} of the wall time)")
    print(
        f"machinery only: {bare_wall:.2f} s wall -> efficiency {ideal / bare_wall:.2f}, "
        f"client CPU {bare_cpu / n * 1000:.1f} ms/article"
    )
    floor_eff = ideal / floor_wall
    print(f"bare httpx2 client, same requests: {floor_wall:.2f} s -> efficiency {floor_eff:.2f}")
    print(f"sequential summarize loop: {seq * 1000:.0f} ms/article over {n_seq} articles")
    print(f"per-article time, sequential / concurrent: {seq / per_article:.1f}x")


if __name__ == "__main__":
    main(*[float(a) if "." in a else int(a) for a in sys.argv[1:]])  # type: ignore[arg-type]
