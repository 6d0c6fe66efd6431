"""Warnings are values: a result carries its value and the messages the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass, field
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
