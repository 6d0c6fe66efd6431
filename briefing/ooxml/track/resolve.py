"""Accept or reject tracked changes in a WordprocessingML part (ECMA-376 Part 1, 17.13.5).

`resolve_part(root, accept=..., selected=...)` applies the rules below to every
revision element (or only those in `selected`), innermost first, and repeats
until nothing changes:

Each rule gives the markup, then what accepting does / what rejecting does:

- `w:ins`, `w:moveTo` around content: keep the content / remove it
- `w:del`, `w:moveFrom` around content: remove it / keep it
  (`w:delText` -> `w:t`, `w:delInstrText` -> `w:instrText`)
- paragraph mark `w:pPr/w:rPr/w:del` (`moveFrom`):
  merge the paragraph with the next / drop the marker
- paragraph mark `w:pPr/w:rPr/w:ins` (`moveTo`):
  drop the marker / merge the paragraph with the next
- row `w:trPr/w:del` / `w:trPr/w:ins`:
  remove the row / drop the marker (accept); drop the marker / remove the row (reject)
- `w:cellDel` / `w:cellIns`:
  remove the cell / drop the marker (accept); drop the marker / remove the cell (reject)
- `w:*PrChange`, `w:tblGridChange`: drop it / restore the old properties it holds
- `w:numberingChange`, `w:cellMerge`: drop it / drop it (they hold no restorable state)
- `w:numPr/w:ins`: drop the marker / remove the numbering
- move and custom-XML range markers: removed with their revisions / the same

Merging keeps the next paragraph's properties: the paragraph mark carries
them, and the mark that survives is the next paragraph's. A mark that has no
following paragraph in the same container (the last in a cell, before a
table) cannot merge; its marker is dropped.
"""

from __future__ import annotations

from collections.abc import Collection

from lxml import etree

from briefing.ooxml import tree
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import (
    CONTENT_CHANGES,
    DEL,
    INS,
    MOVE_FROM,
    MOVE_FROM_END,
    MOVE_FROM_START,
    MOVE_TO,
    MOVE_TO_END,
    MOVE_TO_START,
    RANGE_MARKERS,
    REVISION_TAGS,
)
from briefing.ooxml.read.revisions import revision_parts

P, DEL_TEXT, PPR, RPR, TRPR, NUMPR, TR, TC, TBL = (qn(t) for t in (
    "w:p", "w:delText", "w:pPr", "w:rPr", "w:trPr", "w:numPr", "w:tr", "w:tc", "w:tbl"))

MAX_PASSES = 20
_DEL_INSTR, _INSTR = qn("w:delInstrText"), qn("w:instrText")
_SECT_PR, _TBL_PR, _TBL_GRID, _TC_PR = (qn(t) for t in (
    "w:sectPr", "w:tblPr", "w:tblGrid", "w:tcPr"))
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_FLD_CHAR, _FLD_TYPE = qn("w:fldChar"), qn("w:fldCharType")
_CELL_MARKS = {qn("w:cellIns"), qn("w:cellDel"), qn("w:cellMerge")}
_HEADER_FOOTER_REFS = {qn("w:headerReference"), qn("w:footerReference")}
#: Paragraph-level markup that may stand between two paragraphs and moves with a merge.
_BETWEEN = {qn(f"w:{t}") for t in (
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart",
    "permEnd", "proofErr", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
    "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
    "customXmlDelRangeStart", "customXmlDelRangeEnd")}
_KEPT_MARKERS = tuple(qn(f"w:{t}") for t in (
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart",
    "permEnd"))
_RANGE_END_OF = {MOVE_FROM_END: MOVE_FROM_START, MOVE_TO_END: MOVE_TO_START}


def resolve_part(root: etree._Element, *, accept: bool,
                 selected: Collection[etree._Element] | None = None) -> int:
    """Accept (or reject) the revisions under `root` in place; return how many were resolved.

    `selected` limits the work to those revision elements (None: all of them).
    Range markers of moves are resolved with their moves: include them in
    `selected` to have them removed; orphaned range ends are removed too.
    """
    before = _orphan_field_code(root)  # kept alive: identity marks what was already orphaned
    done = 0
    for _ in range(MAX_PASSES):
        todo = [el for el in root.iter() if el.tag in REVISION_TAGS
                and (selected is None or el in selected)]
        if not todo:
            break
        for el in reversed(todo):  # descendants follow ancestors: innermost first
            if _alive(el, root):
                _resolve_one(el, accept)
                done += 1
    _drop_orphan_range_ends(root)
    if done:
        _drop_field_code_left_behind(root, set(before))
    return done


