"""Runs ``filmscrape crawl`` in a subprocess (Twisted's reactor runs once per process) and reads what it left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent.parent

# Fast, deterministic crawls against loopback: no throttling, short timeouts and backoffs.
FAST: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "FILMSCRAPE_RETRY_BACKOFF_BASE": 0.05,
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlRun:
    """What one ``filmscrape crawl`` process did."""

    returncode: int
    stdout: str
    stderr: str
    data_dir: Path
    crawl_id: str

    @property
    def stats(self) -> dict[str, Any]:
        path = self.data_dir / "stats" / f"{self.crawl_id}.json"
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return result

    @property
    def errors(self) -> list[dict[str, Any]]:
        path = self.data_dir / "errors" / f"{self.crawl_id}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))


def command(data_dir: Path, urls: Sequence[str], *, crawl_id: str, settings: Mapping[str, Any] | None,
            args: Sequence[str]) -> list[str]:
    """The ``filmscrape crawl`` command line (FAST settings, then ``settings``)."""
    cmd = [sys.executable, "-m", "filmscrape.cli", "crawl", *urls, "-o", str(data_dir), "--crawl-id", crawl_id,
           *args]
    for key, value in {**FAST, **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def environment(sites_dir: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if sites_dir is not None:
        env["FILMSCRAPE_SITES_DIRS"] = str(sites_dir)
    return env


def crawl(data_dir: Path, urls: Sequence[str] = (), *, crawl_id: str, sites_dir: Path | None = None,
          settings: Mapping[str, Any] | None = None, args: Sequence[str] = (), timeout: float = 240) -> CrawlRun:
    """Run one crawl to completion in a new Python process and return its outcome."""
    cmd = command(data_dir, urls, crawl_id=crawl_id, settings=settings, args=args)
    proc = subprocess.run(cmd, cwd=REPO, env=environment(sites_dir), capture_output=True, text=True,
                          timeout=timeout, check=False)
    return CrawlRun(proc.returncode, proc.stdout, proc.stderr, data_dir, crawl_id)


def start_crawl(data_dir: Path, urls: Sequence[str] = (), *, crawl_id: str, settings: Mapping[str, Any] | None = None,
                args: Sequence[str] = ()) -> subprocess.Popen[str]:
    """Start a crawl process and return at once (to interrupt it); read its output with ``communicate()``."""
    cmd = command(data_dir, urls, crawl_id=crawl_id, settings=settings, args=args)
    return subprocess.Popen(cmd, cwd=REPO, env=environment(None), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def records(data_dir: Path, crawl_id: str | None = None) -> list[dict[str, Any]]:
    """Every record in the Parquet files under ``data_dir`` (optionally of one crawl), however they are laid out."""
    rows: list[dict[str, Any]] = []
    for path in sorted(data_dir.rglob("*.parquet")):
        if any(part.startswith((".", "_")) for part in path.relative_to(data_dir).parts):
            continue
        rows += pq.read_table(path).to_pylist()
    return [r for r in rows if crawl_id is None or r.get("crawl_id") == crawl_id]
