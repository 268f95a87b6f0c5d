"""Should htmldate be a page-date layer? Scores, on the shared real pages, our date layers alone, htmldate alone,
and ours with htmldate as a last-resort fallback, plus the per-page time of each.

Reads ../shared/realpages in place. The last line is one JSON object:
``{"ours": {...}, "htmldate": {...}, "ours_then_htmldate": {...}, "ms_median": {...}, "pages": ..}``.

Usage: python benchmarks/dates_vs_htmldate.py [--realpages DIR] [--per-page]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from filmscrape.extract.candidates import Context, best
from filmscrape.extract.dates import date_candidates
from filmscrape.extract.document import parse_document

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REALPAGES = REPO.parent / "shared" / "realpages"
FIELDS = ("published", "updated")


def _day(value: Any) -> str | None:
    return value.date().isoformat() if value is not None else None


def ours(html: bytes, url: str) -> dict[str, str | None]:
    doc = parse_document(html, url)
    winners = best(date_candidates(Context(doc=doc, url=url, fetched_at=None, profile=None)))
    return {
        "published": _day(winners["published_at"].value) if "published_at" in winners else None,
        "updated": _day(winners["updated_at"].value) if "updated_at" in winners else None,
    }


def htmldate(html: bytes, url: str) -> dict[str, str | None]:
    from htmldate import find_date

    return {
        "published": find_date(html, url=url, original_date=True),
        "updated": find_date(html, url=url, original_date=False),
    }


def correct(entry: dict[str, Any], field: str, value: str | None) -> bool:
    truth = entry["truth"].get(field)
    return value == truth or value in entry.get("alts", {}).get(field, [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realpages", type=Path, default=DEFAULT_REALPAGES)
    parser.add_argument("--per-page", action="store_true")
    args = parser.parse_args(argv)
    manifest = args.realpages / "manifest.json"
    if not manifest.is_file():
        print(f"real-page set not found at {args.realpages}; nothing to measure", file=sys.stderr)
        return 0
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    systems = {"ours": ours, "htmldate": htmldate}
    times: dict[str, list[float]] = {name: [] for name in systems}
    hits: dict[str, dict[str, list[bool]]] = {
        name: {f: [] for f in FIELDS} for name in (*systems, "ours_then_htmldate")
    }
    for entry in entries:
        path = args.realpages / "pages" / f"{entry['id']}.html"
        if not path.is_file():
            continue
        html = path.read_bytes()
        url = entry["url"] or path.as_uri()
        predictions: dict[str, dict[str, str | None]] = {}
        for name, system in systems.items():
            start = time.perf_counter()
            predictions[name] = system(html, url)
            times[name].append((time.perf_counter() - start) * 1000)
        predictions["ours_then_htmldate"] = {
            f: predictions["ours"][f] or predictions["htmldate"][f] for f in FIELDS
        }
        for name, prediction in predictions.items():
            for field in FIELDS:
                if field in entry.get("skip_fields", []):
                    continue
                ok = correct(entry, field, prediction[field])
                hits[name][field].append(ok)
                if args.per_page and not ok:
                    print(f"{name:20} {entry['id']:45} {field:9} got {prediction[field]} "
                          f"want {entry['truth'].get(field)}")
    shares = {name: {f: round(sum(v) / len(v), 4) for f, v in per.items() if v} for name, per in hits.items()}
    print(f"{'system':22} {'published':>9} {'updated':>9}")
    for name, share in shares.items():
        print(f"{name:22} {share['published']:9.3f} {share['updated']:9.3f}")
    medians = {name: round(statistics.median(v), 2) for name, v in times.items() if v}
    print("median ms/page: " + ", ".join(f"{k} {v}" for k, v in medians.items()))
    print(json.dumps({**shares, "ms_median": medians, "pages": len(times["ours"])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
