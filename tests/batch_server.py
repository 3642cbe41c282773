"""A scripted OpenAI-compatible server for many-article runs: latency, rate limits, batches.

Every answer it gives is written here or by a test, never a model's output:

- ``POST /v1/chat/completions``: a small answer built from the article in the
  request (its first sentence as the summary, and one statement quoting it),
  or what the test's ``answer`` function returns; after a fixed ``latency``; and,
  with ``limit=(R, W)``, a 429 for any request beyond R in the last W seconds
  (rejected requests are not counted), with OpenAI's ``x-ratelimit-*`` headers.
- ``POST /v1/files``, ``GET /v1/files/{id}/content``: uploads kept in memory.
- ``GET /v1/_stats``: the counters (completions, 429s, requests by route).
- ``POST /v1/batches``, ``GET /v1/batches/{id}``: a batch is ``in_progress`` for
  ``polls`` status checks, then ``completed`` with an output file (and an error
  file for lines the test's ``batch_line`` function fails).

One handler serves two front ends: real HTTP on 127.0.0.1 (:meth:`BatchServer.serve`,
for recording cassettes and for benchmarks, where it runs in its own process:
``python tests/batch_server.py --latency 0.2``) and an in-process ``httpx2``
transport (:meth:`BatchServer.transport`, for fast tests).
"""

from __future__ import annotations

import argparse
import asyncio
import email.parser
import email.policy
import json
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from scripted_server import completion_body as scripted_completion_body

_BOUNDARY_LINE = re.compile(r"^(=====ARTICLE-[0-9a-f]+(?:-\d+)?=====)$", re.MULTILINE)

# (status, headers, body) of one reply.
Reply = tuple[int, dict[str, str], bytes]


def article_of(body: dict[str, Any]) -> str:
    """The article text inside a newsschema chat request (between its boundary lines)."""
    for message in body.get("messages", []):
        content = message.get("content") if isinstance(message, dict) else None
        if message.get("role") != "user" or not isinstance(content, str):
            continue
        match = _BOUNDARY_LINE.search(content)
        if match:
            start = match.end() + 1
            end = content.index("\n" + match.group(1), start)
            return content[start:end]
    return ""


def first_sentence(text: str) -> str:
    match = re.search(r"\S.*?[.!?](?=\s|$)", text, re.DOTALL)
    return (match.group(0) if match else text.strip())[:300]


def small_answer(article: str) -> dict[str, Any]:
    """A valid, grounded answer: the first sentence as summary and as one statement's evidence."""
    sentence = first_sentence(article)
    return {
        "headline": None,
        "summary": sentence,
        "meetings": [],
        "statements": [
            {
                "speaker": {
                    "name": "The article",
                    "title": None,
                    "organisation": None,
                    "country": None,
                    "kind": "organisation",
                },
                "content": sentence,
                "quote": None,
                "addressee": None,
                "occasion": None,
                "status": "occurred",
                "when": None,
                "evidence": [{"quote": sentence}],
            }
        ],
        "visits": [],
        "warrants": [],
    }


def completion_body(answer: dict[str, Any] | str, *, usage: tuple[int, int] = (900, 120)) -> dict:
    """The JSON of a chat completion whose message content is ``answer``."""
    return scripted_completion_body(
        answer, usage=usage, model="newsschema-scripted-batch",
        completion_id="chatcmpl-scripted-batch",
    )  # fmt: skip


def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(data, ensure_ascii=False).encode()
    return status, {"content-type": "application/json", **(headers or {})}, body


def _error(status: int, message: str, code: str, headers: dict[str, str] | None = None) -> Reply:
    return _json(status, {"error": {"message": message, "type": "scripted", "code": code}}, headers)


@dataclass
class BatchLine:
    """A scripted batch result line: status and body (a completion, or an error)."""

    status: int
    body: dict[str, Any]


