"""The whole clearance cycle, as an officer and two lead members run it:

new -> build -> members edit in a word processor with changes tracked -> review ->
accept -> absorb -> build --since (the next draft, showing members only what changed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

ANN, RAJ = "Cllr Ann Baker", "Cllr Raj Patel"
OFFICER = "Policy officer"
OUTCOME = "Four in ten residents supported were in work a year later."

runner = CliRunner()


def run(*args) -> str:
    """Run the CLI; return its stdout, failing the test on a non-zero exit."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, f"briefing {' '.join(map(str, args))}:\n{result.output}"
    return result.stdout


def comment_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.lstrip().startswith("#")]


@pytest.mark.libreoffice
def test_new_build_edit_review_accept_absorb_build_since(lo, tmp_path):
    yaml = tmp_path / "briefing.yaml"
    v1, reviewed, cleared, v2 = (tmp_path / n for n in
                                 ("v1.docx", "reviewed.docx", "cleared.docx", "v2.docx"))

    # The officer starts a briefing and sends version 1 out for clearance.
    run("new", yaml)
    comments = comment_lines(yaml)
    run("build", yaml, "-o", v1)

    # Two lead members edit it in a word processor with changes tracked.
    lo.tracked_edits(v1, reviewed, [
        {"kind": "replace", "author": ANN, "find": "should have a real role",
         "replace": "must have a real role"},
        {"kind": "insert_paragraph_after", "author": RAJ,
         "find": "Councils already fund and run employment support",
         "text": "Many also run their own job clubs."},
        {"kind": "replace", "author": RAJ, "find": "Many already do,", "replace": "Most already do,"},
        {"kind": "delete_paragraph", "author": ANN, "find": OUTCOME},
    ])

    # The officer reviews who changed what, by briefing item.
    report = json.loads(run("review", reviewed, "--json"))
    by_author = {(r["author"], r["item"]) for r in report["revisions"]
                 if r["kind"] in ("insert", "delete", "paragraph-insert", "paragraph-delete")}
    assert (ANN, "key_messages/councils-role/headline") in by_author
    assert (RAJ, "lines_to_take/capacity/answer") in by_author
    assert (ANN, "case_studies/example-council/outcomes/0") in by_author

    # ... accepts them all, and carries the cleared wording back into the YAML.
    run("accept", reviewed, "-o", cleared)
    summary = run("absorb", cleared, "--into", yaml).splitlines()
    assert summary[0] == f"{yaml}: absorbed 6 changes from {cleared}"
    assert summary[1:5] == [
        "  key_messages[councils-role].headline: Councils [-should-]{+must+} have a real …",
        "  lines_to_take[capacity].answer: [-Many-]{+Most+} already do, …",
        "  key_messages[councils-role].points[1]: added 'Many also run their own job clubs.'",
        f"  case_studies[example-council].outcomes[0]: deleted '{OUTCOME}'",
    ]
    assert [line.split(" (")[0] for line in summary[5:]] == [
        f"  clearance: {ANN}", f"  clearance: {RAJ}"]
    text = yaml.read_text(encoding="utf-8")
    assert comment_lines(yaml) == comments
    assert "    headline: Councils must have a real role in commissioning the programme.\n" \
           in text
    assert "      - Councils already fund and run employment support in most areas.\n" \
           "      - Many also run their own job clubs.\n" in text
    assert "clearance:\n  - reviewer: Cllr Ann Baker\n    role: Lead member\n" in text

    # The next draft: version 2, redlined against what members saw.
    yaml.write_text(text.replace("  version: 1 ", "  version: 2 "), encoding="utf-8")
    run("build", yaml, "-o", v2, "--since", v1, "--author", OFFICER)
    changes = json.loads(run("review", v2, "--json"))["revisions"]
    assert changes and {r["author"] for r in changes} == {OFFICER}
    accepted = lo.accept_all_paragraphs(v2)
    assert "Councils must have a real role in commissioning the programme." in accepted
    assert "Many also run their own job clubs." in accepted
    assert "Most already do, as the case studies show." in accepted
    assert OUTCOME not in accepted
    assert lo.reject_all_paragraphs(v2) == lo.paragraphs(v1)

    # Round two: a member edits the redlined draft; accepting all takes in both the
    # officer's redline and her edit, and only she is recorded as clearing version 2.
    reviewed2, cleared2 = tmp_path / "v2-reviewed.docx", tmp_path / "v2-cleared.docx"
    lo.tracked_edits(v2, reviewed2, [
        {"kind": "replace", "author": ANN, "find": "Many also run", "replace": "Many run"},
    ])
    run("accept", reviewed2, "-o", cleared2)
    summary = run("absorb", cleared2, "--into", yaml).splitlines()
    assert summary[1] == "  key_messages[councils-role].points[1]: Many[- also-] run their own …"
    assert [line.split(", 20")[0] for line in summary[2:]] == [
        f"  clearance: {ANN} (Lead member, version 2"]
