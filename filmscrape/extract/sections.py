"""Finds a page's main content, splits it into sections by headings and marks the spoiler sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html

from filmscrape.extract.boilerplate import END_MARKER, END_MATTER_HEADING, NAV_HEADING
from filmscrape.extract.candidates import Context
from filmscrape.extract.document import Document, text_content
from filmscrape.extract.lines import ContentLine, page_lines

_Line = ContentLine  # the sections layer reads the page's content view (lines.page_lines)

GOOD_CHARS = 140
"""A line this long (UTF-8 bytes, so CJK counts triple) with few links is article prose."""
NAV_SECTION_CHARS = 800
"""Navigation-looking headings ("More on...", "Comments") open navigation only over this little prose."""
MAX_PSEUDO_HEADING = 160
"""Longest bold-only line that still reads as a heading on pages without heading tags."""

SPOILER_WARNING = re.compile(
    r"spoilers?\s*(?:alert|warning)\s*(?:[:!.\-\u2013\u2014)\]]|$)|spoilers?\s*(?:ahead|below|follow|inside|included|galore)"
    r"|(?:warning|caution|attention|achtung|vorsicht|aviso|alerta|uwaga|pozor)\b\W{0,3}[^.!?]{0,60}spoil"
    r"|contains?\s+(?:(?:major|minor|mild|some|heavy|plot|full|massive|serious)\s+)*spoilers"
    r"|(?:may|will|might)\s+contain\s+(?:\w+\s+)?spoilers"
    r"|(?:major|minor|mild|heavy|full|massive|serious|plot)\s+spoilers"
    r"|\[\s*spoilers?\s*\]|^\W*spoilers?\W*$|spoilers?\s+for\s+(?:the|all|both|every)"
    r"|without\s+spoiling\s+(?:the\s+)?(?:plot|ending|film|movie|story|twist)"
    r"|spoiler-?warnung|enth(?:ä|ae)lt\s+spoiler|alerte\s+spoiler|contient\s+des\s+spoilers"
    r"|contiene\s+spoilers?|alerta\s+de\s+spoiler|cont[ée]m\s+spoilers?|attenzione\s+spoiler"
    r"|ネタバレ(?:注意|あり|を含)|剧透(?:警告|预警|注意)|有剧透|спойлер",
    re.IGNORECASE,
)
"""An explicit spoiler warning ("Warning: spoilers below!", "This synopsis may contain spoilers", "[SPOILERS]")."""
NOT_A_WARNING = re.compile(
    r"spoiler[-\s]?free|no\s+spoilers|non-?spoiler|without\s+(?:any\s+)?spoilers|(?:hide|show)\s+spoilers"
    r"|spoilers?\s+(?:end|over)\b|end\s+of\s+spoilers|spoilerfrei|sans\s+spoiler|sin\s+spoilers",
    re.IGNORECASE,
)
SPOILERS_END = re.compile(r"spoilers?\s+(?:end|over)\b|end\s+of\s+spoilers", re.IGNORECASE)
ENDING_HEADING = re.compile(
    r"\bending\b|\bfinal\s+scene|\bthe\s+finale\b|what\s+happens\s+at\s+the\s+end|\bends?\s+explained"
    r"|\bende\s+erkl(?:ä|ae)rt|\bdas\s+ende\b|\bla\s+fin\b|\bfin\s+expliqu|\bfinal\s+explicado|\bfinale\s+spiegato"
    r"|結末|ラスト|结局",
    re.IGNORECASE,
)
"""Headings of sections that reveal how a film ends."""
PLOT_HEADING = re.compile(
    r"\bplot\b|\bsynopsis\b|\brecap\b|\bstory\b|\bsummary\b|\bnarrative\b|\bwhat\s+happen|\bhandlung\b"
    r"|\binhalt\b|\br[ée]sum[ée]\b|\bintrigue\b|\btrama\b|\bsinopsis\b|あらすじ|剧情",
    re.IGNORECASE,
)
"""Headings of plot sections: spoilers on pages that explain an ending."""
PLOT_ONLY_HEADING = re.compile(
    r"^\W*(?:the\s+)?(?:full\s+|complete\s+|detailed\s+)?(?:plot|synopsis|plot\s+(?:summary|synopsis)"
    r"|handlung|inhalt|intrigue|r[ée]sum[ée]\s+de\s+l'intrigue|trama|sinopsis|argumento|fabu[lł]a|剧情|あらすじ)"
    r"(?:\s+(?:summary|synopsis|details|recap))?\W*$",
    re.IGNORECASE,
)
"""A heading that is only 'Plot' / 'Synopsis' (Wikipedia's and film databases' full retellings)."""
FULL_RETELLING_CHARS = 1000
"""A plot section this long retells the film rather than teasing it."""
EXPLAINS_ENDING = re.compile(r"ending\s+explained|explained.{0,40}ending|ending-explained|ende\s+erkl", re.I)
_SIGNOFF_LINE = END_MARKER
_EDIT_LINK = re.compile(r"\s*\[\s*edit(?:\s+source)?\s*\]\s*$", re.IGNORECASE)  # wiki section-edit links


@dataclass
class SectionsResult:
    """The page's main content: sections (as the record stores them), plain text and the spoiler verdict."""

    sections: list[dict[str, Any]] = field(default_factory=list)
    body_text: str | None = None
    has_spoilers: bool = False
    source: str = "sections:none"

    @property
    def spoiler_headings(self) -> list[str]:
        """Headings that open spoiler sections (the form the real-page truth uses)."""
        return [s["heading"] for s in self.sections if s["is_spoiler"] and s["heading"]]

    @property
    def headings(self) -> list[str]:
        return [s["heading"] for s in self.sections if s["heading"]]


