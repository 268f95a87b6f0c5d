"""Where things live: the Hive-partitioned dataset and its sibling journal, staging and rejected directories.

A data directory holds::

    dataset/site_key=<site>/crawl_date=<YYYY-MM-DD>/part-<crawl_id>-<n>.parquet   what readers read
    journal/<crawl_id>-<n>.jsonl       write-ahead journal of rows not yet in a part file
    staging/                           part files being written, compaction intents (never read by readers)
    rejected/<crawl_id>.jsonl          records that failed validation

The partition keys are ``site_key`` and ``crawl_date``, deliberately not ``site``: the record has a ``site``
column, and pandas (through pyarrow) refuses a partition key that is also a file column ("Unable to merge:
Field site has incompatible types"). ``site_key`` is the record's ``site``, else the URL's host, else
``unknown``. Temporary files never live under ``dataset/``: polars refuses a directory holding files of
another extension, and DuckDB reads ``_``-prefixed files, so staging is a sibling directory on the same
filesystem and files reach ``dataset/`` only by an atomic rename.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from filmscrape.schema import Record
from filmscrape.urls import plain_http_host

PARTITION_KEYS = ("site_key", "crawl_date")
PART_SUFFIX = ".parquet"
_PART_NAME = re.compile(r"^part-(?P<crawl_id>.+)-(?P<seq>\d+)c?\.parquet$")
_SEGMENT_NAME = re.compile(r"^(?P<crawl_id>.+)-(?P<seq>\d+)\.jsonl$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_token(value: str) -> str:
    """A value made safe for a file or directory name (crawl ids, site keys): other characters become ``_``."""
    token = _UNSAFE.sub("_", value).strip(".") or "unknown"
    return token


def site_key(record: Record) -> str:
    """The ``site_key`` partition value for a record: its site, else its URL's host, else ``unknown``."""
    site = record.get("site") or _host(record.get("url") or "") or "unknown"
    return _site_token(site)


@lru_cache(maxsize=4096)
def _site_token(site: str) -> str:
    """The partition token of a site; remembered, as a crawl writes many records of each site."""
    return safe_token(site.lower())


def _host(url: str) -> str | None:
    """``urlsplit(url).hostname``, read straight from a plain http(s) URL (an IP-addressed site has no
    registrable domain, so every record of it comes here)."""
    host = plain_http_host(url)
    return host if host is not None else urlsplit(url).hostname


def crawl_date(record: Record) -> str:
    """The ``crawl_date`` partition value: the UTC date the page was fetched (``unknown`` when not stated)."""
    fetched = record.get("fetched_at")
    if not isinstance(fetched, datetime):
        return "unknown"
    # date.isoformat() is strftime("%Y-%m-%d") at a fifth of the cost, for every year with four digits
    return fetched.date().isoformat() if fetched.year >= 1000 else fetched.strftime("%Y-%m-%d")


def part_name(crawl_id: str, seq: int) -> str:
    """The file name of part ``seq`` of crawl ``crawl_id``."""
    return f"part-{safe_token(crawl_id)}-{seq:05d}{PART_SUFFIX}"


def compacted_part_name(crawl_id: str, seq: int) -> str:
    """The name of a part file compaction made from parts up to ``seq`` of crawl ``crawl_id``."""
    return f"part-{safe_token(crawl_id)}-{seq:05d}c{PART_SUFFIX}"


def parse_part_name(name: str) -> tuple[str, int] | None:
    """``(crawl_id, seq)`` from a part file name, or None when the name is not one we write."""
    match = _PART_NAME.match(name)
    return (match["crawl_id"], int(match["seq"])) if match else None


def parse_segment_name(name: str) -> tuple[str, int] | None:
    """``(crawl_id, seq)`` from a journal segment name, or None."""
    match = _SEGMENT_NAME.match(name)
    return (match["crawl_id"], int(match["seq"])) if match else None


def is_visible(path: Path, root: Path) -> bool:
    """Whether readers see ``path``: pyarrow skips any path component starting with ``.`` or ``_``."""
    return not any(part.startswith((".", "_")) for part in path.relative_to(root).parts)


@dataclass(frozen=True)
class DatasetLayout:
    """The directories of one data directory."""

    data_dir: Path

    @classmethod
    def locate(cls, path: str | Path) -> DatasetLayout:
        """Accept either a data directory (holding ``dataset/``) or the dataset directory itself."""
        path = Path(path)
        if path.name == "dataset" and not (path / "dataset").is_dir():
            return cls(path.parent)
        return cls(path)

    @property
    def root(self) -> Path:
        return self.data_dir / "dataset"

    @property
    def journal_dir(self) -> Path:
        return self.data_dir / "journal"

    @property
    def staging_dir(self) -> Path:
        return self.data_dir / "staging"

    @property
    def compaction_dir(self) -> Path:
        return self.staging_dir / "compaction"

    @property
    def rejected_dir(self) -> Path:
        return self.data_dir / "rejected"

    def partition_dir(self, site: str, date: str) -> Path:
        return self.root / f"site_key={site}" / f"crawl_date={date}"

    def part_files(self) -> list[Path]:
        """Every part file readers see, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.rglob(f"*{PART_SUFFIX}") if p.is_file() and is_visible(p, self.root))

    def stray_files(self) -> list[Path]:
        """Files under ``dataset/`` that are not visible part files (temp files, leftovers, foreign files)."""
        if not self.root.is_dir():
            return []
        visible = set(self.part_files())
        return sorted(p for p in self.root.rglob("*") if p.is_file() and p not in visible)

    def next_seq(self, crawl_id: str) -> int:
        """The next free part sequence number for ``crawl_id`` (over part files and journal segments)."""
        token = safe_token(crawl_id)
        seqs = [-1]
        for path in self._named_files():
            parsed = parse_part_name(path.name) if path.suffix == PART_SUFFIX else parse_segment_name(path.name)
            if parsed and parsed[0] == token:
                seqs.append(parsed[1])
        return max(seqs) + 1

    def _named_files(self) -> Iterator[Path]:
        if self.root.is_dir():
            yield from self.root.rglob(f"part-*{PART_SUFFIX}")
        if self.journal_dir.is_dir():
            yield from self.journal_dir.glob("*.jsonl")

    def segment_path(self, crawl_id: str, seq: int) -> Path:
        return self.journal_dir / f"{safe_token(crawl_id)}-{seq:05d}.jsonl"
