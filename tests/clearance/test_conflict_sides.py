"""Deciding a conflict for either member gives that member's wording, whole.

Two members who replaced the same words differently leave one deletion (under
the first member's name) and two insertions. Choosing the second member's
wording (reject the first member's changes in the item, then accept the
second's, as the Clearance page's "Use ... wording" does) must not bring the
deleted words back beside the second member's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.clearance.review import read_review
from briefing.cli import app
from tests.clearance.test_combine import POINT, SENTENCE, member_copy, texts
from tests.conftest import validate_ooxml

runner = CliRunner()
REST = SENTENCE[len("Civil servants say"):]


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    from briefing.document.build import build_file
    from tests.clearance.test_combine import SAMPLE

    return build_file(SAMPLE, out=tmp_path_factory.mktemp("sides") / "draft.docx").value


def combined(draft: Path, tmp_path: Path, ann: str, bob: str) -> Path:
    """Return the combined copies of Ann and Bob, who retyped "Civil servants say"."""
    a = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": ann}, "Ann")
    b = member_copy(draft, tmp_path / "bob.docx", {"Civil servants say": bob}, "Bob")
    out = tmp_path / "combined.docx"
    result = runner.invoke(app, ["combine", str(draft), str(a), str(b), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: conflict in" in result.stderr
    return out


def run(*args: object) -> None:
    result = runner.invoke(app, [*map(str, args)])
    assert result.exit_code == 0, result.output


def choose(path: Path, keep: str, drop: str, tmp_path: Path) -> Path:
    """Return the document with `keep`'s wording: `drop`'s changes in the item rejected,
    then `keep`'s accepted."""
    rejected, decided = tmp_path / f"no-{drop}.docx", tmp_path / f"{keep}.docx"
    run("reject", path, "--author", drop, "--item", POINT, "-o", rejected)
    run("accept", rejected, "--author", keep, "--item", POINT, "-o", decided)
    return decided


def change_numbers(path: Path) -> dict[tuple[str, str], int]:
    """Return each change's number as `review --json` gives it, by (author, kind)."""
    report = runner.invoke(app, ["review", str(path), "--json"]).stdout
    return {(r["author"], r["kind"]): r["number"] for r in json.loads(report)["revisions"]}


def sentence(path: Path) -> str:
    (found,) = [t for t in texts(path, accept=True) if t.endswith(REST)]
    return found


CASES = {
    # Ann's wording, Bob's wording: the same words replaced
    "same words": ("Officials say", "Ministers say"),
    # Bob replaced fewer words than Ann
    "overlapping": ("Officials claim", "Ministers say"),
    # Bob only inserted a word inside the words Ann replaced
    "insertion inside": ("Officials say", "Civil senior servants say"),
}


@pytest.mark.parametrize("case", CASES)
def test_choosing_either_members_wording_gives_exactly_that_wording(draft, tmp_path, case):
    ann, bob = CASES[case]
    out = combined(draft, tmp_path, ann, bob)
    assert sentence(choose(out, "Bob", "Ann", tmp_path)) == bob + REST
    assert sentence(choose(out, "Ann", "Bob", tmp_path)) == ann + REST
    valid, report = validate_ooxml(tmp_path / "Bob.docx")
    assert valid, report


def test_rejecting_both_wordings_gives_the_draft_words_back(draft, tmp_path):
    out = combined(draft, tmp_path, "Officials say", "Ministers say")
    first, both = tmp_path / "first.docx", tmp_path / "both.docx"
    run("reject", out, "--author", "Ann", "-o", first)
    run("reject", first, "--author", "Bob", "-o", both)
    assert sentence(both) == SENTENCE
    assert texts(both, accept=False) == texts(both, accept=True)  # nothing left pending


def test_one_change_at_a_time_gives_the_same_as_by_member(draft, tmp_path):
    out = combined(draft, tmp_path, "Officials say", "Ministers say")
    numbers = change_numbers(out)
    no_ann = tmp_path / "no-ann.docx"
    run("reject", out, "--change", numbers[("Ann", "insert")], "-o", no_ann)
    final = tmp_path / "final.docx"
    run("accept", no_ann, "-o", final)
    assert sentence(final) == "Ministers say" + REST


