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
from libc.string cimport memcpy, strcmp, strlen, strstr
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


cdef inline xmlNode* _next_node(xmlNode* c, xmlNode* top, bint into, bint elements_only) noexcept:
    """The node after ``c`` in document order within ``top``'s subtree (NULL past its end): ``c``'s first child
    when ``into``, else the next sibling of ``c`` or of its nearest ancestor that has one; elements only, or
    every node (text included)."""
    cdef xmlNode* nxt = c.children if into and c.type == _ELEMENT else NULL
    while elements_only and nxt is not NULL and nxt.type != _ELEMENT:
        nxt = nxt.next
    while nxt is NULL:
        if c is top:
            return NULL
        nxt = c.next
        while elements_only and nxt is not NULL and nxt.type != _ELEMENT:
            nxt = nxt.next
        if nxt is NULL:
            c = c.parent
    return nxt


cdef tree.xmlElementType _TEXT = tree.XML_TEXT_NODE
cdef tree.xmlElementType _CDATA = tree.XML_CDATA_SECTION_NODE
cdef tree.xmlElementType _XINCLUDE_START = tree.XML_XINCLUDE_START
cdef tree.xmlElementType _XINCLUDE_END = tree.XML_XINCLUDE_END


cdef inline bint _texty(xmlNode* c) noexcept:
    return c.type == _TEXT or c.type == _CDATA


cdef inline xmlNode* _text_run(xmlNode* node) noexcept:
    """The first node of the text run lxml reads as ``.text`` (from ``children``) or ``.tail`` (from ``next``)."""
    while node is not NULL:
        if _texty(node):
            return node
        if node.type != _XINCLUDE_START and node.type != _XINCLUDE_END:
            return NULL
        node = node.next
    return NULL


cdef class _Bytes:
    """A growable byte buffer (the body text's UTF-8, decoded once at the end)."""

    cdef char* data
    cdef Py_ssize_t size, capacity

    def __dealloc__(self):
        free(self.data)

    cdef int reserve(self, Py_ssize_t length) except -1:
        """Room for ``length`` more bytes."""
        cdef char* grown
        if self.size + length > self.capacity:
            self.capacity = max(2 * self.capacity, self.size + length, 4096)
            grown = <char*>realloc(self.data, self.capacity)
            if grown is NULL:
                raise MemoryError()
            self.data = grown
        return 0

    cdef int extend(self, const char* chunk, Py_ssize_t length) except -1:
        self.reserve(length)
        memcpy(self.data + self.size, chunk, length)
        self.size += length
        return 0


cdef inline Py_ssize_t _utf8_chars(const unsigned char* s, Py_ssize_t length) noexcept:
    """Characters in valid UTF-8: the bytes that do not continue a character."""
    cdef Py_ssize_t i, count = 0
    for i in range(length):
        count += (s[i] & 0xC0) != 0x80
    return count


cdef inline Py_ssize_t _space_at(const unsigned char* s, Py_ssize_t i, Py_ssize_t n) noexcept:
    """The byte length of the whitespace character at ``s[i]`` in valid UTF-8, 0 for any other character: the
    characters ``str.split()`` splits at (``str.isspace()``), so C collapses text exactly as
    ``" ".join(text.split())`` does."""
    cdef unsigned char b = s[i], b1, b2
    if b < 0x80:
        return 1 if (9 <= b <= 13 or 0x1C <= b <= 0x20) else 0
    if b == 0xC2:  # U+0085, U+00A0
        return 2 if i + 1 < n and (s[i + 1] == 0x85 or s[i + 1] == 0xA0) else 0
    if b < 0xE1 or b > 0xE3 or i + 2 >= n:
        return 0
    b1, b2 = s[i + 1], s[i + 2]
    if b == 0xE1:  # U+1680
        return 3 if b1 == 0x9A and b2 == 0x80 else 0
    if b == 0xE3:  # U+3000
        return 3 if b1 == 0x80 and b2 == 0x80 else 0
    if b1 == 0x80:  # U+2000-U+200A, U+2028, U+2029, U+202F
        return 3 if b2 <= 0x8A or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF else 0
    return 3 if b1 == 0x81 and b2 == 0x9F else 0  # U+205F


