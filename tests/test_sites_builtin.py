"""The site profiles shipped in filmscrape/sites/ load, and their URL rules say what each page is."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscrape.extract import extract
from filmscrape.sites.profiles import BUILTIN_DIR, load_profile_file, load_profiles


def test_every_shipped_profile_loads_with_a_unique_name() -> None:
    files = sorted(BUILTIN_DIR.glob("*.toml"))
    assert files, "filmscrape/sites/ ships no profile"
    names = [load_profile_file(path).name for path in files]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.imdb.com/title/tt0095016/", "film_page"),
        ("https://www.imdb.com/title/tt0095016/synopsis", "film_page"),
        ("https://m.imdb.com/title/tt0095016/reviews?ref_=tt_urv", "film_page"),
        ("https://www.imdb.com/chart/top", "list"),
        ("https://letterboxd.com/film/this-is-the-end/similar/", "film_page"),
        ("https://letterboxd.com/dave/list/official-top-250-narrative-feature-films/", "list"),
    ],
)
def test_shipped_profiles_tell_the_page_kind_from_the_url(url: str, kind: str) -> None:
    profile = load_profiles().for_url(url)
    assert profile is not None and profile.page_kind_for(url) == kind


def test_imdb_crawl_rules_record_title_pages_but_not_their_galleries() -> None:
    rules = load_profiles().for_url("https://www.imdb.com/")
    assert rules is not None
    assert rules.crawl.is_article("https://www.imdb.com/title/tt0095016/")
    assert not rules.crawl.should_follow("https://www.imdb.com/title/tt0095016/mediaviewer/rm1/")


def test_a_saved_imdb_synopsis_is_a_film_page_by_its_profile(realpages_dir: Path) -> None:
    page = realpages_dir / "pages" / "imdb-2014-die-hard-synopsis.html"
    record = extract(page.read_bytes(), "http://www.imdb.com/title/tt0095016/synopsis")
    assert record["page_kind"] == "film_page"
    assert record["provenance"]["page_kind"] == "site:imdb:page_kinds"
