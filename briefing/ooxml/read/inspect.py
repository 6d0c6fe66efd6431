"""Read what the checks need from a .docx: paragraphs with their resolved style, tables, images.

This is the lxml side of `briefing check`. It turns a `Package` into plain
records (`DocView`) that the rules in `briefing/check/rules.py` and
`briefing/check/plain_english.py` read without touching XML. Text is read as the
document currently stands: inserted runs count, deleted runs (`w:delText`,
`w:moveFrom`) do not (ECMA-376 Part 1, 17.13.5).

Style resolution follows ECMA-376 Part 1, 17.7.2: direct formatting, then the
run style, then the paragraph style and its `w:basedOn` chain, then the
document defaults (`w:docDefaults`); a run with no size anywhere is 10 pt.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml.ns import DC
from briefing.ooxml.ns import qn as _qn
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import SourceMap, is_source_bookmark, read_source_map

qn = functools.cache(_qn)  # the same few dozen names, looked up very often
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
VML = "urn:schemas-microsoft-com:vml"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
DEFAULT_HALF_POINTS = 20  # ECMA-376 17.3.2.38: no w:sz anywhere means 10 pt
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_FALSE = {"0", "false", "off", "none"}
_REVISION_TAGS = tuple(qn(t) for t in (
    "w:ins", "w:del", "w:moveFrom", "w:moveTo", "w:rPrChange", "w:pPrChange",
    "w:sectPrChange", "w:tblPrChange", "w:trPrChange", "w:tcPrChange", "w:tblGridChange",
    "w:cellIns", "w:cellDel", "w:cellMerge", "w:numberingChange", "w:tblPrExChange",
))


@dataclass(frozen=True)
class Style:
    """One style of styles.xml with only the properties the checks resolve."""

    id: str
    name: str
    type: str
    based_on: str | None
    half_points: int | None
    bold: bool | None
    justify: str | None
    outline_level: int | None
    numbered: bool | None
    lang: str | None


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
    item: str | None


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


def inspect_package(pkg: Package) -> DocView:
    """Return the DocView of `pkg`; raises DocumentError only for damaged XML."""
    styles = read_styles(pkg)
    main = pkg.main_part or "word/document.xml"
    smap = _safe_source_map(pkg)
    view = DocView(title=core_title(pkg), language=document_language(pkg, styles),
                   source_map=smap)
    body = pkg.xml(main).find(qn("w:body"))
    if body is not None:
        _read_body(body, styles, smap, view)
    view.headers, view.footers = _headers_footers(pkg)
    view.revisions = sum(count_revisions(pkg.xml(p)) for p in pkg.story_parts())
    view.comments = _count_comments(pkg)
    return view


def _safe_source_map(pkg: Package) -> SourceMap | None:
    try:
        return read_source_map(pkg)
    except Exception:  # noqa: BLE001 - a damaged map only means the document is not ours
        return None


# --- styles -----------------------------------------------------------------


@dataclass
class Styles:
    """The styles of a document and its defaults, with chain resolution."""

    by_id: dict[str, Style]
    default_paragraph: str | None
    default_half_points: int | None
    default_lang: str | None
    default_bold: bool | None
    _chains: dict[str, list[Style]] = field(default_factory=dict, repr=False)

    def chain(self, style_id: str | None) -> list[Style]:
        """Return the style and its basedOn ancestors, nearest first (cycles cut)."""
        key = style_id or ""
        if key not in self._chains:
            self._chains[key] = self._chain(style_id)
        return self._chains[key]

    def _chain(self, style_id: str | None) -> list[Style]:
        out: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen and len(out) < 50:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            style_id = style.based_on
        return out

    def first(self, style_id: str | None, attr: str):
        """Return the first non-None value of `attr` along the style's chain."""
        for style in self.chain(style_id):
            value = getattr(style, attr)
            if value is not None:
                return value
        return None


