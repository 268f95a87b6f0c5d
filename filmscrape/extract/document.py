"""Decodes page bytes and parses them once into an lxml tree shared by every layer."""

from __future__ import annotations

import json
import logging
import re
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

from filmscrape.errors import ExtractionError
from filmscrape.extract.marked import PAGE_MARKS, Marks, marked_elements
from filmscrape.extract.native import treewalk as _treewalk

logger = logging.getLogger(__name__)

MAX_INPUT_BYTES = 32_000_000
"""Bytes beyond this are never decoded: a page this big is truncated, not read whole."""
MAX_PARSE_CHARS = 3_000_000
"""Decoded text is cut (at a tag boundary) to this many characters before parsing, once scripts and styles are
gone; real articles are far smaller, and every layer's time grows with the tree."""

_SAMPLE_BYTES = 16_384
_HTTP_STATUS = re.compile(rb"\A\s*HTTP/\d(?:\.\d)?\s+\d{3}\b[^\n]*\n")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_DOC_START = re.compile(r"<!doctype\s|<html[\s>]", re.IGNORECASE)
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")
_HTMLISH = re.compile(r"<(?:html|head|body|div|p|title|meta|h[1-6]|table|span|a)[\s>/]", re.IGNORECASE)
_LATIN1_HIGH = re.compile(r"[\x80-\xff]")
_LETTERS = re.compile(r"[^\W\d_]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
"""C0 controls other than whitespace: one byte each in UTF-8, and no byte of a longer sequence."""
_REPLACEMENT = "\ufffd".encode("utf-8")
# Attribute runs are bounded ({0,4000}): an unbounded [^>]* rescans to the end of a page that never closes its tags.
_BULKY_OPEN = re.compile(r"<(script|style|svg)\b([^>]{0,4000})>", re.IGNORECASE)
_DEEP_PARSE_TAGS = re.compile(
    r"</?(?:div|span|font|section|article|b|i|em|strong|u|small|big|center|main)\b[^>]{0,4000}>", re.IGNORECASE)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x7fELF", "executable"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 media"),
    (b"\x00\x00\x00\x20ftyp", "MP4 media"),
)
_MAGIC_STARTS = tuple(magic for magic, _ in _MAGIC)
_NON_HTML_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/json",
                   "application/zip", "application/octet-stream", "application/javascript", "text/javascript",
                   "text/css")
_MULTIBYTE_FAMILIES = ("gb", "big5", "cp932", "shift_jis", "euc", "cp949", "iso2022", "cp950", "hz")
_CENTRAL_EUROPEAN = frozenset({"pl", "cs", "sk", "hu", "sl", "hr", "ro", "bs", "sr"})
_CYRILLIC_LANGS = frozenset({"ru", "uk", "bg", "be", "mk", "sr"})


INDEXED_TAGS = ("title", "meta", "link", "script", "h1", "h2", "time")
"""Tags whose elements ``Document.elements`` collects: the head's metadata, title and scripts, h1s, h2s and times."""


def text_content(el: lxml.html.HtmlElement) -> str:
    """``el.text_content()``: for an element without children its own text, read without the XPath query
    text_content() runs (~5 us the first time on a document), as titles and headings mostly are."""
    return (el.text or "") if len(el) == 0 else str(el.text_content())


@dataclass(frozen=True)
class _Scan:
    """What one pass over a page read: its indexed elements, its marked elements, its body text stream."""

    elements: dict[str, list[lxml.html.HtmlElement]]
    marked: dict[Marks, list[lxml.html.HtmlElement]]
    stream: Any | None


