"""One model for schema.org items, whichever syntax (JSON-LD or microdata) they were written in."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Union

Value = Union[str, int, float, bool, "Item"]

# Types whose datePublished / dateCreated is a release date of a work, never the date of the page about it.
WORK_TYPES = frozenset({
    "Movie", "Film", "MovieSeries", "TVSeries", "TVSeason", "TVEpisode", "Episode", "CreativeWorkSeason",
    "CreativeWorkSeries", "VideoGame", "Book", "MusicAlbum", "MusicRecording", "Product", "Offer", "Event",
    "ScreeningEvent", "PublicationEvent",
})
FILM_TYPES = frozenset({"Movie", "Film"})
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "Blog", "Report", "ReportageNews", "AnalysisNewsArticle",
    "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "ScholarlyArticle", "TechArticle",
    "SocialMediaPosting", "DiscussionForumPosting", "LiveBlogPosting", "SatiricalArticle", "AdvertiserContentArticle",
})
REVIEW_TYPES = frozenset({"Review", "CriticReview", "UserReview", "EmployerReview"})
WEBPAGE_TYPES = frozenset({
    "WebPage", "ItemPage", "CollectionPage", "AboutPage", "ProfilePage", "QAPage", "FAQPage", "MedicalWebPage",
    "SearchResultsPage", "CheckoutPage", "ContactPage", "RealEstateListing",
})
VIDEO_TYPES = frozenset({"VideoObject", "Clip", "Trailer"})
RATING_TYPES = frozenset({"Rating", "AggregateRating", "EndorsementRating"})


def clean_text(text: str) -> str:
    """Whitespace collapsed, and HTML entities decoded (CMSs often write ``&#8222;`` into JSON-LD strings)."""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def local_name(term: str) -> str:
    """``http://schema.org/Movie`` -> ``Movie``, ``schema:name`` -> ``name``."""
    term = term.strip()
    for sep in ("#", "/", ":"):
        if sep in term:
            term = term.rsplit(sep, 1)[1]
    return term


@dataclass
class Item:
    """A schema.org item: its types, its properties (values are scalars or nested items) and where it sits.

    ``nested`` is true when the item is the value of another item's property (a user review inside a
    Movie, a Person as director): such items never describe the page itself.
    """

    types: frozenset[str]
    props: dict[str, list[Value]] = field(default_factory=dict)
    syntax: str = "json-ld"
    nested: bool = False
    id: str | None = None

    def is_a(self, types: frozenset[str]) -> bool:
        """True when any of the item's types is in ``types``."""
        return not self.types.isdisjoint(types)

    @property
    def type_name(self) -> str:
        """A stable name for provenance: the first type alphabetically, else ``Thing``."""
        return min(self.types) if self.types else "Thing"

    def values(self, name: str) -> list[Value]:
        """Every value of property ``name``."""
        return self.props.get(name, [])

    def first(self, name: str) -> Value | None:
        """The first value of property ``name``, or None."""
        values = self.props.get(name)
        return values[0] if values else None

    def text(self, name: str) -> str | None:
        """The first non-empty scalar value of ``name`` as clean text (entities decoded, spaces collapsed)."""
        for value in self.props.get(name, ()):
            if not isinstance(value, (Item, bool)) and (text := clean_text(str(value))):
                return text
        return None

    def texts(self, name: str) -> list[str]:
        """Every non-empty scalar value of ``name`` as clean text."""
        return [text for value in self.props.get(name, ())
                if not isinstance(value, (Item, bool)) and (text := clean_text(str(value)))]

    def walk(self) -> Iterator[Item]:
        """This item and every item nested in it, depth first (cycles are cut)."""
        # collected at once (every caller reads the whole walk), children with plain loops: a comprehension per
        # item is a function call each in Python 3.11
        walked: list[Item] = []
        seen: set[int] = set()
        stack: list[Item] = [self]
        while stack:
            item = stack.pop()
            if id(item) in seen:
                continue
            seen.add(id(item))
            walked.append(item)
            children: list[Item] = []
            for values in item.props.values():
                for value in values:
                    if isinstance(value, Item):
                        children.append(value)
            if children:
                children.reverse()  # the first child on top of the stack
                stack += children
        return iter(walked)


_SCALARS = (str, int, float)  # bool is an int


@lru_cache(maxsize=1024)
def _jsonld_type(name: str) -> frozenset[str]:
    """``{"Movie"}`` for ``"http://schema.org/Movie"``: one ``@type`` name, which may hold spaces."""
    return frozenset({local_name(name)}) if name.strip() else frozenset()


def _jsonld_types(raw: Any) -> frozenset[str]:
    """The local names of an ``@type``: one name (the usual case, cached) or a list of them."""
    if isinstance(raw, str):
        return _jsonld_type(raw)
    if isinstance(raw, list):
        return frozenset(local_name(t) for t in raw if isinstance(t, str) and t.strip())
    return frozenset()


def from_jsonld(data: Any, *, nested: bool = False, depth: int = 0) -> list[Item]:
    """Items from decoded JSON-LD: an object, an array of them, or an ``@graph`` (each member top-level)."""
    if depth > 40:
        return []
    if isinstance(data, list):
        items: list[Item] = []
        for entry in data:
            items += from_jsonld(entry, nested=nested, depth=depth + 1)
        return items
    if not isinstance(data, (dict, Mapping)):  # decoded JSON holds dicts: the ABC check is the slow fallback
        return []
    graph = data.get("@graph")
    if graph is not None:
        items = from_jsonld(graph, nested=nested, depth=depth + 1)
        if not any(k for k in data if not k.startswith("@")):
            return items
    else:
        items = []
    props: dict[str, list[Value]] = {}
    for key, raw in data.items():
        if not isinstance(key, str) or key.startswith("@"):
            continue
        if isinstance(raw, _SCALARS):  # most properties hold one plain value
            values: list[Value] = [raw]
        else:
            values = []
            for entry in raw if isinstance(raw, list) else (raw,):
                if isinstance(entry, _SCALARS):
                    values.append(entry)
                elif isinstance(entry, (dict, Mapping)):
                    if "@value" not in entry:
                        values += from_jsonld(entry, nested=True, depth=depth + 1)
                    elif isinstance(value := entry["@value"], _SCALARS):
                        values.append(value)
            if not values:
                continue
        # a plain name ("director") is its own local name: no cache lookup (a miss on a site's first page)
        name = key if key.isidentifier() else local_name(key)
        if name in props:  # "name" and "schema:name" are one property
            props[name] += values
        else:
            props[name] = values
    raw_id = data.get("@id")
    item = Item(types=_jsonld_types(data.get("@type")), props=props, syntax="json-ld", nested=nested,
                id=raw_id if isinstance(raw_id, str) else None)
    return [item, *items]
