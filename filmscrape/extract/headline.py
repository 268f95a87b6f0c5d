"""Finds the page's headline: the heading that agrees with the page's own title metadata, minus site names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import lxml.html

from filmscrape.extract.document import Document, text_content
from filmscrape.extract.lines import short_text
from filmscrape.extract.normalize import clean_text

# How <title> and og:title join the headline to section and site names.
_SEPARATORS = re.compile(r"\s+(?:[|•·»«/]|::|[-–—]{1,2})\s+|\s*[|•»]\s*|:\s+(?=[^:]*$)")
_SPLIT_KEEPING_SEPARATORS = re.compile(f"({_SEPARATORS.pattern})")  # parts and separators in turn, in one scan
MAX_TITLE_CHARS = 500  # longer "titles" are pages stuffed into <title>, not headlines
_HEADING_READ_CHARS = 600  # read this much of a heading at most; longer ones are never the headline (> 300)
_GENERIC_HEADINGS = re.compile(r"^(?:menu|navigation|search|logo|home|main menu|skip to content)\b", re.I)


@dataclass(frozen=True)
class Headline:
    """The chosen headline and where it came from (``html:h1``, ``meta:og:title``, ``html:title`` ...)."""

    text: str
    source: str


@lru_cache(maxsize=1024)  # a page folds its titles, parts and site names over and over (dozens of calls each)
def fold(text: str) -> str:
    """Comparison form: NFKC, case-folded, letters and digits only (quotes, dashes and spaces ignored)."""
    if not text.isascii():  # ASCII text is its own NFKC form
        text = unicodedata.normalize("NFKC", text)
    return "".join(filter(str.isalnum, text.casefold()))  # filter: no per-char bytecode


_META_KEYS = frozenset({"og:title", "twitter:title", "og:site_name", "application-name", "twitter:site"})


def _metas(doc: Document) -> dict[str, str]:
    """The first non-empty value (content, or value as some saved pages write it) of each of ``_META_KEYS``,
    read once per document (the headline and the site names both need them)."""
    cached = doc.memo.get("headline_metas")
    if isinstance(cached, dict):
        return cached
    found: dict[str, str] = {}
    for el in doc.elements("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if key in _META_KEYS and key not in found:
            value = clean_text(el.get("content") or el.get("value"))
            if value:
                found[key] = value
    doc.memo["headline_metas"] = found
    return found


def title_text(doc: Document) -> str | None:
    """The text of the page's ``<title>``, cleaned; None when there is none or it is blank. Read once per
    document: the headline and the extractor ask for it three times."""
    if "title_text" not in doc.memo:
        titles = doc.elements("title")
        doc.memo["title_text"] = clean_text(text_content(titles[0])) if titles else None
    text: str | None = doc.memo["title_text"]
    return text


_ARCHIVED = re.compile(r"^https?://(?:web\.)?archive\.org/web/[^/]+/(?P<inner>.+)$", re.I)


def original_url(url: str) -> str:
    """The archived page's own URL for a web-archive capture URL; otherwise ``url``."""
    match = _ARCHIVED.match(url)
    inner = match.group("inner") if match else url
    return inner if "://" in inner else f"http://{inner}"


def site_names(doc: Document, url: str) -> set[str]:
    """Folded names the site calls itself: og:site_name, application-name, and the host's labels."""
    return _site_names(_metas(doc), url)


def _site_names(metas: dict[str, str], url: str) -> set[str]:
    names: set[str] = set()
    for value in (metas.get("og:site_name"), metas.get("application-name"), metas.get("twitter:site")):
        if value and len(value) <= 40 and len(value.split()) <= 4:
            names.add(fold(value.lstrip("@")))
    for page_url in {url, original_url(url)}:
        try:
            host = (urlsplit(page_url).hostname or "").lower()
        except ValueError:
            continue
        labels = [p for p in host.split(".") if p not in {"www", "com", "org", "net", "de", "co", "uk", "fr", "cz",
                                                          "be", "pl", "web", "archive"}]
        names.update(fold(p) for p in labels if len(p) > 2)
        if labels:
            names.add(fold(".".join(host.split(".")[-2:])))
    names.discard("")
    return names


_EDGE_SEPARATOR = re.compile(r"^\s*(?:[|•·»:]|[-–—]{1,2})\s*|\s*(?:[|•·»:]|[-–—]{1,2})\s*$")
MAX_SITE_NAME_WORDS = 5