@dataclass
class Document:
    """A parsed page: its URL, decoded text and lxml root, plus what every layer reads from its envelope.

    ``headers`` are the HTTP response headers (lower-case names) from the caller and from any header block
    saved in front of the HTML (``curl -i`` output); ``lang`` is the page's declared language
    (``<html lang>``, else ``Content-Language``); ``truncated`` says the page was cut to ``MAX_PARSE_CHARS``.
    """

    url: str
    text: str
    root: lxml.html.HtmlElement
    encoding: str
    headers: Mapping[str, str] = field(default_factory=dict)
    lang: str | None = None
    truncated: bool = False
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Derived data layers share per page (``doc.memo.setdefault(...)``), so nothing is computed twice."""

    def elements(self, tag: str) -> list[lxml.html.HtmlElement]:
        """The page's ``tag`` elements in document order, for a tag of ``INDEXED_TAGS``.

        The metadata, canonical link, title, JSON-LD, h1 and time readers share one index: each walked the whole
        tree on its own before (about 0.03 ms a walk on a real page).
        """
        return self._scan().elements[tag]

    def marked(self, marks: Marks) -> list[lxml.html.HtmlElement]:
        """``marked_elements(root, marks)``, answered by the page's one scan for the queries in ``PAGE_MARKS``."""
        found = self._scan().marked.get(marks)
        return found if found is not None else marked_elements(self.root, marks)

    def text_stream(self) -> Any | None:
        """The body's text nodes as one string with their owners (``_treewalk.body_text``), read by the page's
        one scan; None without the compiled walk."""
        return self._scan().stream

    def _scan(self) -> _Scan:
        """Index, marked elements and body text, from one C pass over the page when the walk is compiled (each
        full pass over a large page costs tens of microseconds, mostly waiting on memory), else in Python."""
        scanned = self.memo.get("scan")
        if isinstance(scanned, _Scan):
            return scanned
        if _treewalk is not None:
            queries = [(m.names, m.contains.encode("utf-8") if m.contains is not None else None) for m in PAGE_MARKS]
            by_tag, by_marks, stream = _treewalk.scan(self.root, INDEXED_TAGS, queries)
            scanned = _Scan(dict(zip(INDEXED_TAGS, by_tag, strict=True)),
                            dict(zip(PAGE_MARKS, by_marks, strict=True)), stream)
        else:
            index: dict[str, list[lxml.html.HtmlElement]] = {name: [] for name in INDEXED_TAGS}
            for el in self.root.iter(*INDEXED_TAGS):
                index[el.tag].append(el)
            scanned = _Scan(index, {}, None)
        self.memo["scan"] = scanned
        return scanned

    @property
    def body(self) -> lxml.html.HtmlElement:
        """The ``<body>`` element (the root when the page has none)."""
        body = self.root.find("body")
        return body if body is not None else self.root

    @property
    def lang_primary(self) -> str | None:
        """The primary language subtag, lower case: ``de`` for ``de-DE``."""
        if not self.lang:
            return None
        return self.lang.split("-")[0].split("_")[0].strip().lower() or None


_local = threading.local()


def _parser() -> etree.HTMLParser:
    """One UTF-8 HTML parser per thread (lxml parsers keep state and are not thread-safe)."""
    parser: etree.HTMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        # huge_tree lifts libxml2's 256-level depth limit (to 2048) and its 10 MB text-node limit; the
        # explicit encoding makes libxml2 trust our decoding instead of re-sniffing meta tags. No layer looks
        # elements up by id, so libxml2 keeps no id table (collect_ids=False: parsing takes ~8% less time).
        parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, collect_ids=False)
        # Every element is an lxml.html.HtmlElement (text_content, cssselect, ...), chosen in C: lxml.html's own
        # per-tag Python lookup (form/input classes we never use) costs a quarter of every tree walk.
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
        _local.parser = parser
    return parser


def _normalize_headers(headers: Mapping[Any, Any] | None) -> dict[str, str]:
    """Lower-case ``str -> str`` headers from a plain mapping or Scrapy's bytes-and-lists ``Headers``."""
    out: dict[str, str] = {}
    for key, value in (headers or {}).items():
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        name = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        out[name.lower()] = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return out


def split_saved_headers(data: bytes) -> tuple[dict[str, str], bytes]:
    """Strip HTTP response header blocks saved in front of a page (``curl -i``/``-iL``); return them and the body."""
    headers: dict[str, str] = {}
    while True:
        status = _HTTP_STATUS.match(data)
        if status is None:
            return headers, data
        end = _HEADER_END.search(data, status.start())
        if end is None:
            return headers, data
        for line in data[status.end():end.start()].split(b"\n"):
            name, sep, value = line.decode("latin-1").partition(":")
            if sep and name.strip():
                headers[name.strip().lower()] = value.strip()
        data = data[end.end():]


