"""``filmscrape extract``: run the extractor on saved HTML files and print JSONL."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from filmscrape.errors import FilmscrapeError
from filmscrape.record import to_json_dict

HTML_SUFFIXES = (".html", ".htm")


def html_files(paths: Sequence[str]) -> Iterator[Path]:
    """Files named on the command line, and every .html/.htm under named directories (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
        else:
            yield path


def extract_file(path: Path, url: str | None) -> dict[str, Any]:
    """One output line: the record plus ``source``, or ``source`` plus ``error`` when the file is bad."""
    from filmscrape.extract import extract

    try:
        raw = path.read_bytes()
        record = extract(raw, url or path.resolve().as_uri())
    except (OSError, FilmscrapeError) as exc:
        return {"source": str(path), "error": str(exc), "error_kind": type(exc).__name__}
    return {**to_json_dict(record), "source": str(path)}


def run(args: argparse.Namespace) -> int:
    failures = 0
    for path in html_files(args.paths):
        line = extract_file(path, args.url)
        failures += "error" in line
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failures and args.strict else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "extract",
        help="extract records from saved HTML files (JSONL on stdout)",
        description="Run the extractor on saved HTML files and print one JSON record per line, each with a "
        '"source" key. A file that cannot be read gets an "error" line instead; the run goes on.',
    )
    p.add_argument("paths", nargs="+", metavar="PATH_OR_DIR", help="HTML files, or directories of .html/.htm")
    p.add_argument("--url", help="URL to extract as (default: the page's canonical/og:url, else file://PATH)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file failed")
    p.set_defaults(func=run)
