"""What marks page chrome rather than article content: skipped tags, class/id tokens, navigation headings."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "frame", "frameset", "object", "embed",
    "canvas", "video", "audio", "map", "select", "option", "optgroup", "textarea", "button", "input", "head",
    "title", "meta", "link", "base", "nav", "footer", "dialog", "menu", "picture", "source",
})
"""Elements whose whole subtree never holds article text."""

# Tokens of class/id values (split on whitespace, '-' and '_') that mark chrome. Exact tokens only: 'ad' must not
# match 'header' or 'load'. Never applied to html/body/main/article, whose classes describe the whole page
# ('has-sidebar', 'single-post').
_CHROME_TOKENS = frozenset({
    "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsense", "adslot", "dfp",
    "sponsor", "sponsored", "promo", "promoted", "share", "shares", "sharing", "sharebar", "sharedaddy", "social",
    "socials", "related", "relatedposts", "recommended", "recommendations", "recirc", "comments", "comment",
    "commentlist", "disqus", "sidebar", "footer", "nav", "navbar", "navigation", "menu", "breadcrumb",
    "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe", "subscription", "popup",
    "modal", "outbrain", "taboola", "widget", "widgets", "toolbar", "pagination", "pager", "skiplink",
    "sronly", "sr", "screen", "visually", "trending", "masthead",
})
_SEGMENTS = re.compile(r"[_\-]+")
_STATE_PREFIXES = frozenset({"has", "with", "no", "without", "is", "show", "hide", "enable", "enabled", "disable",
                             "disabled", "open", "toggle"})
_NEVER_CHROME = frozenset({"html", "body", "main", "article"})


def is_chrome(tag: str, class_id: str) -> bool:
    """True when an element's class/id tokens mark it as page chrome (ads, share bars, related lists...).

    A token after a state prefix describes the page's layout, not the element: ``content-has-sidebar``
    wraps the article beside a sidebar.
    """
    return tag not in _NEVER_CHROME and _names_chrome(class_id.lower())


def _names_chrome(lowered: str) -> bool:
    """``is_chrome`` of a lower-case class/id text, for an element that may be chrome."""
    if _CHROME_TOKENS.isdisjoint(lowered.replace("-", " ").replace("_", " ").split()):
        return False  # most class/id texts: no chrome token among all their segments
    for name in lowered.split():
        previous = ""
        for segment in _SEGMENTS.split(name):
            if segment in _CHROME_TOKENS and previous not in _STATE_PREFIXES:
                return True
            previous = segment
    return False


_SPOILER_CLASS = re.compile(r"spoiler", re.IGNORECASE)
_NOT_SPOILER_CLASS = re.compile(
    r"warning|banner|notice|label|checkbox|toggle|button|btn|note|free|\bno-|not-|icon|tag|filter|hide|alert|link|count",
    re.I)
CHROME, SPOILER = 1, 2
"""Verdicts of ``classify_marks``: the element is page chrome, or spoiler-tagged markup (0: neither)."""


@lru_cache(maxsize=50_000)
def classify_marks(tag: str, marks: str) -> int:
    """``CHROME``, ``SPOILER`` or 0 for an element's class/id text; memoized, as pages and sites repeat them (the
    C walk calls it for every classed element: a hit runs no Python code)."""
    lowered = marks.lower()
    # "po" and "ler": letters that case-insensitive matching pairs with their capitals only (unlike s and i)
    if "po" in lowered and "ler" in lowered and _SPOILER_CLASS.search(marks) and not _NOT_SPOILER_CLASS.search(marks):
        return SPOILER
    return CHROME if tag not in _NEVER_CHROME and _names_chrome(lowered) else 0


# hAtom / theme classes that mark a post's own content: Blogger puts every post inside
# <div class="widget Blog">, and WordPress widgets can hold an entry too.
_ENTRY_CLASSES = frozenset({"hentry", "entry-content", "post-body", "post-content", "article-body"})


def _is_entry(el: Any) -> bool:
    return not _ENTRY_CLASSES.isdisjoint((el.get("class") or "").lower().split())


def holds_article(el: Any) -> bool:
    """A chrome-classed wrapper that still holds an article (an <article>, an hAtom entry, or a heading and
    paragraphs), as some themes write."""
    if _is_entry(el):
        return True
    heading = False
    paragraphs = 0
    for child in el.iterdescendants("article", "div", "h1", "h2", "p"):
        tag = child.tag
        if tag == "article" or (tag == "div" and _is_entry(child)):
            return True
        if tag == "div":
            continue
        if tag == "p":
            paragraphs += 1
        else:
            heading = True
        if heading and paragraphs >= 3:
            return True
    return False


def is_hidden(style: str | None, hidden: str | None, aria_hidden: str | None) -> bool:
    """True for elements a browser would not show."""
    if hidden is not None or aria_hidden == "true":
        return True
    if style and "none" in style:
        compact = style.replace(" ", "").lower()
        return "display:none" in compact or "visibility:hidden" in compact
    return False


NAV_HEADING = re.compile(
    r"\b(?:related(?:\s+(?:posts?|articles?|stories|content|reading|movies|films))?|you\s+(?:may|might)\s+also"
    r"|also\s+(?:like|read|on)|more\s+(?:about|from|stories|news|on|like\s+this|to\s+(?:read|explore))"
    r"|similar\s+(?:movies|films|titles|shows|posts|articles)|recommended|recommendations|trending"
    r"|popular\s+(?:now|posts)|author\s+bio"
    r"|most\s+(?:read|popular|viewed)|latest\s+(?:news|posts|stories|articles)|read\s+(?:more|next)"
    r"|comments?|leave\s+a\s+(?:reply|comment)|\d+\s+(?:thoughts|responses|replies)\s+(?:on|to)|share\s+(?:this|on)|follow\s+us|newsletter|subscribe"
    r"|about\s+the\s+author|tags|sponsored|advertisement"
    r"|weitere\s+artikel|das\s+k(?:ö|oe)nnte\s+(?:sie|dich)\s+auch|mehr\s+zum\s+thema|kommentare?"
    r"|[àa]\s+lire\s+aussi|sur\s+le\s+m[êe]me\s+sujet|commentaires?|art[íi]culos\s+relacionados"
    r"|leia\s+tamb[ée]m|coment[áa]rios?)\b",
    re.IGNORECASE,
)
"""Headings that open navigation or reader-comment blocks rather than article content."""

END_MATTER_HEADING = re.compile(
    r"^\W*(?:references|notes|sources|bibliography|citations|footnotes|see\s+also|external\s+links"
    r"|further\s+reading|einzelnachweise|weblinks|literatur|r[ée]f[ée]rences|liens\s+externes|referencias"
    r"|enlaces\s+externos)\W*$",
    re.IGNORECASE,
)
"""Headings of an article's end matter (references, links): never story content, however long."""

END_MARKER = re.compile(
    r"^\W{0,3}(?:last\s+(?:updated|modified)|updated(?:\s+on)?|zuletzt\s+aktualisiert|mis\s+[àa]\s+jour"
    r"|actualizado)\s*:?\s*\S.{0,60}\d{4}",
    re.IGNORECASE,
)
"""A sign-off stamp ("Last Updated: June 09, 2025 at 10:02"); where it follows the article, the article ends."""
