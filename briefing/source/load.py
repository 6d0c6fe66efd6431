"""Load a briefing YAML file with line numbers and validate it against the schema.

Every problem is reported at once as ``FILE:LINE:COL: field.path: message``
(1-based line and column; list indexes in paths are 0-based, as in source
ids). Hostile or broken input is refused before it can cost time or memory:
files over `MAX_BYTES` are refused unread, and the YAML reader
(`briefing.source.read`) refuses aliases (the "billion laughs" bomb), deep
nesting, duplicate keys and tags as it meets them.

Validation reads the file with libyaml (fast); `Loaded.data`, the round-trip
structure absorb edits and writes back with its comments, is read with
ruamel.yaml the first time it is asked for.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import types
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from briefing.errors import BriefingError, Problem, ValidationFailed
from briefing.results import Message, Result
from briefing.source import rules
from briefing.source.model import Briefing, WrittenAsText, cross_field_problems, describe
from briefing.source.read import (
    Positions,
    find_invisible,
    first_difference,
    invisible_message,
    needs_round_trip_check,
    plain,
    read_round_trip,
    read_yaml,
)
from briefing.sourceid import format_path

MAX_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS = 100
QUOTE_COLON = "put text that contains ': ' in quotes"
STARTER_HINT = "run `briefing new` for a starter"

Loc = tuple[Union[str, int], ...]


@dataclass(frozen=True)
class Loaded:
    """A validated briefing, its canonical JSON and hash, and (on demand) its round-trip data."""

    path: Path
    briefing: Briefing
    data_hash: str
    canonical_json: str
    text: str = field(repr=False)

    @cached_property
    def data(self) -> Any:
        """Return the file's ruamel.yaml round-trip mapping (comments and order kept)."""
        return read_round_trip(self.text, str(self.path))


# --------------------------------------------------------------------------- reading


def load_briefing(path: str | Path) -> Result[Loaded]:
    """Return the validated briefing in `path`; raise a BriefingError naming every problem."""
    path = Path(path)
    text = decode(read_bytes(path), str(path))
    return load_text(text, str(path), path=path)


def load_text(text: str, name: str = "<text>", *, path: Path | None = None) -> Result[Loaded]:
    """Return the validated briefing in `text`, reporting problems against file `name`."""
    data, positions = parse_yaml(text, name)
    briefing = validate(data, positions, text, name)
    if needs_round_trip_check(text):
        _same_for_round_trip(text, name, data, positions)
    canonical = canonical_json(briefing)
    loaded = Loaded(
        path=path if path is not None else Path(name),
        briefing=briefing,
        data_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        canonical_json=canonical,
        text=text,
    )
    return Result(loaded, advice(briefing, positions, name))


def _same_for_round_trip(text: str, name: str, data: Any, positions: Positions) -> None:
    """Raise unless ruamel.yaml (absorb's reader) reads `text` as the same data.

    libyaml and ruamel.yaml disagree about some tabs and about U+0085, U+2028
    and U+2029 as line breaks; absorb must read what validate accepted.
    """
    other = plain(read_round_trip(text, name))
    loc = first_difference(data, other)
    if loc is None:
        return
    line, col = positions.find(loc)
    raise ValidationFailed([Problem(
        name, line, col, format_path(loc),
        "holds a tab or a Unicode line separator (U+0085, U+2028, U+2029) that YAML readers "
        "read differently; replace it with a space or a new line")])


def canonical_json(briefing: Briefing) -> str:
    """Return the canonical JSON of a briefing: sorted keys, no spacing, UTF-8 text."""
    return canonical_text(briefing.model_dump(mode="json"))


