from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from scripted_server import Scripted, ScriptedServer  # tests/ is on sys.path (rootdir conftest)

from newsschema import Event
from newsschema._records import BUILTIN_TYPES, _event, event_type
from newsschema.testing import cassette, record_mode

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
SEED_ARTICLE = (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")
SEED_ANSWER = json.loads((ROOT / "tests" / "fixtures" / "seed_reference_answer.json").read_text())
SCRIPTED_MODEL = "newsschema-scripted-reference"
# A valid answer with no events, for tests about everything but the events.
EMPTY_ANSWER: dict[str, Any] = {
    "headline": None,
    "summary": "s",
    "meetings": [],
    "statements": [],
    "visits": [],
    "warrants": [],
}
# A key-shaped value, so the secret scan would catch it if scrubbing failed.
FAKE_KEY = "sk-test-0123456789abcdefABCDEF0123456789"

# What a developer had set, read once before the autouse fixture clears it (recording only).
LIVE = {
    k: os.environ.get(k)
    for k in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "NEWSSCHEMA_MODEL", "NEWSSCHEMA_MODE")
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No developer key or setting leaks into a test."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "NEWSSCHEMA_")) and name != "NEWSSCHEMA_RECORD":
            monkeypatch.delenv(name)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Transport backoff waits, recorded instead of slept."""
    waits: list[float] = []

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("newsschema._extraction._retry._sleep", waits.append)
    monkeypatch.setattr("newsschema._extraction._retry._asleep", asleep)
    return waits


@contextmanager
def scripted_cassette(
    name: str, script: list[Scripted], *, asynchronous: bool = False
) -> Iterator[Any]:
    """A client for a cassette recorded from the scripted server.

    Replays cassettes/<name>; with NEWSSCHEMA_RECORD=1 starts the scripted server
    and records what it serves.
    """
    import openai

    make = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    with cassette(CASSETTES / name):
        if record_mode() == "none":
            yield make(api_key=FAKE_KEY, base_url="http://127.0.0.1:9/v1")
            return
        with ScriptedServer(script) as server:
            yield make(api_key=FAKE_KEY, base_url=server.base_url)


@pytest.fixture(scope="module")
def every_type() -> Iterator[dict[str, type[Event]]]:
    """The four built-ins and tests/custom_types.py's Protest and Arrest, by name.

    The user's types are defined (so registered) for the requesting module only:
    other modules see the registry as it was.
    """
    saved = dict(_event._REGISTRY)
    module = sys.modules.get("custom_types")
    # Defining the classes registers them: reload if an earlier test imported them.
    module = importlib.reload(module) if module else importlib.import_module("custom_types")
    yield {
        **{event_type(cls).name: cls for cls in BUILTIN_TYPES},
        "protest": module.Protest,
        "arrest": module.Arrest,
    }
    _event._REGISTRY.clear()
    _event._REGISTRY.update(saved)
