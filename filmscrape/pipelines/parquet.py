"""Writes accepted records to the Hive-partitioned Parquet dataset without ever losing or half-writing one.

Each record is journaled (``journal.py``) before ``process_item`` returns, then buffered into row groups of
``FILMSCRAPE_ROW_GROUP_SIZE`` rows written to staged part files (``segment.py``). Every
``FILMSCRAPE_PART_ROWS`` rows or ``FILMSCRAPE_PART_SECONDS`` seconds, and when the crawl closes, the
staged parts are fsync'd and renamed into ``dataset/`` and the journal segment is deleted. A crawl killed at
any point leaves a journal segment that the next start replays (``recovery.py``).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals

from filmscrape.dataset.layout import DatasetLayout
from filmscrape.pipelines.jobdir import JobdirGuard
from filmscrape.pipelines.journal import Journal
from filmscrape.pipelines.recovery import recover
from filmscrape.pipelines.segment import SegmentWriter
from filmscrape.schema import Record

logger = logging.getLogger(__name__)


class ParquetPipeline:
    """Journal, buffer and publish records; stats ``filmscrape/parquet/rows`` and ``filmscrape/parquet/files``."""

    def __init__(self, data_dir: str | Path, *, row_group_size: int = 5000, part_rows: int = 100_000,
                 part_seconds: float = 300.0, fsync_interval: float = 1.0, stats: Any = None,
                 crawl_id: str | None = None) -> None:
        self.layout = DatasetLayout(Path(data_dir))
        self.row_group_size = row_group_size
        self.part_rows = part_rows
        self.part_seconds = part_seconds
        self.fsync_interval = fsync_interval
        self.stats = stats
        self.crawl_id = crawl_id
        self.jobdir_guard: JobdirGuard | None = None
        self.resumed_after_kill = False
        self._journal: Journal | None = None
        self._segment: SegmentWriter | None = None
        self._segment_started = 0.0
        self._next_seq: int | None = None
        self.crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParquetPipeline:
        s = crawler.settings
        pipeline = cls(
            s.get("FILMSCRAPE_DATA_DIR", "data"),
            row_group_size=s.getint("FILMSCRAPE_ROW_GROUP_SIZE", 5000),
            part_rows=s.getint("FILMSCRAPE_PART_ROWS", 100_000),
            part_seconds=s.getfloat("FILMSCRAPE_PART_SECONDS", 300.0),
            fsync_interval=s.getfloat("FILMSCRAPE_JOURNAL_FSYNC_SECONDS", 1.0),
            stats=crawler.stats,
        )
        pipeline.crawler = crawler
        if s.get("JOBDIR"):
            # Pipelines are built with the engine, before the scheduler reads JOBDIR: reset it here if needed.
            pipeline.jobdir_guard = JobdirGuard(s.get("JOBDIR"))
            pipeline.resumed_after_kill = pipeline.jobdir_guard.arm()
            crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        recover(self.layout, self.row_group_size, self.stats)
        if spider is None:  # Scrapy 2.19 calls open_spider() without the spider
            spider = getattr(self.crawler, "spider", None)
        if self.crawl_id is None:
            self.crawl_id = getattr(spider, "crawl_id", None) or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self._inc("filmscrape/jobdir/reset_after_kill", int(self.resumed_after_kill))

    def process_item(self, item: Record) -> Record:
        if self._segment is None:
            self._start_segment()
        assert self._journal is not None and self._segment is not None
        self._journal.append(item)
        self._segment.add(item)
        if self._segment.rows >= self.part_rows or time.monotonic() - self._segment_started >= self.part_seconds:
            self.publish()
        return item

    def publish(self) -> list[Path]:
        """Make every journaled row visible in the dataset now; returns the part files written."""
        if self._segment is None or self._journal is None:
            return []
        self._journal.sync()
        published = self._segment.publish()
        rows = self._segment.rows
        self._journal.delete()
        self._journal = None
        self._segment = None
        self._inc("filmscrape/parquet/rows", rows)
        self._inc("filmscrape/parquet/files", len(published))
        logger.info("published %d rows in %d part files", rows, len(published))
        return published

    def close_spider(self, spider: Any = None) -> None:
        self.publish()

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        """Runs after the scheduler saved its state: the JOBDIR is now safe to resume from."""
        if self.jobdir_guard is not None:
            self.jobdir_guard.disarm()

    def _start_segment(self) -> None:
        crawl_id = self.crawl_id or "unknown"
        if self._next_seq is None:
            self._next_seq = self.layout.next_seq(crawl_id)
        while True:
            seq = self._next_seq
            self._next_seq += 1
            try:
                self._journal = Journal(self.layout.segment_path(crawl_id, seq), self.fsync_interval)
            except FileExistsError:  # another process of the same crawl id took this number
                continue
            break
        self._segment = SegmentWriter(self.layout, crawl_id, seq, self.row_group_size)
        self._segment_started = time.monotonic()

    def _inc(self, key: str, value: int) -> None:
        if self.stats is not None and value:
            self.stats.inc_value(key, value)
