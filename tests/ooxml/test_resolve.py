"""The accept/reject engine, rule by rule (ECMA-376 Part 1, 17.13.5), on small before/after XML."""

from __future__ import annotations

import pytest

from briefing.ooxml.ns import W
from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import has_revision_markup
from briefing.ooxml.read.revisions import read_part
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.track.resolve import resolvable_parts, resolve_part
from tests.support.cxml import body_of, para, run, w, write_docx, xml


def resolved(doc, *, accept: bool, selected=None) -> list[str]:
    """Return the paragraph texts of `doc` after resolving it (and check no markup is left)."""
    assert has_revision_markup(doc), xml(doc)
    resolve_part(doc, accept=accept, selected=selected)
    if selected is None:
        assert not has_revision_markup(doc), xml(doc)
    return paragraph_texts(doc)


def deleted(text: str, author: str = "Ann") -> object:
    return w.del_(w.r(w.delText(text)), author=author)


def inserted(text: str, author: str = "Ann") -> object:
    return w.ins(run(text), author=author)


def mark(kind: str, author: str = "Ann") -> object:
    """Return the pPr of a paragraph whose mark is inserted/deleted/moved."""
    return w.pPr(w.rPr(getattr(w, kind)(author=author)))


@pytest.mark.parametrize(("accept", "expected"), [(True, ["keep new"]), (False, ["keep old"])])
def test_run_insert_and_delete(accept, expected):
    doc = body_of(para("keep ", deleted("old"), inserted("new")))
    assert resolved(doc, accept=accept) == expected


def test_reject_turns_deleted_text_and_field_codes_back_into_text():
    doc = body_of(para(w.del_(w.r(w.delText("gone ")), w.r(w.delInstrText(" PAGE ")),
                              author="Ann")))
    resolve_part(doc, accept=False)
    out = xml(doc)
    assert "delText" not in out and "delInstrText" not in out
    assert "<w:t xml:space=\"preserve\">gone </w:t>" in out
    assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in out


@pytest.mark.parametrize(("accept", "expected"), [(True, ["abd"]), (False, ["a"])])
def test_a_deletion_inside_someone_elses_insertion_resolves_innermost_first(accept, expected):
    doc = body_of(para("a", w.ins(run("b"), deleted("c", "Bob"), run("d"), author="Ann")))
    assert resolved(doc, accept=accept) == expected


def test_selected_inner_revision_only_leaves_the_outer_one_in_place():
    doc = body_of(para("a", w.ins(run("b"), deleted("c", "Bob"), author="Ann")))
    records, _ = read_part(doc, "word/document.xml")
    bob = {r.element for r in records if r.author == "Bob"}
    resolve_part(doc, accept=False, selected=bob)  # reject Bob's deletion: "c" is back
    assert paragraph_texts(doc) == ["abc"]
    assert [r.author for r in read_part(doc, "word/document.xml")[0]] == ["Ann"]


def test_accepting_a_deleted_paragraph_mark_merges_with_the_next_paragraph():
    doc = body_of(w.p(mark("del_"), run("first ")), w.p(w.pPr(w.jc(val="center")), run("second")))
    assert resolved(doc, accept=True) == ["first second"]
    assert 'w:jc w:val="center"' in xml(doc)  # the surviving mark is the next paragraph's


def test_rejecting_a_deleted_paragraph_mark_keeps_both_paragraphs():
    doc = body_of(w.p(mark("del_"), run("first")), para("second"))
    assert resolved(doc, accept=False) == ["first", "second"]


def test_rejecting_inserted_paragraph_marks_merges_a_chain_of_paragraphs():
    doc = body_of(w.p(mark("ins"), run("one ")), w.p(mark("ins"), inserted("two ")),
                  para("three"))
    assert resolved(doc, accept=False) == ["one three"]
    doc = body_of(w.p(mark("ins"), run("one ")), w.p(mark("ins"), inserted("two ")),
                  para("three"))
    assert resolved(doc, accept=True) == ["one ", "two ", "three"]


def test_a_wholly_deleted_paragraph_disappears_on_accept():
    doc = body_of(para("before"), w.p(mark("del_"), deleted("gone")), para("after"))
    assert resolved(doc, accept=True) == ["before", "after"]


