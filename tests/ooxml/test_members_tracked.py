"""Members' copies with their own tracked changes, as Word writes them, through combine.

A member who tracks changes keeps them: each comes through with the
member's name and date, counted as tracked; a paragraph the member added
after one that another member also changed stays beside the merged one.
These copies are written here as Word writes them, so no LibreOffice run is
needed to make them.
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
from briefing.ooxml.ns import CP, W, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import ROOT, validate_ooxml

runner = CliRunner()
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
OBJECTIVE = ("Agree with the Secretary of State that councils and the Department for Work and "
             "Pensions (DWP) test joint commissioning in at least two areas.")
ADDED = "Ask for a named official to lead the pilots."
WHEN = "2026-03-05T09:00:00Z"


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    return build_file(SAMPLE, out=tmp_path_factory.mktemp("tracked") / "draft.docx").value


def _el(tag: str, *children, text: str | None = None, **attrs) -> etree._Element:
    el = etree.Element(qn(tag), {qn(f"w:{k}"): v for k, v in attrs.items()})
    el.extend(children)
    el.text = text
    return el


def _run(text: str, deleted: bool = False) -> etree._Element:
    return _el("w:r", _el("w:delText" if deleted else "w:t", text=text))


def _copy(draft: Path, dest: Path, name: str, edit) -> Path:
    """Return `dest`: the draft with `edit(paragraph)` applied to the objective's paragraph
    (body block 6), saved by `name`."""
    pkg = Package.open(draft)
    body = pkg.xml(pkg.main_part).find(qn("w:body"))
    assert body is not None
    p = body[6]
    assert "".join(p.itertext()) == OBJECTIVE
    edit(p)
    pkg.xml("docProps/core.xml").find(f"{{{CP}}}lastModifiedBy").text = name
    pkg.save(dest)
    return dest


def _tracked_edit(p: etree._Element, add_paragraph: bool = False) -> None:
    """Cllr Ann, tracking: 'the Department for Work and Pensions (DWP)' -> 'DWP'; with
    `add_paragraph`, a new paragraph typed after it (its mark the inserted one, as Word has)."""
    run = p.find(qn("w:r"))
    head, tail = OBJECTIVE.split("the Department for Work and Pensions (DWP)")
    who = {"author": "Cllr Ann", "date": WHEN}
    new = [_run(head),
           _el("w:del", _run("the Department for Work and Pensions (DWP)", True), id="901", **who),
           _el("w:ins", _run("DWP"), id="902", **who), _run(tail)]
    at = p.index(run)
    p.remove(run)
    for k, el in enumerate(new):
        p.insert(at + k, el)
    if add_paragraph:
        added = copy.deepcopy(p)
        for child in [c for c in added if c.tag != qn("w:pPr")]:
            added.remove(child)
        added.append(_el("w:ins", _run(ADDED), id="903", **who))
        ppr = p.find(qn("w:pPr"))
        ppr.append(_el("w:rPr", _el("w:ins", id="904", **who)))
        p.addnext(added)


def _untracked_edit(p: etree._Element) -> None:
    """Cllr Bob, not tracking: 'at least two areas' -> 'at least three areas'."""
    for t in p.iter(qn("w:t")):
        t.text = t.text.replace("at least two", "at least three")


def _combine(tmp_path: Path, draft: Path, *copies: Path) -> tuple[str, Path]:
    out = tmp_path / "combined.docx"
    result = runner.invoke(app, ["combine", str(draft), *map(str, copies), "-o", str(out)])
    assert result.exit_code == 0, result.output
    valid, report = validate_ooxml(out)
    assert valid, report
    return result.stderr, out


def _texts(path: Path, accept: bool) -> list[str]:
    pkg = Package.open(path)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=accept)
    return paragraph_texts(root)


def test_a_members_tracked_changes_keep_their_name_and_date_and_count_as_tracked(
        draft, tmp_path):
    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann", _tracked_edit)
    stderr, out = _combine(tmp_path, draft, ann)
    assert "info: ann.docx: Cllr Ann (named by the copy's last-modified-by): 2 tracked " \
           "changes, 0 found untracked, 0 comments" in stderr
    assert [(r.author, r.date, r.kind, r.text) for r in read_review(out).revisions] == [
        ("Cllr Ann", WHEN, "delete", "the Department for Work and Pensions (DWP)"),
        ("Cllr Ann", WHEN, "insert", "DWP")]
    assert OBJECTIVE.replace("the Department for Work and Pensions (DWP)", "DWP") \
        in _texts(out, accept=True)
    assert _texts(out, accept=False) == _texts(draft, accept=False)


def test_a_tracked_paragraph_added_after_a_paragraph_two_members_changed_stays(
        draft, tmp_path):
    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann",
                lambda p: _tracked_edit(p, add_paragraph=True))
    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob", _untracked_edit)
    stderr, out = _combine(tmp_path, draft, ann, bob)
    assert "conflict" not in stderr
    accepted = _texts(out, accept=True)
    merged = OBJECTIVE.replace("the Department for Work and Pensions (DWP)", "DWP") \
        .replace("at least two", "at least three")
    assert accepted[accepted.index(merged) + 1] == ADDED
    assert _texts(out, accept=False) == _texts(draft, accept=False)
    assert {r.author for r in read_review(out).revisions} == {"Cllr Ann", "Cllr Bob"}


def test_an_untracked_edit_in_a_table_is_tracked_in_the_members_name(draft, tmp_path):
    def edit(_p: etree._Element) -> None:
        table = _p.getparent()[4]
        assert table.tag == qn("w:tbl")
        for t in table.iter(qn("w:t")):
            t.text = t.text.replace("Autumn 2010", "October 2010")

    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob", edit)
    stderr, out = _combine(tmp_path, draft, bob)
    assert "Cllr Bob (named by the copy's last-modified-by): 0 tracked changes, 2 found " \
           "untracked" in stderr
    assert [(r.author, r.kind, r.text) for r in read_review(out).revisions] == [
        ("Cllr Bob", "delete", "Autumn"), ("Cllr Bob", "insert", "October")]
    assert _texts(out, accept=False) == _texts(draft, accept=False)


def test_a_comment_whose_end_fell_in_an_untracked_edit_is_anchored_once_around_its_item(
        draft, tmp_path):
    # Cllr Ann comments from mid-way through the first objective to the second, tracks a
    # change in the first and edits the second untracked: the untracked edit is written
    # anew, so the comment's end and reference are gone and it is anchored again around
    # the paragraph of its item (where it starts), with nothing of the old range left.
    def edit(p: etree._Element) -> None:
        _tracked_edit(p)
        head = p.find(qn("w:r"))  # "Agree with the Secretary of State that councils and "
        head.addnext(_el("w:commentRangeStart", id="0"))
        second = p.getnext()
        second.append(_el("w:commentRangeEnd", id="0"))
        second.append(_el("w:r", _el("w:commentReference", id="0")))
        for t in second.iter(qn("w:t")):
            t.text = t.text.replace("economic element", "economic part")

    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann", edit)
    pkg = Package.open(ann)
    comments = etree.Element(qn("w:comments"), nsmap={"w": W})
    comment = etree.SubElement(comments, qn("w:comment"), {
        qn("w:id"): "0", qn("w:author"): "Cllr Ann", qn("w:date"): WHEN})
    etree.SubElement(etree.SubElement(etree.SubElement(comment, qn("w:p")), qn("w:r")),
                     qn("w:t")).text = "Which two areas?"
    pkg.add_part(pkg.main_part, "word/comments.xml",
                 etree.tostring(comments, xml_declaration=True, encoding="UTF-8"),
                 "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
    pkg.save(ann)
    _, out = _combine(tmp_path, draft, ann)
    (found,) = read_review(out).comments
    assert (found.text, found.item) == ("Which two areas?", "objectives/0")
    assert found.anchor_text == OBJECTIVE.replace(  # the whole paragraph, its changes too
        "(DWP)", "(DWP)DWP")
    body = Package.open(out).xml("word/document.xml")
    assert [len(body.findall(f".//{{{W}}}{tag}")) for tag in (
        "commentRangeStart", "commentRangeEnd", "commentReference")] == [1, 1, 1]


def _tracked_join(p: etree._Element) -> None:
    """Cllr Bob, tracking: 'at least two' -> 'at least three', and the paragraph's mark
    deleted, joining it to the next objective."""
    run = p.find(qn("w:r"))
    head, tail = OBJECTIVE.split("two")
    who = {"author": "Cllr Bob", "date": WHEN}
    new = [_run(head), _el("w:del", _run("two", True), id="911", **who),
           _el("w:ins", _run("three"), id="912", **who), _run(tail)]
    at = p.index(run)
    p.remove(run)
    for k, el in enumerate(new):
        p.insert(at + k, el)
    p.find(qn("w:pPr")).append(_el("w:rPr", _el("w:del", id="913", **who)))


def test_a_merged_paragraph_keeps_one_members_inserted_mark_before_anothers_deleted_mark(
        draft, tmp_path):
    # Ann splits the objective (its mark inserted), Bob joins it to the next (its mark
    # deleted); each also changes words, so the paragraph is merged word by word. Its mark
    # carries both revisions, the insertion first as the schema orders them (CT_ParaRPr).
    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann",
                lambda p: _tracked_edit(p, add_paragraph=True))
    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob", _tracked_join)
    stderr, out = _combine(tmp_path, draft, ann, bob)  # validated against ECMA-376
    assert "conflict" not in stderr
    body = Package.open(out).xml("word/document.xml")
    (mark,) = [rpr for rpr in body.iter(qn("w:rPr")) if rpr.getparent().tag == qn("w:pPr")
               and rpr.find(qn("w:del")) is not None]
    assert [(etree.QName(c).localname, c.get(qn("w:author"))) for c in mark] == [
        ("ins", "Cllr Ann"), ("del", "Cllr Bob")]
    assert _texts(out, accept=False) == _texts(draft, accept=False)


def _table_edit(old: str, new: str):
    def edit(p: etree._Element) -> None:
        table = p.getparent()[4]
        assert table.tag == qn("w:tbl")
        for t in table.iter(qn("w:t")):
            t.text = t.text.replace(old, new)
    return edit


def test_two_members_changing_a_table_differently_is_one_conflict_between_them(
        draft, tmp_path):
    # A table is not merged word by word: the first member's version is kept, and the
    # officer is told once that the second member's change was left out.
    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann",
                _table_edit("Autumn 2010", "October 2010"))
    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob",
                _table_edit("Autumn 2010", "November 2010"))
    stderr, out = _combine(tmp_path, draft, ann, bob)
    conflicts = [line for line in stderr.splitlines() if "conflict" in line]
    assert len(conflicts) == 1, stderr
    assert "Cllr Ann: \"" in conflicts[0] and "/ Cllr Bob: \"" in conflicts[0]
    assert "Cllr Ann's version kept, Cllr Bob's left out" in conflicts[0]
    # the table and each wording read cell by cell, as review shows a row
    assert "conflict in table \u201cMeeting with " in conflicts[0]
    assert " | October 2010" in conflicts[0] and " | November 2010" in conflicts[0]
    assert [(r.author, r.kind, r.text) for r in read_review(out).revisions] == [
        ("Cllr Ann", "delete", "Autumn"), ("Cllr Ann", "insert", "October")]


def _reworded(who: str, words: str):
    """A member, tracking: 'at least two areas' -> `words`."""
    def edit(p: etree._Element) -> None:
        run = p.find(qn("w:r"))
        head, tail = OBJECTIVE.split("at least two areas")
        stamp = {"author": who, "date": WHEN}
        new = [_run(head), _el("w:del", _run("at least two areas", True), id="921", **stamp),
               _el("w:ins", _run(words), id="922", **stamp), _run(tail)]
        at = p.index(run)
        p.remove(run)
        for k, el in enumerate(new):
            p.insert(at + k, el)
    return edit


def test_three_members_rewording_the_same_words_are_offered_each_wording_once(
        draft, tmp_path):
    copies = [_copy(draft, tmp_path / f"{name.split()[-1].lower()}.docx", name,
                    _reworded(name, words))
              for name, words in (("Cllr Ann", "three areas"), ("Cllr Bob", "every region"),
                                  ("Cllr Cat", "two pilot areas"))]
    stderr, out = _combine(tmp_path, draft, *copies)
    conflicts = [line for line in stderr.splitlines() if "conflict" in line]
    assert [line.split(": ", 2)[2].split("; ")[0] for line in conflicts] == [
        'Cllr Ann: "three areas" / Cllr Bob: "every region"',
        'Cllr Ann: "three areas" / Cllr Cat: "two pilot areas"'], stderr
    assert [(r.author, r.kind, r.text) for r in read_review(out).revisions] == [
        ("Cllr Ann", "delete", "at least two areas"), ("Cllr Ann", "insert", "three areas"),
        ("Cllr Bob", "insert", "every region"), ("Cllr Cat", "insert", "two pilot areas")]
    assert _texts(out, accept=False) == _texts(draft, accept=False)


def _into_table(p: etree._Element) -> None:
    """Cllr Ann, not tracking: the objective moved into a one-cell table."""
    cell = _el("w:tc", _el("w:tcPr", _el("w:tcW", w="5000", type="dxa")), copy.deepcopy(p))
    table = _el("w:tbl", _el("w:tblPr", _el("w:tblW", w="0", type="auto")),
                _el("w:tblGrid", _el("w:gridCol", w="5000")), _el("w:tr", cell))
    p.addprevious(table)
    p.getparent().remove(p)


def _heading_reworded(p: etree._Element) -> None:
    """Cllr Bob, not tracking: the heading above the objective, 'Objectives' -> 'Our
    objectives'."""
    heading = p.getprevious()
    assert "".join(heading.itertext()) == "Objectives"
    for t in heading.iter(qn("w:t")):
        t.text = t.text.replace("Objectives", "Our objectives")


