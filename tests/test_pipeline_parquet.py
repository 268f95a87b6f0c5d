"""The Parquet pipeline: journaled before it returns, published as Hive-partitioned part files, atomically."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq

from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.read import read_table
from filmscrape.pipelines.journal import encode_record, read_segment
from filmscrape.pipelines.parquet import ParquetPipeline
from filmscrape.pipelines.recovery import recover
from filmscrape.schema import Record, schema_version
from filmscrape.version import EXTRACTOR_VERSION
from tests.support_dataset import crawler, fixture_records, run_pipelines


def many(n: int, site: str = "echo-reviews.net") -> list[Record]:
    base = fixture_records()[0]
    start = datetime(2025, 11, 10, 2, tzinfo=UTC)
    return [{**base, "url": f"https://{site}/reviews/{i}/", "site": site, "fetched_at": start + timedelta(seconds=i),
             "content_sha256": f"{i:064x}"} for i in range(n)]


def test_records_land_in_hive_partitions_by_site_key_and_crawl_date(tmp_path: Path) -> None:
    run_pipelines(tmp_path, fixture_records(), crawl_id="20251110T020000Z")
    names = sorted(str(p.relative_to(tmp_path / "dataset")) for p in DatasetLayout(tmp_path).part_files())
    assert names == [
        "site_key=echo-reviews.net/crawl_date=2025-11-10/part-20251110T020000Z-00000.parquet",
        "site_key=filmdb.example/crawl_date=2025-11-10/part-20251110T020000Z-00000.parquet",
        "site_key=screenplay-notes.com/crawl_date=2025-11-10/part-20251110T020000Z-00000.parquet",
    ]


def test_part_files_carry_schema_version_extractor_version_and_crawl_id(tmp_path: Path) -> None:
    run_pipelines(tmp_path, fixture_records(), crawl_id="c7")
    for part in DatasetLayout(tmp_path).part_files():
        meta = pq.read_schema(part).metadata
        assert meta[b"filmscrape.schema_version"] == str(schema_version()).encode()
        assert meta[b"filmscrape.extractor_version"] == EXTRACTOR_VERSION.encode()
        assert meta[b"filmscrape.crawl_id"] == b"c7"


def test_rows_are_written_in_row_groups_of_the_configured_size(tmp_path: Path) -> None:
    run_pipelines(tmp_path, many(250), FILMSCRAPE_ROW_GROUP_SIZE=100)
    [part] = DatasetLayout(tmp_path).part_files()
    meta = pq.ParquetFile(part).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [100, 100, 50]
    assert meta.row_group(0).column(0).compression == "ZSTD"


def test_a_part_file_is_published_every_part_rows_records(tmp_path: Path) -> None:
    _, c = run_pipelines(tmp_path, many(250), FILMSCRAPE_PART_ROWS=100)
    parts = DatasetLayout(tmp_path).part_files()
    assert [pq.ParquetFile(p).metadata.num_rows for p in parts] == [100, 100, 50]
    assert c.stats.get_value("filmscrape/parquet/rows") == 250
    assert c.stats.get_value("filmscrape/parquet/files") == 3


def test_each_record_is_in_the_journal_when_process_item_returns_and_nothing_is_visible_yet(tmp_path: Path) -> None:
    pipeline = ParquetPipeline(tmp_path, crawl_id="c1")
    pipeline.open_spider()
    records = many(3)
    for record in records:
        pipeline.process_item(record)
    layout = DatasetLayout(tmp_path)
    [segment] = layout.journal_dir.glob("*.jsonl")
    assert [r["url"] for r in read_segment(segment)] == [r["url"] for r in records]
    assert layout.part_files() == [] and layout.stray_files() == []
    pipeline.close_spider()
    assert read_table(tmp_path).num_rows == 3
    assert list(layout.journal_dir.glob("*.jsonl")) == []


def test_staged_files_never_appear_under_dataset(tmp_path: Path) -> None:
    pipeline = ParquetPipeline(tmp_path, crawl_id="c1", row_group_size=2)
    pipeline.open_spider()
    for record in many(5):
        pipeline.process_item(record)  # row groups already written to a staged file
    layout = DatasetLayout(tmp_path)
    assert list(layout.staging_dir.rglob("*.tmp")) and not list(layout.root.rglob("*"))
    pipeline.close_spider()


def abandon(pipeline: ParquetPipeline) -> None:
    """What kill -9 leaves: the journal fd closes with the process; nothing is published."""
    assert pipeline._journal is not None
    os.close(pipeline._journal.fd)


def test_a_journal_left_by_a_killed_crawl_is_replayed_on_the_next_start(tmp_path: Path) -> None:
    killed = ParquetPipeline(tmp_path, crawl_id="c1", row_group_size=2)
    killed.open_spider()
    for record in many(5):
        killed.process_item(record)
    abandon(killed)
    _, c = run_pipelines(tmp_path, [], crawl_id="c1")
    assert sorted(read_table(tmp_path).column("url").to_pylist()) == sorted(r["url"] for r in many(5))
    assert c.stats.get_value("filmscrape/parquet/recovered_rows") == 5
    layout = DatasetLayout(tmp_path)
    assert list(layout.journal_dir.glob("*.jsonl")) == [] and not list(layout.staging_dir.rglob("*.tmp"))


def test_a_torn_last_journal_line_is_skipped_and_the_rest_recovered(tmp_path: Path) -> None:
    layout = DatasetLayout(tmp_path)
    layout.journal_dir.mkdir(parents=True)
    lines = [encode_record(r) for r in many(3)]
    layout.segment_path("c1", 0).write_bytes(lines[0] + lines[1] + lines[2][:40])
    assert recover(layout).rows == 2
    assert read_table(tmp_path).num_rows == 2


def test_replaying_a_segment_whose_parts_were_already_published_adds_no_duplicate(tmp_path: Path) -> None:
    # Killed after the rename into dataset/ but before the journal segment was deleted.
    pipeline = ParquetPipeline(tmp_path, crawl_id="c1")
    pipeline.open_spider()
    for record in many(4):
        pipeline.process_item(record)
    assert pipeline._segment is not None and pipeline._journal is not None
    pipeline._journal.sync()
    pipeline._segment.publish()
    abandon(pipeline)
    recover(DatasetLayout(tmp_path))
    assert read_table(tmp_path).num_rows == 4


def test_a_second_crawl_continues_the_part_numbering(tmp_path: Path) -> None:
    run_pipelines(tmp_path, many(2), crawl_id="c1")
    run_pipelines(tmp_path, many(2, site="other.example"), crawl_id="c1")
    assert sorted(p.name for p in DatasetLayout(tmp_path).part_files()) == ["part-c1-00000.parquet",
                                                                             "part-c1-00001.parquet"]


def test_a_record_without_site_is_partitioned_by_its_host(tmp_path: Path) -> None:
    record = {**fixture_records()[0], "site": None}
    run_pipelines(tmp_path, [record])
    [part] = DatasetLayout(tmp_path).part_files()
    assert part.parent.parent.name == "site_key=www.echo-reviews.net"
    assert read_table(tmp_path).column("site").to_pylist() == [None]


def test_crawl_settings_reach_the_pipeline(tmp_path: Path) -> None:
    c = crawler(tmp_path, FILMSCRAPE_ROW_GROUP_SIZE=7, FILMSCRAPE_PART_ROWS=70, FILMSCRAPE_JOURNAL_FSYNC_SECONDS=0)
    pipeline = ParquetPipeline.from_crawler(c)
    assert (pipeline.row_group_size, pipeline.part_rows, pipeline.fsync_interval) == (7, 70, 0.0)


def test_a_corrupt_line_inside_a_journal_is_kept_aside_and_the_rest_recovered(tmp_path: Path) -> None:
    layout = DatasetLayout(tmp_path)
    layout.journal_dir.mkdir(parents=True)
    lines = [encode_record(r) for r in many(2)]
    layout.segment_path("c1", 0).write_bytes(lines[0] + b"{not json\n" + lines[1])
    done = recover(layout)
    assert (done.rows, done.corrupt_lines) == (2, 1)
    assert (layout.journal_dir / "corrupt" / "c1-00000.lines").read_bytes() == b"2\t{not json\n"
    assert read_table(tmp_path).num_rows == 2


def test_two_writers_of_one_crawl_id_never_share_a_journal_segment(tmp_path: Path) -> None:
    first, second = ParquetPipeline(tmp_path, crawl_id="c1"), ParquetPipeline(tmp_path, crawl_id="c1")
    first.open_spider()
    second.open_spider()
    records = many(4)
    first.process_item(records[0])
    second._next_seq = 0  # as if it had listed the directory before the first writer's segment existed
    second.process_item(records[1])
    assert first._journal is not None and second._journal is not None
    assert first._journal.path != second._journal.path
    first.close_spider()
    second.close_spider()
    assert sorted(read_table(tmp_path).column("url").to_pylist()) == sorted(r["url"] for r in records[:2])
