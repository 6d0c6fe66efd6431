"""Namespaces of WordprocessingML and helpers to name elements by prefix."""

from __future__ import annotations

import re

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
BR = "urn:lga:briefing:source-map:1"

NSMAP = {"w": W, "r": R, "w14": W14, "w15": W15, "mc": MC, "cp": CP, "dc": DC, "ds": DS, "br": BR}


def qn(tag: str) -> str:
    """Return the Clark name of a prefixed tag, e.g. qn('w:p') -> '{...main}p'."""
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


#: Strict Open XML namespaces and relationship types -> their transitional names, longest
#: first (ISO/IEC 29500-1 Strict and ECMA-376 Transitional name the same things apart).
_STRICT = "http://purl.oclc.org/ooxml/"
_OPENXML = "http://schemas.openxmlformats.org/"
_STRICT_NAMES: tuple[tuple[bytes, bytes], ...] = tuple(
    ((_STRICT + strict).encode(), (_OPENXML + transitional).encode()) for strict, transitional in (
        ("officeDocument/relationships/extendedProperties",
         "officeDocument/2006/relationships/extended-properties"),
        ("officeDocument/relationships/customProperties",
         "officeDocument/2006/relationships/custom-properties"),
        ("officeDocument/relationships", "officeDocument/2006/relationships"),
        ("officeDocument/extendedProperties", "officeDocument/2006/extended-properties"),
        ("officeDocument/customProperties", "officeDocument/2006/custom-properties"),
        ("officeDocument/docPropsVTypes", "officeDocument/2006/docPropsVTypes"),
        ("officeDocument/sharedTypes", "officeDocument/2006/sharedTypes"),
        ("officeDocument/customXml", "officeDocument/2006/customXml"),
        ("officeDocument/bibliography", "officeDocument/2006/bibliography"),
        ("officeDocument/math", "officeDocument/2006/math"),
        ("wordprocessingml/main", "wordprocessingml/2006/main"),
        ("schemaLibrary/main", "schemaLibrary/2006/main"),
        *((f"drawingml/{name}", f"drawingml/2006/{name}") for name in (
            "main", "wordprocessingDrawing", "picture", "chartDrawing", "chart", "diagram",
            "lockedCanvas", "spreadsheetDrawing", "compatibility")),
    ))
#: The conformance attribute of the root element's start tag (nothing after it is touched).
_STRICT_CONFORMANCE = re.compile(
    rb'\A(\s*(?:<\?[^>]*\?>\s*)?<[^>]*?)\s(?:[A-Za-z_][\w.-]*:)?conformance="strict"')


def strict_to_transitional(parts: dict[str, bytes]) -> bool:
    """Rename Strict Open XML namespaces and relationship types to the transitional ones in
    every XML part, in place, as Word does when it opens a Strict document; return True when
    the package was Strict. Element and attribute names are the same in both."""
    found = False
    for name, data in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        text = data.decode("utf-16").encode("utf-8") if utf16 else data
        if _STRICT.encode() not in text:
            continue
        for strict, transitional in _STRICT_NAMES:
            text = text.replace(strict, transitional)
        text = _STRICT_CONFORMANCE.sub(rb"\1", text, count=1)
        parts[name] = text.decode("utf-8").encode("utf-16") if utf16 else text
        found = True
    return found