@pytest.mark.parametrize("ann_first", [True, False])
def test_a_change_over_two_paragraphs_and_another_to_the_first_conflict_and_reject_to_the_draft(
        draft, tmp_path, ann_first):
    # Ann's change spans the heading and the objective; Bob's the heading alone: not one
    # paragraph both changed, so not merged word by word but a conflict, one side kept, and
    # the draft's objective still there when every change is rejected
    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann", _into_table)
    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob", _heading_reworded)
    stderr, out = _combine(tmp_path, draft, *((ann, bob) if ann_first else (bob, ann)))
    kept, left = ("Cllr Ann", "Cllr Bob") if ann_first else ("Cllr Bob", "Cllr Ann")
    assert "warning: conflict in paragraph “Objectives”" in stderr
    assert f"{kept}'s version kept, {left}'s left out" in stderr
    assert _texts(out, accept=False) == _texts(draft, accept=False)


TABLED = "Pilot areas: to be agreed with DWP."


def _table_added_after(p: etree._Element) -> None:
    """Cllr Ann, tracking: a one-cell table inserted after the objective, as Word writes
    one (the row, the cell's text and its paragraph mark each an insertion)."""
    who = {"author": "Cllr Ann", "date": WHEN}
    cell = _el("w:tc", _el("w:tcPr", _el("w:tcW", w="5000", type="dxa")),
               _el("w:p", _el("w:pPr", _el("w:rPr", _el("w:ins", id="931", **who))),
                   _el("w:ins", _run(TABLED), id="932", **who)))
    p.addnext(_el("w:tbl", _el("w:tblPr", _el("w:tblW", w="0", type="auto")),
                  _el("w:tblGrid", _el("w:gridCol", w="5000")),
                  _el("w:tr", _el("w:trPr", _el("w:ins", id="933", **who)), cell)))


