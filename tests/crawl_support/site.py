"""Generates "CineLocal", a film site of a few hundred pages, from the HTML templates in tests/fixtures/crawl/.

Reviews are found only through the sitemaps that robots.txt lists (a gzip one and a plain one, with
``lastmod``); news through paginated listings from the home page and an RSS feed. Every page answers
conditional requests. ``change()`` rewrites pages the way a CMS would: new text, new modification time.
"""

from __future__ import annotations

import gzip
import html
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from string import Template

from tests.crawl_support.server import Fixed, Page, Route

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "crawl"
TEMPLATES = FIXTURES / "templates"

_ADJ = ["Silent", "Iron", "Glass", "Paper", "Quiet", "Crimson", "Hollow", "Last", "Northern", "Salt", "Electric",
        "Velvet", "Broken", "Golden", "Midnight", "Wild", "Distant", "Burning", "Frozen", "Secret"]
_NOUN = ["Harbour", "Orbit", "Lullaby", "Moons", "Road", "Garden", "Empire", "River", "Signal", "Kingdom",
         "Summer", "Mirror", "Station", "Letters", "Frontier", "Tide", "Machine", "Island", "Circus", "Verdict"]
_FIRST = ["Len", "Dana", "Hal", "Inès", "Mara", "Tomás", "Yuki", "Priya", "Jonas", "Aoife", "Kwame", "Sofia"]
_LAST = ["Wiseman", "Reyes", "Brennan", "Carvalho", "Lindqvist", "Okafor", "Tanaka", "Moreau", "Novak", "Byrne"]
_GENRES = ["Drama", "Thriller", "Science Fiction", "Comedy", "Horror", "Documentary", "Animation", "Romance"]


def template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


@dataclass
class Film:
    slug: str
    title: str
    year: int
    runtime: int
    director: str
    genre: str
    author: str


