"""Scrapy settings for filmscrape: polite, unattended-safe defaults."""

from __future__ import annotations

BOT_NAME = "filmscrape"
SPIDER_MODULES = ["filmscrape.spiders"]
NEWSPIDER_MODULE = "filmscrape.spiders"

# Say who we are and where to complain; override with --user-agent or USER_AGENT.
USER_AGENT = "filmscrape/0.1 (+https://example.invalid/filmscrape; film-article research crawler)"
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts the delay to each site's latency; never more than 4 requests per site at once.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOADER = "filmscrape.crawl.downloader.SlotCappedDownloader"  # enforces the per-domain cap without a delay
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# A page yields one record and a few requests: Scrapy starts CONCURRENT_ITEMS asyncio tasks per response to
# process them: with the default 100 the full crawl of benchmarks/crawl_speed.py ran ~15% slower (and GC ran 3x).
CONCURRENT_ITEMS = 8

# Limits
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 5

# Retries: 5xx and 429, with exponential backoff, waiting what Retry-After asks (capped); see crawl/middlewares.py.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "filmscrape.crawl.middlewares.BackoffRetryMiddleware": 550,
}

# MetaCopyDetectionMiddleware only warns when a spider copies response.meta into new requests; ours builds every
# request's meta afresh. Each middleware wraps every item and request a callback returns in one more async
# generator (~0.004 ms per page, items and requests alike).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}

# Safe to run unattended from cron
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"
# Scrapy's per-page DEBUG messages ("Crawled (200)", "Scraped from") are not even built below LOG_LEVEL.
LOG_FORMATTER = "filmscrape.crawl.logformatter.QuietLogFormatter"

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "filmscrape.pipelines.validate.ValidationPipeline": 100,
    "filmscrape.pipelines.dedupe.DedupePipeline": 200,
    "filmscrape.pipelines.parquet.ParquetPipeline": 800,
    "filmscrape.pipelines.kept.KeptPipeline": 900,  # last: the record is written; the spider may remember the page
}

# filmscrape's own settings
FILMSCRAPE_DATA_DIR = "data"          # dataset, rejected records, crawl state, error logs live under here
FILMSCRAPE_ROW_GROUP_SIZE = 5000      # rows buffered per Parquet row group
FILMSCRAPE_SITES_DIRS: list[str] = []  # extra site-profile directories

FILMSCRAPE_STATE_BACKEND = "sqlite"   # crawl-state store: "sqlite" or "postgres"
FILMSCRAPE_STATE_URI = ""             # sqlite path or postgres conninfo; default <data>/state/crawl_state.sqlite3
FILMSCRAPE_STATE_TABLE = "filmscrape_url_state"  # the table, with the postgres backend
FILMSCRAPE_FULL_REFRESH = False       # True (--full): ignore the crawl state, refetch and re-emit every page
FILMSCRAPE_MAX_PAGES = 0              # page requests per crawl (0: no limit); DEPTH_LIMIT bounds link hops
FILMSCRAPE_ROBOTS_SITEMAPS = True     # also read the Sitemap: lines of each crawled site's robots.txt
# Where pages are read (extract(), links, hash): "auto" = worker processes with more than one core, else inline
# (the reactor thread); or "process", "inline", "thread". See filmscrape/crawl/executor.py.
FILMSCRAPE_EXTRACT_MODE = "auto"
FILMSCRAPE_EXTRACT_WORKERS = 0        # pool size for "process"/"thread" (0: one per core but one)
FILMSCRAPE_EXTRACT_TIMEOUT = 60.0     # seconds one page may take in a worker before it is killed (error, go on)
FILMSCRAPE_RETRY_BACKOFF_BASE = 1.0   # seconds before the first retry of a 5xx/429 without Retry-After
FILMSCRAPE_RETRY_BACKOFF_MAX = 60.0   # cap on the exponential backoff
FILMSCRAPE_RETRY_AFTER_MAX = 120.0    # cap on a server's Retry-After
FILMSCRAPE_RATE_LIMIT_DELAY_MAX = 30.0  # after a 429/503, the site's delay rises to the wait, up to this (0: off)

# Parquet pipeline (filmscrape/pipelines/parquet.py, added by the pipelines work): when journaled rows are
# published as part files, and how often the write-ahead journal is fsync'd.
FILMSCRAPE_PART_ROWS = 100_000          # publish the part files once this many rows are journaled...
FILMSCRAPE_PART_SECONDS = 300.0         # ...or this many seconds after the first (and when the crawl closes)
FILMSCRAPE_JOURNAL_FSYNC_SECONDS = 1.0  # a killed process loses nothing; a power cut at most this much journal
