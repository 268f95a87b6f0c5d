"""Extraction layer 1: facts a page states as structured data (JSON-LD, microdata, OpenGraph, article meta).

Page dates are read by :mod:`filmscrape.extract.dates`, which owns the rules for what is a page date (a
``Movie.datePublished`` is a release date, a nested user review's date is not the page's); this layer
emits every other field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from lxml import etree

from filmscrape.extract.candidates import Candidate, Context, Layer
from filmscrape.extract.document import Document
from filmscrape.extract.jsonld import read_jsonld
from filmscrape.extract.microdata import read_microdata
from filmscrape.extract.schemaorg import (
    ARTICLE_TYPES,
    FILM_TYPES,
    RATING_TYPES,
    REVIEW_TYPES,
    WEBPAGE_TYPES,
    Item,
    Value,
    clean_text,
    from_jsonld,
)

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_ISO_DURATION = re.compile(
    r"^\s*P(?:(\d+(?:[.,]\d+)?)D)?T?(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?\s*$", re.I
)
_TEXT_DURATION = re.compile(
    r"^\s*(?:(\d+)\s*(?:h|hr|hrs|hours?|std\.?)\s*)?(?:(\d+)\s*(?:m|min|mins|minutes?|minuten)\.?)?\s*$", re.I
)
_NAME_YEAR = re.compile(r"\s*\((1[89]\d\d|20\d\d)\)\s*$")
_LABEL = re.compile(r"^[^:]{1,20}:\s*")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_NAME_LIST = re.compile(r"\s*[,;]\s*")
_GENRE_LIST = re.compile(r"\s*[,/|]\s*")
_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " / ", " \u00bb ", ": ")
_SEPARATOR = re.compile("|".join(map(re.escape, _SEPARATORS)))  # a title without one keeps its site name
_NEWS_TYPES = frozenset({
    "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
    "ReviewNewsArticle",
})
_LIST_TYPES = frozenset({"ItemList"})
_SITE_TYPES = frozenset({"WebSite", "Organization", "NewsMediaOrganization"})
_MOVIE_OG_TYPES = frozenset({"video.movie", "movie"})


@dataclass(frozen=True)
class StructuredData:
    """Everything structured a page states, read once from the shared tree."""

    items: tuple[Item, ...]
    orphans: Mapping[str, list[Value]]
    meta: Mapping[str, tuple[str, ...]]
    title_tag: str | None
    jsonld: tuple[Item, ...] = ()
    """The top-level JSON-LD items (the first of ``items``), whose nodes references name by ``@id``."""

    @cached_property
    def ids(self) -> Mapping[str, Item]:
        """JSON-LD nodes by ``@id``; built on the first reference (``resolve``), which most pages never make."""
        return {item.id: item for top in self.jsonld for item in top.walk() if item.id and (item.types or item.props)}

    def meta_first(self, *keys: str) -> tuple[str, str] | None:
        """The first non-empty meta value under any of ``keys`` (lower case), as ``(key, value)``."""
        for key in keys:
            for value in self.meta.get(key, ()):
                value = " ".join(value.split())
                if value:
                    return key, value
        return None

    def resolve(self, value: Value) -> Value:
        """A reference-only JSON-LD node (``{"@id": ...}``) replaced by the node it names, when present."""
        if isinstance(value, Item) and not value.types and value.id and not value.props:
            return self.ids.get(value.id, value)
        return value

    def walk(self) -> Iterator[Item]:
        """Every item, top-level and nested."""
        return iter([walked for item in self.items for walked in item.walk()])

    def top(self, types: frozenset[str]) -> list[Item]:
        """Top-level items of any of ``types``, in document order (JSON-LD before microdata)."""
        return [item for item in self.items if item.is_a(types)]


def _read_meta(metas: Iterable[etree._Element]) -> dict[str, tuple[str, ...]]:
    meta: dict[str, list[str]] = {}
    for el in metas:
        key = el.get("property") or el.get("name") or el.get("http-equiv")
        # Postlight's fixture tool, and a few CMSs, write the value in ``value=`` instead of ``content=``.
        value = el.get("content")
        if value is None:
            value = el.get("value")
        if key and value is not None:
            meta.setdefault(key.strip().lower(), []).append(value)
    return {k: tuple(v) for k, v in meta.items()}


def read_structured(doc: Document) -> StructuredData:
    """The page's structured data; read once per document and kept in ``doc.memo`` (layers share it)."""
    cached = doc.memo.get("structured")
    if isinstance(cached, StructuredData):
        return cached
    items = from_jsonld(read_jsonld(doc.elements("script")))
    micro, orphans = read_microdata(doc)
    titles = doc.elements("title")
    title = " ".join("".join(titles[0].itertext()).split()) if titles else None
    data = StructuredData(items=tuple(items + micro), orphans=orphans, meta=_read_meta(doc.elements("meta")),
                          title_tag=title or None, jsonld=tuple(items))
    doc.memo["structured"] = data
    return data


