"""Warnings are values: a result carries its value and the messages the CLI prints."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Message:
    """A finding that does not stop the work: level is 'warning' or 'info'."""

    level: str
    text: str

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"


@dataclass
class Result(Generic[T]):
    """A value plus the messages produced while making it."""

    value: T
    messages: list[Message] = field(default_factory=list)


def plural(n: int, noun: str) -> str:
    """Return '1 noun' or 'n nouns': a count as messages say it."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def short(text: Any, width: int) -> str:
    """Return `text` on one line, cut to `width` characters with an ellipsis: for messages."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "\u2026"


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str, context: int = 3) -> str:
    """Return the change from `old` to `new` as words, `context` words kept either side:
    `\u2026should [-co-design-]{+lead+} the\u2026` (deleted in [- -], inserted in {+ +})."""
    if old == new:
        return old
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops = _joined(SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), a)
    out = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "equal":
            out += [f"[-{''.join(a[i1:i2])}-]"] if i2 > i1 else []
            out += [f"{{+{''.join(b[j1:j2])}+}}"] if j2 > j1 else []
            continue
        same = a[i1:i2]
        head = _words(same, context) if n else 0  # after a change: its first words
        tail = _words(same[::-1], context) if n < len(ops) - 1 else 0
        if head + tail >= len(same):
            out.append("".join(same))
        else:
            out.append("".join(same[:head]) + "\u2026" + "".join(same[len(same) - tail:]))
    return "".join(out)


def _joined(ops: list, a: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Return `ops` with changes separated only by spaces or punctuation made one change,
    so a rewritten sentence reads as one replacement, not alternating words."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if (op[0] != "equal" and len(out) >= 2 and out[-1][0] == "equal" and out[-2][0] != "equal"
                and all(not t[:1].isalnum() for t in a[out[-1][1]:out[-1][2]])
                and out[-1][2] - out[-1][1] <= 2):
            out.pop()
            first = out.pop()
            op = ("replace", first[1], op[2], first[3], op[4])
        out.append(tuple(op))
    return out


def _words(tokens: list[str], count: int) -> int:
    """Return how many of `tokens` hold their first `count` words (spaces between included)."""
    seen = 0
    for k, token in enumerate(tokens):
        if not token.isspace():
            seen += 1
            if seen > count:
                return k
    return len(tokens)
