"""What every extraction layer emits: candidate values for record fields, each with its source and trust."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from filmscrape.extract.document import Document
from filmscrape.sites import SiteProfile


class Layer(IntEnum):
    """Extraction layers, higher is more trusted; where layers disagree the more trusted one wins."""

    HEURISTIC = 1   # text patterns: "Title (2025)", "directed by X", "125 min"
    PROFILE = 2     # a declarative site profile's selectors
    LABELLED = 3    # "Label: value" facts, <dl>, infobox rows
    STRUCTURED = 4  # JSON-LD, microdata, OpenGraph, article meta


@dataclass(frozen=True)
class Candidate:
    """One value for one record field, and where it was read.

    ``source`` is written into the record's provenance, as ``<kind>:<detail>``, for example
    ``json-ld:Movie.director``, ``meta:article:published_time``, ``label:Runtime``,
    ``site:echo-films:.score-badge``, ``text:title-year``.
    """

    field: str
    value: Any
    source: str
    layer: Layer


@dataclass(frozen=True)
class Context:
    """What a layer may read besides the document: the URL, fetch time and the site's profile."""

    doc: Document
    url: str
    fetched_at: datetime | None
    profile: SiteProfile | None


def best(candidates: Iterable[Candidate]) -> dict[str, Candidate]:
    """The winning candidate per field: most trusted layer first, then the order layers emitted them."""
    winners: dict[str, Candidate] = {}
    for cand in candidates:
        current = winners.get(cand.field)
        if current is None or cand.layer > current.layer:
            winners[cand.field] = cand
    return winners
