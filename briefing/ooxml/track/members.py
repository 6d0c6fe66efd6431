"""Members' copies of one draft, as changes to the draft's blocks, and the draft with all of them.

A member's copy is the draft plus tracked changes plus, when the member
forgot to track, untracked edits. With every tracked change rejected the copy
reads as the draft plus the untracked edits; the word diff of the draft
against that (`BodyDiffer`) writes those edits as tracked changes in the
member's name. Blocks the untracked diff leaves alone are taken from the copy
itself, with its own tracked changes (authors and dates kept), traced through
the rejection by a number each block carries meanwhile (`mark_blocks`). Each
member's version is a list of `Entry`s: draft blocks [start, end) replaced by
output blocks.

`assemble` walks the draft once: a block no member touched stays the draft's;
a block one member touched becomes theirs; a paragraph several members
touched is merged word by word (`merge.merge_paragraph`), and anything else
several members changed differently is a conflict, reported with each
member's wording.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml import tree
from briefing.ooxml.ns import qn
from briefing.ooxml.read.changes import REVISION_TAGS
from briefing.ooxml.read.text import block_text
from briefing.ooxml.track.diff import BodyDiffer
from briefing.ooxml.track.inline import paragraph_mark_rpr
from briefing.ooxml.track.merge import has_revisions, merge_paragraph
from briefing.ooxml.track.revids import Stamper

P, TBL, PPR, RPR = qn("w:p"), qn("w:tbl"), qn("w:pPr"), qn("w:rPr")
INS, DEL, SECT_PR = qn("w:ins"), qn("w:del"), qn("w:sectPr")
COMMENT_REF = qn("w:commentReference")
BLOCK_NUMBER = "briefing-block"  # no namespace: nothing left behind once removed


@dataclass
class Entry:
    """Draft blocks [start, end) replaced by `blocks` in one member's version."""

    start: int
    end: int
    blocks: list[etree._Element]
    untracked: bool
    member: int = 0


@dataclass
class Clash:
    """Two members changed the same words differently: where, who and their wording."""

    block: int
    members: tuple[int, int]
    wording: tuple[str, str]
    kept_both: bool


@dataclass
class Assembly:
    """The combined blocks, the draft blocks each member touched, and the clashes."""

    blocks: list[etree._Element]
    touched: dict[int, set[int]] = field(default_factory=dict)  # draft block -> members
    clashes: list[Clash] = field(default_factory=list)


def body_blocks(body: etree._Element) -> list[etree._Element]:
    """Return the blocks of a body (its final section properties left out)."""
    return [el for el in body if isinstance(el.tag, str) and el.tag != SECT_PR]


def mark_blocks(body: etree._Element) -> None:
    """Number the body's blocks (a private attribute) so that, after the copy's tracked
    changes are rejected in a deep copy, each block left can be traced to the copy's own."""
    for n, el in enumerate(body_blocks(body)):
        el.set(BLOCK_NUMBER, str(n))


def unmark_blocks(body: etree._Element) -> dict[etree._Element, int]:
    """Remove the numbers `mark_blocks` gave; return block -> its number."""
    out = {}
    for el in body_blocks(body):
        number = el.get(BLOCK_NUMBER)
        if number is not None:
            del el.attrib[BLOCK_NUMBER]
            out[el] = int(number)
    return out


def member_entries(draft_body: etree._Element, copy_body: etree._Element,
                   rejected_body: etree._Element, differ: BodyDiffer) -> list[Entry]:
    """Return one member's changes to the draft's blocks (see the module docstring).

    `copy_body` has had `mark_blocks`; `rejected_body` is a deep copy of it with every
    tracked change rejected. Both lose the numbers here.
    """
    numbers = unmark_blocks(rejected_body)
    unmark_blocks(copy_body)
    draft = body_blocks(draft_body)
    index = {el: i for i, el in enumerate(draft)}
    own = body_blocks(copy_body)
    marked = _marked_blocks(copy_body)
    groups = _own_groups(own, sorted(numbers.values()))
    out: list[Entry] = []
    last = -1
    for op, blocks in differ.container_ops(draft_body, rejected_body):
        where = [index[b.el] for b in op.olds if b.el in index]
        start = where[0] if where else last + 1
        end = where[-1] + 1 if where else last + 1
        last = end - 1 if where else last
        if _changed(op.news, blocks):
            out.append(Entry(start, end, blocks, True))
            continue
        if len(where) != 1 or len(op.news) != 1 or op.news[0].el not in numbers:
            continue
        group = groups.get(numbers[op.news[0].el], [])
        if any(el in marked for el in group):
            out.append(Entry(start, end, group, False))
    return out


def _changed(news: list, blocks: list[etree._Element]) -> bool:
    """Return True when the untracked diff wrote anything but the copy's own blocks."""
    if len(news) != len(blocks):
        return True
    return any(el is not b.el or (el.tag == TBL and has_revisions(el))
               for el, b in zip(blocks, news))


