"""Finds the ``<a href>`` links of an HTML page with one regular-expression pass over its bytes.

A full parse only to list links would cost as much as a third of extract() (which parses the page itself);
link discovery needs no tree. Links inside comments or scripts may be found too: they are only candidates,
filtered afterwards by the site's follow/deny rules and the crawl's domains.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

_ANCHOR = re.compile(rb"""<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_BASE = re.compile(rb"""<base\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SCHEMES = ("http://", "https://")


def _decode(raw: bytes, encoding: str) -> str:
    return html.unescape(raw.decode(encoding, errors="replace")).strip()


@lru_cache(maxsize=1 << 16)
def _join(base: str, href: str) -> str:
    return urljoin(base, href).split("#", 1)[0]


def find_links(body: bytes, base_url: str, encoding: str = "utf-8") -> list[str]:
    """Absolute http(s) URLs of the page's anchors, fragments removed, first occurrence order, no duplicates."""
    base = base_url
    if (match := _BASE.search(body)) is not None:
        base = urljoin(base_url, _decode(next(g for g in match.groups() if g is not None), encoding))
    # A root-relative or absolute href resolves the same against any page of the site: joined against the site
    # root, the (cached) result is shared by every page's navigation links, the bulk of all links.
    parts = urlsplit(base)
    root = f"{parts.scheme}://{parts.netloc}/"
    seen: dict[str, None] = {}
    for match in _ANCHOR.finditer(body):
        href = _decode(match.group(1) or match.group(2) or match.group(3) or b"", encoding)
        if not href or href.startswith("#"):
            continue
        shared = (href.startswith("/") and not href.startswith("//")) or href.startswith(_SCHEMES)
        url = _join(root if shared else base, href)
        if url.startswith(_SCHEMES):
            seen[url] = None
    return list(seen)
