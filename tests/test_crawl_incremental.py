"""Incremental refresh on a small site: same content -> no record, 410 -> never asked again, --full -> all again."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.crawl_support.crawl import CrawlRun, crawl, records
from tests.crawl_support.faults import film_page, plain_page
from tests.crawl_support.postgres import PG_DSN, postgres_unavailable
from tests.crawl_support.server import FaultServer, Fixed, Hit, Page, Route

pytestmark = pytest.mark.slow

NO_VALIDATORS = [f"/ok/page-{n}/" for n in range(1, 5)]   # served without ETag / Last-Modified
VALIDATED = [f"/ok/page-{n}/" for n in range(5, 9)]       # answer conditional requests
GOING = "/ok/page-9/"                                     # 200, then 410


def small_site() -> dict[str, Route]:
    routes: dict[str, Route] = {p: Page(film_page(int(p.split("-")[1].strip("/"))), validators=False)
                                for p in NO_VALIDATORS}
    routes.update({p: Page(film_page(int(p.split("-")[1].strip("/")))) for p in [*VALIDATED, GOING]})
    index = "".join(f'<li><a href="{p}">{p}</a></li>' for p in routes)
    routes["/"] = Page(plain_page("Small film site", f"</p><ul>{index}</ul><p>"))
    return routes


@dataclass
class Runs:
    runs: list[CrawlRun]
    hits: list[list[Hit]]
    data_dir: Path


def crawl_thrice(root: Path, extra: list[str]) -> Runs:
    """Crawl; turn page 9 into a 410; crawl again; crawl with --full."""
    routes = small_site()
    with FaultServer(routes, host="127.0.0.6") as server:
        data_dir = root / "data"
        start = [server.origin + "/"]
        runs, hits = [crawl(data_dir, start, crawl_id="one", args=extra)], [server.take_hits()]
        routes[GOING] = Fixed(410, b"<html><body>This review was removed.</body></html>")
        runs.append(crawl(data_dir, start, crawl_id="two", args=extra))
        hits.append(server.take_hits())
        runs.append(crawl(data_dir, start, crawl_id="three", args=["--full", *extra]))
        hits.append(server.take_hits())
    return Runs(runs, hits, data_dir)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return crawl_thrice(tmp_path_factory.mktemp("incremental"), [])


def test_unchanged_pages_without_validators_are_fetched_but_not_recorded(runs: Runs) -> None:
    second = runs.runs[1]
    assert second.stat("filmscrape/unchanged/same_hash") == len(NO_VALIDATORS)
    recorded = {r["fetched_url"].split(":", 2)[2].split("/", 1)[1] for r in records(runs.data_dir, "two")}
    assert recorded == set()


def test_pages_with_validators_answer_304(runs: Runs) -> None:
    second = runs.runs[1]
    statuses = {h.path: h.status for h in runs.hits[1]}
    assert all(statuses[p] == 304 for p in VALIDATED)
    assert second.stat("filmscrape/unchanged/304") == len(VALIDATED) + 1  # and the index page


def test_a_410_is_an_error_once_and_is_never_asked_for_again(runs: Runs) -> None:
    assert [e["kind"] for e in runs.runs[1].errors] == ["gone"]
    assert runs.runs[1].returncode == 0  # 1 error in 10 fetches is under the 20% threshold
    third_paths = Counter(h.path for h in runs.hits[2])
    assert third_paths[GOING] == 1  # --full asks again once; it is still gone


def test_full_refetches_every_page_without_conditions_and_hands_every_record_on(runs: Runs) -> None:
    third = runs.runs[2]
    pages = [h for h in runs.hits[2] if h.path.startswith("/ok/")]
    assert not any("if-none-match" in h.headers or "if-modified-since" in h.headers for h in pages)
    assert not any(k.startswith("filmscrape/unchanged/") for k in third.stats)
    every_page = len(NO_VALIDATORS) + len(VALIDATED) + 1  # + the index page
    assert third.stat("filmscrape/refresh/full") == every_page
    # The dataset's own dedupe may still drop a record whose content it already holds; none is lost.
    assert third.stat("item_scraped_count") + third.stat("item_dropped_count") == every_page


def test_a_gone_page_is_skipped_without_a_request_when_not_full(tmp_path: Path) -> None:
    routes = small_site()
    routes[GOING] = Fixed(410, b"gone")
    with FaultServer(routes, host="127.0.0.6") as server:
        crawl(tmp_path, [server.origin + "/"], crawl_id="a")
        server.take_hits()
        again = crawl(tmp_path, [server.origin + "/"], crawl_id="b")
        assert GOING not in {h.path for h in server.take_hits()}
    assert again.stat("filmscrape/skipped/gone") == 1
    assert again.errors == []


def test_without_the_kept_stage_the_spider_hears_of_kept_records_from_scrapys_signal(tmp_path: Path) -> None:
    # A project that lists its own ITEM_PIPELINES may leave KeptPipeline out: pages must still be remembered.
    pipelines = {"filmscrape.pipelines.validate.ValidationPipeline": 100,
                 "filmscrape.pipelines.parquet.ParquetPipeline": 800}
    settings = {"ITEM_PIPELINES": json.dumps(pipelines)}
    with FaultServer(small_site(), host="127.0.0.6") as server:
        first = crawl(tmp_path, [server.origin + "/"], crawl_id="a", settings=settings)
        again = crawl(tmp_path, [server.origin + "/"], crawl_id="b", settings=settings)
    assert first.stat("item_scraped_count") == len(NO_VALIDATORS) + len(VALIDATED) + 2  # + page 9 and the index
    assert again.stat("filmscrape/unchanged/same_hash") == len(NO_VALIDATORS)
    assert again.stat("filmscrape/unchanged/304") == len(VALIDATED) + 2


def test_the_postgresql_state_backend_refreshes_like_sqlite(tmp_path: Path) -> None:
    if (why := postgres_unavailable()) is not None:
        pytest.skip(why)
    table = f"test_crawl_{tmp_path.name[-20:].replace('-', '_')}"
    args = ["--state-backend", "postgres", "--state", PG_DSN, "-s", f"FILMSCRAPE_STATE_TABLE={table}"]
    try:
        result = crawl_thrice(tmp_path, args)
        assert result.runs[1].stat("filmscrape/unchanged/304") == len(VALIDATED) + 1
        assert result.runs[1].stat("filmscrape/unchanged/same_hash") == len(NO_VALIDATORS)
    finally:
        import psycopg

        with psycopg.connect(PG_DSN) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
