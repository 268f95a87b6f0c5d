"""extract() gives the same records whether it runs on the crawl's thread, in a thread or in worker processes
(the default on a machine with several cores)."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscrape.crawl.executor import resolve, usable_cores
from tests.crawl_support.crawl import crawl, records
from tests.crawl_support.faults import film_page, plain_page
from tests.crawl_support.server import FaultServer, Page, Route

pytestmark = pytest.mark.slow

PAGES = [f"/ok/page-{n}/" for n in range(1, 7)]


def site() -> dict[str, Route]:
    routes: dict[str, Route] = {p: Page(film_page(n)) for n, p in enumerate(PAGES, 1)}
    routes["/"] = Page(plain_page("Index", "</p>" + "".join(f'<a href="{p}">{p}</a>' for p in PAGES) + "<p>"))
    return routes


def titles(data_dir: Path, crawl_id: str) -> dict[str, str]:
    return {r["url"].split("/", 3)[3]: r["title"] for r in records(data_dir, crawl_id)}


def test_records_are_the_same_in_every_extract_mode(tmp_path: Path) -> None:
    with FaultServer(site(), host="127.0.0.11") as server:
        start = [server.origin + "/"]
        runs = {
            "default": crawl(tmp_path / "default", start, crawl_id="default"),
            "inline": crawl(tmp_path / "inline", start, crawl_id="inline",
                            settings={"FILMSCRAPE_EXTRACT_MODE": "inline"}),
            "thread": crawl(tmp_path / "thread", start, crawl_id="thread",
                            settings={"FILMSCRAPE_EXTRACT_MODE": "thread"}),
            "process": crawl(tmp_path / "process", start, crawl_id="process", args=["--extract-workers", "2"]),
        }
    for mode, run in runs.items():
        assert run.returncode == 0, f"{mode}: {run.stderr[-2000:]}"
    inline = titles(tmp_path / "inline", "inline")
    assert len(inline) == len(PAGES) + 1
    assert titles(tmp_path / "thread", "thread") == inline
    assert titles(tmp_path / "default", "default") == inline
    assert titles(tmp_path / "process", "process") == inline


def test_the_default_leaves_one_core_to_the_crawl_and_gives_the_others_a_worker_process_each() -> None:
    mode, workers = resolve("auto")
    cores = usable_cores()
    assert (mode, workers) == (("process", cores - 1) if cores > 1 else ("inline", 1))
    assert resolve("process", 3) == ("process", 3)


def test_an_unknown_extract_mode_stops_the_crawl_before_it_starts(tmp_path: Path) -> None:
    run = crawl(tmp_path, ["http://127.0.0.11:9/"], crawl_id="bad", settings={"FILMSCRAPE_EXTRACT_MODE": "gpu"})
    assert run.returncode == 1
    assert "FILMSCRAPE_EXTRACT_MODE must be one of" in run.stderr
