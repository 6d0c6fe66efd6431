"""Read tracked changes (revisions) and comment anchors out of WordprocessingML parts.

python-docx cannot do this: `Paragraph.text` drops both `w:ins` and `w:del`.
This module walks each story part in document order (ECMA-376 Part 1, 17.13
"Revisions") and returns one `RevisionRecord` per revision element:

- run content: `w:ins`, `w:del`, `w:moveFrom`, `w:moveTo` (17.13.5), read
  through bookmarks, hyperlinks, fields, content controls, smart tags and
  custom XML, which may sit inside or around them;
- paragraph marks: the same four elements in `w:pPr/w:rPr` (17.13.5.15 ff.);
- table rows `w:trPr/w:ins|w:del`, cells `w:cellIns|w:cellDel|w:cellMerge`;
- property changes `w:rPrChange`, `w:pPrChange`, `w:sectPrChange`,
  `w:tblPrChange`, `w:trPrChange`, `w:tcPrChange`, `w:tblGridChange`,
  `w:tblPrExChange` (17.13.5.x) and `w:numberingChange`, `w:numPr/w:ins`.

A revision is never identified by `w:id`: Google Docs and LibreOffice repeat
ids. Records keep a reference to their element instead, and moves are paired
by the `w:name` of their `w:moveFromRangeStart` / `w:moveToRangeStart`.
Content under `mc:Fallback` duplicates `mc:Choice` and is not read twice.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml.ns import MC, W, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import (
    CONTENT_CHANGES,
    INS,
    MARK_CHANGES,
    MOVE_FROM_END,
    MOVE_FROM_START,
    MOVE_TO_END,
    MOVE_TO_START,
    PROPERTY_CHANGES,
    ROW_CHANGES,
)
from briefing.ooxml.read.text import ALL, TEXT_TAGS, block_text, chars, in_run, text
from briefing.ooxml.sourcemap import is_source_bookmark
from briefing.ooxml.styles import Styles, read_styles

_W = f"{{{W}}}"
P, R, DEL_TEXT = qn("w:p"), qn("w:r"), qn("w:delText")
PPR, RPR, TRPR, TCPR, NUMPR, TR, TC, TBL = (qn(t) for t in (
    "w:pPr", "w:rPr", "w:trPr", "w:tcPr", "w:numPr", "w:tr", "w:tc", "w:tbl"))
BOOKMARK_START, BOOKMARK_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
COMMENT_START, COMMENT_END, COMMENT_REF = (qn(t) for t in (
    "w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"))
FALLBACK = f"{{{MC}}}Fallback"
AUTHOR, DATE, ID, NAME, VAL = (qn(t) for t in ("w:author", "w:date", "w:id", "w:name", "w:val"))


@dataclass
class RevisionRecord:
    """One revision element as read: what kind, who, when, what text, where."""

    kind: str
    author: str
    date: str | None
    text: str
    part: str
    story: str
    heading: str
    bookmark: str | None  # our source bookmark enclosing (or last opened before) it
    parent: int | None  # index of the enclosing revision, for nested revisions
    move: str | None  # w:name pairing a move's from and to sides
    element: etree._Element = field(repr=False, compare=False)
    duplicate: bool = False  # in an mc:Fallback copy of content already read (not reported)


@dataclass
class AnchorRecord:
    """Where a comment is anchored: the text it covers, its story and our bookmark."""

    text: str = ""
    story: str = ""
    heading: str = ""
    bookmark: str | None = None


@dataclass
class _ParagraphContext:
    """Which of our bookmarks a paragraph holds, and whether it continues the one before."""

    first: str | None  # the first source bookmark anywhere in the paragraph
    continues: bool  # split off the previous paragraph: its own or the previous mark inserted
    opened: str | None = None  # the last source bookmark opened so far in the paragraph


@dataclass
class _Walk:
    """The state of one walk through a part, in document order."""

    part: str
    story: str
    styles: Styles
    records: list[RevisionRecord] = field(default_factory=list)
    anchors: dict[str, AnchorRecord] = field(default_factory=dict)
    open_comments: dict[str, list[str]] = field(default_factory=dict)
    open_bookmarks: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[_ParagraphContext] = field(default_factory=list)
    carry: str | None = None  # the item a paragraph split off the previous one belongs to
    previous_mark_inserted: bool = False
    heading: str = ""
    enclosing: list[int] = field(default_factory=list)
    moves: dict[str, str] = field(default_factory=dict)  # "from"/"to" -> current range name
    in_fallback: int = 0  # depth of mc:Fallback copies being walked


def story_name(part: str) -> str:
    """Return the story a part holds, e.g. 'document', 'header1', 'footnotes'."""
    return posixpath.basename(part).rsplit(".", 1)[0]


def text_all(el: etree._Element) -> str:
    """Return the text under `el`, inserted and deleted alike (the view a revision shows)."""
    return text(el, ALL)


def read_part(root: etree._Element, part: str, styles: Styles | None = None,
              ) -> tuple[list[RevisionRecord], dict[str, AnchorRecord]]:
    """Return the revisions of one part in document order and its comment anchors by id.

    `styles` tells which paragraphs are headings (none without it).
    """
    walk = _Walk(part, story_name(part), styles or Styles({}, None, None, None, None))
    _visit_children(root, walk)
    for cid, chunks in walk.open_comments.items():  # ranges never closed: keep what we saw
        walk.anchors[cid].text = "".join(chunks)
    return walk.records, walk.anchors


def _visit_children(el: etree._Element, walk: _Walk) -> None:
    """Walk each element child of `el` in order."""
    for child in el:
        if isinstance(child.tag, str):
            _visit(child, walk)


def _visit(el: etree._Element, walk: _Walk) -> None:
    """Walk `el` in document order, recording revisions, bookmarks, anchors and headings."""
    tag = el.tag
    if tag == P:
        _visit_paragraph(el, walk)
    elif tag in CONTENT_CHANGES:
        _visit_content_change(el, walk)
    elif tag in TEXT_TAGS:
        if walk.open_comments and not walk.in_fallback and in_run(el):
            ch = chars(el, ALL)
            for chunks in walk.open_comments.values():
                chunks.append(ch)
    elif tag == FALLBACK:  # a copy of mc:Choice for old readers: resolved, never reported
        walk.in_fallback += 1
        try:
            _visit_children(el, walk)
        finally:
            walk.in_fallback -= 1
    elif tag in _MARKERS:
        if not (walk.in_fallback and tag in (COMMENT_START, COMMENT_END, COMMENT_REF)):
            _MARKERS[tag](el, walk)
    elif tag in PROPERTY_CHANGES:
        _record(walk, el, PROPERTY_CHANGES[tag], _property_text(el))
    elif tag == TRPR:
        _visit_row_properties(el, walk)
    elif tag == NUMPR:
        _visit_numbering(el, walk)
    else:
        _visit_children(el, walk)


def _visit_paragraph(p: etree._Element, walk: _Walk) -> None:
    """Walk a paragraph: content first, then its mark's revisions (the mark ends it)."""
    ppr = p.find(PPR)
    if ppr is not None and walk.styles.is_heading(ppr):
        walk.heading = text(p)
    mark_inserted = p.find(f"{PPR}/{RPR}/{INS}") is not None
    ctx = _ParagraphContext(first=_first_source_bookmark(p),
                            continues=mark_inserted or walk.previous_mark_inserted)
    walk.paragraphs.append(ctx)
    try:
        for child in p:
            if isinstance(child.tag, str) and child is not ppr:
                _visit(child, walk)
        if ppr is not None:
            _visit_paragraph_properties(ppr, p, walk)
    finally:
        walk.paragraphs.pop()
    if ctx.first is not None:
        walk.carry = ctx.opened or ctx.first
    elif not ctx.continues:
        walk.carry = None
    walk.previous_mark_inserted = mark_inserted


