"""Compare two WordprocessingML bodies and write NEW's body with tracked changes against OLD.

Blocks (paragraphs, tables) are aligned first: by source id where both
documents carry our source bookmarks, otherwise by text, with edited
paragraphs paired by word similarity inside each changed region. Paired
paragraphs are then diffed word by word (`inline`), adjacent unpaired
paragraphs are folded into a pair when that explains a split or a merge, and
tables are diffed row by row (rows `w:trPr/w:ins|w:del`, ECMA-376 Part 1,
17.13.5.16-17) and cell by cell. The alignment is `briefing.align`'s: equal
keys matched near-linearly, then the stretches between paired by similarity.
Trailing inserted or deleted paragraphs are folded into the paragraph
before them (`settle_ends`), so the last paragraph of a body or cell always
keeps a plain paragraph mark.
"""

from __future__ import annotations

import copy
import re
from difflib import SequenceMatcher

from lxml import etree

from briefing.align import best_pairs, gaps, matching, walk
from briefing.ooxml.ns import R, qn
from briefing.ooxml.sourcemap import is_source_bookmark
from briefing.ooxml.track.inline import (
    DELETED,
    INSERTED,
    MARK,
    SAME,
    STARTS,
    ZERO,
    Atom,
    Builder,
    Piece,
    paragraph_atoms,
    paragraph_signature,
    paragraph_text,
    ppr_key,
    tokens,
)

P, TBL, TR, TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
SECT_PR, TC_PR, TR_PR, TBL_PR_EX = qn("w:sectPr"), qn("w:tcPr"), qn("w:trPr"), qn("w:tblPrEx")
BOOKMARK_START, W_NAME = qn("w:bookmarkStart"), qn("w:name")
SIMILAR = 0.5        # word similarity at which two paragraphs count as one, edited
TABLE_SIMILAR = 0.3  # the same for tables (a table keeps its identity through many edits)
_WORD = re.compile(r"\w+")
_ZERO_TAGS = frozenset(qn(f"w:{t}") for t in (
    "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd",
    "commentRangeStart", "commentRangeEnd",
))
STORY_REFS = {qn("w:headerReference"): "header", qn("w:footerReference"): "footer"}
_W_TYPE, _R_ID = qn("w:type"), f"{{{R}}}id"
_TRPR_TAIL = frozenset(qn(f"w:{t}") for t in ("ins", "del", "trPrChange"))


class Block:
    """One block of a container (paragraph, table, row or other) with its alignment key."""

    __slots__ = ("_words", "el", "key", "kind", "sid", "text")

    def __init__(self, el: etree._Element, kind: str, key: tuple, sid: str | None = None,
                 text: str = "") -> None:
        self.el, self.kind, self.key, self.sid, self.text = el, kind, key, sid, text
        self._words: list[str] | None = None

    @property
    def words(self) -> list[str]:
        """Return the block's words (cached), used for similarity."""
        if self._words is None:
            self._words = _WORD.findall(self.text)
        return self._words


class Op:
    """One step of an alignment: OLD blocks replaced by NEW blocks (either may be empty)."""

    __slots__ = ("news", "olds")

    def __init__(self, olds: list[Block], news: list[Block]) -> None:
        self.olds, self.news = olds, news


# --- blocks ------------------------------------------------------------------------------

def paragraph_sid(p: etree._Element) -> str | None:
    """Return the name of the first source-id bookmark inside `p`, or None."""
    for bm in p.iter(BOOKMARK_START):
        name = bm.get(W_NAME)
        if is_source_bookmark(name):
            return name
    return None


