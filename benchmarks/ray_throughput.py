"""newsschema.ray on a local Ray: the cluster-wide rate limit, and throughput beside one process.

Usage: python benchmarks/ray_throughput.py [N_RATE] [R] [W] [N_THROUGHPUT] [LATENCY]

Needs ``pip install -e '.[dev,ray]'``. Ray starts locally with 2 CPUs; the scripted
server (tests/batch_server.py) runs in a process of its own. Every Ray run goes
through ``examples/ray_corpus.py`` (``run``: summarize_dataset, then Ray's JSON
writer), and its written output is read back: rows, distinct ids, failures.

1. Rate limit: the server answers 429 to any request beyond R in the last W
   seconds (default 50 per 5 s). Four Summarizer actors share one limiter actor
   given ``rpm=R, window=W``. Achieved rate = accepted requests over the span
   from the first to the last accepted one, per W, as a fraction of R (the
   actors' start-up is outside that span); 429s as the server counted them.
   For contrast, the same four actors with no limit given, each adapting to 429s
   and ``x-ratelimit-*`` headers on its own.
2. Throughput: the server answers after LATENCY seconds (default 0.2), no limit.
   ``summarize_many`` in this process at concurrency 64, then Ray with 4 actors x
   16 in flight and 2 x 32 (64 as well), on the same N articles; the ratio, measured in
   this one run, over the wall time (Ray's includes starting its actors) and
   over the server's span (first to last answered request: the steady pace).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from batch_common import MODEL, ROOT, articles, server, server_stats

sys.path.insert(0, str(ROOT / "examples"))

import ray
import ray.data
import ray_corpus

from newsschema import RetryPolicy, summarize_many

ACTORS = 4
PATIENT = RetryPolicy(max_attempts=30, max_time=600, initial_wait=0.5, max_wait=10)


def ray_run(
    rows: list[dict[str, str]], url: str, out: Path, actors: int = ACTORS, **options: Any
) -> ray_corpus.Report:
    return ray_corpus.run(
        ray.data.from_items(rows), str(out), model=MODEL, base_url=url, actors=actors,
        batch_size=25, **options,
    )  # fmt: skip


def span_rate(served: dict[str, Any]) -> float:
    """Accepted requests per second between the first and the last accepted one."""
    span = served["last_accepted"] - served["first_accepted"]
    return (served["completions"] - 1) / span if span > 0 else 0.0


def rate_limit(n: int, r: int, w: float, tmp: Path) -> None:
    print(f"1. rate limit: N={n}, the server allows R={r} requests per {w:g} s, {ACTORS} actors")
    rows = articles(n)
    runs: list[tuple[str, dict[str, Any]]] = [
        (f"shared limiter rpm={r}/{w:g} s", {"rpm": r, "window": w}),
        ("no limit given", {"retry": PATIENT}),
    ]
    for label, options in runs:
        with server(latency=0.05, limit=f"{r}/{w}") as url:
            report = ray_run(rows, url, tmp / label.split()[0], concurrency=16, **options)
            served = server_stats(url)
        achieved = span_rate(served) * w
        lost = n - report.ok
        print(
            f"{label:>30}: rows {report.rows}, ids {report.unique_ids}, lost {lost}, "
            f"achieved {achieved:.1f} per {w:g} s = {achieved / r:.3f} R, "
            f"429s {served['rejected']}, wall {report.seconds:.1f} s"
        )


def throughput(n: int, latency: float, tmp: Path) -> None:
    print(f"2. throughput: N={n}, latency {latency:g} s, 64 in flight either way")
    rows = articles(n)
    with server(latency=latency) as url:
        start = time.perf_counter()
        outcomes = list(
            summarize_many(
                rows, base_url=url, model=MODEL, concurrency=64, cache=False, progress=False
            )
        )
        one_wall = time.perf_counter() - start
        one_span = span_rate(server_stats(url))
    assert all(o.ok for o in outcomes)
    one = n / one_wall
    print(f"  summarize_many, one process: {one:6.1f} articles/s (wall {one_wall:5.1f} s), "
          f"steady {one_span:6.1f}/s")  # fmt: skip
    for actors in (ACTORS, 2):
        with server(latency=latency) as url:
            report = ray_run(
                rows, url, tmp / f"throughput-{actors}", actors=actors, concurrency=64 // actors
            )
            ray_span = span_rate(server_stats(url))
        assert report.ok == report.unique_ids == n, report
        label = f"Ray, {actors} actors x {64 // actors}:"
        print(f"  {label:<28} {report.per_second:6.1f} articles/s "
              f"(wall {report.seconds:5.1f} s), steady {ray_span:6.1f}/s; "
              f"Ray / one process: {report.per_second / one:.2f} over the wall, "
              f"{ray_span / one_span:.2f} steady")  # fmt: skip


def main(
    n_rate: int = 300, r: int = 50, w: float = 5.0, n_throughput: int = 1000, latency: float = 0.2
) -> None:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rate_limit(n_rate, r, w, Path(tmp))
            throughput(n_throughput, latency, Path(tmp))
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main(*[float(a) if "." in a else int(a) for a in sys.argv[1:]])  # type: ignore[arg-type]
