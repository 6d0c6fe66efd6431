"""Comments carried from a member's copy into the combined draft (ECMA-376 Part 1, 17.13.4).

The copy's `w:comment` elements join the draft's comments part (made when the
draft has none) with their authors, dates and text; their replies and
resolved state (`w15:commentEx`, MS-DOCX 2.5) join the draft's
commentsExtended part. Ids were made unique across copies beforehand
(`merge.shift_ids`). A comment whose anchor did not come through with the
member's blocks is anchored again around the paragraph of its briefing item.
"""

from __future__ import annotations

import copy

from lxml import etree

from briefing.ooxml import tree
from briefing.ooxml.ns import MC, W14, W15, W, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.comments import comments_part
from briefing.ooxml.track.blocks import paragraph_sid

RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
RT_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_EXTENDED = ("application/vnd.openxmlformats-officedocument.wordprocessingml."
               "commentsExtended+xml")
START, END, REF = qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference")
P, PPR, R, W_ID = qn("w:p"), qn("w:pPr"), qn("w:r"), qn("w:id")


def carry_comments(source: Package, target: Package) -> int:
    """Append `source`'s comments (and their thread state) to `target`; return how many."""
    name = comments_part(source)
    if name is None:
        return 0
    found = list(source.xml(name).iter(qn("w:comment")))
    if not found:
        return 0
    into = _part(target, "word/comments.xml", RT_COMMENTS, CT_COMMENTS, "w:comments")
    for el in found:
        into.append(copy.deepcopy(el))
    extended = source.related_part("commentsExtended")
    if extended is not None:
        entries = list(source.xml(extended).iter(f"{{{W15}}}commentEx"))
        if entries:
            ext = _part(target, "word/commentsExtended.xml", RT_EXTENDED, CT_EXTENDED,
                        "w15:commentsEx")
            for ex in entries:
                ext.append(copy.deepcopy(ex))
    return len(found)


def _part(pkg: Package, name: str, rel_type: str, content_type: str,
          root_tag: str) -> etree._Element:
    """Return the root of the main part's related part of `rel_type`, made when missing."""
    existing = pkg.related_part(rel_type.rsplit("/", 1)[-1])
    if existing is not None:
        return pkg.xml(existing)
    prefix, local = root_tag.split(":")
    ns = W if prefix == "w" else W15
    root = etree.Element(f"{{{ns}}}{local}", nsmap={"w": W, "w14": W14, "w15": W15, "mc": MC})
    root.set(f"{{{MC}}}Ignorable", "w14 w15")  # paragraph ids and thread state, as Word writes
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    pkg.add_part(pkg.main_name, name, data, rel_type, content_type)
    return pkg.xml(name)


def anchor_missing(body: etree._Element, wanted: dict[str, str]) -> int:
    """Anchor each comment id of `wanted` (id -> source bookmark) that has no reference in
    `body` around the paragraph carrying that bookmark; return how many were anchored."""
    present = {el.get(W_ID) for el in body.iter(REF)}
    by_sid = {}
    for para in body.iter(P):
        sid = paragraph_sid(para)
        if sid and sid not in by_sid:
            by_sid[sid] = para
    done = 0
    for cid, sid in wanted.items():
        p = by_sid.get(sid)
        if cid in present or p is None:
            continue
        for el in list(p.iter(START, END)):
            if el.get(W_ID) == cid:
                tree.parent(el).remove(el)
        start = etree.Element(START)
        start.set(W_ID, cid)
        ppr = p.find(PPR)
        p.insert(0 if ppr is None else p.index(ppr) + 1, start)
        end = etree.SubElement(p, END)
        end.set(W_ID, cid)
        run = etree.SubElement(p, R)
        etree.SubElement(run, REF).set(W_ID, cid)
        done += 1
    return done


__all__ = ["anchor_missing", "carry_comments"]
