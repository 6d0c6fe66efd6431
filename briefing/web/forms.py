"""Forms generated from the briefing's JSON Schema, and posted forms read back into data.

Each field of the schema becomes a `Field`: a kind (text, textarea, integer,
date, select, checkbox, choices, group, list), a form name that is its data
path (`key_messages.2.headline`), an HTML id, a label and a hint. A new field in
the model appears on the page without new page code. Reading a posted form
walks the same schema, so what the officer typed is taken exactly as typed:
a number is a number only where the schema wants one and the text is digits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from briefing.web.labels import SECTIONS, hint_for, item_label, label_for

PAGE_SIZE = 20
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE = re.compile(r"^-?\d{1,9}$")


@dataclass
class Field:
    """One form control, or a group or list of them."""

    kind: str
    name: str
    label: str
    hint: str = ""
    value: Any = None
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    error: str | None = None
    item: str = ""
    start: int = 0
    total: int = 0
    focus: bool = False

    @property
    def id(self) -> str:
        """Return the HTML id of the control: its name with '-' for '.'."""
        return "f-" + self.name.replace(".", "-")

    def walk(self):
        """Yield this field and every field inside it."""
        yield self
        for child in self.children:
            yield from child.walk()


# --- the schema -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """Return the briefing's JSON Schema (computed once)."""
    from briefing.source.model import json_schema

    return json_schema()


