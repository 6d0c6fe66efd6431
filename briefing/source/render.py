"""How a value is written in YAML so that it reads back exactly as itself.

Each rendering (plain, single- or double-quoted, folded or literal block) is
offered only when it holds the value, and a plain one is checked by reading it
back with both readers the project uses (ruamel.yaml and the validating
reader), since they disagree about a few characters.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from yaml.nodes import Node, ScalarNode

from briefing.errors import BriefingError, EditError
from briefing.source.read import read_yaml

FOLD_WIDTH = 80

_SAFE = YAML(typ="safe", pure=True)


def _parses_to(snippet: str, expected: Any) -> bool:
    """Return True when ruamel.yaml and the validating reader both read `snippet` as `expected`."""
    try:
        if _SAFE.load(snippet) != expected:
            return False
    except YAMLError:
        return False
    try:
        return read_yaml(snippet, "<snippet>")[0] == expected
    except BriefingError:
        return False


def double_quoted(value: str) -> str:
    """Return `value` as a YAML double-quoted scalar that reads back exactly.

    JSON string syntax is valid YAML; characters JSON leaves raw but YAML may read
    as line breaks or cannot show (U+0085, U+2028, no-break and zero-width spaces,
    DEL) are written as escapes, which also makes them visible in the file.
    """
    return "".join(_escape(c) for c in json.dumps(value, ensure_ascii=False))


def _escape(char: str) -> str:
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def single_quoted(value: str) -> str | None:
    """Return `value` single-quoted, or None when that style cannot hold it on one line."""
    if "\n" in value or not value.isprintable():
        return None
    return "'" + value.replace("'", "''") + "'"


def plain(value: str, flow: bool) -> str | None:
    """Return `value` as a plain scalar, or None when it would not read back as this string."""
    if not value or "\n" in value or value != value.strip() or not value.isprintable():
        return None
    snippet, expected = (f"[{value}]", [value]) if flow else (f"k: {value}", {"k": value})
    return value if _parses_to(snippet, expected) else None


def fold_lines(value: str, width: int) -> list[str] | None:
    """Return the lines of a folded block holding `value`, or None when folding cannot."""
    if "\n" in value or value != value.strip() or "  " in value or not value:
        return None
    lines, line = [], ""
    for word in value.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def literal_lines(value: str) -> list[str] | None:
    """Return the lines of a literal block holding `value`, or None when it cannot."""
    if not value or value[0] in " \n" or value != value.rstrip() or not _printable_lines(value):
        return None
    return value.split("\n")


def _printable_lines(value: str) -> bool:
    return all(line.isprintable() for line in value.split("\n"))


def is_text(node: Node) -> bool:
    """Return True when `node` is a string scalar as YAML 1.2 (and the loader) reads it."""
    if not isinstance(node, ScalarNode):
        return False
    if node.style:
        return True
    try:
        return isinstance(_SAFE.load(f"k: {node.value}" if node.value else "k:")["k"], str)
    except (YAMLError, TypeError, KeyError):
        return False


def block_ok(snippet: str, value: str) -> bool:
    try:
        got = _SAFE.load(snippet)
    except YAMLError:
        return False
    return isinstance(got, dict) and got.get("k") == value


def render_value(value: Any) -> str:
    """Return a plain YAML rendering of a string, whole number, date or bool that reads back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if _parses_to(f"k: {text}", {"k": value}):
            return text
        raise EditError(f"cannot write {value!r} as YAML")
    return plain(str(value), False) or double_quoted(str(value))
