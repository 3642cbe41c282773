"""Every event type, built-in or a user's, through records, CSV, JSON Lines, SQLite and the report.

Each type's model answer is built from its own fields (names, a place, text,
literals, lists), so the same checks run on ``Meeting`` and on a user's
``Protest`` without code for either. The user's types (tests/custom_types.py) are
registered only while this module's tests run, so other tests see the registry as
a fresh process has it.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from newsschema import Actor, ArticleSummary, ConfigurationError, Event, summarize
from newsschema._io import (
    export_sqlite,
    read_jsonl,
    render_report,
    to_records,
    write_csv,
    write_jsonl,
)
from newsschema._records import BUILTIN_TYPES, FieldShape, _event, event_type, field_shapes
from newsschema._records import registered_types as registered
from newsschema.testing import FakeModel

USER_TYPES = ("protest", "arrest")  # tests/custom_types.py: Protest, Arrest
IDS = [*(event_type(cls).name for cls in BUILTIN_TYPES), *USER_TYPES]

# Two sentences, one per record; actor names differ so the two are not merged.
ARTICLE = (
    "Ana Lima and Bo Chen met in Lisbon on Monday to talk.\n"
    "Cy Diaz and Ed Fox were in Porto on Tuesday, officials said.\n"
)
SENTENCES = [line for line in ARTICLE.splitlines() if line]
PEOPLE = [("Ana Lima", "Bo Chen"), ("Cy Diaz", "Ed Fox")]
PLACES = ["Lisbon", "Porto"]


def _actor(name: str) -> dict[str, Any]:
    return {"name": name, "title": None, "organisation": None, "country": None, "kind": "person"}


def _value(shape: FieldShape, n: int) -> Any:
    """A value for one field of record ``n``, whatever the field holds."""
    if shape.kind == "actor":
        people = [_actor(p) for p in PEOPLE[n]]
        return people if shape.many else people[0]
    if shape.kind == "place":
        place = {"name": PLACES[n], "country": "Portugal", "kind": "city"}
        return [place] if shape.many else place
    if shape.quote:  # quoted verbatim: words of the record's own sentence
        return SENTENCES[n].split(" on ")[0]
    if shape.choices:
        one: Any = shape.choices[0]
    else:
        one = {str: f"{shape.name} {n}", int: 3 + n, float: 1.5, bool: True}[shape.python]
    return [one, f"{shape.name} more"] if shape.many else one


def _record(cls: type[Event], n: int) -> dict[str, Any]:
    draft = event_type(cls).draft
    data = {s.name: _value(s, n) for s in field_shapes(cls) if not s.computed}
    status = draft.model_fields["status"].annotation
    data["status"] = status.__args__[0]  # type: ignore[union-attr]
    data["when"] = {"expression": ["on Monday", "on Tuesday"][n]}
    data["evidence"] = [{"quote": SENTENCES[n]}]
    return data


def _summarize(types: list[type[Event]]) -> ArticleSummary:
    answer: dict[str, Any] = {"headline": "Two meetings", "summary": "People met."}
    for cls in types:
        answer[event_type(cls).plural] = [_record(cls, 0), _record(cls, 1)]
    fake = FakeModel()
    fake.enqueue(answer)
    return summarize(
        ARTICLE, published="2024-05-08", events=types, client=fake.client(), model="fake"
    )


@pytest.fixture(scope="module", autouse=True)
def types(every_type: dict[str, type[Event]]) -> dict[str, type[Event]]:
    """Every type under test by name, the user's defined (registered) for this module only."""
    return every_type


@pytest.fixture(scope="module", params=IDS)
def case(
    request: pytest.FixtureRequest, types: dict[str, type[Event]]
) -> tuple[type[Event], ArticleSummary]:
    cls = types[request.param]
    summary = _summarize([cls])
    assert len(summary.of(cls)) == 2, summary.dropped
    return cls, summary