def _may_warn(text: str) -> bool:
    """Cheap pre-check: every warning the pattern knows holds one of these words (tested one by one: a generator
    over them cost more than the tests)."""
    lowered = text.lower()
    return "spoil" in lowered or "ネタバレ" in lowered or "剧透" in lowered or "спойлер" in lowered


def _is_warning(line: _Line) -> bool:
    """An explicit spoiler warning, not a link label ("See full synopsis (Warning: contains spoilers!)"),
    a form label ("Contains spoilers" checkbox) or a filter ("Hide spoilers")."""
    if line.in_label or not _may_warn(line.text):
        return False
    if not SPOILER_WARNING.search(line.text) or NOT_A_WARNING.search(line.text):
        return False
    if line.link_chars and len(line.text) < 200:
        return False  # a label beside a link describes the linked page, not this one
    return not (line.text.startswith("(") and line.text.endswith(")") and len(line.text) < 80)


def _is_pseudo_heading(line: _Line) -> bool:
    """A bold-only short line, as pages without heading tags write their headings."""
    text = line.text
    return (
        line.bold_chars >= 0.9 * len(text)
        and 2 <= len(text) <= MAX_PSEUDO_HEADING
        and line.link_density < 0.5
        and not text.endswith((".", ",", ";"))
        and not text.lower().startswith("by ")
    )


def _line_scores(lines: list[_Line]) -> list[float]:
    """Per line: positive for article prose, negative for link lists and chrome, about zero for short lines.
    One loop rather than a call per line: every content line of every page is scored."""
    scores: list[float] = []
    append = scores.append
    for line in lines:
        if line.level:
            append(0.0)
            continue
        density = line.link_chars / len(line.text)  # a content line is never empty
        weight = line.weight
        if density > 0.5:
            append(-float(max(weight, 40)))
        elif weight >= GOOD_CHARS and density < 0.33:
            append(float(weight))
        else:
            append(-5.0)
    return scores


def _main_span(lines: list[_Line]) -> tuple[int, int]:
    """The run of lines with the most prose net of link lists (maximum-sum subarray), widened backwards to
    the headings and short lines (warnings, decks) that introduce it. ``(start, end)``, end exclusive."""
    scores = _line_scores(lines)
    best_sum, best = 0.0, (0, 0)
    run_sum, run_start = 0.0, 0
    for i, score in enumerate(scores):
        if run_sum <= 0:
            run_sum, run_start = 0.0, i
        run_sum += score
        if run_sum > best_sum:
            best_sum, best = run_sum, (run_start, i + 1)
    start, end = best
    if end == 0:
        return 0, 0
    # Widen backwards over headings and short non-link lines until a link list or the page's h1.
    steps = 0
    while start > 0 and steps < 12:
        prev = lines[start - 1]
        if prev.level == 0 and prev.link_density > 0.5:
            break
        start -= 1
        steps += 1
        if prev.level == 1:
            break
    # Where a sign-off stamp ("Last updated: ...") follows most of the prose, the article ends there.
    total = sum([score for score in scores[start:end] if score > 0.0])
    seen = 0.0
    for i in range(start, end):
        score = scores[i]
        if score > 0.0:
            seen += score
        # the stamp pattern last: only the short lines after most of the prose are searched
        if lines[i].weight < 120 and seen >= 0.6 * total and _SIGNOFF_LINE.search(lines[i].text):
            end = i + 1
            break
    return start, end


