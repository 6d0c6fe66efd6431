"""absorb at the edges of the document and of its lists: where a new paragraph or item lands,
how a paragraph is located in a message, and what is said about reviewers without a name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.clearance.absorb import absorb_file, merge_lists
from briefing.clearance.absorb.compare import Change, compare
from briefing.clearance.absorb.fresh import FreshParagraph
from briefing.clearance.absorb.merge import merge
from briefing.document.build import build_file
from briefing.errors import Conflict
from briefing.ooxml.read.doctext import DocParagraph, Segment
from briefing.ooxml.sourcemap import bookmark_name
from briefing.source.load import load_text
from tests.clearance.test_absorb import (
    POINT_1,
    POINT_2,
    diff_lines,
    edit_docx,
    invoke,
    member_edits,
    para,
    remove,
    reviewed_by,
    with_people,
)

TITLE = "Meeting with the Secretary of State for Work and Pensions"
FIRST_POINT = "Councils already fund and run employment support in most areas."
NEW_HEADLINE = "Councils must keep a say over employment support for their residents."


def briefing_of(yaml):
    return load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing


def test_a_point_added_above_the_first_point_becomes_the_first_point(built, tmp_path):
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")
    new = "Councils are the first port of call for local employers."
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: para(d, FIRST_POINT).insert_paragraph_before(
                            new, style="Numbered Paragraph"))

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert f"  key_messages[local-commissioning].points[0]: added '{new}'" in result.stdout
    assert briefing_of(yaml).key_messages[0].points[:2] == [new, FIRST_POINT]
    assert diff_lines(before, yaml.read_text(encoding="utf-8")) == [f"+      - {new}"]


def test_a_key_message_added_under_the_section_heading_becomes_the_first(built, tmp_path):
    yaml, draft = built
    point_1 = "Residents look to the council first when a local employer closes."
    point_2 = "Councils already broker jobs with local employers."

    def add(d):
        anchor = para(d, "Councils should help commission")
        anchor.insert_paragraph_before(NEW_HEADLINE, style="Heading 3")
        anchor.insert_paragraph_before(point_1, style="Numbered Paragraph")
        anchor.insert_paragraph_before(point_2, style="Numbered Paragraph")
        anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", add)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    new_id = "councils-must-keep-a-say"
    assert result.stdout.splitlines()[1:] == [
        f"  key_messages[{new_id}]: added '{NEW_HEADLINE}' (new id '{new_id}': check it)"]
    messages = briefing_of(yaml).key_messages
    assert [m.id for m in messages] == [new_id, "local-commissioning",
                                        "partnership-not-centralism"]
    assert (messages[0].points, messages[0].suggested_by) == ([point_1, point_2], ["Cllr Hart"])
    # the first message is prioritised and no priority is free before it: the officer is told
    assert (f"new key message key_messages[{new_id}] has no priority, so the next build shows "
            "it after the prioritised messages, not before key_messages[local-commissioning]"
            ) in result.stderr
    assert "not part of a list" not in result.stderr


def test_the_first_paragraph_deleted_is_located_as_paragraph_1(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx", lambda d: remove(para(d, TITLE)))

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert (f"warning: {cleared}: paragraph 1: briefing.title deleted ('{TITLE}'); not absorbed: "
            "a briefing needs it: edit the YAML by hand") in result.stderr.splitlines()
    assert yaml.read_bytes() == before


def test_a_deleted_heading_is_reported_as_fixed_by_the_template(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: remove(para(d, "Objectives")))

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert ("heading deleted ('Objectives'); not absorbed: edit the YAML or the template "
            "by hand") in result.stderr
    assert yaml.read_bytes() == before


def test_an_if_asked_line_without_an_answer_gets_one_warning_only(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: para(d, "Background").insert_paragraph_before(
                            "If asked: Will this cost more?", style="Label"))

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "has no answer under it" in warnings[0], warnings
    assert yaml.read_bytes() == before


def test_changes_by_a_placeholder_author_are_counted_not_recorded(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: setattr(para(d, FIRST_POINT).runs[0], "text",
                                          "Councils fund employment support in most areas."))
    reviewed_by(cleared, {"Unknown Author": 2, "Author": 0, "Cllr Ann Baker": 1})

    result = absorb_file(cleared, yaml, today=dt.date(2010, 9, 24))

    notes = [m.text for m in result.messages]
    assert "2 changes by 'Unknown Author' (no real name) not recorded as a reviewer" in notes
    assert not any("'Author'" in n for n in notes)  # no changes: nothing to say
    assert [line for line in result.value.splitlines() if "clearance:" in line] == [
        "  clearance: Cllr Ann Baker (Lead member, version 2, 2010-09-24, cleared-with-changes)"]


def test_changes_accepted_in_word_by_a_placeholder_author_are_not_given_a_count(built, tmp_path):
    # Word's list of people says who changed the document, not how many changes each made
    yaml, draft = built
    edited = edit_docx(draft, tmp_path / "edited.docx", member_edits)
    cleared = with_people(edited, tmp_path / "cleared.docx", ["Unknown Author", "Cllr Ann Baker"])

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--dry-run")

    assert result.exit_code == 0, result.output
    assert ("info: changes by 'Unknown Author' (no real name) not recorded as a reviewer"
            in result.stderr.splitlines())
    assert [line for line in result.stdout.splitlines() if "clearance:" in line] == [
        f"  clearance: Cllr Ann Baker (Lead member, version 2, {dt.date.today().isoformat()}, "
        "cleared-with-changes)"]


def test_a_heading_deleted_above_an_edited_objective_leaves_the_edit_to_the_objective(
        built, tmp_path):
    yaml, draft = built
    old = "Secure agreement that councils and DWP test joint commissioning in two areas."
    new = old.replace("two areas", "three areas")

    def edit(d):
        remove(para(d, "Objectives"))
        para(d, old).runs[0].text = new

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert "heading deleted ('Objectives')" in result.stderr
    assert "changed from 'Objectives'" not in result.stderr
    assert "  objectives[0]: … joint commissioning in [-two-]{+three+} areas." in result.stdout
    assert briefing_of(yaml).objectives[0] == new


def cell_paragraph(document, starts: str):
    return next(p for table in document.tables for row in table.rows for cell in row.cells
                for p in cell.paragraphs if p.text.startswith(starts))


def test_a_rewritten_field_that_keeps_its_bookmark_is_not_taken_for_the_label_deleted_above(
        built, tmp_path):
    yaml, draft = built
    new = "To agree a pilot of local commissioning with the Department."

    def edit(d):
        remove(cell_paragraph(d, "Purpose"))
        purpose = cell_paragraph(d, "To make the case")
        purpose.runs[0].text = new  # rewritten beyond recognition; its bookmark kept
        for run in purpose.runs[1:]:
            run.text = ""

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert "fixed wording deleted ('Purpose')" in result.stderr
    assert "meeting.purpose deleted" not in result.stderr
    assert briefing_of(yaml).meeting.purpose == new



@pytest.mark.parametrize(("ours", "theirs", "merged"), [
    (["A", "b"], ["a", "x", "b"], ["A", "x", "b"]),  # an item edited, another added after it
    (["x", "a", "b"], ["A", "b"], ["x", "A", "b"]),  # one added before an item the other edited
    (["a", "x", "b"], ["a", "y", "b"], None),  # two different items added at one place
], ids=["edit-then-insert-after", "insert-then-edit-after", "two-inserts-one-place"])
def test_changes_that_touch_next_to_each_other_merge_and_inserts_at_one_place_collide(
        ours, theirs, merged):
    assert merge_lists(["a", "b"], ours, theirs) == merged
    assert merge_lists(["a", "b"], theirs, ours) == merged


def _add_long_headline(d) -> None:
    """A member adds a key message whose first words make an id over 60 characters."""
    anchor = para(d, "Case studies")
    anchor.insert_paragraph_before(
        "Internationally comparable intergovernmental responsibilities notwithstanding, "
        "councils lead.", style="Heading 3")
    anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")


def test_a_new_items_id_is_cut_to_the_longest_id_the_schema_allows(built, tmp_path):
    yaml, draft = built

    cleared = edit_docx(draft, tmp_path / "cleared.docx", _add_long_headline)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    new_id = "internationally-comparable-intergovernmental-responsibilitie"
    assert len(new_id) == 60
    assert [m.id for m in briefing_of(yaml).key_messages][-1] == new_id


def test_a_new_id_at_the_length_limit_made_unique_stays_within_the_limit(built, tmp_path):
    yaml, draft = built
    taken = "internationally-comparable-intergovernmental-responsibilitie"  # 60 characters
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("partnership-not-centralism", taken),
                    encoding="utf-8")
    build_file(yaml, out=draft, force=True)

    cleared = edit_docx(draft, tmp_path / "cleared.docx", _add_long_headline)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    new_id = "internationally-comparable-intergovernmental-responsibilit-2"
    assert len(new_id) == 60
    assert f"(new id '{new_id}': check it)" in result.stdout
    assert [m.id for m in briefing_of(yaml).key_messages] == [
        "local-commissioning", taken, new_id]


def test_a_file_with_mixed_line_endings_keeps_each_untouched_lines_ending(built, tmp_path):
    yaml, draft = built
    lines = yaml.read_text(encoding="utf-8").split("\n")
    lines[0] += "\r"  # one line (the first comment) ends in CR LF, the rest in LF
    yaml.write_bytes("\n".join(lines).encode("utf-8"))
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: setattr(para(d, FIRST_POINT).runs[0], "text",
                                          "Councils fund employment support in most areas."))

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    after = yaml.read_bytes()
    assert after.count(b"\r\n") == 1 and after.startswith(before.split(b"\n")[0] + b"\n")
    assert [line for line in after.split(b"\n") if b"Councils fund" in line] == [
        b"      - Councils fund employment support in most areas."]


def test_every_field_removed_from_the_yaml_but_edited_in_the_document_is_listed():
    base = {"meeting": {"venue": "Caxton House", "when": "Autumn 2010"}, "objectives": ["a"]}
    ours = {"meeting": {}, "objectives": ["a"]}
    changes = [Change(("meeting", "venue"), "Caxton House", "Caxton House, London"),
               Change(("meeting", "when"), "Autumn 2010", "October 2010")]

    with pytest.raises(Conflict) as caught:
        merge(changes, base, ours, Path("cleared.docx"), Path("briefing.yaml"), None)

    assert str(caught.value).splitlines()[1:3] == [
        "  meeting.venue: removed from the YAML but edited in the document",
        "  meeting.when: removed from the YAML but edited in the document"]


def test_two_neighbouring_points_replaced_by_one_read_as_a_change_and_a_deletion(built, tmp_path):
    yaml, draft = built

    def edit(d):
        para(d, POINT_1).runs[0].text = "They know which providers work best."
        remove(para(d, POINT_2))

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record", "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "  key_messages[local-commissioning].points[1]: … know which providers [-deliver and "
        "where the gaps in local provision are-]{+work best+}.",
        "  key_messages[local-commissioning].points[2]: deleted 'A commissioning role can be "
        "tested in a handful of areas before any w…'"]


def test_a_point_rewritten_below_a_deleted_headline_pairs_only_with_its_own_place(
        built, tmp_path):
    # The headline deleted, the first point edited, the second rewritten beyond recognition
    # (its runs replaced, so its bookmark lost): only the second point pairs by place; the
    # deletion and the edit above it are not taken into that pairing again.
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")
    first = "Councils already fund employment support in most areas."
    new = "Let two pilot areas prove it before Ministers decide."

    def edit(document):
        remove(para(document, "Councils should help commission"))
        para(document, FIRST_POINT).runs[0].text = first
        para(document, POINT_1).text = new

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "  key_messages[local-commissioning].points[0]: Councils already fund[- and run-] "
        "employment support in …",
        "  key_messages[local-commissioning].points[1]: [-They know which providers deliver and "
        f"where the gaps in local provision are-]{{+{new[:-1]}+}}."]
    assert "key_messages[local-commissioning].headline deleted" in result.stderr
    assert diff_lines(before, yaml.read_text(encoding="utf-8")) == [
        f"-      - {FIRST_POINT}", f"-      - {POINT_1}", f"+      - {first}", f"+      - {new}"]


def test_an_objective_deleted_above_a_renamed_heading_is_deleted_not_given_the_headings_words(
        built, tmp_path):
    # Two out and one in at one place: the heading cannot have gone, so it takes the new
    # paragraph and the objective (a list item, which can go) is the one deleted.
    yaml, draft = built
    last = "Agree that officials meet the Group before contracts are let."

    def edit(d):
        remove(para(d, last))
        para(d, "Key messages").runs[0].text = "Our case"

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [f"  objectives[2]: deleted '{last}'"]
    assert ("heading changed from 'Key messages' to 'Our case'; not absorbed: headings come "
            "from the template") in result.stderr
    assert briefing_of(yaml).objectives == [
        "Secure agreement that councils and DWP test joint commissioning in two areas.",
        "Establish employment support as part of place-based budgets."]


def test_a_long_stretch_rewritten_throughout_pairs_each_field_by_its_bookmark():
    # 501 fields out and 500 in at one place is beyond the similarity pairing's limit: each
    # rewrite still goes to the field whose bookmark it carries, and the one field cut is
    # reported, not taken for a rewrite of its neighbour.
    n, cut = 501, 7
    paths = [("notes", f"n{i}") for i in range(n)]
    old = [f"Wording {i} as the officer drafted it." for i in range(n)]
    new = [f"Members' own text for note {i}." for i in range(n)]
    fresh = [FreshParagraph(i + 1, ((old[i], paths[i]),), (f"notes/n{i}",), None, "field")
             for i in range(n)]
    doc = [DocParagraph(k + 1, (Segment(new[i], bookmark_name(f"notes/n{i}")),))
           for k, i in enumerate(i for i in range(n) if i != cut)]

    found = compare(fresh, doc, {"notes": {f"n{i}": old[i] for i in range(n)}}, "cleared.docx")

    assert found.changes == [Change(paths[i], old[i], new[i]) for i in range(n) if i != cut]
    assert [m.text for m in found.warnings] == [
        f"cleared.docx: paragraph {cut + 1}: notes.n{cut} deleted ('{old[cut]}'); not "
        "absorbed: a briefing needs it: edit the YAML by hand"]
