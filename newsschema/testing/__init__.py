"""Test your own code that uses newsschema, offline.

Two tools, both documented in the README ("Testing your code offline"):

- :class:`FakeModel` answers ``summarize`` with answers you give, through the
  real openai SDK and instructor, with no network: queue answers (or HTTP
  errors), pass ``fake.client()`` as ``client=``, inspect ``fake.requests``.
- :func:`cassette` records real HTTP once and replays it afterwards (vcrpy,
  ``pip install 'newsschema[testing]'``), with the same scrubbing and matching
  newsschema's own tests use. ``NEWSSCHEMA_RECORD=1`` switches it to recording.
  Replay needs no API key; recording redacts the key wherever it appears.
- :func:`replay_client` replays a cassette file without vcrpy.

A cassette that cannot answer raises :class:`CassetteMismatchError`, whose
``reason``, ``field``, ``recorded`` and ``sent`` say what is missing or differs.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ._cassettes import (
    REDACTED,
    SCRUBBED_HEADERS,
    CassetteMismatchError,
    closest_recorded,
    deserialize,
    environment_secrets,
    extra_request_error,
    load_interactions,
    mismatch_error,
    record_hint,
    replay_transport,
    request_secrets,
    same_json_body,
    serialize,
)

__all__ = [
    "REDACTED",
    "REPLAY_API_KEY",
    "CassetteMismatchError",
    "FakeModel",
    "cassette",
    "replay_client",
]

_FAKE_URL = "http://newsschema-fake.invalid/v1"


def _completion(content: str, *, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }


class FakeModel:
    """A scripted OpenAI-compatible chat model, served in-process without HTTP.

    Example:
        >>> fake = FakeModel()
        >>> fake.enqueue({"headline": None, "summary": "Nothing happened.", "meetings": []})
        >>> s = summarize("Some article.", client=fake.client(), model="fake",
        ...               events=[Meeting])  # doctest: +SKIP

    Answers are the JSON object the model would return (a dict or a JSON string),
    served as ``message.content``, which every mode reads except ``tools``.

    Args:
        keep_requests: decode each request body into :attr:`requests` (default);
            turn it off for long runs (benchmarks, thousands of articles), where
            the decoded bodies, each carrying the JSON schema, add up.
    """

    def __init__(self, *, keep_requests: bool = True) -> None:
        self._queue: list[tuple[int, dict[str, str], bytes]] = []
        self._keep_requests = keep_requests
        self.requests: list[dict[str, Any]] = []
        """Each request's JSON body, in order (empty with ``keep_requests=False``)."""
        self._responder: Callable[[dict[str, Any]], Any] | None = None
        self._lock = threading.Lock()

    def answer_with(self, respond: Callable[[dict[str, Any]], Any]) -> None:
        """Answer every request the queue does not answer by calling ``respond``.

        ``respond`` gets the request's JSON body (``body["messages"][1]["content"]``
        holds the article) and returns the answer (a dict or a JSON string, as for
        :meth:`enqueue`), or ``(status, body)`` for an HTTP error. It may be called
        from several threads at once: a long article's chunks are sent concurrently.
        """
        self._responder = respond

    def enqueue(self, answer: dict[str, Any] | str, *, finish_reason: str = "stop") -> None:
        """Queue one model answer."""
        content = answer if isinstance(answer, str) else json.dumps(answer)
        body = json.dumps(_completion(content, finish_reason=finish_reason)).encode()
        self._queue.append((200, {"content-type": "application/json"}, body))

    def enqueue_raw(
        self,
        body: dict[str, Any] | str | bytes,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue one HTTP response exactly as given (a whole completion, broken JSON ...)."""
        content = (
            body
            if isinstance(body, bytes)
            else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
        )
        self._queue.append(
            (status, {"content-type": "application/json", **(headers or {})}, content)
        )

    def enqueue_error(
        self, status: int, body: str | dict[str, Any] = "", *, headers: dict[str, str] | None = None
    ) -> None:
        """Queue one HTTP error response (e.g. 429 with ``{"retry-after": "2"}``)."""
        text = body if isinstance(body, str) else json.dumps(body)
        kind = "application/json" if isinstance(body, dict) else "text/plain"
        self._queue.append((status, {"content-type": kind, **(headers or {})}, text.encode()))

    @property
    def pending(self) -> int:
        """Queued responses not yet served."""
        return len(self._queue)

    def _handle(self, request: Any) -> Any:
        import httpx2

        sent = json.loads(request.content) if request.content else {}
        with self._lock:
            if self._keep_requests:
                self.requests.append(sent)
            queued = self._queue.pop(0) if self._queue else None
        if queued is None and self._responder is not None:
            answer = self._responder(sent)
            if isinstance(answer, tuple):
                status, error = answer
                text = error if isinstance(error, str) else json.dumps(error)
                headers = {"content-type": "application/json"}
                return httpx2.Response(status, headers=headers, content=text.encode())
            content = answer if isinstance(answer, str) else json.dumps(answer)
            body = json.dumps(_completion(content)).encode()
            return httpx2.Response(200, headers={"content-type": "application/json"}, content=body)
        if queued is None:
            raise AssertionError("FakeModel got a request but has no queued answer left")
        status, headers, body = queued
        return httpx2.Response(status, headers=headers, content=body)

    def client(self, *, api_key: str = "fake-key") -> Any:
        """An ``openai.OpenAI`` client served by this fake."""
        import httpx2
        import openai

        transport = httpx2.MockTransport(self._handle)
        return openai.OpenAI(
            api_key=api_key, base_url=_FAKE_URL, http_client=httpx2.Client(transport=transport)
        )

    def async_client(self, *, api_key: str = "fake-key") -> Any:
        """An ``openai.AsyncOpenAI`` client served by this fake."""
        import httpx2
        import openai

        transport = httpx2.MockTransport(self._handle)
        return openai.AsyncOpenAI(
            api_key=api_key,
            base_url=_FAKE_URL,
            http_client=httpx2.AsyncClient(transport=transport),
        )


def replay_client(path: str | Path, *, asynchronous: bool = False) -> Any:
    """An openai client that answers from a recorded cassette file, without vcrpy.

    Needs no API key. A request that differs from the recording raises
    :class:`CassetteMismatchError` naming the first field that differs.

    Raises:
        CassetteMismatchError: no cassette at ``path`` (``reason="missing"``,
            the message says how to record it) or not a cassette.
    """
    import httpx2
    import openai

    transport = replay_transport(load_interactions(path), name=str(path))
    if asynchronous:
        return openai.AsyncOpenAI(
            api_key=REPLAY_API_KEY,
            base_url=_FAKE_URL,
            http_client=httpx2.AsyncClient(transport=transport),
        )
    return openai.OpenAI(
        api_key=REPLAY_API_KEY, base_url=_FAKE_URL, http_client=httpx2.Client(transport=transport)
    )


REPLAY_API_KEY = "newsschema-replay-no-key"
"""The ``OPENAI_API_KEY`` a replaying :func:`cassette` provides when none is set.

Replay never reaches a server, so no real key is needed; this one only lets the
client be built. It is not a secret and never recorded (replay records nothing).
"""


class _PlaceholderKey:
    """``OPENAI_API_KEY`` set to :data:`REPLAY_API_KEY` while any replay runs, if it was unset.

    Counted across threads: the key goes when the last replay ends, not the first.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._replays = 0
        self._ours = False

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._replays == 0 and not os.environ.get("OPENAI_API_KEY"):
                os.environ["OPENAI_API_KEY"] = REPLAY_API_KEY
                self._ours = True
            self._replays += 1
        try:
            yield
        finally:
            with self._lock:
                self._replays -= 1
                if self._replays == 0 and self._ours:
                    self._ours = False
                    # A key the code under test set meanwhile is the caller's to keep.
                    if os.environ.get("OPENAI_API_KEY") == REPLAY_API_KEY:
                        del os.environ["OPENAI_API_KEY"]


_placeholder_key = _PlaceholderKey()


def _scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() in SCRUBBED_HEADERS:
            del request.headers[name]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        k: v for k, v in response["headers"].items() if k.lower() not in SCRUBBED_HEADERS
    }
    return response


