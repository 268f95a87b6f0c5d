"""Layer 2: facts a page states as "Label: value" (text lines, <dl>, infobox rows, label spans), in many languages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import lxml.html

from filmscrape.extract.candidates import Candidate, Context, Layer
from filmscrape.extract.document import Document
from filmscrape.extract.headline import fold
from filmscrape.extract.lines import Line, text_lines
from filmscrape.extract.marked import GENRE_BOXES, TAG_RELS
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
from filmscrape.extract.structured import read_structured

# Label words per field, lower case. CJK labels are matched with their inner spaces removed ("片 长" -> "片长").
LABELS: dict[str, tuple[str, ...]] = {
    "year": (
        "year", "production year", "release year", "year of release", "jahr", "erscheinungsjahr",
        "produktionsjahr", "rok", "rok výroby", "rok produkcji", "année", "année de production", "år",
        "produktionsår", "年代", "年份", "出品年代", "上映年份", "年度",
    ),
    "release": (
        "release date", "release dates", "released", "release", "original release", "premiere", "kinostart",
        "erscheinungsdatum", "premiéra",
        "premiera", "data premiery", "date de sortie", "sortie", "estreno", "fecha de estreno", "uscita",
        "data di uscita", "premiärdatum", "premiär", "上映日期", "上映时间",
        "上映時間", "发行日期",
    ),
    "runtime_minutes": (
        "runtime", "running time", "run time", "duration", "length", "länge", "laufzeit", "spieldauer", "dauer",
        "délka", "stopáž", "czas trwania", "durée", "speltid", "längd", "片长", "片長", "时长", "時長", "长度",
    ),
    "directors": (
        "director", "directors", "directed by", "direction", "regie", "regisseur", "regisseurin", "režie",
        "režisér", "reżyseria", "reżyser", "réalisation", "réalisateur", "réalisatrice", "réalisé par",
        "mise en scène", "regi", "regissör", "导演", "導演", "director(s)", "dir.",
    ),
    "genres": (
        "genre", "genres", "genre(s)", "gatunek", "žánr", "žánry", "类型", "類型", "类别", "類別", "genere",
    ),
    "language": (
        "language", "languages", "original language", "sprache", "originalsprache", "jazyk", "język",
        "langue", "langue originale", "språk", "originalspråk", "语言", "語言", "对白", "對白",
    ),
    "film_title": (
        "original title", "originaltitel", "originální název", "tytuł oryginalny", "titre original", "片名",
        "译名", "譯名", "原名",
    ),
    "score": (
        "rating", "ratings", "user rating", "users rating", "imdb rating", "score", "metascore", "tomatometer",
        "audience score", "critics score", "critic score", "user score", "our score", "our rating", "verdict",
        "bewertung", "wertung", "hodnocení", "ocena", "note", "betyg", "评分", "評分", "豆瓣评分", "imdb评分",
        # Rating sites quoted as labels: "IMDb: 7.5/10", "Rotten Tomatoes: 93%".
        "imdb", "rotten tomatoes", "metacritic", "letterboxd", "tmdb", "douban", "豆瓣", "čsfd", "csfd", "filmweb",
    ),
    # Credits the record does not keep. They are labels all the same, so each ends the value before it:
    # "Director: Derek Jarman · Stars: Tilda Swinton" names one director, not the cast.
    "credits": (
        "stars", "starring", "cast", "main cast", "with", "darsteller", "besetzung", "mit", "hrají", "obsada",
        "avec", "acteurs", "distribution", "med", "reparto", "interpreti", "主演", "演员", "演員",
        "writer", "writers", "writer(s)", "screenplay", "script", "drehbuch", "scénář", "scenariusz", "scénario",
        "编剧", "編劇", "producer", "producers", "producer(s)", "produzent", "produktion", "produkce",
        "music", "musik", "hudba", "muzyka", "musique", "音乐", "cinematography", "director of photography",
        "kamera", "zdjęcia", "editor", "editing", "schnitt", "střih", "montaż", "montage", "剪辑",
        "country", "countries", "produktionsland", "země", "kraj produkcji", "pays", "制片国家/地区",
    ),
}
# Labels that may open a line with no colon ("Directed by David Lynch", "dir. John Sayles").
PREFIX_LABELS: dict[str, str] = {
    "written and directed by": "directors", "directed by": "directors", "a film by": "directors",
    "dir.": "directors", "réalisé par": "directors",
    "regie": "directors", "regie:": "directors", "ein film von": "directors", "film von": "directors",
    "un film de": "directors",
}
_PREFIX = re.compile(
    "(?:" + "|".join(re.escape(p) for p in sorted(PREFIX_LABELS, key=len, reverse=True)) + r")(?!\w)", re.I)
# Any "<words> score/rating" label is a score label ("Echo Score", "IMDb Rating").
_SCORE_LABEL = re.compile(
    r"^(?:[\w .'’&-]{0,30}\b(?:score|rating|metascore|tomatometer|wertung|bewertung)"
    r"|(?:note|ocena|hodnocení|betyg|bewertung|wertung|rating|score)\b[\w .'’&-]{0,25})$", re.I)
_NOT_SCORE_LABEL = re.compile(r"\b(your|mpaa|age|content|parental|fsk|tv)\b", re.I)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_SPACES = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_NOT_IN_NAMES = re.compile(r"\d|[:!?@]")
_BULLETS = " \t◎●•·*▪►-–—|"


def norm_label(text: str) -> str:
    """A label as matched: NFKC, lower case, bullets and a trailing colon gone, CJK inner spaces removed."""
    label = unicodedata.normalize("NFKC", text).lower().strip(_BULLETS)
    label = label.rstrip(" :：").strip()
    if not label.isascii():  # spaces between CJK characters; an ASCII label has none
        label = _CJK_SPACES.sub("", label)
    return " ".join(label.split())


_INDEX: dict[str, str] = {norm_label(lbl): fld for fld, lbls in LABELS.items() for lbl in lbls}


def _label_pattern(label: str) -> str:
    """A label as a regex: any whitespace between its words (none needed between CJK characters)."""
    gap = r"\s*" if _CJK_CHAR.search(label) else r"\s+"
    return re.escape(label).replace(r"\ ", gap)


def _alternation(labels: list[str]) -> str:
    """Regex alternatives for ``labels``, longest first, grouped under their first character.

    The engine tries an alternation branch by branch at every word start: one branch per first letter instead of
    one per label halves the time ``_INLINE`` takes on real pages. No two groups can match the same character,
    and within a group the order is kept, so the same label matches as with a flat alternation.
    """
    groups: dict[str, list[str]] = {}
    for label in sorted(labels, key=len, reverse=True):
        groups.setdefault(label[0], []).append(_label_pattern(label)[len(re.escape(label[0])):])
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


_ALT = _alternation(list(_INDEX))
# The inline label patterns are lower case and run on ``fold_case`` text: the engine skips a plain literal
# alternative with one comparison, a case-insensitive one (re.IGNORECASE) with a backtracking step.
_LABEL_START = rf"(?:^|(?<=[\s{re.escape(_BULLETS)}]))"
# "Label:" anywhere a label may start (line start, after whitespace or a bullet); several may share a line.
_INLINE = re.compile(
    rf"{_LABEL_START}(?P<label>(?:[\w .'’&-]{{0,30}}\b(?:score|rating))|"
    rf"(?:note|ocena|hodnocení|betyg|rating|score)\b[\w .'’&-]{{0,25}}|{_ALT})\s*[:：]")
# The same labels for a line that names no score or rating (nearly every line): without the "<words> score"
# form, which backtracks over up to 30 characters at every word start, it scans such lines ~40% faster.
_INLINE_NO_SCORE = re.compile(
    rf"{_LABEL_START}(?P<label>(?:note|ocena|hodnocení|betyg)\b[\w .'’&-]{{0,25}}|{_ALT})\s*[:：]")


def _inline(folded: str) -> re.Pattern[str]:
    """``_INLINE``, or ``_INLINE_NO_SCORE`` (the same matches, found faster) for a line naming no score or rating."""
    return _INLINE if "score" in folded or "rating" in folded else _INLINE_NO_SCORE


_COLON = re.compile("[:：]")


def _label_matches(folded: str, inline: re.Pattern[str], start: int = 0) -> Iterator[re.Match[str]]:
    """``inline.finditer(folded, start)``, the regex run only up to each colon: a label match ends at a colon
    and holds none, so it lies between two colons, and the text after a line's last colon (most of a "Label:
    value" line) is never read."""
    pos = max(start, 0)
    for colon in _COLON.finditer(folded, pos):
        end = colon.end()
        match = inline.search(folded, pos, end) if _may_end_label(folded, pos, end - 1) else None
        if match is not None:
            yield match
        pos = end


