"""``filmscrape demo``: serve the bundled demo site on 127.0.0.1, crawl it with the real spider, show the result."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

# The demo server is local and ours: no need to be polite to it.
DEMO_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "LOG_LEVEL": "WARNING",
}
TABLE_ROWS = 25


def read_back(dataset_dir: Path, crawl_id: str) -> tuple[list[Path], list[dict[str, Any]], int]:
    """The Parquet files holding ``crawl_id``'s records, those records, and the dataset's total row count,
    read with plain pyarrow.dataset (no filmscrape code), as any reader would."""
    import pyarrow.dataset as ds

    if not dataset_dir.is_dir():
        return [], [], 0
    dataset = ds.dataset(dataset_dir, format="parquet", partitioning=None)
    this_crawl = ds.field("crawl_id") == crawl_id
    files: list[Path] = []
    rows: list[dict[str, Any]] = []
    for fragment in dataset.get_fragments():
        table = fragment.to_table(filter=this_crawl)
        if table.num_rows:
            files.append(Path(fragment.path))
            rows.extend(table.to_pylist())
    return sorted(files), rows, dataset.count_rows()


def run(args: argparse.Namespace) -> int:
    from filmscrape.demo.server import DemoServer
    from filmscrape.demo.summary import summary_text
    from filmscrape.runner import run_crawl

    settings = dict(DEMO_SETTINGS)
    if args.verbose:
        settings["LOG_LEVEL"] = "INFO"
    out = Path(args.output).resolve()
    with DemoServer() as server:
        print(f"demo site served at {server.url('/')}; crawling it into {out} ...", flush=True)
        result = run_crawl([server.url("/")], data_dir=out, settings=settings)
    dataset_dir = out / "dataset"
    files, rows, total = read_back(dataset_dir, result.crawl_id)
    rows.sort(key=lambda r: str(r.get("url")))
    print(summary_text(
        written=result.written, rejected=result.rejected, errors=result.errors, stats=result.stats,
        dataset_dir=dataset_dir, files=files, rejected_dir=out / "rejected",
        error_log=out / "errors" / f"{result.crawl_id}.jsonl", rows=rows[: args.rows], crawl_rows=len(rows),
        dataset_rows=total,
    ))
    if not rows:
        print("nothing was written: the demo crawl failed (run with --verbose to see why)")
        return 1
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="crawl the bundled demo site on 127.0.0.1 and write the Parquet dataset",
        description="Serve the demo site bundled with filmscrape on 127.0.0.1 (a free port), crawl it with the "
        "real spider through Scrapy, write the Parquet dataset and print a summary read back from it. "
        "Exits 1 when nothing was written.",
    )
    p.add_argument("-o", "--output", default="data", metavar="DIR", help="data directory (default: data)")
    p.add_argument("--rows", type=int, default=TABLE_ROWS, metavar="N",
                   help=f"records to show in the table (default: {TABLE_ROWS})")
    p.add_argument("-v", "--verbose", action="store_true", help="log the crawl at INFO level")
    p.set_defaults(func=run)
