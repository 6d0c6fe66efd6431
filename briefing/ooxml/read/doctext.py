"""Read a document's body as absorb sees it: paragraphs in order, each split by our bookmarks.

Paragraphs come in body order with tables flattened (each cell's paragraphs,
row by row), as LibreOffice lists them. A paragraph's text is what a reader
sees once changes are accepted, under the one character policy of
`briefing.ooxml.read.text` (its CURRENT view). Each paragraph is split into
segments by the source-id bookmarks open over it (17.13.6: a bookmark may
start and end anywhere, even in another paragraph), so absorb can tell a
field's own words from fixed wording around them.

Heading levels come from the one style resolver (`briefing.ooxml.styles`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import CURRENT, SKIPPED_IN, TEXT_TAGS, chars, in_run
from briefing.ooxml.sourcemap import is_source_bookmark
from briefing.ooxml.styles import Styles, read_styles

_W_P, _W_TBL, _W_T = qn("w:p"), qn("w:tbl"), qn("w:t")
_SKIPPED, _TEXT_TAGS = SKIPPED_IN[CURRENT], frozenset(TEXT_TAGS)
_BM_START, _BM_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
_CONTAINERS = {qn(t) for t in ("w:body", "w:sdt", "w:sdtContent", "w:customXml", "w:tr",
                               "w:tc", "w:ins", "w:moveTo", "w:smartTag")}


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph's text and the source bookmark open over it (None: fixed text)."""

    text: str
    bookmark: str | None


@dataclass(frozen=True)
class DocParagraph:
    """One body paragraph: 1-based position, its segments, heading level, whether in a table."""

    number: int
    segments: tuple[Segment, ...]
    heading: int | None = None
    in_table: bool = False

    @property
    def text(self) -> str:
        """Return the paragraph's whole text."""
        return "".join(s.text for s in self.segments)

    @property
    def bookmarks(self) -> tuple[str, ...]:
        """Return the source bookmarks over this paragraph's text, in order, each once."""
        seen: list[str] = []
        for s in self.segments:
            if s.bookmark and s.bookmark not in seen:
                seen.append(s.bookmark)
        return tuple(seen)


def read_paragraphs(pkg: Package) -> list[DocParagraph]:
    """Return the main document's paragraphs in reading order, tables flattened."""
    main = pkg.main_name
    body = pkg.xml(main).find(qn("w:body"))
    if body is None:
        return []
    reader = _Reader(read_styles(pkg))
    reader.walk(body, in_table=False)
    return reader.paragraphs


class _Reader:
    """Walks the body keeping the set of open source bookmarks across paragraphs."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.open: dict[str, str] = {}  # bookmark id -> name, in opening order
        self.paragraphs: list[DocParagraph] = []

    def walk(self, el: etree._Element, *, in_table: bool) -> None:
        for child in el:
            tag = child.tag
            if tag == _W_P:
                self.paragraph(child, in_table)
            elif tag == _W_TBL:
                self.walk(child, in_table=True)
            elif tag in (_BM_START, _BM_END):
                self.bookmark(child)
            elif tag in _CONTAINERS:
                self.walk(child, in_table=in_table)

    def bookmark(self, el: etree._Element) -> None:
        bid = el.get(qn("w:id"), "")
        if el.tag == _BM_START:
            name = el.get(qn("w:name"), "")
            if is_source_bookmark(name):
                self.open[bid] = name
        else:
            self.open.pop(bid, None)

    def current(self) -> str | None:
        return next(reversed(self.open.values()), None) if self.open else None

    def paragraph(self, p: etree._Element, in_table: bool) -> None:
        parts: list[list] = []

        def add(text: str) -> None:
            mark = self.current()
            if parts and parts[-1][1] == mark:
                parts[-1][0] += text
            else:
                parts.append([text, mark])

        self._collect(p, add)
        segments = tuple(Segment(t, m) for t, m in parts if t)
        self.paragraphs.append(DocParagraph(len(self.paragraphs) + 1, segments,
                                            self._level(p), in_table))

    def _collect(self, el: etree._Element, add: Callable[[str], None]) -> None:
        """Hand each piece of `el`'s current text to `add`, opening and closing bookmarks."""
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == _W_T:
                add(child.text or "")
            elif tag in (_BM_START, _BM_END):
                self.bookmark(child)
            elif tag in _TEXT_TAGS:
                piece = chars(child, CURRENT) if in_run(child) else ""
                if piece:
                    add(piece)
            else:
                self._collect(child, add)

    def _level(self, p: etree._Element) -> int | None:
        """Return the heading level of paragraph `p`, or None for body text."""
        ppr = p.find(qn("w:pPr"))
        return self.styles.heading_level(self.styles.paragraph_style(ppr), ppr)
