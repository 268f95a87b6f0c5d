"""filmscrape: crawl film-article pages and extract structured, traceable records."""

from filmscrape.version import EXTRACTOR_VERSION, __version__

__all__ = ["EXTRACTOR_VERSION", "__version__"]