def read_styles(pkg: Package) -> Styles:
    """Return the document's styles (empty when it has no styles part)."""
    name = _related_part(pkg, "styles") or "word/styles.xml"
    if name not in pkg.parts:
        return Styles({}, None, None, None, None)
    root = pkg.xml(name)
    by_id: dict[str, Style] = {}
    default_paragraph = None
    for el in root.iter(qn("w:style")):
        style = _style(el)
        by_id[style.id] = style
        if style.type == "paragraph" and _on(el.get(qn("w:default"))):
            default_paragraph = style.id
    rpr = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    return Styles(by_id, default_paragraph, _half_points(rpr), _lang(rpr), _bold(rpr))


def _style(el: etree._Element) -> Style:
    ppr, rpr = el.find(qn("w:pPr")), el.find(qn("w:rPr"))
    name_el, based = el.find(qn("w:name")), el.find(qn("w:basedOn"))
    return Style(
        id=el.get(qn("w:styleId"), ""),
        name=name_el.get(qn("w:val"), "") if name_el is not None else "",
        type=el.get(qn("w:type"), "paragraph"),
        based_on=based.get(qn("w:val")) if based is not None else None,
        half_points=_half_points(rpr), bold=_bold(rpr), justify=_justify(ppr),
        outline_level=_outline(ppr), numbered=_has_numbering(ppr), lang=_lang(rpr),
    )


def _on(value: str | None) -> bool:
    return value is not None and value.lower() not in _FALSE


def _val(parent: etree._Element | None, tag: str) -> etree._Element | None:
    return parent.find(qn(tag)) if parent is not None else None


def _half_points(rpr) -> int | None:
    sz = _val(rpr, "w:sz")
    if sz is None:
        return None
    try:
        return int(float(sz.get(qn("w:val"), "")))
    except ValueError:
        return None


def _bold(rpr) -> bool | None:
    b = _val(rpr, "w:b")
    if b is None:
        return None
    return _on(b.get(qn("w:val"), "1"))


def _lang(rpr) -> str | None:
    lang = _val(rpr, "w:lang")
    return (lang.get(qn("w:val")) or None) if lang is not None else None


def _justify(ppr) -> str | None:
    jc = _val(ppr, "w:jc")
    return jc.get(qn("w:val")) if jc is not None else None


def _outline(ppr) -> int | None:
    ol = _val(ppr, "w:outlineLvl")
    if ol is None:
        return None
    try:
        return int(ol.get(qn("w:val"), ""))
    except ValueError:
        return None


def _has_numbering(ppr) -> bool | None:
    """Return True for a numbered paragraph, False for numbering switched off, None if unset."""
    num = _val(ppr, "w:numPr")
    if num is None:
        return None
    num_id = num.find(qn("w:numId"))
    return num_id is None or num_id.get(qn("w:val")) != "0"


def _related_part(pkg: Package, kind: str) -> str | None:
    main = pkg.main_part or "word/document.xml"
    for rel in pkg.rels(main):
        if rel.type.rsplit("/", 1)[-1] == kind and not rel.external and rel.target in pkg.parts:
            return rel.target
    return None


# --- document properties ------------------------------------------------------


def core_title(pkg: Package) -> str | None:
    """Return the title document property (docProps/core.xml dc:title), or None."""
    name = next((r.target for r in pkg.rels("") if r.type == RT_CORE and r.target in pkg.parts),
                "docProps/core.xml")
    if name not in pkg.parts:
        return None
    el = pkg.xml(name).find(f"{{{DC}}}title")
    text = " ".join((el.text or "").split()) if el is not None else ""
    return text or None


def document_language(pkg: Package, styles: Styles) -> str | None:
    """Return the language of the style defaults or the default paragraph style, or None."""
    if styles.default_lang:
        return styles.default_lang
    lang = styles.first(styles.default_paragraph, "lang")
    if lang:
        return lang
    settings = _related_part(pkg, "settings")
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
        for image in walk.view.images:
            if image.paragraph == walk.current.number and image.item is None:
                image.item = walk.current.item


def _inside(el: etree._Element, walk: _Walk) -> bool:
    parent = el.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        parent = parent.getparent()
    return parent is not None and parent is walk.current_el


