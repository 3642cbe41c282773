"""Measure the bounds newsschema holds against servers that misbehave on purpose.

    python benchmarks/faults.py            # writes benchmarks/FAULTS.md

Each case runs against a raw-socket server on 127.0.0.1 (tests/hostile_server.py),
with the settings of the README's fault table, and reports the wall time until
the typed error (or outcome) came back, and for the gzip bomb the peak memory of
a fresh process beside the same process reading an ordinary answer.
"""

from __future__ import annotations

import asyncio
import json
import platform
import resource
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_server import HostileServer, json_bytes, reply, trickle  # noqa: E402

ARTICLE = (ROOT / "examples" / "seed_article.txt").read_text()
KEY = "sk-bench-0123456789abcdefghij"


def _timed(call: Any) -> tuple[float, str]:
    started = time.monotonic()
    try:
        result = call()
        what = type(result).__name__
    except Exception as exc:  # noqa: BLE001 - the error type is the measurement
        what = type(exc).__name__
    return time.monotonic() - started, what


def trickling() -> list[tuple[str, float, str]]:
    import openai

    from newsschema import RetryPolicy, asummarize, summarize, summarize_many

    policy = RetryPolicy(max_attempts=3, max_time=10, timeout=3)
    rows = []
    with HostileServer(trickle(interval=0.5, limit=300)) as server:
        url = server.base_url
        rows.append(
            ("summarize", *_timed(lambda: summarize(
                ARTICLE, api_key=KEY, base_url=url, model="m", retry=policy, time_budget=5)))
        )  # fmt: skip
        rows.append(
            ("asummarize", *_timed(lambda: asyncio.run(asummarize(
                ARTICLE, api_key=KEY, base_url=url, model="m", retry=policy, time_budget=5))))
        )  # fmt: skip

        def many() -> str:
            outcomes = list(summarize_many(
                [{"id": f"a{i}", "text": ARTICLE} for i in range(3)],
                client=openai.AsyncOpenAI(api_key=KEY, base_url=url), model="m",
                retry=policy, time_budget=5, cache=False, concurrency=3,
            ))  # fmt: skip
            return ", ".join(sorted({o.error.type for o in outcomes if o.error}))

        started = time.monotonic()
        kinds = many()
        rows.append(("summarize_many, 3 articles", time.monotonic() - started, kinds))
    return rows


def retry_after() -> list[tuple[str, list[float], str]]:
    import openai

    from newsschema import summarize_many

    rows = []
    body = json_bytes({"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}})
    for label, value in (
        ("Retry-After: 99999", "99999"),
        ("Retry-After: HTTP date 30 s ahead", formatdate(time.time() + 30, usegmt=True)),
    ):
        with HostileServer(reply(429, body, {"retry-after": value})) as server:
            started = time.monotonic()
            times, kinds = [], set()
            for outcome in summarize_many(
                [{"id": f"a{i}", "text": ARTICLE} for i in range(3)],
                client=openai.AsyncOpenAI(api_key=KEY, base_url=server.base_url),
                model="m", time_budget=5, cache=False, concurrency=1, rpm=600,
            ):  # fmt: skip
                times.append(time.monotonic() - started)
                kinds.add(outcome.error.type if outcome.error else "ok")
        rows.append((label, times, ", ".join(sorted(kinds))))
    return rows


_BOMB_CHILD = """
import sys, time, resource
sys.path.insert(0, sys.argv[1] + "/tests")
from hostile_server import HostileServer, gzip_bomb, reply, json_bytes
from scripted_server import completion_body
import json
from newsschema import summarize
article = open(sys.argv[1] + "/examples/seed_article.txt").read()
answer = json.load(open(sys.argv[1] + "/tests/fixtures/seed_reference_answer.json"))
if sys.argv[2] == "bomb":
    body, headers = gzip_bomb(2048), {"content-encoding": "gzip"}
else:
    body, headers = json_bytes(completion_body(answer)), {}
with HostileServer(reply(200, body, headers)) as server:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        summarize(article, api_key="sk-x-0123456789", base_url=server.base_url, model="m")
        what = "ok"
    except Exception as exc:
        what = type(exc).__name__
    took = time.monotonic() - started
print(len(body), took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, what)
"""


def gzip_bomb_row() -> list[tuple[str, int, float, float, str]]:
    rows = []
    for case in ("ordinary", "bomb"):
        out = subprocess.run(
            [sys.executable, "-c", _BOMB_CHILD, str(ROOT), case],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        size, took, peak_kb, what = int(out[0]), float(out[1]), int(out[2]), out[3]
        rows.append((case, size, took, peak_kb / 1024, what))
    return rows


def main() -> None:
    lines = [
        "# Fault bounds, measured",
        "",
        f"`python benchmarks/faults.py` on {platform.machine()} with {platform.python_version()};"
        " one run, a shared 2-core machine: read the figures as bounds held, not speeds.",
        "",
        "## A body that trickles in (one byte every 0.5 s, content-length 100,000,000)",
        "",
        "`RetryPolicy(max_attempts=3, max_time=10, timeout=3)`, `time_budget=5`:",
        "",
        "| call | returned after | error |",
        "| --- | ---: | --- |",
    ]
    for name, took, what in trickling():
        lines.append(f"| {name} | {took:.2f} s | {what} |")
    lines += [
        "",
        "## A 429 asking for a wait that cannot fit",
        "",
        "`summarize_many`, 3 articles, `time_budget=5`, `concurrency=1`, `rpm=600`:",
        "",
        "| server says | outcomes at | errors |",
        "| --- | --- | --- |",
    ]
    for label, times, kinds in retry_after():
        lines.append(f"| {label} | {', '.join(f'{t:.1f} s' for t in times)} | {kinds} |")
    lines += [
        "",
        "## A gzip bomb (2 GiB of zeros, about 2 MB on the wire)",
        "",
        "A fresh process each; default `RetryPolicy.max_response_bytes` (32 MiB):",
        "",
        "| answer | bytes on the wire | returned after | peak RSS | result |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for case, size, took, peak, what in gzip_bomb_row():
        lines.append(f"| {case} | {size:,} | {took:.2f} s | {peak:.0f} MiB | {what} |")
    lines.append("")
    text = "\n".join(lines)
    (ROOT / "benchmarks" / "FAULTS.md").write_text(text)
    print(text)
    json.dumps(text)  # keep json imported for readers extending this script


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
