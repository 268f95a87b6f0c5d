"""Layer 4: film facts read from text patterns, and only where the page is about one film."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from filmscrape.extract import extract, heuristics
from filmscrape.extract.heuristics import credit_line_film, film_from_headline, sentences, title_year
from filmscrape.extract.lines import Line

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def page(name: str, url: str = "https://films.example/article") -> dict[str, Any]:
    return extract((PAGES / name).read_bytes(), url)


@pytest.mark.parametrize(
    ("headline", "film", "year"),
    [
        ("Gandhi (1982)", "Gandhi", 1982),
        ("Die Hard (1988) - Synopsis", "Die Hard", 1988),
        ("Star Trek: First Contact (1996) More at IMDbPro »", "Star Trek: First Contact", 1996),
    ],
)
def test_title_year_reads_the_film_and_its_year(headline: str, film: str, year: int) -> None:
    assert title_year(headline) == (film, year)


def test_a_year_inside_the_title_is_not_a_title_year() -> None:
    assert title_year("Why 1999 was the best year for films") is None


@pytest.mark.parametrize(
    ("headline", "film"),
    [
        ("Ballerina (2025) – Ending Explained & Final Scene Breakdown", "Ballerina"),
        ("Ending of Mulholland Drive explained", "Mulholland Drive"),
        ("Review of Sunshine State", "Sunshine State"),
        ("Oppenheimer review: a towering portrait", "Oppenheimer"),
        ("Oppenheimer review – Nolan’s atomic epic", "Oppenheimer"),
        ("Past Lives review", "Past Lives"),
        ("Year in review: the films of 2024", None),
        ("Weekend box office review: Barbie stays on top", None),
        ("Similar films for This Is the End", "This Is the End"),
        ("Reviews & Ratings for Die Hard", "Die Hard"),
        ("Die Hard Reviews & Ratings", "Die Hard"),
        ("Star Wars 8 THE LAST JEDI Official TRAILER (2017) Daisy Ridley", "Star Wars 8 THE LAST JEDI"),
        ("Better Off Dead [Exclusive Blu-ray Steelbook]", "Better Off Dead"),
        ("《清洁》：东方式内敛与摇滚现实绘", "清洁"),
        ("TV-TIPP – ARD-Doku „Loriot 100“: Eine Hommage an Vicco von Bülow", "Loriot 100"),
        ("The Modern Word - \"Mulholland Drive\" Review", "Mulholland Drive"),
        ("FUTURE of HOPE – Island befreit sich von den Bankstern – der Film", "FUTURE of HOPE"),
        ("PAST LIVES REVIEW", "PAST LIVES"),
        ("Heat – Ending EXPLAINED", "Heat"),
    ],
)
def test_headline_forms_name_the_film(headline: str, film: str | None) -> None:
    found = film_from_headline(headline)
    assert (found[0] if found else None) == film


def test_headlines_quoting_several_titles_or_a_sentence_name_no_film() -> None:
    assert film_from_headline("Screenshot : «Vape Wave», «6 Days», «Alphonse Président»…") is None
    assert film_from_headline("Sheila Atim: „The Woman King zeigt weibliche Stärke in all ihren Facetten“") is None
    assert film_from_headline("Hollywood actors strike ends as union reaches tentative deal") is None


def test_quoted_speech_in_a_headline_is_not_a_film_title() -> None:
    assert film_from_headline("Tom Cruise on his last stunt: ‘I’m done with this’") is None
    assert film_from_headline("Director says \"we ran out of money\" before the finale") is None
    assert film_from_headline("Why ‘Past Lives’ Is the Year’s Quietest Hit") == ("Past Lives", "quoted")
    assert film_from_headline("Til Schweiger: „Das war ein Fehler“") is None
    assert film_from_headline("Nolan: ‘Oppenheimer’ Was My Hardest Film") == ("Oppenheimer", "quoted")


@pytest.mark.parametrize(
    ("headline", "film"),
    [
        ("'Selma': DuVernay and Winfrey turn '60s unrest into a stirring film", "Selma"),
        ("How 'La La Land' Resurrected the Hollywood Musical - Rolling Stone", "La La Land"),
        ("'Parasite' scores historic upset at SAG awards", "Parasite"),
        ("'Schindler's List' at 30: a reckoning", "Schindler's List"),
        ("'Saltwater Hymns': Okafor on 'Making It Matter'", "Saltwater Hymns"),
    ],
)
def test_a_title_in_ascii_single_quotes_names_the_film(headline: str, film: str) -> None:
    found = film_from_headline(headline)
    assert found is not None and found[0] == film


@pytest.mark.parametrize(
    "headline",
    [
        "Why the '60s still don't feel like history",
        "Council's 'last word' on the pier: it stays",
        "Rock 'n' roll is back at the drive-in",
        "'We're done,' she said, and walked off the set",
        "Nolan: 'I Was Terrified Every Day'",
    ],
)
def test_apostrophes_decades_and_quoted_speech_are_not_single_quoted_titles(headline: str) -> None:
    assert film_from_headline(headline) is None


def test_a_quoted_title_opening_the_headline_is_the_pages_film() -> None:
    record = page("general_feature_quoted_headline.html")
    assert record["film_title"] == "Saltwater Hymns"


def test_director_before_a_name_in_a_sentence_about_the_film_is_its_director() -> None:
    record = page("general_feature_quoted_headline.html")
    assert record["directors"] == ["Tomas Okafor"]
    assert record["provenance"]["directors"] == "text:director-title"


def test_casting_director_and_director_of_photography_are_not_the_films_director() -> None:
    record = page("general_feature_quoted_headline.html")
    assert "Rhea Mott" not in record["directors"]
    assert "Lena Ortiz" not in record["directors"]


def test_a_capitalized_headline_word_after_filmmaker_is_no_name() -> None:
    record = page("general_feature_quoted_headline.html")
    assert all(" " in name for name in record["directors"])


def test_name_then_the_director_behind_the_film_is_its_director() -> None:
    record = page("general_news_appositive_director.html")
    assert record["film_title"] == "Night Ferry"
    assert record["directors"] == ["Ines Marlow"]


def test_the_director_of_another_quoted_title_is_not_the_films_director() -> None:
    record = page("general_news_appositive_director.html")
    assert "Sam Reyes" not in record["directors"]


def test_a_name_suffix_or_an_initial_does_not_end_a_sentence() -> None:
    text = "It is about Martin Luther King Jr. (David Oyelowo) and his marches. It opens Friday."
    assert sentences(text) == ["It is about Martin Luther King Jr. (David Oyelowo) and his marches.",
                               "It opens Friday."]
    assert len(sentences("Produced by David O. Russell. Then it flopped.")) == 2


def test_a_sentence_ends_at_a_mark_followed_by_any_space() -> None:
    assert sentences("Quiet Circus 1 is a thriller.") == ["Quiet Circus 1 is a thriller."]
    assert sentences("Version 2.0 is out.It is fast") == ["Version 2.0 is out.It is fast"]
    assert sentences("Stop!\u00a0Go?\n\tNow。 好") == ["Stop!", "Go?", "Now。", "好"]


def test_essay_film_is_the_title_it_keeps_italicizing() -> None:
    record = page("heuristics_essay_italics.html")
    assert record["film_title"] == "The Night of the Hunter"
    assert record["provenance"]["film_title"] == "text:italic-title"


def test_essay_year_and_director_come_from_sentences_naming_the_film() -> None:
    record = page("heuristics_essay_italics.html")
    assert record["year"] == 1955
    assert record["directors"] == ["Charles Laughton"]
    assert record["provenance"]["directors"] == "text:directed-by"


def test_a_film_by_names_film_and_director_when_the_page_keeps_naming_it() -> None:
    record = page("heuristics_feature_film_by.html")
    assert record["film_title"] == "Cléo from 5 to 7"
    assert record["directors"] == ["Agnès Varda"]


def test_a_film_by_in_a_sidebar_mentioned_once_is_not_the_pages_film() -> None:
    record = page("heuristics_feature_film_by.html")
    assert "Jacques Demy" not in record["directors"]


def test_catalogue_runtime_is_the_sentence_closing_the_main_blurb() -> None:
    record = page("heuristics_catalogue.html")
    assert record["runtime_minutes"] == 109
    assert record["year"] == 2002
    assert record["directors"] == ["Michael Caton-Jones"]


def test_a_film_called_15_minutes_is_not_a_runtime() -> None:
    record = page("heuristics_catalogue.html")
    assert record["runtime_minutes"] != 15


def test_reading_times_ages_and_tv_tips_are_not_runtimes_on_a_page_about_no_film() -> None:
    record = page("heuristics_news_times.html")
    assert record["film_title"] is None
    assert record["runtime_minutes"] is None
    assert record["year"] is None


def test_rating_with_a_vote_count_is_the_pages_aggregate() -> None:
    html = """<html><body><h1>Gasljus (1944)</h1><div class="rating">1 2 3 4 5 6 7 8 9 10 7.8/10 X</div>
    <div>Users: (8,278 votes) 88 reviews | Critics: 41 reviews</div>
    <div class="review">A user wrote: the best thriller ever, 9.5/10.0</div></body></html>"""
    record = extract(html, "https://films.example/title/gasljus")
    assert record["score"] == {"value": 7.8, "scale": 10, "source": "users"}
    assert record["provenance"]["score"] == "text:rating-votes"


def test_a_lone_users_rating_in_review_text_is_no_page_score() -> None:
    html = "<html><body><h1>Die Hard (1988)</h1><p>I loved it. 10/10, would watch again.</p></body></html>"
    assert extract(html, "https://films.example/reviews")["score"] is None


def test_a_clip_length_on_a_film_page_is_not_the_runtime() -> None:
    html = """<html><body><h1>Heat (1995)</h1><p>Watch the trailer (2 min)</p>
    <p>Michael Mann's crime epic returns to cinemas.</p></body></html>"""
    assert extract(html, "https://films.example/heat")["runtime_minutes"] is None


