"""The extraction layers' memo caches can be emptied at any time without changing what a page gives."""

from __future__ import annotations

from pathlib import Path

from filmscrape.extract import extract
from filmscrape.extract.boilerplate import classify_marks
from filmscrape.extract.headline import fold
from filmscrape.extract.memo import clear_memos

PAGE = Path(__file__).parent / "fixtures" / "pages" / "seed_ending_explained.html"
URL = "https://echofilms.example/movie/x/ending-explained/"


def test_clearing_the_memos_empties_them() -> None:
    extract(PAGE.read_bytes(), URL)
    assert classify_marks.cache_info().currsize > 0 and fold.cache_info().currsize > 0
    assert clear_memos() >= 2
    assert classify_marks.cache_info().currsize == 0 and fold.cache_info().currsize == 0


def test_a_page_read_with_empty_memos_gives_the_same_record() -> None:
    warm = extract(PAGE.read_bytes(), URL)
    clear_memos()
    assert extract(PAGE.read_bytes(), URL) == warm