def _json_body_matcher(r1: Any, r2: Any) -> None:
    if not same_json_body(r1.body, r2.body):
        raise AssertionError("JSON bodies differ")


def _path_matcher(r1: Any, r2: Any) -> None:
    if r1.path.removeprefix("/v1") != r2.path.removeprefix("/v1"):
        raise AssertionError(f"paths differ: {r1.path} != {r2.path}")


def record_mode() -> str:
    """``none`` (replay only) unless ``NEWSSCHEMA_RECORD`` asks to record."""
    value = os.environ.get("NEWSSCHEMA_RECORD", "").strip().lower()
    return {"": "none", "0": "none", "1": "all", "all": "all", "new": "new_episodes"}.get(
        value, "none"
    )


class _Serializer:
    """The cassette format, redacting the API keys seen while recording."""

    def __init__(self, secrets: set[str]) -> None:
        self.secrets = secrets

    def serialize(self, cassette: dict[str, Any]) -> str:
        # The environment is read again: the code under test may have set the key.
        return serialize(cassette, secrets=self.secrets | environment_secrets())

    deserialize = staticmethod(deserialize)


def _vcr_mismatch(tape: Any, sent: Any, path: Path) -> CassetteMismatchError:
    """Our error for a request vcrpy cannot play from ``tape``, naming what differs."""
    method, url_path = str(sent.method), str(urlsplit(sent.uri).path)
    pending = [
        {"method": r.method, "uri": r.uri, "body": r.body}
        for i, (r, _response) in enumerate(tape.data)
        if tape.play_counts[i] == 0
    ]
    hint = record_hint("re-record")
    if not pending:
        return extra_request_error(
            path=str(path), method=method, url_path=url_path, recorded=len(tape.data), hint=hint
        )
    return mismatch_error(
        path=str(path),
        method=method,
        url_path=url_path,
        sent_body=sent.body,
        recorded=closest_recorded(pending, method, url_path),
        hint=hint,
    )


