"""Source ids and field paths: how a paragraph names the briefing field it came from.

A *source id* is a '/'-path into the briefing's data, built from the items'
own `id` fields, never from list positions where an item has an id:
`key_messages/local-commissioning/headline`, `key_messages/<id>/points/2`,
`objectives/1`, `meeting/purpose`. A member of a list is named by its `id`
when it has one, otherwise by its position.

A *field path* is the same place as a tuple of steps, for editing the YAML: a
mapping key (str), a list position (int) or `ById(id)` for an item picked by
its own `id`. Users read it as `key_messages[local-commissioning].points[2]`.

This module is the one place that makes, parses, matches and formats both,
so compose (which makes ids), review and accept/reject (which filter by them)
and absorb (which turns them into YAML edits) cannot disagree. Matching is by
whole segments: `objectives/1` never matches `objectives/10`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SEP = "/"


@dataclass(frozen=True)
class ById:
    """A path step selecting the item of a list of mappings whose `id` is `id`."""

    id: str

    def __str__(self) -> str:
        return self.id


Step = str | int | ById
FieldPath = tuple[Step, ...]


# --- making ---------------------------------------------------------------------------------


def child(parent: str, name: str) -> str:
    """Return the source id of field `name` inside the item or section `parent` ('' = top)."""
    return f"{parent}{SEP}{name}" if parent else name


def member(list_sid: str, index: int, item: Any) -> str:
    """Return the source id of a list member: its own `id` when it has one, else its position."""
    ident = own_id(item)
    return f"{list_sid}{SEP}{ident}" if ident else f"{list_sid}{SEP}{index}"


def own_id(item: Any) -> str | None:
    """Return the `id` a list member names itself by (a mapping's or a model's), or None."""
    if isinstance(item, dict):
        ident = item.get("id")
    elif isinstance(item, str):
        return None
    else:
        ident = getattr(item, "id", None)
    return ident if isinstance(ident, str) and ident else None


def common(sids: list[str]) -> str:
    """Return the longest common path of `sids`, by whole segments (the first when none)."""
    parts = [parse(s) for s in sids]
    shared = []
    for segs in zip(*parts):
        if len(set(segs)) != 1:
            break
        shared.append(segs[0])
    return SEP.join(shared) or sids[0]


# --- parsing and matching -------------------------------------------------------------------


def parse(source_id: str) -> list[str]:
    """Return the segments of a source id."""
    return source_id.split(SEP)


def matches(source_id: str | None, wanted: str) -> bool:
    """Return True when `source_id` lies in `wanted`, comparing whole segments only.

    `wanted` is a source id or a leading part of one (`key_messages`,
    `key_messages/local-commissioning`), or an item's own id
    (`local-commissioning`), which matches that item's fields. So
    `objectives/1` does not match `objectives/10`, nor `local-commissioning`
    the item `local-commissioning-2`.
    """
    if not source_id:
        return False
    wanted = wanted.strip(SEP)
    if source_id == wanted or source_id.startswith(wanted + SEP):
        return True
    segments = parse(source_id)
    return len(segments) > 1 and segments[1] == wanted


# --- source ids and field paths -------------------------------------------------------------


def to_path(source_id: str, data: Any) -> FieldPath | None:
    """Return the field path a source id names in `data`, or None when it names no field.

    Segments after a list pick an item by its `id`, or by position when the
    item at that position has no `id` (`objectives/1`).
    """
    node = data
    path: list[Step] = []
    for seg in parse(source_id):
        if isinstance(node, dict):
            if seg not in node:
                return None
            path.append(seg)
            node = node[seg]
        elif isinstance(node, list):
            step, node = _list_step(node, seg)
            if step is None:
                return None
            path.append(step)
        else:
            return None
    return tuple(path)


def _list_step(items: list, seg: str) -> tuple[Step | None, Any]:
    for item in items:
        if own_id(item) == seg:
            return ById(seg), item
    if seg.isdigit() and int(seg) < len(items) and own_id(items[int(seg)]) is None:
        return int(seg), items[int(seg)]
    return None, None


def index(data: Any) -> dict[str, tuple[FieldPath, Any]]:
    """Return every source id in `data` mapped to its field path and value.

    The path is the one `to_path` gives; one walk serves a whole document.
    """
    out: dict[str, tuple[FieldPath, Any]] = {}
    stack: list[tuple[Any, str, FieldPath]] = [(data, "", ())]
    while stack:
        node, sid, path = stack.pop()
        if path:
            out[sid] = (path, node)
        if isinstance(node, dict):
            stack.extend((v, child(sid, str(k)), path + (k,)) for k, v in node.items())
        elif isinstance(node, list):
            for i, item in enumerate(node):
                ident = own_id(item)
                step: Step = ById(ident) if ident else i
                stack.append((item, member(sid, i, item), path + (step,)))
    return out


def get_value(data: Any, path: FieldPath) -> Any:
    """Return the value at `path` in plain data; raise LookupError when it is not there."""
    node = data
    for step in path:
        if isinstance(step, ById):
            node = _item_by_id(node, step.id)
        elif isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise LookupError(format_path(path))
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                raise LookupError(format_path(path))
            node = node[step]
    return node


def _item_by_id(items: Any, item_id: str) -> Any:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and item.get("id") == item_id:
                return item
    raise LookupError(item_id)


def format_path(path: Iterable[Step]) -> str:
    """Return a field path (or a pydantic error location) as users read it.

    `("key_messages", ById("local-commissioning"), "points", 2)` reads
    `key_messages[local-commissioning].points[2]`.
    """
    out = ""
    for step in path:
        if isinstance(step, (int, ById)):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out
