"""The two seed page kinds, as real sites mark them up, through the real ``filmscrape extract`` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from filmscrape.cli import main

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def extract_cli(capsys: pytest.CaptureFixture[str], page: str) -> dict[str, Any]:
    """The JSONL line ``filmscrape extract PAGE`` prints, parsed."""
    assert main(["extract", "--strict", str(PAGES / page)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record: dict[str, Any] = json.loads(lines[0])
    assert "error" not in record
    return record


@pytest.fixture
def ending(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return extract_cli(capsys, "seed_ending_explained.html")


@pytest.fixture
def news(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return extract_cli(capsys, "seed_news.html")


def test_ending_page_headline_is_the_film_name_its_h1_shows(ending: dict[str, Any]) -> None:
    assert ending["title"] == "Ballerina"
    assert ending["film_title"] == "Ballerina"


def test_ending_page_fact_block_gives_year_runtime_director_and_language(ending: dict[str, Any]) -> None:
    assert ending["year"] == 2025
    assert ending["runtime_minutes"] == 125
    assert ending["directors"] == ["Len Wiseman"]
    assert ending["language"] == "english"
    assert ending["provenance"]["runtime_minutes"] == "label:Runtime"


def test_ending_page_site_score_is_66_out_of_100(ending: dict[str, Any]) -> None:
    assert ending["score"]["value"] == 66
    assert ending["score"]["scale"] == 100
    assert ending["score"]["source"] == "Echo Score"


def test_ending_page_genre_tags_run_together_in_text_come_apart_from_markup(ending: dict[str, Any]) -> None:
    assert ending["genres"] == ["action", "thriller"]


def test_ending_page_last_updated_stamp_is_updated_at(ending: dict[str, Any]) -> None:
    assert ending["updated_at"].startswith("2025-06-09T10:02")


def test_ending_page_spoiler_sections_are_marked(ending: dict[str, Any]) -> None:
    spoilers = [s["heading"] for s in ending["sections"] if s["is_spoiler"]]
    assert ending["has_spoilers"] is True
    assert "Ballerina (2025) – Ending Explained & Final Scene Breakdown" in spoilers
    assert ending["page_kind"] == "ending_explained"


def test_ending_page_navigation_tail_is_not_content(ending: dict[str, Any]) -> None:
    headings = [s["heading"] for s in ending["sections"]]
    assert "Ballerina Timeline" not in headings
    assert "Similar Movies to Ballerina" not in (ending["body_text"] or "")


def test_ending_page_url_site_and_provenance(ending: dict[str, Any]) -> None:
    assert ending["url"] == "https://www.echofilms.example/movie/ballerina-2025/ending-explained/"
    assert ending["site"] == "echofilms.example"
    assert set(ending["provenance"]) >= {"title", "year", "runtime_minutes", "directors", "score", "updated_at"}


def test_news_page_headline_and_question_sections(news: dict[str, Any]) -> None:
    assert news["title"] == "Ballerina: The Untold Story Behind Ana de Armas’ High-Octane Revenge Thriller"
    headings = [s["heading"] for s in news["sections"] if s["heading"]]
    assert "What’s Next After Ballerina in the John Wick Universe?" in headings
    assert "Is Ballerina the Best Action Film of 2025? Here’s What Critics Are Saying" in headings
    assert news["page_kind"] == "news"


def test_news_page_chrome_is_not_content(news: dict[str, Any]) -> None:
    assert "Exit mobile version" not in (news["body_text"] or "")
    assert "Related Articles" not in [s["heading"] for s in news["sections"]]
    assert news["has_spoilers"] is False


def test_news_page_other_films_it_mentions_give_no_film_facts(news: dict[str, Any]) -> None:
    # "John Wick: Chapter 3 - Parabellum", "Chapter 4" and a "(2014)" in the sidebar are other films.
    assert news["year"] is None
    assert news["runtime_minutes"] is None
    assert news["directors"] == []
    assert news["score"] is None


def test_news_page_dates_come_from_article_metadata(news: dict[str, Any]) -> None:
    assert news["published_at"] == "2025-06-10T08:41:12Z"
    assert news["updated_at"] == "2025-06-10T09:03:55Z"
