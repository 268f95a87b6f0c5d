# cython: language_level=3, boundscheck=False, wraparound=False
"""The line walk of ``lines.py`` over libxml2's nodes in C: the same two views, without a proxy per element.

``lines._walk_python`` is the reference: this module mirrors it event for event (start, end, comment and
PI events in document order, ``text``/``tail`` read as lxml reads them) and the tests compare the two on
every fixture and on generated pages. Python objects are made only where the views need them: one string
per text run, a proxy for each block element a line belongs to, and the rare element a rule inspects
(``holds_article``, a ``<details>`` summary).
"""

import builtins

from libc.stdlib cimport free, realloc
from lxml.includes cimport tree
from lxml.includes.tree cimport const_xmlChar, xmlNode
cimport lxml.includes.etreepublic as cetree

cetree.import_lxml__etree()

_round = builtins.round  # Python's rounding (half to even), not C's

cdef tree.xmlElementType _ELEMENT = tree.XML_ELEMENT_NODE
cdef tree.xmlElementType _PI = tree.XML_PI_NODE
cdef tree.xmlElementType _COMMENT = tree.XML_COMMENT_NODE


cdef inline bint _walked(xmlNode* c) noexcept:
    """Nodes lxml's iterwalk reports with events=("start", "end", "comment", "pi")."""
    return c.type == _ELEMENT or c.type == _COMMENT or c.type == _PI


cdef inline xmlNode* _first_child(xmlNode* c) noexcept:
    cdef xmlNode* child = c.children
    while child is not NULL and not _walked(child):
        child = child.next
    return child


cdef inline xmlNode* _next_sibling(xmlNode* c) noexcept:
    cdef xmlNode* nxt = c.next
    while nxt is not NULL and not _walked(nxt):
        nxt = nxt.next
    return nxt


cdef inline object _attr(xmlNode* c, const char* name):
    return cetree.attributeValueFromNsName(c, NULL, <const_xmlChar*>name)


cdef class _NodeStack:
    """A growable stack of libxml2 nodes (the walk's block and spoiler stacks)."""

    cdef xmlNode** items
    cdef Py_ssize_t size, capacity

    def __dealloc__(self):
        free(self.items)

    cdef int push(self, xmlNode* node) except -1:
        cdef xmlNode** grown
        if self.size == self.capacity:
            self.capacity = self.capacity * 2 if self.capacity else 64
            grown = <xmlNode**>realloc(self.items, self.capacity * sizeof(xmlNode*))
            if grown is NULL:
                raise MemoryError()
            self.items = grown
        self.items[self.size] = node
        self.size += 1
        return 0

    cdef inline xmlNode* top(self) noexcept:
        return self.items[self.size - 1] if self.size else NULL


