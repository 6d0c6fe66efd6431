"""Word-level tracked changes of a paragraph, as the redline writes them.

What a reader of the redline would see go wrong: a paragraph mark's revisions in
the wrong order (Word's "unreadable content"), spaces lost from inserted or
deleted words, one phrase shown as many changes, a deleted paragraph that takes
the identity of a kept one.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

from briefing.clearance.redline import redline_result
from briefing.ooxml.track.inline import DELETED, INSERTED, Builder
from briefing.ooxml.track.pieces import group_pieces
from briefing.ooxml.track.revids import Stamper
from tests.conftest import validate_ooxml
from tests.support.cxml import W14, XML_NS, W, run, w, write_docx


def _redline(tmp_path: Path, old: list, new: list) -> etree._Element:
    a = write_docx(tmp_path / "old.docx", old)
    b = write_docx(tmp_path / "new.docx", new)
    result = redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z")
    out = tmp_path / "out.docx"
    out.write_bytes(result.value)
    valid, report = validate_ooxml(out)
    assert valid, report
    with zipfile.ZipFile(out) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def test_a_paragraph_mark_inserted_then_deleted_keeps_its_revisions_in_schema_order():
    builder = Builder(Stamper("Officer", "2026-03-02T10:00:00Z"))
    p = w.p(w.pPr(w.rPr(w.b())), run("Added, then struck out"))
    builder.mark_paragraph(p, INSERTED)
    builder.mark_paragraph(p, DELETED)
    builder.mark_paragraph(p, DELETED)  # marking twice writes one revision, not two
    builder.mark_paragraph(p, INSERTED)
    rpr = p.find(f"{{{W}}}pPr/{{{W}}}rPr")
    assert [etree.QName(c).localname for c in rpr] == ["ins", "del", "b"]


def test_spaces_at_the_edges_and_doubled_inside_changed_words_are_kept(tmp_path):
    old = [w.p(run("Keep this  text")), w.p(run("Kept")), w.p(run("Alpha"))]
    new = [w.p(run("Keep that  text ")), w.p(run(" Kept  too")), w.p(run("Beta  gamma"))]
    root = _redline(tmp_path, old, new)
    texts = [el for el in root.iter(f"{{{W}}}t", f"{{{W}}}delText") if el.text]
    spaced = [el for el in texts if el.text != el.text.strip() or "  " in el.text]
    assert spaced, "the redline has no spaced text to check"
    for el in spaced:
        assert el.get(f"{{{XML_NS}}}space") == "preserve", repr(el.text)


def test_an_inserted_phrase_across_two_runs_is_one_change_of_two_runs(tmp_path):
    old = [w.p(run("The council agreed."))]
    new = [w.p(run("The council "), w.r(w.rPr(w.b()), w.t("very firmly and")),
               run(" unanimously agreed."))]
    root = _redline(tmp_path, old, new)
    inserts = root.findall(f".//{{{W}}}ins")
    assert len(inserts) == 1
    runs = inserts[0].findall(f"{{{W}}}r")
    assert [r.find(f"{{{W}}}rPr") is not None for r in runs] == [True, False]
    assert "".join(t.text for t in inserts[0].iter(f"{{{W}}}t")) == "very firmly and unanimously "


def test_a_kept_run_of_text_and_tabs_stays_one_run_beside_an_insertion(tmp_path):
    kept = w.r(w.rPr(w.b()), w.t("Item"), w.tab(), w.t("Value"), w.br(), w.t("Note"))
    old = [w.p(copy.deepcopy(kept))]
    new = [w.p(copy.deepcopy(kept), run(" added"))]
    root = _redline(tmp_path, old, new)
    (p,) = root.iter(f"{{{W}}}p")
    (bold,) = p.findall(f"{{{W}}}r")
    assert [etree.QName(c).localname for c in bold] == ["rPr", "t", "tab", "t", "br", "t"]
    assert [t.text for t in bold.iter(f"{{{W}}}t")] == ["Item", "Value", "Note"]


def test_a_struck_paragraph_mark_leaves_its_word_ids_behind_and_the_kept_one_keeps_them(tmp_path):
    # "Kept paragraph" survives joined to the next paragraph's mark: OLD's first mark is
    # struck out and must not carry its w14:paraId into the redline (Word would see the
    # id twice once NEW reuses it); the mark kept from NEW keeps its own.
    para_id = f"{{{W14}}}paraId"
    old = [w.p(run("Kept paragraph"), **{"w14:paraId": "5E6F7A8B"}),
           w.p(run("Struck paragraph"), **{"w14:paraId": "1A2B3C4D"})]
    new = [w.p(run("Kept paragraph"), **{"w14:paraId": "5E6F7A8B"})]
    root = _redline(tmp_path, old, new)
    assert [p.get(para_id) for p in root.iter(f"{{{W}}}p")] == [None, "5E6F7A8B"]


def _words(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{{{W}}}t", f"{{{W}}}delText"))


def test_a_word_struck_out_of_a_formatted_run_stays_in_the_redline_with_its_formatting(tmp_path):
    old = [w.p(run("Keep "), w.r(w.rPr(w.b()), w.t("struck")), run(" end"))]
    new = [w.p(run("Keep  end"))]
    root = _redline(tmp_path, old, new)
    (p,) = root.iter(f"{{{W}}}p")
    deleted = [r for r in p.iter(f"{{{W}}}r") if r.find(f"{{{W}}}delText") is not None]
    assert "struck" in "".join(t.text for r in deleted for t in r.iter(f"{{{W}}}delText"))
    assert any(r.find(f"{{{W}}}rPr/{{{W}}}b") is not None for r in deleted)


def test_a_struck_paragraph_keeps_a_style_the_new_document_has_and_drops_one_it_lacks(tmp_path):
    styles = w.styles(w.style(w.name(val="heading 1"), type="paragraph", styleId="Heading1"))
    old = [w.p(w.pPr(w.pStyle(val="Heading1")), run("Struck heading")),
           w.p(w.pPr(w.pStyle(val="OldNote")), run("Struck note")),
           w.p(w.pPr(w.pStyle(val="Heading1")), run("Kept heading"))]
    new = [w.p(w.pPr(w.pStyle(val="Heading1")), run("Kept heading"))]
    a = write_docx(tmp_path / "old.docx", old, parts={"word/styles.xml": styles})
    b = write_docx(tmp_path / "new.docx", new, parts={"word/styles.xml": styles})
    out = tmp_path / "out.docx"
    out.write_bytes(redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z").value)
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    styled = {_words(p): p.find(f"{{{W}}}pPr/{{{W}}}pStyle") for p in root.iter(f"{{{W}}}p")}
    assert {words: s.get(f"{{{W}}}val") if s is not None else None
            for words, s in styled.items()} == {
        "Kept heading": "Heading1", "Struck heading": "Heading1", "Struck note": None}


def test_a_struck_equation_needs_no_carrier_only_package_bound_objects_do():
    math = "http://schemas.openxmlformats.org/officeDocument/2006/math"
    equation = etree.Element(f"{{{math}}}oMath")
    etree.SubElement(etree.SubElement(equation, f"{{{math}}}r"), f"{{{math}}}t").text = "x=1"
    old = w.p(run("Area "), equation)
    builder = Builder(Stamper("Officer", "2026-03-02T10:00:00Z"))  # no carrier
    (p,) = builder.paragraphs(group_pieces([old], [], builder))
    assert builder.dropped_objects == 0
    assert [t.text for t in p.iter(f"{{{math}}}t")] == ["x=1"]
    assert _words(p) == "Area "