def test_markup_between_paragraphs_moves_into_the_merged_paragraph():
    doc = body_of(w.p(mark("del_"), w.bookmarkStart(id="1", name="x"), run("a")),
                  w.bookmarkEnd(id="1"), para("b"))
    assert resolved(doc, accept=True) == ["ab"]
    merged = doc.find(f"{{{w.p().nsmap['w']}}}body")[0]
    assert [c.tag.split("}")[1] for c in merged] == ["bookmarkStart", "r", "bookmarkEnd", "r"]


def test_a_deleted_mark_before_a_table_cannot_merge_and_is_dropped():
    table = w.tbl(w.tblPr(), w.tblGrid(w.gridCol(w="100")), w.tr(w.tc(para("cell"))))
    doc = body_of(w.p(mark("del_"), run("kept")), table)
    assert resolved(doc, accept=True) == ["kept", "cell"]


@pytest.mark.parametrize(("accept", "expected"), [
    (True, ["stays", "moved"]), (False, ["moved", "stays"])])
def test_moves_accept_the_to_side_and_reject_the_from_side(accept, expected):
    doc = body_of(
        w.p(w.moveFromRangeStart(id="5", name="move1", author="Ann"),
            w.moveFrom(run("moved"), author="Ann"), w.moveFromRangeEnd(id="5")),
        para("stays"),
        w.p(w.moveToRangeStart(id="6", name="move1", author="Ann"),
            w.moveTo(run("moved"), author="Ann"), w.moveToRangeEnd(id="6")),
    )
    texts = [t for t in resolved(doc, accept=accept) if t]
    assert texts == expected
    assert "RangeEnd" not in xml(doc) and "RangeStart" not in xml(doc)


def _table(*rows):
    return w.tbl(w.tblPr(w.tblW(w="0", type="auto")), w.tblGrid(w.gridCol(w="100")), *rows)


def _row(text, change=None, author="Ann"):
    trpr = w.trPr(getattr(w, change)(author=author)) if change else None
    return w.tr(trpr, w.tc(w.tcPr(w.tcW(w="100", type="dxa")), para(text)))


@pytest.mark.parametrize(("accept", "expected"), [
    (True, ["kept", "added"]), (False, ["kept", "removed"])])
def test_rows_inserted_and_deleted(accept, expected):
    doc = body_of(_table(_row("kept"), _row("removed", "del_"), _row("added", "ins")))
    assert resolved(doc, accept=accept) == expected


def test_a_table_whose_rows_are_all_deleted_goes_away():
    doc = body_of(para("before"), _table(_row("a", "del_"), _row("b", "del_")), para("after"))
    assert resolved(doc, accept=True) == ["before", "after"]
    assert "w:tbl" not in xml(doc)


@pytest.mark.parametrize(("beside", "cell_text"), [([], ""), (["note"], "note")],
                         ids=["alone", "beside a paragraph"])
def test_a_nested_table_whose_rows_are_all_deleted_leaves_its_cell_a_paragraph(
        beside, cell_text):
    # a cell must end with a paragraph (17.4.66): the cell that held only the nested
    # table gets an empty one; a cell with a paragraph of its own gets none
    inner = _table(_row("a", "del_"), _row("b", "del_"))
    cell = w.tc(w.tcPr(w.tcW(w="100", type="dxa")), *map(para, beside), inner)
    doc = body_of(para("before"), _table(w.tr(cell)), para("after"))
    assert resolved(doc, accept=True) == ["before", cell_text, "after"]
    (outer,) = doc.iter(f"{{{W}}}tbl")
    (kept_cell,) = outer.iter(f"{{{W}}}tc")
    assert [c.tag.split("}")[1] for c in kept_cell] == ["tcPr", "p"]


