"""A 429 with Retry-After slows the whole site down, not just the retried page."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from tests.crawl_support.crawl import crawl
from tests.crawl_support.faults import film_page, plain_page
from tests.crawl_support.server import FaultServer, Flaky, Page, Route

pytestmark = pytest.mark.slow

PAGES = [f"/ok/page-{n}/" for n in range(1, 5)]


def test_after_a_429_the_sites_requests_are_spaced_by_its_retry_after(tmp_path: Path) -> None:
    index = plain_page("Busy index", "</p>" + "".join(f'<a href="{p}">{p}</a>' for p in PAGES) + "<p>")
    routes: dict[str, Route] = {p: Page(film_page(n)) for n, p in enumerate(PAGES, 1)}
    routes["/busy/"] = Flaky(1, 429, Page(index), retry_after="1")
    with FaultServer(routes, host="127.0.0.10") as server:
        run = crawl(tmp_path, [server.origin + "/busy/"], crawl_id="busy")
        hits = [h for h in server.hits if h.path in PAGES]
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stat("filmscrape/retry/site_slowed") == 1
    assert run.stats["filmscrape/retry/site_delay_s"] == 1.0
    gaps = [later.at - earlier.at for earlier, later in pairwise(hits)]
    assert len(hits) == len(PAGES)
    assert min(gaps) >= 0.45  # 1 s with Scrapy's default ±50% jitter; without the slow-down they come at once
