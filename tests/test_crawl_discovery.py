"""Discovery reads sitemaps (indexes, gzip, lastmod), RSS/Atom feeds and robots.txt Sitemap lines."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from filmscrape.crawl.discovery import (
    DiscoveryError,
    normalize_lastmod,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
)

DISCOVERY = Path(__file__).resolve().parent / "fixtures" / "crawl" / "discovery"
BASE = "https://films.example/sitemap_index.xml"


def read(name: str) -> bytes:
    return (DISCOVERY / name).read_bytes()


def test_a_sitemap_index_lists_its_sitemaps_resolving_relative_locs() -> None:
    sitemap = parse_sitemap(read("sitemap_index.xml"), BASE)
    assert sitemap.is_index
    assert [e.url for e in sitemap.entries] == ["https://films.example/post-sitemap.xml.gz",
                                                "https://films.example/page-sitemap.xml"]


def test_a_urlset_gives_each_page_with_its_lastmod_in_utc() -> None:
    sitemap = parse_sitemap(read("post-sitemap.xml"), BASE)
    assert not sitemap.is_index
    assert [(e.url, e.lastmod) for e in sitemap.entries] == [
        ("https://films.example/the-quiet-orbit-ending-explained/", "2025-06-09T14:02:11Z"),
        ("https://films.example/iron-lullaby-review/", "2025-05-02T00:00:00Z"),
        ("https://films.example/paper-moons-news/", None),
        ("https://films.example/bad-date/", None),  # an unreadable lastmod is no lastmod
    ]


def test_a_gzip_sitemap_reads_like_the_plain_one() -> None:
    assert parse_sitemap(read("post-sitemap.xml.gz"), BASE) == parse_sitemap(read("post-sitemap.xml"), BASE)


def test_a_gzip_bomb_is_refused_past_the_size_limit() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    with pytest.raises(DiscoveryError, match="inflates past"):
        parse_sitemap(bomb, BASE, max_size=1_000_000)


@pytest.mark.parametrize("body", [b"<html><body>Not a sitemap</body></html>", b"", b"\x1f\x8bnot really gzip"])
def test_what_is_not_a_sitemap_is_a_discovery_error(body: bytes) -> None:
    with pytest.raises(DiscoveryError):
        parse_sitemap(body, BASE)


def test_rss_items_give_their_links_and_dates() -> None:
    entries = parse_feed(read("feed.rss"), "https://films.example/feed/")
    assert [(e.url, e.lastmod) for e in entries] == [
        ("https://films.example/2025/09/the-quiet-orbit-first-look/", "2025-09-18T09:30:00Z"),
        ("https://films.example/2025/08/night-shift-at-halcyon-box-office/", "2025-08-04T22:00:00Z"),
    ]


def test_atom_entries_give_their_alternate_links_not_enclosures() -> None:
    entries = parse_feed(read("feed.atom"), "https://kino.example/feed.atom")
    assert [(e.url, e.lastmod) for e in entries] == [
        ("https://kino.example/kritik/der-stille-orbit/", "2025-06-09T10:00:00Z"),
        ("https://kino.example/kritik/eisernes-wiegenlied/", "2025-05-01T08:00:00Z"),
    ]


def test_a_sitemap_is_not_a_feed() -> None:
    with pytest.raises(DiscoveryError, match="not an RSS or Atom feed"):
        parse_feed(read("post-sitemap.xml"), BASE)


def test_robots_txt_sitemap_lines_are_found_whatever_their_case() -> None:
    assert sitemaps_from_robots(read("robots.txt"), "https://films.example/robots.txt") == (
        "https://films.example/sitemap_index.xml", "https://films.example/news-sitemap.xml")


@pytest.mark.parametrize(("raw", "expected"), [
    ("2025-06-09", "2025-06-09T00:00:00Z"),
    ("2025-06-09T16:02:11+02:00", "2025-06-09T14:02:11Z"),
    ("2025-06-09T14:02:11Z", "2025-06-09T14:02:11Z"),
    ("  ", None),
    ("June 9", None),
])
def test_lastmod_values_normalise_to_one_utc_form(raw: str, expected: str | None) -> None:
    assert normalize_lastmod(raw) == expected
