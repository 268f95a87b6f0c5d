"""``filmscrape validate``: a clean dataset passes; each kind of damage is reported and exits 1."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from filmscrape.cli import main
from filmscrape.dataset.check import check_dataset
from filmscrape.dataset.layout import DatasetLayout
from tests.support_dataset import fixture_records, run_pipelines


@pytest.fixture
def data(tmp_path: Path) -> Path:
    run_pipelines(tmp_path, fixture_records(), crawl_id="c1")
    return tmp_path


def kinds(data: Path) -> list[str]:
    return [p.kind for p in check_dataset(data).problems]


def test_a_clean_dataset_passes(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(data)]) == 0
    assert "3 part files, 4 rows, OK" in capsys.readouterr().out


def test_duplicate_versions_are_reported(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    part = DatasetLayout(data).part_files()[0]
    pq.write_table(pq.read_table(part, partitioning=None), part.with_name("part-c9-00000.parquet"))
    assert main(["validate", str(data)]) == 1
    out = capsys.readouterr().out
    assert "[duplicate] https://www.echo-reviews.net/reviews/ballerina-2025/: 2 rows" in out


def test_an_unreadable_part_file_is_reported(data: Path) -> None:
    part = DatasetLayout(data).part_files()[0]
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    assert kinds(data) == ["unreadable"]


def test_a_leftover_temp_file_under_dataset_is_reported(data: Path) -> None:
    part = DatasetLayout(data).part_files()[0]
    (part.parent / ".part-c1-00001.parquet.tmp").write_bytes(b"PAR1")
    assert kinds(data) == ["leftover_temp"]


def test_a_file_with_a_wrong_column_type_is_reported(data: Path) -> None:
    part = DatasetLayout(data).part_files()[0]
    table = pq.read_table(part, partitioning=None)
    bad = table.set_column(table.schema.get_field_index("year"), "year", table.column("year").cast("string"))
    pq.write_table(bad, part)
    assert kinds(data) == ["schema"]


def test_a_part_file_without_footer_metadata_is_reported(data: Path) -> None:
    part = DatasetLayout(data).part_files()[0]
    pq.write_table(pq.read_table(part, partitioning=None).replace_schema_metadata({}), part)
    assert kinds(data) == ["metadata", "metadata"]


def test_an_unreplayed_journal_is_reported(data: Path) -> None:
    layout = DatasetLayout(data)
    layout.segment_path("c1", 5).write_bytes(b"")
    assert kinds(data) == ["pending_journal"]


def test_a_missing_dataset_is_reported(tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 1


def test_the_journal_of_a_running_crawl_is_not_a_problem(data: Path) -> None:
    from filmscrape.pipelines.parquet import ParquetPipeline

    running = ParquetPipeline(data, crawl_id="c2")
    running.open_spider()
    running.process_item({**fixture_records()[0], "crawl_id": "c2", "content_sha256": "c" * 64})
    assert check_dataset(data).ok
    running.close_spider()
