"""The refresh policy decides from the crawl state what to skip, what to ask conditionally and what changed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from filmscrape.crawl.refresh import RefreshPolicy
from filmscrape.crawl.state import SQLiteCrawlState, UrlState

URL = "https://films.example/iron-lullaby-review/"
SHA = "c" * 64


class Stats(Counter[str]):
    """The two methods of Scrapy's stats collector the policy uses."""

    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] += count


@pytest.fixture
def state(tmp_path: Path) -> SQLiteCrawlState:
    store = SQLiteCrawlState(tmp_path / "state.sqlite3")
    store.put(UrlState(url=URL, etag='"v1"', last_modified="Mon, 09 Jun 2025 14:02:11 GMT",
                       sitemap_lastmod="2025-06-09T14:02:11Z", content_sha256=SHA, extractor_version="1",
                       last_status=200, links=("https://films.example/",)))
    return store


def policy(state: SQLiteCrawlState, *, full: bool = False, version: str = "1") -> tuple[RefreshPolicy, Stats]:
    stats = Stats()
    return RefreshPolicy(state, stats, full=full, extractor_version=version), stats


def test_a_new_url_is_asked_for_plainly(state: SQLiteCrawlState) -> None:
    decision = policy(state)[0].before_request("https://films.example/new/", "2025-06-09T14:02:11Z")
    assert decision.skip_reason is None and decision.headers == {}


def test_a_known_page_is_asked_for_conditionally(state: SQLiteCrawlState) -> None:
    decision = policy(state)[0].before_request(URL, None)
    assert decision.headers == {"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 09 Jun 2025 14:02:11 GMT"}


def test_an_unmoved_sitemap_lastmod_skips_the_page(state: SQLiteCrawlState) -> None:
    refresh, stats = policy(state)
    assert refresh.before_request(URL, "2025-06-09T14:02:11Z").skip_reason == "sitemap_lastmod"
    assert stats["filmscrape/unchanged/sitemap_lastmod"] == 1


def test_a_moved_sitemap_lastmod_asks_again(state: SQLiteCrawlState) -> None:
    assert policy(state)[0].before_request(URL, "2025-07-01T00:00:00Z").skip_reason is None


def test_full_ignores_what_the_state_knows(state: SQLiteCrawlState) -> None:
    decision = policy(state, full=True)[0].before_request(URL, "2025-06-09T14:02:11Z")
    assert decision.skip_reason is None and decision.headers == {}


def test_a_new_extractor_version_rereads_every_page(state: SQLiteCrawlState) -> None:
    refresh, _ = policy(state, version="2")
    assert refresh.before_request(URL, "2025-06-09T14:02:11Z") == refresh.before_request("https://x.example/", None)
    fetch = refresh.fetched(URL, 200, SHA, etag='"v1"', last_modified=None, lastmod=None, links=[], is_article=True)
    assert not fetch.unchanged


def test_the_same_content_is_unchanged_and_counted(state: SQLiteCrawlState) -> None:
    refresh, stats = policy(state)
    fetch = refresh.fetched(URL, 200, SHA, etag=None, last_modified=None, lastmod=None, links=[], is_article=True)
    assert fetch.unchanged
    assert stats == Counter({"filmscrape/unchanged/same_hash": 1})


def test_a_304_remembers_the_check_and_returns_the_pages_links(state: SQLiteCrawlState) -> None:
    refresh, stats = policy(state)
    assert refresh.not_modified(URL, "2025-06-10T00:00:00Z") == ("https://films.example/",)
    assert stats["filmscrape/unchanged/304"] == 1
    remembered = state.get(URL)
    assert remembered is not None
    assert remembered.last_status == 304 and remembered.sitemap_lastmod == "2025-06-10T00:00:00Z"


def test_a_changed_page_is_remembered_only_once_its_record_was_kept(state: SQLiteCrawlState) -> None:
    refresh, stats = policy(state)
    fetch = refresh.fetched(URL, 200, "d" * 64, etag='"v2"', last_modified=None, lastmod=None, links=[],
                            is_article=True)
    refresh.hold(URL, fetch)
    assert state.get(URL).content_sha256 == SHA  # type: ignore[union-attr]
    refresh.release(URL, keep=True)
    assert state.get(URL).content_sha256 == "d" * 64  # type: ignore[union-attr]
    assert stats["filmscrape/refresh/changed"] == 1


def test_a_rejected_record_leaves_the_old_state_so_the_next_crawl_tries_again(state: SQLiteCrawlState) -> None:
    refresh, _ = policy(state)
    fetch = refresh.fetched(URL, 200, "d" * 64, etag='"v2"', last_modified=None, lastmod=None, links=[],
                            is_article=True)
    refresh.hold(URL, fetch)
    refresh.release(URL, keep=False)
    assert state.get(URL).etag == '"v1"'  # type: ignore[union-attr]


def test_a_410_marks_the_page_gone_and_later_crawls_skip_it(state: SQLiteCrawlState) -> None:
    refresh, stats = policy(state)
    refresh.failed(URL, 410)
    assert state.get(URL).gone  # type: ignore[union-attr]
    assert refresh.before_request(URL, None).skip_reason == "gone"
    assert stats["filmscrape/skipped/gone"] == 1


def test_after_a_failure_the_page_is_asked_for_plainly(state: SQLiteCrawlState) -> None:
    refresh, _ = policy(state)
    refresh.failed(URL, 503)
    assert refresh.before_request(URL, "2025-06-09T14:02:11Z").headers == {}


def test_a_url_unknown_when_requested_is_still_unknown_when_its_response_comes(state: SQLiteCrawlState) -> None:
    refresh = policy(state)[0]
    refresh.before_request("https://films.example/new/", None)
    assert refresh.previous("https://films.example/new/") is None


def test_once_the_policy_writes_a_url_requested_as_unknown_its_state_is_read_again(state: SQLiteCrawlState) -> None:
    refresh = policy(state)[0]
    refresh.before_request("https://films.example/new/", None)
    refresh.failed("https://films.example/new/", 500)
    previous = refresh.previous("https://films.example/new/")
    assert previous is not None and previous.last_status == 500
