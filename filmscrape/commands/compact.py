"""``filmscrape compact``: merge small part files of each partition, checking the rows stay the same."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from filmscrape.dataset.compact import compact
    from filmscrape.errors import DatasetError

    try:
        merges = compact(args.dir, small_file_bytes=int(args.small_mb * 1024 * 1024))
    except DatasetError as exc:
        print(f"filmscrape compact: {exc}", file=sys.stderr)
        return 1
    for merge in merges:
        print(f"{merge.partition}: {len(merge.inputs)} files -> {merge.output} "
              f"({merge.rows} rows, checksum {merge.checksum[:16]}, verified)")
    print(f"{len(merges)} merges, {sum(len(m.inputs) for m in merges)} files merged")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "compact",
        help="merge small part files of each partition into larger ones",
        description="Merge the small part files of each partition (per crawl and schema version) into one. "
        "Each merged file is read back and must hold the same row count, rows and row checksum as its "
        "inputs before it replaces them; a killed compaction is finished or undone by the next run.",
    )
    p.add_argument("dir", metavar="DIR", help="data directory (holding dataset/) or the dataset directory")
    p.add_argument("--small-mb", type=float, default=64.0,
                   help="files smaller than this many MiB are merged (default: 64)")
    p.set_defaults(func=run)