def _last_segment(label: str) -> str:
    """The part of a label after its last space: the label's last word (a CJK label has no spaces)."""
    return label.rsplit(" ", 1)[-1]


_LAST_SEGMENTS = frozenset(_last_segment(label) for label in _INDEX)
_SCORE_ENDINGS = ("score", "rating")
_SCORE_OPENERS = ("note", "ocena", "hodnocení", "betyg", "rating", "score")
_SCORE_OPENER_REACH = 25 + max(map(len, _SCORE_OPENERS))  # the "note ..." form's word and its 0-25 characters
_ANY_SCORE_OPENER = re.compile("|".join(_SCORE_OPENERS))
_BULLET_CHARS = frozenset(_BULLETS) - {" ", "\t"}


def _may_end_label(folded: str, start: int, colon: int) -> bool:
    """Whether a label match can end at the colon at ``colon``, starting at or after ``start``: a cheap
    necessary test that spares most colons ("10:30", "Star Trek: Insurrection") the inline regex.

    A match is a label, optional whitespace and the colon. A listed label ends with its last word, which follows
    whitespace, a bullet or the line's start: the last whitespace-separated token before the colon is that word,
    or holds a bullet. The score forms end with "score" or "rating", or hold a score word near the colon.
    """
    tail = folded[start:colon].rstrip()
    if not tail:
        return False
    token = tail.rsplit(None, 1)[-1]
    if token in _LAST_SEGMENTS or token.endswith(_SCORE_ENDINGS) or not _BULLET_CHARS.isdisjoint(token):
        return True
    return _ANY_SCORE_OPENER.search(tail, len(tail) - _SCORE_OPENER_REACH) is not None


