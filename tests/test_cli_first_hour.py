"""A new user's first hour with the `newsschema` command, run as the installed script.

Retries visible as they happen, errors in the CLI's words, every API option as a
flag, batch failures reported until redone, one id scheme, hostile text kept off
the terminal, and a demo that reads like `summarize`.
"""

from __future__ import annotations

import copy
import json
import os
import pty
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPTY_ANSWER, ROOT
from scripted_server import ScriptedServer, completion, error

NEWSSCHEMA = Path(sys.executable).with_name("newsschema")
ARTICLE = "Lavrov met Wang in Moscow. Lavrov said the talks went well."
REFUSED = "http://127.0.0.1:9/v1"  # the discard port: nothing listens, the connection is refused
HOSTILE = "Talks\x1b]0;pwned\x07 end\x1b[2J [bold]loud[/bold] \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\"
ESCAPES = ("\x1b", "\x07", "\x9b", "\x9d")
# What the hostile text would put on a terminal (the CLI's own progress bar moves the cursor).
HOSTILE_ON_SCREEN = ("\x1b]", "\x07", "\x1b[2J", "\x1b\\")


def cli(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed script, output piped (not a terminal)."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [str(NEWSSCHEMA), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env, check=False,
    )  # fmt: skip


def on_terminal(*args: str | Path, timeout: float = 60) -> tuple[int, str, str]:
    """The installed script with standard output on a pseudo-terminal: (code, stdout, stderr)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm"}
    process = subprocess.Popen(
        [str(NEWSSCHEMA), *map(str, args)],
        stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.stderr is not None
    with process.stderr:
        err = process.stderr.read().decode()
    code = process.wait(timeout=timeout)
    return code, b"".join(chunks).decode(), err


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def plain(text: str) -> str:
    """Terminal output without the CLI's own styling (SGR colour codes)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def answer(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(EMPTY_ANSWER)
    out.update(changes)
    return out


STATEMENT_LAST_WEEK = {
    "speaker": {"name": "Lavrov", "title": None, "organisation": None, "country": None,
                "kind": "person"},
    "addressee": None, "content": "The talks went well.", "quote": None, "occasion": None,
    "status": "occurred", "when": {"expression": "last week"},
    "evidence": [{"quote": "Lavrov said the talks went well."}],
}  # fmt: skip


# --------------------------------------------------------------------------------------
# A. Retries as they happen; errors in the CLI's words.


def test_each_transport_retry_is_a_line_on_stderr_and_the_error_names_the_url(
    article: Path,
) -> None:
    run = cli("summarize", article, "--model", "m", "--base-url", REFUSED, "--retries", "2")
    assert run.returncode == 1
    retry, failure, hint, count = lines(run.stderr)
    assert retry.startswith(f"warning: retrying: connection refused at {REFUSED}")
    assert "(attempt 1 of 2" in retry and re.search(r"next in \d+\.\d s$", retry)
    assert failure.startswith(f"error: {article}: gave up after 2 attempt(s)")
    assert REFUSED in failure and "base_url" not in failure
    assert hint.startswith("hint: ") and "--retries" in hint
    assert count == "1 of 1 article(s) failed"


