"""Layer 2: facts pages state as "Label: value", in tables, <dl>s and label spans, in several languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from filmscrape.extract import extract, labelled
from filmscrape.extract.candidates import Candidate, Context, Layer
from filmscrape.extract.document import parse_document
from filmscrape.extract.labelled import (
    Fact,
    fact_value,
    find_facts,
    genre_tags,
    label_field,
    labelled_candidates,
    line_facts,
)
from filmscrape.extract.lines import text_lines
from filmscrape.extract.normalize import fold_case

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def layer(page: str, url: str = "https://films.example/page", hint: str | None = None) -> dict[str, Candidate]:
    """The first candidate per field the labelled layer gives for a fixture page."""
    doc = parse_document((PAGES / page).read_bytes(), url)
    found: dict[str, Candidate] = {}
    for cand in labelled_candidates(Context(doc, url, None, None), subject_hint=hint):
        found.setdefault(cand.field, cand)
    return found


def values(page: str, **kwargs: str) -> dict[str, object]:
    return {field: cand.value for field, cand in layer(page, **kwargs).items()}


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Director:", "directors"), ("Directed by", "directors"), ("Režie:", "directors"), ("Regie", "directors"),
        ("Reżyseria", "directors"), ("Réalisation :", "directors"), ("Regi:", "directors"), ("导　演", "directors"),
        ("導演", "directors"), ("Länge", "runtime_minutes"), ("Laufzeit:", "runtime_minutes"),
        ("Délka:", "runtime_minutes"), ("片长", "runtime_minutes"), ("Running time", "runtime_minutes"),
        ("Erscheinungsjahr", "year"), ("Year:", "year"), ("Release date", "release"),
        ("Fecha de estreno", "release"), ("Data di uscita:", "release"), ("Genres", "genres"),
        ("Echo Score", "score"), ("Metascore", "score"), ("Tomatometer", "score"), ("Language", "language"),
    ],
)
def test_labels_in_the_real_sets_languages_name_their_field(label: str, field: str) -> None:
    assert label_field(label) == field


def test_words_that_only_look_like_labels_name_nothing() -> None:
    assert label_field("Your Rating") is None
    assert label_field("MPAA rating") is None


def test_of_labels_opening_alike_the_longest_one_written_is_read() -> None:
    facts = line_facts("DIRECTOR OF PHOTOGRAPHY: Roger Deakins · Director: Joel Coen")
    assert [(field, label) for field, label, _ in facts] == [
        ("credits", "DIRECTOR OF PHOTOGRAPHY"), ("directors", "Director")]


def test_credit_labels_the_record_does_not_keep_are_labels_of_no_field() -> None:
    """"Stars:" or "Writers:" still end the value before them, but state nothing the record keeps."""
    assert label_field("Writers") == "credits"
    assert label_field("Darsteller") == "credits"
    assert fact_value(Fact("credits", "Stars", "Tilda Swinton", 0, None)) is None


def test_infobox_rows_give_the_films_facts_german() -> None:
    facts = values("labelled_infobox_de.html")
    assert facts["directors"] == ["Fritz Lang"]
    assert facts["year"] == 1927
    assert facts["runtime_minutes"] == 153
    assert facts["film_title"] == "Metropolis"
    assert facts["genres"] == ["science-fiction", "drama"]


def test_every_labelled_candidate_is_layer_labelled_with_the_label_as_source() -> None:
    found = layer("labelled_infobox_de.html")
    assert found["directors"].layer is Layer.LABELLED
    assert found["directors"].source == "label:Regie"
    assert found["runtime_minutes"].source == "label:Länge"


def test_definition_list_gives_facts_polish() -> None:
    facts = values("labelled_dl_pl.html")
    assert facts["directors"] == ["Paweł Pawlikowski"]
    assert facts["runtime_minutes"] == 88
    assert facts["year"] == 2018
    assert facts["language"] == "polski"


def test_label_spans_with_colons_give_facts_and_a_star_score_french() -> None:
    facts = values("labelled_facts_fr.html")
    assert facts["directors"] == ["Justine Triet"]
    assert facts["runtime_minutes"] == 151
    assert facts["score"] == {"value": 4.5, "scale": 5, "source": "Note de la rédaction"}


def test_cjk_fact_card_without_colons_gives_facts() -> None:
    facts = values("labelled_card_zh.html")
    assert facts["directors"] == ["陈凯歌"]
    assert facts["year"] == 1993
    assert facts["runtime_minutes"] == 171
    assert facts["film_title"] == "霸王别姬"


def test_related_films_in_a_sidebar_lose_to_the_block_under_the_headline() -> None:
    # The sidebar's "dir. Pedro Almodóvar" comes first in the page, but it is about another film.
    assert values("labelled_related_films.html", hint="Review of Sunshine State")["directors"] == ["John Sayles"]


def test_without_a_hint_facts_keep_page_order() -> None:
    assert values("labelled_related_films.html")["directors"] == ["Pedro Almodóvar"]


def test_fact_blocks_know_the_film_line_above_them() -> None:
    doc = parse_document((PAGES / "labelled_related_films.html").read_bytes(), "https://films.example/")
    subjects = [f.subject for f in find_facts(text_lines(doc.root)) if f.field == "directors"]
    assert subjects == ["Volver", "Borat", "The Black Dahlia", "Sunshine State"]


def test_score_labels_read_each_scale() -> None:
    scores = [c.value for c in labelled_candidates(
        Context(parse_document((PAGES / "labelled_scores.html").read_bytes(), "https://m.example/"),
                "https://m.example/", None, None)) if c.field == "scores"]
    assert [(s["value"], s["scale"]) for s in scores] == [(8.3, 10), (88, 100), (76, 100), (4.5, 5)]


def test_certificate_and_a_users_score_inside_review_prose_are_not_page_scores() -> None:
    sources = [c.source for c in layer("labelled_scores.html").values()]
    assert "label:Rating" not in sources
    assert all("Overall" not in s for s in sources)


def test_genre_links_are_read_from_markup_not_the_run_together_text() -> None:
    doc = parse_document((PAGES / "seed_ending_explained.html").read_bytes(), "https://echofilms.example/")
    assert genre_tags(doc) == ["action", "thriller"]


def test_release_date_year_is_only_a_hint_below_a_stated_year() -> None:
    html = """<html><body><h1>Gandhi (1982)</h1><div class="info">
    <h5>Release Date:</h5><div>25 February 1983 (USA)</div></div></body></html>"""
    record = extract(html, "https://films.example/title/gandhi")
    assert record["year"] == 1982
    assert record["provenance"]["year"] == "text:headline:title-year"


def test_a_value_cell_with_several_lines_gives_every_name() -> None:
    facts = values("labelled_infobox_wiki.html")
    assert facts["directors"] == ["Joel Coen", "Ethan Coen"]
    assert facts["runtime_minutes"] == 98


def test_encyclopedia_film_page_reads_title_year_and_facts() -> None:
    record = extract((PAGES / "labelled_infobox_wiki.html").read_bytes(), "https://en.wikipedia.org/wiki/Fargo")
    assert record["title"] == "Fargo (1996 film)"
    assert record["film_title"] == "Fargo"
    assert record["year"] == 1996
    assert record["language"] == "English"


def test_rating_sites_quoted_as_labels_are_scores() -> None:
    record = extract("<html><body><h1>Weapons (2025) Ending Explained</h1><ul><li>IMDb: 7.6/10</li>"
                     "<li>Rotten Tomatoes: 94%</li></ul><p>IMDb: tt1234567</p></body></html>", "https://x.example/")
    assert record["score"] == {"value": 7.6, "scale": 10, "source": "IMDb"}
    assert [(s["value"], s["scale"]) for s in record["scores"]] == [(7.6, 10), (94, 100)]


def test_words_that_merely_start_like_a_label_are_no_facts() -> None:
    html = "<html><body><h1>Berlin (2024)</h1><p>Regierung beschließt neue Filmförderung</p></body></html>"
    assert extract(html, "https://kino.example/berlin")["directors"] == []


def test_lower_case_text_after_a_label_is_no_name() -> None:
    html = "<html><body><h1>Heat (1995)</h1><p>Director: unknown at this time</p></body></html>"
    assert extract(html, "https://films.example/heat")["directors"] == []


def test_every_line_under_a_heading_label_is_a_value() -> None:
    found = values("general_film_page_heading_labels.html")
    assert found["directors"] == ["Inés Balaguer", "Tomás Balaguer"]


def test_prose_under_a_heading_label_is_not_joined_into_one_value() -> None:
    facts = find_facts(text_lines(parse_document(
        (PAGES / "general_film_page_heading_labels.html").read_bytes(), "https://films.example/t").root))
    bio = [f for f in facts if f.label == "Director"]
    assert [f.value for f in bio] == ["Born in Cádiz, Inés Balaguer studied painting before she ever held a camera."]


def test_facts_in_a_more_like_this_box_are_other_films() -> None:
    record = extract((PAGES / "general_film_page_more_like_this.html").read_bytes(),
                     "https://www.filmvault.example/title/fv0448120/")
    assert record["directors"] == []
    assert record["year"] is None
    assert record["runtime_minutes"] is None


def test_facts_outside_the_recommendations_are_still_read() -> None:
    assert values("general_film_page_more_like_this.html")["genres"] == ["fantasy", "mystery"]


def test_twitter_label_data_pairs_state_directors_and_score() -> None:
    """A head-only film page states its facts as unfurl pairs: twitter:label1 "Directed by" + twitter:data1."""
    record = extract((PAGES / "general2_film_page_twitter_labels.html").read_bytes(),
                     "https://reelboxd.example/film/the-keeper-of-gull-rock/")
    assert record["directors"] == ["Maren Østby"]
    assert record["provenance"]["directors"] == "meta:twitter:label1"
    assert record["score"] is not None
    assert (record["score"]["value"], record["score"]["scale"]) == (3.71, 5)


def test_twitter_label_pairs_about_the_article_give_no_film_facts() -> None:
    """"Written by" and "Est. reading time: 4 minutes" pairs describe the article: no director, runtime or score."""
    record = extract((PAGES / "general2_news_twitter_labels_byline.html").read_bytes(),
                     "https://harbourfilm.example/news/festival-lineup/")
    assert record["directors"] == []
    assert record["runtime_minutes"] is None
    assert record["score"] is None


def test_a_rating_shown_with_a_star_icon_reads_the_number() -> None:
    """"IMDb rating: ⭐ 7.4" is 7.4 of 10, not one star of five."""
    record = extract((PAGES / "general2_film_page_star_icon_rating.html").read_bytes(),
                     "https://matineenotes.example/films/copper-valley/")
    assert record["score"] is not None
    assert (record["score"]["value"], record["score"]["scale"]) == (7.4, 10)


def _directors(html: str) -> list[str]:
    return list(extract(html, "https://films.example/page")["directors"])


def test_a_cast_label_ends_the_directors_value() -> None:
    """IMDb's credit line "Director: X · Stars: A, B" names one director; the cast is not directors."""
    html = ("<html><body><h1>Notes on a garden</h1><p>A short synopsis. Director: Derek Jarman · Stars: "
            "Tilda Swinton, Johnny Mills</p></body></html>")
    assert _directors(html) == ["Derek Jarman"]