def test_a_runtime_opening_a_short_footer_line_is_the_films_runtime() -> None:
    record = page("general_film_page_footer_runtime.html", "https://filmlog.example/film/harbor-of-ash/")
    assert record["runtime_minutes"] == 112
    assert record["provenance"]["runtime_minutes"] == "text:runtime"


def test_activity_times_opening_a_line_are_not_runtimes() -> None:
    record = page("general_film_page_footer_runtime.html", "https://filmlog.example/film/harbor-of-ash/")
    assert record["runtime_minutes"] != 38


def test_of_two_titled_directors_the_one_the_film_names_is_its_director() -> None:
    html = """<html><head><title>Night Ferry wins at the critics' dinner</title></head><body>
    <h1>'Night Ferry' wins at the critics' dinner</h1>
    <p>Harbor Lights director Sam Reyes and Night Ferry's director Ines Marlow shared the stage on Sunday.</p>
    </body></html>"""
    record = extract(html, "https://films.example/news/night-ferry-wins")
    assert record["film_title"] == "Night Ferry"
    assert record["directors"] == ["Ines Marlow"]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("The Crowd (1928) is King Vidor's study of a clerk lost in the city.", 1928),
        ("In 1935, after a long delay, Universal released The Bride of Frankenstein to acclaim.", 1935),
        ("The studio released The Bride of Frankenstein in 1935 with a new prologue.", 1935),
        ("the crowd (1928) still feels modern.", 1928),
    ],
)
def test_prose_year_reads_the_year_stated_beside_the_film(text: str, year: int) -> None:
    from lxml.html import fragment_fromstring

    from filmscrape.extract.heuristics import prose_year
    from filmscrape.extract.lines import Line

    film = "The Bride of Frankenstein" if "Bride" in text else "The Crowd"
    found = prose_year([Line(text, fragment_fromstring("<p>x</p>"), 0)], film)
    assert [c.value for c in found] == [year]


