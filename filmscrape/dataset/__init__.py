"""The Parquet dataset on disk: layout, durable writes, reading across versions, latest view, compaction, checks."""

from filmscrape.dataset.check import CheckReport, check_dataset
from filmscrape.dataset.compact import compact
from filmscrape.dataset.latest import latest_table, write_latest
from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.read import open_dataset, read_table

__all__ = ["CheckReport", "DatasetLayout", "check_dataset", "compact", "latest_table", "open_dataset", "read_table",
           "write_latest"]
