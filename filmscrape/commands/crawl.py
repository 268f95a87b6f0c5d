"""``filmscrape crawl``: crawl from start URLs into the Parquet dataset."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from filmscrape.runner import run_crawl

    result = run_crawl(args.urls, data_dir=args.output)
    print(f"crawl {result.crawl_id}: {result.written} written, {result.rejected} rejected, "
          f"{result.errors} errors; data in {result.data_dir}")
    return 0 if result.errors == 0 else 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("crawl", help="crawl from start URLs and write the Parquet dataset",
                       description="Crawl from the given start URLs and write the Parquet dataset.")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("-o", "--output", default="data", help="data directory (default: data)")
    p.set_defaults(func=run)