@pytest.mark.parametrize(
    "line",
    [
        "Director: Jane Doe | Stars: Ann Lee, Bo Chan",
        "Regie: Jane Doe · Darsteller: Ann Lee, Bo Chan",
        "Réalisation : Jane Doe • Avec : Ann Lee, Bo Chan",
        "Director: Jane Doe Writers: Ann Lee, Bo Chan",
        "导演: Jane Doe 主演: Ann Lee / Bo Chan",
    ],
)
def test_other_credit_labels_end_the_directors_value_in_several_languages(line: str) -> None:
    assert _directors(f"<html><body><h1>A film</h1><p>{line}</p></body></html>") == ["Jane Doe"]


def test_a_credit_trailer_closing_a_long_synopsis_names_the_director() -> None:
    """A blog post copies IMDb's synopsis with its "Director: · Stars:" trailer into one long list item."""
    record = extract((PAGES / "general3_blog_credit_trailer.html").read_bytes(),
                     "https://kinonotizen.example/2015/03/09/stalker/")
    assert record["directors"] == ["Andrei Tarkovsky"]
    assert record["provenance"]["directors"] == "label:Director"


def test_a_plain_director_line_still_gives_the_director() -> None:
    assert _directors("<html><body><h1>A film</h1><p>Director: Jane Doe</p></body></html>") == ["Jane Doe"]