# ---------------------------------------------------------------------------------------------- values


def _names(data: StructuredData, values: Iterable[Value]) -> list[str]:
    """Person/organization names from item values or plain strings, de-duplicated in order."""
    out: list[str] = []
    for raw in values:
        value = data.resolve(raw)
        if isinstance(value, Item):
            parts = value.texts("name") or [" ".join(value.texts("givenName") + value.texts("familyName"))]
        elif isinstance(value, str):
            parts = _NAME_LIST.split(clean_text(value))
        else:
            parts = []
        for part in parts:
            part = " ".join(part.split())
            if part and not part.startswith(("http://", "https://", "@")) and part not in out:
                out.append(part)
    return out


def iso_duration_minutes(text: str) -> int | None:
    """``PT2H5M`` -> 125, ``PT78M`` -> 78, ``125 min`` -> 125, ``2h 5m`` -> 125; None when not a duration."""
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        days, hours, minutes, seconds = (float((g or "0").replace(",", ".")) for g in match.groups())
        total = days * 1440 + hours * 60 + minutes + seconds / 60
    else:
        match = _TEXT_DURATION.match(text)
        if not match or not any(match.groups()):
            return None
        total = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    return round(total) if 0 < total < 2000 else None


def _number(value: Value | None) -> float | None:
    if value is None or isinstance(value, (bool, Item)):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER.search(value)
    return float(match.group(0).replace(",", ".")) if match else None


def rating_score(data: StructuredData, rating: Item, kind: str) -> dict[str, object] | None:
    """A schema.org Rating as a record score ``{value, scale, source}``; None when it has no value."""
    value = _number(rating.first("ratingValue"))
    if value is None:
        return None
    best = _number(rating.first("bestRating"))
    worst = _number(rating.first("worstRating"))
    if (best is not None and 0 < best <= 1) or (worst is not None and worst < 0):
        return None  # a critic's fresh/rotten or thumbs flag (best 1, worst -1), not a score
    if best is None or best <= 0:
        best = 5.0 if value <= 5 else 10.0 if value <= 10 else 100.0
    if value < 0 or value > best:
        return None
    authors = _names(data, rating.values("author"))
    source = authors[0] if authors else rating.text("name") or kind
    return {"value": value, "scale": best, "source": source}


def _year(value: Value | None) -> int | None:
    if value is None or isinstance(value, (bool, Item, float)):
        return None
    if isinstance(value, int):
        return value if 1870 <= value <= 2100 else None
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1024)
def _normal(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=256)
def _host_names(host: str) -> frozenset[str]:
    """The names a host goes by, normalized: ``www.tvtoday.de`` -> ``{"tvtoday", "tvtodayde"}``."""
    host = host.lower().removeprefix("www.")
    if not host:
        return frozenset()
    labels = host.split(".")
    names = {_normal(labels[0]), _normal(host)}
    if len(labels) >= 2:
        names |= {_normal(labels[-2]), _normal(".".join(labels[-2:]))}
    return frozenset(names)


