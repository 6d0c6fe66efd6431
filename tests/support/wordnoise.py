"""Add to a .docx what Word writes on its own when a member opens and saves it, for tests.

`add_word_noise` gives every paragraph and run revision-save ids, puts
proofing marks and a rendered page break in the body, tags runs with a
language, restates run formatting the styles already give, re-files one
style under another id, leaves the cursor bookmark `_GoBack`, and refreshes
the footer's PAGE and NUMPAGES results, as Word does on every save.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from briefing.ooxml.ns import W, qn
from briefing.ooxml.package import Package

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def add_word_noise(src: Path, dest: Path) -> Path:
    """Return `dest` after writing `src` with Word-style noise and no change of text or look."""
    pkg = Package.open(src)
    _rename_style(pkg, "NumberedPara", "NumberedParagraph")
    for part in pkg.story_parts():
        root = pkg.xml(part)
        for n, p in enumerate(root.iter(qn("w:p"))):
            p.set(qn("w:rsidR"), f"{0x00A1B2C3 + n:08X}")
            p.set(qn("w:rsidRDefault"), "00A1B2C3")
            for run in p.findall(qn("w:r")):
                run.set(qn("w:rsidR"), "00D4E5F6")
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = etree.Element(qn("w:rPr"))
                    run.insert(0, rpr)
                etree.SubElement(rpr, qn("w:lang")).set(qn("w:val"), "en-US")
            if n % 3 == 0 and len(p):
                start = etree.Element(qn("w:proofErr"))
                start.set(qn("w:type"), "spellStart")
                end = etree.Element(qn("w:proofErr"))
                end.set(qn("w:type"), "spellEnd")
                p.append(start)
                p.append(end)
        if part == pkg.main_part:
            _body_noise(root)
        for t in root.iter(qn("w:t")):
            if t.text == "1" and _in_field_result(t):
                t.text = "7"
    pkg.save(dest)
    return dest


def _body_noise(root: etree._Element) -> None:
    paragraphs = [p for p in root.iter(qn("w:p")) if p.find(qn("w:r")) is not None]
    first = paragraphs[len(paragraphs) // 2]
    run = first.find(qn("w:r"))
    etree.SubElement(run, qn("w:lastRenderedPageBreak"))
    run.addprevious(_bookmark("bookmarkStart", "_GoBack"))
    run.addprevious(_bookmark("bookmarkEnd", None))
    rpr = paragraphs[1].find(f"{qn('w:r')}/{qn('w:rPr')}")
    if rpr is not None:  # the default size, restated (what LibreOffice writes in table cells)
        etree.SubElement(rpr, qn("w:sz")).set(qn("w:val"), "24")


def _bookmark(kind: str, name: str | None) -> etree._Element:
    el = etree.Element(qn(f"w:{kind}"))
    el.set(qn("w:id"), "9999")
    if name:
        el.set(qn("w:name"), name)
    return el


def _in_field_result(t: etree._Element) -> bool:
    run = t.getparent()
    prev = run.getprevious() if run is not None else None
    char = prev.find(qn("w:fldChar")) if prev is not None else None
    return char is not None and char.get(qn("w:fldCharType")) == "separate"


def _rename_style(pkg: Package, old: str, new: str) -> None:
    """Re-file style `old` under id `new`, as LibreOffice does from the style's name."""
    styles = pkg.xml("word/styles.xml")
    for style in styles.iter(qn("w:style")):
        if style.get(qn("w:styleId")) == old:
            style.set(qn("w:styleId"), new)
    for part in pkg.story_parts():
        for el in pkg.xml(part).iter(qn("w:pStyle")):
            if el.get(qn("w:val")) == old:
                el.set(qn("w:val"), new)


__all__ = ["W", "add_word_noise"]
