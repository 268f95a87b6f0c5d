"""The page's two line views, read in one walk: every visible line for the text layers, content for sections."""

from __future__ import annotations

from pathlib import Path

from filmscrape.extract.document import parse_document
from filmscrape.extract.headline import headings
from filmscrape.extract.lines import MAX_LINES, page_lines, short_text, text_lines

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
URL = "https://www.etechon.example/ballerina-untold-story/"


def news_page_lines() -> tuple[list[str], list[str]]:
    doc = parse_document((FIXTURES / "sections_news_chrome.html").read_bytes(), URL)
    views = page_lines(doc)
    return [line.text for line in views.lines], [line.text for line in views.content]


def test_text_view_keeps_chrome_and_content_view_leaves_it_out() -> None:
    text, content = news_page_lines()
    assert "Share this:" in text and "Share this:" not in content
    assert "© 2025 Etechon" in text and "© 2025 Etechon" not in content


def test_both_views_hold_the_article() -> None:
    text, content = news_page_lines()
    headline = "Ballerina: The Untold Story Behind Ana de Armas’ High-Octane Revenge Thriller"
    assert headline in text and headline in content


def test_page_lines_are_read_once_per_document() -> None:
    doc = parse_document((FIXTURES / "sections_news_chrome.html").read_bytes(), URL)
    assert page_lines(doc) is page_lines(doc)


def test_page_text_view_matches_text_lines_of_the_root() -> None:
    for fixture in sorted(FIXTURES.glob("*.html")):
        doc = parse_document(fixture.read_bytes(), URL)
        walked = [(line.text, line.block) for line in page_lines(doc).lines]
        assert walked == [(line.text, line.block) for line in text_lines(doc.root)], fixture.name


def test_a_flood_of_paragraphs_is_read_to_a_bounded_number_of_lines() -> None:
    doc = parse_document(("<html><body>" + "<p>Ballerina " * 200_000).encode("utf-8"), URL)
    views = page_lines(doc)
    assert MAX_LINES <= len(views.lines) <= MAX_LINES + 1
    assert MAX_LINES <= len(views.content) <= MAX_LINES + 1


def test_short_text_reads_a_heading_and_gives_up_on_a_long_one() -> None:
    doc = parse_document((FIXTURES / "sections_news_chrome.html").read_bytes(), URL)
    h1 = doc.root.find(".//h1")
    assert short_text(h1, 200) == "Ballerina: The Untold Story Behind Ana de Armas’ High-Octane Revenge Thriller"
    assert short_text(doc.body, 200) is None


def test_nested_unclosed_headings_are_each_read_within_a_budget() -> None:
    # Every unclosed <h2> holds the rest of the page: read whole, the headings of this page are quadratic.
    doc = parse_document(("<html><body>" + "<h2>spoiler " * 2_000).encode("utf-8"), URL)
    found = headings(doc)
    assert found and all(len(text) <= 300 for _tag, text in found)
    assert found[-1] == ("h2", "spoiler")
