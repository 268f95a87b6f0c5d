"""The C line walk gives exactly the lines of the pure-Python walk it mirrors, on every page we have."""

from __future__ import annotations

import shutil
import sysconfig
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from filmscrape.extract import lines, native
from filmscrape.extract.document import parse_document

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).resolve().parent.parent / "filmscrape" / "demo"
REALPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages" / "pages"
URL = "https://films.example/film/"
PAGES = sorted([*FIXTURES.rglob("*.htm*"), *DEMO.rglob("*.html"), *REALPAGES.glob("*.html")])

needs_c_walk = pytest.mark.skipif(lines._treewalk is None,
                                  reason="the C line walk is not built (no C compiler at install): nothing to compare")


def both_walks(html: bytes | str) -> tuple[lines.PageLines, lines.PageLines]:
    doc = parse_document(html, URL)
    return lines._walk_python(doc.root, doc.body), lines._walk(doc.root, doc.body)


@needs_c_walk
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_c_walk_reads_every_saved_page_as_the_python_walk_does(page: Path) -> None:
    python, c = both_walks(page.read_bytes())
    assert c.lines == python.lines
    assert all(type(line) is lines.Line for line in c.lines)
    assert [line.block for line in c.lines] == [line.block for line in python.lines]  # the same elements
    assert c.content == python.content


@needs_c_walk
def test_the_real_pages_are_among_the_compared_pages() -> None:
    if not REALPAGES.is_dir():
        pytest.skip(f"{REALPAGES} is absent: only our own fixtures were compared")
    assert sum(page.is_relative_to(REALPAGES) for page in PAGES) >= 40


PIECES = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<span>", "</span>", "<a href='/x'>", "</a>", "<b>", "</b>", "<strong>",
    "<br>", "<h2>", "</h2>", "<h1>", "</h1>", "<ul><li>", "</li>", "<table><tr><td>", "<th>", "<dt>", "<dd>",
    "<nav>", "</nav>", "<aside class='related'>", "</aside>", "<div class='share-bar'>", "<div class='sidebar'>",
    "<div class='sidebar'><article><h2>Kept</h2><p>a</p></article>", "<div class='spoiler-content'>",
    "<details><summary>Spoilers</summary>", "</details>", "<div hidden>", "<span aria-hidden='true'>",
    "<p style='display: none'>", "<p style='color:red'>", "<label>", "</label>", "<legend>", "<script>x=1</script>",
    "<style>p{}</style>", "<!-- note -->", "<?pi x?>", "<template><p>t</p></template>", "<svg><text>s</text></svg>",
    "<footer>", "</footer>", "<body>", "</body>", "<main>", "</main>", "<figure><figcaption>c</figcaption>",
    "&nbsp;", "\u00a0", " ", "\n", "\t", "\u2003", "\u3000", "\u2028", "\u205f", "\x85", "&#x1680;",
    "Der Film", "Runtime: 2 h", "電影", "Ana de Armas", "é", "<span itemscope itemprop='director'>",
    "<a rel='tag' href='/genre/x'>", "<div class='film-genres'>", "<time datetime='2024-01-02'>", "<h1>", "<title>",
])
SOUP = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=80).map("".join)


