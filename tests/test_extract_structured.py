"""The structured-data layer: JSON-LD (also as sites break it), microdata and meta, read from the shared tree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from filmscrape.extract.candidates import Candidate, Context, Layer, best
from filmscrape.extract.document import parse_document
from filmscrape.extract.jsonld import decode_jsonld
from filmscrape.extract.microdata import read_microdata
from filmscrape.extract.schemaorg import Item, from_jsonld
from filmscrape.extract.structured import iso_duration_minutes, strip_site_name, structured_candidates


def _candidates(fixtures_dir: Path, name: str, url: str = "https://example.com/page/") -> list[Candidate]:
    doc = parse_document((fixtures_dir / "pages" / name).read_bytes(), url)
    return structured_candidates(Context(doc=doc, url=url, fetched_at=None, profile=None))


def _winners(fixtures_dir: Path, name: str) -> dict[str, Any]:
    return {field: cand.value for field, cand in best(_candidates(fixtures_dir, name)).items()}


# --- JSON-LD as sites break it ------------------------------------------------------------------


def test_jsonld_with_cdata_comments_trailing_commas_is_read(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_review_broken_jsonld.html")
    assert facts["film_title"] == "Ballerina"
    assert facts["directors"] == ["Len Wiseman"]


def test_html_entities_in_jsonld_strings_are_decoded(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_review_broken_jsonld.html")
    assert facts["title"] == "\u2018Ballerina\u2019 Review: Ana de Armas Dances Through Gunfire"


def test_objects_written_back_to_back_in_one_script_are_all_read() -> None:
    values = decode_jsonld('{"@type": "BreadcrumbList"}\n{"@type": "WebSite", "name": "Reel Verdict"}')
    assert [v["@type"] for v in values] == ["BreadcrumbList", "WebSite"]


def test_control_characters_inside_strings_are_tolerated() -> None:
    assert decode_jsonld('{"headline": "Line one\nline\ttwo"}') == [{"headline": "Line one\nline\ttwo"}]


def test_escaped_quotes_from_an_html_escaping_cms_are_unescaped() -> None:
    assert decode_jsonld("{&quot;@type&quot;: &quot;Movie&quot;, &quot;name&quot;: &quot;Heat&quot;}") == [
        {"@type": "Movie", "name": "Heat"}
    ]


def test_script_that_is_not_json_yields_nothing_and_other_facts_survive(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_not_json.html")
    assert facts["title"] == "Box office: Ballerina opens at No. 2"
    assert "film_title" not in facts


@pytest.mark.parametrize("text", ["", "[[[[[[" * 2000, "{", "null", "\x00\x01", "window.x = {a: 1};"])
def test_hopeless_jsonld_decodes_to_nothing(text: str) -> None:
    assert decode_jsonld(text) == []


# --- what the page is about -----------------------------------------------------------------------


def test_review_page_gives_reviewed_film_and_critic_score(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_review_broken_jsonld.html")
    assert facts["score"] == {"value": 3.5, "scale": 5.0, "source": "reviewRating"}
    assert facts["page_kind"] == "review"


def test_every_rating_is_kept_in_scores(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_review_broken_jsonld.html")
    assert [(s["value"], s["scale"]) for s in facts["scores"]] == [(3.5, 5.0), (7.1, 10.0)]


def test_iso_duration_of_the_film_becomes_minutes(fixtures_dir: Path) -> None:
    assert _winners(fixtures_dir, "structured_review_broken_jsonld.html")["runtime_minutes"] == 125


def test_graph_members_and_id_references_are_resolved(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_movie_graph.html")
    assert facts["film_title"] == "Ballerina"
    assert facts["directors"] == ["Len Wiseman"]
    assert facts["genres"] == ["action", "thriller"]
    assert facts["score"] == {"value": 8.1, "scale": 10.0, "source": "aggregateRating"}


def test_films_in_a_related_item_list_do_not_become_the_page_film(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_movie_graph.html")
    assert facts["year"] == 2025
    assert facts["page_kind"] == "film_page"


def test_site_name_suffix_is_stripped_from_titles(fixtures_dir: Path) -> None:
    titles = [c.value for c in _candidates(fixtures_dir, "structured_movie_graph.html") if c.field == "title"]
    assert titles == ["Ballerina (2025)", "Ballerina (2025)"]


def test_microdata_film_facts_are_read_and_a_person_with_two_names_gives_two_directors(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_microdata_movie.html")
    assert facts["film_title"] == "11 Blocks"
    assert facts["runtime_minutes"] == 78
    assert facts["directors"] == ["Matthew Bennett", "Sasha Moric"]


def test_labelled_microdata_genre_block_loses_its_label(fixtures_dir: Path) -> None:
    assert _winners(fixtures_dir, "structured_microdata_movie.html")["genres"] == ["action", "crime"]


def test_sidebar_film_and_nested_user_review_do_not_give_the_page_score(fixtures_dir: Path) -> None:
    facts = _winners(fixtures_dir, "structured_microdata_movie.html")
    assert facts["score"] == {"value": 6.2, "scale": 10.0, "source": "aggregateRating"}


def test_structured_candidates_are_the_structured_layer_with_provenance(fixtures_dir: Path) -> None:
    cands = _candidates(fixtures_dir, "structured_microdata_movie.html")
    assert {c.layer for c in cands} == {Layer.STRUCTURED}
    assert {c.source for c in cands if c.field == "directors"} == {"microdata:Movie.director"}


# --- small readers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "minutes"), [
    ("PT2H5M", 125), ("PT78M", 78), ("PT1H", 60), ("P0DT1H30M", 90), ("125 min", 125), ("2h 5m", 125),
    ("PT2M22S", 2), ("forever", None), ("", None),
])
def test_durations(text: str, minutes: int | None) -> None:
    assert iso_duration_minutes(text) == minutes


@pytest.mark.parametrize(("title", "expected"), [
    ("Will Smith - TV TODAY", "Will Smith"),
    ("Heat review | The Film Site", "Heat review"),
    ("The Film Site | Heat review", "Heat review"),
    ("Spider-Man: No Way Home", "Spider-Man: No Way Home"),
    ("Churchill / Film / dwutygodnik.com", "Churchill"),
])
def test_site_names(title: str, expected: str) -> None:
    assert strip_site_name(title, {"tvtoday", "thefilmsite", "dwutygodnikcom", "dwutygodnik"}) == expected


# --- the real pages ------------------------------------------------------------------------------


def test_real_pages_never_raise_and_film_facts_match_truth_where_stated_as_data(realpages_dir: Path) -> None:
    entries = json.loads((realpages_dir / "manifest.json").read_text(encoding="utf-8"))["entries"]
    checked = 0
    for entry in entries:
        path = realpages_dir / "pages" / f"{entry['id']}.html"
        url = entry["url"] or path.as_uri()
        doc = parse_document(path.read_bytes(), url)
        facts = {f: c.value for f, c in best(structured_candidates(Context(doc, url, None, None))).items()}
        truth = entry["truth"]
        for field in ("year", "runtime_minutes"):
            if field in facts and field not in entry.get("skip_fields", []):
                assert facts[field] == truth[field], (entry["id"], field)
                checked += 1
        if "score" in facts and truth.get("score"):
            assert (facts["score"]["value"], facts["score"]["scale"]) == (truth["score"]["value"],
                                                                          truth["score"]["scale"]), entry["id"]
            checked += 1
    assert checked >= 8


def test_critics_fresh_rotten_flags_and_nested_reviews_are_not_page_scores(fixtures_dir: Path) -> None:
    """A film page's reviews carry +1/-1 flags (bestRating 1, worstRating -1) and single users' 4/5: only the
    film's aggregate is a page score."""
    facts = _winners(fixtures_dir, "general2_film_page_nested_critic_flags.html")
    assert facts["score"] == {"value": 87.0, "scale": 100.0, "source": "Ripemeter"}
    assert facts["scores"] == [{"value": 87.0, "scale": 100.0, "source": "Ripemeter"}]


