"""An equation added or removed between drafts is a tracked change like the words around it.

An Office Math equation (`m:oMath`, ECMA-376 Part 1, 22.1.2.77) sits in a
paragraph beside its runs. Added in NEW it is written as an insertion,
removed as a deletion, so rejecting every change gives OLD back and
accepting gives NEW.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from briefing.clearance.redline import redline_result
from briefing.ooxml.package import Package
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import validate_ooxml
from tests.support.cxml import w, write_docx

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