def _title_site_name(title: str | None, og_title: str | None) -> str | None:
    """The site's name as <title> states it around og:title: "Shingle & Celluloid: The Garden (1990)" with
    og:title "The Garden (1990)" names the site "Shingle & Celluloid" (blogs put their name in the h1)."""
    title, og_title = clean_text(title), clean_text(og_title)
    if not title or not og_title or title == og_title:
        return None
    if title.endswith(og_title):
        rest = title[: -len(og_title)]
    elif title.startswith(og_title):
        rest = title[len(og_title):]
    else:
        return None
    name = _EDGE_SEPARATOR.sub("", rest)
    if name == rest:
        return None  # no separator between og:title and the rest: the title just goes on
    name = name.strip()
    if not name or len(name.split()) > MAX_SITE_NAME_WORDS:
        return None
    return name


def _is_site_name(segment: str, sites: set[str]) -> bool:
    key = fold(segment)
    if not key or key in sites:
        return True
    for site in sites:  # a site name with a little more ("CineLocal Reviews")
        if len(site) >= 4 and len(key) - len(site) <= 8 and (key.startswith(site) or key.endswith(site)):
            return True
    return False


def segments(text: str, sites: set[str]) -> list[str]:
    """A title's parts with site-name parts dropped ("Will Smith - TV TODAY" -> ["Will Smith"])."""
    parts = [p.strip() for p in _SEPARATORS.split(text) if p and p.strip()]
    return [p for p in parts if not _is_site_name(p, sites)]


def strip_site(text: str, sites: set[str]) -> str:
    """The title with leading/trailing site-name parts removed, inner separators kept."""
    pieces = _SPLIT_KEEPING_SEPARATORS.split(text)
    parts, seps = pieces[::2], pieces[1::2]
    start, end = 0, len(parts)
    while start < end - 1 and _is_site_name(parts[start], sites):
        start += 1
    while end - 1 > start and _is_site_name(parts[end - 1], sites):
        end -= 1
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return clean_text(out) or text


def headings(doc: Document, tags: Sequence[str] = ("h1", "h2")) -> list[tuple[str, str]]:
    """(tag, text) of h1 then h2 headings (or ``tags``, indexed ones), in page order, empty and logo-like ones
    left out."""
    return [(tag, text) for tag in tags for text in _heading_texts(doc.elements(tag))]


def _heading_texts(elements: Iterable[lxml.html.HtmlElement]) -> list[str]:
    """The texts of heading ``elements`` that may be a headline: not empty, long or logo-like."""
    out: list[str] = []
    for el in elements:
        # Bounded read: a heading is short, and unclosed headings nest (each then holds the rest of the page).
        text = clean_text(short_text(el, _HEADING_READ_CHARS))
        if text and len(text) <= 300 and not _GENERIC_HEADINGS.match(text) and not text.lower().endswith("logo"):
            out.append(text)
    return out


def _contains(big: str, small: str) -> bool:
    return bool(small) and small in big


def _agrees(text: str, refs: Sequence[tuple[str, str, str]], parts: set[str]) -> tuple[str, str] | None:
    """How a heading agrees with title metadata: itself (it is the title or a part of it), or the shorter
    metadata title (the heading adds page furniture such as "More at IMDbPro")."""
    key = fold(text)
    for ref_key, ref_text, ref_src in refs:
        if key == ref_key or key in parts:
            return text, ""
        if _contains(ref_key, key) and (len(key) >= 0.3 * len(ref_key) or ref_key.startswith(key)):
            return text, ""
        if _contains(key, ref_key) and len(ref_key) >= 4:
            return ref_text, ref_src
    if any(len(p) >= 12 and key.startswith(p) for p in parts):
        return text, ""
    return None


# A rating shown as a glyph and a number ("⭐ 7.8", "★ 8.1/10"): a decoration sites append to og:title.
_RATING_MARK = re.compile(r"[★✭✮✪⭐]\ufe0f?\s*\d")
_WORD = re.compile(r"[^\W\d_]{2,}")
MAX_DECORATION_WORDS = 3  # "| Drama, Mystery": genre words may follow the rating, a sentence may not


def _rest_after(text: str, key: str) -> str | None:
    """What ``text`` holds after its leading part that folds to ``key``; None when no leading part does."""
    for end in range(len(key), len(text) + 1):
        if fold(text[:end]) == key:
            return text[end:]
    return None