def _on_paragraph(p: etree._Element, walk: _Walk) -> None:
    walk.number += 1
    styles = walk.styles
    ppr = p.find(qn("w:pPr"))
    style_id = _pstyle(ppr) or styles.default_paragraph
    item = next(reversed(walk.open_items.values()), None) if walk.open_items else None
    text, runs, has_object = _scan(p)
    para = Paragraph(
        number=walk.number, text=text, style_name=_style_name(styles, style_id),
        heading_level=_heading_level(styles, style_id, ppr),
        numbered=bool(_first_set(_has_numbering(ppr), styles.first(style_id, "numbered"))),
        all_bold=bool(runs) and all(_run_bold(r, styles, style_id) for r in runs),
        justified=(_justify(ppr) or styles.first(style_id, "justify") or "") in
        ("both", "distribute", "lowKashida", "mediumKashida", "highKashida"),
        min_half_points=min((_run_size(r, styles, style_id) for r in runs), default=None),
        in_table=_in_table(p), has_object=has_object,
        ends_section=_val(ppr, "w:sectPr") is not None,
        after_table=_previous_is_table(p), last_in_body=False, item=item,
    )
    walk.view.paragraphs.append(para)
    walk.current = para
    walk.current_el = p
    _collect_images(p, para, walk.view)


def _first_set(*values):
    return next((v for v in values if v is not None), None)


def _pstyle(ppr) -> str | None:
    ps = _val(ppr, "w:pStyle")
    return ps.get(qn("w:val")) if ps is not None else None


def _style_name(styles: Styles, style_id: str | None) -> str:
    style = styles.by_id.get(style_id or "")
    return (style.name or style.id) if style else (style_id or "Normal")


def _heading_level(styles: Styles, style_id: str | None, ppr) -> int | None:
    direct = _outline(ppr)
    if direct is not None:
        return direct + 1 if 0 <= direct < 9 else None
    for style in styles.chain(style_id):
        m = _HEADING_NAME.match(style.name.strip()) or _HEADING_NAME.match(style.id)
        if m:
            return int(m.group(1))
        if style.outline_level is not None:
            return style.outline_level + 1 if 0 <= style.outline_level < 9 else None
    return None


_T, _R, _P = qn("w:t"), qn("w:r"), qn("w:p")
_REMOVED = (qn("w:del"), qn("w:moveFrom"))
_NBH = qn("w:noBreakHyphen")
_SPACE = (qn("w:tab"), qn("w:br"), qn("w:cr"))
_OBJECTS = frozenset(qn(t) for t in (
    "w:drawing", "w:pict", "w:object", "w:br", "w:fldChar", "w:fldSimple", "w:sym",
    "w:footnoteReference", "w:endnoteReference"))
_SCAN_TAGS = (_T, _NBH, *_SPACE, *_OBJECTS)


def own_elements(p: etree._Element):
    """Yield (element, removed) for the descendants of `p`, not those of paragraphs nested in it.

    `removed` is True inside deleted or moved-away content (w:del, w:moveFrom).
    """
    stack = [(child, False) for child in reversed(p)]
    while stack:
        el, removed = stack.pop()
        if el.tag == _P or not isinstance(el.tag, str):
            continue
        yield el, removed
        inner = removed or el.tag in _REMOVED
        stack.extend((child, inner) for child in reversed(el))


def _scan(p: etree._Element) -> tuple[str, list[etree._Element], bool]:
    """Return the current text of `p`, its runs holding visible text, and whether it holds
    an object (drawing, break, field...), in one pass."""
    if any(el is not p for el in p.iter(_P, *_REMOVED)):
        elements = own_elements(p)  # deletions or nested paragraphs: walk with care
    else:
        elements = ((el, False) for el in p.iter(*_SCAN_TAGS) if el is not p)
    out: list[str] = []
    runs: list[etree._Element] = []
    has_object = False
    for el, removed in elements:
        tag = el.tag
        if tag in _OBJECTS:
            has_object = True
        if removed:
            continue
        if tag == _T:
            text = el.text or ""
            out.append(text)
            run = el.getparent()
            if text.strip() and run is not None and run.tag == _R and (
                    not runs or runs[-1] is not run):
                runs.append(run)
        elif tag == _NBH:
            out.append("-")
        elif tag in _SPACE and el.getparent().tag == _R:
            out.append(" ")
    return "".join(out), runs, has_object


def _owner_paragraph(el: etree._Element) -> etree._Element | None:
    return _owner(el, _P)


