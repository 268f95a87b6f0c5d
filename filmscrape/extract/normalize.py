"""Turns raw field text into record values: minutes, years, names, genres and scores."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

FIRST_FILM_YEAR = 1870


def clean_text(text: str | None) -> str | None:
    """Whitespace collapsed and trimmed; None for text with nothing in it."""
    if text is None:
        return None
    text = str(text)
    if not text.isascii():  # an O(1) flag test: ASCII text is already NFC and holds no direction marks
        text = unicodedata.normalize("NFC", text).replace("\u200e", "").replace("\u200f", "")
    # split() breaks at exactly the characters \s matches: runs collapse as with re.sub(r"\s+", " ", ...) and the
    # ends lose the spaces the strip below would take anyway, at a third of the regex's cost.
    cleaned = " ".join(text.split())
    cleaned = cleaned.strip(" \t\r\n\u00a0\u3000|·•")
    return cleaned or None


def fold_case(text: str) -> str:
    """``text`` lower-cased the way re.IGNORECASE compares letters, one character for each.

    A lower-case pattern compiled without re.IGNORECASE finds in folded text what it finds with the flag in the
    original, at the same offsets, and several times faster on long alternations: the engine skips a plain
    literal alternative with one comparison, a case-insensitive one with a backtracking step.
    """
    if text.isascii():
        return text.lower()
    # Lower-casing pairs letters as re.IGNORECASE does, except for the capital dotted I (it lower-cases to two
    # characters), the dotless i and the long s, which the engine matches with "i" and "s". (Three replacements
    # cost a tenth of one str.translate.)
    return text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s").lower()


def latest_plausible_year() -> int:
    """A film year may be announced for next year, not later."""
    return datetime.now(UTC).year + 1


_FILM_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def to_year(value: Any) -> int | None:
    """A four-digit film year (1870..next year) from an int or text such as "2025" or "1998-09"; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        year = value
    else:
        match = _FILM_YEAR.search(str(value))
        if match is None:
            return None
        year = int(match.group(1))
    return year if FIRST_FILM_YEAR <= year <= latest_plausible_year() else None


_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.I,
)
_HOURS = r"(?:hours?|hrs?|h|std\.?|stunden?|godz\.?|hod(?:in[ay]?)?\.?|heures?|tim(?:mar?)?|t|小时|小時)"
_MINUTES = r"(?:minutes?|mins?|m|min\.|minuten|minut[ay]?|minuter|分钟|分鐘|分)"
_HM = re.compile(rf"(?<![\w.])(\d{{1,2}})\s*{_HOURS}\s*,?\s*(?:and\s+)?(\d{{1,2}})\s*{_MINUTES}(?![^\W\d_])", re.I)
_H_ONLY = re.compile(rf"(?<![\w.])(\d{{1,2}})\s*{_HOURS}(?![^\W\d_])", re.I)
_M_ONLY = re.compile(rf"(?<![\w.])(\d{{1,3}})\s*{_MINUTES}(?![^\W\d_])", re.I)
_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::[0-5]\d)?\s*$")
MAX_RUNTIME = 1000  # a few real films run longer than 10 hours; nothing runs for days


def runtime_minutes(value: Any) -> int | None:
    """Minutes from 125, "125 min", "2 h 5 m", "2hr 5min", "PT2H5M", "2:05"; None when nothing fits."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        minutes = round(value)
        return minutes if 0 < minutes <= MAX_RUNTIME else None
    text = clean_text(str(value))
    if text is None:
        return None
    iso = _ISO_DURATION.match(text)
    if iso and any(iso.groupdict().values()):
        parts = {k: float(v) if v else 0.0 for k, v in iso.groupdict().items()}
        total = parts["d"] * 1440 + parts["h"] * 60 + parts["m"] + parts["s"] / 60
        return _bounded(round(total))
    for finder in (_HM, _H_ONLY, _M_ONLY):
        match = finder.search(text)
        if match is None:
            continue
        if finder is _HM:
            return _bounded(int(match.group(1)) * 60 + int(match.group(2)))
        if finder is _H_ONLY:
            return _bounded(int(match.group(1)) * 60)
        return _bounded(int(match.group(1)))
    clock = _CLOCK.match(text)
    if clock:
        return _bounded(int(clock.group(1)) * 60 + int(clock.group(2)))
    if text.isdigit():
        return _bounded(int(text))
    return None


def _bounded(minutes: int) -> int | None:
    return minutes if 0 < minutes <= MAX_RUNTIME else None


# A middle dot or bullet separates names only with spaces around it: "Joel Coen · Ethan Coen", but
# "泰利·茨威戈夫" (and katakana names joined by "・") are one name each.
# The lookahead names what a separator can start with (a space, a mark, a word's first letter): the engine then
# skips most positions in one test instead of trying every alternative there (twice as fast on names).
_NAME_SPLIT = re.compile(r"(?=[\s,;/|&、，·•]|\b[aueoi])"
                         r"\s*(?:,|;|/|\||\band\b|\bund\b|\bet\b|\boch\b|\bi\b|\ba\b|&|、|，|/|(?<=\s)[·•](?=\s))\s*")
_NAME_NOISE = re.compile(r"\s*(?:\((?:[^)]*)\)|\[[^\]]*\])\s*")
_NOT_NAMES = frozenset({"more", "see more", "more at imdbpro", "full cast and crew", "n/a", "unknown", "various"})


def split_names(value: Any) -> list[str]:
    """Names from a list or from "A, B and C" text, trimmed, de-duplicated, in page order and spelling."""
    raw: list[str] = []
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        text = clean_text(None if item is None else str(item))
        if text is None:
            continue
        if "(" in text or "[" in text:  # every noise form is bracketed
            text = _NAME_NOISE.sub(" ", text)
        raw.extend(_NAME_SPLIT.split(text))
    return dedupe_names(raw)


def dedupe_names(names: list[str]) -> list[str]:
    """Trimmed names, first spelling kept, case- and accent-insensitive duplicates dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        cleaned = clean_text(name.strip(" .:-–—»«\"'"))
        if cleaned is None or cleaned.lower() in _NOT_NAMES or len(cleaned) > 80:
            continue
        if not any(c.isalpha() for c in cleaned):
            continue
        key = _fold(cleaned)
        if key not in seen:
            seen.add(key)
            out.append(cleaned)
    return out


