"""newsschema.testing.cassette as a user meets it: recorded over loopback HTTP, then replayed.

Every recording here goes over real HTTP to a server on 127.0.0.1 (the scripted
server, or an echoing one below) into a cassette under tmp_path.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPTY_ANSWER, FAKE_KEY
from scripted_server import ScriptedServer, completion, completion_body

from newsschema import ConfigurationError, asummarize, summarize
from newsschema._extraction._prompts import render_messages
from newsschema.testing import (
    REDACTED,
    REPLAY_API_KEY,
    CassetteMismatchError,
    cassette,
    replay_client,
)
from newsschema.testing._cassettes import mismatch_error, request_secrets, serialize

ARTICLE = (
    "Foreign ministers of Kenya and Ghana met in Nairobi on Monday to discuss trade, "
    "the Kenyan foreign ministry said in a statement after the talks ended."
)
MODEL = "gpt-4.1-mini"
OTHER_KEY = "sk-envkey-ZYXWVUTSRQPONMLKJIHGFEDCBA98765"


def _record(
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    calls: int = 1,
    **options: Any,
) -> ScriptedServer:
    """Record ``calls`` summaries of ARTICLE from the scripted server, configured by env only."""
    with ScriptedServer([completion(EMPTY_ANSWER)] * calls) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
        with cassette(path, record="all"):
            for _ in range(calls):
                summarize(ARTICLE, published="2024-05-01", model=MODEL, **options)
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.delenv("OPENAI_API_KEY")
    return server


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cassette of one summary made with max_tokens=1024."""
    path = tmp_path / "my_article.json"
    server = _record(path, monkeypatch, max_tokens=1024)
    assert len(server.requests) == 1 and server.requests[0]["max_tokens"] == 1024
    return path


# --------------------------------------------------------------------------------------
# 1. Replay needs no key.


def test_replay_needs_no_api_key_and_leaves_none_behind(recorded: Path) -> None:
    assert "OPENAI_API_KEY" not in os.environ and "OPENAI_BASE_URL" not in os.environ
    with cassette(recorded):
        s = summarize(ARTICLE, published="2024-05-01", model=MODEL, max_tokens=1024)
    assert s.summary == "s"
    assert "OPENAI_API_KEY" not in os.environ


async def test_async_replay_needs_no_api_key(recorded: Path) -> None:
    with cassette(recorded):
        s = await asummarize(ARTICLE, published="2024-05-01", model=MODEL, max_tokens=1024)
    assert s.summary == "s"


def test_replay_keeps_the_callers_own_key(recorded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OTHER_KEY)
    with cassette(recorded):
        assert os.environ["OPENAI_API_KEY"] == OTHER_KEY
        summarize(ARTICLE, published="2024-05-01", model=MODEL, max_tokens=1024)
    assert os.environ["OPENAI_API_KEY"] == OTHER_KEY


