"""Class/id verdicts: chrome tokens, state prefixes and spoiler marks, read case-insensitively."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filmscrape.extract import boilerplate
from filmscrape.extract.boilerplate import CHROME, SPOILER, classify_marks, is_chrome


@pytest.mark.parametrize(("tag", "marks", "verdict"), [
    ("div", "share-bar ", CHROME),
    ("div", "sidebar_widget main", CHROME),
    ("div", "content-has-sidebar ", 0),  # a state prefix: the layout, not the element
    ("div", "header ", 0),  # 'ad' is a token, never a substring
    ("article", "related-posts ", 0),  # the article itself is never chrome
    ("div", "spoiler-content ", SPOILER),
    ("div", "ſPOILER ", SPOILER),  # what re.IGNORECASE matches: the long s, capitals
    ("div", "no-spoiler-warning ", 0),  # a warning banner about spoilers is not spoiler markup
])
def test_class_and_id_texts_get_their_verdict(tag: str, marks: str, verdict: int) -> None:
    assert classify_marks.__wrapped__(tag, marks) == verdict


def _chrome_by_the_rule(tag: str, class_id: str) -> bool:
    """The rule as written: per whitespace name, its -/_ segments; a chrome token not after a state prefix."""
    if tag in {"html", "body", "main", "article"}:
        return False
    for name in class_id.lower().split():
        previous = ""
        for segment in re.split(r"[_\-]+", name):
            if segment in boilerplate._CHROME_TOKENS and previous not in boilerplate._STATE_PREFIXES:
                return True
            previous = segment
    return False


PIECES = st.sampled_from([*sorted(boilerplate._CHROME_TOKENS)[:25], *sorted(boilerplate._STATE_PREFIXES), "spoiler",
                          "SPOILER", "ſpoiler", "spoıler", "no", "-", "_", "--", " ", "\xa0", "\u2003", "x", "Ad",
                          "İ", "warning", "content"])


@settings(max_examples=2000, derandomize=True)
@given(st.sampled_from(["div", "span", "article", "main"]), st.lists(PIECES, max_size=6).map("".join))
def test_the_fast_paths_give_the_verdicts_of_the_rules_as_written(tag: str, marks: str) -> None:
    assert is_chrome(tag, marks) == _chrome_by_the_rule(tag, marks)
    spoiler = bool(re.search("spoiler", marks, re.I)) and not boilerplate._NOT_SPOILER_CLASS.search(marks)
    expected = SPOILER if spoiler else CHROME if _chrome_by_the_rule(tag, marks) else 0
    assert classify_marks.__wrapped__(tag, marks) == expected