def make_films(n: int, seed: int, prefix: str) -> list[Film]:
    """``n`` distinct, deterministic films."""
    rng = random.Random(seed)
    films = []
    for i in range(n):
        title = f"{rng.choice(_ADJ)} {rng.choice(_NOUN)} {i + 1}"
        films.append(Film(slug=f"{prefix}-{title.lower().replace(' ', '-')}", title=title,
                          year=rng.randint(1970, 2025), runtime=rng.randint(80, 190),
                          director=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", genre=rng.choice(_GENRES),
                          author=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"))
    return films


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CineSite:
    """The routes of the generated site for a server at ``origin``; mutable between crawls with ``change()``."""

    def __init__(self, origin: str, *, reviews: int = 150, news: int = 150, per_page: int = 30,
                 sitemap_split: int = 100) -> None:
        self.origin = origin
        self.per_page = per_page
        self.sitemap_split = sitemap_split
        self.reviews = make_films(reviews, 1, "review")
        self.news = make_films(news, 2, "news")
        self.revisions: dict[str, int] = {}
        self.modified: dict[str, datetime] = {}
        self.routes: dict[str, Route] = {}
        base = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
        for i, film in enumerate(self.reviews):
            path = self.review_path(film)
            self.modified[path] = base + timedelta(hours=i)
            self.routes[path] = Page(self._article(film, path, "Review"), modified=self.modified[path])
        for i, film in enumerate(self.news):
            path = self.news_path(film)
            self.modified[path] = base + timedelta(hours=i, minutes=30)
            self.routes[path] = Page(self._article(film, path, "NewsArticle"), modified=self.modified[path])
        self._hubs()
        self._discovery_files()

    @staticmethod
    def review_path(film: Film) -> str:
        return f"/reviews/{film.slug}/"

    @staticmethod
    def news_path(film: Film) -> str:
        return f"/news/{film.slug}/"

    @property
    def review_paths(self) -> list[str]:
        return [self.review_path(f) for f in self.reviews]

    @property
    def news_paths(self) -> list[str]:
        return [self.news_path(f) for f in self.news]

    @property
    def hub_paths(self) -> list[str]:
        pages = (len(self.news) + self.per_page - 1) // self.per_page
        return ["/", "/news/", *[f"/news/page/{n}/" for n in range(2, pages + 1)]]

    def _article(self, film: Film, path: str, ld_type: str) -> bytes:
        revision = self.revisions.get(path, 1)
        modified = self.modified[path]
        index = self.news.index(film) if film in self.news else self.reviews.index(film)
        neighbours = [self.news[(index + k) % len(self.news)] for k in (1, 2, 3)]
        related = "".join(f'<li><a href="{self.news_path(f)}">{html.escape(f.title)}</a></li>' for f in neighbours)
        is_review = ld_type == "Review"
        values = {
            "title": f"{film.title} review" if is_review else f"{film.title}: release date, cast and news",
            "film": film.title, "year": film.year, "runtime": film.runtime, "director": film.director,
            "genre": film.genre, "author": film.author, "author_slug": film.author.lower().replace(" ", "-"),
            "canonical": self.origin + path, "path": path, "ld_type": ld_type, "post_id": 1000 + index,
            "published": "2025-02-01T08:00:00Z", "published_human": "February 1, 2025",
            "modified": _iso(modified), "modified_human": modified.strftime("%B %d, %Y"),
            "section_url": "/" if is_review else "/news/", "section_name": "Reviews" if is_review else "News",
            "summary": f"{film.title} ({film.year}), directed by {film.director}.",
            "lede": f"{film.title} is a {film.runtime}-minute {film.genre.lower()} from {film.director}.",
            "body1": f"In revision {revision} of this piece we follow {film.title} from its opening scene to its end.",
            "body2": f"{film.director} keeps {film.title} moving; revision {revision} of our verdict stands.",
            "revision": revision, "related": related,
        }
        return template("article.html").substitute(values).encode("utf-8")

    def _listing(self, heading: str, films: list[Film], prev: str | None, nxt: str | None) -> bytes:
        items = "\n".join(f'    <div class="post"><h2><a href="{self.news_path(f)}">{html.escape(f.title)}</a></h2>'
                          f'<a class="more-link" href="{self.news_path(f)}#more">Read more</a></div>' for f in films)
        pagination = " ".join(f'<a class="{cls}" href="{href}">{label}</a>'
                              for cls, href, label in (("prev", prev, "Newer"), ("next", nxt, "Older")) if href)
        return template("listing.html").substitute(heading=heading, items=items, pagination=pagination).encode()

    def _hubs(self) -> None:
        modified = datetime(2025, 3, 20, tzinfo=UTC)
        latest = self.news[:10]
        self.routes["/"] = Page(self._listing("CineLocal: film news and reviews", latest, None, "/news/"),
                                modified=modified)
        pages = self.hub_paths[1:]
        for n, path in enumerate(pages):
            chunk = self.news[n * self.per_page:(n + 1) * self.per_page]
            prev = pages[n - 1] if n > 0 else None
            nxt = pages[n + 1] if n + 1 < len(pages) else None
            self.routes[path] = Page(self._listing(f"News, page {n + 1}", chunk, prev, nxt), modified=modified)

    def _sitemap(self, films: list[Film]) -> bytes:
        urls = "".join(f"<url><loc>{self.origin}{self.review_path(f)}</loc>"
                       f"<lastmod>{_iso(self.modified[self.review_path(f)])}</lastmod></url>\n" for f in films)
        return (b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + urls.encode() + b"</urlset>\n")

    def _discovery_files(self) -> None:
        first, rest = self.reviews[:self.sitemap_split], self.reviews[self.sitemap_split:]
        self.routes["/sitemap-reviews-1.xml.gz"] = Fixed(200, gzip.compress(self._sitemap(first), mtime=0),
                                                         "application/x-gzip")
        self.routes["/sitemap-reviews-2.xml"] = Fixed(200, self._sitemap(rest), "application/xml")
        index = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                 f"<sitemap><loc>{self.origin}/sitemap-reviews-1.xml.gz</loc></sitemap>\n"
                 "<sitemap><loc>/sitemap-reviews-2.xml</loc></sitemap>\n</sitemapindex>\n")
        self.routes["/sitemap_index.xml"] = Fixed(200, index.encode(), "application/xml")
        robots = f"User-agent: *\nDisallow: /login/\n\nSitemap: {self.origin}/sitemap_index.xml\n"
        self.routes["/robots.txt"] = Fixed(200, robots.encode(), "text/plain")
        items = "".join(f"<item><title>{html.escape(f.title)}</title><link>{self.origin}{self.news_path(f)}</link>"
                        "<pubDate>Sat, 01 Mar 2025 09:00:00 +0000</pubDate></item>\n" for f in self.news[:10])
        feed = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>CineLocal</title>'
                f"<link>{self.origin}/</link>\n{items}</channel></rss>\n")
        self.routes["/feed.xml"] = Fixed(200, feed.encode(), "application/rss+xml; charset=utf-8")

    def change(self, path: str, when: datetime) -> None:
        """Edit a page: a new revision of its text, a new modification time (and sitemap lastmod, for reviews)."""
        self.revisions[path] = self.revisions.get(path, 1) + 1
        self.modified[path] = when
        film = next(f for f in self.reviews + self.news if self.review_path(f) == path or self.news_path(f) == path)
        route = self.routes[path]
        assert isinstance(route, Page)
        route.update(self._article(film, path, "Review" if path.startswith("/reviews/") else "NewsArticle"), when)
        self._discovery_files()

    def profile_toml(self) -> str:
        """The site profile a crawl of this site uses (domains, start points, follow/deny/article patterns)."""
        host = self.origin.split("//", 1)[1].split(":", 1)[0]
        text = (FIXTURES / "cinelocal.toml.tmpl").read_text(encoding="utf-8")
        return Template(text).substitute(host=host, origin=self.origin)
