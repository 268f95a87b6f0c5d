"""Writes records to a Hive-partitioned Parquet dataset, each part file renamed into place when complete."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from filmscrape.schema import Record, arrow_schema


def write_part(rows: list[Record], path: Path, metadata: dict[bytes, bytes]) -> None:
    """Write rows to ``path`` atomically: temp name, fsync, rename, fsync the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = arrow_schema().with_metadata({**(arrow_schema().metadata or {}), **metadata})
    table = pa.Table.from_pylist(rows, schema=schema)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class ParquetPipeline:
    """Buffers records per partition and writes a part file per row group."""

    def __init__(self, data_dir: str, row_group_size: int, stats: Any) -> None:
        self.root = Path(data_dir) / "dataset"
        self.row_group_size = row_group_size
        self.stats = stats
        self.buffers: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        self.parts = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParquetPipeline:
        s = crawler.settings
        return cls(s.get("FILMSCRAPE_DATA_DIR", "data"), s.getint("FILMSCRAPE_ROW_GROUP_SIZE", 5000), crawler.stats)

    def process_item(self, item: Record) -> Record:
        fetched = item.get("fetched_at")
        key = (item.get("site") or "unknown", fetched.strftime("%Y-%m-%d") if fetched else "unknown",
               item.get("crawl_id") or "unknown")
        buf = self.buffers[key]
        buf.append(item)
        if len(buf) >= self.row_group_size:
            self._flush(key)
        return item

    def _flush(self, key: tuple[str, str, str]) -> None:
        rows = self.buffers.pop(key, [])
        if not rows:
            return
        site, day, crawl_id = key
        path = self.root / f"site={site}" / f"crawl_date={day}" / f"part-{crawl_id}-{self.parts:05d}.parquet"
        write_part(rows, path, {b"filmscrape.crawl_id": crawl_id.encode()})
        self.parts += 1
        self.stats.inc_value("filmscrape/parquet/rows", len(rows))
        self.stats.inc_value("filmscrape/parquet/files")

    def close_spider(self) -> None:
        for key in list(self.buffers):
            self._flush(key)