def _resolve(node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Return `node` with its $ref followed and its null option dropped, and whether optional."""
    optional = False
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        optional = len(options) < len(node["anyOf"])
        node = {**node, **options[0]} if options else node
        node.pop("anyOf", None)
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = {**schema()["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    return node, optional


def kind_of(node: dict[str, Any], key: str) -> str:
    """Return the form control kind for schema `node` of the field called `key`."""
    if "enum" in node:
        return "select"
    kind = node.get("type")
    if kind == "object":
        return "group"
    if kind == "array":
        return "choices" if key == "relates_to" else "list"
    if kind == "boolean":
        return "checkbox"
    if kind == "integer":
        return "integer"
    if node.get("format") == "date":
        return "date"
    return "textarea" if node.get("maxLength", 0) > 500 else "text"


def sections() -> list[tuple[str, str]]:
    """Return the top-level sections of the schema as (key, title), in schema order."""
    return [(key, SECTIONS.get(key, label_for(key))) for key in schema()["properties"]]


def section_node(key: str) -> dict[str, Any]:
    """Return the resolved schema of top-level section `key`."""
    return _resolve(dict(schema()["properties"][key]))[0]


# --- data -> form -----------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What building a form needs besides the data: key messages to relate to, the page."""

    key_messages: list[tuple[str, str]]
    page: int = 1


def build_section(key: str, value: Any, ctx: Context) -> Field:
    """Return the form of top-level section `key` holding `value`."""
    node = section_node(key)
    top = _field(node, key, key, key, value, required=True, ctx=ctx, paged=True)
    top.label = SECTIONS.get(key, label_for(key))
    return top


def _field(node: dict[str, Any], section: str, key: str, name: str, value: Any, *,
           required: bool, ctx: Context, paged: bool = False) -> Field:
    kind = kind_of(node, key)
    f = Field(kind=kind, name=name, label=label_for(key), hint=hint_for(section, key, kind),
              required=required)
    if kind == "group":
        props = node.get("properties", {})
        wanted = set(node.get("required", []))
        data = value if isinstance(value, dict) else {}
        for sub, sub_node in props.items():
            resolved, optional = _resolve(dict(sub_node))
            f.children.append(_field(resolved, section, sub, f"{name}.{sub}", data.get(sub),
                                     required=sub in wanted and not optional, ctx=ctx))
    elif kind == "list":
        items = value if isinstance(value, list) else ([] if value is None else [value])
        item_node, _ = _resolve(dict(node.get("items", {})))
        f.item = item_label(key)
        f.total = len(items)
        start, stop = _page(len(items), ctx.page) if paged else (0, len(items))
        f.start = start
        for i in range(start, stop):
            child = _field(item_node, section, key, f"{name}.{i}", items[i], required=True,
                           ctx=ctx)
            child.label = f"{f.item[:1].upper()}{f.item[1:]} {i + 1}"
            f.children.append(child)
    elif kind == "choices":
        chosen = [str(v) for v in value] if isinstance(value, list) else []
        f.options = list(ctx.key_messages)
        known = {k for k, _ in f.options}
        f.options += [(v, f"'{v}' (not a key message id)") for v in chosen if v not in known]
        f.value = chosen
    elif kind == "select":
        f.options = [(str(v), str(v)) for v in node.get("enum", [])]
        f.value = _shown(value if value is not None else node.get("default"))
        if f.value not in {k for k, _ in f.options}:
            f.options.insert(0, (f.value, f.value or "(choose)"))
    elif kind == "checkbox":
        f.value = value is True
    else:
        f.value = _shown(value)
        if kind == "date" and f.value and not _ISO_DATE.match(f.value):
            f.kind = "text"  # shown as typed, so nothing is lost that a date picker cannot hold
    return f


def _page(total: int, page: int) -> tuple[int, int]:
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return (page - 1) * PAGE_SIZE, min(total, page * PAGE_SIZE)


def pages(total: int) -> int:
    """Return how many pages a list of `total` entries takes."""
    return max(1, -(-total // PAGE_SIZE))


def page_of(index: int) -> int:
    """Return the page (from 1) that shows list entry `index`."""
    return index // PAGE_SIZE + 1


def _shown(value: Any) -> str:
    """Return `value` as a text box shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


# --- posted form -> data ----------------------------------------------------------------


class Posted:
    """A posted form: single values and repeated ones (checkbox groups)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.values: dict[str, str] = {}
        self.lists: dict[str, list[str]] = {}
        for k, v in pairs:
            self.values.setdefault(k, v)
            self.lists.setdefault(k, []).append(v)

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else value.replace("\r\n", "\n")


def read_section(key: str, posted: Posted, old: Any) -> Any:
    """Return the new value of section `key` from `posted`, keeping `old` where unchanged."""
    return _read(section_node(key), key, key, posted, old, required=True)


def _read(node: dict[str, Any], key: str, name: str, posted: Posted, old: Any, *,
          required: bool) -> Any:
    kind = kind_of(node, key)
    if kind == "group":
        out: dict[str, Any] = {}
        old_map = old if isinstance(old, dict) else {}
        wanted = set(node.get("required", []))
        for sub, sub_node in node.get("properties", {}).items():
            resolved, optional = _resolve(dict(sub_node))
            value = _read(resolved, sub, f"{name}.{sub}", posted, old_map.get(sub),
                          required=sub in wanted and not optional)
            if value is not None or sub in old_map and old_map[sub] is None:
                out[sub] = value
        for sub, value in old_map.items():  # fields the schema does not know are kept as they are
            if sub not in out and sub not in node.get("properties", {}):
                out[sub] = value
        return out
    if kind == "list":
        olds = old if isinstance(old, list) else []
        if posted.get(f"{name}.__n") is None:
            return old
        item_node, _ = _resolve(dict(node.get("items", {})))
        start = _count(posted, f"{name}.__start")
        count = _count(posted, f"{name}.__n")
        tail = max(0, _count(posted, f"{name}.__total", start + count) - start - count)
        shown = [_read(item_node, key, f"{name}.{i}", posted,
                       olds[i] if i < len(olds) else None, required=True)
                 for i in range(start, start + count)]
        items = olds[:start] + shown + (olds[len(olds) - tail:] if tail else [])
        return None if not items and old is None and not required else items
    if kind == "choices":
        if posted.get(f"{name}.__choices") is None:
            return old
        chosen = list(dict.fromkeys(posted.lists.get(name, [])))
        kept = [v for v in old if v in chosen] if isinstance(old, list) else []
        return kept + [v for v in chosen if v not in kept]  # the file's order where it had one
    if kind == "checkbox":
        if posted.get(f"{name}.__box") is None:
            return old
        ticked = posted.get(name) is not None
        return None if old is None and ticked == node.get("default") else ticked
    typed = posted.get(name)
    if typed is None:
        return old
    if old is None and (not required or "default" in node) and typed == _shown(node.get("default")):
        return None  # left as the form showed it: a field the file does not have stays out
    return _typed_value(kind, typed, old, required)


def _typed_value(kind: str, typed: str, old: Any, required: bool) -> Any:
    """Return what the officer typed as the value the file should hold."""
    if typed == "" and not required:
        return None
    if old is not None and not isinstance(old, (bool, dict, list)) and _shown(old) == typed:
        return old  # unchanged: keep the value (and its type) the file has
    if kind == "integer" and _WHOLE.match(typed.strip()):
        return int(typed.strip())
    if kind == "date" and _ISO_DATE.match(typed.strip()):
        try:
            return dt.date.fromisoformat(typed.strip())
        except ValueError:
            return typed
    return typed


def _count(posted: Posted, name: str, default: int = 0) -> int:
    raw = posted.get(name)
    return int(raw) if raw is not None and raw.isdigit() else default


# --- list operations --------------------------------------------------------------------


def apply_op(data: dict[str, Any], op: str) -> str | None:
    """Apply an add / remove / up / down button to `data`; return the name to focus after."""
    verb, _, target = op.partition(":")
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in target.split(".") if p]
    if not parts:
        return None
    if verb == "add":
        holder = _at(data, parts[:-1], create=True)
        last = parts[-1]
        items = holder.get(last) if isinstance(holder, dict) else None
        if not isinstance(items, list):
            items = []
            holder[last] = items
        node = _schema_at(parts)
        items.append(blank(_resolve(dict(node.get("items", {})))[0]))
        return f"{target}.{len(items) - 1}"
    if len(parts) < 2 or not isinstance(parts[-1], int):
        return None
    items = _at(data, parts[:-1])
    i = parts[-1]
    if not isinstance(items, list) or not 0 <= i < len(items):
        return None
    base = ".".join(map(str, parts[:-1]))
    if verb == "remove":
        del items[i]
        return base
    j = i - 1 if verb == "up" else i + 1 if verb == "down" else -1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
        return f"{base}.{j}"
    return f"{base}.{i}"


def _at(data: Any, parts: list[str | int], create: bool = False) -> Any:
    node = data
    for p in parts:
        if isinstance(node, dict) and isinstance(p, str):
            if p not in node and create:
                node[p] = {}
            node = node.get(p)
        elif isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            node = node[p]
        else:
            return None
    return node


def _schema_at(parts: list[str | int]) -> dict[str, Any]:
    node: dict[str, Any] = schema()
    for p in parts:
        if isinstance(p, int):
            node = _resolve(dict(node.get("items", {})))[0]
        else:
            node = _resolve(dict(node.get("properties", {}).get(p, {})))[0]
    return node


def field_name(parts: list[str | int]) -> str:
    """Return the form name of the deepest field on the page that `parts` (a data path) names."""
    node: dict[str, Any] = schema()
    taken: list[str] = []
    key = ""
    for p in parts:
        kind = kind_of(node, key) if taken else "group"
        if kind not in ("group", "list"):
            break
        if isinstance(p, int):
            if kind != "list":
                break
            node = _resolve(dict(node.get("items", {})))[0]
        else:
            if kind != "group" or p not in node.get("properties", {}):
                break
            node = _resolve(dict(node["properties"][p]))[0]
            key = p
        taken.append(str(p))
    return ".".join(taken)


def path_parts(path: str) -> list[str | int]:
    """Return the steps of a problem's field path: 'key_messages[2].headline' -> [.., 2, ..]."""
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def blank(node: dict[str, Any]) -> Any:
    """Return an empty new entry for schema `node`: its required fields, empty."""
    kind = kind_of(node, "")
    if kind == "group":
        out: dict[str, Any] = {}
        for sub in node.get("required", []):
            resolved, _ = _resolve(dict(node["properties"][sub]))
            out[sub] = blank(resolved)
        return out
    if kind in ("list", "choices"):
        return []
    if kind == "checkbox":
        return False
    return ""
