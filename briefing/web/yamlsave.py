"""Write a briefing's new data into its YAML text in place: only what changed changes.

The editor page posts plain data; this module turns the difference between the
file's data and the posted data into splices of the in-place editor
(`briefing.source.edit.YamlText`): a changed value is rewritten in its old
style, a removed list item or field loses its lines, an added one is written
laid out like its neighbours. Everything else, comments included, stays byte
for byte. Every result is read back and must equal the posted data exactly;
when a fine-grained edit cannot be made, the changed top-level section is
rewritten whole, and when even that does not read back the save is refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from briefing.source import edit
from briefing.source.edit import EditError, YamlText, double_quoted, literal_lines, plain
from briefing.source.read import read_yaml

Path_ = tuple[str | int, ...]


def updated_text(text: str, new: dict[str, Any]) -> str:
    """Return `text` edited in place so that it reads as `new`; raise EditError when it cannot."""
    old, _ = read_yaml(text, "<file>")
    if not isinstance(old, dict):
        raise EditError("the YAML's top level is not a mapping")
    for coarse in (False, True):
        try:
            ed = YamlText.parse(text)
            _Differ(ed, coarse).mapping((), old, new)
            out = ed.result()
        except EditError:
            continue
        if _reads_as(out, new):
            return out
    raise EditError("the new values could not be written into the YAML exactly; nothing was saved")


def _reads_as(text: str, expected: Any) -> bool:
    try:
        data, _ = read_yaml(text, "<file>")
    except Exception:  # noqa: BLE001 - any failure to read back means "not exact"
        return False
    return _same(data, expected)


def _same(a: Any, b: Any) -> bool:
    """Return True when `a` and `b` are equal with equal types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


class _Differ:
    """Turns data differences into splices on one YamlText."""

    def __init__(self, ed: YamlText, coarse: bool) -> None:
        self.ed = ed
        self.coarse = coarse
        self.offset = ed.sequence_offset()

    # -- mappings --

    def mapping(self, path: Path_, old: dict[str, Any], new: dict[str, Any]) -> None:
        node = self.ed.node(path)
        if not isinstance(node, MappingNode) or node.flow_style or not node.value:
            self.replace(path, new)
            return
        for key in old:
            if key not in new:
                self._remove_pair(node, key)
        previous: str | None = None
        for key, value in new.items():
            if key in old:
                if self.coarse and not path:
                    if not _same(old[key], value):
                        self.replace((key,), value)
                else:
                    self.value(path + (key,), old[key], value)
                previous = key
            else:
                self._add_pair(node, previous, key, value)

    def _remove_pair(self, node: MappingNode, key: str) -> None:
        for k, v in node.value:
            if k.value == key:
                start = edit._line_start(self.ed.text, k.start_mark.index)
                if self.ed.text[start:k.start_mark.index].strip():
                    raise EditError("a field on a list item's first line")
                self.ed._splice(start, edit._line_end(self.ed.text, edit._node_end(v)), "")
                return

    def _add_pair(self, node: MappingNode, after: str | None, key: str, value: Any) -> None:
        pairs = node.value
        col = pairs[0][0].start_mark.column
        line = " " * col + key + ":" + emit(value, col + 2, self.offset)
        if after is None:
            at = edit._line_start(self.ed.text, pairs[0][0].start_mark.index)
            if self.ed.text[at:pairs[0][0].start_mark.index].strip():
                raise EditError("a new first field of a list item")
        else:
            last = next(v for k, v in pairs if k.value == after)
            at = _content_end(self.ed.text, edit._line_end(self.ed.text, edit._node_end(last)))
        self.ed._splice(at, at, line)

    # -- values --

    def value(self, path: Path_, old: Any, new: Any) -> None:
        if _same(old, new):
            return
        if isinstance(old, dict) and isinstance(new, dict):
            self.mapping(path, old, new)
        elif isinstance(old, list) and isinstance(new, list):
            self.sequence(path, old, new)
        elif isinstance(new, (dict, list)) or isinstance(old, (dict, list)):
            self.replace(path, new)
        else:
            self.scalar(path, new)

    def scalar(self, path: Path_, new: Any) -> None:
        node = self.ed.node(path)
        if not isinstance(node, ScalarNode):
            self.replace(path, new)
        elif isinstance(new, str) and edit._is_text(node):
            self.ed.set_scalar(path, new)
        else:
            self.ed._replace_scalar(node, scalar_text(new))

    def sequence(self, path: Path_, old: list[Any], new: list[Any]) -> None:
        node = self.ed.node(path)
        if not isinstance(node, SequenceNode) or node.flow_style or not node.value or not new:
            if all(isinstance(x, str) for x in old + new):
                self.ed.set_list(path, new)
            else:
                self.replace(path, new)
            return
        if all(isinstance(x, str) for x in old + new) and \
                all(isinstance(n, ScalarNode) for n in node.value):
            self.ed.set_list(path, new)
            return
        old_keys, new_keys = _item_keys(old), _item_keys(new)
        items = node.value
        dash_col = edit._dash_column(self.ed.text, items[0])
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for k in range(i2 - i1):
                    self.value(path + (i1 + k,), old[i1 + k], new[j1 + k])
                continue
            for k in range(i1, i2):
                self.ed._splice(*self.ed._item_span(items[k]), "")
            if j2 > j1:
                at = self.ed._insert_point(items, i2)
                self.ed._splice(at, at, "".join(
                    " " * dash_col + "-" + emit_item(v, dash_col + 2, self.offset)
                    for v in new[j1:j2]))

    def replace(self, path: Path_, new: Any) -> None:
        """Rewrite the value at `path` whole (its key stays; comments inside it go)."""
        if not path or not isinstance(path[-1], str):
            raise EditError("cannot rewrite this value whole")
        key = self.ed._key_of(path)
        node = self.ed.node(path)
        end = edit._line_end(self.ed.text, max(edit._node_end(node), key.end_mark.index + 1))
        self.ed._splice(key.end_mark.index, end,
                        ":" + emit(new, key.start_mark.column + 2, self.offset,
                                   seq_col=key.start_mark.column + self.offset))


