"""Durations as written resolved to TIMEX3 DURATION values, for Visit and users' own types."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_ANSWER, SEED_ARTICLE
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from newsschema import (
    Actor,
    ConfigurationError,
    Event,
    Visit,
    export_sqlite,
    reprocess_summary,
    resolve_duration,
    resolve_time,
    summarize,
)
from newsschema._records import _event, draft_schema, event_type, record_views, schema_version
from newsschema.testing import FakeModel


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("four-day", "P4D"),
        ("two weeks", "P2W"),
        ("several days", "PXD"),
        ("48 hours", "PT48H"),
        ("a month", "P1M"),
        ("a three-day visit", "P3D"),
        ("for two days", "P2D"),
        ("a fortnight", "P2W"),
        ("two and a half years", "P2Y6M"),
        ("half an hour", "PT30M"),
        ("a minute and a half", "PT1M30S"),
        ("5 1/2 hours", "PT5H30M"),
        ("more than four hours", "PT4H"),
        ("nearly an hour", "PT1H"),
        ("the past three months", "P3M"),
        ("two or three days", "PXD"),
        ("the next 12 to 18 months", "PXM"),
        ("weeks or months", "PXW"),
        ("a few weeks", "PXW"),
        ("years", "PXY"),
        ("twenty-one days", "P21D"),
        ("one hundred days", "P100D"),
        ("a decade", "P10Y"),
        ("two decades", "P20Y"),
        ("decades", "PXDE"),
        ("the past two quarters", "P6M"),
        ("a weekend", "P2D"),
        ("a couple of years", "P2Y"),
        ("up to 180 days", "P180D"),
        ("the next two years or so", "P2Y"),
        ("the fiscal year", "P1Y"),
        ("10-year", "P10Y"),
        ("week-long", "P1W"),
        ("daylong", "P1D"),
        ("Eight trading days", "P8D"),
    ],
)
def test_a_length_of_time_resolves_to_its_timex3_value(written: str, value: str) -> None:
    assert resolve_duration(written) == value


@pytest.mark.parametrize(
    "written", ["", "   ", "Friday", "last week", "last weekend", "this year", "yesterday",
                "a while", "three days of talks", "until Sunday", "2023-09-18", "the visit"],
)  # fmt: skip
def test_words_that_are_no_length_of_time_stay_unresolved(written: str) -> None:
    assert resolve_duration(written) is None


def test_the_draft_sent_to_the_model_is_unchanged() -> None:
    assert schema_version() == "a677318de75b"
    assert "duration_value" not in json.dumps(draft_schema())
    assert event_type(Visit).duration_fields == ("duration",)


def test_a_visit_gets_its_duration_value_next_to_the_words() -> None:
    fake = FakeModel()
    fake.enqueue(SEED_ANSWER)
    summary = summarize(SEED_ARTICLE, client=fake.client(), model="m", published="2023-12-04")
    visits = summary.of(Visit)
    assert [(v.duration, v.duration_value) for v in visits] == [("four-day", "P4D"), (None, None)]
    assert json.loads(summary.model_dump_json())["visits"][0]["duration_value"] == "P4D"
    assert summary.to_records()[0].keys() >= {"duration", "duration_value"}
    shown = [dict(v.fields) for v in record_views(summary) if v.type == "visit"]
    assert shown[0]["duration"] == "four-day → P4D" and "duration" not in shown[1]


@pytest.fixture
def registry() -> Iterator[None]:
    """Types defined in a test are forgotten after it."""
    saved = dict(_event._REGISTRY)
    yield
    _event._REGISTRY.clear()
    _event._REGISTRY.update(saved)


@pytest.mark.usefixtures("registry")
def test_a_users_type_gets_its_durations_resolved_and_reprocessed() -> None:
    class Strike(Event):
        """Workers stopping work to press demands."""

        union: Actor = Field(description="Who called the strike.")
        strike_duration: str | None = Field(description="How long, as written, or null.")
        strike_duration_value: SkipJsonSchema[str | None] = Field(
            default=None, description="TIMEX3 duration of strike_duration."
        )

    assert event_type(Strike).duration_fields == ("strike_duration",)
    assert "strike_duration_value" not in json.dumps(draft_schema((Strike,)))
    text = "Dock workers began a 48-hour strike on Monday, the union said."
    fake = FakeModel()
    fake.enqueue({
        "headline": None, "summary": "A strike.",
        "strikes": [{
            "union": {"name": "the union", "title": None, "organisation": None,
                      "country": None, "kind": "organisation"},
            "strike_duration": "48-hour", "status": "ongoing", "when": {"expression": "on Monday"},
            "evidence": [{"quote": "Dock workers began a 48-hour strike on Monday"}],
        }],
    })  # fmt: skip
    summary = summarize(text, client=fake.client(), model="m", events=[Strike])
    [strike] = summary.of(Strike)
    assert strike.strike_duration_value == "PT48H"
    assert reprocess_summary(text, summary).of(Strike) == [strike]


@pytest.mark.usefixtures("registry")
def test_duration_fields_name_fields_of_the_type() -> None:
    class Tour(Event, duration_fields=("length",)):
        """A tour."""

        visitor: Actor = Field(description="Who tours.")

    with pytest.raises(ConfigurationError, match="duration_fields names 'length'"):
        event_type(Tour)


def test_a_time_that_is_a_length_of_time_says_so() -> None:
    when = resolve_time("for three days", "2023-09-18")
    assert when.value is None and when.reason is not None
    assert "length of time (P3D)" in when.reason and when.duration == "P3D"
    # A date the sentence would settle is no length of time.
    assert resolve_time("the weekend", "2023-09-18").duration is None
    assert resolve_time("last weekend", "2023-09-18").duration is None


def test_a_time_duration_reaches_the_exports(tmp_path: Path) -> None:
    answer = json.loads(json.dumps(SEED_ANSWER))
    answer["visits"][0]["when"] = {"expression": "for four days"}
    fake = FakeModel()
    fake.enqueue(answer)
    summary = summarize(SEED_ARTICLE, client=fake.client(), model="m", published="2023-12-04")
    [visit] = [v for v in summary.of(Visit) if v.duration == "four-day"]
    assert visit.when is not None and visit.when.duration == "P4D"
    records = [r for r in summary.to_records() if r["when"] == "for four days"]
    assert [r["when_duration"] for r in records] == ["P4D"]
    export_sqlite([("seed", SEED_ARTICLE, summary)], tmp_path / "e.db")
    with sqlite3.connect(tmp_path / "e.db") as db:
        rows = db.execute("SELECT when_duration FROM visits WHERE when_duration IS NOT NULL")
        assert rows.fetchall() == [("P4D",)]