def test_a_review_pages_own_rating_stays_its_score() -> None:
    page = """<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Review",
    "itemReviewed":{"@type":"Movie","name":"Heat"},"reviewRating":{"@type":"Rating","ratingValue":"4","bestRating":"5"}}
    </script></head><body><h1>Heat review</h1></body></html>"""
    doc = parse_document(page, "https://films.example/heat-review")
    found = best(structured_candidates(Context(doc=doc, url="https://films.example/heat-review", fetched_at=None,
                                               profile=None)))
    assert found["score"].value == {"value": 4.0, "scale": 5.0, "source": "reviewRating"}


def test_a_thumbs_up_or_down_review_has_no_score() -> None:
    page = """<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Review",
    "itemReviewed":{"@type":"Movie","name":"Heat"},"reviewRating":{"@type":"Rating","ratingValue":"1","bestRating":"1",
    "worstRating":"-1"}}</script></head><body><h1>Heat review</h1></body></html>"""
    doc = parse_document(page, "https://films.example/heat-review")
    found = best(structured_candidates(Context(doc=doc, url="https://films.example/heat-review", fetched_at=None,
                                               profile=None)))
    assert "score" not in found and "scores" not in found


# --- the fast paths read what the lenient decoder and the old walks read ----------------------------------


def test_integers_beyond_64_bits_stay_exact_integers() -> None:
    assert decode_jsonld('{"n": 123456789012345678901234567890, "m": -9223372036854775809}') == [
        {"n": 123456789012345678901234567890, "m": -9223372036854775809}
    ]