def _site_names(data: StructuredData, url: str) -> set[str]:
    names: set[str] = set()
    for key in ("og:site_name", "application-name", "twitter:site", "apple-mobile-web-app-title"):
        for value in data.meta.get(key, ()):
            if _normal(value):
                names.add(_normal(value))
    for item in data.items:
        if item.is_a(_SITE_TYPES) and item.text("name"):
            names.add(_normal(item.text("name") or ""))
    names |= _host_names(urlsplit(url).hostname or "")
    names.discard("")
    return names


def strip_site_name(title: str, site_names: set[str]) -> str:
    """``Will Smith - TV TODAY`` -> ``Will Smith`` when ``TV TODAY`` names the site (also as a prefix)."""
    for sep in _SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        if head.strip() and _normal(tail) in site_names:
            title = head.strip()
            # a section name left between the headline and the site: "Churchill / Film / dwutygodnik.com"
            inner_head, inner_sep, inner_tail = title.rpartition(sep)
            if inner_sep and inner_head.strip() and len(inner_tail.split()) == 1 and sep.strip() in "|/»":
                title = inner_head.strip()
            return title
        head, _, tail = title.partition(sep)
        if tail.strip() and _normal(head) in site_names and sep != ": ":
            return tail.strip()
    return title


# ---------------------------------------------------------------------------------------------- the layer


def main_entity(data: StructuredData) -> Item | None:
    """The article or review a page item names as its ``mainEntity`` (or a blog's single ``blogPost``),
    which microdata nests inside the WebPage scope."""
    for item in data.items:
        for prop in ("mainEntity", "blogPost"):
            inner = [v for raw in item.values(prop) if isinstance(v := data.resolve(raw), Item)
                     and v.is_a(ARTICLE_TYPES | REVIEW_TYPES)]
            if len(inner) == 1:
                return inner[0]
    return None


def _main_article(data: StructuredData) -> Item | None:
    if (entity := main_entity(data)) is not None:
        return entity
    for types in (ARTICLE_TYPES, REVIEW_TYPES, WEBPAGE_TYPES):
        found = data.top(types)
        if found:
            return found[0]
    return None


def _headline(data: StructuredData, article: Item) -> tuple[str, str] | None:
    """The article's headline; where ``headline`` and ``name`` differ, the one the <title>/og:title repeats
    (Wikipedia's JSON-LD ``headline`` is a description such as "Wikimedia list article")."""
    options = [(prop, text) for prop in ("headline", "name", "alternativeHeadline")
               if (text := article.text(prop)) and not text.startswith(("http://", "https://"))]
    if len(options) <= 1:  # one option is the answer whatever the titles show
        return options[0] if options else None
    shown = _normal(" ".join(v for k in ("og:title", "twitter:title") for v in data.meta.get(k, ())))
    shown += _normal(data.title_tag or "")
    for prop, text in options:
        if _normal(text) and _normal(text) in shown:
            return prop, text
    return options[0]


def _films(data: StructuredData) -> list[Item]:
    """The film the page is about: top-level Movie items and reviewed films, when they name one film."""
    films = list(data.top(FILM_TYPES))
    for review in data.top(REVIEW_TYPES):
        for raw in review.values("itemReviewed"):
            reviewed = data.resolve(raw)
            if isinstance(reviewed, Item) and (reviewed.is_a(FILM_TYPES) or not reviewed.types):
                films.append(reviewed)
    if len(films) <= 1:  # one film names one film: no names to compare
        return films
    names = {_normal(name) for film in films if (name := film.text("name"))}
    if len(names) > 1:
        # a sidebar of other films beside the page's own: keep the film the page's title names
        shown = _normal(" ".join([*data.meta.get("og:title", ()), data.title_tag or ""]))
        named = {n for n in names if n and n in shown}
        if len(named) != 1:
            return []
        films = [film for film in films if _normal(film.text("name") or "") in named]
    return films


