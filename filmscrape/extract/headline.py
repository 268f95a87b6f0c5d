"""Finds the page's headline: the heading that agrees with the page's own title metadata, minus site names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

from filmscrape.extract.lines import element_text
from filmscrape.extract.normalize import clean_text

# How <title> and og:title join the headline to section and site names.
_SEPARATORS = re.compile(r"\s+(?:[|•·»«/]|::|[-–—]{1,2})\s+|\s*[|•»]\s*|:\s+(?=[^:]*$)")
_GENERIC_HEADINGS = re.compile(r"^(?:menu|navigation|search|logo|home|main menu|skip to content)\b", re.I)


@dataclass(frozen=True)
class Headline:
    """The chosen headline and where it came from (``html:h1``, ``meta:og:title``, ``html:title`` ...)."""

    text: str
    source: str


def fold(text: str) -> str:
    """Comparison form: NFKC, case-folded, letters and digits only (quotes, dashes and spaces ignored)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _meta(root: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for el in root.xpath(f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']"):
            value = clean_text(el.get("content") or el.get("value"))
            if value:
                return value
    return None


def site_names(root: lxml.html.HtmlElement, url: str) -> set[str]:
    """Folded names the site calls itself: og:site_name, application-name, and the host's labels."""
    names: set[str] = set()
    for value in (_meta(root, "og:site_name"), _meta(root, "application-name"), _meta(root, "twitter:site")):
        if value:
            names.add(fold(value.lstrip("@")))
    host = (urlsplit(url).hostname or "").lower()
    labels = [p for p in host.split(".") if p not in {"www", "com", "org", "net", "de", "co", "uk", "fr", "cz", "be"}]
    names.update(fold(p) for p in labels if len(p) > 2)
    if len(labels) >= 1:
        names.add(fold(".".join(host.split(".")[-2:])))
    names.discard("")
    return names


def _is_site_name(segment: str, sites: set[str]) -> bool:
    key = fold(segment)
    if not key:
        return True
    return any(key == s or (len(s) >= 4 and (key.startswith(s) or key.endswith(s)) and len(key) - len(s) <= 8)
               for s in sites)


def segments(text: str, sites: set[str]) -> list[str]:
    """A title's parts with site-name parts dropped ("Will Smith - TV TODAY" -> ["Will Smith"])."""
    parts = [p.strip() for p in _SEPARATORS.split(text) if p and p.strip()]
    return [p for p in parts if not _is_site_name(p, sites)]


def strip_site(text: str, sites: set[str]) -> str:
    """The title with leading/trailing site-name parts removed, inner separators kept."""
    parts = _SEPARATORS.split(text)
    seps = _SEPARATORS.findall(text)
    start, end = 0, len(parts)
    while start < end - 1 and _is_site_name(parts[start], sites):
        start += 1
    while end - 1 > start and _is_site_name(parts[end - 1], sites):
        end -= 1
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return clean_text(out) or text


def headings(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(tag, text) of h1 then h2 headings, in page order, empty and logo-like ones left out."""
    out: list[tuple[str, str]] = []
    for tag in ("h1", "h2"):
        for el in root.iter(tag):
            text = clean_text(element_text(el))
            if text and len(text) <= 300 and not _GENERIC_HEADINGS.match(text) and not text.lower().endswith("logo"):
                out.append((tag, text))
    return out


def _contains(big: str, small: str) -> bool:
    return bool(small) and small in big


def find_headline(root: lxml.html.HtmlElement, url: str, meta_titles: Sequence[tuple[str, str]] = ()) -> Headline | None:
    """The headline: the first h1 (then h2) agreeing with og:title/<title>; else the cleaned title metadata.

    ``meta_titles`` are extra (text, source) title candidates from structured data, most trusted first.
    """
    sites = site_names(root, url)
    refs: list[tuple[str, str]] = list(meta_titles)
    for name in ("og:title", "twitter:title"):
        value = _meta(root, name)
        if value:
            refs.append((value, f"meta:{name}"))
    title_el = root.find(".//title")
    if title_el is not None:
        value = clean_text(title_el.text_content())
        if value:
            refs.append((value, "html:title"))
    refs = [(strip_site(text, sites), src) for text, src in refs]
    refs = [(t, s) for t, s in refs if not _is_site_name(t, sites)]
    folded_refs = [(fold(t), t, s) for t, s in refs]
    ref_parts = {fold(p) for t, _ in refs for p in segments(t, sites)}
    for tag, text in headings(root):
        key = fold(text)
        if not key or _is_site_name(text, sites):
            continue
        for ref_key, ref_text, ref_src in folded_refs:
            if key == ref_key or key in ref_parts:
                return Headline(text, f"html:{tag}")
            if _contains(ref_key, key) and len(key) >= 0.3 * len(ref_key):
                return Headline(text, f"html:{tag}")
            if _contains(key, ref_key) and len(ref_key) >= 4:
                return Headline(ref_text, ref_src)
    if refs:
        text, src = refs[0]
        return Headline(text, src)
    for tag, text in headings(root):
        if not _is_site_name(text, sites):
            return Headline(text, f"html:{tag}")
    return None
