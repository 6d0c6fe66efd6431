"""Load a briefing YAML file with line numbers and validate it against the schema.

The file is read through ruamel.yaml's round-trip loader, so the data keeps
its comments and order (absorb later edits the same structure and writes it
back) and every key and list item knows its line and column. Every problem is
reported at once as ``FILE:LINE:COL: field.path: message`` (1-based line and
column; list indexes in paths are 0-based, as in source ids).

Hostile or broken input is refused before it can cost time or memory: files
over `MAX_BYTES` are refused unread, anchors and aliases (the "billion laughs"
bomb) are refused as they are met, and nesting deeper than `MAX_DEPTH` stops
the parser.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError

from briefing.errors import BriefingError, Problem, ValidationFailed
from briefing.model import Briefing, cross_field_problems, describe
from briefing.results import Message, Result

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 20
STARTER_HINT = "run `briefing new` for a starter"

Loc = tuple[Union[str, int], ...]


@dataclass(frozen=True)
class Loaded:
    """A validated briefing and the round-trip data it came from."""

    path: Path
    briefing: Briefing
    data: CommentedMap
    data_hash: str
    canonical_json: str


# --------------------------------------------------------------------------- reading


def load_briefing(path: str | Path) -> Result[Loaded]:
    """Return the validated briefing in `path`; raise a BriefingError naming every problem."""
    path = Path(path)
    text = decode(read_bytes(path), str(path))
    return load_text(text, str(path), path=path)


def load_text(text: str, name: str = "<text>", *, path: Path | None = None) -> Result[Loaded]:
    """Return the validated briefing in `text`, reporting problems against file `name`."""
    data = parse_yaml(text, name)
    briefing = validate(data, text, name)
    canonical = canonical_json(briefing)
    loaded = Loaded(
        path=path if path is not None else Path(name),
        briefing=briefing,
        data=data,
        data_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        canonical_json=canonical,
    )
    return Result(loaded, advice(briefing, data, name))


def canonical_json(briefing: Briefing) -> str:
    """Return the canonical JSON of a briefing: sorted keys, no spacing, UTF-8 text."""
    return json.dumps(briefing.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def read_bytes(path: Path) -> bytes:
    """Return the bytes of `path`; refuse a missing path, a folder or an oversized file."""
    try:
        if path.is_dir():
            raise BriefingError(f"{path}: is a folder, not a briefing file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BriefingError(
                f"{path}: is {size / 1024 / 1024:.1f} MB; a briefing file must be under "
                f"{MAX_BYTES // 1024 // 1024} MB (is this the right file?)")
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise BriefingError(f"{path}: no such file") from None
    except PermissionError:
        raise BriefingError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise BriefingError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise BriefingError(f"{path}: is larger than {MAX_BYTES // 1024 // 1024} MB; "
                            "a briefing file must be under that")
    return raw


def decode(raw: bytes, name: str) -> str:
    """Return `raw` as text; refuse anything that is not UTF-8 text."""
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise BriefingError(f"{name}: is a Word document or other binary file, not a briefing "
                            "YAML file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BriefingError(f"{name}: is saved as UTF-16; save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col_bytes(raw, nul)
        raise ValidationFailed([Problem(name, line, col, "",
                                        "is not a text file (it holds a NUL byte)")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col_bytes(raw, exc.start)
        bad = raw[exc.start]
        raise ValidationFailed([Problem(
            name, line, col, "",
            f"is not UTF-8 text (byte 0x{bad:02X} here); save the file as UTF-8")]) from None


def _line_col_bytes(raw: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of byte `offset`."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


# --------------------------------------------------------------------------- parsing


class _AliasRefused(MarkedYAMLError):
    """An alias (*name) was met: briefings never need them and they can be bombs."""


class _NoAliasComposer(Composer):
    """A composer that stops at the first alias instead of sharing the node."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise _AliasRefused(None, None, f"alias *{event.anchor}", event.start_mark)
        return super().compose_node(parent, index)


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that leaves an impossible date (2010-02-30) as text."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def make_yaml() -> YAML:
    """Return the round-trip YAML reader/writer briefings are read (and absorbed) with."""
    yaml = YAML(typ="rt")
    yaml.Composer = _NoAliasComposer
    yaml.Constructor = _Constructor
    yaml.max_depth = MAX_DEPTH
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse_yaml(text: str, name: str) -> CommentedMap:
    """Return the round-trip mapping in `text`; raise ValidationFailed at the syntax error."""
    if not _has_content(text):
        raise BriefingError(f"{name}: is empty; {STARTER_HINT}")
    try:
        data = make_yaml().load(text)
    except YAMLError as exc:
        raise ValidationFailed(_yaml_problems(exc, text, name)) from None
    except RecursionError:
        raise ValidationFailed([Problem(name, 1, 1, "", "nests too deeply to be a briefing")]) \
            from None
    if data is None:
        raise BriefingError(f"{name}: is empty; {STARTER_HINT}")
    if not isinstance(data, CommentedMap):
        raise ValidationFailed([Problem(
            name, 1, 1, "",
            "the top level must be a mapping of sections (briefing:, meeting:, objectives:, "
            f"key_messages:, ...), not {describe(data)}")])
    return data


