"""``filmscrape latest``: the latest version of every page, as one Parquet file or printed as JSONL."""

from __future__ import annotations

import argparse
import json
import os
import sys


def run(args: argparse.Namespace) -> int:
    from filmscrape.dataset.latest import latest_table, write_latest
    from filmscrape.errors import DatasetError
    from filmscrape.record import to_json_dict
    from filmscrape.schema import field_names

    try:
        if args.output:
            rows = write_latest(args.dir, args.output)
            print(f"{rows} latest rows written to {args.output}")
            return 0
        table = latest_table(args.dir)
    except DatasetError as exc:
        print(f"filmscrape latest: {exc}", file=sys.stderr)
        return 1
    # Records only: the Hive partition columns (site_key, crawl_date) are the dataset's, not the record's.
    table = table.select([name for name in field_names() if name in table.column_names])
    try:
        for batch in table.to_batches():
            for row in batch.to_pylist():
                row["provenance"] = dict(row["provenance"] or [])  # Arrow maps come back as (key, value) pairs
                sys.stdout.write(json.dumps(to_json_dict(row), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `filmscrape latest data | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "latest",
        help="the latest version of every page (Parquet file or JSONL)",
        description="Select, per URL, the version fetched last (greatest fetched_at) from the dataset. "
        "With -o, write it as one Parquet file (atomically); otherwise print it as JSONL.",
    )
    p.add_argument("dir", metavar="DIR", help="data directory (holding dataset/) or the dataset directory")
    p.add_argument("-o", "--output", metavar="OUT", help="write the view to this Parquet file")
    p.set_defaults(func=run)
