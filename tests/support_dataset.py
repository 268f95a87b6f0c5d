"""Records and crawlers for dataset and pipeline tests: fixture records from disk, a real Scrapy crawler."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from filmscrape.pipelines.dedupe import DedupePipeline
from filmscrape.pipelines.parquet import ParquetPipeline
from filmscrape.pipelines.validate import ValidationPipeline
from filmscrape.schema import Record
from tests.conftest import FIXTURES

RECORDS_FILE = FIXTURES / "dataset" / "records.jsonl"
TIMESTAMPS = ("fetched_at", "published_at", "updated_at")


def from_json(doc: dict[str, Any]) -> Record:
    """A JSON-form record (ISO strings) in Python form (tz-aware datetimes), as the spider yields it."""
    record = dict(doc)
    for name in TIMESTAMPS:
        if isinstance(record.get(name), str):
            record[name] = datetime.fromisoformat(record[name])
    return record


def fixture_records() -> list[Record]:
    """The hand-written records in tests/fixtures/dataset/records.jsonl (two sites, every field kind)."""
    lines = RECORDS_FILE.read_text(encoding="utf-8").splitlines()
    return [from_json(json.loads(line)) for line in lines if line.strip()]


class CrawlSpider(Spider):
    """The spider a pipeline sees: only its name and crawl id matter to the pipelines."""

    name = "test"

    def __init__(self, crawl_id: str = "c1", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.crawl_id = crawl_id


def crawler(data_dir: Path, **settings: Any) -> Crawler:
    """A real Scrapy crawler (settings, stats, signals) writing to ``data_dir``."""
    return get_crawler(CrawlSpider, {"FILMSCRAPE_DATA_DIR": str(data_dir), **settings})


def run_pipelines(data_dir: Path, records: Iterable[Record], crawl_id: str = "c1",
                  **settings: Any) -> tuple[list[Record], Crawler]:
    """Push records through validate -> dedupe -> parquet as Scrapy would, and close; returns the kept ones."""
    c = crawler(data_dir, **settings)
    spider = CrawlSpider(crawl_id)
    c.spider = spider
    stages = [ValidationPipeline.from_crawler(c), DedupePipeline.from_crawler(c), ParquetPipeline.from_crawler(c)]
    for stage in stages:
        if hasattr(stage, "open_spider"):
            stage.open_spider()  # as Scrapy 2.19 calls it: no spider argument; the crawler holds the spider
    kept = []
    for record in records:
        try:
            for stage in stages:
                record = stage.process_item(record)
        except DropItem:
            continue
        kept.append(record)
    for stage in stages:
        if hasattr(stage, "close_spider"):
            stage.close_spider(spider)
    return kept, c
