"""combine with LibreOffice as the members' editor, end to end.

A built for-clearance draft goes to three members: A edits with Track Changes
on, B with Track Changes on and one change overlapping A's, C with tracking
off. combine puts them in one document; review names the right member and
item for every edit and no change nobody made; rejecting B's side of the
conflict and accepting the rest gives every member's wording in LibreOffice.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.document.build import build_file
from tests.conftest import ROOT, validate_ooxml
from tests.support.wordnoise import add_word_noise

pytestmark = pytest.mark.libreoffice
runner = CliRunner()
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
ANN, BOB, CAT = "Cllr Ann Baker", "Cllr Bob Lee", "Cllr Cat Shaw"
LOCAL = "key_messages/local-commissioning"
PARTNER = "key_messages/partnership-not-centralism"
MARKETS = "key_messages/local-labour-markets"
EDITS = {
    ANN: [{"kind": "replace", "author": ANN, "find": "Civil servants say",
           "replace": "Officials say"},
          {"kind": "replace", "author": ANN, "find": "a handful of areas",
           "replace": "a few areas"}],
    BOB: [{"kind": "replace", "author": BOB, "find": "Civil servants say",
           "replace": "Ministers say"},
          {"kind": "insert_paragraph_after", "author": BOB, "find": "Local knowledge lets support",
           "text": "Skills funding should follow the same local plan."}],
    CAT: [{"kind": "replace", "author": CAT, "find": "cuts across both",
           "replace": "undermines both"},
          {"kind": "replace", "author": CAT, "find": "in partnership with local",
           "replace": "closely with local"}],
}
EXPECTED = [
    (ANN, "delete", "a handful of areas", f"{LOCAL}/points/2"),
    (ANN, "insert", "a few areas", f"{LOCAL}/points/2"),
    (ANN, "delete", "Civil servants say", f"{PARTNER}/points/0"),
    (ANN, "insert", "Officials say", f"{PARTNER}/points/0"),
    (BOB, "insert", "Ministers say", f"{PARTNER}/points/0"),
    (CAT, "delete", "in partnership", f"{PARTNER}/points/0"),
    (CAT, "insert", "closely", f"{PARTNER}/points/0"),
    (CAT, "delete", "cuts across", f"{PARTNER}/points/2"),
    (CAT, "insert", "undermines", f"{PARTNER}/points/2"),
    (BOB, "paragraph-insert", "Local knowledge lets support follow the vacancies that actually "
     "exist.", f"{MARKETS}/points/2"),
    (BOB, "insert", "Skills funding should follow the same local plan.", f"{MARKETS}/points/2"),
]


def run(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def returned(lo, tmp_path_factory) -> tuple[Path, list[Path], Path]:
    """Return (draft, the three members' copies, the combined document)."""
    folder = tmp_path_factory.mktemp("members")
    draft = build_file(SAMPLE, out=folder / "draft.docx").value
    copies = [lo.tracked_edits(draft, folder / f"{name.split()[1].lower()}.docx", edits,
                               record=name != CAT, saver=name)
              for name, edits in EDITS.items()]
    combined = folder / "combined.docx"
    result = run("combine", draft, *copies, "-o", combined)
    assert result.exit_code == 0, result.output
    return draft, copies, combined


def test_the_summary_counts_tracked_and_untracked_changes_per_member(returned, tmp_path):
    draft, copies, _ = returned
    result = run("combine", draft, *copies, "-o", tmp_path / "again.docx")
    lines = result.stderr.splitlines()
    assert (f"info: ann.docx: {ANN} (named by the copy's last-modified-by): 4 tracked changes, "
            "0 found untracked, 0 comments") in lines
    assert (f"info: cat.docx: {CAT} (named by the copy's last-modified-by): 0 tracked changes, "
            "4 found untracked, 0 comments") in lines
    assert f"info: {PARTNER}/points/0: changed by {ANN}, {BOB}, {CAT}" in lines
    assert any(line.startswith(f'warning: conflict in {PARTNER}/points/0: {ANN}: "Officials say"'
                               f' / {BOB}: "Ministers say"') for line in lines)


def test_review_names_the_member_and_item_of_every_edit_and_nothing_else(returned):
    _, _, combined = returned
    report = json.loads(run("review", combined, "--json").stdout)
    found = [(r["author"], r["kind"], r["text"], r["item"]) for r in report["revisions"]]
    assert found == EXPECTED
    sides = {r["author"]: r["conflict"] for r in report["revisions"] if "conflict" in r}
    assert set(sides) == {ANN, BOB}


def test_review_against_tells_the_untracked_copy_from_the_tracked_ones(returned):
    draft, copies, _ = returned
    for copy, untracked in zip(copies, (False, False, True)):
        report = json.loads(run("review", copy, "--against", draft, "--json").stdout)
        assert report["revisions"]
        assert {r.get("untracked", False) for r in report["revisions"]} == {untracked}


def test_rejecting_one_side_of_the_conflict_and_accepting_the_rest(returned, lo, tmp_path):
    _, _, combined = returned
    refused = run("accept", combined, "-o", tmp_path / "both.docx")
    assert refused.exit_code == 1 and f"{ANN} and {BOB} changed the same words" in refused.stderr
    one = tmp_path / "one.docx"
    assert run("reject", combined, "--author", BOB, "--item", f"{PARTNER}/points/0",
               "-o", one).exit_code == 0
    final = tmp_path / "final.docx"
    assert run("accept", one, "-o", final).exit_code == 0
    text = lo.paragraphs(final)
    assert "Officials say they want to work closely with local government." in text
    assert "A commissioning role can be tested in a few areas before any wider change." in text
    assert "A single, centrally let contract for each region undermines both." in text
    assert "Skills funding should follow the same local plan." in text
    assert not any("Ministers say" in t or "Civil servants say" in t for t in text)


def test_libreoffice_reject_all_gives_the_draft_and_the_output_is_valid(returned, lo):
    draft, _, combined = returned
    assert lo.reject_all_paragraphs(combined) == lo.paragraphs(draft)
    valid, report = validate_ooxml(combined)
    assert valid, report


def test_copies_saved_unchanged_or_with_word_noise_give_no_change(returned, lo, tmp_path):
    draft, _, _ = returned
    unchanged = lo.tracked_edits(draft, tmp_path / "unchanged.docx", [], record=False,
                                 saver="Cllr Dee Vine")
    noisy = add_word_noise(draft, tmp_path / "noisy.docx")
    out = tmp_path / "none.docx"
    result = run("combine", draft, unchanged, noisy, "-o", out)
    assert result.exit_code == 0, result.output
    assert "info: no changes found in any copy" in result.stderr
    assert json.loads(run("review", out, "--json").stdout)["revisions"] == []
