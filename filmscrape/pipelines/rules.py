"""Semantic rules a record must meet beyond its JSON Schema: plausible years, runtimes, scores, dates, URLs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from filmscrape.schema import Record
from filmscrape.urls import is_plain_http_url

FIRST_FILM_YEAR = 1870
MAX_RUNTIME_MINUTES = 1000


@dataclass(frozen=True)
class Violation:
    """One broken rule: which field, which rule, and a message a person can act on."""

    field: str
    rule: str
    message: str


def check_record(record: Record, *, now: datetime | None = None) -> Iterator[Violation]:
    """Every semantic rule ``record`` (Python form: datetimes, not strings) breaks."""
    yield from _year(record, now or datetime.now(UTC))
    yield from _runtime(record)
    yield from _scores(record)
    yield from _dates(record)
    yield from _urls(record)


def _year(record: Record, now: datetime) -> Iterator[Violation]:
    year = record.get("year")
    if _is_int(year) and not FIRST_FILM_YEAR <= year <= now.year + 1:
        yield Violation("year", "year_range", f"year {year} is outside {FIRST_FILM_YEAR}..{now.year + 1}")


def _runtime(record: Record) -> Iterator[Violation]:
    runtime = record.get("runtime_minutes")
    if _is_int(runtime) and not 1 <= runtime <= MAX_RUNTIME_MINUTES:
        yield Violation("runtime_minutes", "runtime_range",
                        f"runtime {runtime} minutes is outside 1..{MAX_RUNTIME_MINUTES}")


def _scores(record: Record) -> Iterator[Violation]:
    named: list[tuple[str, Any]] = [("score", record.get("score"))]
    named += [(f"scores[{i}]", s) for i, s in enumerate(record.get("scores") or [])]
    for name, score in named:
        if not isinstance(score, dict):
            continue
        value, scale = score.get("value"), score.get("scale")
        if _is_number(value) and _is_number(scale) and not 0 <= value <= scale:
            yield Violation(f"{name}.value", "score_range", f"score {value} is outside 0..{scale}")


def _dates(record: Record) -> Iterator[Violation]:
    published, updated = record.get("published_at"), record.get("updated_at")
    if isinstance(published, datetime) and isinstance(updated, datetime) and _utc(updated) < _utc(published):
        yield Violation("updated_at", "updated_before_published",
                        f"updated_at {updated.isoformat()} is before published_at {published.isoformat()}")


def _urls(record: Record) -> Iterator[Violation]:
    for name in ("url", "fetched_url"):
        url = record.get(name)
        if url is None and name == "fetched_url":
            continue
        if isinstance(url, str) and is_plain_http_url(url):
            continue  # most URLs: no parse needed
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            yield Violation(name, "absolute_http_url", f"{name} {url!r} is not an absolute http(s) URL")


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