def test_rejecting_a_row_or_cell_format_change_keeps_its_insertion_in_schema_order():
    # Ann inserted the row and the cell; Bob changed their formatting. Rejecting Bob's
    # changes alone restores the old formatting and leaves Ann's insertions tracked,
    # after the properties as CT_TrPr and CT_TcPr order them.
    row = w.tr(w.trPr(w.cantSplit(), w.ins(author="Ann"),
                      w.trPrChange(w.trPr(w.trHeight(val="400")), author="Bob")),
               w.tc(w.tcPr(w.tcW(w="500", type="dxa"), w.cellIns(author="Ann"),
                           w.tcPrChange(w.tcPr(w.tcW(w="400", type="dxa")), author="Bob")),
                    para("c")))
    doc = body_of(_table(row))
    records, _ = read_part(doc, "word/document.xml")
    resolve_part(doc, accept=False, selected={r.element for r in records if r.author == "Bob"})
    trpr, tcpr = next(doc.iter(f"{{{W}}}trPr")), next(doc.iter(f"{{{W}}}tcPr"))
    assert [c.tag.split("}")[1] for c in trpr] == ["trHeight", "ins"]
    assert [(c.tag.split("}")[1], c.get(f"{{{W}}}w")) for c in tcpr] == [
        ("tcW", "400"), ("cellIns", None)]
    assert [r.author for r in read_part(doc, "word/document.xml")[0]] == ["Ann", "Ann"]


def test_cells_inserted_and_deleted():
    def doc():
        return body_of(_table(w.tr(
            w.tc(w.tcPr(w.tcW(w="50", type="dxa")), para("plain")),
            w.tc(w.tcPr(w.tcW(w="50", type="dxa"), w.cellDel(author="Ann")), para("cut")),
            w.tc(w.tcPr(w.tcW(w="50", type="dxa"), w.cellIns(author="Ann")), para("new")))))
    assert resolved(doc(), accept=True) == ["plain", "new"]
    assert resolved(doc(), accept=False) == ["plain", "cut"]


def test_rejecting_a_run_format_change_restores_the_old_properties():
    r = w.r(w.rPr(w.b(), w.rPrChange(w.rPr(w.i()), author="Ann")), w.t("x"))
    doc = body_of(w.p(r))
    resolve_part(doc, accept=False)
    assert "<w:i/>" in xml(doc) and "<w:b/>" not in xml(doc) and "rPrChange" not in xml(doc)


def test_accepting_a_run_format_change_keeps_the_new_properties():
    r = w.r(w.rPr(w.b(), w.rPrChange(w.rPr(w.i()), author="Ann")), w.t("x"))
    doc = body_of(w.p(r))
    resolve_part(doc, accept=True)
    assert "<w:b/>" in xml(doc) and "<w:i/>" not in xml(doc)


def test_rejecting_a_paragraph_format_change_keeps_the_mark_and_section():
    ppr = w.pPr(w.jc(val="center"), w.rPr(w.ins(author="Ann")), w.sectPr(w.pgSz(w="100")),
                w.pPrChange(w.pPr(w.ind(left="720")), author="Bob"))
    doc = body_of(w.p(ppr, run("x")), para("y"))
    records, _ = read_part(doc, "word/document.xml")
    bob = {r.element for r in records if r.author == "Bob"}
    resolve_part(doc, accept=False, selected=bob)
    kids = [c.tag.split("}")[1] for c in doc[0][0][0]]
    assert kids == ["ind", "rPr", "sectPr"]
    assert "w:ins" in xml(doc)  # Ann's inserted mark is not Bob's to reject


def test_rejecting_a_section_change_keeps_header_references():
    sect = w.sectPr(w.headerReference(type="default", **{"r:id": "rId9"}), w.pgSz(w="200"),
                    w.sectPrChange(w.sectPr(w.pgSz(w="100")), author="Ann"))
    doc = w.document(w.body(para("x"), sect))
    resolve_part(doc, accept=False)
    kids = [(c.tag.split("}")[1], c.get(f"{{{c.nsmap['w']}}}w")) for c in doc[0][1]]
    assert kids == [("headerReference", None), ("pgSz", "100")]


def test_table_property_and_grid_changes():
    tbl = w.tbl(w.tblPr(w.tblW(w="500", type="dxa"),
                        w.tblPrChange(w.tblPr(w.tblW(w="0", type="auto")), author="Ann")),
                w.tblGrid(w.gridCol(w="500"),
                          w.tblGridChange(w.tblGrid(w.gridCol(w="400")), author="Ann")),
                w.tr(w.trPr(w.cantSplit(), w.trPrChange(w.trPr(), author="Ann")),
                     w.tc(w.tcPr(w.tcW(w="500", type="dxa"),
                                 w.tcPrChange(w.tcPr(w.tcW(w="400", type="dxa")),
                                              author="Ann")), para("c"))))
    doc = body_of(tbl)
    resolve_part(doc, accept=False)
    out = xml(doc)
    assert not has_revision_markup(doc)
    assert 'w:tblW w:w="0"' in out and 'w:gridCol w:w="400"' in out
    assert "cantSplit" not in out and 'w:tcW w:w="400"' in out


