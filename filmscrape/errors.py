"""Typed errors: each carries the URL (and field, where one is involved) it is about."""

from __future__ import annotations


class FilmscrapeError(Exception):
    """Base class for every error filmscrape raises on purpose."""

    def __init__(self, message: str, *, url: str | None = None, field: str | None = None) -> None:
        self.message = message
        self.url = url
        self.field = field
        where = ", ".join(p for p in (f"url={url}" if url else "", f"field={field}" if field else "") if p)
        super().__init__(f"{message} ({where})" if where else message)

    @property
    def kind(self) -> str:
        """Short machine name of the error class, used in stats keys and error logs."""
        return type(self).__name__


class ExtractionError(FilmscrapeError):
    """The page could not be turned into a record at all (not HTML, undecodable, empty)."""


class ValidationError(FilmscrapeError):
    """A record broke the schema or a semantic rule."""

    def __init__(self, message: str, *, url: str | None = None, field: str | None = None,
                 rule: str | None = None) -> None:
        super().__init__(message, url=url, field=field)
        self.rule = rule


class SiteProfileError(FilmscrapeError):
    """A site profile file is malformed."""


class DatasetError(FilmscrapeError):
    """A Parquet dataset is unreadable, inconsistent or holds duplicates."""