def _own_groups(own: list[etree._Element], kept: list[int]) -> dict[int, list[etree._Element]]:
    """Return, for each copy block left after rejection, the copy's blocks it stands for:
    itself plus the blocks rejection took away, each with the block it was joined to.

    A block whose paragraph mark was inserted joins the block after it on rejection
    (17.13.5.15); a block inserted whole (content and mark) goes with the block before.
    """
    groups: dict[int, list[int]] = {k: [k] for k in kept}
    for n in range(len(own)):
        if n in groups:
            continue
        at = bisect_right(kept, n)
        after = kept[at] if at < len(kept) else None
        before = kept[at - 1] if at else None
        joins_next = own[n].find(f"{PPR}/{RPR}/{INS}") is not None and after is not None
        target = after if joins_next or before is None else before
        if target is not None:
            groups[target].append(n)
    return {k: [own[n] for n in sorted(members)] for k, members in groups.items()}


def _marked_blocks(body: etree._Element) -> set[etree._Element]:
    """Return the body's blocks that hold tracked changes or comment anchors."""
    out = set()
    for change in body.iter(*REVISION_TAGS, COMMENT_REF):
        el: etree._Element | None = change
        while el is not None and el.getparent() is not body:
            el = el.getparent()
        if el is not None:
            out.add(el)
    return out


def assemble(draft: list[etree._Element], versions: list[list[Entry]],
             stamper: Stamper) -> Assembly:
    """Return the draft blocks with every member's entries (see the module docstring)."""
    for member, entries in enumerate(versions):
        for entry in entries:
            entry.member = member
    starts: dict[int, list[Entry]] = {}
    for entries in versions:
        for entry in entries:
            starts.setdefault(entry.start, []).append(entry)
    result = Assembly([])
    i, n = 0, len(draft)
    while i <= n:
        here = starts.get(i, [])
        for entry in (e for e in here if e.end == e.start):
            result.blocks.extend(entry.blocks)
            _touch(result, max(i - 1, 0), entry.member)
        if i == n:
            break
        covering = [e for e in here if e.end > e.start]
        if not covering:
            result.blocks.append(draft[i])
            i += 1
            continue
        end = max(e.end for e in covering)
        for later in range(i + 1, end):  # entries starting inside this one cannot both stand
            for other in starts.pop(later, []):
                covering.append(other)
        for entry in covering:
            for k in range(entry.start, entry.end):
                _touch(result, k, entry.member)
        result.blocks.extend(_combine(draft, i, covering, stamper, result))
        i = end
    return result


def _touch(result: Assembly, block: int, member: int) -> None:
    result.touched.setdefault(block, set()).add(member)


def _combine(draft: list[etree._Element], i: int, entries: list[Entry], stamper: Stamper,
             result: Assembly) -> list[etree._Element]:
    first = entries[0]
    if len(entries) == 1:
        return first.blocks
    single = all(e.start == i and e.end == i + 1 and e.blocks and e.blocks[0].tag == P
                 for e in entries) and draft[i].tag == P
    merged = merge_paragraph(draft[i], [e.blocks[0] for e in entries], stamper) \
        if single else None
    if merged is None:
        for other in entries[1:]:
            result.clashes.append(Clash(i, (first.member, other.member),
                                        (_wording(first.blocks), _wording(other.blocks)),
                                        kept_both=False))
        # the others are left out: the draft's own blocks stand for the rest of their span
        end = max(e.end for e in entries if e.start == i)  # as `assemble` goes on from
        return first.blocks + draft[first.end:end]
    _carry_marks(merged.paragraph, [e.blocks[0] for e in entries])
    for a, b in merged.conflicts:
        who = (entries[a.member].member, entries[b.member].member)  # edits count the entries
        result.clashes.append(Clash(i, who, (a.text, b.text), kept_both=True))
    out = [merged.paragraph]
    for entry in entries:
        out.extend(entry.blocks[1:])
    return out


def _carry_marks(p: etree._Element, versions: list[etree._Element]) -> None:
    """Give the merged paragraph a member's inserted or deleted paragraph mark, if any."""
    for version in versions:
        for tag in (INS, DEL):
            mark = version.find(f"{PPR}/{RPR}/{tag}")
            if mark is not None and p.find(f"{PPR}/{RPR}/{tag}") is None:
                rpr = paragraph_mark_rpr(p)
                rpr.insert(0 if tag == INS else len(rpr.findall(INS)), _clone(mark))


def _clone(el: etree._Element) -> etree._Element:
    out = etree.Element(el.tag, dict(tree.attributes(el)))
    return out


def _wording(blocks: list[etree._Element]) -> str:
    return " / ".join(block_text(b) for b in blocks)


__all__ = ["Assembly", "Clash", "Entry", "assemble", "body_blocks", "mark_blocks",
           "member_entries", "unmark_blocks"]
