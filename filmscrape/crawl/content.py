"""What a fetched body is: HTML or not (from Content-Type, else sniffed), and whether its declared charset lies."""

from __future__ import annotations

import codecs

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Single-byte codecs decode any byte string, so a wrong one never fails loudly; UTF-8 bodies betray them.
_NEVER_FAILING = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15"})


def media_type(content_type: str | None) -> str | None:
    """``text/html`` from ``text/HTML; charset=utf-8``; None when there is no header."""
    if not content_type or not content_type.strip():
        return None
    return content_type.split(";", 1)[0].strip().lower()


def declared_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("'\"") or None
    return None


def without_charset(content_type: str) -> str:
    """The Content-Type with its charset parameter removed, so decoding falls back to meta tags and sniffing."""
    kept = [p for p in content_type.split(";") if p.partition("=")[0].strip().lower() != "charset"]
    return ";".join(kept).strip()


def looks_like_html(body: bytes) -> bool:
    """A cheap sniff for bodies served without a Content-Type."""
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def is_html(content_type: str | None, body: bytes) -> bool:
    """True when the response is an HTML page: by its Content-Type, or by sniffing when it has none."""
    kind = media_type(content_type)
    if kind is None:
        return looks_like_html(body)
    return kind in HTML_TYPES


def charset_problem(content_type: str | None, body: bytes) -> str | None:
    """Why the declared charset cannot be right for ``body``, or None when it can (or none is declared)."""
    declared = declared_charset(content_type)
    if declared is None:
        return None
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return f"unknown charset {declared!r}"
    try:
        body.decode(codec)
    except UnicodeDecodeError as exc:
        return f"declared {declared!r} but the body does not decode as it: {exc.reason} at byte {exc.start}"
    if codec in _NEVER_FAILING and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return f"declared {declared!r} but the body is UTF-8"
    return None
