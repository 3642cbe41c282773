"""A loopback server that misbehaves on purpose, written on raw sockets.

Each connection reads one HTTP request and hands the socket to a behaviour
function, which writes whatever bytes it likes. Every loop is bounded in count
and time, and the server stops with its ``with`` block.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

Behaviour = Callable[[socket.socket, bytes, threading.Event], None]


def _read_request(conn: socket.socket) -> bytes:
    """Read one request (headers and a content-length body); bounded by a timeout."""
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class HostileServer:
    """Serve every connection with ``behaviour`` on 127.0.0.1 until the block ends."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/v1"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                self.requests.append(request)
                self.behaviour(conn, request, self._stop)
            except OSError:
                pass  # the client hung up: that is the point of most behaviours

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(timeout=5)


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def trickle(
    *, status: int = 200, interval: float = 0.5, limit: float = 60.0, length: int = 100_000_000
) -> Behaviour:
    """A 200 announcing ``length`` bytes, then one byte every ``interval`` s (for ``limit`` s)."""

    def behaviour(conn: socket.socket, request: bytes, stop: threading.Event) -> None:
        conn.sendall(
            head(status, {"content-type": "application/json", "content-length": str(length)})
        )
        ends = time.monotonic() + limit
        while time.monotonic() < ends and not stop.is_set():
            conn.sendall(b" ")
            time.sleep(interval)

    return behaviour


def reply(status: int, body: bytes, headers: dict[str, str] | None = None) -> Behaviour:
    """One ordinary response with these exact bytes."""

    def behaviour(conn: socket.socket, request: bytes, stop: threading.Event) -> None:
        all_headers = {"content-type": "application/json", "content-length": str(len(body))}
        all_headers.update(headers or {})
        conn.sendall(head(status, all_headers) + body)

    return behaviour


def gzip_bomb(inflated_mb: int) -> bytes:
    """A gzip body of zeros that inflates to ``inflated_mb`` MiB, made in bounded memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * 2**20
    parts = [compressor.compress(block) for _ in range(inflated_mb)]
    parts.append(compressor.flush())
    return b"".join(parts)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


def json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()
