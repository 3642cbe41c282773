"""The review page for many articles: its size, what the browser lays out, and how long it takes.

Run from the repository root: ``python benchmarks/report_size.py [N ...]`` (default
400); the figures are in ``REPORT.md``. The articles are the seed article's reference
extraction (``cassettes/seed_reference.json``, replayed: no model) N times, each copy
under its own id with its dates moved on by three days, so the timeline spreads.

For each N it prints the page's bytes, the bytes outside ``<template>`` elements
(what the browser parses into the live page and lays out at load), and, when
Chromium and playwright are installed, the time to load the page, the number of
elements in the live page, and the time to open one article from the index.
Run it against an older checkout to compare:
``PYTHONPATH=/path/to/old/checkout python benchmarks/report_size.py``.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from newsschema import ArticleSummary, render_report, summarize
from newsschema.testing import replay_client

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")


def seed_summary() -> ArticleSummary:
    client = replay_client(ROOT / "cassettes" / "seed_reference.json")
    return summarize(
        SEED, published="2023-09-18", client=client, model="newsschema-scripted-reference"
    )


def _moved(record: Any, days: int) -> Any:
    when = record.when
    if when is None or when.start is None or when.end is None:
        return record
    shift = timedelta(days=days)
    return record.model_copy(
        update={
            "when": when.model_copy(update={"start": when.start + shift, "end": when.end + shift})
        }
    )


def many(summary: ArticleSummary, n: int) -> list[tuple[str, str, ArticleSummary]]:
    items = []
    for i in range(n):
        days = 3 * i
        events = [_moved(r, days) for r in summary.events]
        copy = summary.model_copy(
            update={
                "events": events,
                "published": summary.published + timedelta(days=days)
                if summary.published
                else None,
            }
        )
        items.append((f"seed-{i:03d}", SEED, copy))
    return items


def live_bytes(html: str) -> int:
    return len(re.sub(r"<template\b.*?</template>", "", html, flags=re.DOTALL).encode())


def browser_figures(path: Path) -> dict[str, float] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(null)))")
        loaded = time.perf_counter() - started
        elements = page.evaluate("document.getElementsByTagName('*').length")
        opened = float("nan")
        if page.query_selector("#index-events tr[data-open]"):
            started = time.perf_counter()
            page.click("#index-events tr[data-open] >> nth=0")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(null)))")
            opened = time.perf_counter() - started
        browser.close()
    return {"load_s": loaded, "elements": elements, "open_s": opened}


def main(sizes: list[int]) -> None:
    summary = seed_summary()
    columns = ["articles", "records", "page bytes", "bytes outside templates", "load (s)"]
    columns += ["live elements", "open one article (s)"]
    print("| " + " | ".join(columns) + " |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        items = many(summary, n)
        html = render_report(items)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.html"
            path.write_text(html, encoding="utf-8")
            figures = browser_figures(path)
        b = figures or {"load_s": float("nan"), "elements": float("nan"), "open_s": float("nan")}
        print(
            f"| {n} | {n * len(summary.events):,} | {len(html.encode()):,} | {live_bytes(html):,} "
            f"| {b['load_s']:.2f} | {b['elements']:,.0f} | {b['open_s']:.3f} |"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [400])