def _first_source_bookmark(el: etree._Element) -> str | None:
    """Return the name of the first of our source bookmarks under `el`, or None."""
    for start in el.iter(BOOKMARK_START):
        if is_source_bookmark(start.get(NAME, "")):
            return start.get(NAME)
    return None


def _visit_paragraph_properties(ppr: etree._Element, p: etree._Element, walk: _Walk) -> None:
    """Record the revisions of a paragraph's mark and properties (they end the paragraph)."""
    mark_rpr = ppr.find(RPR)
    for child in ppr:
        if child is mark_rpr:
            for mark in child:
                if mark.tag in MARK_CHANGES:
                    _record(walk, mark, MARK_CHANGES[mark.tag], text_all(p))
                elif mark.tag in PROPERTY_CHANGES:
                    _record(walk, mark, PROPERTY_CHANGES[mark.tag], text_all(p))
        elif child.tag in PROPERTY_CHANGES:
            _record(walk, child, PROPERTY_CHANGES[child.tag], text_all(p))
        elif isinstance(child.tag, str):
            _visit(child, walk)


def _visit_content_change(el: etree._Element, walk: _Walk) -> None:
    """Record a run-level insert/delete/move and walk what it holds, nested inside it."""
    parent = el.getparent()
    if parent is not None and parent.tag == RPR:  # a mark outside w:pPr
        _record(walk, el, MARK_CHANGES[el.tag], "")
        return
    index = _record(walk, el, CONTENT_CHANGES[el.tag], text_all(el))
    walk.enclosing.append(index)
    try:
        _visit_children(el, walk)
    finally:
        walk.enclosing.pop()