@needs_c_walk
@settings(max_examples=300, deadline=timedelta(seconds=5), derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(SOUP)
def test_the_c_walk_reads_generated_markup_as_the_python_walk_does(soup: str) -> None:
    python, c = both_walks(f"<html><head><title>t</title></head><body>{soup}</body></html>")
    assert c == python


@needs_c_walk
def test_the_c_walk_collapses_whitespace_as_str_split_does_for_every_character() -> None:
    assert lines._treewalk is not None
    collapse = lines._treewalk.collapse
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue  # surrogates are not text
        text = f" a{chr(code)}b {chr(code)}\t"
        assert collapse(text.encode("utf-8")) == " ".join(text.split()), hex(code)


@needs_c_walk
def test_the_c_walk_stops_each_view_at_max_lines() -> None:
    html = "<html><body>" + "<p>line</p>" * (lines.MAX_LINES + 50) + "</body></html>"
    python, c = both_walks(html)
    assert len(c.lines) == len(python.lines) == lines.MAX_LINES
    assert c == python


@needs_c_walk
def test_the_c_walk_survives_nesting_deeper_than_any_recursion_limit() -> None:
    depth = 5000
    html = "<html><body>" + "<div><span>x" * depth + "</span></div>" * depth + "</body></html>"
    python, c = both_walks(html)
    assert c == python


# -- the body text stream (the dates layer's scan) -------------------------------------------------------------

BODY_TEXT = etree.XPath("/descendant::body/descendant::text()")


def xpath_owner(nodes: list[Any], offset: int) -> Any:
    """The element holding ``offset`` of the newline-joined text nodes, as lxml's smart strings place it."""
    end = 0
    for node in nodes:
        end += len(node) + 1
        if offset < end:
            parent = node.getparent()
            return parent.getparent() if parent is not None and node.is_tail else parent
    return None


@needs_c_walk
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_body_text_stream_holds_what_xpath_reads_and_places_it_alike(page: Path) -> None:
    root = parse_document(page.read_bytes(), URL).root
    nodes = BODY_TEXT(root)
    stream = lines._treewalk.body_text(root)
    assert stream.text == "\n".join(nodes)
    for offset in range(0, len(stream.text) + 2, max(1, len(stream.text) // 200)):
        assert stream.owner(offset) is xpath_owner(nodes, offset)


@needs_c_walk
def test_the_body_text_stream_reads_script_text_and_comment_tails_but_nothing_outside_body() -> None:
    html = ("<html><head><title>Head 1999</title></head><body><p>Posted <b>May 1, 2020</b></p>"
            "<script>var d='2021-01-01'</script><!-- c -->after<?pi x?>tail</body></html>")
    root = parse_document(html, URL).root
    stream = lines._treewalk.body_text(root)
    assert stream.text == "Posted \nMay 1, 2020\nvar d='2021-01-01'\nafter\ntail"
    assert stream.owner(stream.text.index("May")).tag == "b"
    assert stream.owner(stream.text.index("after")).tag == "body"
    assert stream.owner(len(stream.text) + 5) is None


@needs_c_walk
@pytest.mark.parametrize("page", [p for p in PAGES if p.is_relative_to(FIXTURES)][:12], ids=lambda p: p.name)
def test_an_install_without_the_c_walk_extracts_the_same_record(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filmscrape.extract import document, extract, marked

    with_c = extract(page.read_bytes(), URL)
    for module in (lines, document, marked):  # every user of native.treewalk, as where nothing was compiled
        monkeypatch.setattr(module, "_treewalk", None)
    assert extract(page.read_bytes(), URL) == with_c


def test_the_c_walk_is_built_and_loads_where_the_machine_has_a_c_compiler() -> None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}) here: extraction uses the pure-Python walk")
    assert native.treewalk is not None, "the install did not build or cannot load _treewalk: see its log"


@needs_c_walk
@pytest.mark.parametrize("page", PAGES[::4], ids=lambda p: p.name)
def test_text_lines_of_any_element_read_in_c_match_the_python_reference(page: Path) -> None:
    root = parse_document(page.read_bytes(), URL).root
    for el in list(root.iter("td", "dd", "div", "section", "li", "h1", "h2", "script", "a"))[:150]:
        assert lines.text_lines(el) == lines._text_lines_python(el)


@needs_c_walk
@pytest.mark.parametrize("page", PAGES[::3], ids=lambda p: p.name)
def test_one_scan_of_a_page_finds_what_a_pass_per_question_finds(page: Path) -> None:
    from filmscrape.extract.document import INDEXED_TAGS
    from filmscrape.extract.marked import PAGE_MARKS

    doc = parse_document(page.read_bytes(), URL)
    for tag in INDEXED_TAGS:
        assert doc.elements(tag) == list(doc.root.iter(tag))
    for marks in PAGE_MARKS:
        assert doc.marked(marks) == marks.elements(doc.root)
    stream, alone = doc.text_stream(), lines._treewalk.body_text(doc.root)
    assert stream.text == alone.text
    assert [stream.owner(i) for i in range(0, len(alone.text), 97)] == [
        alone.owner(i) for i in range(0, len(alone.text), 97)]

