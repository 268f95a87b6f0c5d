"""Splits a parsed page into lines at block boundaries, in one walk: all visible lines, and the content view."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import lxml.html
from lxml import etree

from filmscrape.extract.boilerplate import CHROME, SPOILER, classify_marks, holds_article
from filmscrape.extract.boilerplate import SKIP_TAGS as CONTENT_SKIP_TAGS
from filmscrape.extract.boilerplate import is_hidden as content_hidden
from filmscrape.extract.document import Document
from filmscrape.extract.native import treewalk as _treewalk

# Elements whose text is never page content.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "head", "select", "option", "textarea", "button",
    "iframe", "object", "embed", "canvas", "math",
})
# Elements that start a new line of text.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "title",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MAX_LINES = 20_000
"""Lines read per page (or element) at most: a real article has a few hundred, and a flood of tags would
otherwise cost time and memory for text no layer reads."""
_WS = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# What the content view (sections) treats as blocks: its lines end there and paragraphs (groups) change.
CONTENT_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "form", "header", "hr", "html", "legend", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "hgroup",
})
# Skipped elements that still end the content view's line (a skipped <table> between two text runs).
_BLOCKISH_SKIPS = frozenset({"nav", "aside", "footer", "dialog", "menu", "select", "textarea", "iframe", "object",
                             "video", "audio", "canvas", "svg", "math", "figure", "table", "form"})
_CONTENT_BREAKS = CONTENT_BLOCK_TAGS | _BLOCKISH_SKIPS
_HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOLD_TAGS = frozenset({"b", "strong"})
_LABEL_TAGS = frozenset({"label", "legend"})


class Line(NamedTuple):
    """One visible line of text, with the block element it sits in and its position in the page.

    A named tuple rather than a frozen dataclass: pages have hundreds of lines, and building these costs a
    third as much."""

    text: str
    block: lxml.html.HtmlElement
    index: int  # type: ignore[assignment]  # shadows tuple.index(), which no caller wants from a Line


class ContentLine(NamedTuple):
    """One line of the page's content view (body, chrome left out): a block, or part of one between ``<br>``.

    A named tuple, as ``Line`` is: the C walk builds one per line without running Python code."""

    text: str
    level: int             # heading level 1-6, 0 for text
    weight: int            # length in UTF-8 bytes: CJK text weighs what its meaning weighs
    link_chars: int
    bold_chars: int
    group: int             # lines of one block element share a group
    spoiler_markup: bool   # inside spoiler-tagged markup (class/id, <details> with a spoiler summary)
    in_label: bool         # inside a form label or legend
    links: tuple[str, ...] = ()

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass(frozen=True)
class PageLines:
    """Both line views of one page, read in a single walk of its tree."""

    lines: list[Line]
    """Every visible line (chrome included: fact boxes often sit in sidebars), for the text-reading layers."""
    content: list[ContentLine]
    """The body's lines without chrome (nav, ads, share bars, hidden parts), with heading, link, bold and
    spoiler marks, for the sections layer."""


def is_hidden(el: lxml.html.HtmlElement) -> bool:
    """True for elements the page hides from readers (hidden attribute, aria-hidden, display:none)."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN.search(style))


def page_lines(doc: Document) -> PageLines:
    """The page's text and content lines; walked once per document and shared through ``doc.memo``."""
    cached = doc.memo.get("lines")
    if isinstance(cached, PageLines):
        return cached
    result = _walk(doc.root, doc.body)
    doc.memo["lines"] = result
    return result


def text_lines(root: lxml.html.HtmlElement) -> list[Line]:
    """The visible text under ``root`` as lines, in document order; one iterative walk (lxml's iterwalk,
    skipping script/style and hidden subtrees whole), so deep nesting cannot overflow. For a whole page use
    ``page_lines(doc).lines``, which is the same list computed once per document."""
    if _treewalk is not None:
        lines: list[Line] = _treewalk.walk(root, None, _WALK_CONFIG)[0]
        return lines
    return _text_lines_python(root)