def container_blocks(container: etree._Element, use_ids: bool) -> list[Block]:
    """Return the blocks of a body or table cell, in order (properties left out)."""
    out = []
    for el in container:
        tag = el.tag
        if not isinstance(tag, str) or tag in (SECT_PR, TC_PR):
            continue
        if tag == P:
            text = etree.tostring(el, method="text", encoding="unicode")
            sid = paragraph_sid(el) if use_ids else None
            out.append(Block(el, "p", ("id", sid) if sid else ("p", text), sid, text))
        elif tag == TBL:
            text = etree.tostring(el, method="text", encoding="unicode")
            out.append(Block(el, "tbl", ("tbl", text), None, text))
        elif tag in _ZERO_TAGS:
            out.append(Block(el, "zero", ("zero", tag, el.get(W_NAME)), None, ""))
        else:
            text = "".join(el.itertext())
            out.append(Block(el, "other", ("other", tag, text), None, text))
    return out


def row_blocks(tbl: etree._Element) -> list[Block]:
    """Return the rows of a table as blocks keyed by their cell texts."""
    out = []
    for tr in tbl.findall(TR):
        cells = tr.findall(TC)
        text = "\x07".join("\n".join(paragraph_text(p) for p in tc.iter(P)) for tc in cells)
        out.append(Block(tr, f"tr{len(cells)}", ("tr", text), None, text))
    return out


def similarity(a: list[str], b: list[str]) -> float:
    """Return difflib's ratio of two word lists (1.0 for two empty lists)."""
    if not a and not b:
        return 1.0
    sm = SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < SIMILAR * 0.5 or sm.quick_ratio() < SIMILAR * 0.5:
        return sm.quick_ratio() * 0.5
    return sm.ratio()


def section_stories(body: etree._Element) -> dict[tuple[int, str, str], str]:
    """Return (section number, 'header' or 'footer', type) -> relationship id, for each section.

    Sections end at the w:sectPr of a paragraph or at the body's own
    (17.6.17); each names up to three headers and footers (default, first,
    even), which is how the header of one draft is matched with the other's.
    """
    out = {}
    for n, sect in enumerate(body.iter(SECT_PR)):
        for ref in sect:
            kind = STORY_REFS.get(ref.tag)
            if kind and ref.get(_R_ID):
                out[(n, kind, ref.get(_W_TYPE, "default"))] = ref.get(_R_ID)
    return out


def replace_blocks(container: etree._Element, blocks: list[etree._Element]) -> None:
    """Replace the block content of a header or footer with `blocks`."""
    for child in list(container):
        container.remove(child)
    container.extend(blocks)


# --- alignment ---------------------------------------------------------------------------

def align(olds: list[Block], news: list[Block]) -> list[Op]:
    """Return the alignment of two block lists as ops, in document order."""
    ops: list[Op] = []
    pairs = matching([b.key for b in olds], [b.key for b in news])
    for i1, i2, j1, j2 in gaps(len(olds), len(news), pairs):
        ops.extend(_align_region(olds[i1:i2], news[j1:j2]))
        if i2 < len(olds):
            ops.append(Op([olds[i2]], [news[j2]]))
    return _fold_splits_and_merges(ops)


def settle_ends(ops: list[Op]) -> list[Op]:
    """Return `ops` where no paragraph run ends in paragraphs only inserted or only deleted.

    A deleted paragraph mark joins its paragraph to the next one on accept, an
    inserted one on reject; the last paragraph of a body or cell, or the one
    before a table, has no next paragraph to join. So trailing inserted and
    deleted paragraphs are folded into the edited paragraph before them (or
    into one group), whose last mark then stays plain, as Word does.
    """
    out: list[Op] = []
    segment: list[Op] = []
    for op in ops + [None]:
        if op is not None and all(b.kind == "p" for b in op.olds + op.news):
            segment.append(op)
            continue
        out.extend(_settle_segment(segment))
        segment = []
        if op is not None:
            out.append(op)
    return out


