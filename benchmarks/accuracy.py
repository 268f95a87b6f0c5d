"""Accuracy of filmscrape's extractor on the shared hand-labelled real pages, beside trafilatura and htmldate.

Reads ../shared/realpages in place (never copies it), extracts every page as ``filmscrape extract`` does,
scores the predictions with the rules in ../shared/realpages/score.py (imported from there by path), and
prints the share correct per field for filmscrape, and for trafilatura (title, dates) and htmldate (dates)
on the fields they also extract. The last line is one JSON object:
``{"fields": {...}, "min_field": ..., "pages": ..., "trafilatura": {...}, "htmldate": {...}}`` where
``min_field`` is the lowest share of any field (``min_field_name`` says which field).

Usage: python benchmarks/accuracy.py [--realpages DIR] [--per-page]
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import logging
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REALPAGES = REPO.parent / "shared" / "realpages"
FIELDS = ["title", "film_title", "year", "runtime_minutes", "directors", "score",
          "published", "updated", "has_spoilers", "spoiler_headings"]
TRAFILATURA_FIELDS = ["title", "published"]
HTMLDATE_FIELDS = ["published", "updated"]

Prediction = dict[str, Any]


def load_scorer(realpages: Path) -> ModuleType:
    """The shared set's own score.py, imported from where it lives."""
    spec = importlib.util.spec_from_file_location("realpages_score", realpages / "score.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {realpages / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def filmscrape_prediction(path: Path) -> Prediction:
    """A record from ``filmscrape extract``'s code path, mapped to the scorer's keys."""
    from filmscrape.commands.extract import extract_file

    record = extract_file(path, None)
    if "error" in record:
        return {"error": record["error"]}
    sections = record.get("sections") or []
    return {
        "title": record.get("title"),
        "film_title": record.get("film_title"),
        "year": record.get("year"),
        "runtime_minutes": record.get("runtime_minutes"),
        "directors": record.get("directors") or [],
        "score": record.get("score"),
        "published": record.get("published_at"),
        "updated": record.get("updated_at"),
        "has_spoilers": record.get("has_spoilers"),
        "spoiler_headings": [s["heading"] for s in sections if s.get("is_spoiler") and s.get("heading")],
    }


def trafilatura_prediction(path: Path) -> Prediction:
    """trafilatura's title and date (bare_extraction with metadata)."""
    import trafilatura

    doc = trafilatura.bare_extraction(path.read_bytes(), with_metadata=True)
    if doc is None:
        return {}
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return {"title": data.get("title"), "published": data.get("date")}


HTMLDATE_CONFIGS = {"default": {}, "no-extensive-search": {"extensive_search": False}}


def htmldate_prediction(path: Path, config: str = "default") -> Prediction:
    """htmldate's original (published) and latest (updated) dates, with one of HTMLDATE_CONFIGS."""
    from htmldate import find_date

    html = path.read_bytes()
    options: dict[str, Any] = HTMLDATE_CONFIGS[config]
    return {
        "published": find_date(html, original_date=True, **options),
        "updated": find_date(html, original_date=False, **options),
    }


def score(scorer: ModuleType, entries: list[dict[str, Any]], predictions: dict[str, Prediction],
          fields: list[str]) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Share correct per field (over the pages where the field is scored) and the wrong fields per page."""
    correct = dict.fromkeys(fields, 0)
    scored = dict.fromkeys(fields, 0)
    wrong: dict[str, list[str]] = {}
    for entry in entries:
        prediction = predictions.get(entry["id"], {})
        skip = set(entry.get("skip_fields") or [])
        for field in fields:
            if field in skip:
                continue
            scored[field] += 1
            ok = bool(scorer.MATCHERS[field](prediction.get(field), scorer.truths_for(entry, field)))
            correct[field] += ok
            if not ok:
                wrong.setdefault(entry["id"], []).append(field)
    shares = {f: round(correct[f] / scored[f], 4) for f in fields if scored[f]}
    return shares, wrong


def run_tool(tool: Callable[[Path], Prediction], entries: list[dict[str, Any]], pages: Path, *,
             competitor: bool = True) -> dict[str, Prediction]:
    out: dict[str, Prediction] = {}
    for entry in entries:
        if not competitor:  # our own extractor must never raise: let it crash the benchmark loudly
            out[entry["id"]] = tool(pages / f"{entry['id']}.html")
            continue
        try:
            out[entry["id"]] = tool(pages / f"{entry['id']}.html")
        except Exception as exc:  # a competitor failing on a page is a miss, not a crash of the benchmark
            out[entry["id"]] = {"error": repr(exc)}
    return out


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realpages", type=Path, default=DEFAULT_REALPAGES, help="the shared real-page set")
    parser.add_argument("--per-page", action="store_true", help="list each page's wrong fields, predicted vs truth")
    parser.add_argument("--no-competitors", action="store_true", help="skip trafilatura and htmldate (faster)")
    args = parser.parse_args(argv)

    manifest = args.realpages / "manifest.json"
    if not manifest.is_file():
        print(f"skipped: real-page set not found at {args.realpages} (expected manifest.json there)")
        print(json.dumps({"skipped": f"no real-page set at {args.realpages}"}))
        return 0
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    scorer = load_scorer(args.realpages)
    pages = args.realpages / "pages"
    entries = [e for e in json.loads(manifest.read_text(encoding="utf-8"))["entries"]
               if (pages / f"{e['id']}.html").is_file()]

    ours = run_tool(filmscrape_prediction, entries, pages, competitor=False)
    shares, wrong = score(scorer, entries, ours, FIELDS)
    tra_shares: dict[str, float] = {}
    hd_shares: dict[str, float] = {}
    if not args.no_competitors:
        tra_shares, _ = score(scorer, entries, run_tool(trafilatura_prediction, entries, pages), TRAFILATURA_FIELDS)
        # htmldate is scored with its default and with extensive_search off; it gets its better share per field.
        for config in HTMLDATE_CONFIGS:
            tool = functools.partial(htmldate_prediction, config=config)
            config_shares, _ = score(scorer, entries, run_tool(tool, entries, pages), HTMLDATE_FIELDS)
            for field, share in config_shares.items():
                hd_shares[field] = max(share, hd_shares.get(field, 0.0))

    if args.per_page:
        by_id = {e["id"]: e for e in entries}
        for page_id, fields in wrong.items():
            print(f"{page_id}:")
            for field in fields:
                truths = scorer.truths_for(by_id[page_id], field)
                print(f"    {field:<17} got {_show(ours[page_id].get(field))}   want {_show(truths[0])}"
                      + (f"  (or {_show(truths[1:])})" if len(truths) > 1 else ""))
        print()

    print(f"pages: {len(entries)}")
    print(f"{'field':<18}{'filmscrape':>11}{'trafilatura':>13}{'htmldate':>10}")
    for field in FIELDS:
        tra = f"{tra_shares[field]:.3f}" if field in tra_shares else "-"
        hd = f"{hd_shares[field]:.3f}" if field in hd_shares else "-"
        print(f"{field:<18}{shares.get(field, float('nan')):>11.3f}{tra:>13}{hd:>10}")
    summary = {
        "fields": shares,
        "min_field": min(shares.values()) if shares else None,  # the lowest per-field share
        "min_field_name": min(shares, key=lambda f: shares[f]) if shares else None,
        "pages": len(entries),
        "trafilatura": tra_shares,
        "htmldate": hd_shares,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
