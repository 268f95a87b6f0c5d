"""Brings a data directory back to a clean state after a killed crawl or compaction, before anything else runs."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmscrape.dataset.compact import recover_compactions
from filmscrape.dataset.layout import DatasetLayout, parse_segment_name
from filmscrape.pipelines.journal import read_segment, try_lock
from filmscrape.pipelines.segment import SegmentWriter, segments_staging_root

logger = logging.getLogger(__name__)


@dataclass
class Recovery:
    """What recovery did: segments replayed, rows recovered, staging left-overs removed, corrupt lines kept aside."""

    segments: list[Path] = field(default_factory=list)
    rows: int = 0
    removed_staging: list[Path] = field(default_factory=list)
    compactions: list[str] = field(default_factory=list)
    corrupt_lines: int = 0


def recover(layout: DatasetLayout, row_group_size: int = 5000, stats: Any = None) -> Recovery:
    """Replay journal segments no live crawl holds, drop orphaned staging files, finish interrupted compactions.

    Idempotent, and cheap when there is nothing to do (so each pipeline that needs a clean directory calls
    it); safe while another crawl writes the same data directory (its segments are locked and left alone).
    """
    done = Recovery()
    done.compactions = recover_compactions(layout)
    _remove_orphaned_staging(layout, done)
    if layout.journal_dir.is_dir():
        for segment in sorted(layout.journal_dir.glob("*.jsonl")):
            _replay(layout, segment, row_group_size, done)
    if stats is not None and done.rows:
        stats.inc_value("filmscrape/parquet/recovered_rows", done.rows)
    if stats is not None and done.corrupt_lines:
        stats.inc_value("filmscrape/parquet/corrupt_journal_lines", done.corrupt_lines)
    return done


def _replay(layout: DatasetLayout, segment: Path, row_group_size: int, done: Recovery) -> None:
    parsed = parse_segment_name(segment.name)
    if parsed is None:
        logger.warning("journal: ignoring %s (not a segment name)", segment)
        return
    lock = try_lock(segment)
    if lock is None:
        return  # a live crawl is writing it
    try:
        crawl_id, seq = parsed
        writer = SegmentWriter(layout, crawl_id, seq, row_group_size)
        shutil.rmtree(writer.staging, ignore_errors=True)
        quarantine = layout.journal_dir / "corrupt" / f"{segment.stem}.lines"

        def keep_corrupt(number: int, line: bytes) -> None:
            quarantine.parent.mkdir(exist_ok=True)
            with open(quarantine, "ab") as fh:
                fh.write(b"%d\t" % number + line)
                fh.flush()
                os.fsync(fh.fileno())
            logger.error("journal %s line %d is corrupt; kept in %s", segment, number, quarantine)
            done.corrupt_lines += 1

        try:
            for record in read_segment(segment, keep_corrupt):
                writer.add(record)
            writer.publish()
        except BaseException:
            writer.discard()
            raise
        segment.unlink()
        logger.warning("journal: replayed %d rows of %s left by an interrupted crawl", writer.rows, segment.name)
        done.segments.append(segment)
        done.rows += writer.rows
    finally:
        os.close(lock)


def _remove_orphaned_staging(layout: DatasetLayout, done: Recovery) -> None:
    root = segments_staging_root(layout)
    if not root.is_dir():
        return
    for staging in sorted(root.iterdir()):
        segment = layout.journal_dir / f"{staging.name}.jsonl"
        if segment.exists():
            lock = try_lock(segment)
            if lock is None:
                continue  # a live crawl's staging directory
            os.close(lock)
        shutil.rmtree(staging, ignore_errors=True)
        done.removed_staging.append(staging)