cdef class _Walk:
    """One page's walk: the state of both views, as local variables are in ``lines._walk_python``."""

    # configuration (lines.py's tag sets and the boilerplate rules)
    cdef object skip_tags, block_tags, content_skip_tags, blockish_skips, content_breaks, content_block_tags
    cdef object heading_levels, bold_tags, label_tags
    cdef object line_cls, content_line_cls, classify_marks, holds_article, content_hidden, hidden_style
    cdef int chrome, spoiler, max_lines
    cdef cetree._Document doc
    cdef xmlNode* root
    cdef xmlNode* body
    # the text view
    cdef list lines, buf
    cdef _NodeStack blocks
    cdef xmlNode* t_off
    cdef bint t_done, t_in
    # the content view
    cdef list content, parts, links, link_starts
    cdef _NodeStack spoilers
    cdef Py_ssize_t link_chars, bold_chars, lead
    cdef int group, heading, link_depth, bold_depth, label_depth, c_state
    cdef bint open_group, c_full
    cdef xmlNode* c_off

    def __cinit__(self):
        self.blocks = _NodeStack()
        self.spoilers = _NodeStack()

    # -- the text view ----------------------------------------------------------------------------------------

    cdef int flush_text(self) except -1:
        text = " ".join("".join(self.buf).split())
        self.buf.clear()
        if text:
            block = cetree.elementFactory(self.doc, self.blocks.top())
            self.lines.append(self.line_cls(text, block, len(self.lines)))
        return 0

    cdef int end_text_block(self) except -1:
        """A block boundary in the text view: flush the line; the view ends at ``max_lines``."""
        if self.buf:
            self.flush_text()
            if len(self.lines) >= self.max_lines:  # the text view is done: the root never ends inside the walk
                self.t_off = self.root
                self.t_done = True
                self.t_in = False
        return 0

    # -- the content view -------------------------------------------------------------------------------------

    cdef int flush(self, bint new_group=True) except -1:
        if self.parts:
            self.emit()
        self.lead = 0
        if new_group and self.open_group:
            self.group += 1
            self.open_group = False
        return 0

    cdef int emit(self) except -1:
        cdef Py_ssize_t size
        cdef object scale, links_in, bold_in
        raw = "".join(self.parts)
        self.parts.clear()
        if self.link_starts:
            self.link_starts = [0] * len(self.link_starts)
        text = " ".join(raw.split())
        if text:
            size = len(text)
            if self.link_chars or self.bold_chars:  # counts were taken on the raw text; scale to the collapsed
                scale = <object>size / <object>(len(raw) + self.lead)
                links_in = min(size, _round(<object>self.link_chars * scale))
                bold_in = min(size, _round(<object>self.bold_chars * scale))
            else:
                links_in = bold_in = 0
            weight = size if text.isascii() else len(text.encode("utf-8"))
            self.content.append(self.content_line_cls(
                text, self.heading, weight, links_in, bold_in, self.group, self.spoilers.size != 0,
                self.label_depth != 0, tuple(self.links) if self.links else (),
            ))
            self.open_group = True
            self.c_full = len(self.content) >= self.max_lines
        self.link_chars = self.bold_chars = 0
        if self.links:
            self.links = []
        return 0

    cdef int content_text(self, text) except -1:
        if self.parts or self.link_depth or not text.isspace():
            self.parts.append(text)
            if self.link_depth:
                self.link_chars += len(text)
            if self.bold_depth and not text.isspace():
                self.bold_chars += len(text)
        else:
            self.lead += len(text)
        return 0

    # -- events -----------------------------------------------------------------------------------------------

    cdef int event_top(self) except -1:
        if self.c_full and self.c_state == 1:
            self.flush()  # no article is this long: the rest is a chart, a dump or an attack
            self.c_state = 2
        self.t_in = self.t_off is NULL
        return 0

    cdef bint start(self, xmlNode* c) except -1:
        """A start event; False when neither view reads the element's subtree (skipped whole)."""
        cdef bint c_in
        cdef int verdict = 0
        self.event_top()
        tag = cetree.namespacedName(c)
        if c is self.body:
            self.c_state = 1
        c_in = self.c_state == 1 and self.c_off is NULL
        has_attrs = (self.t_in or c_in) and c.properties is not NULL
        style = hidden = aria = None
        if has_attrs:
            style, hidden, aria = _attr(c, "style"), _attr(c, "hidden"), _attr(c, "aria-hidden")
        if self.t_in and (tag in self.skip_tags or (
                has_attrs and (hidden is not None or aria == "true" or (style and self.hidden_style(style))))):
            self.t_off = c
            self.t_in = False
        if c_in:
            if tag in self.content_skip_tags:
                self.c_off = c
                c_in = False
                if tag in self.blockish_skips:
                    self.flush()
            elif has_attrs:
                classes, ident = _attr(c, "class"), _attr(c, "id")
                if classes is not None or ident is not None:
                    verdict = self.classify_marks(tag, f"{classes or ''} {ident or ''}")
                    if verdict == self.chrome and self.holds_article(cetree.elementFactory(self.doc, c)):
                        verdict = 0
                if verdict == 0 and (style is not None or hidden is not None or aria is not None) and \
                        self.content_hidden(style, hidden, aria):
                    verdict = self.chrome
                if verdict == self.chrome:
                    self.c_off = c
                    c_in = False
                    if tag in self.content_breaks:
                        self.flush()
        if not self.t_in and not c_in:
            return False
        text = cetree.textOf(c)
        if self.t_in:
            if tag in self.block_tags:
                self.end_text_block()
                if self.t_in and tag != "br":
                    self.blocks.push(c)
            # whitespace-only text at a line's start is not buffered: flushing drops it anyway
            if self.t_in and text and (self.buf or not text.isspace()):
                self.buf.append(text)
        if not c_in:
            return True
        if tag in self.content_block_tags:
            if self.parts or self.open_group or self.lead:
                self.flush()
            if tag == "details" and verdict != self.spoiler:
                summary = cetree.elementFactory(self.doc, c).find("summary")
                if summary is not None and "spoil" in summary.text_content().lower():
                    verdict = self.spoiler
        elif tag == "a":
            self.link_depth += 1
            self.link_starts.append(len(self.parts))
        elif tag in self.heading_levels:
            self.flush()
            self.heading = self.heading_levels[tag]
        elif tag == "br":
            if self.heading:
                self.parts.append(" ")  # a line break inside a heading does not split it
            else:
                self.flush(False)
        elif tag in self.bold_tags:
            self.bold_depth += 1
        elif tag in self.label_tags:
            self.label_depth += 1
        if verdict == self.spoiler:
            self.spoilers.push(c)
        if text:
            self.content_text(text)
        return True

    cdef int end(self, xmlNode* c) except -1:
        self.event_top()
        tag = cetree.namespacedName(c)
        text = cetree.tailOf(c) if c is not self.root else None
        # the text view
        if self.t_off is c and not self.t_done:
            self.t_off = NULL
            self.t_in = True
        elif self.t_in and tag in self.block_tags:
            self.end_text_block()
            if self.blocks.size > 1 and self.blocks.top() is c:
                self.blocks.size -= 1
        if self.t_in and text and (self.buf or not text.isspace()):
            self.buf.append(text)
        # the content view
        if self.c_state != 1:
            return 0
        if self.c_off is c:
            self.c_off = NULL
            if tag in self.content_breaks:
                self.flush()
        elif self.c_off is not NULL:
            return 0
        elif tag in self.content_block_tags:
            if self.parts or self.open_group or self.lead:
                self.flush()
        elif tag == "a":
            self.link_depth -= 1
            begin = self.link_starts.pop() if self.link_starts else 0
            anchor = " ".join("".join(self.parts[begin:]).split())
            if anchor:
                self.links.append(anchor)
        elif tag in self.heading_levels:
            self.flush()
            self.heading = 0
        elif tag in self.bold_tags:
            self.bold_depth -= 1
        elif tag in self.label_tags:
            self.label_depth -= 1
        if self.spoilers.size and self.spoilers.top() is c:
            self.spoilers.size -= 1
        if text:
            self.content_text(text)
        if c is self.body:
            self.flush()
            self.c_state = 2
        return 0

    cdef int other(self, xmlNode* c) except -1:
        """A comment or processing instruction: only its tail is text (and a PI's tail is not content)."""
        self.event_top()
        text = cetree.tailOf(c)
        if not text:
            return 0
        if self.t_in and (self.buf or not text.isspace()):
            self.buf.append(text)
        if c.type == _COMMENT and self.c_state == 1 and self.c_off is NULL:
            self.content_text(text)
        return 0

    cdef int run(self) except -1:
        cdef xmlNode* c = self.root
        cdef xmlNode* child
        cdef xmlNode* nxt
        while True:
            if c.type == _ELEMENT:
                if self.start(c):
                    child = _first_child(c)
                    if child is not NULL:
                        c = child
                        continue
                self.end(c)
            else:
                self.other(c)
            # climb: the next sibling, else end the parents
            while True:
                if c is self.root:
                    return 0
                nxt = _next_sibling(c)
                if nxt is not NULL:
                    c = nxt
                    break
                c = c.parent
                self.end(c)


def walk(root, body, config):
    """``(lines, content)`` of the page under ``root``, as ``lines._walk_python`` computes them.

    ``config`` is the tuple ``lines._walk_config()`` builds: the tag sets, the line classes and the rules.
    """
    cdef cetree._Element root_el = root
    cdef cetree._Element body_el = body
    cdef _Walk w = _Walk()
    (w.skip_tags, w.block_tags, w.content_skip_tags, w.blockish_skips, w.content_breaks, w.content_block_tags,
     w.heading_levels, w.bold_tags, w.label_tags, w.line_cls, w.content_line_cls, w.classify_marks,
     w.holds_article, w.content_hidden, w.hidden_style, w.chrome, w.spoiler, w.max_lines) = config
    w.doc = root_el._doc
    w.root = root_el._c_node
    w.body = body_el._c_node
    w.lines, w.buf, w.content, w.parts, w.links, w.link_starts = [], [], [], [], [], []
    w.blocks.push(w.root)
    w.run()
    if w.buf and not w.t_done:
        w.flush_text()
    if w.c_state == 1:
        w.flush()
    return w.lines, w.content
