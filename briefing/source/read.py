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
tags, a second document. Every refusal is a `Problem` at its line and column.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from typing import Any

from yaml import YAMLError
from yaml import events as ev
from yaml.reader import ReaderError

from briefing.errors import Problem, ValidationFailed
from briefing.sourceid import format_path

MAX_DEPTH = 20

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


# --------------------------------------------------------------------------- scalars

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X)
_INT = re.compile(r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""", re.X)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DATETIME = re.compile(r"""^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})
    (?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?
    (?:[ \t]*(Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$""", re.X)


def plain_scalar(value: str) -> Any:
    """Return the value of an unquoted scalar under the YAML 1.2 core schema (as ruamel reads it).

    A date that is not in the calendar (2010-02-30) stays text, so validation
    can say so at its line.
    """
    first = value[:1]
    if first in "tTfF" and _BOOL.match(value):
        return value[0] in "tT"
    if first in "-+0123456789.":
        if _FLOAT.match(value):
            return _float(value)
        if _INT.match(value):
            return _int(value)
    if first in "~nN" or not value:
        if _NULL.match(value):
            return None
    if first.isdigit():
        return _timestamp(value)
    return value


def _float(value: str) -> float:
    """Return a YAML float's value."""
    v = value.replace("_", "").lower()
    if v.endswith(".inf"):
        return float("-inf") if v.startswith("-") else float("inf")
    if v == ".nan":
        return float("nan")
    return float(v)


def _int(value: str) -> int:
    """Return a YAML 1.2 integer's value."""
    v = value.replace("_", "")
    sign = -1 if v.startswith("-") else 1
    v = v.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if v.startswith(prefix):
            return sign * int(v[2:], base)
    return sign * int(v)


def _timestamp(value: str) -> Any:
    """Return a date or datetime for a timestamp scalar; the text itself when not one."""
    m = _DATE.match(value)
    try:
        if m:
            return dt.date(*map(int, m.groups()))
        m = _DATETIME.match(value)
        if m:
            y, mo, d, h, mi, s, frac, _tz = m.groups()
            micro = int((frac or "0")[:6].ljust(6, "0"))
            return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro)
    except ValueError:
        return value
    return value


# --------------------------------------------------------------------------- fast reader


class _Refused(Exception):
    """Input the reader will not go on with: a 0-based mark and a message."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = mark.line + 1, mark.column + 1, message


# Line breaks in YAML 1.1 (libyaml) but ordinary characters in YAML 1.2 (ruamel.yaml).
ODD_BREAKS = re.compile("[\x85\u2028\u2029]")


_LONE_CR = re.compile("\r(?!\n)")


def needs_round_trip_check(text: str) -> bool:
    """Return True when libyaml and ruamel.yaml may read `text` differently.

    Found by fuzzing both readers: tabs, U+0085/U+2028/U+2029, and a carriage
    return that is not part of a Windows line end.
    """
    return ("\t" in text or ODD_BREAKS.search(text) is not None
            or _LONE_CR.search(text) is not None)


def first_difference(a: Any, b: Any, loc: Loc = ()) -> Loc | None:
    """Return the loc of the first place where `a` and `b` differ, or None when they are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key not in b:
                return loc + (key,)
            found = first_difference(a[key], b[key], loc + (key,))
            if found is not None:
                return found
        extra = [k for k in b if k not in a]
        return loc + (extra[0],) if extra else None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, loc + (i,))
            if found is not None:
                return found
        return None if len(a) == len(b) else loc + (min(len(a), len(b)),)
    return None if a == b else loc

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
        key = text[_LEADING_DASHES.match(text, start).end():m.start()]
        if key and key[0] not in "#'\"[{" and ":" not in key and "#" not in key:
            return m.start()
    return None


ALIAS_MESSAGE = ("uses an alias *{name} (anchors and aliases are not allowed in a briefing; "
                 "write the text out in full)")
ANCHOR_MESSAGE = ("uses an anchor &{name} (anchors and aliases are not allowed in a briefing; "
                  "write the text out in full)")
DEPTH_MESSAGE = f"nests more than {MAX_DEPTH} levels deep; a briefing never needs that"
DROPPED_COMMENT = ("the text after ' #' would be dropped as a comment; put the whole value in "
                   "quotes")
_COMMENT_AFTER = re.compile(r"[ \t]+#")


def dropped_comment(text: str, end: int) -> int | None:
    """Return the offset of the '#' that starts a comment right after offset `end`, or None.

    YAML ends an unquoted value at ' #': `answer: Many do #localgov, see below` means
    "Many do". Both readers call this after each unquoted text value and refuse it.
    """
    m = _COMMENT_AFTER.match(text, end)
    return m.end() - 1 if m else None


SECOND_DOCUMENT = "holds a second YAML document ('---'); a briefing file holds one"


# Characters that look like nothing or like a space, with their names and what to do.
INVISIBLE = {
    "\u00a0": ("a no-break space", "replace it with an ordinary space"),
    "\u2007": ("a figure space", "replace it with an ordinary space"),
    "\u202f": ("a narrow no-break space", "replace it with an ordinary space"),
    "\u3000": ("an ideographic space", "replace it with an ordinary space"),
    "\u200b": ("a zero-width space", "delete it"),
    "\u200c": ("a zero-width non-joiner", "delete it"),
    "\u200d": ("a zero-width joiner", "delete it"),
    "\u2060": ("a word joiner", "delete it"),
    "\ufeff": ("a byte-order mark", "delete it"),
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")
_INDENT_INVISIBLE = re.compile(r"^[ \t]*+(?:-[ \t]++)*+" + _INVISIBLE.pattern.replace("\ufeff", ""),
                               re.M)  # a stray byte-order mark is named as such


def invisible_message(char: str, where: str = "here") -> str:
    """Return the message naming invisible `char` and saying what to do with it."""
    name, advice = INVISIBLE[char]
    return f"holds {name} (U+{ord(char):04X}), an invisible character, {where}; {advice}"


def find_invisible(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Return the offset of the first invisible character in text[start:end], or None."""
    m = _INVISIBLE.search(text, start, len(text) if end is None else end)
    return m.start() if m else None


def invisible_problems(text: str, name: str) -> list[Problem]:
    """Return a problem for each invisible character in indentation and each stray BOM.

    YAML reads a no-break or zero-width space at the start of a line as content,
    so the error it reports comes lines later and never names the character.
    """
    found = []
    for m in _INDENT_INVISIBLE.finditer(text):
        line, col = line_col(text, m.end() - 1)
        found.append(Problem(name, line, col, "",
                             invisible_message(text[m.end() - 1], "in its indentation")))
    bom = text.find("\ufeff", 1)
    while bom > 0 and len(found) < 100:
        line, col = line_col(text, bom)
        found.append(Problem(name, line, col, "",
                             invisible_message("\ufeff", "in the middle of the file")))
        bom = text.find("\ufeff", bom + 1)
    return sorted(set(found), key=lambda p: (p.line, p.column))


def read_yaml(text: str, name: str) -> tuple[Any, Positions]:
    """Return the data in `text` and where each value sits; raise ValidationFailed if unreadable."""
    hidden = invisible_problems(text, name) if _INVISIBLE.search(text) else []
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


# --------------------------------------------------------------------------- syntax errors

_TAB_INDENT = re.compile(r"^[ ]*\t")
# What YAML 1.2 cannot hold, as text: C0 controls but tab/LF/CR, DEL, C1 but NEL, non-characters.
_YAML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character_problem(text: str, name: str) -> Problem:
    """Return the problem for a character YAML (and Word) cannot hold, at its position."""
    m = _YAML_BAD.search(text)
    if m is None:
        return Problem(name, 1, 1, "", "holds a character YAML cannot read")
    line, col = line_col(text, m.start())
    return Problem(name, line, col, "",
                   f"holds a control character (U+{ord(m.group()):04X}) that YAML and Word "
                   "documents cannot hold")


def syntax_problems(exc: Any, text: str, name: str) -> list[Problem]:
    """Return located problems for a YAML syntax error from libyaml or ruamel.yaml."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = str(getattr(exc, "context", "") or "")
    problem = str(getattr(exc, "problem", "") or exc)
    if "quoted scalar" in context and "end of stream" in problem \
            and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    hidden = _invisible_near(text, line)
    if hidden is not None:  # it, not the error libyaml saw next, is what to fix
        at_line, at_col = line_col(text, hidden)
        return [Problem(name, at_line, at_col, "", invisible_message(text[hidden]))]
    if "hexdecimal" in problem:  # point at the backslash of the escape, not after it
        col = source_line(text, line).rfind("\\", 0, col) + 1 or col
    if ("cannot start any token" in problem or "tab" in problem) \
            and _TAB_INDENT.match(source_line(text, line)):
        return [Problem(name, i, row.index("\t") + 1, "",
                        "a tab is used for indentation; YAML needs spaces")
                for i, row in enumerate(text.split("\n"), 1) if _TAB_INDENT.match(row)]
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        row = source_line(text, line)
        col = len(row) - len(row.lstrip(" ")) + 1 if row.strip() else col
    if source_line(text, line)[col - 1:col] == "\t":
        return [Problem(name, line, col, "", "a tab is not allowed here; use spaces (a tab is "
                                             "safe only inside quoted text)")]
    if "mapping values are not allowed" in problem and _colon_in_value(source_line(text, line),
                                                                        col):
        return [Problem(name, line, col, "", syntax_message(problem, context))]
    if "mapping values are not allowed" in problem and _indented_more(text, line):
        return [Problem(name, line, col, "",
                        "YAML syntax error: this line is indented more than the one above; "
                        "line its key up with the keys above")]
    return [Problem(name, line, col, "", syntax_message(problem, context))]


def _invisible_near(text: str, line: int) -> int | None:
    """Return the offset of an invisible character on `line` or the line above, or None."""
    if _INVISIBLE.search(text) is None:
        return None
    start = 0
    for _ in range(max(line - 2, 0)):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    end = start
    for _ in range(2 if line > 1 else 1):
        end = text.find("\n", end) + 1 or len(text)
    return find_invisible(text, start, end)


def _colon_in_value(row: str, col: int) -> bool:
    """Return True when the ':' at `col` of `row` follows a 'key: ' on the same line."""
    before = row[:col - 1]
    return ": " in before or ":\t" in before


def _indented_more(text: str, line: int) -> bool:
    """Return True when `line` is a 'key: value' line indented past the 'key: value' above it."""
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    above = next((lines[i] for i in range(min(line, len(lines)) - 2, -1, -1)
                  if lines[i].strip()), "")
    indent = len(here) - len(here.lstrip(" "))
    above_indent = len(above) - len(above.lstrip(" "))
    return (indent > above_indent and re.match(r"^\s*[\w-]+:\s", here) is not None
            and re.match(r"^\s*(- )?[\w-]+:\s+\S", above) is not None)


_SYNTAX = [
    ("mapping values are not allowed",
     "YAML syntax error: a ': ' cannot appear here; put text that contains ': ' in quotes"),
    ("could not find expected ':'",
     "YAML syntax error: expected 'key: value' here (is a ':' or a quote missing?)"),
    ("did not find expected key",
     "YAML syntax error: this line does not line up with the keys above it "
     "(check its indentation)"),
    ("did not find expected '-' indicator",
     "YAML syntax error: this line does not line up with the list above it "
     "(check its indentation)"),
    ("expected ',' or ']'", "YAML syntax error: a list opened with '[' is not closed with ']'"),
    ("expected ',' or '}'", "YAML syntax error: a mapping opened with '{' is not closed with '}'"),
    ("expected hexdecimal number",
     "YAML syntax error: unknown escape in double-quoted text (write a backslash as \\\\, "
     "or use single quotes)"),
    ("unknown escape character",
     "YAML syntax error: unknown escape in double-quoted text (write a backslash as \\\\, "
     "or use single quotes)"),
    ("cannot start any token",
     "YAML syntax error: this character cannot start a value; put the text in quotes"),
]


def syntax_message(problem: str, context: str) -> str:
    """Return a plain-English message for a YAML syntax error."""
    if "quoted scalar" in context and "end of stream" in problem:
        return "a quoted text starting here is never closed (a missing quote?)"
    for needle, message in _SYNTAX:
        if needle in problem:
            return message
    return f"YAML syntax error: {problem}"


def source_line(text: str, line: int) -> str:
    """Return 1-based line `line` of `text` ('' past the end)."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of character `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --------------------------------------------------------------------------- round trip


def make_yaml() -> Any:
    """Return the ruamel.yaml round-trip reader/writer briefings are read and absorbed with."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Composer = _round_trip_classes()[0]
    yaml.Constructor = _round_trip_classes()[1]
    yaml.max_depth = MAX_DEPTH
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_round_trip(text: str, name: str) -> Any:
    """Return ruamel.yaml's round-trip data for `text` (comments kept); raise ValidationFailed."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a reused anchor: refused by read_yaml anyway
            return make_yaml().load(text)
    except _round_trip_classes()[2] as exc:
        mark = exc.problem_mark
        raise ValidationFailed([Problem(name, mark.line + 1, mark.column + 1, "",
                                        ALIAS_MESSAGE.format(name=exc.problem))]) from None
    except ReaderError:
        raise ValidationFailed([control_character_problem(text, name)]) from None
    except (TypeError, ValueError, RecursionError) as exc:  # e.g. a list used as a key
        raise ValidationFailed([Problem(name, 1, 1, "", f"cannot be read as YAML ({exc})")]) \
            from None
    except YAMLError as exc:
        if type(exc).__name__ == "MaxDepthExceededError":
            mark = exc.problem_mark
            raise ValidationFailed([Problem(name, mark.line + 1, mark.column + 1, "",
                                            DEPTH_MESSAGE)]) from None
        raise ValidationFailed(syntax_problems(exc, text, name)) from None


_CLASSES: list[Any] = []


def _round_trip_classes() -> list[Any]:
    """Return [composer, constructor, alias error] classes for ruamel, made on first use."""
    if _CLASSES:
        return _CLASSES
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.events import AliasEvent

    class AliasRefused(MarkedYAMLError):
        """An alias (*name) was met: briefings never need them and they can be bombs."""

    class NoAliasComposer(Composer):
        """A composer that stops at the first alias instead of sharing the node."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.parser.check_event(AliasEvent):
                event = self.parser.peek_event()
                raise AliasRefused(None, None, event.anchor, event.start_mark)
            return super().compose_node(parent, index)

    class Constructor(RoundTripConstructor):
        """Round-trip constructor that leaves an impossible date (2010-02-30) as text."""

        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except (ValueError, OverflowError):
                return str(node.value)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp",
                                Constructor.construct_yaml_timestamp)
    _CLASSES.extend([NoAliasComposer, Constructor, AliasRefused])
    return _CLASSES


def plain(data: Any) -> Any:
    """Return round-trip data as plain dicts, lists and built-in scalars (for comparison)."""
    if isinstance(data, dict):
        return {_hashable(plain(k)): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, str):
        return str(data)
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    if isinstance(data, dt.datetime):
        return dt.datetime(*data.timetuple()[:6], data.microsecond)
    return data


def _hashable(key: Any) -> Any:
    """Return `key` as something a dict can hold (a list key becomes a tuple)."""
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


__all__ = ["DROPPED_COMMENT", "MAX_DEPTH", "Pos", "Positions", "dropped_comment",
           "make_yaml", "plain", "plain_scalar", "read_round_trip", "read_yaml"]
