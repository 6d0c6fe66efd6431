"""Copies a member's editor can write: Strict Open XML, a field cut by a deletion, moves
inside content controls. Each is a small synthetic document, resolved by us and, where
it matters, by LibreOffice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from briefing.clearance.report import format_report
from briefing.clearance.review import read_review, resolve_file
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import validate_ooxml
from tests.support.cxml import para, run, w, write_docx

ANN = {"author": "Ann"}
_TO_STRICT = [  # transitional -> Strict names, as Word's "Strict Open XML Document" writes them
    (b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
     b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
]


def _strict_copy(src: Path, dest: Path, *, utf16: bool = False) -> Path:
    """Write `src` again with Strict namespaces and relationship types, as Word saves Strict
    (`utf16`: every part in UTF-16 with a byte-order mark, as some editors save XML)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            for transitional, strict in _TO_STRICT:
                data = data.replace(transitional, strict)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:document ", b'<w:document w:conformance="strict" ', 1)
            if utf16:
                data = re.sub(rb"""encoding=(["'])UTF-8""", rb"encoding=\1UTF-16", data,
                              count=1).decode("utf-8").encode("utf-16")
            zout.writestr(info, data)
    return dest


def _deletions_doc(path: Path) -> Path:
    return write_docx(path, [
        para("Councils ", w.del_(run("must "), **ANN), "lead."),
        para("Keep ", w.del_(run("all of "), **ANN), "this.",
             w.ins(run(" Added."), author="Bob")),
    ])


def test_strict_copy_is_read_as_word_reads_it(tmp_path):
    strict = _strict_copy(_deletions_doc(tmp_path / "t.docx"), tmp_path / "strict.docx")
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("word/document.xml")
    review = read_review(strict)
    assert [(r.kind, r.author, r.text) for r in review.revisions] == [
        ("delete", "Ann", "must "), ("delete", "Ann", "all of "), ("insert", "Bob", " Added.")]
    report = format_report(review)
    assert "no tracked changes" not in report
    assert "Strict Open XML" in report


