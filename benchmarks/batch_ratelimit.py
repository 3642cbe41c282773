"""Rate limits: a server allowing R requests per W seconds, 429 beyond; nothing may be lost.

Usage: python benchmarks/batch_ratelimit.py [N] [R] [W] [CONCURRENCY]

The window is short (default 40 requests per 10 s, i.e. 240 a minute) so the
run takes seconds, not minutes; the client is told the same limit per minute
(``rpm = R * 60 / W``). Two runs:

- limit given: ``rpm`` set, so requests are spaced under the limit;
- no limit given: the client only adapts to the server's 429s and
  ``x-ratelimit-*`` headers.

Reported per run: articles lost (not summarised: must be 0), achieved rate /
R (requests the server accepted per W seconds over the run), and 429s.
"""

from __future__ import annotations

import sys
import time

from batch_common import MODEL, articles, server, server_stats

from newsschema import RetryPolicy
from newsschema._batch._run import BatchStats, summarize_many


def one_run(n: int, r: int, w: float, concurrency: int, *, rpm: float | None) -> None:
    rows = articles(n)
    with server(latency=0.05, limit=f"{r}/{w}") as url:
        stats = BatchStats()
        start = time.perf_counter()
        outcomes = list(
            summarize_many(
                rows, base_url=url, model=MODEL, concurrency=concurrency, rpm=rpm, cache=False,
                progress=False, stats=stats,
                # Long enough to ride out the 429s when no limit is given.
                retry=RetryPolicy(max_attempts=30, max_time=600, initial_wait=0.5, max_wait=10),
            )
        )  # fmt: skip
        wall = time.perf_counter() - start
        served = server_stats(url)
    lost = n - sum(o.ok for o in outcomes)
    achieved = served["completions"] / wall * w
    label = f"rpm={rpm:g}" if rpm else "no limit given"
    print(
        f"{label:>16}: lost {lost}, achieved {achieved:.1f} per {w:g} s = {achieved / r:.2f} R, "
        f"429s {served['rejected']} (client saw {stats.rate_limited}), wall {wall:.1f} s"
    )


def main(n: int = 200, r: int = 40, w: float = 10.0, concurrency: int = 50) -> None:
    print(f"N={n}, server allows R={r} requests per {w:g} s, concurrency {concurrency}")
    one_run(n, r, w, concurrency, rpm=r * 60 / w)
    one_run(n, r, w, concurrency, rpm=None)


if __name__ == "__main__":
    main(*[float(a) if "." in a else int(a) for a in sys.argv[1:]])  # type: ignore[arg-type]
