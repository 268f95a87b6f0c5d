"""Page dates: how strings are parsed, which dates on a page are the page's, and in which layer they land."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filmscrape.extract import dates
from filmscrape.extract.candidates import Candidate, Context, Layer, best
from filmscrape.extract.dates import _year_starts, date_candidates, parse_date, relative_date, url_date
from filmscrape.extract.document import parse_document
from filmscrape.sites import SiteProfile

FETCHED = datetime(2025, 6, 23, 12, 0, tzinfo=UTC)


def _dates(fixtures_dir: Path, name: str, *, url: str = "https://example.com/film/slug",
           profile: SiteProfile | None = None, fetched_at: datetime | None = FETCHED) -> list[Candidate]:
    doc = parse_document((fixtures_dir / "pages" / name).read_bytes(), url)
    return date_candidates(Context(doc=doc, url=url, fetched_at=fetched_at, profile=profile))


def _won(cands: list[Candidate]) -> dict[str, Candidate]:
    return best(cands)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- parse_date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-11-09T03:46:00Z", _utc(2023, 11, 9, 3, 46)),
    ("2017-02-23T17:18:13-08:00", _utc(2017, 2, 24, 1, 18, 13)),
    ("2018-11-28CET11:59:00+0100", _utc(2018, 11, 28, 10, 59)),
    ("20141229 18:22:00", _utc(2014, 12, 29, 18, 22)),
    ("2017-11-24T18:42:20.314667", _utc(2017, 11, 24, 18, 42, 20)),
    ("Wed, 07 Jun 2023 14:30:00 +0200", _utc(2023, 6, 7, 12, 30)),
])
def test_machine_dates_are_read_strictly_including_the_broken_forms_cmss_write(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "languages", "expected"), [
    ("Last Updated: June 09, 2025 at 10:02", ["en"], _utc(2025, 6, 9, 10, 2)),
    ("6. Oktober 2022", ["de"], _utc(2022, 10, 6)),
    ("24 novembre 2017 à 18:42", ["fr"], _utc(2017, 11, 24, 18, 42)),
    ("Jan 20th 2011", ["en"], _utc(2011, 1, 20)),
    ("9/21/2016", ["en"], _utc(2016, 9, 21)),
    ("07.08.2013 um 09:07 Uhr", ["de"], _utc(2013, 8, 7, 9, 7)),
    ("October 31, 2014 07:15am ET", ["en"], _utc(2014, 10, 31, 11, 15)),
    ("2005/05/17 22:11:42", ["zh"], _utc(2005, 5, 17, 22, 11)),
    ("2005年8月28日", ["zh"], _utc(2005, 8, 28)),
])
def test_human_dates_in_several_languages(text: str, languages: list[str], expected: datetime) -> None:
    assert parse_date(text, languages=languages) == expected


def test_a_language_outside_the_fast_table_goes_through_dateparser() -> None:
    assert parse_date("5 июня 2023", languages=["ru"]) == _utc(2023, 6, 5)


def test_naive_times_are_read_in_the_site_timezone() -> None:
    assert parse_date("2023-06-07 14:30", timezone="Europe/Berlin") == _utc(2023, 6, 7, 12, 30)


def test_a_bare_day_stays_that_calendar_day_whatever_the_timezone() -> None:
    assert parse_date("2023-06-07", timezone="America/Los_Angeles") == _utc(2023, 6, 7)


def test_slashed_dates_are_day_first_outside_english() -> None:
    assert parse_date("06/11/2023", languages=["de"]) == _utc(2023, 11, 6)


@pytest.mark.parametrize(
    "text", ["", "01/2018", "no date here", "2023-13-45", "Chapter 3 2019", "Marvel 3, 2019", "x" * 500]
)
def test_strings_without_a_whole_day_give_none(text: str) -> None:
    assert parse_date(text, languages=["en"]) is None


def test_relative_dates_count_back_from_the_fetch_time() -> None:
    assert relative_date("Published 3 days ago", FETCHED) == _utc(2025, 6, 20, 12, 0)
    assert relative_date("vor 2 Stunden", FETCHED) == _utc(2025, 6, 23, 10, 0)


def test_url_date_needs_a_day() -> None:
    assert url_date("https://example.com/2016/12/21/to-3d-or-not/") == _utc(2016, 12, 21)
    assert url_date("https://example.com/entlife/20231108/strike-ends") == _utc(2023, 11, 8)
    assert url_date("https://example.com/entertainment/2014-12/disney-movies") is None


# --- which dates on a page are the page's -------------------------------------------------------


def test_article_meta_dates_win_and_are_utc(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_news_meta.html"))
    assert won["published_at"].value == _utc(2025, 6, 9, 2, 15)
    assert won["updated_at"].value == _utc(2025, 6, 9, 14, 2)
    assert won["published_at"].source == "meta:article:published_time"
    assert won["published_at"].layer is Layer.STRUCTURED


def test_masthead_related_comment_and_future_meta_dates_are_not_candidates(fixtures_dir: Path) -> None:
    values = {c.value.date().isoformat() for c in _dates(fixtures_dir, "dates_news_meta.html")}
    assert values == {"2025-06-09"}


def test_labelled_last_updated_sign_off_gives_updated(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_byline_labelled.html"))
    assert won["updated_at"].value == _utc(2025, 6, 9, 10, 2)
    assert won["updated_at"].layer is Layer.LABELLED


def test_posted_on_byline_gives_published_not_the_release_date_or_recent_posts(fixtures_dir: Path) -> None:
    cands = _dates(fixtures_dir, "dates_byline_labelled.html")
    assert _won(cands)["published_at"].value == _utc(2025, 6, 2)
    assert {c.value.date().isoformat() for c in cands} == {"2025-06-02", "2025-06-09"}


def test_german_labels_and_profile_timezone(fixtures_dir: Path) -> None:
    profile = SiteProfile(name="kinoblatt", domains=("example.com",), source="test", timezone="Europe/Berlin")
    won = _won(_dates(fixtures_dir, "dates_german_byline.html", profile=profile))
    assert won["published_at"].value == _utc(2023, 6, 5)
    assert won["updated_at"].value == _utc(2023, 6, 7, 12, 30)


def test_film_page_has_no_page_date_from_release_dates_or_user_reviews(fixtures_dir: Path) -> None:
    assert _dates(fixtures_dir, "dates_film_page_release.html") == []


def test_forum_thread_takes_the_first_post_not_the_replies(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_forum_post_zh.html"))
    assert won["published_at"].value == _utc(2005, 8, 28, 20, 56)
    assert "updated_at" not in won


def test_published_days_ago_is_relative_to_fetch_time_and_nav_ticker_is_ignored(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_relative.html"))
    assert won["published_at"].value == _utc(2025, 6, 20, 12, 0)


def test_relative_dates_need_a_fetch_time(fixtures_dir: Path) -> None:
    assert _dates(fixtures_dir, "dates_relative.html", fetched_at=None) == []


def test_undated_essay_gets_no_date_from_copyright_archive_link_or_premiere(fixtures_dir: Path) -> None:
    assert _dates(fixtures_dir, "dates_undated_essay.html") == []


def test_own_url_day_is_a_heuristic_candidate(fixtures_dir: Path) -> None:
    cands = _dates(fixtures_dir, "dates_undated_essay.html", url="https://example.com/2016/12/21/the-crowd/")
    assert [(c.value, c.source, c.layer) for c in cands] == [(_utc(2016, 12, 21), "url:path-date", Layer.HEURISTIC)]


def test_dates_after_the_fetch_are_rejected(fixtures_dir: Path) -> None:
    assert _dates(fixtures_dir, "dates_news_meta.html", fetched_at=_utc(2025, 1, 1)) == []


def test_review_json_ld_dates_come_before_meta_in_the_same_layer(fixtures_dir: Path) -> None:
    cands = _dates(fixtures_dir, "structured_review_broken_jsonld.html")
    assert cands[0].source == "json-ld:Review.datePublished"
    assert _won(cands)["published_at"].value == _utc(2025, 6, 5, 18, 30)


# --- the real pages ------------------------------------------------------------------------------


def test_real_pages_published_and_updated_match_the_hand_checked_truth(realpages_dir: Path) -> None:
    entries = json.loads((realpages_dir / "manifest.json").read_text(encoding="utf-8"))["entries"]
    wrong: list[str] = []
    scored = 0
    for entry in entries:
        path = realpages_dir / "pages" / f"{entry['id']}.html"
        if not path.is_file():
            continue
        url = entry["url"] or path.as_uri()
        won = _won(date_candidates(Context(parse_document(path.read_bytes(), url), url, None, None)))
        for key, field in (("published", "published_at"), ("updated", "updated_at")):
            if key in entry.get("skip_fields", []):
                continue
            scored += 1
            got = won[field].value.date().isoformat() if field in won else None
            if got != entry["truth"].get(key) and got not in entry.get("alts", {}).get(key, []):
                wrong.append(f"{entry['id']} {key}: got {got}, want {entry['truth'].get(key)}")
    assert scored >= 80
    assert len(wrong) <= scored * 0.05, wrong


def test_a_time_of_day_between_label_and_date_keeps_the_label(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_news_updated_clock.html"))
    assert won["updated_at"].value.date().isoformat() == "2025-06-10"
    assert won["published_at"].value == _utc(2025, 6, 9)


def test_release_date_with_a_qualifier_and_the_fetch_day_masthead_are_not_page_dates(fixtures_dir: Path) -> None:
    days = {c.value.date().isoformat() for c in _dates(fixtures_dir, "dates_news_updated_clock.html")}
    assert days == {"2025-06-09", "2025-06-10"}


def test_an_embedded_video_upload_date_does_not_beat_article_meta(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_video_embed.html"))
    assert won["published_at"].source == "meta:article:published_time"


def test_a_site_profile_date_format_reads_what_nothing_else_can() -> None:
    assert parse_date("d09m06y2025", date_formats=["d%dm%my%Y"]) == _utc(2025, 6, 9)
    assert parse_date("d09m06y2025") is None


def test_dateparser_nonsense_years_are_not_dates() -> None:
    assert parse_date("2025y06m09d") is None


def test_an_article_nested_as_the_webpage_main_entity_dates_the_page(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_microdata_blogposting.html"))
    assert won["published_at"].value == _utc(2025, 6, 12, 7, 30)
    assert won["updated_at"].value == _utc(2025, 6, 14, 18, 5)
    assert won["published_at"].source == "microdata:BlogPosting.datePublished"


def test_category_and_tag_slugs_in_article_classes_are_not_chrome(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "dates_wordpress_taxonomy_classes.html"))
    assert won["published_at"].value == _utc(2012, 12, 16)
    assert won["published_at"].layer is Layer.LABELLED


def test_photo_caption_dates_are_not_page_dates_and_a_lone_hatom_updated_time_dates_the_page(
        fixtures_dir: Path) -> None:
    cands = _dates(fixtures_dir, "dates_caption_and_hatom.html")
    assert {c.value.date().isoformat() for c in cands} == {"2023-11-06"}
    won = _won(cands)
    assert won["updated_at"].layer is Layer.LABELLED
    assert won["published_at"].layer is Layer.HEURISTIC


def test_british_pages_read_slashed_dates_day_first() -> None:
    html = ('<html lang="en-GB"><body><h1>Ballerina review</h1><p class="byline">By Ann Hale | 06/11/2023</p>'
            "<p>A bruising spin-off.</p></body></html>")
    url = "https://example.co.uk/ballerina-review"
    won = _won(date_candidates(Context(parse_document(html, url), url, FETCHED, None)))
    assert won["published_at"].value == _utc(2023, 11, 6)


def test_a_byline_date_in_a_left_rail_aside_is_the_publication_date(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "general_feature_left_rail_byline.html"))
    assert won["published_at"].value == _utc(2023, 3, 3)


def test_dates_in_an_aside_without_byline_or_publish_marks_stay_out(fixtures_dir: Path) -> None:
    values = {c.value for c in _dates(fixtures_dir, "general_feature_left_rail_byline.html")}
    assert _utc(2023, 1, 12) not in values
    assert _utc(2023, 2, 20) not in values


def test_a_time_without_datetime_is_labelled_by_its_class(fixtures_dir: Path) -> None:
    won = _won(_dates(fixtures_dir, "general_feature_left_rail_byline.html"))
    assert won["published_at"].layer == Layer.LABELLED
    assert won["published_at"].source.endswith(":published")


def test_when_sources_agree_on_the_day_the_timestamp_with_a_time_wins(fixtures_dir: Path) -> None:
    """Microdata says only "2025-02-11"; article:published_time says the same day at 16:40:05: keep the time."""
    won = _won(_dates(fixtures_dir, "general2_list_microdata_day_and_meta_time.html"))
    assert won["published_at"].value == _utc(2025, 2, 11, 16, 40, 5)
    assert won["published_at"].source == "meta:article:published_time"


def test_a_timestamp_on_another_day_does_not_replace_a_bare_day(fixtures_dir: Path) -> None:
    page = (fixtures_dir / "pages" / "general2_list_microdata_day_and_meta_time.html").read_text()
    page = page.replace("2025-02-11T16:40:05+00:00", "2025-02-11T23:30:00-08:00")  # 2025-02-12 07:30 UTC
    doc = parse_document(page, "https://example.com/lists/scenes")
    won = _won(date_candidates(Context(doc=doc, url="https://example.com/lists/scenes", fetched_at=FETCHED,
                                       profile=None)))
    assert won["published_at"].value == _utc(2025, 2, 11)



@pytest.mark.parametrize("text", ["20191920", "192019", "2019199x", "1,2019 20x 1919191920", "", "19", "２０19 2020"])
def test_the_year_scan_finds_what_one_pattern_for_both_centuries_finds(text: str) -> None:
    assert list(_year_starts(text)) == [m.start() for m in re.finditer(r"(?:19|20)\d\d", text)]

def _inline_dates(body: str) -> list[Candidate]:
    url = "https://example.com/news/slug"
    html = f'<html lang="en"><body><article><h1>Heat review</h1>{body}</article></body></html>'
    return date_candidates(Context(parse_document(html, url), url, FETCHED, None))


@pytest.mark.parametrize(("before", "read"), [("", False), ("Release date: ", True)])
def test_only_the_first_forty_dates_not_labelled_away_are_read_chrome_or_not(before: str, read: bool) -> None:
    """Forty sidebar dates use up the limit and hide the byline after them; release dates do not count."""
    sidebar = "".join(f"<li>{before}March {day}, 2020</li>" for day in range(1, 41))
    cands = _inline_dates(f'<div class="sidebar"><ul>{sidebar}</ul></div><p>By Ann Hale | June 3, 2024</p>')
    assert [c.value for c in cands] == ([_utc(2024, 6, 3)] if read else [])


def test_a_date_past_the_limit_is_not_read_even_when_the_dates_before_it_are_page_dates() -> None:
    dated = "".join(f"<p>Posted March {day}, 2020</p>" for day in range(1, 41))
    cands = _inline_dates(f'{dated}<p>Updated: June 3, 2024</p>')
    assert all(c.value != _utc(2024, 6, 3) for c in cands)
    assert _won(cands)["published_at"].value == _utc(2020, 3, 1)


def test_a_date_in_chrome_below_an_aside_mark_and_a_footer_date_are_placed_per_date() -> None:
    """One element walk serves every date: a publish mark under an <aside> frees only the dates below it."""
    cands = _inline_dates(
        '<aside class="rail"><p class="byline">By Ann Hale | June 3, 2024</p><p>Seen May 9, 2024</p></aside>'
        '<footer class="entry-footer"><p>Last updated: June 5, 2024</p><p>Posted June 1, 2024</p></footer>')
    assert [(c.field, c.value, c.source) for c in cands] == [
        ("updated_at", _utc(2024, 6, 5), "label:text:updated"),
        ("published_at", _utc(2024, 6, 3), "text:text"),
    ]


RELATIVE_PIECES = st.sampled_from(["Published", "UPDATED", "posted", "Veröffentlicht", "publié", ": ", " ", "3", "an",
                                   "days", "DAYS", "Hours", "ago", "AGO", "Ago", "vor", "VOR", "Tagen", "il y a",
                                   "IL Y A", "jours", "x", "\n", "ſ", "İ", "ı", "\u212a", "minutes", "Aktualisiert",
                                   "aktualiſiert", "\xa0", "\u3000", "Chicago", "favor", "l y a", "hrs", "ÉTÉ"])
# The pattern as first written: IGNORECASE over the page text, the update labels in a group.
_RELATIVE_REFERENCE = re.compile(
    r"(?:(?P<upd>updated|aktualisiert)|published|posted|veröffentlicht|publié)\s*[:\uff1a]?\s*"
    r"(?P<rel>(?:\d+|an?|one)\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago"
    r"|vor\s+(?:\d+|einer?|einem)\s+(?:minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?)"
    r"|il y a\s+(?:\d+|une?)\s+(?:minutes?|heures?|jours?|semaines?|mois))",
    re.I,
)


def _relative_reference(text: str) -> list[dates._Found]:
    fetched = datetime(2026, 3, 1, 12, tzinfo=UTC)
    return next(([dates._Found("updated_at" if hit.group("upd") else "published_at", value, "label:relative",
                               Layer.LABELLED)]
                 for hit in _RELATIVE_REFERENCE.finditer(text[:20000])
                 if (value := relative_date(hit.group("rel"), fetched)) is not None), [])


@settings(max_examples=4000, derandomize=True)
@given(st.lists(RELATIVE_PIECES, max_size=10).map("".join))
def test_relative_dates_are_found_as_the_unguarded_pattern_finds_them(text: str) -> None:
    assert dates._relative_dates(text, datetime(2026, 3, 1, 12, tzinfo=UTC)) == _relative_reference(text)


@pytest.mark.parametrize("text", [
    "Publié ıl y a 3 jours", "aktualiſiert vor 2 Tagen", "UPDATED\u3000 3 HOURS\xa0AGO", "Posted 3 days\u2009ago",
    "İ Published: 3 days ago", "PUBLİSHED 3 days ago", "Posted\u00a0 VOR 3 Tagen", "VERÖFFENTLICHT: vor 2 Stunden",
    "A\u212aTUALISIERT vor 5 Minuten", "VERÖFFENTLICHT VOR\xa0EINEM TAG", "Chicago favor",
    "Posted 3 hours ago in Chicago", "x" * 19990 + "Posted 3 days ago", "É Aktualisiert: vor 3 Stunden",
])
def test_relative_dates_in_odd_cases_and_spaces_are_found_as_the_unguarded_pattern_finds_them(text: str) -> None:
    found = dates._relative_dates(text, datetime(2026, 3, 1, 12, tzinfo=UTC))
    assert found == _relative_reference(text)
    assert found or text in ("Chicago favor", "x" * 19990 + "Posted 3 days ago")


MARKER_PIECES = st.sampled_from(["Footer", "foot", "header", "HEADER", "top-bar", "-", "_", " ", "\t", "post-",
                                 "category-", "Comment", "widget", "Reviews", "publish", "PubDate", "posted-on",
                                 "BYLINE", "date", "Stamp", "meta", "x", "ſ", "İ", "\u212a", "tamp", "ublish"])


def _marker_facts_by_regex(marker: str) -> tuple[str | None, bool, bool]:
    """The class/id verdicts as first written: tokens split by a regex, case-insensitive patterns."""
    kind: str | None = None
    for token in marker.lower().split():
        if token.startswith(dates._TAXONOMY):
            continue
        parts = re.split(r"[-_]", token)
        if "footer" in parts or token.startswith("foot"):
            kind = "footer"
        elif token in dates._HEADER_TOKENS or parts[0] == "header" or not dates._CHROME_WORDS.isdisjoint(parts):
            kind = "chrome"
            break
    mark = re.search(r"publish|byline|dateline|pubdate|posted-on", marker, re.I) is not None
    return kind, mark, dates._DATE_HINT.search(marker) is not None


@settings(max_examples=3000, derandomize=True)
@given(st.lists(MARKER_PIECES, max_size=8).map("".join))
def test_class_and_id_verdicts_match_the_case_insensitive_patterns(marker: str) -> None:
    facts = (*dates._marker_facts.__wrapped__(marker), dates._date_hint.__wrapped__(marker))  # type: ignore[attr-defined]
    assert facts == _marker_facts_by_regex(marker)


def _read_machine(text: str) -> tuple[str, datetime | None, object]:
    try:
        value = dates.parse_machine_date(text, "Europe/Berlin")
    except OverflowError:
        return "overflow", None, None
    return "ok", value, value.tzinfo if value is not None else None


TIMESTAMPS = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}".format,
    st.sampled_from([0, 1, 1999, 2024, 2025, 9999]), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25),
    st.integers(0, 61), st.integers(0, 61),
    st.sampled_from(["Z", ""]) | st.builds("{}{:02d}:{:02d}".format, st.sampled_from("+-"), st.integers(0, 25),
                                           st.integers(0, 76)))


@settings(max_examples=3000, derandomize=True)
@given(TIMESTAMPS | st.sampled_from(["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"]))
def test_rfc3339_timestamps_read_as_the_iso_pattern_reads_them(text: str) -> None:
    """The datetime fast path gives what the lenient pattern gives (a leading space takes the pattern's path)."""
    assert _read_machine(text) == _read_machine(" " + text)