def _refuse_with_our_error(tape: Any, path: Path) -> None:
    """Make ``tape`` raise :class:`CassetteMismatchError` where vcrpy refuses a request.

    vcrpy's stubs ask ``filter_request`` just before raising their own error;
    raising ours there lets it leave ``summarize`` as a newsschema error, so code
    inside the block that catches ``NewsschemaError`` sees it too.
    """
    original = tape.filter_request

    def filter_request(request: Any) -> Any:
        filtered = original(request)
        if filtered and tape.write_protected:
            raise _vcr_mismatch(tape, request, path)
        return filtered

    tape.filter_request = filter_request


@contextmanager
def cassette(path: str | Path, *, record: str | None = None) -> Iterator[Any]:
    """Record or replay the HTTP made inside the block.

    Replays by default, and replay needs no API key: while it runs,
    ``OPENAI_API_KEY`` is set to the placeholder :data:`REPLAY_API_KEY` if it
    was unset (nothing leaves the process). A missing cassette file raises
    :class:`CassetteMismatchError` saying how to record it; a request that
    differs from the recording raises it naming the first field that differs
    (``error.field``, ``error.recorded``, ``error.sent``); so does leaving
    recorded interactions unplayed.

    With ``NEWSSCHEMA_RECORD=1`` (or ``record="all"``) it calls the real
    endpoint (a real key is needed as usual) and rewrites the file. Secrets
    never reach the file: ``authorization``, ``api-key``, ``x-api-key``,
    ``openai-organization``, ``openai-project`` and cookies are dropped from
    requests and responses, and the API key used (the request's bearer token or
    API-key header, and ``OPENAI_API_KEY``) is replaced by ``[REDACTED]``
    wherever else it appears: bodies, every header value, URLs. Bodies are
    stored as readable JSON. Requests match on method, path and JSON body.

    Requires ``pip install 'newsschema[testing]'`` (vcrpy).

    Raises:
        CassetteMismatchError: see above; ``reason`` tells which case.
    """
    try:
        import vcr
        import vcr.serializers
    except ImportError as exc:  # pragma: no cover - depends on the install
        from newsschema._errors import ConfigurationError

        raise ConfigurationError(
            "newsschema.testing.cassette needs vcrpy: pip install 'newsschema[testing]'"
        ) from exc
    from vcr.errors import CannotOverwriteExistingCassetteException

    mode = record or record_mode()
    path = Path(path)
    if mode == "none":
        load_interactions(path)  # a missing or broken file, said before any request
    elif mode == "all":
        # vcrpy's "all" appends to what the file holds; a re-recording replaces it.
        path.unlink(missing_ok=True)
    secrets = environment_secrets()

    def scrub_request(request: Any) -> Any:
        secrets.update(request_secrets(request.headers, str(request.uri)))
        return _scrub_request(request)

    recorder = vcr.VCR(
        record_mode=mode,
        decode_compressed_response=True,
        before_record_request=scrub_request,
        before_record_response=_scrub_response,
        match_on=("method", "newsschema_path", "newsschema_json_body"),
    )
    recorder.register_serializer("newsschema_json", _Serializer(secrets))
    recorder.register_matcher("newsschema_path", _path_matcher)
    recorder.register_matcher("newsschema_json_body", _json_body_matcher)
    key: AbstractContextManager[None] = _placeholder_key.held() if mode == "none" else nullcontext()
    with key, recorder.use_cassette(str(path), serializer="newsschema_json") as tape:
        _refuse_with_our_error(tape, path)
        try:
            yield tape
        except BaseException as exc:
            chain: BaseException | None = exc
            seen: set[int] = set()
            while chain is not None and id(chain) not in seen:  # chains can loop
                seen.add(id(chain))
                if isinstance(chain, CannotOverwriteExistingCassetteException):
                    # vcrpy refused a request by a path _refuse_with_our_error missed.
                    raise _vcr_mismatch(tape, chain.failed_request, path) from exc
                chain = chain.__cause__ or chain.__context__
            raise
        if mode == "none" and not tape.all_played:
            unplayed = len(tape.data) - tape.play_count
            raise CassetteMismatchError(
                f"{unplayed} of {len(tape.data)} recorded interaction(s) in {path} were never "
                "requested: the code under test now makes fewer calls; " + record_hint("re-record"),
                path=str(path),
                reason="unplayed",
            )
