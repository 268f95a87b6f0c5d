"""Merges the small part files of each partition into larger ones, atomically and with the same rows.

Per partition, small parts of one crawl and schema version are merged: the merged file is written to
staging and read back; it must hold the same row count, the same rows (Arrow equality) and the same row
checksum as its inputs, or nothing changes. Then an intent file is written, the inputs are moved out of
``dataset/`` into staging and the merged file is renamed in. Readers therefore never see inputs and merged
file together; a kill at any step is finished by :func:`recover_compactions` (run by the next compaction,
crawl start or ``filmscrape compact``), which rolls forward once the intent exists and back before it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from filmscrape.dataset.checksum import rows_checksum
from filmscrape.dataset.durable import fsync_dir, fsync_file, publish
from filmscrape.dataset.layout import DatasetLayout, compacted_part_name, parse_part_name, parse_segment_name
from filmscrape.dataset.write import META_CRAWL_ID, META_SCHEMA_VERSION, StagedPart
from filmscrape.errors import DatasetError

logger = logging.getLogger(__name__)

SMALL_FILE_BYTES = 64 * 1024 * 1024
INTENT = "intent.json"


@dataclass(frozen=True)
class Merge:
    """One merge done: which files became which, with the rows and checksum checked on both sides."""

    partition: Path
    inputs: tuple[str, ...]
    output: str
    rows: int
    checksum: str


def compact(path: str | Path, *, small_file_bytes: int = SMALL_FILE_BYTES,
            row_group_size: int = 100_000) -> list[Merge]:
    """Compact every partition of the dataset at ``path``; returns the merges done."""
    layout = DatasetLayout.locate(path)
    merges: list[Merge] = []
    with compaction_lock(layout, wait=True):
        _recover_locked(layout)
        pending = _journaled_parts(layout)
        for partition, groups in _groups(layout, small_file_bytes, pending).items():
            for (crawl_id, _version), files in sorted(groups.items()):
                if len(files) >= 2:
                    merges.append(_merge(layout, partition, crawl_id, files, row_group_size))
    return merges


@contextmanager
def compaction_lock(layout: DatasetLayout, *, wait: bool) -> Iterator[bool]:
    """Hold the data directory's compaction lock; yields False (without it) when ``wait`` is off and it is taken."""
    layout.compaction_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(layout.compaction_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _journaled_parts(layout: DatasetLayout) -> set[tuple[str, int]]:
    """Parts a journal segment may still rewrite (a crawl was killed before deleting it): not compacted."""
    if not layout.journal_dir.is_dir():
        return set()
    return {p for p in (parse_segment_name(s.name) for s in layout.journal_dir.glob("*.jsonl")) if p}


def _groups(layout: DatasetLayout, small: int,
            pending: set[tuple[str, int]]) -> dict[Path, dict[tuple[str, str], list[Path]]]:
    groups: dict[Path, dict[tuple[str, str], list[Path]]] = {}
    for part in layout.part_files():
        parsed = parse_part_name(part.name)
        if parsed is None or parsed in pending or part.stat().st_size >= small:
            continue
        meta = pq.read_schema(part).metadata or {}
        key = (meta.get(META_CRAWL_ID, parsed[0].encode()).decode(), meta.get(META_SCHEMA_VERSION, b"?").decode())
        groups.setdefault(part.parent, {}).setdefault(key, []).append(part)
    return groups


def _merge(layout: DatasetLayout, partition: Path, crawl_id: str, files: list[Path], row_group_size: int) -> Merge:
    work, intent = prepare_merge(layout, partition, crawl_id, files, row_group_size)
    _roll_forward(layout, work, intent)
    logger.info("compacted %d files (%d rows) into %s", len(files), intent["rows"], partition / intent["output"])
    return Merge(partition, tuple(intent["inputs"]), intent["output"], intent["rows"], intent["checksum"])


def prepare_merge(layout: DatasetLayout, partition: Path, crawl_id: str, files: list[Path],
                  row_group_size: int = 100_000) -> tuple[Path, dict[str, Any]]:
    """Write and verify the merged file in staging and commit the intent; the dataset is not touched yet."""
    files = sorted(files, key=lambda p: (parse_part_name(p.name) or ("", 0))[1])
    inputs = [pq.read_table(f, partitioning=None) for f in files]
    before = pa.concat_tables(inputs, promote_options="permissive")
    before_rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    before_sum = rows_checksum(before)
    seq = max((parse_part_name(f.name) or ("", 0))[1] for f in files)
    output = compacted_part_name(crawl_id, seq)
    work = layout.compaction_dir / f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{os.getpid()}"
    (work / "inputs").mkdir(parents=True)
    staged = work / f".{output}.tmp"
    # The merged file keeps its inputs' footer metadata (schema version, crawl id).
    part = StagedPart(staged, partition / output, crawl_id, schema=before.schema,
                      metadata=dict(inputs[0].schema.metadata or {}))
    part.write_table(before, row_group_size=row_group_size)
    part.extractor_versions.update(v for v in before.column("extractor_version").unique().to_pylist() if v)
    part.finish()
    after = pq.read_table(staged, partitioning=None)
    after_sum = rows_checksum(after)
    if after.num_rows != before_rows or not after.equals(before) or after_sum != before_sum:
        shutil.rmtree(work)
        raise DatasetError(f"compaction of {partition} would change rows ({before_rows} -> {after.num_rows}, "
                           f"checksum {before_sum} -> {after_sum}); nothing was changed")
    intent: dict[str, Any] = {
        "partition": str(partition.relative_to(layout.root)), "inputs": [f.name for f in files],
        "output": output, "rows": before_rows, "checksum": before_sum,
    }
    (work / INTENT).write_text(json.dumps(intent), encoding="utf-8")
    fsync_file(work / INTENT)
    fsync_dir(work)
    return work, intent


def _roll_forward(layout: DatasetLayout, work: Path, intent: dict[str, Any]) -> None:
    partition = layout.root / str(intent["partition"])
    staged = work / f".{intent['output']}.tmp"
    if staged.exists():  # not published yet: take the inputs out first, then put the merged file in
        for name in intent["inputs"]:
            source = partition / str(name)
            if source.exists():
                os.replace(source, work / "inputs" / str(name))
        fsync_dir(partition)
        fsync_dir(work / "inputs")
        publish(staged, partition / str(intent["output"]))
    shutil.rmtree(work)
    fsync_dir(work.parent)


def recover_compactions(layout: DatasetLayout) -> list[str]:
    """Finish compactions a kill interrupted: forward when their intent was written, else drop their work.

    Does nothing while a live ``filmscrape compact`` holds the lock.
    """
    if not layout.compaction_dir.is_dir():
        return []
    with compaction_lock(layout, wait=False) as locked:
        return _recover_locked(layout) if locked else []


def _recover_locked(layout: DatasetLayout) -> list[str]:
    finished = []
    for work in sorted(p for p in layout.compaction_dir.iterdir() if p.is_dir()):
        intent_file = work / INTENT
        if intent_file.exists():
            intent = json.loads(intent_file.read_text(encoding="utf-8"))
            _roll_forward(layout, work, intent)
            logger.warning("finished an interrupted compaction into %s/%s", intent["partition"], intent["output"])
        else:
            shutil.rmtree(work)
            logger.warning("dropped an interrupted compaction's unfinished work %s", work.name)
        finished.append(work.name)
    return finished
