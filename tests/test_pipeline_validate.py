"""The validation pipeline: schema plus semantic rules; a failing record is written to rejected/ and counted."""

from __future__ import annotations

import contextlib
import enum
import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem

from filmscrape.pipelines.formats import is_rfc3339_datetime
from filmscrape.pipelines.validate import ValidationPipeline, violations
from filmscrape.schema import Record
from tests.support_dataset import crawler, fixture_records


def review() -> Record:
    return fixture_records()[0]


def rejected_lines(data_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted((data_dir / "rejected").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_fixture_records_are_valid() -> None:
    assert all(violations(r) == [] for r in fixture_records())


@pytest.mark.parametrize(("change", "field", "rule"), [
    ({"year": 1869}, "year", "year_range"),
    ({"year": 2999}, "year", "year_range"),
    ({"runtime_minutes": 0}, "runtime_minutes", "runtime_range"),
    ({"runtime_minutes": 1001}, "runtime_minutes", "runtime_range"),
    ({"score": {"value": 120.0, "scale": 100.0, "source": "Echo Score"}}, "score.value", "score_range"),
    ({"score": {"value": -1.0, "scale": 10.0, "source": None}}, "score.value", "score_range"),
    ({"url": "/reviews/ballerina-2025/"}, "url", "absolute_http_url"),
    ({"url": "ftp://example.com/film"}, "url", "absolute_http_url"),
    ({"fetched_url": "javascript:void(0)"}, "fetched_url", "absolute_http_url"),
])
def test_semantic_rules_name_the_field_and_rule(change: dict[str, Any], field: str, rule: str) -> None:
    record = {**review(), **change}
    assert [(v.field, v.rule) for v in violations(record)] == [(field, rule)]


def test_a_second_score_out_of_its_scale_is_caught_by_index() -> None:
    record = review()
    record["scores"] = [*record["scores"], {"value": 11.0, "scale": 10.0, "source": "IMDb"}]
    assert [(v.field, v.rule) for v in violations(record)] == [("scores[2].value", "score_range")]


def test_updated_before_published_is_rejected() -> None:
    record = review()
    record["updated_at"] = record["published_at"] - timedelta(days=1)
    assert [(v.field, v.rule) for v in violations(record)] == [("updated_at", "updated_before_published")]


def test_next_year_is_still_a_plausible_film_year() -> None:
    assert violations({**review(), "year": datetime.now(UTC).year + 1}) == []


def test_schema_errors_are_reported_with_their_json_schema_keyword() -> None:
    record = {**review(), "title": "", "page_kind": "blog", "unexpected": 1}
    found = {(v.field, v.rule) for v in violations(record)}
    assert found == {("title", "schema:minLength"), ("page_kind", "schema:enum"),
                     ("(record)", "schema:additionalProperties")}


def test_date_time_strings_are_really_checked() -> None:
    # jsonschema skips "date-time" unless rfc3339-validator is installed; our checker does not.
    record = {**review(), "published_at": "June 9, 2025"}
    assert [(v.field, v.rule) for v in violations(record)] == [("published_at", "schema:format")]


@pytest.mark.parametrize("text", ["2025-06-09T10:02:00Z", "2025-06-09T10:02:00.123456+02:00", "2025-06-09t10:02:00z"])
def test_rfc3339_date_times_pass(text: str) -> None:
    assert is_rfc3339_datetime(text)


@pytest.mark.parametrize("text", ["2025-06-09", "2025-06-09 10:02:00Z", "2025-06-09T10:02:00", "2025-13-09T10:02:00Z",
                                  "2025-02-30T10:02:00Z", "2025-06-09T25:00:00Z", "yesterday"])
def test_non_rfc3339_date_times_fail(text: str) -> None:
    assert not is_rfc3339_datetime(text)


def test_an_invalid_record_is_written_to_rejected_with_url_fields_and_rules(tmp_path: Path) -> None:
    c = crawler(tmp_path)
    pipeline = ValidationPipeline.from_crawler(c)
    bad = {**review(), "year": 1600, "runtime_minutes": 5000}
    with pytest.raises(DropItem, match=re.escape("rejected https://www.echo-reviews.net/reviews/ballerina-2025/")):
        pipeline.process_item(bad)
    [line] = rejected_lines(tmp_path)
    assert line["url"] == bad["url"]
    assert [(f["field"], f["rule"]) for f in line["failures"]] == [("runtime_minutes", "runtime_range"),
                                                                    ("year", "year_range")]
    assert line["record"]["year"] == 1600 and line["record"]["fetched_at"] == "2025-11-10T02:03:11Z"
    assert (tmp_path / "rejected" / f"{bad['crawl_id']}.jsonl").is_file()


def test_rejections_are_counted_in_crawl_stats_in_total_and_per_rule(tmp_path: Path) -> None:
    c = crawler(tmp_path)
    pipeline = ValidationPipeline.from_crawler(c)
    for change in ({"year": 1600}, {"year": 3000}, {"runtime_minutes": 0}, {}):
        with contextlib.suppress(DropItem):
            pipeline.process_item({**review(), **change})
    assert c.stats.get_value("filmscrape/rejected") == 3
    assert c.stats.get_value("filmscrape/rejected/year_range") == 2
    assert c.stats.get_value("filmscrape/rejected/runtime_range") == 1
    assert c.stats.get_value("filmscrape/validated") == 1
    assert len(rejected_lines(tmp_path)) == 3


def test_a_valid_record_passes_unchanged(tmp_path: Path) -> None:
    record = review()
    assert ValidationPipeline.from_crawler(crawler(tmp_path)).process_item(record) is record
    assert not (tmp_path / "rejected").exists()


@pytest.mark.parametrize("change", [
    {}, {"title": ""}, {"page_kind": "blog"}, {"published_at": "June 9, 2025"}, {"year": "2025"},
    {"score": {"value": 6.0}}, {"sections": [{"heading": None, "level": 9, "text": "x", "is_spoiler": False}]},
    {"provenance": {"title": 3}}, {"content_sha256": "xyz"}, {"schema_version": 2}, {"extra": True},
])
def test_the_fast_validator_agrees_with_jsonschema(change: dict[str, Any]) -> None:
    from filmscrape.pipelines.validate import fast_validator, record_validator
    from filmscrape.record import to_json_dict

    doc = {**to_json_dict(review()), **change}
    assert fast_validator().is_valid(doc) == record_validator().is_valid(doc) == (change == {})


class _Kind(enum.StrEnum):
    REVIEW = "review"


@pytest.mark.parametrize("change", [
    {}, {"directors": ("Ana Lily Amirpour",)}, {"page_kind": _Kind.REVIEW},
    {"fetched_at": datetime(2025, 11, 10, 2, 3)},
    {"published_at": datetime(2025, 6, 9, 12, tzinfo=timezone(timedelta(hours=2)))},
    {"score": {"value": float("nan"), "scale": 10.0, "source": None}}, {"runtime_minutes": 2 ** 70},
    {"provenance": {"title": datetime(2025, 1, 1, tzinfo=UTC)}}, {"summary": uuid.UUID(int=7)},
    {"published_at": "June 9, 2025"}, {"title": ""},
])
def test_the_schema_answer_without_the_json_round_trip_is_the_round_trips(change: dict[str, Any]) -> None:
    from filmscrape.pipelines.validate import fast_validator, json_form, passes_schema

    record = {**review(), **change}
    assert passes_schema(record) == fast_validator().is_valid(json_form(record))
