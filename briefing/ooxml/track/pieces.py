"""The piece stream of a paragraph group: OLD paragraphs becoming NEW ones, word by word.

The atoms of the OLD and NEW paragraphs (`inline`) are tokenised and diffed
with difflib (shared head and tail first); lone spaces or punctuation between
two changes are folded into them, so a rewritten sentence does not come out
as alternating one-word changes. Each atom, or part of one, becomes a piece:
the same, inserted or deleted, with the OLD run or mark it replaces.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from lxml import etree

from briefing.ooxml.ns import qn
from briefing.ooxml.track.atoms import MARK, STARTS, ZERO, Atom, paragraph_atoms, tokens
from briefing.ooxml.track.inline import DELETED, INSERTED, SAME, Builder, Piece


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
