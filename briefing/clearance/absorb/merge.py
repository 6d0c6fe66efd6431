"""Merge the document's field changes with the YAML as it is now (three-way, field by field).

base = the data the document was built from, theirs = the document's
changes, ours = the YAML now. A field changed on one side takes that side's
value; a list changed on both sides merges item by item; anything else
changed on both sides is a conflict, and nothing is written.
"""

from __future__ import annotations

import difflib
import itertools
from pathlib import Path
from typing import Any

from briefing.clearance.absorb.compare import Change
from briefing.errors import Conflict
from briefing.ooxml.sourcemap import SourceMap
from briefing.sourceid import format_path, get_value


def merge(changes: list[Change], base: dict, ours: dict, docx: Path, into: Path,
          smap: SourceMap | None) -> list[Change]:
    """Return the changes to make to `ours`; raise Conflict listing fields changed on both sides."""
    edits, conflicts = [], []
    for change in changes:
        try:
            mine = get_value(ours, change.path)
        except LookupError:
            conflicts.append(f"{format_path(change.path)}: removed from the YAML but edited "
                             "in the document")
            continue
        if mine == change.base:
            edits.append(Change(change.path, mine, change.new))
        elif mine != change.new:
            merged = _merge_items(change, mine)
            if merged is None:
                conflicts.append(f"{format_path(change.path)}: changed in both the YAML and "
                                 "the document")
            elif merged != mine:
                edits.append(Change(change.path, mine, merged))
    if conflicts:
        version = f" (version {smap.version})" if smap is not None and smap.version else ""
        raise Conflict(f"{into}: changed since {docx}{version} was built, and the same fields "
                       "changed in both:\n" + "\n".join(f"  {c}" for c in conflicts) +
                       f"\nnothing was changed; make these edits in {into} by hand, or "
                       "rebuild the document and review it again")
    return edits


def _merge_items(change: Change, mine: Any) -> list | None:
    """Return the three-way merge of a list both sides changed, or None when they collide."""
    base, new = change.base, change.new
    if not (isinstance(base, list) and isinstance(mine, list) and isinstance(new, list)):
        return None
    return merge_lists(base, mine, new)


def merge_lists(base: list, ours: list, theirs: list) -> list | None:
    """Return `base` with both sides' changes, or None when they touch the same items.

    Each side's changes are hunks over base positions (from difflib); hunks
    that overlap, or insert at the same place, collide unless they are equal.
    """
    hunks = sorted({*_hunks(base, ours), *_hunks(base, theirs)})
    for (a1, a2, _), (b1, b2, _) in itertools.pairwise(hunks):
        if b1 < a2 or (a1 == a2 == b1 == b2) or (a1 == b1 and a2 == b2):
            return None
    out, at = [], 0
    for i1, i2, items in hunks:
        out.extend(base[at:i1])
        out.extend(items)
        at = i2
    return out + base[at:]


def _hunks(base: list, side: list) -> list[tuple[int, int, tuple]]:
    """Return `side`'s changes to `base`: (start, end, new items) over base positions.

    difflib lines an item changed inside a run of equal items up as an insert at
    one end of the run and a delete at the other (base A A A, side D A A: D put
    before the run, the last A deleted); such a pair is taken as the item
    replaced, so that two sides changing different items of the run merge
    without an item too many or too few.
    """
    ops = difflib.SequenceMatcher(None, base, side, autojunk=False).get_opcodes()
    out, k = [], 0
    while k < len(ops):
        replaced = _replaced(base, side, ops[k:k + 3]) if k + 3 <= len(ops) else None
        if replaced is not None:
            out.append(replaced)
            k += 3
            continue
        op, i1, i2, j1, j2 = ops[k]
        if op != "equal":
            out.append((i1, i2, tuple(side[j1:j2])))
        k += 1
    return out


def _replaced(base: list, side: list, ops: list) -> tuple[int, int, tuple] | None:
    """Return the one replace that an insert, a run of equal items and a delete of as many
    items make when the run repeats itself across the deleted items, or None.

    (difflib matches a run as early as it can in `base`, so the insert comes first.)
    """
    (first, _, _, b1, b2), (_, e1, e2, _, _), (last, c1, c2, _, _) = ops  # the run: "equal"
    n = c2 - c1
    if first == "insert" and last == "delete" and b2 - b1 == n \
            and base[e1:e2] == base[e1 + n:e2 + n]:
        return _trimmed(base, e1, e1 + n, side[b1:b2])
    return None


def _trimmed(base: list, i1: int, i2: int, items: list) -> tuple[int, int, tuple]:
    """Return base[i1:i2] replaced by as many `items`, less those it starts with unchanged
    (difflib's insert can start with items of the run: base A A A A, side A D A A)."""
    while items and base[i1] == items[0]:
        i1, items = i1 + 1, items[1:]
    return i1, i2, tuple(items)
