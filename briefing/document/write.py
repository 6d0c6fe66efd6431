"""Write: blocks -> .docx bytes on the template's reference.docx.

The reference carries the look (styles, page setup, header, footer,
numbering definitions); this module replaces its body with the composed
blocks, puts the classification marking in every header and footer and in the
custom property `Classification` (which document-labelling tools read), sets the
core and custom properties, en-GB, tracked changes for drafts going out for
clearance, and embeds the source map that ties each data paragraph to its
field. The XML work itself lives in `briefing.ooxml.build_xml`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from briefing.document.blocks import Block, Paragraph, Table
from briefing.document.template import Template, TemplateError, shown
from briefing.ooxml import build_xml as bx
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import SourceMap
from briefing.ooxml.styles import numbering_ids, read_styles, style_ids

CLASSIFICATION_PROPERTY = "Classification"


@dataclass(frozen=True)
class DocumentInfo:
    """What the document says about itself: properties, marking, tracking, provenance."""

    title: str
    subject: str = ""
    author: str = ""
    keywords: str = ""
    status: str = "draft"
    marking: str = ""
    version: int = 1
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    track_revisions: bool = False
    data_hash: str = ""
    data_json: str = ""
    data_partial: bool = False  # data_json holds only what the document shows
    source_file: str = ""


def write_docx(blocks: list[Block], template: Template, info: DocumentInfo) -> bytes:
    """Return the .docx bytes of `blocks` on `template`'s reference.docx."""
    pkg = _reference_package(template)
    main = pkg.main_name
    _check_reference(pkg, main, template)
    document = pkg.xml(main)
    smap = SourceMap(data_hash=info.data_hash, version=info.version, template=template.name,
                     source_file=info.source_file, data_json=info.data_json,
                     data_partial=info.data_partial)
    writer = bx.BodyWriter(bx.text_width(document))
    fragments = [_element(writer, block, smap) for block in laid_out(blocks)]
    spliced = bx.document_with_body(document, fragments)
    if spliced is None:
        bx.replace_body(document, bx.body_elements(fragments))
    else:
        pkg.set_bytes(main, spliced)
    _finish_package(pkg, main, info, smap)
    return pkg.to_bytes()


def laid_out(blocks: list[Block]) -> list[Block]:
    """Return the blocks as the body holds them: after a closing table, an empty paragraph.

    The body ends with a paragraph, as Word writes it. LibreOffice 7.4 adds one
    itself when a body ends with a table and, with w:trackRevisions on, records
    the table's cell formatting as changes by "Unknown Author" while doing so.
    """
    if blocks and isinstance(blocks[-1], Table):
        return [*blocks, Paragraph("body", ())]
    return blocks


def heading_levels(template: Template) -> dict[str, int]:
    """Return paragraph kind -> heading level, for the kinds whose style in `template` is one."""
    styles = read_styles(_reference_package(template))  # the one style resolver
    levels = {kind: styles.heading_level(style) for kind, (style, _num) in bx.STYLES.items()
              if style}
    return {kind: level for kind, level in levels.items() if level is not None}


def _element(writer: bx.BodyWriter, block: Block, smap: SourceMap) -> str:
    """Return the XML of one block, recording its source ids in `smap`."""
    if isinstance(block, Table):
        rows = [[(cell.kind, _spans(cell, smap)) for cell in row] for row in block.rows]
        return writer.table(block.caption, rows, block.header_rows)
    return writer.paragraph(block.kind, _spans(block, smap))


def _spans(para: Paragraph, smap: SourceMap) -> list[bx.Span]:
    """Return the paragraph's runs as spans, data runs inside the paragraph's bookmark."""
    sid = para.source_id
    if sid is None:
        return [(r.text, None) for r in para.runs]
    name = smap.add(sid)
    return [(r.text, name if r.source_id == sid else None) for r in para.runs]


def _finish_package(pkg: Package, main: str, info: DocumentInfo, smap: SourceMap) -> None:
    """Set marking, language, tracking, properties and the source map on `pkg`."""
    for part in pkg.related_parts(("header", "footer"), main):
        bx.fill_marking(pkg.xml(part), info.marking)
    styles = pkg.related_part("styles", main)
    if styles:
        bx.set_en_gb(pkg.xml(styles))
    settings = pkg.related_part("settings", main)
    if settings:
        bx.set_track_revisions(pkg.xml(settings), info.track_revisions)
    now = dt.datetime.now(dt.UTC)
    core = bx.CoreProperties(
        title=info.title, subject=info.subject, creator=info.author, keywords=info.keywords,
        description=f"{info.status}, version {info.version}", category="Chairman's briefing",
        version=str(info.version), created=info.created, modified=now)
    core_rel = pkg.relationship("core-properties", "")
    core_part = core_rel.target if core_rel is not None else "docProps/core.xml"
    pkg.set_bytes(core_part, bx.core_properties_xml(core))
    custom = {"BriefingDataHash": info.data_hash or "-", "BriefingVersion": str(info.version),
              "BriefingStatus": info.status}
    if info.marking:  # the property document-labelling tools read (File > Properties > Custom)
        custom[CLASSIFICATION_PROPERTY] = info.marking
    pkg.add_part("", "docProps/custom.xml", bx.custom_properties_xml(custom),
                 bx.RT_CUSTOM_PROPS, bx.CT_CUSTOM_PROPS)
    bx.embed_source_map(pkg, main, smap)


@functools.lru_cache(maxsize=16)
def _reference_parts(path: str, stamp: float) -> dict[str, bytes]:
    return dict(Package.open(path).parts)


def _reference_package(template: Template) -> Package:
    """Return a fresh Package of the template's reference.docx (read from disk once)."""
    path = os.fspath(template.reference)
    try:
        stamp = Path(path).stat().st_mtime
    except OSError:
        raise TemplateError(f"{shown(path)}: template has no reference.docx") from None
    return Package(Path(path), dict(_reference_parts(path, stamp)))


def _check_reference(pkg: Package, main: str, template: Template) -> None:
    """Raise TemplateError when the reference lacks the styles or numbering blocks need."""
    missing = sorted({s for s, _ in bx.STYLES.values() if s} - (style_ids(pkg) or set()))
    if missing:
        raise TemplateError(f"{shown(template.reference)}: reference.docx lacks the styles "
                            f"{', '.join(missing)} (see templates/make_reference.py)")
    nums = numbering_ids(pkg)
    if not {bx.NUMBERED_NUM_ID, bx.BULLET_NUM_ID} <= nums:
        raise TemplateError(f"{shown(template.reference)}: reference.docx lacks numbering "
                            f"definitions {bx.NUMBERED_NUM_ID} (numbered paragraphs) and "
                            f"{bx.BULLET_NUM_ID} (bullets)")
