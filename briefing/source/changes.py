"""Apply a form's field changes to a briefing's YAML text in place.

    apply_changes(text: str, changes: Iterable[Change]) -> str

returns `text` with every change made, in order, touching only the bytes of
what changed: comments, key order, blank lines, indentation and the quoting of
untouched values stay as they were (the splicing is `briefing.source.edit`'s).
A change is one of

- `Set(path, value)`: the value at `path` becomes `value`: any string (quoting
  is this module's job: `#`, `: `, `&`, `<`, `{{`, quotes, leading zeros,
  `yes`/`no`, `3`, text that looks like a date, new lines, leading and trailing
  spaces are all stored exactly), a bool, an int, a date, a list of strings
  (items diffed, so untouched items keep their lines) or a mapping. A missing
  field is added to its mapping (missing mappings on the way are made);
  `None` removes the field.
- `Insert(path, value, index=None)`: `value` (a scalar or a mapping) goes
  into the list at `path` before position `index`, or at its end; a missing
  list is made.
- `Remove(path)`: the list item or field at `path` goes (comment lines stay).
- `Move(path, old, new)`: the item at position `old` of the list at `path`
  moves to position `new`, with the comment lines just above it.

Paths are `briefing.sourceid` field paths: mapping keys, list positions and
`ById(id)` for an item picked by its own `id`. Positions count in the list as
the earlier changes left it. After each change the text is read again (as
`briefing validate` reads it) and must hold exactly the data the change asks
for; if not, or a path leads nowhere, `EditError` says why and nothing is
returned, so a caller never writes a half-edited file.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

from briefing.errors import BriefingError, EditError
from briefing.source.edit import YamlText
from briefing.source.read import Positions, read_yaml
from briefing.source.splice import Splicer
from briefing.sourceid import ById, FieldPath, Step, format_path

Scalar = Union[str, bool, int, dt.date]


@dataclass(frozen=True)
class Set:
    """Make the value at `path` equal `value` (None removes the field)."""

    path: FieldPath
    value: Any


@dataclass(frozen=True)
class Insert:
    """Put `value` into the list at `path` before position `index` (None: at the end)."""

    path: FieldPath
    value: Any
    index: int | None = None


@dataclass(frozen=True)
class Remove:
    """Remove the list item or mapping field at `path`."""

    path: FieldPath


@dataclass(frozen=True)
class Move:
    """Move the item at position `old` of the list at `path` to position `new`."""

    path: FieldPath
    old: int
    new: int


Change = Union[Set, Insert, Remove, Move]


def apply_changes(text: str, changes: Iterable[Change], *, data: Any = None) -> str:
    """Return `text` with `changes` made in place; raise EditError when one cannot be made.

    `data`: what `text` reads as (`read_yaml(text, ...)[0]`), when the caller has it, to
    spare reading the text once more.
    """
    return edited(text, changes, data=data).text


@dataclass
class Edited:
    """Text after `edited`, and its last check: what it reads as and where each value sits
    (`read_yaml`'s answer for exactly this text), or None when nothing changed."""

    text: str
    read: tuple[Any, Positions] | None = None


def edited(text: str, changes: Iterable[Change], *, data: Any = None) -> Edited:
    """Return what `apply_changes` returns, with the reading of the result it checked, so a
    caller that validates the result need not read it again."""
    data = _read(text)[0] if data is None else data  # never changed in place (`_expected`)
    last: tuple[Any, Positions] | None = None
    pending = list(changes)
    while pending:
        batch = _leading_sets(pending)
        if len(batch) > 1:  # many values set in one pass, checked by one read
            expected = data
            for change in batch:
                expected = _expected(expected, change)
            try:
                new = _edit(text, batch, quote=False)
            except EditError:
                new = None
            got = _read(new, quiet=True) if new is not None else (_UNREADABLE, Positions())
            if got[0] == expected and new is not None:
                text, data, last, pending = new, got[0], got, pending[len(batch):]
                continue
        for change in batch or pending[:1]:  # one at a time, each checked
            text, last = _apply_one(text, data, change)
            data = last[0]
        pending = pending[len(batch or pending[:1]):]
    return Edited(text, last)


def _apply_one(text: str, data: Any, change: Change) -> tuple[str, tuple[Any, Positions]]:
    """Return the text after `change` and its reading, checked against what it must hold."""
    expected = _expected(data, change)
    new = _edit(text, [change], quote=False)
    got = _read(new, quiet=isinstance(change, Set))
    if got[0] != expected and isinstance(change, Set):  # e.g. a block style cannot hold it
        new = _edit(text, [change], quote=True)
        got = _read(new)
    if got[0] != expected:
        raise EditError(f"{_where(change)}: the change would not read back as given; "
                        "nothing was changed")
    return new, got


def _leading_sets(changes: list[Change]) -> list[Change]:
    """Return the run of Set changes at the front of `changes` whose paths do not overlap."""
    run: list[Change] = []
    for change in changes:
        if not isinstance(change, Set) or isinstance(change.value, dict) or \
                change.value is None or any(_overlap(c.path, change.path) for c in run):
            break
        run.append(change)
    return run


def _overlap(a: FieldPath, b: FieldPath) -> bool:
    """Return True when one path is the other or lies inside it."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _where(change: Change) -> str:
    return format_path(change.path)


_UNREADABLE = object()


def _read(text: str, *, quiet: bool = False) -> tuple[Any, Positions]:
    """Return what `text` reads as, as `briefing validate` reads it, and where each value
    sits; EditError when unreadable (`quiet`: a marker and no positions instead, so the
    caller can try another rendering)."""
    try:
        return read_yaml(text, "<yaml>")
    except BriefingError as exc:
        if quiet:
            return _UNREADABLE, Positions()
        raise EditError(str(exc).replace("<yaml>:", "line ", 1)) from None


# --------------------------------------------------------------------------- the data side


def _expected(data: Any, change: Change) -> Any:
    """Return `data` with `change` made, as a new value: what the edited text must read as.

    Only the mappings and lists on the change's path are copied; the rest is shared with
    `data`, which is never changed in place (a large briefing is not copied whole per edit).
    """
    out = _copy_along(data, change.path)
    if isinstance(change, Set):
        if change.value is None:
            _drop(out, change.path)
        else:
            parent = _container(out, change.path[:-1], make=True)
            _put(parent, change.path, copy.deepcopy(change.value))
        return out
    if isinstance(change, Remove):
        _drop(out, change.path)
        return out
    if isinstance(change, Insert):
        items = _container(out, change.path, make=True, leaf=list)
        if not isinstance(items, list):
            raise EditError(f"{_where(change)}: is not a list in the YAML")
        items.insert(len(items) if change.index is None else change.index,
                     copy.deepcopy(change.value))
        return out
    items = _container(out, change.path)
    if not isinstance(items, list) or not (0 <= change.old < len(items)) \
            or not (0 <= change.new < len(items)):
        raise EditError(f"{_where(change)}: no item {change.old} or {change.new} to move")
    items.insert(change.new, items.pop(change.old))
    return out


def _copy_along(data: Any, path: FieldPath) -> Any:
    """Return a shallow copy of `data` whose containers along `path` are shallow copies too."""
    out = _shallow(data)
    node = out
    for n, step in enumerate(path):
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            key: Any = step
        elif isinstance(node, list):
            try:
                key = _index(node, step, path[:n + 1])
            except EditError:
                break
        else:
            break
        if not isinstance(node[key], (dict, list)):
            break
        node[key] = _shallow(node[key])
        node = node[key]
    return out


def _shallow(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else list(value) \
        if isinstance(value, list) else value


def _container(data: Any, path: FieldPath, *, make: bool = False, leaf: type = dict) -> Any:
    """Return the value at `path`, making missing mappings (and a last `leaf`) when asked."""
    node = data
    for n, step in enumerate(path):
        if isinstance(node, dict) and isinstance(step, str):
            if step not in node or (node[step] is None and make):
                if not make:
                    raise EditError(f"{format_path(path[:n + 1])}: not found in the YAML")
                node[step] = leaf() if n == len(path) - 1 else {}
            node = node[step]
        elif isinstance(node, list):
            node = node[_index(node, step, path[:n + 1])]
        else:
            raise EditError(f"{format_path(path[:n + 1])}: not found in the YAML")
    return node


def _index(items: list, step: Step, path: FieldPath) -> int:
    if isinstance(step, int) and 0 <= step < len(items):
        return step
    if isinstance(step, ById):
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("id") == step.id:
                return i
    raise EditError(f"{format_path(path)}: not found in the YAML")


def _put(parent: Any, path: FieldPath, value: Any) -> None:
    step = path[-1]
    if isinstance(parent, dict) and isinstance(step, str):
        parent[step] = value
    elif isinstance(parent, list):
        parent[_index(parent, step, path)] = value
    else:
        raise EditError(f"{format_path(path)}: not found in the YAML")


def _drop(data: Any, path: FieldPath) -> None:
    parent = _container(data, path[:-1])
    step = path[-1]
    if isinstance(parent, dict) and isinstance(step, str) and step in parent:
        del parent[step]
    elif isinstance(parent, list):
        del parent[_index(parent, step, path)]
    else:
        raise EditError(f"{format_path(path)}: not found in the YAML")


# --------------------------------------------------------------------------- the text side


def _edit(text: str, changes: list[Change], *, quote: bool) -> str:
    """Return `text` with `changes` spliced in (`quote`: write new text double-quoted)."""
    editor = YamlText.parse(text)
    doc = Splicer(editor, quote)
    for change in changes:
        if isinstance(change, Set):
            doc.set(change.path, change.value)
        elif isinstance(change, Remove):
            doc.remove(change.path)
        elif isinstance(change, Insert):
            doc.insert(change.path, change.value, change.index)
        else:
            doc.move(change.path, change.old, change.new)
    return editor.result()


__all__ = ["Change", "EditError", "Edited", "Insert", "Move", "Remove", "Set", "apply_changes",
           "edited"]
