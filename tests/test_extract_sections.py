"""Main content, sections and spoiler marking, read from pages written the way real sites write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filmscrape.extract import sections
from filmscrape.extract.document import parse_document
from filmscrape.extract.sections import SPOILER_WARNING, SectionsResult, split_sections

PAGES = Path(__file__).parent / "fixtures" / "pages"


def sections_of(name: str, url: str = "https://films.example/page/") -> SectionsResult:
    return split_sections(parse_document((PAGES / name).read_bytes(), url))


def by_heading(result: SectionsResult) -> dict[str | None, dict[str, object]]:
    return {s["heading"]: s for s in result.sections}


def test_a_warning_paragraph_marks_the_sections_after_it() -> None:
    result = sections_of("sections_ending_explained.html")
    assert result.spoiler_headings == ["Ballerina (2025) – Ending Explained & Final Scene Breakdown"]
    assert result.has_spoilers
    assert result.source == "sections:warning-text"


def test_the_section_holding_the_warning_is_not_itself_a_spoiler() -> None:
    intro = sections_of("sections_ending_explained.html").sections[0]
    assert intro["heading"] is None
    assert intro["text"].startswith("Set against the backdrop")
    assert not intro["is_spoiler"]


def test_the_navigation_tail_after_the_last_updated_stamp_is_not_content() -> None:
    result = sections_of("sections_ending_explained.html")
    assert result.body_text is not None
    assert "Last Updated: June 09, 2025 at 10:02" in result.body_text
    for chrome in ("Unlock the Full Story", "Ballerina Timeline", "Similar Movies", "Advertisement", "cookies"):
        assert chrome not in result.body_text


def test_fact_labels_and_ads_stay_out_of_the_sections() -> None:
    text = sections_of("sections_ending_explained.html").body_text or ""
    assert "Skip to content" not in text
    assert "Endings Explained" not in text  # the site menu


def test_news_sections_follow_the_question_headings() -> None:
    result = sections_of("sections_news_chrome.html")
    assert result.headings[1:] == [
        "Why Ballerina Is More Than Just Another Action Film",
        "What’s Behind Ana de Armas’ Deadly Revenge?",
        "What’s Next After Ballerina in the John Wick Universe?",
    ]
    assert not result.has_spoilers


def test_share_bars_related_posts_comments_and_mobile_chrome_are_dropped() -> None:
    text = sections_of("sections_news_chrome.html").body_text or ""
    assert "producer Erica Lee has teased a follow-up" in text
    for chrome in ("Share this", "You may also like", "thoughts on", "Great article", "Trending",
                   "Exit mobile version", "John Wick 5: Everything We Know", "Tags:"):
        assert chrome not in text


def test_a_spoiler_heading_marks_its_section_and_those_after_it() -> None:
    result = sections_of("sections_review_spoiler_heading.html")
    flags = {s["heading"]: s["is_spoiler"] for s in result.sections}
    assert flags["The performances"] is False
    assert flags["[SPOILERS] What the final scene means"] is True
    assert flags["Verdict"] is True
    assert result.source == "sections:warning-heading"


def test_a_details_block_with_a_spoiler_summary_marks_its_section() -> None:
    result = sections_of("sections_details_spoiler.html")
    sections = by_heading(result)
    assert sections["Why it works"]["is_spoiler"] is True
    assert sections["Night Ferry (2023) – our take"]["is_spoiler"] is False
    assert result.source == "sections:markup"


def test_hidden_spoiler_tagged_text_still_marks_its_section() -> None:
    sections = by_heading(sections_of("sections_details_spoiler.html"))
    assert sections["Where to watch"]["is_spoiler"] is True
    assert "The captain knew all along" in str(sections["Where to watch"]["text"])


def test_link_labels_filters_car_parts_and_spoiler_free_notes_are_not_warnings() -> None:
    result = sections_of("sections_spoiler_negatives.html")
    assert not result.has_spoilers
    assert result.spoiler_headings == []
    assert "air spoilers" in (result.body_text or "")


def test_bold_lines_act_as_headings_on_pages_without_heading_tags() -> None:
    result = sections_of("sections_bold_headings_de.html")
    assert result.headings == ["Einleitung", "Die Handlung", "Das Ende erklärt"]
    assert [s["level"] for s in result.sections if s["heading"]] == [2, 2, 2]


def test_a_german_warning_marks_the_following_sections() -> None:
    result = sections_of("sections_bold_headings_de.html")
    assert result.spoiler_headings == ["Die Handlung", "Das Ende erklärt"]


def test_a_plot_section_is_a_spoiler_on_an_ending_explained_page() -> None:
    result = sections_of("sections_plot_explained.html")
    assert result.spoiler_headings[:2] == ["Harbour Lights plot summary", "Who was steering the ship?"]


def test_the_explainers_own_headline_does_not_make_its_intro_a_spoiler() -> None:
    intro = sections_of("sections_plot_explained.html").sections[0]
    assert intro["level"] == 1
    assert not intro["is_spoiler"]


def test_a_short_plot_teaser_on_an_ordinary_film_page_is_not_a_spoiler() -> None:
    result = sections_of("sections_plot_review.html")
    assert "Plot" in result.headings
    assert not result.has_spoilers


def test_sections_match_the_record_schema_shape() -> None:
    for section in sections_of("sections_news_chrome.html").sections:
        assert set(section) == {"heading", "level", "text", "is_spoiler"}
        assert 0 <= int(str(section["level"])) <= 6


@pytest.mark.parametrize("warning", [
    "Warning: spoilers below!",
    "Spoiler alert: the ending is discussed in full.",
    "[SPOILERS]",
    "Warning! This synopsis may contain spoilers",
    "Achtung, Spoiler! Wer den Film nicht kennt, sollte aufhören.",
    "Attention, cet article contient des spoilers.",
    "Alerta de spoiler: hablamos del final.",
    "It is impossible to discuss the film without spoiling the plot.",
])
def test_spoiler_warning_phrases_are_recognised(warning: str) -> None:
    assert SPOILER_WARNING.search(warning)


@pytest.mark.parametrize("text", [
    "a Crown Victoria with air spoilers, a supercharger and cool rims",
    "marred but not spoiled by its last act",
    "Hide Spoilers:",
    "Spoiler Alert is a tender film about a critic who falls in love.",  # the 2022 film's title
])
def test_ordinary_uses_of_spoiler_words_are_not_warnings(text: str) -> None:
    assert not SPOILER_WARNING.search(text)


def _manifest(realpages_dir: Path) -> dict[str, dict[str, object]]:
    entries = json.loads((realpages_dir / "manifest.json").read_text(encoding="utf-8"))["entries"]
    return {e["id"]: e for e in entries}


@pytest.mark.parametrize("page_id", [
    "imdb-2014-die-hard-synopsis",
    "themodernword-2002-mulholland-drive-explained",
])
def test_real_spoiler_pages_give_their_spoiler_headings(realpages_dir: Path, page_id: str) -> None:
    entry = _manifest(realpages_dir)[page_id]
    truth = entry["truth"]
    assert isinstance(truth, dict)
    page = realpages_dir / "pages" / f"{page_id}.html"
    result = split_sections(parse_document(page.read_bytes(), str(entry["url"] or page.as_uri())))
    accepted = [truth["spoiler_headings"], *dict(entry.get("alts") or {}).get("spoiler_headings", [])]
    assert result.has_spoilers
    assert result.spoiler_headings in accepted


@pytest.mark.parametrize("page_id", [
    "imdb-2014-die-hard-plotsummary",
    "imdb-2017-die-hard-userreviews",
    "letterboxd-2025-user-reviews-pt",
    "sptimes-2004-taxi-review",
])
def test_real_spoiler_traps_give_no_spoilers(realpages_dir: Path, page_id: str) -> None:
    page = realpages_dir / "pages" / f"{page_id}.html"
    result = split_sections(parse_document(page.read_bytes(), page.as_uri()))
    assert not result.has_spoilers


def test_a_line_break_inside_a_heading_does_not_split_it() -> None:
    assert sections_of("sections_plot_review.html").headings[0] == "Harbour Lights (2022)"


def test_a_long_section_under_a_more_on_heading_is_content_not_navigation() -> None:
    result = sections_of("sections_plot_explained.html")
    assert "More on the ending: the pilot's logbook" in result.spoiler_headings


def test_sections_are_computed_once_per_document() -> None:
    doc = parse_document((PAGES / "sections_news_chrome.html").read_bytes(), "https://films.example/page/")
    assert split_sections(doc) is split_sections(doc)


def test_reader_comments_without_comment_classes_are_dropped_by_their_heading() -> None:
    result = sections_of("sections_blog_unmarked_comments.html")
    text = result.body_text or ""
    assert "lets every viewer fill it in" in text
    assert "thoughts on" not in text
    assert "I completely disagree" not in text


def test_a_full_plot_retelling_under_a_plot_heading_is_a_spoiler_section() -> None:
    result = sections_of("sections_wiki_film_plot.html")
    assert result.spoiler_headings == ["Plot"]
    assert "References" not in result.headings
    assert "[edit]" not in " ".join(result.headings)


def test_lines_broken_by_br_stay_in_one_paragraph() -> None:
    intro = by_heading(sections_of("sections_bold_headings_de.html"))["Einleitung"]
    assert "erzählen, was mutiger ist, als es klingt.\nAchtung, Spoiler!" in str(intro["text"])


def test_a_warning_in_an_aside_callout_inside_the_article_counts() -> None:
    result = sections_of("sections_aside_warning.html")
    assert result.spoiler_headings == ["Who Locked the Hold?", "What the Last Shot Means"]
    assert "Popular" not in result.headings


def test_a_warning_inside_the_headlines_section_does_not_make_the_headline_a_spoiler_heading() -> None:
    result = sections_of("sections_inline_warning_review.html")
    assert result.has_spoilers
    assert result.spoiler_headings == []


def test_the_spoilers_start_at_an_inline_warning_not_at_the_headline() -> None:
    intro, reveal = sections_of("sections_inline_warning_review.html").sections
    assert not intro["is_spoiler"]
    assert intro["text"].endswith("rather than just the plan.")
    assert reveal["heading"] is None and reveal["is_spoiler"]
    assert reveal["text"].startswith("Where the movie gets interesting is the last half hour.")


def test_a_warning_partway_through_a_section_splits_off_an_unnamed_spoiler_part() -> None:
    result = sections_of("sections_inline_warning_midsection.html")
    setup = by_heading(result)["The Setup"]
    assert not setup["is_spoiler"]
    assert str(setup["text"]).endswith("knows it is familiar.")
    assert result.spoiler_headings == ["The Final Night", "What It Means"]
    unnamed = [s for s in result.sections if s["heading"] is None and s["is_spoiler"]]
    assert len(unnamed) == 1 and unnamed[0]["text"].startswith("Warning: major spoilers")


def test_a_blogger_post_inside_its_widget_wrapper_is_the_main_content() -> None:
    """Blogger renders every post inside <div class="widget Blog">; the hAtom entry inside marks it as the article,
    so the widget class does not make the post chrome (while the archive and label widgets stay out)."""
    result = sections_of("sections_blogger_post.html")
    assert "Derek Jarman shot The Garden" in result.body_text
    assert "a bed floating in the surf" in result.body_text
    assert "Blog Archive" not in result.body_text
    assert "Saw it at the Scala" not in result.body_text


@pytest.mark.parametrize("html", [
    "<html><head><title>Head</title></head><body><svg><title>Svg</title></svg></body></html>",
    "<html><head><noscript><title>Inner</title></noscript><title>Head</title></head><body></body></html>",
    "<html><head></head><body><svg><title>Svg</title></svg><p>x</p><svg><title>Second</title></svg></body></html>",
    "<html><head><meta name='x' content='y'></head><body><p>No title</p></body></html>",
    "<html><head><title>A <b>bold</b> &amp; plain</title></head><body></body></html>",
])
def test_the_page_title_is_the_one_the_tree_searches_find(html: str) -> None:
    doc = parse_document(html, "https://films.example/")
    expected = doc.root.find("head/title")
    if expected is None:
        expected = doc.root.find(".//title")
    assert sections._page_title(doc) is expected
    text = expected.text_content() if expected is not None else ""
    assert sections._page_headline(doc, []) == text