def _owner(el: etree._Element, tag: str) -> etree._Element | None:
    """Return the nearest ancestor of `el` named `tag`, or None."""
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def paragraph_text(p: etree._Element) -> str:
    """Return the current text of `p`: inserted text in, deleted and moved-away text out."""
    return _scan(p)[0]


def _run_props(r: etree._Element, styles: Styles, attr: str, para_style: str | None):
    rpr = r.find(qn("w:rPr"))
    direct = {"half_points": _half_points, "bold": _bold}[attr](rpr)
    if direct is not None:
        return direct
    rstyle = _val(rpr, "w:rStyle")
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
    parent = p.getparent()
    while parent is not None:
        if parent.tag == qn("w:tc"):
            return True
        if parent.tag == qn("w:body"):
            return False
        parent = parent.getparent()
    return False


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
        flag = _val(rows[0].find(qn("w:trPr")), "w:tblHeader")
        header = flag is not None and _on(flag.get(qn("w:val"), "1"))
    merged = False
    for tc in tbl.iter(qn("w:tc")):
        if _owner(tc, qn("w:tbl")) is not tbl:
            continue  # a nested table's cell: that table is checked on its own
        tcpr = tc.find(qn("w:tcPr"))
        span = _val(tcpr, "w:gridSpan")
        vertical = _val(tcpr, "w:vMerge") is not None or _val(tcpr, "w:hMerge") is not None
        if vertical or (span is not None and span.get(qn("w:val"), "1") not in ("1", "0", "")):
            merged = True
    item = next(reversed(walk.open_items.values()), None) if walk.open_items else None
    walk.view.tables.append(Table(walk.number + 1, header, merged, item))


def _collect_images(p: etree._Element, para: Paragraph, view: DocView) -> None:
    for doc_pr in p.iter(f"{{{WP}}}docPr"):
        if _owner_paragraph(doc_pr) is not p:
            continue
        decorative = any(el.tag.endswith("}decorative") and _on(el.get("val", "1"))
                         for el in doc_pr.iter())
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
        view.images.append(Image(para.number, doc_pr.get("name", ""), alt, decorative, para.item))
    for shape in p.iter(f"{{{VML}}}shape"):
        if _owner_paragraph(shape) is not p or shape.find(f"{{{VML}}}imagedata") is None:
            continue
        view.images.append(Image(para.number, shape.get("id", ""), (shape.get("alt") or "").strip(),
                                 False, para.item))


# --- headers, footers, revisions, comments ----------------------------------


def _headers_footers(pkg: Package) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    main = pkg.main_part or "word/document.xml"
    rels = {r.id: r for r in pkg.rels(main)}
    body = pkg.xml(main).find(qn("w:body"))
    headers: dict[str, str] = {}
    footers: dict[str, str] = {}
    if body is None:
        return [], []
    for sect in body.iter(qn("w:sectPr")):
        for tag, into in (("w:headerReference", headers), ("w:footerReference", footers)):
            for ref in sect.findall(qn(tag)):
                rel = rels.get(ref.get(qn("r:id"), ""))
                if rel and not rel.external and rel.target in pkg.parts and rel.target not in into:
                    into[rel.target] = story_text(pkg.xml(rel.target))
    return list(headers.items()), list(footers.items())


def story_text(root: etree._Element) -> str:
    """Return the current text of every paragraph of a story part, one per line."""
    return "\n".join(paragraph_text(p) for p in root.iter(qn("w:p")))


def count_revisions(root: etree._Element) -> int:
    """Return how many tracked-change elements a story part holds (each counted once)."""
    copies = fallback_copies(root)
    return sum(1 for el in root.iter(*_REVISION_TAGS) if el not in copies)


def fallback_copies(root: etree._Element) -> set[etree._Element]:
    """Return the elements inside `root`'s mc:Fallback blocks: copies of the mc:Choice
    content for older readers (Word writes every text box twice), never read again."""
    return {el for fallback in root.iter(qn("mc:Fallback")) for el in fallback.iter()
            if el is not fallback}


def _count_comments(pkg: Package) -> int:
    name = _related_part(pkg, "comments")
    if not name:
        return 0
    return sum(1 for _ in pkg.xml(name).iter(qn("w:comment")))
