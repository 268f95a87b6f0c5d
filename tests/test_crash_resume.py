"""kill -9 a real crawl at several points and resume it with the same JOBDIR: no page lost, none twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from filmscrape.dataset.check import check_dataset
from filmscrape.dataset.latest import latest_table
from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.read import read_table
from tests.conftest import REPO
from tests.support_filmsite import FilmSite, serve_film_site

FILMS = 2000
KILL_AFTER_DURABLE = (400, 1000, 1500)
RUN_TIMEOUT_S = 120


def crawl_command(site: FilmSite, tmp: Path) -> list[str]:
    settings = {
        "JOBDIR": tmp / "job",
        "FILMSCRAPE_DATA_DIR": tmp / "data",
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "FILMSCRAPE_ROW_GROUP_SIZE": 100,
        "FILMSCRAPE_PART_ROWS": 250,  # publish part files mid-crawl, so kills land between and during publishes
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "articles",
               "-a", f"start_urls={site.base}/", "-a", "crawl_id=crashtest"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    return command


def durable_rows(layout: DatasetLayout) -> int:
    """Rows a kill can no longer lose: in published part files, or written to a journal segment."""
    rows = 0
    for part in layout.part_files():
        try:
            rows += pq.ParquetFile(part).metadata.num_rows
        except OSError:
            continue
    if layout.journal_dir.is_dir():
        for segment in layout.journal_dir.glob("*.jsonl"):
            try:
                rows += segment.read_bytes().count(b"\n")
            except FileNotFoundError:
                continue
    return rows


def kill_when_durable(command: list[str], layout: DatasetLayout, threshold: int, log: Path) -> tuple[int, float]:
    """Start the crawl and SIGKILL it once ``threshold`` rows are durable; returns (rows seen, seconds)."""
    started = time.monotonic()
    with open(log, "ab") as out:
        proc = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        try:
            while (rows := durable_rows(layout)) < threshold:
                if proc.poll() is not None:
                    pytest.fail(f"crawl ended (exit {proc.returncode}) before {threshold} rows were durable; see {log}")
                if time.monotonic() - started > RUN_TIMEOUT_S:
                    pytest.fail(f"no {threshold} durable rows after {RUN_TIMEOUT_S}s; see {log}")
                time.sleep(0.02)
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    return rows, time.monotonic() - started


@pytest.mark.slow
def test_a_crawl_killed_three_times_ends_with_every_page_exactly_once(tmp_path: Path) -> None:
    layout = DatasetLayout(tmp_path / "data")
    log = tmp_path / "crawl.log"
    timings: dict[str, float] = {}
    with serve_film_site(FILMS) as site:
        command = crawl_command(site, tmp_path)
        for n, threshold in enumerate(KILL_AFTER_DURABLE, 1):
            rows, seconds = kill_when_durable(command, layout, threshold, log)
            timings[f"run{n}_killed_at_{rows}_rows_s"] = round(seconds, 1)
        started = time.monotonic()
        final = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        timings["final_run_s"] = round(time.monotonic() - started, 1)
        log.write_text(log.read_text() + final.stdout + final.stderr)
        expected = site.page_urls()
    print(json.dumps(timings))

    assert final.returncode == 0, final.stderr[-2000:]
    assert "did not stop cleanly" in final.stderr  # the killed run's JOBDIR was detected and reset
    report = check_dataset(layout.data_dir)
    assert report.ok, "\n".join(report.lines())
    assert not list(layout.journal_dir.glob("*.jsonl")), "every journal segment was published"
    assert not [p for p in layout.staging_dir.rglob("*") if p.is_file() and p.name != ".lock"]
    assert layout.stray_files() == []

    latest = latest_table(layout.data_dir)
    assert sorted(latest.column("url").to_pylist()) == sorted(expected)
    everything = read_table(layout.data_dir, columns=["url", "content_sha256"])
    assert everything.num_rows == len(expected), "no page was recorded twice across the kills"
    glob = f"{layout.root}/**/*.parquet"
    assert duckdb.sql(f"SELECT count(DISTINCT url), count(*) FROM read_parquet('{glob}')").fetchall() == \
        [(len(expected), len(expected))]
    assert pl.read_parquet(layout.root).height == len(expected)
