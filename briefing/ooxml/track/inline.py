"""Paragraph content as a flat list of atoms, and paragraphs rebuilt from diffed atoms.

A paragraph (ECMA-376 Part 1, 17.3.1.22) holds runs, run containers
(hyperlinks, smart tags, simple fields, inline content controls) and
zero-width markup (bookmarks, proofing marks). `atoms` flattens it into:

- TEXT  a slice of one `w:t` of one run,
- ITEM  one other run item (tab, break, symbol, field character, drawing ...),
- OPAQUE a non-run element with content (e.g. Office Math), kept whole,
- ZERO  zero-width markup (bookmark start/end, proofing marks),
- MARK  the paragraph mark that ends the paragraph.

Every atom has a length in "character space" (TEXT its characters, ZERO none,
others one), so a diff over tokens maps to character ranges and back to atoms.
`Builder` turns a stream of (state, atom slice) pieces back into paragraphs:
inserted runs in `w:ins`, deleted runs in `w:del` with `w:delText`
(17.13.5.14), changed run formatting as `w:rPrChange` (17.13.5.31), and
inserted or deleted paragraph marks as `w:pPr/w:rPr/w:ins|w:del` (17.13.5.15).
"""

from __future__ import annotations

import copy
import re
from itertools import accumulate

from lxml import etree

from briefing.ooxml.ns import R, qn
from briefing.ooxml.track.revids import Stamper

P, RUN, T, PPR, RPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:pPr"), qn("w:rPr")
INS, DEL = qn("w:ins"), qn("w:del")
SECT_PR, PPR_CHANGE, RPR_CHANGE = qn("w:sectPr"), qn("w:pPrChange"), qn("w:rPrChange")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

TEXT, ITEM, OPAQUE, ZERO, MARK = range(5)
SAME, INSERTED, DELETED = "same", "insert", "delete"

CONTAINERS = frozenset(qn(f"w:{t}") for t in (
    "hyperlink", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml", "dir", "bdo",
))
ZERO_WIDTH = frozenset(qn(f"w:{t}") for t in (
    "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd",
    "commentRangeStart", "commentRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
    "customXmlDelRangeStart", "customXmlDelRangeEnd", "customXmlMoveFromRangeStart",
    "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd",
))
STARTS = frozenset(qn(f"w:{t}") for t in ("bookmarkStart", "permStart", "commentRangeStart"))
_ITEM_CHARS = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
               qn("w:noBreakHyphen"): "\u2011", qn("w:softHyphen"): "\u00ad"}
_SKIPPED_ITEMS = frozenset(qn(f"w:{t}") for t in ("lastRenderedPageBreak",))
#: Run items that point into other parts of their own package: not carried from OLD.
_PACKAGE_BOUND = frozenset(qn(f"w:{t}") for t in (
    "drawing", "pict", "object", "footnoteReference", "endnoteReference", "commentReference",
))
_DELETED_NAMES = {T: qn("w:delText"), qn("w:instrText"): qn("w:delInstrText")}
#: Run properties that differ between producers without any visible difference.
_RPR_IGNORED = frozenset(qn(f"w:{t}") for t in ("lang", "noProof", "rPrChange", "webHidden"))
_PPR_IGNORED = frozenset((RPR, SECT_PR, PPR_CHANGE))
_FALSE = {"0", "false", "off"}
_W_VAL = qn("w:val")
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


class Atom:
    """One unit of paragraph content; see the module docstring for the kinds.

    `el` is the w:t, the run item, the opaque or zero-width element, or the
    w:p (MARK); `run` the owning w:r (TEXT and ITEM); `chain` the run
    containers from the paragraph down; `pos` the start in character space;
    `text` the characters (TEXT) or a comparison key (others).
    """

    __slots__ = ("chain", "el", "kind", "pos", "run", "text")

    def __init__(self, kind: int, el: etree._Element, run: etree._Element | None,
                 chain: tuple, pos: int = 0, text: str = "") -> None:
        self.kind, self.el, self.run, self.chain, self.pos, self.text = (
            kind, el, run, chain, pos, text)

    @property
    def length(self) -> int:
        """Return the atom's length in character space."""
        if self.kind == TEXT:
            return len(self.text)
        return 0 if self.kind == ZERO else 1


def paragraph_atoms(p: etree._Element, pos: int = 0) -> list[Atom]:
    """Return the atoms of paragraph `p`, ending with its MARK, positions from `pos`."""
    out: list[Atom] = []
    _walk(p, (), out)
    out.append(Atom(MARK, p, None, (), text="\x00\u00b6"))
    for atom in out:
        atom.pos = pos
        pos += atom.length
    return out


def _walk(parent: etree._Element, chain: tuple, out: list[Atom]) -> None:
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str) or tag == PPR:
            continue
        if tag == RUN:
            _run_atoms(child, chain, out)
        elif tag in CONTAINERS:
            _walk(child, chain + (child,), out)
        elif tag in ZERO_WIDTH:
            out.append(Atom(ZERO, child, None, chain))
        elif not tag.endswith("Pr"):  # property children of containers are copied with them
            key = "\x00" + etree.QName(child).localname + ":" + "".join(child.itertext())
            out.append(Atom(OPAQUE, child, None, chain, text=key))


def _run_atoms(run: etree._Element, chain: tuple, out: list[Atom]) -> None:
    for item in run:
        tag = item.tag
        if not isinstance(tag, str) or tag == RPR or tag in _SKIPPED_ITEMS:
            continue
        if tag == T:
            if item.text:
                out.append(Atom(TEXT, item, run, chain, text=item.text))
        else:
            out.append(Atom(ITEM, item, run, chain, text=_item_key(item)))


