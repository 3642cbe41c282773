"""The request each mode sends: instructor's shape, with the schema built once."""

from __future__ import annotations

from typing import Any

import instructor
import pytest
from instructor.v2 import Provider, mode_registry

from newsschema import RetryPolicy
from newsschema._extraction._calls import CallSettings, Mode
from newsschema._records import article_draft, draft_schema

ArticleDraft = article_draft()

MESSAGES = [{"role": "system", "content": "Extract."}, {"role": "user", "content": "Text."}]
INSTRUCTOR_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


def _settings(mode: Mode) -> CallSettings:
    return CallSettings(
        client=None, model="m", mode=mode, article="Text.", retry=RetryPolicy(timeout=30),
        max_tokens=100, temperature=0.0,
    )  # fmt: skip


def _instructor_request(mode: str) -> dict[str, Any]:
    """What instructor itself builds for the mode, from a freshly wrapped model."""
    handlers = mode_registry.get_handlers(Provider.OPENAI, INSTRUCTOR_MODES[mode])
    kwargs = {"model": "m", "messages": list(MESSAGES), "max_tokens": 100, "temperature": 0.0}
    _, request = handlers.request_handler(
        response_model=instructor.response_schema(ArticleDraft), kwargs=kwargs
    )
    return dict(request)


@pytest.mark.parametrize("mode", sorted(INSTRUCTOR_MODES))
def test_each_instructor_mode_sends_what_instructor_builds(mode: Mode) -> None:
    request = _settings(mode).request(list(MESSAGES))
    assert request.pop("timeout") == 30
    assert request == _instructor_request(mode)


@pytest.mark.parametrize("mode", sorted(INSTRUCTOR_MODES))
def test_editing_one_request_does_not_change_the_next(mode: Mode) -> None:
    settings = _settings(mode)
    first = settings.request(list(MESSAGES))
    if mode == "tools":
        first["tools"][0]["function"]["parameters"]["properties"].clear()
    else:
        first["messages"][0]["content"] = "edited"
    assert settings.request(list(MESSAGES)) == {**_instructor_request(mode), "timeout": 30}
    assert MESSAGES == [
        {"role": "system", "content": "Extract."},
        {"role": "user", "content": "Text."},
    ]  # the flow's messages are never edited in place


def test_json_schema_mode_sends_the_strict_schema() -> None:
    request = _settings("json_schema").request(list(MESSAGES))
    response_format = request["extra_body"]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"] == {
        "name": "ArticleDraft",
        "schema": draft_schema(),
        "strict": True,
    }
    assert request["messages"] == MESSAGES  # the schema is not repeated in the prompt
