"""Library CPU per article, network excluded, against a bare SDK call of the same response.

Usage: python benchmarks/batch_cpu.py [N] [ROUNDS]

Every call is answered in process by ``FakeModel`` (the real SDK, no sockets;
requests not decoded, that being the server's work), so ``time.process_time``
measures only CPU. Rows, per article:

- bare: ``chat.completions.create`` with the same messages and the same strict
  ``response_format`` (in ``extra_body``, as the library sends it) +
  ``ArticleDraft.model_validate_json`` of the answer: what a caller doing
  structured output by hand pays
- bare, no schema: the same call without ``response_format``
- summarize: the library's per-article flow (instructor, validation, grounding,
  actors, merging), in a plain loop
- summarize, no enrichment: the same with ``_enrich`` (spans, times, actors,
  merging into final records) replaced by nothing, to show what the rest costs
- asummarize: the same, async
- summarize_many: N articles through the many-article core (rate-limit hooks,
  worker pool, outcomes), no cache, no output file
- summarize_many + files: with a JSON Lines output and the SQLite cache written

Beside each row: the CPU the garbage collector spent during it (timed with
``gc.callbacks``), part of the row's figure.

Each round runs every row once, in turn, so that the machine's noise falls on
all rows alike; the figure per row is its median over ROUNDS rounds (default 5).

Two answers: a small synthetic article (one grounded statement) and the seed
article with its reference extraction (19 events, 26 quotes).
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from batch_common import MODEL, ROOT, article

sys.path.insert(0, str(ROOT / "tests"))
from batch_server import small_answer


class _CollectorTime:
    """CPU seconds spent in garbage collections, from ``gc.callbacks``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started


def cpu_per_call(
    n: int, setup: Callable[[], Any], body: Callable[[Any], None]
) -> tuple[float, float]:
    """CPU seconds per call, and the collector's share of them."""
    state = setup()
    body(state)  # warm-up, not timed
    state = setup()
    gc.collect()
    collector = _CollectorTime()
    gc.callbacks.append(collector)
    try:
        start = time.process_time()
        body(state)
        return (time.process_time() - start) / n, collector.seconds / n
    finally:
        gc.callbacks.remove(collector)


def measure(
    n: int, rounds: int, text: str, answer: dict[str, Any]
) -> dict[str, tuple[float, float]]:
    from newsschema import asummarize, strict_json_schema, summarize
    from newsschema._batch._run import summarize_many
    from newsschema._extraction._prompts import render_messages
    from newsschema._records import article_draft

    ArticleDraft = article_draft()
    from newsschema.testing import FakeModel

    def fake(count: int = n) -> FakeModel:
        # Decoding the requests would be the server's work, not the client's.
        model = FakeModel(keep_requests=False)
        for _ in range(count):
            model.enqueue(answer)
        return model

    messages = render_messages(text, None)
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": "ArticleDraft", "schema": strict_json_schema(), "strict": True},
    }

    def bare(model: FakeModel, structured: bool = True) -> None:
        client = model.client()
        extra = {"extra_body": {"response_format": response_format}} if structured else {}
        for _ in range(n):
            completion = client.chat.completions.create(model=MODEL, messages=messages, **extra)
            ArticleDraft.model_validate_json(completion.choices[0].message.content)

    def plain(model: FakeModel) -> None:
        client = model.client()
        for _ in range(n):
            summarize(text, client=client, model=MODEL)

    def plain_unenriched(model: FakeModel) -> None:
        """``summarize`` with the enrichment replaced by nothing (benchmark only)."""
        import newsschema._extraction._summarize as flow

        enrich = flow._enrich
        flow._enrich = lambda *_: ({kind: [] for kind in flow._RECORDS}, [])  # type: ignore[assignment]
        try:
            plain(model)
        finally:
            flow._enrich = enrich  # type: ignore[assignment]

    def plain_async(model: FakeModel) -> None:
        async def go() -> None:
            client = model.async_client()
            for _ in range(n):
                await asummarize(text, client=client, model=MODEL)

        asyncio.run(go())

    rows = [{"id": str(i), "text": text} for i in range(n)]

    def many(model: FakeModel, **kwargs: Any) -> None:
        outcomes = list(
            summarize_many(rows, client=model.async_client(), model=MODEL, concurrency=50,
                           progress=False, **kwargs)
        )  # fmt: skip
        assert all(o.ok for o in outcomes)

    def many_files(model: FakeModel) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            many(model, cache=Path(tmp) / "cache", output=Path(tmp) / "out.jsonl")

    runs: dict[str, Callable[[FakeModel], None]] = {
        "bare": bare,
        "bare, no schema": lambda m: bare(m, structured=False),
        "summarize": plain,
        "summarize, no enrichment": plain_unenriched,
        "asummarize": plain_async,
        "summarize_many": lambda m: many(m, cache=False),
        "summarize_many + files": many_files,
    }
    samples: dict[str, list[tuple[float, float]]] = {row: [] for row in runs}
    for _ in range(rounds):
        for row, body in runs.items():
            samples[row].append(cpu_per_call(n, fake, body))
    return {
        row: (
            statistics.median(cpu for cpu, _ in values),
            statistics.median(collector for _, collector in values),
        )
        for row, values in samples.items()
    }


def main(n: int = 300, rounds: int = 5) -> None:
    synthetic = article(0)["text"]
    seed = (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")
    fixture = ROOT / "tests" / "fixtures" / "seed_reference_answer.json"
    seed_answer = json.loads(fixture.read_text(encoding="utf-8"))
    for name, text, answer in (
        ("synthetic article, 1 statement", synthetic, small_answer(synthetic)),
        ("seed article, 19 events", seed, seed_answer),
    ):
        times = measure(n, rounds, text, answer)
        bare = times["bare"][0]
        print(
            f"{name} (N={n}, median of {rounds} rounds; ms of CPU per article; ratio to bare; "
            "of which garbage collection)"
        )
        for row, (seconds, collector) in times.items():
            print(
                f"  {row:24} {seconds * 1000:7.2f} ms  {seconds / bare:5.1f}x"
                f"  gc {collector * 1000:5.2f} ms"
            )
        layer = times["summarize_many"][0] / times["asummarize"][0]
        print(f"  many-article layer alone: summarize_many / asummarize = {layer:.2f}x")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
