"""Validates each record against the JSON Schema; failures go to data/rejected/, never silently dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem

from filmscrape.record import to_json_dict
from filmscrape.schema import Record, validator


class ValidationPipeline:
    """Schema check; a failing record is written to ``<data>/rejected/<crawl_id>.jsonl`` and counted."""

    def __init__(self, data_dir: str, stats: Any) -> None:
        self.rejected_dir = Path(data_dir) / "rejected"
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidationPipeline:
        return cls(crawler.settings.get("FILMSCRAPE_DATA_DIR", "data"), crawler.stats)

    def process_item(self, item: Record) -> Record:
        doc = to_json_dict(item)
        errors = sorted(validator().iter_errors(doc), key=lambda e: list(e.path))
        if not errors:
            return item
        failures = [{"field": ".".join(map(str, e.path)) or None, "rule": e.validator, "message": e.message}
                    for e in errors]
        self.rejected_dir.mkdir(parents=True, exist_ok=True)
        with open(self.rejected_dir / f"{item.get('crawl_id') or 'unknown'}.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"url": doc.get("url"), "failures": failures, "record": doc}) + "\n")
        self.stats.inc_value("filmscrape/rejected")
        raise DropItem(f"invalid record {doc.get('url')}: {failures[0]['message']}")
