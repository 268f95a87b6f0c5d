"""Plain absolute http(s) URLs are recognised exactly where urllib would give them back unchanged."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from filmscrape.dataset.layout import site_key
from filmscrape.extract.extractor import resolve_link
from filmscrape.urls import is_plain_http_url, plain_http_host

PIECES = st.sampled_from(["http", "https", "HTTP", "ftp", "://", ":", "//", "/", "films.example", "a.b-c", "[::1]",
                          ":8080", "@", "user", "?", "#", ";", "p=1", "x", "%20", " ", "\t", "\n", "\x01", "é",
                          "..", ".", "", "q", "&", "=", "ü"])
URLS = st.tuples(st.sampled_from(["", "http://", "https://"]), st.lists(PIECES, max_size=12)).map(
    lambda parts: parts[0] + "".join(parts[1]))
BASES = st.sampled_from(["https://films.example/a/b?c=1", "http://films.example/", "file:///tmp/x.html",
                         "https://films.example"])


def _resolve_by_urllib(base: str, href: str) -> str | None:
    try:
        resolved = urljoin(base, href)
        parts = urlsplit(resolved)
        return resolved if parts.scheme in {"http", "https"} and parts.hostname else None
    except ValueError:
        return None


@settings(max_examples=3000, derandomize=True)
@given(URLS, BASES)
def test_a_plain_http_url_is_what_urljoin_gives_back_and_has_an_http_scheme_and_a_host(url: str, base: str) -> None:
    if is_plain_http_url(url):
        assert urljoin(base, url) == url
        parts = urlsplit(url)
        assert parts.scheme in {"http", "https"} and parts.hostname
        assert plain_http_host(url) == parts.hostname
    else:
        assert plain_http_host(url) is None


@settings(max_examples=3000, derandomize=True)
@given(URLS, BASES)
def test_links_resolve_as_urljoin_and_urlsplit_resolve_them(href: str, base: str) -> None:
    assert resolve_link(base, href) == _resolve_by_urllib(base, href)


def test_typical_page_urls_are_plain() -> None:
    assert is_plain_http_url("https://www.films.example/reviews/heat-1995/?page=2#comments")
    assert not is_plain_http_url("HTTPS://films.example/")  # urlsplit lower-cases the scheme
    assert not is_plain_http_url("https://films.example/a;b")  # urlparse splits off ;params
    assert not is_plain_http_url("https://films.example/?")  # urlunsplit drops an empty query


@settings(max_examples=2000, derandomize=True)
@given(URLS)
def test_a_record_without_a_site_is_partitioned_by_its_urls_host_as_urlsplit_reads_it(url: str) -> None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return
    assert site_key({"url": url}) == site_key({"site": host or "unknown"})
