"""Read and remove comments: `word/comments.xml` plus its Word 2013+ companions.

A comment (ECMA-376 Part 1, 17.13.4) is a `w:comment` in the comments part,
anchored in a story by `w:commentRangeStart` / `w:commentRangeEnd` and a
`w:commentReference` run (a point comment has only the reference). Replies and
the resolved ("done") state live in `commentsExtended.xml` (MS-DOCX 2.5.x):
each `w15:commentEx` names the `w14:paraId` of its comment's last paragraph,
its parent's paraId and `w15:done`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from lxml import etree

from briefing.ooxml.ns import CT, PR, W14, W15, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.revisions import COMMENT_END, COMMENT_REF, COMMENT_START, RPR, P, R

COMMENT_REL_SUFFIXES = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible")
_T, _TAB, _BR = qn("w:t"), qn("w:tab"), qn("w:br")


@dataclass
class CommentRecord:
    """One comment as stored: id, author, date, text, and thread/resolved state."""

    id: str
    author: str
    date: str | None
    text: str
    para_id: str | None
    parent_para_id: str | None = None
    resolved: bool = False


def comments_part(pkg: Package) -> str | None:
    """Return the name of the main document's comments part, or None."""
    return _related(pkg, "/comments")


def read_comments(pkg: Package) -> list[CommentRecord]:
    """Return the comments of a package in stored order, with replies and resolved state."""
    name = comments_part(pkg)
    if name is None:
        return []
    records = [_comment(el) for el in pkg.xml(name).iter(qn("w:comment"))]
    extended = _related(pkg, "/commentsExtended")
    if extended is not None:
        _apply_extended(pkg.xml(extended), records)
    return records


def _comment(el: etree._Element) -> CommentRecord:
    """Return the record of one w:comment element."""
    paragraphs = [p for p in el.iter(P)]
    text = "\n".join(_paragraph_text(p) for p in paragraphs)
    para_id = paragraphs[-1].get(f"{{{W14}}}paraId") if paragraphs else None
    return CommentRecord(id=el.get(qn("w:id"), ""), author=el.get(qn("w:author")) or "unknown",
                         date=el.get(qn("w:date")) or None, text=text, para_id=para_id)


def _paragraph_text(p: etree._Element) -> str:
    """Return the visible text of a comment paragraph."""
    out = []
    for node in p.iter(_T, _TAB, _BR):
        out.append(node.text or "" if node.tag == _T else ("\t" if node.tag == _TAB else "\n"))
    return "".join(out)


def _apply_extended(root: etree._Element, records: list[CommentRecord]) -> None:
    """Set parent and resolved state on `records` from commentsExtended.xml."""
    by_para = {r.para_id: r for r in records if r.para_id}
    for ex in root.iter(f"{{{W15}}}commentEx"):
        record = by_para.get(ex.get(f"{{{W15}}}paraId"))
        if record is None:
            continue
        record.parent_para_id = ex.get(f"{{{W15}}}paraIdParent")
        record.resolved = ex.get(f"{{{W15}}}done", "0") in ("1", "true", "on")


def _related(pkg: Package, suffix: str) -> str | None:
    """Return the main part's related part whose relationship type ends with `suffix`."""
    main = pkg.main_part or "word/document.xml"
    for rel in pkg.rels(main):
        if rel.type.endswith(suffix) and not rel.external and rel.target in pkg.parts:
            return rel.target
    return None


def strip_comment_markup(root: etree._Element) -> bool:
    """Remove comment ranges and reference runs from a story; return True if any were found."""
    found = False
    for el in list(root.iter(COMMENT_START, COMMENT_END)):
        el.getparent().remove(el)
        found = True
    for ref in list(root.iter(COMMENT_REF)):
        run = ref.getparent()
        run.remove(ref)
        found = True
        if run.tag == R and all(child.tag == RPR for child in run):
            run.getparent().remove(run)
    return found


def drop_comments(pkg: Package) -> int:
    """Remove every comment from `pkg` (markup, parts, relationships, content types).

    Returns how many comments there were.
    """
    count = len(read_comments(pkg))
    for story in pkg.story_parts():
        if not story.endswith("comments.xml"):
            strip_comment_markup(pkg.xml(story))
    main = pkg.main_part or "word/document.xml"
    doomed = [rel for rel in pkg.rels(main)
              if rel.type.endswith(COMMENT_REL_SUFFIXES) and not rel.external]
    for rel in doomed:
        _remove_rel(pkg, main, rel.id)
        _remove_part(pkg, rel.target)
    return count


def _rels_name(source: str) -> str:
    """Return the name of the relationships part of part `source`."""
    base, fname = posixpath.split(source)
    return posixpath.join(base, "_rels", f"{fname}.rels")


def _remove_rel(pkg: Package, source: str, rel_id: str) -> None:
    """Remove relationship `rel_id` from part `source`'s relationships."""
    root = pkg.xml(_rels_name(source))
    for el in list(root.iter(f"{{{PR}}}Relationship")):
        if el.get("Id") == rel_id:
            root.remove(el)


def _remove_part(pkg: Package, name: str) -> None:
    """Remove part `name`, its content-type override, its rels and parts only it used."""
    if name not in pkg.parts:
        return
    own = [r for r in pkg.rels(name) if not r.external]
    rels = _rels_name(name)
    pkg.remove(name)
    pkg.remove(rels)
    ct = pkg.xml("[Content_Types].xml")
    for el in list(ct.iter(f"{{{CT}}}Override")):
        if el.get("PartName", "").lstrip("/") == name:
            ct.remove(el)
    for rel in own:
        if not _still_used(pkg, rel.target):
            _remove_part(pkg, rel.target)


def _still_used(pkg: Package, target: str) -> bool:
    """Return True when some remaining relationship points at part `target`."""
    for name in list(pkg.parts):
        if name.endswith(".rels"):
            source = _source_of_rels(name)
            if any(r.target == target and not r.external for r in pkg.rels(source)):
                return True
    return False


def _source_of_rels(rels_name: str) -> str:
    """Return the part a .rels part belongs to ('' for the package rels)."""
    folder, fname = posixpath.split(rels_name)
    base = posixpath.dirname(folder)
    return posixpath.join(base, fname[: -len(".rels")]) if fname != ".rels" else ""
