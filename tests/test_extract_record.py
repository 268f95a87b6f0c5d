"""The merged record: trust order, provenance, nulls for absent facts, and the schema on every page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filmscrape.errors import ExtractionError
from filmscrape.extract import extract
from filmscrape.extract.candidates import Candidate, Layer
from filmscrape.extract.document import parse_document
from filmscrape.extract.extractor import _guarded, canonical_url, registrable_domain
from filmscrape.record import to_json_dict
from filmscrape.schema import validator

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
FILM_FACTS = ("film_title", "year", "runtime_minutes", "language", "score", "summary", "published_at", "updated_at")

DISAGREEING = """<!doctype html><html><head><title>Heat (1995) | Films</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Movie", "name": "Heat",
 "director": {"@type": "Person", "name": "Michael Mann"}, "duration": "PT170M"}</script></head>
<body><h1>Heat (1995)</h1>
<div class="facts"><p>Director: Someone Else</p><p>Runtime: 165 min</p><p>Language: English</p></div>
<p class="line">USA, 1995, 171 min</p></body></html>"""


def validate(record: dict[str, object]) -> list[str]:
    return [e.message for e in validator().iter_errors(to_json_dict(record))]


def test_structured_data_wins_over_labels_when_they_disagree() -> None:
    record = extract(DISAGREEING, "https://films.example/heat")
    assert record["directors"] == ["Michael Mann"]
    assert record["runtime_minutes"] == 170
    assert record["provenance"]["directors"].startswith("json-ld:")


def test_labels_win_over_text_patterns_when_they_disagree() -> None:
    record = extract(DISAGREEING.replace('"duration": "PT170M"', '"genre": "Crime"'), "https://films.example/heat")
    assert record["runtime_minutes"] == 165
    assert record["provenance"]["runtime_minutes"] == "label:Runtime"


def test_provenance_names_the_layer_of_every_filled_fact() -> None:
    record = extract((PAGES / "seed_ending_explained.html").read_bytes(), "https://www.echofilms.example/x")
    assert record["provenance"]["directors"] == "label:Director"
    assert record["provenance"]["score"] == "label:Echo Score"
    assert record["provenance"]["title"].startswith(("html:", "meta:", "json-ld:"))
    filled = {k for k, v in record.items() if v not in (None, [], {}) and k in FILM_FACTS}
    assert filled <= set(record["provenance"])


def test_absent_facts_are_null_or_empty_never_blank_or_zero() -> None:
    record = extract("<html><body><p>Nothing to see here.</p></body></html>", "https://plain.example/")
    for field in FILM_FACTS:
        assert record[field] is None, field
    assert record["directors"] == [] and record["genres"] == [] and record["scores"] == []
    assert record["title"] is None
    assert not validate(record)


def test_canonical_url_comes_from_link_rel_then_og_url_resolved_against_the_page() -> None:
    doc = parse_document('<html><head><link rel="canonical" href="/films/heat"></head><body>x</body></html>',
                         "https://www.films.example/films/heat?ref=home")
    assert canonical_url(doc, "https://www.films.example/films/heat?ref=home") == "https://www.films.example/films/heat"
    doc = parse_document('<html><head><meta property="og:url" content="https://films.example/h"></head>'
                         "<body>x</body></html>", "file:///tmp/h.html")
    assert canonical_url(doc, "file:///tmp/h.html") == "https://films.example/h"


def test_a_canonical_link_is_one_whose_rel_tokens_include_canonical() -> None:
    doc = parse_document('<html><head><link rel="noncanonical" href="/a"><link rel="alternate\tcanonical" href="/b">'
                         "</head><body>x</body></html>", "https://films.example/c")
    assert canonical_url(doc, "https://films.example/c") == "https://films.example/b"


def test_site_is_the_registrable_domain_from_the_bundled_suffix_list() -> None:
    assert registrable_domain("https://www.imdb.com/title/tt0095016/") == "imdb.com"
    assert registrable_domain("http://film.guardian.co.uk/features/") == "guardian.co.uk"
    assert registrable_domain("file:///tmp/page.html") is None
    assert registrable_domain("http://127.0.0.1:8000/page") is None


def test_no_html_at_all_is_a_typed_error_naming_the_url() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(b"", "https://films.example/empty")
    assert caught.value.url == "https://films.example/empty"


@pytest.mark.parametrize("page", sorted(p.name for p in PAGES.glob("*.html")))
def test_every_fixture_page_gives_a_valid_record(page: str) -> None:
    record = extract((PAGES / page).read_bytes(), f"https://fixtures.example/{page}")
    assert not validate(record)


def test_every_real_page_gives_a_valid_record_and_never_raises(realpages_dir: Path) -> None:
    manifest = json.loads((realpages_dir / "manifest.json").read_text(encoding="utf-8"))
    checked = 0
    for entry in manifest["entries"]:
        path = realpages_dir / "pages" / f"{entry['id']}.html"
        if not path.is_file():
            continue
        record = extract(path.read_bytes(), path.resolve().as_uri())
        assert not validate(record), entry["id"]
        checked += 1
    assert checked > 0



def test_a_layer_that_raises_gives_no_candidates_and_a_logged_error(caplog: pytest.LogCaptureFixture) -> None:
    def layer() -> list[Candidate]:
        return [Candidate("year", int("not a year"), "text:broken", Layer.HEURISTIC)]

    assert _guarded("broken", "https://films.example/heat", layer) == []
    assert "extraction layer broken failed on https://films.example/heat" in caplog.text


def test_a_movie_records_creation_date_is_not_the_films_year() -> None:
    html = """<html><head><title>Nightmare City directed by Tom Savini</title></head><body>
    <h1>Nightmare City</h1><p>Directed by <a href="/director/tom-savini/">Tom Savini</a></p>
    <script type="application/ld+json">{"@context": "http://schema.org", "@type": "Movie", "name": "Nightmare City",
     "dateCreated": "2018-03-02", "dateModified": "2021-01-26", "director": [{"@type": "Person",
     "name": "Tom Savini"}]}</script></body></html>"""
    record = extract(html, "https://films.example/film/nightmare-city-1/")
    assert record["year"] is None
    assert record["directors"] == ["Tom Savini"]


LIST_URL = "https://www.reelhouse.example/article/best-films-2024-90001"


def test_quoted_titles_in_teaser_headlines_of_other_articles_are_not_the_pages_film() -> None:
    record = extract((PAGES / "general_list_teaser_headlines.html").read_bytes(), LIST_URL)
    assert record["film_title"] is None


def test_the_one_content_h1_beats_a_title_tag_carrying_the_site_name() -> None:
    record = extract((PAGES / "general_list_teaser_headlines.html").read_bytes(), LIST_URL)
    assert record["title"] == "The 24 best movies of 2024"
    assert record["provenance"]["title"] == "html:h1"


def test_a_title_tag_stays_the_headline_when_no_single_content_h1_is_there() -> None:
    html = """<html><head><title>Night Ferry review: fog and diesel - Reelhouse</title></head><body>
    <header><h1><a href="/">Reelhouse</a></h1></header>
    <article><h2>A captain who will not talk</h2><p>Text.</p></article></body></html>"""
    record = extract(html, "https://www.reelhouse.example/review/night-ferry")
    assert record["title"] == "Night Ferry review: fog and diesel"


def test_an_unrounded_aggregate_gives_way_to_the_rating_the_page_shows() -> None:
    record = extract((PAGES / "general_film_page_rounded_rating.html").read_bytes(),
                     "https://www.films.example/film/1-dlouhe-ticho/prehled/")
    assert record["score"]["value"] == 81
    assert record["score"]["scale"] == 100
    assert [s["value"] for s in record["scores"]] == [81]


def test_an_unrounded_aggregate_the_page_does_not_show_keeps_its_value() -> None:
    html = """<html><head><title>Heat</title><script type="application/ld+json">{"@context": "https://schema.org",
     "@type": "Movie", "name": "Heat", "aggregateRating": {"@type": "AggregateRating", "ratingValue": 8.2675,
     "bestRating": 10}}</script></head><body><h1>Heat</h1><p>Rated by 12 people.</p></body></html>"""
    record = extract(html, "https://films.example/film/heat/")
    assert record["score"]["value"] == 8.2675


def test_language_falls_back_to_the_pages_declared_language() -> None:
    """No stated film language: the record gives the page's, as <html lang="cs-CZ"> declares it."""
    record = extract((PAGES / "general2_film_page_lang_cs.html").read_bytes(), "https://filmoteka.example/film/1/")
    assert record["language"] == "cs"
    assert record["provenance"]["language"] == "document:lang"


def test_a_stated_film_language_outranks_the_pages_language() -> None:
    record = extract(DISAGREEING.replace("<html>", '<html lang="de">'), "https://films.example/heat")
    assert record["language"] == "English"


@pytest.mark.parametrize("declared", ["x-default", "und", "", "12"])
def test_placeholder_page_languages_are_no_language(declared: str) -> None:
    page = f'<html lang="{declared}"><head><title>Heat (1995)</title></head><body><p>Heat.</p></body></html>'
    assert extract(page, "https://films.example/heat")["language"] is None

