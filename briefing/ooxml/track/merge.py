"""Several members' tracked versions of one draft paragraph, merged into one paragraph.

Each member's version of a draft paragraph is the draft's text with tracked
changes (`w:ins`, `w:del`, ECMA-376 Part 1, 17.13.5): read back with the
deletions kept and the insertions left out it is the draft's own text. So each
version is a list of `Edit`s, draft characters [start, end) replaced by new
text, each with its author and date. Edits of different members that touch
different characters all stand; edits that overlap are a conflict: each
member's edits there become their wording of all the words the conflict
covers, the deletion of those words is written once (for the first member)
and every member's wording is kept, each as its own insertion, so the officer
rejects one side (`conflicts` marks them and decides them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml.ns import qn
from briefing.ooxml.read.changes import REVISION_TAGS
from briefing.ooxml.read.text import ALL, SYM, TEXT_TAGS, chars
from briefing.ooxml.track.conflicts import conflict_regions
from briefing.ooxml.track.revids import Stamper

P, R, T, DEL_TEXT, PPR, RPR = (qn(t) for t in ("w:p", "w:r", "w:t", "w:delText", "w:pPr",
                                               "w:rPr"))
INS, DEL = qn("w:ins"), qn("w:del")
W_ID, AUTHOR, DATE = qn("w:id"), qn("w:author"), qn("w:date")
_FLAT = frozenset(qn(f"w:{t}") for t in ("hyperlink", "smartTag", "customXml", "fldSimple",
                                         "sdt", "sdtContent", "dir", "bdo"))
_ZERO = frozenset(qn(f"w:{t}") for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                                         "commentRangeEnd", "permStart", "permEnd"))
_COMMENT_MARKS = frozenset(qn(f"w:{t}") for t in ("commentRangeStart", "commentRangeEnd",
                                                 "commentReference"))
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Edit:
    """Draft characters [start, end) replaced by `text`, by `author` on `date`."""

    start: int
    end: int
    text: str
    author: str
    date: str | None
    rpr: etree._Element | None = None
    member: int = 0

    @property
    def key(self) -> tuple:
        """Return what makes two edits the same change."""
        return (self.start, self.end, self.text)


@dataclass
class Piece:
    """One stretch of a paragraph: its state, text, run properties, or a zero-width element."""

    state: str  # "same", "insert", "delete" or "zero"
    text: str = ""
    rpr: etree._Element | None = None
    author: str = ""
    date: str | None = None
    el: etree._Element | None = None


@dataclass
class Merged:
    """A merged paragraph and the conflicts found in it (pairs of members' edits)."""

    paragraph: etree._Element
    conflicts: list[tuple[Edit, Edit]] = field(default_factory=list)


def pieces(p: etree._Element) -> list[Piece] | None:
    """Return the pieces of paragraph `p` in order, or None when it holds more than text."""
    out: list[Piece] = []
    if not _walk(p, out, "same", "", None):
        return None
    return out


def _walk(parent: etree._Element, out: list[Piece], state: str, author: str,
          date: str | None) -> bool:
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str) or tag == PPR:
            continue
        if tag in (INS, DEL):
            if state != "same":
                return False  # a revision inside a revision: leave the paragraph whole
            kind = "insert" if tag == INS else "delete"
            if not _walk(child, out, kind, child.get(AUTHOR) or "Unknown Author",
                         child.get(DATE)):
                return False
        elif tag == R and _comment_reference(child):
            out.append(Piece("zero", el=child))  # a member's comment: it has no text
        elif tag == R:
            rpr = child.find(RPR)
            for item in child:
                if item.tag == RPR or not isinstance(item.tag, str):
                    continue
                if item.tag in TEXT_TAGS and item.tag != SYM:
                    text = chars(item, ALL)  # the one character policy (read/text.py)
                elif item.tag == qn("w:lastRenderedPageBreak"):
                    continue
                else:
                    return False  # fields, symbols, pictures, notes: not merged word by word
                if text:
                    out.append(Piece(state, text, rpr, author, date))
        elif tag in _ZERO:
            out.append(Piece("zero", el=child))
        elif tag in _FLAT:
            if not _walk(child, out, state, author, date):
                return False
        elif tag != qn("w:proofErr"):
            return False
    return True


def _comment_reference(run: etree._Element) -> bool:
    """Return True for a run that holds a comment's reference mark and nothing else."""
    marks = [c.tag for c in run if isinstance(c.tag, str) and c.tag != RPR]
    return bool(marks) and all(tag in _COMMENT_MARKS for tag in marks)


def _comment_marks(ps: list[Piece]) -> dict[int, list[etree._Element]]:
    """Return a version's comment marks (range starts and ends, reference runs) by their
    place in the draft's text: merged, a paragraph keeps the comments members made on it."""
    out: dict[int, list[etree._Element]] = {}
    pos = 0
    for x in ps:
        if x.state == "zero" and x.el is not None and (x.el.tag in _COMMENT_MARKS
                                                       or x.el.tag == R):  # a reference run
            out.setdefault(pos, []).append(x.el)
        elif x.state in ("same", "delete"):
            pos += len(x.text)
    return out


