"""Cassette hygiene: no secrets, stale cassettes fail loudly, nothing left unplayed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CASSETTES, SCRIPTED_MODEL, SEED_ARTICLE

from newsschema import summarize
from newsschema._cassettes import SCRUBBED_HEADERS
from newsschema.testing import CassetteMismatchError, cassette

SECRET = re.compile(r"sk-[A-Za-z0-9_-]{16,}|Bearer\s+[A-Za-z0-9._-]{8,}|sess-[A-Za-z0-9]{20,}")
FILES = sorted(CASSETTES.glob("*.json"))


def test_there_are_cassettes() -> None:
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_secret_in_any_cassette(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not SECRET.search(text)
    for interaction in json.loads(text)["interactions"]:
        for part in ("request", "response"):
            headers = {h.lower() for h in interaction[part]["headers"]}
            assert not headers & SCRUBBED_HEADERS


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_bodies_are_stored_readable(path: Path) -> None:
    for interaction in json.loads(path.read_text(encoding="utf-8"))["interactions"]:
        assert "json" in interaction["request"]["body"]
        assert (
            "json" in interaction["response"]["body"] or "string" in interaction["response"]["body"]
        )


def test_a_changed_request_fails_with_how_to_rerecord() -> None:
    import openai

    client = openai.OpenAI(api_key="k", base_url="http://127.0.0.1:9/v1")
    with (
        pytest.raises(CassetteMismatchError, match="NEWSSCHEMA_RECORD=1"),
        cassette(CASSETTES / "seed_reference.json"),
    ):
        summarize(
            SEED_ARTICLE + " One more line.",
            published="2023-09-18",
            client=client,
            model=SCRIPTED_MODEL,
        )


def test_unplayed_interactions_fail_the_test() -> None:
    with (
        pytest.raises(CassetteMismatchError, match="never requested"),
        cassette(CASSETTES / "seed_reference.json"),
    ):
        pass


def test_an_error_whose_cause_chain_loops_still_leaves_the_block(tmp_path: Path) -> None:
    import threading

    first, second = ValueError("first"), RuntimeError("second")
    first.__context__, second.__context__ = second, first
    raised: list[BaseException] = []

    def run() -> None:
        try:
            with cassette(tmp_path / "loop.json", record="all"):
                raise first
        except BaseException as exc:
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "cassette() looped over the error's context chain"
    assert raised == [first]