def _written(text: str, match: re.Match[str]) -> str:
    """The label a match in the folded ``text`` found, as the text writes it."""
    return text[match.start("label"):match.end("label")]

RELEASE_SOURCE = "release:"
"""Prefix of the source of a year read off a release-date fact in any language the grammar knows
("release:label:上映日期", "release:label:Date de sortie"): a stated year or "Title (1998)" outranks it."""

MAX_VALUE_CHARS = 200
MAX_FACT_LINE_CHARS = 200
# A credit trailer closing a long paragraph ("... murderous. Director: Derek Jarman · Stars: Tilda Swinton"):
# label pairs after the last sentence, within this many characters of the line's end.
MAX_TRAILER_CHARS = 160
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?\s+$")
# Spaced separators between credit groups; a trailing one is no part of the value before it.
_VALUE_TRIM = " |/·•"
_CARD_STARTS = "◎●•·【["
_CARD_BULLET = re.compile(rf"^[{re.escape(_CARD_STARTS)}]\s*")


def _cjk_card(text: str) -> tuple[str, str, str] | None:
    """A CJK fact-card line "◎导　演　韦廉": the shortest run of CJK characters that is a label, then the value."""
    if not text or text[0] not in _CARD_STARTS:  # most lines: no regex call
        return None
    bullet = _CARD_BULLET.match(text)
    if bullet is None:
        return None
    rest = text[bullet.end():]
    chars = 0
    for pos, char in enumerate(rest):
        if char.isspace():
            continue
        if not _CJK_CHAR.match(char) or chars >= 6:
            return None
        chars += 1
        field = label_field(rest[: pos + 1]) if chars >= 2 else None
        if field is not None:
            value = re.split(r"\s*◎", rest[pos + 1:].lstrip(" :：】]"))[0].strip()
            return field, rest[: pos + 1], value
    return None


