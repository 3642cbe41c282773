"""Summarise a corpus on Ray Data with newsschema.ray, and write the results with Ray's writers.

Needs ``pip install 'newsschema[ray]'``. The input is JSON Lines or Parquet (files or
folders, as Ray reads them) with one article a row: ``id`` (unique), ``text``, and
optionally ``published``, ``url``, ``title``; or ``--synthetic N`` made-up articles.
The model is any OpenAI-compatible endpoint: OpenAI, a vLLM server or fleet behind one
URL, or the repository's loopback test server, which answers from the article itself:

    python tests/batch_server.py --latency 0.2 --limit 20/1      # prints its URL
    python examples/ray_corpus.py --synthetic 200 --base-url http://127.0.0.1:PORT/v1 \\
        --model newsschema-scripted-batch --rpm 20 --window 1 --out results/

    # a vLLM endpoint, a cluster already running (``ray start --head`` ...):
    python examples/ray_corpus.py feed.jsonl --address auto --base-url http://vllm:8000/v1 \\
        --model Qwen/Qwen2.5-7B-Instruct --mode json_schema --actors 16 --format parquet \\
        --out s3://bucket/results/

``--rpm``/``--tpm`` are totals for the whole cluster. Prints the rows written, the
ids seen once, failures by error type, requests, tokens and articles per second.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import ray
import ray.data

import newsschema.ray as nsray
from newsschema import NewsschemaError

FORMATS = ("json", "parquet")


@dataclass
class Report:
    """What one run wrote, read back from its output."""

    rows: int
    unique_ids: int
    ok: int
    errors: dict[str, int]
    requests: int
    total_tokens: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Articles written per second of the run (reading the input to the last write)."""
        return self.rows / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        failed = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())) or "none"
        return [
            f"rows written: {self.rows}, ids: {self.unique_ids} distinct",
            f"ok: {self.ok}; failed: {failed}",
            f"requests: {self.requests}, tokens: {self.total_tokens}",
            f"wall: {self.seconds:.1f} s, {self.per_second:.1f} articles/s",
        ]


def synthetic(n: int) -> list[dict[str, Any]]:
    """N made-up articles of about 1,000 characters, each with a unique first sentence."""
    people = ["Anna Berg", "Lars Holm", "Eva Lind", "Omar Haddad", "Mara Costa", "Jonas Vik"]
    cities = ["Oslo", "Helsinki", "Lisbon", "Tallinn", "Vienna", "Dublin"]
    filler = (
        "Officials said the talks covered trade, energy and security in the region. "
        "Both sides described the discussions as constructive and frank. "
    )
    rows = []
    for i in range(n):
        rng = random.Random(i)  # noqa: S311 - made-up text, not secrets
        a, b = rng.sample(people, 2)
        lead = f"Foreign Minister {a} met {b} in {rng.choice(cities)} on Monday, report {i} said."
        rows.append({"id": f"art-{i:06d}", "text": f"{lead} {filler * 6}", "published": None})
    return rows


def read(paths: list[str]) -> ray.data.Dataset:
    """Articles from JSON Lines or Parquet files/folders (by their extension)."""
    if all(p.rstrip("/").endswith(".parquet") for p in paths):
        return ray.data.read_parquet(paths)
    return ray.data.read_json(paths, lines=True)


def run(
    ds: ray.data.Dataset,
    out: str,
    *,
    output_format: str = "json",
    overwrite: bool = False,
    **options: Any,
) -> Report:
    """Summarise ``ds`` with :func:`newsschema.ray.summarize_dataset`, write it to ``out``.

    Args:
        ds: the articles.
        out: the output folder (local or any filesystem Ray writes to).
        output_format: ``json`` (JSON Lines) or ``parquet``.
        overwrite: replace what ``out`` holds; else an existing ``out`` with data in
            it is an error (Ray's writers append by default, which would mix runs).
        options: for :func:`newsschema.ray.summarize_dataset` (model, base_url, rpm ...).

    Returns:
        The run's figures, read back from the written files.
    """
    results = nsray.summarize_dataset(ds, **options)
    # Ray 2.4x has no SaveMode: its writers always add files to the folder.
    mode = {"mode": "overwrite" if overwrite else "error"} if hasattr(ray.data, "SaveMode") else {}
    start = time.perf_counter()
    if output_format == "parquet":
        results.write_parquet(out, **mode)
    else:
        results.write_json(out, **mode)
    seconds = time.perf_counter() - start
    columns = ["id", "ok", "error_type", "requests", "total_tokens"]
    written = ray.data.read_parquet(out) if output_format == "parquet" else ray.data.read_json(out)
    table = written.select_columns(columns).to_pandas()
    errors = Counter(
        str(e) for e, ok in zip(table["error_type"], table["ok"], strict=True) if not ok
    )
    return Report(
        rows=len(table), unique_ids=int(table["id"].nunique()), ok=int(table["ok"].sum()),
        errors=dict(errors), requests=int(table["requests"].sum()),
        total_tokens=int(table["total_tokens"].sum()), seconds=seconds,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", help="JSON Lines or Parquet files or folders")
    parser.add_argument("--synthetic", type=int, metavar="N", help="N made-up articles instead")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--format", choices=FORMATS, default="json", dest="output_format")
    parser.add_argument("--overwrite", action="store_true", help="replace what --out holds")
    parser.add_argument("--model", default=os.environ.get("NEWSSCHEMA_MODEL"))
    parser.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL"))
    parser.add_argument("--mode", default=None, help="json_schema, tools, json ...")
    parser.add_argument("--rpm", type=float, help="requests per window, whole cluster")
    parser.add_argument("--tpm", type=float, help="tokens per window, whole cluster")
    parser.add_argument("--window", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--actors", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16, help="articles in flight/actor")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--cache", default=None, help="a cache path on each node (default: off)")
    parser.add_argument("--address", default=None, help="a running cluster ('auto'); else local")
    parser.add_argument("--num-cpus", type=int, default=None, help="CPUs of a local Ray")
    args = parser.parse_args(argv)
    if bool(args.inputs) == bool(args.synthetic):
        parser.error("give input files or --synthetic N (one of them)")
    if not ray.is_initialized():
        ray.init(address=args.address, num_cpus=args.num_cpus, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = sys.stderr.isatty()
    ds = ray.data.from_items(synthetic(args.synthetic)) if args.synthetic else read(args.inputs)
    options: dict[str, Any] = {"mode": args.mode} if args.mode else {}
    try:
        report = run(
            ds, args.out, output_format=args.output_format, overwrite=args.overwrite,
            model=args.model, base_url=args.base_url, rpm=args.rpm, tpm=args.tpm,
            window=args.window, actors=args.actors, concurrency=args.concurrency,
            batch_size=args.batch_size, cache=args.cache or False, **options,
        )  # fmt: skip
    except NewsschemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        if "already exists" not in str(exc):
            raise
        print(f"error: {exc}; or pass --overwrite to replace it", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    print(f"written to {args.out} ({args.output_format})")
    return 0 if report.ok == report.rows else 1


if __name__ == "__main__":
    sys.exit(main())
