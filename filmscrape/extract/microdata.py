"""Reads HTML microdata (itemscope / itemtype / itemprop) into schema.org items, from the shared lxml tree."""

from __future__ import annotations

from lxml import etree

from filmscrape.extract.marked import Marks, marked_elements
from filmscrape.extract.schemaorg import Item, Value, local_name

_MARKS = Marks(("itemscope", "itemprop"))
_URL_ATTR = {
    "a": "href", "area": "href", "link": "href", "audio": "src", "embed": "src", "iframe": "src", "img": "src",
    "source": "src", "track": "src", "video": "src", "object": "data",
}
_MAX_TEXT = 2000


def _value(el: etree._Element) -> str:
    """The microdata value of a property element (HTML spec: content, URL attributes, datetime, value, text)."""
    content: str | None = el.get("content")
    if content is not None:
        return content.strip()
    tag = el.tag if isinstance(el.tag, str) else ""
    attr = _URL_ATTR.get(tag)
    if attr is not None and el.get(attr) is not None:
        return (el.get(attr) or "").strip()
    if tag in ("data", "meter") and el.get("value") is not None:
        return (el.get("value") or "").strip()
    if tag == "time" and el.get("datetime"):
        return (el.get("datetime") or "").strip()
    if tag == "meta" and el.get("value") is not None:  # some fixture tools rewrite content= as value=
        return (el.get("value") or "").strip()
    return " ".join("".join(el.itertext()).split())[:_MAX_TEXT]


def _owner(el: etree._Element, scopes: dict[etree._Element, Item]) -> Item | None:
    parent = el.getparent()
    while parent is not None:
        item = scopes.get(parent)
        if item is not None:
            return item
        parent = parent.getparent()
    return None


def read_microdata(root: etree._Element) -> tuple[list[Item], dict[str, list[Value]]]:
    """Top-level microdata items, and the properties that belong to no item (``itemprop`` outside any scope,
    often because the page lost or never wrote the enclosing ``itemscope``).

    An ``itemscope`` that is itself an ``itemprop`` is nested (a Person as director, a Review inside a Movie),
    even when the page lost the enclosing scope: such items never describe the page itself.
    """
    marked = marked_elements(root, _MARKS)
    scopes: dict[etree._Element, Item] = {}
    for el in marked:
        if el.get("itemscope") is None:
            continue
        types = frozenset(local_name(t) for t in (el.get("itemtype") or "").split())
        scopes[el] = Item(types=types, syntax="microdata", nested=el.get("itemprop") is not None,
                          id=el.get("itemid"))
    orphans: dict[str, list[Value]] = {}
    for el in marked:
        names = (el.get("itemprop") or "").split()
        if not names:
            continue
        owner = _owner(el, scopes)
        value: Value = scopes[el] if el in scopes else _value(el)
        if value == "":
            continue
        for name in names:
            name = local_name(name)
            if owner is not None:
                owner.props.setdefault(name, []).append(value)
            else:
                orphans.setdefault(name, []).append(value)
    return [item for item in scopes.values() if not item.nested], orphans