def test_prose_year_ignores_a_year_beside_another_film() -> None:
    from lxml.html import fragment_fromstring

    from filmscrape.extract.heuristics import prose_year
    from filmscrape.extract.lines import Line

    text = "Like The Crowd, Sunrise (1927) follows a couple in the city."
    assert prose_year([Line(text, fragment_fromstring("<p>x</p>"), 0)], "The Crowd") == []


def test_film_page_runtime_stated_only_in_a_short_meta_description() -> None:
    """Streaming and database pages put "1h 52m | 15 | Thriller" in og:description and nowhere else."""
    record = extract((PAGES / "general2_film_page_meta_runtime.html").read_bytes(),
                     "https://streamhall.example/title/salt-road-2011/")
    assert record["runtime_minutes"] == 112
    assert record["provenance"]["runtime_minutes"] == "meta:og:description"


def test_short_meta_description_gives_no_runtime_on_a_page_about_no_film() -> None:
    """A TV tip's "A 95 min festival special airs tonight" is not a film's runtime."""
    record = extract((PAGES / "general2_news_meta_short_description.html").read_bytes(),
                     "https://gridguide.example/tonight/festival-special/")
    assert record["runtime_minutes"] is None


def test_rating_decorations_on_og_title_give_way_to_the_title_tag_it_extends() -> None:
    """With no heading, og:title "The Glass Orchard (1994) ⭐ 6.9 | Drama, Mystery" only decorates what the
    <title> states: the headline is the undecorated title."""
    record = extract((PAGES / "general2_film_page_decorated_og_title.html").read_bytes(),
                     "https://filmindex.example/title/fi0113377/")
    assert record["title"] == "The Glass Orchard (1994)"
    assert record["film_title"] == "The Glass Orchard"


