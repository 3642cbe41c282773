"""`newsschema eval` wiring: the table, the JSON report, errors listed and the exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import ROOT
from typer.testing import CliRunner

from newsschema.cli import app

SEED_GOLD = ROOT / "benchmarks" / "gold" / "seed.json"


def test_eval_lists_failed_articles_writes_json_and_exits_1(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(SEED_GOLD, gold / SEED_GOLD.name)
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(
        app,
        ["eval", str(gold), "--model", "m", "--replay", str(tmp_path / "none"), "--json", str(out)],
    )
    assert result.exit_code == 1, result.output
    report = json.loads(out.read_text())
    assert report["articles"] == 1
    assert len(report["errors"]) == 1
    assert report["micro"]["recall"] == 0.0
    assert "micro" in result.output
    assert "seed: CassetteMismatchError" in result.output


def test_eval_refuses_record_and_replay_together(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", str(SEED_GOLD), "--record", str(tmp_path), "--replay", str(tmp_path)]
    )
    assert result.exit_code == 2