def _next_objective_reworded(p: etree._Element) -> None:
    """Cllr Bob, not tracking: the objective after, 'economic element' -> 'economic part'."""
    for t in p.getnext().iter(qn("w:t")):
        t.text = t.text.replace("economic element", "economic part")


def test_a_tracked_table_added_after_a_paragraph_goes_with_it_not_with_the_next(
        draft, tmp_path):
    # Rejecting Ann's table removes it whole: it belongs to the objective before it, so
    # Bob's change to the objective after is no conflict, and each is filed under its own
    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann", _table_added_after)
    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob", _next_objective_reworded)
    stderr, out = _combine(tmp_path, draft, ann, bob)
    assert "conflict" not in stderr, stderr
    assert [line for line in stderr.splitlines() if ": changed by " in line] == [
        "info: objectives/0: changed by Cllr Ann", "info: objectives/1: changed by Cllr Bob"]
    accepted = _texts(out, accept=True)
    assert accepted[accepted.index(OBJECTIVE) + 1] == TABLED
    assert any("economic part" in text for text in accepted)
    assert _texts(out, accept=False) == _texts(draft, accept=False)


def test_a_copy_whose_body_holds_xml_comments_combines_like_any_other(draft, tmp_path):
    # some converters leave XML comments (and processing instructions) between paragraphs:
    # they are not blocks of the document, and the member's edit still comes through
    def edit(p: etree._Element) -> None:
        _untracked_edit(p)
        p.addprevious(etree.Comment(" converted "))
        p.addnext(etree.ProcessingInstruction("converter", "page-break-check"))

    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob", edit)
    stderr, out = _combine(tmp_path, draft, bob)
    assert [line for line in stderr.splitlines() if ": changed by " in line] == [
        "info: objectives/0: changed by Cllr Bob"]
    assert OBJECTIVE.replace("at least two", "at least three") in _texts(out, accept=True)
    assert _texts(out, accept=False) == _texts(draft, accept=False)