def _gunzip(data: bytes, url: str) -> bytes:
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return inflater.decompress(data, MAX_INPUT_BYTES)
    except zlib.error as exc:
        raise ExtractionError(f"gzip data that does not decompress: {exc}", url=url) from exc


def _sniff_binary(data: bytes, content_type: str | None, url: str) -> None:
    """Raise for bytes that are plainly not a web page (media, archives, PDF) before decoding them."""
    head = data[:16].lstrip()
    if head.startswith(_MAGIC_STARTS):  # one C call for the common case: none of them
        what = next(what for magic, what in _MAGIC if head.startswith(magic))
        raise ExtractionError(f"not HTML: looks like a {what}", url=url)
    if content_type:
        mime = content_type.split(";")[0].strip().lower()
        if mime.startswith(_NON_HTML_TYPES):
            raise ExtractionError(f"not HTML: Content-Type is {mime}", url=url)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16/32 without a BOM shows as NULs in every other (or three of four) bytes of ASCII markup."""
    head = data[:1024]
    if len(head) < 8 or head.count(0) < len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if head[0::4].count(0) + head[1::4].count(0) + head[2::4].count(0) > len(head) * 0.6:
        return "utf-32-be"
    if head[1::4].count(0) + head[2::4].count(0) + head[3::4].count(0) > len(head) * 0.6:
        return "utf-32-le"
    if even > len(head) * 0.4 and odd < len(head) * 0.1:
        return "utf-16-be"
    if odd > len(head) * 0.4 and even < len(head) * 0.1:
        return "utf-16-le"
    return None


_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")


def _non_ascii_sample(data: bytes) -> bytes:
    """Up to 16 KB of the lines that hold non-ASCII bytes: the part a charset detector can learn from."""
    parts: list[bytes] = []
    size = 0
    # Line by line: a regex spanning "[^\n]*" on both sides of the byte is quadratic on one huge ASCII line.
    for line in data.split(b"\n"):
        if not _NON_ASCII_BYTE.search(line):
            continue
        parts.append(line)
        size += len(line)
        if size > _SAMPLE_BYTES:
            break
    return b"\n".join(parts)[:_SAMPLE_BYTES]


def _declared_lang(data: bytes) -> str | None:
    match = re.search(rb"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})", data[:4096], re.IGNORECASE)
    return match.group(1).decode("ascii").lower() if match else None


def _detect(data: bytes) -> str | None:
    """Guess the encoding of undeclared or mis-declared non-UTF-8 bytes (charset-normalizer on a sample)."""
    sample = _non_ascii_sample(data)
    if not sample:
        return None
    from charset_normalizer import from_bytes  # imported lazily: only pages with broken declarations pay for it

    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else None
    lang = _declared_lang(data)
    if guess and guess.startswith(_MULTIBYTE_FAMILIES):
        return resolve_encoding(guess) or guess
    if guess in ("cp1251", "koi8_r", "iso8859_5", "mac_cyrillic") or lang in _CYRILLIC_LANGS:
        return guess if guess in ("cp1251", "koi8_r") else "cp1251"
    if guess in ("cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "cp874", "cp1258"):
        return guess
    # charset-normalizer confuses the Latin code pages (cp1250/1257/775 for plain German or French text);
    # the web's own default for undeclared Latin text is windows-1252, or 1250 for Central European pages.
    return "cp1250" if lang in _CENTRAL_EUROPEAN else "cp1252"


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_misdeclared(text: str) -> bool:
    """A single-byte declaration over CJK bytes decodes 'fine' into a soup of accented letters."""
    sample = text[:_SAMPLE_BYTES * 2]
    high = len(_LATIN1_HIGH.findall(sample))
    letters = len(_LETTERS.findall(sample))
    return letters > 0 and high > 0.2 * letters


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(encoding, text)`` for page bytes: BOM, then valid UTF-8, then the declared charset, then detection.

    UTF-8 is tried before the declaration because declarations lie in one direction far more than the
    other: pages stored as UTF-8 that still say ISO-8859-1 are common, while non-UTF-8 bytes almost never
    pass a strict UTF-8 decode. A declared charset the bytes do not fit falls through to detection.
    """
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None:
        return bom_encoding, data[len(bom):].decode(bom_encoding, errors="replace")
    wide = _utf16_without_bom(data)
    if wide is not None:
        return wide, data.decode(wide, errors="replace")
    text = _strict(data, "utf-8")
    if text is not None:
        return "utf-8", text
    # The HTTP header, then the page's own meta/XML declaration; UTF-8 was tried already, and a BOM-less
    # UTF-16/32 declaration over bytes that are not wide is a lie.
    declared: str | None = None
    for label in (http_content_type_encoding(content_type), html_body_declared_encoding(data)):
        if not label or label in ("utf-8", "utf-16", "utf-32") or label == declared:
            continue
        declared = declared or label
        text = _strict(data, label)
        if text is not None and not (_is_single_byte(label) and _looks_misdeclared(text)):
            return label, text
    detected = _detect(data) or declared or "cp1252"
    if declared and detected in ("cp1252", "cp1250") and _is_single_byte(declared):
        detected = declared
    return detected, data.decode(detected, errors="replace")


