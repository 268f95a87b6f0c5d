"""Retries of 5xx/429 wait: what Retry-After asks (capped), else an exponential backoff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import Response
from scrapy.settings import Settings

from filmscrape.crawl.middlewares import BackoffRetryMiddleware, parse_retry_after

NOW = datetime(2025, 6, 9, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("header", "seconds"), [
    (b"120", 120.0),
    (b"0", 0.0),
    ("Mon, 09 Jun 2025 12:00:30 GMT", 30.0),
    (b"Mon, 09 Jun 2025 11:00:00 GMT", 0.0),  # a date in the past: retry at once
    (b"soon", None),
    (b"", None),
    (None, None),
    (b"-5", None),
])
def test_retry_after_is_read_as_seconds_or_an_http_date(header: bytes | str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def middleware(**overrides: object) -> BackoffRetryMiddleware:
    settings = Settings({"RETRY_ENABLED": True, "RETRY_TIMES": 3, "RETRY_HTTP_CODES": [500, 503, 429],
                         "FILMSCRAPE_RETRY_BACKOFF_BASE": 1.0, "FILMSCRAPE_RETRY_BACKOFF_MAX": 10.0,
                         "FILMSCRAPE_RETRY_AFTER_MAX": 60.0, **overrides})
    return BackoffRetryMiddleware(settings)


def test_a_server_retry_after_is_waited_for() -> None:
    response = Response("https://films.example/a/", status=429, headers={"Retry-After": "7"})
    assert middleware().delay_for(response, 1) == (7.0, "retry_after")


def test_a_huge_retry_after_is_capped() -> None:
    response = Response("https://films.example/a/", status=503, headers={"Retry-After": "86400"})
    assert middleware().delay_for(response, 1) == (60.0, "retry_after")


def test_without_retry_after_the_wait_doubles_with_each_attempt_up_to_the_cap() -> None:
    response = Response("https://films.example/a/", status=500)
    waits = [middleware().delay_for(response, attempt)[0] for attempt in (1, 2, 3, 6)]
    assert 0.8 <= waits[0] <= 1.2
    assert 1.6 <= waits[1] <= 2.4
    assert 3.2 <= waits[2] <= 4.8
    assert waits[3] == 10.0  # 32 s of backoff, capped