def test_the_types_under_test_are_registered(types: dict[str, type[Event]]) -> None:
    assert set(IDS) <= set(registered())
    assert all(registered()[name] is cls for name, cls in types.items())


def test_records_hold_every_field_of_the_type(case: tuple[type[Event], ArticleSummary]) -> None:
    cls, summary = case
    entry = event_type(cls)
    records = to_records(summary, article_id="x")
    assert [(r["type"], r["record"]) for r in records] == [
        (entry.name, f"{entry.plural}.0"),
        (entry.name, f"{entry.plural}.1"),
    ]
    for n, record in enumerate(records):
        assert record["when"] == ["on Monday", "on Tuesday"][n]
        assert record["evidence_quote"] == SENTENCES[n] and record["grounded"] is True
        for shape in field_shapes(cls):
            if shape.computed:
                continue
            value = record[shape.name]
            if shape.kind == "actor":
                names = list(PEOPLE[n]) if shape.many else [PEOPLE[n][0]]
                assert (record[f"{shape.name}_list"] if shape.many else [value]) == names
            elif shape.kind == "place":
                assert value == PLACES[n]
            elif shape.many:
                assert record[f"{shape.name}_list"] == _value(shape, n)
            else:
                assert value == getattr(summary.of(cls)[n], shape.name)


def test_csv_has_the_types_columns_and_a_row_per_record(
    case: tuple[type[Event], ArticleSummary], tmp_path: Path
) -> None:
    cls, summary = case
    assert write_csv([("x", summary)], tmp_path / "out.csv") == 2
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    records = to_records(summary, article_id="x")
    assert tuple(reader.fieldnames or ()) == tuple(records[0])
    assert [r["record"] for r in rows] == [r["record"] for r in records]
    first = next(s for s in field_shapes(cls) if not s.computed)
    column = f"{first.name}_list" if first.many else first.name
    assert rows[0][column] == (
        json.dumps(records[0][column]) if first.many else str(records[0][column])
    )


def test_jsonl_round_trips_the_summary(
    case: tuple[type[Event], ArticleSummary], tmp_path: Path
) -> None:
    cls, summary = case
    write_jsonl([("x", ARTICLE, summary)], tmp_path / "out.jsonl")
    ((article_id, back),) = read_jsonl(tmp_path / "out.jsonl")
    assert (article_id, back) == ("x", summary)
    assert all(type(r) is cls for r in back.events)


def test_sqlite_has_the_types_table_link_tables_and_evidence(
    case: tuple[type[Event], ArticleSummary], tmp_path: Path
) -> None:
    cls, summary = case
    entry = event_type(cls)
    assert export_sqlite([("x", ARTICLE, summary)], tmp_path / "db.sqlite") == (1, 2)
    db = sqlite3.connect(tmp_path / "db.sqlite")
    table = entry.plural
    assert db.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (2,)
    columns = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
    for shape in field_shapes(cls):
        if shape.kind == "actor" and shape.many:
            link = f"{entry.name}_{shape.name}"
            names = db.execute(
                f'SELECT a.name FROM "{link}" l JOIN actors a ON a.id = l.actor_id '
                f'JOIN "{table}" t ON t.id = l."{entry.name}_id" ORDER BY t.idx, l.position'
            ).fetchall()
            assert [n for (n,) in names] == [*PEOPLE[0], *PEOPLE[1]]
        elif shape.kind == "actor":
            names = db.execute(
                f'SELECT a.name FROM "{table}" t JOIN actors a '
                f'ON a.id = t."{shape.name}_id" ORDER BY t.idx'
            ).fetchall()
            assert names == [(PEOPLE[0][0],), (PEOPLE[1][0],)]
        elif shape.kind == "place":
            assert {shape.name, f"{shape.name}_country", f"{shape.name}_kind"} <= columns
            assert db.execute(f'SELECT "{shape.name}" FROM "{table}" ORDER BY idx').fetchall() == [
                (PLACES[0],),
                (PLACES[1],),
            ]
        elif shape.many:
            (stored,) = db.execute(f'SELECT "{shape.name}" FROM "{table}" WHERE idx = 0').fetchone()
            assert json.loads(stored) == _value(shape, 0)
        else:
            assert shape.name in columns
    assert {"when_expression", "when_value", "when_start"} <= columns
    assert db.execute(
        "SELECT record_type, record_idx, quote, span_start FROM evidence ORDER BY id"
    ).fetchall() == [
        (entry.name, 0, SENTENCES[0], 0),
        (entry.name, 1, SENTENCES[1], len(SENTENCES[0]) + 1),
    ]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


