"""Runs the ``articles`` spider in-process with AsyncCrawlerProcess and reports what the crawl did."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.utils.project import get_project_settings

from filmscrape.crawl.outcome import Outcome, error_count, judge
from filmscrape.spiders.articles import ArticlesSpider


@dataclass
class CrawlResult:
    """The outcome of one crawl: its id, stats and where the data went."""

    crawl_id: str
    data_dir: Path
    stats: dict[str, Any] = field(default_factory=dict)
    stats_path: Path | None = None

    @property
    def written(self) -> int:
        return int(self.stats.get("filmscrape/parquet/rows", 0))

    @property
    def rejected(self) -> int:
        return int(self.stats.get("filmscrape/rejected", 0))

    @property
    def errors(self) -> int:
        return error_count(self.stats)

    @property
    def unchanged(self) -> dict[str, int]:
        """Pages not re-recorded because they did not change, by reason (``304``, ``same_hash``, ...)."""
        prefix = "filmscrape/unchanged/"
        return {k[len(prefix):]: int(v) for k, v in self.stats.items() if k.startswith(prefix)}

    @property
    def error_log(self) -> Path:
        return self.data_dir / "errors" / f"{self.crawl_id}.jsonl"

    def outcome(self, max_error_rate: float = 0.2) -> Outcome:
        return judge(self.stats, max_error_rate)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value if isinstance(value, int | float | str | bool | None) else str(value)


def write_stats(stats: Mapping[str, Any], path: Path) -> None:
    """Write the crawl's stats as one JSON object (temp file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({k: _jsonable(v) for k, v in sorted(stats.items())}, indent=1) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)


def run_crawl(start_urls: Sequence[str], *, data_dir: str | Path = "data", crawl_id: str | None = None,
              settings: Mapping[str, Any] | None = None, sites: Sequence[str] = (),
              spider_cls: type[ArticlesSpider] = ArticlesSpider) -> CrawlResult:
    """Crawl from ``start_urls`` (and the named site profiles) into ``data_dir``; block until the crawl ends.

    The stats are also written to ``<data_dir>/stats/<crawl_id>.json``. A process can run one crawl only
    (Twisted's reactor does not restart): run further crawls in new processes.
    """
    project = get_project_settings()
    project.setmodule("filmscrape.settings", priority="project")
    project.set("FILMSCRAPE_DATA_DIR", str(data_dir), priority="cmdline")
    for key, value in (settings or {}).items():
        project.set(key, value, priority="cmdline")
    crawl_id = crawl_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    process = AsyncCrawlerProcess(project)
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, start_urls=list(start_urls), sites=list(sites), crawl_id=crawl_id)
    process.start()
    try:
        stats = dict(crawler.stats.get_stats())
    except RuntimeError:  # the crawl never started (e.g. the spider refused its arguments)
        stats = {}
    stats_path = Path(data_dir) / "stats" / f"{crawl_id}.json"
    write_stats(stats, stats_path)
    return CrawlResult(crawl_id=crawl_id, data_dir=Path(data_dir), stats=stats, stats_path=stats_path)
