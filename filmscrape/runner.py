"""Runs the ``articles`` spider in-process with AsyncCrawlerProcess and reports what the crawl did."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.utils.project import get_project_settings

from filmscrape.spiders.articles import ArticlesSpider


@dataclass
class CrawlResult:
    """The outcome of one crawl: its id, stats and where the data went."""

    crawl_id: str
    data_dir: Path
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def written(self) -> int:
        return int(self.stats.get("filmscrape/parquet/rows", 0))

    @property
    def rejected(self) -> int:
        return int(self.stats.get("filmscrape/rejected", 0))

    @property
    def errors(self) -> int:
        return sum(int(v) for k, v in self.stats.items() if k.startswith("filmscrape/errors/"))


def run_crawl(start_urls: Sequence[str], *, data_dir: str | Path = "data", crawl_id: str | None = None,
              settings: Mapping[str, Any] | None = None) -> CrawlResult:
    """Crawl from ``start_urls`` into ``data_dir`` and block until the crawl ends."""
    project = get_project_settings()
    project.setmodule("filmscrape.settings", priority="project")
    project.set("FILMSCRAPE_DATA_DIR", str(data_dir), priority="cmdline")
    for key, value in (settings or {}).items():
        project.set(key, value, priority="cmdline")
    process = AsyncCrawlerProcess(project)
    crawler = process.create_crawler(ArticlesSpider)
    process.crawl(crawler, start_urls=list(start_urls), crawl_id=crawl_id)
    process.start()
    spider = crawler.spider
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(crawl_id=getattr(spider, "crawl_id", crawl_id or ""), data_dir=Path(data_dir), stats=stats)
