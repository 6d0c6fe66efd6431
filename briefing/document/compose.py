"""Compose: a Briefing and a template -> the document as a list of blocks with source ids.

A template is a folder holding `reference.docx` (the look) and `layout.j2`
(section order and fixed wording). The Jinja2 file renders a small line-based
layout language, one paragraph per line::

    h1: {{ briefing.title }}
    numbered: {{ point }}
    table: Meeting details
    header: Meeting | Details
    row: Purpose | {{ meeting.purpose }}

User text never passes through Jinja2 or the layout parser: every string the
template reads from the data is an opaque `Ref` that renders as a private-use
token, and the tokens are swapped for the real text after the lines are
parsed. So `&`, `<`, `{{ x }}`, `{% if %}`, newlines and any script come out
exactly as typed, and no data can add a paragraph or a table cell.

A line holding exactly one field is a *data paragraph*: its source id is the
field's path (`key_messages/<id>/headline`) and its data run holds the field's
value verbatim (fixed wording around it, e.g. "If asked: ", stays outside the
data run). A line built from several fields is *derived*: the template names
it with `composite(item, "name")` (else the fields' common path is used).
"""

from __future__ import annotations

import os
import re
import traceback
from typing import Any

from briefing import sourceid
from briefing.document.blocks import (
    PARAGRAPH_KINDS,
    TABLE_KINDS,
    Block,
    Paragraph,
    Run,
    Table,
    joined_runs,
)
from briefing.document.context import Ref, Render, template_context
from briefing.document.template import (
    LAYOUT_FILE,
    REFERENCE_FILE,
    Template,
    TemplateError,
    find_template,
    load_template,
    shipped_templates,
    shown,
)
from briefing.source.model import Briefing

CELL_SEPARATOR = " | "
_TOKEN = re.compile("\ue000(\\d+)\ue001|\ue002(\\d+)\ue003")
_TOKEN_SPLIT = re.compile("([\ue000\ue002])(\\d+)[\ue001\ue003]")


def compose(briefing: Briefing, template: Template,
            fields: set[str] | None = None) -> list[Block]:
    """Return the blocks of `briefing` laid out by `template`.

    When given, `fields` receives the fields the layout used, as source-id
    paths: each text field the document shows, and each flag, number, list or
    empty field the layout read to decide what to show (a path ending in '/'
    is a list or group whose items count only when used, one ending in
    `shown.MEASURED` a text whose length alone was used, as fit does).
    `briefing.source.shown` keeps only these when a document embeds its data.
    """
    render = Render()
    text = _render_layout(template, template_context(briefing, render))
    blocks = _LayoutParser(template, render).parse(text)
    if fields is not None:
        fields |= render.fields
    return blocks


def _render_layout(template: Template, ctx: dict[str, Any]) -> str:
    """Return the rendered layout text, turning Jinja2 errors into TemplateError at their line."""
    import jinja2
    from jinja2.sandbox import SecurityError

    try:
        return template.layout.render(ctx)
    except (jinja2.TemplateError, SecurityError, TypeError, KeyError, AttributeError,
            ValueError) as exc:
        where = _template_frame(exc, template)
        message = getattr(exc, "message", None) or str(exc)
        raise TemplateError(f"{where}: template error: {message}") from None


def _template_frame(exc: BaseException, template: Template) -> str:
    """Return 'FILE:LINE' of the innermost template line in `exc`'s traceback."""
    folder = os.fspath(template.folder)
    where = shown(template.folder / LAYOUT_FILE)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(folder):
            where = f"{shown(frame.filename)}:{frame.lineno}"
    return where