def _is_single_byte(encoding: str) -> bool:
    return encoding.startswith(("cp125", "iso8859", "latin", "mac_", "koi8", "cp874", "ascii"))


def _drop_bulky(text: str) -> str:
    """The text without script, style and SVG bodies (JSON-LD kept), in one linear scan."""
    lowered = text.lower()
    out: list[str] = []
    pos = 0
    for match in _BULKY_OPEN.finditer(text):
        if match.start() < pos:
            continue
        tag = match.group(1).lower()
        close = lowered.find(f"</{tag}", match.end())
        if close < 0:
            break
        if tag == "script" and "ld+json" in match.group(2).lower():
            continue
        out.append(text[pos:match.start()])
        pos = close
    out.append(text[pos:])
    return "".join(out)


def _cut(text: str, url: str) -> tuple[str, bool]:
    if len(text) <= MAX_PARSE_CHARS:
        return text, False
    # Oversized pages are mostly inline scripts, styles and SVG: drop those first (JSON-LD stays), then cut.
    text = _drop_bulky(text)
    if len(text) <= MAX_PARSE_CHARS:
        return text, False
    cut = text.rfind("<", MAX_PARSE_CHARS - 65_536, MAX_PARSE_CHARS)
    logger.warning("page of %d characters truncated to %d for parsing: %s", len(text), MAX_PARSE_CHARS, url)
    return text[: cut if cut > 0 else MAX_PARSE_CHARS], True


def _drop_prologue(text: str) -> str:
    """Drop stray text before ``<!DOCTYPE``/``<html>`` (server warnings, corpus wrapper lines, XML prologs).

    Left in place, libxml2 opens ``<body>`` at the first stray character and the whole ``<head>`` ends up
    inside the body.
    """
    declaration = _XML_DECL.match(text)  # anchored: sub() would try every position of a large page
    if declaration is not None:
        text = text[declaration.end():]
    match = _DOC_START.search(text, 0, 4096)
    if match is None or match.start() == 0 or "<body" in text[: match.start()].lower():
        return text
    return text[match.start():]


