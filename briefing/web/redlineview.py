"""What the Clearance page shows of a combined document: each changed paragraph as a redline.

Read only: the combined .docx is the one `briefing combine` writes, its
changes are read by `briefing.clearance.review` (the same records as
`briefing review`), and each paragraph holding a change is shown word by word:
unchanged text, deleted text (struck) and inserted text (underlined), each
change with its member's name beside it. A paragraph holding a comment is
shown too: the words the comment is anchored on are marked, and the comment
(with its replies and resolved state) stands where its range ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from briefing.clearance.review import OUTSIDE, Comment, Review
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.revisions import COMMENT_END, COMMENT_REF, COMMENT_START
from briefing.ooxml.sourcemap import read_source_map
from briefing.ooxml.track.blocks import paragraph_sid

P, T, DEL_TEXT, TAB = qn("w:p"), qn("w:t"), qn("w:delText"), qn("w:tab")
INS, DEL = qn("w:ins"), qn("w:del")


@dataclass
class Note:
    """A comment thread as shown beside its text: its HTML id and (author, text) per line,
    the comment first, then its replies."""

    id: str
    lines: list[tuple[str, str]]
    resolved: bool = False


@dataclass
class Segment:
    """A stretch of a paragraph: 'same', 'ins' or 'del', with the member who made it, and
    the ids of the comments anchored on it; or a 'note', the comment thread itself."""

    kind: str
    text: str
    author: str = ""
    notes: tuple[str, ...] = ()
    note: Note | None = None
    stop: bool = False  # the first stretch of a comment's words: one keyboard stop for it


@dataclass
class Paragraph:
    """A paragraph holding changes: the briefing item it is in and its segments."""

    item: str
    segments: list[Segment]

    @property
    def authors(self) -> list[str]:
        return list(dict.fromkeys(s.author for s in self.segments if s.author))

    @property
    def changed(self) -> bool:
        """Return True when the paragraph holds a change (not only a comment)."""
        return any(s.kind in ("ins", "del") for s in self.segments)


@dataclass(frozen=True)
class Change:
    """One change as the page lists it, with the number `briefing review` gives it."""

    number: int
    author: str
    item: str
    verb: str
    text: str
    decided: str | None = None  # its conflict was decided for this other wording


@dataclass
class Shown:
    """The combined review as the page shows it."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    items: dict[str, list[Paragraph]] = field(default_factory=dict)
    members: dict[str, list[Change]] = field(default_factory=dict)
    conflicts: list[dict[str, str]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return sum(len(v) for v in self.members.values())

    @property
    def changed(self) -> list[Paragraph]:
        """Return the paragraphs that hold a change."""
        return [p for p in self.paragraphs if p.changed]


def shown(path: Path, review: Review) -> Shown:
    """Return the paragraphs with changes of the document at `path`, and `review` by member."""
    pkg = Package.open(path)
    smap = read_source_map(pkg)
    root = pkg.xml(pkg.main_name)
    out = Shown()
    walk = _Walk(_notes(review.comments))
    for p in root.iter(P):
        segments = _segments(p, walk)
        if not any(s.kind != "same" or s.notes for s in segments):
            continue
        sid = paragraph_sid(p)
        item = (smap.ids.get(sid, sid) if smap is not None and sid else sid) or OUTSIDE
        para = Paragraph(item, segments)
        out.paragraphs.append(para)
        out.items.setdefault(item, []).append(para)
    for number, r in enumerate(review.revisions, 1):  # numbered as `briefing review` does
        verb = {"insert": "inserted", "delete": "deleted"}.get(r.kind, r.kind)
        out.members.setdefault(r.author, []).append(
            Change(number, r.author, r.item or OUTSIDE, verb, r.text, r.decided))
    done: set[int] = set()
    for n, r in enumerate(review.revisions):
        if r.conflict is not None and n not in done:
            other = review.revisions[r.conflict]
            done |= {n, r.conflict}
            out.conflicts.append({"item": r.item or OUTSIDE, "a": r.author, "a_text": r.text,
                                  "b": other.author, "b_text": other.text})
    for n, c in enumerate(review.comments):
        if c.parent is None:  # a reply is listed under the comment it answers
            out.comments.append({
                "item": c.item or OUTSIDE, "author": c.author, "text": c.text,
                "anchor": c.anchor_text, "resolved": c.resolved,
                "replies": [(review.comments[r].author, review.comments[r].text)
                            for r in _replies(review.comments, n)]})
    return out


@dataclass
class _Walk:
    """The comments met so far in document order: by comment id, the ones open, the placed."""

    notes: dict[str, Note]
    open: list[str] = field(default_factory=list)
    placed: set[str] = field(default_factory=set)
    stops: set[str] = field(default_factory=set)

    def place(self, cid: str) -> Segment | None:
        """Return the note of comment `cid` if it is not shown yet (at its range's end)."""
        note = self.notes.get(cid)
        if note is None or note.id in self.placed:
            return None
        self.placed.add(note.id)
        return Segment("note", "", note=note)


def _notes(comments: list[Comment]) -> dict[str, Note]:
    """Return each comment's thread by comment id: a reply shares the thread it answers."""
    out: dict[str, Note] = {}
    threads: dict[int, Note] = {}
    for n, c in enumerate(comments):
        top, seen = n, {n}
        while (up := comments[top].parent) is not None and up not in seen:
            top = up
            seen.add(up)
        note = threads.get(top)
        if note is None:
            note = threads[top] = Note(f"comment-{top + 1}", [], comments[top].resolved)
        out.setdefault(c.id, note)
    for n in sorted(threads):
        note = threads[n]
        thread = [n, *_replies(comments, n)]
        note.lines = [(comments[i].author, comments[i].text) for i in thread]
    return out


def _replies(comments: list[Comment], n: int) -> list[int]:
    """Return the indexes of the replies to comment `n`, and of theirs, in order."""
    out: list[int] = []
    todo = list(comments[n].replies)
    while todo:
        r = todo.pop(0)
        if r != n and r not in out:
            out.append(r)
            todo[:0] = comments[r].replies
    return out


def _segments(p: etree._Element, walk: _Walk) -> list[Segment]:
    """Return the paragraph's text as unchanged, deleted and inserted stretches, and the
    comments whose ranges end in it."""
    out: list[Segment] = []
    for el in p.iter(T, DEL_TEXT, TAB, COMMENT_START, COMMENT_END, COMMENT_REF):
        if next(el.iterancestors(P), None) is not p:
            continue  # text of a nested paragraph (a text box) is its own paragraph
        if el.tag in (COMMENT_START, COMMENT_END, COMMENT_REF):
            _comment_marker(el, walk, out)
            continue
        text = "\t" if el.tag == TAB else (el.text or "")
        kind, author = "same", ""
        for anc in el.iterancestors():
            if anc is p:
                break
            if anc.tag in (INS, DEL):
                kind = "ins" if anc.tag == INS else "del"
                author = anc.get(qn("w:author")) or ""
                break
        notes = tuple(dict.fromkeys(walk.notes[c].id for c in walk.open))
        if out and (out[-1].kind, out[-1].author, out[-1].notes) == (kind, author, notes):
            out[-1].text += text
        else:
            out.append(Segment(kind, text, author, notes, stop=bool(set(notes) - walk.stops)))
            walk.stops.update(notes)
    return out


def _comment_marker(el: etree._Element, walk: _Walk, out: list[Segment]) -> None:
    """Open or close a comment's range; place its note where the range (or a point) ends."""
    cid = el.get(qn("w:id")) or ""
    if cid not in walk.notes:
        return
    if el.tag == COMMENT_START:
        walk.open.append(cid)
        return
    if cid in walk.open:
        walk.open.remove(cid)
    note = walk.place(cid)
    if note is not None:
        out.append(note)
