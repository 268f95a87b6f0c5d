"""End to end: crawl a 300-article site twice; the second crawl fetches only what changed and says why the rest
was skipped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.crawl_support.crawl import CrawlRun, crawl, records
from tests.crawl_support.server import FaultServer, Hit, Route
from tests.crawl_support.site import CineSite

pytestmark = pytest.mark.slow

ARGS = ["--depth", "10"]


@dataclass
class TwoCrawls:
    site: CineSite
    first: CrawlRun
    first_hits: list[Hit]
    second: CrawlRun
    second_hits: list[Hit]
    changed: list[str]
    data_dir: Path

    def article_fetches(self, hits: list[Hit], status: int) -> list[str]:
        articles = set(self.site.review_paths) | set(self.site.news_paths)
        return sorted(h.path for h in hits if h.status == status and h.path in articles)


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoCrawls]:
    root = tmp_path_factory.mktemp("refresh")
    routes: dict[str, Route] = {}  # filled once the server's address (part of every URL on the site) is known
    with FaultServer(routes, host="127.0.0.3") as server:
        site = CineSite(server.origin)
        routes.update(site.routes)
        site.routes = routes
        sites_dir = root / "sites"
        sites_dir.mkdir()
        (sites_dir / "cinelocal.toml").write_text(site.profile_toml(), encoding="utf-8")
        data_dir = root / "data"
        first = crawl(data_dir, crawl_id="first", sites_dir=sites_dir, args=ARGS)
        first_hits = server.take_hits()
        # Between the runs the CMS edits 8 reviews (their sitemap lastmod moves) and 8 news pages (new ETag).
        changed = site.review_paths[::19][:8] + site.news_paths[::19][:8]
        for path in changed:
            site.change(path, datetime(2025, 6, 1, 12, 0, tzinfo=UTC))
        second = crawl(data_dir, crawl_id="second", sites_dir=sites_dir, args=ARGS)
        yield TwoCrawls(site, first, first_hits, second, server.take_hits(), changed, data_dir)


def test_the_first_crawl_records_every_article_once(two_crawls: TwoCrawls) -> None:
    site = two_crawls.site
    assert two_crawls.first.returncode == 0, two_crawls.first.stderr[-3000:]
    first = records(two_crawls.data_dir, "first")
    assert len(first) == len(site.reviews) + len(site.news) == 300
    assert len({r["url"] for r in first}) == 300
    assert two_crawls.first.stat("filmscrape/refresh/new") == 300


def test_the_first_crawl_finds_reviews_through_robots_sitemaps_and_news_through_links(two_crawls: TwoCrawls) -> None:
    stats = two_crawls.first.stats
    assert stats["filmscrape/discovered/robots_sitemaps"] == 1
    assert stats["filmscrape/discovered/sitemap"] == 150  # 100 from the gzip sitemap, 50 from the plain one
    paths = Counter(h.path for h in two_crawls.first_hits)
    assert paths["/sitemap-reviews-1.xml.gz"] == 1 and paths["/feed.xml"] == 1


def test_the_second_crawl_fetches_only_the_changed_pages(two_crawls: TwoCrawls) -> None:
    assert two_crawls.second.returncode == 0, two_crawls.second.stderr[-3000:]
    assert two_crawls.article_fetches(two_crawls.second_hits, 200) == sorted(two_crawls.changed)
    second = records(two_crawls.data_dir, "second")
    assert sorted(r["fetched_url"] for r in second) == sorted(two_crawls.site.origin + p for p in two_crawls.changed)


def test_the_second_crawl_says_how_many_pages_were_unchanged_and_why(two_crawls: TwoCrawls) -> None:
    site, stats = two_crawls.site, two_crawls.second.stats
    unchanged_reviews = len(site.reviews) - 8
    unchanged_news = len(site.news) - 8
    assert stats["filmscrape/unchanged/sitemap_lastmod"] == unchanged_reviews
    assert stats["filmscrape/unchanged/304"] == unchanged_news + len(site.hub_paths)
    assert "filmscrape/unchanged/same_hash" not in stats
    assert stats["filmscrape/refresh/changed"] == 16
    assert "unchanged: 148 304, 142 sitemap_lastmod" in two_crawls.second.stdout


def test_unchanged_pages_skipped_by_sitemap_lastmod_are_not_requested_at_all(two_crawls: TwoCrawls) -> None:
    requested = {h.path for h in two_crawls.second_hits}
    untouched_reviews = set(two_crawls.site.review_paths) - set(two_crawls.changed)
    assert not requested & untouched_reviews


def test_the_second_crawl_asks_conditionally(two_crawls: TwoCrawls) -> None:
    news = [h for h in two_crawls.second_hits if h.path in set(two_crawls.site.news_paths)]
    assert news and all("if-none-match" in h.headers and "if-modified-since" in h.headers for h in news)
    first_news = [h for h in two_crawls.first_hits if h.path in set(two_crawls.site.news_paths)]
    assert not any("if-none-match" in h.headers for h in first_news)
