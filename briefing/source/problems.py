"""Type errors from the schema, as located, plain-English problems.

Each pydantic error becomes a `Problem` at the line and column of the value (or
of the key, for a field missing or unknown), worded for an officer: "must be
text, not the number 2010; put it in quotes: '2010'", "did you mean
'headline'?", the invisible character that is really to blame.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, Union

from briefing.errors import Problem
from briefing.source import rules
from briefing.source.fields import model_at
from briefing.source.model import describe
from briefing.source.read import Positions
from briefing.source.yamlerrors import find_invisible, invisible_message
from briefing.sourceid import format_path

Loc = tuple[Union[str, int], ...]
MAX_PROBLEMS = 100
QUOTE_COLON = "put text that contains ': ' in quotes"


def sound_test(errors: list[Any]) -> rules.Sound:
    """Return a test of whether the value at a loc passed its type checks (no error in it)."""
    bad = {tuple(e["loc"])[:n] for e in errors for n in range(len(e["loc"]) + 1)}
    return lambda loc: loc not in bad


def _seen(key: Any) -> Any:
    """Return a field name as a reader sees it: without invisible characters."""
    return "".join(c for c in key if find_invisible(c) is None) if isinstance(key, str) else key


def without_hidden_duplicates(errors: list[Any]) -> list[Any]:
    """Drop 'field required' for a field that is there, behind an invisible character."""
    hidden = {tuple(e["loc"][:-1]) + (_seen(e["loc"][-1]),) for e in errors
              if e["type"] == "extra_forbidden" and _seen(e["loc"][-1]) != e["loc"][-1]}
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in hidden)]


def unique(problems: list[Problem]) -> list[Problem]:
    """Return `problems` without repeats, in file order, at most MAX_PROBLEMS and a summary."""
    ordered = sorted(dict.fromkeys(problems), key=lambda p: (p.line, p.column))
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    rest = ordered[MAX_PROBLEMS]
    more = len(ordered) - MAX_PROBLEMS
    return ordered[:MAX_PROBLEMS] + [Problem(
        rest.file, rest.line, rest.column, "",
        f"and {more:,} more problems from here on; fix those above first")]


def locate(name: str, positions: Positions, loc: Loc, message: str, *,
            missing: bool = False) -> Problem:
    """Return a Problem for `message` at the YAML position of `loc`."""
    line, col = positions.find(loc, missing=missing)
    return Problem(name, line, col, format_path(loc), message)


def problem(err: dict[str, Any], positions: Positions, lines: list[str], name: str) -> Problem:
    """Return the located, plain-English Problem for one pydantic error."""
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        return locate(name, positions, loc, "field required", missing=True)
    if kind == "extra_forbidden":
        line, col = positions.find(loc, missing=True)
        hidden = _invisible(loc[-1], lines, line, col)
        if hidden is not None:
            return Problem(name, hidden[0], hidden[1], format_path(loc[:-1] + (_seen(loc[-1]),)),
                           invisible_message(hidden[2]))
        return locate(name, positions, loc, _unknown_field(loc, loc[-1]), missing=True)
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
        return f"is too long: {len(str(value)):,} characters, at most {ctx['max_length']:,}"
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
