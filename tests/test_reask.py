"""Validation re-asks: a fabricated quote is sent back, only the current errors go."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import SCRIPTED_MODEL, SEED_ANSWER, SEED_ARTICLE, scripted_cassette
from scripted_server import completion

from newsschema import InvalidAnswerError, summarize
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


GROUNDED = "the International Criminal Court (ICC) issued an arrest warrant for Putin"


def _minimal(quote: str = GROUNDED, *, status: str = "issued") -> dict[str, object]:
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
                "status": status,
                "when": None,
                "evidence": [{"quote": quote}],
            }
        ],
    }


def test_each_reask_carries_only_the_current_errors() -> None:
    fake = FakeModel()
    fake.enqueue(_minimal(status="first-bad-status"))
    fake.enqueue(_minimal(status="second-bad-status"))
    fake.enqueue(_minimal())
    s = summarize(SEED_ARTICLE, client=fake.client(), model="fake")
    assert s.provenance.validation_attempts == 3
    first, _, third = fake.requests
    assert len(first["messages"]) == 2
    assert len(third["messages"]) == 4  # system, article, last answer, its errors
    assert third["messages"][:2] == first["messages"]
    reask = third["messages"][3]["content"]
    assert "- warrants.0.status: Input should be" in reask
    assert "second-bad-status" in third["messages"][2]["content"]
    assert "first-bad-status" not in json.dumps(third["messages"])


def test_schema_errors_that_never_pass_stop_at_the_bound_with_every_attempt() -> None:
    fake = FakeModel()
    for n in range(2):
        fake.enqueue(_minimal(status=f"bad-status-{n}"))
    with pytest.raises(InvalidAnswerError) as caught:
        summarize(SEED_ARTICLE, client=fake.client(), model="fake", max_validation_attempts=2)
    err = caught.value
    assert [a.attempt for a in err.attempts] == [1, 2]
    assert err.attempts[1].errors[0].startswith("warrants.0.status:")
    assert err.last_raw_output is not None and "bad-status-1" in err.last_raw_output
    assert (err.usage.requests, err.usage.total_tokens) == (2, 300)
    assert fake.pending == 0


def _with_statement(warrant_quote: str) -> dict[str, object]:
    answer = _minimal(warrant_quote)
    answer["statements"] = copy.deepcopy(SEED_ANSWER["statements"][:1])
    return answer


def test_ungrounded_record_is_reasked_once_then_dropped_and_reported() -> None:
    fake = FakeModel()
    fake.enqueue(_with_statement("first invented sentence"))
    fake.enqueue(_with_statement("second invented sentence"))
    s = summarize(SEED_ARTICLE, client=fake.client(), model="fake")
    assert s.provenance.validation_attempts == 2
    assert fake.pending == 0
    assert "warrants.0.evidence.0.quote" in fake.requests[1]["messages"][3]["content"]
    assert s.warrants == []
    assert len(s.statements) == 1  # the grounded record stays
    (dropped,) = s.dropped
    assert (dropped.type, dropped.index) == ("warrant", 0)
    assert "second invented sentence" in dropped.reason
    assert dropped.record["evidence"] == [{"quote": "second invented sentence"}]


def test_ungrounded_direct_quote_drops_the_statement() -> None:
    answer = _with_statement(GROUNDED)
    answer["statements"][0]["quote"] = "We will never cooperate"  # type: ignore[index]
    fake = FakeModel()
    fake.enqueue(answer)
    s = summarize(SEED_ARTICLE, client=fake.client(), model="fake", max_validation_attempts=1)
    assert s.statements == []
    assert len(s.warrants) == 1
    assert "direct quote not found" in s.dropped[0].reason


def test_invalid_json_is_reasked() -> None:
    fake = FakeModel()
    fake.enqueue('{"headline": null, "summary": ')
    fake.enqueue(_minimal())
    s = summarize(SEED_ARTICLE, client=fake.client(), model="fake")
    assert s.provenance.validation_attempts == 2
    assert "- answer: Invalid JSON: EOF while parsing" in fake.requests[1]["messages"][3]["content"]