def _control_count(text: str) -> int:
    """How many characters of ``text`` are C0 controls other than whitespace or U+FFFD (what undecodable bytes
    leave), counted on its UTF-8 by byte deletion: a regex over the 4 KB head cost 12 µs."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _CONTROL_BYTES)) + data.count(_REPLACEMENT)


def _check_markup(text: str, url: str) -> None:
    """Raise for decoded text that is not a page: empty, binary noise, or a bare JSON document."""
    stripped = text.lstrip()
    if not stripped or not stripped.strip("\x00"):
        raise ExtractionError("empty page", url=url)
    head = stripped[:4096]
    if _control_count(head) > 0.1 * len(head):
        raise ExtractionError("not HTML: binary or undecodable bytes", url=url)
    if stripped[0] in "{[" and _HTMLISH.search(stripped, 0, 65_536) is None:
        try:
            json.loads(stripped[:MAX_PARSE_CHARS])
        except ValueError:
            pass
        else:
            raise ExtractionError("not HTML: a JSON document", url=url)


def _parse(text: str, url: str, utf8: bytes | None = None) -> lxml.html.HtmlElement:
    """Parse ``text``; ``utf8`` is the same text as UTF-8 bytes when the page already came that way."""
    parser = _parser()
    data = utf8 if utf8 is not None else text.encode("utf-8", errors="replace")
    root = _fromstring(data, parser, url)
    last = parser.error_log.last_error  # libxml2 stops at its depth limit, so that error comes last
    if last is not None and last.type_name == "ERR_RESOURCE_LIMIT":
        # Nesting deeper than libxml2 allows even with huge_tree: libxml2 drops everything past the limit.
        # Re-parse with the layout-only tags removed; paragraphs, headings, lists and links keep the text.
        logger.warning("page nested deeper than the parser allows; re-parsed without layout tags: %s", url)
        flat = _DEEP_PARSE_TAGS.sub(" ", text).encode("utf-8", errors="replace")
        root = _fromstring(flat, parser, url)
    return root


def _fromstring(data: bytes, parser: etree.HTMLParser, url: str) -> lxml.html.HtmlElement:
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}", url=url) from exc
    if root is None:
        raise ExtractionError("not parseable as HTML: the document is empty", url=url)
    root = root.getroottree().getroot()
    if not isinstance(root, lxml.html.HtmlElement):
        raise ExtractionError("not parseable as HTML: no element tree", url=url)
    return root


def _page_lang(root: lxml.html.HtmlElement, headers: Mapping[str, str]) -> str | None:
    for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        declared: str | None = root.get(attr)
        if declared and declared.strip():
            return declared.strip()
    value = headers.get("content-language", "").split(",")[0].strip()
    return value or None


def parse_document(html: bytes | str, url: str, headers: Mapping[str, str] | None = None) -> Document:
    """Decode (BOM, HTTP header, meta charset, detection) and parse; ExtractionError if nothing is there.

    Never raises anything but ExtractionError, and stays bounded on any input: bytes past
    ``MAX_INPUT_BYTES`` are not read and text past ``MAX_PARSE_CHARS`` is not parsed.
    """
    given = _normalize_headers(headers)
    saved: dict[str, str] = {}
    utf8_bytes: bytes | None = None
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html[:MAX_INPUT_BYTES])
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, url)
        saved, data = split_saved_headers(data)
        merged = {**saved, **given}
        _sniff_binary(data, merged.get("content-type"), url)
        if not data or data.isspace():  # as "not data.strip()", without copying the page
            raise ExtractionError("empty page", url=url)
        encoding, text = decode_bytes(data, merged.get("content-type"))
        if encoding == "utf-8" and not data.startswith(b"\xef\xbb\xbf") and b"\x00" not in data:
            utf8_bytes = data
    else:
        merged = given
        _sniff_binary(b"", merged.get("content-type"), url)
        encoding, text = "utf-8", str(html)[:MAX_INPUT_BYTES]
    if utf8_bytes is None and "\x00" in text:  # UTF-8 bytes without a NUL byte decode to text without one
        text = text.replace("\x00", "")
    _check_markup(text, url)
    decoded_length = len(text)
    text, truncated = _cut(_drop_prologue(text), url)
    # Valid UTF-8 that needed no edits is parsed as it came: no encode round trip for most pages.
    unchanged = utf8_bytes is not None and len(text) == decoded_length
    root = _parse(text, url, utf8_bytes if unchanged else None)
    return Document(url=url, text=text, root=root, encoding=encoding, headers=merged,
                    lang=_page_lang(root, merged), truncated=truncated)
