"""Checks each record against the JSON Schema and the semantic rules; failures go to ``rejected/``, counted."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem

from filmscrape.dataset.layout import DatasetLayout, safe_token
from filmscrape.pipelines.formats import format_checker, is_rfc3339_datetime
from filmscrape.pipelines.rules import Violation, check_record
from filmscrape.record import to_json_dict
from filmscrape.schema import Record, json_schema, timestamp_fields


@lru_cache(maxsize=1)
def record_validator() -> Draft202012Validator:
    """The schema validator with a ``date-time`` check that really runs; it words every error of a bad record."""
    return Draft202012Validator(json_schema(), format_checker=format_checker())


@lru_cache(maxsize=1)
def fast_validator() -> jsonschema_rs.Validator:
    """The same schema and ``date-time`` check compiled by jsonschema-rs: the per-item yes/no, ~50x faster."""
    return jsonschema_rs.validator_for(json_schema(), validate_formats=True,
                                       formats={"date-time": is_rfc3339_datetime})


# Datetimes as RFC 3339 with Z (naive ones taken as UTC), as to_json_dict() writes them.
_JSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


def json_form(record: Record) -> Record:
    """The record in JSON types, as the schema sees it: an orjson round trip (a third of to_json_dict()'s cost
    per crawled page); what orjson refuses (non-string keys, huge ints) goes through to_json_dict()."""
    try:
        doc: Record = orjson.loads(orjson.dumps(record, option=_JSON_OPTIONS))
    except TypeError:
        return to_json_dict(record)
    return doc


def _timestamp_text(value: datetime) -> str:
    """A datetime as :func:`json_form` writes it (the same orjson options, so the very same string)."""
    text: str = orjson.dumps(value, option=_JSON_OPTIONS)[1:-1].decode()
    return text


def passes_schema(record: Record) -> bool:
    """Whether the record's JSON form is schema-valid, asked without building that form when possible.

    jsonschema-rs reads Python values as JSON reads them (a tuple as an array, an enum as its value) and refuses a
    value JSON has no type for, so only the timestamp fields' datetimes need writing out. A refusal (a datetime
    anywhere else), or a no (which may be a float JSON cannot hold: the round trip would make it null), is answered
    again from :func:`json_form`.
    """
    plain = dict(record)
    for name in timestamp_fields():
        value = plain.get(name)
        if type(value) is datetime:
            plain[name] = _timestamp_text(value)
    try:
        if fast_validator().is_valid(plain):
            return True
    except ValueError:  # a value with no JSON type (a nested datetime, a UUID) or a key that is not a string
        pass
    return fast_validator().is_valid(json_form(record))


def violations(record: Record) -> list[Violation]:
    """Every schema error and semantic rule ``record`` breaks (empty when it is valid)."""
    if passes_schema(record):
        found = list(check_record(record))  # semantic rules assume the types the schema guarantees
    else:
        doc = json_form(record)
        found = [Violation(".".join(map(str, e.absolute_path)) or "(record)", f"schema:{e.validator}", e.message)
                 for e in record_validator().iter_errors(doc)]
    return sorted(found, key=lambda v: (v.field, v.rule))


class RejectLog:
    """Appends rejected records to ``rejected/<crawl_id>.jsonl``, one line each, written before returning."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def write(self, record: Record, found: list[Violation]) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{safe_token(str(record.get('crawl_id') or 'unknown'))}.jsonl"
        line = {"url": record.get("url"), "failures": [asdict(v) for v in found], "record": to_json_dict(record)}
        data = (json.dumps(line, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        return path


class ValidationPipeline:
    """Passes valid records on; writes an invalid one to ``<data>/rejected/`` with its failures and counts it.

    Stats: ``filmscrape/validated``, ``filmscrape/rejected`` and ``filmscrape/rejected/<rule>`` per rule.
    """

    def __init__(self, data_dir: str | Path, stats: Any) -> None:
        self.rejects = RejectLog(DatasetLayout(Path(data_dir)).rejected_dir)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidationPipeline:
        return cls(crawler.settings.get("FILMSCRAPE_DATA_DIR", "data"), crawler.stats)

    def process_item(self, item: Record) -> Record:
        found = violations(item)
        if not found:
            self.stats.inc_value("filmscrape/validated")
            return item
        path = self.rejects.write(item, found)
        self.stats.inc_value("filmscrape/rejected")
        for rule in sorted({v.rule for v in found}):
            self.stats.inc_value(f"filmscrape/rejected/{rule}")
        first = found[0]
        raise DropItem(f"rejected {item.get('url')}: {first.field}: {first.message} (written to {path})")
