"""The bundled demo: its server serves the site as a web server would, and `filmscrape demo` crawls it end to end.

The end-to-end tests run the real command (real spider, real Scrapy, real loopback HTTP server, real Parquet)
once per session in a child process; see tests/demo_crawl.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from filmscrape.commands.demo import read_back
from filmscrape.demo.server import DemoServer
from filmscrape.demo.summary import COLUMNS, records_table
from filmscrape.record import empty_record, to_json_dict
from filmscrape.schema import arrow_schema, validator
from tests.conftest import REPO
from tests.demo_crawl import DemoRun

SITE = REPO / "filmscrape" / "demo" / "site"
DISALLOWED = "/echo/drafts/"
BROKEN_PAGE = "/reelnews/2025/09/the-quiet-orbit-first-look/"
ONLY_LINKED_FROM_BROKEN_PAGE = "/reelnews/2025/09/the-quiet-orbit-trailer-breakdown/"


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, Content-Type and body of a GET, without raising on 4xx."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def page_paths() -> set[str]:
    """URL paths of every HTML page of the demo site (``dir/index.html`` is served as ``/dir/``)."""
    return {"/" + p.parent.relative_to(SITE).as_posix().removeprefix(".") + ("/" if p.parent != SITE else "")
            for p in SITE.rglob("index.html")}


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# -- the server ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Any:
    with DemoServer() as running:
        yield running


def test_the_demo_site_has_at_least_fifteen_pages() -> None:
    assert len(page_paths()) >= 15


def test_server_listens_on_loopback_at_a_free_port(server: DemoServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.origin)
    assert not server.origin.endswith(":0")


def test_server_serves_html_pages_as_utf8_html(server: DemoServer) -> None:
    status, content_type, body = fetch(server.url("/echo/movie/iron-lullaby-2025/ending-explained/"))
    assert status == 200
    assert content_type == "text/html; charset=utf-8"
    assert b"Echo Score:" in body


def test_server_serves_robots_txt_as_plain_text_disallowing_the_drafts(server: DemoServer) -> None:
    status, content_type, body = fetch(server.url("/robots.txt"))
    assert (status, content_type) == (200, "text/plain; charset=utf-8")
    assert f"Disallow: {DISALLOWED}".encode() in body


def test_server_writes_its_own_origin_into_absolute_urls(server: DemoServer) -> None:
    status, content_type, body = fetch(server.url("/sitemap.xml"))
    assert (status, content_type) == (200, "application/xml; charset=utf-8")
    locs = re.findall(rb"<loc>([^<]+)</loc>", body)
    assert locs and all(loc.startswith(server.origin.encode() + b"/") for loc in locs)
    assert b"{{origin}}" not in body


def test_server_answers_404_for_a_missing_page(server: DemoServer) -> None:
    status, content_type, body = fetch(server.url("/echo/movie/the-lost-reel-1999/ending-explained/"))
    assert status == 404
    assert content_type.startswith("text/html")
    assert b"Not Found" in body


def test_server_does_not_serve_its_404_page_as_a_page(server: DemoServer) -> None:
    assert fetch(server.url("/404.html"))[0] == 404


def test_server_redirects_a_directory_without_its_trailing_slash(server: DemoServer) -> None:
    request = urllib.request.Request(server.url("/echo"), method="HEAD")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=10)
    assert caught.value.code == 301
    assert caught.value.headers["Location"] == "/echo/"


def test_server_refuses_paths_outside_the_site(server: DemoServer) -> None:
    assert fetch(server.url("/../../filmscrape/demo/server.py"))[0] == 404
    assert fetch(server.url("/%2e%2e/server.py"))[0] == 404


def test_server_stops_listening_when_its_block_ends() -> None:
    with DemoServer() as running:
        url = running.url("/")
        assert fetch(url)[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# -- the demo crawl, end to end -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records(demo: DemoRun) -> list[dict[str, Any]]:
    table = ds.dataset(demo.dataset_dir, format="parquet", partitioning=None).to_table()
    rows: list[dict[str, Any]] = table.to_pylist()
    for row in rows:
        row["provenance"] = dict(row["provenance"] or [])  # Arrow maps read back as (key, value) pairs
    return rows


def summary_count(demo: DemoRun, label: str) -> int:
    match = re.search(rf"{re.escape(label)}: (\d+)", demo.stdout)
    assert match, f"{label!r} missing from the demo summary:\n{demo.stdout}"
    return int(match.group(1))


@pytest.mark.slow
def test_demo_prints_counts_files_and_a_table_read_back_from_parquet(demo: DemoRun,
                                                                     records: list[dict[str, Any]]) -> None:
    assert summary_count(demo, "records written") == len(records)
    assert str(demo.dataset_dir) in demo.stdout
    assert re.search(r"^title\s+film_title\s+year\s+runtime\s+directors\s+score\s+page_kind\s+updated_at$",
                     demo.stdout, re.M)
    for record in records:
        assert (record["title"] or "-")[:20] in demo.stdout


@pytest.mark.slow
def test_demo_records_every_public_page_of_the_demo_site(records: list[dict[str, Any]]) -> None:
    public = {p for p in page_paths() if not p.startswith(DISALLOWED)}
    assert {path_of(r["url"]) for r in records} == public


@pytest.mark.slow
def test_demo_never_fetches_the_page_robots_txt_disallows(demo: DemoRun, records: list[dict[str, Any]]) -> None:
    assert not [r for r in records if DISALLOWED in (r["fetched_url"] or r["url"])]
    assert summary_count(demo, "blocked by robots.txt") == 1


@pytest.mark.slow
def test_demo_dead_links_yield_no_records(demo: DemoRun, records: list[dict[str, Any]]) -> None:
    assert summary_count(demo, "HTTP 404") == 2
    assert not [r for r in records if "lost-reel" in r["url"] or "awards-season" in r["url"]]


@pytest.mark.slow
def test_demo_crawl_goes_on_past_the_broken_page(records: list[dict[str, Any]]) -> None:
    # The trailer page is linked from the broken page only, so reaching it means the broken page was read.
    target = SITE / ONLY_LINKED_FROM_BROKEN_PAGE.strip("/") / "index.html"
    link = ONLY_LINKED_FROM_BROKEN_PAGE.encode()
    linking = [p for p in SITE.rglob("*.html") if p != target and link in p.read_bytes()]
    assert linking == [SITE / BROKEN_PAGE.strip("/") / "index.html"]
    by_path = {path_of(r["url"]): r for r in records}
    assert by_path[BROKEN_PAGE]["title"].startswith("The Quiet Orbit: First Look")
    assert ONLY_LINKED_FROM_BROKEN_PAGE in by_path


@pytest.mark.slow
def test_demo_records_come_from_html_pages_only(records: list[dict[str, Any]]) -> None:
    assert not [r["url"] for r in records if r["url"].endswith((".txt", ".xml", ".rss", ".css", ".js"))]


@pytest.mark.slow
def test_demo_records_all_validate_against_the_schema(records: list[dict[str, Any]]) -> None:
    for record in records:
        errors = [e.message for e in validator().iter_errors(to_json_dict(record))]
        assert errors == [], record["url"]


@pytest.mark.slow
def test_demo_dataset_passes_filmscrape_validate(demo: DemoRun) -> None:
    proc = subprocess.run([sys.executable, "-m", "filmscrape.cli", "validate", str(demo.data_dir)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_demo_records_carry_the_crawl_facts(demo: DemoRun, records: list[dict[str, Any]]) -> None:
    assert len({r["crawl_id"] for r in records}) == 1
    for record in records:
        assert record["fetched_at"].tzinfo is not None
        assert abs(datetime.now(UTC) - record["fetched_at"]).total_seconds() < 3600
        assert re.fullmatch(r"[0-9a-f]{64}", record["content_sha256"])


@pytest.mark.slow
def test_demo_ending_explained_page_keeps_its_labelled_facts(records: list[dict[str, Any]]) -> None:
    page = next(r for r in records if path_of(r["url"]) == "/echo/movie/iron-lullaby-2025/ending-explained/")
    assert (page["film_title"], page["year"], page["runtime_minutes"]) == ("Iron Lullaby", 2025, 125)
    assert page["directors"] == ["Sofia Marchetti"]
    assert (page["score"]["value"], page["score"]["scale"]) == (66, 100)


@pytest.mark.slow
def test_demo_review_keeps_its_json_ld_rating_and_author(records: list[dict[str, Any]]) -> None:
    page = next(r for r in records if path_of(r["url"]) == "/reelnews/reviews/paper-moons-review/")
    assert page["film_title"] == "Paper Moons"
    assert (page["score"]["value"], page["score"]["scale"]) == (4, 5)
    assert page["authors"] == ["Hannah Lowe"]



# -- the summary's table --------------------------------------------------------------------------------------------


def test_summary_table_shows_scores_as_value_over_scale_lists_joined_and_gaps_as_dashes() -> None:
    row = {"title": "Iron Lullaby (2025) - Ending Explained", "film_title": "Iron Lullaby", "year": 2025,
           "runtime_minutes": None, "directors": ["Tomasz Wren", "Ada Okafor"],
           "score": {"value": 66.0, "scale": 100.0, "source": "Echo Score"}, "page_kind": "ending_explained",
           "updated_at": datetime(2025, 6, 9, 10, 2, tzinfo=UTC)}
    header, rule, line = records_table([row]).splitlines()
    assert header.split() == [name for name, _, _ in COLUMNS]
    assert len(line) <= len(rule)
    cells = re.split(r"\s{2,}", line)
    assert cells == ["Iron Lullaby (2025) - Ending Ex…", "Iron Lullaby", "2025", "-", "Tomasz Wren, Ada …",
                     "66/100", "ending_explained", "2025-06-09 10:02"]


# -- reading this crawl's records back ---------------------------------------------------------------------------


def test_read_back_returns_only_this_crawls_files_and_rows_and_the_dataset_total(tmp_path: Path) -> None:
    for crawl_id, urls in {"crawl-a": ["https://a.example/1", "https://a.example/2"],
                           "crawl-b": ["https://b.example/1"]}.items():
        rows = [{**empty_record(url), "crawl_id": crawl_id} for url in urls]
        part = tmp_path / "dataset" / "site_key=x" / "crawl_date=2025-06-09" / f"part-{crawl_id}-00000.parquet"
        part.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), part)
    files, rows, total = read_back(tmp_path / "dataset", "crawl-a")
    assert [f.name for f in files] == ["part-crawl-a-00000.parquet"]
    assert sorted(r["url"] for r in rows) == ["https://a.example/1", "https://a.example/2"]
    assert total == 3


def test_read_back_of_a_missing_dataset_is_empty(tmp_path: Path) -> None:
    assert read_back(tmp_path / "dataset", "any") == ([], [], 0)
