"""Dedupe: one record per URL in a crawl; across crawls a new version only when the content changed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from filmscrape.dataset.latest import latest_table
from filmscrape.dataset.read import read_table
from filmscrape.schema import Record
from tests.support_dataset import fixture_records, run_pipelines


def later(record: Record, days: int, sha: str | None = None, crawl_id: str = "c2") -> Record:
    return {**record, "fetched_at": record["fetched_at"] + timedelta(days=days), "crawl_id": crawl_id,
            "content_sha256": sha or record["content_sha256"]}


def test_a_url_seen_twice_in_one_crawl_is_kept_once(tmp_path: Path) -> None:
    first = fixture_records()[0]
    kept, c = run_pipelines(tmp_path, [first, later(first, 0, sha="e" * 64, crawl_id="c1")])
    assert kept == [first]
    assert c.stats.get_value("filmscrape/duplicates") == 1


def test_an_unchanged_page_in_a_later_crawl_is_not_a_new_version(tmp_path: Path) -> None:
    first = fixture_records()[0]
    run_pipelines(tmp_path, [first], crawl_id="c1")
    kept, c = run_pipelines(tmp_path, [later(first, 7)], crawl_id="c2")
    assert kept == []
    assert c.stats.get_value("filmscrape/unchanged") == 1
    assert read_table(tmp_path).num_rows == 1


def test_a_changed_page_is_a_new_version_and_every_version_is_kept(tmp_path: Path) -> None:
    first = fixture_records()[0]
    run_pipelines(tmp_path, [first], crawl_id="c1")
    changed = later(first, 7, sha="d" * 64)
    run_pipelines(tmp_path, [changed], crawl_id="c2")
    assert sorted(read_table(tmp_path).column("content_sha256").to_pylist()) == sorted([first["content_sha256"],
                                                                                         "d" * 64])
    assert latest_table(tmp_path).column("content_sha256").to_pylist() == ["d" * 64]


def test_a_page_changed_back_to_old_content_is_a_new_version(tmp_path: Path) -> None:
    first = fixture_records()[0]
    run_pipelines(tmp_path, [first], crawl_id="c1")
    run_pipelines(tmp_path, [later(first, 1, sha="d" * 64)], crawl_id="c2")
    kept, _ = run_pipelines(tmp_path, [later(first, 2, crawl_id="c3")], crawl_id="c3")
    assert len(kept) == 1  # compared with the latest version, not with every version ever seen


def test_a_resumed_crawl_does_not_record_again_what_it_already_wrote(tmp_path: Path) -> None:
    first = {**fixture_records()[0], "crawl_id": "c1"}
    run_pipelines(tmp_path, [first], crawl_id="c1")
    kept, c = run_pipelines(tmp_path, [later(first, 0, sha="f" * 64, crawl_id="c1")], crawl_id="c1")
    assert kept == [] and c.stats.get_value("filmscrape/duplicates") == 1


def test_an_unchanged_page_read_by_a_newer_extractor_is_a_new_version(tmp_path: Path) -> None:
    first = fixture_records()[0]
    run_pipelines(tmp_path, [first], crawl_id="c1")
    reread = {**later(first, 7), "extractor_version": "filmscrape-extract/99.0.0"}
    kept, _ = run_pipelines(tmp_path, [reread], crawl_id="c2")
    assert len(kept) == 1
    assert latest_table(tmp_path).column("extractor_version").to_pylist() == ["filmscrape-extract/99.0.0"]
