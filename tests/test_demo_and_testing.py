"""The demo command and the newsschema.testing helpers users rely on."""

from __future__ import annotations

import json

from conftest import CASSETTES, SCRIPTED_MODEL, SEED_ANSWER, SEED_ARTICLE
from typer.testing import CliRunner

from newsschema import summarize
from newsschema.cli import app
from newsschema.testing import FakeModel, replay_client


def test_demo_says_it_is_a_replay_and_prints_the_summary() -> None:
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "REPLAY: no model is called" in result.output
    start = result.output.index("{")
    end = result.output.rindex("}") + 1
    data = json.loads(result.output[start:end])
    assert data["warrants"][0]["authority"]["name"] == "International Criminal Court"
    assert len(data["meetings"]) == 6 and len(data["visits"]) == 2
    assert "6 meetings, 10 statements, 2 visits, 1 warrant; 26 of 26 evidence quotes located" in (
        result.output
    )


def test_schema_command_prints_the_strict_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["additionalProperties"] is False


def test_fake_model_serves_given_records_through_the_real_pipeline() -> None:
    fake = FakeModel()
    fake.enqueue(SEED_ANSWER)
    s = summarize(SEED_ARTICLE, client=fake.client(), model="fake")
    assert len(s.statements) == 10
    assert fake.requests[0]["model"] == "fake"
    assert fake.requests[0]["response_format"]["json_schema"]["strict"] is True


def test_replay_client_replays_a_cassette_without_vcrpy() -> None:
    client = replay_client(CASSETTES / "seed_reference.json")
    s = summarize(SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL)
    assert s.warrants[0].subject.name == "Vladimir Putin"


def test_fake_model_can_serve_without_keeping_requests() -> None:
    fake = FakeModel(keep_requests=False)
    fake.enqueue(SEED_ANSWER)
    s = summarize(SEED_ARTICLE, published="2023-09-18", client=fake.client(), model="m")
    assert len(s.meetings) == 6
    assert fake.requests == [] and fake.pending == 0
