"""The document the members saw, built again in memory: paragraphs with their field paths.

Compose already says, for every paragraph, its text, the source id of its
data run and its kind; this module lays those blocks out as the body holds
them (tables flattened cell by cell, row by row, as `read_paragraphs` reads a
cleared document) and resolves each source id to the field whose verbatim
text it carries. No .docx is written or read: the paragraphs are exactly
those `write` would put in the body, bookmarked the same way (a source id is
carried once, by the first paragraph that holds it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import sourceid
from briefing.document.blocks import Block, Paragraph, Table, joined_runs
from briefing.errors import BriefingError
from briefing.sourceid import FieldPath

Index = dict[str, tuple[FieldPath, Any]]


@dataclass(frozen=True)
class FreshParagraph:
    """A paragraph of the fresh build: its parts, each fixed text or a field's verbatim text."""

    number: int
    parts: tuple[tuple[str, FieldPath | None], ...]  # (text, field path or None for fixed)
    source_ids: tuple[str, ...]
    heading: int | None
    kind: str  # "field", "derived", "heading" or "fixed"

    @property
    def text(self) -> str:
        """Return the paragraph's whole text."""
        return "".join(t for t, _ in self.parts)

    @property
    def fields(self) -> list[FieldPath]:
        """Return the field paths whose verbatim text this paragraph holds."""
        return [p for _, p in self.parts if p is not None]

    @property
    def list_item(self) -> FieldPath | None:
        """Return the path of the list item this paragraph is, or None."""
        fields = self.fields
        if len(fields) == 1 and isinstance(fields[0][-1], int):
            return fields[0]
        return None


def fresh_paragraphs(base: dict, smap: Any,
                     docx: Path | None = None, *, briefing: Any = None) -> list[FreshParagraph]:
    """Return the paragraphs of the document built again from `base`, with their field paths.

    `briefing` is `base` already validated (the YAML's own model), when the
    caller has it; otherwise `base` is validated here.
    """
    from briefing.document.compose import compose
    from briefing.document.write import heading_levels, laid_out

    if briefing is None:
        briefing = _validated(base, docx, smap is not None and smap.data_partial)
    template = _template(smap, docx)
    levels = heading_levels(template)
    index = sourceid.index(base)
    carried: set[str] = set()
    return [classify(number, _segments(para, carried), levels.get(para.kind), index)
            for number, para in enumerate(_body_paragraphs(laid_out(compose(briefing, template))),
                                          start=1)]


def _validated(base: dict, docx: Path | None, partial: bool) -> Any:
    """Return `base` as a Briefing; `partial` data (what a lines card shows) is completed."""
    from pydantic import ValidationError

    from briefing.source.model import Briefing
    from briefing.source.shown import buildable

    try:
        return buildable(base) if partial else Briefing.model_validate(base)
    except ValidationError as exc:
        raise BriefingError(f"{docx}: the data recorded in the document is not a valid briefing "
                            f"for this version of briefing ({exc.error_count()} problems); "
                            "build the document again from the YAML") from None


def _template(smap: Any, docx: Path | None) -> Any:
    """Return the template the document was built with. Absorb finds each paragraph's field
    by laying the briefing out as that template does; another template's layout would put
    words in the wrong fields, so a template not found stops absorb."""
    from briefing.document.template import TemplateError, find_template

    name = smap.template if smap is not None and smap.template else None
    try:
        return find_template(name)
    except TemplateError as exc:
        where = f"{docx}: " if docx is not None else ""
        raise BriefingError(
            f"{where}built with template '{name}', which cannot be used from this folder "
            f"({exc}); absorb needs it to tell which field each paragraph holds: run absorb "
            "in the folder the document was built in") from None


def _body_paragraphs(blocks: list[Block]) -> Iterator[Paragraph]:
    """Yield the paragraphs in body order, each table's cells row by row."""
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                yield from row
        else:
            yield block


def _segments(para: Paragraph, carried: set[str]) -> list[tuple[str, str | None]]:
    """Return the paragraph's text as (text, source id or None) pieces, as its bookmark holds it.

    The paragraph's data runs sit inside the bookmark of its source id, which
    the body carries once: a source id met again is fixed text. Line breaks
    read back as "\\n" and tabs as "\\t", as the writer stores them.
    """
    sid = para.source_id
    pieces: list[tuple[str, str | None]] = []
    current: str | None = None
    for run in para.runs:
        wanted = sid if sid is not None and run.source_id == sid else None
        if wanted != current:
            current = wanted if wanted is not None and wanted not in carried else None
            if current is not None:
                carried.add(current)
        pieces.append((run.text.replace("\r\n", "\n").replace("\r", "\n"), current))
    return [(run.text, run.source_id) for run in joined_runs(pieces)]


def classify(number: int, segments: list[tuple[str, str | None]], heading: int | None,
             index: Index) -> FreshParagraph:
    """Return a paragraph with each sourced segment resolved to the field it is verbatim."""
    parts: list[tuple[str, FieldPath | None]] = []
    sids: list[str] = []
    derived = False
    for text, sid in segments:
        path = _verbatim_field(text, index.get(sid)) if sid else None
        if sid:
            sids.append(sid)
            derived = derived or path is None
        parts.append((text, path))
    kind = ("field" if any(pth for _, pth in parts) else "derived" if derived
            else "heading" if heading else "fixed")
    return FreshParagraph(number, tuple(parts), tuple(sids), heading, kind)


def _verbatim_field(text: str, entry: tuple[FieldPath, Any] | None) -> FieldPath | None:
    """Return the field path when `text` is exactly that field's text, else None."""
    if entry is None:
        return None
    path, value = entry
    return path if isinstance(value, str) and value.strip() == text.strip() else None
