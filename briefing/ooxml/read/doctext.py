"""Read a document's body as absorb sees it: paragraphs in order, each split by our bookmarks.

Paragraphs come in body order with tables flattened (each cell's paragraphs,
row by row), as LibreOffice lists them. A paragraph's text is what a reader
sees once changes are accepted: text in `w:ins` counts, `w:del` and
`w:moveFrom` content does not (ECMA-376 Part 1, 17.13.5), tabs and breaks
become "\\t" and "\\n". Each paragraph is split into segments by the source-id
bookmarks open over it (17.13.6: a bookmark may start and end anywhere, even
in another paragraph), so absorb can tell a field's own words from fixed
wording around them.

Also here: counting tracked changes still pending in a package, and the
authors of the comments left in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from briefing.ooxml.ns import W15, qn
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import is_source_bookmark

_W_P, _W_TBL, _W_T, _W_R = qn("w:p"), qn("w:tbl"), qn("w:t"), qn("w:r")
_SKIP = {qn(t) for t in ("w:del", "w:moveFrom", "w:pPr", "w:rPr", "w:txbxContent",
                         "mc:Fallback", "w:instrText", "w:delText", "w:fldData")}
_CHARS = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
          qn("w:noBreakHyphen"): "-", qn("w:softHyphen"): ""}
_BM_START, _BM_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
_CONTAINERS = {qn(t) for t in ("w:body", "w:sdt", "w:sdtContent", "w:customXml", "w:tr",
                               "w:tc", "w:ins", "w:moveTo", "w:smartTag")}

# Every element that records a tracked change (ECMA-376 Part 1, 17.13.5).
REVISION_TAGS = {qn(f"w:{t}"): t for t in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
    "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange", "tblGridChange",
    "cellIns", "cellDel", "cellMerge", "numberingChange")}
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


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
    main = pkg.main_part or "word/document.xml"
    body = pkg.xml(main).find(qn("w:body"))
    if body is None:
        return []
    reader = _Reader(_heading_levels(pkg))
    reader.walk(body, in_table=False)
    return reader.paragraphs


class _Reader:
    """Walks the body keeping the set of open source bookmarks across paragraphs."""

    def __init__(self, headings: dict[str, int]) -> None:
        self.headings = headings
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
            if is_source_bookmark(el.get(qn("w:name"), "")):
                self.open[bid] = el.get(qn("w:name"))
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

    def _collect(self, el: etree._Element, add) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag in (_BM_START, _BM_END):
                self.bookmark(child)
            elif tag == _W_T:
                add(child.text or "")
            elif tag in _CHARS:
                add(_CHARS[tag])
            else:
                self._collect(child, add)

    def _level(self, p: etree._Element) -> int | None:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return self.headings.get(style.get(qn("w:val"), "")) if style is not None else None


def _heading_levels(pkg: Package) -> dict[str, int]:
    """Return style id -> heading level for the paragraph styles that are headings."""
    name = next((r.target for r in pkg.rels(pkg.main_part or "word/document.xml")
                 if r.type.endswith("/styles") and r.target in pkg.parts), None)
    if name is None:
        return {f"Heading{n}": n for n in range(1, 10)}
    styles: dict[str, tuple[str, str | None, int | None]] = {}
    for st in pkg.xml(name).iter(qn("w:style")):
        sid = st.get(qn("w:styleId"), "")
        nm = st.find(qn("w:name"))
        based = st.find(qn("w:basedOn"))
        lvl = st.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        styles[sid] = (nm.get(qn("w:val"), "") if nm is not None else "",
                       based.get(qn("w:val")) if based is not None else None,
                       int(lvl.get(qn("w:val"))) + 1 if lvl is not None and
                       (lvl.get(qn("w:val")) or "").isdigit() else None)
    return {sid: lvl for sid in styles if (lvl := _style_level(sid, styles)) is not None}


def _style_level(sid: str, styles: dict, depth: int = 0) -> int | None:
    if sid not in styles or depth > 10:
        return None
    name, based, outline = styles[sid]
    m = _HEADING_NAME.match(name)
    if m:
        return int(m.group(1))
    if outline is not None and outline <= 9:
        return outline
    return _style_level(based, styles, depth + 1) if based else None


# --- pending changes and comments -------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """The tracked changes left in a package: count per kind and per author."""

    kinds: Counter
    authors: Counter

    @property
    def total(self) -> int:
        """Return how many tracked changes remain."""
        return sum(self.kinds.values())


def pending_changes(pkg: Package) -> Pending:
    """Return the tracked changes still in the body, headers, footers and notes."""
    kinds: Counter = Counter()
    authors: Counter = Counter()
    for part in pkg.story_parts():
        if part.endswith("comments.xml"):
            continue
        for el in pkg.xml(part).iter(*REVISION_TAGS):
            kinds[REVISION_TAGS[el.tag]] += 1
            authors[el.get(qn("w:author")) or "unknown"] += 1
    return Pending(kinds, authors)


def comment_authors(pkg: Package) -> list[str]:
    """Return the author of each comment in the package, in order (repeats kept)."""
    out: list[str] = []
    for part in pkg.story_parts():
        if part.endswith("comments.xml"):
            out.extend((el.get(qn("w:author")) or "").strip()
                       for el in pkg.xml(part).iter(qn("w:comment")))
    return out


def people(pkg: Package) -> list[str]:
    """Return the people Word lists as authors of the document's changes and comments.

    Word keeps `word/people.xml` (w15:person, [MS-DOCX] 2.6.8) after changes
    are accepted in Word itself, so it still names who edited the document.
    """
    main = pkg.main_part or "word/document.xml"
    name = next((r.target for r in pkg.rels(main)
                 if r.type.endswith("/people") and r.target in pkg.parts), None)
    if name is None:
        return []
    out: list[str] = []
    for el in pkg.xml(name).iter(f"{{{W15}}}person"):
        author = (el.get(f"{{{W15}}}author") or "").strip()
        if author and author not in out:
            out.append(author)
    return out