@pytest.mark.parametrize("text", ['{"v": NaN}', '{"v": "\\ud800"}', '{"v": 1e400}', '{"v": "a\x01b"}'])
def test_values_only_the_lenient_decoder_reads_are_read_as_before(text: str) -> None:
    assert repr(decode_jsonld(text)) == repr([json.loads(text, strict=False)])


@pytest.mark.parametrize("text", ['<!--\n{"a": 1}\n-->', '//<![CDATA[\n{"a": 1}\n//]]>', '{"a": 1}\n-->',
                                  '<!--{"a": 1}'])
def test_comment_and_cdata_wrappers_on_either_end_are_dropped(text: str) -> None:
    assert decode_jsonld(text) == [{"a": 1}]


def test_jsonld_walk_is_depth_first_in_property_order() -> None:
    items = from_jsonld({"@type": "Review", "author": [{"@type": "Person", "name": "A"}, {"@type": "Person"}],
                         "itemReviewed": {"@type": "Movie", "director": {"@type": "Person", "name": "D"}},
                         "schema:author": {"@type": "Organization"}})
    assert [min(item.types) for item in items[0].walk()] == ["Review", "Person", "Person", "Organization", "Movie",
                                                             "Person"]


def test_properties_after_a_nested_scope_belong_to_the_outer_one_and_stray_ones_are_orphans() -> None:
    page = """<html><body><div itemscope itemtype="https://schema.org/Movie"><div><div itemprop="director" itemscope
    itemtype="https://schema.org/Person"><span itemprop="name">Michael Mann</span></div><p><span itemprop="name">Heat
    </span></p></div></div><span itemprop="genre">Crime</span><div itemscope itemtype="https://schema.org/Person">
    <b itemprop="name">Al Pacino</b></div></body></html>"""
    items, orphans = read_microdata(parse_document(page, "https://films.example/heat"))
    movie, person = items
    assert movie.text("name") == "Heat" and person.text("name") == "Al Pacino"
    director = movie.first("director")
    assert isinstance(director, Item) and director.nested and director.text("name") == "Michael Mann"
    assert orphans == {"genre": ["Crime"]}