class _Page(HTMLParser):
    """Record cards (id, type) and the text under each evidence span of a report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[tuple[str, str]] = []
        self.spans: dict[str, str] = {}
        self.labels: list[str] = []
        self._current: list[str] = []
        self._in_dt = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article" and "record" in (values.get("class") or ""):
            self.cards.append((values.get("id") or "", values.get("data-type") or ""))
        elif tag == "mark":
            self._current = (values.get("data-ev") or "").split()
        self._in_dt = tag == "dt"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._current = []
        self._in_dt = False

    def handle_data(self, data: str) -> None:
        for span in self._current:
            self.spans[span] = self.spans.get(span, "") + data
        if self._in_dt:
            self.labels.append(data)


def test_report_shows_each_record_with_its_fields_and_highlights_its_spans(
    case: tuple[type[Event], ArticleSummary],
) -> None:
    cls, summary = case
    name = event_type(cls).name
    html = render_report([("x", ARTICLE, summary)])
    page = _Page()
    page.feed(html)
    assert page.cards == [(f"a1-{name}-0", name), (f"a1-{name}-1", name)]
    assert page.spans == {f"a1-{name}-{n}-e0": SENTENCES[n] for n in range(2)}
    shown = {s.name for s in field_shapes(cls) if not s.computed}
    assert shown <= set(page.labels)
    # Its colour: a rule for the type's class, used by its marks and cards.
    assert re.search(rf"mark\.t-{name} {{ background-color: #[0-9a-f]{{6}}; }}", html)
    assert f'<mark class="t-{name} single"' in html


def test_notebook_displays_list_each_record(case: tuple[type[Event], ArticleSummary]) -> None:
    cls, summary = case
    name = event_type(cls).name
    assert len(re.findall(rf'<tr data-type="{name}"', summary._repr_html_())) == 2
    bullets = [b for b in summary._repr_markdown_().splitlines() if b.startswith("- **")]
    assert [b.split("**")[1] for b in bullets] == [f"{name} 0", f"{name} 1"]


# --------------------------------------------------------------------------------------
# All the types in one summary.


@pytest.fixture(scope="module")
def every(types: dict[str, type[Event]]) -> ArticleSummary:
    return _summarize(list(types.values()))


def test_one_summary_of_every_type_is_one_table_and_one_database(
    every: ArticleSummary, tmp_path: Path
) -> None:
    records = to_records(every)
    assert len(records) == 2 * len(IDS)
    assert len({tuple(r) for r in records}) == 1  # the same keys for every type
    assert export_sqlite([("x", ARTICLE, every)], tmp_path / "all.db") == (1, 2 * len(IDS))
    db = sqlite3.connect(tmp_path / "all.db")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {event_type(type(r)).plural for r in every.events} <= tables
    assert len({type(r) for r in every.events}) == len(IDS)
    assert {"meeting_participants", "protest_organisers"} <= tables
    # Replaced again: actors no row points at are gone, none is lost.
    before = db.execute("SELECT count(*) FROM actors").fetchone()
    db.close()
    export_sqlite([("x", ARTICLE, every)], tmp_path / "all.db")
    db = sqlite3.connect(tmp_path / "all.db")
    assert db.execute("SELECT count(*) FROM actors").fetchone() == before
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_type_has_its_own_colour_on_one_page(every: ArticleSummary) -> None:
    html = render_report([("x", ARTICLE, every)])
    fills = dict(re.findall(r"mark\.t-(\w+) \{ background-color: (#[0-9a-f]{6}); \}", html))
    assert set(fills) == set(IDS)
    assert len(set(fills.values())) == len(IDS)
    assert fills["meeting"] == "#cfe2ff"  # the built-ins keep their colours


@pytest.fixture
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Types a test defines are forgotten after it (the shared ones stay as they were)."""
    monkeypatch.setattr(_event, "_REGISTRY", dict(_event._REGISTRY))


