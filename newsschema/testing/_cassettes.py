"""Cassettes: recorded HTTP as readable JSON, and a replayer that needs no vcrpy.

The format is vcrpy's cassette layout serialised as JSON, with JSON bodies stored
parsed (``"json": {...}``) rather than as escaped strings, so a diff shows what
changed in a prompt or an answer.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from newsschema._errors import NewsschemaError

__all__ = [
    "CassetteMismatchError",
    "deserialize",
    "load_interactions",
    "redact",
    "replay_transport",
    "request_secrets",
    "serialize",
]

SCRUBBED_HEADERS = frozenset(
    {
        "authorization", "api-key", "x-api-key", "openai-organization", "openai-project",
        "cookie", "set-cookie",
    }
)  # fmt: skip

REDACTED = "[REDACTED]"
"""What stands in a cassette where the API key was (a body or header echoing it)."""

# Shorter values are not secrets worth the name ("unused", "k") and replacing them
# everywhere would garble the bodies.
_MIN_SECRET = 8
_KEY_QUERY_PARAMS = frozenset({"key", "api_key", "api-key", "apikey", "access_token"})
_FRAMING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
_SHOWN = 60  # longest value a mismatch message shows
_LONG_TEXT = 40  # strings longer than this are shown around their first difference

Reason = Literal["missing", "unreadable", "differs", "extra", "unplayed"]


class CassetteMismatchError(NewsschemaError, AssertionError):
    """A cassette cannot answer the code under test: it is missing, stale or incomplete.

    It is an ``AssertionError`` too, so pytest reports it as a failed test.

    Attributes:
        path: the cassette file (or the name given to ``replay_transport``).
        reason: ``"missing"`` (no file at ``path``), ``"unreadable"`` (not a
            cassette), ``"differs"`` (a request differs from the recorded one),
            ``"extra"`` (more requests than were recorded) or ``"unplayed"``
            (recorded requests never made).
        field: for ``"differs"``, where the request first differs from the
            recording, e.g. ``"max_tokens"``, ``"messages[1].content"``,
            ``"path"``; otherwise None.
        recorded: the recorded value at ``field``, as JSON text (strings quoted),
            truncated; for long text, the part around the first difference.
            None when the recording has no such field.
        sent: the value sent now, shown the same way; None when the request
            now has no such field.
    """

    __module__ = "newsschema.testing"  # where users import it from, as tracebacks show

    def __init__(
        self,
        message: str,
        *,
        path: str,
        reason: Reason,
        field: str | None = None,
        recorded: str | None = None,
        sent: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.reason: Reason = reason
        self.field = field
        self.recorded = recorded
        self.sent = sent


def _parse(text: Any) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(text, str) or not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------
# Keeping the API key out of cassettes.


def request_secrets(headers: Mapping[str, Any], uri: str = "") -> set[str]:
    """The credentials a request carries: its bearer token, API-key headers, key parameters."""
    found: set[str] = set()

    def add(value: Any) -> None:
        for one in value if isinstance(value, list | tuple) else [value]:
            text = one.decode("latin-1") if isinstance(one, bytes) else str(one)
            text = text.strip()
            scheme, _, token = text.partition(" ")
            if token and scheme.lower() in ("bearer", "basic", "token"):
                text = token.strip()  # an echo then reads "Bearer [REDACTED]"
            found.add(text)

    for name, value in headers.items():
        if name.lower() in ("authorization", "api-key", "x-api-key", "proxy-authorization"):
            add(value)
    for name, value in parse_qsl(urlsplit(uri).query):
        if name.lower() in _KEY_QUERY_PARAMS:
            add(value)
    return {s for s in found if len(s) >= _MIN_SECRET}


def environment_secrets() -> set[str]:
    """The API key in ``OPENAI_API_KEY``, if it is long enough to be one."""
    key = os.environ.get("OPENAI_API_KEY", "").strip()
    return {key} if len(key) >= _MIN_SECRET else set()


def redact(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` with every occurrence of each secret replaced, in every string it holds."""
    ordered = sorted({s for s in secrets if len(s) >= _MIN_SECRET}, key=len, reverse=True)
    if not ordered:
        return value

    def clean(item: Any) -> Any:
        if isinstance(item, str):
            for secret in ordered:
                item = item.replace(secret, REDACTED)
            return item
        if isinstance(item, dict):
            return {clean(k): clean(v) for k, v in item.items()}
        if isinstance(item, list):
            return [clean(v) for v in item]
        return item

    return clean(value)


# --------------------------------------------------------------------------------------
# The file format.


