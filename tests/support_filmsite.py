"""A generated film site of N pages served on 127.0.0.1, for crawl tests that need many real pages."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FILMS_PER_INDEX = 50
_GENRES = ["drama", "thriller", "comedy", "horror", "science fiction", "animation", "documentary", "western"]
_NAMES = ["Ada Lindqvist", "Bruno Okafor", "Chen Wei", "Dolores Marín", "Emil Varga", "Farah Haddad",
          "Gustav Berg", "Hana Sato", "Ivo Petrov", "Julia Nowak"]


@dataclass(frozen=True)
class FilmSite:
    """The site's base URL and the canonical URL of every HTML page it serves."""

    base: str
    films: int

    @property
    def indexes(self) -> int:
        return -(-self.films // FILMS_PER_INDEX)

    def film_url(self, n: int) -> str:
        return f"{self.base}/film/{n:05d}/"

    def index_url(self, n: int) -> str:
        return f"{self.base}/films/page/{n}/"

    def page_urls(self) -> set[str]:
        """Canonical URLs of every HTML page: home, index pages, film pages."""
        return ({f"{self.base}/"} | {self.index_url(i) for i in range(1, self.indexes + 1)}
                | {self.film_url(n) for n in range(1, self.films + 1)})


def film_page(site: FilmSite, n: int) -> str:
    """A film page the way a small film blog writes one: nav, ad slot, fact box, review text, related links."""
    title = f"Film Number {n}"
    year = 1950 + n % 70
    runtime = 80 + n % 100
    director = _NAMES[n % len(_NAMES)]
    genre = _GENRES[n % len(_GENRES)]
    related = "".join(f'<li><a href="{site.film_url((n + k) % site.films + 1)}">More like this #{k}</a></li>'
                      for k in (1, 7, 31))
    index = site.index_url((n - 1) // FILMS_PER_INDEX + 1)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} ({year}) review | Reel Notes</title>
<link rel="canonical" href="{site.film_url(n)}">
<meta property="og:title" content="{title} ({year}) review">
<meta property="article:published_time" content="2024-03-{n % 28 + 1:02d}T10:00:00+00:00">
<meta property="article:modified_time" content="2024-04-{n % 28 + 1:02d}T12:30:00+00:00">
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
</head><body>
<nav class="top"><a href="{site.base}/">Home</a> | <a href="{index}">All films</a></nav>
<div class="ad-slot" id="ad-{n}">Advertisement</div>
<article><h1>{title} ({year}) review</h1>
<p class="byline">By {_NAMES[(n + 3) % len(_NAMES)]}</p>
<ul class="facts"><li>Year: {year}</li><li>Runtime: {runtime} min</li><li>Director: {director}</li>
<li>Genre: {genre}</li></ul>
<h2>Our verdict</h2><p>{title} is a {genre} from {year}, directed by {director}. It runs {runtime} minutes
and holds up well; the second act drags, the ending lands.</p>
<h2>The story</h2><p>A quiet story about page {n}, told patiently, with a score that stays in the background.</p>
</article>
<aside><h3>Related</h3><ul>{related}</ul></aside>
<footer>&copy; 2024 Reel Notes</footer></body></html>"""


def index_page(site: FilmSite, i: int) -> str:
    first = (i - 1) * FILMS_PER_INDEX + 1
    links = "".join(f'<li><a href="{site.film_url(n)}">Film Number {n}</a></li>'
                    for n in range(first, min(first + FILMS_PER_INDEX, site.films + 1)))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>All films, page {i}</title>'
            f'<link rel="canonical" href="{site.index_url(i)}"></head><body><h1>All films, page {i}</h1>'
            f'<ul>{links}</ul></body></html>')


def home_page(site: FilmSite) -> str:
    links = "".join(f'<li><a href="{site.index_url(i)}">Page {i}</a></li>' for i in range(1, site.indexes + 1))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Reel Notes</title>'
            f'<link rel="canonical" href="{site.base}/"></head><body><h1>Reel Notes</h1><ul>{links}</ul>'
            f'</body></html>')


def render(site: FilmSite, path: str) -> str | None:
    """The HTML for ``path``, or None for a 404."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    if not parts:
        return home_page(site)
    if len(parts) == 2 and parts[0] == "film" and parts[1].isdigit() and 1 <= int(parts[1]) <= site.films:
        return film_page(site, int(parts[1]))
    if len(parts) == 3 and parts[:2] == ["films", "page"] and parts[2].isdigit() \
            and 1 <= int(parts[2]) <= site.indexes:
        return index_page(site, int(parts[2]))
    return None


class _QuietServer(ThreadingHTTPServer):
    """A crawler killed mid-request resets its connections: that is expected here, not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve_film_site(films: int) -> Iterator[FilmSite]:
    """Serve a site of ``films`` film pages on a free loopback port for the duration of the block."""
    holder: dict[str, FilmSite] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms Nagle stall

        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                body, ctype, status = b"User-agent: *\nAllow: /\n", "text/plain", 200
            else:
                html = render(holder["site"], self.path)
                status = 200 if html is not None else 404
                body, ctype = (html or "<html><body>Not found</body></html>").encode(), "text/html; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = _QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder["site"] = FilmSite(f"http://127.0.0.1:{server.server_address[1]}", films)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["site"]
    finally:
        server.shutdown()
        server.server_close()
