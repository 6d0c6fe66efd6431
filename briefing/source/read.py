"""Read YAML text into plain data with the line and column of every key and value.

Two readers, one set of rules:

- `read_yaml` is the fast reader validation uses: libyaml's event parser
  (through PyYAML's C binding, iterative, so deep nesting cannot crash it)
  and a small composer here that resolves plain scalars by the YAML 1.2 core
  schema, as ruamel.yaml does, and records positions in a `Positions` table.
- `read_round_trip` is ruamel.yaml's round-trip loader: the same data with
  comments and layout kept, for absorb to edit and write back. It is ten times
  slower, so a `Loaded` briefing reads it only when asked.

Both refuse what a briefing never needs and an attacker would use: aliases
(the "billion laughs" bomb), nesting deeper than `MAX_DEPTH`, duplicate keys,
tags, a second document. Every refusal is a `Problem` at its line and column,
in the words of `briefing.source.yamlerrors`. This module holds the fast
reader; `briefing.source.roundtrip` the other, `briefing.source.scalars` how an
unquoted value is resolved. Their public names are importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yaml import YAMLError
from yaml import events as ev
from yaml.reader import ReaderError

from briefing.errors import Problem, ValidationFailed
from briefing.source.roundtrip import (
    first_difference,
    make_yaml,
    needs_round_trip_check,
    plain,
    read_round_trip,
)
from briefing.source.scalars import plain_scalar
from briefing.source.yamlerrors import (
    ALIAS_MESSAGE,
    ANCHOR_MESSAGE,
    DEPTH_MESSAGE,
    DROPPED_COMMENT,
    MAX_DEPTH,
    ODD_BREAKS,
    SECOND_DOCUMENT,
    control_character_problem,
    dropped_comment,
    find_invisible,
    invisible_message,
    invisible_problems,
    line_col,
    source_line,
    syntax_problems,
)
from briefing.sourceid import format_path

Loc = tuple[Any, ...]


@dataclass(frozen=True)
class Pos:
    """Where a value sits: its key's 1-based line and column, the value's, and its layout."""

    key_line: int
    key_col: int
    line: int
    col: int
    block: bool = False  # a non-empty block mapping or list: point at its key, not its content


class Positions(dict):
    """Map from a loc (tuple of keys and list indexes) to its `Pos`; () is the document.

    `written` holds each unquoted number as it was typed (`007`, `4.10`), by loc,
    for the text fields that take a number as written.
    """

    def __init__(self) -> None:
        super().__init__()
        self.written: dict[Loc, str] = {}

    def find(self, loc: Loc, *, missing: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) for `loc`.

        The walk stops at the deepest part of `loc` that is in the data. A
        missing field is reported at the key (or list item) of the mapping that
        lacks it; anything else at its value, or at the key of a block
        mapping or list, which is where a reader looks.
        """
        root = self.get((), Pos(1, 1, 1, 1))
        key, here = (root.key_line, root.key_col), (root.line, root.col)
        for n in range(1, len(loc) + 1):
            pos = self.get(loc[:n])
            if pos is None:
                break
            key = (pos.key_line, pos.key_col)
            here = key if pos.block else (pos.line, pos.col)
        return key if missing else here


# --------------------------------------------------------------------------- fast reader


