"""The CLI and storage faults: output errors, one-line warnings, disk full mid-run, CSV, eval.

Run as the installed script (or CliRunner on the real app, where the process must
stay the test's): a hint for an output that cannot be written, NewsschemaWarning
as one ``warning:`` line, the batch table before a disk-full stop, the CSV
formula opt-out, and every call option reaching ``newsschema eval``.
"""

from __future__ import annotations

import copy
import csv
import inspect
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPTY_ANSWER, ROOT
from rich.console import Console
from scripted_server import ScriptedServer, completion
from typer.testing import CliRunner

from newsschema import NewsschemaWarning, summarize
from newsschema._eval._run import load_gold, render_table, run_eval, score
from newsschema.cli import app
from newsschema.cli._messages import cli_warnings as _cli_warnings

NEWSSCHEMA = Path(sys.executable).with_name("newsschema")
ARTICLE = "Lavrov met Wang in Moscow. Lavrov said the talks went well."
FORMULA = '=HYPERLINK("https://evil.example/","click")'
SEED_GOLD = ROOT / "benchmarks" / "gold" / "seed.json"
HOSTILE = "m\x1b]0;pwned\x07 [bold]x[/bold]\x1b[2J\u202e"


def cli(
    *args: str | Path, limit: int | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The installed script, output piped; ``limit`` caps the size of any file it writes."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}

    def cap() -> None:
        # EFBIG from the kernel instead of SIGXFSZ killing the process: a real "disk full".
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [str(NEWSSCHEMA), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env, check=False,
        preexec_fn=cap if limit is not None else None,
    )  # fmt: skip


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# 1. OutputError: its own hint.


def test_an_output_that_cannot_be_created_names_the_path_and_hints_at_output_and_db(
    article: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "out.jsonl"
    run = cli("batch", article, "-o", out, "--no-cache", "--model", "m",
              "--base-url", "http://127.0.0.1:9/v1")  # fmt: skip
    assert run.returncode == 1
    error, hint = lines(run.stderr)
    assert error.startswith("error: ") and str(out) in error and "is a file" in error
    assert hint == (
        "hint: choose another --output / --db, or free disk space; running the same "
        "command again resumes"
    )
    assert "--debug" not in run.stderr and "retrying" not in run.stderr


def test_a_database_that_is_not_sqlite_speaks_of_db_not_db_equals(
    article: Path, tmp_path: Path
) -> None:
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    run = cli("batch", article, "-o", tmp_path / "o.jsonl", "--db", db, "--no-cache",
              "--model", "m", "--base-url", "http://127.0.0.1:9/v1")  # fmt: skip
    assert run.returncode == 1
    error, hint = lines(run.stderr)
    assert str(db) in error and "not a SQLite database" in error
    assert "(--db)" in error and "db=" not in error
    assert hint.startswith("hint: choose another --output / --db")


# --------------------------------------------------------------------------------------
# 2. NewsschemaWarning: one line on stderr.


def _torn_output(tmp_path: Path) -> tuple[Path, list[str]]:
    """A batch folder of two articles and an output whose last line a crash left torn."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with ScriptedServer([completion(EMPTY_ANSWER)] * 2) as server:
        first = cli("batch", folder, "-o", out, "--no-cache", "--model", "m", "--concurrency",
                    "1", "--base-url", server.base_url)  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    whole, torn = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(whole + torn[: len(torn) // 2])
    args = ["batch", str(folder), "-o", str(out), "--no-cache", "--model", "m",
            "--concurrency", "1"]  # fmt: skip
    return out, args


def test_a_newsschema_warning_is_one_line_on_stderr(tmp_path: Path) -> None:
    out, args = _torn_output(tmp_path)
    kept = json.loads(out.read_bytes().splitlines()[0])["id"]
    (torn_id,) = {"a", "b"} - {kept}
    with ScriptedServer([completion(EMPTY_ANSWER)]) as server:
        run = cli(*args, "--base-url", server.base_url)
    assert run.returncode == 0, run.stdout + run.stderr
    warned = [x for x in lines(run.stderr) if x.startswith("warning: ")]
    assert len(warned) == 1
    assert warned[0].startswith(f"warning: {out}: cut its last line, ")
    assert f"of article {torn_id!r}" in warned[0]
    # Not Python's "file:line: NewsschemaWarning: ..." and its source line.
    assert "NewsschemaWarning" not in run.stderr and "warnings.warn" not in run.stderr
    assert len(lines(run.stderr)) == 1
    assert sorted(r["id"] for r in rows(out)) == ["a", "b"]


def test_the_cli_shows_warnings_without_changing_the_callers_warning_settings(
    tmp_path: Path,
) -> None:
    out, args = _torn_output(tmp_path)
    shown_before, filters_before = warnings.showwarning, list(warnings.filters)
    with ScriptedServer([completion(EMPTY_ANSWER)]) as server:
        # Under pytest's filterwarnings=error a library warning would raise; in the CLI it shows.
        result = CliRunner().invoke(app, [*args, "--base-url", server.base_url])
    assert result.exit_code == 0, result.output
    assert f"warning: {out}: cut its last line" in result.stderr
    assert warnings.showwarning is shown_before
    assert warnings.filters == filters_before
    with pytest.raises(NewsschemaWarning):  # the library still warns as Python does
        warnings.warn("still an error here", NewsschemaWarning, stacklevel=1)


def test_a_warning_line_is_neutralised_and_in_the_clis_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _cli_warnings():
        warnings.warn(f"cache {HOSTILE}\nset aside; pass cache=False (--no-cache)",
                      NewsschemaWarning, stacklevel=1)  # fmt: skip
        with pytest.raises(UserWarning):  # other warnings keep the caller's filters (error)
            warnings.warn("an ordinary warning", UserWarning, stacklevel=1)
    err = capsys.readouterr().err
    assert err == "warning: cache m [bold]x[/bold] set aside; pass --no-cache\n"


# --------------------------------------------------------------------------------------
# 3. Disk full mid-run: the table of what was written, then the error, exit 1.


def test_a_full_disk_mid_batch_prints_the_table_of_what_was_written_then_the_error(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.jsonl"
    articles = [{"id": f"n{i}", "text": f"Minister {i} met the ambassador in Oslo."}
                for i in range(12)]  # fmt: skip
    feed.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    probe = tmp_path / "probe.jsonl"
    with ScriptedServer([completion(EMPTY_ANSWER)]) as server:
        one = cli("batch", feed, "-o", probe, "--no-cache", "--model", "m",
                  "--base-url", server.base_url, "--concurrency", "1")  # fmt: skip
        assert one.returncode == 1  # the other eleven found no scripted answer
    line = len(probe.read_bytes().splitlines(keepends=True)[0])
    out = tmp_path / "out.jsonl"
    with ScriptedServer([completion(EMPTY_ANSWER)] * 12) as server:
        run = cli("batch", feed, "-o", out, "--no-cache", "--model", "m", "--concurrency",
                  "1", "--base-url", server.base_url, limit=int(line * 4.5))  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    written = [r["id"] for r in rows(out)]  # every line whole
    assert written == ["n0", "n1", "n2", "n3"]
    table = " ".join(run.stdout.replace("│", " ").split())
    assert "newsschema batch: m" in table
    assert "articles 12" in table and "done 4" in table
    error, hint = lines(run.stderr)
    assert error.startswith("error: cannot write article 'n4' to ") and str(out) in error
    assert "File too large (EFBIG)" in error
    assert hint.startswith("hint: choose another --output / --db, or free disk space")


def test_an_output_refused_before_the_run_prints_no_table(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "x", "text": ARTICLE}) + "\n", encoding="utf-8")
    run = cli("batch", feed, "-o", feed, "--no-cache", "--model", "m",
              "--base-url", "http://127.0.0.1:9/v1")  # fmt: skip
    assert run.returncode == 1
    assert run.stdout == ""
    assert "not a newsschema result" in lines(run.stderr)[0]


# --------------------------------------------------------------------------------------
# 4. --no-escape-formulas.


def _formula_reply() -> dict[str, Any]:
    reply = copy.deepcopy(EMPTY_ANSWER)
    reply["statements"] = [{
        "speaker": {"name": "Lavrov", "title": None, "organisation": None, "country": None,
                    "kind": "person"},
        "addressee": None, "content": FORMULA, "quote": None, "occasion": None,
        "status": "occurred", "when": None,
        "evidence": [{"quote": "Lavrov said the talks went well."}],
    }]  # fmt: skip
    return reply


def _contents(text: str) -> list[str]:
    return [r["content"] for r in csv.DictReader(io.StringIO(text)) if r["type"] == "statement"]


def test_export_csv_escapes_formulas_unless_told_not_to(article: Path, tmp_path: Path) -> None:
    source = tmp_path / "one.jsonl"
    with ScriptedServer([completion(_formula_reply())]) as server:
        made = cli("summarize", article, "--format", "jsonl", "-o", source, "--model", "m",
                   "--base-url", server.base_url)  # fmt: skip
    assert made.returncode == 0, made.stderr
    escaped, raw = tmp_path / "escaped.csv", tmp_path / "raw.csv"
    assert cli("export", source, "--csv", escaped).returncode == 0
    run = cli("export", source, "--csv", raw, "--no-escape-formulas")
    assert run.returncode == 0, run.stderr
    assert _contents(escaped.read_text(encoding="utf-8")) == ["'" + FORMULA]
    assert _contents(raw.read_text(encoding="utf-8")) == [FORMULA]
    refused = cli("export", source, "--db", tmp_path / "x.db", "--no-escape-formulas")
    assert refused.returncode == 2
    assert "add --csv FILE" in " ".join(refused.stderr.split())


def test_summarize_csv_escapes_formulas_unless_told_not_to(article: Path) -> None:
    with ScriptedServer([completion(_formula_reply())] * 2) as server:
        args = ["summarize", article, "--format", "csv", "--model", "m",
                "--base-url", server.base_url]  # fmt: skip
        escaped = cli(*args)
        raw = cli(*args, "--no-escape-formulas")
    assert escaped.returncode == 0 and raw.returncode == 0, escaped.stderr + raw.stderr
    assert _contents(escaped.stdout) == ["'" + FORMULA]
    assert _contents(raw.stdout) == [FORMULA]


def test_no_escape_formulas_without_csv_is_a_usage_error(article: Path) -> None:
    run = cli("summarize", article, "--format", "jsonl", "--no-escape-formulas")
    assert run.returncode == 2
    assert "--no-escape-formulas applies to CSV only" in " ".join(run.stderr.split())


# --------------------------------------------------------------------------------------
# 5. eval takes every call option; render_table is safe for library users too.


def test_run_eval_has_the_defaults_of_summarize() -> None:
    ours = inspect.signature(run_eval).parameters
    theirs = inspect.signature(summarize).parameters
    names = ("max_tokens", "max_input_tokens", "temperature", "token_budget", "time_budget",
             "max_validation_attempts")  # fmt: skip
    assert {n: ours[n].default for n in names} == {n: theirs[n].default for n in names}


def test_eval_passes_every_call_option_to_the_request(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(SEED_GOLD, gold / SEED_GOLD.name)
    with ScriptedServer([completion(EMPTY_ANSWER)]) as server:
        run = cli("eval", gold, "--model", "m", "--base-url", server.base_url,
                  "--temperature", "0.25", "--max-tokens", "4321", "--token-budget", "900000",
                  "--time-budget", "60", "--max-validation-attempts", "2",
                  "--max-input-tokens", "200000")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    (request,) = server.requests
    assert (request["temperature"], request["max_tokens"]) == (0.25, 4321)


def test_eval_max_input_tokens_and_validation_attempts_take_effect(tmp_path: Path) -> None:
    invalid = completion({"headline": None})  # never validates
    with ScriptedServer([invalid] * 3) as server:
        small = cli("eval", SEED_GOLD, "--model", "m", "--base-url", server.base_url,
                    "--max-input-tokens", "5")  # fmt: skip
        assert server.requests == []  # refused before any call
        once = cli("eval", SEED_GOLD, "--model", "m", "--base-url", server.base_url,
                   "--max-validation-attempts", "1")  # fmt: skip
    assert small.returncode == 1
    assert "(--max-input-tokens)" in " ".join(small.stdout.split())
    assert once.returncode == 1
    assert len(server.requests) == 1


def test_render_table_neutralises_model_and_error_text() -> None:
    gold = load_gold(SEED_GOLD)
    report = score(gold, {}, errors={gold[0].id: f"failed: {HOSTILE}"}, model=HOSTILE)
    buffer = io.StringIO()
    Console(file=buffer, width=300, force_terminal=True, color_system=None).print(
        render_table(report)
    )
    shown = buffer.getvalue()
    assert "\x1b]" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "model m [bold]x[/bold]" in shown  # markup shown as written, not applied
    assert f"{gold[0].id}: " in shown and "failed: m [bold]x[/bold]" in shown
