"""Typed fetch errors: classify a failure, count it in the stats and append it to the crawl's JSONL error log."""

from __future__ import annotations

import json
import logging
import threading
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure

from filmscrape.errors import FilmscrapeError

logger = logging.getLogger(__name__)

STATS_PREFIX = "filmscrape/errors/"


class ErrorKind(StrEnum):
    """Every kind of fetch failure the crawl counts; the value is the stats key suffix and the log's ``kind``."""

    SERVER_ERROR = "server_error"          # 5xx after the retries ran out
    RATE_LIMITED = "rate_limited"          # 429 after the retries ran out
    NOT_FOUND = "not_found"                # 404
    GONE = "gone"                          # 410: the page is marked gone in the crawl state
    CLIENT_ERROR = "client_error"          # any other 4xx
    TIMEOUT = "timeout"                    # DOWNLOAD_TIMEOUT reached
    CONNECTION = "connection"              # refused, reset, DNS failure
    TRUNCATED = "truncated"                # body shorter than its Content-Length
    TOO_LARGE = "too_large"                # body over DOWNLOAD_MAXSIZE
    REDIRECT_LOOP = "redirect_loop"        # a redirect back to a URL already in its own chain
    TOO_MANY_REDIRECTS = "too_many_redirects"
    WRONG_CONTENT_TYPE = "wrong_content_type"  # PDF, image, JSON... where HTML was expected
    CHARSET_MISMATCH = "charset_mismatch"  # the declared charset does not decode the body
    EXTRACTION = "extraction"              # extract() could not read the page at all
    EXTRACT_CRASHED = "extract_crashed"    # extract() raised unexpectedly, or its worker process died on the page
    EXTRACT_TIMEOUT = "extract_timeout"    # extract() took longer than FILMSCRAPE_EXTRACT_TIMEOUT (worker killed)
    BAD_SITEMAP = "bad_sitemap"            # a sitemap or feed that does not parse
    OTHER = "other"


class FetchError(FilmscrapeError):
    """One failed fetch: what kind, which URL, the HTTP status if there was one, and a human detail."""

    def __init__(self, error_kind: ErrorKind, detail: str, *, url: str, status: int | None = None) -> None:
        super().__init__(f"{error_kind.value}: {detail}", url=url)
        self.error_kind = error_kind
        self.detail = detail
        self.status = status

    @property
    def kind(self) -> str:
        return self.error_kind.value

    def as_dict(self) -> dict[str, Any]:
        """The error log line for this error."""
        return {"url": self.url, "kind": self.kind, "detail": self.detail, "status": self.status}


def kind_for_status(status: int) -> ErrorKind:
    """The error kind of a final HTTP status that is not a success."""
    if status == 404:
        return ErrorKind.NOT_FOUND
    if status == 410:
        return ErrorKind.GONE
    if status == 429:
        return ErrorKind.RATE_LIMITED
    if status >= 500:
        return ErrorKind.SERVER_ERROR
    if status >= 400:
        return ErrorKind.CLIENT_ERROR
    return ErrorKind.OTHER


def classify_failure(failure: Failure, url: str) -> FetchError:
    """Turn a request's failure (as an errback receives it) into a typed FetchError."""
    exc = failure.value
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, HttpError):
        status = exc.response.status
        return FetchError(kind_for_status(status), f"HTTP {status}", url=url, status=status)
    if isinstance(exc, DownloadTimeoutError | twisted_error.TimeoutError | defer.TimeoutError):
        return FetchError(ErrorKind.TIMEOUT, str(exc) or "download timed out", url=url)
    if isinstance(exc, ResponseDataLossError):
        return FetchError(ErrorKind.TRUNCATED, "body shorter than its Content-Length", url=url)
    if isinstance(exc, DownloadCancelledError | defer.CancelledError):
        # Scrapy cancels a download only when it crosses DOWNLOAD_MAXSIZE (declared or received).
        return FetchError(ErrorKind.TOO_LARGE, str(exc) or "body larger than DOWNLOAD_MAXSIZE", url=url)
    if isinstance(exc, CannotResolveHostError | DownloadConnectionRefusedError | DownloadFailedError
                  | twisted_error.ConnectError | twisted_error.ConnectionLost | twisted_error.ConnectionDone
                  | twisted_error.DNSLookupError):
        return FetchError(ErrorKind.CONNECTION, f"{type(exc).__name__}: {exc}", url=url)
    if isinstance(exc, IgnoreRequest) and "max redirections" in str(exc):
        return FetchError(ErrorKind.TOO_MANY_REDIRECTS, str(exc), url=url)
    if isinstance(exc, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(exc):  # a decompression bomb
        return FetchError(ErrorKind.TOO_LARGE, str(exc), url=url)
    return FetchError(ErrorKind.OTHER, f"{type(exc).__name__}: {exc}", url=url)


class ErrorLog:
    """Counts each error under ``filmscrape/errors/<kind>`` and appends it to ``<data>/errors/<crawl_id>.jsonl``."""

    def __init__(self, path: Path, stats: Any) -> None:
        self.path = path
        self.stats = stats
        self._fh: IO[str] | None = None
        self._lock = threading.Lock()

    def record(self, error: FetchError) -> None:
        """Count and log one error; the line is flushed at once so a killed crawl keeps it."""
        self.stats.inc_value(STATS_PREFIX + error.kind)
        logger.warning("fetch error %s for %s: %s", error.kind, error.url, error.detail)
        with self._lock:
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the crawl
            self._fh.write(json.dumps(error.as_dict(), ensure_ascii=False) + "\n")
            self._fh.flush()

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
