"""Page kind from the evidence: site URL patterns, headlines, schema.org types, fact blocks, bylines."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscrape.extract.candidates import Candidate, Context, Layer
from filmscrape.extract.document import parse_document
from filmscrape.extract.kind import page_kind
from filmscrape.extract.sections import split_sections
from filmscrape.extract.structured import structured_candidates
from filmscrape.sites.profiles import parse_profile

PAGES = Path(__file__).parent / "fixtures" / "pages"


def context(name: str, url: str = "https://films.example/page/", profile_data: dict[str, object] | None = None,
            ) -> Context:
    doc = parse_document((PAGES / name).read_bytes(), url)
    profile = parse_profile(profile_data, "test-profile.toml") if profile_data else None
    return Context(doc=doc, url=url, fetched_at=None, profile=profile)


def kind_of(ctx: Context, candidates: list[Candidate] | None = None) -> Candidate:
    title = ctx.doc.root.findtext(".//title")
    return page_kind(ctx, candidates or [], split_sections(ctx.doc, ctx), title)


def test_an_ending_explained_headline_makes_an_ending_explained_page() -> None:
    decided = kind_of(context("sections_plot_explained.html"))
    assert (decided.value, decided.source) == ("ending_explained", "text:headline-ending-explained")
    assert decided.field == "page_kind"


def test_the_site_profiles_url_patterns_come_first() -> None:
    ctx = context("sections_plot_explained.html", "https://db.example/title/tt0095016/",
                  {"domains": ["db.example"], "page_kinds": {"film_page": [r"/title/tt\d+/"]}})
    decided = kind_of(ctx)
    assert (decided.value, decided.source) == ("film_page", "site:test-profile:page_kinds")


def test_a_news_article_type_in_json_ld_makes_a_news_page() -> None:
    ctx = context("sections_news_chrome.html")
    assert kind_of(ctx, structured_candidates(ctx)).value == "news"


def test_review_in_the_headline_makes_a_review() -> None:
    decided = kind_of(context("sections_review_spoiler_heading.html"))
    assert (decided.value, decided.source) == ("review", "text:headline-review")


def test_a_ranked_best_of_headline_makes_a_list() -> None:
    assert kind_of(context("kind_top_list.html")).value == "list"


def test_labelled_director_and_runtime_over_little_prose_make_a_film_page() -> None:
    facts = [Candidate("directors", ["Ines Halloran"], "label:Director", Layer.LABELLED),
             Candidate("runtime_minutes", 104, "label:Runtime", Layer.LABELLED)]
    decided = kind_of(context("sections_plot_review.html"), facts)
    assert (decided.value, decided.source) == ("film_page", "label:film-facts")


def test_film_facts_found_only_in_prose_do_not_make_a_film_page() -> None:
    guesses = [Candidate("directors", ["Ines Halloran"], "text:directed-by", Layer.HEURISTIC),
               Candidate("runtime_minutes", 104, "text:minutes", Layer.HEURISTIC)]
    assert kind_of(context("sections_plot_review.html"), guesses).value == "other"


def test_a_byline_and_a_date_make_a_news_page() -> None:
    evidence = [Candidate("authors", ["Mara Voss"], "text:byline", Layer.HEURISTIC),
                Candidate("published_at", None, "text:byline-date", Layer.HEURISTIC)]
    assert kind_of(context("sections_details_spoiler.html"), evidence).value == "news"


def test_a_page_with_no_evidence_is_other() -> None:
    decided = kind_of(context("sections_details_spoiler.html"))
    assert (decided.value, decided.source) == ("other", "default")


def test_a_spoiler_analysis_without_the_words_ending_explained_is_an_explainer(realpages_dir: Path) -> None:
    page = realpages_dir / "pages" / "themodernword-2002-mulholland-drive-explained.html"
    doc = parse_document(page.read_bytes(), page.as_uri())
    ctx = Context(doc=doc, url=page.as_uri(), fetched_at=None, profile=None)
    assert kind_of(ctx).value == "ending_explained"


@pytest.mark.parametrize(("title", "kind"), [
    ("THE ENDING, EXPLAINED", "ending_explained"),
    ("Heat: Das Ende erklärt", "ending_explained"),
    ("Heat 結末 ネタバレ 解説", "ending_explained"),
    ("KRITIK: Heat", "review"),
    ("\u212aritik: Heat", "review"),  # the Kelvin sign is a k to a case-insensitive pattern
    ("Heat レビュー", "review"),
    ("Die 10 besten Filme", "list"),
    ("\u0661\u0662 great movies", "list"),  # Arabic-Indic digits are digits too
    ("Heat", "other"),
])
def test_headline_words_match_in_any_case_and_script(title: str, kind: str) -> None:
    ctx = Context(doc=parse_document("<html><body><p>x</p></body></html>", "https://films.example/page/"),
                  url="https://films.example/page/", fetched_at=None, profile=None)
    assert page_kind(ctx, [], None, title).value == kind
