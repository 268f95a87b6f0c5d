"""Layer 4: film facts read from text patterns ("Title (2025)", "directed by X", "125 min", "《X》")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

import lxml.html

from filmscrape.extract.candidates import Candidate, Layer
from filmscrape.extract.headline import fold
from filmscrape.extract.labelled import Fact
from filmscrape.extract.lines import SKIP_TAGS, Line, short_text
from filmscrape.extract.normalize import (
    clean_text,
    fold_case,
    make_score,
    runtime_minutes,
    score_value,
    split_names,
    to_year,
)

_YEAR = r"(1[89]\d\d|20\d\d)"
_TITLE_YEAR = re.compile(rf"^(?P<title>.+?)\s*[(\[]{_YEAR}[)\]](?:\s|$|[-–—:|,])")
_TITLE_TRAILING_YEAR = re.compile(rf"^(?P<title>.+?)\s+{_YEAR}$")
# Encyclopedias tell films apart from namesakes: "Oppenheimer (film)", "Heat (1995 film)".
_DISAMBIGUATED = re.compile(rf"^(?P<title>.+?)\s+\((?:{_YEAR}\s+)?(?:[\w-]+\s+)?(?:film|movie)\)$", re.I)
_REVIEW_WITH_SUBTITLE = re.compile(r"^(?P<film>[^:–—|]{1,80}?)\s+(?:film |movie )?review\s*[:\-–—|]\s+\S")
# Headline forms that name the film, by name (the name goes into provenance): the "film" group is the title.
# They are matched against fold_case(headline), so they are written in lower case and compiled without re.I.
_FILM_FORMS: dict[str, re.Pattern[str]] = {
    "ending-explained": re.compile(
        r"^(?P<film>.+?)\s*(?:\(\d{4}\))?\s*[-–—:]?\s*(?:ending|finale?)\s+explained\b"),
    "ending-of-explained": re.compile(r"^(?:the\s+)?ending\s+of\s+(?P<film>.+?)\s+explained\b"),
    "review-of": re.compile(
        r"^(?:review(?:\s+of)?|film review|movie review|recenzja|critique|kritik|filmkritik|recenze)"
        r"\s*[:\-–—]?\s+(?P<film>.+)$"),
    "film-review": re.compile(
        r"^(?P<film>.+?)\s*(?:\(\d{4}\))?\s*[-–—:|]?\s*(?:film |movie )?(?:review|filmkritik|kritik|recenzja|"
        r"critique|recenze)$"),
    "film-review-subtitle": _REVIEW_WITH_SUBTITLE,
    "similar-films": re.compile(r"^(?:similar|related)\s+(?:films|movies)\s+(?:for|to|like)\s+(?P<film>.+)$"),
    "films-like": re.compile(r"^(?:films|movies)\s+like\s+(?P<film>.+)$"),
    "subpage-for": re.compile(
        r"^(?:synopsis|plot summary|plot|reviews?\s*(?:&|and)\s*ratings|user reviews|critic reviews|"
        r"full cast(?:\s*(?:&|and)\s*crew)?|trivia|quotes|goofs|release info|parents guide)\s+(?:for|of)\s+"
        r"(?P<film>.+)$"),
    "film-subpage": re.compile(
        r"^(?P<film>.+?)\s+(?:reviews?\s*(?:&|and)\s*ratings|user reviews|critic reviews|plot summary|"
        r"synopsis)$"),
    "trailer": re.compile(
        r"^(?P<film>.+?)\s+(?:official\s+)?(?:teaser\s+|final\s+|international\s+)?trailer\b"),
    "the-film": re.compile(
        r"^(?P<film>[^-–—:]+?)\s+[-–—:]\s+.*[-–—:]\s+(?:der film|the movie|the film|le film|filmen)$"),
}
_MEDIA_EDITION = re.compile(
    r"^(?P<film>.+?)\s*[\[(][^\])]*\b(?:dvd|blu-?ray|4k|uhd|vhs|steelbook|widescreen|special edition)\b", re.I)
_QUOTED = re.compile(r"《(?P<a>[^》]{1,40})》|„(?P<b>[^“”\"]{1,60})[“”\"]|«\s*(?P<c>[^»]{1,60}?)\s*»|"
                     r"“(?P<d>[^”]{1,60})”|‘(?P<e>[^‘\n]{1,60}?)’(?!\w)|\"(?P<f>[^\"]{1,60})\"|"
                     # ASCII single quotes, as headlines set titles ('Selma': ...): the opening quote starts the
                     # text or follows a space or punctuation, the closing one is followed by a space or
                     # punctuation; an apostrophe inside a word ("Schindler's") does not close it. '60s, don't
                     # and rock 'n' roll open no title.
                     r"(?:^|(?<=[\s(\[:;,—–-]))'(?P<g>[^\s'](?:[^'\n]|'(?=\w)){0,59}?)'(?=[\s:;,.!?)\]—–-]|$)")
_QUOTE_MARKS = frozenset("《„«“‘\"'")  # the marks that open each of _QUOTED's forms
MAX_QUOTED_TITLE_WORDS = 6
MAX_HEADLINE_CHARS = 300  # a headline is never longer; patterns are not run over a whole page stuffed in <title>

_CJK = r"\u3400-\u9fff"
_NAME_WORD = r"[^\W\d_][\w'’.\-]*"
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "del", "la", "le", "du", "ten", "bin", "al"})
# Matched against fold_case(text), so compiled without re.I: several times faster (see fold_case).
_DIRECTOR_PHRASES = re.compile(
    r"(?:\bco-directed by|\bdirected by|\b(?:film|movie|documentary|masterpiece|picture|feature)\s+(?:by|from)"
    r"(?:\s+(?:director|filmmaker))?|\bfrom director|\bdirector\s*\(|\bfilm von|\bein film von|\bun film de|"
    r"\bréalisé par|\bregie(?: führte)?:?|\bfilm av|\bfilm w reżyserii)\s*",
)
# Every form above holds one of these words: a sentence with none skips the scan (the substring tests cost a
# fifth of it).
_DIRECTOR_PHRASE_WORDS = ("direct", "film", "movie", "documentary", "masterpiece", "picture", "feature", "réalisé",
                          "regie")
_CJK_DIRECTOR = re.compile(rf"(?:导演|導演)[:：\s]*(?P<name>[{_CJK}·]{{2,8}})")
# "1 h 43 min", "97 mins": a number not inside another word or number. The pattern opens with the number's first
# digit (the lookbehind checks what precedes it): the engine then skips ahead to digits, ~2x faster on real lines.
_RUNTIME_TEXT = re.compile(
    r"\d(?<![\w.]\d)(?:\d?\s*(?:h|hr|hrs|hours?|std\.?)\s*\d{1,2}\s*(?:m|min|mins|minutes?)\b|"
    r"\d{0,2}\s*(?:min\.?|mins|minutes|minuten|minut|Min)(?![\w]))", re.I)
_FACT_LINE = re.compile(r"[|/,·•]")
_VOTES = re.compile(r"\(?\s*[\d][\d,.\s]*\s*(?:votes|ratings|users|user ratings|stimmen|bewertungen|hlas[ůy]|"
                    r"głos[óy]w|röster|votos|人评价|人評價)\b", re.I)
_RATING = re.compile(r"(?<![\d.])(\d{1,2}(?:[.,]\d)?)\s*/\s*10(?![\d.])|(?<![\d.])(\d{1,3})\s*/\s*100(?![\d])")


def title_year(text: str) -> tuple[str, int] | None:
    """("Gandhi", 1982) from "Gandhi (1982)", "Gandhi (1982) - IMDb" or "Gandhi (1982 film)"."""
    if "(" not in text and "[" not in text:  # both forms bracket the year: most headlines need no regex
        return None
    match = _DISAMBIGUATED.match(text)
    if match and match.group(2):
        return (match.group("title"), int(match.group(2))) if to_year(match.group(2)) else None
    match = _TITLE_YEAR.match(text)
    if match is None:
        return None
    year = to_year(match.group(2))
    title = clean_text(match.group("title"))
    return (title, year) if title and year else None


# The word (folded) each form that opens with a lazy "film" group cannot match without: such a group makes a
# failing match try every split of the headline, so these forms are tried only on headlines that hold the word.
_FORM_WORDS: dict[str, str] = {
    "ending-explained": "explained",
    "trailer": "trailer",
    "film-review-subtitle": "review",
}
# The same for forms anchored at the end: the headline must end with one of the words.
_FORM_ENDINGS: dict[str, tuple[str, ...]] = {
    "film-review": ("review", "kritik", "recenzja", "critique", "recenze"),
    "film-subpage": ("ratings", "reviews", "summary", "synopsis"),
    "the-film": ("film", "movie", "filmen"),
}


def film_from_headline(text: str) -> tuple[str, str] | None:
    """(film title, rule) when a headline form names a film: "X Ending Explained", "Review of X", "《X》"..."""
    folded = fold_case(text)  # same offsets as ``text``
    end = folded.removesuffix("\n")  # where "$" matches
    for name, form in _FILM_FORMS.items():
        word = _FORM_WORDS.get(name)
        if word is not None and word not in folded:
            continue
        endings = _FORM_ENDINGS.get(name)
        if endings is not None and not end.endswith(endings):
            continue
        match = form.match(folded)
        if match:
            film = _strip_year(text[match.start("film"):match.end("film")])
            if not film or film.split()[-1].lower() in _SMALL_WORDS:
                continue  # "Year in review: ..." names no film
            if form is _REVIEW_WITH_SUBTITLE and film.isascii() and not _title_cased(film):
                continue  # "Weekend box office review: ..." is a column, not a film
            if film:
                quoted = _quoted_title(film)
                return (quoted, f"{name}:quoted") if quoted else (film, name)
    # Both forms bracket a part of the headline: most headlines need neither regex.
    bracketed = "(" in text or "[" in text
    match = _DISAMBIGUATED.match(text) if bracketed else None
    if match:
        return match.group("title"), "disambiguated"
    match = _MEDIA_EDITION.match(text) if bracketed else None
    if match:
        film = _strip_year(match.group("film"))
        if film:
            return film, "media-edition"
    quoted = _quoted_title(text)
    return (quoted, "quoted") if quoted else None


_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
                          "to", "vs", "with"})
_ENGLISH_QUOTES = frozenset("defg")  # the _QUOTED groups for curly double, curly single and straight quotes


_TITLE_WORD = re.compile(r"[^\W_][\w'’-]*")


def _title_cased(text: str) -> bool:
    """English titles capitalize their main words; quoted speech ("I'm done") does not."""
    capitalized = False  # some main word seen: small words alone make no title
    for match in _TITLE_WORD.finditer(text):  # prose fails at its first lower-case main word: stop there
        word = match.group()
        if word[0].isupper() or word[0].isdigit():
            capitalized = capitalized or word.lower() not in _SMALL_WORDS
        elif word.lower() not in _SMALL_WORDS:
            return False
    return capitalized


def _quoted_title(text: str) -> str | None:
    """The one short quoted title in ``text`` ("The Modern Word - "Mulholland Drive" Review", "《清洁》").
    Curly or straight English quotes must hold title-cased words: in headlines they also quote speech."""
    if _QUOTE_MARKS.isdisjoint(text):  # a set test, where the pattern is tried at every character
        return None
    matches = list(_QUOTED.finditer(text))
    if len(matches) > 1 and matches[0].start() == 0 and text[matches[0].end():].lstrip().startswith(":"):
        matches = matches[:1]  # "'Selma': DuVernay on 'Making It'": the title that opens the headline
    if len(matches) != 1:
        return None
    match = matches[0]
    group, quoted = match.lastgroup or "", match.group(match.lastgroup or 0)
    if len(quoted.split()) > MAX_QUOTED_TITLE_WORDS:
        return None
    if text[:match.start()].rstrip().endswith(":") and not text[match.end():].strip(" .!?…"):
        return None  # "Sheila Atim: „Das war ein Fehler“" quotes what someone said
    if group in _ENGLISH_QUOTES and not _title_cased(quoted):
        return None
    return clean_text(quoted.strip(" ,.;:!?"))


def _strip_year(text: str) -> str | None:
    text = clean_text(text.strip(" -–—:|,")) or ""
    found = title_year(text + " ")
    if found:
        return found[0]
    trailing = _TITLE_TRAILING_YEAR.match(text)
    if trailing:
        return clean_text(trailing.group("title"))
    return text or None


_TRAILING_YEAR = re.compile(rf"\s{_YEAR}$")


def headline_candidates(texts: Sequence[tuple[str, str]]) -> list[Candidate]:
    """Film title and year from the headline and title metadata ((text, where) pairs, best first)."""
    out: list[Candidate] = []
    # the headline, og:title, <title> and h1 often repeat one text: read each distinct text once
    read: dict[str, tuple[tuple[str, str] | None, tuple[str, int] | None, int | None]] = {}
    for text, where in texts:
        if len(text) > MAX_HEADLINE_CHARS:
            continue
        if text not in read:
            form, found = film_from_headline(text), title_year(text)
            trailing = _TRAILING_YEAR.search(text) if found is None and form is not None else None
            read[text] = (form, found, to_year(trailing.group(1)) if trailing else None)
        form, found, year = read[text]
        if form is not None:
            out.append(Candidate("film_title", form[0], f"text:{where}:{form[1]}", Layer.HEURISTIC))
        if found is not None:
            if form is None or fold(form[0]) == fold(found[0]):
                out.append(Candidate("film_title", found[0], f"text:{where}:title-year", Layer.HEURISTIC))
            out.append(Candidate("year", found[1], f"text:{where}:title-year", Layer.HEURISTIC))
        elif year:  # a trailing year beside a headline form ("... Review 2019")
            out.append(Candidate("year", year, f"text:{where}:title-year", Layer.HEURISTIC))
    return out


_POSSESSIVE = re.compile(r"['’]s?$")


_NOT_PROSE = tuple(SKIP_TAGS | {"nav", "footer"})
_ITALIC_READ_CHARS = 2_000  # an italic title has at most 8 words: longer italics are never read whole


def italic_title(root: lxml.html.HtmlElement, headline: str | None,
                 sites: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The film an essay or review is about: the italicized title it repeats far more than any other.

    Writers set film titles in italics; a phrase italicized at least three times (and twice as often as
    the next) that the headline also names, or at least five times, is the page's film.
    """
    body = root.find("body")
    if body is None:
        return None
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for el in body.iter("i", "em", "cite"):
        if next(el.iterancestors(*_NOT_PROSE), None) is not None:  # tag-filtered: the ancestor scan runs in C
            continue
        # Read within a budget: italics nest where pages leave them unclosed, each holding the rest of the page.
        text = clean_text((short_text(el, _ITALIC_READ_CHARS) or "").strip(" ,.;:!?\"'“”‘’"))
        if not text or len(text.split()) > 8 or not any(c.isalpha() for c in text) or _POSSESSIVE.search(text):
            continue
        key = fold(text)
        if key in sites:
            continue
        counts[key] += 1
        spelled.setdefault(key, text)
    if not counts:
        return None
    # Shorter italic forms ("Bride of Frankenstein") count toward the fuller one that contains them.
    merged: Counter[str] = Counter()
    repeated = [k for k, n in counts.items() if n >= 2]  # the only forms a shorter one can count toward
    for key, n in counts.items():
        longer = [k for k in repeated if k != key and key in k]
        merged[longer[0] if len(longer) == 1 else key] += n
    ranked = merged.most_common(2)
    key, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if n < 3 or n < 2 * runner_up or (not spelled[key][0].isupper() and not re.match(f"[{_CJK}]", spelled[key])):
        return None
    named = headline is not None and key in fold(headline)
    if named or n >= 4:
        return spelled[key]
    return None