def _fold(text: str) -> str:
    folded = text.casefold()
    if not folded.isascii():  # ASCII text is its own NFKD form
        folded = unicodedata.normalize("NFKD", folded)
    return "".join(filter(str.isalnum, folded))  # filter: no per-char bytecode


KNOWN_GENRES = (
    "action", "adventure", "animation", "anime", "biography", "comedy", "crime", "documentary", "drama",
    "family", "fantasy", "film-noir", "history", "horror", "music", "musical", "mystery", "romance",
    "sci-fi", "science fiction", "short", "sport", "sports", "superhero", "thriller", "war", "western",
    "noir", "teen", "disaster", "martial arts", "psychological", "satire", "slasher", "spy", "heist",
)
_GENRE_SPLIT = re.compile(r"\s*(?:,|;|/|\||·|•|\band\b)\s*")
_RUN_TOGETHER = sorted((g.replace(" ", "").replace("-", "") for g in KNOWN_GENRES), key=len, reverse=True)


def split_genres(value: Any) -> list[str]:
    """Lower-case genres, one per item, from tags or "Action / Thriller" text; run-together known
    genre words ("actionthriller") are split as a fallback."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for item in items:
        text = clean_text(None if item is None else str(item))
        if text is None:
            continue
        for part in _GENRE_SPLIT.split(text.lower()):
            part = part.strip(" .#")
            if not part or len(part) > 40:
                continue
            out.extend(_split_run_together(part))
    seen: set[str] = set()
    return [g for g in out if not (g in seen or seen.add(g))]  # type: ignore[func-returns-value]


def _split_run_together(word: str) -> list[str]:
    if " " in word or word in KNOWN_GENRES:
        return [word]
    pieces: list[str] = []
    rest = word
    while rest:
        head = next((g for g in _RUN_TOGETHER if rest.startswith(g)), None)
        if head is None:
            return [word]
        pieces.append(head)
        rest = rest[len(head):]
    return pieces if len(pieces) > 1 else [word]


_NUMBER = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_OUT_OF = re.compile(rf"{_NUMBER}\s*(?:/|out of|von|z|sur|av|из)\s*(\d{{1,3}}(?:[.,]0+)?)(?![\d.,]*\d)", re.I)
_PERCENT = re.compile(rf"{_NUMBER}\s*%")
_STARS = re.compile(r"([★✭✮⭐]+)\s*(½)?\s*([☆✩]*)")
# One star glyph then a number ("⭐ 7.8"): an icon beside the rating, not a one-star rating.
_STAR_ICON = re.compile(r"(?<![★✭✮⭐])[★✭✮⭐]\ufe0f?\s*(?=\d)")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def score_value(text: Any, *, default_scale: float | None = None) -> tuple[float, float] | None:
    """(value, scale) from "7.8/10", "3.5 out of 5", "73%", "★★★½", or a bare number with ``default_scale``."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        return _checked(float(text), default_scale) if default_scale else None
    cleaned = clean_text(str(text))
    if cleaned is None:
        return None
    match = _OUT_OF.search(cleaned)
    if match:
        return _checked(_num(match.group(1)), _num(match.group(2)))
    match = _PERCENT.search(cleaned)
    if match:
        return _checked(_num(match.group(1)), 100.0)
    icon = _STAR_ICON.search(cleaned)
    if icon:
        cleaned = cleaned[icon.end():]
    match = None if icon else _STARS.search(cleaned)
    if match:
        full = len(match.group(1))
        value = full + (0.5 if match.group(2) else 0.0)
        empty = len(match.group(3))
        return _checked(value, float(full + empty + (1 if match.group(2) else 0)) if empty else 5.0)
    if default_scale:
        bare = re.fullmatch(rf"\s*{_NUMBER}\s*", cleaned)
        if bare:
            return _checked(_num(bare.group(1)), default_scale)
    return None


def _checked(value: float, scale: float | None) -> tuple[float, float] | None:
    if scale is None or scale <= 0 or value < 0 or value > scale:
        return None
    return value, scale


def number(value: float) -> int | float:
    """An int when the float is whole (66.0 -> 66), so JSON shows what the page showed."""
    return int(value) if float(value).is_integer() else value


def make_score(value: float, scale: float, source: str | None) -> dict[str, Any]:
    """A record score object."""
    return {"value": number(value), "scale": number(scale), "source": source}