def test_batch_and_eval_show_retries_too(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    batch = cli("batch", article, "-o", out, "--no-cache", "--model", "m", "--base-url", REFUSED,
                "--retries", "2")  # fmt: skip
    assert batch.returncode == 1
    assert [x for x in lines(batch.stderr) if x.startswith("warning: retrying: ")] != []
    gold = ROOT / "benchmarks" / "gold" / "seed.json"
    ev = cli("eval", gold, "--model", "m", "--base-url", REFUSED, "--retries", "2")
    assert ev.returncode == 1
    assert any(x.startswith("warning: retrying: connection refused") for x in lines(ev.stderr))
    assert f"gold file {gold}" in " ".join(ev.stdout.split())


def test_an_over_long_article_names_the_cli_option(article: Path) -> None:
    run = cli("summarize", article, "--model", "m", "--base-url", REFUSED,
              "--max-input-tokens", "5")  # fmt: skip
    assert run.returncode == 1
    error_line = lines(run.stderr)[0]
    assert error_line.startswith(f"error: {article}: the article is about ")
    assert "over the limit of 5 (--max-input-tokens)" in error_line
    assert "max_input_tokens" not in run.stderr


def test_no_key_says_the_environment_variable_and_the_option(article: Path) -> None:
    run = cli("summarize", article, "--model", "m")
    assert run.returncode == 1
    error_line = lines(run.stderr)[0]
    assert "set OPENAI_API_KEY, pass --api-key" in error_line
    assert "api_key=" not in error_line and "client=" not in error_line


def test_an_unknown_publication_date_is_pointed_out_once(article: Path) -> None:
    reply = answer(statements=[STATEMENT_LAST_WEEK])
    with ScriptedServer([completion(reply), completion(reply)]) as server:
        run = cli("summarize", article, "--model", "m", "--base-url", server.base_url)
        dated = cli("summarize", article, "-p", "2023-09-18", "--model", "m",
                    "--base-url", server.base_url)  # fmt: skip
    assert run.returncode == 0, run.stderr
    notes = [x for x in lines(run.stderr) if x.startswith("note: ")]
    assert notes == [
        "note: 1 relative time(s) in 1 article(s) stayed unresolved: the publication date is "
        "unknown; add --published YYYY-MM-DD to resolve them"
    ]
    assert json.loads(run.stdout)["statements"][0]["when"]["resolution"] == "unresolved"
    assert dated.returncode == 0 and "note:" not in dated.stderr
    assert json.loads(dated.stdout)["statements"][0]["when"]["value"] == "2023-W37"


# --------------------------------------------------------------------------------------
# B. The CLI can do what the API does.


def test_answer_limits_reach_the_request(article: Path, tmp_path: Path) -> None:
    with ScriptedServer([completion(EMPTY_ANSWER), completion(EMPTY_ANSWER)]) as server:
        one = cli("summarize", article, "--model", "m", "--base-url", server.base_url,
                  "--max-tokens", "321", "--temperature", "0.5")  # fmt: skip
        many = cli("batch", article, "-o", tmp_path / "o.jsonl", "--no-cache", "--model", "m",
                   "--base-url", server.base_url, "--max-tokens", "654")  # fmt: skip
    assert one.returncode == 0, one.stderr
    assert many.returncode == 0, many.stdout + many.stderr
    first, second = server.requests
    assert (first["max_tokens"], first["temperature"]) == (321, 0.5)
    assert (second["max_tokens"], second["temperature"]) == (654, 0.0)


def test_max_validation_attempts_bounds_the_re_asks(article: Path) -> None:
    invalid = completion({"headline": None})  # no summary, no event lists: never validates
    with ScriptedServer([invalid, invalid, invalid]) as server:
        run = cli("summarize", article, "--model", "m", "--base-url", server.base_url,
                  "--max-validation-attempts", "1")  # fmt: skip
    assert run.returncode == 1
    assert len(server.requests) == 1
    assert "--max-validation-attempts" in lines(run.stderr)[1]


def test_a_feed_with_its_text_in_body_is_read_with_text_field(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [{"uid": "x1", "body": ARTICLE, "date": "2023-09-18"}, {"body": ARTICLE}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    default = cli("batch", feed, "-o", out, "--no-cache", "--model", "m", "--base-url", REFUSED)
    assert default.returncode == 1
    assert lines(default.stderr) == [
        f"error: {feed}, line 1: no text in field 'text' (keys present: 'uid', 'body', 'date'); "
        "name the field holding the article text with --text-field"
    ]
    with ScriptedServer([completion(EMPTY_ANSWER)] * 2) as server:
        run = cli("batch", feed, "-o", out, "--no-cache", "--model", "m", "--concurrency", "1",
                  "--base-url", server.base_url, "--text-field", "body", "--id-field", "uid",
                  "--published-field", "date")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [w["id"] for w in written] == ["x1", "feed:2"]
    assert written[0]["summary"]["published"] == "2023-09-18"


def test_json_with_another_format_is_a_usage_error(article: Path) -> None:
    run = cli("summarize", article, "--json", "--format", "csv")
    assert run.returncode == 2
    assert "--json prints JSON; it cannot go with --format csv" in " ".join(run.stderr.split())


@pytest.mark.parametrize("command", ["summarize", "batch", "eval", "demo", "export"])
def test_help_shows_flags_as_flags(command: str) -> None:
    run = cli(command, "--help")
    assert run.returncode == 0
    assert "<bool>" not in run.stdout
    flags = {"summarize": "--json ", "batch": "--retry-failed ", "demo": "--json ",
             "eval": "--max-tokens TOKENS", "export": "--help "}  # fmt: skip
    assert flags[command] in run.stdout


# --------------------------------------------------------------------------------------
# C. Batch failures stay in view until redone; one id scheme.


def test_earlier_failures_are_reported_on_every_rerun_until_retried(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("Blinken visited Beijing.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    bad = error(400, "the request was malformed", code="bad_request")
    with ScriptedServer([completion(EMPTY_ANSWER), bad, completion(EMPTY_ANSWER)]) as server:
        args = ["batch", folder, "-o", out, "--no-cache", "--model", "m", "--concurrency", "1",
                "--base-url", server.base_url]  # fmt: skip
        first = cli(*args)
        again = cli(*args)
        retried = cli(*args, "--retry-failed")
    for run in (first, again):
        assert run.returncode == 1, run.stdout + run.stderr
        text = run.stdout
        assert f"failed articles in {out} (1)" in text
        row = next(line for line in text.splitlines() if "sub/b " in line)
        assert str(folder / "sub" / "b.txt") in row and "ProviderError" in row
        assert "run the same command with --retry-failed" in " ".join(text.split())
    assert "failed earlier" in again.stdout and "1 still failed" in again.stdout
    assert "skipped" in again.stdout
    assert len(server.requests) == 3  # the re-run without --retry-failed asked nothing
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert "failed articles" not in retried.stdout
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == ["a", "sub/b"]


def test_one_id_scheme_in_summarize_batch_export_and_report(article: Path, tmp_path: Path) -> None:
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    with ScriptedServer([completion(EMPTY_ANSWER)] * 2) as server:
        s = cli("summarize", article, "--format", "jsonl", "-o", one, "--model", "m",
                "--base-url", server.base_url)  # fmt: skip
        b = cli("batch", article, "-o", many, "--no-cache", "--model", "m",
                "--base-url", server.base_url)  # fmt: skip
    assert s.returncode == 0 and b.returncode == 0, s.stderr + b.stdout
    assert json.loads(one.read_text())["id"] == json.loads(many.read_text())["id"] == "a"
    db = tmp_path / "x.db"
    assert cli("export", one, "--db", db).returncode == 0
    assert sqlite3.connect(db).execute("SELECT id FROM articles").fetchall() == [("a",)]
    page = tmp_path / "r.html"
    assert cli("report", many, "-o", page).returncode == 0
    assert ">a<" in page.read_text(encoding="utf-8") or '"a"' in page.read_text(encoding="utf-8")


def test_two_files_with_one_id_are_refused_before_any_call(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run = cli("summarize", tmp_path / "x" / "a.txt", tmp_path / "y" / "a.txt", "--model", "m",
              "--base-url", REFUSED)  # fmt: skip
    assert run.returncode == 1
    assert "would both be article 'a'" in lines(run.stderr)[0]
    assert "retrying" not in run.stderr


# --------------------------------------------------------------------------------------
# D. Hostile text never reaches the terminal raw.


def test_a_hostile_headline_is_neutralised_on_a_terminal_and_exact_in_json(
    article: Path,
) -> None:
    reply = answer(headline=HOSTILE, summary="Plain\x1b[2J summary")
    with ScriptedServer([completion(reply), completion(reply)]) as server:
        code, shown, err = on_terminal("summarize", article, "--model", "m",
                                       "--base-url", server.base_url)  # fmt: skip
        piped = cli("summarize", article, "--model", "m", "--base-url", server.base_url)
    assert code == 0, err
    text = plain(shown)
    assert "a: Talks end [bold]loud[/bold] link" in text  # markup shown as written, not applied
    assert "Plain summary" in text
    assert not any(e in text for e in ESCAPES)
    assert not any(e in shown for e in HOSTILE_ON_SCREEN)
    assert "pwned" not in shown and "evil.example" not in shown
    assert json.loads(piped.stdout)["headline"] == HOSTILE  # JSON to a pipe stays exact


def test_a_hostile_provider_message_is_neutralised_in_the_error_line_and_batch_table(
    article: Path, tmp_path: Path
) -> None:
    bad = error(400, f"rejected: {HOSTILE}")
    with ScriptedServer([bad, bad]) as server:
        one = cli("summarize", article, "--model", "m", "--base-url", server.base_url)
        code, shown, _ = on_terminal("batch", article, "-o", tmp_path / "o.jsonl",
                                       "--no-cache", "--model", "m",
                                       "--base-url", server.base_url)  # fmt: skip
    assert one.returncode == 1
    assert "rejected: Talks end [bold]loud[/bold] link" in lines(one.stderr)[0]
    assert not any(e in one.stderr for e in ESCAPES)
    assert code == 1
    text = plain(shown)
    assert "Talks end" in text and "pwned" not in shown and "evil.example" not in shown
    assert not any(e in shown for e in HOSTILE_ON_SCREEN)


# --------------------------------------------------------------------------------------
# E. First impressions.


def test_demo_on_a_terminal_shows_tables_and_piped_prints_json() -> None:
    code, shown, err = on_terminal("demo")
    assert code == 0, err
    text = plain(shown)
    for title in ("meetings (6)", "statements (10)", "visits (2)", "warrants (1)"):
        assert title in text
    assert '"meetings": [' not in text
    assert len(text.splitlines()) < 200
    assert "REPLAY: no model is called" in err and "newsschema demo --json" in err
    code, shown, err = on_terminal("demo", "--json")
    assert code == 0 and json.loads(shown)["warrants"][0]["subject"]["name"] == "Vladimir Putin"
    assert err == ""
    piped = cli("demo")
    assert json.loads(piped.stdout)["visits"][1]
    assert "REPLAY" in piped.stderr


def test_the_example_notebook_uses_public_names_only() -> None:
    notebook = json.loads((ROOT / "examples" / "notebook.ipynb").read_text(encoding="utf-8"))
    code = "".join("".join(c["source"]) for c in notebook["cells"])
    assert "newsschema._" not in code
    assert "from newsschema import write_report" in code