def test_numbering_changes_are_dropped_either_way():
    for accept in (True, False):
        fld = w.r(w.fldChar(w.numberingChange(author="Ann", original="1)"), fldCharType="end"))
        doc = body_of(w.p(fld, run(" item")))
        resolve_part(doc, accept=accept)
        assert not has_revision_markup(doc)


def test_inserted_numbering_is_removed_on_reject():
    def doc():
        numpr = w.numPr(w.ilvl(val="0"), w.numId(val="1"), w.ins(author="Ann"))
        return body_of(w.p(w.pPr(numpr), run("x")))
    accepted, rejected = doc(), doc()
    resolve_part(accepted, accept=True)
    resolve_part(rejected, accept=False)
    assert "w:numPr" in xml(accepted) and "w:ins" not in xml(accepted)
    assert "w:numPr" not in xml(rejected)


@pytest.mark.parametrize("wrapper", [
    lambda c: w.hyperlink(c, **{"r:id": "rId5"}),
    lambda c: w.smartTag(c, element="place"),
    lambda c: w.customXml(c, element="x"),
    lambda c: w.sdt(w.sdtPr(), w.sdtContent(c)),
    lambda c: w.fldSimple(c, instr=" REF x "),
])
def test_revisions_inside_hyperlinks_smart_tags_custom_xml_content_controls_fields(wrapper):
    doc = body_of(para("a", wrapper(inserted("b")), wrapper(deleted("c"))))
    records, _ = read_part(doc, "word/document.xml")
    assert [(r.kind, r.text) for r in records] == [("insert", "b"), ("delete", "c")]
    assert resolved(doc, accept=True) == ["ab"]


def test_repeated_ids_do_not_confuse_selection():
    first = w.ins(run("x"), author="Ann", id="0")
    second = w.ins(run("y"), author="Bob", id="0")
    doc = body_of(para(first, second))
    records, _ = read_part(doc, "word/document.xml")
    resolve_part(doc, accept=False, selected={r.element for r in records if r.author == "Bob"})
    assert paragraph_texts(doc) == ["x"]
    assert [r.author for r in read_part(doc, "word/document.xml")[0]] == ["Ann"]


def test_resolving_twice_changes_nothing_more():
    doc = body_of(w.p(mark("del_"), deleted("a")), para("b", inserted("c")))
    assert resolve_part(doc, accept=True) == 3
    assert resolve_part(doc, accept=True) == 0
    assert paragraph_texts(doc) == ["bc"]


@pytest.mark.parametrize("accept", [True, False])
def test_bookmarks_and_comment_ranges_inside_removed_content_survive(accept):
    removed = w.del_ if accept else w.ins
    doc = body_of(para(removed(w.bookmarkStart(id="1", name="_Brf0123456789abcdef0123"),
                               w.commentRangeStart(id="7"), run("gone"), author="Ann"),
                       "kept", w.bookmarkEnd(id="1"), w.commentRangeEnd(id="7")))
    assert resolved(doc, accept=accept) == ["kept"]
    kids = [c.tag.split("}")[1] for c in doc[0][0]]
    assert kids == ["bookmarkStart", "commentRangeStart", "r", "bookmarkEnd", "commentRangeEnd"]


def test_a_cut_off_field_keeps_its_result_when_a_run_holds_both_code_and_text():
    # Word writes each field character in a run of its own; other producers put the
    # separator with the result, or the end with the text after it, in one run.
    doc = body_of(w.p(run("See "),
                      w.del_(w.r(w.fldChar(fldCharType="begin")),
                             w.r(w.delInstrText(" REF _Ref1 ")), author="Ann"),
                      w.r(w.instrText(" \\* MERGEFORMAT ")),
                      w.r(w.fldChar(fldCharType="separate"), w.t("Annex A")),
                      w.r(w.fldChar(fldCharType="end"), w.t(" for detail."))))
    assert resolved(doc, accept=True) == ["See Annex A for detail."]
    assert "fldChar" not in xml(doc) and "instrText" not in xml(doc)


