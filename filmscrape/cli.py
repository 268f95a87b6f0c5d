"""The ``filmscrape`` command line; each subcommand lives in ``filmscrape/commands/``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from filmscrape.version import __version__

# Subcommand modules, in the order ``--help`` lists them. Each exposes ``register(subparsers)``.
COMMANDS = ["extract", "demo", "crawl", "latest", "compact", "validate"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="filmscrape",
        description="Crawl film-article pages, extract traceable records, write validated Parquet.",
    )
    parser.add_argument("--version", action="version", version=f"filmscrape {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"filmscrape.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"filmscrape.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