def canonical_text(data: Any) -> str:
    """Return JSON-ready `data` as canonical JSON: sorted keys, no spacing, UTF-8 text."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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
    if b"\x00" in raw:
        raise BriefingError(f"{name}: is not a text file (it holds NUL bytes); give the "
                            "briefing's .yaml file")
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


def parse_yaml(text: str, name: str) -> tuple[dict[str, Any], Positions]:
    """Return the top-level mapping in `text` and its positions; raise at the first YAML error."""
    if not _has_content(text):
        raise BriefingError(f"{name}: is empty; {STARTER_HINT}")
    data, positions = read_yaml(text, name)
    if data is None:
        raise BriefingError(f"{name}: is empty; {STARTER_HINT}")
    if not isinstance(data, dict):
        line, col = positions.find(())
        raise ValidationFailed([Problem(
            name, line, col, "",
            "the top level must be a mapping of sections (briefing:, meeting:, objectives:, "
            f"key_messages:, ...), not {describe(data)}")])
    return data, positions


def _has_content(text: str) -> bool:
    """Return True when `text` holds anything but blank lines and comments."""
    return any(line.strip() and not line.lstrip().startswith("#")
               for line in text.splitlines())


# --------------------------------------------------------------------------- validating


def validate(data: dict[str, Any], positions: Positions, text: str, name: str) -> Briefing:
    """Return the Briefing in `data`; raise ValidationFailed listing every problem."""
    data = numbers_as_written(data, positions)
    try:
        briefing = Briefing.model_validate(data, context={"skip_cross_field": True})
    except ValidationError as exc:
        lines = text.split("\n")
        errors = _without_hidden_duplicates(exc.errors())
        problems = [_problem(dict(err), positions, lines, name) for err in errors]
        problems += [_locate(name, positions, loc, message)
                     for loc, message in rules.cross_field_problems(data, _sound(errors))]
        raise ValidationFailed(_unique(problems)) from None
    problems = [_locate(name, positions, loc, message)
                for loc, message in cross_field_problems(briefing)]
    if problems:
        raise ValidationFailed(_unique(problems))
    return briefing


def _sound(errors: list[Any]) -> rules.Sound:
    """Return a test of whether the value at a loc passed its type checks (no error in it)."""
    bad = {tuple(e["loc"])[:n] for e in errors for n in range(len(e["loc"]) + 1)}
    return lambda loc: loc not in bad


def _seen(key: Any) -> Any:
    """Return a field name as a reader sees it: without invisible characters."""
    return "".join(c for c in key if find_invisible(c) is None) if isinstance(key, str) else key


def _without_hidden_duplicates(errors: list[Any]) -> list[Any]:
    """Drop 'field required' for a field that is there, behind an invisible character."""
    hidden = {tuple(e["loc"][:-1]) + (_seen(e["loc"][-1]),) for e in errors
              if e["type"] == "extra_forbidden" and _seen(e["loc"][-1]) != e["loc"][-1]}
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in hidden)]


def numbers_as_written(data: dict[str, Any], positions: Positions) -> dict[str, Any]:
    """Return `data` with each number typed into a field that takes one as text, as typed.

    `item: 3` is the text '3' and `reference: 007` stays '007'; `data` is not changed.
    """
    for loc, typed in positions.written.items():
        if _takes_number_as_text(loc):
            data = _replaced(data, loc, typed)
    return data


def _takes_number_as_text(loc: Loc) -> bool:
    """Return True when the field at `loc` is text that a bare number may stand for."""
    model = model_at(loc[:-1])
    info = model.model_fields.get(str(loc[-1])) if model is not None else None
    if info is None:
        return False
    options = get_args(info.annotation) if get_origin(info.annotation) in (
        Union, types.UnionType) else (info.annotation,)
    return any(isinstance(m, WrittenAsText) for option in options
               for m in getattr(option, "__metadata__", ()))


def _replaced(data: Any, loc: Loc, value: Any) -> Any:
    """Return a copy of `data` with `value` at `loc` (containers copied along the way)."""
    if not loc:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[loc[0]] = _replaced(data[loc[0]], loc[1:], value)  # type: ignore[index]
    return copy


def _unique(problems: list[Problem]) -> list[Problem]:
    """Return `problems` without repeats, in file order, at most MAX_PROBLEMS and a summary."""
    ordered = sorted(dict.fromkeys(problems), key=lambda p: (p.line, p.column))
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    rest = ordered[MAX_PROBLEMS]
    more = len(ordered) - MAX_PROBLEMS
    return ordered[:MAX_PROBLEMS] + [Problem(
        rest.file, rest.line, rest.column, "",
        f"and {more:,} more problems from here on; fix those above first")]


def _locate(name: str, positions: Positions, loc: Loc, message: str, *,
            missing: bool = False) -> Problem:
    """Return a Problem for `message` at the YAML position of `loc`."""
    line, col = positions.find(loc, missing=missing)
    return Problem(name, line, col, format_path(loc), message)


def _problem(err: dict[str, Any], positions: Positions, lines: list[str], name: str) -> Problem:
    """Return the located, plain-English Problem for one pydantic error."""
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        return _locate(name, positions, loc, "field required", missing=True)
    if kind == "extra_forbidden":
        line, col = positions.find(loc, missing=True)
        hidden = _invisible(loc[-1], lines, line, col)
        if hidden is not None:
            return Problem(name, hidden[0], hidden[1], format_path(loc[:-1] + (_seen(loc[-1]),)),
                           invisible_message(hidden[2]))
        return _locate(name, positions, loc, _unknown_field(loc, loc[-1]), missing=True)
    if kind == "invalid_key":
        line, col = positions.find(loc, missing=True)
        return Problem(name, line, col, format_path(loc[:-1]),
                       f"field names must be text, not {describe(err['input'])}")
    line, col = positions.find(loc)
    hidden = _invisible(err.get("input"), lines, line, col) \
        if kind not in ("string_too_long", "xml_char") else None
    if hidden is not None:
        return Problem(name, hidden[0], hidden[1], format_path(loc), invisible_message(hidden[2]))
    typed = _source_token(lines, line, col)
    return Problem(name, line, col, format_path(loc), _message(err, typed))


def _invisible(value: Any, lines: list[str], line: int, col: int) -> tuple[int, int, str] | None:
    """Return (line, column, character) of an invisible character in a refused `value`.

    Looked for on the value's own line from its start, then on the lines after it
    (a value may run on); None when the value holds none, or it was written as an escape.
    """
    if not isinstance(value, str) or find_invisible(value) is None:
        return None
    for n in range(line, min(line + value.count("\n") + 3, len(lines) + 1)):
        row = lines[n - 1]
        at = find_invisible(row, col - 1 if n == line else 0)
        if at is not None:
            return n, at + 1, row[at]
    return None


def _source_token(lines: list[str], line: int, col: int) -> str:
    """Return the scalar as typed at (line, col), without a trailing comment."""
    rest = lines[line - 1][col - 1:] if 0 < line <= len(lines) else ""
    return re.split(r"\s+#", rest, maxsplit=1)[0].strip()


def _message(err: dict[str, Any], typed: str) -> str:
    """Return the plain-English message for a pydantic error on a value."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if value is None and kind.endswith("_type"):
        return "is empty"
    if kind == "string_type":
        if isinstance(value, (int, float, bool, dt.date)) and typed:
            return f"must be text, not {describe(value)}; put it in quotes: '{typed}'"
        if isinstance(value, dict) and ": " in typed:
            return f"must be text, not a mapping; {QUOTE_COLON}"
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


def advice(briefing: Briefing, positions: Positions, name: str) -> list[Message]:
    """Return warnings that do not stop a build: case studies still to agree, and the like."""
    messages = []
    for i, cs in enumerate(briefing.case_studies):
        if not cs.agreed_with_council:
            line, col = positions.find(("case_studies", i, "agreed_with_council"))
            messages.append(Message(
                "warning",
                f"{name}:{line}:{col}: case_studies[{i}].agreed_with_council: '{cs.id}' is not "
                f"yet agreed with {cs.council}; agree it before the briefing is cleared"))
    return messages
