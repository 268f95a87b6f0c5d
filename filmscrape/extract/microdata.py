"""Reads HTML microdata (itemscope / itemtype / itemprop) into schema.org items, from the shared lxml tree."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from filmscrape.extract.document import Document
from filmscrape.extract.marked import MICRODATA
from filmscrape.extract.schemaorg import Item, Value, local_name

_URL_ATTR = {
    "a": "href", "area": "href", "link": "href", "audio": "src", "embed": "src", "iframe": "src", "img": "src",
    "source": "src", "track": "src", "video": "src", "object": "data",
}
_VALUE_TAGS = frozenset({"data", "meter", "time", "meta"})
_MAX_TEXT = 2000


@lru_cache(maxsize=1024)
def _item_types(itemtype: str) -> frozenset[str]:
    """The local names of an ``itemtype`` list: ``"http://schema.org/Movie"`` -> ``{"Movie"}``."""
    return frozenset(local_name(name) for name in itemtype.split())


def _value(el: etree._Element) -> str:
    """The microdata value of a property element (HTML spec: content, URL attributes, datetime, value, text)."""
    content: str | None = el.get("content")
    if content is not None:
        return content.strip()
    tag = el.tag if isinstance(el.tag, str) else ""
    attr = _URL_ATTR.get(tag)
    value: str | None = el.get(attr) if attr is not None else None
    if value is None and tag in _VALUE_TAGS:
        # time: a non-empty datetime; meta: some fixture tools rewrite content= as value=
        value = (el.get("datetime") or None) if tag == "time" else el.get("value")
    if value is not None:
        return value.strip()
    return " ".join("".join(el.itertext()).split())[:_MAX_TEXT]


def _owner(el: etree._Element, owners: dict[etree._Element, Item | None]) -> Item | None:
    """The innermost scope above ``el``; ``owners`` remembers it for every element climbed through, so the
    elements of one block climb only to the first ancestor a previous climb passed."""
    path: list[etree._Element] = []
    owner: Item | None = None
    for parent in el.iterancestors():
        if parent in owners:
            owner = owners[parent]
            break
        path.append(parent)
    for parent in path:
        owners[parent] = owner
    return owner


def read_microdata(doc: Document) -> tuple[list[Item], dict[str, list[Value]]]:
    """Top-level microdata items, and the properties that belong to no item (``itemprop`` outside any scope,
    often because the page lost or never wrote the enclosing ``itemscope``).

    An ``itemscope`` that is itself an ``itemprop`` is nested (a Person as director, a Review inside a Movie),
    even when the page lost the enclosing scope: such items never describe the page itself.
    """
    top: list[Item] = []
    orphans: dict[str, list[Value]] = {}
    # an element -> the innermost scope at or above it; an element's scopes come before it in document order
    owners: dict[etree._Element, Item | None] = {}
    for el in doc.marked(MICRODATA):
        prop = el.get("itemprop")
        scope: Item | None = None
        if el.get("itemscope") is not None:
            scope = Item(types=_item_types(el.get("itemtype") or ""), syntax="microdata", nested=prop is not None,
                         id=el.get("itemid"))
            owners[el] = scope
            if prop is None:
                top.append(scope)
        names = prop.split() if prop is not None else ()
        if not names:
            continue
        value: Value = scope if scope is not None else _value(el)
        if value == "":
            continue
        owner = _owner(el, owners)
        props = owner.props if owner is not None else orphans
        for name in names:
            props.setdefault(local_name(name), []).append(value)
    return top, orphans
