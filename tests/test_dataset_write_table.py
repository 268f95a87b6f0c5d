"""Records become Arrow tables column by column, exactly as pyarrow's row-by-row conversion makes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from filmscrape.dataset.write import records_to_table
from filmscrape.extract import extract
from filmscrape.schema import arrow_schema

PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))


def _records() -> list[dict[str, object]]:
    fetched = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    rows: list[dict[str, object]] = [extract(p.read_bytes(), f"https://films.example/{p.stem}/", fetched_at=fetched)
                                     for p in PAGES[:12]]
    for row in rows:
        row["crawl_id"] = "20260102T030405Z"
    rows.append({"url": "https://films.example/sparse/"})  # every other field missing: nulls
    rows.append({**rows[0], "published_at": datetime(2025, 5, 6, 7, 8, tzinfo=timezone(timedelta(hours=2))),
                 "scores": [], "sections": [], "provenance": {}, "directors": None})
    return rows


def test_records_become_the_table_the_row_by_row_conversion_makes() -> None:
    rows = _records()
    table = records_to_table(rows)
    assert table.schema == arrow_schema()
    assert table.equals(pa.Table.from_pylist(rows, schema=arrow_schema()))


def test_a_value_of_the_wrong_type_is_refused_as_the_row_conversion_refuses_it() -> None:
    rows = [*_records(), {"url": "https://films.example/x/", "year": "nineteen"}]
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError, TypeError)):
        pa.Table.from_pylist(rows, schema=arrow_schema())
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError, TypeError)):
        records_to_table(rows)
