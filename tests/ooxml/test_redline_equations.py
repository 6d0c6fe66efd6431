"""An equation added or removed between drafts is a tracked change like the words around it.

An Office Math equation (`m:oMath`, ECMA-376 Part 1, 22.1.2.77) sits in a
paragraph beside its runs. Added in NEW it is written as an insertion,
removed as a deletion, so rejecting every change gives OLD back and
accepting gives NEW.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from briefing.clearance.redline import redline_result
from briefing.ooxml.package import Package
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import ROOT, validate_ooxml
from tests.support.cxml import w, write_docx
from tests.support.pictures import pictures_of
from tests.support.redline_pairs import valid_zoom

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _equation():
    math = etree.Element(f"{{{M}}}oMath", nsmap={"m": M})
    etree.SubElement(etree.SubElement(math, f"{{{M}}}r"), f"{{{M}}}t").text = "x=2"
    return math


def _paragraph(with_equation: bool):
    return w.p(w.r(w.t("Growth is ")), _equation() if with_equation else None,
               w.r(w.t(" per cent.")))


def _equations(path: Path, accept: bool) -> int:
    pkg = Package.open(path)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=accept)
    return len(root.findall(f".//{{{M}}}oMath"))


@pytest.mark.parametrize("added", [True, False], ids=["added", "removed"])
def test_an_equation_added_or_removed_is_tracked(tmp_path, added):
    old = write_docx(tmp_path / "old.docx", [_paragraph(not added)])
    new = write_docx(tmp_path / "new.docx", [_paragraph(added)])
    out = tmp_path / "out.docx"
    out.write_bytes(redline_result(old, new, author="Officer").value)
    valid, report = validate_ooxml(out)
    assert valid, report
    assert _equations(out, accept=True) == (1 if added else 0)
    assert _equations(out, accept=False) == (0 if added else 1)


def _equation_with_picture(path: Path, ending: str, with_equation: bool = True) -> Path:
    """Write a paragraph "Growth is [an equation holding a picture] per cent..." to `path`:
    the picture (an image part of its own package) sits in the equation's math run. Without
    the equation the package holds no picture, so OLD's relationship ids mean nothing in it."""
    doc = docx.Document()
    p = doc.add_paragraph("Growth is ")
    if with_equation:  # without it NEW's package holds no picture OLD's could point at
        picture = p.add_run()
        picture.add_picture(str(ROOT / "docs" / "serve-minutes.png"), width=Pt(20))
        math = _equation()
        math.find(f"{{{M}}}r").append(picture._r.find(qn("w:drawing")))
        picture._r.addprevious(math)
        p._p.remove(picture._r)
    p.add_run(ending)
    valid_zoom(doc)
    doc.save(path)
    return path


@pytest.mark.parametrize("kept", [True, False], ids=["kept", "removed"])
def test_an_equation_holding_a_picture_is_kept_or_shown_deleted_with_its_picture(tmp_path, kept):
    """An equation with a picture NEW removed is a deletion that rejecting brings back, its
    picture carried into NEW's package; one NEW kept stays, words edited around it."""
    old = _equation_with_picture(tmp_path / "old.docx", " per cent.")
    new = _equation_with_picture(tmp_path / "new.docx", " per cent a year.", with_equation=kept)
    out = tmp_path / "out.docx"
    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")
    out.write_bytes(result.value)
    valid, report = validate_ooxml(out)
    assert valid, report
    Package.open(out).check_sound()
    assert [m.text for m in result.messages if m.level == "warning"] == []
    assert _equations(out, accept=True) == (1 if kept else 0)
    assert _equations(out, accept=False) == 1
    pkg = Package.open(out)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=False)
    assert pictures_of(pkg, root) == [(ROOT / "docs" / "serve-minutes.png").read_bytes()]
