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

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefing.errors import BriefingError
from briefing.source.edit import (
    EditError,
    YamlText,
    _dash_column,
    _is_text,
    _line_end,
    _line_start,
    _node_end,
    double_quoted,
    plain,
    render_value,
)
from briefing.source.read import read_yaml
from briefing.sourceid import ById, FieldPath, Step, format_path

Scalar = Union[str, bool, int, dt.date]
FLOW_WIDTH = 60


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


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Return `text` with `changes` made in place; raise EditError when one cannot be made."""
    data = _read(text)
    pending = list(changes)
    while pending:
        batch = _leading_value_sets(text, pending)
        if len(batch) > 1:  # many values set in one pass, checked by one read
            expected = data
            for change in batch:
                expected = _expected(expected, change)
            new = _edit(text, batch, quote=False)
            got = _read(new, quiet=True)
            if got == expected:
                text, data, pending = new, got, pending[len(batch):]
                continue
        text, data = _apply_one(text, data, pending.pop(0))
    return text


def _apply_one(text: str, data: Any, change: Change) -> tuple[str, Any]:
    """Return the text and data after `change`, checked by reading the text back."""
    expected = _expected(data, change)
    new = _edit(text, [change], quote=False)
    got = _read(new, quiet=isinstance(change, Set))
    if got != expected and isinstance(change, Set):  # e.g. a block style that cannot hold it
        new = _edit(text, [change], quote=True)
        got = _read(new)
    if got != expected:
        raise EditError(f"{_where(change)}: the change would not read back as given; "
                        "nothing was changed")
    return new, got


def _leading_value_sets(text: str, changes: list[Change]) -> list[Change]:
    """Return the run of Set changes at the front of `changes` that replace one scalar each."""
    run: list[Change] = []
    for change in changes:
        if not isinstance(change, Set) or isinstance(change.value, (dict, list)) or \
                change.value is None or any(c.path == change.path for c in run):
            break
        run.append(change)
    return run


def _where(change: Change) -> str:
    return format_path(change.path)


_UNREADABLE = object()


def _read(text: str, *, quiet: bool = False) -> Any:
    """Return the data in `text` as `briefing validate` reads it; EditError when unreadable.

    `quiet`: return a marker instead of raising, so the caller can try another rendering.
    """
    try:
        return read_yaml(text, "<yaml>")[0]
    except BriefingError as exc:
        if quiet:
            return _UNREADABLE
        raise EditError(str(exc).replace("<yaml>:", "line ", 1)) from None


# --------------------------------------------------------------------------- the data side


def _expected(data: Any, change: Change) -> Any:
    """Return a copy of `data` with `change` made: what the edited text must read as."""
    out = copy.deepcopy(data)
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
        items.insert(len(items) if change.index is None else change.index,
                     copy.deepcopy(change.value))
        return out
    items = _container(out, change.path)
    if not isinstance(items, list) or not (0 <= change.old < len(items)) \
            or not (0 <= change.new < len(items)):
        raise EditError(f"{_where(change)}: no item {change.old} or {change.new} to move")
    items.insert(change.new, items.pop(change.old))
    return out


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
    doc = _Doc(editor, quote)
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


class _Doc:
    """The splicing operations behind each kind of change, on one parse of the text."""

    def __init__(self, editor: YamlText, quote: bool) -> None:
        self.ed = editor
        self.text = editor.text
        self.quote = quote

    # -- lookup --

    def find(self, path: FieldPath) -> Node | None:
        """Return the node at `path`, or None when the path's last step is missing."""
        try:
            return self.ed.node(path)
        except EditError:
            if path and isinstance(path[-1], str):
                return None
            raise

    # -- Set --

    def set(self, path: FieldPath, value: Any) -> None:
        if value is None:
            self.remove(path)
            return
        node = self.find(path)
        if node is None:
            self.add_field(path, value)
        elif isinstance(value, list) and isinstance(node, SequenceNode) and \
                all(isinstance(v, str) for v in value) and \
                all(isinstance(i, ScalarNode) for i in node.value) and not self.quote:
            self.ed.set_list(path, value)
        elif isinstance(node, ScalarNode) and not isinstance(value, (dict, list)):
            self.ed._replace_scalar(node, self.scalar_like(node, value))
        else:
            self.replace_value(path, node, value)

    def scalar_like(self, node: ScalarNode, value: Any) -> str:
        """Return `value` written in `node`'s style where it can be, else plainly or quoted."""
        if not isinstance(value, str):
            return render_value(value)
        if self.quote:
            return double_quoted(value)
        if _is_text(node):
            return self.ed.render_like(node, value, flow=self.ed._in_flow(node))
        return self.scalar(value, flow=self.ed._in_flow(node))

    def scalar(self, value: Any, *, flow: bool = False) -> str:
        """Return a plain rendering of `value` when it reads back as itself, else double quotes."""
        if not isinstance(value, str):
            return render_value(value)
        return (None if self.quote else plain(value, flow)) or double_quoted(value)

    def replace_value(self, path: FieldPath, node: Node, value: Any) -> None:
        """Replace a whole value (a mapping or list, or a scalar by one) after its key."""
        key = self.key_of(path)
        end = _line_end(self.text, _node_end(node))
        self.ed._splice(key.end_mark.index, end, self.after_key(value, key.start_mark.column))

    def after_key(self, value: Any, column: int) -> str:
        """Return what follows the ':' of a key at `column` for `value`, to the line break."""
        if isinstance(value, dict) and value:
            return ":\n" + self.mapping_lines(value, column + 2)
        if isinstance(value, list) and value:
            flow = self.flow_list(value)
            if flow is not None:
                return f": {flow}\n"
            return ":\n" + self.list_lines(value, column + self.ed.sequence_offset())
        if isinstance(value, (dict, list)):
            return ": {}\n" if isinstance(value, dict) else ": []\n"
        return f": {self.scalar(value)}\n"

    def mapping_lines(self, value: dict, indent: int) -> str:
        pad = " " * indent
        return "".join(f"{pad}{self.scalar(k)}{self.after_key(v, indent)}"
                       for k, v in value.items() if v is not None)

    def list_lines(self, values: list, dash: int) -> str:
        return "".join(self.item_lines(v, dash) for v in values)

    def item_lines(self, value: Any, dash: int) -> str:
        """Return the lines of one block-list item whose dash sits at column `dash`."""
        if isinstance(value, dict) and value:
            body = self.mapping_lines(value, dash + 2)
            return " " * dash + "- " + body[dash + 2:]
        if isinstance(value, list):
            raise EditError("a list inside a list is not part of a briefing")
        return " " * dash + "- " + self.scalar(value) + "\n"

    def flow_list(self, values: list) -> str | None:
        """Return `[a, b]` when every item is short text that needs no quotes, else None."""
        if self.quote or not all(isinstance(v, str) for v in values):
            return None
        parts = [plain(v, True) for v in values]
        if any(p is None for p in parts):
            return None
        shown = "[" + ", ".join(p for p in parts if p is not None) + "]"
        return shown if len(shown) <= FLOW_WIDTH else None

    def key_of(self, path: FieldPath) -> ScalarNode:
        parent = self.ed.node(path[:-1])
        step = path[-1]
        key = self.ed.key_node(parent, step) if isinstance(parent, MappingNode) and \
            isinstance(step, str) else None
        if key is None:
            raise EditError(f"{format_path(path)}: only a field's value can be replaced")
        return key

    # -- new fields --

    def add_field(self, path: FieldPath, value: Any) -> None:
        """Add `path`'s last key to its mapping (making missing mappings above it)."""
        n = len(path) - 1
        while n > 0 and self.find(path[:n]) is None:
            n -= 1
        parent = self.ed.node(path[:n])
        if not all(isinstance(s, str) for s in path[n:]):
            raise EditError(f"{format_path(path)}: not found in the YAML")
        for step in reversed(path[n + 1:]):
            value = {step: value}
        key = str(path[n])
        if isinstance(parent, ScalarNode) and parent.value == "" and n > 0:
            self.replace_value(path[:n], parent, {key: value})
            return
        if not isinstance(parent, MappingNode):
            raise EditError(f"{format_path(path[:n + 1])}: its parent is not a mapping")
        if parent.flow_style:
            self.add_to_flow_mapping(parent, path[:n + 1], key, value)
            return
        indent = parent.value[0][0].start_mark.column if parent.value else 0
        at = _line_end(self.text, _node_end(parent)) if parent.value else len(self.text)
        lead = "\n" if at == len(self.text) and self.text and not self.text.endswith("\n") else ""
        self.ed._splice(at, at, lead + " " * indent + self.scalar(key)
                        + self.after_key(value, indent))

    def add_to_flow_mapping(self, node: MappingNode, path: FieldPath, key: str,
                            value: Any) -> None:
        if isinstance(value, (dict, list)):
            raise EditError(f"{format_path(path)}: cannot add a list or mapping inside {{...}}")
        close = node.end_mark.index - 1
        sep = ", " if node.value else ""
        self.ed._splice(close, close, f"{sep}{self.scalar(key, flow=True)}: "
                                      f"{self.scalar(value, flow=True)}")

    # -- lists --

    def insert(self, path: FieldPath, value: Any, index: int | None) -> None:
        node = self.find(path)
        if node is None or (isinstance(node, ScalarNode) and node.value == "" and not node.style):
            self.set(path, [value])
            return
        if not isinstance(node, SequenceNode):
            raise EditError(f"{format_path(path)}: is not a list in the YAML")
        items = node.value
        where = len(items) if index is None else index
        if not 0 <= where <= len(items):
            raise EditError(f"{format_path(path)}: has no position {where}")
        if node.flow_style or not items:
            values = [self.source(i) for i in items]
            values.insert(where, value)
            self.rewrite_flow(path, node, values)
            return
        dash = _dash_column(self.text, items[0])
        at = (_line_start(self.text, items[where].start_mark.index) if where < len(items)
              else self.item_end(items[-1]))
        lead = "\n" if at == len(self.text) and not self.text.endswith("\n") else ""
        self.ed._splice(at, at, lead + self.item_lines(value, dash))

    def source(self, item: Node) -> Any:
        """Return a flow list item as its own text, kept as typed."""
        return _Typed(self.text[item.start_mark.index:item.end_mark.index])

    def rewrite_flow(self, path: FieldPath, node: SequenceNode, values: list) -> None:
        """Rewrite a flow list `[...]` with `values`, as a block list if one will not fit."""
        if all(isinstance(v, (_Typed, str, int, bool, dt.date)) for v in values):
            parts = [v.text if isinstance(v, _Typed) else self.scalar(v, flow=True)
                     for v in values]
            self.ed._splice(node.start_mark.index, node.end_mark.index,
                            "[" + ", ".join(parts) + "]")
            return
        if any(isinstance(v, _Typed) for v in values):
            raise EditError(f"{format_path(path)}: a list written in [...] holds only text")
        self.replace_value(path, node, values)

    def item_end(self, item: Node) -> int:
        return _line_end(self.text, _node_end(item))

    def remove(self, path: FieldPath) -> None:
        parent = self.ed.node(path[:-1])
        node = self.ed.node(path)
        if isinstance(parent, SequenceNode):
            self.remove_item(path, parent, node)
        elif isinstance(parent, MappingNode):
            self.remove_field(path, parent, node)
        else:
            raise EditError(f"{format_path(path)}: not found in the YAML")

    def remove_item(self, path: FieldPath, parent: SequenceNode, node: Node) -> None:
        if parent.flow_style:
            self.rewrite_flow(path[:-1], parent,
                              [self.source(i) for i in parent.value if i is not node])
            return
        if len(parent.value) == 1:
            self.replace_value(path[:-1], parent, [])
            return
        start = _line_start(self.text, node.start_mark.index)
        if self.text[start:node.start_mark.index].strip() not in ("-", ""):
            raise EditError(f"{format_path(path)}: cannot remove an item that shares its line")
        self.ed._splice(start, self.item_end(node), "")

    def remove_field(self, path: FieldPath, parent: MappingNode, node: Node) -> None:
        pairs = parent.value
        n = next(i for i, (_, v) in enumerate(pairs) if v is node)
        key = pairs[n][0]
        if len(pairs) == 1 and len(path) > 1 and not parent.flow_style and \
                isinstance(self.ed.node(path[:-2]), MappingNode):
            self.replace_value(path[:-1], parent, {})
            return
        if parent.flow_style:
            if n > 0:
                self.ed._splice(pairs[n - 1][1].end_mark.index, node.end_mark.index, "")
            elif len(pairs) > 1:
                self.ed._splice(key.start_mark.index, pairs[1][0].start_mark.index, "")
            else:
                self.ed._splice(key.start_mark.index, node.end_mark.index, "")
            return
        start = _line_start(self.text, key.start_mark.index)
        if self.text[start:key.start_mark.index].strip() and n + 1 < len(pairs):
            # the first field of a list item ('- id: x'): the next field moves up to the dash
            self.ed._splice(key.start_mark.index, pairs[n + 1][0].start_mark.index, "")
            return
        if self.text[start:key.start_mark.index].strip():
            raise EditError(f"{format_path(path)}: cannot remove the only field of an item")
        self.ed._splice(start, self.item_end(node), "")

    def move(self, path: FieldPath, old: int, new: int) -> None:
        node = self.ed.node(path)
        if not isinstance(node, SequenceNode) or not (0 <= old < len(node.value)) \
                or not (0 <= new < len(node.value)):
            raise EditError(f"{format_path(path)}: no item {old} or {new} to move")
        if old == new:
            return
        if node.flow_style:
            values = [self.source(i) for i in node.value]
            values.insert(new, values.pop(old))
            self.rewrite_flow(path, node, values)
            return
        items = node.value
        starts = [self.leading_comments(items[0])] + [self.item_end(i) for i in items[:-1]]
        ends = [self.item_end(i) for i in items]
        pieces = [self.text[s:e] for s, e in zip(starts, ends)]
        if not pieces[-1].endswith("\n"):
            pieces[-1] += "\n"
            tail_fix = True
        else:
            tail_fix = False
        pieces.insert(new, pieces.pop(old))
        region = "".join(pieces)
        if tail_fix:
            region = region[:-1]
        self.ed._splice(starts[0], ends[-1], region)

    def leading_comments(self, item: Node) -> int:
        """Return where the comment lines directly above `item` start (its line if none)."""
        start = _line_start(self.text, item.start_mark.index)
        while start > 0:
            above = _line_start(self.text, start - 1)
            if not self.text[above:start].lstrip().startswith("#"):
                break
            start = above
        return start


@dataclass(frozen=True)
class _Typed:
    """A flow list item kept exactly as it was typed."""

    text: str


__all__ = ["Change", "EditError", "Insert", "Move", "Remove", "Set", "apply_changes"]