def _undecorated(refs: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The first title reference, or another one it merely decorates: when og:title is another source's title
    (the <title>, twitter:title) plus a rating glyph and number ("... (1986) ⭐ 7.8 | Comedy"), the shorter
    title is the headline."""
    first, key = refs[0][0], fold(refs[0][0])
    for text, src in refs[1:]:
        short = fold(text)
        if len(short) < 4 or short == key or not key.startswith(short):
            continue
        rest = _rest_after(first, short)
        if rest and _RATING_MARK.search(rest) and len(_WORD.findall(rest)) <= MAX_DECORATION_WORDS:
            return text, src
    return refs[0]


_REPLY = re.compile(r"^(?:re|回复|回覆|aw|sv|odp)\s*[:：]\s*", re.I)


def _forum_subject(lines: Sequence[str]) -> str | None:
    """A forum thread's subject: the line its replies repeat as "Re: ..."."""
    seen: set[str] | None = None  # built at the first reply: most pages have none
    for line in lines:
        if (":" in line or "：" in line) and _REPLY.match(line):  # a reply has a colon: most lines skip the regex
            subject = _REPLY.sub("", line)
            if seen is None:
                seen = set(lines)
            if subject in seen and len(subject) <= 150:
                return subject
    return None


def _title_prefix_line(lines: Sequence[str], ref: str) -> str | None:
    """A page line that starts the way the title metadata does ("City By The Sea [DVD] (2002)" for
    "City By The Sea [DVD] online at Movies Unlimited")."""
    ref_key = fold(ref)
    for line in lines:
        if len(line) > 150:
            continue
        key = fold(line)
        common = 0
        for a, b in zip(key, ref_key, strict=False):
            if a != b:
                break
            common += 1
        if common >= 12 and common >= 0.6 * len(key) and key != ref_key:
            return line
    return None


def find_headline(doc: Document, url: str, meta_titles: Sequence[tuple[str, str]] = (),
                  lines: Sequence[str] = ()) -> Headline | None:
    """The headline: the first h1 agreeing with og:title/<title>; else structured/og title; else an h2 or a
    line agreeing with <title>; else the cleaned title metadata.

    ``meta_titles`` are extra (text, source) title candidates from structured data, most trusted first.
    """
    metas = _metas(doc)
    sites = _site_names(metas, url)
    title = title_text(doc)
    named = _title_site_name(title, metas.get("og:title"))
    if named:
        sites.add(fold(named))
    refs: list[tuple[str, str]] = list(meta_titles)
    for name in ("og:title", "twitter:title"):
        value = metas.get(name)
        if value:
            refs.append((value, f"meta:{name}"))
    if title:
        refs.append((title, "html:title"))
    # og:title, twitter:title, <title> and structured titles often repeat one text: strip each distinct one once
    stripped = {text: strip_site(text, sites) for text in {t for t, _ in refs if len(t) <= MAX_TITLE_CHARS}}
    refs = [(stripped[text], src) for text, src in refs if len(text) <= MAX_TITLE_CHARS]
    refs = [(t, s) for t, s in refs if not _is_site_name(t, sites)]
    folded_refs = [(fold(t), t, s) for t, s in refs]
    parts = {fold(p) for t in {t for t, _ in refs} for p in segments(t, sites)}
    h1s = [("h1", text) for text in _heading_texts(doc.elements("h1"))]  # h2s only when no h1 agrees
    for _tag, text in h1s:
        if _is_site_name(text, sites):
            continue
        agreed = _agrees(text, folded_refs, parts)
        if agreed:
            return Headline(agreed[0], agreed[1] or "html:h1")
    if refs and refs[0][1] != "html:title":
        return Headline(*_undecorated(refs))
    found = h1s + headings(doc, ("h2",))  # listicles have dozens of h2s
    for tag, text in found:
        if tag == "h1" or _is_site_name(text, sites):
            continue
        agreed = _agrees(text, folded_refs, parts)
        if agreed:
            return Headline(agreed[0], agreed[1] or f"html:{tag}")
    subject = _forum_subject(lines)
    if subject:
        return Headline(subject, "text:forum-subject")
    if refs:
        prefixed = _title_prefix_line(lines, refs[0][0])
        if prefixed:
            return Headline(prefixed, "text:title-line")
        return Headline(*refs[0])
    for _tag, text in found:
        if not _is_site_name(text, sites):
            return Headline(text, "html:h1")
    return None
