"""Finds the ``<a href>`` links of an HTML page with one regular-expression pass over its bytes.

A full parse only to list links would cost as much as a third of extract() (which parses the page itself);
link discovery needs no tree. Links inside comments or scripts may be found too: they are only candidates,
filtered afterwards by the site's follow/deny rules and the crawl's domains.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

_ANCHOR = re.compile(rb"""<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_BASE = re.compile(rb"""<base\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SCHEMES = ("http://", "https://")


def _decode(raw: bytes, encoding: str) -> str:
    return html.unescape(raw.decode(encoding, errors="replace")).strip()


def find_links(body: bytes, base_url: str, encoding: str = "utf-8") -> list[str]:
    """Absolute http(s) URLs of the page's anchors, fragments removed, first occurrence order, no duplicates."""
    base = base_url
    if (match := _BASE.search(body)) is not None:
        base = urljoin(base_url, _decode(next(g for g in match.groups() if g is not None), encoding))
    seen: dict[str, None] = {}
    for match in _ANCHOR.finditer(body):
        href = _decode(match.group(1) or match.group(2) or match.group(3) or b"", encoding)
        if not href or href.startswith("#"):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        if url.startswith(_SCHEMES):
            seen[url] = None
    return list(seen)
