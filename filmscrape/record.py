"""Record helpers: an empty record with every field, and its JSON form."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from filmscrape.schema import Record, field_names, schema_version
from filmscrape.version import EXTRACTOR_VERSION

_LIST_FIELDS = frozenset({"directors", "genres", "scores", "authors", "sections"})


def empty_record(url: str) -> Record:
    """A record for ``url`` with every schema field present: lists empty, facts null."""
    record: Record = {}
    for name in field_names():
        record[name] = [] if name in _LIST_FIELDS else None
    record.update(
        url=url,
        has_spoilers=False,
        provenance={},
        schema_version=schema_version(),
        extractor_version=EXTRACTOR_VERSION,
    )
    return record


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def to_json_dict(record: Record) -> Record:
    """The record with timestamps as ISO 8601 UTC strings, ready for json.dumps and schema validation."""
    out: Record = _jsonable(record)
    return out
