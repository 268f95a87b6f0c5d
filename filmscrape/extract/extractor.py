"""Runs the extraction layers over one parsed page and merges their findings into a record."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from publicsuffixlist import PublicSuffixList

from filmscrape.extract import heuristics
from filmscrape.extract.candidates import Candidate, Context, Layer, best
from filmscrape.extract.dates import date_candidates
from filmscrape.extract.document import Document, parse_document, text_content
from filmscrape.extract.headline import Headline, find_headline, fold, site_names, title_text
from filmscrape.extract.kind import page_kind
from filmscrape.extract.labelled import RELEASE_SOURCE, find_facts, labelled_candidates
from filmscrape.extract.lines import Line, page_lines
from filmscrape.extract.normalize import clean_text
from filmscrape.extract.profile_fields import profile_candidates
from filmscrape.extract.sections import split_sections
from filmscrape.extract.structured import read_structured, structured_candidates
from filmscrape.record import empty_record
from filmscrape.schema import Record
from filmscrape.sites import ProfileRegistry, default_profiles
from filmscrape.urls import is_plain_http_url

logger = logging.getLogger(__name__)

# Facts about "the film": a candidate for one of these only counts when it is about the page's film.
FILM_FIELDS = ("year", "runtime_minutes", "directors")
# Structured properties that give a release date's year, which a stated year or "Title (1993)" outranks; release
# -date labels are marked by the labelled layer (``RELEASE_SOURCE``) whatever their language.
_RELEASE_PROPERTIES = ("datePublished", "releaseDate")


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: no network


def registrable_domain(url: str) -> str | None:
    """The registrable domain of ``url`` ("www.imdb.com" -> "imdb.com"); None for hosts without one."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:  # "http://[::1" and other unparseable hosts
        return None
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return None
    return _host_domain(host)


@lru_cache(maxsize=4096)
def _host_domain(host: str) -> str | None:
    """The registrable domain of a host name; remembered, as a crawl extracts many pages of each site."""
    domain: str | None = _suffixes().privatesuffix(host)
    return domain


_XML_SPACE = re.compile(r"[ \t\r\n]+")  # the whitespace rel="" tokens are separated by (XPath's normalize-space)


def resolve_link(base: str, href: str) -> str | None:
    """``href`` resolved against ``base`` when the result is an http(s) URL with a host, else None.

    Most canonical links are already plain absolute URLs: those are returned as they are, which is what
    ``urljoin`` and ``urlsplit`` give for them, without their two parses (~30 us a page)."""
    if is_plain_http_url(href):
        return href
    try:
        resolved = urljoin(base, href)
        parts = urlsplit(resolved)
        usable = parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:  # a malformed href ("http://[::1") is no canonical URL
        return None
    return resolved if usable else None


def canonical_url(doc: Document, url: str) -> str:
    """link rel=canonical, else og:url, else ``url``; resolved against ``url``. Only http(s) results count."""
    found = [href for link in doc.elements("link")
             if "canonical" in (rel := link.get("rel") or "") and "canonical" in _XML_SPACE.split(rel)
             and (href := link.get("href")) is not None]
    found += [v for el in doc.elements("meta") if el.get("property") == "og:url"
              for v in (el.get("content"), el.get("value")) if v]
    for raw in found:
        href = clean_text(raw)
        if href and (resolved := resolve_link(url, href)) is not None:
            return resolved
    return url


def _pick(candidates: list[Candidate], field: str) -> Candidate | None:
    return best(c for c in candidates if c.field == field).get(field)


# Containers whose h1s head other articles: teaser rails, "latest from" tabs, news tickers, related boxes.
_TEASER_WORDS = frozenset({
    "teaser", "teasers", "latest", "latestin", "newswire", "related", "ticker", "promo", "trending", "popular",
    "recommended", "recirculation", "recirc", "sidebar", "dropdown", "nav", "menu",
})
_NOT_CONTENT_TAGS = frozenset({"nav", "aside", "footer", "menu"})
_MARKER_SPLIT = re.compile(r"[-_\s]+")


