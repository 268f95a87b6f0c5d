"""Declarative site profiles: one TOML file per site, loaded into SiteProfile objects."""

from filmscrape.sites.profiles import (
    CrawlRules,
    ProfileRegistry,
    SiteProfile,
    default_profiles,
    load_profiles,
)

__all__ = ["CrawlRules", "ProfileRegistry", "SiteProfile", "default_profiles", "load_profiles"]
