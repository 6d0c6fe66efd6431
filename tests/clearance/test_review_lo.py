"""On our own output: members edit a built briefing in LibreOffice with change tracking on.

Two members make tracked edits over UNO (replace words, add a paragraph,
delete a paragraph); `review` must name the right member and the right
briefing item for each, and accepting or rejecting one member's changes must
leave exactly the other's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.clearance.review import read_review, resolve_file
from briefing.cli import app
from briefing.document.build import build_file
from briefing.ooxml.package import Package
from tests.conftest import ROOT

pytestmark = pytest.mark.libreoffice
runner = CliRunner()
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
ALICE, BOB = "Cllr Alice Example", "Cllr Bob Example"
LOCAL = "key_messages/local-commissioning"
PARTNER = "key_messages/partnership-not-centralism"
EDITS = [
    {"kind": "replace", "author": ALICE, "find": "not watch from the side-lines",
     "replace": "not watch from the touchline"},
    {"kind": "insert_paragraph_after", "author": BOB, "find": "They know which providers deliver",
     "text": "Councils also hold the data on local skills gaps."},
    {"kind": "delete_paragraph", "author": ALICE, "find": "A single, centrally let contract"},
    {"kind": "replace", "author": BOB, "find": "Civil servants say", "replace": "Officials say"},
]
# (author, kind, text, item) for each change the four edits record
EXPECTED = [
    (ALICE, "delete", "not watch from the side-lines", f"{LOCAL}/headline"),
    (ALICE, "insert", "not watch from the touchline", f"{LOCAL}/headline"),
    (BOB, "paragraph-insert",
     "They know which providers deliver and where the gaps in local provision are.",
     f"{LOCAL}/points/1"),
    (BOB, "insert", "Councils also hold the data on local skills gaps.", f"{LOCAL}/points/1"),
    (BOB, "delete", "Civil servants say", f"{PARTNER}/points/0"),
    (BOB, "insert", "Officials say", f"{PARTNER}/points/0"),
    (ALICE, "delete", "A single, centrally let contract for each region cuts across both.",
     f"{PARTNER}/points/2"),
    (ALICE, "paragraph-delete", "A single, centrally let contract for each region cuts across both.",
     f"{PARTNER}/points/2"),
]


@pytest.fixture(scope="module")
def edited(lo, tmp_path_factory) -> tuple[Path, Path]:
    """Return (built, edited): the sample briefing and a copy two members edited in LibreOffice."""
    folder = tmp_path_factory.mktemp("members")
    built = build_file(SAMPLE, out=folder / "briefing.docx").value
    return built, lo.tracked_edits(built, folder / "briefing-reviewed.docx", EDITS)


def members_changes(path: Path) -> list[tuple]:
    """Return (author, kind, text, item) of the members' changes in `path`.

    LibreOffice 7.4 also writes formatting changes of its own into the
    clearance table when it saves, under whatever user name its profile holds
    at the time ("Unknown Author", or the last member it edited as). The
    members made no formatting change, so formatting changes are left out.
    """
    return [(r.author, r.kind, r.text, r.item) for r in read_review(path).revisions
            if r.author in (ALICE, BOB) and r.kind != "format"]


def test_review_names_the_member_and_the_briefing_item_of_every_edit(edited):
    _, reviewed = edited
    assert members_changes(reviewed) == EXPECTED


def test_libreoffice_records_no_change_that_no_member_made(edited):
    # A body that ended with a table made LibreOffice 7.4 record its cells' formatting
    # as ten changes by "Unknown Author" on load; the build now ends the body with a
    # paragraph, as Word does.
    _, reviewed = edited
    others = [(r.author, r.kind, r.text) for r in read_review(reviewed).revisions
              if r.author not in (ALICE, BOB) or r.kind == "format"]
    assert others == []


def test_the_report_summarises_the_members_by_item(edited):
    _, reviewed = edited
    result = runner.invoke(app, ["review", str(reviewed)])
    assert result.exit_code == 0, result.output
    assert re.search(f"^  {ALICE}: 2 delete, (\\d+ format, )?1 insert, 1 paragraph-delete$",
                     result.stdout, re.MULTILINE)
    assert re.search(f"^  {BOB}: 1 delete, (\\d+ format, )?2 insert, 1 paragraph-insert$",
                     result.stdout, re.MULTILINE)
    assert f"  {LOCAL}/points/1: 2 ({BOB} 2)" in result.stdout
    assert f"  {PARTNER}/points/2: 2 ({ALICE} 2)" in result.stdout


def test_accepting_one_member_leaves_the_other_members_changes(edited, tmp_path):
    _, reviewed = edited
    out = tmp_path / "alice-accepted.docx"
    resolve_file(reviewed, out, accept=True, authors=[ALICE])
    assert members_changes(out) == [e for e in EXPECTED if e[0] == BOB]


def test_rejecting_one_item_leaves_the_others(edited, tmp_path, lo):
    _, reviewed = edited
    out = tmp_path / "partnership-rejected.docx"
    resolve_file(reviewed, out, accept=False, items=["partnership-not-centralism"])
    assert members_changes(out) == [e for e in EXPECTED if not e[3].startswith(PARTNER)]
    texts = lo.paragraphs(out)
    assert any(t.startswith("Civil servants say") for t in texts)
    assert "A single, centrally let contract for each region cuts across both." in texts


def test_our_source_bookmarks_survive_accepting_and_rejecting(edited, tmp_path):
    built, reviewed = edited
    ids = {change[3] for change in members_changes(reviewed)}
    for accept in (True, False):
        out = tmp_path / f"{accept}.docx"
        resolve_file(reviewed, out, accept=accept)
        names = Package.open(out).parts["word/document.xml"].count(b'w:name="_Brf')
        assert names == Package.open(built).parts["word/document.xml"].count(b'w:name="_Brf')
    assert len(ids) == 4


def test_accept_all_and_reject_all_agree_with_libreoffice_on_our_document(edited, lo, tmp_path):
    built, reviewed = edited
    for accept in (True, False):
        out = tmp_path / f"{accept}.docx"
        resolve_file(reviewed, out, accept=accept)
        theirs = lo.accept_all_paragraphs(reviewed) if accept else lo.reject_all_paragraphs(reviewed)
        assert lo.paragraphs(out) == theirs
    assert lo.paragraphs(tmp_path / "False.docx") == lo.paragraphs(built)