def _has_content(text: str) -> bool:
    """Return True when `text` holds anything but blank lines and comments."""
    return any(line.strip() and not line.lstrip().startswith("#")
               for line in text.splitlines())


_TAB_INDENT = re.compile(r"^[ ]*\t")


def _yaml_problems(exc: YAMLError, text: str, name: str) -> list[Problem]:
    """Return located problems for a YAML syntax error."""
    if isinstance(exc, ReaderError):
        line, col = _line_col_text(text, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return [Problem(name, line, col, "",
                        f"holds a control character (U+{ord(char):04X}) that YAML and Word "
                        "documents cannot hold")]
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "quoted scalar" in str(getattr(exc, "context", "")) and exc.context_mark is not None:
        mark = exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = str(getattr(exc, "problem", "") or exc)
    if "'\\t'" in problem or _TAB_INDENT.match(_line(text, line)):
        tabs = [Problem(name, i, _line(text, i).index("\t") + 1, "",
                        "a tab is used for indentation; YAML needs spaces")
                for i in range(1, text.count("\n") + 2) if _TAB_INDENT.match(_line(text, i))]
        if tabs:
            return tabs
    return [Problem(name, line, col, "", _yaml_message(exc, problem))]


def _yaml_message(exc: YAMLError, problem: str) -> str:
    """Return a plain-English message for a YAML syntax error."""
    if isinstance(exc, _AliasRefused):
        return (f"uses an {problem} (anchors and aliases are not allowed in a briefing; "
                "write the text out in full)")
    if type(exc).__name__ == "MaxDepthExceededError":
        return f"nests more than {MAX_DEPTH} levels deep; a briefing never needs that"
    if type(exc).__name__ == "DuplicateKeyError":
        m = re.search(r'found duplicate key "(.*?)"', problem)
        key = m.group(1) if m else "?"
        first = exc.context_mark.line + 1 if getattr(exc, "context_mark", None) else None
        where = f" (this mapping starts at line {first})" if first else ""
        return f"duplicate key '{key}': each key may appear once in a mapping{where}"
    if isinstance(exc, ComposerError) and "single document" in str(exc):
        return "holds a second YAML document ('---'); a briefing file holds one"
    if "while scanning a quoted scalar" in str(getattr(exc, "context", "")):
        return "a quoted text starting here is never closed (a missing quote?)"
    if "mapping values are not allowed here" in problem:
        return ("YAML syntax error: a ': ' cannot appear here; put text that contains ': ' "
                "in quotes")
    if "could not find expected ':'" in problem:
        return "YAML syntax error: expected 'key: value' here (is a ':' or a quote missing?)"
    if "found undefined alias" in problem or "found unknown escape character" in problem:
        return f"YAML syntax error: {problem}"
    return f"YAML syntax error: {problem}"


def _line(text: str, line: int) -> str:
    """Return 1-based line `line` of `text` ('' past the end)."""
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _line_col_text(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of character `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --------------------------------------------------------------------------- validating


def validate(data: CommentedMap, text: str, name: str) -> Briefing:
    """Return the Briefing in `data`; raise ValidationFailed listing every problem."""
    try:
        briefing = Briefing.model_validate(data, context={"skip_cross_field": True})
    except ValidationError as exc:
        problems = [_problem(err, data, text, name) for err in exc.errors()]
        raise ValidationFailed(_unique(problems)) from None
    problems = [_locate(name, data, loc, message)
                for loc, message in cross_field_problems(briefing)]
    if problems:
        raise ValidationFailed(_unique(problems))
    return briefing


def _unique(problems: list[Problem]) -> list[Problem]:
    """Return `problems` without repeats, in file order."""
    seen = dict.fromkeys(problems)
    return sorted(seen, key=lambda p: (p.line, p.column))


def _locate(name: str, data: Any, loc: Loc, message: str, *, missing: bool = False) -> Problem:
    """Return a Problem for `message` at the YAML position of `loc`."""
    line, col = position(data, loc, missing=missing)
    return Problem(name, line, col, field_path(loc), message)


def field_path(loc: Loc) -> str:
    """Return the readable field path of a pydantic loc: key_messages[2].headline."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def position(data: Any, loc: Loc, *, missing: bool = False) -> tuple[int, int]:
    """Return the 1-based (line, column) of the node at `loc`.

    A missing field is reported at the key (or list item) of the mapping that
    lacks it; anything else at its value. Parts of `loc` that are not in the
    data (a type error's inner loc) stop the walk at the deepest node found.
    """
    node = data
    here = _own_position(data)
    key_pos = here
    for part in loc:
        if isinstance(node, CommentedMap) and _find_key(node, part) is not None:
            part = _find_key(node, part)
            key_pos = _pos(node.lc.key(part))
            here = _pos(node.lc.value(part))
            if _is_block_collection(node[part]):
                here = key_pos
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            key_pos = here = _pos(node.lc.item(part))
            node = node[part]
        else:
            return key_pos if missing else here
    return key_pos if missing else here


def _find_key(node: CommentedMap, part: Any) -> Any:
    """Return the key of `node` that loc part `part` names, or None.

    pydantic reports a key that is not text by its str() in the loc.
    """
    try:
        if part in node:
            return part
    except TypeError:
        pass
    return next((k for k in node if not isinstance(k, str) and str(k) == part), None)


def _is_block_collection(value: Any) -> bool:
    """Return True for a non-empty mapping or list written in block style."""
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        return not value.fa.flow_style()
    return False


def _own_position(node: Any) -> tuple[int, int]:
    """Return the 1-based position where a round-trip node starts (1, 1 if unknown)."""
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line + 1, lc.col + 1
    return 1, 1


def _pos(pair: Any) -> tuple[int, int]:
    """Return a ruamel 0-based (line, col) pair as 1-based."""
    return pair[0] + 1, pair[1] + 1


def _problem(err: dict[str, Any], data: Any, text: str, name: str) -> Problem:
    """Return the located, plain-English Problem for one pydantic error."""
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        return _locate(name, data, loc, "field required", missing=True)
    if kind == "extra_forbidden":
        return _locate(name, data, loc, _unknown_field(loc, loc[-1]), missing=True)
    if kind == "invalid_key":
        line, col = position(data, loc, missing=True)
        return Problem(name, line, col, field_path(loc[:-1]),
                       f"field names must be text, not {describe(err['input'])}")
    line, col = position(data, loc)
    message = _message(err, _source_token(text, line, col))
    return Problem(name, line, col, field_path(loc), message)


def _source_token(text: str, line: int, col: int) -> str:
    """Return the scalar as typed at (line, col), without a trailing comment."""
    rest = _line(text, line)[col - 1:]
    return re.split(r"\s+#", rest, maxsplit=1)[0].strip()


def _message(err: dict[str, Any], typed: str) -> str:
    """Return the plain-English message for a pydantic error on a value."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if value is None and kind.endswith("_type"):
        return "is empty"
    if kind == "string_type":
        if isinstance(value, (int, float, bool, dt.date)) and typed:
            return f"must be text, not {describe(value)}; put it in quotes: '{typed}'"
        return f"must be text, not {describe(value)}"
    if kind == "string_too_short":
        return "is empty"
    if kind == "string_too_long":
        return f"is too long: {len(value):,} characters, at most {ctx['max_length']:,}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {describe(value)}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, not {value}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, not {value}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {describe(value)}"
    if kind == "enum":
        return f"must be one of {ctx['expected']}, not {describe(value)}" + _case_hint(value, ctx)
    if kind == "list_type":
        return f"must be a list (one '- ' line per entry), not {describe(value)}"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} {_entries(ctx['min_length'])}"
    if kind == "too_long":
        return (f"has {ctx['actual_length']} entries; at most {ctx['max_length']} "
                "are allowed")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of fields (name: value), not {describe(value)}"
    return err["msg"]


def _case_hint(value: Any, ctx: dict[str, Any]) -> str:
    """Return "; did you mean 'OFFICIAL'?" when `value` differs from a choice only in case."""
    choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
    if isinstance(value, str):
        for choice in choices:
            if choice.lower() == value.strip().lower().replace(" ", "-"):
                return f"; did you mean '{choice}'?"
    return ""


def _entries(n: int) -> str:
    """Return 'entry' or 'entries' for `n`."""
    return "entry" if n == 1 else "entries"


def _unknown_field(loc: Loc, key: Any) -> str:
    """Return the message for an unknown key, suggesting the nearest valid field name."""
    model = model_at(loc[:-1])
    fields = list(model.model_fields) if model else []
    close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
    if close:
        return f"unknown field '{key}'; did you mean '{close[0]}'?"
    if fields:
        return f"unknown field '{key}'; expected one of: {', '.join(fields)}"
    return f"unknown field '{key}'"


def model_at(loc: Loc) -> type[BaseModel] | None:
    """Return the model class that validates the mapping at `loc`, or None."""
    annotation: Any = Briefing
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = get_args(annotation)
            if get_origin(annotation) is not list or not args:
                return None
            annotation = args[0]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(part)
            if info is None:
                return None
            annotation = info.annotation
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) \
        else None


def _unwrap(annotation: Any) -> Any:
    """Return `annotation` without Optional / Annotated wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin is not None and hasattr(annotation, "__metadata__"):
            annotation = get_args(annotation)[0]
        else:
            return annotation


# --------------------------------------------------------------------------- advice


def advice(briefing: Briefing, data: CommentedMap, name: str) -> list[Message]:
    """Return warnings that do not stop a build: case studies still to agree, and the like."""
    messages = []
    for i, cs in enumerate(briefing.case_studies):
        if not cs.agreed_with_council:
            line, col = position(data, ("case_studies", i, "agreed_with_council"))
            messages.append(Message(
                "warning",
                f"{name}:{line}:{col}: case_studies[{i}].agreed_with_council: '{cs.id}' is not "
                f"yet agreed with {cs.council}; agree it before the briefing is cleared"))
    return messages
