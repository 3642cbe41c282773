"""The live evaluation of the local model, replayed offline: the same report, figure for figure.

The cassettes in cassettes/eval_gemma3_270m/ were recorded by running
``newsschema eval benchmarks/gold --base-url http://127.0.0.1:8080/v1
--model gemma3-270m --max-tokens 1024 --record cassettes/eval_gemma3_270m
--json benchmarks/eval/gemma3-270m.json`` against the local llama-server (see
cassettes/README.md). Replaying them must give the report written by that run.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsschema._eval._run import run_eval

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes" / "eval_gemma3_270m"
REPORT = ROOT / "benchmarks" / "eval" / "gemma3-270m.json"


def test_replaying_the_live_eval_gives_the_recorded_report() -> None:
    report = run_eval(
        ROOT / "benchmarks" / "gold",
        model="gemma3-270m",
        cassette_dir=CASSETTES,
        max_tokens=1024,
    )
    recorded = json.loads(REPORT.read_text(encoding="utf-8"))
    mismatched = [e.id for e in report.errors if e.error == "CassetteMismatchError"]
    assert not mismatched, (
        f"requests changed since the recording for {mismatched}: re-record with the "
        "command in this module's docstring (needs the local server)"
    )
    assert json.loads(report.model_dump_json()) == recorded


def test_the_recorded_floor_is_what_the_cassettes_hold() -> None:
    """20 answers cut at max_tokens, 1 valid and empty: nothing found, nothing invented."""
    recorded = json.loads(REPORT.read_text(encoding="utf-8"))
    finish = []
    for path in sorted(CASSETTES.glob("*.json")):
        for interaction in json.loads(path.read_text(encoding="utf-8"))["interactions"]:
            finish.append(interaction["response"]["body"]["json"]["choices"][0]["finish_reason"])
    assert len(finish) == recorded["articles"] == 21
    assert finish.count("length") == 20 and finish.count("stop") == 1
    assert [e["error"] for e in recorded["errors"]] == ["TruncatedOutputError"] * 20
    assert recorded["micro"]["predicted"] == 0 and recorded["micro"]["gold"] == 290