def _orphan_film(data: StructuredData) -> Item | None:
    """A film page whose microdata lost its Movie scope still states its facts in orphan properties."""
    og_type = data.meta_first("og:type")
    if og_type is None or og_type[1].lower() not in _MOVIE_OG_TYPES:
        return None
    props = {k: v for k, v in data.orphans.items() if k in ("director", "duration", "genre", "aggregateRating")}
    if not props or len(props.get("aggregateRating", [])) > 1:
        return None
    return Item(types=frozenset({"Movie"}), props=dict(props), syntax="microdata")


def _src(item: Item, prop: str) -> str:
    return f"{item.syntax}:{item.type_name}.{prop}"


def _film_candidates(data: StructuredData, films: list[Item]) -> Iterator[Candidate]:
    def first(prop: str) -> tuple[Item, Value] | None:
        for film in films:
            value = film.first(prop)
            if value is not None:
                return film, value
        return None

    name_year: int | None = None
    for film in films:
        if name := film.text("name"):
            if match := _NAME_YEAR.search(name):
                name, name_year = name[: match.start()], int(match.group(1))
            yield Candidate("film_title", name, _src(film, "name"), Layer.STRUCTURED)
            break
    for prop in ("dateCreated", "copyrightYear", "datePublished", "releasedEvent"):
        found = first(prop)
        if found is None:
            continue
        film, raw = found
        resolved = data.resolve(raw)
        year = _year(resolved.first("startDate") if isinstance(resolved, Item) else resolved)
        if year is not None:
            yield Candidate("year", year, _src(film, prop), Layer.STRUCTURED)
            break
    else:
        if name_year is not None:
            yield Candidate("year", name_year, _src(films[0], "name"), Layer.STRUCTURED)
    for film in films:
        minutes = next((m for v in film.values("duration") if isinstance(v, str)
                        and (m := iso_duration_minutes(v)) is not None), None)
        if minutes is not None:
            yield Candidate("runtime_minutes", minutes, _src(film, "duration"), Layer.STRUCTURED)
            break
    for film in films:
        if directors := _names(data, film.values("director")):
            yield Candidate("directors", directors, _src(film, "director"), Layer.STRUCTURED)
            break
    for film in films:
        genres: list[str] = []
        for value in film.texts("genre"):
            value = _LABEL.sub("", value)  # "Genres: Romance" when the itemprop sits on the labelled block
            genres += [g.strip().lower() for g in _GENRE_LIST.split(value) if g.strip()]
        if genres:
            yield Candidate("genres", list(dict.fromkeys(genres)), _src(film, "genre"), Layer.STRUCTURED)
            break
    for film in films:
        language = next(iter(_names(data, film.values("inLanguage"))), None)
        if language:
            yield Candidate("language", language, _src(film, "inLanguage"), Layer.STRUCTURED)
            break


def _film_reviews(data: StructuredData, films: list[Item]) -> set[int]:
    """Ids of the items inside the reviews a film item carries (critics' and users' ratings on a film page):
    single reviewers' ratings, not the page's scores."""
    out: set[int] = set()
    for film in films:
        for value in film.values("review") + film.values("reviews"):
            review = data.resolve(value)
            if isinstance(review, Item):
                out.update(id(item) for item in review.walk())
    return out