@dataclass(frozen=True)
class Fact:
    """One labelled statement on the page: which field, the label as written, the raw value, and its line."""

    field: str
    label: str
    value: str
    line: int
    subject: str | None


@lru_cache(maxsize=8192)
def label_field(label: str) -> str | None:
    """The record field a label names, or None."""
    key = norm_label(label)
    found = _INDEX.get(key)
    if found is not None:
        return found
    if key.isascii() and not _may_name_score(key):
        return None  # most short lines (headings, link labels) name no score: no backtracking regex for them
    if _SCORE_LABEL.match(key) and not _NOT_SCORE_LABEL.search(key):
        return "score"
    return None


_SCORE_WORDS = ("score", "rating", "tomatometer", "wertung", "note", "ocena", "hodnocení", "betyg")
"""Every word ``_SCORE_LABEL`` needs one of ("metascore" and "bewertung" hold "score" and "wertung")."""
_ANY_SCORE_WORD = re.compile("|".join(_SCORE_WORDS))


def _may_name_score(key: str) -> bool:
    """Whether an ASCII label key holds a word ``_SCORE_LABEL`` needs (re.IGNORECASE pairs ASCII letters only
    with their lower case, which the key already is)."""
    return _ANY_SCORE_WORD.search(key) is not None


MAX_LABEL_CHARS = 40


def _is_label_line(text: str) -> bool:
    return len(text) <= MAX_LABEL_CHARS and label_field(text) is not None


# class/id words (split at -, _ and spaces) of "people who liked this also liked", "more like this" and related
# titles boxes: the facts there (Director: ..., (2017)) are other films'.
_RECOMMENDATION_WORDS = frozenset({
    "rec", "recs", "recommend", "recommended", "recommendation", "recommendations", "similar", "also", "liked",
    "related", "morelikethis", "p13n", "suggested", "suggestions", "youmayalsolike",
})


_MARKER_SPLIT = re.compile(r"[-_\s]+")


@lru_cache(maxsize=4096)
def _names_recommendations(marker: str) -> bool:
    """Whether lower-case class/id text (``"class id"``) has a word of a recommendations box; memoized, as pages
    repeat their class names."""
    return not _RECOMMENDATION_WORDS.isdisjoint(_MARKER_SPLIT.split(marker))


def _may_name_recommendations(marker: str) -> bool:
    """Whether lower-case class/id text holds a stem of the words of a recommendations box: a cheap test
    that spares most class names ("entry-content", "post-1005") the split."""
    return ("rec" in marker or "like" in marker or "also" in marker or "related" in marker or "similar" in marker
            or "sugg" in marker or "p13n" in marker)


def in_recommendations(el: lxml.html.HtmlElement, cache: dict[lxml.html.HtmlElement, bool]) -> bool:
    """Whether ``el`` sits in a box of recommended or related titles (memoized per element in ``cache``)."""
    chain: list[lxml.html.HtmlElement] = []
    node: lxml.html.HtmlElement | None = el
    found = False
    while node is not None and isinstance(node.tag, str):
        if node in cache:
            found = cache[node]
            break
        chain.append(node)
        classes, ident = node.get("class"), node.get("id")
        marker = f"{classes or ''} {ident or ''}".lower() if classes is not None or ident is not None else ""
        if marker and _may_name_recommendations(marker) and _names_recommendations(marker):
            found = True
            break
        node = node.getparent()
    for seen in chain:
        cache[seen] = found
    return found