def base_text(ps: list[Piece]) -> str:
    """Return the text before any change: unchanged and deleted text."""
    return "".join(x.text for x in ps if x.state in ("same", "delete"))


def edits_of(ps: list[Piece], member: int) -> list[Edit]:
    """Return the edits a version's pieces make to its base text (a deletion and the
    insertion that follows it, by one author, are one edit)."""
    out: list[Edit] = []
    pos = 0
    for x in ps:
        if x.state == "same":
            pos += len(x.text)
        elif x.state == "delete":
            last = out[-1] if out else None
            if last and last.end == pos and not last.text and last.author == x.author:
                last.end += len(x.text)
            else:
                out.append(Edit(pos, pos + len(x.text), "", x.author, x.date, None, member))
            pos += len(x.text)
        elif x.state == "insert":
            last = out[-1] if out else None
            if last and last.end == pos and last.author == x.author:
                last.text += x.text
                last.rpr = last.rpr if last.rpr is not None else x.rpr
            else:
                out.append(Edit(pos, pos, x.text, x.author, x.date, x.rpr, member))
    return out


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one place
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def merge_paragraph(draft: etree._Element, versions: list[etree._Element],
                    stamper: Stamper) -> Merged | None:
    """Return the draft paragraph carrying every version's edits, or None when the versions
    cannot be merged word by word (then the caller keeps one and reports a conflict)."""
    base = pieces(draft)
    if base is None or any(x.state not in ("same", "zero") for x in base):
        return None
    text = base_text(base)
    edits: list[Edit] = []
    marks: dict[int, list[etree._Element]] = {}
    for member, version in enumerate(versions):
        ps = pieces(version)
        if ps is None or base_text(ps) != text:
            return None
        edits.extend(edits_of(ps, member))
        for pos, els in _comment_marks(ps).items():
            marks.setdefault(pos, []).extend(els)
    kept: list[Edit] = []
    conflicts: list[tuple[Edit, Edit]] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end, e.member)):
        clash = [k for k in kept if _overlap(k, edit)]
        if any(k.key == edit.key for k in clash):
            continue  # the same change made by two members: once is enough
        conflicts.extend((k, edit) for k in clash if k.member != edit.member)
        kept.append(edit)
    if conflicts:
        kept, conflicts = _whole_wordings(text, kept, conflicts)
    return Merged(_render(draft, base, kept, stamper, conflicts, marks), conflicts)


def _whole_wordings(text: str, kept: list[Edit], conflicts: list[tuple[Edit, Edit]]
                    ) -> tuple[list[Edit], list[tuple[Edit, Edit]]]:
    """Return the edits with each conflict made into each member's wording of all the words
    the clashing edits cover, and the conflicts between those wordings.

    Then every deleted character of a conflict was deleted by every member in it, whoever
    the one deletion is written for, and each insertion is that member's whole wording: using
    one member's wording is rejecting the others' insertions and accepting the rest.
    """
    groups: list[list[Edit]] = []
    for a, b in conflicts:
        joined = [g for g in groups if any(e is a or e is b for e in g)]
        merged = [e for g in joined for e in g]
        merged += [e for e in (a, b) if not any(e is m for m in merged)]
        groups = [g for g in groups if not any(g is j for j in joined)] + [merged]
    out = [e for e in kept if not any(e is m for g in groups for m in g)]
    clashes: list[tuple[Edit, Edit]] = []
    for group in groups:
        start, end = min(e.start for e in group), max(e.end for e in group)
        wordings: list[Edit] = []
        for member in sorted({e.member for e in group}):
            mine = sorted((e for e in group if e.member == member), key=lambda e: e.start)
            words, pos = [], start
            for e in mine:
                words += [text[pos:e.start], e.text]
                pos = e.end
            words.append(text[pos:end])
            first = mine[0]
            wording = Edit(start, end, "".join(words), first.author, first.date, first.rpr,
                           member)
            if not any(w.text == wording.text for w in wordings):
                wordings.append(wording)
        clashes += [(wordings[0], w) for w in wordings[1:]]
        out += wordings
    return sorted(out, key=lambda e: (e.start, e.end, e.member)), clashes


