"""Everything one fetched HTML page needs read from its body: content hash, links and, when asked, its record.

:func:`read_page` is pure (bytes in, plain data out), so it runs unchanged on the crawl's thread, in a thread or
in a worker process; the spider only fetches, decides what to ask for, and acts on the answer.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from datetime import datetime

from filmscrape.crawl.content import charset_problem, declared_charset, without_charset
from filmscrape.crawl.links import find_links
from filmscrape.errors import ExtractionError
from filmscrape.extract import extract
from filmscrape.schema import Record

# Why a page gave no record although one was asked for (the values are ErrorKind values of crawl/errors.py).
EXTRACTION, EXTRACT_CRASHED, EXTRACT_TIMEOUT = "extraction", "extract_crashed", "extract_timeout"


@dataclass(frozen=True, slots=True)
class PageJob:
    """A fetched HTML page and what to do with it.

    ``want_record``: run extract() unless the body's SHA-256 equals ``unless_sha`` (the page did not change since
    its last kept record, so the record would be the same).
    """

    url: str
    body: bytes
    content_type: str | None
    fetched_at: datetime
    want_record: bool
    unless_sha: str | None = None


@dataclass(slots=True)
class PageResult:
    """What the body said: its hash and links, and the record or why there is none.

    ``error`` is an error kind (``extraction``, ``extract_crashed``, ``extract_timeout``) with ``detail``;
    ``charset_problem`` is set when the declared charset cannot be right (the record was read without it).
    """

    sha: str
    links: list[str]
    record: Record | None = None
    error: str | None = None
    detail: str = ""
    charset_problem: str | None = None


def link_encoding(content_type: str | None) -> str:
    """The encoding to decode hrefs with: the declared charset when Python knows it, else UTF-8."""
    encoding = declared_charset(content_type) or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "utf-8"
    return encoding


def read_page(job: PageJob) -> PageResult:
    """Hash the body, find its links and, if asked and the content changed, extract its record.

    An ExtractionError (no HTML to read) and any unexpected exception of extract() become a typed error for this
    page: one bad page never stops the crawl.
    """
    sha = hashlib.sha256(job.body).hexdigest()
    result = PageResult(sha, find_links(job.body, job.url, link_encoding(job.content_type)))
    if not job.want_record or sha == job.unless_sha:
        return result
    headers = {"Content-Type": job.content_type or ""}
    if job.content_type and (problem := charset_problem(job.content_type, job.body)):
        result.charset_problem = problem
        headers["Content-Type"] = without_charset(job.content_type)  # let meta charset / sniffing decide
    try:
        result.record = extract(job.body, job.url, fetched_at=job.fetched_at, headers=headers)
    except ExtractionError as exc:
        result.error, result.detail = EXTRACTION, exc.message
    except Exception as exc:  # a bug in extract(): count it against this page, go on with the crawl
        result.error, result.detail = EXTRACT_CRASHED, f"{type(exc).__name__}: {exc}"
    return result
