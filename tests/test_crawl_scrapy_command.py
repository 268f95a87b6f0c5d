"""The spider also runs as plain ``scrapy crawl articles -a start_urls=...`` from the repository root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawl_support.crawl import REPO, records
from tests.crawl_support.faults import film_page, plain_page
from tests.crawl_support.server import FaultServer, Page, Route

pytestmark = pytest.mark.slow


def test_scrapy_crawl_articles_with_start_urls_records_the_pages(tmp_path: Path) -> None:
    routes: dict[str, Route] = {f"/ok/page-{n}/": Page(film_page(n)) for n in (1, 2)}
    routes["/"] = Page(plain_page("Index", '</p><a href="/ok/page-1/">1</a> <a href="/ok/page-2/">2</a><p>'))
    with FaultServer(routes, host="127.0.0.9") as server:
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "articles", "-a", f"start_urls={server.origin}/",
             "-a", "crawl_id=plain-scrapy", "-s", f"FILMSCRAPE_DATA_DIR={tmp_path}", "-s", "AUTOTHROTTLE_ENABLED=0",
             "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"],
            cwd=REPO, capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    urls = sorted(r["url"] for r in records(tmp_path, "plain-scrapy"))
    assert urls == [server.origin + "/", server.origin + "/ok/page-1/", server.origin + "/ok/page-2/"]