def _visit_row_properties(trpr: etree._Element, walk: _Walk) -> None:
    """Record a row inserted or deleted (w:trPr/w:ins|w:del) and row property changes."""
    row = trpr.getparent()
    for child in trpr:
        if child.tag in ROW_CHANGES and row is not None:
            _record(walk, child, ROW_CHANGES[child.tag], block_text(row, ALL),
                    bookmark=_first_source_bookmark(row))
        elif child.tag in PROPERTY_CHANGES:
            _record(walk, child, PROPERTY_CHANGES[child.tag], "")


def _visit_numbering(numpr: etree._Element, walk: _Walk) -> None:
    """Record numbering inserted (w:numPr/w:ins) and numbering changes."""
    for child in numpr:
        if child.tag == INS:
            _record(walk, child, "numbering", "")
        elif child.tag in PROPERTY_CHANGES:
            _record(walk, child, PROPERTY_CHANGES[child.tag], "")


def _property_text(el: etree._Element) -> str:
    """Return the text a property change applies to (its run or paragraph), or ''."""
    owner = el.getparent()
    owner = owner.getparent() if owner is not None else None
    if owner is not None and owner.tag in (R, P):
        return text_all(owner)
    if el.tag == qn("w:numberingChange"):
        return el.get(qn("w:original"), "")
    return ""


def _record(walk: _Walk, el: etree._Element, kind: str, text: str,
            bookmark: str | None = None) -> int:
    """Append a record for revision element `el`; return its index."""
    move = None
    if kind.endswith("move-from"):
        move = walk.moves.get("from")
    elif kind.endswith("move-to"):
        move = walk.moves.get("to")
    bookmark = _current_bookmark(walk) or bookmark
    walk.records.append(RevisionRecord(
        kind=kind, author=el.get(AUTHOR) or "unknown", date=el.get(DATE) or None, text=text,
        part=walk.part, story=walk.story, heading=walk.heading, bookmark=bookmark,
        parent=walk.enclosing[-1] if walk.enclosing else None, move=move, element=el,
        duplicate=walk.in_fallback > 0,
    ))
    return len(walk.records) - 1


def _bookmark_start(el: etree._Element, walk: _Walk) -> None:
    """Open one of our source bookmarks (others are ignored)."""
    name = el.get(NAME, "")
    if is_source_bookmark(name):
        walk.open_bookmarks.append((el.get(ID, ""), name))
        if walk.paragraphs:
            walk.paragraphs[-1].opened = name


