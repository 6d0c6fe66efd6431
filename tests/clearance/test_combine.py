"""combine: members' copies of one built draft, tracked or not, as one document by briefing item."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.clearance.review import read_review
from briefing.cli import app
from briefing.document.build import build_file
from briefing.ooxml.ns import CP, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import ROOT
from tests.support import cxml
from tests.support.wordnoise import add_word_noise

runner = CliRunner()
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
OTHER = ROOT / "samples" / "work-and-health-2016.yaml"
POINT = "key_messages/partnership-not-centralism/points/0"
SENTENCE = "Civil servants say they want to work in partnership with local government."


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    return build_file(SAMPLE, out=tmp_path_factory.mktemp("combine") / "draft.docx").value


def member_copy(draft: Path, dest: Path, edits: dict[str, str], saved_by: str | None) -> Path:
    """Return `dest`: the draft with `edits` (old text -> new) made without tracking."""
    pkg = Package.open(draft)
    for t in pkg.xml(pkg.main_part).iter(qn("w:t")):
        for old, new in edits.items():
            if t.text and old in t.text:
                t.text = t.text.replace(old, new)
    core = pkg.xml("docProps/core.xml")
    el = core.find(f"{{{CP}}}lastModifiedBy")
    if saved_by is None:
        core.remove(el)
    else:
        el.text = saved_by
    pkg.save(dest)
    return dest


def combine(*args) -> object:
    return runner.invoke(app, ["combine", *map(str, args)])


def texts(path: Path, accept: bool) -> list[str]:
    pkg = Package.open(path)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=accept)
    return paragraph_texts(root)


def test_untracked_edits_become_tracked_changes_in_the_members_name(draft, tmp_path):
    a = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"},
                    "Cllr Ann")
    b = member_copy(draft, tmp_path / "bob.docx", {"cuts across both": "undermines both"}, None)
    out = tmp_path / "combined.docx"
    result = combine(draft, a, b, "-o", out, "--as", "bob.docx=Cllr Bob Lee")
    assert result.exit_code == 0, result.output
    assert ("info: ann.docx: Cllr Ann (named by the copy's last-modified-by): 0 tracked changes, "
            "2 found untracked, 0 comments") in result.stderr
    assert "info: bob.docx: Cllr Bob Lee (named by --as): 0 tracked changes, 2 found untracked" \
        in result.stderr
    assert f"info: {POINT}: changed by Cllr Ann" in result.stderr
    changes = [(r.author, r.kind, r.text, r.item) for r in read_review(out).revisions]
    assert changes == [
        ("Cllr Ann", "delete", "Civil servants", POINT),
        ("Cllr Ann", "insert", "Officials", POINT),
        ("Cllr Bob Lee", "delete", "cuts across", "key_messages/partnership-not-centralism/points/2"),
        ("Cllr Bob Lee", "insert", "undermines", "key_messages/partnership-not-centralism/points/2"),
    ]
    assert texts(out, accept=False) == texts(draft, accept=False)


def test_one_members_untracked_edits_in_several_paragraphs_all_come_through(draft, tmp_path):
    a = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say",
                                                   "cuts across both": "undermines both"},
                    "Cllr Ann")
    out = tmp_path / "combined.docx"
    result = combine(draft, a, "-o", out)
    assert result.exit_code == 0, result.output
    assert [(r.author, r.kind, r.text) for r in read_review(out).revisions] == [
        ("Cllr Ann", "delete", "Civil servants"), ("Cllr Ann", "insert", "Officials"),
        ("Cllr Ann", "delete", "cuts across"), ("Cllr Ann", "insert", "undermines")]
    assert texts(out, accept=False) == texts(draft, accept=False)


def test_a_copy_naming_no_one_is_filed_under_its_file_name(draft, tmp_path):
    c = member_copy(draft, tmp_path / "cllr-cat.docx", {"Civil servants say": "Staff say"}, None)
    result = combine(draft, c, "-o", tmp_path / "out.docx")
    assert result.exit_code == 0, result.output
    assert "cllr-cat (named by the file name)" in result.stderr
    assert {r.author for r in read_review(tmp_path / "out.docx").revisions} == {"cllr-cat"}


def test_different_words_of_one_paragraph_both_stand(draft, tmp_path):
    a = member_copy(draft, tmp_path / "a.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "b.docx", {"local government.": "councils."}, "Bob")
    out = tmp_path / "out.docx"
    result = combine(draft, a, b, "-o", out)
    assert result.exit_code == 0, result.output
    assert "conflict" not in result.stderr
    assert f"info: {POINT}: changed by Ann, Bob" in result.stderr
    assert "Officials say they want to work in partnership with councils." in texts(out, True)


def test_the_same_words_changed_differently_are_a_conflict_kept_on_both_sides(draft, tmp_path):
    a = member_copy(draft, tmp_path / "a.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "b.docx", {"Civil servants say": "Ministers say",
                                                 "cuts across both": "undermines both"}, "Bob")
    out = tmp_path / "out.docx"
    result = combine(draft, a, b, "-o", out)
    assert result.exit_code == 0, result.output
    assert (f'warning: conflict in {POINT}: Ann: "Officials" / Bob: "Ministers"; both kept as '
            "tracked changes") in result.stderr

    report = json.loads(runner.invoke(app, ["review", str(out), "--json"]).stdout)
    sides = [(i, r["author"], r["text"], r.get("conflict"))
             for i, r in enumerate(report["revisions"]) if "conflict" in r]
    assert [(author, text) for _, author, text, _ in sides] == [("Ann", "Officials"),
                                                               ("Bob", "Ministers")]
    assert sides[0][3] == sides[1][0] and sides[1][3] == sides[0][0]

    refused = runner.invoke(app, ["accept", str(out), "-o", str(tmp_path / "both.docx")])
    assert refused.exit_code == 1
    assert f"{POINT}: Ann and Bob changed the same words differently" in refused.stderr
    assert '--author "Bob"' in refused.stderr and "reject" in refused.stderr
    assert not (tmp_path / "both.docx").exists()

    one = tmp_path / "one.docx"
    assert runner.invoke(app, ["reject", str(out), "--author", "Bob", "--item", POINT,
                               "-o", str(one)]).exit_code == 0
    final = tmp_path / "final.docx"
    assert runner.invoke(app, ["accept", str(one), "-o", str(final)]).exit_code == 0
    accepted = texts(final, accept=True)
    assert "Officials say they want to work in partnership with local government." in accepted
    assert "A single, centrally let contract for each region undermines both." in accepted


def test_word_noise_and_an_unchanged_copy_give_no_change(draft, tmp_path):
    noisy = add_word_noise(draft, tmp_path / "noisy.docx")
    same = member_copy(draft, tmp_path / "same.docx", {}, "Cllr Same")
    out = tmp_path / "out.docx"
    result = combine(draft, noisy, same, "-o", out)
    assert result.exit_code == 0, result.output
    assert "info: no changes found in any copy" in result.stderr
    assert read_review(out).revisions == []


def test_review_against_shows_untracked_edits_as_the_members(draft, tmp_path):
    c = member_copy(draft, tmp_path / "cat.docx", {"Civil servants say": "Staff say"}, "Cllr Cat")
    plain = runner.invoke(app, ["review", str(c)])
    assert "no tracked changes or comments" in plain.stdout
    result = runner.invoke(app, ["review", str(c), "--against", str(draft), "--json"])
    assert result.exit_code == 0, result.output
    found = [(r["author"], r["kind"], r["text"], r["item"], r.get("untracked"))
             for r in json.loads(result.stdout)["revisions"]]
    assert found == [("Cllr Cat", "delete", "Civil servants", POINT, True),
                     ("Cllr Cat", "insert", "Staff", POINT, True)]
    text = runner.invoke(app, ["review", str(c), "--against", str(draft)]).stdout
    assert "1. delete by Cllr Cat " in text and "(untracked)" in text
    assert "2 found untracked" in result.stderr
    assert not list(tmp_path.glob("*combined*"))


# -- bad input: a clear message, exit 1, nothing written ------------------------------


def _refused(result, out: Path, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert re.search(message, result.stderr), result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_copy_of_another_briefing_is_refused(draft, tmp_path):
    other = build_file(OTHER, out=tmp_path / "other.docx").value
    out = tmp_path / "out.docx"
    _refused(combine(draft, other, "-o", out), out,
             rf"{re.escape(str(other))}: not a copy of .*draft.docx: it is another briefing")


def test_a_copy_of_an_older_version_is_refused(draft, tmp_path):
    yaml = tmp_path / "v2.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    version = int(re.search(r"^  version: (\d+)", text, re.MULTILINE).group(1))
    yaml.write_text(re.sub(r"^  version: \d+", f"  version: {version + 1}", text, count=1,
                           flags=re.MULTILINE).replace("Civil servants say", "Officials say"),
                    encoding="utf-8")
    v2 = build_file(yaml, out=tmp_path / "next.docx").value
    out = tmp_path / "out.docx"
    _refused(combine(v2, draft, "-o", out), out,
             rf"draft.docx: a copy of version {version} of the briefing, but .*next.docx is "
             rf"version {version + 1}")


def test_a_copy_whose_source_ids_were_stripped_is_refused(draft, tmp_path):
    pkg = Package.open(draft)
    body = pkg.xml(pkg.main_part)
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        for el in list(body.iter(qn(tag))):
            el.getparent().remove(el)
    stripped = tmp_path / "stripped.docx"
    pkg.save(stripped)
    out = tmp_path / "out.docx"
    _refused(combine(draft, stripped, "-o", out), out,
             "the draft's source ids are gone from this copy")


def test_not_a_document_and_an_existing_output_are_refused(draft, tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out.docx"
    _refused(combine(draft, junk, "-o", out), out, "junk.docx: ")
    out.write_bytes(b"earlier")
    copy = member_copy(draft, tmp_path / "c.docx", {}, "C")
    result = combine(draft, copy, "-o", out)
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert out.read_bytes() == b"earlier"
    _refused(combine(draft, copy, "-o", copy), tmp_path / "none.docx", "is an input")
    _refused(combine(draft, draft, "-o", tmp_path / "x.docx"), tmp_path / "x.docx",
             "the draft itself")
    _refused(combine(draft, copy, "--as", "nobody.docx=Ann", "-o", tmp_path / "y.docx"),
             tmp_path / "y.docx", "nobody.docx is not one of the copies given")


def test_the_combined_document_is_valid_ecma_376(draft, tmp_path):
    from tests.conftest import validate_ooxml

    a = member_copy(draft, tmp_path / "a.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "b.docx", {"Civil servants say": "Ministers say"}, "Bob")
    out = tmp_path / "out.docx"
    assert combine(draft, a, b, "-o", out).exit_code == 0
    valid, report = validate_ooxml(out)
    assert valid, report


def _damage(src: Path, dest: Path) -> Path:
    """Return `dest`: `src` with a custom properties part using an undeclared prefix."""
    pkg = Package.open(src)
    pkg.set_bytes("docProps/custom.xml", (
        b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/custom-properties"><property name="X" pid="2" '
        b'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"><vt:lpwstr>x</vt:lpwstr></property>'
        b"</Properties>"))
    dest.write_bytes(pkg.to_bytes())
    return dest


def test_a_damaged_custom_properties_part_is_a_warning_in_every_command(draft, tmp_path):
    edited = member_copy(draft, tmp_path / "edited.docx", {"Civil servants say": "Officials say"},
                         "Ann")
    damaged_draft = _damage(draft, tmp_path / "damaged-draft.docx")
    combined = tmp_path / "combined.docx"
    assert combine(draft, edited, "-o", combined).exit_code == 0
    damaged = _damage(combined, tmp_path / "damaged-combined.docx")
    warning = "docProps/custom.xml: damaged XML (Namespace prefix vt on lpwstr is not defined"
    runs = {
        "combine": combine(damaged_draft, edited, "-o", tmp_path / "c.docx"),
        "redline": runner.invoke(app, ["redline", str(draft), str(damaged_draft),
                                       "-o", str(tmp_path / "r.docx")]),
        "accept": runner.invoke(app, ["accept", str(damaged), "-o", str(tmp_path / "a.docx")]),
        "reject": runner.invoke(app, ["reject", str(damaged), "-o", str(tmp_path / "j.docx")]),
        "review": runner.invoke(app, ["review", str(damaged)]),
        "check": runner.invoke(app, ["check", str(damaged)]),
    }
    for command, result in runs.items():
        assert "Traceback" not in result.output and result.exit_code in (0, 1), command
        assert "damaged package" not in result.output, command
    for command in ("combine", "redline", "accept", "reject"):
        assert runs[command].exit_code == 0, (command, runs[command].output)
        assert warning in runs[command].stderr, command
        assert "left out of the output, as Word does" in runs[command].stderr, command
    assert runs["review"].exit_code == 0
    assert "Officials say they want" in " ".join(texts(tmp_path / "a.docx", accept=True))


def _with_comments(src: Path, dest: Path, edits: dict[str, str]) -> Path:
    """Return `dest`: a member's copy of `src` with `edits` made untracked and two comments,
    a reply to the first marked done, anchored on two phrases."""
    from lxml import etree

    from briefing.ooxml.ns import W14, W15, W
    copy = member_copy(src, dest, edits, "Cllr Dee")
    pkg = Package.open(copy)
    body = pkg.xml(pkg.main_part)
    anchors = {"0": "They know which providers deliver", "1": "Civil servants say"}
    for cid, phrase in anchors.items():
        t = next(t for t in body.iter(qn("w:t")) if t.text and phrase in t.text)
        run = t.getparent()
        start = etree.Element(qn("w:commentRangeStart"), {qn("w:id"): cid})
        end = etree.Element(qn("w:commentRangeEnd"), {qn("w:id"): cid})
        ref = etree.Element(qn("w:r"))
        etree.SubElement(ref, qn("w:commentReference"), {qn("w:id"): cid})
        run.addprevious(start)
        run.addnext(end)
        end.addnext(ref)
    root = etree.Element(qn("w:comments"), nsmap={"w": W, "w14": W14})
    for cid, author, text, para in (("0", "Cllr Dee", "Which providers?", "1A"),
                                    ("1", "Cllr Dee", "Too blunt.", "2B"),
                                    ("2", "Officer", "Agreed, softened.", "3C")):
        comment = etree.SubElement(root, qn("w:comment"), {
            qn("w:id"): cid, qn("w:author"): author, qn("w:date"): "2026-03-01T10:00:00Z"})
        p = etree.SubElement(comment, qn("w:p"), {f"{{{W14}}}paraId": f"0000{para}"})
        etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:t")).text = text
    ext = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
    etree.SubElement(ext, f"{{{W15}}}commentEx", {f"{{{W15}}}paraId": "00002B",
                                                  f"{{{W15}}}done": "1"})
    etree.SubElement(ext, f"{{{W15}}}commentEx", {f"{{{W15}}}paraId": "00003C",
                                                  f"{{{W15}}}paraIdParent": "00002B",
                                                  f"{{{W15}}}done": "1"})
    main = pkg.main_part
    for name, el, rel, ct in (
            ("word/comments.xml", root, "comments", "comments"),
            ("word/commentsExtended.xml", ext, "commentsExtended", "commentsExtended")):
        data = etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)
        rel_type = ("http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
                    if rel == "commentsExtended" else
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments")
        pkg.add_part(main, name, data, rel_type,
                     f"application/vnd.openxmlformats-officedocument.wordprocessingml.{ct}+xml")
    pkg.save(copy)
    return copy


def test_comments_keep_their_authors_anchors_replies_and_resolved_state(draft, tmp_path):
    copy = _with_comments(draft, tmp_path / "dee.docx", {"local government.": "councils."})
    out = tmp_path / "out.docx"
    result = combine(draft, copy, "-o", out)
    assert result.exit_code == 0, result.output
    assert "2 found untracked, 3 comments" in result.stderr
    review = read_review(out)
    found = [(c.author, c.text, c.anchor_text, c.item, c.parent, c.resolved)
             for c in review.comments]
    assert found == [
        ("Cllr Dee", "Which providers?", "They know which providers deliver and where the gaps "
         "in local provision are.", "key_messages/local-commissioning/points/1", None, False),
        # anchored again around its paragraph, whose wording the member changed untracked
        ("Cllr Dee", "Too blunt.", SENTENCE.replace("government.", "governmentcouncils."),
         POINT, None, True),
        ("Officer", "Agreed, softened.", "", None, 1, True),
    ]
    assert [(r.author, r.text) for r in review.revisions] == [
        ("Cllr Dee", "local government"), ("Cllr Dee", "councils")]
    from tests.conftest import validate_ooxml

    valid, report = validate_ooxml(out)
    assert valid, report


def test_a_comment_on_words_two_members_changed_keeps_both_wordings_and_its_anchor(draft,
                                                                                    tmp_path):
    """Cllr Dee comments on "Civil servants say", which Ann and Bob each reworded: the
    comment must not stop the paragraph being merged (Bob's wording was left out) and stays
    on the words it was made on."""
    from tests.conftest import validate_ooxml

    a = member_copy(draft, tmp_path / "a.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "b.docx", {"Civil servants say": "Ministers say"}, "Bob")
    dee = _narrow_comment(_with_comments(draft, tmp_path / "dee.docx",
                                         {"cuts across both": "undermines both"}),
                          "Civil servants say")
    out = tmp_path / "out.docx"
    result = combine(draft, a, b, dee, "-o", out)
    assert result.exit_code == 0, result.output
    assert "left out" not in result.stderr
    assert (f'warning: conflict in {POINT}: Ann: "Officials" / Bob: "Ministers"; both kept'
            in result.stderr)
    review = read_review(out)
    assert {(r.author, r.kind, r.text) for r in review.revisions} >= {
        ("Ann", "insert", "Officials"), ("Bob", "insert", "Ministers"),
        ("Cllr Dee", "insert", "undermines")}
    (blunt,) = [c for c in review.comments if c.text == "Too blunt."]
    assert blunt.item == POINT and blunt.author == "Cllr Dee"
    assert blunt.anchor_text.startswith("Civil servants")  # on the words, as Dee made it
    assert blunt.anchor_text.endswith(" say") and "want to work" not in blunt.anchor_text
    one = tmp_path / "one.docx"
    assert runner.invoke(app, ["reject", str(out), "--author", "Ann", "--item", POINT,
                               "-o", str(one)]).exit_code == 0
    final = tmp_path / "final.docx"
    assert runner.invoke(app, ["accept", str(one), "-o", str(final)]).exit_code == 0
    assert "Ministers say they want to work in partnership with local government." in \
        texts(final, accept=True)
    valid, report = validate_ooxml(out)
    assert valid, report


def _narrow_comment(path: Path, words: str) -> Path:
    """Return `path` with the comment on the run that starts with `words` narrowed to those
    words: the run split after them, the comment's end and reference moved after the first."""
    from lxml import etree

    pkg = Package.open(path)
    body = pkg.xml(pkg.main_part)
    t = next(t for t in body.iter(qn("w:t")) if t.text and t.text.startswith(words))
    run = t.getparent()
    rest = etree.Element(qn("w:r"))
    etree.SubElement(rest, qn("w:t"), {"{http://www.w3.org/XML/1998/namespace}space":
                                       "preserve"}).text = t.text[len(words):]
    t.text = words
    end = run.getnext()
    reference = end.getnext()
    assert end.tag == qn("w:commentRangeEnd") and reference.find(qn("w:commentReference")) \
        is not None
    reference.addnext(rest)
    pkg.save(path)
    return path


def test_a_copy_without_a_body_is_refused(draft, tmp_path):
    pkg = Package.open(draft)
    root = pkg.xml(pkg.main_part)
    root.remove(root.find(qn("w:body")))
    bodiless = tmp_path / "bodiless.docx"
    pkg.save(bodiless)
    out = tmp_path / "out.docx"
    _refused(combine(draft, bodiless, "-o", out), out,
             rf"{re.escape(str(bodiless))}: the document has no body")


def test_a_paragraph_a_member_adds_after_the_last_one_is_named_in_the_summary(draft, tmp_path):
    copy = member_copy(draft, tmp_path / "end.docx", {}, "Cllr End")
    pkg = Package.open(copy)
    body = pkg.xml(pkg.main_part).find(qn("w:body"))
    body.find(qn("w:sectPr")).addprevious(cxml.para(cxml.run("Closing note from the lead member.")))
    pkg.save(copy)
    out = tmp_path / "out.docx"
    result = combine(draft, copy, "-o", out)
    assert result.exit_code == 0, result.output
    assert "changed by Cllr End" in result.stderr
    assert texts(out, accept=True)[-1] == "Closing note from the lead member."
    assert "Closing note from the lead member." not in texts(out, accept=False)
