"""The headline: which heading or title metadata names the page, and which names only the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscrape.extract import extract
from filmscrape.extract.headline import _title_site_name

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def test_a_blog_whose_h1_is_its_name_is_headed_by_the_post_title() -> None:
    record = extract((PAGES / "sections_blogger_post.html").read_bytes(),
                     "https://shinglefilms.blogspot.example/2014/05/the-garden-1990.html")
    assert record["title"] == "The Garden (1990)"
    assert record["film_title"] == "The Garden"


@pytest.mark.parametrize(
    ("title", "og_title", "site"),
    [
        ("Shingle & Celluloid: The Garden (1990)", "The Garden (1990)", "Shingle & Celluloid"),
        ("The Garden (1990) | Shingle & Celluloid", "The Garden (1990)", "Shingle & Celluloid"),
        ("The Garden (1990) – Film Diary", "The Garden (1990)", "Film Diary"),
    ],
)
def test_the_title_around_og_title_names_the_site(title: str, og_title: str, site: str) -> None:
    assert _title_site_name(title, og_title) == site


@pytest.mark.parametrize(
    ("title", "og_title"),
    [
        ("The Garden (1990)", "The Garden (1990)"),  # the same text: no site name in it
        ("The Garden Revisited", "The Garden"),  # no separator: the title just goes on
        ("The Garden: why Derek Jarman's last films still matter so much today", "The Garden"),  # too long
        ("Review of The Garden", "The Garden | Film Diary"),  # og:title is not at either end
    ],
)
def test_a_title_that_only_extends_og_title_names_no_site(title: str, og_title: str) -> None:
    assert _title_site_name(title, og_title) is None
