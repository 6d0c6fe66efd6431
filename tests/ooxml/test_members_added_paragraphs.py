"""A paragraph a member adds without tracking comes through combine as their insertion.

The summary files it under the briefing item it follows (the paragraph
before it), the item the member was working on; at the very top of the
body there is none before, so it goes with the first.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from briefing.clearance.review import read_review
from briefing.cli import app
from briefing.document.build import build_file
from briefing.ooxml.ns import CP, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import ROOT

runner = CliRunner()
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
ADDED = "Not for circulation beyond the Chairman's office."


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    return build_file(SAMPLE, out=tmp_path_factory.mktemp("added") / "draft.docx").value


def _with_paragraph_added(draft: Path, dest: Path, after: int | None) -> Path:
    """Return `dest`: the draft with a plain paragraph added, untracked, after block `after`
    (None: at the top of the body), saved by Cllr Ann."""
    pkg = Package.open(draft)
    body = pkg.xml(pkg.main_part).find(qn("w:body"))
    assert body is not None
    new = copy.deepcopy(body[1])
    for el in list(new):
        if el.tag != qn("w:pPr"):
            new.remove(el)
    etree.SubElement(etree.SubElement(new, qn("w:r")), qn("w:t")).text = ADDED
    if after is None:
        body.insert(0, new)
    else:
        body[after].addnext(new)
    pkg.xml("docProps/core.xml").find(f"{{{CP}}}lastModifiedBy").text = "Cllr Ann"
    pkg.save(dest)
    return dest


def _texts(path: Path, accept: bool) -> list[str]:
    pkg = Package.open(path)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=accept)
    return paragraph_texts(root)


@pytest.mark.parametrize("after, item", [(None, "briefing/title"), (0, "briefing/title"),
                                         (2, "briefing/prepared")],
                         ids=["top of the body", "after the title", "after a later item"])
def test_an_added_paragraph_is_the_members_insertion_filed_under_the_item_before(
        draft, tmp_path, after, item):
    copy_path = _with_paragraph_added(draft, tmp_path / "ann.docx", after)
    out = tmp_path / "combined.docx"
    result = runner.invoke(app, ["combine", str(draft), str(copy_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    changed = [line for line in result.stderr.splitlines() if ": changed by " in line]
    assert changed == [f"info: {item}: changed by Cllr Ann"]
    assert {(r.author, r.text) for r in read_review(out).revisions} == {("Cllr Ann", ADDED)}
    assert ADDED in _texts(out, accept=True)
    assert _texts(out, accept=False) == _texts(draft, accept=False)
