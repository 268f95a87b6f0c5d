"""The last pipeline: tells the spider that a record came through every pipeline before it, so it is kept.

The ``articles`` spider remembers a page in the crawl state only once its record is kept. Scrapy's
``item_scraped`` signal says so too, but a signal receiver costs a task and an argument inspection per record
(~50 us on the crawl's one thread, 2% of a crawled page): this stage says it with one method call. A spider
whose pipelines leave this stage out listens to the signal instead (``KeptPipeline.enabled``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from scrapy.settings import BaseSettings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from filmscrape.schema import Record


@runtime_checkable
class KeepsRecords(Protocol):
    """A spider that wants to hear which of its records were kept."""

    def record_kept(self, item: Record) -> None: ...


class KeptPipeline:
    """Calls ``spider.record_kept(item)`` for each record that reaches it, and passes the record on unchanged."""

    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler
        self._kept: Callable[[Record], None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> KeptPipeline:
        return cls(crawler)

    @staticmethod
    def enabled(settings: BaseSettings) -> bool:
        """Whether the crawl's ITEM_PIPELINES run this stage."""
        return any(load_object(path) is KeptPipeline
                   for path in build_component_list(settings.getwithbase("ITEM_PIPELINES")))

    def open_spider(self, spider: Any = None) -> None:
        spider = spider if spider is not None else getattr(self.crawler, "spider", None)
        self._kept = spider.record_kept if isinstance(spider, KeepsRecords) else None

    def process_item(self, item: Record) -> Record:
        if self._kept is not None:
            self._kept(item)
        return item
