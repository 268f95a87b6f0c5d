"""Keeps one record per canonical URL in a crawl, and across crawls only pages whose content changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem

from filmscrape.dataset.layout import DatasetLayout
from filmscrape.dataset.versions import KnownVersions, load_known_versions
from filmscrape.pipelines.recovery import recover
from filmscrape.schema import Record


class DedupePipeline:
    """Drops a record when its URL was already recorded in this crawl, or when its ``content_sha256`` and
    ``extractor_version`` equal the latest version of that URL in the dataset (an unchanged page read by the same
    extractor is not a new version; the same page re-read by a newer extractor is, so fixes reach the data).

    The dataset's latest versions are loaded once at open (five columns), after recovery has replayed any
    journal a killed crawl left, so a resumed crawl does not record a page twice. Stats:
    ``filmscrape/duplicates`` (same URL in a crawl) and ``filmscrape/unchanged`` (same content as before).
    """

    def __init__(self, data_dir: str | Path, stats: Any, row_group_size: int = 5000) -> None:
        self.layout = DatasetLayout(Path(data_dir))
        self.stats = stats
        self.row_group_size = row_group_size
        self.known = KnownVersions()
        self.seen: set[str] = set()
        self.crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        s = crawler.settings
        pipeline = cls(s.get("FILMSCRAPE_DATA_DIR", "data"), crawler.stats, s.getint("FILMSCRAPE_ROW_GROUP_SIZE", 5000))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        recover(self.layout, self.row_group_size, self.stats)
        if spider is None:  # Scrapy 2.19 calls open_spider() without the spider
            spider = getattr(self.crawler, "spider", None)
        crawl_id = getattr(spider, "crawl_id", None)
        self.known = load_known_versions(self.layout.data_dir, crawl_id)
        self.seen = set(self.known.in_crawl)

    def process_item(self, item: Record) -> Record:
        url = item["url"]
        if url in self.seen:
            self.stats.inc_value("filmscrape/duplicates")
            raise DropItem(f"duplicate canonical URL in this crawl: {url}", log_level="DEBUG")
        self.seen.add(url)
        sha = item.get("content_sha256")
        if sha is not None and self.known.latest.get(url) == (sha, item.get("extractor_version")):
            self.stats.inc_value("filmscrape/unchanged")
            raise DropItem(f"unchanged since the last recorded version: {url}", log_level="DEBUG")
        return item
