"""Re-running a finished job: HTTP calls made, counted by the server.

Usage: python benchmarks/batch_cache.py [N]

Runs N articles once (200 ms latency, concurrency 50, a fresh cache), then:

- the same job with the same output file: resume, every id already there;
- the same job into a new output file: every article from the cache.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from batch_common import MODEL, articles, server, server_stats

from newsschema._batch._run import BatchStats, summarize_many


def main(n: int = 200) -> None:
    rows = articles(n)
    with server(latency=0.2) as url, tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"

        def job(output: str) -> str:
            stats = BatchStats()
            calls = server_stats(url)["completions"]
            start = time.perf_counter()
            for _ in summarize_many(
                rows, base_url=url, model=MODEL, concurrency=50, cache=cache,
                output=Path(tmp) / output, progress=False, stats=stats,
            ):  # fmt: skip
                pass
            calls = server_stats(url)["completions"] - calls
            return (
                f"{calls} HTTP calls, {stats.cached} cached, {stats.skipped} skipped, "
                f"{time.perf_counter() - start:.2f} s"
            )

        print(f"N={n}")
        print(f"first run:                  {job('out.jsonl')}")
        print(f"same output again (resume): {job('out.jsonl')}")
        print(f"new output (cache):         {job('again.jsonl')}")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
