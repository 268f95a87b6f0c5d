"""The generic ``articles`` spider: discovers pages, fetches them politely and hands each film article to extract()."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.linkextractors import IGNORED_EXTENSIONS
from twisted.python.failure import Failure

from filmscrape.crawl.content import is_html
from filmscrape.crawl.discovery import DiscoveryError, Entry, parse_feed, parse_sitemap, sitemaps_from_robots
from filmscrape.crawl.errors import ErrorKind, ErrorLog, FetchError, classify_failure
from filmscrape.crawl.executor import ExtractRunner
from filmscrape.crawl.page import PageJob, PageResult
from filmscrape.crawl.refresh import RefreshPolicy
from filmscrape.crawl.state import open_state
from filmscrape.pipelines.kept import KeptPipeline
from filmscrape.schema import Record
from filmscrape.sites import CrawlRules, ProfileRegistry, SiteProfile, load_profiles
from filmscrape.version import EXTRACTOR_VERSION

PAGE, SITEMAP, FEED, ROBOTS = "page", "sitemap", "feed", "robots"
# Python's default (700, 10, 10) ran a young-generation collection every ~2 pages and a full one every ~200,
# over the whole Scrapy/lxml/pyarrow heap: 0.75 ms of GC per page in benchmarks/crawl_speed.py, more than the
# spider itself. Startup objects are frozen out of collection and the thresholds raised: 0.15 ms, same peak RSS.
GC_THRESHOLDS = (10_000, 20, 50)
_SKIP_SUFFIXES = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)
_NO_RULES = CrawlRules()
# Most links of a page (navigation, related reviews) were on earlier pages too: their follow decision (allowed
# host, site rules) is remembered per URL instead of parsing the URL and running the rules again; bounded.
FOLLOW_CACHE_SIZE = 1 << 17


def _split(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [v for v in value if v]


def _netloc(url: str) -> str:
    """The host part of an http(s) URL as written (what :func:`urlsplit` calls netloc, without parsing it all)."""
    if not url.startswith(("http://", "https://")):
        return urlsplit(url).netloc
    start = url.index("//") + 2
    end = len(url)
    for sep in "/?#":
        found = url.find(sep, start, end)
        if found != -1:
            end = found
    return url[start:end]


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


@dataclass(frozen=True)
class _Host:
    allowed: bool
    rules: CrawlRules


class ArticlesSpider(scrapy.Spider):
    """One spider for every site: site profiles (and ``-a start_urls=...``) say where to start and what to keep.

    Arguments (``-a name=value``): ``start_urls`` (comma-separated), ``sites`` (profile names, comma-separated;
    default: every profile with crawl start points when no start URL is given), ``crawl_id``.
    Records come only from film-article URLs (the profile's ``article`` patterns; any HTML page without a profile).
    """

    name = "articles"

    def __init__(self, start_urls: str | list[str] | None = None, sites: str | list[str] | None = None,
                 crawl_id: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = _split(start_urls)
        self.site_names = _split(sites)
        self.crawl_id = crawl_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticlesSpider:
        spider: ArticlesSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup(crawler)
        return spider

    # -- set-up and tear-down -------------------------------------------------------------------------------------

    def setup(self, crawler: Any) -> None:
        """Load the site profiles (an unknown site name stops the crawl before it starts) and connect signals."""
        settings = crawler.settings
        registry = load_profiles(settings.getlist("FILMSCRAPE_SITES_DIRS"))
        self.registry = registry
        self.profiles = self._profiles_in_use(registry)
        hosts = {urlsplit(u).hostname or "" for u in self.start_urls} - {""}
        matched = [p for p in map(registry.for_url, self.start_urls) if p is not None]
        self.allowed_domains = sorted(hosts | {d for p in [*self.profiles, *matched] for d in p.domains})
        self.max_pages = settings.getint("FILMSCRAPE_MAX_PAGES", 0)
        self.depth_limit = settings.getint("DEPTH_LIMIT", 0)
        self.robots_sitemaps = settings.getbool("FILMSCRAPE_ROBOTS_SITEMAPS", True)
        self.extractor = ExtractRunner(settings.get("FILMSCRAPE_EXTRACT_MODE", "auto"),
                                       settings.getint("FILMSCRAPE_EXTRACT_WORKERS", 0),
                                       settings.getfloat("FILMSCRAPE_EXTRACT_TIMEOUT", 60.0))
        self.maxsize = settings.getint("DOWNLOAD_MAXSIZE")
        self.pages_requested = 0
        self._hosts: dict[str, _Host] = {}
        self._follows: dict[str, bool] = {}
        self.requested: set[str] = set()
        self.recorded: set[str] = set()
        self.skipped_urls: set[str] = set()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        if not KeptPipeline.enabled(settings):  # that stage calls record_kept() itself, for less than the signal
            crawler.signals.connect(self.record_kept, signal=signals.item_scraped)
        crawler.signals.connect(self.item_not_kept, signal=signals.item_dropped)
        crawler.signals.connect(self.item_not_kept, signal=signals.item_error)
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_opened(self, spider: scrapy.Spider) -> None:
        """Open the crawl state and the error log (the stats exist from here on)."""
        settings = self.crawler.settings
        self.stats = self.crawler.stats
        data_dir = Path(settings.get("FILMSCRAPE_DATA_DIR", "data"))
        state_path = settings.get("FILMSCRAPE_STATE_URI") or str(data_dir / "state" / "crawl_state.sqlite3")
        self.crawl_state = open_state(settings.get("FILMSCRAPE_STATE_BACKEND", "sqlite"), state_path,
                                table=settings.get("FILMSCRAPE_STATE_TABLE", "filmscrape_url_state"))
        self.refresh = RefreshPolicy(self.crawl_state, self.stats, full=settings.getbool("FILMSCRAPE_FULL_REFRESH"),
                                     extractor_version=EXTRACTOR_VERSION)
        self.errors = ErrorLog(data_dir / "errors" / f"{self.crawl_id}.jsonl", self.stats)
        self.extractor.start()
        gc.freeze()  # everything built so far lives as long as the crawl
        gc.set_threshold(*GC_THRESHOLDS)

    def _profiles_in_use(self, registry: ProfileRegistry) -> list[SiteProfile]:
        """The profiles whose start URLs, sitemaps and feeds this crawl starts from: those named with ``sites``,
        else (no start URL given either) every profile that has any. Start URLs from the command line use
        their site's profile for its follow/deny/article rules only."""
        by_name = {p.name: p for p in registry.profiles}
        unknown = [n for n in self.site_names if n not in by_name]
        if unknown:
            raise ValueError(f"unknown site profile(s): {', '.join(unknown)}; known: {', '.join(sorted(by_name))}")
        if self.site_names:
            return [by_name[n] for n in self.site_names]
        if self.start_urls:
            return []
        return [p for p in registry.profiles if p.crawl.start_urls or p.crawl.sitemap_urls or p.crawl.feed_urls]

    def spider_closed(self, spider: scrapy.Spider, reason: str) -> None:
        self.stats.set_value("filmscrape/state/urls_known", self.refresh.known_urls())
        self.crawl_state.close()
        self.extractor.close()
        if self.extractor.restarts:
            self.stats.set_value("filmscrape/extract/worker_restarts", self.extractor.restarts)
        if self.extractor.inline_while_starting:
            self.stats.set_value("filmscrape/extract/inline_while_starting", self.extractor.inline_while_starting)
        self.errors.close()

    # -- discovery ------------------------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        roots: dict[str, None] = {}
        for url in self.start_urls:
            roots[self._root(url)] = None
            if (req := self._page_request(url, depth_source="start")) is not None:
                yield req
        for profile in self.profiles:
            for url in profile.crawl.start_urls:
                roots[self._root(url)] = None
                if (req := self._page_request(url, depth_source="start")) is not None:
                    yield req
            for url in profile.crawl.sitemap_urls:
                roots[self._root(url)] = None
                yield self._listing_request(url, SITEMAP)
            for url in profile.crawl.feed_urls:
                roots[self._root(url)] = None
                yield self._listing_request(url, FEED)
        if self.robots_sitemaps:
            for root in roots:
                yield Request(root + "/robots.txt", callback=self.parse_robots, errback=self.on_error,
                              meta={"fs_role": ROBOTS, "dont_obey_robotstxt": True, "handle_httpstatus_all": True,
                                    "dont_retry": True})

    @staticmethod
    def _root(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _listing_request(self, url: str, role: str) -> Request:
        callback = self.parse_sitemap if role == SITEMAP else self.parse_feed
        # Sitemaps and feeds may live on another host (a CDN); the pages they list are still checked.
        return Request(url, callback=callback, errback=self.on_error, meta={"fs_role": role, "allow_offsite": True})

    def _host(self, url: str) -> _Host:
        """What the crawl knows about the URL's host (allowed? which crawl rules?), computed once per host."""
        netloc = _netloc(url)
        known = self._hosts.get(netloc)
        if known is None:
            host = (urlsplit(url).hostname or "").lower()
            profile = self.registry.for_url(url)
            known = _Host(allowed=any(host == d or host.endswith("." + d) for d in self.allowed_domains),
                          rules=profile.crawl if profile is not None else _NO_RULES)
            self._hosts[netloc] = known
        return known

    def rules_for(self, url: str) -> CrawlRules:
        return self._host(url).rules

    def _allowed(self, url: str) -> bool:
        return self._host(url).allowed

    def _page_request(self, url: str, *, lastmod: str | None = None, depth_source: str = "link",
                      parent_depth: int = -1) -> Request | None:
        """A request for a page, or None when the page is off-site, denied, too deep, over the page limit or known
        unchanged. Depth is checked here, before the URL counts as requested, so that a page first met too deep
        is still requested when a shallower page links to it (DepthMiddleware would drop it for good)."""
        url = url.split("#", 1)[0]
        if url in self.requested or url in self.skipped_urls:  # most links: checked first, it is the cheapest
            return None
        if not url.startswith(("http://", "https://")) or not self._allowed(url):
            return None
        if urlsplit(url).path.lower().endswith(_SKIP_SUFFIXES):
            return None
        if self.depth_limit and parent_depth + 1 > self.depth_limit:
            self.stats.inc_value("filmscrape/limits/depth_dropped")
            return None
        decision = self.refresh.before_request(url, lastmod)
        if decision.skip_reason is not None:
            self.skipped_urls.add(url)
            return None
        if self.max_pages and self.pages_requested >= self.max_pages:
            self.stats.inc_value("filmscrape/limits/max_pages_dropped")
            return None
        self.pages_requested += 1
        self.requested.add(url)
        self.stats.inc_value(f"filmscrape/discovered/{depth_source}")
        return Request(url, callback=self.parse_page, errback=self.on_error, headers=decision.headers,
                       meta={"fs_role": PAGE, "fs_lastmod": lastmod, "handle_httpstatus_list": [304]})

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            return
        for url in sitemaps_from_robots(response.body, response.url):
            self.stats.inc_value("filmscrape/discovered/robots_sitemaps")
            yield self._listing_request(url, SITEMAP)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        self.stats.inc_value("filmscrape/responses")
        try:
            sitemap = parse_sitemap(response.body, response.url, max_size=self.maxsize)
        except DiscoveryError as exc:
            self.errors.record(FetchError(ErrorKind.BAD_SITEMAP, str(exc), url=response.url, status=response.status))
            return
        if sitemap.is_index:
            for entry in sitemap.entries:
                yield self._listing_request(entry.url, SITEMAP)
            return
        yield from self._from_entries(sitemap.entries, "sitemap", response)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        self.stats.inc_value("filmscrape/responses")
        try:
            entries = parse_feed(response.body, response.url)
        except DiscoveryError as exc:
            self.errors.record(FetchError(ErrorKind.BAD_SITEMAP, str(exc), url=response.url, status=response.status))
            return
        # A feed's dates are entry dates, not page lastmods: they only guide discovery here.
        yield from self._from_entries([Entry(e.url) for e in entries], "feed", response)

    def _from_entries(self, entries: Iterable[Entry], source: str, response: Response) -> Iterator[Request]:
        depth = int(response.meta.get("depth", 0))
        for entry in entries:
            if any(p.search(entry.url) for p in self.rules_for(entry.url).deny):
                continue
            req = self._page_request(entry.url, lastmod=entry.lastmod, depth_source=source, parent_depth=depth)
            if req is not None:
                yield req

    def _links(self, found: Iterable[str]) -> list[str]:
        """The same-site links of a page that the site's rules say to follow (``found``: deduplicated, in order)."""
        follows = self._follows
        links = []
        for url in found:
            follow = follows.get(url)
            if follow is None:
                host = self._host(url)
                follow = host.allowed and host.rules.should_follow(url)
                if len(follows) >= FOLLOW_CACHE_SIZE:
                    follows.clear()
                follows[url] = follow
            if follow:
                links.append(url)
        return links

    def _follow(self, links: Iterable[str], response: Response) -> Iterator[Request]:
        depth = int(response.meta.get("depth", 0))
        for url in links:
            if (req := self._page_request(url, parent_depth=depth)) is not None:
                yield req

    # -- pages ----------------------------------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> list[Any]:
        """Hand an HTML page to the extractor (record, hash and links); return its record and the links to follow.

        A coroutine returning a list, not an async generator: Scrapy then passes the output through its spider
        middlewares as a plain iterable, which costs much less per record than an async generator chain.
        """
        self.stats.inc_value("filmscrape/responses")
        url = response.url
        lastmod = response.meta.get("fs_lastmod")
        if response.status == 304:
            return list(self._follow(self.refresh.not_modified(url, lastmod), response))
        content_type = _header(response, "Content-Type")
        if not is_html(content_type, response.body):
            self.errors.record(FetchError(ErrorKind.WRONG_CONTENT_TYPE, f"expected HTML, got {content_type!r}",
                                          url=url, status=response.status))
            self.refresh.failed(url, response.status)
            return []
        is_article = self.rules_for(url).is_article(url)
        prev = self.refresh.previous(url)
        want_record = is_article and url not in self.recorded
        fetched_at = datetime.now(UTC)
        page = await self.extractor.read(PageJob(url, response.body, content_type, fetched_at, want_record,
                                                 self.refresh.kept_sha(prev) if want_record else None))
        links = self._links(page.links)
        fetched = self.refresh.fetched_since(prev, url, response.status, page.sha, etag=_header(response, "ETag"),
                                             last_modified=_header(response, "Last-Modified"), lastmod=lastmod,
                                             links=links, is_article=is_article)
        output: list[Any] = []
        if not is_article:
            self.stats.inc_value("filmscrape/pages/not_article")
            fetched.commit()
        elif fetched.unchanged:
            fetched.commit()
        elif url in self.recorded:
            self.stats.inc_value("filmscrape/duplicates/fetched_url")
        else:
            record = self._record(page, response, fetched_at)
            if record is not None:
                self.recorded.add(url)
                self.refresh.hold(url, fetched)
                output.append(record)
        output += self._follow(links, response)
        return output

    def _record(self, page: PageResult, response: Response, fetched_at: datetime) -> Record | None:
        """The page's record stamped with this fetch, or None after logging why extraction gave none."""
        if page.charset_problem is not None:
            self.errors.record(FetchError(ErrorKind.CHARSET_MISMATCH, page.charset_problem, url=response.url,
                                          status=response.status))
        if page.record is None:
            self.errors.record(FetchError(ErrorKind(page.error or ErrorKind.EXTRACTION), page.detail or "no record",
                                          url=response.url, status=response.status))
            return None
        record = page.record
        record.update(fetched_url=response.url, crawl_id=self.crawl_id, fetched_at=fetched_at,
                      content_sha256=page.sha)
        return record

    # -- signals and errbacks -------------------------------------------------------------------------------------

    def record_kept(self, item: Record) -> None:
        """The pipelines kept the record: only now may the crawl state remember the page as seen."""
        self.refresh.release(str(item.get("fetched_url") or ""), keep=True)

    def item_not_kept(self, item: Record, response: Response, spider: scrapy.Spider, **kwargs: Any) -> None:
        """Dropped or failed in a pipeline: forget the pending state, so the next crawl tries the page again."""
        self.refresh.release(str(item.get("fetched_url") or ""), keep=False)

    def request_dropped(self, request: Request, spider: scrapy.Spider) -> None:
        """A redirect to a URL already in its own chain is a loop; the scheduler drops it silently otherwise."""
        chain = request.meta.get("redirect_urls") or []
        if not chain:
            return
        if request.url in chain:
            self.stats.inc_value("filmscrape/failures")
            self.errors.record(FetchError(ErrorKind.REDIRECT_LOOP, " -> ".join([*chain, request.url]), url=chain[0]))
        else:
            self.stats.inc_value("filmscrape/redirect/to_seen_url")

    def on_error(self, failure: Failure) -> None:
        """Every failed request ends here: count it, log it, and remember 404/410 in the crawl state."""
        request: Request = failure.request  # type: ignore[attr-defined]
        role = request.meta.get("fs_role")
        if role == ROBOTS:
            return
        if isinstance(failure.value, IgnoreRequest) and "robots.txt" in str(failure.value):
            self.stats.inc_value("filmscrape/skipped/robots_txt")
            return
        self.stats.inc_value("filmscrape/failures")
        chain = request.meta.get("redirect_urls") or []
        error = classify_failure(failure, chain[0] if chain else request.url)
        if error.error_kind is ErrorKind.TOO_MANY_REDIRECTS and len(set(chain)) < len(chain):
            error = FetchError(ErrorKind.REDIRECT_LOOP, " -> ".join(chain), url=chain[0])
        self.errors.record(error)
        if role == PAGE and error.status is not None:
            self.refresh.failed(request.url, error.status)
