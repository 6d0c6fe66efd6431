"""Paragraphs rebuilt from diffed atoms, with their changes tracked.

`Builder` turns a stream of (state, atom slice) pieces back into paragraphs:
inserted runs in `w:ins`, deleted runs in `w:del` with `w:delText`
(17.13.5.14), changed run formatting as `w:rPrChange` (17.13.5.31), and
inserted or deleted paragraph marks as `w:pPr/w:rPr/w:ins|w:del` (17.13.5.15).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree

from briefing.errors import DocumentError
from briefing.ooxml import tree
from briefing.ooxml.ns import qn
from briefing.ooxml.track.atoms import (
    ITEM,
    MARK,
    PPR,
    PPR_CHANGE,
    PPR_IGNORED,
    RPR,
    RUN,
    SECT_PR,
    TEXT,
    W_VAL,
    ZERO,
    Atom,
    T,
    ppr_key,
    rpr_key,
)
from briefing.ooxml.track.rehome import points_at_relationships
from briefing.ooxml.track.revids import Stamper

P = qn("w:p")
INS, DEL, RPR_CHANGE = qn("w:ins"), qn("w:del"), qn("w:rPrChange")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SAME, INSERTED, DELETED = "same", "insert", "delete"
#: Run items that point into other parts of their own package: not carried from OLD.
_PACKAGE_BOUND = frozenset(qn(f"w:{t}") for t in (
    "drawing", "pict", "object", "footnoteReference", "endnoteReference", "commentReference",
))
_DELETED_NAMES = {T: qn("w:delText"), qn("w:instrText"): qn("w:delInstrText")}
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"



class Piece:
    """A slice [start, end) of an atom's text, with its revision state.

    `old_run` is OLD's run for SAME text whose formatting changed; `old_mark`
    the OLD paragraph a SAME paragraph mark matches.
    """

    __slots__ = ("atom", "end", "old_mark", "old_run", "start", "state")

    def __init__(self, state: str, atom: Atom, start: int = 0, end: int = 0,
                 old_run: etree._Element | None = None,
                 old_mark: etree._Element | None = None) -> None:
        self.state, self.atom, self.start, self.end = state, atom, start, end
        self.old_run, self.old_mark = old_run, old_mark


class Builder:
    """Builds output paragraphs from pieces; stamps every revision it writes."""

    def __init__(self, stamper: Stamper, *, keep_pstyles=None, keep_num_ids=None,
                 carry: Callable[[etree._Element], etree._Element | None] | None = None,
                 ) -> None:
        self.stamper = stamper
        # a deleted element bound to OLD's package (a picture, a note reference) -> its copy
        # valid in NEW, or None: it is then left out and counted in dropped_objects
        self.carry = carry
        self.keep_pstyles = keep_pstyles
        self.keep_num_ids = keep_num_ids
        self.dropped_objects = 0
        self._rpr_keys: dict[etree._Element, tuple] = {}  # keyed by element: keeps proxies alive

    # paragraphs --------------------------------------------------------------------------

    def paragraphs(self, pieces: list[Piece]) -> list[etree._Element]:
        """Return the paragraphs the piece stream describes (each ends at a MARK piece)."""
        out = []
        body: list[Piece] = []
        for piece in pieces:
            if piece.atom.kind == MARK:
                out.append(self._paragraph(body, piece))
                body = []
            else:
                body.append(piece)
        if body:  # content after the last mark cannot happen; keep it rather than lose it
            out.append(self._paragraph(body, None))
        return out

    def _paragraph(self, body: list[Piece], mark: Piece | None) -> etree._Element:
        p = etree.Element(P)
        if mark is not None:
            source = mark.atom.el
            p.attrib.update(source.attrib if mark.state != DELETED else
                            {k: v for k, v in tree.attributes(source) if not k.startswith(_W14)})
            ppr = source.find(PPR)
            if ppr is not None:
                ppr = copy.deepcopy(ppr)
                if mark.state == DELETED:
                    self._scrub_old_ppr(ppr)
                p.append(ppr)
        _Filler(self, p).fill(body)
        if mark is not None and mark.state != SAME:
            self.mark_paragraph(p, mark.state)
        elif mark is not None and mark.old_mark is not None:
            self._ppr_change(p, mark.old_mark)
        return p

    def _scrub_old_ppr(self, ppr: etree._Element) -> None:
        """Drop from OLD paragraph properties what points into OLD's own package."""
        for el in ppr.findall(SECT_PR) + ppr.findall(PPR_CHANGE):
            ppr.remove(el)
        style = ppr.find(qn("w:pStyle"))
        if style is not None and self.keep_pstyles is not None \
                and style.get(W_VAL) not in self.keep_pstyles:
            ppr.remove(style)
        num = ppr.find(qn("w:numPr"))
        num_id = num.find(qn("w:numId")) if num is not None else None
        if num is not None and num_id is not None and self.keep_num_ids is not None \
                and num_id.get(W_VAL) not in self.keep_num_ids:
            ppr.remove(num)

    def mark_paragraph(self, p: etree._Element, state: str) -> None:
        """Mark the paragraph mark of `p` inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
        rpr = paragraph_mark_rpr(p)
        tag = INS if state == INSERTED else DEL
        if rpr.find(tag) is not None:
            return
        mark = self.stamper.make("w:ins" if state == INSERTED else "w:del",
                                 f"paragraph-{state}")
        index = 0
        if tag == DEL and len(rpr) and rpr[0].tag == INS:
            index = 1
        rpr.insert(index, mark)

    def unmark_paragraph(self, p: etree._Element, state: str) -> None:
        """Remove an inserted or deleted paragraph-mark revision from `p` (if present)."""
        ppr = p.find(PPR)
        rpr = ppr.find(RPR) if ppr is not None else None
        if rpr is None:
            return
        for el in rpr.findall(INS if state == INSERTED else DEL):
            rpr.remove(el)
            self.stamper.counts[f"paragraph-{state}"] -= 1

    def _ppr_change(self, p: etree._Element, old_p: etree._Element) -> None:
        if ppr_key(p) == ppr_key(old_p):
            return
        self._property_change(p, PPR, "w:pPrChange", "paragraph-format", old_p.find(PPR),
                              skip=PPR_IGNORED)

    # runs --------------------------------------------------------------------------------

    def rpr_key_of(self, run: etree._Element | None) -> tuple:
        """Return the cached formatting key of `run`."""
        if run is None:
            return ()
        key = self._rpr_keys.get(run)
        if key is None:
            key = self._rpr_keys[run] = rpr_key(run.find(RPR))
        return key

    def carried(self, el: etree._Element) -> etree._Element | None:
        """Return deleted `el` made valid in NEW by `carry`, or None (counted as dropped)."""
        out = self.carry(el) if self.carry is not None else None
        if out is None:
            self.dropped_objects += 1
        return out

    def run_from(self, group: list[Piece]) -> etree._Element | None:
        """Return one run holding the pieces of `group` (same source run, state and format)."""
        first = group[0]
        src = first.atom.run
        if src is None:  # groups hold TEXT and ITEM pieces, and each of those has its run
            raise DocumentError("the document's XML is not as expected: run content outside a run")
        run = etree.Element(RUN)
        run.attrib.update(src.attrib)
        rpr = src.find(RPR)
        if rpr is not None:
            rpr = copy.deepcopy(rpr)
            for old in rpr.findall(RPR_CHANGE):
                rpr.remove(old)
            run.append(rpr)
        if first.old_run is not None:
            self._rpr_change(run, first.old_run.find(RPR))
        deleted = first.state == DELETED
        for piece in group:
            item = piece.atom.el
            if piece.atom.kind == TEXT:
                _append_text(run, piece.atom.text[piece.start:piece.end], deleted)
            elif deleted and item.tag in _PACKAGE_BOUND:
                carried = self.carried(item)
                if carried is not None:
                    run.append(carried)
            else:
                item = copy.deepcopy(item)
                if deleted and item.tag in _DELETED_NAMES:
                    item.tag = _DELETED_NAMES[item.tag]
                run.append(item)
        if deleted and len(run) == (1 if rpr is not None else 0):
            return None
        return run

    def _rpr_change(self, run: etree._Element, old_rpr: etree._Element | None) -> None:
        self._property_change(run, RPR, "w:rPrChange", "format", old_rpr,
                              skip=frozenset((RPR_CHANGE,)))

    def _property_change(self, owner: etree._Element, props_tag: str, change_tag: str,
                         kind: str, old_props: etree._Element | None,
                         skip: frozenset[str]) -> None:
        """Record a formatting change on `owner`: its properties element (made first if
        missing) gets a stamped `change_tag` holding `old_props` less the `skip` children."""
        props = owner.find(props_tag)
        if props is None:
            props = etree.Element(props_tag)
            owner.insert(0, props)
        change = self.stamper.make(change_tag, kind)
        old = etree.SubElement(change, props_tag)
        for child in old_props if old_props is not None else ():
            if isinstance(child.tag, str) and child.tag not in skip:
                old.append(copy.deepcopy(child))
        props.append(change)


def _append_text(run: etree._Element, text: str, deleted: bool) -> None:
    tag = qn("w:delText") if deleted else T
    last = run[-1] if len(run) else None
    if last is not None and last.tag == tag:
        last.text = (last.text or "") + text
    else:
        last = etree.SubElement(run, tag)
        last.text = text
    if last.text != last.text.strip() or "  " in last.text:
        last.set(XML_SPACE, "preserve")


def paragraph_mark_rpr(p: etree._Element) -> etree._Element:
    """Return the paragraph mark's w:rPr of `p`, created in schema order when absent."""
    ppr = p.find(PPR)
    if ppr is None:
        ppr = etree.Element(PPR)
        p.insert(0, ppr)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = etree.Element(RPR)
        anchor = next((c for c in ppr if c.tag in (SECT_PR, PPR_CHANGE)), None)
        if anchor is None:
            ppr.append(rpr)
        else:
            anchor.addprevious(rpr)
    return rpr


