"""`--events` at the command line: registered names, a user's module:Class, `schema`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FAKE_KEY, ROOT
from scripted_server import ScriptedServer, completion
from typer.testing import CliRunner, Result

from newsschema._records import BUILTIN_TYPES, _event, event_type
from newsschema.cli import app

NEWSSCHEMA = Path(sys.executable).with_name("newsschema")


@pytest.fixture(scope="module", autouse=True)
def users_types_for_this_module_only() -> Iterator[None]:
    """`--events tests.custom_types:Protest` imports and registers the user's types: undo it."""
    saved = dict(_event._REGISTRY)
    yield
    _event._REGISTRY.clear()
    _event._REGISTRY.update(saved)
    sys.modules.pop("tests.custom_types", None)


USER_TYPE = "tests.custom_types:Protest"
ARTICLE = (
    "Thousands marched in Lagos on Saturday. The Coalition for Change organised the march, "
    "demanding lower fuel prices."
)
ORGANISER = {
    "name": "Coalition for Change", "title": None, "organisation": None, "country": None,
    "kind": "organisation",
}  # fmt: skip
PROTEST_ANSWER: dict[str, Any] = {
    "headline": None,
    "summary": "Thousands protested fuel prices in Lagos.",
    "protests": [
        {
            "when": {"expression": "on Saturday"},
            "evidence": [{"quote": "Thousands marched in Lagos on Saturday."}],
            "organisers": [ORGANISER],
            "place": {"name": "Lagos", "country": None, "kind": "city"},
            "size": "Thousands",
            "demands": ["lower fuel prices"],
            "status": "occurred",
        }
    ],
}
BUILTIN_NAMES = [event_type(cls).name for cls in BUILTIN_TYPES]


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # `tests.custom_types` imports from the repository root, as a user's module from theirs.
    monkeypatch.chdir(ROOT)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "lagos.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def installed(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed script, output piped."""
    return subprocess.run(
        [str(NEWSSCHEMA), *map(str, args)], cwd=cwd, capture_output=True, text=True,
        timeout=60, check=False, env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **env},
    )  # fmt: skip


def answer_keys(request: dict[str, Any]) -> set[str]:
    """The top-level keys the request's schema asks the model for."""
    return set(request["response_format"]["json_schema"]["schema"]["properties"])


def test_events_meeting_asks_only_for_meetings(article: Path) -> None:
    answer = {"headline": None, "summary": "s", "meetings": []}
    with ScriptedServer([completion(answer)]) as server:
        result = run("summarize", article, "--events", "meeting", "--json", "--model", "m",
                     "--base-url", server.base_url, "--api-key", FAKE_KEY)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert answer_keys(server.requests[0]) == {"headline", "summary", "meetings"}
    data = json.loads(result.stdout)
    assert data["meetings"] == []
    assert not set(data) & {event_type(cls).plural for cls in BUILTIN_TYPES[1:]}
    assert data["provenance"]["event_types"] == ["meeting"]


def test_a_users_type_by_path_gives_its_records_in_json(article: Path, tmp_path: Path) -> None:
    # Another folder as cwd: the module is found through PYTHONPATH, as a user's package is.
    with ScriptedServer([completion(PROTEST_ANSWER)]) as server:
        done = installed("summarize", article, "--events", USER_TYPE, "--model", "m",
                         "--base-url", server.base_url, "--api-key", FAKE_KEY,
                         cwd=tmp_path, PYTHONPATH=str(ROOT))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert answer_keys(server.requests[0]) == {"headline", "summary", "protests"}
    data = json.loads(done.stdout)
    [protest] = data["protests"]
    assert (protest["type"], protest["size"], protest["organisers"][0]["name"]) == (
        "protest", "Thousands", "Coalition for Change"
    )  # fmt: skip
    assert protest["evidence"][0]["start"] == 0  # located in the article like any record


def test_a_users_type_shows_in_the_terminal_tables(
    article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsschema.cli._app.stdout_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "160")
    answer = {**PROTEST_ANSWER, "meetings": []}
    with ScriptedServer([completion(answer)]) as server:
        result = run("summarize", article, "--events", f"{USER_TYPE},meeting", "--model", "m",
                     "--base-url", server.base_url, "--api-key", FAKE_KEY)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert answer_keys(server.requests[0]) == {"headline", "summary", "protests", "meetings"}
    out = result.stdout
    assert "protests (1)" in out
    assert "organisers: Coalition for Change" in out
    assert "place: Lagos" in out and "size: Thousands" in out
    assert "demands: lower fuel prices" in out
    assert "on Saturday" in out
    assert "meetings (0)" in out  # a chosen type with no records is still named


