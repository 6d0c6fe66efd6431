"""`briefing accept / reject --change N`: one change, numbered as `briefing review` numbers it.

The document has twelve changes, so numbers 1, 10 and 11 (and items objectives/1,
objectives/10, objectives/11) are prefixes of one another, plus a deletion nested in
another member's insertion and a move.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefing.clearance.review import read_review
from briefing.cli import app
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.sourcemap import bookmark_name
from tests.clearance.test_combine import POINT, member_copy
from tests.clearance.test_review import D1, dele, ins, sourced
from tests.conftest import validate_ooxml
from tests.support.cxml import para, run, source_map_parts, w, write_docx

runner = CliRunner()
ANN, BOB = "Cllr Ann Baker", "Cllr Bob Lee"
IDS = [f"objectives/{n}" for n in range(12)]  # objectives/1 is a prefix of /10 and /11
NESTED = "background/funding/paragraphs/0"


@pytest.fixture
def many(tmp_path):
    """Twelve objectives, each with one insertion (Ann and Bob in turn): changes 1 to 12;
    then Bob's insertion holding Ann's deletion: changes 13 and 14."""
    blocks = [sourced(sid, n, run(f"Objective {n}"), ins(f" new {n}", ANN if n % 2 else BOB))
              for n, sid in enumerate(IDS)]
    blocks.append(sourced(NESTED, 99, run("Funding must follow "),
                          w.ins(run("the "), dele("new ", ANN), author=BOB, date=D1),
                          run("duties")))
    return write_docx(tmp_path / "many.docx", blocks,
                      extra=source_map_parts({bookmark_name(i): i for i in [*IDS, NESTED]}))


def texts(path):
    return paragraph_texts(Package.open(path).xml("word/document.xml"))


def left(path):
    return [(r.kind, r.author, r.text) for r in read_review(path).revisions]


def test_review_json_gives_each_change_the_number_review_prints(many):
    data = json.loads(runner.invoke(app, ["review", "--json", str(many)]).stdout)
    assert [r["number"] for r in data["revisions"]] == list(range(1, 15))
    report = runner.invoke(app, ["review", str(many)]).stdout
    for r in data["revisions"]:
        assert f"  {r['number']}. {r['kind']} by {r['author']} " in report
    assert data["revisions"][13]["parent"] == 12  # positions, as before: change 14 in 13


@pytest.mark.parametrize(("number", "item"), [(1, "objectives/0"), (2, "objectives/1"),
                                              (11, "objectives/10"), (12, "objectives/11")])
@pytest.mark.parametrize("command", ["accept", "reject"])
def test_one_change_resolves_exactly_that_change(many, tmp_path, command, number, item):
    out = tmp_path / "one.docx"
    before = many.read_bytes()
    result = runner.invoke(app, [command, str(many), "--change", str(number), "-o", str(out)])
    assert result.exit_code == 0, result.output
    verb = "accepted" if command == "accept" else "rejected"
    assert result.stderr == f"info: {verb} 1 tracked change (change {number})\n"
    assert many.read_bytes() == before
    everything = left(many)
    assert left(out) == everything[:number - 1] + everything[number:]
    n = number - 1
    expected = texts(many)
    expected[n] = f"Objective {n}" + (f" new {n}" if command == "accept" else "")
    # the others still show their pending insertion (the reader shows it as text)
    assert texts(out) == expected
    ok, report = validate_ooxml(out)
    assert ok, report


def test_several_numbers_resolve_those_changes_only(many, tmp_path):
    out = tmp_path / "some.docx"
    result = runner.invoke(app, ["reject", str(many), "--change", "1", "--change", "11",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: rejected 2 tracked changes (change 1, 11)\n"
    assert [r.item for r in read_review(out).revisions][:10] == \
        [i for i in IDS if i not in ("objectives/0", "objectives/10")]
    assert texts(out)[0] == "Objective 0" and texts(out)[10] == "Objective 10"


@pytest.mark.parametrize("number", ["0", "15", "-1"])
def test_a_number_out_of_range_is_refused_naming_file_and_number(many, tmp_path, number):
    out = tmp_path / "none.docx"
    result = runner.invoke(app, ["accept", str(many), "--change", number, "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"{many}: there is no change {number}; `briefing review "
                             "many.docx` numbers its changes 1 to 14; nothing was written\n")
    assert not out.exists()


def test_a_document_without_changes_has_no_change_1(tmp_path):
    path = write_docx(tmp_path / "clean.docx", [para("Nothing to see")])
    result = runner.invoke(app, ["reject", str(path), "--change", "1"])
    assert result.exit_code == 1
    assert result.stderr == (f"{path}: there is no change 1; the document has no tracked "
                             "changes; nothing was written\n")
    assert not path.with_name("clean-rejected.docx").exists()


def test_a_number_that_is_not_a_number_is_a_usage_error(many):
    result = runner.invoke(app, ["accept", str(many), "--change", "three"])
    assert result.exit_code == 2


def test_with_author_and_item_a_numbered_change_must_pass_them_too(many, tmp_path):
    out = tmp_path / "out.docx"
    # change 2 is Ann's, in objectives/1: both filters agree
    ok = runner.invoke(app, ["accept", str(many), "--change", "2", "--author", ANN,
                             "--item", "objectives/1", "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert ok.stderr == "info: accepted 1 tracked change (change 2)\n"
    # change 11 is in objectives/10, which merely starts with objectives/1
    out.unlink()
    refused = runner.invoke(app, ["accept", str(many), "--change", "11",
                                  "--item", "objectives/1", "-o", str(out)])
    assert refused.exit_code == 1
    assert refused.stderr == (f"{many}: change 11 (insert by {BOB} in objectives/10) is not "
                              "one --author/--item choose; nothing was written\n")
    assert not out.exists()
    by_other = runner.invoke(app, ["accept", str(many), "--change", "2", "--author", BOB,
                                   "-o", str(out)])
    assert by_other.exit_code == 1 and "change 2 (insert by Cllr Ann Baker" in by_other.stderr
    assert not out.exists()


def test_a_deletion_inside_another_members_insertion_is_decided_on_its_own(many, tmp_path):
    out = tmp_path / "inner.docx"
    result = runner.invoke(app, ["accept", str(many), "--change", "14", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert texts(out)[-1] == "Funding must follow the duties"
    assert left(out)[-1] == ("insert", BOB, "the ")
    ok, report = validate_ooxml(out)
    assert ok, report


def test_rejecting_an_insertion_that_holds_a_pending_change_alone_is_refused(many, tmp_path):
    out = tmp_path / "outer.docx"
    result = runner.invoke(app, ["reject", str(many), "--change", "13", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{many}: change 13 (insert by {BOB}) holds change 14 (delete by {ANN}); rejecting "
        "it alone would remove that change too, so nothing was written. Decide change 14 "
        "first (`briefing review` then numbers the changes again), or give both: --change 13 "
        "--change 14\n")
    assert not out.exists()
    both = runner.invoke(app, ["reject", str(many), "--change", "13", "--change", "14",
                               "-o", str(out)])
    assert both.exit_code == 0, both.output
    assert texts(out)[-1] == "Funding must follow duties"
    # accepting the insertion alone leaves the deletion inside it pending
    kept = tmp_path / "kept.docx"
    assert runner.invoke(app, ["accept", str(many), "--change", "13", "-o",
                               str(kept)]).exit_code == 0
    assert left(kept)[-1] == ("delete", ANN, "new ")


def test_one_side_of_a_move_resolves_the_move(tmp_path):
    def move(kind, name, text, author=ANN):
        start = getattr(w, f"{kind}RangeStart")(id="7" if kind == "moveFrom" else "8",
                                                 name=name, author=author, date=D1)
        end = getattr(w, f"{kind}RangeEnd")(id="7" if kind == "moveFrom" else "8")
        body = run(text) if kind == "moveTo" else w.r(w.t(text))
        return [start, getattr(w, kind)(body, id="9" if kind == "moveFrom" else "10",
                                        author=author, date=D1), end]
    path = write_docx(tmp_path / "moved.docx", [
        para("First. ", *move("moveFrom", "m1", "Moved.")),
        para("Second. ", *move("moveTo", "m1", "Moved.")),
        para("Third", ins(" added", BOB)),
    ])
    assert [(r.kind, r.move) for r in read_review(path).revisions] == [
        ("move-from", "m1"), ("move-to", "m1"), ("insert", None)]
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["accept", str(path), "--change", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: accepted 2 tracked changes (change 2)\n"
    assert left(out) == [("insert", BOB, " added")]
    assert texts(out) == ["First. ", "Second. Moved.", "Third added"]
    ok, report = validate_ooxml(out)
    assert ok, report


@pytest.fixture
def conflict(tmp_path):
    from briefing.clearance.combine import combine_files
    from briefing.document.build import build_file
    from tests.clearance.test_combine import SAMPLE

    draft = build_file(SAMPLE, out=tmp_path / "draft.docx").value
    a = member_copy(draft, tmp_path / "a.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "b.docx", {"Civil servants say": "Ministers say"}, "Bob")
    return combine_files(draft, [a, b], tmp_path / "combined.docx").value


def test_accepting_one_side_of_a_conflict_by_number_follows_the_conflict_rules(conflict,
                                                                              tmp_path):
    data = json.loads(runner.invoke(app, ["review", "--json", str(conflict)]).stdout)
    sides = [r for r in data["revisions"] if "conflict" in r]
    (ann,) = [r["number"] for r in sides if r["author"] == "Ann"]
    (bob,) = [r["number"] for r in sides if r["author"] == "Bob"]
    both = tmp_path / "both.docx"
    refused = runner.invoke(app, ["accept", str(conflict), "--change", str(ann),
                                  "--change", str(bob), "-o", str(both)])
    assert refused.exit_code == 1
    assert f"{POINT}: Ann and Bob changed the same words differently" in refused.stderr
    assert not both.exists()
    one = tmp_path / "one.docx"
    result = runner.invoke(app, ["accept", str(conflict), "--change", str(ann), "-o", str(one)])
    assert result.exit_code == 0, result.output
    assert [(r.author, r.kind, r.text) for r in read_review(one).revisions
            if r.kind == "insert"] == [("Bob", "insert", "Ministers")]
    ok, report = validate_ooxml(one)
    assert ok, report


def test_a_change_in_a_text_box_is_resolved_with_its_mc_fallback_copy(tmp_path):
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"

    def box(content):
        alt, choice, fallback = w.r(), w.r(), w.r()
        choice.tag, fallback.tag = f"{{{mc}}}Choice", f"{{{mc}}}Fallback"
        choice.set("Requires", "wps")
        choice.append(w.drawing(w.txbxContent(para(*content()))))
        fallback.append(w.pict(w.txbxContent(para(*content()))))
        alt.tag = f"{{{mc}}}AlternateContent"
        alt.extend([choice, fallback])
        return w.r(alt)
    path = write_docx(tmp_path / "box.docx", [
        w.p(box(lambda: [ins("first", ANN), run(" and "), ins("second", BOB)]))])
    assert [(r.kind, r.text) for r in read_review(path).revisions] == [
        ("insert", "first"), ("insert", "second")]
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["reject", str(path), "--change", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    xml = Package.open(out).parts["word/document.xml"].decode()
    assert xml.count(">second<") == 0 and xml.count(">first<") == 2  # both copies alike
    assert left(out) == [("insert", ANN, "first")]


def test_accepting_an_insertion_inside_a_pending_deletion_alone_is_refused(tmp_path):
    path = write_docx(tmp_path / "inside.docx", [para(
        run("Keep "), w.del_(w.r(w.delText("old ")), ins("added ", BOB), author=ANN, date=D1),
        run("words"))])
    assert [(r.kind, r.parent) for r in read_review(path).revisions] == [
        ("delete", None), ("insert", 0)]
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["accept", str(path), "--change", "2", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{path}: change 2 (insert by {BOB}) is inside change 1 (delete by {ANN}); accepting "
        "it alone would leave its text inside a deletion still pending, so nothing was written")
    assert not out.exists()
    assert runner.invoke(app, ["reject", str(path), "--change", "2", "-o",
                               str(out)]).exit_code == 0  # rejecting it takes its text out
    assert left(out) == [("delete", ANN, "old ")]
    both = tmp_path / "both.docx"
    assert runner.invoke(app, ["accept", str(path), "--change", "1", "--change", "2", "-o",
                               str(both)]).exit_code == 0
    assert texts(both) == ["Keep words"]
    ok, report = validate_ooxml(both)
    assert ok, report


def test_the_other_wording_of_a_conflict_already_decided_cannot_be_accepted_too(conflict,
                                                                              tmp_path):
    from tests.clearance.test_combine import SENTENCE

    data = json.loads(runner.invoke(app, ["review", "--json", str(conflict)]).stdout)
    (ann,) = [r["number"] for r in data["revisions"] if "conflict" in r and r["author"] == "Ann"]
    one = tmp_path / "one.docx"
    assert runner.invoke(app, ["accept", str(conflict), "--change", str(ann),
                               "-o", str(one)]).exit_code == 0
    assert left(one) == [("insert", "Bob", "Ministers")]  # the conflict mark is gone with Ann's
    for args in (["--change", "1"], ["--author", "Bob"], []):  # in two steps is still both
        out = tmp_path / "both.docx"
        refused = runner.invoke(app, ["accept", str(one), *args, "-o", str(out)])
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"{one}: {POINT}: Bob's wording (\"Ministers\") is one side of a conflict already "
            "decided (\"Officials\" was accepted); accepting it too would keep both wordings, so "
            f"nothing was written. Reject it (briefing reject one.docx --author \"Bob\" --item "
            f"{POINT})\n")
        assert not out.exists()
    final = tmp_path / "final.docx"
    assert runner.invoke(app, ["reject", str(one), "--change", "1", "-o",
                               str(final)]).exit_code == 0
    assert SENTENCE.replace("Civil servants", "Officials") in texts(final)
    assert read_review(final).revisions == []



@pytest.mark.parametrize("accept", [True, False])
def test_one_change_at_a_time_ends_where_all_at_once_does(tmp_path, accept):
    from briefing.clearance.review import resolve_file
    from tests.clearance.test_review import IDS as REVIEWED_IDS
    from tests.clearance.test_review import reviewed_blocks

    path = write_docx(tmp_path / "reviewed.docx", reviewed_blocks(),
                      extra=source_map_parts({bookmark_name(i): i for i in REVIEWED_IDS}))
    at_once = resolve_file(path, tmp_path / "all.docx", accept=accept).value
    current, step = path, 0
    while (count := len(read_review(current).revisions)):
        # accepting, the first change each time; rejecting, the last (inner changes first)
        step += 1
        current = resolve_file(current, tmp_path / f"step{step}.docx", accept=accept,
                               changes=[1 if accept else count]).value
    assert step == len(read_review(path).revisions)
    assert texts(current) == texts(at_once)
    ok, report = validate_ooxml(current)
    assert ok, report
