"""Pure extraction: ``html + url -> record``, with no Scrapy and no network."""

from filmscrape.extract.extractor import extract

__all__ = ["extract"]
