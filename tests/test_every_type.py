"""Every registered event type — the four built-ins and a user's own — end to end.

One invented article reports one event of each type; a hand-written gold file
(a fixture, written for this test) annotates them. For each type alone, the
fake model answers with that gold record, and the test follows it through
``summarize``, the exports (JSON Lines, CSV, SQLite), the review page and
``newsschema eval``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsschema import (
    Event,
    GoldSetError,
    export_sqlite,
    read_jsonl,
    summarize,
    write_csv,
    write_jsonl,
    write_report,
)
from newsschema._eval import load_gold, run_eval
from newsschema._records import BUILTIN_TYPES, event_type
from newsschema.testing import FakeModel

# An invented article: no such people, towns or events.
ARTICLE = (
    "RIVERTON, May 8 - Foreign Minister Ana Duarte met Trade Minister Kofi Mensah in "
    "Riverton on Monday to discuss tariffs.\n"
    '"We will lower tariffs next year," Duarte told reporters after the talks.\n'
    "Mensah will visit Lisbon next week, his office said.\n"
    "A court in Accra issued an arrest warrant on Tuesday for businessman Paul Egan on "
    "fraud charges.\n"
    "Thousands of farmers marched through Riverton on Sunday, demanding lower fuel prices, "
    "in a protest organised by the Farmers League.\n"
    "Police arrested activist Mara Silva near the city hall on Saturday on charges of "
    "public disorder.\n"
)

GOLD: dict[str, Any] = {
    "id": "riverton",
    "source": "invented for tests/test_every_type.py",
    "credit": "written for this test",
    "published": "2024-05-08",
    "headline": None,
    "text": ARTICLE,
    "meetings": [
        {
            "participants": ["Ana Duarte", "Kofi Mensah"],
            "place": "Riverton",
            "format": "in_person",
            "status": "occurred",
            "time": {"expression": "on Monday", "value": "2024-05-06"},
            "evidence": [
                "Foreign Minister Ana Duarte met Trade Minister Kofi Mensah in Riverton on "
                "Monday to discuss tariffs."
            ],
        }
    ],
    "statements": [
        {
            "speaker": "Ana Duarte",
            "content": "Tariffs will be lowered next year.",
            "quote": "We will lower tariffs next year,",
            "status": "occurred",
            "evidence": ['"We will lower tariffs next year," Duarte told reporters'],
        }
    ],
    "visits": [
        {
            "visitor": "Kofi Mensah",
            "destination": "Lisbon",
            "status": "planned",
            "time": {"expression": "next week", "value": "2024-W20"},
            "evidence": ["Mensah will visit Lisbon next week, his office said."],
        }
    ],
    "warrants": [
        {
            "subject": "Paul Egan",
            "authority": "court in Accra",
            "kind": "arrest warrant",
            "charges": ["fraud"],
            "status": "issued",
            "time": {"expression": "on Tuesday", "value": "2024-05-07"},
            "evidence": [
                "A court in Accra issued an arrest warrant on Tuesday for businessman Paul Egan"
            ],
        }
    ],
    "protests": [
        {
            "organisers": ["Farmers League"],
            "place": "Riverton",
            "size": "Thousands",
            "demands": ["lower fuel prices"],
            "status": "occurred",
            "time": {"expression": "on Sunday", "value": "2024-05-05"},
            "evidence": ["Thousands of farmers marched through Riverton on Sunday"],
        }
    ],
    "arrests": [
        {
            "person": "Mara Silva",
            "authority": "Police",
            "place": "city hall",
            "charges": ["public disorder"],
            "status": "occurred",
            "time": {"expression": "on Saturday", "value": "2024-05-04"},
            "evidence": ["Police arrested activist Mara Silva near the city hall on Saturday"],
        }
    ],
}

# The four built-ins and the test-only types of tests/custom_types.py, by name.
NAMES = [*(event_type(cls).name for cls in BUILTIN_TYPES), "protest", "arrest"]


@pytest.fixture(scope="module")
def registered(every_type: dict[str, type[Event]]) -> dict[str, type[Event]]:
    """Every type under test; the user's types are registered for this module only."""
    return every_type


@pytest.fixture(params=NAMES)
def cls(request: pytest.FixtureRequest, registered: dict[str, type[Event]]) -> type[Event]:
    return registered[request.param]


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold" / "riverton.json"
    path.parent.mkdir()
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    return path


def answering(answer: dict[str, Any]) -> FakeModel:
    fake = FakeModel()
    fake.enqueue(answer)
    return fake