def _alive(el: etree._Element, root: etree._Element) -> bool:
    """Return True while `el` is still in the tree under `root`."""
    node: etree._Element | None = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _resolve_one(el: etree._Element, accept: bool) -> None:
    """Apply the accept or reject rule to one revision element."""
    parent = tree.parent(el)
    ptag = parent.tag
    tag = el.tag
    if tag in RANGE_MARKERS:
        tree.detach(el)
    elif tag in CONTENT_CHANGES and ptag == RPR:
        _resolve_mark(el, accept)
    elif tag in (INS, DEL) and ptag == TRPR:
        _resolve_row(el, accept)
    elif tag == INS and ptag == NUMPR:
        tree.detach(parent if not accept else el)
    elif tag in CONTENT_CHANGES:
        keep = (tag in (INS, MOVE_TO)) == accept
        if keep:
            _unwrap(el, deleted=(tag == DEL))
        else:
            _remove_content(el)
    elif tag in _CELL_MARKS:
        _resolve_cell(el, accept)
    elif accept or tag == qn("w:numberingChange"):
        tree.detach(el)
    else:
        _restore_properties(el)


def _resolve_mark(el: etree._Element, accept: bool) -> None:
    """Resolve a paragraph-mark revision: merge with the next paragraph or drop the marker."""
    ppr = tree.parent(el).getparent()
    p = ppr.getparent() if ppr is not None and ppr.tag == PPR else None
    removed_mark = (el.tag in (DEL, MOVE_FROM)) == accept
    tree.detach(el)
    if removed_mark and p is not None and p.tag == P:
        _merge_with_next(p)


def _merge_with_next(p: etree._Element) -> None:
    """Move `p`'s content to the start of the next paragraph and remove `p`, if there is one.

    Block content controls (`w:sdt`) do not end a paragraph's story: the next
    paragraph may be the first one after the control `p` ends, or the first
    one inside the control that follows, as LibreOffice and Word merge them.
    A control left with no content by the merge goes with it.
    """
    between: list[etree._Element] = []
    node, nxt = p, p.getnext()
    while True:
        while nxt is not None and (not isinstance(nxt.tag, str) or nxt.tag in _BETWEEN):
            between.append(nxt)
            nxt = nxt.getnext()
        holder = node.getparent()
        if nxt is None and holder is not None and holder.tag == _SDT_CONTENT:
            node = tree.parent(holder)  # step out of the control p ends
            nxt = node.getnext()
        elif nxt is not None and nxt.tag == _SDT and nxt.find(_SDT_CONTENT) is not None:
            content = tree.child(nxt, _SDT_CONTENT)
            node, nxt = content, (content[0] if len(content) else None)  # step in
        else:
            break
    if nxt is None or nxt.tag != P:
        return
    moving = [c for c in p if c.tag != PPR] + between
    at = 1 if (len(nxt) and nxt[0].tag == PPR) else 0
    for offset, child in enumerate(moving):
        nxt.insert(at + offset, child)
    holder = tree.parent(p)
    holder.remove(p)
    if holder.tag == _SDT_CONTENT and not any(isinstance(c.tag, str) for c in holder):
        tree.detach(tree.parent(holder))


def _resolve_row(el: etree._Element, accept: bool) -> None:
    """Resolve a row insertion or deletion: remove the row or just the marker."""
    row = tree.parent(el).getparent()
    if (el.tag == DEL) == accept and row is not None and row.tag == TR:
        _remove_row(row)
    else:
        tree.detach(el)


def _remove_row(row: etree._Element) -> None:
    """Remove a table row, and its table too when no row is left."""
    table = tree.parent(row)
    table.remove(row)
    if table.tag == TBL and table.find(TR) is None:
        _remove_table(table)


def _remove_table(table: etree._Element) -> None:
    """Remove a table left without rows, keeping a cell it sat in valid (a cell ends with w:p)."""
    holder = tree.parent(table)
    holder.remove(table)
    if holder.tag == TC and holder.find(P) is None and holder.find(TBL) is None:
        etree.SubElement(holder, P)


def _resolve_cell(el: etree._Element, accept: bool) -> None:
    """Resolve a cell insertion or deletion: remove the cell or just the marker."""
    cell = tree.parent(el).getparent()
    goes = (el.tag == qn("w:cellDel") and accept) or (el.tag == qn("w:cellIns") and not accept)
    if goes and cell is not None and cell.tag == TC:
        row = tree.parent(cell)
        row.remove(cell)
        if row.find(TC) is None:
            _remove_row(row)
    else:
        tree.detach(el)


def _restore_properties(change: etree._Element) -> None:
    """Reject a property change: put back the old properties it holds (17.13.5.x)."""
    owner = tree.parent(change)
    old = change[0] if len(change) and isinstance(change[0].tag, str) else None
    keep = _kept_on_restore(owner)
    replacement = [c for c in old] if old is not None else []
    current = [c for c in owner if isinstance(c.tag, str)]
    lead = [c for c in current if c in keep and _leads(c)]
    trail = [c for c in current if c in keep and not _leads(c)]
    for child in list(owner):
        owner.remove(child)
    for child in lead + replacement + trail:
        owner.append(child)


