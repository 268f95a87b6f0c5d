"""Write-ahead journal: every accepted record is appended to a JSONL segment before the crawl moves on.

Scrapy's JOBDIR remembers which requests were seen, so a record that lived only in memory when the process
was killed would never be fetched again. Each record is therefore written (one ``write`` call, so a killed
process loses nothing) to ``journal/<crawl_id>-<n>.jsonl`` before ``process_item`` returns, fsync'd at most
every ``fsync_interval`` seconds (0: every record) and always before its part files are published. A
segment is deleted only once its rows are in published part files; a segment left behind by a killed
crawl is replayed into part files on the next start. A torn last line (a crash mid-write) is skipped.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import orjson

from filmscrape.dataset.durable import fsync_dir
from filmscrape.errors import DatasetError
from filmscrape.schema import Record, timestamp_fields

logger = logging.getLogger(__name__)


def encode_record(record: Record) -> bytes:
    """One journal line: the record as compact JSON (datetimes in RFC 3339 with their offset)."""
    line: bytes = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    return line


def decode_record(line: bytes) -> Record:
    """A journal line back to a record (timestamps as tz-aware datetimes)."""
    record: Record = orjson.loads(line)
    for name in timestamp_fields():
        value = record.get(name)
        if isinstance(value, str):
            record[name] = datetime.fromisoformat(value)
    return record


def read_segment(path: Path, on_corrupt: Callable[[int, bytes], None] | None = None) -> Iterator[Record]:
    """The records of a journal segment, streamed. A torn last line (no newline, not JSON) is skipped. A bad
    line anywhere else goes to ``on_corrupt(line_number, line)``, or raises DatasetError when none is given."""
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield decode_record(line)
            except (ValueError, orjson.JSONDecodeError) as exc:
                if not line.endswith(b"\n"):
                    logger.warning("journal %s: skipped a torn last line (%d bytes)", path, len(line))
                    return
                if on_corrupt is None:
                    raise DatasetError(f"journal {path} line {number} is corrupt: {exc}") from exc
                on_corrupt(number, line)


class Journal:
    """An open, exclusively locked journal segment being appended to."""

    def __init__(self, path: Path, fsync_interval: float = 1.0) -> None:
        self.path = path
        self.fsync_interval = fsync_interval
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created under a name recovery ignores and locked before it gets its real name, so recovery in
        # another process never mistakes a segment being opened for an abandoned one.
        fresh = path.with_name(f".{path.name}.{os.getpid()}.new")
        self.fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.link(fresh, path)  # FileExistsError when another crawl holds this segment name: never clobber it
        except BaseException:
            os.close(self.fd)
            raise
        finally:
            os.unlink(fresh)
        fsync_dir(path.parent)
        self.records = 0
        self._last_sync = time.monotonic()
        self._dirty = False

    def append(self, record: Record) -> None:
        """Write one record; it survives the process being killed as soon as this returns."""
        data = memoryview(encode_record(record))
        while data:
            data = data[os.write(self.fd, data):]
        self.records += 1
        self._dirty = True
        if time.monotonic() - self._last_sync >= self.fsync_interval:
            self.sync()

    def sync(self) -> None:
        """fsync what was appended (group commit)."""
        if self._dirty:
            os.fsync(self.fd)
            self._dirty = False
        self._last_sync = time.monotonic()

    def close(self) -> None:
        self.sync()
        os.close(self.fd)

    def delete(self) -> None:
        """Close and remove the segment (its rows are published)."""
        os.close(self.fd)
        self.path.unlink()
        fsync_dir(self.path.parent)


def try_lock(path: Path) -> int | None:
    """An fd holding an exclusive lock on ``path``, or None when a live process holds the segment."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd
