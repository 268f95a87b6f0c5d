"""Recognises plain absolute http(s) URLs, which urllib would give back unchanged, without parsing them."""

from __future__ import annotations

import re

# A lower-case http(s) scheme, a plain host (and port), a path without ";params", a non-empty query and fragment
# when marked, and no spaces or control characters: urljoin() returns such a URL as it is, and urlsplit() reads
# its scheme and host (never empty) without error.
_PLAIN_HTTP_URL = re.compile(r"https?://(?P<host>[A-Za-z0-9.-]+)(?::[0-9]+)?(?:/[^\x00-\x20;?#]*)?"
                             r"(?:\?[^\x00-\x20#]+)?(?:#[^\x00-\x20]+)?")


def is_plain_http_url(url: str) -> bool:
    """Whether ``url`` is a plain absolute http(s) URL: most page and canonical URLs, checked in about a
    microsecond where urljoin and urlsplit take tens on a URL they have not cached."""
    return _PLAIN_HTTP_URL.fullmatch(url) is not None


def plain_http_host(url: str) -> str | None:
    """The lower-case host of a plain absolute http(s) URL (``urlsplit(url).hostname``), None for other URLs."""
    match = _PLAIN_HTTP_URL.fullmatch(url)
    return match["host"].lower() if match is not None else None
