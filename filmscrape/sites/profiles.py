"""Loads and matches site profiles (``filmscrape/sites/*.toml`` plus any extra directories)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from filmscrape.errors import SiteProfileError

BUILTIN_DIR = Path(__file__).resolve().parent
ENV_DIRS = "FILMSCRAPE_SITES_DIRS"  # os.pathsep-separated extra profile directories


@dataclass(frozen=True)
class CrawlRules:
    """Where a crawl of the site starts and which links it follows."""

    start_urls: tuple[str, ...] = ()
    sitemap_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    follow: tuple[re.Pattern[str], ...] = ()
    deny: tuple[re.Pattern[str], ...] = ()
    article: tuple[re.Pattern[str], ...] = ()

    def is_article(self, url: str) -> bool:
        """True when ``url`` matches an article pattern (or no patterns are set)."""
        return not self.article or any(p.search(url) for p in self.article)

    def should_follow(self, url: str) -> bool:
        """True when ``url`` matches a follow pattern (or none are set) and no deny pattern."""
        if any(p.search(url) for p in self.deny):
            return False
        return not self.follow or any(p.search(url) for p in self.follow)


@dataclass(frozen=True)
class SiteProfile:
    """What filmscrape knows about one site's templates, as data."""

    name: str
    domains: tuple[str, ...]
    source: str
    timezone: str = "UTC"
    date_formats: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    page_kinds: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    crawl: CrawlRules = field(default_factory=CrawlRules)

    def matches(self, url: str) -> bool:
        """True when the URL's host is one of the profile's domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def page_kind_for(self, url: str) -> str | None:
        """The page kind the profile's URL patterns assign to ``url``, if any."""
        for kind, patterns in self.page_kinds.items():
            if any(p.search(url) for p in patterns):
                return kind
        return None


def _strings(data: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SiteProfileError(f"{key!r} must be a string or a list of strings", field=key, url=source)
    return tuple(value)


def _patterns(data: Mapping[str, Any], key: str, source: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in _strings(data, key, source))
    except re.error as exc:
        raise SiteProfileError(f"bad regular expression in {key!r}: {exc}", field=key, url=source) from exc


def parse_profile(data: Mapping[str, Any], source: str) -> SiteProfile:
    """Build a SiteProfile from a decoded TOML table; ``source`` names the file in errors."""
    domains = _strings(data, "domains", source)
    if not domains:
        raise SiteProfileError("a profile needs at least one domain", field="domains", url=source)
    fields_table = data.get("fields", {})
    kinds_table = data.get("page_kinds", {})
    crawl_table = data.get("crawl", {})
    for key, table in (("fields", fields_table), ("page_kinds", kinds_table), ("crawl", crawl_table)):
        if not isinstance(table, dict):
            raise SiteProfileError(f"[{key}] must be a table", field=key, url=source)
    crawl = CrawlRules(
        start_urls=_strings(crawl_table, "start_urls", source),
        sitemap_urls=_strings(crawl_table, "sitemap_urls", source),
        feed_urls=_strings(crawl_table, "feed_urls", source),
        follow=_patterns(crawl_table, "follow", source),
        deny=_patterns(crawl_table, "deny", source),
        article=_patterns(crawl_table, "article", source),
    )
    return SiteProfile(
        name=str(data.get("name") or Path(source).stem),
        domains=tuple(d.lower() for d in domains),
        source=source,
        timezone=str(data.get("timezone", "UTC")),
        date_formats=_strings(data, "date_formats", source),
        languages=_strings(data, "languages", source),
        fields={k: _strings(fields_table, k, source) for k in fields_table},
        page_kinds={k: _patterns(kinds_table, k, source) for k in kinds_table},
        crawl=crawl,
    )


def load_profile_file(path: Path) -> SiteProfile:
    """Read one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SiteProfileError(f"cannot read site profile: {exc}", url=str(path)) from exc
    return parse_profile(data, str(path))


class ProfileRegistry:
    """The loaded profiles, looked up by URL."""

    def __init__(self, profiles: Iterable[SiteProfile]) -> None:
        self.profiles: tuple[SiteProfile, ...] = tuple(profiles)

    def for_url(self, url: str) -> SiteProfile | None:
        """The profile whose domain matches ``url`` most specifically, or None."""
        best: SiteProfile | None = None
        best_len = -1
        host = (urlsplit(url).hostname or "").lower()
        for profile in self.profiles:
            for domain in profile.domains:
                if (host == domain or host.endswith("." + domain)) and len(domain) > best_len:
                    best, best_len = profile, len(domain)
        return best

    def __len__(self) -> int:
        return len(self.profiles)


def _dirs(extra: Iterable[Path | str]) -> list[Path]:
    dirs = [BUILTIN_DIR]
    env = os.environ.get(ENV_DIRS, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path(p) for p in extra]
    return dirs


def load_profiles(extra_dirs: Iterable[Path | str] = ()) -> ProfileRegistry:
    """Every profile in the built-in directory, ``$FILMSCRAPE_SITES_DIRS`` and ``extra_dirs``."""
    profiles = [load_profile_file(p) for d in _dirs(extra_dirs) for p in sorted(Path(d).glob("*.toml"))]
    return ProfileRegistry(profiles)


@lru_cache(maxsize=1)
def default_profiles() -> ProfileRegistry:
    """The profiles from the default locations, loaded once per process."""
    return load_profiles()
