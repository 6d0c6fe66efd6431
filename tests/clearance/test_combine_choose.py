"""Deciding a conflict: either member's wording gives exactly that member's sentence.

Two members who change the same words differently both deleted them; whichever
wording the officer uses (the other side rejected, then this side accepted, as
the Clearance page's "Use X's wording" does), the words they replaced are gone
and nothing of the other wording is left.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.document.build import build_file
from tests.clearance.test_combine import POINT, SAMPLE, SENTENCE, combine, member_copy, texts

runner = CliRunner()
TAIL = SENTENCE.removeprefix("Civil servants say")
CASES = {  # Ann's edit, Bob's edit, the sentence with Ann's wording, with Bob's
    "the same words": ({"Civil servants say": "Officials say"},
                       {"Civil servants say": "Ministers say"},
                       "Officials say" + TAIL, "Ministers say" + TAIL),
    "overlapping words": ({"Civil servants say": "Officials claim"},
                          {"Civil servants": "Ministers"},
                          "Officials claim" + TAIL, "Ministers say" + TAIL),
}


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    return build_file(SAMPLE, out=tmp_path_factory.mktemp("choose") / "draft.docx").value


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("chosen", ["Ann", "Bob"])
def test_using_either_members_wording_gives_their_sentence(draft, tmp_path, case, chosen):
    ann, bob, ann_says, bob_says = CASES[case]
    copies = [member_copy(draft, tmp_path / "a.docx", ann, "Ann"),
              member_copy(draft, tmp_path / "b.docx", bob, "Bob")]
    out = tmp_path / "combined.docx"
    assert combine(draft, *copies, "-o", out).exit_code == 0
    other = "Bob" if chosen == "Ann" else "Ann"
    one, two = tmp_path / "one.docx", tmp_path / "two.docx"
    assert _cli("reject", out, "--author", other, "--item", POINT, "-o", one).exit_code == 0
    assert _cli("accept", one, "--author", chosen, "--item", POINT, "-o", two).exit_code == 0
    wanted = ann_says if chosen == "Ann" else bob_says
    assert wanted in texts(two, accept=False)  # nothing left to decide in the sentence
    assert SENTENCE in texts(out, accept=False)  # rejecting everything gives the draft


def test_rejecting_both_wordings_gives_the_draft_words_back(draft, tmp_path):
    ann, bob, _, _ = CASES["overlapping words"]
    copies = [member_copy(draft, tmp_path / "a.docx", ann, "Ann"),
              member_copy(draft, tmp_path / "b.docx", bob, "Bob")]
    out, one, two = (tmp_path / f"{n}.docx" for n in ("combined", "one", "two"))
    assert combine(draft, *copies, "-o", out).exit_code == 0
    assert _cli("reject", out, "--author", "Ann", "--item", POINT, "-o", one).exit_code == 0
    assert _cli("reject", one, "--author", "Bob", "--item", POINT, "-o", two).exit_code == 0
    assert SENTENCE in texts(two, accept=True)


def test_the_conflict_names_the_members_who_made_it(draft, tmp_path):
    copies = [member_copy(draft, tmp_path / "a.docx", {"cuts across both": "undermines both"},
                          "Ann"),
              member_copy(draft, tmp_path / "b.docx", {"Civil servants": "Officials"}, "Bob"),
              member_copy(draft, tmp_path / "c.docx", {"Civil servants": "Ministers"}, "Cat")]
    result = combine(draft, *copies, "-o", tmp_path / "out.docx")
    assert result.exit_code == 0, result.output
    assert f'warning: conflict in {POINT}: Bob: "Officials" / Cat: "Ministers"' in result.stderr


def _cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])