cdef inline bint _all_space(const unsigned char* s, Py_ssize_t n) noexcept:
    """Whether valid UTF-8 ``s[:n]`` is whitespace only (True for no bytes: callers test emptiness first)."""
    cdef Py_ssize_t i = 0, step
    while i < n:
        step = _space_at(s, i, n)
        if step == 0:
            return False
        i += step
    return True


cdef str _collapse(const unsigned char* s, Py_ssize_t n, _Bytes out):
    """``" ".join(text.split())`` of the valid UTF-8 ``s[:n]``, written through ``out`` and decoded once."""
    cdef Py_ssize_t i = 0, step, size = 0
    cdef bint gap = False
    cdef char* dst
    out.size = 0
    out.reserve(n)
    dst = out.data
    while i < n:
        step = _space_at(s, i, n)
        if step:
            gap = size != 0
            i += step
            continue
        if gap:
            dst[size] = 32
            size += 1
            gap = False
        dst[size] = s[i]
        size += 1
        i += 1
    out.size = size
    return dst[:size].decode("utf-8") if size else ""


def collapse(data):
    """``" ".join(text.split())`` of UTF-8 bytes, as the walk collapses its lines (exposed for the tests)."""
    cdef bytes raw = data
    return _collapse(<const unsigned char*><const char*>raw, len(raw), _Bytes())


cdef enum:  # what a tag is to the walk, as bits of its mask (the heading level sits above them)
    SKIP = 1
    BLOCK = 2
    CONTENT_SKIP = 4
    BLOCKISH = 8
    CONTENT_BREAK = 16
    CONTENT_BLOCK = 32
    HEADING = 64
    BOLD = 128
    LABEL = 256
    ANCHOR = 512
    BREAK = 1024
    DETAILS = 2048
    LEVEL_SHIFT = 16


cdef enum:  # the attributes the walk's rules read, by their index in _READ_ATTRIBUTES
    _CLASS, _ID, _STYLE, _HIDDEN, _ARIA_HIDDEN, _ATTRIBUTE_COUNT
cdef const char* _READ_ATTRIBUTES[_ATTRIBUTE_COUNT]
_READ_ATTRIBUTES[:] = ["class", "id", "style", "hidden", "aria-hidden"]


cdef inline int _attribute_index(const char* name) noexcept:
    """The index in ``_READ_ATTRIBUTES`` of an attribute name, -1 for the others (most: href, src, rel...)."""
    cdef int i
    if name[0] == b'c':
        i = _CLASS
    elif name[0] == b'i':
        i = _ID
    elif name[0] == b's':
        i = _STYLE
    elif name[0] == b'h':
        i = _HIDDEN
    elif name[0] == b'a':
        i = _ARIA_HIDDEN
    else:
        return -1
    return i if strcmp(name, _READ_ATTRIBUTES[i]) == 0 else -1


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


cdef enum:
    _NAME_SLOTS = 512  # a power of two, far above the tag names one page uses
    _NAME_LIMIT = 384  # names kept at most; past it (a flood of made-up tags) masks come from the dict


