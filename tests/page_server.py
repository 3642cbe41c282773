"""A web server on 127.0.0.1 serving pages written by the tests, for fetching URLs offline.

Each path answers what its :class:`Route` says: a status, headers, a body, and
optionally a few failures first (HTTP 503 or a dropped connection), a delay, or a
body trickled slowly. Every request's path and headers are kept.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "text/html"})
    failures: list[int] = field(default_factory=list)  # statuses (0: drop) before the answer
    delay: float = 0.0
    trickle: float = 0.0  # seconds between 1 KB pieces of the body
    send_length: bool = True


class PageServer:
    """``with PageServer({"/a.html": Route(html)}) as base: fetch(base + "/a.html")``."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server.lock:
                    server.requests.append((self.path, dict(self.headers)))
                    route = server.routes.get(self.path)
                    failure = route.failures.pop(0) if route and route.failures else None
                if route is None:
                    self._send(404, {"content-type": "text/html"}, b"<html>not found</html>")
                    return
                if failure == 0:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if failure is not None:
                    self._send(failure, {"content-type": "text/plain", "retry-after": "0"}, b"busy")
                    return
                time.sleep(route.delay)
                self._send(route.status, route.headers, route.body, route)

            def _send(
                self, status: int, headers: dict[str, str], body: bytes, route: Route | None = None
            ) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if route is None or route.send_length:
                    self.send_header("content-length", str(len(body)))
                else:
                    self.close_connection = True
                self.end_headers()
                if route is not None and route.trickle:
                    for start in range(0, len(body), 1024):
                        self.wfile.write(body[start : start + 1024])
                        self.wfile.flush()
                        time.sleep(route.trickle)
                    return
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    @contextmanager
    def serve(self) -> Iterator[str]:
        """The server running; its base URL (``http://127.0.0.1:PORT``)."""

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                """Connections dropped on purpose leave broken pipes: expected."""

        httpd = Quiet(("127.0.0.1", 0), self._handler())
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}"
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join(5)