def test_a_star_rating_after_the_director_is_no_director() -> None:
    assert _directors("<html><body><h1>A film</h1><p>Director: Jane Doe · Stars: 4/5</p></body></html>") == [
        "Jane Doe"]


@pytest.mark.parametrize("name", ["ジャン＝リュック・ゴダール", "泰利·茨威戈夫", "Jean-Luc Godard"])
def test_a_middle_dot_inside_a_name_does_not_split_it(name: str) -> None:
    assert _directors(f"<html><body><h1>A film</h1><p>Director: {name} · Stars: Anna Karina</p></body></html>") == [
        name]


def test_a_label_in_the_middle_of_long_prose_is_still_no_fact() -> None:
    prose = ("The festival opened with a retrospective. " * 5 + "Its jury president, asked who the director: Jane "
             "Doe, she said, and then went on talking about the weather for a while.")
    assert _directors(f"<html><body><h1>Festival diary</h1><p>{prose}</p></body></html>") == []


def test_a_rating_closing_a_users_long_review_is_no_page_score() -> None:
    prose = ("The film remains an action classic, and the cast is great from start to finish. " * 3
             + 'Otherwise, see "Die Hard" ASAP! Overall Rating: 9 out of 10')
    record = extract(f"<html><body><h1>Great fun</h1><p>{prose}</p></body></html>", "https://films.example/r")
    assert record["score"] is None


def test_a_rerelease_listed_first_under_a_chinese_release_label_does_not_beat_the_h1_year() -> None:
    """上映日期 "2019-11-15(中国大陆) / 1998-10-28(意大利)" is a release date: the H1's "(1998)" is the film's year."""
    record = extract((PAGES / "general3_film_page_zh_rerelease.html").read_bytes(),
                     "https://movie.yingpu.example/subject/1292001/")
    assert record["year"] == 1998
    assert record["provenance"]["year"] == "text:h1:title-year"


