"""``filmscrape crawl``: crawl start URLs and site profiles into the Parquet dataset, exiting with a meaningful code."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from filmscrape.crawl.outcome import EXIT_CODES_HELP, ExitCode


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    settings: dict[str, Any] = {"FILMSCRAPE_FULL_REFRESH": args.full}
    if args.depth is not None:
        settings["DEPTH_LIMIT"] = args.depth
    if args.max_pages is not None:
        settings["FILMSCRAPE_MAX_PAGES"] = args.max_pages
    if args.jobdir:
        settings["JOBDIR"] = args.jobdir
    if args.user_agent:
        settings["USER_AGENT"] = args.user_agent
    if args.state:
        settings["FILMSCRAPE_STATE_URI"] = args.state
    if args.state_backend:
        settings["FILMSCRAPE_STATE_BACKEND"] = args.state_backend
    if args.extract_workers:
        settings.update(FILMSCRAPE_EXTRACT_MODE="process", FILMSCRAPE_EXTRACT_WORKERS=args.extract_workers)
    if args.no_throttle:
        settings.update(AUTOTHROTTLE_ENABLED=False, DOWNLOAD_DELAY=0)
    if args.log_level:
        settings["LOG_LEVEL"] = args.log_level
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--set expects NAME=VALUE, got {item!r}")
        settings[key] = value
    return settings


def _check(args: argparse.Namespace) -> None:
    """Refuse what would make the crawl fail to start, before Scrapy is even imported."""
    from filmscrape.sites import load_profiles

    for url in args.urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
    registry = load_profiles()
    known = {p.name for p in registry.profiles}
    unknown = [s for s in args.sites if s not in known]
    if unknown:
        raise ValueError(f"unknown site profile(s) {', '.join(unknown)}; known: {', '.join(sorted(known)) or 'none'}")
    if not args.urls and not args.sites and not any(
            p.crawl.start_urls or p.crawl.sitemap_urls or p.crawl.feed_urls for p in registry.profiles):
        raise ValueError("nothing to crawl: give start URLs or --site, or add [crawl] start points to a profile")
    if not 0 <= args.max_error_rate <= 1:
        raise ValueError("--max-error-rate must be between 0 and 1")
    if args.extract_workers < 0:
        raise ValueError("--extract-workers must be 0 or more")


def _crawl_id(args: argparse.Namespace) -> str | None:
    """The crawl id: given, or kept in the job directory so that a resumed crawl goes on under the same id."""
    if not args.jobdir:
        return args.crawl_id  # type: ignore[no-any-return]
    marker = Path(args.jobdir) / "filmscrape_crawl_id"
    if marker.is_file():
        kept = marker.read_text(encoding="utf-8").strip()
        if args.crawl_id and args.crawl_id != kept:
            raise ValueError(f"--jobdir {args.jobdir} belongs to crawl {kept!r}, not {args.crawl_id!r}")
        return kept
    crawl_id = args.crawl_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(crawl_id + "\n", encoding="utf-8")
    return crawl_id


def run(args: argparse.Namespace) -> int:
    try:
        _check(args)
        settings = _settings(args)
        crawl_id = _crawl_id(args)
    except Exception as exc:  # any failure here means the crawl cannot start
        print(f"filmscrape crawl: {exc}", file=sys.stderr)
        return int(ExitCode.NOT_STARTED)

    from filmscrape.runner import run_crawl

    result = run_crawl(args.urls, data_dir=args.output, settings=settings, sites=args.sites, crawl_id=crawl_id)
    outcome = result.outcome(args.max_error_rate)
    unchanged = ", ".join(f"{n} {why}" for why, n in sorted(result.unchanged.items())) or "none"
    print(f"crawl {result.crawl_id}: {result.written} written, {result.rejected} rejected, {result.errors} errors; "
          f"unchanged: {unchanged}")
    print(f"data in {result.data_dir}; stats in {result.stats_path}; errors in {result.error_log}")
    print(f"exit {int(outcome.code)}: {outcome.reason}")
    return int(outcome.code)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "crawl", help="crawl start URLs and site profiles, write the Parquet dataset",
        description="Crawl from start URLs and/or site profiles (their start URLs, sitemaps and feeds),\n"
                    "politely and incrementally: pages unchanged since the last crawl (304, same content,\n"
                    "same sitemap lastmod) are not recorded again. Stats go to DATA/stats/CRAWL_ID.json,\n"
                    "fetch errors to DATA/errors/CRAWL_ID.jsonl (url, kind, detail, status).",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("urls", nargs="*", metavar="URL", help="start URLs (optional when --site or profiles give some)")
    p.add_argument("-o", "--output", default="data", help="data directory (default: data)")
    p.add_argument("--site", dest="sites", action="append", default=[], metavar="NAME",
                   help="crawl this site profile's start URLs, sitemaps and feeds (repeatable)")
    p.add_argument("--full", action="store_true", help="ignore the crawl state: refetch and re-record every page")
    p.add_argument("--depth", type=int, metavar="N", help="follow links at most N hops (0: no limit; default 5)")
    p.add_argument("--max-pages", type=int, metavar="N", help="request at most N pages (0: no limit)")
    p.add_argument("--jobdir", metavar="DIR",
                   help="persist the queue (and the crawl id) here; rerun with the same DIR to resume")
    p.add_argument("--user-agent", metavar="UA", help="User-Agent to send (default: filmscrape's descriptive one)")
    p.add_argument("--state", metavar="PATH_OR_DSN", help="crawl-state store (default: DATA/state/crawl_state.sqlite3)")
    p.add_argument("--state-backend", choices=["sqlite", "postgres"], help="crawl-state backend (default: sqlite)")
    p.add_argument("--max-error-rate", type=float, default=0.2, metavar="R",
                   help="share of failed fetches above which the exit code is 2 (default: 0.2)")
    p.add_argument("--no-throttle", action="store_true", help="turn AutoThrottle and the download delay off")
    p.add_argument("--extract-workers", type=int, default=0, metavar="N",
                   help="read pages (extract) in N worker processes (default 0: one per core but one when there are "
                        "several, else in the crawl's thread)")
    p.add_argument("--crawl-id", metavar="ID", help="crawl id (default: the UTC start time)")
    p.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="Scrapy log level")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="set any Scrapy setting")
    p.set_defaults(func=run)