def _item_key(item: etree._Element) -> str:
    char = _ITEM_CHARS.get(item.tag)
    name = etree.QName(item).localname
    if char is not None:
        kind = item.get(qn("w:type"))
        return char if not kind or kind == "textWrapping" else f"\x00{name}:{kind}"
    if name == "sym":
        return f"\x00sym:{item.get(qn('w:font'))}:{item.get(qn('w:char'))}"
    if name == "fldChar":
        return f"\x00fld:{item.get(qn('w:fldCharType'))}"
    return f"\x00{name}:{''.join(item.itertext())}"


def paragraph_text(p: etree._Element) -> str:
    """Return the visible text of `p` as the atoms see it (tabs and breaks as characters)."""
    return "".join(a.text if a.kind == TEXT or a.text[:1] != "\x00" else "\ufffc"
                   for a in paragraph_atoms(p)[:-1])


# --- tokens ------------------------------------------------------------------------------


def tokens(atoms: list[Atom]) -> list[tuple[str, int, int]]:
    """Return (key, start, end) tokens of an atom list: words, spaces, punctuation, objects.

    Text is tokenised across run boundaries; every non-text atom is one token.
    """
    out: list[tuple[str, int, int]] = []
    buf: list[str] = []
    buf_start = 0
    for atom in atoms:
        if atom.kind == TEXT:
            if not buf:
                buf_start = atom.pos
            buf.append(atom.text)
            continue
        if atom.kind == ZERO:
            continue
        if buf:
            _flush(buf, buf_start, out)
            buf = []
        out.append((atom.text, atom.pos, atom.pos + 1))
    if buf:
        _flush(buf, buf_start, out)
    return out


def _flush(buf: list[str], pos: int, out: list) -> None:
    found = _TOKEN.findall("".join(buf))  # the pattern matches every character
    bounds = list(accumulate(map(len, found), initial=pos))
    out.extend(zip(found, bounds, bounds[1:]))


def paragraph_signature(p: etree._Element, rkey) -> tuple:
    """Return what a reader sees of `p`: its properties and its text in runs of one format.

    Two paragraphs with equal signatures need no tracked change; `rkey(run)`
    gives a run's formatting key.
    """
    parts: list[tuple] = []
    for run in p.iter(RUN):
        text = "".join(item.text or "" if item.tag == T else _item_key(item) for item in run
                       if isinstance(item.tag, str) and item.tag != RPR
                       and item.tag not in _SKIPPED_ITEMS)
        if not text:
            continue
        key = rkey(run)
        if parts and parts[-1][0] == key:
            parts[-1] = (key, parts[-1][1] + text)
        else:
            parts.append((key, text))
    return ppr_key(p), tuple(parts)


# --- formatting keys ---------------------------------------------------------------------

def rpr_key(rpr: etree._Element | None) -> tuple:
    """Return a comparable key of run properties, ignoring language and proofing flags."""
    if rpr is None:
        return ()
    items = []
    for child in rpr:
        if not isinstance(child.tag, str) or child.tag in _RPR_IGNORED:
            continue
        attrs = tuple(sorted(child.attrib.items()))
        val = child.get(_W_VAL)
        if len(child.attrib) == 1 and val is not None and val.lower() in {"1", "true", "on"}:
            attrs = ()
        elif len(child.attrib) == 1 and val is not None and val.lower() in _FALSE:
            attrs = ((_W_VAL, "0"),)
        items.append((child.tag, attrs))
    items.sort()
    return tuple(items)


def ppr_key(p: etree._Element) -> tuple:
    """Return a comparable key of a paragraph's properties (mark formatting excluded)."""
    ppr = p.find(PPR)
    if ppr is None:
        return ()
    return tuple(element_key(c) for c in ppr
                 if isinstance(c.tag, str) and c.tag not in _PPR_IGNORED)


def element_key(el: etree._Element) -> tuple:
    """Return a comparable key of an element: tag, attributes, text and children, recursively."""
    return (el.tag, tuple(sorted(el.attrib.items())), el.text or "",
            tuple(element_key(c) for c in el if isinstance(c.tag, str)))


# --- pieces and the builder --------------------------------------------------------------


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

    def __init__(self, stamper: Stamper, *, keep_pstyles=None, keep_num_ids=None) -> None:
        self.stamper = stamper
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
        source = mark.atom.el if mark is not None else None
        p = etree.Element(P)
        if source is not None:
            p.attrib.update(source.attrib if mark.state != DELETED else
                            {k: v for k, v in source.attrib.items() if not k.startswith(_W14)})
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
                and style.get(_W_VAL) not in self.keep_pstyles:
            ppr.remove(style)
        num = ppr.find(qn("w:numPr"))
        num_id = num.find(qn("w:numId")) if num is not None else None
        if num_id is not None and self.keep_num_ids is not None \
                and num_id.get(_W_VAL) not in self.keep_num_ids:
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
                              skip=_PPR_IGNORED)

    # runs --------------------------------------------------------------------------------

    def rpr_key_of(self, run: etree._Element | None) -> tuple:
        """Return the cached formatting key of `run`."""
        if run is None:
            return ()
        key = self._rpr_keys.get(run)
        if key is None:
            key = self._rpr_keys[run] = rpr_key(run.find(RPR))
        return key

    def run_from(self, group: list[Piece]) -> etree._Element | None:
        """Return one run holding the pieces of `group` (same source run, state and format)."""
        first = group[0]
        src = first.atom.run
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
                self.dropped_objects += 1
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
                self.b.dropped_objects += 1
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
        if el.tag in _PACKAGE_BOUND or any(k.startswith(f"{{{R}}}") for k in el.attrib):
            return True
    return False