class _LayoutParser:
    """Turns rendered layout lines into blocks, swapping tokens back for the data's text."""

    def __init__(self, template: Template, render: Render) -> None:
        self.template = template
        self.render = render
        self.blocks: list[Block] = []
        self.table: tuple[str, list[tuple[Paragraph, ...]], int] | None = None

    def parse(self, text: str) -> list[Block]:
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if line:
                self._line(line, number)
        self._close_table()
        return self.blocks

    def _line(self, line: str, number: int) -> None:
        head, _colon, rest = line.partition(":")
        kind = head.rstrip()
        if rest[:1] == " ":
            rest = rest[1:]
        if kind in PARAGRAPH_KINDS:
            if self.table is not None:
                self._close_table()
            para = self._paragraph(kind, rest)
            if para.runs:
                self.blocks.append(para)
        elif kind == "table":
            self._close_table()
            self.table = (self._plain(rest), [], 0)
        elif kind in ("header", "row"):
            self._row(kind, rest, number)
        else:
            raise TemplateError(
                f"{shown(self.template.folder / LAYOUT_FILE)}: rendered line {number} "
                f"'{self._plain(line)[:60]}' does not start with a known kind "
                f"({', '.join(sorted(PARAGRAPH_KINDS | TABLE_KINDS))}) and a colon")

    def _row(self, kind: str, rest: str, number: int) -> None:
        if self.table is None:
            self.table = ("", [], 0)
        caption, rows, header_rows = self.table
        if kind == "header" and len(rows) > header_rows:
            raise TemplateError(f"{shown(self.template.folder / LAYOUT_FILE)}: "
                                f"rendered line {number}: "
                                "a header row must come before the table's other rows")
        cell_kind = "th" if kind == "header" else "td"
        rows.append(tuple(self._paragraph(cell_kind, cell.strip())
                          for cell in rest.split(CELL_SEPARATOR)))
        self.table = (caption, rows, header_rows + (kind == "header"))

    def _close_table(self) -> None:
        if self.table is not None and self.table[1]:
            caption, rows, header_rows = self.table
            width = max(len(r) for r in rows)
            padded = tuple(r + (Paragraph(r[0].kind, ()),) * (width - len(r)) for r in rows)
            self.blocks.append(Table(caption, padded, header_rows))
        self.table = None

    def _paragraph(self, kind: str, rest: str) -> Paragraph:
        """Return the paragraph for one line's text, its tokens swapped for runs."""
        if "\ue000" not in rest and "\ue002" not in rest:
            return Paragraph(kind, (Run(rest),) if rest else ())
        parts = _TOKEN_SPLIT.split(rest)  # text, marker, number, text, marker, number, ..., text
        all_refs = self.render.refs
        if len(parts) == 4 and parts[1] == "\ue000" and all_refs[int(parts[2])]._sid:
            ref = all_refs[int(parts[2])]  # the common case: one field
            runs = [Run(text, sid) for text, sid in
                    ((parts[0], None), (ref._text, ref._sid), (parts[3], None)) if text]
            return Paragraph(kind, tuple(runs), ref._sid, derived=not ref._verbatim)
        pieces: list[tuple[str, str | None]] = []  # (text, source id or None for fixed wording)
        refs: list[Ref] = []
        composite = None
        for i in range(0, len(parts) - 1, 3):
            if parts[i]:
                pieces.append((parts[i], None))
            if parts[i + 1] == "\ue000":
                ref = all_refs[int(parts[i + 2])]
                if ref._sid:  # a field shown as context (`|context`) is fixed wording here
                    refs.append(ref)
                pieces.append((ref._text, ref._sid or None))
            else:
                composite = self.render.composites[int(parts[i + 2])]
        if parts[-1]:
            pieces.append((parts[-1], None))
        if composite is None and len(refs) == 1:
            return Paragraph(kind, joined_runs(pieces), refs[0]._sid,
                             derived=not refs[0]._verbatim)
        if composite is None and not refs:
            return Paragraph(kind, joined_runs(pieces))
        sid = composite or sourceid.common([r._sid for r in refs])
        return Paragraph(kind, joined_runs(_retag(pieces, sid)), sid, derived=True)

    def _plain(self, text: str) -> str:
        """Return `text` with tokens replaced by their values (for captions and messages)."""
        def swap(m: re.Match) -> str:
            return self.render.refs[int(m.group(1))]._text if m.group(1) is not None else ""
        return _TOKEN.sub(swap, text)


def _retag(pieces: list[tuple[str, str | None]], sid: str) -> list[tuple[str, str | None]]:
    """Return `pieces` with everything from the first to the last data piece tagged `sid`."""
    data = [i for i, (_, s) in enumerate(pieces) if s is not None]
    if not data:
        return pieces
    first, last = data[0], data[-1]
    return [(text, sid) if first <= i <= last else (text, s)
            for i, (text, s) in enumerate(pieces)]


__all__ = ["LAYOUT_FILE", "REFERENCE_FILE", "Block", "Paragraph", "Run", "Table", "Template",
           "TemplateError", "compose", "find_template", "load_template", "shipped_templates",
           "shown"]
