"""The ``filmscrape`` command line: extract, demo, crawl (and the dataset commands)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from filmscrape.errors import FilmscrapeError
from filmscrape.record import to_json_dict
from filmscrape.version import __version__

HTML_SUFFIXES = (".html", ".htm")


def _html_files(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
        else:
            yield path


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON record per file; a bad file gets an "error" line instead, and the run goes on."""
    from filmscrape.extract import extract

    failures = 0
    for path in _html_files(args.paths):
        line: dict[str, object]
        try:
            raw = path.read_bytes()
            url = args.url or path.resolve().as_uri()
            record = extract(raw, url)
            line = {**to_json_dict(record), "source": str(path)}
        except (OSError, FilmscrapeError) as exc:
            failures += 1
            line = {"source": str(path), "error": str(exc), "error_kind": type(exc).__name__}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 1 if failures and args.strict else 0


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl from the given start URLs into the output directory."""
    from filmscrape.runner import run_crawl

    result = run_crawl(args.urls, data_dir=args.output)
    print(f"crawl {result.crawl_id}: {result.written} written, {result.rejected} rejected, "
          f"{result.errors} errors; data in {result.data_dir}")
    return 0 if result.errors == 0 else 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="filmscrape", description=__doc__)
    parser.add_argument("--version", action="version", version=f"filmscrape {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract records from saved HTML files (JSONL on stdout)")
    p.add_argument("paths", nargs="+", metavar="PATH_OR_DIR", help="HTML files, or directories of .html/.htm")
    p.add_argument("--url", help="URL to extract as (default: the page's canonical/og:url, else file://PATH)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file failed")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("crawl", help="crawl from start URLs and write the Parquet dataset")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("-o", "--output", default="data", help="data directory (default: data)")
    p.set_defaults(func=cmd_crawl)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