def test_og_title_stays_the_headline_when_it_extends_the_title_tag_with_words() -> None:
    """"Night Ferry review: a slow-burning thriller rated 4/5" says more than <title> "Night Ferry": no decoration."""
    record = extract((PAGES / "general2_review_og_title_longer_than_title_tag.html").read_bytes(),
                     "https://cinemaquarterly.example/reviews/night-ferry/")
    assert record["title"] == "Night Ferry review: a slow-burning thriller rated 4/5"


def test_a_blog_posts_credit_line_names_its_film_year_and_director() -> None:
    """A blog post about one film states it as "Title · Director (Year)" under "Director · Title", no markup."""
    record = page("general3_blog_credit_line.html",
                  "https://cineclubmardi.blogspot.example/2012/10/agnes-varda-cleo-de-5-7.html")
    assert (record["film_title"], record["year"], record["directors"]) == ("Cléo de 5 à 7", 1962, ["Agnès Varda"])
    assert record["provenance"]["film_title"] == "text:credit-line"


def test_a_credit_line_in_either_order_keeps_the_person_as_director() -> None:
    lines = ["Archive", "Derek Jarman · The Garden (1990)"]
    assert credit_line_film(lines, "The Garden · Derek Jarman") == ("The Garden", 1990, "Derek Jarman")


def test_a_one_word_title_beside_a_name_is_the_film() -> None:
    assert credit_line_film(["Stalker · Andrei Tarkovsky (1979)"], "Andrei Tarkovsky · Stalker") == (
        "Stalker", 1979, "Andrei Tarkovsky")


def test_a_name_with_a_particle_is_still_the_director() -> None:
    assert credit_line_film(["Cronos · Guillermo del Toro (1993)"], "Guillermo del Toro · Cronos") == (
        "Cronos", 1993, "Guillermo del Toro")


def test_a_known_director_decides_between_two_name_shaped_parts() -> None:
    lines = ["Paris Texas · Wim Wenders (1984)"]
    assert credit_line_film(lines, "Wim Wenders · Paris Texas") is None
    assert credit_line_film(lines, "Wim Wenders · Paris Texas", ["Wim Wenders"]) == (
        "Paris Texas", 1984, "Wim Wenders")


