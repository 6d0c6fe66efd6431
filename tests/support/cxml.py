"""A compact WordprocessingML builder for tests, and a minimal .docx writer around it.

    from tests.support.cxml import w, write_docx
    p = w.p(w.pPr(w.rPr(w.del_(author="Ann"))), w.ins(w.r(w.t("new")), author="Bob"))
    write_docx(tmp_path / "a.docx", [p])

`w.<name>(*children, **attributes)` makes `<w:name>`: children are elements or
strings (text); attribute names are local names in the w: namespace (a
trailing underscore is dropped, so `w.del_` is `w:del`). Revision elements get
a fresh `w:id` and a default date unless given. `text_of_xml` and `xml` help
write before/after assertions.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NSMAP = {"w": W, "w14": W14, "w15": W15, "r": R_NS, "mc": MC}
REVISIONS = {"ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
             "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "cellIns", "cellDel",
             "numberingChange", "moveFromRangeStart", "moveToRangeStart"}
DEFAULT_DATE = "2026-03-02T10:00:00Z"
_ids = itertools.count(9000)


def _qualify(name: str) -> str:
    """Return the Clark name of an attribute: 'w14:paraId' or a local name in w:."""
    if ":" in name:
        prefix, local = name.split(":")
        return f"{{{NSMAP[prefix]}}}{local}"
    return f"{{{W}}}{name}"


class _Builder:
    """`w.name(...)` makes a w:name element (see the module docstring)."""

    def __getattr__(self, name: str):
        local = name.rstrip("_")

        def make(*children, **attrs) -> etree._Element:
            el = etree.Element(f"{{{W}}}{local}", nsmap=NSMAP)
            if local in REVISIONS:
                attrs.setdefault("id", str(next(_ids)))
                if local not in ("moveFromRangeStart", "moveToRangeStart") or "author" in attrs:
                    attrs.setdefault("date", DEFAULT_DATE)
            for key, value in attrs.items():
                el.set(_qualify(key), str(value))
            for child in children:
                if isinstance(child, str):
                    el.text = (el.text or "") + child
                    if local in ("t", "delText", "instrText", "delInstrText"):
                        el.set(f"{{{XML_NS}}}space", "preserve")
                elif child is not None:
                    el.append(child)
            return el

        return make


w = _Builder()


def run(text: str) -> etree._Element:
    """Return a run holding `text`."""
    return w.r(w.t(text))


def para(*content, style: str | None = None) -> etree._Element:
    """Return a paragraph: strings become runs, elements are kept as they are."""
    kids = [w.pPr(w.pStyle(val=style))] if style else []
    kids += [run(c) if isinstance(c, str) else c for c in content]
    return w.p(*kids)


def xml(el: etree._Element) -> str:
    """Return `el` serialised (for failure messages)."""
    return etree.tostring(el, encoding="unicode")


def body_of(*blocks) -> etree._Element:
    """Return a w:document whose body holds `blocks` and a final section."""
    body = w.body(*blocks, w.sectPr(w.pgSz(w="11906", h="16838")))
    return w.document(body)


CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_PART_TYPES = {  # part -> (relationship type, content type)
    "word/styles.xml": (_RT + "styles", _CT + "styles+xml"),
    "word/numbering.xml": (_RT + "numbering", _CT + "numbering+xml"),
    "word/comments.xml": (_RT + "comments", _CT + "comments+xml"),
    "word/commentsExtended.xml": (
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"),
    "word/header1.xml": (_RT + "header", _CT + "header+xml"),
    "word/footer1.xml": (_RT + "footer", _CT + "footer+xml"),
    "word/footnotes.xml": (_RT + "footnotes", _CT + "footnotes+xml"),
    "word/endnotes.xml": (_RT + "endnotes", _CT + "endnotes+xml"),
}


def _bytes(el: etree._Element | bytes) -> bytes:
    if isinstance(el, bytes):
        return el
    el.set(f"{{{MC}}}Ignorable", "w14 w15")  # as Word writes them: readers may skip these
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_docx(path: Path, blocks, *, parts: dict | None = None, main_type: str = CT_MAIN,
               extra: dict[str, bytes] | None = None, main: str = "document.xml") -> Path:
    """Write a minimal .docx whose body holds `blocks`; return `path`.

    `parts` maps known part names (styles, comments, commentsExtended,
    header1, footer1, footnotes, endnotes) to their root element or bytes;
    `extra` adds raw zip entries (e.g. a custom XML part with its own rels);
    `main` names the main document part in word/ (the package relationship finds it).
    """
    parts = dict(parts or {})
    document = blocks if isinstance(blocks, (etree._Element, bytes)) else body_of(*blocks)
    rels, overrides = [], [f'<Override PartName="/word/{main}" ContentType="{main_type}"/>']
    for n, name in enumerate(sorted(parts), 1):
        rtype, ctype = _PART_TYPES[name]
        rels.append(f'<Relationship Id="rId{n}" Type="{rtype}" '
                    f'Target="{name.split("/", 1)[1]}"/>')
        overrides.append(f'<Override PartName="/{name}" ContentType="{ctype}"/>')
    extra = dict(extra or {})
    if "customXml/itemProps1.xml" in extra:
        overrides.append('<Override PartName="/customXml/itemProps1.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.customXmlProperties+xml"/>')
    if "customXml/item1.xml" in extra:
        rels.append(f'<Relationship Id="rIdC1" Type="{_RT}customXml" '
                    'Target="../customXml/item1.xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            + "".join(overrides) + "</Types>"))
        zf.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RT}officeDocument" Target="word/{main}"/>'
            "</Relationships>"))
        zf.writestr(f"word/_rels/{main}.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels) + "</Relationships>"))
        zf.writestr(f"word/{main}", _bytes(document))
        for name, root in parts.items():
            zf.writestr(name, _bytes(root))
        for name, data in extra.items():
            zf.writestr(name, data)
    return path


def source_map_parts(ids: dict[str, str]) -> dict[str, bytes]:
    """Return the zip entries of a briefing source map (bookmark name -> source id)."""
    from briefing.ooxml.sourcemap import SourceMap, item_props_xml

    smap = SourceMap(ids=dict(ids), data_hash="0" * 64, version=1, template="chairman-briefing")
    return {
        "customXml/item1.xml": smap.to_xml(),
        "customXml/itemProps1.xml": item_props_xml(),
        "customXml/_rels/item1.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>'),
    }


def redline_paragraphs(tmp_path: Path, old, new) -> tuple[list[str], Path]:
    """Return the info messages and the output of a redline, by "Officer", of a one-paragraph
    document `old` against `new` (each a w:p made with `w`)."""
    from briefing.clearance.redline import redline_result

    a = write_docx(tmp_path / "old.docx", [old])
    b = write_docx(tmp_path / "new.docx", [new])
    result = redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z")
    out = tmp_path / "out.docx"
    out.write_bytes(result.value)
    return [m.text for m in result.messages if m.level == "info"], out
