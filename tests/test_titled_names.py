"""Courtesy titles ("Ms", "Mr.", "Sir") neither block the fullest name nor stay in names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsschema import Actor, Meeting, Statement
from newsschema._text._actors import (
    COURTESY_TITLES,
    full_names,
    index_actors,
    normalise_actors,
    split_title,
)

FIXTURES = Path(__file__).parent / "fixtures"
# Three sentences of a BBC News politics article (see fixtures/SOURCES.md).
BBC = (FIXTURES / "bbc_politics_001_excerpt.txt").read_text(encoding="utf-8")


def person(name: str, title: str | None = None) -> Actor:
    return Actor(name=name, title=title, organisation=None, country=None, kind="person")


def statement(speaker: Actor) -> Statement:
    return Statement.model_validate(
        {
            "speaker": speaker, "addressee": None, "content": "Something.", "quote": None,
            "occasion": None, "status": "occurred", "when": None,
            "evidence": [{"quote": "Someone said something."}],
        }
    )  # fmt: skip


def meeting(*participants: Actor) -> Meeting:
    return Meeting.model_validate(
        {
            "participants": participants, "place": None, "format": "in_person", "topics": [],
            "outcomes": [], "status": "occurred", "when": None,
            "evidence": [{"quote": "They met."}],
        }
    )  # fmt: skip


def events(*records: Any) -> dict[str, list[Any]]:
    return {
        "meetings": [r for r in records if isinstance(r, Meeting)],
        "statements": [r for r in records if isinstance(r, Statement)],
        "visits": [],
        "warrants": [],
    }


# --------------------------------------------------------------------------------------
# The BBC excerpt: "Ms Hewitt" beside "Trade and Industry Secretary Patricia Hewitt"


def test_a_titled_name_gets_the_full_name_the_bbc_article_gives() -> None:
    names = full_names(["Ms Hewitt", "Hewitt", "Patricia Hewitt"], BBC)
    assert names == {
        "Ms Hewitt": "Patricia Hewitt",
        "Hewitt": "Patricia Hewitt",  # "Ms Hewitt" no longer makes "Hewitt" ambiguous
        "Patricia Hewitt": "Patricia Hewitt",
    }


def test_the_bbc_speaker_is_one_actor_with_her_role_as_title() -> None:
    records = events(
        statement(person("Ms Hewitt")),
        statement(person("Patricia Hewitt", title="Trade and Industry Secretary")),
        statement(person("Hewitt")),
    )
    out = normalise_actors(records, BBC)
    assert [s.speaker.name for s in out["statements"]] == ["Patricia Hewitt"] * 3
    assert out["statements"][0].speaker.title == "Ms"  # it had none: the title is kept there
    (entry,) = index_actors(out)
    # A role says more than a courtesy title: the second appearance describes her.
    assert entry.title == "Trade and Industry Secretary"
    assert entry.records == ["statements.0", "statements.1", "statements.2"]


# --------------------------------------------------------------------------------------
# Short sentences


@pytest.mark.parametrize(
    ("article", "name", "expected"),
    [
        ("Tony Blair spoke. Later Mr Blair left.", "Mr Blair", "Tony Blair"),
        ("Tony Blair spoke. Later Mr. Blair left.", "Mr. Blair", "Tony Blair"),
        ("Mr Blair spoke to reporters.", "Mr Blair", "Blair"),
        ("Mr. Blair spoke to reporters.", "Mr. Blair", "Blair"),
        ("Dr Liam Fox said so.", "Dr Liam Fox", "Liam Fox"),
        ("Liam Fox said so. Dr Fox left.", "Dr Fox", "Liam Fox"),
        ("Sir Menzies Campbell agreed. Sir Menzies left.", "Sir Menzies", "Menzies Campbell"),
        ("Prof Sir John Smith spoke. Prof Smith left.", "Prof Smith", "John Smith"),
        ("Dame Judi Dench came. Dame Judi left.", "Dame Judi", "Judi Dench"),
        ("Lord Falconer said it. Charles Falconer agreed.", "Lord Falconer", "Charles Falconer"),
        ("Miss Jane Marple spoke. Miss Marple left.", "Miss Marple", "Jane Marple"),
        ("Mx Sam Lee spoke. Mx Lee left.", "Mx Lee", "Sam Lee"),
        ("Rev. Jesse Jackson spoke. Rev Jackson left.", "Rev Jackson", "Jesse Jackson"),
        ("Mrs Theresa Smith came. Mrs. Smith left.", "Mrs. Smith", "Theresa Smith"),
        ("Lady Jane Grey spoke. Lady Grey left.", "Lady Grey", "Jane Grey"),
    ],
)
def test_courtesy_titles_leave_the_name_and_do_not_block_its_full_form(
    article: str, name: str, expected: str
) -> None:
    assert full_names([name], article) == {name: expected}


def test_two_people_of_one_surname_keep_the_title_out_and_the_name_short() -> None:
    article = "Tony Blair and Cherie Blair arrived. Mr Blair spoke first."
    assert full_names(["Mr Blair"], article) == {"Mr Blair": "Blair"}


def test_a_title_the_model_kept_in_a_long_name_is_left_out_of_the_fuller_form() -> None:
    # The model's "Ms Patricia Hewitt" is the only full form: it extends "Hewitt" untitled.
    article = "Ms Patricia Hewitt spoke. Hewitt left."
    names = full_names(["Ms Patricia Hewitt", "Hewitt"], article)
    assert names == {"Ms Patricia Hewitt": "Patricia Hewitt", "Hewitt": "Patricia Hewitt"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ms Hewitt", ("Ms", "Hewitt")),
        ("Mr. Blair", ("Mr.", "Blair")),
        ("Prof. Sir  John Smith", ("Prof. Sir", "John Smith")),
        ("Blair", (None, "Blair")),
        ("Mr", (None, "Mr")),  # nothing after the title: no name to give
        ("Mr and Mrs Smith", (None, "Mr and Mrs Smith")),
        ("mr blair", (None, "mr blair")),
        ("Misha Glenny", (None, "Misha Glenny")),  # "Mis..." is no "Miss"
        ("Drummond Smith", (None, "Drummond Smith")),
        ("Lordan Smith", (None, "Lordan Smith")),
    ],
)
def test_split_title(name: str, expected: tuple[str | None, str]) -> None:
    assert split_title(name) == expected


def test_a_given_title_is_kept_and_a_courtesy_title_is_not_glued_onto_it() -> None:
    article = "Foreign Secretary Jack Straw met Dr Rice. Mr Straw said so."
    out = normalise_actors(
        events(meeting(person("Mr Straw", title="Foreign Secretary"), person("Dr Rice"))), article
    )
    straw, rice = out["meetings"][0].participants
    assert (straw.name, straw.title) == ("Jack Straw", "Foreign Secretary")
    assert (rice.name, rice.title) == ("Rice", "Dr")


def test_organisations_keep_their_names() -> None:
    article = "Lord Ashcroft Trust said so."
    org = Actor(name="Lord Ashcroft Trust", title=None, organisation=None, country=None,
                kind="organisation")  # fmt: skip
    (record,) = normalise_actors(events(statement(org)), article)["statements"]
    assert (record.speaker.name, record.speaker.title) == ("Lord Ashcroft Trust", None)


_SURNAME = st.sampled_from(["Hewitt", "Blair", "Brown", "Kennedy", "O'Neill", "Kilroy-Silk"])
_FIRST = st.sampled_from(["Patricia", "Tony", "Gordon", "Charles", "Émile"])
_TITLE = st.sampled_from(sorted(COURTESY_TITLES)).map(str.capitalize)


@given(_TITLE, st.booleans(), _FIRST, _SURNAME, st.booleans())
def test_no_title_ends_up_in_a_name(
    title: str, period: bool, first: str, surname: str, named_fully: bool
) -> None:
    titled = f"{title}{'.' if period else ''} {surname}"
    opening = f"{first} {surname} spoke." if named_fully else "Someone spoke."
    article = f"{opening} Later {titled} left."
    result = full_names([titled, surname], article)
    expected = f"{first} {surname}" if named_fully else surname
    assert result == {titled: expected, surname: expected}
