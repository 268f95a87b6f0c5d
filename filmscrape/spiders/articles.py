"""The generic ``articles`` spider: follows links from start URLs and turns each HTML page into a record."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from filmscrape.errors import ExtractionError
from filmscrape.extract import extract


class ArticlesSpider(scrapy.Spider):
    """Crawl from start URLs within their domains; every HTML page becomes a record."""

    name = "articles"

    def __init__(self, start_urls: str | list[str] | None = None, crawl_id: str | None = None,
                 *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(start_urls, str):
            start_urls = [u for u in start_urls.split(",") if u]
        self.start_urls = list(start_urls or [])
        self.crawl_id = crawl_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.start_urls} - {""})
        self.links = LinkExtractor()

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("filmscrape/errors/not_html")
            return
        fetched_at = datetime.now(UTC)
        try:
            record = extract(response.body, response.url, fetched_at=fetched_at,
                             headers={"Content-Type": (response.headers.get("Content-Type") or b"").decode("latin-1")})
        except ExtractionError as exc:
            self.logger.warning("extraction failed: %s", exc)
            self.crawler.stats.inc_value(f"filmscrape/errors/{exc.kind}")
        else:
            record.update(
                fetched_url=response.url,
                crawl_id=self.crawl_id,
                fetched_at=fetched_at,
                content_sha256=hashlib.sha256(response.body).hexdigest(),
            )
            yield record
        for link in self.links.extract_links(response):
            if (urlsplit(link.url).hostname or "") in self.allowed_domains:
                yield response.follow(link, callback=self.parse)