cdef class _Walk:
    """One page's walk: the state of both views, as local variables are in ``lines._walk_python``."""

    # configuration (lines.py's tag sets and the boilerplate rules)
    cdef object skip_tags, block_tags, content_skip_tags, blockish_skips, content_breaks, content_block_tags
    cdef object heading_levels, bold_tags, label_tags
    cdef dict masks  # tag -> its mask, filled as tags are met
    # libxml2 interns element names: each name pointer met is kept with its mask in a small open-addressed
    # table (no Python object per lookup); its tag string is looked up only where a rule reads it
    cdef const_xmlChar* name_keys[_NAME_SLOTS]
    cdef int name_masks[_NAME_SLOTS]
    cdef int names_used
    cdef object line_cls, content_line_cls, classify_marks, holds_article, content_hidden, hidden_style
    cdef int chrome, spoiler, max_lines
    cdef cetree._Document doc
    cdef xmlNode* root
    cdef xmlNode* body
    # the text view
    cdef list lines
    cdef _Bytes buf  # the line being read, as UTF-8 (collapsed and decoded when it ends)
    cdef _NodeStack blocks
    cdef xmlNode* t_off
    cdef bint t_done, t_in
    # the content view
    cdef list content, links, link_starts  # link_starts: where each open <a>'s text starts in ``parts``
    cdef _Bytes parts  # the content line being read, as UTF-8
    cdef Py_ssize_t part_chars  # characters in ``parts``
    cdef _NodeStack spoilers
    cdef Py_ssize_t link_chars, bold_chars, lead
    cdef int group, heading, link_depth, bold_depth, label_depth, c_state
    cdef bint open_group, c_full
    cdef xmlNode* c_off
    # the element's attributes the rules read (read_attributes)
    cdef list attrs  # values of _READ_ATTRIBUTES for the element at hand (None: absent)
    # the text run at hand (read_run): its UTF-8, length in characters, and whether it is whitespace only
    cdef const char* run_text  # NULL when run_size is 0
    cdef Py_ssize_t run_size, run_chars
    cdef bint run_blank
    cdef _Bytes joined  # a run of several text nodes, joined
    cdef _Bytes scratch  # the collapsed text of a line

    def __cinit__(self):
        self.blocks = _NodeStack()
        self.spoilers = _NodeStack()
        self.buf = _Bytes()
        self.parts = _Bytes()
        self.joined = _Bytes()
        self.scratch = _Bytes()

    cdef int mask_of(self, tag) except -1:
        cdef int mask = 0
        cached = self.masks.get(tag)
        if cached is not None:
            return cached
        for bit, tags in ((SKIP, self.skip_tags), (BLOCK, self.block_tags), (CONTENT_SKIP, self.content_skip_tags),
                          (BLOCKISH, self.blockish_skips), (CONTENT_BREAK, self.content_breaks),
                          (CONTENT_BLOCK, self.content_block_tags), (BOLD, self.bold_tags),
                          (LABEL, self.label_tags)):
            if tag in tags:
                mask |= bit
        if tag in self.heading_levels:
            mask |= HEADING | (self.heading_levels[tag] << LEVEL_SHIFT)
        mask |= ANCHOR if tag == "a" else BREAK if tag == "br" else DETAILS if tag == "details" else 0
        self.masks[tag] = mask
        return mask

    cdef int mask_at(self, xmlNode* c) except -1:
        """The mask of an element's tag: by its interned name pointer, found in C for every name but the first
        time it is met."""
        cdef size_t slot
        cdef int mask
        if c.ns is not NULL:
            return self.mask_of(cetree.namespacedName(c))
        slot = (<size_t>c.name >> 3) & (_NAME_SLOTS - 1)
        while self.name_keys[slot] is not NULL:
            if self.name_keys[slot] is c.name:
                return self.name_masks[slot]
            slot = (slot + 1) & (_NAME_SLOTS - 1)
        mask = self.mask_of(cetree.namespacedName(c))
        if self.names_used < _NAME_LIMIT:
            self.name_keys[slot] = c.name
            self.name_masks[slot] = mask
            self.names_used += 1
        return mask

    cdef int read_run(self, xmlNode* first) except -1:
        """Read the text run starting at ``first`` as lxml's ``.text``/``.tail`` joins it (its text and CDATA
        nodes), without making it a string: lines are collapsed and decoded whole."""
        cdef xmlNode* nxt = _text_run(first.next)
        cdef xmlNode* node = first
        if nxt is NULL:  # one node: most runs
            self.run_text = <const char*>first.content
            self.run_size = strlen(self.run_text) if self.run_text is not NULL else 0
        else:
            self.joined.size = 0
            while node is not NULL:
                if node.content is not NULL:
                    self.joined.extend(<const char*>node.content, strlen(<const char*>node.content))
                node = _text_run(node.next)
            self.run_text = self.joined.data
            self.run_size = self.joined.size
        self.run_chars = _utf8_chars(<const unsigned char*>self.run_text, self.run_size)
        self.run_blank = _all_space(<const unsigned char*>self.run_text, self.run_size)
        return 0

    cdef int text_run(self) except -1:
        """The run at hand in the text view: whitespace at a line's start is dropped (the line would drop it)."""
        if self.buf.size:
            if self.run_blank:
                self.buf.extend(" ", 1)  # any whitespace: the line collapses it
            else:
                self.buf.extend(self.run_text, self.run_size)
        elif not self.run_blank:
            self.buf.extend(self.run_text, self.run_size)
        return 0

    # -- the text view ----------------------------------------------------------------------------------------

    cdef int flush_text(self) except -1:
        text = _collapse(<const unsigned char*>self.buf.data, self.buf.size, self.scratch)
        self.buf.size = 0
        if text:
            block = cetree.elementFactory(self.doc, self.blocks.top())
            # tuple.__new__ is what a NamedTuple's own (Python-level) __new__ calls: the same Line, made in C
            self.lines.append(tuple.__new__(self.line_cls, (text, block, len(self.lines))))
        return 0

    cdef int end_text_block(self) except -1:
        """A block boundary in the text view: flush the line; the view ends at ``max_lines``."""
        if self.buf.size:
            self.flush_text()
            if len(self.lines) >= self.max_lines:  # the text view is done: the root never ends inside the walk
                self.t_off = self.root
                self.t_done = True
                self.t_in = False
        return 0

    # -- the content view -------------------------------------------------------------------------------------

    cdef int flush(self, bint new_group=True) except -1:
        if self.parts.size:
            self.emit()
        self.lead = 0
        if new_group and self.open_group:
            self.group += 1
            self.open_group = False
        return 0

    cdef int emit(self) except -1:
        cdef Py_ssize_t size, raw_chars = self.part_chars
        cdef object scale, links_in, bold_in
        text = _collapse(<const unsigned char*>self.parts.data, self.parts.size, self.scratch)
        self.parts.size = self.part_chars = 0
        if self.link_starts:
            self.link_starts = [0] * len(self.link_starts)
        if text:
            size = len(text)
            if self.link_chars or self.bold_chars:  # counts were taken on the raw text; scale to the collapsed
                scale = <object>size / <object>(raw_chars + self.lead)
                links_in = min(size, _round(<object>self.link_chars * scale))
                bold_in = min(size, _round(<object>self.bold_chars * scale))
            else:
                links_in = bold_in = 0
            weight = self.scratch.size  # the collapsed line's UTF-8 length
            self.content.append(tuple.__new__(self.content_line_cls, (  # a ContentLine, as for Line
                text, self.heading, weight, links_in, bold_in, self.group, self.spoilers.size != 0,
                self.label_depth != 0, tuple(self.links) if self.links else (),
            )))
            self.open_group = True
            self.c_full = len(self.content) >= self.max_lines
        self.link_chars = self.bold_chars = 0
        if self.links:
            self.links = []
        return 0

    cdef int content_run(self) except -1:
        """The run at hand in the content view: whitespace before a line's first text only counts (``lead``)."""
        if self.parts.size or self.link_depth or not self.run_blank:
            self.parts.extend(self.run_text, self.run_size)
            self.part_chars += self.run_chars
            if self.link_depth:
                self.link_chars += self.run_chars
            if self.bold_depth and not self.run_blank:
                self.bold_chars += self.run_chars
        else:
            self.lead += self.run_chars
        return 0

    # -- events -----------------------------------------------------------------------------------------------

    cdef int event_top(self) except -1:
        if self.c_full and self.c_state == 1:
            self.flush()  # no article is this long: the rest is a chart, a dump or an attack
            self.c_state = 2
        self.t_in = self.t_off is NULL
        return 0

    cdef int read_attributes(self, xmlNode* c) except -1:
        """The attributes the rules read (``_READ_ATTRIBUTES``), in one pass over the element's attributes; the
        first of each name counts, as lxml's ``get`` reads it."""
        cdef tree.xmlAttr* attr = <tree.xmlAttr*>c.properties
        cdef list values = self.attrs
        cdef int i
        for i in range(_ATTRIBUTE_COUNT):
            values[i] = None
        while attr is not NULL:
            if attr.ns is NULL:
                i = _attribute_index(<const char*>attr.name)
                if i >= 0 and values[i] is None:
                    values[i] = cetree.attributeValue(c, attr)
            attr = attr.next
        return 0

    cdef bint start(self, xmlNode* c) except -1:
        """A start event; False when neither view reads the element's subtree (skipped whole)."""
        cdef bint c_in
        cdef int verdict = 0
        cdef int mask
        cdef bint has_text = False
        cdef xmlNode* first
        self.event_top()
        mask = self.mask_at(c)
        if c is self.body:
            self.c_state = 1
        c_in = self.c_state == 1 and self.c_off is NULL
        has_attrs = (self.t_in or c_in) and c.properties is not NULL
        if has_attrs:
            self.read_attributes(c)
            style, hidden, aria = self.attrs[_STYLE], self.attrs[_HIDDEN], self.attrs[_ARIA_HIDDEN]
        else:
            style = hidden = aria = None
        if self.t_in and (mask & SKIP or (
                has_attrs and (hidden is not None or aria == "true" or (style and self.hidden_style(style))))):
            self.t_off = c
            self.t_in = False
        if c_in:
            if mask & CONTENT_SKIP:
                self.c_off = c
                c_in = False
                if mask & BLOCKISH:
                    self.flush()
            elif has_attrs:
                classes, ident = self.attrs[_CLASS], self.attrs[_ID]
                if classes is not None or ident is not None:
                    verdict = self.classify_marks(cetree.namespacedName(c), f"{classes or ''} {ident or ''}")
                    if verdict == self.chrome and self.holds_article(cetree.elementFactory(self.doc, c)):
                        verdict = 0
                if verdict == 0 and (style is not None or hidden is not None or aria is not None) and \
                        self.content_hidden(style, hidden, aria):
                    verdict = self.chrome
                if verdict == self.chrome:
                    self.c_off = c
                    c_in = False
                    if mask & CONTENT_BREAK:
                        self.flush()
        if not self.t_in and not c_in:
            return False
        first = _text_run(c.children)
        if first is not NULL:
            self.read_run(first)
            has_text = self.run_size != 0
        if self.t_in:
            if mask & BLOCK:
                self.end_text_block()
                if self.t_in and not mask & BREAK:
                    self.blocks.push(c)
            if self.t_in and has_text:
                self.text_run()
        if not c_in:
            return True
        if mask & CONTENT_BLOCK:
            if self.parts.size or self.open_group or self.lead:
                self.flush()
            if mask & DETAILS and verdict != self.spoiler:
                summary = cetree.elementFactory(self.doc, c).find("summary")
                if summary is not None and "spoil" in summary.text_content().lower():
                    verdict = self.spoiler
        elif mask & ANCHOR:
            self.link_depth += 1
            self.link_starts.append(self.parts.size)
        elif mask & HEADING:
            self.flush()
            self.heading = mask >> LEVEL_SHIFT
        elif mask & BREAK:
            if self.heading:
                self.parts.extend(" ", 1)  # a line break inside a heading does not split it
                self.part_chars += 1
            else:
                self.flush(False)
        elif mask & BOLD:
            self.bold_depth += 1
        elif mask & LABEL:
            self.label_depth += 1
        if verdict == self.spoiler:
            self.spoilers.push(c)
        if has_text:
            self.content_run()
        return True

    cdef int tail(self, xmlNode* c) except -1:
        """The text after an element, comment or PI: in the text view, and in the content view when it reads
        there (a PI's tail never does: lxml's walk reports PIs, and the Python walk leaves their tails out)."""
        cdef xmlNode* first = _text_run(c.next) if c is not self.root else NULL
        if first is NULL:
            return 0
        self.read_run(first)
        if self.run_size == 0:
            return 0
        if self.t_in:
            self.text_run()
        if self.c_state == 1 and self.c_off is NULL and c.type != _PI:
            self.content_run()
        return 0

    cdef int end(self, xmlNode* c) except -1:
        cdef int mask
        self.event_top()
        mask = self.mask_at(c)
        # the text view
        if self.t_off is c and not self.t_done:
            self.t_off = NULL
            self.t_in = True
        elif self.t_in and mask & BLOCK:
            self.end_text_block()
            if self.blocks.size > 1 and self.blocks.top() is c:
                self.blocks.size -= 1
        # the content view
        if self.c_state != 1:
            if self.t_in:
                self.tail(c)
            return 0
        if self.c_off is c:
            self.c_off = NULL
            if mask & CONTENT_BREAK:
                self.flush()
        elif self.c_off is not NULL:
            if self.t_in:
                self.tail(c)
            return 0
        elif mask & CONTENT_BLOCK:
            if self.parts.size or self.open_group or self.lead:
                self.flush()
        elif mask & ANCHOR:
            self.link_depth -= 1
            begin = self.link_starts.pop() if self.link_starts else 0
            anchor = _collapse(<const unsigned char*>self.parts.data + <Py_ssize_t>begin,
                               self.parts.size - <Py_ssize_t>begin, self.scratch)
            if anchor:
                self.links.append(anchor)
        elif mask & HEADING:
            self.flush()
            self.heading = 0
        elif mask & BOLD:
            self.bold_depth -= 1
        elif mask & LABEL:
            self.label_depth -= 1
        if self.spoilers.size and self.spoilers.top() is c:
            self.spoilers.size -= 1
        self.tail(c)
        if c is self.body:
            self.flush()
            self.c_state = 2
        return 0

    cdef int other(self, xmlNode* c) except -1:
        """A comment or processing instruction: only its tail is text (and a PI's tail is not content)."""
        self.event_top()
        self.tail(c)
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


