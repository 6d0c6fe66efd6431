"""Editor noise is not a change: what Word or LibreOffice writes on its own never shows in redline."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from briefing.clearance.redline import redline_result
from briefing.clearance.review import read_review
from briefing.document.build import build_file
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.track.noise import restate_field_results, strip_noise, volatile_results
from tests.conftest import ROOT
from tests.support.cxml import w
from tests.support.wordnoise import add_word_noise

SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_file(SAMPLE, out=tmp_path_factory.mktemp("noise") / "draft.docx").value


def _summary(old: Path, new: Path) -> str:
    return redline_result(old, new, author="Officer", date="2026-03-01").messages[0].text


def _redline_review(old: Path, new: Path, tmp_path: Path):
    out = tmp_path / "redline.docx"
    out.write_bytes(redline_result(old, new, author="Officer", date="2026-03-01").value)
    return read_review(out)


def test_word_style_noise_gives_no_difference(built, tmp_path):
    noisy = add_word_noise(built, tmp_path / "noisy.docx")
    assert noisy.read_bytes() != built.read_bytes()
    assert _summary(built, noisy) == "no differences found (matched by source id)"


def test_word_style_noise_around_a_real_edit_leaves_only_the_edit(built, tmp_path):
    edited = tmp_path / "edited.docx"
    pkg = Package.open(built)
    for t in pkg.xml(pkg.main_part).iter(qn("w:t")):
        if t.text and "Civil servants say" in t.text:
            t.text = t.text.replace("Civil servants say", "Officials say")
    pkg.save(edited)
    noisy = add_word_noise(edited, tmp_path / "noisy.docx")
    review = _redline_review(built, noisy, tmp_path)
    assert [(r.kind, r.text) for r in review.revisions] == [
        ("delete", "Civil servants"), ("insert", "Officials")]


def test_noise_is_stripped_but_text_and_our_bookmarks_stay():
    p = w.p(w.proofErr(type="spellStart"), w.bookmarkStart(id="1", name="_GoBack"),
            w.bookmarkStart(id="2", name="_Brf0123456789abcdef0123"),
            w.r(w.lastRenderedPageBreak(), w.t("Text")), w.bookmarkEnd(id="1"),
            w.bookmarkEnd(id="2"), rsidR="00112233")
    strip_noise(p)
    tags = [etree.QName(c).localname for c in p.iter() if c is not p]
    assert tags == ["bookmarkStart", "r", "t", "bookmarkEnd"]
    assert p.find(qn("w:bookmarkStart")).get(qn("w:name")).startswith("_Brf")
    assert not p.attrib


def _footer(page: str, total: str) -> etree._Element:
    return w.ftr(w.p(
        w.r(w.t("Page ")), w.r(w.fldChar(fldCharType="begin")), w.r(w.instrText(" PAGE ")),
        w.r(w.fldChar(fldCharType="separate")), w.r(w.t(page)),
        w.r(w.fldChar(fldCharType="end")), w.r(w.t(" of ")),
        w.fldSimple(w.r(w.t(total)), instr=" NUMPAGES ")))


def test_refreshed_page_numbers_are_restated_from_the_other_draft():
    mine, theirs = _footer("8", "9"), _footer("1", "1")
    assert [n for n, _ in volatile_results(mine)] == ["PAGE", "NUMPAGES"]
    assert restate_field_results(mine, theirs) == 2
    assert "".join(mine.itertext()) == "Page  PAGE 1 of 1"
    other = w.ftr(w.p(w.fldSimple(w.r(w.t("3")), instr=" DATE ")))
    assert restate_field_results(mine, other) == 0  # different fields: nothing is paired


@pytest.mark.libreoffice
def test_a_copy_libreoffice_saved_with_one_edit_redlines_as_that_edit(built, lo, tmp_path):
    edit = {"kind": "replace", "author": "Cllr C", "find": "Civil servants say",
            "replace": "Officials say"}
    copy = lo.tracked_edits(built, tmp_path / "copy.docx", [edit], record=False)
    review = _redline_review(built, copy, tmp_path)
    assert [(r.kind, r.text, r.item) for r in review.revisions] == [
        ("delete", "Civil servants", "key_messages/partnership-not-centralism/points/0"),
        ("insert", "Officials", "key_messages/partnership-not-centralism/points/0")]
    unchanged = lo.tracked_edits(built, tmp_path / "unchanged.docx", [], record=False)
    assert _summary(built, unchanged) == "no differences found (matched by source id)"


def test_toggles_switched_on_are_written_bare_in_formatting_only():
    # `w:val="true"` or "On" on a toggle is its bare form (17.17.4), as Word and LibreOffice
    # each write one; off, other values and markup that is not formatting stay as written
    p = w.p(w.pPr(w.keepNext(val="true"), w.jc(val="center")),
            w.sdt(w.sdtPr(w.showingPlcHdr(val="true")),
                  w.sdtContent(w.r(w.rPr(w.b(val="On"), w.i(val="0")), w.t("x")))))
    strip_noise(p)
    assert [(etree.QName(c).localname, dict(c.attrib)) for c in p.iter()
            if c.getparent() is not None and c.getparent().tag in (
                qn("w:pPr"), qn("w:rPr"), qn("w:sdtPr"))] == [
        ("keepNext", {}), ("jc", {qn("w:val"): "center"}),
        ("showingPlcHdr", {qn("w:val"): "true"}), ("b", {}), ("i", {qn("w:val"): "0"})]
