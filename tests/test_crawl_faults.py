"""A crawl of a hostile site finishes, and every fault it meets is a counted, typed, logged error."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.crawl_support.crawl import CrawlRun, crawl, records
from tests.crawl_support.faults import FAULT_SETTINGS, fault_routes, faults
from tests.crawl_support.server import FaultServer, Hit

pytestmark = pytest.mark.slow


@dataclass
class FaultCrawl:
    run: CrawlRun
    origin: str
    hits: list[Hit]
    records: list[dict[str, Any]]

    def url(self, path: str) -> str:
        return self.origin + path

    def errors_for(self, path: str) -> list[dict[str, Any]]:
        return [e for e in self.run.errors if e["url"] == self.url(path)]


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultCrawl]:
    data_dir = tmp_path_factory.mktemp("faults")
    with FaultServer(fault_routes(), host="127.0.0.4") as server:
        run = crawl(data_dir, [server.origin + "/"], crawl_id="faults", settings=FAULT_SETTINGS)
        yield FaultCrawl(run, server.origin, server.take_hits(), records(data_dir))


ERROR_FAULTS = [f for f in faults() if f.kind is not None]


@pytest.mark.parametrize("fault", ERROR_FAULTS, ids=[f.path.strip("/").replace("/", "-") for f in ERROR_FAULTS])
def test_each_fault_is_logged_once_with_its_kind(fault_crawl: FaultCrawl, fault: Any) -> None:
    logged = fault_crawl.errors_for(fault.path)
    assert [e["kind"] for e in logged] == [fault.kind], fault_crawl.run.errors


def test_error_counts_in_the_stats_match_the_error_log(fault_crawl: FaultCrawl) -> None:
    logged = Counter(e["kind"] for e in fault_crawl.run.errors)
    counted = {k.removeprefix("filmscrape/errors/"): v for k, v in fault_crawl.run.stats.items()
               if k.startswith("filmscrape/errors/")}
    assert counted == dict(logged)
    assert logged == Counter(f.kind for f in ERROR_FAULTS)


def test_error_log_lines_carry_url_kind_detail_and_status(fault_crawl: FaultCrawl) -> None:
    by_kind = {e["kind"]: e for e in fault_crawl.run.errors}
    assert set(by_kind["gone"]) == {"url", "kind", "detail", "status"}
    assert by_kind["gone"]["status"] == 410
    assert by_kind["server_error"]["status"] == 500
    assert "3000000" in by_kind["too_large"]["detail"] or "MAXSIZE" in by_kind["too_large"]["detail"]
    assert "loop-b" in fault_crawl.errors_for("/fault/loop-a/")[0]["detail"]
    assert "1.0 seconds" in by_kind["timeout"]["detail"]


def test_the_crawl_finishes_and_exits_2_when_errors_exceed_the_threshold(fault_crawl: FaultCrawl) -> None:
    assert fault_crawl.run.stats["finish_reason"] == "finished"
    assert fault_crawl.run.returncode == 2, fault_crawl.run.stderr[-2000:]
    assert "error rate" in fault_crawl.run.stdout


def test_no_page_is_recorded_twice(fault_crawl: FaultCrawl) -> None:
    urls = [r["url"] for r in fault_crawl.records]
    fetched = [r["fetched_url"] for r in fault_crawl.records]
    assert len(urls) == len(set(urls))
    assert len(fetched) == len(set(fetched))
    # page-1 is linked directly, with a tracking query, and through a redirect: one record.
    assert urls.count(fault_crawl.url("/ok/page-1/")) == 1


def test_server_and_rate_limit_errors_are_retried_then_recovered(fault_crawl: FaultCrawl) -> None:
    recorded = {r["fetched_url"] for r in fault_crawl.records}
    assert fault_crawl.url("/fault/flaky-500/") in recorded
    assert fault_crawl.url("/fault/rate-limited/") in recorded
    attempts = Counter(h.path for h in fault_crawl.hits)
    assert attempts["/fault/server-error/"] == 1 + FAULT_SETTINGS["RETRY_TIMES"]


def test_retry_waits_what_retry_after_asks(fault_crawl: FaultCrawl) -> None:
    times = [h.at for h in fault_crawl.hits if h.path == "/fault/rate-limited/"]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.9  # the server said Retry-After: 1
    assert fault_crawl.run.stats["filmscrape/retry/retry_after"] >= 1


def test_slow_bodies_and_redirect_chains_end_in_records(fault_crawl: FaultCrawl) -> None:
    by_fetched = {r["fetched_url"]: r for r in fault_crawl.records}
    assert fault_crawl.url("/fault/slow-body/") in by_fetched
    assert fault_crawl.url("/ok/redirect-target/") in by_fetched  # after 301 -> 302 -> 307


@pytest.mark.parametrize(("path", "title"), [
    ("/fault/cp1252/", "Amélie à la carte"),
    ("/fault/shift-jis/", "千と千尋の神隠し"),
    ("/fault/lying-charset/", "Léon: the professional"),
])
def test_pages_in_legacy_or_mislabelled_charsets_are_read_correctly(fault_crawl: FaultCrawl, path: str,
                                                                    title: str) -> None:
    by_fetched = {r["fetched_url"]: r for r in fault_crawl.records}
    assert by_fetched[fault_crawl.url(path)]["title"] == title


def test_wrong_content_types_and_failed_pages_yield_no_record(fault_crawl: FaultCrawl) -> None:
    recorded = {r["fetched_url"] for r in fault_crawl.records}
    for fault in ERROR_FAULTS:
        if fault.kind != "charset_mismatch":
            assert fault_crawl.url(fault.path) not in recorded


def test_a_redirect_off_the_crawled_sites_is_not_followed_and_not_an_error(fault_crawl: FaultCrawl) -> None:
    assert fault_crawl.run.stats["offsite/filtered"] == 1  # Scrapy's OffsiteMiddleware, counted by Scrapy
    assert fault_crawl.errors_for("/fault/moved-off-site/") == []


def test_robots_txt_disallowed_pages_are_never_fetched(fault_crawl: FaultCrawl) -> None:
    assert "/private/secret/" not in {h.path for h in fault_crawl.hits}
    assert fault_crawl.run.stats["filmscrape/skipped/robots_txt"] == 1


def test_a_410_marks_the_page_gone_in_the_crawl_state(fault_crawl: FaultCrawl) -> None:
    db = sqlite3.connect(Path(fault_crawl.run.data_dir) / "state" / "crawl_state.sqlite3")
    try:
        rows = dict(db.execute("SELECT url, gone FROM url_state WHERE last_status IN (404, 410)").fetchall())
    finally:
        db.close()
    assert rows == {fault_crawl.url("/fault/gone/"): 1, fault_crawl.url("/fault/not-found/"): 0}
