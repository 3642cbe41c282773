"""Linking records across articles: time, peak memory and scaling, with precision on known truth.

Run from the repository root: ``python benchmarks/linking.py``; the figures are in
``LINKING.md``.

Usage: python benchmarks/linking.py [N ...]      (default: 10000 100000 records)

Records are synthesised from the gold set's meetings (``benchmarks/gold``): each
synthetic real event takes a gold meeting's participants and place, swaps in
people made from the gold names' words (so there are thousands of distinct
people, and common surnames), and a day in 2015-2025; it is then reported by one
to four articles, each naming the participants its own way ("Putin", "Vladimir
Putin", "President Vladimir Putin"), some with the time unresolved, some a day
later as "planned" first. Every size runs in this one process, so the ratio of
the times (10k -> 100k) is what the scaling figure means: 10.0 is linear. The
people grow with the records (one surname per 25 records), the 11 years do not,
so a bigger set is also denser in time.

Time is one run of ``link_events``; memory a second run's ``tracemalloc`` peak
(what linking allocates, not the input). Beside them, the pairwise
precision and recall of the clusters against the synthetic truth.
"""

from __future__ import annotations

import json
import random
import sys
import time
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from newsschema import (
    Actor,
    ArticleSummary,
    Evidence,
    Meeting,
    Place,
    Provenance,
    Usage,
    When,
    link_events,
)

GOLD = Path(__file__).parent / "gold"
PROVENANCE = Provenance(
    model="synthetic", mode="json", prompt_version="x", schema_version="x",
    library_version="0", validation_attempts=1, usage=Usage(), duration_seconds=0.0,
    created_at=datetime(2026, 1, 1, tzinfo=UTC), event_types=["meeting"],
)  # fmt: skip
TITLES = ("President", "Prime Minister", "Foreign Minister", "Chancellor", "Minister")


def _templates() -> tuple[list[dict[str, Any]], list[str], list[str]]:
    meetings, first, last = [], set(), set()
    for file in sorted(GOLD.glob("*.json")):
        for meeting in json.loads(file.read_text(encoding="utf-8")).get("meetings", []):
            meetings.append(meeting)
            for name in meeting["participants"]:
                words = name.split(" | ")[0].split()
                if len(words) >= 2 and words[0][0].isupper():
                    first.add(words[0])
                    last.add(words[-1])
    return meetings, sorted(first), sorted(last)


def _when(day: date | None, expression: str) -> When:
    if day is None:
        return When(expression=expression)
    return When(
        expression=expression, value=day.isoformat(), start=day, end=day,
        granularity="day", resolution="relative",
    )  # fmt: skip


def synthesise(n: int, seed: int = 7) -> tuple[list[tuple[str, ArticleSummary]], dict[str, int]]:
    """About ``n`` records in one-record articles, and each article's true event."""
    rng = random.Random(seed)
    meetings, first, given_last = _templates()
    # More articles, more people: surnames made from the gold ones, about one per 25
    # records ("Lavrov", "Lavrovenko", "Lavrovski" ...), so names still repeat a lot.
    endings = ["", "enko", "ski", "son", "ez", "ov", "escu", "ian", "i", "er", "a", "ström"]
    last = [
        f"{name}{ending}" if round_ == 0 else f"{name}{ending}-{round_}"
        for round_ in range(max(1, n // (25 * len(endings) * len(given_last))))
        for name in given_last
        for ending in endings
    ][: max(len(given_last), n // 25)]
    countries = ["RUS", "CHN", "USA", "FRA", "DEU", "IND", "BRA", "TUR", "UKR", "JPN"]
    results: list[tuple[str, ArticleSummary]] = []
    truth: dict[str, int] = {}
    event = 0
    while len(results) < n:
        template = rng.choice(meetings)
        size = max(2, min(4, len(template["participants"])))
        people = [(rng.choice(first), rng.choice(last), rng.choice(countries)) for _ in range(size)]
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        place = template.get("place") or rng.choice(["Moscow", "Beijing", "Geneva", "Paris"])
        for report in range(rng.choice((1, 1, 2, 3, 4))):
            actors = []
            for given, family, code in people:
                style = rng.random()
                name = (
                    family if style < 0.3
                    else f"{rng.choice(TITLES)} {given} {family}" if style < 0.5
                    else f"{given} {family}"
                )  # fmt: skip
                actors.append(
                    Actor(
                        name=name,
                        title=None,
                        organisation=None,
                        country=None,
                        kind="person",
                        country_code=code,
                    )
                )
            planned = report == 0 and rng.random() < 0.1
            published = day - timedelta(days=3) if planned else day + timedelta(days=report)
            unresolved = rng.random() < 0.1
            record = Meeting(
                participants=actors,
                place=Place(name=place, country=None, kind="city") if rng.random() < 0.7 else None,
                format="in_person", topics=[], outcomes=[],
                status="planned" if planned else "occurred",
                when=_when(None if unresolved else day, "recently" if unresolved else "on Monday"),
                evidence=[Evidence(quote=template["evidence"][0])],
            )  # fmt: skip
            article = f"a{len(results)}"
            results.append((article, ArticleSummary(
                headline=f"Meeting {event}", summary="s", published=published,
                published_source="caller", events=[record], actors=[], provenance=PROVENANCE,
            )))  # fmt: skip
            truth[article] = event
        event += 1
    return results, truth


def _pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {pair for g in groups for pair in combinations(sorted(g), 2)}


def run(n: int) -> dict[str, Any]:
    """Link ``n`` synthetic records; time, peak memory, pairwise precision and recall."""
    results, truth = synthesise(n)
    started = time.perf_counter()
    clusters = link_events(results)
    seconds = time.perf_counter() - started
    del clusters
    tracemalloc.start()  # a second run for memory: tracing slows it down
    clusters = link_events(results)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    found = _pairs([[m.article_id for m in c.mentions] for c in clusters])
    by_event: dict[int, list[str]] = {}
    for article, number in truth.items():
        by_event.setdefault(number, []).append(article)
    true = _pairs(list(by_event.values()))
    right = len(found & true)
    return {
        "records": len(results),
        "events": len(by_event),
        "clusters": len(clusters),
        "seconds": seconds,
        "peak_mb": peak / 1e6,
        "precision": right / len(found) if found else 1.0,
        "recall": right / len(true) if true else 1.0,
        "rules": Counter(k.rule for c in clusters for k in c.links),
    }


def main(sizes: list[int]) -> None:
    rows = [run(n) for n in sizes]
    print("| records | true events | clusters | seconds | peak MB | pair precision | pair recall |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['records']:,} | {r['events']:,} | {r['clusters']:,} | {r['seconds']:.1f} "
            f"| {r['peak_mb']:.0f} | {r['precision']:.4f} | {r['recall']:.4f} |"
        )
    for r in rows:
        print(f"rules at {r['records']:,}: {dict(r['rules'])}")
    if len(rows) >= 2:
        small, big = rows[0], rows[-1]
        print(
            f"scaling {small['records']:,} -> {big['records']:,} records "
            f"(x{big['records'] / small['records']:.0f}): "
            f"time x{big['seconds'] / small['seconds']:.1f}, "
            f"peak memory x{big['peak_mb'] / small['peak_mb']:.1f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
