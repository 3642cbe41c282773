"""Actor names expanded to what the article gives, country codes, and the actor index."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pycountry
import pytest
from conftest import SEED_ANSWER, SEED_ARTICLE
from hypothesis import example, given
from hypothesis import strategies as st

from newsschema import Actor, IndexedActor, Meeting, Place, Statement, Visit, Warrant
from newsschema._text._actors import (
    _DEMONYMS,
    _OTHER_NAMES,
    country_code,
    full_names,
    index_actors,
    normalise_actors,
)

RECORD_TYPES: dict[str, Any] = {
    "meetings": Meeting,
    "statements": Statement,
    "visits": Visit,
    "warrants": Warrant,
}


def seed_events() -> dict[str, list[Any]]:
    """The seed reference answer as final records."""
    return {
        kind: [record_type.model_validate(r) for r in SEED_ANSWER[kind]]
        for kind, record_type in RECORD_TYPES.items()
    }


def person(name: str, **details: Any) -> Actor:
    fields: dict[str, Any] = {"title": None, "organisation": None, "country": None}
    return Actor(name=name, kind="person", **{**fields, **details})


def meeting(*participants: Actor, place: Place | None = None) -> Meeting:
    return Meeting.model_validate(
        {
            "participants": participants,
            "place": place,
            "format": "in_person",
            "topics": [],
            "outcomes": [],
            "status": "occurred",
            "when": None,
            "evidence": [{"quote": "They met."}],
        }
    )


def statement(speaker: Actor, addressee: Actor | None = None) -> Statement:
    return Statement.model_validate(
        {
            "speaker": speaker,
            "addressee": addressee,
            "content": "Something.",
            "quote": None,
            "occasion": None,
            "status": "occurred",
            "when": None,
            "evidence": [{"quote": "Someone said something."}],
        }
    )


# --------------------------------------------------------------------------------------
# country_code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Chinese", "CHN"),
        ("Russian", "RUS"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("USA", "USA"),
        ("United States", "USA"),
        ("the United States", "USA"),
        ("THE UNITED STATES", "USA"),
        ("the U.S.", "USA"),
        ("American", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("British", "GBR"),
        ("North Korea", "PRK"),
        ("North Korean", "PRK"),
        ("South Korea", "KOR"),
        ("Iran", "IRN"),
        ("Syria", "SYR"),
        ("Taiwan", "TWN"),
        ("Vietnam", "VNM"),
        ("the Kremlin", "RUS"),
        ("The White House", "USA"),
        ("Russia", "RUS"),
        ("China", "CHN"),
        ("Malta", "MLT"),
    ],
)
def test_country_code_reads_news_forms_demonyms_and_metonyms(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Russian Federation", "RUS"),
        ("Islamic Republic of Iran", "IRN"),
        ("Iran, Islamic Republic of", "IRN"),
        ("Viet Nam", "VNM"),
        ("Syrian Arab Republic", "SYR"),
        ("Korea, Republic of", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Democratic People’s Republic of Korea", "PRK"),
        ("United States of America", "USA"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("British Virgin Islands", "VGB"),
        ("Democratic Republic of the Congo", "COD"),
        ("Republic of the Congo", "COG"),
    ],
)
def test_country_code_reads_iso_official_and_common_names(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("the Chinese government", "CHN"),
        ("Government of India", "IND"),
        ("the Russian state", "RUS"),
    ],
)
def test_country_code_reads_a_government_as_its_state(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "Atlantis",
        "Europe",
        "EU",
        "Kosovo",  # no ISO 3166-1 code
        "Korea",  # two states
        "Korean",
        "Congo",  # ISO's "Congo" is Brazzaville; news mostly means Kinshasa
        "Virgin Islands",  # British or US
        "the Biden administration",
        "Islamic State",
        "Russsia",  # no fuzzy matching
        "Chin",
    ],
)
def test_country_code_is_none_when_unknown_or_ambiguous(value: str | None) -> None:
    assert country_code(value) is None


def test_country_code_reads_iso_codes_only_in_capitals() -> None:
    assert (country_code("DE"), country_code("FRA"), country_code("IN")) == ("DEU", "FRA", "IND")
    # Lowercased two-letter codes are English words.
    assert (country_code("de"), country_code("in"), country_code("is")) == (None, None, None)


def test_georgia_is_the_country() -> None:
    # These values are countries or states, so "Georgia" is the country (documented).
    assert country_code("Georgia") == "GEO"
    assert country_code("Georgian") == "GEO"


def test_every_code_in_our_tables_is_an_iso_alpha3_code() -> None:
    iso = {c.alpha_3 for c in pycountry.countries}
    assert set(_DEMONYMS.values()) | set(_OTHER_NAMES.values()) <= iso


def test_pycountry_loads_on_first_lookup_not_on_import() -> None:
    code = (
        "import sys, newsschema, newsschema._text._actors as a; "
        "before = 'pycountry' in sys.modules; "
        "a.country_code('Malta'); "
        "print(before, 'pycountry' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


# --------------------------------------------------------------------------------------
# full_names


def test_seed_names_take_the_fullest_form_the_article_gives() -> None:
    names = ["Wang", "Sullivan", "Lavrov", "Putin", "Kim", "Xi", "Wang Yi", "Han Zheng"]
    assert full_names(names, SEED_ARTICLE) == {
        "Wang": "Wang Yi",
        "Sullivan": "Sullivan",  # the article never gives more
        "Lavrov": "Sergey Lavrov",  # not "Russian Foreign Minister Sergey Lavrov"
        "Putin": "Vladimir Putin",
        "Kim": "Kim Jong Un",
        "Xi": "Xi",
        "Wang Yi": "Wang Yi",
        "Han Zheng": "Han Zheng",
    }


def test_name_two_longer_names_extend_stays_unchanged() -> None:
    article = "Wang Yi met Lavrov. Wang Wenbin, a spokesman, said Wang would return."
    assert full_names(["Wang", "Lavrov"], article) == {"Wang": "Wang", "Lavrov": "Lavrov"}


def test_longest_of_nested_forms_is_taken() -> None:
    article = "Vladimir Vladimirovich Putin, known as Vladimir Putin, spoke. Putin left."
    assert full_names(["Putin", "Vladimir Putin"], article) == {
        "Putin": "Vladimir Vladimirovich Putin",
        "Vladimir Putin": "Vladimir Vladimirovich Putin",
    }


def test_another_actor_name_extends_a_name_when_the_article_contains_it() -> None:
    # "King" is a title word, so the article's runs alone would not give "Grace King".
    article = "Grace King opened the talks. King said they went well."
    assert full_names(["King", "Grace King"], article)["King"] == "Grace King"


def test_no_name_the_article_does_not_contain_is_added() -> None:
    article = "Wang said the talks went well."
    assert full_names(["Wang", "Wang Yi"], article) == {"Wang": "Wang", "Wang Yi": "Wang Yi"}


@pytest.mark.parametrize(
    ("article", "name", "expected"),
    [
        ("Yesterday Sullivan said nothing.", "Sullivan", "Sullivan"),
        ("In March Xi met Putin.", "Xi", "Xi"),
        ("They met Wang, Sullivan said.", "Sullivan", "Sullivan"),
        ("Officials met in the U.S. Biden said so.", "Biden", "Biden"),
        ("UN Secretary-General Antonio Guterres spoke.", "Guterres", "Antonio Guterres"),
        ("North Korean leader Kim Jong Un arrived.", "Kim", "Kim Jong Un"),
        ("Sergey Lavrov's aides arrived.", "Lavrov", "Sergey Lavrov"),
        ("President John F. Kennedy spoke.", "Kennedy", "John F. Kennedy"),
        ("Mohammed bin Salman arrived.", "Salman", "Mohammed bin Salman"),
        ("A talk with Wang\nYi Jun followed.", "Wang", "Wang"),
    ],
)
def test_titles_openers_punctuation_and_line_breaks_are_not_part_of_names(
    article: str, name: str, expected: str
) -> None:
    assert full_names([name], article) == {name: expected}


# --------------------------------------------------------------------------------------
# normalise_actors


def test_seed_actors_get_full_names_and_country_codes() -> None:
    wang = person("Wang", country="China")
    lavrov = person("Lavrov", country="Russia")
    sullivan = person("Sullivan")
    kim = person("Kim", country="North Korea")
    blinken = person("Antony Blinken", country="United States")
    events = {
        "meetings": [
            meeting(lavrov, wang, place=Place(name="Moscow", country="Russia", kind="city")),
            meeting(wang, sullivan, place=Place(name="Malta", country=None, kind="country")),
            meeting(person("Putin", country="Russia"), kim),
        ],
        "statements": [statement(person("Han Zheng", country="China"), blinken)],
        "visits": [],
        "warrants": [],
    }
    out = normalise_actors(events, SEED_ARTICLE)
    first, second, third = out["meetings"]
    assert [(a.name, a.country_code) for a in first.participants] == [
        ("Sergey Lavrov", "RUS"),
        ("Wang Yi", "CHN"),
    ]
    assert [(a.name, a.country_code) for a in second.participants] == [
        ("Wang Yi", "CHN"),
        ("Sullivan", None),
    ]
    assert [(a.name, a.country_code) for a in third.participants] == [
        ("Vladimir Putin", "RUS"),
        ("Kim Jong Un", "PRK"),
    ]
    assert out["statements"][0].addressee.country_code == "USA"
    assert first.place.country_code == "RUS"  # from its country
    assert second.place.country_code == "MLT"  # a country place: from its name


def test_every_seed_answer_actor_with_a_country_gets_its_code() -> None:
    out = normalise_actors(seed_events(), SEED_ARTICLE)
    codes: dict[str, str | None] = {}
    for entry in index_actors(out):
        codes[entry.name] = entry.country_code
        assert (entry.country is None and entry.kind != "state") or entry.country_code
    assert {c for c in codes.values() if c} == {"RUS", "CHN", "USA", "PRK"}
    assert codes["Russia"] == "RUS"  # a state actor without a country, from its name
    assert codes["International Criminal Court"] is None


def test_code_comes_from_the_name_only_for_states_and_country_places() -> None:
    events = {
        "meetings": [
            meeting(
                Actor(
                    name="the Kremlin", title=None, organisation=None, country=None, kind="state"
                ),
                Actor(
                    name="the Kremlin",
                    title=None,
                    organisation=None,
                    country=None,
                    kind="organisation",
                ),
                place=Place(name="Georgia", country=None, kind="region"),
            )
        ]
    }
    (record,) = normalise_actors(events, "The Kremlin met the Kremlin.")["meetings"]
    assert [a.country_code for a in record.participants] == ["RUS", None]
    assert record.place.country_code is None


def test_only_people_are_expanded() -> None:
    china = Actor(name="China", title=None, organisation=None, country=None, kind="state")
    events = {"statements": [statement(china, person("Xi"))]}
    article = "China patrols the South China Sea, Xi Jinping said."
    (record,) = normalise_actors(events, article)["statements"]
    assert (record.speaker.name, record.speaker.country_code) == ("China", "CHN")
    assert record.addressee.name == "Xi Jinping"


def test_everything_but_names_and_codes_is_kept() -> None:
    events = seed_events()
    out = normalise_actors(events, SEED_ARTICLE)
    assert out.keys() == events.keys()
    for kind, records in events.items():
        assert len(out[kind]) == len(records)
        for before, after in zip(records, out[kind], strict=True):
            # Places also gain what the gazetteer says of them (tests/test_places.py).
            strip = {"name", "country_code", "geonames_id", "latitude", "longitude"}
            strip |= {"admin1", "feature_class"}
            assert _without(after.model_dump(), strip) == _without(before.model_dump(), strip)


def test_a_code_already_set_is_kept() -> None:
    actor = person("Wang", country="China", country_code="TWN")
    (record,) = normalise_actors({"meetings": [meeting(actor, person("Li"))]}, "")["meetings"]
    assert record.participants[0].country_code == "TWN"


def _without(data: Any, keys: set[str]) -> Any:
    if isinstance(data, dict):
        return {k: _without(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [_without(v, keys) for v in data]
    return data


# --------------------------------------------------------------------------------------
# index_actors


def test_each_actor_is_listed_once_with_its_records_in_order() -> None:
    out = normalise_actors(seed_events(), SEED_ARTICLE)
    index = index_actors(out)
    names = [entry.name.casefold() for entry in index]
    assert len(names) == len(set(names))
    putin = next(entry for entry in index if entry.name == "Vladimir Putin")
    assert isinstance(putin, IndexedActor)
    assert putin.records == ["meetings.4", "meetings.5", "statements.6", "visits.1", "warrants.0"]
    assert index[0].name == "Sergey Lavrov"  # order of first appearance


def test_names_differing_in_case_and_spacing_are_one_actor() -> None:
    events = {"meetings": [meeting(person("Wang Yi"), person("wang  yi")), meeting(person("Li"))]}
    index = index_actors(events)
    assert [(e.name, e.records) for e in index] == [
        ("Wang Yi", ["meetings.0"]),
        ("Li", ["meetings.1"]),
    ]


def test_an_actor_in_two_roles_of_one_record_lists_it_once() -> None:
    wang = person("Wang Yi")
    index = index_actors({"statements": [statement(wang, wang)]})
    assert [(e.name, e.records) for e in index] == [("Wang Yi", ["statements.0"])]


def test_the_appearance_with_most_details_describes_the_actor() -> None:
    bare = person("Wang Yi")
    full = person("Wang Yi", title="Foreign Minister", country="China", country_code="CHN")
    partial = person("Wang Yi", title="Minister")
    events = {"meetings": [meeting(bare)], "statements": [statement(full), statement(partial)]}
    (entry,) = index_actors(events)
    assert (entry.title, entry.country_code) == ("Foreign Minister", "CHN")
    assert entry.records == ["meetings.0", "statements.0", "statements.1"]


def test_on_equal_details_the_first_appearance_describes_the_actor() -> None:
    first = person("Wang Yi", title="Foreign Minister")
    second = person("Wang Yi", title="Director")
    (entry,) = index_actors({"meetings": [meeting(first), meeting(second)]})
    assert entry.title == "Foreign Minister"


_NAME_TEXT_PARTS = st.sampled_from(
    [
        "Sergey", "Lavrov", "Lavrov's", "Wang", "Yi", "bin", "al", "al-Assad", "de", "von",
        "John", "F", "Kennedy", "the", "U.S.", "met", "Jean-Pierre", "x-Smith", "2nd", "Émile",
        "émile", "Łukasz", "über", "O'Neill", "O\u2019Neill", "\u2019s", "President", "Minister",
        "said", "binary", "Al", "dela", " ", " ", "  ", "\n", ",", ".", ". ", "-", "'", "9",
    ]
)  # fmt: skip


@example("Émile Zola met Łukasz Nowak and Ōe Kenzaburō in Paris.")
@example("Mohammed bin Salman and Ursula von der Leyen; al-Assad Bashar, de Gaulle.")
@example("John F. Kennedy's aide x-Smith Jones met O\u2019Neill Sr at 2nd Avenue.")
@given(st.lists(_NAME_TEXT_PARTS, max_size=40).map("".join))
def test_name_runs_are_those_a_word_by_word_reading_finds(text: str) -> None:
    from newsschema._text._actors import _WORD, _article_names

    assert _article_names(text) == _article_names(text, words=_WORD)
