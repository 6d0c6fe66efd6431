"""Write a briefing's new data into its YAML text in place: only what changed changes.

The editor page posts plain data; `changes` turns the difference between the
file's data and the posted data into the in-place editor's changes
(`briefing.source.changes`: Set, Insert, Remove, Move), which keep comments,
order and layout, store any string exactly and read every result back.
"""

from __future__ import annotations

from typing import Any

from briefing.source.changes import Change, Edited, Insert, Move, Remove, Set, edited
from briefing.source.edit import EditError
from briefing.source.read import read_yaml
from briefing.sourceid import ById, FieldPath


def updated_text(text: str, new: dict[str, Any], old: Any = None) -> str:
    """Return `text` edited in place so that it reads as `new`; raise EditError when it cannot.

    `old` is the data `text` holds, when the caller has it already.
    """
    return updated(text, new, old).text


def updated(text: str, new: dict[str, Any], old: Any = None) -> Edited:
    """Return what `updated_text` returns, with the reading of the result it checked."""
    if old is None:
        old, _ = read_yaml(text, "<file>")
    if not isinstance(old, dict):
        raise EditError("the YAML's top level is not a mapping")
    sets: list[Change] = []
    moves: list[Change] = []
    _diff((), old, new, sets, moves)
    if not sets and not moves:
        return Edited(text)
    return edited(text, sets + moves, data=old)


def same(a: Any, b: Any) -> bool:
    """Return True when `a` and `b` are equal with equal types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _diff(path: FieldPath, old: Any, new: Any, sets: list[Change], moves: list[Change]) -> None:
    """Add to `sets` (values) and `moves` (list structure) what turns `old` into `new`."""
    if same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict) and old:
        for key in old:
            if key not in new:
                moves.append(Set(path + (key,), None))
        for key, value in new.items():
            if key in old:
                _diff(path + (key,), old[key], value, sets, moves)
            else:
                sets.append(Set(path + (key,), value))
    elif isinstance(old, list) and isinstance(new, list) and old and new and \
            not all(isinstance(x, str) for x in old + new):
        _diff_items(path, old, new, sets, moves)
    else:
        sets.append(Set(path, new))


def _diff_items(path: FieldPath, old: list[Any], new: list[Any], sets: list[Change],
                moves: list[Change]) -> None:
    """Diff two lists of entries: by their ids when every entry has a distinct one."""
    old_ids, new_ids = _ids(old), _ids(new)
    if old_ids is None or new_ids is None:
        common = min(len(old), len(new))
        for i in range(common):
            _diff(path + (i,), old[i], new[i], sets, moves)
        for i in range(len(old) - 1, common - 1, -1):
            moves.append(Remove(path + (i,)))
        for value in new[common:]:
            moves.append(Insert(path, value))
        return
    by_id = dict(zip(old_ids, old))
    current = [i for i in old_ids if i in set(new_ids)]
    for item_id in old_ids:
        if item_id not in current:
            moves.append(Remove(path + (ById(item_id),)))
    for j, (item_id, value) in enumerate(zip(new_ids, new)):
        if item_id not in by_id:
            moves.append(Insert(path, value, j))
            current.insert(j, item_id)
            continue
        _diff(path + (ById(item_id),), by_id[item_id], value, sets, moves)
        at = current.index(item_id)
        if at != j:
            moves.append(Move(path, at, j))
            current.insert(j, current.pop(at))


def _ids(items: list[Any]) -> list[str] | None:
    """Return each entry's id when every entry has a distinct text one, else None."""
    ids = [x.get("id") if isinstance(x, dict) else None for x in items]
    if all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids):
        return [str(i) for i in ids]
    return None
