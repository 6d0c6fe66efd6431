"""The text side of `apply_changes`: where each kind of change goes in the YAML text.

One `Splicer` works on one parse of the text (`briefing.source.edit.YamlText`)
and turns a Set, Insert, Remove or Move into splices: new text in the style of
the file (the list's dash column, the mapping's indentation, `[a, b]` for a
short list of plain words), nothing else touched. Whether the result reads back
as asked is checked by the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefing.errors import EditError
from briefing.source.edit import YamlText, dash_column, line_end, line_start, node_end
from briefing.source.render import double_quoted, is_text, plain, render_value
from briefing.sourceid import FieldPath, format_path

FLOW_WIDTH = 60


class Splicer:
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
        if is_text(node):
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
        end = line_end(self.text, node_end(node))
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
        at = line_end(self.text, node_end(parent)) if parent.value else len(self.text)
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
        dash = dash_column(self.text, items[0])
        # before the comment lines above the item it goes before: they are that item's
        at = (self.leading_comments(items[where]) if where < len(items)
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
        return line_end(self.text, node_end(item))

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
        start = line_start(self.text, node.start_mark.index)
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
        start = line_start(self.text, key.start_mark.index)
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
        start = line_start(self.text, item.start_mark.index)
        while start > 0:
            above = line_start(self.text, start - 1)
            if not self.text[above:start].lstrip().startswith("#"):
                break
            start = above
        return start


@dataclass(frozen=True)
class _Typed:
    """A flow list item kept exactly as it was typed."""

    text: str
