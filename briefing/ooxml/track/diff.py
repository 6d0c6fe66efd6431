"""Compare two WordprocessingML bodies and write NEW's body with tracked changes against OLD.

Blocks are aligned first (`blocks`); paired paragraphs are then diffed word
by word into pieces (`pieces`) that the `inline` Builder writes as runs in
`w:ins`/`w:del`, and tables are diffed row by row (rows `w:trPr/w:ins|w:del`,
ECMA-376 Part 1, 17.13.5.16-17) and cell by cell.
"""

from __future__ import annotations

import copy

from lxml import etree

from briefing.ooxml.ns import qn
from briefing.ooxml.track.atoms import paragraph_signature, ppr_key
from briefing.ooxml.track.blocks import (
    TC,
    TC_PR,
    TR,
    Op,
    P,
    align,
    container_blocks,
    pair_last_marks,
    replace_blocks,
    row_blocks,
    section_stories,
    settle_ends,
)
from briefing.ooxml.track.inline import DELETED, INSERTED, SAME, Builder, Piece
from briefing.ooxml.track.pieces import group_pieces

TR_PR, TBL_PR_EX = qn("w:trPr"), qn("w:tblPrEx")
_TRPR_TAIL = frozenset(qn(f"w:{t}") for t in ("ins", "del", "trPrChange"))


class BodyDiffer:
    """Writes tracked changes for aligned blocks with a Builder; counts what it did."""

    def __init__(self, builder: Builder, use_ids: bool) -> None:
        self.b = builder
        self.use_ids = use_ids
        self.dropped_blocks = 0
        self.untracked_blocks = 0

    def container(self, old: etree._Element, new: etree._Element) -> list[etree._Element]:
        """Return the output blocks for NEW container `new` against OLD container `old`."""
        return [el for _, blocks in self.container_ops(old, new) for el in blocks]

    def container_ops(self, old: etree._Element,
                      new: etree._Element) -> list[tuple[Op, list[etree._Element]]]:
        """Return each step of the alignment of `new` with `old` and its output blocks."""
        ops = align(container_blocks(old, self.use_ids), container_blocks(new, self.use_ids))
        return [(op, self._op(op)) for op in settle_ends(pair_last_marks(ops))]

    def _op(self, op: Op) -> list[etree._Element]:
        kinds = {b.kind for b in op.olds + op.news}
        if kinds == {"p"}:
            return self.paragraphs([b.el for b in op.olds], [b.el for b in op.news])
        if kinds == {"tbl"}:
            if op.olds and op.news:
                return [self.table(op.olds[0].el, op.news[0].el)]
            if op.news:
                return [self.mark_table(op.news[0].el, INSERTED)]
            return [self.mark_table(op.olds[0].el, DELETED)]
        # zero-width markup and other blocks: NEW's are kept as they are, OLD's left out
        if op.news and not op.olds and "other" in kinds:
            self.untracked_blocks += 1
        if op.olds and not op.news and "other" in kinds:
            self.dropped_blocks += 1
        return [b.el for b in op.news]

    # paragraphs --------------------------------------------------------------------------

    def paragraphs(self, olds: list, news: list) -> list[etree._Element]:
        """Return output paragraphs for OLD paragraphs `olds` replaced by NEW `news`."""
        if len(olds) == len(news) == 1 and self._same(olds[0], news[0]):
            return [news[0]]
        pieces = group_pieces(olds, news, self.b)
        if len(olds) == len(news) == 1 and _unchanged(pieces, olds[0], news[0]):
            return [news[0]]
        return self.b.paragraphs(pieces)

    def _same(self, old: etree._Element, new: etree._Element) -> bool:
        """Return True when two paragraphs read and look the same (the common case, made fast)."""
        if etree.tostring(old) == etree.tostring(new):
            return True
        return (paragraph_signature(old, self.b.rpr_key_of)
                == paragraph_signature(new, self.b.rpr_key_of))

    # tables ------------------------------------------------------------------------------

    def table(self, old: etree._Element, new: etree._Element) -> etree._Element:
        """Return NEW's table with rows and cell contents diffed against OLD's."""
        ops = align(row_blocks(old), row_blocks(new))
        rows: list[etree._Element] = []
        for op in ops:
            if op.olds and op.news:
                rows.append(self._row(op.olds[0].el, op.news[0].el))
            elif op.news:
                rows.extend(self.mark_row(b.el, INSERTED) for b in op.news)
            else:
                rows.extend(self.mark_row(copy.deepcopy(b.el), DELETED) for b in op.olds)
        _replace_rows(new, rows)
        return new

    def _row(self, old: etree._Element, new: etree._Element) -> etree._Element:
        for old_tc, new_tc in zip(old.findall(TC), new.findall(TC)):
            _replace_content(new_tc, self.container(old_tc, new_tc))
        return new

    def mark_table(self, tbl: etree._Element, state: str) -> etree._Element:
        """Return `tbl` (NEW's, or a copy of OLD's) with every row inserted or deleted."""
        if state == DELETED:
            tbl = copy.deepcopy(tbl)
        for tr in tbl.findall(TR):
            self.mark_row(tr, state)
        return tbl

    def mark_row(self, tr: etree._Element, state: str) -> etree._Element:
        """Return row `tr` marked inserted or deleted, its content marked the same way."""
        tr_pr = tr.find(TR_PR)
        if tr_pr is None:
            tr_pr = etree.Element(TR_PR)
            ex = tr.find(TBL_PR_EX)
            tr.insert(0 if ex is None else tr.index(ex) + 1, tr_pr)
        mark = self.b.stamper.make("w:ins" if state == INSERTED else "w:del", f"row-{state}")
        anchor = next((c for c in tr_pr if c.tag in _TRPR_TAIL), None)
        if anchor is None:
            tr_pr.append(mark)
        else:
            anchor.addprevious(mark)
        for tc in tr.findall(TC):
            _replace_content(tc, self._mark_cell(tc, state))
        return tr

    def _mark_cell(self, tc: etree._Element, state: str) -> list[etree._Element]:
        out: list[etree._Element] = []
        for block in container_blocks(tc, False):
            if block.kind == "p":
                olds, news = ([block.el], []) if state == DELETED else ([], [block.el])
                out.extend(self.b.paragraphs(group_pieces(olds, news, self.b)))
            elif block.kind == "tbl":
                out.append(self.mark_table(block.el, state))
            elif state == INSERTED:
                out.append(block.el)
                self.untracked_blocks += block.kind == "other"
            else:
                self.dropped_blocks += block.kind == "other"
        if not out or out[-1].tag != P:
            out.append(etree.Element(P))  # a cell ends with a paragraph (17.4.66)
        self.b.unmark_paragraph(out[-1], state)
        return out


def _replace_content(tc: etree._Element, blocks: list[etree._Element]) -> None:
    for child in list(tc):
        if child.tag != TC_PR:
            tc.remove(child)
    tc.extend(blocks)


def _replace_rows(tbl: etree._Element, rows: list[etree._Element]) -> None:
    for child in tbl.findall(TR):
        tbl.remove(child)
    tbl.extend(rows)


def _unchanged(pieces: list[Piece], old: etree._Element, new: etree._Element) -> bool:
    for piece in pieces:
        if piece.state != SAME or piece.old_run is not None:
            return False
    return ppr_key(old) == ppr_key(new)


__all__ = ["BodyDiffer", "align", "group_pieces", "replace_blocks", "section_stories"]