def test_a_wording_left_once_its_conflict_is_decided_says_to_reject_it(draft, tmp_path):
    # Ann's wording accepted by its number alone: Bob's is still pending, and review says
    # it must be rejected (accepting it is refused: it would keep both wordings)
    out = combined(draft, tmp_path, "Officials say", "Ministers say")
    numbers = change_numbers(out)
    decided = tmp_path / "ann-accepted.docx"
    run("accept", out, "--change", numbers[("Ann", "insert")], "-o", decided)

    left = json.loads(runner.invoke(app, ["review", str(decided), "--json"]).stdout)
    (bob,) = [r for r in left["revisions"] if r["author"] == "Bob"]
    assert (bob["kind"], bob["text"], bob["decided"]) == ("insert", "Ministers", "Officials")
    assert "conflict" not in bob
    text = runner.invoke(app, ["review", str(decided)]).stdout
    assert 'insert by Bob' in text
    assert '(its conflict was decided for "Officials": reject it)' in text
    refused = runner.invoke(app, ["accept", str(decided), "-o", str(tmp_path / "both.docx")])
    assert refused.exit_code == 1 and "already decided" in refused.stderr


@pytest.mark.libreoffice
def test_the_choice_still_works_after_libreoffice_saves_the_combined_copy(draft, tmp_path, lo):
    out = combined(draft, tmp_path, "Officials say", "Ministers say")
    saved = tmp_path / "saved-by-libreoffice.docx"
    lo.tracked_edits(out, saved, [])
    decided = choose(saved, "Bob", "Ann", tmp_path)
    assert sentence(decided) == "Ministers say" + REST
    assert any(p.endswith("Ministers say" + REST) for p in lo.accept_all_paragraphs(decided))


def test_the_deleted_words_of_a_conflict_are_not_rejected_alone(draft, tmp_path):
    out = combined(draft, tmp_path, "Officials say", "Ministers say")
    report = json.loads(runner.invoke(app, ["review", str(out), "--json"]).stdout)
    (words,) = [r["number"] for r in report["revisions"] if r["kind"] == "delete"]
    one = tmp_path / "one.docx"
    refused = runner.invoke(app, ["reject", str(out), "--change", str(words), "-o", str(one)])
    assert refused.exit_code == 1 and not one.exists()
    assert (f"change {words} (delete by Ann in {POINT}) deletes words members reworded "
            "differently and goes with their wordings") in refused.stderr
    result = runner.invoke(app, ["reject", str(out), "--author", "Ann", "-o", str(one)])
    assert "info: kept 1 deletion of words another member's wording still replaces" \
        in result.stderr
    assert [(r.author, r.kind) for r in read_review(one).revisions] == [("Ann", "delete"),
                                                                       ("Bob", "insert")]


def test_the_conflict_names_the_members_who_made_it(draft, tmp_path):
    copies = [member_copy(draft, tmp_path / "a.docx", {"cuts across both": "undermines both"},
                          "Ann"),
              member_copy(draft, tmp_path / "b.docx", {"Civil servants": "Officials"}, "Bob"),
              member_copy(draft, tmp_path / "c.docx", {"Civil servants": "Ministers"}, "Cat")]
    result = runner.invoke(app, ["combine", *map(str, [draft, *copies]), "-o",
                                 str(tmp_path / "out.docx")])
    assert result.exit_code == 0, result.output
    assert f'warning: conflict in {POINT}: Bob: "Officials" / Cat: "Ministers"' in result.stderr


def test_accepting_a_change_elsewhere_leaves_a_conflict_undecided(draft, tmp_path):
    # Cat's edit in another point is accepted on its own: the words Ann and Bob reworded
    # differently stay, with both wordings still pending beside them
    a = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "bob.docx", {"Civil servants say": "Ministers say"}, "Bob")
    c = member_copy(draft, tmp_path / "cat.docx", {"cuts across both": "undermines both"}, "Cat")
    out, cat = tmp_path / "combined.docx", tmp_path / "cat-accepted.docx"
    run("combine", draft, a, b, c, "-o", out)
    run("accept", out, "--author", "Cat", "-o", cat)
    assert [(r.author, r.kind, r.text) for r in read_review(cat).revisions] == [
        ("Ann", "delete", "Civil servants"), ("Ann", "insert", "Officials"),
        ("Bob", "insert", "Ministers")]
    assert sentence(choose(cat, "Bob", "Ann", tmp_path)) == "Ministers say" + REST