_MASKS: dict = {}  # tag -> mask; the configuration is lines.py's constants, the same for every walk


def walk(root, body, config):
    """``(lines, content)`` of the page under ``root``, as ``lines._walk_python`` computes them.

    ``config`` is the tuple ``lines._walk_config()`` builds: the tag sets, the line classes and the rules.
    """
    cdef cetree._Element root_el = root
    cdef cetree._Element body_el = body  # None: the text view alone (the content view starts at <body>)
    cdef _Walk w = _Walk()
    (w.skip_tags, w.block_tags, w.content_skip_tags, w.blockish_skips, w.content_breaks, w.content_block_tags,
     w.heading_levels, w.bold_tags, w.label_tags, w.line_cls, w.content_line_cls, w.classify_marks,
     w.holds_article, w.content_hidden, w.hidden_style, w.chrome, w.spoiler, w.max_lines) = config
    w.doc = root_el._doc
    w.root = root_el._c_node
    w.body = body_el._c_node if body_el is not None else NULL
    w.lines, w.content, w.links, w.link_starts = [], [], [], []
    w.masks, w.attrs = _MASKS, [None] * _ATTRIBUTE_COUNT
    w.blocks.push(w.root)
    w.run()
    if w.buf.size and not w.t_done:
        w.flush_text()
    if w.c_state == 1:
        w.flush()
    return w.lines, w.content


