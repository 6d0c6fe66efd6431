"""WordprocessingML for a built briefing: paragraphs, tables, bookmarks, properties, parts.

Everything here writes elements in the order ECMA-376 requires (pPr before
runs; pStyle, numPr inside pPr; tblPr, tblGrid, tr; settings in sequence), so
the output validates the way Word's own files do. Callers hand in plain
values; no caller outside `briefing/ooxml/` touches lxml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from briefing.ooxml import tree
from briefing.ooxml.ns import CP, DC, DCTERMS, W, qn
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import (
    CT_CUSTOM_XML_PROPS,
    RT_CUSTOM_XML,
    RT_CUSTOM_XML_PROPS,
    SourceMap,
    item_props_xml,
)

MARKING_PLACEHOLDER = "[MARKING]"
NUMBERED_NUM_ID = "1"
BULLET_NUM_ID = "2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
RT_CUSTOM_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CT_CUSTOM_PROPS = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_T, _VAL, _NUMID = qn("w:t"), qn("w:val"), qn("w:numId")

# Paragraph kind -> (style id, numbering id). Style ids are those of the reference.docx.
STYLES = {
    "h1": ("Heading1", None), "h2": ("Heading2", None), "h3": ("Heading3", None),
    "h4": ("Heading4", None),
    "marking": ("Marking", None), "numbered": ("NumberedPara", NUMBERED_NUM_ID),
    "body": (None, None), "bullet": ("ListBullet", BULLET_NUM_ID), "quote": ("Quote", None),
    "label": ("Label", None), "attribution": ("Attribution", None), "note": ("Note", None),
    "th": ("TableHeading", None), "td": ("TableText", None),
}


# A piece of paragraph text and the source bookmark it falls inside (None: outside any).
Span = tuple[str, "str | None"]


class BodyWriter:
    """Builds body XML, handing out bookmark ids unique in the document.

    Paragraphs and tables are written as WordprocessingML text (escaped here)
    and parsed once by `body_elements`: an order of magnitude faster than
    building thousands of elements one lxml call at a time.
    """

    def __init__(self, text_width: int) -> None:
        self.text_width = text_width
        self.next_bookmark_id = 0
        self.used_names: set[str] = set()

    def paragraph(self, kind: str, spans: Iterable[Span], keep_next: bool = False) -> str:
        """Return a w:p in the style of `kind` whose bookmarked spans are wrapped."""
        out = ["<w:p>", (_PPR_KEEP_XML if keep_next else _PPR_XML)[kind]]
        open_name = None
        for text, bookmark in spans:
            if bookmark != open_name:
                self._close(out, open_name)
                open_name = self._open(out, bookmark)
            out.append(run_xml(text))
        self._close(out, open_name)
        out.append("</w:p>")
        return "".join(out)

    def _open(self, out: list[str], name: str | None) -> str | None:
        if name is None or name in self.used_names:
            return None
        self.used_names.add(name)
        out.append(f'<w:bookmarkStart w:id="{self.next_bookmark_id}" w:name="{_attr(name)}"/>')
        return name

    def _close(self, out: list[str], name: str | None) -> None:
        if name is not None:
            out.append(f'<w:bookmarkEnd w:id="{self.next_bookmark_id}"/>')
            self.next_bookmark_id += 1

    def table(self, caption: str, rows: list[list[tuple[str, list[Span]]]],
              header_rows: int) -> str:
        """Return a w:tbl: full width, header rows repeating on each page, no merged cells."""
        widths = column_widths(len(rows[0]), self.text_width)
        out = [('<w:tbl><w:tblPr><w:tblStyle w:val="BriefingTable"/>'
               '<w:tblW w:w="5000" w:type="pct"/>')]
        if caption:
            out.append(f'<w:tblCaption w:val="{_attr(caption)}"/>')
        out.append("</w:tblPr><w:tblGrid>")
        out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out.append("</w:tblGrid>")
        for index, row in enumerate(rows):
            header = "<w:tblHeader/>" if index < header_rows else ""
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
            keep = _keeps_with_next(index, len(rows), header_rows)
            for (kind, spans), w in zip(row, widths):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>')
                out.append(self.paragraph(kind, spans, keep_next=keep))
                out.append("</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


# A table of at most this many rows is kept on one page whole; a longer one keeps its
# header with the first row and its last two rows together, so no row stands alone.
KEEP_WHOLE_ROWS = 12


def _keeps_with_next(index: int, count: int, header_rows: int) -> bool:
    """Return whether row `index` of `count` is kept on the page of the row after it."""
    if index >= count - 1:
        return False
    return count <= KEEP_WHOLE_ROWS or index <= header_rows or index == count - 2


def _ppr_xml(style: str | None, num_id: str | None, keep_next: bool = False) -> str:
    """Return the w:pPr for a style and numbering (pStyle, keepNext, numPr: schema order)."""
    if not (style or num_id or keep_next):
        return ""
    inner = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep_next:
        inner += "<w:keepNext/>"
    if num_id:
        inner += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    return f"<w:pPr>{inner}</w:pPr>"


_PPR_XML = {kind: _ppr_xml(style, num) for kind, (style, num) in STYLES.items()}
_PPR_KEEP_XML = {kind: _ppr_xml(style, num, True) for kind, (style, num) in STYLES.items()}
_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")


def _escape(text: str) -> str:
    """Return `text` escaped for XML character data."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attr(value: str) -> str:
    return _escape(value).replace('"', "&quot;")


