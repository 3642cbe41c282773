"""`newsschema batch` wiring: articles in, one line each out, resumed without new calls."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EMPTY_ANSWER
from scripted_server import ScriptedServer, completion
from typer.testing import CliRunner

from newsschema.cli import app

ANSWER = EMPTY_ANSWER


def test_batch_writes_one_line_per_article_and_resumes(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Lavrov met Wang in Moscow.", encoding="utf-8")
    (folder / "b.txt").write_text("Blinken visited Beijing.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with ScriptedServer([completion(ANSWER), completion(ANSWER)]) as server:
        args = ["batch", str(folder), "-o", str(out), "--no-cache", "--model", "m",
                "--base-url", server.base_url]  # fmt: skip
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, first.output
        second = CliRunner().invoke(app, args)
        assert second.exit_code == 0, second.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    assert len(server.requests) == 2  # the re-run made no call
