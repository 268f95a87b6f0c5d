"""A fault-injecting HTTP server on loopback: serves routes that misbehave on purpose, and logs every hit."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Hit:
    """One request the server answered: path, status sent, request headers, arrival time (monotonic)."""

    path: str
    status: int
    headers: dict[str, str]
    at: float


class Route(Protocol):
    """Something the server can answer a path with; returns the status it sent."""

    def respond(self, handler: Handler) -> int: ...


def send(handler: Handler, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None, length: int | None = None) -> int:
    """Write a complete response (status line, headers, body)."""
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    if body and handler.command != "HEAD":
        handler.wfile.write(body)
    return status


@dataclass
class Page:
    """A page that answers conditional requests: ETag (from its content) and Last-Modified, 304 when unchanged."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    modified: datetime = field(default_factory=lambda: datetime(2025, 1, 1, tzinfo=UTC))
    validators: bool = True

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    def update(self, body: bytes, modified: datetime) -> None:
        self.body = body
        self.modified = modified

    def respond(self, handler: Handler) -> int:
        if not self.validators:
            return send(handler, 200, self.body, self.content_type)
        headers = {"ETag": self.etag, "Last-Modified": format_datetime(self.modified, usegmt=True)}
        inm = handler.headers.get("If-None-Match")
        ims = handler.headers.get("If-Modified-Since")
        if inm is not None:
            if self.etag in [t.strip() for t in inm.split(",")]:
                return send(handler, 304, b"", None, headers)
        elif ims is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                since = None
            if since is not None and self.modified.replace(microsecond=0) <= since:
                return send(handler, 304, b"", None, headers)
        return send(handler, 200, self.body, self.content_type, headers)


@dataclass
class Fixed:
    """Always the same status, body and headers (404, 410, 500, a PDF, a JSON document...)."""

    status: int
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    def respond(self, handler: Handler) -> int:
        return send(handler, self.status, self.body, self.content_type, self.headers)


@dataclass
class Flaky:
    """Fails ``failures`` times with ``status`` (and a Retry-After, if given), then answers like ``then``."""

    failures: int
    status: int
    then: Route
    retry_after: str | None = None
    served: int = 0

    def respond(self, handler: Handler) -> int:
        self.served += 1
        if self.served <= self.failures:
            headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
            return send(handler, self.status, b"<html><body>busy</body></html>", headers=headers)
        return self.then.respond(handler)


@dataclass
class Redirect:
    """A redirect to ``location``."""

    location: str
    status: int = 301

    def respond(self, handler: Handler) -> int:
        return send(handler, self.status, b"", headers={"Location": self.location})


@dataclass
class Stall:
    """Accepts the request and sends nothing for ``seconds``: the client's timeout fires first."""

    seconds: float

    def respond(self, handler: Handler) -> int:
        handler.server.stopping.wait(self.seconds)  # type: ignore[attr-defined]
        handler.close_connection = True
        return 0


@dataclass
class SlowBody:
    """A page whose body trickles out in ``chunks`` pieces, ``pause`` seconds apart (slow but within timeouts)."""

    body: bytes
    chunks: int = 4
    pause: float = 0.2

    def respond(self, handler: Handler) -> int:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(self.body)))
        handler.end_headers()
        step = max(1, len(self.body) // self.chunks + 1)
        for i in range(0, len(self.body), step):
            if i:
                handler.server.stopping.wait(self.pause)  # type: ignore[attr-defined]
            handler.wfile.write(self.body[i:i + step])
            handler.wfile.flush()
        return 200


@dataclass
class Truncated:
    """Declares a Content-Length ``missing`` bytes larger than the body it sends, then hangs up."""

    body: bytes
    missing: int = 500

    def respond(self, handler: Handler) -> int:
        send(handler, 200, self.body, length=len(self.body) + self.missing)
        handler.wfile.flush()
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)
        return 200


@dataclass
class Huge:
    """A body of ``size`` bytes, streamed; with ``declare=False`` there is no Content-Length (read until close)."""

    size: int
    declare: bool = True

    def respond(self, handler: Handler) -> int:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if self.declare:
            handler.send_header("Content-Length", str(self.size))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        sent = 0
        try:
            while sent < self.size:
                piece = chunk[: self.size - sent]
                handler.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should
        return 200


class Handler(BaseHTTPRequestHandler):
    """Looks the path up in the server's routes; unknown paths are 404s."""

    protocol_version = "HTTP/1.1"
    server: FaultServer

    def do_GET(self) -> None:
        self.server.enter()
        try:
            self._answer()
        finally:
            self.server.leave()

    def _answer(self) -> None:
        path = urlsplit(self.path).path or "/"
        route = self.server.routes.get(path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            if route is None:
                route = Fixed(404, b"<html><body>Not found</body></html>")
            status = route.respond(self)
        except (BrokenPipeError, ConnectionResetError):
            status = -1
        self.server.record(Hit(path, status, headers, time.monotonic()))

    def log_message(self, format: str, *args: object) -> None:
        pass


class FaultServer(ThreadingHTTPServer):
    """Serves ``routes`` (path -> Route, mutable between crawls) from a background thread on 127.0.0.1."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, routes: MutableMapping[str, Route], host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), Handler)
        self.routes = routes
        self.hits: list[Hit] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests the server was answering at once
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-response (timeouts, size limits) are part of the tests, not server errors."""

    def enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def take_hits(self) -> list[Hit]:
        """The hits so far, clearing the log."""
        with self._lock:
            hits, self.hits = self.hits, []
        return hits

    def __enter__(self) -> FaultServer:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
