"""Polite by default: robots.txt, AutoThrottle, a per-site concurrency cap, a descriptive user agent, limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.project import get_project_settings

from tests.crawl_support.crawl import crawl
from tests.crawl_support.faults import plain_page
from tests.crawl_support.server import FaultServer, Fixed, Page, Route, SlowBody


def test_the_default_settings_are_polite_and_safe_unattended() -> None:
    s = get_project_settings()
    assert s.getbool("ROBOTSTXT_OBEY")
    assert s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 4
    assert s.getfloat("DOWNLOAD_DELAY") > 0
    assert "filmscrape" in s.get("USER_AGENT") and "+http" in s.get("USER_AGENT")
    assert 0 < s.getint("DOWNLOAD_MAXSIZE") <= 64 * 1024 * 1024
    assert 0 < s.getint("DOWNLOAD_TIMEOUT") <= 60
    assert not s.getbool("TELNETCONSOLE_ENABLED")
    assert not s.getbool("REMOTE_CONTROL_ENABLED")
    mws = s.getdict("DOWNLOADER_MIDDLEWARES")
    assert mws["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert "filmscrape.crawl.middlewares.BackoffRetryMiddleware" in mws
    assert {429, 500, 503} <= {int(c) for c in s.getlist("RETRY_HTTP_CODES")}


def linked_site(paths: list[str], route: type[Route] = Page) -> dict[str, Route]:
    def page(n: int) -> Route:
        body = plain_page(f"Film {n}", f"Page {n}.", canonical=paths[n])
        return SlowBody(body, chunks=2, pause=0.1) if route is SlowBody else Page(body)

    routes = {p: page(n) for n, p in enumerate(paths)}
    index = "".join(f'<li><a href="{p}">{p}</a></li>' for p in paths)
    routes["/"] = Page(plain_page("Index", f"</p><ul>{index}</ul><p>"))
    return routes


@pytest.mark.slow
def test_no_more_requests_at_once_than_the_per_site_cap(tmp_path: Path) -> None:
    paths = [f"/film/{n}/" for n in range(12)]
    with FaultServer(linked_site(paths, SlowBody), host="127.0.0.8") as server:
        run = crawl(tmp_path, [server.origin + "/"], crawl_id="cap",
                    settings={"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2})
        assert run.returncode == 0, run.stderr[-2000:]
        assert {h.path for h in server.hits} >= set(paths)
        assert server.max_in_flight == 2


@pytest.mark.slow
def test_the_configured_user_agent_is_sent_and_used_for_robots_txt(tmp_path: Path) -> None:
    agent = "filmscrape-test/1.0 (+mailto:crawler@example.invalid)"
    with FaultServer(linked_site(["/film/1/"]), host="127.0.0.8") as server:
        run = crawl(tmp_path, [server.origin + "/"], crawl_id="ua", args=["--user-agent", agent])
        assert run.returncode == 0, run.stderr[-2000:]
        assert {h.headers.get("user-agent") for h in server.hits} == {agent}
        assert "/robots.txt" in {h.path for h in server.hits}


@pytest.mark.slow
def test_depth_and_page_limits_bound_the_crawl(tmp_path: Path) -> None:
    chain: dict[str, Route] = {
        f"/chain/{n}/": Page(plain_page(f"Film {n}", f'</p><a href="/chain/{n + 1}/">next</a><p>')) for n in range(10)}
    chain["/"] = Fixed(200, b"<html><body><p>Home, linked from every page; links nowhere.</p></body></html>")
    with FaultServer(chain, host="127.0.0.8") as server:
        deep = crawl(tmp_path / "a", [server.origin + "/chain/0/"], crawl_id="depth", args=["--depth", "3"])
        depth_paths = {h.path for h in server.take_hits()} - {"/robots.txt"}
        few = crawl(tmp_path / "b", [server.origin + "/chain/0/"], crawl_id="pages", args=["--max-pages", "2"])
        page_paths = {h.path for h in server.take_hits()} - {"/robots.txt"}
    assert deep.returncode == 0 and few.returncode == 0, few.stdout + few.stderr[-2000:]
    assert depth_paths == {"/", *(f"/chain/{n}/" for n in range(4))}  # the start page and three hops
    assert page_paths == {"/chain/0/", "/"}  # "/" comes first on the page and takes the second place
    assert few.stat("filmscrape/limits/max_pages_dropped") == 1


@pytest.mark.slow
def test_a_page_first_met_too_deep_is_still_fetched_when_a_shallower_page_links_it(tmp_path: Path) -> None:
    def page(title: str, *links: str) -> bytes:
        return plain_page(title, "</p>" + "".join(f'<a href="{link}">{link}</a>' for link in links) + "<p>")

    routes: dict[str, Route] = {
        "/": Page(page("Home", "/chain/1/", "/hub/")),
        "/hub/": SlowBody(page("Slow hub", "/target/"), chunks=2, pause=1.0),  # answers after the chain is done
        "/chain/1/": Page(page("Chain 1", "/chain/2/")),
        "/chain/2/": Page(page("Chain 2", "/chain/3/")),
        "/chain/3/": Page(page("Chain 3", "/target/")),  # /target/ at depth 4 from here
        "/target/": Page(page("Target")),
    }
    with FaultServer(routes, host="127.0.0.8") as server:
        run = crawl(tmp_path, [server.origin + "/"], crawl_id="deep", args=["--depth", "3"])
        fetched = {h.path for h in server.hits}
    assert run.returncode == 0, run.stderr[-2000:]
    assert "/target/" in fetched  # depth 2 through the hub
    assert run.stat("filmscrape/limits/depth_dropped") >= 1  # it was first met at depth 4 through the chain
