"""Package and extractor versions (the extractor version is stamped on every record)."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = "filmscrape-extract/0.1.0"
