"""Downloader middleware: retries 5xx/429 with exponential backoff, waiting what ``Retry-After`` asks (capped),
and slows the whole site down after a 429 or 503."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

RATE_LIMIT_CODES = frozenset({429, 503})  # statuses by which a server says "too fast"


def parse_retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date); None when absent or bad."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, but the retry waits: ``Retry-After`` when the server sent one, else
    ``FILMSCRAPE_RETRY_BACKOFF_BASE * 2**(n-1)`` with jitter; both capped. The wait is an async sleep, so the
    reactor keeps serving other requests meanwhile.
    """

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("FILMSCRAPE_RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("FILMSCRAPE_RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("FILMSCRAPE_RETRY_AFTER_MAX", 120.0)
        self.site_delay_max = settings.getfloat("FILMSCRAPE_RATE_LIMIT_DELAY_MAX", 30.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        mw = cls(crawler.settings)
        mw.crawler = crawler
        return mw

    def delay_for(self, response: Response, attempt: int) -> tuple[float, str]:
        """How long to wait before retry number ``attempt`` (1-based), and why."""
        retry_after = parse_retry_after(response.headers.get(b"Retry-After"))
        if retry_after is not None:
            return min(retry_after, self.retry_after_max), "retry_after"
        backoff = self.backoff_base * 2 ** (attempt - 1)
        return min(backoff * random.uniform(0.8, 1.2), self.backoff_max), "backoff"

    async def process_response(  # type: ignore[override]  # Scrapy awaits coroutine middleware methods
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay, why = self.delay_for(response, int(retry.meta.get("retry_times", 1)))
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"filmscrape/retry/{why}")
        stats.max_value("filmscrape/retry/max_delay_s", round(delay, 3))
        logger.debug("retrying %s after %.2fs (%s, HTTP %d)", request.url, delay, why, response.status)
        if response.status in RATE_LIMIT_CODES:
            self.slow_down_site(request, delay)
        if delay > 0:
            await sleep(delay)
        return retry

    def slow_down_site(self, request: Request, delay: float) -> None:
        """A 429 or 503 speaks for the whole site: space all its requests by ``delay`` (capped by
        FILMSCRAPE_RATE_LIMIT_DELAY_MAX; 0 turns this off). AutoThrottle, when on, only lowers the delay again
        as 200 responses come back."""
        capped = min(delay, self.site_delay_max)
        key = request.meta.get("download_slot")
        engine = self.crawler.engine
        slot = engine.downloader.slots.get(key) if engine is not None and key is not None else None
        if slot is not None and capped > slot.delay:
            logger.info("%s asked us to slow down: %.2fs between its requests from now on", key, capped)
            slot.delay = capped
            stats = self.crawler.stats
            assert stats is not None
            stats.inc_value("filmscrape/retry/site_slowed")
            stats.max_value("filmscrape/retry/site_delay_s", round(capped, 3))
