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
from briefing.ooxml.track.noise import (
    normalise,
    restate_field_results,
    strip_noise,
    volatile_results,
)
from tests.conftest import ROOT
from tests.support.cxml import w, write_docx
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


def test_noise_after_a_comment_in_the_xml_is_stripped_too_and_only_the_cursors_own_end_goes():
    p = w.p(w.bookmarkStart(id="1", name="_GoBack"), w.bookmarkStart(id="2", name="Annex"),
            w.r(w.t("Text")), w.bookmarkEnd(id="2"), w.bookmarkEnd(id="1"))
    p.insert(0, etree.Comment(" written by an editor "))
    p.append(w.proofErr(type="spellStart"))
    p.append(w.r(w.t("more"), rsidR="00112233"))
    strip_noise(p)
    assert [(etree.QName(c).localname, c.get(qn("w:id"))) for c in p
            if isinstance(c.tag, str)] == [
        ("bookmarkStart", "2"), ("r", None), ("bookmarkEnd", "2"), ("r", None)]
    assert not p[-1].attrib


def _styles_with_defaults() -> etree._Element:
    """Defaults spacing after 200 / line 276; Normal (default) spacing after 0; Strong bold."""
    return w.styles(
        w.docDefaults(w.pPrDefault(w.pPr(w.spacing(after="200", line="276")))),
        w.style(w.name(val="Normal"), w.pPr(w.spacing(after="0")), type="paragraph",
                styleId="Normal", default="1"),
        w.style(w.name(val="Strong"), w.rPr(w.b()), type="character", styleId="Strong"))


def _normalised_paragraph(tmp_path: Path, p: etree._Element) -> etree._Element:
    pkg = Package.open(write_docx(tmp_path / "d.docx", [p],
                                  parts={"word/styles.xml": _styles_with_defaults()}))
    normalise(pkg)
    return next(pkg.xml(pkg.main_part).iter(qn("w:p")))


def _props_of(el: etree._Element | None) -> list[tuple[str, dict]]:
    if el is None:
        return []
    return [(etree.QName(c).localname, {etree.QName(k).localname: v for k, v in c.attrib.items()})
            for c in el]


def test_a_member_unbolding_a_run_in_a_bold_character_style_keeps_that_formatting(tmp_path):
    p = _normalised_paragraph(tmp_path, w.p(
        w.r(w.rPr(w.rStyle(val="Strong"), w.b(val="0")), w.t("plain")),
        w.r(w.rPr(w.rStyle(val="Strong"), w.b(val="1")), w.t("bold as the style says"))))
    runs = list(p.iter(qn("w:r")))
    assert _props_of(runs[0].find(qn("w:rPr"))) == [("rStyle", {"val": "Strong"}),
                                                    ("b", {"val": "0"})]
    assert _props_of(runs[1].find(qn("w:rPr"))) == [("rStyle", {"val": "Strong"})]


def test_spacing_and_spelling_language_restated_by_an_editor_are_not_a_change(tmp_path):
    # spacing: the defaults' line and the style's after, written out in full by LibreOffice;
    # the spelling language and no-proofing flag are never shown
    p = _normalised_paragraph(tmp_path, w.p(
        w.pPr(w.spacing(after="0", line="276")),
        w.r(w.rPr(w.lang(val="fr-FR"), w.noProof(), w.i()), w.t("x"))))
    assert _props_of(p.find(qn("w:pPr"))) == []
    assert _props_of(p.find(f"{qn('w:r')}/{qn('w:rPr')}")) == [("i", {})]


def _field(name: str, *result: str) -> list[etree._Element]:
    return [w.r(w.fldChar(fldCharType="begin")), w.r(w.instrText(f" {name} ")),
            w.r(w.fldChar(fldCharType="separate")), *(w.r(w.t(t)) for t in result),
            w.r(w.fldChar(fldCharType="end"))]


def test_refreshed_results_are_restated_after_a_simple_field_and_a_stray_field_end():
    # a stray end (no begin), a simple field first, then complex fields: each paired in order
    def footer(date: str, page: str, total: tuple[str, ...]) -> etree._Element:
        return w.ftr(w.p(w.r(w.fldChar(fldCharType="end")),
                         w.fldSimple(w.r(w.t(date)), instr=" DATE "),
                         *_field("PAGE", page), *_field("NUMPAGES", *total)))
    mine, theirs = footer("2/2/26", "8", ("1", "2")), footer("2/2/26", "1", ("3",))
    assert [n for n, _ in volatile_results(mine)] == ["DATE", "PAGE", "NUMPAGES"]
    assert restate_field_results(mine, theirs) == 2  # the date was already the same
    assert "".join(t.text for t in mine.iter(qn("w:t"))) == "2/2/2613"
    assert restate_field_results(mine, theirs) == 0  # already the same: nothing to restate


def test_a_simple_field_inside_a_fields_result_keeps_its_own_result():
    def page(inner: str) -> etree._Element:
        p = w.p(*_field("PAGE", "8"))
        p.insert(3, w.fldSimple(w.r(w.t(inner)), instr=" REF x "))
        return w.ftr(p)
    mine, theirs = page("Annex A"), page("Annex A")
    theirs.find(f".//{qn('w:t')}[.='8']").text = "1"
    assert [len(texts) for _, texts in volatile_results(mine)] == [1]
    assert restate_field_results(mine, theirs) == 1
    assert "".join(t.text for t in mine.iter(qn("w:t"))) == "Annex A1"


def test_a_field_with_no_cached_result_is_left_as_it_is():
    mine, theirs = w.ftr(w.p(*_field("PAGE"))), w.ftr(w.p(*_field("PAGE", "1")))
    assert restate_field_results(mine, theirs) == 0
    assert not list(mine.iter(qn("w:t")))
