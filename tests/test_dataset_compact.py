"""Compaction: small part files of a partition become one, with the same rows, and a kill never duplicates rows."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from filmscrape.cli import main
from filmscrape.dataset.check import check_dataset
from filmscrape.dataset.checksum import rows_checksum
from filmscrape.dataset.compact import compact, prepare_merge, recover_compactions
from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.read import read_table
from filmscrape.schema import Record
from tests.support_dataset import fixture_records, run_pipelines


def batch(start: int, n: int, crawl_id: str) -> list[Record]:
    base = fixture_records()[0]
    at = datetime(2025, 11, 10, 2, tzinfo=UTC)
    return [{**base, "url": f"https://echo-reviews.net/reviews/{i}/", "crawl_id": crawl_id,
             "fetched_at": at + timedelta(seconds=i), "content_sha256": f"{i:064x}"} for i in range(start, start + n)]


@pytest.fixture
def small_parts(tmp_path: Path) -> Path:
    """One partition holding four small part files of crawl c1 (published every 5 rows)."""
    run_pipelines(tmp_path, batch(0, 20, "c1"), crawl_id="c1", FILMSCRAPE_PART_ROWS=5)
    assert len(DatasetLayout(tmp_path).part_files()) == 4
    return tmp_path


def snapshot(data: Path) -> str:
    return rows_checksum(read_table(data).sort_by("url"))


def test_small_parts_of_a_partition_become_one_file_with_the_same_rows(small_parts: Path) -> None:
    before = snapshot(small_parts)
    [merge] = compact(small_parts)
    assert merge.rows == 20 and len(merge.inputs) == 4
    [part] = DatasetLayout(small_parts).part_files()
    assert part.name == merge.output == "part-c1-00003c.parquet"
    assert snapshot(small_parts) == before
    assert check_dataset(small_parts).ok


def test_parts_of_different_crawls_are_not_merged_together(small_parts: Path) -> None:
    run_pipelines(small_parts, batch(100, 5, "c2"), crawl_id="c2")
    compact(small_parts)
    names = sorted(p.name for p in DatasetLayout(small_parts).part_files())
    assert names == ["part-c1-00003c.parquet", "part-c2-00000.parquet"]


def test_compacting_twice_changes_nothing_the_second_time(small_parts: Path) -> None:
    compact(small_parts)
    assert compact(small_parts) == []


def test_a_part_a_journal_may_still_rewrite_is_left_alone(small_parts: Path) -> None:
    layout = DatasetLayout(small_parts)
    layout.journal_dir.mkdir(exist_ok=True)
    layout.segment_path("c1", 3).write_bytes(b"")  # killed between publishing part 3 and deleting its segment
    [merge] = compact(small_parts)
    assert "part-c1-00003.parquet" not in merge.inputs and len(merge.inputs) == 3


def test_killed_after_the_intent_the_next_run_finishes_it(small_parts: Path) -> None:
    layout = DatasetLayout(small_parts)
    before = snapshot(small_parts)
    files = layout.part_files()
    work, intent = prepare_merge(layout, files[0].parent, "c1", files)
    os.replace(files[0], work / "inputs" / files[0].name)  # killed while moving the inputs out
    report = check_dataset(small_parts)
    assert [p.kind for p in report.problems] == ["interrupted_compaction"]
    assert len(read_table(small_parts).column("url").unique()) == read_table(small_parts).num_rows  # no dupes
    assert recover_compactions(layout) == [work.name]
    assert [p.name for p in layout.part_files()] == [intent["output"]]
    assert snapshot(small_parts) == before and check_dataset(small_parts).ok


def test_killed_before_the_intent_nothing_changes(small_parts: Path) -> None:
    layout = DatasetLayout(small_parts)
    before = [p.name for p in layout.part_files()]
    work, _ = prepare_merge(layout, layout.part_files()[0].parent, "c1", layout.part_files())
    (work / "intent.json").unlink()  # the kill came before the intent was durable
    recover_compactions(layout)
    assert [p.name for p in layout.part_files()] == before and not work.exists()


def test_cli_compact_reports_verified_merges(small_parts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compact", str(small_parts / "dataset")]) == 0
    out = capsys.readouterr().out
    assert "4 files -> part-c1-00003c.parquet (20 rows" in out and "verified" in out
