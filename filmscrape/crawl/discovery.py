"""Finds page URLs in sitemaps (indexes, gzip, ``lastmod``), robots.txt ``Sitemap:`` lines and RSS/Atom feeds."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from lxml import etree

GZIP_MAGIC = b"\x1f\x8b"


class DiscoveryError(ValueError):
    """A sitemap, feed or compressed body that cannot be read."""


@dataclass(frozen=True)
class Entry:
    """One URL a sitemap or feed lists, with its last-modified date as a normalised UTC string when given."""

    url: str
    lastmod: str | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: ``index`` lists further sitemaps, ``urlset`` lists pages."""

    is_index: bool
    entries: tuple[Entry, ...]


def gunzip_limited(body: bytes, max_size: int) -> bytes:
    """Decompress a gzip body, refusing to inflate past ``max_size`` bytes (0: no limit)."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            while chunk := fh.read1(64 * 1024):
                out.write(chunk)
                if max_size and out.tell() > max_size:
                    raise DiscoveryError(f"gzip body inflates past {max_size} bytes")
    except (OSError, EOFError, zlib.error) as exc:
        raise DiscoveryError(f"bad gzip body: {exc}") from exc
    return out.getvalue()


def normalize_lastmod(value: str | None) -> str | None:
    """A W3C datetime (``2025-06-09``, ``2025-06-09T10:00:00+02:00``) as an ISO UTC string; None if unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(elem: etree._Element, name: str) -> str | None:
    for child in elem:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _parse_xml(body: bytes) -> etree._Element:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, remove_comments=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(body.lstrip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not XML: {exc}") from exc
    if root is None:
        raise DiscoveryError("empty or unreadable XML document")
    return root


def parse_sitemap(body: bytes, base_url: str, *, max_size: int = 0) -> Sitemap:
    """Parse a sitemap or sitemap index (gzip-compressed or not); relative ``loc``s resolve against ``base_url``."""
    if body[:2] == GZIP_MAGIC:
        body = gunzip_limited(body, max_size)
    root = _parse_xml(body)
    kind = _local(root.tag)
    if kind not in {"urlset", "sitemapindex"}:
        raise DiscoveryError(f"not a sitemap: root element <{kind}>")
    child = "sitemap" if kind == "sitemapindex" else "url"
    entries = []
    for elem in root:
        if _local(elem.tag) != child:
            continue
        loc = _child_text(elem, "loc")
        if loc:
            entries.append(Entry(urljoin(base_url, loc), normalize_lastmod(_child_text(elem, "lastmod"))))
    return Sitemap(is_index=kind == "sitemapindex", entries=tuple(entries))


def _rfc822(value: str | None) -> str | None:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return normalize_lastmod(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_feed(body: bytes, base_url: str) -> tuple[Entry, ...]:
    """The entry links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, with each entry's updated date."""
    root = _parse_xml(body)
    kind = _local(root.tag)
    entries: list[Entry] = []
    if kind == "feed":  # Atom
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            href = None
            for link in entry:
                if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate" and link.get("href"):
                    href = link.get("href")
                    break
            if href:
                updated = _child_text(entry, "updated") or _child_text(entry, "published")
                entries.append(Entry(urljoin(base_url, href.strip()), normalize_lastmod(updated)))
        return tuple(entries)
    if kind in {"rss", "rdf"}:
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            link = _child_text(item, "link") or (item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"))
            if link:
                entries.append(Entry(urljoin(base_url, link), _rfc822(_child_text(item, "pubdate"))))
        return tuple(entries)
    raise DiscoveryError(f"not an RSS or Atom feed: root element <{kind}>")


def sitemaps_from_robots(body: bytes, base_url: str) -> tuple[str, ...]:
    """The ``Sitemap:`` URLs a robots.txt lists."""
    urls = []
    for raw in body.splitlines():
        line = raw.split(b"#", 1)[0].strip()
        if line[:8].lower() == b"sitemap:":
            try:
                url = line[8:].strip().decode("utf-8")
            except UnicodeDecodeError:
                continue
            if url:
                urls.append(urljoin(base_url, url))
    return tuple(urls)
