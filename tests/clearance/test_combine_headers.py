"""combine carries what members changed in the draft's headers and footers, tracked or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from briefing.clearance.review import read_review
from briefing.cli import app
from briefing.ooxml.ns import CP, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.track.blocks import story_part_pairs
from briefing.ooxml.track.resolve import resolve_part
from tests.clearance.test_combine import SAMPLE, SENTENCE
from tests.conftest import validate_ooxml

runner = CliRunner()
HEADER, FOOTER = "word/header1.xml", "word/footer1.xml"


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    from briefing.document.build import build_file

    out = tmp_path_factory.mktemp("headers") / "draft.docx"
    path = build_file(SAMPLE, out=out).value
    pkg = Package.open(path)
    assert [b for _, b in story_part_pairs(pkg, pkg)] == [HEADER, FOOTER]
    assert paragraph_texts(pkg.xml(HEADER)) == ["OFFICIAL"]
    return path


def copy_of(draft: Path, dest: Path, saved_by: str, *, header: str | None = None,
            body: tuple[str, str] | None = None, tracked_footer: str | None = None) -> Path:
    """Return `dest`: the draft as a member saved it: the header's marking retyped as
    `header` and a body edit, both untracked; `tracked_footer` inserted as a tracked change
    at the end of the footer's first paragraph."""
    pkg = Package.open(draft)
    if header is not None:
        for t in pkg.xml(HEADER).iter(qn("w:t")):
            t.text = (t.text or "").replace("OFFICIAL", header)
    if body is not None:
        for t in pkg.xml(pkg.main_part).iter(qn("w:t")):
            t.text = (t.text or "").replace(*body)
    if tracked_footer is not None:
        first = next(pkg.xml(FOOTER).iter(qn("w:p")))
        ins = etree.SubElement(first, qn("w:ins"), {qn("w:id"): "9001", qn("w:author"): saved_by,
                                                     qn("w:date"): "2010-09-20T10:00:00Z"})
        run = etree.SubElement(ins, qn("w:r"))
        etree.SubElement(run, qn("w:t"), {"{http://www.w3.org/XML/1998/namespace}space":
                                          "preserve"}).text = tracked_footer
    pkg.xml("docProps/core.xml").find(f"{{{CP}}}lastModifiedBy").text = saved_by
    pkg.save(dest)
    return dest


def combine(*args) -> object:
    return runner.invoke(app, ["combine", *map(str, args)])


def part_texts(path: Path, part: str, accept: bool | None = None) -> list[str]:
    root = Package.open(path).xml(part)
    if accept is not None:
        resolve_part(root, accept=accept)
    return paragraph_texts(root)


