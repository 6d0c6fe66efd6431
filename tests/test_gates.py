"""Status gates: build refuses `cleared` / `final` until case studies are agreed and cleared.

Each gate is driven through the CLI on a copy of the shipped sample (status
`for-clearance`, version 2, two case studies not yet agreed with their
councils, a clearance entry for version 1 only). A refused build exits 1,
says which line of the YAML to fix, writes nothing and leaves an earlier
output as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
runner = CliRunner()

NOT_AGREED = [
    ("{y}:272:26: case_studies[2].agreed_with_council: case study 'eastbridge-apprenticeships' "
     "is not agreed with Eastbridge City Council; status '{s}' needs every case study agreed"),
    ("{y}:300:26: case_studies[4].agreed_with_council: case study 'southmere-data-sharing' is "
     "not agreed with Southmere Metropolitan Borough Council; status '{s}' needs every case "
     "study agreed"),
]
NO_CLEARANCE = "{y}:13:11: briefing.status: status 'cleared' needs a clearance entry for version 2"
CLEARANCE_V2 = """  - reviewer: Cllr Jean Hart
    role: Lead member, Regeneration and Transport Board
    version: 2
    date: 2010-09-24
    outcome: cleared
"""


def sample(tmp_path: Path, status: str, *, agreed: bool = False,
           cleared_v2: bool = False) -> Path:
    """Return a copy of the sample with `status` and the given gates met."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert "status: for-clearance" in text and text.count("agreed_with_council: false") == 2
    text = text.replace("status: for-clearance", f"status: {status}")
    if agreed:
        text = text.replace("agreed_with_council: false", "agreed_with_council: true")
    if cleared_v2:
        text = text.rstrip("\n") + "\n" + CLEARANCE_V2
    path = tmp_path / "briefing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def build(yaml: Path, out: Path, *extra: str):
    return runner.invoke(app, ["build", str(yaml), "-o", str(out), *extra])


@pytest.mark.parametrize("status, expected", [
    ("cleared", [NO_CLEARANCE, *NOT_AGREED]),
    ("final", NOT_AGREED),
])
def test_unagreed_case_studies_block_cleared_and_final(tmp_path, status, expected):
    yaml = sample(tmp_path, status)
    out = tmp_path / "briefing.docx"
    result = build(yaml, out)
    assert result.exit_code == 1
    assert result.output == "".join(e.format(y=yaml, s=status) + "\n" for e in expected)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.yaml"]


def test_cleared_needs_a_clearance_entry_for_the_current_version(tmp_path):
    yaml = sample(tmp_path, "cleared", agreed=True)
    out = tmp_path / "briefing.docx"
    result = build(yaml, out)
    assert result.exit_code == 1
    assert result.output == NO_CLEARANCE.format(y=yaml) + "\n"
    assert not out.exists()


@pytest.mark.parametrize("status, cleared_v2", [("cleared", True), ("final", False)])
def test_gates_met_builds(tmp_path, status, cleared_v2):
    yaml = sample(tmp_path, status, agreed=True, cleared_v2=cleared_v2)
    out = tmp_path / "briefing.docx"
    result = build(yaml, out)
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"wrote {out}\n")
    assert out.is_file()


def test_refused_build_leaves_the_previous_output_intact(tmp_path):
    yaml = sample(tmp_path, "for-clearance")
    out = tmp_path / "briefing.docx"
    assert build(yaml, out).exit_code == 0
    before = out.read_bytes()
    refused = sample(tmp_path, "final")
    result = build(refused, out, "--force")
    assert result.exit_code == 1
    assert out.read_bytes() == before


@pytest.mark.parametrize("status", ["draft", "for-clearance"])
def test_drafts_build_with_unagreed_case_studies_and_say_so(tmp_path, status):
    yaml = sample(tmp_path, status)
    out = tmp_path / "briefing.docx"
    result = build(yaml, out)
    assert result.exit_code == 0
    assert (f"warning: {yaml}:272:26: case_studies[2].agreed_with_council: "
            "'eastbridge-apprenticeships' is not yet agreed with Eastbridge City Council; "
            "agree it before the briefing is cleared") in result.output


def test_validate_reports_the_same_gates(tmp_path):
    yaml = sample(tmp_path, "cleared")
    result = runner.invoke(app, ["validate", str(yaml)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        e.format(y=yaml, s="cleared") for e in [NO_CLEARANCE, *NOT_AGREED]]
