"""The rows of one journal segment, split by partition and written as row groups into staged part files."""

from __future__ import annotations

import shutil
from pathlib import Path

from filmscrape.dataset.layout import DatasetLayout, crawl_date, part_name, safe_token, site_key
from filmscrape.dataset.write import StagedPart
from filmscrape.schema import Record

Partition = tuple[str, str]


class SegmentWriter:
    """Buffers rows per partition; every ``row_group_size`` buffered rows become row groups of staged parts.

    At most ``row_group_size`` rows are held in memory whatever the number of partitions. :meth:`publish`
    moves one part file per partition, ``part-<crawl_id>-<seq>.parquet``, into the dataset. The names depend
    only on the segment, so replaying a segment after a crash rewrites the same files with the same rows.
    """

    def __init__(self, layout: DatasetLayout, crawl_id: str, seq: int, row_group_size: int = 5000) -> None:
        self.layout = layout
        self.crawl_id = crawl_id
        self.seq = seq
        self.row_group_size = max(1, row_group_size)
        self.staging = staging_dir_for(layout, crawl_id, seq)
        self.buffers: dict[Partition, list[Record]] = {}
        self.parts: dict[Partition, StagedPart] = {}
        self.buffered = 0
        self.rows = 0

    def add(self, record: Record) -> None:
        key = (site_key(record), crawl_date(record))
        self.buffers.setdefault(key, []).append(record)
        self.buffered += 1
        self.rows += 1
        if self.buffered >= self.row_group_size:
            self.flush()

    def flush(self) -> None:
        """Write every buffered row as row groups of the staged parts."""
        for key, rows in self.buffers.items():
            self._part(key).write(rows)
        self.buffers.clear()
        self.buffered = 0

    def publish(self) -> list[Path]:
        """Finish every staged part and move it into the dataset; returns the published paths."""
        self.flush()
        published = [p for p in (part.publish() for part in self.parts.values()) if p is not None]
        self.parts.clear()
        shutil.rmtree(self.staging, ignore_errors=True)
        return published

    def discard(self) -> None:
        for part in self.parts.values():
            part.discard()
        self.parts.clear()
        self.buffers.clear()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _part(self, key: Partition) -> StagedPart:
        part = self.parts.get(key)
        if part is None:
            name = part_name(self.crawl_id, self.seq)
            staged = self.staging / f".{safe_token(key[0])}--{key[1]}--{name}.tmp"
            part = StagedPart(staged, self.layout.partition_dir(*key) / name, self.crawl_id)
            self.parts[key] = part
        return part


def segments_staging_root(layout: DatasetLayout) -> Path:
    return layout.staging_dir / "segments"


def staging_dir_for(layout: DatasetLayout, crawl_id: str, seq: int) -> Path:
    return segments_staging_root(layout) / f"{safe_token(crawl_id)}-{seq:05d}"