def _bookmark_end(el: etree._Element, walk: _Walk) -> None:
    """Close the open source bookmark with this w:id, if any."""
    bid = el.get(ID, "")
    for i in range(len(walk.open_bookmarks) - 1, -1, -1):
        if walk.open_bookmarks[i][0] == bid:
            del walk.open_bookmarks[i]
            return


def _comment_start(el: etree._Element, walk: _Walk) -> None:
    """Start collecting a comment's anchor text here."""
    cid = el.get(ID, "")
    walk.open_comments[cid] = []
    walk.anchors[cid] = _anchor_here(walk)


def _comment_end(el: etree._Element, walk: _Walk) -> None:
    """Finish a comment's anchor text."""
    cid = el.get(ID, "")
    chunks = walk.open_comments.pop(cid, None)
    if chunks is not None:
        walk.anchors[cid].text = "".join(chunks)


def _comment_reference(el: etree._Element, walk: _Walk) -> None:
    """Anchor a point comment (one with no range) where it is referenced."""
    cid = el.get(ID, "")
    if cid not in walk.anchors:  # a point comment: no range, anchored where it is referenced
        walk.anchors[cid] = _anchor_here(walk)


def _anchor_here(walk: _Walk) -> AnchorRecord:
    return AnchorRecord(story=walk.story, heading=walk.heading, bookmark=_current_bookmark(walk))


def _current_bookmark(walk: _Walk) -> str | None:
    """Return the source bookmark (briefing item) that the walk is in now, or None.

    The innermost open one; else, where editing moved text out of it (Word and
    LibreOffice put a bookmark's start inside a deletion, or typed text after
    its end), the paragraph's own; else, for a paragraph split off a sourced
    one (a paragraph mark inserted), that paragraph's. Template wording (headings,
    labels, table headers) belongs to no item.
    """
    if walk.open_bookmarks:
        return walk.open_bookmarks[-1][1]
    if not walk.paragraphs:
        return None
    ctx = walk.paragraphs[-1]
    if ctx.opened or ctx.first:
        return ctx.opened or ctx.first
    return walk.carry if ctx.continues else None


def _move_start(side: str):
    """Return the handler that enters a move range of `side` ('from' or 'to')."""
    def start(el: etree._Element, walk: _Walk) -> None:
        name = el.get(NAME)
        if name:
            walk.moves[side] = name
        else:
            walk.moves.pop(side, None)
    return start


def _move_end(side: str):
    """Return the handler that leaves a move range of `side`."""
    def end(el: etree._Element, walk: _Walk) -> None:
        walk.moves.pop(side, None)
    return end


_MARKERS = {
    BOOKMARK_START: _bookmark_start, BOOKMARK_END: _bookmark_end,
    COMMENT_START: _comment_start, COMMENT_END: _comment_end, COMMENT_REF: _comment_reference,
    MOVE_FROM_START: _move_start("from"), MOVE_FROM_END: _move_end("from"),
    MOVE_TO_START: _move_start("to"), MOVE_TO_END: _move_end("to"),
}


def revision_parts(pkg: Package) -> list[str]:
    """Return the parts that may hold revisions: every story, then styles and numbering."""
    return [*pkg.story_parts(), *pkg.related_parts(("styles", "numbering"))]


def read_package(pkg: Package) -> tuple[list[RevisionRecord], dict[str, AnchorRecord]]:
    """Return every revision of a package (stories in order) and its comment anchors by id."""
    styles = read_styles(pkg)
    records: list[RevisionRecord] = []
    anchors: dict[str, AnchorRecord] = {}
    for part in revision_parts(pkg):
        found, part_anchors = read_part(pkg.xml(part), part, styles)
        base = len(records)
        for record in found:
            if record.parent is not None:
                record.parent += base
        records.extend(found)
        for cid, anchor in part_anchors.items():
            anchors.setdefault(cid, anchor)
    return records, anchors


def move_range_starts(root: etree._Element, names: set[str]) -> list[etree._Element]:
    """Return the move range starts under `root` whose w:name is in `names`."""
    return [el for el in root.iter(MOVE_FROM_START, MOVE_TO_START) if el.get(NAME) in names]
