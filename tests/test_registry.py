"""The event-type registry: a new type is one class; what it cannot be is refused early."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import Field

from newsschema import (
    Actor,
    ConfigurationError,
    Event,
    Meeting,
    Place,
    Statement,
    Visit,
    Warrant,
    summarize,
)
from newsschema._records import _event, event_type, registered_types, type_named
from newsschema.testing import FakeModel

# An invented article: no such people, towns or events.
TEXT = (
    "Thousands of nurses marched through Harwick on Saturday, demanding safer staffing, "
    "in a protest organised by the Harwick Nurses Union.\n"
    "Health Minister Jo Reyes met union leaders on Monday.\n"
)


@pytest.fixture(autouse=True)
def own_registry() -> Iterator[None]:
    """The types these tests define are registered for the test only."""
    saved = dict(_event._REGISTRY)
    yield
    _event._REGISTRY.clear()
    _event._REGISTRY.update(saved)


# The snippet of the README, as a user writes it (named apart from the shared
# test type, so that it never replaces that one in the registry).
class Protest(Event, name="snippet_protest", plural="protests_of_the_snippet"):
    """A public demonstration, march, strike or sit-in against or for something."""

    organisers: list[Actor] = Field(description="Groups or people who organised it, as named.")
    place: Place | None = Field(description="Where it took place.")
    size: str | None = Field(description="Crowd size as written ('thousands'), or null.")
    demands: list[str] = Field(description="What the protesters demanded, paraphrased.")


def person(name: str, kind: str = "person") -> dict[str, Any]:
    return {"name": name, "title": None, "organisation": None, "country": None, "kind": kind}


# A hand-written fixture: what a model might answer for TEXT.
ANSWER = {
    "headline": None,
    "summary": "Nurses protested in Harwick; the health minister met their union.",
    "meetings": [
        {
            "participants": [person("Jo Reyes"), person("union leaders", "organisation")],
            "place": None,
            "format": "in_person",
            "topics": [],
            "outcomes": [],
            "status": "occurred",
            "when": {"expression": "on Monday"},
            "evidence": [{"quote": "Health Minister Jo Reyes met union leaders on Monday."}],
        }
    ],
    "protests_of_the_snippet": [
        {
            "organisers": [person("Harwick Nurses Union", "organisation")],
            "place": {"name": "Harwick", "country": None, "kind": "city"},
            "size": "Thousands",
            "demands": ["safer staffing"],
            "status": "occurred",
            "when": {"expression": "on Saturday"},
            "evidence": [{"quote": "Thousands of nurses marched through Harwick on Saturday"}],
        }
    ],
}


def test_the_snippet_works_as_written_with_a_fake_model() -> None:
    fake = FakeModel()
    fake.enqueue(ANSWER)
    s = summarize(
        TEXT, events=[Meeting, Protest], model="gpt-4.1-mini", client=fake.client(),
        published="2024-05-08",
    )  # fmt: skip
    assert [type(e) for e in s.events] == [Meeting, Protest]
    [protest] = s.of(Protest)
    assert isinstance(protest, Protest)
    assert protest.organisers[0].name == "Harwick Nurses Union"
    assert protest.demands == ["safer staffing"]
    assert protest.when is not None and protest.when.value == "2024-05-04"
    [evidence] = protest.evidence
    assert evidence.start is not None
    assert TEXT[evidence.start : evidence.end] == evidence.quote
    assert s.of(Meeting)[0].when is not None
    assert s.protests_of_the_snippet == s.of(Protest)
    assert s.provenance.event_types == ["meeting", "snippet_protest"]
    assert registered_types()["snippet_protest"] is Protest


def test_the_request_carries_only_the_chosen_types() -> None:
    fake = FakeModel()
    fake.enqueue({"headline": None, "summary": "s", "protests_of_the_snippet": []})
    summarize(TEXT, events=[Protest], model="m", client=fake.client(), published="2024-05-08")
    [body] = fake.requests
    schema = json.dumps(body["response_format"])
    system = body["messages"][0]["content"]
    assert "protests_of_the_snippet" in schema
    for other in (Meeting, Statement, Visit, Warrant):
        assert f'"{event_type(other).plural}"' not in schema
    assert "demonstration, march, strike or sit-in" in system  # the docstring is the definition
    assert "talks, summits, calls" not in system


def test_the_default_is_the_four_builtins() -> None:
    fake = FakeModel()
    fake.enqueue({"headline": None, "summary": "s", "meetings": [], "statements": [],
                  "visits": [], "warrants": []})  # fmt: skip
    s = summarize(TEXT, model="m", client=fake.client(), published="2024-05-08")
    assert s.provenance.event_types == ["meeting", "statement", "visit", "warrant"]
    properties = fake.requests[0]["response_format"]["json_schema"]["schema"]["properties"]
    assert [k for k in properties if k.endswith("s") and k != "headline"][-4:] == [
        "meetings", "statements", "visits", "warrants"
    ]  # fmt: skip


def _refused(cls: type[Event], *words: str) -> None:
    fake = FakeModel()
    with pytest.raises(ConfigurationError) as raised:
        summarize(TEXT, events=[cls], model="m", client=fake.client())
    message = str(raised.value)
    assert cls.__qualname__ in message
    for word in words:
        assert word in message
    assert fake.requests == []  # refused before any request


def test_a_dict_field_is_refused_naming_the_class_and_field() -> None:
    class Sanction(Event):
        """A sanction imposed by one state on another."""

        details: dict[str, Any] = Field(description="Anything else.")

    _refused(Sanction, "details", "strict JSON schema")


def test_a_set_field_is_refused() -> None:
    class Ceasefire(Event):
        """A ceasefire agreed between parties."""

        parties: set[str] = Field(description="Who agreed it.")

    _refused(Ceasefire, "parties")


def test_a_field_without_description_is_refused() -> None:
    class Attack(Event):
        """An armed attack."""

        target: str

    _refused(Attack, "target", "description")


def test_a_field_with_a_default_is_refused() -> None:
    class Strike(Event):
        """A labour strike."""

        union: str | None = Field(default=None, description="The union, or null.")

    _refused(Strike, "union", "default")


def test_a_refused_type_does_not_break_the_others() -> None:
    class Broken(Event):
        """Broken on purpose."""

        extra: dict[str, Any] = Field(description="Not expressible.")

    assert type_named("meetings") is Meeting
    assert type_named("protests_of_the_snippet") is Protest
    assert type_named("brokens") is None


def test_a_type_without_a_docstring_is_refused() -> None:
    class Riot(Event):
        place: Place | None = Field(description="Where.")

    _refused(Riot, "docstring")


def test_something_that_is_not_an_event_type_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="not an event type"):
        summarize(TEXT, events=[dict], model="m", client=FakeModel().client())  # type: ignore[list-item]
