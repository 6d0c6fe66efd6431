"""Conflicts: two members' wordings of the same draft words, and deciding between them.

`merge` writes a conflict as the deletion of every word either member changed
(once, for the first member) and each member's wording as its own insertion,
inside a hidden bookmark named `CONFLICT_PREFIX` + n (`conflict_regions`).
Word and LibreOffice keep bookmarks whose names begin with "_", so review and
accept find the wordings after a member saves the document again
(LibreOffice moves the bookmark's start inside the revision that follows it).

- `insertion_conflicts`: the pairs of wordings by different members in one
  conflict (review shows them, accept refuses to keep both);
- `with_conflict_words`: the conflict's deleted words go with its wordings:
  accepted with a wording, rejected only with the last wording left;
- `decided_wordings`: a wording left beside words already settled (another
  member's wording accepted), which accepting would add to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from lxml import etree

from briefing.ooxml.ns import qn
from briefing.ooxml.read.text import text
from briefing.ooxml.track.revids import Stamper

R, INS, DEL = qn("w:r"), qn("w:ins"), qn("w:del")
BOOKMARK_START, BOOKMARK_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
W_ID, NAME, AUTHOR = qn("w:id"), qn("w:name"), qn("w:author")
CONFLICT_PREFIX = "_BrfConflict"


class Side(Protocol):
    """What a conflict region needs of a member's edit: the draft characters it covers."""

    start: int
    end: int


def conflict_regions(conflicts: Sequence[tuple[Side, Side]], stamper: Stamper
                     ) -> tuple[dict[int, list[etree._Element]], dict[int, list[etree._Element]]]:
    """Return the bookmark starts and ends (by draft position) that enclose each conflict:
    hidden bookmarks named CONFLICT_PREFIX + n, which Word and LibreOffice keep, so review
    and accept know the two wordings for what they are after the document is saved again."""
    opens: dict[int, list[etree._Element]] = {}
    closes: dict[int, list[etree._Element]] = {}
    for a, b in conflicts:
        start, end = min(a.start, b.start), max(a.end, b.end)
        ident = str(stamper.next_id)
        stamper.next_id += 1
        opens.setdefault(start, []).append(
            etree.Element(BOOKMARK_START, {W_ID: ident, NAME: f"{CONFLICT_PREFIX}{ident}"}))
        closes.setdefault(end, []).append(etree.Element(BOOKMARK_END, {W_ID: ident}))
    return opens, closes


def insertion_conflicts(elements: list[etree._Element]) -> list[tuple[int, int]]:
    """Return (i, j) for each pair of insertions by different authors inside one conflict
    bookmark (`CONFLICT_PREFIX`): two members' wordings of the same words."""
    groups: dict[str, list[int]] = {}
    for i, el in enumerate(elements):
        if el.tag == INS:
            region = _conflict_of(el)
            if region is not None:
                groups.setdefault(region, []).append(i)
    out = []
    for members in groups.values():
        for i, j in zip(members, members[1:]):
            if (elements[i].get(AUTHOR) or "") != (elements[j].get(AUTHOR) or ""):
                out.append((i, j))
    return out


def with_conflict_words(elements: list[etree._Element], picked: set[int], accept: bool
                        ) -> set[int]:
    """Return `picked` (indexes into `elements`) with each conflict's deleted words going with
    its wordings: accepting a member's wording accepts the deletion of the words it replaces;
    rejecting the last wording left rejects it, and it is not rejected while one stays."""
    regions: dict[str, list[int]] = {}
    for i, el in enumerate(elements):
        if el.tag in (INS, DEL):
            region = _conflict_of(el)
            if region is not None:
                regions.setdefault(region, []).append(i)
    out = set(picked)
    for members in regions.values():
        wordings = [i for i in members if elements[i].tag == INS]
        words = {i for i in members if elements[i].tag == DEL}
        if not wordings:
            continue
        if accept and any(i in picked for i in wordings):
            out |= words
        elif not accept:
            out = out | words if all(i in picked for i in wordings) else out - words
    return out


def decided_wordings(elements: list[etree._Element]) -> dict[int, str]:
    """Return {index: words} for each insertion left in a conflict bookmark beside words no
    longer tracked (another member's wording already accepted): accepting it too would keep
    both wordings."""
    out = {}
    for i, el in enumerate(elements):
        if el.tag == INS and _conflict_of(el) is None:
            words = _settled_words(el)
            if words.strip():
                out[i] = words
    return out


def _settled_words(el: etree._Element) -> str:
    """Return the untracked text inside the conflict bookmark that holds `el` ('' if none)."""
    passed: set[str | None] = set()
    anchor, ident = el.getprevious(), None
    while anchor is not None and ident is None:
        ident = _conflict_mark(anchor)
        if ident is None:
            if anchor.tag == BOOKMARK_END:
                passed.add(anchor.get(W_ID))
            anchor = anchor.getprevious()
    if anchor is None or ident in passed:  # after that conflict's end: not in it
        return ""
    words, node = [], anchor.getnext()
    while node is not None and not (node.tag == BOOKMARK_END and node.get(W_ID) == ident):
        if node.tag == R:
            words.append(text(node))
        node = node.getnext()
    return "".join(words)


def _conflict_of(el: etree._Element) -> str | None:
    """Return the id of the conflict bookmark `el` sits in, walking back over revisions
    (LibreOffice saves the bookmark's start inside the revision that follows it)."""
    here: etree._Element | None = el
    passed: set[str | None] = set()
    while here is not None:
        found = _conflict_mark(here)
        if found is not None:
            return None if found in passed else found  # after that conflict's end: not in it
        if here.tag == BOOKMARK_END:
            passed.add(here.get(W_ID))
        if here.tag not in (INS, DEL, BOOKMARK_START, BOOKMARK_END) and isinstance(here.tag, str):
            return None
        here = here.getprevious()
    return None


def _conflict_mark(el: etree._Element) -> str | None:
    """Return the id of the conflict bookmark `el` starts, or holds at its start (a revision
    LibreOffice saved the bookmark's start into), else None."""
    marks = [el] if el.tag == BOOKMARK_START else \
        list(el.iterchildren(BOOKMARK_START)) if el.tag in (INS, DEL) else []
    for mark in marks:
        if (mark.get(NAME) or "").startswith(CONFLICT_PREFIX):
            return mark.get(W_ID)
    return None


__all__ = ["CONFLICT_PREFIX", "conflict_regions", "decided_wordings", "insertion_conflicts",
           "with_conflict_words"]
