"""Validation re-asks: a fabricated quote is sent back, only the current errors go."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import SCRIPTED_MODEL, SEED_ANSWER, SEED_ARTICLE, scripted_cassette
from scripted_server import completion

from newsschema import ExtractionError, summarize
from newsschema.testing import FakeModel

FABRICATED = "Putin said he would travel to Beijing with a large delegation."


def _with_fabricated_quote() -> dict[str, object]:
    answer = copy.deepcopy(SEED_ANSWER)
    answer["visits"][1]["evidence"][0]["quote"] = FABRICATED
    return answer


def test_fabricated_quote_is_rejected_then_corrected_answer_accepted() -> None:
    script = [
        completion(_with_fabricated_quote(), usage=(1200, 800)),
        completion(SEED_ANSWER, usage=(2100, 790)),
    ]
    with scripted_cassette("reask_fabricated_quote.json", script) as client:
        s = summarize(SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL)
    assert s.provenance.validation_attempts == 2
    usage = s.provenance.usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens, usage.requests) == (
        3300,
        1590,
        4890,
        2,
    )
    assert s.visits[1].evidence[0].quote != FABRICATED


def _minimal(quote: str) -> dict[str, object]:
    return {
        "headline": None,
        "summary": "Lavrov and Wang met.",
        "meetings": [],
        "statements": [],
        "visits": [],
        "warrants": [
            {
                "subject": {
                    "name": "Vladimir Putin",
                    "title": None,
                    "organisation": None,
                    "country": None,
                    "kind": "person",
                },
                "authority": None,
                "kind": "arrest warrant",
                "charges": [],
                "status": "issued",
                "when": None,
                "evidence": [{"quote": quote}],
            }
        ],
    }


def test_each_reask_carries_only_the_current_errors() -> None:
    fake = FakeModel()
    fake.enqueue(_minimal("first invented sentence"))
    fake.enqueue(_minimal("second invented sentence"))
    fake.enqueue(
        _minimal("the International Criminal Court (ICC) issued an arrest warrant for Putin")
    )
    s = summarize(SEED_ARTICLE, client=fake.client(), model="fake")
    assert s.provenance.validation_attempts == 3
    first, _, third = fake.requests
    assert len(first["messages"]) == 2
    assert len(third["messages"]) == 4  # system, article, last answer, its errors
    assert third["messages"][:2] == first["messages"]
    reask = third["messages"][3]["content"]
    assert "second invented sentence" in reask
    assert "first invented sentence" not in json.dumps(third["messages"])
    assert "warrants.0.evidence.0.quote" in reask


def test_validation_that_never_passes_stops_at_the_bound_with_every_attempt() -> None:
    fake = FakeModel()
    for n in range(2):
        fake.enqueue(_minimal(f"invented sentence {n}"))
    with pytest.raises(ExtractionError) as caught:
        summarize(SEED_ARTICLE, client=fake.client(), model="fake", max_validation_attempts=2)
    err = caught.value
    assert [a.attempt for a in err.attempts] == [1, 2]
    assert "invented sentence 1" in err.attempts[1].errors[0]
    assert err.last_raw_output is not None and "invented sentence 1" in err.last_raw_output
    assert (err.usage.requests, err.usage.total_tokens) == (2, 300)
    assert fake.pending == 0


def test_invalid_json_is_reasked() -> None:
    fake = FakeModel()
    fake.enqueue('{"headline": null, "summary": ')
    fake.enqueue(
        _minimal("This year, the International Criminal Court (ICC) issued an arrest warrant")
    )
    s = summarize(SEED_ARTICLE, client=fake.client(), model="fake")
    assert s.provenance.validation_attempts == 2
    assert "- answer: Invalid JSON: EOF while parsing" in fake.requests[1]["messages"][3]["content"]