@dataclass
class _Section:
    heading: str | None
    level: int
    lines: list[_Line] = field(default_factory=list)
    heading_line: _Line | None = None
    is_spoiler: bool = False

    def text(self) -> str:
        out: list[str] = []
        last_group = None
        for line in self.lines:
            if out:
                out.append("\n" if line.group == last_group else "\n\n")
            out.append(line.text)
            last_group = line.group
        return "".join(out)

    def is_navigation(self) -> bool:
        """Related links, teaser cards, reader comments: not article content."""
        if self.heading and END_MATTER_HEADING.search(self.heading):
            return True
        chars = links = 0
        for line in self.lines:  # one loop for both sums: most sections hold a few lines
            chars += len(line.text)
            links += line.link_chars
        if chars and links > 0.5 * chars:
            return True
        if self.heading and len(self.heading) < 80 and NAV_HEADING.search(self.heading) and (
                chars < NAV_SECTION_CHARS or links > 0.3 * chars):
            return True  # a long prose section under "More on the ending" is content, not navigation
        if self.heading and chars < 600:
            heading = self.heading.lower()
            if self.heading_line is not None and self.heading_line.link_density > 0.8:
                return True  # a teaser whose heading is the link
            if any(link.lower() == heading for line in self.lines for link in line.links):
                return True  # a card repeating its heading as the link
        return False


def _split(lines: list[_Line]) -> list[_Section]:
    use_bold = not any(2 <= line.level <= 6 for line in lines)
    sections: list[_Section] = []
    current = _Section(None, 0)
    for line in lines:
        level = line.level or (2 if use_bold and _is_pseudo_heading(line) else 0)
        if level:
            if current.lines or current.heading:
                sections.append(current)
            current = _Section(_EDIT_LINK.sub("", line.text) or line.text, level, heading_line=line)
            continue
        if line.link_chars and line.weight < 200 and line.link_density > 0.5:
            continue  # a stray link line inside the article ("Related: ...", "Share")
        current.lines.append(line)
    if current.lines or current.heading:
        sections.append(current)
    return _drop_navigation(sections)


def _drop_navigation(sections: list[_Section]) -> list[_Section]:
    """Drop navigation sections and their subsections; a navigation tail takes the short intro before it."""
    kept: list[_Section] = []
    nav_level = 0
    for section in sections:
        if nav_level and section.level > nav_level:
            continue
        nav_level = 0
        if section.is_navigation():
            nav_level = section.level or 7
            continue
        kept.append(section)
    while len(kept) > 1 and kept[-1].heading and not kept[-1].lines:
        kept.pop()  # headings left dangling at the end once their content was dropped
    return kept


def _starts_partway(section: _Section, warning: int) -> bool:
    """A warning partway through a section (after prose), or anywhere under the page's headline (level 1),
    which opens the whole page rather than a spoiler part of it."""
    if section.level == 1:
        return True
    return warning > 0 and sum(len(line.text) for line in section.lines[:warning]) >= 200