def _kept_on_restore(owner: etree._Element) -> set[etree._Element]:
    """Return the children of a properties element that an old-properties restore keeps."""
    tag = owner.tag
    if tag == PPR:  # CT_PPrBase excludes the mark's rPr and sectPr
        return {c for c in owner if c.tag in (RPR, _SECT_PR)}
    if tag == RPR:  # a paragraph mark's rPr keeps its own revision markers
        return {c for c in owner if c.tag in (INS, DEL, MOVE_FROM, MOVE_TO)}
    if tag == _SECT_PR:
        return {c for c in owner if c.tag in _HEADER_FOOTER_REFS}
    if tag == TRPR:
        return {c for c in owner if c.tag in (INS, DEL)}
    if tag == _TC_PR:
        return {c for c in owner if c.tag in _CELL_MARKS}
    return set()


def _leads(el: etree._Element) -> bool:
    """Return True for kept children that come before the restored properties."""
    if el.tag in _HEADER_FOOTER_REFS:
        return True
    parent = el.getparent()
    return parent is not None and parent.tag == RPR and el.tag in CONTENT_CHANGES


def _unwrap(el: etree._Element, *, deleted: bool) -> None:
    """Replace `el` with its children; deleted text becomes ordinary text again."""
    if deleted:
        for node in el.iter(DEL_TEXT, _DEL_INSTR):
            node.tag = qn("w:t") if node.tag == DEL_TEXT else _INSTR
    parent = tree.parent(el)
    at = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(at + offset, child)
    parent.remove(el)


def _remove_content(el: etree._Element) -> None:
    """Remove revised content but keep the bookmarks and comment ranges that sat in it.

    Editors put a bookmark's start inside a deletion (LibreOffice does, with our
    source-id bookmarks); the bookmark is not content and survives, as in Word.
    """
    parent = tree.parent(el)
    at = parent.index(el)
    for offset, marker in enumerate([m for m in el.iter(*_KEPT_MARKERS)]):
        parent.insert(at + offset, marker)
    parent.remove(el)


def _drop_orphan_range_ends(root: etree._Element) -> None:
    """Remove move range ends whose start is gone (ends refer to starts by w:id)."""
    starts = {tag: {el.get(qn("w:id")) for el in root.iter(tag)}
              for tag in (MOVE_FROM_START, MOVE_TO_START)}
    for end_tag, start_tag in _RANGE_END_OF.items():
        for end in list(root.iter(end_tag)):
            if end.get(qn("w:id")) not in starts[start_tag]:
                tree.detach(end)


def _orphan_field_code(root: etree._Element) -> list[etree._Element]:
    """Return the field code and field characters under `root` that belong to no field:
    instructions outside a field's code, separators and ends with no begin (17.16.18)."""
    orphans: list[etree._Element] = []
    open_fields: list[str] = []  # per open field: "code" until its separator, then "result"
    for el in root.iter(_FLD_CHAR, _INSTR, _DEL_INSTR):
        kind = el.get(_FLD_TYPE) if el.tag == _FLD_CHAR else "instr"
        if kind == "begin":
            open_fields.append("code")
        elif kind == "separate" and open_fields and open_fields[-1] == "code":
            open_fields[-1] = "result"
        elif kind == "end" and open_fields:
            open_fields.pop()
        elif kind in ("separate", "end") or not open_fields or open_fields[-1] != "code":
            orphans.append(el)
    return orphans


def _drop_field_code_left_behind(root: etree._Element, before: set[etree._Element]) -> None:
    """Remove field code that resolving cut off from its field (the begin and first
    instruction deleted, a switch not): what is left of the code is not text, and
    Word and LibreOffice drop it with the field. The field's result stays as text."""
    for el in _orphan_field_code(root):
        if el in before:
            continue  # damaged before we started: not ours to change
        run_el = tree.parent(el)
        tree.detach(el)
        if run_el.tag == qn("w:r") and all(c.tag == RPR for c in run_el):
            tree.detach(run_el)


def resolvable_parts(pkg: Package) -> list[str]:
    """Return every WordprocessingML part of `pkg` that may hold revision markup."""
    parts = revision_parts(pkg)
    for name in sorted(pkg.parts):
        if name in parts or not name.endswith(".xml"):
            continue
        ctype = pkg.content_type(name) or ""
        if "wordprocessingml" in ctype and not ctype.endswith(
                ("settings+xml", "fontTable+xml", "webSettings+xml")):
            parts.append(name)
    return parts
