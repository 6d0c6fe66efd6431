"""Paragraph content as a flat list of atoms, its tokens, and formatting keys.

A paragraph (ECMA-376 Part 1, 17.3.1.22) holds runs, run containers
(hyperlinks, smart tags, simple fields, inline content controls) and
zero-width markup (bookmarks, proofing marks). `paragraph_atoms` flattens it into:

- TEXT  a slice of one `w:t` of one run,
- ITEM  one other run item (tab, break, symbol, field character, drawing ...),
- OPAQUE a non-run element with content (e.g. Office Math), kept whole,
- ZERO  zero-width markup (bookmark start/end, proofing marks),
- MARK  the paragraph mark that ends the paragraph.

Every atom has a length in "character space" (TEXT its characters, ZERO none,
others one), so a diff over tokens maps to character ranges and back to atoms.
Formatting keys (`rpr_key`, `ppr_key`) compare run and paragraph properties
while ignoring what producers differ on without any visible difference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate

from lxml import etree

from briefing.ooxml import tree
from briefing.ooxml.ns import qn

RUN, T, PPR, RPR = qn("w:r"), qn("w:t"), qn("w:pPr"), qn("w:rPr")
SECT_PR, PPR_CHANGE = qn("w:sectPr"), qn("w:pPrChange")

TEXT, ITEM, OPAQUE, ZERO, MARK = range(5)

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
#: Run properties that differ between producers without any visible difference.
_RPR_IGNORED = frozenset(qn(f"w:{t}") for t in ("lang", "noProof", "rPrChange", "webHidden"))
PPR_IGNORED = frozenset((RPR, SECT_PR, PPR_CHANGE))
_FALSE = {"0", "false", "off"}
W_VAL = qn("w:val")
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
            out.append(Atom(OPAQUE, child, None, chain, text=_opaque_key(child)))


def _opaque_key(el: etree._Element) -> str:
    """Return the comparison key of OPAQUE content (an equation, say): its name and text."""
    return "\x00" + etree.QName(el).localname + ":" + "".join(tree.itertext(el))


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
    return f"\x00{name}:{''.join(tree.itertext(item))}"


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
    """Return what a reader sees of `p`: its properties, its text in runs of one format and
    its other content (equations: `_opaque_keys`).

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
    return ppr_key(p), tuple(parts), tuple(_opaque_keys(p))


def _opaque_keys(parent: etree._Element) -> Iterator[str]:
    """Yield the comparison keys of the OPAQUE content of `parent` (an equation, say): content
    that is neither runs nor markup, which a paragraph's runs alone do not show."""
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str) or tag in (PPR, RUN) or tag in ZERO_WIDTH \
                or tag.endswith("Pr"):
            continue
        if tag in CONTAINERS:
            yield from _opaque_keys(child)
        else:
            yield _opaque_key(child)


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
        val = child.get(W_VAL)
        if len(child.attrib) == 1 and val is not None and val.lower() in {"1", "true", "on"}:
            attrs = ()
        elif len(child.attrib) == 1 and val is not None and val.lower() in _FALSE:
            attrs = ((W_VAL, "0"),)
        items.append((child.tag, attrs))
    items.sort()
    return tuple(items)


def ppr_key(p: etree._Element) -> tuple:
    """Return a comparable key of a paragraph's properties (mark formatting excluded)."""
    ppr = p.find(PPR)
    if ppr is None:
        return ()
    return tuple(element_key(c) for c in ppr
                 if isinstance(c.tag, str) and c.tag not in PPR_IGNORED)


def element_key(el: etree._Element) -> tuple:
    """Return a comparable key of an element: tag, attributes, text and children, recursively."""
    return (el.tag, tuple(sorted(el.attrib.items())), el.text or "",
            tuple(element_key(c) for c in el if isinstance(c.tag, str)))
