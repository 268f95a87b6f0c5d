"""The attribute-scan fast path finds the same elements, in the same order, as the per-element query."""

from __future__ import annotations

import lxml.html
from lxml import etree

from filmscrape.extract.marked import MAX_MARKS, marked_elements, marks_query

MARKS = marks_query("//@itemscope", "//@itemprop")
ELEMENTS = etree.XPath("/descendant::*[@itemscope or @itemprop]")


def _page(items: int) -> lxml.html.HtmlElement:
    card = ('<div class="card" itemscope itemtype="https://schema.org/Movie"><h3 itemprop="name">Heat</h3>'
            '<span>1995</span><a itemprop="director" href="/p/1">Michael Mann</a></div>')
    return lxml.html.document_fromstring(
        f"<html><body><nav><a href='/'>Home</a></nav><main>{card * items}</main>"
        "<footer itemprop='publisher'>Films Weekly</footer></body></html>")


def _same(found: list[lxml.html.HtmlElement], expected: list[lxml.html.HtmlElement]) -> bool:
    return len(found) == len(expected) and all(a is b for a, b in zip(found, expected, strict=True))


def test_an_element_with_both_attributes_comes_once_in_document_order() -> None:
    root = lxml.html.document_fromstring(
        "<html><body><div itemscope itemprop='review'><p itemprop='name'>A</p></div><p itemprop='x'>B</p>"
        "</body></html>")
    found = marked_elements(root, MARKS, ELEMENTS)
    assert [el.tag for el in found] == ["div", "p", "p"]
    assert _same(found, ELEMENTS(root))


def test_below_the_bound_the_attribute_scan_gives_the_per_element_result() -> None:
    root = _page(MAX_MARKS // 3)
    assert _same(marked_elements(root, MARKS, ELEMENTS), ELEMENTS(root))


def test_past_the_bound_the_per_element_query_gives_every_element() -> None:
    root = _page(MAX_MARKS * 2)
    found = marked_elements(root, MARKS, ELEMENTS)
    assert len(found) == MAX_MARKS * 2 * 3 + 1
    assert _same(found, ELEMENTS(root))
