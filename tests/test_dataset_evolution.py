"""Schema evolution: part files of an older schema version read together with a newer one's added column."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from filmscrape.dataset.check import check_dataset
from filmscrape.dataset.latest import latest_table
from filmscrape.dataset.read import read_table
from filmscrape.dataset.write import records_to_table
from filmscrape.schema import arrow_schema
from tests.support_dataset import fixture_records, run_pipelines

ADDED = pa.field("streaming_on", pa.list_(pa.string()), nullable=True)


def write_v2_part(data_dir: Path) -> None:
    """A part file as schema version 2 would write it: every v1 column plus one new nullable column."""
    v2_schema = arrow_schema().append(ADDED).with_metadata(
        {b"filmscrape.schema_version": b"2", b"filmscrape.crawl_id": b"c2",
         b"filmscrape.extractor_version": b"filmscrape-extract/0.2.0"})
    record = {**fixture_records()[1], "url": "https://screenplay-notes.com/weapons-ending-explained/",
              "crawl_id": "c2", "schema_version": 2, "content_sha256": "b" * 64}
    v1_rows = records_to_table([record])
    table = v1_rows.append_column(ADDED, pa.array([["Netflix", "Max"]], ADDED.type)).cast(v2_schema)
    path = data_dir / "dataset" / "site_key=screenplay-notes.com" / "crawl_date=2025-11-10" / "part-c2-00000.parquet"
    pq.write_table(table, path, compression="zstd")


def test_v1_and_v2_files_read_together_with_the_new_column(tmp_path: Path) -> None:
    run_pipelines(tmp_path, fixture_records(), crawl_id="c1")
    write_v2_part(tmp_path)
    table = read_table(tmp_path)
    assert table.num_rows == 5
    assert table.schema.field("streaming_on").type == ADDED.type
    by_url = dict(zip(table.column("url").to_pylist(), table.column("streaming_on").to_pylist(), strict=True))
    assert by_url["https://screenplay-notes.com/weapons-ending-explained/"] == ["Netflix", "Max"]
    assert by_url["https://screenplay-notes.com/the-gorge-ending-explained/"] is None  # v1 row: null
    assert sorted(set(table.column("schema_version").to_pylist())) == [1, 2]


def test_the_added_column_comes_after_the_v1_columns(tmp_path: Path) -> None:
    run_pipelines(tmp_path, fixture_records(), crawl_id="c1")
    write_v2_part(tmp_path)
    names = read_table(tmp_path).schema.names
    assert names[: len(arrow_schema())] == arrow_schema().names
    assert names[len(arrow_schema()):] == ["streaming_on", "site_key", "crawl_date"]


def test_a_mixed_version_dataset_validates_and_has_a_latest_view(tmp_path: Path) -> None:
    run_pipelines(tmp_path, fixture_records(), crawl_id="c1")
    write_v2_part(tmp_path)
    assert check_dataset(tmp_path).ok
    assert latest_table(tmp_path).num_rows == 5


def test_a_v2_file_alone_still_reads_with_every_v1_column(tmp_path: Path) -> None:
    (tmp_path / "dataset" / "site_key=screenplay-notes.com" / "crawl_date=2025-11-10").mkdir(parents=True)
    write_v2_part(tmp_path)
    table = read_table(tmp_path, columns=["url", "year", "streaming_on"])
    assert table.to_pylist()[0]["streaming_on"] == ["Netflix", "Max"]
