"""The seed article against a real endpoint, recorded once and replayed after.

Record: NEWSSCHEMA_RECORD=1 OPENAI_BASE_URL=... OPENAI_API_KEY=... NEWSSCHEMA_MODEL=...
python -m pytest tests/test_live_recording.py  (writes cassettes/seed_live.json).
Without a recording this test is skipped and says why.
"""

from __future__ import annotations

import json

import pytest
from conftest import CASSETTES, LIVE, SEED_ARTICLE

from newsschema import ArticleSummary, ExtractionFailed, summarize
from newsschema.testing import cassette, record_mode

LIVE_CASSETTE = CASSETTES / "seed_live.json"


def _settings() -> tuple[str, str | None]:
    """Model and mode: from the environment when recording, from the cassette when replaying."""
    if record_mode() != "none":
        if not (LIVE["OPENAI_BASE_URL"] or LIVE["OPENAI_API_KEY"]) or not LIVE["NEWSSCHEMA_MODEL"]:
            pytest.skip("recording needs OPENAI_BASE_URL or OPENAI_API_KEY, and NEWSSCHEMA_MODEL")
        return str(LIVE["NEWSSCHEMA_MODEL"]), LIVE["NEWSSCHEMA_MODE"]
    if not LIVE_CASSETTE.exists():
        pytest.skip(f"no live recording at {LIVE_CASSETTE.name}; see this module's docstring")
    first = json.loads(LIVE_CASSETTE.read_text(encoding="utf-8"))["interactions"][0]
    body = first["request"]["body"]["json"]
    return body["model"], _mode_of(body)


def _mode_of(body: dict[str, object]) -> str:
    """The mode a recorded request was made in."""
    if "tools" in body:
        return "tools"
    response_format = body.get("response_format")
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    return {"json_schema": "json_schema", "json_object": "json"}.get(str(kind), "md_json")


def test_seed_article_against_a_real_endpoint_gives_a_typed_outcome() -> None:
    import openai

    model, mode = _settings()
    client = openai.OpenAI(
        api_key=LIVE["OPENAI_API_KEY"] or "unused",
        base_url=LIVE["OPENAI_BASE_URL"] or "http://127.0.0.1:9/v1",
    )
    with cassette(LIVE_CASSETTE):
        try:
            result: object = summarize(
                SEED_ARTICLE, published="2023-09-18", client=client, model=model, mode=mode
            )
        except ExtractionFailed as exc:
            result = exc
    assert isinstance(result, ArticleSummary | ExtractionFailed)
    if isinstance(result, ArticleSummary):
        for event in result.events:
            assert all(e.start is not None for e in event.evidence)