def find_facts(lines: Sequence[Line]) -> list[Fact]:
    """Every labelled fact in the lines, in page order, leaving out boxes of recommended or related titles."""
    facts: list[Fact] = []
    boxes: dict[lxml.html.HtmlElement, bool] = {}
    stated = [False] * len(lines)  # whether each line states a fact of its own, for _subject (set as read)
    for i, (text, block, _) in enumerate(lines):  # unpacked: cheaper than a named field read per line
        # line_facts' own pre-checks, inlined: most lines have no colon and open neither with a prefix label's
        # first letters nor with a card bullet, and skip the call
        if ":" in text or "：" in text or (text[:1] in _FACT_OPENERS and _may_open_fact(text)):
            found = line_facts(text)
            if found:
                stated[i] = True
            elif len(text) > MAX_LABEL_CHARS or not (text.endswith((":", "：")) or block.tag in _LABEL_BLOCKS):
                continue
        elif len(text) > MAX_LABEL_CHARS or block.tag not in _LABEL_BLOCKS:
            continue  # states no fact, and is no label (that ends with a colon or sits in a label block)
        else:
            found = []
        if not found:  # a label line of its own, for the next line: "Director:" then "Jane Doe"
            named = label_field(text)
            nxt = lines[i + 1].text if i + 1 < len(lines) else ""
            if named is None or not nxt or _is_label_line(nxt) or nxt.rstrip().endswith(":"):
                continue
            found = [(named, text, _cell_value(lines[i], nxt) or nxt)]
        # Only lines stating a fact are placed: walking up from every line cost more than reading them all.
        if in_recommendations(block, boxes):
            continue
        for field, label, value in found:
            if not value and i + 1 < len(lines) and not _is_label_line(lines[i + 1].text):
                value = _cell_value(lines[i], lines[i + 1].text) or lines[i + 1].text
            if value:
                subject = _subject(lines, i, stated)
                facts.append(Fact(field, clean_text(label) or label, value[:MAX_VALUE_CHARS], i, subject))
    return facts


_VALUE_CELLS = frozenset({"td", "dd"})
_CELL_LABELS = frozenset({"th", "dt"})
_HEADING_LABELS = frozenset({"h3", "h4", "h5", "h6", "label"})
MAX_VALUE_LINES = 8
MAX_VALUE_LINE_CHARS = 60


def _cell_value(line: Line, nxt: str | None = None) -> str | None:
    """The whole value element after a label, its lines joined: the cell beside a <th>/<dt> ("Joel Coen<br>Ethan
    Coen"), or the element after a heading or <label> ("<h5>Directors:</h5><div>A<br>B</div>") when it starts
    with the next line, holds a few short lines and no label of its own."""
    block = line.block
    tag = block.tag if isinstance(block.tag, str) else ""
    if tag not in _CELL_LABELS and tag not in _HEADING_LABELS:
        return None
    cell = block.getnext()
    while cell is not None and not isinstance(cell.tag, str):
        cell = cell.getnext()
    if cell is None:
        return None
    if tag in _CELL_LABELS:
        if cell.tag not in _VALUE_CELLS:
            return None
        parts = [part.text for part in text_lines(cell)]
        return ", ".join(parts) if parts else None
    if block.tail and block.tail.strip():
        return None  # "<h5>Director:</h5> Jane Doe <div>...": the value is the text right after the label
    parts = [part.text for part in text_lines(cell)]
    if (not parts or parts[0] != nxt or len(parts) > MAX_VALUE_LINES
            or any(len(p) > MAX_VALUE_LINE_CHARS or _is_label_line(p) or line_facts(p) for p in parts)):
        return None
    return ", ".join(parts)


_LABEL_BLOCKS = frozenset({"th", "dt", "h3", "h4", "h5", "h6", "label"})
"""Blocks whose whole text may be a label for the next line."""


_FACT_OPENERS = frozenset(c for p in PREFIX_LABELS for c in (p[0].lower(), p[0].upper())) | frozenset(_CARD_STARTS)
"""First characters of the lines that may state a fact without a colon: a prefix label or a CJK card bullet."""