def pair_last_marks(ops: list[Op]) -> list[Op]:
    """Return `ops` where a container's last paragraphs, OLD's and NEW's, share one op.

    The last paragraph mark of a body or cell cannot be inserted or deleted: it
    is the container's end. When OLD's last paragraph is only deleted and NEW's
    last only inserted (a table added or removed before the end), OLD's is
    written as deleted text inside NEW's, so rejecting every change gives OLD
    back and accepting gives NEW, without an extra or missing paragraph.
    """
    if not ops:
        return ops
    last_old = next((op for op in reversed(ops) if op.olds), None)
    last_new = next((op for op in reversed(ops) if op.news), None)
    if (last_old is None or last_new is None or last_old is last_new
            or last_old.news or last_new.olds or last_new is not ops[-1]
            or last_old.olds[-1].kind != "p" or last_new.news[-1].kind != "p"):
        return ops
    moved = last_old.olds.pop()
    out = [op for op in ops if op.olds or op.news]
    out[-1] = Op([moved], last_new.news) if len(last_new.news) == 1 else last_new
    if len(last_new.news) > 1:
        end = last_new.news.pop()
        out.append(Op([moved], [end]))
    return out


def _settle_segment(ops: list[Op]) -> list[Op]:
    k = len(ops)
    while k and not (ops[k - 1].olds and ops[k - 1].news):
        k -= 1
    tail = ops[k:]
    if not tail:
        return ops
    if k:
        k -= 1
    elif not (any(op.olds for op in tail) and any(op.news for op in tail)):
        return ops
    group = ops[k:]
    return ops[:k] + [Op([b for op in group for b in op.olds],
                         [b for op in group for b in op.news])]


def _pairable(o: Block, n: Block) -> bool:
    if o.kind != n.kind:
        return False
    if o.kind == "p":
        return o.sid == n.sid
    return o.kind in ("tbl",) or o.kind.startswith("tr")


def _pair_score(o: Block, n: Block) -> float:
    if not _pairable(o, n):
        return 0.0
    if o.sid is not None and o.sid == n.sid:
        return 1.0
    threshold = TABLE_SIMILAR if o.kind == "tbl" else SIMILAR
    score = similarity(o.words, n.words)
    return score if score >= threshold else 0.0


def _align_region(olds: list[Block], news: list[Block]) -> list[Op]:
    if not olds or not news:
        return [Op([o], []) for o in olds] + [Op([], [n]) for n in news]
    if len(olds) == len(news) == 1 and _pairable(olds[0], news[0]):
        return [Op(olds, news)]  # one paragraph rewritten: its words change, its mark stays
    pairs = best_pairs(len(olds), len(news), lambda i, j: _pair_score(olds[i], news[j]))
    ops: list[Op] = []
    for i, j in walk(len(olds), len(news), pairs):
        ops.append(Op([] if i is None else [olds[i]], [] if j is None else [news[j]]))
    return ops


def _fold_splits_and_merges(ops: list[Op]) -> list[Op]:
    """Return `ops` with unpaired paragraphs folded into a neighbouring edited pair.

    A paragraph split in two shows as a pair plus an inserted paragraph; when the
    pair's OLD text matches the two NEW paragraphs together better than the first
    alone, the three become one group and the split shows as an inserted
    paragraph mark. Merges are the mirror image.
    """
    out: list[Op] = []
    for op in ops:
        if out and _foldable(out[-1], op):
            merged = Op(out[-1].olds + op.olds, out[-1].news + op.news)
            if _score(merged) > _score(out[-1] if out[-1].olds and out[-1].news else op) + 0.05:
                out[-1] = merged
                continue
        out.append(op)
    return out


def _foldable(a: Op, b: Op) -> bool:
    blocks = a.olds + a.news + b.olds + b.news
    if any(x.kind != "p" or x.sid is not None for x in blocks):
        return False
    a_pair = bool(a.olds and a.news)
    b_pair = bool(b.olds and b.news)
    if a_pair == b_pair:
        return False
    single = b if a_pair else a
    pair = a if a_pair else b
    if len(pair.olds) == len(pair.news) == 1 and pair.olds[0].key == pair.news[0].key:
        return False  # the same text on both sides: nothing was split off or merged in
    return not (len(pair.olds) > 1 and single.news) and not (len(pair.news) > 1 and single.olds)


