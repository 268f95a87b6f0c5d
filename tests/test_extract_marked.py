"""Marked elements: the C scan and the attribute-XPath path find what the per-element query finds, in its order."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from filmscrape.extract.document import parse_document
from filmscrape.extract.marked import MAX_MARKS, Marks, marked_by_xpath, marked_elements
from filmscrape.extract.native import treewalk

MICRODATA = Marks(("itemscope", "itemprop"))
GENRES = Marks(("class", "id"), contains="enre")
PAGES = sorted([*(Path(__file__).parent / "fixtures").rglob("*.htm*"),
                *(Path(__file__).resolve().parent.parent.parent / "shared" / "realpages" / "pages").glob("*.html")])


def _page(items: int) -> lxml.html.HtmlElement:
    card = ('<div class="card" itemscope itemtype="https://schema.org/Movie"><h3 itemprop="name">Heat</h3>'
            '<span class="genre">Crime</span><a itemprop="director" href="/p/1">Michael Mann</a></div>')
    return lxml.html.document_fromstring(
        f"<html><body><nav><a href='/'>Home</a></nav><main>{card * items}</main>"
        "<footer itemprop='publisher'>Films Weekly</footer></body></html>")


def _same(found: list[lxml.html.HtmlElement], expected: list[lxml.html.HtmlElement]) -> bool:
    return len(found) == len(expected) and all(a is b for a, b in zip(found, expected, strict=True))


@pytest.mark.parametrize("find", [marked_elements, marked_by_xpath], ids=["default", "xpath"])
def test_an_element_with_both_attributes_comes_once_in_document_order(find: object) -> None:
    root = lxml.html.document_fromstring(
        "<html><head><meta itemprop='name' content='A'></head><body><div itemscope itemprop='review'>"
        "<p itemprop='name'>A</p></div><p itemprop='x'>B</p><p data-itemprop='no'>C</p></body></html>")
    found = find(root, MICRODATA)  # type: ignore[operator]
    assert [el.tag for el in found] == ["meta", "div", "p", "p"]
    assert _same(found, MICRODATA.elements(root))


def test_an_attribute_value_must_contain_the_text_when_one_is_given() -> None:
    root = lxml.html.document_fromstring(
        "<html><body><div class='film-genres'>a</div><div id='Genre'>b</div><div class='tags'>c</div>"
        "<div title='genre'>d</div><p id='x' class='subgenre'>e</p></body></html>")
    found = marked_elements(root, GENRES)
    assert [el.text for el in found] == ["a", "b", "e"]
    assert _same(found, GENRES.elements(root))


def test_below_the_bound_the_attribute_scan_gives_the_per_element_result() -> None:
    root = _page(MAX_MARKS // 3)
    assert _same(marked_by_xpath(root, MICRODATA), MICRODATA.elements(root))


def test_past_the_bound_the_per_element_query_gives_every_element() -> None:
    root = _page(MAX_MARKS * 2)
    for find in (marked_elements, marked_by_xpath):
        found = find(root, MICRODATA)
        assert len(found) == MAX_MARKS * 2 * 3 + 1
        assert _same(found, MICRODATA.elements(root))


@pytest.mark.skipif(treewalk is None, reason="the C walk is not built (no C compiler at install): nothing to compare")
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_c_scan_finds_what_the_per_element_query_finds_on_every_saved_page(page: Path) -> None:
    root = parse_document(page.read_bytes(), "https://films.example/").root
    for marks in (MICRODATA, GENRES):
        assert _same(marked_elements(root, marks), marks.elements(root))


def test_a_query_reads_one_or_two_names() -> None:
    with pytest.raises(ValueError, match="one or two"):
        Marks(("a", "b", "c"))