def _score_candidates(data: StructuredData, films: list[Item]) -> Iterator[Candidate]:
    main: tuple[dict[str, object], str] | None = None
    reviews = [r for r in data.top(REVIEW_TYPES) if r.first("reviewRating") is not None]
    if reviews:
        rating = data.resolve(reviews[0].first("reviewRating") or "")
        if isinstance(rating, Item) and (score := rating_score(data, rating, "reviewRating")):
            main = score, _src(reviews[0], "reviewRating")
    if main is None:
        for film in films:
            rating = data.resolve(film.first("aggregateRating") or "")
            if isinstance(rating, Item) and (score := rating_score(data, rating, "aggregateRating")):
                main = score, _src(film, "aggregateRating")
                break
    if main is not None:
        yield Candidate("score", main[0], main[1], Layer.STRUCTURED)
    scores: list[dict[str, object]] = []
    others = _film_reviews(data, films) if not reviews else set()
    ratings = [item for item in data.walk() if item.is_a(RATING_TYPES) and id(item) not in others]
    ratings += [v for values in data.orphans.values() for v in values if isinstance(v, Item) and v.is_a(RATING_TYPES)]
    for rating in ratings:
        kind = "aggregateRating" if "AggregateRating" in rating.types else "reviewRating"
        if (score := rating_score(data, rating, kind)) and score not in scores:
            scores.append(score)
    if main is not None and main[0] not in scores:
        scores.insert(0, main[0])
    if scores:
        yield Candidate("scores", scores, "structured:ratings", Layer.STRUCTURED)


def _page_kind(data: StructuredData, films: list[Item]) -> tuple[str, str] | None:
    for item in data.items:
        if item.is_a(REVIEW_TYPES):
            return "review", f"{item.syntax}:{item.type_name}"
    for item in data.items:
        if item.is_a(_NEWS_TYPES):
            return "news", f"{item.syntax}:{item.type_name}"
    if films and not data.top(ARTICLE_TYPES):
        return "film_page", f"{films[0].syntax}:{films[0].type_name}"
    og_type = data.meta_first("og:type")
    if og_type is not None and og_type[1].lower() in _MOVIE_OG_TYPES:
        return "film_page", "meta:og:type"
    if data.top(_LIST_TYPES) and not data.top(ARTICLE_TYPES):
        return "list", "json-ld:ItemList"
    return None


def structured_candidates(ctx: Context) -> list[Candidate]:
    """Candidates from structured data; never raises on what a page holds."""
    data = read_structured(ctx.doc)
    out: list[Candidate] = []
    article = _main_article(data)
    sites: set[str] | None = None

    def without_site(title: str) -> str:
        # the site's names (several normalizations, cold on a site's first page) only for a title with a separator
        nonlocal sites
        if _SEPARATOR.search(title) is None:
            return title
        if sites is None:
            sites = _site_names(data, ctx.url)
        return strip_site_name(title, sites)

    if article is not None and (headline := _headline(data, article)):
        out.append(Candidate("title", without_site(headline[1]), _src(article, headline[0]), Layer.STRUCTURED))
    for key in ("og:title", "twitter:title"):
        if found := data.meta_first(key):
            out.append(Candidate("title", without_site(found[1]), f"meta:{key}", Layer.STRUCTURED))
            break

    films = _films(data)
    if not films and (orphan := _orphan_film(data)) is not None:
        films = [orphan]
    out += _film_candidates(data, films)
    out += _score_candidates(data, films)

    author_sources = [a for a in (article, *data.top(REVIEW_TYPES)) if a is not None]
    for item in author_sources:
        if authors := _names(data, item.values("author") + item.values("creator")):
            out.append(Candidate("authors", authors, _src(item, "author"), Layer.STRUCTURED))
            break
    else:
        for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
            if (found := data.meta_first(key)) and (authors := _names(data, [found[1]])):
                out.append(Candidate("authors", authors, f"meta:{key}", Layer.STRUCTURED))
                break

    for described in (article, *films):
        if described is not None and (description := described.text("description")):
            out.append(Candidate("summary", description, _src(described, "description"), Layer.STRUCTURED))
            break
    else:
        if found := data.meta_first("og:description", "twitter:description", "description"):
            out.append(Candidate("summary", found[1], f"meta:{found[0]}", Layer.STRUCTURED))

    if article is not None and (language := next(iter(_names(data, article.values("inLanguage"))), None)):
        out.append(Candidate("language", language, _src(article, "inLanguage"), Layer.STRUCTURED))

    if kind := _page_kind(data, films):
        out.append(Candidate("page_kind", kind[0], kind[1], Layer.STRUCTURED))
    return out
