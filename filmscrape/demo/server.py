"""A threaded static HTTP server on 127.0.0.1 that serves the bundled demo site in this process."""

from __future__ import annotations

import http.server
import logging
import threading
from contextlib import AbstractContextManager, ExitStack
from importlib import resources
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

# Pages write absolute URLs (canonical links, sitemap <loc>s, robots.txt's Sitemap line) with this token;
# the server replaces it with its own origin, since the port is only known once the server is listening.
ORIGIN_TOKEN = b"{{origin}}"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
TEMPLATED_SUFFIXES = frozenset({".html", ".xml", ".rss", ".txt"})


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD for files under the site root: ``/dir/`` serves ``dir/index.html``; anything else is a 404."""

    server: _SiteHTTPServer
    server_version = "filmscrape-demo"
    sys_version = ""

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, *, with_body: bool) -> None:
        path = self.server.resolve(self.path)
        if path is None:
            self._send(404, "text/html; charset=utf-8", self.server.not_found_body, with_body)
            return
        if path.is_dir():
            location = urlsplit(self.path).path + "/"
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = path.read_bytes()
        if path.suffix in TEMPLATED_SUFFIXES:
            body = body.replace(ORIGIN_TOKEN, self.server.origin.encode("ascii"))
        content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        self._send(200, content_type, body, with_body)

    def _send(self, status: int, content_type: str, body: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class _SiteHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.root = root.resolve()
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        missing = self.root / "404.html"
        self.not_found_body = missing.read_bytes() if missing.is_file() else b"<h1>Not Found</h1>"

    def resolve(self, raw_path: str) -> Path | None:
        """The file or directory a request path names, or None when it is missing or outside the root."""
        url_path = unquote(urlsplit(raw_path).path)
        parts = PurePosixPath(url_path).parts
        if any(part in ("..", ".") for part in parts):
            return None
        path = self.root.joinpath(*parts[1:])
        if url_path.endswith("/"):
            path = path / "index.html"
        if not path.exists() or path.name == "404.html":
            return None
        return path


def site_root() -> AbstractContextManager[Path]:
    """The bundled demo site as a directory on disk (extracted first if the package is zipped)."""
    return resources.as_file(resources.files(__package__) / "site")


class DemoServer:
    """Serves a site directory on 127.0.0.1 at a free port from a background thread.

    Use it as a context manager::

        with DemoServer() as server:
            print(server.url("/"))
    """

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._stack = ExitStack()
        self._httpd: _SiteHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT`` of the running server."""
        if self._httpd is None:
            raise RuntimeError("the demo server is not running")
        return self._httpd.origin

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on the running server."""
        return self.origin + "/" + path.lstrip("/")

    def start(self) -> DemoServer:
        root = self._root if self._root is not None else self._stack.enter_context(site_root())
        self._httpd = _SiteHTTPServer(root)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="filmscrape-demo-server",
                                        daemon=True)
        self._thread.start()
        logger.info("demo site %s served at %s", root, self._httpd.origin)
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._stack.close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

