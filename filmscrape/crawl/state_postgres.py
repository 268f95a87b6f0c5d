"""The crawl-state store on PostgreSQL (psycopg 3), for crawls run from several machines against one state."""

from __future__ import annotations

from typing import Any

import psycopg

from filmscrape.crawl.state import _COLUMNS, UrlState, row_to_state, schema_sql, state_to_row


class PostgresCrawlState:
    """Same interface and semantics as SQLiteCrawlState; each ``put`` is an upsert, committed in batches."""

    def __init__(self, conninfo: str, *, table: str = "filmscrape_url_state", commit_every: int = 200) -> None:
        if not table.replace("_", "").isalnum():
            raise ValueError(f"bad table name {table!r}")
        self.conn: psycopg.Connection[Any] = psycopg.connect(conninfo)
        self.table = table
        with self.conn.cursor() as cur:
            cur.execute(schema_sql(table))
        self.conn.commit()
        self.commit_every = commit_every
        self._pending = 0
        cols = ", ".join(_COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[1:])
        self._select = f"SELECT {cols} FROM {table} WHERE url = %s"
        self._upsert = (f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
                        f"ON CONFLICT (url) DO UPDATE SET {updates}")

    def get(self, url: str) -> UrlState | None:
        with self.conn.cursor() as cur:
            cur.execute(self._select, (url,))
            row = cur.fetchone()
        return row_to_state(tuple(row)) if row else None

    def put(self, state: UrlState) -> None:
        with self.conn.cursor() as cur:
            cur.execute(self._upsert, state_to_row(state))
        self._pending += 1
        if self._pending >= self.commit_every:
            self.flush()

    def flush(self) -> None:
        self.conn.commit()
        self._pending = 0

    def count(self) -> int:
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {self.table}")
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        if not self.conn.closed:
            self.flush()
            self.conn.close()
