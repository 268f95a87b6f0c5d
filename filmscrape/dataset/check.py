"""Re-checks a dataset on disk: readable files, schema, footer metadata, duplicate versions, leftovers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from filmscrape.dataset.durable import held_by_live_process
from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.write import META_CRAWL_ID, META_SCHEMA_VERSION
from filmscrape.schema import arrow_schema

MAX_LISTED_DUPLICATES = 10


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the dataset: a kind (``unreadable``, ``schema``, ...), where, and what."""

    kind: str
    path: str
    detail: str


@dataclass
class CheckReport:
    """The outcome of :func:`check_dataset`."""

    root: Path
    files: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, path: Path | str, detail: str) -> None:
        self.problems.append(Problem(kind, str(path), detail))

    def lines(self) -> list[str]:
        """The report as text lines, a summary first."""
        head = f"{self.root}: {self.files} part files, {self.rows} rows, "
        head += "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return [head, *(f"  [{p.kind}] {p.path}: {p.detail}" for p in self.problems)]


def check_dataset(path: str | Path) -> CheckReport:
    """Check every part file and the dataset as a whole; never changes anything."""
    layout = DatasetLayout.locate(path)
    report = CheckReport(layout.root)
    if not layout.root.is_dir():
        report.add("missing", layout.root, "no dataset directory")
        return report
    for stray in layout.stray_files():
        kind = "leftover_temp" if stray.name.endswith(".tmp") or stray.name.startswith(".") else "stray_file"
        report.add(kind, stray, "file under dataset/ that is not a part file")
    _check_leftovers(layout, report)
    keys: list[pa.Table] = []
    for part in layout.part_files():
        report.files += 1
        try:
            table = pq.read_table(part, partitioning=None)
        except (OSError, pa.ArrowInvalid) as exc:
            report.add("unreadable", part, str(exc))
            continue
        report.rows += table.num_rows
        _check_schema(part, table.schema, report)
        if {"url", "content_sha256"} <= set(table.column_names):
            keys.append(table.select(["url", "content_sha256"]))
    _check_duplicates(keys, report)
    return report


def _check_leftovers(layout: DatasetLayout, report: CheckReport) -> None:
    if layout.compaction_dir.is_dir():
        for work in layout.compaction_dir.iterdir():
            if work.is_dir():
                report.add("interrupted_compaction", work, "run `filmscrape compact` to finish or undo it")
    if layout.journal_dir.is_dir():
        for segment in layout.journal_dir.glob("*.jsonl"):
            if held_by_live_process(segment):
                continue  # a running crawl's journal
            report.add("pending_journal", segment,
                       "rows of a killed crawl not yet in part files: the next crawl replays them")
        for kept in sorted((layout.journal_dir / "corrupt").glob("*.lines")):
            report.add("corrupt_journal", kept, "undecodable journal lines kept aside by recovery: inspect them")


def _check_schema(part: Path, schema: pa.Schema, report: CheckReport) -> None:
    current = arrow_schema()
    meta = schema.metadata or {}
    for key in (META_SCHEMA_VERSION, META_CRAWL_ID):
        if key not in meta:
            report.add("metadata", part, f"footer lacks {key.decode()}")
    for want in current:
        if want.name not in schema.names:
            if not want.nullable:
                report.add("schema", part, f"required column {want.name} is missing")
            continue
        have = schema.field(want.name)
        if not have.type.equals(want.type):
            report.add("schema", part, f"column {want.name} is {have.type}, expected {want.type}")
    # Columns the current schema does not know come from a newer schema version: fine when nullable.
    for extra in schema:
        if extra.name not in current.names and not extra.nullable:
            report.add("schema", part, f"unknown non-nullable column {extra.name}")


def _check_duplicates(keys: list[pa.Table], report: CheckReport) -> None:
    if not keys:
        return
    table = pa.concat_tables(keys, promote_options="permissive")
    counts = table.group_by(["url", "content_sha256"]).aggregate([([], "count_all")])
    dupes = counts.filter(pa.compute.greater(counts.column("count_all"), 1))
    for row in dupes.slice(0, MAX_LISTED_DUPLICATES).to_pylist():
        report.add("duplicate", row["url"], f"{row['count_all']} rows with content_sha256 {row['content_sha256']}")
    if dupes.num_rows > MAX_LISTED_DUPLICATES:
        report.add("duplicate", "...", f"{dupes.num_rows - MAX_LISTED_DUPLICATES} more duplicated versions")
