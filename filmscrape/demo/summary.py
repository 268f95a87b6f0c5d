"""Formats what a demo crawl did: counts, where the data went, and a table of the first records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

# (column heading, record field, width) of the records table
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("title", "title", 32),
    ("film_title", "film_title", 20),
    ("year", "year", 4),
    ("runtime", "runtime_minutes", 7),
    ("directors", "directors", 18),
    ("score", "score", 7),
    ("page_kind", "page_kind", 16),
    ("updated_at", "updated_at", 16),
)


def cell(value: Any) -> str:
    """One value as table text: lists joined, scores as value/scale, timestamps to the minute, None as '-'."""
    if value is None or value == []:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Mapping) and "value" in value and "scale" in value:
        return f"{_number(value['value'])}/{_number(value['scale'])}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def records_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """A fixed-width text table of ``rows`` over COLUMNS."""
    header = "  ".join(name.ljust(width) for name, _, width in COLUMNS)
    rule = "  ".join("-" * width for _, _, width in COLUMNS)
    lines = [header.rstrip(), rule]
    for row in rows:
        lines.append("  ".join(_clip(cell(row.get(field)), width).ljust(width)
                               for _, field, width in COLUMNS).rstrip())
    return "\n".join(lines)


def error_kinds(stats: Mapping[str, Any], prefix: str = "filmscrape/errors/") -> dict[str, int]:
    """Error counts by kind from crawl stats (``filmscrape/errors/<kind>``)."""
    return {key[len(prefix):]: int(value) for key, value in sorted(stats.items()) if key.startswith(prefix)}


def summary_text(*, written: int, rejected: int, errors: int, stats: Mapping[str, Any], dataset_dir: Path,
                 files: Sequence[Path], rejected_dir: Path, error_log: Path,
                 rows: Sequence[Mapping[str, Any]], crawl_rows: int, dataset_rows: int) -> str:
    """The demo's report: what the crawl did, where the files are, and the first records as read back."""
    kinds = ", ".join(f"{kind} {count}" for kind, count in error_kinds(stats).items())
    lines = [
        f"records written: {written}   rejected: {rejected}   errors: {errors}" + (f" ({kinds})" if kinds else ""),
        f"pages fetched: {int(stats.get('response_received_count', 0))}   "
        f"blocked by robots.txt: {int(stats.get('robotstxt/forbidden', 0))}   "
        f"HTTP 404: {int(stats.get('downloader/response_status_count/404', 0))}",
        f"dataset: {dataset_dir}  ({len(files)} Parquet file{'s' if len(files) != 1 else ''} from this crawl; "
        f"{dataset_rows} records in all)",
    ]
    lines += [f"  {path}" for path in files]
    if rejected:
        lines.append(f"rejected records, with the reasons: {rejected_dir}")
    if errors and error_log.is_file():
        lines.append(f"errors, one JSON line each: {error_log}")
    lines += ["", f"first {len(rows)} of this crawl's {crawl_rows} records, read back from the Parquet files:", "",
              records_table(rows)]
    data_dir = _shown(dataset_dir.parent)
    lines += ["", f"next: filmscrape validate {data_dir}   ·   filmscrape latest {data_dir} -o latest.parquet",
              "      pandas, polars and DuckDB read it: see README.md, 'Reading the output'"]
    return "\n".join(lines)


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it lies under it, as a user would type it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