def test_a_title_and_year_line_the_headline_names_is_the_film() -> None:
    assert credit_line_film(["Stalker (1979)"], "Andrei Tarkovsky: Stalker") == ("Stalker", 1979, None)


@pytest.mark.parametrize(
    ("lines", "headline"),
    [
        (["Parasite · Bong Joon-ho (2019)"], "The best films of 2019"),  # a list's entry the headline does not name
        (["Lola (1961)"], "Jacques Demy at 90: Lola, Model Shop, The Umbrellas of Cherbourg and more"),
        (["Up (2009)"], "Top 10 films of the summer"),  # no word run "up" in the headline
        (["Derek Jarman · The Garden (1990)"], None),
        (["Andrei Tarkovsky (1932)"], "Andrei Tarkovsky: a life"),  # a birth year beside a name
        (["Pierrot le Fou · Jean-Luc Godard (1965)"], "Jean-Luc Godard · Pierrot le Fou"),  # two name shapes
    ],
)
def test_credit_lines_the_headline_does_not_name_alone_give_no_film(lines: list[str], headline: str | None) -> None:
    assert credit_line_film(lines, headline) is None


def test_a_credit_line_far_down_a_list_page_is_no_film() -> None:
    record = extract("<html><body><h1>Films of 1962</h1><ul><li>Cléo de 5 à 7 · Agnès Varda (1962)</li>"
                     "<li>Lola · Jacques Demy (1961)</li></ul></body></html>", "https://films.example/1962")
    assert record["film_title"] is None


def _top_level_alternatives(pattern: str) -> list[str]:
    """The alternatives of a pattern's outermost group, as source text."""
    body = pattern[pattern.index("(?:") + 3:pattern.rindex(")")]
    parts, depth, start = [], 0, 0
    for i, char in enumerate(body):
        if char == "(" and body[i - 1:i] != "\\":
            depth += 1
        elif char == ")" and body[i - 1:i] != "\\":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    return [*parts, body[start:]]


def test_every_director_phrase_holds_a_word_the_scan_is_gated_on() -> None:
    alternatives = _top_level_alternatives(heuristics._DIRECTOR_PHRASES.pattern)
    assert len(alternatives) > 10
    for alternative in alternatives:
        assert any(word in alternative for word in heuristics._DIRECTOR_PHRASE_WORDS), alternative


def test_end_anchored_headline_forms_end_with_a_word_they_are_gated_on() -> None:
    for name, endings in heuristics._FORM_ENDINGS.items():
        pattern = heuristics._FILM_FORMS[name].pattern
        assert pattern.endswith(")$")
        depth, start = 0, len(pattern) - 2  # the group that closes just before "$"
        while True:
            depth += {")": 1, "(": -1}.get(pattern[start], 0)
            if depth == 0:
                break
            start -= 1
        last_group = pattern[start:-1]
        for alternative in _top_level_alternatives(last_group):
            assert alternative.endswith(endings), (name, alternative)


def test_directors_in_prose_about_the_film() -> None:
    lines = [Line("Last Frontier 6 is a 82-minute thriller from Yuki Novak.", None, 0),  # type: ignore[arg-type]
             Line("Last Frontier 6, a FILM BY Yuki Novak, opens today.", None, 1)]  # type: ignore[arg-type]
    found = heuristics.prose_directors(lines, "Last Frontier 6", "\n".join(line.text for line in lines))
    assert [(c.value, c.source) for c in found] == [(["Yuki Novak"], "text:directed-by")]
    lines = [Line("In Last Frontier 6, Director Yuki Novak takes her time.", None, 0)]  # type: ignore[arg-type]
    found = heuristics.prose_directors(lines, "Last Frontier 6", lines[0].text)
    assert [(c.value, c.source) for c in found] == [(["Yuki Novak"], "text:director-title")]
