"""The record schema is the one contract: validation and the Arrow schema both come from it."""

from __future__ import annotations

import json

import pyarrow as pa

from filmscrape.record import empty_record, to_json_dict
from filmscrape.schema import arrow_schema, field_names, json_schema, schema_version, validator
from tests.conftest import REPO


def test_schema_file_is_valid_json_schema_2020_12() -> None:
    schema = json.loads((REPO / "schemas" / "film_article.schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator()  # check_schema raises on an invalid schema


def test_arrow_schema_has_exactly_the_json_schema_fields_in_order() -> None:
    assert arrow_schema().names == field_names()
    assert arrow_schema().names == list(json_schema()["properties"])


def test_arrow_types_follow_the_json_schema() -> None:
    schema = arrow_schema()
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("year").type == pa.int32()
    assert schema.field("directors").type == pa.list_(pa.string())
    assert pa.types.is_struct(schema.field("score").type)
    assert schema.field("score").type.names == ["value", "scale", "source"]
    assert pa.types.is_map(schema.field("provenance").type)


def test_arrow_schema_carries_the_schema_version() -> None:
    assert arrow_schema().metadata[b"filmscrape.schema_version"] == str(schema_version()).encode()


def test_an_empty_record_is_valid_and_uses_null_for_absent_facts() -> None:
    record = empty_record("https://example.com/film")
    assert list(validator().iter_errors(to_json_dict(record))) == []
    assert record["year"] is None and record["title"] is None and record["directors"] == []


def test_empty_string_is_not_a_valid_fact() -> None:
    record = to_json_dict(empty_record("https://example.com/film"))
    record["title"] = ""
    assert any(e.path[0] == "title" for e in validator().iter_errors(record))


def test_an_empty_record_converts_to_an_arrow_table() -> None:
    table = pa.Table.from_pylist([empty_record("https://example.com/film")], schema=arrow_schema())
    assert table.num_rows == 1