def test_accepting_the_deleted_mark_of_a_content_controls_only_paragraph_removes_the_empty_control():
    doc = body_of(w.sdt(w.sdtPr(), w.sdtContent(w.p(mark("del"), run("Draft ")))),
                  para("text."))
    assert resolved(doc, accept=True) == ["Draft text."]
    assert "sdt" not in xml(doc)


def test_resolving_some_changes_keeps_a_move_left_alone_and_drops_range_ends_with_no_start():
    keep = w.moveFrom(run("moved"), author="Ann")
    doc = body_of(para(w.moveFromRangeStart(id="1", name="m1", author="Ann"), keep,
                       w.moveFromRangeEnd(id="1")),
                  para(inserted("new"), w.moveToRangeEnd(id="9")))
    todo = [el for el in doc.iter(f"{{{W}}}ins")]
    assert resolve_part(doc, accept=True, selected=todo) == 1
    out = xml(doc)
    assert "moveFromRangeStart" in out and "moveFromRangeEnd" in out and "moveFrom " in out
    assert "moveToRangeEnd" not in out


def test_a_count_of_resolved_changes_leaves_out_those_removed_with_their_table():
    # rejecting the only row's insertion removes the table, and its format change with it
    doc = body_of(w.tbl(w.tblPr(w.tblW(w="0", type="auto"),
                                w.tblPrChange(w.tblPr(), id="2", author="Ann")),
                        w.tblGrid(w.gridCol(w="100")),
                        w.tr(w.trPr(w.ins(id="1", author="Ann")), w.tc(para("row")))),
                  para("after"))
    assert resolve_part(doc, accept=False) == 1
    assert paragraph_texts(doc) == ["after"]


def test_a_field_cut_off_by_accepting_goes_whole_even_after_code_that_was_already_damaged():
    # an instruction outside any field, as a damaged file has it, is not ours to change
    doc = body_of(para(w.r(w.instrText(" stray ")), "Earlier."),
                  w.p(run("See "),
                      w.del_(w.r(w.fldChar(fldCharType="begin")),
                             w.r(w.delInstrText(" REF _Ref1 ")), author="Ann"),
                      w.r(w.rPr(w.b()), w.instrText(" \\* MERGEFORMAT ")),
                      w.r(w.fldChar(fldCharType="separate")), w.r(w.t("Annex A")),
                      w.r(w.fldChar(fldCharType="end"))))
    resolve_part(doc, accept=True)
    out = xml(doc)
    assert out.count("instrText") == 2 and " stray " in out and "MERGEFORMAT" not in out
    assert all(len([c for c in r if c.tag != f"{{{W}}}rPr"]) for r in doc.iter(f"{{{W}}}r")), out


def test_accept_and_reject_reach_every_word_part_but_not_settings_or_fonts(tmp_path):
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    path = write_docx(tmp_path / "a.docx", [para("x")],
                      parts={"word/header1.xml": w.hdr(para("h"))},
                      extra={"word/glossary/document.xml": xml(body_of(para("g"))).encode(),
                             "word/settings.xml": xml(w.settings()).encode(),
                             "word/fontTable.xml": xml(w.fonts()).encode()})
    pkg = Package.open(path)
    pkg.set_override("word/glossary/document.xml", ct + "document.glossary+xml")
    pkg.set_override("word/settings.xml", ct + "settings+xml")
    pkg.set_override("word/fontTable.xml", ct + "fontTable+xml")
    assert resolvable_parts(pkg) == ["word/document.xml", "word/header1.xml",
                                     "word/glossary/document.xml"]


def test_a_deletion_marker_in_a_runs_own_properties_joins_no_paragraphs():
    # only a paragraph mark (w:pPr/w:rPr) can be deleted; a marker a producer left in a
    # run's properties is dropped and the paragraphs stay apart
    doc = body_of(w.p(w.r(w.rPr(w.del_(id="1", author="Ann")), w.t("First."))), para("Second."))
    assert resolved(doc, accept=True) == ["First.", "Second."]
