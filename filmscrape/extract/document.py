"""Decodes page bytes and parses them once into an lxml tree shared by every layer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

from filmscrape.errors import ExtractionError


@dataclass
class Document:
    """A parsed page: its URL, decoded text and lxml root."""

    url: str
    text: str
    root: lxml.html.HtmlElement
    encoding: str


def parse_document(html: bytes | str, url: str, headers: Mapping[str, str] | None = None) -> Document:
    """Decode (BOM, HTTP header, meta charset, detection) and parse; ExtractionError if nothing is there."""
    if isinstance(html, bytes):
        content_type = (headers or {}).get("Content-Type") or (headers or {}).get("content-type")
        encoding, text = html_to_unicode(content_type, html)
    else:
        encoding, text = "utf-8", html
    if not text.strip():
        raise ExtractionError("empty page", url=url)
    try:
        root = lxml.html.document_fromstring(text.replace("\x00", ""))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}", url=url) from exc
    return Document(url=url, text=text, root=root, encoding=encoding)