def test_a_strict_copy_saved_in_utf16_reads_as_the_utf8_one(tmp_path):
    doc = _deletions_doc(tmp_path / "t.docx")
    utf8 = _strict_copy(doc, tmp_path / "strict.docx")
    utf16 = _strict_copy(doc, tmp_path / "strict16.docx", utf16=True)
    assert zipfile.ZipFile(utf16).read("word/document.xml")[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert Package.open(utf16).strict
    assert read_review(utf16).revisions == read_review(utf8).revisions
    result = resolve_file(utf16, tmp_path / "out.docx", accept=True)
    assert paragraph_texts(Package.open(result.value).xml("word/document.xml")) == [
        "Councils lead.", "Keep this. Added."]


@pytest.mark.parametrize(("accept", "expected"), [
    (True, ["Councils lead.", "Keep this. Added."]),
    (False, ["Councils must lead.", "Keep all of this."]),
])
def test_accepting_or_rejecting_a_strict_copy_writes_transitional(tmp_path, accept, expected):
    strict = _strict_copy(_deletions_doc(tmp_path / "t.docx"), tmp_path / "strict.docx")
    before = strict.read_bytes()
    result = resolve_file(strict, tmp_path / "out.docx", accept=accept)
    assert strict.read_bytes() == before
    assert any("Strict Open XML" in m.text and "transitional" in m.text for m in result.messages)
    assert any("3 tracked changes" in m.text for m in result.messages)
    with zipfile.ZipFile(result.value) as zf:
        assert not any(b"purl.oclc.org" in zf.read(n) for n in zf.namelist())
        assert b"conformance" not in zf.read("word/document.xml")
    pkg = Package.open(result.value)
    assert not pkg.strict
    assert paragraph_texts(pkg.xml("word/document.xml")) == expected
    ok, out = validate_ooxml(result.value)
    assert ok, out


def test_a_transitional_copy_is_not_called_strict(tmp_path):
    pkg = Package.open(_deletions_doc(tmp_path / "t.docx"))
    assert not pkg.strict
    assert "Strict" not in format_report(read_review(tmp_path / "t.docx"))


def _cut_field() -> list:
    """A field whose begin and first instruction are deleted and whose switch is not."""
    return [w.p(run("See "),
                w.del_(w.r(w.fldChar(fldCharType="begin")),
                       w.r(w.delInstrText(" REF _Ref1 ")), **ANN),
                w.r(w.instrText(" \\* MERGEFORMAT ")), w.r(w.fldChar(fldCharType="separate")),
                run("Annex A"), w.r(w.fldChar(fldCharType="end")), run(" for detail."))]


def _instructions(root) -> list[str]:
    return [el.text or "" for el in root.iter(f"{{{w.t().nsmap['w']}}}instrText")]


def test_accepting_a_deleted_field_begin_removes_the_rest_of_its_code():
    body = w.body(*_cut_field())
    resolve_part(body, accept=True)
    assert _instructions(body) == []
    assert not any(el.get(f"{{{body.nsmap['w']}}}fldCharType") for el in body.iter(
        f"{{{body.nsmap['w']}}}fldChar"))
    assert paragraph_texts(body) == ["See Annex A for detail."]


def test_rejecting_keeps_the_whole_field():
    body = w.body(*_cut_field())
    resolve_part(body, accept=False)
    assert [s.strip() for s in _instructions(body)] == ["REF _Ref1", "\\* MERGEFORMAT"]
    assert len(list(body.iter(f"{{{body.nsmap['w']}}}fldChar"))) == 3


def test_field_code_that_was_already_broken_is_left_alone():
    body = w.body(w.p(w.r(w.instrText(" PAGE ")), w.ins(run("new"), **ANN)))
    resolve_part(body, accept=True)
    assert _instructions(body) == [" PAGE "]


def _sdt(*blocks):
    return w.sdt(w.sdtPr(), w.sdtContent(*blocks))


def _moved_between_controls() -> list:
    """A paragraph moved from one block content control to another."""
    return [
        _sdt(w.p(w.pPr(w.rPr(w.moveFrom(**ANN))), w.moveFromRangeStart(name="m1", **ANN),
                 w.moveFrom(run("Moved sentence."), **ANN), w.moveFromRangeEnd(id="1"))),
        para("Middle."),
        _sdt(w.p(w.pPr(w.rPr(w.moveTo(**ANN))), w.moveToRangeStart(name="m1", **ANN),
                 w.moveTo(run("Moved sentence."), **ANN), w.moveToRangeEnd(id="2"))),
        para("Last."),
    ]


@pytest.mark.parametrize(("accept", "expected"), [
    (True, ["Middle.", "Moved sentence.", "Last."]),
    (False, ["Moved sentence.", "Middle.", "Last."]),
])
def test_a_move_between_content_controls_leaves_no_empty_paragraph(accept, expected):
    body = w.body(*_moved_between_controls())
    resolve_part(body, accept=accept)
    assert paragraph_texts(body) == expected


def test_a_merge_steps_into_the_content_control_that_follows():
    body = w.body(para(w.pPr(w.rPr(w.del_(**ANN))), "Joined "), _sdt(para("inside.")))
    resolve_part(body, accept=True)
    assert paragraph_texts(body) == ["Joined inside."]
    assert len(list(body.iter(f"{{{body.nsmap['w']}}}sdt"))) == 1


@pytest.mark.parametrize("accept", [True, False])
def test_a_merge_out_of_a_content_control_keeps_the_control_while_it_holds_a_paragraph(
        accept):
    # the control's last paragraph joins the one after it (its mark deleted, accepted; or
    # inserted, rejected): the control goes only once nothing is left in it
    kind = w.del_ if accept else w.ins
    body = w.body(_sdt(para("Stays in the control."),
                       para(w.pPr(w.rPr(kind(**ANN))), "Joined ")), para("after."))
    resolve_part(body, accept=accept)
    assert paragraph_texts(body) == ["Stays in the control.", "Joined after."]
    (control,) = body.iter(f"{{{body.nsmap['w']}}}sdt")
    assert paragraph_texts(control) == ["Stays in the control."]


@pytest.mark.libreoffice
@pytest.mark.parametrize("accept", [True, False])
def test_libreoffice_agrees(lo, tmp_path, accept):
    """Field: LibreOffice's text of our result equals its own accept/reject. Moves in
    content controls: LibreOffice keeps a sentence in every paragraph we keep (it also
    keeps the moved-away copy of the sentence, which ECMA-376 17.13.5.22 removes)."""
    lo_all = lo.accept_all_paragraphs if accept else lo.reject_all_paragraphs
    field = write_docx(tmp_path / "field.docx", _cut_field())
    ours = resolve_file(field, tmp_path / "field-out.docx", accept=accept).value
    assert lo.paragraphs(ours) == lo_all(field) == ["See Annex A for detail."]

    moved = write_docx(tmp_path / "moved.docx", _moved_between_controls())
    ours = resolve_file(moved, tmp_path / "moved-out.docx", accept=accept).value
    theirs = [t.replace("\r", " ").strip() for t in lo_all(moved)]
    mine = [t.replace("\r", " ").strip() for t in lo.paragraphs(ours)]
    assert len(mine) == len(theirs) == 3
    assert all(t and t.endswith(m) for m, t in zip(mine, theirs)), (mine, theirs)
    ok, out = validate_ooxml(ours)
    assert ok, out


@pytest.mark.libreoffice
@pytest.mark.parametrize("accept", [True, False])
def test_libreoffice_resolves_a_strict_copy_as_we_do(lo, tmp_path, accept):
    """LibreOffice reads Strict too: its accept/reject of the Strict copy equals its text of
    our transitional result, which holds no change."""
    strict = _strict_copy(_deletions_doc(tmp_path / "t.docx"), tmp_path / "strict.docx")
    assert lo.redline_count(strict) == 3
    ours = resolve_file(strict, tmp_path / "out.docx", accept=accept).value
    theirs = (lo.accept_all_paragraphs if accept else lo.reject_all_paragraphs)(strict)
    assert lo.paragraphs(ours) == theirs
    assert lo.redline_count(ours) == 0


def _notes(*extra):
    return w.footnotes(w.footnote(w.p(w.r(w.separator())), type="separator", id="-1"),
                       w.footnote(w.p(w.r(w.continuationSeparator())),
                                  type="continuationSeparator", id="0"), *extra)


def _footnoted(path: Path, *, new: bool, new_has_notes: bool = True) -> Path:
    """OLD: a sentence with a footnote; NEW: the same sentence, its footnote deleted."""
    ref = w.r(w.rPr(w.vertAlign(val="superscript")), w.footnoteReference(id="1"))
    body = [para("Councils lead.", *([] if new else [ref])), para("Next.")]
    notes = _notes() if new else _notes(w.footnote(w.p(run("Source: LGA survey.")), id="1"))
    return write_docx(path, body, parts={"word/footnotes.xml": notes}
                      if (not new or new_has_notes) else {})


def _note_texts(pkg: Package) -> list[str]:
    """Return the text of every note the body refers to, in order."""
    body = pkg.xml("word/document.xml")
    wns = body.nsmap["w"]
    refs = [el.get(f"{{{wns}}}id") for el in body.iter(f"{{{wns}}}footnoteReference")]
    part = pkg.related_part("footnotes")
    notes = {} if part is None else {
        n.get(f"{{{wns}}}id"): "".join(n.itertext()) for n in pkg.xml(part).iter(
            f"{{{wns}}}footnote")}
    return [notes.get(r, "(missing)") for r in refs]


@pytest.mark.parametrize("new_has_notes", [True, False])
def test_a_footnote_new_deleted_comes_back_on_reject(tmp_path, new_has_notes):
    from briefing.clearance.redline import redline_files

    old = _footnoted(tmp_path / "old.docx", new=False)
    new = _footnoted(tmp_path / "new.docx", new=True, new_has_notes=new_has_notes)
    result = redline_files(old, new, tmp_path / "red.docx", author="Officer",
                           date="2026-03-02T10:00:00Z")
    assert not any("without their content" in m.text for m in result.messages)
    red = result.value
    ok, out = validate_ooxml(red)
    assert ok, out
    kinds = [(r.kind, r.author) for r in read_review(red).revisions]
    assert ("delete", "Officer") in kinds
    rejected = Package.open(resolve_file(red, tmp_path / "rej.docx", accept=False).value)
    assert _note_texts(rejected) == ["Source: LGA survey."]
    accepted = Package.open(resolve_file(red, tmp_path / "acc.docx", accept=True).value)
    assert _note_texts(accepted) == []


def _note_parts(pkg: Package) -> list[tuple[str | None, str | None, str]]:
    """Return (type, id, text) of each note in the package's footnotes part."""
    wns = pkg.xml("word/document.xml").nsmap["w"]
    part = pkg.related_part("footnotes")
    return [(n.get(f"{{{wns}}}type"), n.get(f"{{{wns}}}id"), "".join(n.itertext()))
            for n in pkg.xml(part).iter(f"{{{wns}}}footnote")]


@pytest.mark.parametrize("new_has_notes", [True, False])
def test_a_carried_footnote_takes_an_unused_id_and_brings_nothing_else_of_old(tmp_path,
                                                                              new_has_notes):
    # OLD's second note links to a web page (a relationship of OLD's notes part): it cannot
    # be carried, so its reference is left out with a warning and its text stays behind
    from briefing.clearance.redline import redline_files

    def ref(n: str):
        return w.r(w.rPr(w.vertAlign(val="superscript")), w.footnoteReference(id=n))

    linked = w.footnote(w.p(w.hyperlink(run("Survey online."), **{"r:id": "rId9"})), id="2")
    old = write_docx(tmp_path / "old.docx", [para("Councils lead.", ref("1")),
                                             para("Next.", ref("2"))],
                     parts={"word/footnotes.xml": _notes(w.footnote(
                         w.p(run("Source: LGA survey.")), id="1"), linked)})
    new = write_docx(tmp_path / "new.docx", [para("Councils lead."), para("Next.")],
                     parts={"word/footnotes.xml": _notes()} if new_has_notes else {})
    result = redline_files(old, new, tmp_path / "red.docx", author="Officer",
                           date="2026-03-02T10:00:00Z")
    assert any(m.text.startswith("1 deleted picture(s), object(s) or note reference(s)")
               for m in result.messages)
    notes = _note_parts(Package.open(result.value))
    assert [(kind, text) for kind, _, text in notes] == [
        ("separator", ""), ("continuationSeparator", ""), (None, "Source: LGA survey.")]
    assert len({n for _, n, _ in notes}) == len(notes)  # each note under its own id
    ok, out = validate_ooxml(result.value)
    assert ok, out
    rejected = Package.open(resolve_file(result.value, tmp_path / "rej.docx", accept=False).value)
    assert _note_texts(rejected) == ["Source: LGA survey."]


@pytest.mark.libreoffice
def test_libreoffice_rejects_the_deleted_footnote_back(lo, tmp_path):
    from briefing.clearance.redline import redline_files

    old = _footnoted(tmp_path / "old.docx", new=False)
    new = _footnoted(tmp_path / "new.docx", new=True)
    red = redline_files(old, new, tmp_path / "red.docx", author="Officer").value
    theirs = Package.open(lo.reject_all_save(red, tmp_path / "lo-rej.docx"))
    assert _note_texts(theirs) == ["Source: LGA survey."]
    theirs = Package.open(lo.accept_all_save(red, tmp_path / "lo-acc.docx"))
    assert _note_texts(theirs) == []


def test_a_deleted_footnote_reference_without_a_notes_part_in_old_is_left_out_with_a_warning(
        tmp_path):
    # OLD refers to a footnote but has no footnotes part (a damaged copy): the redline is
    # still written, valid, and says the reference was left out
    from briefing.clearance.redline import redline_files

    ref = w.r(w.rPr(w.vertAlign(val="superscript")), w.footnoteReference(id="1"))
    old = write_docx(tmp_path / "old.docx", [para("Councils lead.", ref), para("Next.")])
    new = _footnoted(tmp_path / "new.docx", new=True)
    result = redline_files(old, new, tmp_path / "red.docx", author="Officer",
                           date="2026-03-02T10:00:00Z")
    assert any(m.text.startswith("1 deleted picture(s), object(s) or note reference(s)")
               for m in result.messages)
    ok, out = validate_ooxml(result.value)
    assert ok, out
