"""Runs the extraction layers over one parsed page and merges their findings into a record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urljoin

from filmscrape.extract.document import parse_document
from filmscrape.record import empty_record
from filmscrape.schema import Record
from filmscrape.sites import ProfileRegistry, default_profiles


def _first(values: list[str]) -> str | None:
    for value in values:
        value = " ".join(value.split())
        if value:
            return value
    return None


def extract(
    html: bytes | str,
    url: str,
    *,
    fetched_at: datetime | None = None,
    headers: Mapping[str, str] | None = None,
    profiles: ProfileRegistry | None = None,
) -> Record:
    """Extract a record from one page. Raises ExtractionError only when there is no HTML to read."""
    doc = parse_document(html, url, headers)
    profiles = profiles if profiles is not None else default_profiles()
    root = doc.root
    canonical = _first(root.xpath("//link[@rel='canonical']/@href") + root.xpath("//meta[@property='og:url']/@content"))
    record = empty_record(urljoin(url, canonical) if canonical else url)
    title = _first(root.xpath("//meta[@property='og:title']/@content"))
    source = "meta:og:title"
    if title is None:
        title, source = _first([h.text_content() for h in root.xpath("//h1")]), "html:h1"
    if title is not None:
        record["title"] = title
        record["provenance"]["title"] = source
    return record