def _score(op: Op) -> float:
    if not op.olds or not op.news:
        return 0.0
    a = [w for b in op.olds for w in b.words + ["\x00"]]
    b = [w for b in op.news for w in b.words + ["\x00"]]
    return similarity(a, b)


# --- the differ --------------------------------------------------------------------------


class BodyDiffer:
    """Writes tracked changes for aligned blocks with a Builder; counts what it did."""

    def __init__(self, builder: Builder, use_ids: bool) -> None:
        self.b = builder
        self.use_ids = use_ids
        self.dropped_blocks = 0
        self.untracked_blocks = 0

    def container(self, old: etree._Element, new: etree._Element) -> list[etree._Element]:
        """Return the output blocks for NEW container `new` against OLD container `old`."""
        ops = align(container_blocks(old, self.use_ids), container_blocks(new, self.use_ids))
        out: list[etree._Element] = []
        for op in settle_ends(pair_last_marks(ops)):
            out.extend(self._op(op))
        return out

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


# --- pieces of a paragraph group ---------------------------------------------------------

def group_pieces(olds: list, news: list, builder: Builder) -> list[Piece]:
    """Return the piece stream for OLD paragraphs `olds` becoming NEW paragraphs `news`."""
    old_atoms = _concat_atoms(olds)
    new_atoms = _concat_atoms(news)
    if not olds:
        return [Piece(INSERTED, a, 0, a.length) for a in new_atoms]
    if not news:
        return [Piece(DELETED, a, 0, a.length) for a in old_atoms if a.kind != ZERO]
    emitter = _Emitter(old_atoms, new_atoms, builder)
    ot, nt = tokens(old_atoms[:-1]), tokens(new_atoms[:-1])
    old_end, new_end = old_atoms[-1].pos, new_atoms[-1].pos
    for tag, i1, i2, j1, j2 in _cleanup(opcodes([t[0] for t in ot], [t[0] for t in nt]), ot, nt):
        a2 = ot[i2 - 1][2] if i2 > i1 else (ot[i1][1] if i1 < len(ot) else old_end)
        b2 = nt[j2 - 1][2] if j2 > j1 else (nt[j1][1] if j1 < len(nt) else new_end)
        if tag == "equal":
            emitter.equal(a2, b2)
        else:
            emitter.change(a2, b2)
    emitter.finish(olds[-1])
    return emitter.pieces


