"""Read what the checks need from a .docx: paragraphs with their resolved style, tables, images.

This is the lxml side of `briefing check`. It turns a `Package` into plain
records (`DocView`) that the rules in `briefing/check/` and
`briefing/check/plain_english.py` read without touching XML. Text is read as the
document currently stands, by the one paragraph reader (`briefing.ooxml.read.text`,
CURRENT view); styles, heading levels included, by the one resolver
(`briefing.ooxml.styles`); a run with no size anywhere is 10 pt.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml.hidden import Hidden, find_hidden
from briefing.ooxml.ns import DC
from briefing.ooxml.ns import qn as _qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import census
from briefing.ooxml.read.text import fallback_copies, hidden, paragraph_text, story_text
from briefing.ooxml.sourcemap import SourceMap, is_source_bookmark, read_source_map
from briefing.ooxml.styles import (
    Styles,
    bold,
    child,
    half_points,
    justify,
    numbered,
    on,
    read_styles,
)

qn = functools.cache(_qn)  # the same few dozen names, looked up very often
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
VML = "urn:schemas-microsoft-com:vml"
DEFAULT_HALF_POINTS = 20  # ECMA-376 17.3.2.38: no w:sz anywhere means 10 pt


@dataclass
class Paragraph:
    """One paragraph of a story, as the checks see it."""

    number: int  # 1-based, document order within its story
    text: str
    style_name: str
    heading_level: int | None  # 1..9, or None for body text
    numbered: bool
    all_bold: bool
    justified: bool
    min_half_points: int | None  # smallest text size of its runs, None when no text
    in_table: bool
    has_object: bool  # drawing, picture, embedded object, break or field
    ends_section: bool
    after_table: bool
    last_in_body: bool
    item: str | None  # source id from our bookmarks, when the document is ours


@dataclass
class Table:
    """One table: where it starts and how its header and cells are marked."""

    paragraph: int  # number of its first paragraph
    header_row: bool
    merged_cells: bool
    item: str | None


@dataclass
class Image:
    """One picture or drawing and its alternative text."""

    paragraph: int
    name: str
    alt_text: str
    decorative: bool


@dataclass
class DocView:
    """Everything the checks read from one document."""

    title: str | None
    language: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)  # (part, text)
    footers: list[tuple[str, str]] = field(default_factory=list)
    revisions: int = 0
    comments: int = 0
    source_map: SourceMap | None = None
    hidden: Hidden = field(default_factory=Hidden)


def inspect_package(pkg: Package) -> DocView:
    """Return the DocView of `pkg`; raises DocumentError only for damaged XML."""
    styles = read_styles(pkg)
    main = pkg.main_name
    smap = _safe_source_map(pkg)
    view = DocView(title=core_title(pkg), language=document_language(pkg, styles),
                   source_map=smap)
    body = pkg.xml(main).find(qn("w:body"))
    if body is not None:
        _read_body(body, styles, smap, view)
    view.headers, view.footers = _headers_footers(pkg)
    found = census(pkg)
    view.revisions, view.comments = found.total, found.comments
    view.hidden = find_hidden(pkg, smap)
    return view


def _safe_source_map(pkg: Package) -> SourceMap | None:
    try:
        return read_source_map(pkg)
    except Exception:  # noqa: BLE001 - a damaged map only means the document is not ours
        return None


# --- document properties ------------------------------------------------------


def core_title(pkg: Package) -> str | None:
    """Return the title document property (docProps/core.xml dc:title), or None."""
    return core_property(pkg, f"{{{DC}}}title")


def core_property(pkg: Package, tag: str) -> str | None:
    """Return a core document property (docProps/core.xml, `tag` a Clark name), or None."""
    name = pkg.related_part("core-properties", "") or "docProps/core.xml"
    if name not in pkg.parts:
        return None
    el = pkg.xml(name).find(tag)
    text = " ".join((el.text or "").split()) if el is not None else ""
    return text or None


def document_language(pkg: Package, styles: Styles) -> str | None:
    """Return the language of the style defaults or the default paragraph style, or None."""
    if styles.default_lang:
        return styles.default_lang
    lang = styles.first(styles.default_paragraph, "lang")
    if lang:
        return lang
    settings = pkg.related_part("settings")
    if settings:
        el = pkg.xml(settings).find(qn("w:themeFontLang"))
        if el is not None and el.get(qn("w:val")):
            return el.get(qn("w:val"))
    return None


# --- body -------------------------------------------------------------------


@dataclass
class _Walk:
    styles: Styles
    smap: SourceMap | None
    view: DocView
    number: int = 0
    open_items: dict[str, str] = field(default_factory=dict)  # bookmark id -> source id
    current: Paragraph | None = None
    current_el: etree._Element | None = None


def _read_body(body: etree._Element, styles: Styles, smap: SourceMap | None,
               view: DocView) -> None:
    walk = _Walk(styles, smap, view)
    tags = (qn("w:p"), qn("w:tbl"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
    copies = fallback_copies(body)
    for el in body.iter(*tags):
        if el in copies:
            continue
        if el.tag == qn("w:p"):
            _on_paragraph(el, walk)
        elif el.tag == qn("w:tbl"):
            _on_table(el, walk)
        elif el.tag == qn("w:bookmarkStart"):
            _on_bookmark_start(el, walk)
        else:
            walk.open_items.pop(el.get(qn("w:id"), ""), None)
    _mark_last(body, view)


def _on_bookmark_start(el: etree._Element, walk: _Walk) -> None:
    name = el.get(qn("w:name"), "")
    if not (walk.smap and is_source_bookmark(name) and name in walk.smap.ids):
        return
    walk.open_items[el.get(qn("w:id"), "")] = walk.smap.ids[name]
    if walk.current is not None and walk.current.item is None and _inside(el, walk):
        walk.current.item = walk.smap.ids[name]


def _inside(el: etree._Element, walk: _Walk) -> bool:
    parent = el.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        parent = parent.getparent()
    return parent is not None and parent is walk.current_el


def _on_paragraph(p: etree._Element, walk: _Walk) -> None:
    walk.number += 1
    styles = walk.styles
    ppr = p.find(qn("w:pPr"))
    style_id = styles.paragraph_style(ppr)
    item = next(reversed(walk.open_items.values()), None) if walk.open_items else None
    text, runs, has_object = _scan(p)
    para = Paragraph(
        number=walk.number, text=text, style_name=_style_name(styles, style_id),
        heading_level=styles.heading_level(style_id, ppr),
        numbered=bool(_first_set(numbered(ppr), styles.first(style_id, "numbered"))),
        all_bold=bool(runs) and all(_run_bold(r, styles, style_id) for r in runs),
        justified=(justify(ppr) or styles.first(style_id, "justify") or "") in
        ("both", "distribute", "lowKashida", "mediumKashida", "highKashida"),
        min_half_points=min((_run_size(r, styles, style_id) for r in runs), default=None),
        in_table=_in_table(p), has_object=has_object,
        ends_section=child(ppr, "w:sectPr") is not None,
        after_table=_previous_is_table(p), last_in_body=False, item=item,
    )
    walk.view.paragraphs.append(para)
    walk.current = para
    walk.current_el = p
    _collect_images(p, para, walk.view)


def _first_set(*values):
    return next((v for v in values if v is not None), None)


def _style_name(styles: Styles, style_id: str | None) -> str:
    style = styles.by_id.get(style_id or "")
    return (style.name or style.id) if style else (style_id or "Normal")


_T, _P = qn("w:t"), qn("w:p")
_OBJECTS = tuple(qn(t) for t in (
    "w:drawing", "w:pict", "w:object", "w:br", "w:fldChar", "w:fldSimple", "w:sym",
    "w:footnoteReference", "w:endnoteReference"))


def _scan(p: etree._Element) -> tuple[str, list[etree._Element], bool]:
    """Return the current text of `p`, its runs holding visible text, and whether it holds
    an object (drawing, break, field...), deleted or not, outside paragraphs nested in it."""
    runs: list[etree._Element] = []
    for t in p.iter(_T):
        run = t.getparent()
        if (t.text or "").strip() and run is not None and not hidden(t, p) and (
                not runs or runs[-1] is not run):
            runs.append(run)
    has_object = any(_owner_paragraph(el) is p for el in p.iter(*_OBJECTS))
    return paragraph_text(p), runs, has_object


def _owner_paragraph(el: etree._Element) -> etree._Element | None:
    return _owner(el, _P)


def _owner(el: etree._Element, tag: str) -> etree._Element | None:
    """Return the nearest ancestor of `el` named `tag`, or None."""
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _run_props(r: etree._Element, styles: Styles, attr: str, para_style: str | None):
    rpr = r.find(qn("w:rPr"))
    direct = {"half_points": half_points, "bold": bold}[attr](rpr)
    if direct is not None:
        return direct
    rstyle = child(rpr, "w:rStyle")
    if rstyle is not None:
        value = styles.first(rstyle.get(qn("w:val")), attr)
        if value is not None:
            return value
    value = styles.first(para_style, attr)
    if value is not None:
        return value
    return styles.default_half_points if attr == "half_points" else styles.default_bold


def _run_bold(r: etree._Element, styles: Styles, para_style: str | None) -> bool:
    return bool(_run_props(r, styles, "bold", para_style))


def _run_size(r: etree._Element, styles: Styles, para_style: str | None) -> int:
    return _run_props(r, styles, "half_points", para_style) or DEFAULT_HALF_POINTS


def _in_table(p: etree._Element) -> bool:
    return _owner(p, qn("w:tc")) is not None


def _previous_is_table(p: etree._Element) -> bool:
    prev = p.getprevious()
    while prev is not None and prev.tag not in (qn("w:p"), qn("w:tbl")):
        prev = prev.getprevious()
    return prev is not None and prev.tag == qn("w:tbl")


def _mark_last(body: etree._Element, view: DocView) -> None:
    blocks = [el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
    if blocks and blocks[-1].tag == qn("w:p") and view.paragraphs:
        top_level = [p for p in view.paragraphs if not p.in_table]
        if top_level:
            top_level[-1].last_in_body = True


def _on_table(tbl: etree._Element, walk: _Walk) -> None:
    rows = tbl.findall(qn("w:tr"))
    header = False
    if rows:
        flag = child(rows[0].find(qn("w:trPr")), "w:tblHeader")
        header = flag is not None and on(flag.get(qn("w:val"), "1"))
    merged = False
    for tc in tbl.iter(qn("w:tc")):
        if _owner(tc, qn("w:tbl")) is not tbl:
            continue  # a nested table's cell: that table is checked on its own
        tcpr = tc.find(qn("w:tcPr"))
        span = child(tcpr, "w:gridSpan")
        vertical = child(tcpr, "w:vMerge") is not None or child(tcpr, "w:hMerge") is not None
        if vertical or (span is not None and span.get(qn("w:val"), "1") not in ("1", "0", "")):
            merged = True
    item = next(reversed(walk.open_items.values()), None) if walk.open_items else None
    walk.view.tables.append(Table(walk.number + 1, header, merged, item))


def _collect_images(p: etree._Element, para: Paragraph, view: DocView) -> None:
    for doc_pr in p.iter(f"{{{WP}}}docPr"):
        if _owner_paragraph(doc_pr) is not p or _is_text_box(doc_pr):
            continue
        decorative = any(el.tag.endswith("}decorative") and on(el.get("val", "1"))
                         for el in doc_pr.iter())
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
        view.images.append(Image(para.number, doc_pr.get("name", ""), alt, decorative))
    for shape in p.iter(f"{{{VML}}}shape"):
        if _owner_paragraph(shape) is not p or shape.find(f"{{{VML}}}imagedata") is None:
            continue
        view.images.append(Image(para.number, shape.get("id", ""), (shape.get("alt") or "").strip(),
                                 False))


def _is_text_box(doc_pr: etree._Element) -> bool:
    """Return True when the drawing `doc_pr` names is a text box: a screen reader reads its
    text as text, so it needs no alternative text (a picture inside it is its own drawing)."""
    drawing = doc_pr.getparent()  # wp:inline or wp:anchor
    return drawing is not None and any(_owner(box, drawing.tag) is drawing
                                       for box in drawing.iter(qn("w:txbxContent")))


# --- headers, footers, revisions, comments ----------------------------------


def _headers_footers(pkg: Package) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    main = pkg.main_name
    parts = pkg.parts_by_id(main)
    body = pkg.xml(main).find(qn("w:body"))
    headers: dict[str, str] = {}
    footers: dict[str, str] = {}
    if body is None:
        return [], []
    for sect in body.iter(qn("w:sectPr")):
        for tag, into in (("w:headerReference", headers), ("w:footerReference", footers)):
            for ref in sect.findall(qn(tag)):
                part = parts.get(ref.get(qn("r:id"), ""))
                if part is not None and part not in into:
                    into[part] = story_text(pkg.xml(part))
    return list(headers.items()), list(footers.items())
