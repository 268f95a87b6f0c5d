"""Layer 3: values read with a site profile's declared selectors (CSS, or XPath when it starts with '/' or '(')."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

from filmscrape.extract.candidates import Candidate, Context, Layer
from filmscrape.extract.lines import element_text
from filmscrape.extract.normalize import (
    clean_text,
    make_score,
    runtime_minutes,
    score_value,
    split_genres,
    split_names,
    to_year,
)

logger = logging.getLogger(__name__)

_LIST_FIELDS = frozenset({"directors", "genres", "authors"})
_VALUE_ATTRIBUTES = ("content", "value", "datetime", "title")


@lru_cache(maxsize=512)
def compile_selector(selector: str) -> etree.XPath | None:
    """An XPath for a CSS selector or an XPath expression; None (logged) when it does not compile."""
    try:
        if selector.startswith(("/", "(")):
            return etree.XPath(selector)
        return CSSSelector(selector, translator="html")
    except (SelectorError, etree.XPathSyntaxError) as exc:
        logger.warning("site profile selector %r does not compile: %s", selector, exc)
        return None


def selected_texts(root: lxml.html.HtmlElement, selector: str) -> list[str]:
    """Texts the selector picks: attribute values, strings, or elements' visible text (value attributes first)."""
    compiled = compile_selector(selector)
    if compiled is None:
        return []
    try:
        results = compiled(root)
    except etree.XPathError as exc:
        logger.warning("site profile selector %r failed: %s", selector, exc)
        return []
    if not isinstance(results, list):
        results = [results]
    texts: list[str] = []
    for item in results:
        if isinstance(item, etree._Element):
            attr = next((item.get(a) for a in _VALUE_ATTRIBUTES if item.get(a)), None)
            text = clean_text(attr if attr and item.tag in {"meta", "time", "data", "abbr"} else element_text(item))
        else:
            text = clean_text(str(item))
        if text:
            texts.append(text)
    return texts


def field_value(field: str, texts: list[str]) -> Any:
    """The record value for ``field`` from the selected texts, or None when they do not parse."""
    if not texts:
        return None
    first = texts[0]
    if field == "year":
        return to_year(first)
    if field == "runtime_minutes":
        return runtime_minutes(first)
    if field == "directors" or field == "authors":
        return split_names(texts) or None
    if field == "genres":
        return split_genres(texts) or None
    if field == "score":
        parsed = score_value(first) or score_value(first, default_scale=10.0 if "." in first else 100.0)
        return make_score(parsed[0], parsed[1], None) if parsed else None
    if field in {"published_at", "updated_at"}:
        return None  # dates go through the dates layer's parser; profiles give it their formats instead
    return first


def profile_candidates(ctx: Context) -> list[Candidate]:
    """Candidates from the page's site profile ``[fields]`` selectors, the first selector that yields winning."""
    profile = ctx.profile
    if profile is None:
        return []
    out: list[Candidate] = []
    for field, selectors in profile.fields.items():
        for selector in selectors:
            value = field_value(field, selected_texts(ctx.doc.root, selector))
            if value is None:
                continue
            if field == "score" and isinstance(value, dict):
                value = {**value, "source": profile.name}
            out.append(Candidate(field, value, f"site:{profile.name}:{selector}", Layer.PROFILE))
            break
    return out