MAX_PREFIX_LINE_CHARS = 80
"""Longest line a prefix label ("Directed by Jane Doe") opens: a longer line is prose that starts so."""
_PREFIX_STARTS = frozenset(p[:3] for p in PREFIX_LABELS)
"""The first three characters of each prefix label (lower case)."""


def _may_open_prefix(text: str) -> bool:
    """Whether a prefix label may open the line: it is short, and starts with a prefix label's first three
    characters (ASCII characters match ``_PREFIX``'s re.IGNORECASE only if they lower-case to them)."""
    opening = text[:3]
    return len(text) <= MAX_PREFIX_LINE_CHARS and (opening.lower() in _PREFIX_STARTS or not opening.isascii())


def _may_open_fact(text: str) -> bool:
    """Whether a line without a colon may state a fact: a CJK card bullet or a prefix label may open it."""
    return text[:1] in _CARD_STARTS or _may_open_prefix(text)


def line_facts(text: str) -> list[tuple[str, str, str]]:
    """(field, label as written, value) of each fact one line states."""
    colon = ":" in text or "：" in text
    first = text[:1]
    if not colon and (first not in _FACT_OPENERS or not _may_open_fact(text)):  # most lines: no regex call
        return []
    prefix = _PREFIX.match(text) if _may_open_prefix(text) else None
    if prefix is not None:
        field, label, rest = PREFIX_LABELS[prefix.group(0).lower()], prefix.group(0), text[prefix.end():]
        # "Regie: Jane Doe · Darsteller: Ann Lee": the next label ends the value and states its own fact.
        folded = fold_case(text)
        nxt = next((m for m in _label_matches(folded, _inline(folded), prefix.end())
                    if label_field(_written(text, m))), None)
        if nxt is None:
            return [(field, label, rest.strip(" :"))]
        value = text[prefix.end():nxt.start()].lstrip(" :").strip(_VALUE_TRIM)
        return [(field, label, value), *line_facts(text[nxt.start():])]
    card = _cjk_card(text) if first in _CARD_STARTS else None
    if card is not None:
        return [card]
    if not colon:
        return []
    folded = fold_case(text)
    labels: list[tuple[re.Match[str], str, str]] = []  # each label match, as written, and the field it names
    if len(text) > MAX_FACT_LINE_CHARS:
        # In a paragraph of prose ("... Overall Rating: 9 out of 10"), only a label opening it, or a credit
        # trailer after its last sentence, is a page fact.
        inline = _inline(folded)
        opening = inline.match(folded)
        matches = [opening] if opening and label_field(_written(text, opening)) else []
        matches += _trailer(text, folded, inline)
        for match in matches:
            label = _written(text, match)
            named = label_field(label)
            if named is not None:
                labels.append((match, label, named))
    else:
        pos = 0
        for colon_at in _COLON.finditer(folded):  # _label_matches, inlined (most lines have one colon)
            end = colon_at.end()
            # the pattern is chosen only for the few colons a label may end at
            found = _inline(folded).search(folded, pos, end) if _may_end_label(folded, pos, end - 1) else None
            pos = end
            if found is not None:
                label = _written(text, found)
                named = label_field(label)
                if named is not None:
                    labels.append((found, label, named))
    out: list[tuple[str, str, str]] = []
    for n, (match, label, named) in enumerate(labels):
        end = labels[n + 1][0].start() if n + 1 < len(labels) else len(text)
        out.append((named, label, text[match.end():end].strip(_VALUE_TRIM)))
    return out


def _trailer(text: str, folded: str, inline: re.Pattern[str]) -> list[re.Match[str]]:
    """The label matches of a credit trailer closing a long line: from the first label right after a sentence
    end, within ``MAX_TRAILER_CHARS`` of the end, to the end of the line. A trailer is at least two credits and
    no score: "... see it ASAP! Overall Rating: 9 out of 10" closes a user's review, and "Note:" opens an aside."""
    start = len(text) - MAX_TRAILER_CHARS
    if text.find(":", start) < 0 and text.find("：", start) < 0:  # most prose: no regex call
        return []
    found = [m for m in _label_matches(folded, inline, start) if label_field(_written(text, m))]
    for n, match in enumerate(found):
        if _SENTENCE_END.search(text, max(0, match.start() - 6), match.start()):
            trailer = found[n:]
            if len(trailer) >= 2 and all(label_field(_written(text, m)) != "score" for m in trailer):
                return trailer
            return []
    return []