def test_every_type_through_summarize_exports_report_and_eval(
    cls: type[Event], gold_file: Path, tmp_path: Path
) -> None:
    kind = event_type(cls)
    [gold] = load_gold(gold_file, events=[cls])
    assert set(gold.records) == {kind.plural}
    answer = gold.to_answer(events=[cls])
    assert list(answer) == ["headline", "summary", kind.plural]

    # summarize: the record comes back typed, grounded and with its time resolved.
    summary = summarize(
        ARTICLE,
        published="2024-05-08",
        events=[cls],
        client=answering(answer).client(),
        model="fake",
    )
    [record] = summary.of(cls)
    assert type(record) is cls
    assert summary.provenance.event_types == [kind.name]
    for evidence in record.evidence:
        assert evidence.start is not None and evidence.end is not None
        assert ARTICLE[evidence.start : evidence.end] == evidence.quote
    [gold_record] = gold.events(kind.plural)
    if gold_record.time is None:
        assert record.when is None
    else:
        assert record.when is not None and record.when.value == gold_record.time.value
    who, many = kind.actor_fields[0]
    actors = getattr(record, who) if many else [getattr(record, who)]
    indexed = {actor.name for actor in summary.actors}
    assert {actor.name for actor in actors} <= indexed

    # Exports: JSON Lines round trip, a CSV row, a SQLite table of its own.
    jsonl = tmp_path / "out.jsonl"
    write_jsonl([("riverton", ARTICLE, summary)], jsonl)
    [(article_id, read_back)] = read_jsonl(jsonl)
    assert article_id == "riverton"
    assert read_back.of(cls) == summary.of(cls)
    rows = write_csv([("riverton", ARTICLE, summary)], tmp_path / "events.csv")
    assert rows == 1
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as f:
        [row] = list(csv.DictReader(f))
    assert row["type"] == kind.name
    assert export_sqlite(jsonl, tmp_path / "events.db") == (1, 1)
    with sqlite3.connect(tmp_path / "events.db") as db:
        [(count,)] = db.execute(f'SELECT count(*) FROM "{kind.plural}"').fetchall()
    assert count == 1

    # The review page shows the record with its evidence.
    page = write_report([("riverton", ARTICLE, summary)], tmp_path / "review.html")
    html = page.read_text(encoding="utf-8")
    assert html.count('<article class="record') == 1  # one record card, of this type
    assert f'data-type="{kind.name}"' in html
    assert "Riverton" in html and "Mara Silva" in html  # the article text, shown whole

    # eval: the model's answer is the gold, so the type scores 1.0 everywhere.
    report = run_eval(gold_file, events=[cls], client=answering(answer).client(), model="fake")
    assert list(report.types) == [kind.plural]
    scores = report.types[kind.plural]
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 0)
    assert scores.fields["time"].accuracy == 1.0
    assert scores.fields["status"].accuracy == 1.0
    assert ("place" in scores.fields) == bool(kind.place_fields)
    assert report.errors == []


def test_every_type_scored_against_a_model_that_finds_nothing(
    cls: type[Event], gold_file: Path
) -> None:
    kind = event_type(cls)
    empty = {"headline": None, "summary": "Nothing found.", kind.plural: []}
    report = run_eval(gold_file, events=[cls], client=answering(empty).client(), model="fake")
    scores = report.types[kind.plural]
    assert (scores.tp, scores.fp, scores.fn, scores.recall) == (0, 0, 1, 0.0)
    [article] = report.per_article
    assert [m.split(":")[0] for m in article.missed] == [f"{kind.plural}[0]"]


def test_a_gold_file_without_the_chosen_types_list_names_it(
    gold_file: Path, registered: dict[str, type[Event]]
) -> None:
    protest, arrest = registered["protest"], registered["arrest"]
    data = json.loads(gold_file.read_text(encoding="utf-8"))
    del data["protests"]
    gold_file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GoldSetError, match=r"riverton\.json: no 'protests' list"):
        load_gold(gold_file, events=[protest])
    assert load_gold(gold_file, events=[arrest])  # other types still read


def test_a_misspelt_list_in_a_gold_file_is_refused(
    gold_file: Path, registered: dict[str, type[Event]]
) -> None:
    data = json.loads(gold_file.read_text(encoding="utf-8"))
    data["protestss"] = data["protests"]
    gold_file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GoldSetError, match="protestss"):
        load_gold(gold_file, events=[registered["protest"]])
