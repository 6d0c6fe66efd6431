"""Round trip through a real editor: build -> tracked edits by two members in LibreOffice ->
accept all -> absorb -> rebuild. The rebuilt document carries every edit, and the YAML keeps
its comments."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import read_paragraphs

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "absorb" / "briefing.yaml"
ANN, RAJ = "Cllr Ann Baker", "Cllr Raj Patel"
EDITS = [
    {"kind": "replace", "author": ANN, "find": "should help commission",
     "replace": "must help commission"},
    {"kind": "replace", "author": RAJ, "find": "deliver and where the gaps in local provision are",
     "replace": "work best"},
    {"kind": "insert_paragraph_after", "author": ANN, "find": "They know which providers",
     "text": "Councils will share their data."},
    {"kind": "delete_paragraph", "author": RAJ, "find": "Civil servants say they want"},
    {"kind": "replace", "author": RAJ, "find": "Lessons from the Future Jobs Fund",
     "replace": "The lessons of the Future Jobs Fund"},
]

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def until_clearance(paragraphs: list[str]) -> list[str]:
    """Return the paragraphs before the clearance record (which absorb extends)."""
    return paragraphs[:paragraphs.index("Clearance record")]


@pytest.mark.libreoffice
def test_edits_by_two_members_come_back_into_the_yaml_and_the_next_build(lo, tmp_path):
    yaml = tmp_path / "briefing.yaml"
    shutil.copyfile(FIXTURE, yaml)
    before = yaml.read_text(encoding="utf-8")
    invoke("build", yaml, "-o", tmp_path / "draft.docx")
    reviewed = lo.tracked_edits(tmp_path / "draft.docx", tmp_path / "reviewed.docx", EDITS)
    invoke("accept", reviewed, "-o", tmp_path / "cleared.docx")

    result = invoke("absorb", tmp_path / "cleared.docx", "--into", yaml)

    today = dt.date.today().isoformat()
    assert result.stdout.splitlines()[1:] == [
        "  key_messages[local-commissioning].headline: Councils [-should-]{+must+} help "
        "commission the …",
        ("  member_comments[rt-jul-future-jobs].text: [-Lessons from-]{+The lessons of+} the "
         "Future Jobs …"),
        ("  key_messages[local-commissioning].points[1]: … know which providers [-deliver and "
         "where the gaps in local provision are-]{+work best+}."),
        "  key_messages[local-commissioning].points[2]: added 'Councils will share their data.'",
        ("  key_messages[partnership-not-centralism].points[0]: deleted 'Civil servants say "
        "they want to work in partnership with local govern…'"),
        f"  clearance: {ANN} (Lead member, version 2, {today}, cleared-with-changes)",
        f"  clearance: {RAJ} (Lead member, version 2, {today}, cleared-with-changes)",
    ]
    after = yaml.read_text(encoding="utf-8")
    assert comments(after) == comments(before)
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed[:8] == [
        ("-    headline: Councils should help commission the Work Programme, not watch from "
        "the side-lines."),
        ("+    headline: Councils must help commission the Work Programme, not watch from "
        "the side-lines."),
        "-      - They know which providers deliver and where the gaps in local provision are.",
        "+      - They know which providers work best.",
        "+      - Councils will share their data.",
        "-      - Civil servants say they want to work in partnership with local government.",
        "-    text: Lessons from the Future Jobs Fund should not be lost when it closes.",
        "+    text: The lessons of the Future Jobs Fund should not be lost when it closes.",
    ]

    invoke("build", yaml, "-o", tmp_path / "rebuilt.docx")
    ours = [p.text for p in read_paragraphs(Package.open(tmp_path / "rebuilt.docx"))]
    cleared = [p.text for p in read_paragraphs(Package.open(tmp_path / "cleared.docx"))]
    assert until_clearance(ours) == until_clearance(cleared)
    assert until_clearance(lo.paragraphs(tmp_path / "rebuilt.docx")) == \
        until_clearance(lo.paragraphs(tmp_path / "cleared.docx"))
