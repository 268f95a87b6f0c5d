"""Finds the elements that carry given attributes, in document order: in C where built, else by attribute XPath."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from filmscrape.extract.native import treewalk as _treewalk

MAX_MARKS = 200
"""Attributes read per query at most: libxml2 de-duplicates a union (and a parent step) by comparing every pair
of nodes, so unbounded attribute queries would be quadratic on a page with many marked elements."""


@dataclass(frozen=True)
class Marks:
    """Elements with an attribute named in ``names`` (one or two), or, with ``contains``, one whose value
    contains that text: ``/descendant::*[@a or @b]`` or ``/descendant::*[contains(@a, 'x') or contains(@b, 'x')]``."""

    names: tuple[str, ...]
    contains: str | None = None
    elements: etree.XPath = field(init=False, repr=False, compare=False)
    """The selection written per element: the reference, and the path past the attribute scan's bound."""
    scan: etree.XPath = field(init=False, repr=False, compare=False)
    """The first ``MAX_MARKS`` matching attribute nodes of each name, in document order (the fast XPath)."""

    def __post_init__(self) -> None:
        if not 1 <= len(self.names) <= 2:
            raise ValueError("Marks reads one or two attribute names")
        if self.contains is not None and "'" in self.contains:
            raise ValueError("Marks.contains cannot hold an apostrophe (it is written into an XPath literal)")
        tests = [f"contains(@{n}, '{self.contains}')" if self.contains is not None else f"@{n}" for n in self.names]
        paths = [f"//@{n}[contains(., '{self.contains}')]" if self.contains is not None else f"//@{n}"
                 for n in self.names]
        object.__setattr__(self, "elements", etree.XPath(f"/descendant::*[{' or '.join(tests)}]"))
        object.__setattr__(self, "scan", etree.XPath(
            " | ".join(f"({path})[position() <= {MAX_MARKS}]" for path in paths)))


GENRE_BOXES = Marks(("class", "id"), contains="enre")
"""Elements whose class or id may name a genre box (the genres layer reads ``genre`` case-insensitively)."""
TAG_RELS = Marks(("rel",), contains="tag")
"""rel="tag" links and the like: few per page; the genres layer tests the rest in Python."""
MICRODATA = Marks(("itemscope", "itemprop"))
"""The elements of a page's microdata."""
PAGE_MARKS = (GENRE_BOXES, TAG_RELS, MICRODATA)
"""The queries a page's one scan answers (``Document.marked``): every other query walks the page on its own."""


def marked_elements(root: Any, marks: Marks) -> list[Any]:
    """The elements holding ``marks``' attributes, in document order, each once, as ``marks.elements`` selects
    them; one C pass over the elements' attributes when the compiled walk is built (~10x faster)."""
    if _treewalk is not None:
        needle = marks.contains.encode("utf-8") if marks.contains is not None else None
        found: list[Any] = _treewalk.marked(root, marks.names, needle)
        return found
    return marked_by_xpath(root, marks)


def marked_by_xpath(root: Any, marks: Marks) -> list[Any]:
    """``marked_elements`` without the compiled walk: attribute scans are the fast path; where a name reached
    its bound, ``marks.elements`` runs instead, so the result never depends on the bound."""
    found: list[Any] = []
    counts: dict[str, int] = {}
    for attr in marks.scan(root):
        name = attr.attrname
        counts[name] = counts.get(name, 0) + 1
        owner = attr.getparent()
        if owner is not None and (not found or found[-1] is not owner):  # an element's attributes are adjacent
            found.append(owner)
    if any(count >= MAX_MARKS for count in counts.values()):
        return list(marks.elements(root))
    return found
