"""Three-way merge of one section: the officer's edits on top of a file that moved on.

When a save is refused because the file changed on disk, the page offers the
officer's version again. Built from the version on disk now, it carries only
the values the officer changed since the page was loaded; where both sides
changed the same value, the officer's wins (they see both versions first).
"""

from __future__ import annotations

from typing import Any

from briefing.web.yamlsave import same


def merge(base: Any, mine: Any, theirs: Any) -> Any:
    """Return `theirs` with the changes from `base` to `mine` made in it."""
    if same(mine, base):
        return theirs
    if same(theirs, base) or same(mine, theirs):
        return mine
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        out = {}
        for key in list(theirs) + [k for k in mine if k not in theirs]:
            value = merge(base.get(key), mine.get(key), theirs.get(key))
            if value is not None:
                out[key] = value
        return out
    if isinstance(base, list) and isinstance(mine, list) and isinstance(theirs, list) and \
            _keys(base) == _keys(mine) == _keys(theirs):
        return [merge(b, m, t) for b, m, t in zip(base, mine, theirs)]
    return mine


def _keys(items: list[Any]) -> list[Any]:
    """Return what identifies each entry: its id, or its position for plain values."""
    return [x.get("id") if isinstance(x, dict) else i for i, x in enumerate(items)]
