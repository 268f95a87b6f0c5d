"""Opens the dataset as one pyarrow Dataset whose schema unifies every file's schema version."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from filmscrape.dataset.layout import PARTITION_KEYS, DatasetLayout
from filmscrape.errors import DatasetError
from filmscrape.schema import arrow_schema

PARTITION_SCHEMA = pa.schema([pa.field(name, pa.string()) for name in PARTITION_KEYS])


def partitioning() -> ds.Partitioning:
    """The Hive partitioning of the dataset, with explicit string keys (no type or dictionary guessing)."""
    return ds.partitioning(PARTITION_SCHEMA, flavor="hive")


def file_schema(path: Path) -> pa.Schema:
    """The Arrow schema stored in one part file's footer; DatasetError when the file is not readable Parquet."""
    try:
        return pq.read_schema(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise DatasetError(f"unreadable Parquet file {path}: {exc}") from exc


def unified_schema(schemas: Sequence[pa.Schema]) -> pa.Schema:
    """The current record schema widened by every column any file adds (a newer schema version's fields).

    Columns keep the current schema's order; a file without a column reads it as null.
    """
    current = arrow_schema()
    try:
        merged = pa.unify_schemas([current.remove_metadata(), *(s.remove_metadata() for s in schemas)],
                                  promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DatasetError(f"part files have incompatible schemas: {exc}") from exc
    return merged.with_metadata(current.metadata)


def open_dataset(path: str | Path) -> ds.Dataset:
    """The dataset under ``path`` (a data directory or its ``dataset/``) as a pyarrow Dataset.

    Every visible part file is listed explicitly (staging and journal files are never part of it), and the
    dataset schema is the union of the files' schemas, so files written by older schema versions read
    together with newer ones. Partition columns ``site_key`` and ``crawl_date`` come last, as strings.
    """
    layout = DatasetLayout.locate(path)
    files = layout.part_files()
    schema = unified_schema([file_schema(f) for f in files])
    full = pa.schema([*schema, *PARTITION_SCHEMA], metadata=schema.metadata)
    if not files:
        return ds.dataset(full.empty_table())
    return ds.dataset([str(f) for f in files], schema=full, format="parquet",
                      partitioning=partitioning(), partition_base_dir=str(layout.root))


def read_table(path: str | Path, columns: Sequence[str] | None = None, filter: Any = None) -> pa.Table:
    """Read the dataset (or some columns of it, optionally filtered) into one Arrow table."""
    dataset = open_dataset(path)
    try:
        return dataset.to_table(columns=list(columns) if columns is not None else None, filter=filter)
    except (OSError, pa.ArrowInvalid) as exc:
        raise DatasetError(f"cannot read dataset {path}: {exc}") from exc
