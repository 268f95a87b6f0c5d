"""One dataset, four readers: pyarrow.dataset, pandas, polars and DuckDB agree on rows and types."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.read import open_dataset, read_table
from filmscrape.schema import arrow_schema
from tests.support_dataset import fixture_records, run_pipelines

RECORD_COLUMNS = arrow_schema().names


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("readers")
    run_pipelines(data, fixture_records(), crawl_id="c1")
    # A temp file under staging/ as a crawl in progress leaves it: no reader may see it.
    (data / "staging" / "segments" / "c1-00009").mkdir(parents=True)
    (data / "staging" / "segments" / "c1-00009" / ".part-c1-00009.parquet.tmp").write_bytes(b"PAR1 half")
    return data / "dataset"


def test_our_reader_returns_every_row_with_the_record_schema(dataset: Path) -> None:
    table = read_table(dataset)
    assert table.num_rows == 4
    assert table.schema.names == [*RECORD_COLUMNS, "site_key", "crawl_date"]
    for name in RECORD_COLUMNS:
        assert table.schema.field(name).type == arrow_schema().field(name).type


def test_plain_pyarrow_dataset_with_hive_partitioning(dataset: Path) -> None:
    table = ds.dataset(dataset, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 4
    assert table.schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("site").type == pa.string()  # the record's column, not a partition key


def test_pandas(dataset: Path) -> None:
    frame = pd.read_parquet(dataset)
    assert len(frame) == 4
    assert str(frame["fetched_at"].dtype) == "datetime64[us, UTC]"
    row = frame.set_index("url").loc["https://www.echo-reviews.net/reviews/ballerina-2025/"]
    assert list(row["directors"]) == ["Len Wiseman"]
    assert row["score"] == {"value": 66.0, "scale": 100.0, "source": "Echo Score"}
    assert dict(row["provenance"])["runtime_minutes"] == "label:Runtime"
    assert set(frame["site"]) == {"echo-reviews.net", "screenplay-notes.com", "filmdb.example"}


def test_polars(dataset: Path) -> None:
    frame = pl.read_parquet(dataset / "**" / "*.parquet", hive_partitioning=True)
    assert frame.height == 4
    assert frame.schema["fetched_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["directors"] == pl.List(pl.String)
    assert isinstance(frame.schema["score"], pl.Struct)
    assert frame.filter(pl.col("film_title") == "Ballerina")["score"].struct.field("value").to_list() == [66.0]


def test_polars_reads_the_directory_itself(dataset: Path) -> None:
    assert pl.read_parquet(dataset).height == 4  # no temp or foreign file under dataset/ to trip on


def test_duckdb(dataset: Path) -> None:
    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_parquet('{dataset}/**/*.parquet', hive_partitioning = true)")
    types = dict(zip(rel.columns, [str(t) for t in rel.types], strict=True))
    assert con.sql(f"SELECT count(*) FROM read_parquet('{dataset}/**/*.parquet')").fetchall() == [(4,)]
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["directors"] == "VARCHAR[]"
    assert types["score"].startswith("STRUCT(")
    assert types["provenance"] == "MAP(VARCHAR, VARCHAR)"
    assert rel.columns.count("site") == 1


def test_all_four_readers_agree_on_rows_and_record_columns(dataset: Path) -> None:
    ours = read_table(dataset)
    counts = {
        "pyarrow": ds.dataset(dataset, partitioning="hive").count_rows(),
        "pandas": len(pd.read_parquet(dataset)),
        "polars": pl.scan_parquet(dataset / "**" / "*.parquet").select(pl.len()).collect().item(),
        "duckdb": duckdb.sql(f"SELECT count(*) FROM '{dataset}/**/*.parquet'").fetchall()[0][0],
    }
    assert set(counts.values()) == {ours.num_rows}, counts
    pandas_cols = set(pd.read_parquet(dataset).columns)
    polars_cols = set(pl.read_parquet(dataset / "**" / "*.parquet", hive_partitioning=True).columns)
    duck_cols = set(duckdb.sql(f"SELECT * FROM '{dataset}/**/*.parquet'").columns)
    for columns in (pandas_cols, polars_cols, duck_cols, set(ours.column_names)):
        assert set(RECORD_COLUMNS) <= columns


def test_the_dataset_reader_lists_only_visible_part_files(dataset: Path) -> None:
    files = open_dataset(dataset).files
    assert len(files) == 3 and all(f.endswith(".parquet") and "/." not in f for f in files)
    assert DatasetLayout.locate(dataset).stray_files() == []
