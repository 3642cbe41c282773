"""Cassette hygiene: no secrets, stale cassettes fail loudly, nothing left unplayed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import CASSETTES, FAKE_KEY, SCRIPTED_MODEL, SEED_ARTICLE

from newsschema import summarize
from newsschema.testing import CassetteMismatchError, cassette
from newsschema.testing._cassettes import SCRUBBED_HEADERS

# Key shapes of the providers an OpenAI-compatible client is pointed at; a
# redacted echo ("Bearer [REDACTED]") does not match.
SECRET = re.compile(
    r"sk-[A-Za-z0-9_-]{16,}"  # OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), DeepSeek ...
    r"|Bearer\s+[A-Za-z0-9._~+/=-]{8,}"
    r"|sess-[A-Za-z0-9]{20,}"
    r"|gsk_[A-Za-z0-9]{20,}"  # Groq
    r"|xai-[A-Za-z0-9]{20,}"
    r"|AIza[0-9A-Za-z_-]{30,}"  # Google
    r"|hf_[A-Za-z0-9]{30,}"  # Hugging Face
    r"|r8_[A-Za-z0-9]{30,}"  # Replicate
)
FILES = sorted(CASSETTES.glob("*.json"))
EVERY_FILE = sorted(CASSETTES.rglob("*.json"))  # subfolders too (eval, batch)


def key_like_strings(value: Any, where: str = "") -> list[tuple[str, str]]:
    """``(where, match)`` for each key-shaped string anywhere in a parsed cassette.

    Walks every header value, body (parsed JSON or text), URI and status, after
    JSON decoding, so an escaped key (``sk\\u002d...``) is found too.
    """
    if isinstance(value, str):
        return [(where, m.group()) for m in SECRET.finditer(value)]
    if isinstance(value, dict):
        found = []
        for k, v in value.items():
            found += key_like_strings(str(k), f"{where}.{k}(name)")
            found += key_like_strings(v, f"{where}.{k}")
        return found
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in key_like_strings(v, f"{where}[{i}]")]
    return []


def test_there_are_cassettes() -> None:
    assert len(FILES) >= 5
    assert len(EVERY_FILE) > len(FILES)


@pytest.mark.parametrize(
    "path", EVERY_FILE, ids=[str(p.relative_to(CASSETTES)) for p in EVERY_FILE]
)
def test_no_secret_in_any_cassette(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not SECRET.search(text)
    assert FAKE_KEY not in text
    data = json.loads(text)
    assert key_like_strings(data) == []
    for interaction in data["interactions"]:
        for part in ("request", "response"):
            headers = {h.lower() for h in interaction[part]["headers"]}
            assert not headers & SCRUBBED_HEADERS


def test_the_scan_finds_a_key_in_any_header_or_body() -> None:
    """The scan above can fail: a key planted in a custom header and in bodies is found."""
    key = "sk-proj-" + "A1b2C3d4" * 5
    escaped = key.replace("-", "\\u002d")  # as a server may send it in JSON
    text = json.dumps(
        {
            "interactions": [
                {
                    "request": {"body": {"json": {"note": key}}, "headers": {}},
                    "response": {"headers": {"x-echo": [f"token={key}"]}, "body": {"string": "?"}},
                }
            ]
        }
    ).replace('"?"', f'"bad {escaped}"')
    assert SECRET.findall(text) == [key, key]  # the text scan misses the escaped one
    found = key_like_strings(json.loads(text))
    assert found == [
        (".interactions[0].request.body.json.note", key),
        (".interactions[0].response.headers.x-echo[0]", key),
        (".interactions[0].response.body.string", key),
    ]
    assert key_like_strings({"x-echo": ["Bearer [REDACTED]"]}) == []


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
        pytest.raises(CassetteMismatchError, match="NEWSSCHEMA_RECORD=1") as caught,
        cassette(CASSETTES / "seed_reference.json"),
    ):
        summarize(
            SEED_ARTICLE + " One more line.",
            published="2023-09-18",
            client=client,
            model=SCRIPTED_MODEL,
        )
    assert caught.value.field == "messages[1].content"
    assert "messages[1].content: differs at char" in str(caught.value)
    assert "README" not in str(caught.value)


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