def _text_lines_python(root: lxml.html.HtmlElement) -> list[Line]:
    """``text_lines`` in Python: the reference the C walk's text view is tested against."""
    lines: list[Line] = []
    buf: list[str] = []
    blocks: list[lxml.html.HtmlElement] = [root]
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    skipped = False  # the next "end" event closes a subtree that was skipped
    for event, el in walker:
        if event == "start":
            tag = el.tag
            if tag in SKIP_TAGS or (el.keys() and is_hidden(el)):
                walker.skip_subtree()
                skipped = True
                continue
            if tag in BLOCK_TAGS:
                if buf:
                    _flush_text(buf, lines, blocks[-1])
                    if len(lines) >= MAX_LINES:
                        return lines
                if tag != "br":
                    blocks.append(el)
            text = el.text
            if text and (buf or not text.isspace()):  # leading whitespace would be dropped on flush
                buf.append(text)
            continue
        if event == "end":
            if skipped:
                skipped = False
            elif el.tag in BLOCK_TAGS:
                if buf:
                    _flush_text(buf, lines, blocks[-1])
                    if len(lines) >= MAX_LINES:
                        return lines
                if len(blocks) > 1 and blocks[-1] is el:
                    blocks.pop()
            if el is root:
                continue
        tail = el.tail
        if tail and (buf or not tail.isspace()):
            buf.append(tail)
    if buf:
        _flush_text(buf, lines, blocks[-1])
    return lines


def short_text(el: lxml.html.HtmlElement, max_chars: int, max_elements: int = 200) -> str | None:
    """``element_text(el)`` for an element expected to hold a short text (a heading, a label); None as soon
    as its visible text passes ``max_chars`` or its subtree ``max_elements`` visible elements.

    Bounded per element, so reading every heading of a page stays linear even where unclosed headings
    nest thousands deep (each one's subtree is the rest of the page).
    """
    if len(el) == 0:
        own = _WS.sub(" ", el.text or "").strip()
        return own if len(own) <= max_chars else None
    lines: list[Line] = []
    buf: list[str] = []
    chars = elements = 0  # visible non-space characters and elements so far
    walker = etree.iterwalk(el, events=("start", "end", "comment", "pi"))
    skipped = False
    text: str | None
    for event, node in walker:
        if event == "start":
            tag = node.tag
            if tag in SKIP_TAGS or (node.keys() and is_hidden(node)):
                walker.skip_subtree()
                skipped = True
                continue
            elements += 1
            if elements > max_elements:
                return None
            if tag in BLOCK_TAGS and buf:
                _flush_text(buf, lines, el)
            text = node.text
        elif event == "end":
            if skipped:
                skipped = False
            elif node.tag in BLOCK_TAGS and buf:
                _flush_text(buf, lines, el)
            text = node.tail if node is not el else None
        else:
            text = node.tail
        if text and (buf or not text.isspace()):  # leading whitespace would be dropped on flush
            buf.append(text)
            chars += len("".join(text.split()))  # every non-space character ends up in the joined text
            if chars > max_chars:
                return None
    if buf:
        _flush_text(buf, lines, el)
    joined = " ".join(line.text for line in lines)
    return joined if len(joined) <= max_chars else None


def _flush_text(buf: list[str], lines: list[Line], block: lxml.html.HtmlElement) -> None:
    text = " ".join("".join(buf).split())
    buf.clear()
    if text:
        lines.append(Line(text, block, len(lines)))


def element_text(el: lxml.html.HtmlElement) -> str:
    """An element's visible text on one line (scripts, styles and hidden parts left out)."""
    if len(el) == 0:
        return _WS.sub(" ", el.text or "").strip()
    return " ".join(line.text for line in text_lines(el))