def _t(text: str) -> str:
    """Return a w:t for `text`, marked to keep its spaces only when it has spaces to lose."""
    if text[0] == " " or text[-1] == " " or "  " in text:
        return f'<w:t xml:space="preserve">{_escape(text)}</w:t>'
    return f"<w:t>{_escape(text)}</w:t>"


def run_xml(text: str) -> str:
    """Return a w:r holding `text`: line breaks become w:br and tabs w:tab, as Word stores them."""
    if not ("\n" in text or "\t" in text or "\r" in text):
        return f"<w:r>{_t(text)}</w:r>"
    out = ["<w:r>"]
    for piece in _BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r\n", "\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            out.append(_t(piece))
    out.append("</w:r>")
    return "".join(out)


_BODY_MARK = "BRIEFING-BODY"


def document_with_body(document: etree._Element, fragments: list[str]) -> bytes | None:
    """Return the serialised document with its body replaced by `fragments` (BodyWriter XML).

    The body is spliced in as text, so thousands of paragraphs are never parsed
    and re-serialised; the final section properties stay last. Returns None
    when the document does not bind the `w` prefix to WordprocessingML (the
    caller then falls back to `replace_body`).
    """
    if document.nsmap.get("w") != W:
        return None
    body = tree.child(document, qn("w:body"))
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    body.insert(0, etree.Comment(_BODY_MARK))
    xml = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    body.remove(body[0])
    mark = f"<!--{_BODY_MARK}-->".encode()
    head, tail = xml.split(mark, 1)
    return b"".join([head, "".join(fragments).encode("utf-8"), tail])


def body_elements(fragments: list[str]) -> list[etree._Element]:
    """Return the elements written by a BodyWriter, parsed in one go."""
    xml = f'<w:body xmlns:w="{W}">{"".join(fragments)}</w:body>'
    return list(etree.fromstring(xml.encode("utf-8"), _BODY_PARSER))


_BODY_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def column_widths(count: int, total: int) -> list[int]:
    """Return grid column widths (twips): label + value for two columns, even otherwise."""
    if count == 2:
        first = total * 3 // 10
        return [first, total - first]
    each = total // count
    return [each] * (count - 1) + [total - each * (count - 1)]


def text_width(document: etree._Element) -> int:
    """Return the body text width (twips) of the document's last section; A4, 2 cm if unset."""
    sect = document.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    width, left, right = 11906, 1134, 1134
    if sect is not None:
        size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
        if size is not None:
            width = int(size.get(qn("w:w"), width))
        if mar is not None:
            left = int(mar.get(qn("w:left"), left))
            right = int(mar.get(qn("w:right"), right))
    return max(width - left - right, 1440)


def replace_body(document: etree._Element, elements: list[etree._Element]) -> None:
    """Replace the body's content with `elements`, keeping its final section properties."""
    body = tree.child(document, qn("w:body"))
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        body.remove(child)
    body.extend(elements)
    if sect is not None:
        body.append(sect)