def _render(draft: etree._Element, base: list[Piece], edits: list[Edit], stamper: Stamper,
            conflicts: list[tuple[Edit, Edit]],
            marks: dict[int, list[etree._Element]] | None = None) -> etree._Element:
    p = etree.Element(P)
    p.attrib.update(draft.attrib)
    ppr = draft.find(PPR)
    if ppr is not None:
        p.append(copy.deepcopy(ppr))
    runs = _char_runs(base)
    zeros = _zero_positions(base)
    for pos, els in (marks or {}).items():
        zeros.setdefault(pos, []).extend(els)
    deleted = [False] * len(runs)
    del_by: list[Edit | None] = [None] * len(runs)
    for e in edits:
        for i in range(e.start, e.end):
            if not deleted[i]:
                deleted[i], del_by[i] = True, e
    inserts: dict[int, list[Edit]] = {}
    for e in edits:
        if e.text:
            inserts.setdefault(e.end, []).append(e)  # where the replaced words end
    opens, closes = conflict_regions(conflicts, stamper)
    pos = 0
    n = len(runs)
    while pos <= n:
        for el in zeros.get(pos, ()):
            p.append(copy.deepcopy(el))
        # wordings that replace the words ending here, and the conflict they close; then words
        # inserted here (inside their own conflict, if any); then the conflicts that start here
        here = {el.get(W_ID) for el in opens.get(pos, ())} & \
            {el.get(W_ID) for el in closes.get(pos, ())}
        at = sorted(inserts.get(pos, ()), key=lambda e: e.member)
        _insert(p, [e for e in at if e.end > e.start], pos, runs, stamper)
        p.extend(el for el in closes.get(pos, ()) if el.get(W_ID) not in here)
        p.extend(el for el in opens.get(pos, ()) if el.get(W_ID) in here)
        _insert(p, [e for e in at if e.end == e.start], pos, runs, stamper)
        p.extend(el for el in closes.get(pos, ()) if el.get(W_ID) in here)
        p.extend(el for el in opens.get(pos, ()) if el.get(W_ID) not in here)
        if pos == n:
            break
        end = pos + 1
        while (end < n and deleted[end] == deleted[pos] and runs[end][1] is runs[pos][1]
               and del_by[end] is del_by[pos] and end not in zeros and end not in inserts
               and end not in opens and end not in closes):
            end += 1
        chunk = "".join(c for c, _ in runs[pos:end])
        who = del_by[pos]
        if who is not None:  # deleted: del_by names the edit that deleted each deleted character
            wrap = _stamped(stamper, "w:del", who.author, who.date, "delete")
            wrap.append(_run(chunk, runs[pos][1], deleted=True))
            p.append(wrap)
        else:
            p.append(_run(chunk, runs[pos][1], deleted=False))
        pos = end
    return p


def _insert(p: etree._Element, edits: list[Edit], pos: int,
            runs: list[tuple[str, etree._Element | None]], stamper: Stamper) -> None:
    """Append each edit's new words at draft position `pos` as an insertion."""
    for e in edits:
        wrap = _stamped(stamper, "w:ins", e.author, e.date, "insert")
        rpr = e.rpr if e.rpr is not None else (runs[pos - 1][1] if pos else None)
        wrap.append(_run(e.text, rpr, deleted=False))
        p.append(wrap)


def _char_runs(base: list[Piece]) -> list[tuple[str, etree._Element | None]]:
    return [(c, x.rpr) for x in base if x.state == "same" for c in x.text]


def _zero_positions(base: list[Piece]) -> dict[int, list[etree._Element]]:
    out: dict[int, list[etree._Element]] = {}
    pos = 0
    for x in base:
        if x.state == "zero" and x.el is not None:
            out.setdefault(pos, []).append(x.el)
        else:
            pos += len(x.text)
    return out


def _stamped(stamper: Stamper, tag: str, author: str, date: str | None,
             kind: str) -> etree._Element:
    el = stamper.make(tag, kind)
    el.set(AUTHOR, author)
    if date:
        el.set(DATE, date)
    else:
        del el.attrib[DATE]
    return el


def _run(text: str, rpr: etree._Element | None, *, deleted: bool) -> etree._Element:
    run = etree.Element(R)
    if rpr is not None:
        clean = copy.deepcopy(rpr)
        for change in clean.findall(qn("w:rPrChange")):
            clean.remove(change)
        run.append(clean)
    t = etree.SubElement(run, DEL_TEXT if deleted else T)
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(XML_SPACE, "preserve")
    return run


def shift_ids(roots: list[etree._Element], offset: int) -> int:
    """Add `offset` to every numeric `w:id` under `roots`; return the largest id now used."""
    top = offset
    for root in roots:
        for el in root.iter():
            value = el.get(W_ID) if isinstance(el.tag, str) else None
            if value is not None and value.isdigit():
                el.set(W_ID, str(int(value) + offset))
                top = max(top, int(value) + offset)
    return top


def has_revisions(el: etree._Element) -> bool:
    """Return True when `el` holds any tracked change."""
    return any(True for _ in el.iter(*REVISION_TAGS))


__all__ = ["Edit", "Merged", "base_text", "edits_of", "has_revisions", "merge_paragraph",
           "pieces", "shift_ids"]
