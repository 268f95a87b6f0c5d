"""Field values as the record stores them: minutes, years, names, genres and scores."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from filmscrape.extract import dates, heuristics, labelled, normalize
from filmscrape.extract.headline import fold
from filmscrape.extract.normalize import (
    clean_text,
    fold_case,
    make_score,
    runtime_minutes,
    score_value,
    split_genres,
    split_names,
    to_year,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("125 min", 125), ("2 h 5 m", 125), ("2hr 5min", 125), ("PT2H5M", 125), ("PT16M", 16), ("2:05", 125),
        ("Runtime: 191 min", 191), ("153 Minuten", 153), ("1 godz. 28 min.", 88), ("2h 31min", 151),
        ("112 Min", 112), ("135 Minutes.", 135), (97, 97), ("171分钟", 171), ("2 hours", 120),
    ],
)
def test_runtime_to_minutes(text: object, minutes: int) -> None:
    assert runtime_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "soon", "PT", "0 min", "-5", None, True, "3000 min"])
def test_runtime_that_does_not_parse_is_none_never_zero(text: object) -> None:
    assert runtime_minutes(text) is None


@pytest.mark.parametrize(
    ("text", "year"), [("2025", 2025), (1944, 1944), ("1998-09", 1998), ("Canal, 2001.", 2001), ("(1928)", 1928)]
)
def test_year_to_int(text: object, year: int) -> None:
    assert to_year(text) == year


@pytest.mark.parametrize("text", ["1869", "2999", 12, "no year", None, "123456"])
def test_years_outside_film_history_are_none(text: object) -> None:
    assert to_year(text) is None


def test_names_are_trimmed_split_and_deduplicated_in_page_spelling() -> None:
    assert split_names(" Matthew Bennett,  Sasha Moric ") == ["Matthew Bennett", "Sasha Moric"]
    assert split_names(["Kôji Shiraishi", "Koji Shiraishi", "KÔJI SHIRAISHI"]) == ["Kôji Shiraishi"]
    assert split_names("Joel Coen and Ethan Coen") == ["Joel Coen", "Ethan Coen"]
    assert split_names("阿萨亚斯") == ["阿萨亚斯"]
    assert split_names("Bilal Lashari (as B. Lashari)") == ["Bilal Lashari"]


def test_a_spaced_middle_dot_or_bullet_separates_names() -> None:
    assert split_names("Joel Coen · Ethan Coen • Ann Lee") == ["Joel Coen", "Ethan Coen", "Ann Lee"]


def test_a_middle_dot_without_spaces_is_part_of_a_name() -> None:
    assert split_names("泰利·茨威戈夫 / ジャン＝リュック・ゴダール") == ["泰利·茨威戈夫", "ジャン＝リュック・ゴダール"]


def test_names_drop_page_furniture() -> None:
    assert split_names(["See more", "Fritz Lang", ""]) == ["Fritz Lang"]


def test_genres_lower_case_one_per_item() -> None:
    assert split_genres("Krimi / Drama / Thriller") == ["krimi", "drama", "thriller"]
    assert split_genres(["Action", "Thriller", "action"]) == ["action", "thriller"]


def test_run_together_known_genres_are_split_as_a_fallback() -> None:
    assert split_genres("actionthriller") == ["action", "thriller"]
    assert split_genres("crimedramamystery") == ["crime", "drama", "mystery"]


def test_unknown_run_together_words_are_kept_whole() -> None:
    assert split_genres("actionpacked") == ["actionpacked"]


@pytest.mark.parametrize(
    ("text", "value_scale"),
    [
        ("7.8/10", (7.8, 10.0)), ("3.5 out of 5", (3.5, 5.0)), ("73%", (73.0, 100.0)), ("★★★½", (3.5, 5.0)),
        ("★★★☆☆", (3.0, 5.0)), ("4,5/5", (4.5, 5.0)), ("70/100", (70.0, 100.0)),
    ],
)
def test_scores_read_value_and_scale(text: str, value_scale: tuple[float, float]) -> None:
    assert score_value(text) == value_scale


def test_a_bare_number_needs_a_known_scale() -> None:
    assert score_value("66") is None
    assert score_value("66", default_scale=100.0) == (66.0, 100.0)


def test_a_value_above_its_scale_is_no_score() -> None:
    assert score_value("11/10") is None


def test_whole_scores_are_written_as_ints() -> None:
    assert make_score(66.0, 100.0, "Echo Score") == {"value": 66, "scale": 100, "source": "Echo Score"}


def test_a_star_icon_before_a_number_is_no_one_star_rating() -> None:
    """"⭐ 7.8" is an icon and a number, not one star out of five; the number alone needs a known scale."""
    assert score_value("⭐ 7.8") is None
    assert score_value("⭐ 7.8", default_scale=10.0) == (7.8, 10.0)
    assert score_value("★ 8.1/10") == (8.1, 10.0)


def test_star_runs_stay_star_ratings() -> None:
    assert score_value("★") == (1.0, 5.0)
    assert score_value("★★★ 3") == (3.0, 5.0)


def test_a_star_icon_inside_the_text_is_no_rating_either() -> None:
    assert score_value("IMDb ⭐ 7.8") is None


def test_folded_text_pairs_characters_with_pattern_letters_as_ignorecase_does() -> None:
    """Lower-case patterns run on folded text instead of with re.IGNORECASE: for every Unicode character and every
    letter those patterns hold, the folded character is the letter exactly when re.IGNORECASE pairs the two, and
    it stays a word, space or digit character exactly when the character is one."""
    patterns = (dates._LABEL_NOT_PAGE, dates._LABEL_UPDATED, dates._LABEL_PUBLISHED, dates._RELEASE_NEAR,
                labelled._INLINE, labelled._PREFIX, heuristics._DIRECTOR_PHRASES, *heuristics._FILM_FORMS.values())
    letters = {c for pattern in patterns for c in re.sub(r"\\.|\(\?P<\w+>", "", pattern.pattern) if c.isalpha()}
    letters |= {c for words in heuristics._FORM_WORDS.values() for word in words for c in word}
    letters |= {c for words in heuristics._FORM_ENDINGS.values() for word in words for c in word}
    letters |= set("directorfilmmakerreleased")  # the words heuristics looks for in folded text
    any_letter = re.compile(f"[{''.join(sorted(letters))}]", re.I)
    classes = [re.compile(r"\w"), re.compile(r"\s"), re.compile(r"\d")]
    for char in map(chr, range(0x110000)):
        folded = fold_case(char)
        assert len(folded) == 1
        assert [bool(c.match(char)) for c in classes] == [bool(c.match(folded)) for c in classes], char
        if folded in letters or any_letter.fullmatch(char):
            ignorecase = {p for p in letters if re.fullmatch(re.escape(p), char, re.I)}
            assert ignorecase == ({folded} & letters), char


def test_clean_text_collapses_whitespace_and_trims_furniture() -> None:
    assert clean_text("  Last\u2003Frontier \n\t 6 \u00a0| ") == "Last Frontier 6"
    assert clean_text("\u200eThe Garden\u200f · ") == "The Garden"
    assert clean_text(" | · ") is None
    assert clean_text(None) is None


def test_str_split_breaks_where_regex_whitespace_matches() -> None:
    """clean_text collapses whitespace with str.split(): it must split at exactly the characters \\s matches."""
    space = re.compile(r"\s")
    assert all(bool(space.match(c)) == c.isspace() for c in map(chr, range(0x110000)))


def test_the_name_split_lookahead_only_skips_positions_no_separator_starts_at() -> None:
    """_NAME_SPLIT opens with a lookahead for speed: without it the pattern splits every text the same way."""
    lookahead = r"(?=[\s,;/|&、，·•]|\b[aueoi])"
    assert normalize._NAME_SPLIT.pattern.startswith(lookahead)
    plain = re.compile(normalize._NAME_SPLIT.pattern.removeprefix(lookahead))
    marks = " \t\n\u00a0\u3000,;/|&、，·•・.-_'1aeiouAndUndEtOchxyz"
    rng = random.Random(7)
    texts = ["".join(rng.choice(marks) for _ in range(rng.randint(0, 16))) for _ in range(20_000)]
    texts += ["Joel Coen · Ethan Coen", "泰利·茨威戈夫", "Anna i Jan", "Tom et Jerry", "A, B and C", "Ana Mar a Eva"]
    for text in texts:
        assert normalize._NAME_SPLIT.split(text) == plain.split(text), text


_FAST_PATH_TEXTS = ["", "  Plain  ASCII\ttext \n", "Caf\u00e9", "Cafe\u0301 au lait", "\u200eLeft\u200f to right",
                    "\u212b ring", "\ufb01lm \u00bd", "Stra\u00dfe", "\u0130stanbul", "  |\u00b7 x \u3000", "ＡＢＣ",
                    "Amélie (2001)", "東京物語", "K\u212a"]


@pytest.mark.parametrize("text", _FAST_PATH_TEXTS)
def test_ascii_fast_paths_clean_and_fold_as_the_full_normalization_does(text: str) -> None:
    reference = " ".join(unicodedata.normalize("NFC", text).replace("\u200e", "").replace("\u200f", "").split())
    assert normalize.clean_text(text) == (reference.strip(" \t\r\n\u00a0\u3000|·•") or None)
    assert fold.__wrapped__(text) == "".join(filter(str.isalnum, unicodedata.normalize("NFKC", text).casefold()))
    assert normalize._fold(text) == "".join(filter(str.isalnum, unicodedata.normalize("NFKD", text.casefold())))
