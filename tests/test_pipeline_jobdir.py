"""JOBDIR after kill -9: the scheduler state Scrapy only saves on a clean stop is detected and reset."""

from __future__ import annotations

from pathlib import Path

from filmscrape.pipelines.jobdir import MARKER, JobdirGuard
from filmscrape.pipelines.parquet import ParquetPipeline
from tests.support_dataset import crawler


def jobdir_left_by_a_killed_crawl(path: Path) -> Path:
    (path / "requests.queue" / "p0").mkdir(parents=True)
    (path / "requests.seen").write_bytes(b"\x00\x00\x00\x14" + b"f" * 20)
    (path / "spider.state").write_bytes(b"state")
    (path / MARKER).write_text('{"pid": 1}')
    return path


def test_a_clean_start_is_not_a_resume_after_a_kill(tmp_path: Path) -> None:
    guard = JobdirGuard(tmp_path / "job")
    assert guard.arm() is False
    assert (tmp_path / "job" / MARKER).exists()


def test_a_closed_crawl_leaves_no_marker_and_its_state_is_kept(tmp_path: Path) -> None:
    guard = JobdirGuard(tmp_path)
    guard.arm()
    (tmp_path / "requests.seen").write_bytes(b"seen")
    guard.disarm()
    assert JobdirGuard(tmp_path).arm() is False
    assert (tmp_path / "requests.seen").read_bytes() == b"seen"


def test_a_marker_left_behind_resets_the_scheduler_state_only(tmp_path: Path) -> None:
    job = jobdir_left_by_a_killed_crawl(tmp_path / "job")
    assert JobdirGuard(job).arm() is True
    assert not (job / "requests.seen").exists() and not (job / "requests.queue").exists()
    assert (job / "spider.state").read_bytes() == b"state"


def test_the_parquet_pipeline_resets_a_killed_jobdir_when_it_is_built(tmp_path: Path) -> None:
    # Pipelines are built with the engine, before the scheduler opens JOBDIR: the reset happens in time.
    job = jobdir_left_by_a_killed_crawl(tmp_path / "job")
    pipeline = ParquetPipeline.from_crawler(crawler(tmp_path / "data", JOBDIR=str(job)))
    assert pipeline.resumed_after_kill
    assert not (job / "requests.seen").exists()
    pipeline.spider_closed()
    assert not (job / MARKER).exists()
