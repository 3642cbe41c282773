"""A scripted OpenAI-compatible server: real HTTP on 127.0.0.1, answers written by people.

Used to record deterministic cassettes (``NEWSSCHEMA_RECORD=1 pytest``). Every
answer it serves is a script entry from the tests, never a model's output.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    """One scripted HTTP response."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    # "reset": send half the body, then drop the connection; "hang": wait `delay` s first.
    action: str | None = None
    delay: float = 0.0


def completion_body(
    answer: dict[str, Any] | str,
    *,
    finish_reason: str = "stop",
    usage: tuple[int, int] = (1200, 800),
    model: str = "newsschema-scripted-reference",
    completion_id: str = "chatcmpl-scripted",
) -> dict[str, Any]:
    """The JSON of a chat completion whose message content is ``answer``."""
    content = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content, "refusal": None},
            }
        ],
        "usage": {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": sum(usage),
            "prompt_tokens_details": {"cached_tokens": 0},
        },
    }


def completion(
    answer: dict[str, Any] | str,
    *,
    finish_reason: str = "stop",
    usage: tuple[int, int] = (1200, 800),
) -> Scripted:
    """A chat completion whose message content is ``answer`` (as the model would send it)."""
    body = completion_body(answer, finish_reason=finish_reason, usage=usage)
    return Scripted(
        200,
        json.dumps(body, ensure_ascii=False).encode(),
        {"content-type": "application/json", "x-request-id": "req_scripted_ok"},
    )


def error(
    status: int,
    message: str,
    *,
    code: str | None = None,
    json_body: bool = True,
    headers: dict[str, str] | None = None,
) -> Scripted:
    if json_body:
        body = json.dumps(
            {"error": {"message": message, "type": "scripted", "code": code}}
        ).encode()
        kind = "application/json"
    else:
        body, kind = message.encode(), "text/plain"
    return Scripted(
        status,
        body,
        {"content-type": kind, "x-request-id": f"req_scripted_{status}", **(headers or {})},
    )


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out or are reset on purpose leave broken pipes: expected."""


class ScriptedServer:
    """Serves the scripted responses in order on /v1/chat/completions."""

    def __init__(self, script: list[Scripted]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                server.requests.append(json.loads(self.rfile.read(length) or b"{}"))
                if self.path.rstrip("/") != "/v1/chat/completions" or not server.script:
                    reply = error(404, f"no scripted response for {self.path}")
                else:
                    reply = server.script.pop(0)
                if reply.action == "hang":
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                if reply.action == "reset":
                    self.wfile.write(reply.body[: len(reply.body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
