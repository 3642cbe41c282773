"""Cassettes: recorded HTTP as readable JSON, and a replayer that needs no vcrpy.

The format is vcrpy's cassette layout serialised as JSON, with JSON bodies stored
parsed (``"json": {...}``) rather than as escaped strings, so a diff shows what
changed in a prompt or an answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CassetteMismatchError",
    "deserialize",
    "load_interactions",
    "replay_transport",
    "serialize",
]

SCRUBBED_HEADERS = frozenset(
    {
        "authorization", "api-key", "x-api-key", "openai-organization", "openai-project",
        "cookie", "set-cookie",
    }
)  # fmt: skip


_FRAMING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class CassetteMismatchError(AssertionError):
    """A request matched no recorded interaction: the cassette is stale or incomplete."""


def _parse(text: Any) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not isinstance(text, str) or not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def serialize(cassette: dict[str, Any]) -> str:
    """vcrpy serializer hook: JSON with bodies stored parsed where they are JSON."""
    out = json.loads(json.dumps(cassette, default=lambda b: b.decode("utf-8")))
    for interaction in out.get("interactions", []):
        request, response = interaction["request"], interaction["response"]
        if (parsed := _parse(request.get("body"))) is not None:
            request["body"] = {"json": parsed}
        body = response.get("body", {})
        if (parsed := _parse(body.get("string"))) is not None:
            response["body"] = {"json": parsed}
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


def load_interactions(path: str | Path) -> list[dict[str, Any]]:
    return list(deserialize(Path(path).read_text(encoding="utf-8"))["interactions"])


def same_json_body(recorded: Any, sent: bytes | str | None) -> bool:
    """Bodies match when they are equal as JSON (or as text when not JSON)."""
    a, b = _parse(recorded), _parse(sent)
    if a is not None or b is not None:
        return bool(a == b)
    return (recorded or "") == ((sent.decode() if isinstance(sent, bytes) else sent) or "")


def replay_transport(interactions: list[dict[str, Any]], *, name: str = "cassette") -> Any:
    """An ``httpx2.MockTransport`` answering from recorded interactions, in order.

    Each request must match the next unplayed interaction with the same method and
    path on its JSON body; otherwise :class:`CassetteMismatchError` says so.
    """
    import httpx2

    pending = list(interactions)

    def handle(request: httpx2.Request) -> httpx2.Response:
        for i, interaction in enumerate(pending):
            recorded = interaction["request"]
            if (
                recorded["method"] == request.method
                and urlsplit(recorded["uri"]).path.removeprefix("/v1")
                == request.url.path.removeprefix("/v1")
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
        raise CassetteMismatchError(
            f"{request.method} {request.url.path} matches no unplayed interaction in {name}: "
            "the request changed since it was recorded (prompt, schema or options). "
            "Re-record with NEWSSCHEMA_RECORD=1 (see cassettes/README.md)."
        )

    return httpx2.MockTransport(handle)