def opcodes(a: list, b: list) -> list[tuple]:
    """Return difflib opcodes turning `a` into `b`; a shared head and tail are matched first."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    out = [("equal", 0, head, 0, head)] if head else []
    mid_a, mid_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if mid_a or mid_b:
        sm = SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        out.extend((tag, i1 + head, i2 + head, j1 + head, j2 + head)
                   for tag, i1, i2, j1, j2 in sm.get_opcodes())
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return out


def _concat_atoms(paragraphs: list) -> list[Atom]:
    atoms: list[Atom] = []
    pos = 0
    for p in paragraphs:
        more = paragraph_atoms(p, pos)
        atoms.extend(more)
        pos = more[-1].pos + 1
    return atoms


def _cleanup(opcodes: list, ot: list, nt: list) -> list:
    """Return opcodes with lone spaces or punctuation between two changes folded into them.

    Without this a rewritten sentence comes out as alternating one-word
    deletions and insertions around the shared spaces ("word soup").
    """
    out: list[list] = []
    for op in map(list, opcodes):
        if (len(out) >= 2 and op[0] != "equal" and out[-1][0] == "equal"
                and out[-2][0] != "equal" and _filler(ot[out[-1][1]:out[-1][2]])):
            eq = out.pop()
            prev = out.pop()
            op = ["replace", prev[1], op[2], prev[3], op[4]]
            del eq
        if out and out[-1][0] != "equal" and op[0] != "equal":
            prev = out.pop()
            op = ["replace", prev[1], op[2], prev[3], op[4]]
        out.append(op)
    return [("replace" if o[0] != "equal" else "equal", *o[1:]) for o in out]


def _filler(toks: list) -> bool:
    return len(toks) <= 2 and all(not t[0][:1].isalnum() and t[0][:1] != "\x00" for t in toks)


class _Emitter:
    """Walks OLD and NEW atoms along the opcodes and emits pieces."""

    def __init__(self, old_atoms: list[Atom], new_atoms: list[Atom], builder: Builder) -> None:
        self.old = _Cursor(old_atoms)
        self.new = _Cursor(new_atoms)
        self.b = builder
        self.pieces: list[Piece] = []

    def equal(self, a2: int, b2: int) -> None:
        olds = [s for s in self.old.take(a2) if s[0].kind != ZERO]
        k = 0
        for atom, start, end in self.new.take(b2):
            if atom.kind == ZERO:
                self.pieces.append(Piece(SAME, atom))
                continue
            while start < end:
                o_atom, o_start, o_end = olds[k]
                n = min(end - start, o_end - o_start)
                self._same(atom, start, start + n, o_atom)
                start += n
                if o_start + n == o_end:
                    k += 1
                else:
                    olds[k] = (o_atom, o_start + n, o_end)

    def _same(self, atom: Atom, start: int, end: int, old: Atom) -> None:
        piece = Piece(SAME, atom, start, end)
        if atom.kind == MARK:
            piece.old_mark = old.el
        elif atom.run is not None and (old.run is None or
                                       self.b.rpr_key_of(atom.run) != self.b.rpr_key_of(old.run)):
            piece.old_run = old.run if old.run is not None else _EMPTY_RUN
        self.pieces.append(piece)

    def change(self, a2: int, b2: int) -> None:
        while self.new.peek_zero_start():
            self.pieces.append(Piece(SAME, self.new.next_atom()))
        for atom, start, end in self.old.take(a2):
            if atom.kind != ZERO:
                self.pieces.append(Piece(DELETED, atom, start, end))
        for atom, start, end in self.new.take(b2):
            self.pieces.append(Piece(SAME if atom.kind == ZERO else INSERTED, atom, start, end))

    def finish(self, old_last: etree._Element) -> None:
        for atom, start, end in self.new.take(float("inf")):
            if atom.kind == MARK:
                self.pieces.append(Piece(SAME, atom, old_mark=old_last))
            else:
                self.pieces.append(Piece(SAME, atom, start, end))


_EMPTY_RUN = etree.Element(qn("w:r"))


class _Cursor:
    """A position in an atom list: atom index plus offset inside a TEXT atom."""

    def __init__(self, atoms: list[Atom]) -> None:
        self.atoms = atoms
        self.i = 0
        self.off = 0

    def peek_zero_start(self) -> bool:
        return (self.i < len(self.atoms) and self.atoms[self.i].kind == ZERO
                and self.atoms[self.i].el.tag in STARTS)

    def next_atom(self) -> Atom:
        self.i += 1
        return self.atoms[self.i - 1]

    def take(self, limit: float) -> list[tuple[Atom, int, int]]:
        """Return (atom, start, end) slices up to character position `limit`."""
        out = []
        atoms = self.atoms
        while self.i < len(atoms):
            atom = atoms[self.i]
            if atom.kind == ZERO:
                if atom.pos >= limit:
                    break
                out.append((atom, 0, 0))
                self.i += 1
                continue
            here = atom.pos + self.off
            if here >= limit:
                break
            n = atom.length
            end = n if limit == float("inf") else min(n, self.off + int(limit - here))
            out.append((atom, self.off, end))
            if end == n:
                self.i += 1
                self.off = 0
            else:
                self.off = end
        return out


__all__ = ["BodyDiffer", "align", "group_pieces", "opcodes", "replace_blocks",
           "section_stories"]
