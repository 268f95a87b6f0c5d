"""Scrapy settings for filmscrape: polite, unattended-safe defaults."""

from __future__ import annotations

BOT_NAME = "filmscrape"
SPIDER_MODULES = ["filmscrape.spiders"]
NEWSPIDER_MODULE = "filmscrape.spiders"

USER_AGENT = "filmscrape/0.1 (+https://example.invalid/filmscrape; film-article research crawler)"
ROBOTSTXT_OBEY = True

# Politeness
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Limits
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 5

# Safe to run unattended from cron
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "filmscrape.pipelines.validate.ValidationPipeline": 100,
    "filmscrape.pipelines.dedupe.DedupePipeline": 200,
    "filmscrape.pipelines.parquet.ParquetPipeline": 800,
}

# filmscrape's own settings
FILMSCRAPE_DATA_DIR = "data"          # dataset, rejected records, crawl state live under here
FILMSCRAPE_ROW_GROUP_SIZE = 5000      # rows buffered per Parquet row group
FILMSCRAPE_SITES_DIRS: list[str] = []  # extra site-profile directories