def _in_teasers(el: lxml.html.HtmlElement) -> bool:
    for node in el.iterancestors():
        if not isinstance(node.tag, str) or node.tag in {"body", "html"}:
            break
        if node.tag in _NOT_CONTENT_TAGS:
            return True
        words = _MARKER_SPLIT.split(f"{node.get('class') or ''} {node.get('id') or ''}".lower())
        if not _TEASER_WORDS.isdisjoint(words):
            return True
    return False


def _links_elsewhere(h1: lxml.html.HtmlElement, text: str) -> bool:
    """An h1 that only wraps a link to another page is another article's teaser."""
    for link in h1.iter("a"):
        href = (link.get("href") or "").strip()
        if href and not href.startswith("#") and clean_text(link.text_content()) == text:
            return True
    return False


def content_h1s(doc: Document) -> list[str]:
    """Texts of the h1s in the page's own content: not in header/nav/aside/footer or teaser and "latest from"
    containers, and not wrapping a link to another article. Read once per document."""
    cached = doc.memo.get("content_h1s")
    if isinstance(cached, list):
        return cached
    out: list[str] = []
    for h1 in doc.elements("h1"):
        text = clean_text(text_content(h1))
        if not text or len(text) > 200 or _in_teasers(h1) or _links_elsewhere(h1, text):
            continue
        out.append(text)
    doc.memo["content_h1s"] = out
    return out


def _resolve_year(candidates: list[Candidate]) -> Candidate | None:
    """A stated year (label, "Title (1993)", Movie name) outranks a year read off a release date. A Movie's
    dateCreated is never the year on its own: film databases stamp it with the day their record was made."""
    years = [c for c in candidates if c.field == "year" and not c.source.endswith("dateCreated")]
    stated = [c for c in years
              if not c.source.startswith(RELEASE_SOURCE) and not any(s in c.source for s in _RELEASE_PROPERTIES)]
    return _pick(stated, "year") or _pick(years, "year")


def _scores(candidates: list[Candidate]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[float, float]] = set()
    for cand in sorted((c for c in candidates if c.field in {"scores", "score"}), key=lambda c: -c.layer):
        values = cand.value if isinstance(cand.value, list) else [cand.value]
        for value in values:
            if not isinstance(value, dict):
                continue
            key = (float(value["value"]), float(value["scale"]))
            if key not in seen:
                seen.add(key)
                out.append(value)
    return out


def _guarded(layer: str, url: str, run: Callable[[], list[Candidate]]) -> list[Candidate]:
    """A layer's candidates; a bug in one layer is logged and costs only that layer's fields, never the page."""
    try:
        return run()
    except Exception:
        logger.exception("extraction layer %s failed on %s; its fields stay empty", layer, url)
        return []


