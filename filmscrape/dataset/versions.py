"""What the dataset already holds, loaded cheaply (five columns): the latest content hash and extractor of every URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.compute as pc

from filmscrape.dataset.latest import latest_indices
from filmscrape.dataset.read import read_table


@dataclass
class KnownVersions:
    """Latest ``(content_sha256, extractor_version)`` per URL, and the URLs a given crawl has already recorded."""

    latest: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    in_crawl: set[str] = field(default_factory=set)


def load_known_versions(path: str | Path, crawl_id: str | None = None) -> KnownVersions:
    """Read only ``url``, ``content_sha256``, ``extractor_version``, ``fetched_at`` and ``crawl_id`` at ``path``."""
    table = read_table(path, columns=["url", "content_sha256", "extractor_version", "fetched_at", "crawl_id"])
    latest = table.take(latest_indices(table))
    versions = zip(latest.column("content_sha256").to_pylist(), latest.column("extractor_version").to_pylist(),
                   strict=True)
    known = KnownVersions(dict(zip(latest.column("url").to_pylist(), versions, strict=True)))
    if crawl_id is not None:
        mine = table.filter(pc.equal(table.column("crawl_id"), crawl_id))
        known.in_crawl = set(mine.column("url").to_pylist())
    return known