cdef class TextStream:
    """Every text node under ``<body>`` in document order, joined by newlines, as the XPath
    ``/descendant::body/descendant::text()`` reads them (script and style text included), with the element
    holding each node found by offset: the dates layer scans the text and looks up owners only for dates.

    It keeps libxml2 node pointers (and the document alive): valid while the tree is not edited, as no
    extraction layer ever edits it."""

    cdef readonly str text
    cdef cetree._Document doc
    cdef Py_ssize_t* ends  # where each node's text ends in ``text`` (exclusive)
    cdef xmlNode** parents
    cdef Py_ssize_t size, capacity

    def __dealloc__(self):
        free(self.ends)
        free(self.parents)

    cdef int add(self, Py_ssize_t end, xmlNode* parent) except -1:
        cdef Py_ssize_t* ends
        cdef xmlNode** parents
        if self.size == self.capacity:
            self.capacity = self.capacity * 2 if self.capacity else 256
            ends = <Py_ssize_t*>realloc(self.ends, self.capacity * sizeof(Py_ssize_t))
            if ends is NULL:
                raise MemoryError()
            self.ends = ends
            parents = <xmlNode**>realloc(self.parents, self.capacity * sizeof(xmlNode*))
            if parents is NULL:
                raise MemoryError()
            self.parents = parents
        self.ends[self.size] = end
        self.parents[self.size] = parent
        self.size += 1
        return 0

    def __len__(self):
        return self.size

    def owner(self, Py_ssize_t offset):
        """The element whose text node holds the character at ``offset`` (for a tail, the enclosing element,
        as a smart string's parent is); None past the end."""
        cdef Py_ssize_t lo = 0, hi = self.size, mid
        while lo < hi:  # the first node ending after offset (its newline counts as its own)
            mid = (lo + hi) // 2
            if self.ends[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        if lo >= self.size or self.parents[lo] is NULL:
            return None
        return cetree.elementFactory(self.doc, self.parents[lo])


cdef inline bint _is_body(xmlNode* c) noexcept:
    return c.type == _ELEMENT and c.ns is NULL and strcmp(<const char*>c.name, "body") == 0


cdef class _Query:
    """One ``marked`` query compiled for the scan: one or two attribute names, maybe a needle in the value."""

    cdef bytes first, second
    cdef object needle  # bytes or None
    cdef const char* c_needle
    cdef list found

    def __init__(self, names, needle):
        encoded = [name.encode("utf-8") for name in names]
        if not 1 <= len(encoded) <= 2:
            raise ValueError("marked() reads one or two attribute names")
        self.first = encoded[0]
        self.second = encoded[len(encoded) - 1]
        self.needle = needle
        self.c_needle = NULL if needle is None else <const char*>needle
        self.found = []

    cdef bint holds(self, xmlNode* c) except -1:
        """Whether element ``c`` has one of the attributes (without namespace), its value holding the needle."""
        cdef tree.xmlAttr* attr = <tree.xmlAttr*>c.properties
        while attr is not NULL:
            if attr.ns is NULL and (strcmp(<const char*>attr.name, self.first) == 0
                                    or strcmp(<const char*>attr.name, self.second) == 0):
                if self.c_needle is NULL:
                    return True
                if attr.children is not NULL and attr.children.next is NULL and attr.children.content is not NULL:
                    if strstr(<const char*>attr.children.content, self.c_needle) is not NULL:  # one text node
                        return True
                elif self.needle.decode("utf-8") in (cetree.attributeValue(c, attr) or ""):  # several, or none
                    return True
            attr = attr.next
        return False


cdef int _scan(xmlNode* top, cetree._Document doc, tuple tags, list by_tag, list queries,
               TextStream stream) except -1:
    """One document-order pass over ``top``'s subtree: elements named in ``tags`` go to ``by_tag`` (a list per
    tag), elements matching a query to its ``found``, and, with a ``stream``, every text node under a ``<body>``
    to it (the nodes in nested bodies once)."""
    cdef xmlNode* c = top
    cdef xmlNode* nxt
    cdef xmlNode* body = NULL  # the body whose subtree is being read
    cdef bint texts = stream is not None
    cdef _Query query
    cdef _Bytes buffer = _Bytes()
    cdef Py_ssize_t chars = 0, size, i
    cdef Py_ssize_t tag_count = len(tags)
    cdef const char* content
    cdef bytes name
    while c is not NULL:
        if c.type == _ELEMENT:
            if c.ns is NULL:
                for i in range(tag_count):
                    name = tags[i]
                    if strcmp(<const char*>c.name, name) == 0:
                        by_tag[i].append(cetree.elementFactory(doc, c))
                        break
            if c.properties is not NULL:
                for query in queries:
                    if query.holds(c):
                        query.found.append(cetree.elementFactory(doc, c))
            if texts and body is NULL and _is_body(c):
                body = c
        elif body is not NULL and _texty(c):
            if stream.size:
                buffer.extend("\n", 1)
            if c.content is not NULL:
                content = <const char*>c.content
                size = strlen(content)
                buffer.extend(content, size)
                chars += _utf8_chars(<const unsigned char*>content, size)
            chars += 1
            stream.add(chars - 1, c.parent if c.parent is not NULL and c.parent.type == _ELEMENT else NULL)
        # the next node in document order (elements only unless the body's text is wanted)
        nxt = c.children if c.type == _ELEMENT else NULL
        while not texts and nxt is not NULL and nxt.type != _ELEMENT:
            nxt = nxt.next
        while nxt is NULL:
            if c is top:
                c = NULL
                break
            if c is body:
                body = NULL  # past the body's subtree
            nxt = c.next
            while not texts and nxt is not NULL and nxt.type != _ELEMENT:
                nxt = nxt.next
            if nxt is NULL:
                c = c.parent
        if c is not NULL:
            c = nxt
    if texts:
        stream.doc = doc
        stream.text = buffer.data[:buffer.size].decode("utf-8") if buffer.size else ""
    return 0


cdef xmlNode* _document_top(xmlNode* c) noexcept:
    while c.parent is not NULL and c.parent.type == _ELEMENT:
        c = c.parent
    return c


def body_text(root):
    """The :class:`TextStream` of the page under ``root``: the text nodes' UTF-8 is gathered in one buffer and
    decoded once (a string per node cost more than the scan)."""
    cdef cetree._Element root_el = root
    cdef TextStream stream = TextStream()
    _scan(root_el._c_node, root_el._doc, (), [], [], stream)
    return stream


def marked(root, names, needle=None):
    """The elements of the document holding an attribute (without namespace) named in ``names``, in document
    order, each once, as ``/descendant::*[@a or @b]`` selects them; with ``needle`` (bytes), only attributes whose
    value contains it, as ``/descendant::*[contains(@a, needle) or contains(@b, needle)]`` does. One C pass over
    the elements and their attributes; a proxy only for the elements found."""
    cdef cetree._Element root_el = root
    cdef _Query query = _Query(names, needle)
    _scan(_document_top(root_el._c_node), root_el._doc, (), [], [query], None)
    return query.found


def scan(root, tags, queries):
    """What several passes over a page would read, in one: ``(elements, marked, stream)``.

    ``elements`` holds, per name in ``tags``, the elements of the document with that name (no namespace), as
    ``root.iter(*tags)`` finds them; ``marked`` holds, per ``(names, needle)`` query, what :func:`marked` returns;
    ``stream`` is the :class:`TextStream` of the document's body, as :func:`body_text` of the document's root
    reads it. Each full pass over a large page's nodes costs tens of microseconds, mostly waiting on memory."""
    cdef cetree._Element root_el = root
    cdef TextStream stream = TextStream()
    cdef tuple encoded = tuple(tag.encode("utf-8") for tag in tags)
    cdef list by_tag = [[] for _ in tags]
    cdef list compiled = [_Query(names, needle) for names, needle in queries]
    cdef _Query query
    _scan(_document_top(root_el._c_node), root_el._doc, encoded, by_tag, compiled, stream)
    return by_tag, [query.found for query in compiled], stream