def test_a_release_date_label_in_french_is_only_a_hint_below_the_title_year() -> None:
    html = ("<html><body><h1>Le fabuleux destin d'Amélie Poulain (2001)</h1><ul><li>Date de sortie : 21 juin 2017 "
            "(reprise)</li><li>Réalisation : Jean-Pierre Jeunet</li></ul></body></html>")
    assert extract(html, "https://cine.example/film/amelie")["year"] == 2001


def test_a_release_date_alone_still_gives_the_year_marked_as_a_release() -> None:
    html = ("<html><body><h1>Amélie</h1><ul><li>Date de sortie : 25 avril 2001</li>"
            "<li>Réalisation : Jean-Pierre Jeunet</li></ul></body></html>")
    record = extract(html, "https://cine.example/film/amelie")
    assert record["year"] == 2001
    assert record["provenance"]["year"] == "release:label:Date de sortie"


def test_a_stated_year_label_outranks_a_release_label_listed_before_it() -> None:
    html = ("<html><body><h1>海上钢琴师</h1><div>上映日期: 2019-11-15(中国大陆)</div><div>年代: 1998</div>"
            "<div>导演: 朱塞佩·托纳多雷</div></body></html>")
    assert extract(html, "https://movie.example/subject/1/")["year"] == 1998


GENRE_LINKS_XPATH = etree.XPath(
    "/descendant::a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')][contains(@href, '/genre')]")


def test_genre_tag_links_are_the_links_the_rel_tag_xpath_selects() -> None:
    doc = parse_document(
        "<html><body><a rel='tag' href='/genre/drama'>Drama</a><a rel='nofollow  tag' href='/x/genres/'>A</a>"
        "<a rel='tagged' href='/genre/x'>no</a><a rel='tag\xa0x' href='/genre/y'>no</a><a href='/genre/z'>no</a>"
        "<span rel='tag'><a rel='tag' href='/movies/genre-crime'>Crime</a></span><a rel='TAG' href='/genre/w'>no</a>"
        "</body></html>", "https://films.example/")
    assert labelled._genre_links(doc) == GENRE_LINKS_XPATH(doc.root)
    assert [a.text for a in labelled._genre_links(doc)] == ["Drama", "A", "Crime"]


LABEL_PIECES = st.sampled_from(["Director", "director", "Runtime", " ", ":", "：", "  ", "\xa0", "Score", "IMDb rating",
                                "note", "x", "Regie", "Genre", "-", "•", "\t", "2024", "Release date", "上映日期",
                                "导演", "é", "Laufzeit", "ſcore", "Posted on", "10:30", "Original title", "dir.",
                                "Director(s)", "Hodnocení", "audience-score", "·", "|", "制片国家/地区", "Users",
                                "betyg", "x•", "Note"])


@settings(max_examples=3000, derandomize=True)
@given(st.lists(LABEL_PIECES, min_size=1, max_size=12).map("".join), st.integers(min_value=-200, max_value=20))
def test_labels_are_found_between_colons_as_a_scan_of_the_whole_line_finds_them(text: str, start: int) -> None:
    folded = fold_case(text)
    for inline in (labelled._INLINE, labelled._INLINE_NO_SCORE):
        assert [m.span() for m in labelled._label_matches(folded, inline, start)] == [
            m.span() for m in inline.finditer(folded, max(start, 0))]


@pytest.mark.parametrize("label", sorted(labelled._INDEX))
def test_every_label_before_a_colon_passes_the_colon_pre_check(label: str) -> None:
    for text in (f"{label}:", f"x {label} :", f"x•{label}：", f"a: {label}\t:"):
        folded = fold_case(text)
        colons = [i for i, c in enumerate(folded) if c in ":："]
        assert labelled._may_end_label(folded, colons[-2] + 1 if len(colons) > 1 else 0, colons[-1])


@pytest.mark.parametrize("label", ["Our Score", "IMDb rating:", "Note", "Notes:", "Rating of users", "Bewertung",
                                   "Hodnocení", "ſcore", "Top Rated Movies", "Tomatometer", "Ocena filmu", "Betyg",
                                   "MPAA rating", "Your rating", "Echo Score", "Related news", "RATING", "Ratıng"])
def test_the_score_word_pre_check_names_what_the_score_pattern_names(label: str) -> None:
    key = labelled.norm_label(label)
    expected = labelled._INDEX.get(key) or (
        "score" if labelled._SCORE_LABEL.match(key) and not labelled._NOT_SCORE_LABEL.search(key) else None)
    assert labelled.label_field.__wrapped__(label) == expected
