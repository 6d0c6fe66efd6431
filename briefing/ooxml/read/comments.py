"""Read and remove comments: `word/comments.xml` plus its Word 2013+ companions.

A comment (ECMA-376 Part 1, 17.13.4) is a `w:comment` in the comments part,
anchored in a story by `w:commentRangeStart` / `w:commentRangeEnd` and a
`w:commentReference` run (a point comment has only the reference). Replies and
the resolved ("done") state live in `commentsExtended.xml` (MS-DOCX 2.5.x):
each `w15:commentEx` names the `w14:paraId` of its comment's last paragraph,
its parent's paraId and `w15:done`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from briefing.ooxml.ns import W14, W15, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.revisions import COMMENT_END, COMMENT_REF, COMMENT_START, RPR, P, R
from briefing.ooxml.read.text import paragraph_text

COMMENT_KINDS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible")


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
    return pkg.related_part("comments")


def read_comments(pkg: Package) -> list[CommentRecord]:
    """Return the comments of a package in stored order, with replies and resolved state."""
    name = comments_part(pkg)
    if name is None:
        return []
    records = [_comment(el) for el in pkg.xml(name).iter(qn("w:comment"))]
    extended = pkg.related_part("commentsExtended")
    if extended is not None:
        _apply_extended(pkg.xml(extended), records)
    return records


def _comment(el: etree._Element) -> CommentRecord:
    """Return the record of one w:comment element."""
    paragraphs = [p for p in el.iter(P)]
    text = "\n".join(paragraph_text(p) for p in paragraphs)
    para_id = paragraphs[-1].get(f"{{{W14}}}paraId") if paragraphs else None
    return CommentRecord(id=el.get(qn("w:id"), ""), author=el.get(qn("w:author")) or "unknown",
                         date=el.get(qn("w:date")) or None, text=text, para_id=para_id)


def _apply_extended(root: etree._Element, records: list[CommentRecord]) -> None:
    """Set parent and resolved state on `records` from commentsExtended.xml."""
    by_para = {r.para_id: r for r in records if r.para_id}
    for ex in root.iter(f"{{{W15}}}commentEx"):
        record = by_para.get(ex.get(f"{{{W15}}}paraId") or "")
        if record is None:
            continue
        record.parent_para_id = ex.get(f"{{{W15}}}paraIdParent")
        record.resolved = ex.get(f"{{{W15}}}done", "0") in ("1", "true", "on")


def strip_comment_markup(root: etree._Element) -> None:
    """Remove comment ranges and reference runs (and runs left empty) from a story."""
    for el in list(root.iter(COMMENT_START, COMMENT_END, COMMENT_REF)):
        parent = el.getparent()
        if parent is None:
            continue
        parent.remove(el)
        holder = parent.getparent()
        if (el.tag == COMMENT_REF and parent.tag == R and holder is not None
                and all(child.tag == RPR for child in parent)):
            holder.remove(parent)


def drop_comments(pkg: Package) -> int:
    """Remove every comment from `pkg` (markup, parts, relationships, content types).

    Returns how many comments there were.
    """
    count = len(read_comments(pkg))
    for story in pkg.story_parts():
        if not story.endswith("comments.xml"):
            strip_comment_markup(pkg.xml(story))
    main = pkg.main_name
    doomed = [rel for rel in pkg.rels(main)
              if rel.kind in COMMENT_KINDS and not rel.external]
    for rel in doomed:
        pkg.remove_relationship(main, rel.id)
        pkg.drop_part(rel.target)
    return count


def comment_authors(pkg: Package) -> list[str]:
    """Return the author of each comment in the package, in order (repeats kept, '' unnamed)."""
    name = comments_part(pkg)
    if name is None:
        return []
    return [(el.get(qn("w:author")) or "").strip() for el in pkg.xml(name).iter(qn("w:comment"))]


def people(pkg: Package) -> list[str]:
    """Return the people Word lists as authors of the document's changes and comments.

    Word keeps `word/people.xml` (w15:person, [MS-DOCX] 2.6.8) after changes
    are accepted in Word itself, so it still names who edited the document.
    """
    name = pkg.related_part("people")
    if name is None:
        return []
    out: list[str] = []
    for el in pkg.xml(name).iter(f"{{{W15}}}person"):
        author = (el.get(f"{{{W15}}}author") or "").strip()
        if author and author not in out:
            out.append(author)
    return out