def test_the_placeholder_key_lasts_until_the_last_overlapping_replay_ends(
    recorded: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text(recorded.read_text(encoding="utf-8"), encoding="utf-8")
    inside, release = threading.Event(), threading.Event()
    seen: list[str | None] = []

    def replay_in_a_thread() -> None:
        with cassette(other):
            inside.set()
            release.wait(10)
            seen.append(os.environ.get("OPENAI_API_KEY"))
            summarize(ARTICLE, published="2024-05-01", model=MODEL, max_tokens=1024)

    worker = threading.Thread(target=replay_in_a_thread)
    worker.start()
    assert inside.wait(10)
    with cassette(recorded):
        summarize(ARTICLE, published="2024-05-01", model=MODEL, max_tokens=1024)
    release.set()  # this thread's replay ended first; the other still needs the key
    worker.join(10)
    assert seen == [REPLAY_API_KEY]
    assert "OPENAI_API_KEY" not in os.environ


def test_recording_still_needs_a_real_key(tmp_path: Path) -> None:
    with (
        pytest.raises(ConfigurationError, match="no API key"),
        cassette(tmp_path / "new.json", record="all"),
    ):
        summarize(ARTICLE, model=MODEL)


# --------------------------------------------------------------------------------------
# 2. A missing cassette says so and how to record it.


def _assert_says_how_to_record(err: CassetteMismatchError, path: Path) -> None:
    message = str(err)
    assert err.reason == "missing" and err.path == str(path)
    assert f"cassette not found: {path}" in message
    assert "NEWSSCHEMA_RECORD=1" in message
    assert "OPENAI_BASE_URL=" in message and "OPENAI_API_KEY=" in message
    # The running test, ready to paste.
    assert "tests/test_cassette_user.py::test_a_missing" in message
    assert "changed since it was recorded" not in message
    assert "cassettes/README.md" not in message


def test_a_missing_cassette_says_so_and_how_to_record_it(tmp_path: Path) -> None:
    path = tmp_path / "tests" / "cassettes" / "my_article.json"
    with pytest.raises(CassetteMismatchError) as caught, cassette(path):
        pytest.fail("the block must not run without its cassette")  # pragma: no cover
    _assert_says_how_to_record(caught.value, path)
    assert not path.exists()


def test_a_missing_cassette_for_replay_client_says_the_same(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    with pytest.raises(CassetteMismatchError) as caught:
        replay_client(path)
    _assert_says_how_to_record(caught.value, path)


def test_a_file_that_is_not_a_cassette_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CassetteMismatchError, match=r"broken\.json is not a newsschema cassette"):
        replay_client(path)
    with pytest.raises(CassetteMismatchError) as caught, cassette(path):
        pass  # pragma: no cover
    assert caught.value.reason == "unreadable"


# --------------------------------------------------------------------------------------
# 3. A mismatch names the first field that differs.


@contextmanager
def _replaying(path: Path, how: str) -> Iterator[dict[str, Any]]:
    """Keyword arguments for summarize replaying ``path`` through cassette() or replay_client()."""
    if how == "cassette":
        with cassette(path):
            yield {}
    else:
        yield {"client": replay_client(path)}


HOW = ["cassette", "replay_client"]


def _mismatch(path: Path, how: str, **options: Any) -> CassetteMismatchError:
    article = options.pop("article", ARTICLE)
    with pytest.raises(CassetteMismatchError) as caught, _replaying(path, how) as client:
        summarize(article, published="2024-05-01", **{"model": MODEL, **client, **options})
    return caught.value


@pytest.mark.parametrize("how", HOW)
def test_a_missing_option_is_named_with_the_recorded_value(recorded: Path, how: str) -> None:
    err = _mismatch(recorded, how)  # no max_tokens now
    assert (err.reason, err.field, err.recorded, err.sent) == (
        "differs",
        "max_tokens",
        "1024",
        None,
    )
    assert "max_tokens: 1024 recorded, none now" in str(err)
    assert str(recorded) in str(err)
    assert "cassettes/README.md" not in str(err)


@pytest.mark.parametrize("how", HOW)
def test_a_different_model_is_named_with_both_values(recorded: Path, how: str) -> None:
    err = _mismatch(recorded, how, model="gpt-4o", max_tokens=1024)
    assert (err.field, err.recorded, err.sent) == ("model", "'gpt-4.1-mini'", "'gpt-4o'")
    assert "model: 'gpt-4.1-mini' recorded, 'gpt-4o' now" in str(err)


@pytest.mark.parametrize("how", HOW)
def test_changed_text_is_located_to_the_character(recorded: Path, how: str) -> None:
    changed = ARTICLE.replace("on Monday", "on Tuesday")
    sent = json.loads(recorded.read_text(encoding="utf-8"))["interactions"][0]["request"]
    before = sent["body"]["json"]["messages"][1]["content"]
    now = render_messages(changed, date(2024, 5, 1))[1]["content"]
    # Where the article changed, not where its boundary marker (a hash of it) did.
    at = before.index(ARTICLE) + ARTICLE.index("Monday")
    assert before[:at] != now[:at] and before[at : at + 6] == "Monday"

    err = _mismatch(recorded, how, article=changed, max_tokens=1024)

    assert err.field == "messages[1].content"
    assert f"messages[1].content: differs at char {at} (recorded " in str(err)
    assert err.recorded is not None and err.sent is not None
    assert "on Monday to" in err.recorded and "on Tuesday to" in err.sent
    assert len(err.recorded) <= 60 and len(err.sent) <= 60


def test_a_long_text_difference_is_shown_around_where_it_starts() -> None:
    text = "Foreign ministers met in Nairobi on Monday to discuss trade and the border."
    body = {"messages": [{"content": "a"}, {"content": text}]}
    recorded = {"method": "POST", "uri": "http://x/v1/chat/completions", "body": json.dumps(body)}
    sent = json.dumps({"messages": [{"content": "a"}, {"content": text.replace("Mon", "Tues")}]})
    err = mismatch_error(
        path="c.json", method="POST", url_path="/v1/chat/completions", sent_body=sent,
        recorded=recorded, hint="re-record it",
    )  # fmt: skip
    assert err.field == "messages[1].content"
    assert f"differs at char {text.index('Monday')}" in str(err)
    # 20 characters before the difference, 30 from it.
    assert err.recorded == repr("…s met in Nairobi on Monday to discuss trade and th…")
    assert err.sent == repr("…s met in Nairobi on Tuesday to discuss trade and t…")


def test_when_only_the_boundary_markers_differ_they_are_named() -> None:
    def body(marker: str) -> str:
        return json.dumps(
            {"messages": [{"content": f"The article {marker} stands here, unchanged."}]}
        )

    recorded = {"method": "POST", "uri": "http://x/v1/chat/completions",
                "body": body("=====ARTICLE-0123456789abcdef=====")}  # fmt: skip
    err = mismatch_error(
        path="c.json", method="POST", url_path="/v1/chat/completions",
        sent_body=body("=====ARTICLE-fedcba9876543210====="), recorded=recorded, hint="",
    )  # fmt: skip
    assert "messages[0].content: differs at char 25" in str(err)


def test_a_different_path_is_named() -> None:
    recorded = {"method": "POST", "uri": "http://x/v1/chat/completions", "body": "{}"}
    err = mismatch_error(
        path="c.json", method="POST", url_path="/v1/embeddings", sent_body="{}",
        recorded=recorded, hint="re-record it",
    )  # fmt: skip
    assert (err.field, err.recorded, err.sent) == (
        "path",
        "'/v1/chat/completions'",
        "'/v1/embeddings'",
    )


@pytest.mark.parametrize("how", HOW)
def test_every_other_differing_option_is_listed(recorded: Path, how: str) -> None:
    err = _mismatch(recorded, how, model="gpt-4o", temperature=0.5)
    assert err.field == "model"
    assert "(also differs: max_tokens, temperature)" in str(err)


@pytest.mark.parametrize("how", HOW)
def test_one_call_more_than_recorded_is_said_so(recorded: Path, how: str) -> None:
    with _replaying(recorded, how) as client:
        summarize(ARTICLE, published="2024-05-01", model=MODEL, max_tokens=1024, **client)
        with pytest.raises(CassetteMismatchError) as caught:
            summarize(ARTICLE, published="2024-05-01", model=MODEL, max_tokens=1024, **client)
    err = caught.value
    assert err.reason == "extra"
    assert "all 1 recorded interaction(s) were already played" in str(err)


def test_the_mismatch_message_says_how_to_rerecord_this_test(recorded: Path) -> None:
    err = _mismatch(recorded, "cassette")
    assert "NEWSSCHEMA_RECORD=1" in str(err)
    assert "tests/test_cassette_user.py::test_the_mismatch_message_says" in str(err)


def test_a_cassette_recorded_with_two_calls_replays_them_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "two.json"
    _record(path, monkeypatch, calls=2)
    with cassette(path):
        for _ in range(2):
            summarize(ARTICLE, published="2024-05-01", model=MODEL)


# --------------------------------------------------------------------------------------
# 4. The API key never lands in a cassette, wherever a server echoes it.


class EchoingServer:
    """A chat-completions server on 127.0.0.1 that echoes the Authorization it receives.

    The echo goes into the JSON body, a plain-looking response header and a
    ``set-cookie``-free custom header, as misconfigured proxies and debug servers do;
    ``extra`` (e.g. a key it has no business knowing) goes into the body too.
    """

    def __init__(self, extra: str = "") -> None:
        server = self
        self.seen: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                auth = self.headers.get("authorization", "")
                server.seen.append(auth)
                body = completion_body(EMPTY_ANSWER)
                body["debug"] = {"authorization": auth, "note": f"key in use: {extra}"}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("x-echo-authorization", auth)
                self.send_header("x-debug", f"upstream=openai; auth={auth.removeprefix('Bearer ')}")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> EchoingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_an_echoed_key_is_redacted_from_bodies_and_every_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openai

    path = tmp_path / "echo.json"
    monkeypatch.setenv("OPENAI_API_KEY", OTHER_KEY)  # in the environment, not the one used
    with EchoingServer(extra=OTHER_KEY) as server, cassette(path, record="all"):
        client = openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url)
        summarize(ARTICLE, published="2024-05-01", client=client, model=MODEL)
    assert server.seen == [f"Bearer {FAKE_KEY}"]  # the echo really carried the key

    text = path.read_text(encoding="utf-8")
    assert FAKE_KEY not in text and OTHER_KEY not in text
    response = json.loads(text)["interactions"][0]["response"]
    assert response["headers"]["x-echo-authorization"] == [f"Bearer {REDACTED}"]
    assert response["headers"]["x-debug"] == [f"upstream=openai; auth={REDACTED}"]
    assert response["body"]["json"]["debug"] == {
        "authorization": f"Bearer {REDACTED}",
        "note": f"key in use: {REDACTED}",
    }
    request = json.loads(text)["interactions"][0]["request"]
    assert "authorization" not in {h.lower() for h in request["headers"]}

    # The redacted cassette still replays, with no key at all.
    monkeypatch.delenv("OPENAI_API_KEY")
    with cassette(path):
        assert summarize(ARTICLE, published="2024-05-01", model=MODEL).summary == "s"