class _Filler:
    """Appends the content pieces of one paragraph, reopening containers as needed."""

    def __init__(self, builder: Builder, p: etree._Element) -> None:
        self.b = builder
        self.stack: list[tuple[etree._Element, etree._Element]] = []  # (source, output copy)
        self.p = p
        self.wrapper: etree._Element | None = None
        self.wrapper_state: str | None = None

    @property
    def target(self) -> etree._Element:
        return self.stack[-1][1] if self.stack else self.p

    def fill(self, body: list[Piece]) -> None:
        i = 0
        while i < len(body):
            piece = body[i]
            if piece.state != DELETED:
                self._enter(piece.atom.chain)
            if piece.atom.kind in (TEXT, ITEM):
                j = i + 1
                while j < len(body) and self._same_run(body[i], body[j]):
                    j += 1
                run = self.b.run_from(body[i:j])
                if run is not None:
                    self._add(run, piece.state)
                i = j
                continue
            element = copy.deepcopy(piece.atom.el)
            if piece.atom.kind == ZERO:
                self._close_wrapper()
                self.target.append(element)
            elif piece.state == DELETED and _package_bound(element):
                carried = self.b.carried(piece.atom.el)
                if carried is not None:
                    self._add(carried, piece.state)
            else:
                self._add(element, piece.state)
            i += 1

    def _same_run(self, a: Piece, b: Piece) -> bool:
        return (b.atom.kind in (TEXT, ITEM) and b.atom.run is a.atom.run and b.state == a.state
                and b.old_run is a.old_run)

    def _add(self, element: etree._Element, state: str) -> None:
        if state == SAME:
            self._close_wrapper()
            self.target.append(element)
            return
        if self.wrapper is None or self.wrapper_state != state \
                or self.wrapper.getparent() is not self.target:
            self.wrapper = self.b.stamper.make("w:ins" if state == INSERTED else "w:del", state)
            self.wrapper_state = state
            self.target.append(self.wrapper)
        self.wrapper.append(element)

    def _close_wrapper(self) -> None:
        self.wrapper = None
        self.wrapper_state = None

    def _enter(self, chain: tuple) -> None:
        common = 0
        while (common < len(self.stack) and common < len(chain)
               and self.stack[common][0] is chain[common]):
            common += 1
        if common == len(self.stack) == len(chain):
            return
        self._close_wrapper()
        del self.stack[common:]
        for source in chain[common:]:
            shell = etree.Element(source.tag)
            shell.attrib.update(source.attrib)
            for child in source:
                if isinstance(child.tag, str) and child.tag.endswith("Pr"):
                    shell.append(copy.deepcopy(child))
            self.target.append(shell)
            self.stack.append((source, shell))


def _package_bound(element: etree._Element) -> bool:
    """Return True when `element` refers to relationships or notes of its own package."""
    for el in element.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _PACKAGE_BOUND or points_at_relationships(el):
            return True
    return False
