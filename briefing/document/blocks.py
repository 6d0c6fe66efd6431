"""The document as compose returns it: blocks (paragraphs and tables) with source ids."""

from __future__ import annotations

from dataclasses import dataclass

PARAGRAPH_KINDS = frozenset({
    "h1", "h2", "h3", "h4", "marking", "numbered", "body", "bullet", "quote", "label",
    "attribution", "note",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
TABLE_KINDS = frozenset({"table", "header", "row"})


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph's text; `source_id` is set when the text is a data field's."""

    text: str
    source_id: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: kind (h1-h4, numbered, body, bullet, ...), runs and source id.

    `derived` marks a paragraph made from several fields (an attribution, a
    source line): its text is not any one field's value.
    """

    kind: str
    runs: tuple[Run, ...]
    source_id: str | None = None
    derived: bool = False

    @property
    def text(self) -> str:
        """Return the paragraph's whole text."""
        return "".join(r.text for r in self.runs)

    @property
    def level(self) -> int:
        """Return the heading level (1-4), or 0 for other paragraphs."""
        return int(self.kind[1]) if self.kind in _HEADINGS else 0


@dataclass(frozen=True)
class Table:
    """A table: rows of cells (one paragraph each); the first `header_rows` repeat on each page."""

    caption: str
    rows: tuple[tuple[Paragraph, ...], ...]
    header_rows: int = 1


Block = Paragraph | Table


def joined_runs(pieces: list[tuple[str, str | None]]) -> tuple[Run, ...]:
    """Return runs for (text, source id) pieces: empty ones dropped, neighbours alike joined."""
    out: list[list] = []
    for text, sid in pieces:
        if not text:
            continue
        if out and out[-1][1] == sid:
            out[-1][0] += text
        else:
            out.append([text, sid])
    return tuple(Run(text, sid) for text, sid in out)
