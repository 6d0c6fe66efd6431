"""Every sample, built with every shipped template, passes `briefing check` with no
accessibility finding (rules A01-A12) and no error of any kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.check.rules import check_file
from briefing.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
TEMPLATES = sorted(p.name for p in (ROOT / "templates").iterdir()
                   if (p / "reference.docx").is_file())
runner = CliRunner()

CASES = [pytest.param(s, t, id=f"{s.stem}-{t}") for s in SAMPLES for t in TEMPLATES]


@pytest.mark.parametrize("sample, template", CASES)
def test_built_sample_has_no_accessibility_finding(tmp_path, sample, template):
    out = tmp_path / f"{sample.stem}.docx"
    result = runner.invoke(app, ["build", str(sample), "-o", str(out), "--template", template])
    assert result.exit_code == 0, result.output
    findings = check_file(out)
    assert [str(f) for f in findings if f.rule.startswith("A") or f.severity == "error"] == []


@pytest.mark.parametrize("sample, template", CASES)
def test_built_sample_passes_check_on_the_command_line(tmp_path, sample, template):
    out = tmp_path / f"{sample.stem}.docx"
    runner.invoke(app, ["build", str(sample), "-o", str(out), "--template", template])
    result = runner.invoke(app, ["check", str(out)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"no findings|0 errors, \d+ warnings?", result.output.splitlines()[-1])


def test_build_reports_findings_as_warnings(tmp_path):
    sample = ROOT / "samples" / "work-programme-2010.yaml"
    out = tmp_path / "briefing.docx"
    result = runner.invoke(app, ["build", str(sample), "-o", str(out)])
    assert result.exit_code == 0
    # Every finding but H01, which a draft always earns by carrying its data for absorb.
    expected = {f"warning: {out}: {f.rule}: {f.where}: {f.message}" for f in check_file(out)
                if f.rule != "H01-hidden-data"}
    assert expected and expected <= set(result.output.splitlines())
