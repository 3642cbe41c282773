"""The newsschema command: output formats, exit codes, one-line errors, help."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CASSETTES, SCRIPTED_MODEL, SEED_ARTICLE
from typer.testing import CliRunner, Result

import newsschema._extraction._summarize
from newsschema import ArticleSummary, ConfigurationError
from newsschema._extraction._calls import MODES
from newsschema.cli import app
from newsschema.testing import replay_client

REAL_SUMMARIZE = newsschema._extraction._summarize.summarize


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``summarize`` answers from the seed cassette; the list records what the CLI passed."""
    seen: list[dict[str, Any]] = []

    def replayed(text: str, **options: Any) -> ArticleSummary:
        seen.append(options)
        client = replay_client(CASSETTES / "seed_reference.json")
        # The cassette holds the request for this date and model, whatever the options.
        return REAL_SUMMARIZE(text, published="2023-09-18", client=client, model=SCRIPTED_MODEL)

    monkeypatch.setattr(newsschema._extraction, "summarize", replayed)
    return seen


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.txt"
    path.write_text(SEED_ARTICLE, encoding="utf-8")
    return path


def run(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin)


def _error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_summarize_piped_prints_the_summary_as_json(
    calls: list[dict[str, Any]], seed_file: Path
) -> None:
    result = run("summarize", seed_file, "-p", "2023-09-18", "--model", "m", "--mode", "tools",
                 "--base-url", "http://localhost:8000/v1")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [len(data[k]) for k in ("meetings", "statements", "visits", "warrants")] == [6, 10, 2, 1]
    assert calls == [
        {"published": "2023-09-18", "model": "m", "mode": "tools",
         "base_url": "http://localhost:8000/v1"}
    ]  # fmt: skip


def test_summarize_on_a_terminal_prints_tables_unless_json_is_asked(
    calls: list[dict[str, Any]], seed_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsschema.cli._app.stdout_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "160")  # a line per field, unwrapped
    table = run("summarize", seed_file)
    assert table.exit_code == 0, table.output
    for title in ("meetings (6)", "statements (10)", "visits (2)", "warrants (1)"):
        assert title in table.stdout
    assert "participants: Sergey Lavrov; Wang Yi" in table.stdout
    assert "subject: Vladimir Putin" in table.stdout
    as_json = run("summarize", seed_file, "--json")
    assert json.loads(as_json.stdout)["warrants"][0]["subject"]["name"] == "Vladimir Putin"


def test_summarize_reads_standard_input(calls: list[dict[str, Any]]) -> None:
    result = run("summarize", "-", "--format", "jsonl", stdin=SEED_ARTICLE)
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert (line["id"], line["article"]) == ("stdin", SEED_ARTICLE)


@pytest.mark.parametrize(
    ("fmt", "start"),
    [("csv", "article_id,url,published,headline,type,"), ("md", "### Russia and China"),
     ("html", "<!DOCTYPE html>"), ("jsonl", '{"id": ')],
)  # fmt: skip
def test_summarize_writes_each_format(
    calls: list[dict[str, Any]], seed_file: Path, fmt: str, start: str
) -> None:
    result = run("summarize", seed_file, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(start)


def test_summarize_jsonl_feeds_report_and_export(
    calls: list[dict[str, Any]], seed_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    made = run("summarize", seed_file, "-p", "2023-09-18", "-o", out)  # format from the suffix
    assert made.exit_code == 0, made.output
    assert f"wrote 1 article(s) to {out}" in made.stderr

    page = tmp_path / "report.html"
    shown = run("report", out, "-o", page)
    assert shown.exit_code == 0, shown.output
    html = page.read_text(encoding="utf-8")
    ids = {i for group in re.findall(r'data-ev="([^"]+)"', html) for i in group.split()}
    assert len(ids) == 26

    db, table = tmp_path / "news.db", tmp_path / "news.csv"
    exported = run("export", out, "--db", db, "--csv", table)
    assert exported.exit_code == 0, exported.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM meetings").fetchone() == (6,)
    with table.open(newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 19


def test_a_failed_article_is_one_error_line_and_the_others_still_print(
    calls: list[dict[str, Any]], seed_file: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run("summarize", empty, seed_file, "--format", "json")
    assert result.exit_code == 1
    (only,) = json.loads(result.stdout)  # several files: a JSON array of the ones that worked
    assert len(only["meetings"]) == 6
    assert _error_lines(result) == [
        f"error: {empty}: text is empty or only whitespace; there is no article to summarise",
        "1 of 2 article(s) failed",
    ]


def test_missing_model_is_one_line_with_a_hint_and_exit_1(seed_file: Path) -> None:
    result = run("summarize", seed_file)
    assert result.exit_code == 1
    error, hint = _error_lines(result)
    assert error.startswith("error: no model given") and "NEWSSCHEMA_MODEL" in error
    assert hint.startswith("hint: ") and "--model" in hint
    assert "Traceback" not in result.output


def test_debug_lets_the_exception_through(seed_file: Path) -> None:
    result = run("--debug", "summarize", seed_file)
    assert result.exit_code == 1
    assert isinstance(result.exception, ConfigurationError)


def test_a_broken_jsonl_is_one_line_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = run("report", bad, "-o", tmp_path / "r.html")
    assert result.exit_code == 1
    assert _error_lines(result) == [f"error: {bad}, line 1: not JSON (Expecting property name "
                                    "enclosed in double quotes)"]  # fmt: skip
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["summarize", "no-such-file.txt"],
        ["summarize", "{seed}", "--published", "last week"],
        ["summarize", "{seed}", "--mode", "xml"],
        ["batch", "{seed}", "-o", "out.jsonl", "--mode", "xml"],
        ["eval", "{seed}", "--mode", "xml"],
        ["summarize", "{seed}", "--format", "pdf"],
        ["export", "{seed}"],
        ["report", "{seed}"],
        ["schema", "--type", "protest"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(seed_file: Path, args: list[str]) -> None:
    result = run(*(a.replace("{seed}", str(seed_file)) for a in args))
    assert result.exit_code == 2, result.output


def test_schema_type_prints_that_records_schema() -> None:
    result = run("schema", "--type", "warrant")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"subject", "authority", "kind", "charges", "status"} <= set(schema["properties"])
    assert "meetings" not in schema["properties"]
    full = json.loads(run("schema").stdout)
    assert set(full["properties"]) >= {"meetings", "statements", "visits", "warrants"}


@pytest.mark.parametrize("command", [[], ["summarize"], ["export"], ["report"], ["schema"],
                                     ["demo"]])  # fmt: skip
def test_every_help_shows_an_example_and_the_exit_codes(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Example" in text and "newsschema " in text
    assert "Exit codes: 0 success; 1 an article failed" in text
    assert "2 usage error" in text


def test_summarize_help_names_every_mode() -> None:
    text = " ".join(run("summarize", "--help").stdout.split())
    assert all(mode in text for mode in MODES)


def test_help_loads_neither_openai_nor_instructor() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['newsschema', '--help']\n"
        "from newsschema.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print([m for m in ('openai', 'instructor', 'httpx2') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    result = run("--version")
    assert (result.exit_code, result.stdout.strip()) == (0, version("newsschema"))