def _subject(lines: Sequence[Line], index: int, stated: Sequence[bool]) -> str | None:
    """The short line just above a run of labelled lines: usually the name of the film the facts are about.
    ``stated[j]`` is whether line ``j`` states a fact (``line_facts``), known for every line above ``index``."""
    j = index - 1
    while j >= 0 and index - j <= 8:
        text = lines[j].text
        if stated[j] or _is_label_line(text):
            j -= 1
            continue
        return text if len(text) <= 100 else None
    return None


# A bare number opening a score value, after any one star icon ("⭐ 7.8", "8.1 (120k votes)").
_BARE_SCORE = re.compile(r"^\s*(?:[★✭✮⭐]\ufe0f?\s*)?(\d{1,3}(?:[.,]\d)?)\s*(?:$|\(|\s)")


def _score(label: str, value: str) -> tuple[float, float] | None:
    lowered = label.lower()
    if "metascore" in lowered or "tomatometer" in lowered or "audience score" in lowered:
        return score_value(value, default_scale=100.0)
    parsed = score_value(value)
    if parsed is not None:
        return parsed
    bare = _BARE_SCORE.match(value)
    if bare is None:
        return None
    number = float(bare.group(1).replace(",", "."))
    if number > 10 and number.is_integer():
        return score_value(number, default_scale=100.0)
    if number <= 10 and not number.is_integer():
        return score_value(number, default_scale=10.0)
    return None


def fact_value(fact: Fact) -> tuple[str, Any] | None:
    """The (field, normalized value) a fact gives, or None when its value does not parse for that field."""
    value = fact.value
    if fact.field == "year":
        year = to_year(value) if len(value) <= 40 else None
        return ("year", year) if year else None
    if fact.field == "release":
        year = to_year(value) if len(value) <= 60 else None
        return ("release_year", year) if year else None
    if fact.field == "runtime_minutes":
        minutes = runtime_minutes(value.split("|")[0]) if len(value) <= 80 else None
        return ("runtime_minutes", minutes) if minutes else None
    if fact.field == "directors":
        names = [n for n in split_names(value) if _looks_like_name(n)]
        return ("directors", names) if names and len(value) <= 120 else None
    if fact.field == "genres":
        genres = split_genres(value) if len(value) <= 120 else []
        return ("genres", genres) if genres else None
    if fact.field == "language":
        language = clean_text(value)
        return ("language", language) if language and len(language) <= 40 else None
    if fact.field == "film_title":
        title = clean_text(value)
        return ("film_title", title) if title and len(title) <= 120 else None
    if fact.field == "score":
        parsed = _score(fact.label, value)
        if parsed is None:
            return None
        return ("score", make_score(parsed[0], parsed[1], fact.label.rstrip(" :")))
    return None


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if _CJK_CHAR.search(name):
        return len(name) <= 12
    return 1 <= len(words) <= 5 and not _NOT_IN_NAMES.search(name) and not name[0].islower()


def _matches_subject(subject: str | None, folded_hint: str) -> bool:
    """Whether a fact block's subject line and the headline (``fold``-ed once by the caller) name each other."""
    if not subject or not folded_hint:
        return False
    folded = fold(subject)
    return bool(folded) and (folded in folded_hint or folded_hint in folded)


_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() splits on


def _genre_links(doc: Document) -> list[lxml.html.HtmlElement]:
    """``<a rel="tag" href=".../genre...">`` links, in document order, as ``/descendant::a[contains(concat(' ',
    normalize-space(@rel), ' '), ' tag ')][contains(@href, '/genre')]`` selects them."""
    return [el for el in doc.marked(TAG_RELS)
            if el.tag == "a" and "tag" in _XML_SPACE.split(el.get("rel") or "") and "/genre" in (el.get("href") or "")]
