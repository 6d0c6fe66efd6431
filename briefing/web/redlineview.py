"""What the Clearance page shows of a combined document: each changed paragraph as a redline.

Read only: the combined .docx is the one `briefing combine` writes, its
changes are read by `briefing.clearance.review` (the same records as
`briefing review`), and each paragraph holding a change is shown word by word:
unchanged text, deleted text (struck) and inserted text (underlined), each
change with its member's name beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from briefing.clearance.review import OUTSIDE, Review
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import read_source_map
from briefing.ooxml.track.blocks import paragraph_sid

P, T, DEL_TEXT, TAB = qn("w:p"), qn("w:t"), qn("w:delText"), qn("w:tab")
INS, DEL = qn("w:ins"), qn("w:del")


@dataclass
class Segment:
    """A stretch of a paragraph: 'same', 'ins' or 'del', with the member who made it."""

    kind: str
    text: str
    author: str = ""


@dataclass
class Paragraph:
    """A paragraph holding changes: the briefing item it is in and its segments."""

    item: str
    segments: list[Segment]

    @property
    def authors(self) -> list[str]:
        return list(dict.fromkeys(s.author for s in self.segments if s.author))


@dataclass
class Shown:
    """The combined review as the page shows it."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    items: dict[str, list[Paragraph]] = field(default_factory=dict)
    members: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    conflicts: list[dict[str, str]] = field(default_factory=list)
    comments: list[dict[str, str]] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return sum(len(v) for v in self.members.values())


def shown(path: Path, review: Review) -> Shown:
    """Return the paragraphs with changes of the document at `path`, and `review` by member."""
    pkg = Package.open(path)
    smap = read_source_map(pkg)
    root = pkg.xml(pkg.main_part or "word/document.xml")
    out = Shown()
    for p in root.iter(P):
        segments = _segments(p)
        if not any(s.kind != "same" for s in segments):
            continue
        sid = paragraph_sid(p)
        item = (smap.ids.get(sid, sid) if smap is not None and sid else sid) or OUTSIDE
        para = Paragraph(item, segments)
        out.paragraphs.append(para)
        out.items.setdefault(item, []).append(para)
    for r in review.revisions:
        verb = {"insert": "inserted", "delete": "deleted"}.get(r.kind, r.kind)
        out.members.setdefault(r.author, []).append((r.item or OUTSIDE, verb, r.text))
    done: set[int] = set()
    for n, r in enumerate(review.revisions):
        if r.conflict is not None and n not in done:
            other = review.revisions[r.conflict]
            done |= {n, r.conflict}
            out.conflicts.append({"item": r.item or OUTSIDE, "a": r.author, "a_text": r.text,
                                  "b": other.author, "b_text": other.text})
    for c in review.comments:
        out.comments.append({"item": c.item or OUTSIDE, "author": c.author, "text": c.text,
                             "anchor": c.anchor_text})
    return out


def _segments(p: etree._Element) -> list[Segment]:
    """Return the paragraph's text as unchanged, deleted and inserted stretches."""
    out: list[Segment] = []
    for el in p.iter(T, DEL_TEXT, TAB):
        if next(el.iterancestors(P), None) is not p:
            continue  # text of a nested paragraph (a text box) is its own paragraph
        text = "\t" if el.tag == TAB else (el.text or "")
        kind, author = "same", ""
        for anc in el.iterancestors():
            if anc is p:
                break
            if anc.tag in (INS, DEL):
                kind = "ins" if anc.tag == INS else "del"
                author = anc.get(qn("w:author")) or ""
                break
        if out and out[-1].kind == kind and out[-1].author == author:
            out[-1].text += text
        else:
            out.append(Segment(kind, text, author))
    return out