def test_header_and_footer_edits_reach_the_combined_draft_in_each_members_name(draft, tmp_path):
    ann = copy_of(draft, tmp_path / "ann.docx", "Cllr Ann Baker", header="OFFICIAL-SENSITIVE",
                  body=("Civil servants say", "Officials say"))
    raj = copy_of(draft, tmp_path / "raj.docx", "Cllr Raj Patel", tracked_footer=" (draft)")
    out = tmp_path / "combined.docx"
    result = combine(draft, ann, raj, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"info: header ({HEADER}): changed by Cllr Ann Baker" in result.stderr
    assert f"info: footer ({FOOTER}): changed by Cllr Raj Patel" in result.stderr
    assert ("info: ann.docx: Cllr Ann Baker (named by the copy's last-modified-by): "
            "0 tracked changes, 3 found untracked") in result.stderr
    assert "info: raj.docx: Cllr Raj Patel (named by the copy's last-modified-by): " \
           "1 tracked change, 0 found untracked" in result.stderr

    assert part_texts(out, HEADER, accept=True) == ["OFFICIAL-SENSITIVE"]
    assert part_texts(out, HEADER, accept=False) == ["OFFICIAL"]
    assert part_texts(out, FOOTER, accept=True)[0] == "OFFICIAL (draft)"
    assert part_texts(out, FOOTER, accept=False)[0] == "OFFICIAL"
    changes = {(r.author, r.kind, r.text) for r in read_review(out).revisions}
    assert {("Cllr Ann Baker", "insert", "-SENSITIVE"), ("Cllr Raj Patel", "insert", " (draft)"),
            ("Cllr Ann Baker", "insert", "Officials")} <= changes, changes
    raj_date = {r.date for r in read_review(out).revisions if r.author == "Cllr Raj Patel"}
    assert raj_date == {"2010-09-20T10:00:00Z"}  # a tracked change keeps its own date
    valid, report = validate_ooxml(out)
    assert valid, report


def test_two_members_retyping_the_marking_differently_is_a_conflict_with_both_kept(draft,
                                                                                   tmp_path):
    ann = copy_of(draft, tmp_path / "ann.docx", "Cllr Ann Baker", header="RESTRICTED")
    raj = copy_of(draft, tmp_path / "raj.docx", "Cllr Raj Patel", header="NOT PROTECTIVELY MARKED")
    out = tmp_path / "combined.docx"
    result = combine(draft, ann, raj, "-o", out)
    assert result.exit_code == 0, result.output
    assert (f'warning: conflict in the header ({HEADER}): Cllr Ann Baker: "RESTRICTED" / '
            'Cllr Raj Patel: "NOT PROTECTIVELY MARKED"; both kept') in result.stderr
    inserted = {r.text for r in read_review(out).revisions if r.kind == "insert"}
    assert {"RESTRICTED", "NOT PROTECTIVELY MARKED"} <= inserted, inserted
    # rejecting one member's changes leaves the other's marking
    ann_out = tmp_path / "ann-only.docx"
    rejected = runner.invoke(app, ["reject", str(out), "--author", "Cllr Raj Patel",
                                   "-o", str(ann_out)])
    assert rejected.exit_code == 0, rejected.output
    assert part_texts(ann_out, HEADER, accept=True) == ["RESTRICTED"]
    raj_out = tmp_path / "raj-only.docx"
    rejected = runner.invoke(app, ["reject", str(out), "--author", "Cllr Ann Baker",
                                   "-o", str(raj_out)])
    assert rejected.exit_code == 0, rejected.output
    assert part_texts(raj_out, HEADER, accept=True) == ["NOT PROTECTIVELY MARKED"]
    assert part_texts(out, HEADER, accept=False) == ["OFFICIAL"]


def test_a_copy_with_the_header_unchanged_reports_no_header_change(draft, tmp_path):
    ann = copy_of(draft, tmp_path / "ann.docx", "Cllr Ann Baker", body=(SENTENCE[:14], "Officials"))
    result = combine(draft, ann, "-o", tmp_path / "combined.docx")
    assert result.exit_code == 0, result.output
    assert "header (" not in result.stderr and "footer (" not in result.stderr
    assert part_texts(tmp_path / "combined.docx", HEADER) == ["OFFICIAL"]


@pytest.mark.libreoffice
def test_libreoffice_accepts_and_rejects_the_members_header_change(draft, tmp_path, lo):
    ann = copy_of(draft, tmp_path / "ann.docx", "Cllr Ann Baker", header="OFFICIAL-SENSITIVE")
    out = tmp_path / "combined.docx"
    assert combine(draft, ann, "-o", out).exit_code == 0
    accepted, rejected = tmp_path / "accepted.docx", tmp_path / "rejected.docx"
    lo.accept_all_save(out, accepted)
    lo.reject_all_save(out, rejected)
    assert header_texts(accepted) == ["OFFICIAL-SENSITIVE"]
    assert header_texts(rejected) == ["OFFICIAL"]


def header_texts(path: Path) -> list[str]:
    """Return the paragraphs of the first section's default header (LibreOffice may name
    its parts otherwise than we do)."""
    pkg = Package.open(path)
    headers = [part for _, part in story_part_pairs(pkg, pkg)
               if pkg.xml(part).tag == qn("w:hdr")]
    return paragraph_texts(pkg.xml(headers[0]))