def _walk(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> PageLines:
    """Both views of the page: walked in C by ``_treewalk`` where it is built, else by ``_walk_python``."""
    if _treewalk is None:
        return _walk_python(root, body)
    lines, content = _treewalk.walk(root, body, _WALK_CONFIG)
    return PageLines(lines=lines, content=content)


def _walk_python(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> PageLines:
    """One iterative walk producing both views (no recursion: 10,000-deep pages are fine).

    Each view has its own line buffer and its own "left out" subtree (``t_off``/``c_off``, the element whose
    end event resumes it); the walk skips a subtree only when both views leave it out. Written for speed, as
    every page pays for it: local state only, attributes read only when present.
    """
    # The text view: every visible line, as text_lines() reads it.
    lines: list[Line] = []
    buf: list[str] = []
    blocks: list[lxml.html.HtmlElement] = [root]
    t_off: Any = None
    t_done = False
    # The content view: the body without chrome, as the sections layer reads it.
    content: list[ContentLine] = []
    parts: list[str] = []
    links: list[str] = []
    link_starts: list[int] = []
    spoiler_stack: list[Any] = []
    link_chars = bold_chars = 0
    # Whitespace-only text while a line is still empty (indentation between tags) is not buffered, only
    # counted: the line's text drops it anyway, and a whitespace-only line was most of emit()'s calls. Its
    # length still enters the raw length that link/bold counts are scaled by, as when it was buffered.
    lead = 0
    group = heading = link_depth = bold_depth = label_depth = 0
    open_group = False  # a line went into the current group since the last block boundary
    c_state = 0  # 0 before <body>, 1 reading it, 2 done
    c_off: Any = None
    c_full = False  # the content view reached MAX_LINES

    def flush(new_group: bool = True) -> None:
        """End the content line; at a block boundary (not a ``<br>``) also end its group (paragraph)."""
        nonlocal group, open_group, lead
        if parts:
            emit()
        lead = 0
        if new_group and open_group:
            group += 1
            open_group = False

    def emit() -> None:
        nonlocal open_group, link_chars, bold_chars, links, link_starts, c_full
        raw = "".join(parts)
        parts.clear()
        if link_starts:
            link_starts = [0] * len(link_starts)
        text = " ".join(raw.split())
        if text:
            size = len(text)
            if link_chars or bold_chars:  # counts were taken on the raw text; scale them to the collapsed
                scale = size / (len(raw) + lead)
                links_in = min(size, round(link_chars * scale))
                bold_in = min(size, round(bold_chars * scale))
            else:
                links_in = bold_in = 0
            content.append(ContentLine(  # positional: text, level, weight, link/bold chars, group, marks, links
                text, heading, size if text.isascii() else len(text.encode("utf-8")), links_in, bold_in,
                group, bool(spoiler_stack), bool(label_depth), tuple(links) if links else (),
            ))
            open_group = True
            c_full = len(content) >= MAX_LINES
        link_chars = bold_chars = 0
        if links:
            links = []

    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if c_full and c_state == 1:
            flush()  # no article is this long: the rest is a chart, a dump or an attack
            c_state = 2
        t_in = t_off is None
        if event == "start":
            tag = el.tag
            if el is body:
                c_state = 1
            c_in = c_state == 1 and c_off is None
            keys = el.keys() if t_in or c_in else None
            if t_in and (tag in SKIP_TAGS or (keys and ("hidden" in keys or "aria-hidden" in keys or "style" in keys)
                                               and is_hidden(el))):
                t_off = el
                t_in = False
            verdict = 0
            if c_in:
                if tag in CONTENT_SKIP_TAGS:
                    c_off = el
                    c_in = False
                    if tag in _BLOCKISH_SKIPS:
                        flush()
                elif keys:
                    if "class" in keys or "id" in keys:
                        verdict = classify_marks(tag, f"{el.get('class') or ''} {el.get('id') or ''}")
                        if verdict == CHROME and holds_article(el):
                            verdict = 0
                    if verdict == 0 and ("hidden" in keys or "aria-hidden" in keys or "style" in keys) and \
                            content_hidden(el.get("style"), el.get("hidden"), el.get("aria-hidden")):
                        verdict = CHROME
                    if verdict == CHROME:
                        c_off = el
                        c_in = False
                        if tag in _CONTENT_BREAKS:
                            flush()
            if not t_in and not c_in:
                walker.skip_subtree()
                continue
            text = el.text
            if t_in:
                if tag in BLOCK_TAGS:
                    if buf:
                        _flush_text(buf, lines, blocks[-1])
                        if len(lines) >= MAX_LINES:  # the text view is done: root never ends inside the walk
                            t_off, t_done, t_in = root, True, False
                    if t_in and tag != "br":
                        blocks.append(el)
                # whitespace-only text at a line's start is not buffered: flushing drops it anyway
                if t_in and text and (buf or not text.isspace()):
                    buf.append(text)
            if not c_in:
                continue
            if tag in CONTENT_BLOCK_TAGS:
                if parts or open_group or lead:  # most block boundaries have nothing to end: no call
                    flush()
                if tag == "details" and verdict != SPOILER:
                    summary = el.find("summary")
                    if summary is not None and "spoil" in summary.text_content().lower():
                        verdict = SPOILER
            elif tag == "a":
                link_depth += 1
                link_starts.append(len(parts))
            elif tag in _HEADING_LEVELS:
                flush()
                heading = _HEADING_LEVELS[tag]
            elif tag == "br":
                if heading:
                    parts.append(" ")  # a line break inside a heading does not split it
                else:
                    flush(new_group=False)
            elif tag in _BOLD_TAGS:
                bold_depth += 1
            elif tag in _LABEL_TAGS:
                label_depth += 1
            if verdict == SPOILER:
                spoiler_stack.append(el)
            if text:
                if parts or link_depth or not text.isspace():
                    parts.append(text)
                    if link_depth:
                        link_chars += len(text)
                    if bold_depth and not text.isspace():
                        bold_chars += len(text)
                else:
                    lead += len(text)
        elif event == "end":
            tag = el.tag
            text = el.tail
            # the text view
            if t_off is el and not t_done:
                t_off = None
                t_in = True
            elif t_in and tag in BLOCK_TAGS:
                if buf:
                    _flush_text(buf, lines, blocks[-1])
                    if len(lines) >= MAX_LINES:
                        t_off, t_done, t_in = root, True, False
                if len(blocks) > 1 and blocks[-1] is el:
                    blocks.pop()
            if t_in and text and el is not root and (buf or not text.isspace()):
                buf.append(text)
            # the content view
            if c_state != 1:
                continue
            if c_off is el:
                c_off = None
                if tag in _CONTENT_BREAKS:
                    flush()
            elif c_off is not None:
                continue
            elif tag in CONTENT_BLOCK_TAGS:
                if parts or open_group or lead:
                    flush()
            elif tag == "a":
                link_depth -= 1
                begin = link_starts.pop() if link_starts else 0
                anchor = " ".join("".join(parts[begin:]).split())
                if anchor:
                    links.append(anchor)
            elif tag in _HEADING_LEVELS:
                flush()
                heading = 0
            elif tag in _BOLD_TAGS:
                bold_depth -= 1
            elif tag in _LABEL_TAGS:
                label_depth -= 1
            if spoiler_stack and spoiler_stack[-1] is el:
                spoiler_stack.pop()
            if text:
                if parts or link_depth or not text.isspace():
                    parts.append(text)
                    if link_depth:
                        link_chars += len(text)
                    if bold_depth and not text.isspace():
                        bold_chars += len(text)
                else:
                    lead += len(text)
            if el is body:
                flush()
                c_state = 2
        else:  # a comment or processing instruction: only its tail is text
            text = el.tail
            if not text:
                continue
            if t_in and (buf or not text.isspace()):
                buf.append(text)
            if event == "comment" and c_state == 1 and c_off is None:
                if parts or link_depth or not text.isspace():
                    parts.append(text)
                    if link_depth:
                        link_chars += len(text)
                    if bold_depth and not text.isspace():
                        bold_chars += len(text)
                else:
                    lead += len(text)
    if buf and not t_done:
        _flush_text(buf, lines, blocks[-1])
    if c_state == 1:
        flush()
    return PageLines(lines=lines, content=content)


_WALK_CONFIG = (
    SKIP_TAGS, BLOCK_TAGS, CONTENT_SKIP_TAGS, _BLOCKISH_SKIPS, _CONTENT_BREAKS, CONTENT_BLOCK_TAGS, _HEADING_LEVELS,
    _BOLD_TAGS, _LABEL_TAGS, Line, ContentLine, classify_marks, holds_article, content_hidden, _HIDDEN.search,
    CHROME, SPOILER, MAX_LINES,
)
"""What ``_treewalk.walk`` reads the page by: this module's tag sets, line classes and the boilerplate rules."""
