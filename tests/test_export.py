"""Summaries as data: records, pandas, CSV, JSON Lines and SQLite, from the replayed seed."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import CASSETTES, SCRIPTED_MODEL, SEED_ARTICLE

from newsschema import ArticleSummary, ConfigurationError, Evidence, InputError, summarize
from newsschema._io._export import (
    COLUMNS,
    export_sqlite,
    read_articles,
    read_jsonl,
    to_dataframe,
    to_records,
    write_csv,
    write_jsonl,
)
from newsschema.testing import replay_client


@pytest.fixture(scope="module")
def seed() -> ArticleSummary:
    client = replay_client(CASSETTES / "seed_reference.json")
    return summarize(SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL)


def test_records_are_one_row_per_event_all_with_the_same_keys(seed: ArticleSummary) -> None:
    records = to_records(seed, article_id="seed", url="https://example.org/a")
    assert [(r["type"], r["index"]) for r in records] == [
        (e.type, i)
        for kind in ("meetings", "statements", "visits", "warrants")
        for i, e in enumerate(getattr(seed, kind))
    ]
    assert all(tuple(r) == COLUMNS for r in records)
    assert {(r["article_id"], r["url"], r["published"], r["headline"]) for r in records} == {
        ("seed", "https://example.org/a", date(2023, 9, 18), seed.headline)
    }


def test_meeting_record_flattens_participants_place_time_and_evidence(
    seed: ArticleSummary,
) -> None:
    talks = to_records(seed)[0]
    meeting = seed.meetings[0]
    assert talks["record"] == "meetings.0"
    assert talks["participants"] == "Sergey Lavrov; Wang Yi"
    assert talks["participants_list"] == ["Sergey Lavrov", "Wang Yi"]
    assert (talks["place"], talks["place_kind"]) == ("Moscow", "city")
    assert talks["status"] == "occurred"
    assert talks["when"] == "on Monday"
    assert talks["when_resolution"] == meeting.when.resolution  # type: ignore[union-attr]
    first, second = meeting.evidence
    assert (talks["evidence_quote"], talks["evidence_start"], talks["evidence_end"]) == (
        first.quote,
        first.start,
        first.end,
    )
    assert talks["evidence_quotes"] == f"{first.quote} | {second.quote}"
    assert talks["evidence_count"] == 2
    assert talks["grounded"] is True
    # Fields of other record types stay empty.
    assert talks["speaker"] is None and talks["subject"] is None and talks["charges"] is None


def test_each_type_flattens_its_own_actors_and_lists(seed: ArticleSummary) -> None:
    by_record = {r["record"]: r for r in to_records(seed)}
    warrant = by_record["warrants.0"]
    assert warrant["subject"] == "Vladimir Putin"
    assert warrant["authority"] == "International Criminal Court"
    assert (warrant["kind"], warrant["status"]) == ("arrest warrant", "issued")
    assert (warrant["charges"], warrant["charges_list"]) == ("war crimes", ["war crimes"])
    visit = by_record["visits.1"]
    assert (visit["visitor"], visit["status"]) == ("Vladimir Putin", "expected")
    assert visit["destination"] == seed.visits[1].destination.name  # type: ignore[union-attr]
    statement = by_record["statements.8"]
    assert statement["speaker"] == seed.statements[8].speaker.name
    assert statement["quote"] == seed.statements[8].quote
    assert statement["participants"] is None


def test_records_count_all_26_evidence_quotes_as_found(seed: ArticleSummary) -> None:
    records = to_records(seed)
    assert sum(r["evidence_count"] for r in records) == 26
    assert all(r["grounded"] for r in records)


def test_a_record_with_an_unlocated_quote_is_not_grounded(seed: ArticleSummary) -> None:
    lost = seed.meetings[0].model_copy(
        update={"evidence": [*seed.meetings[0].evidence, Evidence(quote="Not in it.")]}
    )
    summary = seed.model_copy(update={"meetings": [lost]})
    (record, *_) = to_records(summary)
    assert record["grounded"] is False
    assert record["evidence_count"] == 3


def test_csv_round_trips_every_record_of_the_seed(seed: ArticleSummary, tmp_path: Path) -> None:
    path = tmp_path / "seed.csv"
    assert write_csv([("seed", seed)], path) == 19
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = list(reader)
    records = to_records(seed, article_id="seed")
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        for column, value in record.items():
            if column.endswith("_list") and value is not None:
                assert json.loads(row[column]) == value, column
            elif isinstance(value, date):
                assert date.fromisoformat(row[column]) == value, column
            else:
                assert row[column] == ("" if value is None else str(value)), column


def test_jsonl_line_holds_id_url_article_and_summary(seed: ArticleSummary, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert write_jsonl([("seed", SEED_ARTICLE, seed)], path) == 1
    (line,) = path.read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    assert list(data) == ["id", "url", "article", "summary"]
    assert (data["id"], data["url"], data["article"]) == ("seed", None, SEED_ARTICLE)
    assert ArticleSummary.model_validate(data["summary"]) == seed


def test_jsonl_reads_back_equal_summaries_and_article_text(
    seed: ArticleSummary, tmp_path: Path
) -> None:
    path = tmp_path / "out.jsonl"
    write_jsonl([("a", SEED_ARTICLE, seed), ("b", seed)], path)
    assert read_jsonl(path) == [("a", seed), ("b", seed)]
    assert [a.article for a in read_articles(path)] == [SEED_ARTICLE, None]


def test_summaries_given_without_an_id_get_a_stable_content_id(
    seed: ArticleSummary, tmp_path: Path
) -> None:
    write_jsonl(seed, tmp_path / "one.jsonl")
    write_jsonl([seed], tmp_path / "two.jsonl")
    ((first, _),) = read_jsonl(tmp_path / "one.jsonl")
    ((second, _),) = read_jsonl(tmp_path / "two.jsonl")
    assert first == second and len(first) == 12


def test_jsonl_also_reads_bare_summary_lines(seed: ArticleSummary, tmp_path: Path) -> None:
    path = tmp_path / "bare.jsonl"
    path.write_text(seed.model_dump_json() + "\n\n", encoding="utf-8")
    assert read_jsonl(path) == [("line-1", seed)]


@pytest.mark.parametrize(
    ("line", "message"),
    [("not json", "not JSON"), ("[1, 2]", "expected a JSON object"), ('{"summary": {}}', "3:")],
)
def test_a_bad_jsonl_line_is_an_input_error_naming_the_line(
    seed: ArticleSummary, tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(seed.model_dump_json() + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3") as caught:
        read_jsonl(path)
    assert message in str(caught.value)


def test_writers_reject_what_is_not_a_summary(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="got dict"):
        write_jsonl([{"summary": "x"}], tmp_path / "x.jsonl")  # type: ignore[list-item]


def _sqlite(seed: ArticleSummary, tmp_path: Path) -> sqlite3.Connection:
    jsonl = tmp_path / "out.jsonl"
    write_jsonl([("seed", SEED_ARTICLE, seed)], jsonl)
    assert export_sqlite(jsonl, tmp_path / "news.db") == (1, 19)
    return sqlite3.connect(tmp_path / "news.db")


def test_sqlite_holds_every_record_of_the_seed(seed: ArticleSummary, tmp_path: Path) -> None:
    db = _sqlite(seed, tmp_path)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "meetings", "statements", "visits", "warrants", "actors"} <= tables
    assert {"meeting_participants", "evidence", "dropped"} <= tables
    counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in sorted(tables)]
    assert dict(zip(sorted(tables), counts, strict=True)) | {"actors": None} == {
        "actors": None, "articles": 1, "dropped": 0, "evidence": 26, "failed_chunks": 0,
        "meeting_participants": 12,
        "meetings": 6, "statements": 10, "visits": 2, "warrants": 1,
    }  # fmt: skip
    assert db.execute("SELECT headline, published, article FROM articles").fetchone() == (
        seed.headline,
        "2023-09-18",
        SEED_ARTICLE,
    )
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sqlite_joins_give_back_actors_in_their_roles(seed: ArticleSummary, tmp_path: Path) -> None:
    db = _sqlite(seed, tmp_path)
    participants = db.execute(
        "SELECT a.name FROM meetings m JOIN meeting_participants p ON p.meeting_id = m.id "
        "JOIN actors a ON a.id = p.actor_id WHERE m.idx = 0 ORDER BY p.position"
    ).fetchall()
    assert participants == [("Sergey Lavrov",), ("Wang Yi",)]
    warrant = db.execute(
        "SELECT s.name, a.name, w.kind, w.charges, w.status FROM warrants w "
        "JOIN actors s ON s.id = w.subject_id JOIN actors a ON a.id = w.authority_id"
    ).fetchone()
    assert warrant == (
        "Vladimir Putin",
        "International Criminal Court",
        "arrest warrant",
        '["war crimes"]',
        "issued",
    )
    speakers = [r[0] for r in db.execute("SELECT a.name FROM statements s JOIN actors a "
                                         "ON a.id = s.speaker_id ORDER BY s.idx")]  # fmt: skip
    assert speakers == [s.speaker.name for s in seed.statements]


def test_sqlite_evidence_rows_carry_each_quote_and_its_offsets(
    seed: ArticleSummary, tmp_path: Path
) -> None:
    db = _sqlite(seed, tmp_path)
    rows = db.execute(
        "SELECT record_type, record_idx, position, quote, span_start, span_end FROM evidence "
        "ORDER BY id"
    ).fetchall()
    expected = [
        (event.type, i, k, e.quote, e.start, e.end)
        for kind in ("meetings", "statements", "visits", "warrants")
        for i, event in enumerate(getattr(seed, kind))
        for k, e in enumerate(event.evidence)
    ]
    assert rows == expected


def test_exporting_an_article_again_replaces_its_rows(seed: ArticleSummary, tmp_path: Path) -> None:
    db = _sqlite(seed, tmp_path)
    before = [db.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("actors", "evidence")]
    db.close()
    assert export_sqlite([("seed", SEED_ARTICLE, seed)], tmp_path / "news.db") == (1, 19)
    db = sqlite3.connect(tmp_path / "news.db")
    after = [db.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("actors", "evidence")]
    assert after == before
    assert db.execute("SELECT count(*) FROM meetings").fetchone() == (6,)


def test_sqlite_declares_foreign_keys_that_sqlite_enforces(
    seed: ArticleSummary, tmp_path: Path
) -> None:
    db = _sqlite(seed, tmp_path)
    db.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute(
            "INSERT INTO meetings (article_id, idx, status, format) VALUES ('nowhere', 0, 'x', 'x')"
        )


def test_to_dataframe_has_a_row_per_record_and_datetime_columns(seed: ArticleSummary) -> None:
    pandas = pytest.importorskip("pandas")
    frame = seed.to_dataframe(article_id="seed")
    assert frame.shape == (19, len(COLUMNS))
    assert list(frame["participants"].head(2)) == [
        "Sergey Lavrov; Wang Yi",
        "Han Zheng; Antony Blinken",
    ]
    assert pandas.api.types.is_datetime64_any_dtype(frame["published"])
    both = to_dataframe([("a", seed), ("b", seed)])
    assert list(both.groupby("article_id").size()) == [19, 19]


def test_to_dataframe_without_pandas_names_the_install_command(
    seed: ArticleSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ConfigurationError, match=r"pip install 'newsschema\[pandas\]'"):
        seed.to_dataframe()
    with pytest.raises(ConfigurationError, match="pandas"):
        to_dataframe([seed])


def test_to_records_method_matches_the_function(seed: ArticleSummary) -> None:
    assert seed.to_records(article_id="x") == to_records(seed, article_id="x")