def serialize(cassette: dict[str, Any], *, secrets: Iterable[str] = ()) -> str:
    """vcrpy serializer hook: JSON with bodies stored parsed where they are JSON.

    Every string in the result (bodies, every header value, URIs) has each of
    ``secrets`` replaced by ``[REDACTED]``.
    """
    out = json.loads(json.dumps(cassette, default=lambda b: b.decode("utf-8")))
    for interaction in out.get("interactions", []):
        request, response = interaction["request"], interaction["response"]
        if (parsed := _parse(request.get("body"))) is not None:
            request["body"] = {"json": parsed}
        body = response.get("body", {})
        if (parsed := _parse(body.get("string"))) is not None:
            response["body"] = {"json": parsed}
    # After parsing, so a key inside a JSON body is replaced in the decoded text.
    out = redact(out, secrets)
    return json.dumps(out, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def deserialize(text: str) -> dict[str, Any]:
    """vcrpy serializer hook: the inverse of :func:`serialize`."""
    data: dict[str, Any] = json.loads(text)
    for interaction in data.get("interactions", []):
        request, response = interaction["request"], interaction["response"]
        if isinstance(request.get("body"), dict) and "json" in request["body"]:
            request["body"] = json.dumps(request["body"]["json"])
        if "json" in response.get("body", {}):
            response["body"] = {"string": json.dumps(response["body"]["json"])}
    return data


def record_hint(verb: str = "record", tool: str = "") -> str:
    """How to (re)record a cassette, naming the running test when there is one."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    env = "NEWSSCHEMA_RECORD=1 OPENAI_BASE_URL=<server>/v1 OPENAI_API_KEY=<key>"
    if test:
        how = f"by running the test once against a server: {env} pytest '{test}'"
    else:
        how = (
            "by running the same code once with NEWSSCHEMA_RECORD=1 and OPENAI_BASE_URL/"
            f"OPENAI_API_KEY pointing at a server, e.g. {env} pytest tests/test_mine.py"
        )
    return (
        f"{verb} it{tool} {how} (leave OPENAI_BASE_URL unset for api.openai.com); "
        "runs after that need no server and no key"
    )


def load_interactions(path: str | Path) -> list[dict[str, Any]]:
    """The recorded interactions of a cassette file.

    Raises:
        CassetteMismatchError: no file at ``path`` (``reason="missing"``) or the
            file is not a cassette (``reason="unreadable"``).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CassetteMismatchError(
            f"cassette not found: {path} (nothing has been recorded there yet); " + record_hint(),
            path=str(path),
            reason="missing",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteMismatchError(
            f"cassette {path} cannot be read ({exc})", path=str(path), reason="unreadable"
        ) from None
    try:
        interactions = deserialize(text)["interactions"]
        if not isinstance(interactions, list):
            raise TypeError("interactions is not a list")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CassetteMismatchError(
            f"{path} is not a newsschema cassette ({type(exc).__name__}: {exc}); "
            "delete it and " + record_hint(),
            path=str(path),
            reason="unreadable",
        ) from None
    return list(interactions)


def same_json_body(recorded: Any, sent: bytes | str | None) -> bool:
    """Bodies match when they are equal as JSON (or as text when not JSON)."""
    a, b = _parse(recorded), _parse(sent)
    if a is not None or b is not None:
        return bool(a == b)
    return _text(recorded) == _text(sent)


def _text(body: Any) -> str:
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return body or ""


def _route(path: str) -> str:
    """The path requests match on: with or without the ``/v1`` prefix."""
    return path.removeprefix("/v1")


# --------------------------------------------------------------------------------------
# Saying what differs.


class _Absent:
    """A field one side of the comparison does not have."""


_ABSENT = _Absent()


def first_difference(recorded: Any, sent: Any, where: str = "") -> tuple[str, Any, Any] | None:
    """Where two JSON values first differ, in document order: ``(field, recorded, sent)``.

    A field missing on one side is returned as the private ``_ABSENT`` marker.
    """
    if not isinstance(recorded, _Absent) and not isinstance(sent, _Absent) and recorded == sent:
        return None
    if isinstance(recorded, dict) and isinstance(sent, dict):
        for key in [*recorded, *(k for k in sent if k not in recorded)]:
            found = first_difference(
                recorded.get(key, _ABSENT),
                sent.get(key, _ABSENT),
                f"{where}.{key}" if where else key,
            )
            if found is not None:
                return found
        return None  # pragma: no cover - unequal dicts always differ at some key
    if isinstance(recorded, list) and isinstance(sent, list):
        for i in range(max(len(recorded), len(sent))):
            found = first_difference(
                recorded[i] if i < len(recorded) else _ABSENT,
                sent[i] if i < len(sent) else _ABSENT,
                f"{where}[{i}]",
            )
            if found is not None:
                return found
        return None  # pragma: no cover - unequal lists always differ at some index
    return (where or "body", recorded, sent)


def _shorten(text: str, limit: int = _SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: Any) -> str | None:
    if isinstance(value, _Absent):
        return None
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _shorten(text)


# The line fencing the article in the prompt derives from the article's hash, so
# any change to the article changes it first; the change a reader wants is later.
_BOUNDARY = re.compile(r"=====ARTICLE-[0-9a-f]{16}(?:-\d+)?=====")


def _mask_boundaries(text: str) -> str:
    """``text`` with each article boundary marker blanked, keeping every offset."""
    return _BOUNDARY.sub(lambda m: "=" * len(m.group()), text)


def _first_differing_char(a: str, b: str) -> int | None:
    if a == b:
        return None
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _describe(field: str, recorded: Any, sent: Any) -> tuple[str, str | None, str | None]:
    """One line saying how ``field`` differs, and both values as shown."""
    if (
        isinstance(recorded, str)
        and isinstance(sent, str)
        and max(len(recorded), len(sent)) > _LONG_TEXT
    ):
        masked = _first_differing_char(_mask_boundaries(recorded), _mask_boundaries(sent))
        # None: only the boundary markers differ (the strings differ, so never 0 by default).
        at = masked if masked is not None else (_first_differing_char(recorded, sent) or 0)

        def around(text: str) -> str:
            start, end = max(0, at - 20), at + 30
            piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
            return repr(piece)

        before, now = around(recorded), around(sent)
        line = f"{field}: differs at char {at} (recorded {before}, now {now})"
        return line, before, now
    shown_recorded, shown_sent = _show(recorded), _show(sent)
    return (
        f"{field}: {shown_recorded or 'none'} recorded, {shown_sent or 'none'} now",
        shown_recorded,
        shown_sent,
    )


def mismatch_error(
    *,
    path: str,
    method: str,
    url_path: str,
    sent_body: Any,
    recorded: Mapping[str, Any],
    hint: str,
) -> CassetteMismatchError:
    """The error for a request that differs from the recorded one it should match."""
    recorded_path = urlsplit(str(recorded.get("uri", ""))).path
    before, now = _parse(recorded.get("body")), _parse(sent_body)
    also = ""
    if str(recorded.get("method", "")).upper() != method.upper():
        found: tuple[str, Any, Any] = ("method", recorded.get("method"), method)
    elif _route(recorded_path) != _route(url_path):
        found = ("path", recorded_path, url_path)
    elif before is None or now is None:
        found = ("body", _text(recorded.get("body")), _text(sent_body))
    else:
        found = first_difference(before, now) or ("body", before, now)
        if isinstance(before, dict) and isinstance(now, dict):
            # The other options that differ too, so one re-run can fix them all.
            top = found[0].split(".")[0].split("[")[0]
            others = [
                k
                for k in [*before, *(k for k in now if k not in before)]
                if k != top and before.get(k, _ABSENT) != now.get(k, _ABSENT)
            ]
            if others:
                also = f" (also differs: {', '.join(others)})"
    line, shown_recorded, shown_sent = _describe(*found)
    return CassetteMismatchError(
        f"{method} {url_path} does not match the recording in {path}: {line}{also}. "
        "Make the request as it was recorded (same model, mode, options such as "
        f"max_tokens and temperature, prompt and article), or {hint}",
        path=path,
        reason="differs",
        field=found[0],
        recorded=shown_recorded,
        sent=shown_sent,
    )


def extra_request_error(
    *, path: str, method: str, url_path: str, recorded: int, hint: str
) -> CassetteMismatchError:
    """The error for a request made after every recorded one was played."""
    return CassetteMismatchError(
        f"{method} {url_path} is one request more than {path} holds: all {recorded} recorded "
        "interaction(s) were already played, so the code under test now makes more calls "
        f"than when it was recorded (a retry or re-ask?); {hint}",
        path=path,
        reason="extra",
    )


def closest_recorded(
    pending: Sequence[Mapping[str, Any]], method: str, url_path: str
) -> Mapping[str, Any]:
    """The recorded request a sent one should have matched: the next with its method and path."""
    for request in pending:
        if str(request.get("method", "")).upper() == method.upper() and _route(
            urlsplit(str(request.get("uri", ""))).path
        ) == _route(url_path):
            return request
    return pending[0]


def replay_transport(interactions: list[dict[str, Any]], *, name: str = "cassette") -> Any:
    """An ``httpx2.MockTransport`` answering from recorded interactions, in order.

    Each request must match an unplayed interaction with the same method and
    path on its JSON body; otherwise :class:`CassetteMismatchError` names the
    first field that differs from the next such interaction.
    """
    import httpx2

    pending = list(interactions)
    total = len(pending)

    def handle(request: httpx2.Request) -> httpx2.Response:
        for i, interaction in enumerate(pending):
            recorded = interaction["request"]
            if (
                recorded["method"] == request.method
                and _route(urlsplit(recorded["uri"]).path) == _route(request.url.path)
                and same_json_body(recorded.get("body"), request.content)
            ):
                del pending[i]
                response = interaction["response"]
                headers = [
                    (k, v)
                    for k, values in response["headers"].items()
                    for v in values
                    if k.lower() not in _FRAMING_HEADERS  # the body is stored decoded
                ]
                body = response["body"].get("string") or ""
                return httpx2.Response(
                    response["status"]["code"],
                    headers=headers,
                    content=body.encode() if isinstance(body, str) else body,
                )
        hint = record_hint("re-record", " with newsschema.testing.cassette()")
        if not pending:
            raise extra_request_error(
                path=name, method=request.method, url_path=request.url.path, recorded=total,
                hint=hint,
            )  # fmt: skip
        raise mismatch_error(
            path=name,
            method=request.method,
            url_path=request.url.path,
            sent_body=request.content,
            recorded=closest_recorded([p["request"] for p in pending], request.method,
                                      request.url.path),
            hint=hint,
        )  # fmt: skip

    return httpx2.MockTransport(handle)
