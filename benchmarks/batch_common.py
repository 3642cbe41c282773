"""Shared pieces of the batch_*.py benchmarks: synthetic articles and the scripted server process.

The server is tests/batch_server.py, started in a process of its own so that its
work does not compete with the client's for the interpreter lock.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODEL = "newsschema-scripted-batch"

_PEOPLE = ["Anna Berg", "Lars Holm", "Eva Lind", "Omar Haddad", "Mara Costa", "Jonas Vik"]
_CITIES = ["Oslo", "Helsinki", "Lisbon", "Tallinn", "Vienna", "Dublin"]
_FILLER = [
    "Officials said the talks covered trade, energy and security in the region.",
    "The ministry released a short statement after the meeting ended.",
    "Both sides described the discussions as constructive and frank.",
    "Analysts said the visit signalled a warming of relations after a difficult year.",
    "A spokesperson declined to give details of any agreement reached.",
    "Opposition lawmakers criticised the government for the timing of the trip.",
    "Further meetings are expected before the end of the year, diplomats said.",
    "The delegation also visited a port and a research centre.",
]


def article(i: int) -> dict[str, str]:
    """A synthetic news article of about 2,000 characters, its first sentence unique."""
    rng = random.Random(i)
    a, b = rng.sample(_PEOPLE, 2)
    city = rng.choice(_CITIES)
    lead = f"Foreign Minister {a} met {b} in {city} on Monday, report number {i} said."
    body = " ".join(rng.choice(_FILLER) for _ in range(24))
    return {"id": f"art-{i:05d}", "text": f"{lead} {body}"}


def articles(n: int) -> list[dict[str, str]]:
    return [article(i) for i in range(n)]


def write_jsonl(rows: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@contextmanager
def server(latency: float = 0.0, limit: str | None = None) -> Iterator[str]:
    """The scripted server in its own process; yields its base URL."""
    command = [sys.executable, str(ROOT / "tests" / "batch_server.py"), "--latency", str(latency)]
    if limit:
        command += ["--limit", limit]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        yield url
    finally:
        process.kill()
        process.wait()


def server_stats(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "/_stats") as response:
        data: dict[str, Any] = json.loads(response.read())
        return data
