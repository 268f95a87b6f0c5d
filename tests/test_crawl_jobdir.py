"""An interrupted crawl exits 3 and, rerun with the same --jobdir, resumes where it stopped: every page recorded
exactly once across both runs."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.crawl_support.crawl import CrawlRun, crawl, records, start_crawl
from tests.crawl_support.faults import film_page, plain_page
from tests.crawl_support.server import FaultServer, Route, SlowBody

pytestmark = pytest.mark.slow

PAGES = [f"/ok/page-{n}/" for n in range(1, 41)]
SLOW = {"CONCURRENT_REQUESTS": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}


def slow_site() -> dict[str, Route]:
    routes: dict[str, Route] = {p: SlowBody(film_page(n), chunks=2, pause=0.1) for n, p in enumerate(PAGES, 1)}
    index = "".join(f'<li><a href="{p}">{p}</a></li>' for p in PAGES)
    routes["/"] = SlowBody(plain_page("Slow film site", f"</p><ul>{index}</ul><p>"), chunks=1, pause=0)
    return routes


def test_an_interrupted_crawl_exits_3_and_resumes_from_its_jobdir(tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    data_dir = tmp_path / "data"
    with FaultServer(slow_site(), host="127.0.0.7") as server:
        start = [server.origin + "/"]
        proc = start_crawl(data_dir, start, crawl_id="nightly", settings=SLOW, args=["--jobdir", str(jobdir)])
        deadline = time.monotonic() + 60
        while sum(h.path in PAGES for h in server.hits) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        first_hits = server.take_hits()
        assert proc.returncode == 3, stderr[-3000:]
        assert "exit 3" in stdout
        interrupted = CrawlRun(proc.returncode, stdout, stderr, data_dir, "nightly")
        assert interrupted.stats["finish_reason"] == "shutdown"
        fetched_first = {h.path for h in first_hits if h.path in PAGES}
        assert 0 < len(fetched_first) < len(PAGES)

        resumed = crawl(data_dir, start, crawl_id="nightly", settings=SLOW, args=["--jobdir", str(jobdir)])
        fetched_again = {h.path for h in server.take_hits() if h.path in PAGES}
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert fetched_first | fetched_again == set(PAGES)
    assert not fetched_first & fetched_again  # nothing fetched in the first run was fetched again
    urls = [r["url"] for r in records(data_dir, "nightly") if "/ok/" in r["url"]]
    assert sorted(urls) == sorted(server.origin + p for p in PAGES)


def test_a_jobdir_keeps_its_crawl_id(tmp_path: Path) -> None:
    with FaultServer({"/": SlowBody(plain_page("x", "y"), chunks=1, pause=0)}, host="127.0.0.7") as server:
        run = crawl(tmp_path / "data", [server.origin + "/"], crawl_id="other",
                    args=["--jobdir", str(tmp_path / "job")])
        assert run.returncode == 0, run.stderr[-2000:]
        again = crawl(tmp_path / "data", [server.origin + "/"], crawl_id="different",
                      args=["--jobdir", str(tmp_path / "job")])
    assert again.returncode == 1
    assert "belongs to crawl 'other'" in again.stderr


def test_a_jobdir_crawl_closes_cleanly_beside_scrapys_spider_state(tmp_path: Path) -> None:
    """Scrapy's SpiderState extension pickles ``spider.state`` into the JOBDIR on close; the spider's own crawl
    state must not sit under that name, or closing breaks and the crawl-state store is never closed."""
    jobdir = tmp_path / "job"
    with FaultServer({"/": SlowBody(plain_page("x", "y"), chunks=1, pause=0)}, host="127.0.0.7") as server:
        run = crawl(tmp_path / "data", [server.origin + "/"], crawl_id="clean", args=["--jobdir", str(jobdir)])
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Error caught on signal handler" not in run.stderr
    assert (jobdir / "spider.state").is_file()
