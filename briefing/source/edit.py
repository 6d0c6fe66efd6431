"""Edit a briefing's YAML in place by field path, changing only the bytes of the edited values.

A round-trip dump (even ruamel's) re-indents sequences, re-wraps long lines and
moves some comments. Officers arrange their files by hand, so this module does
not dump at all: it composes the text once to learn where every node starts and
ends, and splices new text into exactly those spans. Everything else in the file
(comments, key order, blank lines, indentation, quoting of untouched values) is
left byte for byte. Each new value is written in the style of the value it
replaces (plain, single- or double-quoted, literal or folded block) whenever
that style can hold it, and every rendering is checked by parsing it back.

Values are found by field path (`briefing.sourceid`): a tuple of mapping keys,
list positions and `ById(id)` steps.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml as pyyaml
from ruamel.yaml.error import YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefing.errors import EditError
from briefing.source.render import (
    FOLD_WIDTH,
    block_ok,
    double_quoted,
    fold_lines,
    is_text,
    literal_lines,
    plain,
    render_value,
    single_quoted,
)
from briefing.source.yamlerrors import DROPPED_COMMENT, dropped_comment, line_col
from briefing.sourceid import ById, FieldPath, Step, format_path

# libyaml composes a large briefing ten times faster than ruamel.yaml's pure-Python
# parser and gives the same node spans; plain-scalar resolution (YAML 1.1 there) is
# never relied on: what a value means is checked with ruamel.yaml (YAML 1.2), as the
# loader reads it.
_COMPOSER = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)

# --- the editor -------------------------------------------------------------------------


@dataclass
class _Splice:
    start: int
    end: int
    text: str


@dataclass
class YamlText:
    """A YAML file's text plus the node tree that says where each value sits in it."""

    text: str
    root: Node
    _splices: list[_Splice] = field(default_factory=list)
    _parents: dict[int, Node] | None = None

    @classmethod
    def parse(cls, text: str) -> YamlText:
        """Return an editor for `text` (raise EditError when it is not a YAML mapping)."""
        try:
            root = pyyaml.compose(text, Loader=_COMPOSER)
        except (pyyaml.YAMLError, YAMLError) as exc:
            raise EditError(f"cannot parse the YAML: {exc}") from None
        if not isinstance(root, MappingNode):
            raise EditError("the YAML's top level is not a mapping")
        _refuse_dropped_comments(text, root)
        return cls(text, root)

    # -- finding nodes --

    def node(self, path: FieldPath) -> Node:
        """Return the node at `path`; raise EditError when the path leads nowhere."""
        node = self.root
        for step in path:
            node = self._child(node, step, path)
        return node

    def _child(self, node: Node, step: Step, path: FieldPath) -> Node:
        if isinstance(step, str) and isinstance(node, MappingNode):
            for key, value in node.value:
                if key.value == step:
                    return value
        elif isinstance(step, int) and isinstance(node, SequenceNode):
            if step < len(node.value):
                return node.value[step]
        elif isinstance(step, ById) and isinstance(node, SequenceNode):
            for item in node.value:
                if isinstance(item, MappingNode) and _mapping_get(item, "id") == step.id:
                    return item
        raise EditError(f"{format_path(path)}: not found in the YAML")

    def key_node(self, mapping: MappingNode, key: str) -> ScalarNode | None:
        """Return the key node of `key` in `mapping`, or None."""
        for k, _ in mapping.value:
            if k.value == key:
                return k
        return None

    # -- edits --

    def set_scalar(self, path: FieldPath, value: str) -> None:
        """Replace the string at `path` with `value`, in the old value's style where it fits."""
        node = self.node(path)
        if not is_text(node):
            raise EditError(f"{format_path(path)}: is not a text value in the YAML")
        flow = self._in_flow(node)
        if node.style in ("|", ">") and not flow and node.value.endswith("\n") and \
                not value.endswith("\n"):
            # a document's text has no final line break: the block keeps the one it ended with
            block = self._render_block(node, value + "\n")
            if block is not None:
                self._replace_scalar(node, block)
                return
        self._replace_scalar(node, self.render_like(node, value, flow=flow))

    def set_list(self, path: FieldPath, values: list[str]) -> None:
        """Make the list of strings at `path` equal `values`, touching only changed items."""
        node = self.node(path)
        if not isinstance(node, SequenceNode):
            raise EditError(f"{format_path(path)}: is not a list in the YAML")
        old = [item.value if isinstance(item, ScalarNode) else None for item in node.value]
        if old == values:
            return
        if node.flow_style or not node.value:
            self._rewrite_flow_list(path, node, values)
        elif not values:  # a block list emptied: `key: []`, as YAML has no empty block list
            key = self._key_of(path)
            self._splice(key.end_mark.index, line_end(self.text, node_end(node)), ": []\n")
        else:
            self._edit_block_list(node, old, values)

    def append_to_list(self, key: str, entries: list[dict[str, Any]]) -> None:
        """Append mappings to the top-level list `key`, laid out like the list's last entry."""
        if not entries:
            return
        key_node = self.key_node(self.root, key)
        value = self.node((key,)) if key_node is not None else None
        if isinstance(value, SequenceNode) and value.value and not value.flow_style:
            last = value.value[-1]
            if isinstance(last, MappingNode):
                at = line_end(self.text, node_end(last))
                self._splice(at, at, "".join(self._entry_like(last, e) for e in entries))
                return
        self._write_new_block_list(key, key_node, value, entries)

    def result(self) -> str:
        """Return the edited text."""
        out, pos = [], 0
        for s in sorted(self._splices, key=lambda s: (s.start, s.end)):
            if s.start < pos:
                raise EditError("overlapping edits to the YAML")
            out.append(self.text[pos:s.start])
            out.append(s.text)
            pos = s.end
        out.append(self.text[pos:])
        return "".join(out)

    @property
    def changed(self) -> bool:
        """Return True when any edit was made."""
        return bool(self._splices)

    # -- internals --

    def _splice(self, start: int, end: int, text: str) -> None:
        self._splices.append(_Splice(start, end, text))

    def _replace_scalar(self, node: ScalarNode, rendered: str) -> None:
        """Splice `rendered` over `node`, keeping the line breaks ending a block scalar's span."""
        span = self.text[node.start_mark.index:node.end_mark.index]
        tail = span[len(span.rstrip("\n")):] if node.style in ("|", ">") else ""
        if rendered.endswith("\n"):
            tail = tail[1:]
        self._splice(node.start_mark.index, node.end_mark.index, rendered + tail)

    def _in_flow(self, node: Node) -> bool:
        parent = self._parent(node)
        return bool(getattr(parent, "flow_style", False))

    def _parent(self, target: Node) -> Node | None:
        if self._parents is None:
            self._parents = {}
            stack: list[Node] = [self.root]
            while stack:
                node = stack.pop()
                children = ([v for _, v in node.value] if isinstance(node, MappingNode)
                            else node.value if isinstance(node, SequenceNode) else [])
                for child in children:
                    self._parents[id(child)] = node
                stack.extend(children)
        return self._parents.get(id(target))

    def render_like(self, node: ScalarNode, value: str, *, flow: bool) -> str:
        """Return `value` rendered in `node`'s style, or the nearest style that can hold it."""
        style = node.style or None
        if style in ("|", ">") and not flow:
            block = self._render_block(node, value)
            if block is not None:
                return block
        if style == "'":
            return single_quoted(value) or double_quoted(value)
        if style is None:
            return plain(value, flow) or double_quoted(value)
        return double_quoted(value)

    def _render_block(self, node: ScalarNode, value: str) -> str | None:
        span = self.text[node.start_mark.index:node.end_mark.index]
        header, _, body = span.partition("\n")
        indent = _block_indent(body, node.start_mark.column)
        # one final line break is the block's "clip" ending (`|`), none its "strip" (`|-`)
        clip = value.endswith("\n") and not value.endswith("\n\n")
        content = value[:-1] if clip else value
        lines = None
        style = node.style
        if style == ">":
            lines = fold_lines(content, max(FOLD_WIDTH - indent, 20))
        if lines is None:
            lines = literal_lines(content)
            if lines is None:
                return None
            style = "|"
        header = _block_header(header, style, clip)
        pad = " " * indent
        text = header + "\n" + "".join((pad + line if line else "") + "\n" for line in lines)
        # Content sits deeper than its key, so under a key at column 0 it parses the same.
        return text if block_ok("k: " + text, value) else None

    def _edit_block_list(self, node: SequenceNode, old: list, values: list[str]) -> None:
        items = node.value
        dash_col = dash_column(self.text, items[0])
        matcher = difflib.SequenceMatcher(None, old, values, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                item = items[i1 + k]
                if not isinstance(item, ScalarNode):
                    raise EditError("a list item is not a text value")
                self._replace_scalar(item, self.render_like(item, values[j1 + k], flow=False))
            for k in range(i1 + pairs, i2):
                self._splice(*self._item_span(items[k]), "")
            new = values[j1 + pairs:j2]
            if new:
                before = max(i1 + pairs, i2)
                at = self._insert_point(items, before)
                like = items[before - 1] if before > 0 else items[0]  # the item it follows
                text = "".join(self._block_item(dash_col, like, v) for v in new)
                self._splice(at, at, text)

    def _insert_point(self, items: list[Node], before: int) -> int:
        if before < len(items):
            return line_start(self.text, items[before].start_mark.index)
        return line_end(self.text, node_end(items[-1]))

    def _item_span(self, item: Node) -> tuple[int, int]:
        return line_start(self.text, item.start_mark.index), line_end(self.text, node_end(item))

    def _block_item(self, dash_col: int, like: Node, value: str) -> str:
        rendered = (self.render_like(like, value, flow=False) if isinstance(like, ScalarNode)
                    else plain(value, False) or double_quoted(value))
        if rendered.endswith("\n"):  # a block scalar: re-indent under the new dash
            return " " * dash_col + "- " + rendered
        return " " * dash_col + "- " + rendered + "\n"

    def _rewrite_flow_list(self, path: FieldPath, node: SequenceNode, values: list[str]) -> None:
        if node.value or not values:
            like = {it.value: self.text[it.start_mark.index:it.end_mark.index]
                    for it in node.value if isinstance(it, ScalarNode)}
            parts = [like.get(v) or plain(v, True) or double_quoted(v) for v in values]
            self._splice(node.start_mark.index, node.end_mark.index, "[" + ", ".join(parts) + "]")
            return
        # An empty flow list `[]` that gains items becomes a block list laid out like the file's.
        key = self._key_of(path)
        dash_col = key.start_mark.column + self.sequence_offset()
        items = "".join(" " * dash_col + "- " + (plain(v, False) or double_quoted(v)) + "\n"
                        for v in values)
        self._splice(key.end_mark.index, line_end(self.text, node.end_mark.index),
                     ":\n" + items)

    def _key_of(self, path: FieldPath) -> ScalarNode:
        """Return the key node that holds the value at `path` (a mapping's key)."""
        parent = self.node(path[:-1])
        step = path[-1]
        key = self.key_node(parent, step) if isinstance(parent, MappingNode) and \
            isinstance(step, str) else None
        if key is None:
            raise EditError(f"{format_path(path)}: cannot rewrite this list")
        return key

    def sequence_offset(self) -> int:
        """Return how far this file indents a block list's dash under its key (0 or more)."""
        for key, value in _walk_pairs(self.root):
            if isinstance(value, SequenceNode) and not value.flow_style and value.value:
                return max(0, dash_column(self.text, value.value[0]) - key.start_mark.column)
        return 2

    def _entry_like(self, template: MappingNode, entry: dict[str, Any]) -> str:
        start = line_start(self.text, template.start_mark.index)
        end = line_end(self.text, node_end(template))
        text, shift = self.text[start:end], -start
        splices = []
        for key, value in template.value:
            if key.value in entry and isinstance(value, ScalarNode):
                new = entry[key.value]
                rendered = (self.render_like(value, new, flow=False)
                            if isinstance(new, str) and is_text(value) else render_value(new))
                splices.append((value.start_mark.index + shift, value.end_mark.index + shift,
                                rendered))
        for s, e, r in sorted(splices, reverse=True):
            text = text[:s] + r + text[e:]
        return _strip_comments(text)

    def _write_new_block_list(self, key: str, key_node: ScalarNode | None, value: Node | None,
                              entries: list[dict[str, Any]]) -> None:
        dash = " " * self.sequence_offset()
        lines = []
        for entry in entries:
            for n, (k, v) in enumerate(entry.items()):
                lead = dash + ("- " if n == 0 else "  ")
                lines.append(f"{lead}{k}: {render_value(v)}\n")
        block = "".join(lines)
        if key_node is None:
            sep = "" if self.text.endswith("\n") or not self.text else "\n"
            gap = "\n" if "\n\n" in self.text else ""
            self._splice(len(self.text), len(self.text), f"{sep}{gap}{key}:\n{block}")
            return
        end = max(value.end_mark.index, key_node.end_mark.index + 1) if value is not None else \
            key_node.end_mark.index + 1
        self._splice(key_node.end_mark.index, line_end(self.text, end), ":\n" + block)


# --- helpers ----------------------------------------------------------------------------


def _refuse_dropped_comments(text: str, root: Node) -> None:
    """Raise EditError at the first unquoted text value that a ' #' comment cuts short."""
    ends = {m.start() for m in _COMMENT_START.finditer(text)}
    if not ends:
        return
    stack: list[tuple[Node, tuple[Any, ...]]] = [(root, ())]
    found = []
    while stack:
        node, loc = stack.pop()
        if isinstance(node, MappingNode):
            stack.extend((v, loc + (k.value,)) for k, v in node.value
                         if not isinstance(v, ScalarNode) or v.end_mark.index in ends)
        elif isinstance(node, SequenceNode):
            stack.extend((v, loc + (i,)) for i, v in enumerate(node.value)
                         if not isinstance(v, ScalarNode) or v.end_mark.index in ends)
        elif not node.style and is_text(node):
            at = dropped_comment(text, node.end_mark.index)
            if at is not None:
                line, col = line_col(text, at)
                found.append((line, col, format_path(loc)))
    if found:
        line, col, path = min(found)
        raise EditError(f"line {line}, column {col}: {path}: {DROPPED_COMMENT}")


_COMMENT_START = re.compile(r"(?<![ \t])[ \t]+#")


def _mapping_get(node: MappingNode, key: str) -> Any:
    for k, v in node.value:
        if k.value == key and isinstance(v, ScalarNode):
            return v.value
    return None


def _walk_pairs(node: Node) -> Iterator[tuple[Node, Node]]:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            yield k, v
            yield from _walk_pairs(v)
    elif isinstance(node, SequenceNode):
        for v in node.value:
            yield from _walk_pairs(v)


def node_end(node: Node) -> int:
    """Return where `node`'s own text ends (a mapping or list: its last value's end)."""
    if isinstance(node, MappingNode) and node.value and not node.flow_style:
        return node_end(node.value[-1][1])
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        return node_end(node.value[-1])
    return node.end_mark.index


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def line_end(text: str, index: int) -> int:
    """Return the index after the newline ending the line that holds `index - 1`."""
    if index > 0 and text[index - 1] == "\n":
        return index
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def dash_column(text: str, item: Node) -> int:
    start = item.start_mark.index
    dash = text.rfind("-", line_start(text, start), start)
    if dash < 0:
        raise EditError("cannot find the list item's dash")
    return dash - line_start(text, start)


_HEADER = re.compile(r"[|>]([1-9]?)[-+]?([1-9]?)(.*)", re.DOTALL)


def _block_header(header: str, style: str, clip: bool) -> str:
    """Return a block scalar's header line with `style` and the ending chosen by `clip`,
    keeping its indentation indicator and any comment after it."""
    m = _HEADER.fullmatch(header)
    if m is None:  # not a block header: let the parse-back check refuse the rendering
        return header
    return style + (m.group(1) or m.group(2)) + ("" if clip else "-") + m.group(3)


def _block_indent(body: str, column: int) -> int:
    for line in body.split("\n"):
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return column + 2


_COMMENT_LINE = re.compile(r"^\s*#.*\n?", re.MULTILINE)
_TRAILING_COMMENT = re.compile(r"[ \t]+#[^\n'\"]*$", re.MULTILINE)


def _strip_comments(text: str) -> str:
    """Return an entry's text without its comment lines and end-of-line comments."""
    return _TRAILING_COMMENT.sub("", _COMMENT_LINE.sub("", text))


__all__ = ["EditError", "YamlText", "dash_column", "double_quoted", "line_end", "line_start",
           "node_end", "plain", "render_value"]