class _Refused(Exception):
    """Input the reader will not go on with: a 0-based mark and a message."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = mark.line + 1, mark.column + 1, message


# libyaml accepts "key<TAB>: value"; ruamel.yaml (which absorb writes back with) does not.
_TAB_COLON = re.compile(r"\t+:(?=[ \t\r\n]|$)")
_LEADING_DASHES = re.compile(r"[ \t]*+(?:-[ \t]++)*+")


def _tab_before_colon(text: str, limit: int = 100) -> int | None:
    """Return the offset of the first tab that ends a plain key ("key<TAB>:"), or None.

    Linear: only lines holding a tab-colon are looked at, and at most `limit` of them.
    """
    for n, m in enumerate(_TAB_COLON.finditer(text)):
        if n >= limit:
            return None
        start = text.rfind("\n", 0, m.start()) + 1
        lead = _LEADING_DASHES.match(text, start)  # always matches: every part is optional
        key = text[lead.end() if lead else start:m.start()]
        if key and key[0] not in "#'\"[{" and ":" not in key and "#" not in key:
            return m.start()
    return None


def read_yaml(text: str, name: str) -> tuple[Any, Positions]:
    """Return the data in `text` and where each value sits; raise ValidationFailed if unreadable."""
    hidden = invisible_problems(text, name) if find_invisible(text) is not None else []
    if hidden:
        raise ValidationFailed(hidden)
    tab_key = _tab_before_colon(text)
    if tab_key is not None:
        line, col = line_col(text, tab_key)
        raise ValidationFailed([Problem(name, line, col, "",
                                        "a tab before ':' ends this key; remove the tab")])
    composer = _Composer(_parser(text), text)
    try:
        result = composer.document()
    except _Refused as exc:
        raise ValidationFailed([Problem(name, exc.line, exc.col, "", exc.message)]) from None
    except (ReaderError, UnicodeEncodeError):
        raise ValidationFailed([control_character_problem(text, name)]) from None
    except YAMLError as exc:
        odd = ODD_BREAKS.search(text)
        if odd:  # libyaml counts it as a line break, so its positions are off: name it instead
            line, col = line_col(text, odd.start())
            raise ValidationFailed([Problem(
                name, line, col, "",
                f"holds a Unicode line separator (U+{ord(odd.group()):04X}); replace it with a "
                "space or a new line")]) from None
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):
            raise ValidationFailed([_too_deep(text, exc, name)]) from None
        raise ValidationFailed(syntax_problems(exc, text, name)) from None
    if composer.dropped:
        raise ValidationFailed([Problem(name, line, col, format_path(loc), DROPPED_COMMENT)
                                for loc, line, col in composer.dropped])
    return result


def _too_deep(text: str, exc: Any, name: str) -> Problem:
    """Return the project's own depth problem where libyaml (0.2.6 on) stopped deep nesting.

    libyaml scans a run of '[' ahead of the events it gives, so its own limit (1000
    levels) can fire before the composer sees level MAX_DEPTH + 1. Reading the text up to
    libyaml's mark again finds the first level too deep, or the first earlier refusal.
    """
    mark = exc.problem_mark
    try:
        _Composer(_parser(text[:mark.index]), text).document()
    except _Refused as refused:
        return Problem(name, refused.line, refused.col, "", refused.message)
    except YAMLError:
        pass
    return Problem(name, mark.line + 1, mark.column + 1, "", DEPTH_MESSAGE)


def _parser(text: str) -> Any:
    """Return libyaml's event parser for `text` (PyYAML's pure-Python one without libyaml)."""
    try:
        from yaml.cyaml import CParser

        return CParser(text)
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        from yaml.loader import SafeLoader

        return SafeLoader(text)


class _Composer:
    """Build plain dicts, lists and scalars from parser events, iteratively, with positions."""

    def __init__(self, parser: Any, text: str) -> None:
        self.parser = parser
        self.text = text
        self.positions = Positions()
        self.dropped: list[tuple[Loc, int, int]] = []  # text a ' #' comment cut short

    def document(self) -> tuple[Any, Positions]:
        """Return the single document's data and positions (None for an empty stream)."""
        event = self._next()
        while isinstance(event, (ev.StreamStartEvent, ev.DocumentStartEvent)):
            event = self._next()
        if isinstance(event, ev.StreamEndEvent):
            return None, self.positions
        root = self._node(event, (), None, 1)
        end = self._next()
        if isinstance(end, ev.DocumentEndEvent):
            end = self._next()
        if isinstance(end, ev.DocumentStartEvent):
            raise _Refused(end.start_mark, SECOND_DOCUMENT)
        return root, self.positions

    def _next(self) -> Any:
        """Return the parser's next event."""
        return self.parser.get_event()

    def _node(self, event: Any, loc: Loc, key_mark: Any, depth: int) -> Any:
        """Return the value that starts with `event`, recording its position at `loc`."""
        if isinstance(event, ev.AliasEvent):
            raise _Refused(event.start_mark, ALIAS_MESSAGE.format(name=event.anchor))
        if depth > MAX_DEPTH:
            raise _Refused(event.start_mark, DEPTH_MESSAGE)
        if event.anchor is not None:
            raise _Refused(event.start_mark, ANCHOR_MESSAGE.format(name=event.anchor))
        mark = event.start_mark
        key_mark = key_mark or mark
        if isinstance(event, ev.ScalarEvent):
            value = self._scalar(event)
            self._record(loc, key_mark, mark, value is None)  # 'key:' with nothing: the key
            if isinstance(value, str) and event.style in ("", None):
                self._check_comment(loc, event.end_mark)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                self.positions.written[loc] = event.value
            return value
        self._check_tag(event)
        if isinstance(event, ev.MappingStartEvent):
            value = self._mapping(loc, depth)
        elif isinstance(event, ev.SequenceStartEvent):
            value = self._sequence(loc, depth)
        else:  # pragma: no cover - the parser's grammar allows nothing else here
            raise _Refused(mark, f"unexpected {type(event).__name__}")
        self._record(loc, key_mark, mark, bool(value) and not event.flow_style)
        return value

    def _check_comment(self, loc: Loc, end: Any) -> None:
        """Note `loc` when a comment on its line cuts its unquoted text short."""
        at = dropped_comment(self.text, end.index)
        if at is not None:
            self.dropped.append((loc, end.line + 1, end.column + 1 + at - end.index))

    def _record(self, loc: Loc, key_mark: Any, mark: Any, block: bool) -> None:
        self.positions[loc] = Pos(key_mark.line + 1, key_mark.column + 1,
                                  mark.line + 1, mark.column + 1, block)

    def _mapping(self, loc: Loc, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        start = None
        while True:
            event = self._next()
            if isinstance(event, ev.MappingEndEvent):
                return out
            start = start or event.start_mark
            key = self._key(event, depth + 1)
            if key in out:
                raise _Refused(event.start_mark, _duplicate(key, start))
            out[key] = self._node(self._next(), loc + (key,), event.start_mark, depth + 1)

    def _key(self, event: Any, depth: int) -> Any:
        """Return a mapping key; keys must be scalars."""
        if isinstance(event, ev.AliasEvent):
            raise _Refused(event.start_mark, ALIAS_MESSAGE.format(name=event.anchor))
        if not isinstance(event, ev.ScalarEvent):
            kind = "a mapping" if isinstance(event, ev.MappingStartEvent) else "a list"
            raise _Refused(event.start_mark, f"field names must be text, not {kind}")
        if event.anchor is not None:
            raise _Refused(event.start_mark, ANCHOR_MESSAGE.format(name=event.anchor))
        if depth > MAX_DEPTH:
            raise _Refused(event.start_mark, DEPTH_MESSAGE)
        key = self._scalar(event)
        if key == "<<" and event.style == "":
            raise _Refused(event.start_mark, "merge keys (<<) are not allowed in a briefing; "
                                             "write the fields out in full")
        return key

    def _sequence(self, loc: Loc, depth: int) -> list[Any]:
        out: list[Any] = []
        while True:
            event = self._next()
            if isinstance(event, ev.SequenceEndEvent):
                return out
            out.append(self._node(event, loc + (len(out),), None, depth + 1))

    def _scalar(self, event: Any) -> Any:
        """Return a scalar's value: plain scalars by the YAML 1.2 core schema, others as text."""
        if event.tag is not None:
            raise _Refused(event.start_mark, _tag_message(event.tag))
        if event.style in ("", None):
            return plain_scalar(event.value)
        return event.value

    @staticmethod
    def _check_tag(event: Any) -> None:
        if event.tag is not None:
            raise _Refused(event.start_mark, _tag_message(event.tag))


def _tag_message(tag: str) -> str:
    """Return the refusal for an explicit YAML tag."""
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"uses the YAML tag {shown}; a briefing needs no tags (remove it, or quote the text)"


def _duplicate(key: Any, mapping_start: Any) -> str:
    """Return the message for a key that appears twice in one mapping."""
    return (f"duplicate key '{key}': each key may appear once in a mapping "
            f"(this mapping starts at line {mapping_start.line + 1})")


__all__ = ["DROPPED_COMMENT", "MAX_DEPTH", "Pos", "Positions", "dropped_comment",
           "find_invisible", "first_difference", "invisible_message", "line_col", "make_yaml",
           "needs_round_trip_check", "plain", "plain_scalar", "read_round_trip", "read_yaml",
           "source_line"]