def _title_texts(doc: Document, headline: Headline | None,
                 meta_titles: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every headline-like text a film title or year may be read from, most telling first."""
    texts = [(headline.text, "headline")] if headline else []
    texts += [(text, src.split(":", 1)[-1]) for text, src in meta_titles]
    if title := title_text(doc):
        texts.append((title, "title"))
    texts += [(text, "h1") for text in content_h1s(doc)[:3]]
    return texts


MAX_SITE_SUFFIX_WORDS = 3
_TITLE_SEPARATOR = re.compile(r"\s[-\u2013\u2014|:\u00b7\u2022]\s")


def _page_headline(doc: Document, url: str, headline: Headline | None) -> Headline | None:
    """The page's one content h1 rather than a <title> fallback that still carries the site's name ("How to watch
    the 21 best films of 2017 - Vox" when the page's h1 reads "The 21 best movies of 2017")."""
    if headline is None or headline.source != "html:title":
        return headline
    parts = _TITLE_SEPARATOR.split(title_text(doc) or "")
    suffix = parts[-1] if len(parts) >= 2 else ""
    if not suffix or not (fold(suffix) in site_names(doc, url) or len(suffix.split()) <= MAX_SITE_SUFFIX_WORDS):
        return headline
    h1s = content_h1s(doc)
    if len(h1s) == 1:
        return Headline(h1s[0], "html:h1")
    return headline


_DECIMALS = re.compile(r"\.\d{3,}$")


def _displayed(value: float, scale: float, full_text: str) -> float | None:
    """The rounded form of an unrounded aggregate (90.3248 of 100) that the page displays ("90%")."""
    for digits in (0, 1, 2):
        rounded = round(value, digits)
        shown = f"{rounded:.{digits}f}"
        forms = [shown, shown.replace(".", ",")] if digits else [shown]
        for form in forms:
            mark = r"\s*%" if scale == 100 and digits == 0 else ""
            if re.search(rf"(?<![\d.,]){re.escape(form)}{mark}(?![\d])", full_text):
                return float(rounded) if digits else float(int(rounded))
    return None


def _prefer_displayed_scores(candidates: list[Candidate], full_text: str) -> list[Candidate]:
    """Structured aggregates with many decimals give way to the rounded value the page shows, when it shows it."""
    out: list[Candidate] = []
    for cand in candidates:
        if cand.field in {"score", "scores"}:
            value = ([_displayed_score(v, full_text) for v in cand.value] if isinstance(cand.value, list)
                     else _displayed_score(cand.value, full_text))
            cand = Candidate(cand.field, value, cand.source, cand.layer)
        out.append(cand)
    return out


def _displayed_score(value: Any, full_text: str) -> Any:
    if not isinstance(value, dict) or not _DECIMALS.search(repr(float(value["value"]))):
        return value
    shown = _displayed(float(value["value"]), float(value["scale"]), full_text)
    if shown is None:
        return value
    return {**value, "value": int(shown) if shown.is_integer() else shown}


def _page_film(candidates: list[Candidate], doc: Document, headline: Headline | None,
               url: str, full_text: str, lines: list[Line]) -> tuple[Candidate | None, list[Candidate]]:
    """The film the page is about, and any facts found with it: a layer's film title, else the title the page
    keeps italicizing, else "X, a film by Y" repeated through the text, else a credit line near the top of the
    page that the headline names ("The Garden · Derek Jarman (1990)"). None for pages about no one film."""
    film = _pick(candidates, "film_title")
    if film is not None:
        return film, []
    italic = heuristics.italic_title(doc.root, headline.text if headline else None, site_names(doc, url))
    if italic:
        return Candidate("film_title", italic, "text:italic-title", Layer.HEURISTIC), []
    film_by = heuristics.prose_film(full_text)
    if film_by:
        return (Candidate("film_title", film_by[0], "text:film-by", Layer.HEURISTIC),
                [Candidate("directors", film_by[1], "text:film-by", Layer.HEURISTIC)])
    known = [n for c in candidates if c.field == "directors" and isinstance(c.value, list) for n in c.value]
    top = [line.text for line in lines[:heuristics.CREDIT_LINE_SCAN]]
    credit = heuristics.credit_line_film(top, headline.text if headline else None, known)
    if credit:
        title, year, name = credit
        facts = [Candidate("year", year, "text:credit-line", Layer.HEURISTIC)]
        if name:
            facts.append(Candidate("directors", [name], "text:credit-line", Layer.HEURISTIC))
        return Candidate("film_title", title, "text:credit-line", Layer.HEURISTIC), facts
    return None, []


_LANGUAGE_SUBTAG = re.compile(r"^[a-z]{2,3}$")
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})  # BCP 47 codes for undetermined, several, none, uncoded


def page_language(doc: Document) -> str | None:
    """The page's declared primary language ("cs" for <html lang="cs-CZ">); None for placeholders
    ("x-default", "und") and malformed values."""
    primary = doc.lang_primary
    if primary and _LANGUAGE_SUBTAG.match(primary) and primary not in _NO_LANGUAGE:
        return primary
    return None


_DESCRIPTION_KEYS = ("og:description", "twitter:description", "description")


def _short_descriptions(doc: Document) -> list[tuple[str, str]]:
    """The page's meta descriptions as (key, text), distinct texts only, in ``_DESCRIPTION_KEYS`` order."""
    meta = read_structured(doc).meta
    out: list[tuple[str, str]] = []
    for key in _DESCRIPTION_KEYS:
        text = clean_text(next(iter(meta.get(key, ())), None))
        if text and all(text != seen for _, seen in out):
            out.append((key, text))
    return out


