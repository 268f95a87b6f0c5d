"""Splits a parsed page into its visible text lines at block boundaries, for the text-reading layers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

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
_WS = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass(frozen=True)
class Line:
    """One visible line of text, with the block element it sits in and its position in the page."""

    text: str
    block: lxml.html.HtmlElement
    index: int


def is_hidden(el: lxml.html.HtmlElement) -> bool:
    """True for elements the page hides from readers (hidden attribute, aria-hidden, display:none)."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN.search(style))


def text_lines(root: lxml.html.HtmlElement) -> list[Line]:
    """The page's visible text as lines, in document order; one iterative walk (lxml's iterwalk, skipping
    script/style and hidden subtrees whole), so deep nesting cannot overflow and big pages stay cheap."""
    lines: list[Line] = []
    buf: list[str] = []
    blocks: list[lxml.html.HtmlElement] = [root]

    def flush() -> None:
        if buf:
            text = " ".join("".join(buf).split())
            buf.clear()
            if text:
                lines.append(Line(text, blocks[-1], len(lines)))

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
                flush()
                if tag != "br":
                    blocks.append(el)
            if el.text:
                buf.append(el.text)
            continue
        if event == "end":
            if skipped:
                skipped = False
            elif el.tag in BLOCK_TAGS:
                flush()
                if len(blocks) > 1 and blocks[-1] is el:
                    blocks.pop()
            if el is root:
                continue
        if el.tail:
            buf.append(el.tail)
    flush()
    return lines


def element_text(el: lxml.html.HtmlElement) -> str:
    """An element's visible text on one line (scripts, styles and hidden parts left out)."""
    if len(el) == 0:
        return _WS.sub(" ", el.text or "").strip()
    return " ".join(line.text for line in text_lines(el))