def _mark_spoilers(sections: list[_Section], explains_ending: bool, may_warn: bool = True) -> str | None:
    """Mark spoiler sections, splitting a section where a warning starts partway through it; return the
    kind of evidence that decided (for provenance), or None. ``may_warn`` False: no line is a warning."""
    source: str | None = None
    warned = False
    index = 0
    while index < len(sections):
        section = sections[index]
        index += 1
        if warned:
            if any(SPOILERS_END.search(line.text) for line in section.lines):
                warned = False
            section.is_spoiler = True
            continue
        if may_warn and section.heading_line is not None and _is_warning(section.heading_line):
            section.is_spoiler = warned = True
            source = source or "sections:warning-heading"
            continue
        for i, line in enumerate(section.lines if may_warn else ()):
            if _is_warning(line):
                after = sum(len(rest.text) for rest in section.lines[i + 1:] if not _is_warning(rest))
                if after >= 200 and _starts_partway(section, i):
                    # The spoilers start at the warning, not at the heading: the headline's intro or the
                    # section's opening stays as it was, and an unnamed part from the warning on is the
                    # spoiler (marked on the next turn, as everything after a warning is).
                    sections.insert(index, _Section(None, section.level, section.lines[i:]))
                    del section.lines[i:]
                else:
                    section.is_spoiler = section.is_spoiler or after >= 200
                warned = True
                source = source or "sections:warning-text"
                break
        if not section.is_spoiler and sum(len(line.text) for line in section.lines if line.spoiler_markup) >= 40:
            section.is_spoiler = True
            source = source or "sections:markup"
        heading = section.heading or ""
        retelling = bool(PLOT_ONLY_HEADING.search(heading)) and \
            sum(len(line.text) for line in section.lines) >= FULL_RETELLING_CHARS
        if not section.is_spoiler and heading and section.level != 1 and (
                ENDING_HEADING.search(heading) or retelling
                or (explains_ending and PLOT_HEADING.search(heading))):
            # The page's own headline ("X Ending Explained") opens an intro, not the reveal.
            section.is_spoiler = True
            source = source or ("sections:ending-heading" if ENDING_HEADING.search(heading) or explains_ending
                                else "sections:plot-heading")
            # On a page that explains an ending, everything after the first reveal stays revealed.
            warned = warned or explains_ending
    return source


def _page_title(doc: Document) -> lxml.html.HtmlElement | None:
    """The page's ``<title>``: the first one in ``<head>`` (``root.find("head/title")``), else the first anywhere
    (``root.find(".//title")``), picked from the document's element index rather than by two tree searches."""
    root = doc.root
    first = None
    for title in doc.elements("title"):
        if title is root:
            continue
        head = title.getparent()
        if head is not None and head.tag == "head" and head.getparent() is root:
            return title
        if first is None:
            first = title
    return first


def _page_headline(doc: Document, lines: list[_Line]) -> str:
    title = _page_title(doc)
    parts = [text_content(title) if title is not None else ""]
    parts += [line.text for line in lines if line.level == 1][:2]
    return " ".join(parts)


def split_sections(doc: Document, ctx: Context | None = None) -> SectionsResult:
    """Main content of the page as sections with text, spoiler flags, and the whole as plain text.

    Computed once per document: later calls (page kind, other layers) get the same result from ``doc.memo``.
    """
    cached = doc.memo.get("sections")
    if isinstance(cached, SectionsResult):
        return cached
    result = _split_sections(doc, ctx)
    doc.memo["sections"] = result
    return result


def _split_sections(doc: Document, ctx: Context | None) -> SectionsResult:
    lines = page_lines(doc).content
    start, end = _main_span(lines)
    if end == 0:
        # No prose anywhere (a chart, a gallery): keep the non-link lines so the page still has text.
        start, end = 0, len(lines)
    sections = _split(lines[start:end])
    url = ctx.url if ctx is not None else doc.url
    explains_ending = bool(
        EXPLAINS_ENDING.search(_page_headline(doc, lines[start:end]))
        or EXPLAINS_ENDING.search(url.replace("-", " ").replace("_", " "))
        or any(s.heading and EXPLAINS_ENDING.search(s.heading) for s in sections)
    )
    # One test over the main content's text instead of one per line: most pages name no spoilers at all.
    may_warn = _may_warn("\n".join([line.text for line in lines[start:end]]))
    evidence = _mark_spoilers(sections, explains_ending, may_warn)
    texts = [s.text() for s in sections]  # each section's text joined once, for its record and the body
    records = [
        {"heading": s.heading, "level": min(s.level, 6), "text": text, "is_spoiler": s.is_spoiler}
        for s, text in zip(sections, texts, strict=True)
    ]
    chunks = [f"{s.heading}\n{text}" if s.heading else text for s, text in zip(sections, texts, strict=True)]
    body = "\n\n".join(chunk.strip() for chunk in chunks if chunk.strip())
    has_spoilers = any(r["is_spoiler"] for r in records)
    source = evidence if has_spoilers and evidence else ("sections:headings" if records else "sections:none")
    return SectionsResult(sections=records, body_text=body or None, has_spoilers=has_spoilers, source=source)
