"""combine's checks of its inputs and its summary, and redline's messages: what an officer reads
when a draft or a copy is not what combine needs, or when nothing unusual happened."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefing.clearance.combine import combine_files
from briefing.clearance.redline import redline_bytes, redline_result
from briefing.clearance.review import read_review
from briefing.cli import app
from briefing.document.build import build_file
from briefing.errors import BriefingError
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import is_source_bookmark, read_source_map
from tests.clearance.test_combine import (
    SAMPLE,
    SENTENCE,
    _refused,
    _with_comments,
    combine,
    member_copy,
    texts,
)
from tests.support.cxml import para, w, write_docx
from tests.support.redline_pairs import write_pair

runner = CliRunner()


def built(tmp_path: Path, name: str = "draft.docx") -> Path:
    return build_file(SAMPLE, out=tmp_path / name).value


def tracked_copy(draft: Path, tmp_path: Path) -> Path:
    """Return Cllr Ann's copy of `draft` (tracked.docx) with "Civil servants say" changed to
    "Officials say" as tracked changes dated 2026-03-01."""
    edited = member_copy(draft, tmp_path / "edited.docx",
                         {"Civil servants say": "Officials say"}, "Cllr Ann")
    tracked = tmp_path / "tracked.docx"
    tracked.write_bytes(redline_bytes(draft, edited, author="Cllr Ann", date="2026-03-01"))
    return tracked


def test_a_draft_holding_comments_is_refused_and_nothing_written(tmp_path):
    draft = built(tmp_path)
    commented = _with_comments(draft, tmp_path / "commented.docx", {})
    copy = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"},
                       "Cllr Ann")
    out = tmp_path / "out.docx"

    _refused(combine(commented, copy, "-o", out), out,
             rf"{re.escape(str(commented))}: holds 3 comments; combine starts from the draft as "
             "members received it: accept or reject them first, or combine copies of a clean "
             "draft")


def test_a_copy_built_from_other_data_of_the_same_version_names_both_builds(tmp_path):
    draft = built(tmp_path)
    yaml = tmp_path / "changed.yaml"
    yaml.write_text(SAMPLE.read_text(encoding="utf-8").replace(
        "Civil servants say", "Officials say"), encoding="utf-8")
    other = build_file(yaml, out=tmp_path / "other.docx").value
    ours, theirs = (read_source_map(Package.open(p)) for p in (draft, other))
    assert ours is not None and theirs is not None
    out = tmp_path / "out.docx"

    result = combine(draft, other, "-o", out)

    _refused(result, out, "built from other briefing data")
    assert result.stderr.strip() == (
        f"{other}: not a copy of {draft}: it was built from other briefing data "
        f"(version {theirs.version}, data {theirs.data_hash[:12]}; the draft is version "
        f"{ours.version}, data {ours.data_hash[:12]})")


def test_a_plain_word_draft_and_its_edited_copy_are_combined_by_their_text(tmp_path):
    lines = ["Councils know their places best.", "They should commission employment support.",
             "A pilot in two areas would show it."]
    draft, copy = tmp_path / "draft.docx", tmp_path / "copy.docx"
    for path, text in ((draft, lines), (copy, [lines[0], lines[1].replace("should", "must"),
                                               lines[2]])):
        document = docx.Document()
        for line in text:
            document.add_paragraph(line)
        document.core_properties.last_modified_by = "Cllr Ann"
        document.save(str(path))
    out = tmp_path / "out.docx"

    result = combine(draft, copy, "-o", out)

    assert result.exit_code == 0, result.output
    assert ("info: copy.docx: Cllr Ann (named by the copy's last-modified-by): 0 tracked "
            "changes, 2 found untracked, 0 comments") in result.stderr
    assert [(r.author, r.kind, r.text) for r in read_review(out).revisions] == [
        ("Cllr Ann", "delete", "should"), ("Cllr Ann", "insert", "must")]


def test_a_members_tracked_changes_are_carried_as_theirs_and_not_found_again(tmp_path):
    draft = built(tmp_path)
    tracked = tracked_copy(draft, tmp_path)
    out = tmp_path / "out.docx"

    result = combine(draft, tracked, "-o", out)

    assert result.exit_code == 0, result.output
    assert ("info: tracked.docx: Cllr Ann (named by the copy's last-modified-by): 2 tracked "
            "changes, 0 found untracked, 0 comments") in result.stderr
    assert [(r.author, r.kind, r.text, r.date) for r in read_review(out).revisions] == [
        ("Cllr Ann", "delete", "Civil servants", "2026-03-01T00:00:00Z"),
        ("Cllr Ann", "insert", "Officials", "2026-03-01T00:00:00Z")]
    assert SENTENCE in texts(out, accept=False)


def test_every_change_in_a_combined_copy_has_its_own_id(tmp_path):
    # Ann tracked one edit (a deletion and an insertion, ids next to each other) and made
    # another untracked: the untracked one is tracked in her name with ids of its own, so
    # Word and `--change N` can tell every change apart (ECMA-376 17.13.1).
    draft = built(tmp_path)
    tracked = tracked_copy(draft, tmp_path)
    both = member_copy(tracked, tmp_path / "ann.docx", {"at least two": "at least three"},
                       "Cllr Ann")
    out = tmp_path / "out.docx"

    result = combine(draft, both, "-o", out)

    assert result.exit_code == 0, result.output
    assert "2 tracked changes, 2 found untracked" in result.stderr
    body = Package.open(out).xml("word/document.xml")
    ids = [el.get(qn("w:id")) for el in body.iter(*(qn(f"w:{t}") for t in ("ins", "del")))]
    assert len(ids) == 4
    assert len(set(ids)) == 4, ids


def test_a_member_editing_the_first_paragraph_leaves_every_bookmark_its_own_id(tmp_path):
    # the copy's edited title comes in with its source bookmark, numbered from 0 as in the
    # draft: it must be renumbered above every id the draft uses, or two bookmarks share an
    # id (one to Word) and a paragraph loses its tie to its briefing item
    draft = built(tmp_path)
    ann = member_copy(draft, tmp_path / "ann.docx", {"Meeting with the Secretary": "Talks with "
                                                     "the Secretary"}, "Ann")
    out = tmp_path / "out.docx"

    result = combine(draft, ann, "-o", out)

    assert result.exit_code == 0, result.output
    assert "info: briefing/title: changed by Ann" in result.stderr
    body = Package.open(out).xml("word/document.xml")
    ids = [el.get(qn("w:id")) for el in body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids)), sorted(ids, key=int)


PARTNERSHIP = "key_messages/partnership-not-centralism/points/0"


@pytest.mark.parametrize(("kind", "counts", "items"), [
    ("untracked", "0 tracked changes, 2 found untracked, 0 comments", [PARTNERSHIP]),
    ("tracked", "2 tracked changes, 0 found untracked, 0 comments", [PARTNERSHIP]),
    # a copy with comments alone has something to combine too
    ("comments", "0 tracked changes, 0 found untracked, 3 comments",
     ["key_messages/local-commissioning/points/1", PARTNERSHIP]),
])
def test_a_combines_summary_is_a_line_per_copy_and_per_item_it_touched(tmp_path, kind, counts,
                                                                       items):
    draft = built(tmp_path)
    copy = {"untracked": lambda: member_copy(draft, tmp_path / "copy.docx",
                                             {"Civil servants say": "Officials say"}, "Cllr Ann"),
            "tracked": lambda: tracked_copy(draft, tmp_path),
            "comments": lambda: _with_comments(draft, tmp_path / "copy.docx", {})}[kind]()
    who = "Cllr Dee" if kind == "comments" else "Cllr Ann"

    result = combine(draft, copy, "-o", tmp_path / "out.docx")

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"info: {copy.name}: {who} (named by the copy's last-modified-by): {counts}",
        *(f"info: {item}: changed by {who}" for item in items)]


def test_combine_files_called_without_force_never_replaces_an_existing_output(tmp_path):
    # the web app and scripts call combine_files directly: replacing is theirs to ask for
    draft = built(tmp_path)
    ann = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"}, "Ann")
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep me")

    with pytest.raises(BriefingError, match="already exists; use --force to replace it"):
        combine_files(draft, [ann], out)

    assert out.read_bytes() == b"keep me"


def test_without_o_the_combined_copy_goes_beside_the_draft_filed_under_author(tmp_path):
    # a copy whose editor saved no last-modified-by is filed under --author when one is given
    draft = built(tmp_path)
    copy = member_copy(draft, tmp_path / "copy.docx", {"Civil servants say": "Officials say"},
                       None)

    result = combine(draft, copy, "--author", "Cllr Ann")

    assert result.exit_code == 0, result.output
    assert "info: copy.docx: Cllr Ann (named by --author): 0 tracked changes" in result.stderr
    out = tmp_path / "draft-combined.docx"
    assert {r.author for r in read_review(out).revisions} == {"Cllr Ann"}


def test_the_review_of_a_combined_conflict_numbers_each_side_with_the_other(tmp_path):
    draft = built(tmp_path)
    ann = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"}, "Ann")
    bob = member_copy(draft, tmp_path / "bob.docx", {"Civil servants say": "Ministers say"}, "Bob")
    out = tmp_path / "out.docx"
    assert combine(draft, ann, bob, "-o", out).exit_code == 0

    report = runner.invoke(app, ["review", str(out)]).stdout.splitlines()

    numbers = {r.text: n for n, r in enumerate(read_review(out).revisions, 1)}
    for mine, theirs in (("Officials", "Ministers"), ("Ministers", "Officials")):
        line = next(t for t in report if t.startswith(f"  {numbers[mine]}. insert by "))
        assert f"(conflicts with change {numbers[theirs]})" in line, line


def test_a_redline_with_nothing_left_out_prints_its_summary_and_no_warning(tmp_path):
    old, new = write_pair(tmp_path, "word-edit")
    out = tmp_path / "out.docx"

    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(out),
                                 "--author", "Jo Bloggs", "--date", "2026-03-01"])

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "info: 1 insertion, 1 deletion, 0 formatting changes by Jo Bloggs (matched by content)"]


def test_a_plain_draft_whose_main_part_is_not_word_document_xml_is_combined(tmp_path):
    # the package relationship names the main part (some producers write word/document2.xml):
    # combine reads and writes that part, whatever its name
    lines = ["Councils know their places best.", "They should commission employment support.",
             "A pilot in two areas would show it."]
    draft = write_docx(tmp_path / "draft.docx", [para(t) for t in lines], main="document2.xml")
    copy = write_docx(tmp_path / "cllr-ann.docx",
                      [para(t.replace("should", "must")) for t in lines], main="document2.xml")
    out = tmp_path / "out.docx"

    result = combine(draft, copy, "-o", out)

    assert result.exit_code == 0, result.output
    assert Package.open(out).main_part == "word/document2.xml"
    assert [(r.author, r.kind, r.text) for r in read_review(out).revisions] == [
        ("cllr-ann", "delete", "should"), ("cllr-ann", "insert", "must")]


def test_a_copy_that_lost_its_source_map_but_kept_its_bookmarks_is_combined_however_edited(
        tmp_path):
    draft = built(tmp_path)
    pkg = Package.open(draft)
    body = pkg.xml(pkg.main_part)
    for p in body.iter(qn("w:p")):  # every paragraph reworded: little text in common
        last = [t for t in p.iter(qn("w:t")) if t.text]
        if last:
            last[-1].text += " (revised)"
    edited = tmp_path / "edited.docx"
    pkg.save(edited)
    copy = tmp_path / "copy.docx"
    with zipfile.ZipFile(edited) as src, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("customXml/item") and b"briefing" in data[:400] \
                    and "Props" not in info.filename:
                data = b'<?xml version="1.0" encoding="UTF-8"?><other xmlns="urn:x"/>'
            dst.writestr(info, data)
    assert read_source_map(Package.open(copy)) is None  # the editor dropped the data part
    out = tmp_path / "out.docx"

    result = combine(draft, copy, "-o", out, "--as", "copy.docx=Cllr Ann")

    assert result.exit_code == 0, result.output
    assert re.search(r"info: copy.docx: Cllr Ann \(named by --as\): 0 tracked changes, "
                     r"\d+ found untracked", result.stderr), result.stderr
    assert texts(out, accept=False) == texts(draft, accept=False)


def test_a_copy_that_kept_fewer_than_half_of_the_drafts_source_ids_is_refused(tmp_path):
    draft = built(tmp_path)
    pkg = Package.open(draft)
    body = pkg.xml(pkg.main_part)
    starts = [el for el in body.iter(qn("w:bookmarkStart")) if is_source_bookmark(el.get(qn("w:name")))]
    gone = {el.get(qn("w:id")) for el in starts[: len(starts) * 3 // 5]}  # 60% lost, 40% kept
    for el in list(body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
        if el.get(qn("w:id")) in gone:
            el.getparent().remove(el)
    copy = tmp_path / "copy.docx"
    pkg.save(copy)
    out = tmp_path / "out.docx"

    _refused(combine(draft, copy, "-o", out), out,
             "the draft's source ids are gone from this copy")


def test_a_change_to_an_empty_paragraph_is_named_by_its_place(tmp_path):
    draft, copy = tmp_path / "draft.docx", tmp_path / "copy.docx"
    for path, lines in ((draft, ["Councils know their places best.", "", "A pilot would show it."]),
                        (copy, ["Councils know their places best.", "They should commission.",
                                "A pilot would show it."])):
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(path))
    out = tmp_path / "out.docx"

    result = combine(draft, copy, "-o", out, "--as", "copy.docx=Cllr Ann")

    assert result.exit_code == 0, result.output
    assert "info: block 2: changed by Cllr Ann" in result.stderr.splitlines()


def test_untracked_edits_are_dated_when_the_copy_was_saved_and_the_first_paragraph_named(
        tmp_path):
    draft, copy = tmp_path / "draft.docx", tmp_path / "copy.docx"
    for path, first in ((draft, "Councils know their places best."),
                        (copy, "Councils know their own places best.")):
        document = docx.Document()
        for line in (first, "They should commission employment support.", "A pilot would show it.",
                     "Officials should meet the Group first."):
            document.add_paragraph(line)
        document.core_properties.modified = dt.datetime(2026, 3, 1, 9, 30)
        document.save(str(path))
    out = tmp_path / "out.docx"

    result = combine(draft, copy, "-o", out, "--as", "copy.docx=Cllr Ann")

    assert result.exit_code == 0, result.output
    assert "info: paragraph \u201cCouncils know their places best.\u201d: changed by Cllr Ann" \
        in result.stderr.splitlines()
    assert [(r.kind, r.text, r.date) for r in read_review(out).revisions] == [
        ("insert", "own ", "2026-03-01T09:30:00Z")]


def test_a_redlines_summary_counts_a_new_paragraph_with_its_mark(tmp_path):
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    for path, lines in ((old, ["Councils know their places best.", "A pilot would show it."]),
                        (new, ["Councils know their places best.",
                               "They should commission employment support.",
                               "A pilot would show it."])):
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(path))
    out = tmp_path / "out.docx"

    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(out),
                                 "--author", "Jo Bloggs", "--date", "2026-03-01"])

    assert result.exit_code == 0, result.output
    # the new paragraph's text and its paragraph mark, as Word's Reviewing pane counts them
    assert result.stderr.splitlines() == [
        "info: 2 insertions, 0 deletions, 0 formatting changes by Jo Bloggs (matched by content)"]


def test_a_briefing_built_copy_of_a_plain_word_draft_is_refused_when_its_text_differs(tmp_path):
    draft = tmp_path / "draft.docx"
    document = docx.Document()
    for line in ("Councils know their places best.", "A pilot would show it."):
        document.add_paragraph(line)
    document.save(str(draft))
    other = built(tmp_path, "other.docx")  # carries a source map; the draft carries none
    out = tmp_path / "out.docx"

    _refused(combine(draft, other, "-o", out), out,
             rf"{re.escape(str(other))}: not a copy of .*draft.docx: its text is not the draft's")


def test_a_redlines_summary_counts_paragraph_and_run_formatting_changes_together(tmp_path):
    # one paragraph centred and one word made larger: two formatting changes to accept or
    # reject, and the summary says so
    def paragraph(jc: str, size: str):
        return w.p(w.pPr(w.jc(val=jc)), w.r(w.t("Councils ")),
                   w.r(w.rPr(w.sz(val=size)), w.t("know")), w.r(w.t(" their markets.")))

    old = write_docx(tmp_path / "old.docx", [paragraph("left", "24")])
    new = write_docx(tmp_path / "new.docx", [paragraph("center", "32")])
    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")

    assert [m.text for m in result.messages] == [
        "0 insertions, 0 deletions, 2 formatting changes by Officer (matched by content)"]


def test_two_conflicts_give_every_change_and_every_conflict_mark_its_own_id(tmp_path):
    # each conflict is marked by a hidden bookmark, numbered from the same counter as the
    # changes: two bookmarks sharing an id are one to Word (a conflict lost), two changes
    # sharing one cannot be told apart
    draft = built(tmp_path)
    ann = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say",
                                                     "at least two": "at least three"}, "Ann")
    bob = member_copy(draft, tmp_path / "bob.docx", {"Civil servants say": "Ministers say",
                                                     "at least two": "at least four"}, "Bob")
    out = tmp_path / "out.docx"

    result = combine(draft, ann, bob, "-o", out)

    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: conflict in") == 2
    body = Package.open(out).xml("word/document.xml")
    for tags in (("bookmarkStart",), ("ins", "del")):
        ids = [el.get(qn("w:id")) for el in body.iter(*(qn(f"w:{t}") for t in tags))]
        assert len(ids) == len(set(ids)), (tags, ids)
    assert sum(r.conflict is not None for r in read_review(out).revisions) == 4


@pytest.mark.parametrize(("pair", "summary", "whole"), [
    # the Wigan row added and the Leeds row taken out: each row and its cells' text
    ("table-row-insert-delete", "3 insertions, 3 deletions", {"row-insert": 1, "row-delete": 1}),
    # two paragraphs taken out: each one's text and its mark
    ("paragraph-delete", "0 insertions, 4 deletions", {"paragraph-delete": 2}),
])
def test_a_redlines_summary_counts_whole_rows_and_paragraphs(tmp_path, pair, summary, whole):
    old, new = write_pair(tmp_path, pair)
    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")

    assert [m.text for m in result.messages] == [
        f"{summary}, 0 formatting changes by Officer (matched by content)"]
    out = tmp_path / "out.docx"
    out.write_bytes(result.value)
    kinds = [r.kind for r in read_review(out).revisions]
    assert {k: kinds.count(k) for k in whole} == whole


def _empty_comments_part(path: Path) -> Path:
    """Return `path` with an empty word/comments.xml, as Word keeps it once every comment is
    deleted."""
    from lxml import etree

    from briefing.ooxml.ns import W

    pkg = Package.open(path)
    pkg.add_part(pkg.main_part, "word/comments.xml", etree.tostring(
        etree.Element(qn("w:comments"), nsmap={"w": W}), xml_declaration=True,
        encoding="UTF-8", standalone=True),
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
    pkg.save(path)
    return path


def test_comments_are_carried_into_a_draft_whose_comments_part_is_empty(tmp_path):
    # the draft holds no comments, and members' comments go into that part
    draft = _empty_comments_part(built(tmp_path))
    copy = _with_comments(draft, tmp_path / "dee.docx", {})
    out = tmp_path / "out.docx"

    result = combine(draft, copy, "-o", out)

    assert result.exit_code == 0, result.output
    assert [(c.author, c.text) for c in read_review(out).comments] == [
        ("Cllr Dee", "Which providers?"), ("Cllr Dee", "Too blunt."),
        ("Officer", "Agreed, softened.")]
    assert [n for n in Package.open(out).parts if n.startswith("word/comments")] == [
        "word/comments.xml", "word/commentsExtended.xml"]



def test_a_copy_whose_comments_were_all_deleted_brings_no_comments(tmp_path):
    draft = built(tmp_path)
    copy = _empty_comments_part(member_copy(draft, tmp_path / "ann.docx",
                                            {"Civil servants say": "Officials say"}, "Ann"))
    out = tmp_path / "out.docx"

    result = combine(draft, copy, "-o", out)

    assert result.exit_code == 0, result.output
    assert "2 found untracked, 0 comments" in result.stderr
    assert read_review(out).comments == []
    assert not [n for n in Package.open(out).parts if n.startswith("word/comments")]

def test_a_tracked_change_in_a_footer_is_counted_whatever_the_order_of_the_parts(tmp_path):
    # the comments part may be related before the footer (Word lists parts as it adds them):
    # every story is still read, so the footer's change is refused with the comments
    from lxml import etree

    from briefing.ooxml.ns import PR, W

    draft = built(tmp_path)
    commented = _with_comments(draft, tmp_path / "commented.docx", {})
    pkg = Package.open(commented)
    footer = pkg.xml("word/footer1.xml")
    footer.find(qn("w:p")).append(etree.fromstring(
        f'<w:ins xmlns:w="{W}" w:id="950" w:author="Ann" w:date="2026-03-01T10:00:00Z">'
        "<w:r><w:t>Draft</w:t></w:r></w:ins>"))
    rels = pkg.xml("word/_rels/document.xml.rels")
    (comments,) = [r for r in rels if r.get("Type").endswith("/comments")]
    rels.remove(comments)
    rels.insert(0, comments)
    assert rels[0].tag == f"{{{PR}}}Relationship"
    pkg.save(commented)
    copy = member_copy(draft, tmp_path / "ann.docx", {}, "Cllr Ann")
    out = tmp_path / "out.docx"

    _refused(combine(commented, copy, "-o", out), out,
             rf"{re.escape(str(commented))}: holds 1 tracked change and 3 comments; ")