def test_the_keys_a_request_carries_are_found_in_any_auth_header_or_key_parameter() -> None:
    headers = {"Authorization": f"Bearer {FAKE_KEY}", "api-key": "azure-key-0123456789"}
    uri = "https://example.invalid/v1/models?key=google-key-0123456789&page=2"
    assert request_secrets(headers, uri) == {
        FAKE_KEY,
        "azure-key-0123456789",
        "google-key-0123456789",
    }
    # Too short to be a key, and replacing it everywhere would garble the cassette.
    assert request_secrets({"authorization": "Bearer unused"}) == set()


def test_serialize_redacts_text_bodies_and_uris_too() -> None:
    cassette_dict = {
        "interactions": [
            {
                "request": {
                    "method": "GET",
                    "uri": f"https://example.invalid/v1/models?key={FAKE_KEY}",
                    "body": None,
                    "headers": {"x-forwarded-auth": [FAKE_KEY]},
                },
                "response": {
                    "status": {"code": 401, "message": "Unauthorized"},
                    "headers": {"content-type": ["text/plain"]},
                    "body": {"string": f"invalid api key {FAKE_KEY}".encode()},
                },
            }
        ]
    }
    text = serialize(cassette_dict, secrets={FAKE_KEY})
    assert FAKE_KEY not in text
    data = json.loads(text)["interactions"][0]
    assert data["request"]["uri"].endswith(f"?key={REDACTED}")
    assert data["request"]["headers"]["x-forwarded-auth"] == [REDACTED]
    assert data["response"]["body"]["string"] == f"invalid api key {REDACTED}"