_NAME_TOKEN = re.compile(rf"{_NAME_WORD}|\S")  # a name's word, or any other single character
_NAME_WORD_PATTERN = re.compile(_NAME_WORD)
_ONE_WORD_NAME = re.compile(r"[A-Z][a-z]{3,}")


def _names_after(text: str) -> list[str]:
    name: list[str] = []
    for token in _NAME_TOKEN.finditer(text):  # a name is a few words: read no further than it
        word = token.group()
        if _NAME_WORD_PATTERN.fullmatch(word) and (word[0].isupper() or (word in _PARTICLES and name)):
            if word.endswith(".") and len(word) > 2:  # "Lund." ends the sentence; "S." is an initial
                name.append(word.rstrip("."))
                break
            name.append(word)
            if len(name) >= 4:
                break
            continue
        break
    while name and name[-1] in _PARTICLES:
        name.pop()
    if len(name) < 2 and not (name and _ONE_WORD_NAME.fullmatch(name[0])):
        return []
    return split_names(" ".join(name))


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
# Where _SENTENCE_END can split, found with a scan the engine runs fast (it opens with a character set, not a
# lookbehind tried at every character).
_SENTENCE_BREAK = re.compile(r"[.!?。！？]\s")
# Words whose period ends no sentence: titles before a name, name suffixes, and initials ("David O. Russell").
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Mt|vs|No|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt)|\b[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences; "Martin Luther King Jr. (David Oyelowo)" stays one."""
    if _SENTENCE_BREAK.search(text) is None:  # most lines hold one sentence
        return [text]
    groups: list[list[str]] = []
    for piece in _SENTENCE_END.split(text):
        if groups and _ABBREVIATION.search(groups[-1][-1][-6:]):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return [" ".join(group) for group in groups]


def sentences_naming(lines: Sequence[Line], film: str) -> list[str]:
    """The sentences of the lines that name ``film`` (case-folded), in page order: what prose_directors and
    prose_year read, which a caller running both computes once and passes to each."""
    key = film.casefold()
    return [sentence for line in lines if key in line.text.casefold()
            for sentence in sentences(line.text) if key in sentence.casefold()]


# "director Ava DuVernay", "Director Damien Chazelle", "filmmaker Agnès Varda": the title before a name. Other
# directors' titles are not the film's director: casting, art, music, executive, creative director, director of
# photography, festival director...
_DIRECTOR_TITLE = re.compile(r"\b(?:director|filmmaker)\s+(?!of\b|and\b)", re.I)
_OTHER_DIRECTOR = re.compile(
    r"\b(?:casting|art|music|musical|executive|creative|artistic|managing|technical|assistant|associate|unit|"
    r"photography|animation|editorial|marketing|program|programme|programming|festival|general|regional|sales|"
    r"design|production|stunt|fight|dialogue|effects|vfx|choreography|dance|theatre|theater|stage|company|"
    r"communications|research|news|museum|agency|fbi|cia|athletic|sports|campaign|project|deputy|former|"
    r"co-founding|founding|associate|finance|financial|medical|school|ballet|opera|orchestra|game)\s*$", re.I)
# A title just before "director" that is not the film: "“Joker” director Todd Phillips".
_QUOTED_BEFORE = re.compile(r"[“\"‘'](?P<title>[^“”\"‘’']{1,60})[”\"’']\s*$")
_FILM_POSSESSIVE = re.compile(r"(?:['’]s)?[\s”\"’']*$")
# "Damien Chazelle, the director behind ... La La Land": a name, then an appositive that names the film.
_APPOSITIVE_DIRECTOR = re.compile(
    r",\s+(?:the|its|whose)?\s*(?:[\w-]+\s+){0,2}(?:director|filmmaker)\s+(?:of|behind|who\s+made)\b", re.I)


def _titled_directors(sentence: str, film: str) -> list[str]:
    """Names after a director's title in a sentence about ``film``, skipping other kinds of director and the
    directors of other titles."""
    names: list[str] = []
    beside_film: list[str] = []
    if _title_cased(sentence):
        return names  # a headline capitalizes every word: "How a Young Filmmaker Resurrected the Musical"
    key = film.casefold()
    for match in _DIRECTOR_TITLE.finditer(sentence):
        before = sentence[:match.start()]
        if _OTHER_DIRECTOR.search(before):
            continue
        quoted = _QUOTED_BEFORE.search(before)
        if quoted and fold(quoted.group("title")) != fold(film):
            continue
        found = _names_after(sentence[match.end():])
        if found and all(" " in name for name in found):  # a title before one capitalized word names no one
            names += found
            if _FILM_POSSESSIVE.sub("", before.casefold()).endswith(key):
                beside_film += found
    # "Barbie director Greta Gerwig and Oppenheimer director Christopher Nolan": the one the film names
    return beside_film or names


_SENTENCE_OPENERS = frozenset({"ask", "meet", "take", "consider", "enter", "call", "thank", "blame", "credit",
                               "watch", "like", "when", "as", "for", "to", "and", "but", "so", "then", "says"})


def _ordinary_word(word: str, name: list[str], full_text: str) -> bool:
    """Whether a capitalized word opening a sentence is an ordinary word ("Ask Damien Chazelle, ...") rather
    than part of the name: a common opener, a word the page also writes in lower case, or a name the page
    writes more often without it."""
    if word.lower() in _SENTENCE_OPENERS or re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", full_text):
        return True
    return full_text.count(" ".join(name[1:])) > full_text.count(" ".join(name))


def _appositive_directors(sentence: str, film: str, full_text: str) -> list[str]:
    """"Ask Damien Chazelle, the director behind the romance La La Land": the name before the appositive.
    A capitalized word opening the sentence ("Ask") is only part of the name when the page writes it so again."""
    for match in _APPOSITIVE_DIRECTOR.finditer(sentence):
        if film.casefold() not in sentence[match.end():match.end() + 120].casefold():
            continue
        words = _NAME_TOKEN.findall(sentence[:match.start()])[-4:]
        name: list[str] = []
        for word in reversed(words):
            if not _NAME_WORD_PATTERN.fullmatch(word) or not (word[0].isupper() or word in _PARTICLES):
                break
            name.insert(0, word)
        name = name[-3:]
        if len(name) >= 3 and sentence.startswith(name[0]) and _ordinary_word(name[0], name, full_text):
            name = name[1:]
        found = _names_after(" ".join(name))
        if found:
            return found
    return []


def prose_directors(lines: Sequence[Line], film: str | None, full_text: str,
                    named: Sequence[str] | None = None) -> list[Candidate]:
    """Directors named in sentences that name the film: "City of God, a film by Fernando Meirelles,
    co-directed by Katia Lund", "from director King Vidor", "“Parasite” director Bong Joon Ho",
    "Damien Chazelle, the director behind La La Land", "導演阿萨亚斯". ``named``: ``sentences_naming(lines,
    film)`` when the caller has it."""
    if not film:
        return []
    titled: list[str] = []
    for sentence in named if named is not None else sentences_naming(lines, film):
        folded = fold_case(sentence)  # same offsets as ``sentence``
        names: list[str] = []
        if any(word in folded for word in _DIRECTOR_PHRASE_WORDS):
            for match in _DIRECTOR_PHRASES.finditer(folded):
                names += _names_after(sentence[match.end():])
        if names:
            return [Candidate("directors", split_names(names), "text:directed-by", Layer.HEURISTIC)]
        # Both title forms need the word "director" or "filmmaker": most sentences skip both scans.
        if not titled and ("director" in folded or "filmmaker" in folded):
            titled = _titled_directors(sentence, film) or _appositive_directors(sentence, film, full_text)
    if titled:
        return [Candidate("directors", split_names(titled), "text:director-title", Layer.HEURISTIC)]
    if "导演" not in full_text and "導演" not in full_text:  # substring tests: 5x faster than the scan
        return []
    for match in _CJK_DIRECTOR.finditer(full_text):
        name = _repeated_prefix(match.group("name"), full_text)
        if name:
            return [Candidate("directors", [name], "text:导演", Layer.HEURISTIC)]
    return []


def _repeated_prefix(run: str, text: str) -> str | None:
    """The longest start of ``run`` the page repeats at least three times: a CJK name has no spaces around it."""
    best = None
    for size in range(2, len(run) + 1):
        if text.count(run[:size]) >= 3:
            best = run[:size]
        else:
            break
    return best


MIN_FILM_MENTIONS = 3


_BY = re.compile(r"\b(?:film|movie|documentary|drama|comedy|thriller)\s+by\s+")
_FILM_BEFORE_BY = re.compile(
    r"(?P<film>(?:[^\W\d_][\w'’:-]*|\d+)(?:\s+(?:[^\W\d_][\w'’:-]*|\d+)){0,6}),\s+(?:is\s+|was\s+)?an?\s+"
    r"(?:[\w-]+\s+){0,3}$")


def prose_film(full_text: str) -> tuple[str, list[str]] | None:
    """The film and director from "City of God, a Brazilian film by Fernando Meirelles, co-directed by Katia
    Lund", when the page names that film again and again (a list names each film once)."""
    for by in _BY.finditer(full_text):
        before = full_text[max(0, by.start() - 160):by.start()]
        match = _FILM_BEFORE_BY.search(before)
        if match is None:
            continue
        words = match.group("film").split()
        while words and not (words[0][0].isupper() or words[0][0].isdigit()):
            words.pop(0)
        film = " ".join(words)
        if len(film) < 3 or full_text.count(film) < MIN_FILM_MENTIONS:
            continue
        names = _names_after(full_text[by.end():by.end() + 80])
        rest = full_text[by.end():by.end() + 160]
        co = re.search(r"co-directed by\s+", rest)
        if co:
            names += _names_after(rest[co.end():])
        if names:
            return film, split_names(names)
    return None


MAX_CREDIT_LINE_CHARS = 80
CREDIT_LINE_SCAN = 200  # lines read from the top of the page
MAX_HEADLINE_EXTRA_WORDS = 4  # headline words beside the credit line's parts: "Review:", a site's name
_CREDIT_LINE = re.compile(
    rf"^(?P<a>[^·•|()]{{1,60}}?)(?:\s+[·•|–—]\s+(?P<b>[^·•|()]{{1,60}}?))?\s*\({_YEAR}\)$")
_WORDS = re.compile(r"\w+")
# Articles that open titles ("The Garden", "La Jetée"), never a director's given name.
_ARTICLES = frozenset({"the", "a", "an", "der", "die", "das", "ein", "eine", "le", "la", "les", "l", "un", "une",
                       "el", "los", "las", "il", "lo", "gli", "det", "den"})


def _word_run(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def _names_run(headline: list[str], part: str) -> bool:
    """Whether the headline's words hold ``part``'s words as one run ("The Garden" in "Derek Jarman · The
    Garden"), so "Up" is not found in "Top 10 films"."""
    words = _word_run(part)
    return bool(words) and any(headline[i:i + len(words)] == words for i in range(len(headline) - len(words) + 1))


def _headline_is(headline: list[str], parts: Sequence[str]) -> bool:
    """Whether the headline names every part and little else: a list's headline ("Jacques Demy at 90: Lola,
    Model Shop and the musicals") names one of its films among many words."""
    if not all(_names_run(headline, p) for p in parts):
        return False
    return len(headline) - sum(len(_word_run(p)) for p in parts) <= MAX_HEADLINE_EXTRA_WORDS


def _person_shaped(text: str) -> bool:
    """Two to four capitalized words with no digits, not opened by an article nor joined by "of", "and"...:
    "Derek Jarman", "Guillermo del Toro", not "The Garden" or "Cléo de 5 à 7"."""
    words = text.split()
    if not 2 <= len(words) <= 4 or words[0].casefold() in _ARTICLES or any(c.isdigit() for c in text):
        return False
    inner = words[1:-1]
    return (all(w[0].isupper() and w.casefold() not in _SMALL_WORDS for w in (words[0], words[-1]))
            and all((w[0].isupper() and w.casefold() not in _SMALL_WORDS) or w.casefold() in _PARTICLES
                    for w in inner))


def credit_line_film(texts: Sequence[str], headline: str | None,
                     directors: Sequence[str] = ()) -> tuple[str, int, str | None] | None:
    """(film, year, director) from a short credit line near the top of the page, "The Garden · Derek Jarman
    (1990)" or "Stalker (1979)", when the headline names every part of it and little else ("Derek Jarman · The
    Garden"): blog posts about one film state it so, with no markup. Of two parts the director is the one a
    ``directors`` candidate names, else the person-shaped one; when that stays unclear, nothing is read."""
    if not headline:
        return None
    words: list[str] | None = None
    for text in texts[:CREDIT_LINE_SCAN]:
        if len(text) > MAX_CREDIT_LINE_CHARS or not text.endswith(")"):  # most lines: no regex call
            continue
        match = _CREDIT_LINE.match(text)
        if match is None:
            continue
        year = to_year(match.group(3))
        parts = [clean_text(p) for p in match.group("a", "b") if p]
        if not year or not all(parts):
            continue
        words = words if words is not None else _word_run(headline)
        if not _headline_is(words, [str(p) for p in parts]):
            continue
        if len(parts) == 1:  # "Title (1979)"; "Andrei Tarkovsky (1932)" is a birth year
            return None if _person_shaped(str(parts[0])) else (str(parts[0]), year, None)
        a, b = str(parts[0]), str(parts[1])
        known = {fold(n) for n in directors}
        named = [p for p in (a, b) if fold(p) in known] or [p for p in (a, b) if _person_shaped(p)]
        if len(named) != 1:
            continue
        return (b if named[0] == a else a), year, named[0]
    return None


# The year patterns around a film's name, compiled once: the name is found as plain text (case-folded) and the
# patterns are matched just after it or just before it, so no pattern is compiled per page.
_YEAR_AFTER_FILM = re.compile(rf"\s*\({_YEAR}\)")                                    # "The Crowd (1928)"
_RELEASED_BEFORE_FILM = re.compile(rf"\bin {_YEAR},? [^.;]{{0,40}}\breleased\s+(?:the\s+film\s+)?$", re.I)
_RELEASED_JUST_BEFORE = re.compile(r"\breleased\s+$", re.I)                           # "released <film> in 1935"
_IN_YEAR_AFTER_FILM = re.compile(rf"\s+in\s+{_YEAR}", re.I)


def _film_positions(sentence: str, key: str) -> Iterator[tuple[int, int]]:
    """Start and end of each case-folded occurrence of ``key`` (skipped where case-folding changes lengths)."""
    folded = sentence.casefold()
    if len(folded) != len(sentence):
        return
    start = folded.find(key)
    while start != -1:
        yield start, start + len(key)
        start = folded.find(key, start + 1)


def _film_year(sentence: str, key: str) -> str | None:
    positions = list(_film_positions(sentence, key))
    for _, end in positions:
        match = _YEAR_AFTER_FILM.match(sentence, end)
        if match:
            return match.group(1)
    if "released" not in fold_case(sentence):  # both remaining forms say "released": most sentences stop here
        return None
    for start, _ in positions:
        match = _RELEASED_BEFORE_FILM.search(sentence[:start])
        if match:
            return match.group(1)
    for start, end in positions:
        if _RELEASED_JUST_BEFORE.search(sentence[:start]):
            match = _IN_YEAR_AFTER_FILM.match(sentence, end)
            if match:
                return match.group(1)
    return None


def prose_year(lines: Sequence[Line], film: str | None, named: Sequence[str] | None = None) -> list[Candidate]:
    """The year in "The Crowd (1928) is ...", "in 1935 Universal released The Bride of Frankenstein".
    ``named``: ``sentences_naming(lines, film)`` when the caller has it."""
    if not film:
        return []
    key = film.casefold()
    for sentence in named if named is not None else sentences_naming(lines, film):
        found = _film_year(sentence, key)
        year = to_year(found) if found else None
        if year:
            return [Candidate("year", year, "text:film-year", Layer.HEURISTIC)]
    return []


_NOT_RUNTIME_AFTER = re.compile(r"^\W{0,3}(?:ago|read|reading|czytania|lesezeit|lesen|de lecture|left|remaining|"
                                r"video|clip|walk|drive|away|later|earlier|before|after|\[|\()", re.I)
MAX_OPENING_RUNTIME_LINE = 60
MIN_TEXT_RUNTIME = 20  # unlabelled "(2 min)" is a clip or a trailer; a short film's runtime comes with a label
_SENTENCE_RUNTIME = re.compile(r"(?:^|[.!?]\s+)(\d{2,3})\s*(?:min|mins|minutes)\.(?:\s|$)", re.I)


_LONE_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")


def fact_line_candidates(lines: Sequence[Line]) -> list[Candidate]:
    """Runtime and year from short fact lines ("USA / Kanada, 2018, 159 min", "Color/Rated R/135 Minutes.",
    "114 min - Drama | Thriller", "97 mins More at IMDb TMDb"), and a runtime stated as a sentence of its own
    ("... also star. 109 min.").
    Reading times, "32 mins ago" and titles such as "15 Minutes [DVD]" are not runtimes."""
    for line in lines:
        text = line.text
        if "m" not in text and "M" not in text:  # every runtime form ends in min/mins/minutes: skip the regex
            continue
        for match in _RUNTIME_TEXT.finditer(text):
            if _NOT_RUNTIME_AFTER.match(text[match.end():]):
                continue
            short = len(text) <= 100 and bool(_FACT_LINE.search(text) or len(text) <= 30)
            # "97 mins More at IMDb TMDb": a runtime opening a short footer or meta line of its own
            opening = match.start() == 0 and len(text) <= MAX_OPENING_RUNTIME_LINE
            sentence = _SENTENCE_RUNTIME.search(text)
            if not (short or opening) and not (sentence and sentence.start(1) <= match.start() < sentence.end()):
                continue
            minutes = runtime_minutes(match.group(0))
            if minutes is None or minutes < MIN_TEXT_RUNTIME:
                continue
            out = [Candidate("runtime_minutes", minutes, "text:runtime", Layer.HEURISTIC)]
            years = {y for y in (to_year(m) for m in _LONE_YEAR.findall(text)) if y}
            if short and len(years) == 1:
                out.append(Candidate("year", years.pop(), "text:fact-line", Layer.HEURISTIC))
            return out
    return []


MAX_META_FACT_CHARS = 80  # "1h 43m | PG-13"; longer descriptions are synopses, whose "90 minutes later" is no runtime


def meta_fact_candidates(descriptions: Sequence[tuple[str, str]], block: lxml.html.HtmlElement) -> list[Candidate]:
    """Runtime and year from a short meta description that is a fact line of its own (og:description
    "1h 43m | PG-13" on a database page with an empty body), sourced to its meta key. ``descriptions`` are
    (key, text) pairs, most telling first; ``block`` stands in for the line's element."""
    for key, text in descriptions:
        if len(text) > MAX_META_FACT_CHARS:
            continue
        found = fact_line_candidates([Line(text, block, -1)])
        if found:
            return [Candidate(c.field, c.value, f"meta:{key}", c.layer) for c in found]
    return []


def credits_year(lines: Sequence[Line], facts: Sequence[Fact]) -> list[Candidate]:
    """A year on a short line inside a credits block ("Directed by David Lynch / Canal, 2001.")."""
    for i in sorted({f.line for f in facts if f.field in {"directors", "runtime_minutes"}}):
        for near in lines[i + 1:i + 3]:
            text = near.text
            years = _LONE_YEAR.findall(text)
            if len(text) <= 40 and len(years) == 1:
                year = to_year(years[0])
                if year:
                    return [Candidate("year", year, "text:credits-year", Layer.HEURISTIC)]
    return []


def rating_with_votes(lines: Sequence[Line]) -> list[Candidate]:
    """An aggregate rating: "8.1/10 118,213 votes", "7.8/10" then "Users: (8,278 votes)"."""
    for i, line in enumerate(lines):
        text = line.text
        # Both rating forms have a slash and a "10" ("/10", "/ 100"): substring tests are far cheaper than the regex.
        if "/" not in text or "10" not in text:
            continue
        for match in _RATING.finditer(text):
            after = line.text[match.end():] + " " + (lines[i + 1].text if i + 1 < len(lines) else "")
            if not _VOTES.search(after[:80]):
                continue
            parsed = score_value(match.group(0))
            if parsed:
                score = make_score(parsed[0], parsed[1], "users")
                return [Candidate("score", score, "text:rating-votes", Layer.HEURISTIC),
                        Candidate("scores", score, "text:rating-votes", Layer.HEURISTIC)]
    return []
