"""Drops a second record for a canonical URL already seen in this crawl."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from filmscrape.schema import Record


class DedupePipeline:
    """Within one crawl, keep the first record per canonical URL."""

    def __init__(self, stats: Any) -> None:
        self.seen: set[str] = set()
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Record) -> Record:
        url = item["url"]
        if url in self.seen:
            self.stats.inc_value("filmscrape/duplicates")
            raise DropItem(f"duplicate canonical URL {url}")
        self.seen.add(url)
        return item