def test_batch_sends_the_chosen_types(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "l1", "text": ARTICLE}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with ScriptedServer([completion(PROTEST_ANSWER)]) as server:
        result = run("batch", feed, "-o", out, "--no-cache", "--events", USER_TYPE, "--model",
                     "m", "--base-url", server.base_url, "--api-key", FAKE_KEY)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert answer_keys(server.requests[0]) == {"headline", "summary", "protests"}
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["summary"]["protests"][0]["demands"] == ["lower fuel prices"]


def test_an_unknown_name_is_a_usage_error_listing_the_known_types(article: Path) -> None:
    result = run("summarize", article, "--events", "meeting,riot", "--model", "m")
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())
    assert "unknown event type 'riot'" in message
    assert all(name in message for name in BUILTIN_NAMES)
    assert "module:Class" in message


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("tests.no_such_module:Protest", "cannot import tests.no_such_module"),
        ("tests.custom_types:Riot", "has no Riot"),
        ("json:dumps", "is not an event type"),
        ("newsschema:Event", "is not an event type"),
        ("tests.custom_types", "unknown event type"),
        (":Protest", "not a module:Class path"),
    ],
)
def test_a_bad_path_is_a_usage_error_naming_it(path: str, says: str) -> None:
    for command in (["summarize", "-", "--model", "m"], ["schema"]):
        result = run(*command, "--events", path)
        assert result.exit_code == 2, result.output
        message = " ".join(result.stderr.split())
        assert path.lstrip(":") in message and says in message, message


def test_a_bad_path_stops_batch_before_any_call(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "l1", "text": ARTICLE}) + "\n", encoding="utf-8")
    with ScriptedServer([]) as server:
        result = run("batch", feed, "-o", tmp_path / "out.jsonl", "--events", "json:dumps",
                     "--model", "m", "--base-url", server.base_url)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert server.requests == []
    assert not (tmp_path / "out.jsonl").exists()


def test_schema_type_of_a_users_type_after_events_imports_it() -> None:
    result = run("schema", "--events", USER_TYPE, "--type", "protest")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert {"organisers", "place", "size", "demands", "status", "evidence"} <= set(
        schema["properties"]
    )
    assert "protests" not in schema["properties"]


def test_schema_events_prints_the_answer_schema_for_just_those() -> None:
    one = json.loads(run("schema", "--events", "meeting").stdout)
    assert set(one["properties"]) == {"headline", "summary", "meetings"}
    both = json.loads(run("schema", "--events", f"{USER_TYPE},meeting").stdout)
    assert list(both["properties"]) == ["headline", "summary", "protests", "meetings"]


def test_schema_type_unknown_names_the_known_types_and_events(tmp_path: Path) -> None:
    # A fresh process: nothing has imported the user's module.
    done = installed("schema", "--type", "protest", cwd=tmp_path)
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "unknown event type 'protest'" in message
    assert all(name in message for name in BUILTIN_NAMES)
    assert "--events module:Class" in message


def test_eval_scores_only_the_chosen_types(tmp_path: Path) -> None:
    gold = ROOT / "benchmarks" / "gold" / "seed.json"
    report = tmp_path / "report.json"
    result = run("eval", gold, "--model", "m", "--replay", tmp_path, "--events", "meeting,visit",
                 "--json", report)  # fmt: skip
    assert result.exit_code == 1, result.output  # no cassette: the article fails, listed
    assert list(json.loads(report.read_text(encoding="utf-8"))["types"]) == ["meetings", "visits"]


def test_eval_of_a_type_the_gold_files_lack_names_the_file_and_the_list(tmp_path: Path) -> None:
    gold = ROOT / "benchmarks" / "gold" / "seed.json"
    result = run("eval", gold, "--model", "m", "--replay", tmp_path, "--events", USER_TYPE)
    assert result.exit_code != 0
    message = " ".join(result.stderr.split())
    assert "seed.json" in message
    assert "'protests' list" in message


def test_export_and_report_read_a_users_types_after_events_imports_them(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "l1", "text": ARTICLE}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with ScriptedServer([completion(PROTEST_ANSWER)]) as server:
        made = run("batch", feed, "-o", out, "--no-cache", "--events", USER_TYPE, "--model",
                   "m", "--base-url", server.base_url, "--api-key", FAKE_KEY)  # fmt: skip
    assert made.exit_code == 0, made.output
    # Fresh processes: nothing has imported the user's module.
    refused = installed("export", out, "--db", tmp_path / "n.db", cwd=ROOT)
    assert refused.returncode == 1
    assert "'protests'" in refused.stderr and "--events module:Class" in refused.stderr
    exported = installed("export", out, "--db", tmp_path / "n.db", "--events", USER_TYPE, cwd=ROOT)
    assert exported.returncode == 0, exported.stderr
    assert "wrote 1 article(s)" in exported.stderr
    page = tmp_path / "r.html"
    reported = installed("report", out, "-o", page, "--events", USER_TYPE, cwd=ROOT)
    assert reported.returncode == 0, reported.stderr
    assert "Coalition for Change" in page.read_text(encoding="utf-8")  # the stored article text
