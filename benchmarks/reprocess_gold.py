"""Reprocess the gold set's recorded answers without the model, counting HTTP requests.

1. Every gold article (``benchmarks/gold/``) is summarised from its recorded
   cassette (``cassettes/eval_gemma3_270m/<id>.json``: the local gemma3-270m
   model's real answers, recorded by ``newsschema eval``), and the seed article
   from the scripted reference extraction (``cassettes/seed_reference.json``);
   the results go to a JSON Lines file in the ``newsschema batch`` format (a
   summary line, or an error line for a failed extraction).
2. That file is reprocessed with ``newsschema.reprocess`` while every HTTP
   transport and socket connection is replaced by one that counts the attempt
   and refuses it. The requests made must be 0.
3. For a larger test of the deterministic steps, the gold annotations themselves
   are served as the model's answers (``FakeModel``: hand-written answers, not a
   model's) and written and reprocessed the same way.
4. Each file as a version that resolved neither durations nor times would have
   written it (``visits[].duration_value`` deleted, every resolved time cut to its
   expression) is reprocessed again: the changes table shows what the installed
   version adds to such a dataset for free.

    python benchmarks/reprocess_gold.py [--keep DIR]
    python benchmarks/reprocess_gold.py --reprocess OLD.jsonl ...   # files of another version
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2

from newsschema import NewsschemaError, reprocess, summarize
from newsschema._batch import Failure
from newsschema._eval import load_gold
from newsschema._io import ExportedArticle, jsonl_line
from newsschema.testing import FakeModel, replay_client

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "benchmarks" / "gold"
EVAL_CASSETTES = ROOT / "cassettes" / "eval_gemma3_270m"
SEED_CASSETTE = ROOT / "cassettes" / "seed_reference.json"
SEED_TEXT = ROOT / "examples" / "seed_article.txt"


def _error_line(article_id: str, text: str, exc: BaseException) -> str:
    head = {"id": article_id, "url": None, "title": None, "article": text}
    return json.dumps({**head, "error": Failure.of(exc).model_dump(mode="json")})


def _write(path: Path, jobs: list[tuple[str, str, dict[str, Any], Any]]) -> dict[str, int]:
    """Each article summarised with its client, one line each; the count of each outcome."""
    outcomes: dict[str, int] = {}
    lines: list[str] = []
    for article_id, text, options, client in jobs:
        try:
            summary = summarize(text, client=client, **options)
        except NewsschemaError as exc:
            lines.append(_error_line(article_id, text, exc))
            outcomes[type(exc).__name__] = outcomes.get(type(exc).__name__, 0) + 1
            continue
        lines.append(jsonl_line(ExportedArticle(article_id, text, summary)))
        kind = "summary with records" if summary.events else "summary without records"
        outcomes[kind] = outcomes.get(kind, 0) + 1
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return outcomes


def _always(answer: dict[str, Any]) -> Any:
    def respond(body: dict[str, Any]) -> dict[str, Any]:
        return answer

    return respond


def produce_gold_answers(path: Path) -> dict[str, int]:
    """The gold annotations served as answers (hand-written, not a model's), one line each."""
    jobs = []
    for g in load_gold(GOLD):
        fake = FakeModel()
        fake.answer_with(_always(g.to_answer()))  # a re-ask gets the same answer
        options = {"published": g.published, "model": "gold-annotations"}
        jobs.append((g.id, g.text, options, fake.client()))
    return _write(path, jobs)


def produce(path: Path) -> dict[str, int]:
    """The JSON Lines output of the replayed cassettes; the count of each outcome type."""
    jobs: list[tuple[str, str, dict[str, Any], Path]] = [
        (
            g.id, g.text,
            {"published": g.published, "model": "gemma3-270m", "max_tokens": 1024,
             "temperature": 0.0},
            EVAL_CASSETTES / f"{g.id}.json",
        )
        for g in load_gold(GOLD)
    ]  # fmt: skip
    jobs.append(
        (
            "seed-reference",
            SEED_TEXT.read_text(encoding="utf-8"),
            {"published": "2023-09-18", "model": "newsschema-scripted-reference"},
            SEED_CASSETTE,
        )
    )
    return _write(path, [(i, t, o, replay_client(c)) for i, t, o, c in jobs])


class Refused:
    """Every HTTP request and socket connection while active: counted, then refused."""

    def __init__(self) -> None:
        self.attempts = 0
        self._saved: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> Refused:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            self.attempts += 1
            raise RuntimeError("reprocessing tried to reach the network")

        for owner, name in (
            (httpx2.HTTPTransport, "handle_request"),
            (httpx2.AsyncHTTPTransport, "handle_async_request"),
            (socket.socket, "connect"),
        ):
            self._saved.append((owner, name, getattr(owner, name)))
            setattr(owner, name, refuse)
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in self._saved:
            setattr(owner, name, original)


def unresolved(source: Path, target: Path) -> tuple[int, int]:
    """``source`` as a version that resolved neither durations nor times would have written it.

    Every ``visits[].duration_value`` is deleted (the field did not exist) and every
    time keeps only its expression (``{"expression": "on Monday"}``, unresolved).
    Returns (durations removed, times unresolved).
    """
    durations = times = 0
    out = []
    for line in source.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        summary = data.get("summary") or {}
        for key, records in summary.items():
            if not isinstance(records, list) or key in {"actors", "dropped", "failed_chunks"}:
                continue
            for record in records:
                if key == "visits":
                    durations += record.pop("duration_value", None) is not None
                when = record.get("when")
                if when and when.get("value") is not None:
                    record["when"] = {"expression": when["expression"]}
                    times += 1
        out.append(json.dumps(data, ensure_ascii=False))
    target.write_text("".join(line + "\n" for line in out), encoding="utf-8")
    return durations, times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the JSON Lines files here")
    parser.add_argument(
        "--reprocess",
        type=Path,
        nargs="+",
        metavar="JSONL",
        help="only reprocess these files (written by another version, say) and report",
    )
    args = parser.parse_args(argv)
    if args.reprocess:
        for path in args.reprocess:
            run(path, "reprocessed by the installed version")
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="newsschema-reprocess-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, make, what in (
        ("gold-cassettes", produce, "the recorded cassettes"),
        ("gold-answers", produce_gold_answers, "the gold annotations served as answers"),
    ):
        source = folder / f"{name}.jsonl"
        outcomes = make(source)
        print(f"# {what}: {sum(outcomes.values())} articles into {source.name}")
        for kind, count in sorted(outcomes.items()):
            print(f"  {kind}: {count}")
        run(source, "as the installed version wrote it")
        stripped = folder / f"{name}-unresolved.jsonl"
        durations, times = unresolved(source, stripped)
        run(
            stripped,
            f"as a version without duration and time resolution wrote it ({durations} "
            f"duration value(s) removed, {times} resolved time(s) cut to their expression)",
        )
        print()


def run(path: Path, title: str) -> None:
    started = time.perf_counter()
    with Refused() as refused:
        report = reprocess(path, path.with_suffix(".reprocessed.jsonl"))
    seconds = time.perf_counter() - started
    print(
        f"\n## {path.name}: {title}\nHTTP requests attempted: {refused.attempts}; {seconds:.2f} s"
    )
    print(report.table())
    if refused.attempts:
        raise SystemExit("reprocessing made requests")


if __name__ == "__main__":
    main()
