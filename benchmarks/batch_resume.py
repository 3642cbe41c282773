"""Crash and resume: kill -9 a running batch at a random moment, run it again, check the output.

Usage: python benchmarks/batch_resume.py [TRIALS] [N] [SEED]

Each trial starts ``run_batch_cli`` (what ``newsschema batch`` runs) in a child
process over N articles against the scripted server (200 ms latency,
concurrency 20, no cache), sends it SIGKILL at a random moment while it works
(once the output holds a random number of lines between 10% and 90% of N, so the
kill always lands mid-run), then runs the same command again to the end.
Checked: every id exactly once, every line whole JSON. Reported: lines written
before the kill, whether the kill tore a line, and the requests made twice
(articles in flight at the kill).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_common import MODEL, ROOT, articles, server, server_stats, write_jsonl

CHILD = """
import sys
from newsschema.cli._batch import run_batch_cli
sys.exit(run_batch_cli([sys.argv[1]], output=sys.argv[2], base_url=sys.argv[3], model=sys.argv[4],
                       cache=False, concurrency=20, progress=False))
"""


def batch(rows: Path, out: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(rows), str(out), url, MODEL],
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def main(trials: int = 5, n: int = 300, seed: int = 1) -> None:
    rng = random.Random(seed)
    print(f"{trials} trials, N={n}, seed {seed}")
    with server(latency=0.2) as url, tempfile.TemporaryDirectory() as tmp:
        rows = write_jsonl(articles(n), Path(tmp) / "articles.jsonl")
        for trial in range(1, trials + 1):
            out = Path(tmp) / f"out-{trial}.jsonl"
            before = server_stats(url)["completions"]
            target = rng.randint(n // 10, n * 9 // 10)
            child = batch(rows, out, url)
            started = time.monotonic()
            while _lines(out) < target and child.poll() is None:
                time.sleep(0.005)
            wait = time.monotonic() - started
            assert child.poll() is None, "the run ended before the kill"
            child.send_signal(signal.SIGKILL)
            child.wait()
            data = out.read_bytes() if out.exists() else b""
            written = data.count(b"\n")
            torn = bool(data) and not data.endswith(b"\n")
            code = batch(rows, out, url).wait()
            made = server_stats(url)["completions"] - before
            ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
            once = len(ids) == len(set(ids)) == n
            print(
                f"trial {trial}: killed after {wait:.1f} s with {written} lines written"
                f"{' and a torn line' if torn else ''}; re-run exit {code}; "
                f"every id exactly once: {once}; requests made twice: {made - n}"
            )
            assert once
            assert code == 0


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