def extract(
    html: bytes | str,
    url: str,
    *,
    fetched_at: datetime | None = None,
    headers: Mapping[str, str] | None = None,
    profiles: ProfileRegistry | None = None,
) -> Record:
    """Extract a record from one page. Raises ExtractionError only when there is no HTML to read."""
    doc = parse_document(html, url, headers)
    registry = profiles if profiles is not None else default_profiles()
    root = doc.root
    canonical = canonical_url(doc, url)
    profile = registry.for_url(url) or registry.for_url(canonical)
    ctx = Context(doc=doc, url=canonical, fetched_at=fetched_at, profile=profile)
    lines = page_lines(doc).lines  # one walk gives these and the sections layer's lines
    texts = [line.text for line in lines]
    full_text = "\n".join(texts)

    record = empty_record(canonical)
    record["fetched_url"] = url
    record["site"] = registrable_domain(canonical)
    if fetched_at is not None:
        record["fetched_at"] = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    body = html if isinstance(html, bytes) else html.encode("utf-8", "surrogatepass")
    record["content_sha256"] = hashlib.sha256(body).hexdigest()

    # Layers in order of trust; best() keeps the most trusted candidate per field.
    structured = _guarded("structured", canonical, lambda: structured_candidates(ctx))
    meta_titles = [(c.value, c.source) for c in structured if c.field == "title" and isinstance(c.value, str)]
    found = find_headline(doc, canonical, meta_titles, texts)
    headline = _page_headline(doc, canonical, found)
    facts = find_facts(lines)
    candidates = structured + _guarded("dates", canonical, lambda: date_candidates(ctx))
    hint = headline.text if headline else None
    candidates += _guarded("labelled", canonical, lambda: labelled_candidates(ctx, facts=facts, subject_hint=hint))
    candidates += _guarded("profile", canonical, lambda: profile_candidates(ctx))
    candidates += heuristics.headline_candidates(_title_texts(doc, headline, meta_titles))
    candidates += heuristics.rating_with_votes(lines)

    film, film_facts = _page_film(candidates, doc, headline, canonical, full_text, lines)
    candidates += film_facts
    if film is not None or any(c.field in FILM_FIELDS and c.layer >= Layer.LABELLED for c in candidates):
        # Loose text facts count only on a page about one film: elsewhere "50 min" is a TV tip, not a runtime.
        candidates += heuristics.fact_line_candidates(lines)
        candidates += heuristics.meta_fact_candidates(_short_descriptions(doc), root)
        candidates += heuristics.credits_year(lines, facts)
    film_name = film.value if film else None
    named = heuristics.sentences_naming(lines, film_name) if film_name else []  # read by the next two
    candidates += heuristics.prose_directors(lines, film_name, full_text, named)
    candidates += heuristics.prose_year(lines, film_name, named)

    candidates = _prefer_displayed_scores(candidates, full_text)
    winners = best(candidates)
    winners.pop("year", None)
    for field, chosen in (("film_title", film), ("year", _resolve_year(candidates))):
        if chosen is not None:
            winners[field] = chosen
    if headline is not None:
        winners["title"] = Candidate("title", headline.text, headline.source, Layer.STRUCTURED)
    for field, cand in winners.items():
        if field in {"scores", "page_kind"} or field not in record:
            continue
        record[field] = cand.value
        record["provenance"][field] = cand.source
    if record["language"] is None and (lang := page_language(doc)):
        record["language"] = lang  # the schema's "else of the page"
        record["provenance"]["language"] = "document:lang"
    record["scores"] = _scores(candidates)
    if record["scores"]:
        record["provenance"]["scores"] = "merged"

    content = split_sections(doc, ctx)
    record["sections"] = content.sections
    record["body_text"] = content.body_text
    record["has_spoilers"] = content.has_spoilers
    record["provenance"]["has_spoilers"] = content.source
    kind = page_kind(ctx, candidates, content, record["title"])
    record["page_kind"] = kind.value
    record["provenance"]["page_kind"] = kind.source
    _finish(record)
    return record


def _finish(record: Record) -> None:
    """Absent facts are null, never "" or 0; list fields stay lists."""
    for field, value in list(record.items()):
        if field in {"provenance", "sections", "has_spoilers", "schema_version"}:
            continue
        if value == "" or (isinstance(value, int) and not isinstance(value, bool) and value == 0):
            record[field] = None
            record["provenance"].pop(field, None)
    if record.get("title") and record.get("film_title") and fold(record["film_title"]) == "":
        record["film_title"] = None