@pytest.mark.usefixtures("own_registry")
def test_a_type_that_gained_a_field_gains_its_column(
    tmp_path: Path, types: dict[str, type[Event]]
) -> None:
    db_path = tmp_path / "grow.db"
    export_sqlite([("x", ARTICLE, _summarize([types["protest"]]))], db_path)

    class Protest2(Event, name="protest", plural="protests"):
        """A public demonstration, now with who policed it."""

        organisers: list[Actor] = Field(description="Who organised it.")
        police: Actor | None = Field(description="Who policed it, or null.")
        size: str | None = Field(description="How many took part, or null.")

    fake = FakeModel()
    record = {
        "organisers": [_actor("Ana Lima")],
        "police": _actor("Bo Chen"),
        "size": None,
        "status": "occurred",
        "when": None,
        "evidence": [{"quote": SENTENCES[0]}],
    }
    fake.enqueue({"headline": None, "summary": "s", "protests": [record]})
    grown = summarize(ARTICLE, events=[Protest2], client=fake.client(), model="fake")
    assert export_sqlite([("y", ARTICLE, grown)], db_path) == (1, 1)
    db = sqlite3.connect(db_path)
    assert db.execute(
        "SELECT a.name FROM protests p JOIN actors a ON a.id = p.police_id"
    ).fetchall() == [("Bo Chen",)]
    assert db.execute("SELECT count(*) FROM protests").fetchone() == (3,)


@pytest.mark.usefixtures("own_registry")
def test_a_type_named_like_an_export_table_is_refused(tmp_path: Path) -> None:
    class Evidence(Event, name="evidence_item", plural="evidence"):
        """Something shown in court."""

        holder: Actor = Field(description="Who holds it.")

    with pytest.raises(ConfigurationError, match="plural=") as caught:
        export_sqlite([("x", ARTICLE, _summarize([Evidence]))], tmp_path / "x.db")
    assert "'evidence'" in str(caught.value)


# --------------------------------------------------------------------------------------
# examples/custom_event.py


def test_the_custom_event_example_runs_offline_and_writes_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    example = Path(__file__).resolve().parents[1] / "examples" / "custom_event.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI")}
    done = subprocess.run(
        [sys.executable, str(example), str(out)],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "type='protest'" in done.stdout and "1 arrest(s): Lena Ortiz" in done.stdout
    assert f"wrote {out / 'review.html'}" in done.stdout
    with (out / "events.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["type"] for r in rows] == ["meeting", "protest", "arrest"]
    assert rows[1]["organisers"] == "Harbour Workers' Union" and rows[2]["person"] == "Lena Ortiz"
    db = sqlite3.connect(out / "events.db")
    assert db.execute("SELECT size, demands FROM protests").fetchall() == [
        ("Thousands", '["higher wages", "safer cranes"]')
    ]
    assert db.execute(
        "SELECT p.name, a.name FROM arrests r JOIN actors p ON p.id = r.person_id "
        "JOIN actors a ON a.id = r.authority_id"
    ).fetchall() == [("Lena Ortiz", "Police")]
    assert db.execute("SELECT count(*) FROM protest_organisers").fetchone() == (1,)
    page = _Page()
    page.feed((out / "review.html").read_text(encoding="utf-8"))
    assert [t for _, t in page.cards] == ["meeting", "protest", "arrest"]
    assert len(page.spans) == 3
