"""The blocks of a body, header, footer or table cell, and how two lists of them align.

Blocks (paragraphs, tables, rows) are keyed by source id where both documents
carry our source bookmarks, otherwise by text. The alignment is
`briefing.align`'s: equal keys matched near-linearly, then the stretches
between paired by word similarity. Adjacent unpaired paragraphs are folded
into a pair when that explains a split or a merge, and trailing inserted or
deleted paragraphs into the paragraph before them (`settle_ends`), so the last
paragraph of a body or cell always keeps a plain paragraph mark.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from lxml import etree

from briefing.align import best_pairs, stitch, walk
from briefing.errors import DocumentError
from briefing.ooxml.ns import R, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import block_text, paragraph_text
from briefing.ooxml.sourcemap import is_source_bookmark

P, TBL, TR, TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
SECT_PR, TC_PR = qn("w:sectPr"), qn("w:tcPr")
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
        if name is not None and is_source_bookmark(name):
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
            text = paragraph_text(el)
            sid = paragraph_sid(el) if use_ids else None
            out.append(Block(el, "p", ("id", sid) if sid else ("p", text), sid, text))
        elif tag == TBL:
            text = block_text(el)
            out.append(Block(el, "tbl", ("tbl", text), None, text))
        elif tag in _ZERO_TAGS:
            out.append(Block(el, "zero", ("zero", tag, el.get(W_NAME)), None, ""))
        else:
            text = block_text(el)
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
            rid = ref.get(_R_ID)
            if kind and rid:
                out[(n, kind, ref.get(_W_TYPE, "default"))] = rid
    return out


def story_part_pairs(old: Package, new: Package) -> list[tuple[str, str]]:
    """Return (OLD's part, NEW's part) for each header and footer of NEW that OLD has too,
    matched by section, kind and type (`section_stories`); each NEW part once."""
    found = [_section_parts(pkg) for pkg in (old, new)]
    out: list[tuple[str, str]] = []
    for key, target in found[1].items():
        source = found[0].get(key)
        if source is not None and all(target != t for _, t in out):
            out.append((source, target))
    return out


def document_body(pkg: Package) -> etree._Element:
    """Return the document's body, or raise DocumentError when it has none."""
    body = pkg.xml(pkg.main_name).find(qn("w:body"))
    if body is None:
        raise DocumentError(f"{pkg.path}: the document has no body")
    return body


def _section_parts(pkg: Package) -> dict[tuple[int, str, str], str]:
    rels = pkg.parts_by_id(pkg.main_name)
    return {key: rels[rid] for key, rid in section_stories(document_body(pkg)).items()
            if rid in rels}


def replace_blocks(container: etree._Element, blocks: list[etree._Element]) -> None:
    """Replace the block content of a header or footer with `blocks`."""
    for child in list(container):
        container.remove(child)
    container.extend(blocks)


# --- alignment ---------------------------------------------------------------------------

def align(olds: list[Block], news: list[Block]) -> list[Op]:
    """Return the alignment of two block lists as ops, in document order."""
    ops = stitch([b.key for b in olds], [b.key for b in news],
                 lambda i1, i2, j1, j2: _align_region(olds[i1:i2], news[j1:j2]),
                 lambda i, j: Op([olds[i]], [news[j]]))
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
    out[-1] = Op([moved], last_new.news)  # an insertion step holds one block (`align`)
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
    """Return the word similarity of an edited pair's OLD and NEW paragraphs (both sides
    non-empty: `_foldable` only joins a pair and a lone paragraph)."""
    a = [w for b in op.olds for w in b.words + ["\x00"]]
    b = [w for b in op.news for w in b.words + ["\x00"]]
    return similarity(a, b)
