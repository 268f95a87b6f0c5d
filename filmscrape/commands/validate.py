"""``filmscrape validate``: re-check a dataset and exit non-zero with a report when anything is wrong."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from filmscrape.dataset.check import check_dataset

    report = check_dataset(args.dir)
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="re-check a dataset: schema, duplicates, unreadable and leftover files",
        description="Read every part file and check it against the record schema and its footer metadata; "
        "report duplicate (url, content_sha256) versions, unreadable files, temporary files under dataset/, "
        "unreplayed journals and interrupted compactions. Exits 1 when anything is wrong.",
    )
    p.add_argument("dir", metavar="DIR", help="data directory (holding dataset/) or the dataset directory")
    p.set_defaults(func=run)