def fill_marking(part: etree._Element, marking: str) -> None:
    """Replace the marking placeholder in a header/footer with `marking`."""
    for t in part.iter(_T):
        if t.text and MARKING_PLACEHOLDER in t.text:
            t.text = t.text.replace(MARKING_PLACEHOLDER, marking)


# settings.xml children that come before w:trackRevisions (ECMA-376 17.15.1.78 CT_Settings).
_BEFORE_TRACK = {qn(f"w:{n}") for n in [
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
    "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
    "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView"
]}


def set_track_revisions(settings: etree._Element, on: bool) -> None:
    """Turn tracked changes on or off in settings.xml, keeping the schema's element order."""
    existing = settings.find(qn("w:trackRevisions"))
    if not on:
        if existing is not None:
            settings.remove(existing)
        return
    if existing is not None:
        return
    index = 0
    for i, child in enumerate(settings):
        if child.tag in _BEFORE_TRACK:
            index = i + 1
    settings.insert(index, etree.Element(qn("w:trackRevisions")))


def set_en_gb(styles: etree._Element) -> None:
    """Make en-GB the language of the style defaults (w:docDefaults/w:rPrDefault/w:rPr/w:lang)."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = etree.Element(qn("w:docDefaults"))
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(qn("w:rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = etree.Element(qn("w:lang"))
        after = [c for c in rpr if c.tag in _RPR_AFTER_LANG]
        (after[0].addprevious(lang) if after else rpr.append(lang))
    lang.set(_VAL, "en-GB")


_RPR_AFTER_LANG = {qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath")}


@dataclass(frozen=True)
class CoreProperties:
    """The core document properties a briefing sets."""

    title: str
    subject: str
    creator: str
    keywords: str
    description: str
    category: str
    version: str
    created: dt.datetime
    modified: dt.datetime


def core_properties_xml(props: CoreProperties) -> bytes:
    """Return docProps/core.xml for `props` (language en-GB)."""
    root = etree.Element(qn("cp:coreProperties"),
                         nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI})
    simple = [("dc:title", props.title), ("dc:subject", props.subject),
              ("dc:creator", props.creator), ("cp:keywords", props.keywords),
              ("dc:description", props.description), ("cp:lastModifiedBy", props.creator),
              ("cp:category", props.category), ("cp:version", props.version),
              ("dc:language", "en-GB")]
    for tag, value in simple:
        if value:
            etree.SubElement(root, qn(tag)).text = value
    for tag, when in (("created", props.created), ("modified", props.modified)):
        el = etree.SubElement(root, f"{{{DCTERMS}}}{tag}")
        el.set(f"{{{XSI}}}type", "dcterms:W3CDTF")
        el.text = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def custom_properties_xml(props: dict[str, str]) -> bytes:
    """Return docProps/custom.xml holding `props` as text properties."""
    root = etree.Element(f"{{{CUSTOM_PROPS}}}Properties",
                         nsmap={None: CUSTOM_PROPS, "vt": VT})  # type: ignore[dict-item]
    for pid, (name, value) in enumerate(props.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_PROPS}}}property", fmtid=FMTID, pid=str(pid),
                                name=name)
        etree.SubElement(prop, f"{{{VT}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def embed_source_map(pkg: Package, main: str, smap: SourceMap) -> None:
    """Store `smap` as customXml/item1.xml (with its itemProps) related from the main part."""
    for rel in pkg.rels(main):
        if rel.type == RT_CUSTOM_XML and b"urn:lga:briefing" in pkg.parts.get(rel.target, b""):
            pkg.remove(rel.target)
    n = 1
    while f"customXml/item{n}.xml" in pkg.parts:
        n += 1
    item = f"customXml/item{n}.xml"
    pkg.set_bytes(item, smap.to_xml())
    pkg.add_part(item, f"customXml/itemProps{n}.xml", item_props_xml(), RT_CUSTOM_XML_PROPS,
                 CT_CUSTOM_XML_PROPS)
    pkg.relate(main, item, RT_CUSTOM_XML, prefix="rIdS")
