"""A `build --since` draft as LibreOffice reads it: only what changed, each change at its field."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "work-and-health-2016.yaml"  # a draft: no tracking switched on
POINT = "will run in all areas without a devolution deal."
REWORDED = "will run in every area without a devolution deal."
runner = CliRunner()


def run(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def variant(tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    """Return a copy of the sample with `changes` (old, new) made to its text."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def drafts(tmp_path):
    v1 = tmp_path / "v1.docx"
    run("build", SAMPLE, "-o", v1)
    return tmp_path, v1


@pytest.mark.libreoffice
def test_a_reworded_point_is_exactly_its_word_changes_in_libreoffice(lo, drafts):
    tmp_path, v1 = drafts
    fresh, v2 = tmp_path / "fresh.docx", tmp_path / "v2.docx"
    changed = variant(tmp_path, "changed", (POINT, REWORDED))
    run("build", changed, "-o", fresh)
    run("build", changed, "-o", v2, "--since", v1)

    assert lo.redline_kinds(v2) == ["Delete", "Insert"]
    assert lo.accept_all_paragraphs(v2) == lo.paragraphs(fresh)
    assert lo.reject_all_paragraphs(v2) == lo.paragraphs(v1)
    with zipfile.ZipFile(v2) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    # No paragraph, run or numbering property change, no paragraph mark revision.
    assert not re.search(r"<w:(pPrChange|rPrChange|numberingChange)\b", body)
    assert not re.search(r"<w:rPr>(?:(?!</w:rPr>).)*<w:(ins|del)\b(?:(?!</w:rPr>).)*</w:rPr>"
                         r"</w:pPr>", body)
    changes = json.loads(run("review", v2, "--json"))["revisions"]
    assert [(c["kind"], c["text"], c["item"]) for c in changes] == [
        ("delete", "all areas", "key_messages/every-area/points/0"),
        ("insert", "every area", "key_messages/every-area/points/0"),
    ]

def test_the_version_line_traces_version_and_prepared_to_their_own_fields(drafts):
    tmp_path, v1 = drafts
    v2 = tmp_path / "v2.docx"
    later = variant(tmp_path, "later", ("  version: 1", "  version: 2"),
                    ("  prepared: 2016-06-20", "  prepared: 2016-06-27"))
    run("build", later, "-o", v2, "--since", v1)
    changes = json.loads(run("review", v2, "--json"))["revisions"]
    assert [(c["kind"], c["text"], c["item"]) for c in changes] == [
        ("delete", "1", "briefing/version"), ("insert", "2", "briefing/version"),
        ("delete", "20", "briefing/prepared"), ("insert", "27", "briefing/prepared"),
    ]
