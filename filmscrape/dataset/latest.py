"""The latest-version view: one row per URL, the version fetched last, as notebooks and database loads want it."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from filmscrape.dataset.durable import fsync_file, publish
from filmscrape.dataset.read import read_table
from filmscrape.dataset.write import COMPRESSION


def latest_indices(table: pa.Table) -> pa.Array:
    """Row indices of the latest version of each URL (greatest ``fetched_at``; a null time counts as oldest)."""
    if table.num_rows == 0:
        return pa.array([], pa.int64())
    keyed = pa.table({"url": table.column("url"), "fetched_at": table.column("fetched_at"),
                      "row": pa.array(range(table.num_rows), pa.int64())})
    order = pc.sort_indices(keyed, options=pc.SortOptions(
        [("url", "ascending", "at_start"), ("fetched_at", "ascending", "at_start"), ("row", "ascending", "at_start")]))
    ordered = keyed.take(order)
    urls = ordered.column("url")
    last_of_url = pc.not_equal(urls.slice(0, len(urls) - 1), urls.slice(1))
    is_last = pa.concat_arrays([last_of_url.combine_chunks(), pa.array([True])])
    indices: pa.Array = ordered.column("row").filter(is_last).combine_chunks()
    return indices


def latest_table(path: str | Path) -> pa.Table:
    """The dataset's latest version of every URL, sorted by URL."""
    table = read_table(path)
    return table.take(latest_indices(table))


def write_latest(path: str | Path, out: str | Path) -> int:
    """Write the latest-version view to one Parquet file at ``out`` (atomically); returns its row count."""
    out = Path(out)
    table = latest_table(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = out.with_name(f".{out.name}.tmp")
    pq.write_table(table, staged, compression=COMPRESSION)
    fsync_file(staged)
    publish(staged, out)
    rows: int = table.num_rows
    return rows