def _content_end(text: str, at: int) -> int:
    """Return `at` moved back over blank lines (a block scalar's span keeps those)."""
    while at > 0:
        start = text.rfind("\n", 0, at - 1) + 1
        if text[start:at].strip():
            return at
        at = start
    return at


def _item_keys(items: list[Any]) -> list[Any]:
    """Return what identifies each list item: its id when every item has a distinct one."""
    ids = [x.get("id") if isinstance(x, dict) else None for x in items]
    if all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids):
        return ids
    return [repr(x) for x in items]


# --- emitting new YAML ------------------------------------------------------------------


def scalar_text(value: Any) -> str:
    """Return a one-line YAML scalar that reads back as `value` (text, number, bool, date)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return edit.render_value(value)
    text = str(value)
    return plain(text, False) or double_quoted(text)


def emit(value: Any, indent: int, offset: int, seq_col: int | None = None) -> str:
    """Return the YAML that follows a key's colon for `value`, nested at `indent`."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return " {}\n"
        return "\n" + "".join(pad + k + ":" + emit(v, indent + 2, offset)
                              for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return " []\n"
        col = seq_col if seq_col is not None else indent - 2 + offset
        return "\n" + "".join(" " * col + "-" + emit_item(v, col + 2, offset) for v in value)
    if isinstance(value, str) and "\n" in value:
        lines = literal_lines(value)
        if lines is not None and not value.endswith("\n"):
            return " |-\n" + "".join((pad + line if line else "") + "\n" for line in lines)
    return " " + scalar_text(value) + "\n"


def emit_item(value: Any, indent: int, offset: int) -> str:
    """Return the YAML after a list item's dash for `value`, its fields nested at `indent`."""
    if isinstance(value, dict) and value:
        pairs = list(value.items())
        first_key, first = pairs[0]
        out = " " + first_key + ":" + emit(first, indent + 2, offset)
        return out + "".join(" " * indent + k + ":" + emit(v, indent + 2, offset)
                             for k, v in pairs[1:])
    if isinstance(value, list) and value:
        return "\n" + "".join(" " * indent + "-" + emit_item(v, indent + 2, offset)
                              for v in value)
    return emit(value, indent, offset)

