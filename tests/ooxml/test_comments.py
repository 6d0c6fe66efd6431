"""Comments as Word stores them: threads, reference runs, the people who reviewed.

Replies and resolved state are read from commentsExtended.xml whatever else it lists.

`w15:commentEx` entries (MS-DOCX 2.5.x) name a comment by the `w14:paraId` of
its last paragraph. An entry naming no comment of the document (left behind
when a tool removed a comment but not its thread entry) is skipped; the
entries after it still count.
"""

from __future__ import annotations

from lxml import etree
from typer.testing import CliRunner

from briefing.clearance.review import read_review
from briefing.cli import app
from briefing.ooxml.package import Package
from briefing.ooxml.read.comments import people
from tests.conftest import validate_ooxml
from tests.support.cxml import W14, W15, W, para, w, write_docx


def _comment(cid: str, text: str, para_id: str):
    p = para(text)
    p.set(f"{{{W14}}}paraId", para_id)
    return w.comment(p, id=cid, author="Cllr A", date="2026-03-02T10:00:00Z")


def _extended(*entries: dict[str, str]) -> bytes:
    body = "".join("<w15:commentEx " + " ".join(f'w15:{k}="{v}"' for k, v in e.items()) + "/>"
                   for e in entries)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w15:commentsEx xmlns:w15="{W15}">{body}</w15:commentsEx>').encode()


def test_a_stale_thread_entry_does_not_hide_the_state_of_the_comments_after_it(tmp_path):
    anchored = w.p(w.commentRangeStart(id="1"), w.r(w.t("Councils know.")),
                   w.commentRangeEnd(id="1"), w.r(w.commentReference(id="1")),
                   w.r(w.commentReference(id="2")))
    comments = w.comments(_comment("1", "Which councils?", "0000001A"),
                          _comment("2", "Leeds and Bradford.", "0000002B"))
    extended = _extended({"paraId": "000000FF", "done": "0"},  # its comment is gone
                         {"paraId": "0000001A", "done": "1"},
                         {"paraId": "0000002B", "paraIdParent": "0000001A", "done": "1"})
    path = write_docx(tmp_path / "reviewed.docx", [anchored], parts={
        "word/comments.xml": comments, "word/commentsExtended.xml": extended})
    found = [(c.text, c.parent, c.resolved) for c in read_review(path).comments]
    assert found == [("Which councils?", None, True), ("Leeds and Bradford.", 0, True)]


def test_dropping_comments_leaves_no_reference_run_behind(tmp_path):
    # Word puts each comment's reference mark in a run of its own, styled CommentReference;
    # with the mark gone the run is an empty trace of the comment, and goes too.
    styled = w.rPr(w.rStyle(val="CommentReference"))
    body = w.p(w.commentRangeStart(id="1"), w.r(w.t("Councils know.")),
               w.commentRangeEnd(id="1"), w.r(styled, w.commentReference(id="1")))
    path = write_docx(tmp_path / "reviewed.docx", [body], parts={
        "word/comments.xml": w.comments(_comment("1", "Which councils?", "0000001A"))})
    out = tmp_path / "clean.docx"
    result = CliRunner().invoke(app, ["accept", str(path), "--drop-comments", "-o", str(out)])
    assert result.exit_code == 0, result.output
    p = Package.open(out).xml("word/document.xml").find(f"{{{W}}}body/{{{W}}}p")
    assert [etree.QName(r).localname for r in p] == ["r"]
    assert b"CommentReference" not in etree.tostring(p)
    valid, report = validate_ooxml(out)
    assert valid, report


def test_comments_are_dropped_from_a_document_whose_main_part_has_another_name(tmp_path):
    # Word for the web saves the body as word/document2.xml; its comments go all the same.
    body = w.p(w.commentRangeStart(id="1"), w.r(w.t("Councils know.")),
               w.commentRangeEnd(id="1"), w.r(w.commentReference(id="1")))
    path = write_docx(tmp_path / "reviewed.docx", [body], main="document2.xml", parts={
        "word/comments.xml": w.comments(_comment("1", "Which councils?", "0000001A"))})
    out = tmp_path / "clean.docx"
    result = CliRunner().invoke(app, ["accept", str(path), "--drop-comments", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: accepted 0 tracked changes\ninfo: removed 1 comment\n"
    pkg = Package.open(out)
    assert "word/comments.xml" not in pkg.parts
    assert read_review(out).comments == []
    valid, report = validate_ooxml(out)
    assert valid, report


def _with_people(tmp_path, *authors: str) -> Package:
    listed = "".join(f'<w15:person w15:author="{a}"/>' for a in authors)
    pkg = Package.open(write_docx(tmp_path / "accepted.docx", [para("Councils know.")]))
    pkg.add_part(pkg.main_part, "word/people.xml",
                 f'<w15:people xmlns:w15="{W15}">{listed}</w15:people>'.encode(),
                 "http://schemas.microsoft.com/office/2011/relationships/people",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml")
    return pkg


def test_people_names_each_author_once_and_no_blank_one(tmp_path):
    # Word lists a person once per account (an author can appear twice, signed in and
    # not); changes accepted in Word, this list is who reviewed the document.
    pkg = _with_people(tmp_path, "Cllr A", " ", "Cllr B", "Cllr A", "")
    assert people(pkg) == ["Cllr A", "Cllr B"]
