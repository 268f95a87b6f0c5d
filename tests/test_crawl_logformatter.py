"""Scrapy's per-page messages below LOG_LEVEL are not built; at or above it they are logged as before."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from filmscrape.crawl.logformatter import QuietLogFormatter

URL = "http://films.example/film-1/"


def formatter(level: str) -> tuple[QuietLogFormatter, Spider]:
    crawler = get_crawler(Spider, {"LOG_LEVEL": level})
    spider = Spider("films")
    spider.crawler = crawler
    return QuietLogFormatter.from_crawler(crawler), spider


def response() -> HtmlResponse:
    return HtmlResponse(URL, body=b"<html></html>", request=Request(URL))


def test_crawled_and_scraped_messages_are_not_built_above_debug() -> None:
    quiet, spider = formatter("INFO")
    assert quiet.crawled(Request(URL), response(), spider) is None
    assert quiet.scraped({"url": URL}, response(), spider) is None


def test_at_debug_crawled_and_scraped_are_logged_as_scrapy_logs_them() -> None:
    quiet, spider = formatter("DEBUG")
    crawled = quiet.crawled(Request(URL), response(), spider)
    scraped = quiet.scraped({"url": URL}, response(), spider)
    assert crawled is not None and crawled["level"] == logging.DEBUG
    assert scraped is not None and scraped["args"]["item"] == {"url": URL}


def test_a_drop_is_logged_only_at_or_above_log_level() -> None:
    quiet, spider = formatter("INFO")
    assert quiet.dropped({"url": URL}, DropItem("duplicate", log_level="DEBUG"), response(), spider) is None
    kept = quiet.dropped({"url": URL}, DropItem("rejected", log_level="WARNING"), response(), spider)
    assert kept is not None and kept["level"] == logging.WARNING
