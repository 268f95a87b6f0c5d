"""The crawl-state store remembers each URL between crawls, in SQLite (WAL, kill-safe) or PostgreSQL."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from filmscrape.crawl.state import CrawlState, SQLiteCrawlState, UrlState, open_state
from tests.crawl_support.postgres import PG_DSN, postgres_unavailable

PAGE = UrlState(url="https://films.example/iron-lullaby-review/", etag='W/"5f1-abc"',
                last_modified="Mon, 09 Jun 2025 14:02:11 GMT", sitemap_lastmod="2025-06-09T14:02:11Z",
                content_sha256="a" * 64, extractor_version="1.0.0", last_status=200, gone=False,
                links=("https://films.example/", "https://films.example/news/"), fetched_at="2025-06-10T00:00:00Z")


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CrawlState]:
    if request.param == "sqlite":
        state: CrawlState = SQLiteCrawlState(tmp_path / "state.sqlite3")
        yield state
        state.close()
        return
    if (why := postgres_unavailable()) is not None:
        pytest.skip(why)
    from filmscrape.crawl.state_postgres import PostgresCrawlState

    table = f"test_state_{uuid.uuid4().hex[:12]}"
    pg = PostgresCrawlState(PG_DSN, table=table)
    yield pg
    with pg.conn.cursor() as cur:
        cur.execute(f"DROP TABLE {table}")
    pg.close()


def test_an_unknown_url_has_no_state(store: CrawlState) -> None:
    assert store.get("https://films.example/never-seen/") is None


def test_a_stored_state_reads_back_field_for_field(store: CrawlState) -> None:
    store.put(PAGE)
    store.flush()
    assert store.get(PAGE.url) == PAGE
    assert store.count() == 1


def test_putting_a_url_again_replaces_its_state(store: CrawlState) -> None:
    store.put(PAGE)
    store.put(UrlState(url=PAGE.url, last_status=410, gone=True))
    assert store.get(PAGE.url) == UrlState(url=PAGE.url, last_status=410, gone=True)
    assert store.count() == 1


def test_sqlite_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state" / "crawl_state.sqlite3"
    first = open_state("sqlite", str(path))
    first.put(PAGE)
    first.close()
    again = open_state("sqlite", str(path))
    assert again.get(PAGE.url) == PAGE
    again.close()


def test_sqlite_state_uses_write_ahead_logging(tmp_path: Path) -> None:
    store = SQLiteCrawlState(tmp_path / "s.sqlite3")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


WRITER = """
import sys
from filmscrape.crawl.state import SQLiteCrawlState, UrlState
store = SQLiteCrawlState(sys.argv[1], commit_every=50, commit_seconds=3600)
i = 0
while True:
    store.put(UrlState(url=f"https://films.example/page-{i}/", last_status=200, content_sha256="b" * 64))
    i += 1
    if i % 50 == 0:
        print(i, flush=True)
"""


def test_sqlite_state_killed_mid_write_keeps_every_committed_batch(tmp_path: Path) -> None:
    path = tmp_path / "killed.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    committed = 0
    while committed < 2000:
        committed = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM url_state").fetchone()[0] >= committed
    finally:
        db.close()


def test_an_unknown_backend_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown crawl-state backend"):
        open_state("redis", str(tmp_path / "x"))


def test_sqlite_state_reads_its_own_uncommitted_puts_and_commits_them_as_one_batch(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = SQLiteCrawlState(path, commit_every=3, commit_seconds=3600)
    other = sqlite3.connect(path)
    store.put(UrlState(url="https://a.example/1", etag='"1"'))
    store.put(UrlState(url="https://a.example/1", etag='"2"'))  # the last put of a URL wins
    assert store.get("https://a.example/1") == UrlState(url="https://a.example/1", etag='"2"')
    assert other.execute("SELECT count(*) FROM url_state").fetchone()[0] == 0  # not committed yet
    store.put(UrlState(url="https://a.example/2", links=("https://a.example/3",)))  # the third put commits
    assert other.execute("SELECT url, etag FROM url_state ORDER BY url").fetchall() == [
        ("https://a.example/1", '"2"'), ("https://a.example/2", None)]
    assert store.get("https://a.example/2") == UrlState(url="https://a.example/2", links=("https://a.example/3",))
    store.close()
