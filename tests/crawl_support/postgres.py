"""Where the tests find PostgreSQL (trust auth on loopback), and why PostgreSQL tests skip when it is absent."""

from __future__ import annotations

import os

PG_DSN = os.environ.get("FILMSCRAPE_TEST_PG", "host=127.0.0.1 port=5432 dbname=test user=postgres")


def postgres_unavailable() -> str | None:
    """None when PostgreSQL answers at PG_DSN, else the reason PostgreSQL tests skip."""
    try:
        import psycopg

        psycopg.connect(PG_DSN, connect_timeout=2).close()
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_DSN!r}: {exc}"
    return None
