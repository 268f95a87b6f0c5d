"""The crawl-state store: what the last crawls learnt about each URL, so the next one can skip what did not change."""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UrlState:
    """Everything remembered about one URL between crawls."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    sitemap_lastmod: str | None = None
    content_sha256: str | None = None
    extractor_version: str | None = None
    last_status: int | None = None
    gone: bool = False
    links: tuple[str, ...] = field(default=())
    fetched_at: str | None = None


class CrawlState(Protocol):
    """What every crawl-state backend offers; keyed by the URL the crawl requested."""

    def get(self, url: str) -> UrlState | None:
        """The remembered state of ``url``, or None for a URL never seen."""

    def put(self, state: UrlState) -> None:
        """Insert or replace the state of ``state.url``."""

    def flush(self) -> None:
        """Make every ``put`` so far durable."""

    def count(self) -> int:
        """How many URLs the store knows."""

    def close(self) -> None:
        """Flush and release the store."""


_COLUMNS = ("url", "etag", "last_modified", "sitemap_lastmod", "content_sha256", "extractor_version",
            "last_status", "gone", "links", "fetched_at")


def schema_sql(table: str) -> str:
    """The crawl-state table's DDL, shared by the SQLite and PostgreSQL backends."""
    return f"""
CREATE TABLE IF NOT EXISTS {table} (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    sitemap_lastmod TEXT,
    content_sha256 TEXT,
    extractor_version TEXT,
    last_status INTEGER,
    gone INTEGER NOT NULL DEFAULT 0,
    links TEXT NOT NULL DEFAULT '',
    fetched_at TEXT
)
"""


def row_to_state(row: tuple[Any, ...]) -> UrlState:
    """A UrlState from a row in ``_COLUMNS`` order (shared by the SQL backends)."""
    values = dict(zip(_COLUMNS, row, strict=True))
    links = values.pop("links") or ""
    return UrlState(**{**values, "gone": bool(values["gone"]), "links": tuple(links.split("\n")) if links else ()})


def state_to_row(state: UrlState) -> tuple[Any, ...]:
    """The row for a UrlState in ``_COLUMNS`` order."""
    return (state.url, state.etag, state.last_modified, state.sitemap_lastmod, state.content_sha256,
            state.extractor_version, state.last_status, int(state.gone), "\n".join(state.links), state.fetched_at)


class SQLiteCrawlState:
    """SQLite in WAL mode: readers never block, and a killed crawl loses at most the last uncommitted batch.

    Writes are committed every ``commit_every`` puts or ``commit_seconds``, whichever comes first; a lost
    batch only means those pages count as changed next time (the store is updated only after a record was
    handed to the pipelines, so it never claims a page whose record was lost). A batch is held as rows and
    written in one ``executemany`` at commit (a statement per put cost the crawl's one thread ~20 us a page);
    ``get`` reads the held rows first.
    """

    def __init__(self, path: str | Path, *, commit_every: int = 200, commit_seconds: float = 2.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, timeout=30.0, isolation_level="DEFERRED")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(schema_sql("url_state"))
        self.conn.commit()
        self.commit_every = commit_every
        self.commit_seconds = commit_seconds
        self._pending = 0
        self._batch: dict[str, tuple[Any, ...]] = {}  # rows put since the last commit, the last put per URL
        self._last_commit = time.monotonic()
        self._select = f"SELECT {', '.join(_COLUMNS)} FROM url_state WHERE url = ?"
        self._upsert = (f"INSERT OR REPLACE INTO url_state ({', '.join(_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(_COLUMNS))})")

    def get(self, url: str) -> UrlState | None:
        row = self._batch.get(url)
        if row is None:
            row = self.conn.execute(self._select, (url,)).fetchone()
        return row_to_state(row) if row else None

    def put(self, state: UrlState) -> None:
        self._batch[state.url] = state_to_row(state)
        self._pending += 1
        if self._pending >= self.commit_every or time.monotonic() - self._last_commit >= self.commit_seconds:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self.conn.executemany(self._upsert, self._batch.values())
            self._batch.clear()
        self.conn.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def count(self) -> int:
        self.flush()
        return int(self.conn.execute("SELECT count(*) FROM url_state").fetchone()[0])

    def close(self) -> None:
        self.flush()
        self.conn.close()


def open_state(backend: str, location: str, *, table: str = "filmscrape_url_state") -> CrawlState:
    """Open the crawl-state backend named by the FILMSCRAPE_STATE_BACKEND setting (``sqlite`` or ``postgres``).

    ``location`` is the SQLite file or the PostgreSQL conninfo; ``table`` names the PostgreSQL table.
    """
    if backend == "sqlite":
        return SQLiteCrawlState(location)
    if backend == "postgres":
        from filmscrape.crawl.state_postgres import PostgresCrawlState

        return PostgresCrawlState(location, table=table)
    raise ValueError(f"unknown crawl-state backend {backend!r} (expected 'sqlite' or 'postgres')")