_CHROME_TAGS = frozenset({"nav", "header", "footer", "select", "menu"})


def _in_chrome(el: lxml.html.HtmlElement) -> bool:
    return el.tag in _CHROME_TAGS or any(a.tag in _CHROME_TAGS for a in el.iterancestors())


MAX_GENRES = 12


def genre_tags(doc: Document) -> list[str]:
    """Genres as the markup separates them: the links of a genre box, or rel=tag genre links. Sites that set
    tags side by side render "actionthriller" as text; the markup still has "action" and "thriller"."""
    for box in doc.marked(GENRE_BOXES):
        if "genre" not in f"{box.get('class', '')} {box.get('id', '')}".lower() or _in_chrome(box):
            continue
        anchors = [clean_text(a.text_content()) for a in box.iter("a")]
        texts = [t for t in anchors if t and len(t) <= 30]
        if texts and len(texts) <= MAX_GENRES:
            return split_genres(texts)
    links = [t for t in (clean_text(a.text_content()) for a in _genre_links(doc) if not _in_chrome(a))
             if t and len(t) <= 30]
    return split_genres(links) if 0 < len(links) <= MAX_GENRES else []


_META_LABEL = re.compile(r"^twitter:label(\d{1,2})$")


def meta_label_facts(meta: Mapping[str, tuple[str, ...]]) -> list[tuple[Fact, str]]:
    """Facts a page's head states as unfurl pairs (``twitter:label1`` "Directed by" + ``twitter:data1`` "Jane
    Doe"), read with the same label grammar as text lines, each with its source (``meta:twitter:label1``)."""
    out: list[tuple[Fact, str]] = []
    for key, labels in meta.items():
        numbered = _META_LABEL.match(key) if key.startswith("twitter:label") else None
        if numbered is None or not labels:
            continue
        label = clean_text(labels[0])
        data = clean_text(next(iter(meta.get(f"twitter:data{numbered.group(1)}", ())), None))
        if not label or not data or len(label) > 40:
            continue
        for field, found_label, value in line_facts(f"{label.rstrip(' :：')}: {data}"):
            if value:
                out.append((Fact(field, clean_text(found_label) or found_label, value[:MAX_VALUE_CHARS], -1, None),
                            f"meta:{key}"))
    return out


def labelled_candidates(ctx: Context, *, lines: Sequence[Line] | None = None, facts: Sequence[Fact] | None = None,
                        subject_hint: str | None = None) -> list[Candidate]:
    """Candidates from labelled facts (``facts`` when the caller already found them in ``lines``). Where
    several fact blocks exist (a main film and related films), the block whose subject line names
    ``subject_hint`` (the headline) comes first, else the first block."""
    if facts is None:
        facts = find_facts(lines if lines is not None else text_lines(ctx.doc.root))
    if subject_hint and len(facts) > 1:  # one fact or none: no order to choose
        hint = fold(subject_hint)
        facts = sorted(facts, key=lambda f: not _matches_subject(f.subject, hint))
    out: list[Candidate] = []
    if tags := genre_tags(ctx.doc):
        out.append(Candidate("genres", tags, "markup:genre-links", Layer.LABELLED))
    sourced = [(fact, f"label:{fact.label.rstrip(' :：')}") for fact in facts]
    sourced += meta_label_facts(read_structured(ctx.doc).meta)
    for fact, source in sourced:
        parsed = fact_value(fact)
        if parsed is None:
            continue
        field, value = parsed
        if field == "release_year":
            # A release date only hints at the year: releases abroad come years later than the film.
            out.append(Candidate("year", value, RELEASE_SOURCE + source, Layer.HEURISTIC))
        elif field == "score":
            out.append(Candidate("score", value, source, Layer.LABELLED))
            out.append(Candidate("scores", value, source, Layer.LABELLED))
        else:
            out.append(Candidate(field, value, source, Layer.LABELLED))
    return out
