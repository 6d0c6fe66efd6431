"""Namespaces of WordprocessingML and helpers to name elements by prefix."""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
BR = "urn:lga:briefing:source-map:1"

NSMAP = {"w": W, "r": R, "w14": W14, "w15": W15, "mc": MC, "cp": CP, "dc": DC, "ds": DS, "br": BR}


def qn(tag: str) -> str:
    """Return the Clark name of a prefixed tag, e.g. qn('w:p') -> '{...main}p'."""
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"
