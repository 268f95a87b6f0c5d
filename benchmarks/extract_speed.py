"""Extraction speed over the real pages: lxml parse alone vs our full extract() vs trafilatura, in one run.

Per page, interleaved (so machine noise hits all three alike): (a) ``lxml.html`` parse of the page bytes,
(b) ``filmscrape.extract.extract`` (sections and body text included), (c) trafilatura ``bare_extraction`` with
metadata. Before each extract() call the extractor's memo caches are emptied (``clear_memos``): a page counts
as a crawl meets the first page of a new site, never helped by having been read in an earlier round. Prints
median and p90 ms/page for each, the ratios of medians b/a and b/c, the real time spent in
each extraction layer (timers around the layer calls), a cProfile summary of where our time goes (by module
and by function; the profiler inflates code with many small calls), and, last, one JSON line.

Usage: python benchmarks/extract_speed.py [--rounds N] [--pages DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import lxml.html

from filmscrape.extract import extract
from filmscrape.extract.memo import clear_memos

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = REPO.parent / "shared" / "realpages" / "pages"
URL = "https://films.example/page/"


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def _time(fn, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        fn(*args, **kwargs)
    except Exception as exc:
        print(f"  ! {getattr(fn, '__name__', fn)} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return time.perf_counter() - start


def measure(pages: list[tuple[str, bytes]], rounds: int) -> dict[str, list[float]]:
    """Per-page minimum over ``rounds`` of each method (min is the least noisy estimate of cost)."""
    from trafilatura import bare_extraction

    best: dict[str, dict[str, float]] = {"lxml": {}, "extract": {}, "trafilatura": {}}
    for _ in range(rounds):
        for name, data in pages:
            parse = _time(lxml.html.document_fromstring, data)
            clear_memos()
            ours = _time(extract, data, URL)
            theirs = _time(bare_extraction, data, url=URL, with_metadata=True)
            for method, seconds in (("lxml", parse), ("extract", ours), ("trafilatura", theirs)):
                best[method][name] = min(best[method].get(name, float("inf")), _ms(seconds))
    return {method: list(by_page.values()) for method, by_page in best.items()}


# Layer entry points as extractor.py calls them (module globals there, or functions of the heuristics module);
# each is wrapped with a timer for one pass, so the table shows real time, without a profiler's distortion.
_LAYER_NAMES = ("parse_document", "canonical_url", "page_lines", "structured_candidates", "find_headline",
                "find_facts", "date_candidates", "labelled_candidates", "profile_candidates", "split_sections",
                "page_kind", "_page_film", "_title_texts")


def layer_times(pages: list[tuple[str, bytes]], rounds: int) -> dict[str, float]:
    """Median over pages (of the per-page minimum over ``rounds``) of the real ms spent in each layer."""
    import types

    from filmscrape.extract import extractor, heuristics

    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return wrapper

    patched: list[tuple[object, str, object]] = []
    for name in _LAYER_NAMES:
        if hasattr(extractor, name):
            patched.append((extractor, name, getattr(extractor, name)))
    for name, fn in vars(heuristics).items():
        if isinstance(fn, types.FunctionType) and not name.startswith("_") and fn.__module__ == heuristics.__name__:
            patched.append((heuristics, name, fn))
    best: dict[str, dict[str, float]] = defaultdict(dict)
    try:
        for owner, name, fn in patched:
            label = f"heuristics.{name}" if owner is heuristics else name
            setattr(owner, name, timed(label, fn))
        for _ in range(rounds):
            for page, data in pages:
                spent.clear()
                clear_memos()
                start = time.perf_counter()
                extract(data, URL)
                spent["(total)"] = time.perf_counter() - start
                spent["(rest of extract)"] = spent["(total)"] - sum(
                    v for k, v in spent.items() if not k.startswith("(") and not k.startswith("heuristics."))
                for name, seconds in spent.items():
                    best[name][page] = min(best[name].get(page, float("inf")), _ms(seconds))
    finally:
        for owner, name, fn in patched:
            setattr(owner, name, fn)
    # a layer a page never reached counts as 0 ms there
    return {name: statistics.median([by_page.get(page, 0.0) for page, _ in pages]) for name, by_page in best.items()}


def profile(pages: list[tuple[str, bytes]], top: int = 12) -> None:
    """Where extract() spends its time: cumulative ms per page by module of ours, then the top functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _, data in pages:
        clear_memos()
        extract(data, URL)
    profiler.disable()
    stats = pstats.Stats(profiler)
    n = len(pages)
    by_module: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, line, func), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = filename.replace("\\", "/")
        if "/filmscrape/" in path:
            module = "filmscrape." + path.split("/filmscrape/", 1)[1].removesuffix(".py").replace("/", ".")
            by_module[module] += tottime
            rows.append((cumtime, f"{module}:{func}:{line}"))
        elif "lxml" in path or filename == "~":
            by_module["(lxml and builtins)"] += tottime
        else:
            top_package = path.split("site-packages/", 1)[-1].split("/", 1)[0] if "site-packages" in path else "stdlib"
            by_module[f"({top_package})"] += tottime
    print("\nSelf time by module (ms/page, profiled run):")
    for module, seconds in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {_ms(seconds) / n:8.3f}  {module}")
    print("\nOur functions by cumulative time (ms/page, profiled run):")
    for cumtime, where in sorted(rows, reverse=True)[:top]:
        print(f"  {_ms(cumtime) / n:8.3f}  {where}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds per page (the minimum is kept)")
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="directory of saved .html pages")
    args = parser.parse_args(argv)
    files = sorted(args.pages.glob("*.html")) if args.pages.is_dir() else []
    if not files:
        print(f"SKIP: no real pages at {args.pages} (the shared set lives in ../shared/realpages beside the repo)")
        print(json.dumps({"extract_over_lxml": None, "extract_over_trafilatura": None,
                          "extract_ms_median": None, "pages": 0}))
        return 0
    pages = [(f.stem, f.read_bytes()) for f in files]
    for _, data in pages[:3]:  # warm caches (profiles, parsers, lazy imports) outside the timed rounds
        extract(data, URL)
    results = measure(pages, args.rounds)
    medians = {method: statistics.median(values) for method, values in results.items()}
    print(f"{len(pages)} pages, {args.rounds} rounds interleaved, min per page, ms/page:")
    print(f"  {'method':<28}{'median':>9}{'p90':>9}")
    labels = {"lxml": "(a) lxml.html parse", "extract": "(b) filmscrape extract()",
              "trafilatura": "(c) trafilatura bare_extraction"}
    for method, values in results.items():
        print(f"  {labels[method]:<28}{medians[method]:>9.2f}{_p90(values):>9.2f}")
    over_lxml = medians["extract"] / medians["lxml"]
    over_traf = medians["extract"] / medians["trafilatura"]
    print(f"  b/a = {over_lxml:.2f} (target <= 4)   b/c = {over_traf:.3f} (target <= 0.25)")
    print("\nReal time by layer (ms/page, median over pages; heuristics.* run inside extract's own code):")
    for name, ms in sorted(layer_times(pages, args.rounds).items(), key=lambda kv: -kv[1]):
        print(f"  {ms:8.3f}  {name}")
    profile(pages)
    print(json.dumps({"extract_over_lxml": round(over_lxml, 3), "extract_over_trafilatura": round(over_traf, 3),
                      "extract_ms_median": round(medians["extract"], 3), "pages": len(pages)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
