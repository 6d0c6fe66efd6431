"""What the YAML readers refuse, and the located, plain-English problem for each.

One home for the messages both readers give (`briefing.source.read`, libyaml
events; `briefing.source.roundtrip`, ruamel.yaml) and for turning a YAML
syntax error into advice a person can act on: the tab, the unclosed quote,
the ': ' that wants quotes, the invisible character that is really to blame.
"""

from __future__ import annotations

import re
from typing import Any

from briefing.errors import Problem

MAX_DEPTH = 20

# Line breaks in YAML 1.1 (libyaml) but ordinary characters in YAML 1.2 (ruamel.yaml).
ODD_BREAKS = re.compile("[\x85\u2028\u2029]")

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
    cut = _comment_in_flow(exc, text, context)
    if cut is not None:  # '[a #1, b]': the comment ate the rest of the line, ']' included
        at_line, at_col = line_col(text, cut)
        return [Problem(name, at_line, at_col, "", DROPPED_COMMENT)]
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


def _comment_in_flow(exc: Any, text: str, context: str) -> int | None:
    """Return the offset of a ' #' inside the [...] or {...} libyaml gave up on, or None."""
    start, end = getattr(exc, "context_mark", None), getattr(exc, "problem_mark", None)
    if "flow" not in context or start is None or end is None:
        return None
    for m in re.finditer(r"[ \t]#", text[start.index:end.index]):
        at = start.index + m.end() - 1
        before = text[text.rfind("\n", 0, at) + 1:at]
        if before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
            return at
    return None


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