class BatchServer:
    """The scripted server's state and handler (see the module docstring).

    Args:
        latency: seconds before each chat completion is answered (or a function of
            the request body giving them).
        limit: ``(R, W)``: at most R chat requests per W seconds, 429 beyond.
        answer: chat request body -> the answer (a draft dict, or raw content text).
        batch_line: (custom_id, request body) -> the batch's result line for it.
        polls: status checks a batch stays ``in_progress`` before it completes.
        clock: for the rate limit window (replaced in tests).
    """

    def __init__(
        self,
        *,
        latency: float | Callable[[dict[str, Any]], float] = 0.0,
        limit: tuple[int, float] | None = None,
        answer: Callable[[dict[str, Any]], dict[str, Any] | str] | None = None,
        batch_line: Callable[[str, dict[str, Any]], BatchLine] | None = None,
        polls: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.latency = latency
        self.limit = limit
        self.answer = answer or (lambda body: small_answer(article_of(body)))
        self.batch_line = batch_line
        self.polls = polls
        self.clock = clock
        self.lock = threading.Lock()
        self.accepted: deque[float] = deque()
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.checks: Counter[str] = Counter()
        #: requests by "METHOD /path" (ids replaced by {id}).
        self.requests: Counter[str] = Counter()
        #: chat completions answered 200, and 429s given.
        self.completions = 0
        self.rejected = 0
        #: monotonic times of the first and the last accepted chat request.
        self.first_accepted: float | None = None
        self.last_accepted: float | None = None
        self.chat_bodies: list[dict[str, Any]] = []

    # -- the handler ----------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        path = path.split("?", maxsplit=1)[0].rstrip("/")
        key = re.sub(r"/(file|batch)[-_][\w-]+", "/{id}", path)
        with self.lock:
            self.requests[f"{method} {key}"] += 1
        routes: dict[str, Callable[[str], Reply]] = {
            "POST /v1/chat/completions": lambda _: self._chat(json.loads(body or b"{}")),
            "POST /v1/files": lambda _: self._upload(headers, body),
            "GET /v1/files/{id}/content": self._content,
            "GET /v1/_stats": lambda _: _json(200, self.counters()),
            "POST /v1/batches": lambda _: self._create_batch(json.loads(body or b"{}")),
            "GET /v1/batches/{id}": self._retrieve_batch,
        }
        route = routes.get(f"{method} {key}")
        if route is None:
            return _error(404, f"no scripted route for {method} {path}", "not_found")
        found = re.search(r"/((?:file|batch)[-_][\w-]+)", path)
        return route(found.group(1) if found else "")

    def _content(self, file_id: str) -> Reply:
        data = self.files.get(file_id)
        if data is None:
            return _error(404, f"no file {file_id}", "not_found")
        return 200, {"content-type": "application/octet-stream"}, data

    def delay(self, body: bytes) -> float:
        """Seconds to wait before answering this chat request."""
        if callable(self.latency):
            return self.latency(json.loads(body or b"{}"))
        return self.latency

    def counters(self) -> dict[str, Any]:
        with self.lock:
            return {
                "completions": self.completions,
                "rejected": self.rejected,
                "first_accepted": self.first_accepted,
                "last_accepted": self.last_accepted,
                "requests": dict(self.requests),
            }

    def admit(self) -> tuple[bool, dict[str, str]]:
        """Count a chat request against the window; False (and 429 headers) when over."""
        if self.limit is None:
            return True, {}
        allowed, window = self.limit
        with self.lock:
            now = self.clock()
            while self.accepted and self.accepted[0] <= now - window:
                self.accepted.popleft()
            if len(self.accepted) >= allowed:
                self.rejected += 1
                wait = self.accepted[0] + window - now
                return False, {
                    "retry-after-ms": str(max(1, round(wait * 1000))),
                    "x-ratelimit-limit-requests": str(allowed),
                    "x-ratelimit-remaining-requests": "0",
                    "x-ratelimit-reset-requests": f"{wait:.3f}s",
                }
            self.accepted.append(now)
            full = self.accepted[-1] + window - now
            return True, {
                "x-ratelimit-limit-requests": str(allowed),
                "x-ratelimit-remaining-requests": str(allowed - len(self.accepted)),
                "x-ratelimit-reset-requests": f"{full:.3f}s",
            }

    def _chat(self, request: dict[str, Any]) -> Reply:
        admitted, headers = self.admit()
        if not admitted:
            return _error(
                429, "Rate limit reached for requests (scripted)", "rate_limit_exceeded", headers
            )
        with self.lock:
            self.completions += 1
            now = self.clock()
            self.first_accepted = self.first_accepted if self.first_accepted is not None else now
            self.last_accepted = now
            self.chat_bodies.append(request)
        headers["x-request-id"] = "req_scripted_batch"
        return _json(200, completion_body(self.answer(request)), headers)

    def _upload(self, headers: dict[str, str], body: bytes) -> Reply:
        content_type = next(v for k, v in headers.items() if k.lower() == "content-type")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        data = b""
        for part in message.iter_parts():  # type: ignore[attr-defined]
            if part.get_param("name", header="content-disposition") == "file":
                data = part.get_payload(decode=True)
        with self.lock:
            file_id = f"file-scripted-{len(self.files) + 1}"
            self.files[file_id] = data
        return _json(200, self._file(file_id, "batch"))

    def _file(self, file_id: str, purpose: str) -> dict[str, Any]:
        return {
            "id": file_id, "object": "file", "bytes": len(self.files[file_id]),
            "created_at": 1700000000, "filename": f"{file_id}.jsonl", "purpose": purpose,
            "status": "processed",
        }  # fmt: skip

    def _create_batch(self, request: dict[str, Any]) -> Reply:
        with self.lock:
            batch_id = f"batch_scripted_{len(self.batches) + 1}"
            lines = [
                json.loads(line)
                for line in self.files[request["input_file_id"]].decode().splitlines()
                if line.strip()
            ]
            self.batches[batch_id] = {
                "id": batch_id, "object": "batch", "endpoint": request["endpoint"],
                "errors": None, "input_file_id": request["input_file_id"],
                "completion_window": request["completion_window"], "status": "validating",
                "output_file_id": None, "error_file_id": None, "created_at": 1700000000,
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
                "metadata": request.get("metadata"), "_lines": lines,
            }  # fmt: skip
        return _json(200, self._public(batch_id))

    def _public(self, batch_id: str) -> dict[str, Any]:
        return {k: v for k, v in self.batches[batch_id].items() if not k.startswith("_")}

    def _retrieve_batch(self, batch_id: str) -> Reply:
        with self.lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return _error(404, f"no batch {batch_id}", "not_found")
            self.checks[batch_id] += 1
            if self.checks[batch_id] <= self.polls:
                batch["status"] = "in_progress"
            elif batch["status"] != "completed":
                self._complete(batch)
        return _json(200, self._public(batch_id))

    def _complete(self, batch: dict[str, Any]) -> None:
        ok: list[str] = []
        failed: list[str] = []
        for n, line in enumerate(batch["_lines"], start=1):
            custom_id, body = line["custom_id"], line["body"]
            if self.batch_line is not None:
                result = self.batch_line(custom_id, body)
            else:
                result = BatchLine(200, completion_body(self.answer(body)))
            record = {
                "id": f"batch_req_scripted_{n}",
                "custom_id": custom_id,
                "response": {
                    "status_code": result.status,
                    "request_id": f"req_scripted_batch_{n}",
                    "body": result.body,
                },
                "error": None,
            }
            (ok if result.status == 200 else failed).append(json.dumps(record))
        batch["status"] = "completed"
        batch["request_counts"] = {
            "total": len(ok) + len(failed),
            "completed": len(ok),
            "failed": len(failed),
        }
        for name, lines in (("output_file_id", ok), ("error_file_id", failed)):
            if lines:
                file_id = f"file-scripted-{len(self.files) + 1}"
                self.files[file_id] = ("\n".join(lines) + "\n").encode()
                batch[name] = file_id

    # -- front ends -----------------------------------------------------------------------

    def transport(self, *, sleep: Callable[[float], Any] | None = None) -> Any:
        """An in-process ``httpx2`` async transport answering from this server."""
        import httpx2

        server = self

        class Transport(httpx2.AsyncBaseTransport):
            async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
                body = await request.aread()
                if request.url.path.endswith("/chat/completions"):
                    delay = server.delay(body)
                    if delay:
                        await (sleep or asyncio.sleep)(delay)
                status, headers, content = server.handle(
                    request.method, request.url.path, dict(request.headers), body
                )
                return httpx2.Response(status, headers=headers, content=content)

        return Transport()

    @contextmanager
    def serve(self, port: int = 0) -> Iterator[str]:
        """Serve over HTTP on 127.0.0.1; yields the base URL (``.../v1``)."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real providers

            def _reply(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.startswith("/v1/chat/completions"):
                    time.sleep(server.delay(body))
                status, headers, content = server.handle(
                    self.command, self.path, dict(self.headers.items()), body
                )
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _reply

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

            def handle_error(self, request: Any, client_address: Any) -> None:
                """Clients killed mid-request (the resume benchmark) leave broken pipes."""

        httpd = Quiet(("127.0.0.1", port), Handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            host, bound = httpd.server_address[:2]
            yield f"http://{host}:{bound}/v1"
        finally:
            httpd.shutdown()
            httpd.server_close()


def main() -> None:
    """Run the server until killed; prints its base URL. ``GET /v1/_stats`` gives its counters."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per completion")
    parser.add_argument("--limit", default=None, help="R/W: at most R requests per W seconds")
    args = parser.parse_args()
    limit = None
    if args.limit:
        r, w = args.limit.split("/")
        limit = (int(r), float(w))
    server = BatchServer(latency=args.latency, limit=limit)
    with server.serve(args.port) as url:
        print(url, flush=True)
        threading.Event().wait()  # until killed


if __name__ == "__main__":
    main()
