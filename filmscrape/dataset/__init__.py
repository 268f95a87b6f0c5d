"""The Parquet dataset on disk: layout, durable writes, reading across versions, latest view, compaction, checks."""

from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.read import open_dataset, read_table

__all__ = ["DatasetLayout", "open_dataset", "read_table"]
