"""Incremental refresh: conditional requests, sitemap-lastmod skips and same-content detection over the crawl state."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from filmscrape.crawl.state import CrawlState, UrlState

UNCHANGED = "filmscrape/unchanged/"
NOT_MODIFIED, SAME_HASH, SITEMAP_LASTMOD = "304", "same_hash", "sitemap_lastmod"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Decision:
    """What to do before requesting a URL: skip it (and why), or send these conditional headers."""

    headers: dict[str, str] = field(default_factory=dict)
    skip_reason: str | None = None


@dataclass
class Fetch:
    """A page fetched with status 200: the state to remember for it, and whether its content is unchanged."""

    policy: RefreshPolicy
    new_state: UrlState
    unchanged: bool

    def commit(self) -> None:
        """Remember the page now (pages that yield no record, or whose content did not change)."""
        self.policy.put(self.new_state)


class RefreshPolicy:
    """Decides, from what earlier crawls saw, which pages to skip, which to ask for conditionally, which changed.

    The state of a page that yields a record is remembered only once the pipelines kept the record
    (``hold`` then ``release``), so a crash or a rejected record never makes the next crawl skip a page whose
    record was not written. ``full=True`` ignores the remembered state (but still updates it).
    """

    def __init__(self, state: CrawlState, stats: Any, *, full: bool, extractor_version: str) -> None:
        self.state = state
        self.stats = stats
        self.full = full
        self.extractor_version = extractor_version
        self.pending: dict[str, UrlState] = {}
        # URLs the store knew nothing of when they were requested, until this policy writes them: their response
        # needs no second look-up (``previous``), one SQLite query less per new page.
        self._absent: set[str] = set()

    def put(self, state: UrlState) -> None:
        """Write a URL's state to the store (every write of this policy goes through here)."""
        self._absent.discard(state.url)
        self.state.put(state)

    def _usable(self, prev: UrlState | None) -> UrlState | None:
        """The previous state when it may justify skipping: a kept record, by this extractor version."""
        if self.full or prev is None or prev.content_sha256 is None or prev.gone:
            return None
        if prev.last_status not in (200, 304):
            return None
        if prev.extractor_version != self.extractor_version:
            return None
        return prev

    def _unchanged(self, reason: str) -> None:
        self.stats.inc_value(UNCHANGED + reason)

    def before_request(self, url: str, lastmod: str | None) -> Decision:
        """Skip a gone page or one whose sitemap lastmod has not moved; otherwise conditional headers if known."""
        prev = self.state.get(url)
        if prev is None:
            self._absent.add(url)
        if prev is not None and prev.gone and not self.full:
            self.stats.inc_value("filmscrape/skipped/gone")
            return Decision(skip_reason="gone")
        usable = self._usable(prev)
        if usable is None:
            return Decision()
        if lastmod is not None and usable.sitemap_lastmod == lastmod:
            self._unchanged(SITEMAP_LASTMOD)
            return Decision(skip_reason=SITEMAP_LASTMOD)
        headers = {}
        if usable.etag:
            headers["If-None-Match"] = usable.etag
        if usable.last_modified:
            headers["If-Modified-Since"] = usable.last_modified
        return Decision(headers=headers)

    def not_modified(self, url: str, lastmod: str | None) -> tuple[str, ...]:
        """A 304: count it, remember the check, and return the page's remembered links to keep discovering."""
        self._unchanged(NOT_MODIFIED)
        prev = self.state.get(url) or UrlState(url=url)
        self.put(replace(prev, last_status=304, fetched_at=_now(),
                               sitemap_lastmod=lastmod or prev.sitemap_lastmod))
        return prev.links

    def previous(self, url: str) -> UrlState | None:
        """What the store remembers of ``url`` (read once per page, then passed to the methods below)."""
        if url in self._absent:
            return None
        return self.state.get(url)

    def kept_sha(self, prev: UrlState | None) -> str | None:
        """The content hash of the page's last kept record: a body with this hash needs no new record."""
        usable = self._usable(prev)
        return usable.content_sha256 if usable is not None else None

    def fetched(self, url: str, status: int, sha: str, *, etag: str | None, last_modified: str | None,
                lastmod: str | None, links: list[str], is_article: bool) -> Fetch:
        """A full response: the state it leads to, and whether the content is the same as last time."""
        return self.fetched_since(self.state.get(url), url, status, sha, etag=etag, last_modified=last_modified,
                                  lastmod=lastmod, links=links, is_article=is_article)

    def fetched_since(self, prev: UrlState | None, url: str, status: int, sha: str, *, etag: str | None,
                      last_modified: str | None, lastmod: str | None, links: list[str], is_article: bool) -> Fetch:
        """:meth:`fetched` for a caller that already read the page's stored state (``previous``)."""
        usable = self._usable(prev)
        unchanged = is_article and usable is not None and usable.content_sha256 == sha
        if is_article:
            if unchanged:
                self._unchanged(SAME_HASH)
            elif self.full:
                self.stats.inc_value("filmscrape/refresh/full")
            else:
                self.stats.inc_value("filmscrape/refresh/changed" if usable else "filmscrape/refresh/new")
        new_state = UrlState(url=url, etag=etag, last_modified=last_modified,
                             sitemap_lastmod=lastmod or (prev.sitemap_lastmod if prev else None),
                             content_sha256=sha, extractor_version=self.extractor_version, last_status=status,
                             gone=False, links=tuple(links), fetched_at=_now())
        return Fetch(self, new_state, unchanged)

    def hold(self, url: str, fetch: Fetch) -> None:
        """Keep a page's new state until its record has been through the pipelines."""
        self.pending[url] = fetch.new_state

    def release(self, url: str, *, keep: bool) -> None:
        """The record left the pipelines: remember its page if it was kept, forget the held state otherwise."""
        held = self.pending.pop(url, None)
        if held is not None and keep:
            self.put(held)

    def failed(self, url: str, status: int) -> None:
        """Remember a page's failing status; a 410 marks it gone so later crawls stop asking for it."""
        prev = self.state.get(url) or UrlState(url=url)
        self.put(replace(prev, last_status=status, gone=status == 410, fetched_at=_now()))

    def known_urls(self) -> int:
        return self.state.count()
