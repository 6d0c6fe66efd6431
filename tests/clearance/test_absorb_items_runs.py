"""absorb: new and deleted items among other edits keep their own words, place and id."""

from __future__ import annotations

import pytest

from briefing.clearance.absorb.items import slug
from briefing.document.build import build_file
from briefing.source.load import load_text
from tests.clearance.test_absorb import edit_docx, para, remove_between
from tests.clearance.test_absorb_items import NEW_HEADING, NEW_HEADLINE, NEW_PARAGRAPHS, absorbed


def test_a_new_key_message_does_not_take_a_point_added_under_the_next_message(built, tmp_path):
    yaml, draft = built
    extra = "Regional contracts leave councils out of the design."

    def add(d):
        anchor = para(d, "Government cannot ask")
        anchor.insert_paragraph_before(NEW_HEADLINE, style="Heading 3")
        anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")
        para(d, "Suggested by Lead members").insert_paragraph_before(
            extra, style="Numbered Paragraph")

    absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))

    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [(m.id, m.points) for m in data.key_messages[1:]] == [
        ("councils-must-keep-a-say", []),
        ("partnership-not-centralism", [
            "Civil servants say they want to work in partnership with local government.",
            "A single, centrally let contract for each region cuts across that.", extra])]


@pytest.mark.parametrize(("before", "styled", "section", "fields", "added"), [
    ("Case studies",
     [("Councils must keep a say.", "Heading 3"), ("Residents ask the council first.", None),
      ("Suggested by Cllr Hart", "Note"), ("Councils must keep their data.", "Heading 3"),
      ("Employers share data with councils.", None), ("Suggested by Cllr Patel", "Note")],
     "key_messages", ("headline", "points", "suggested_by"),
     [("Councils must keep a say.", ["Residents ask the council first."], ["Cllr Hart"]),
      ("Councils must keep their data.", ["Employers share data with councils."],
       ["Cllr Patel"])]),
    ("Background",
     [("If asked: Will this cost more?", "Label"), ("No: the money is committed.", None),
      ("If asked: When will it start?", "Label"), ("In spring 2011.", None)],
     "lines_to_take", ("question", "answer"),
     [("Will this cost more?", "No: the money is committed."),
      ("When will it start?", "In spring 2011.")]),
    ("Contact",
     [(NEW_HEADING, "Heading 3"), (NEW_PARAGRAPHS[0], None), ("Timetable", "Heading 3"),
      ("Contracts are let in spring 2011.", None)],
     "background", ("heading", "paragraphs"),
     [(NEW_HEADING, NEW_PARAGRAPHS[:1]), ("Timetable", ["Contracts are let in spring 2011."])]),
], ids=["key-messages", "lines-to-take", "background"])
def test_new_items_added_one_after_another_each_keep_their_own_paragraphs(
        built, tmp_path, before, styled, section, fields, added):
    yaml, draft = built

    def add(d):
        anchor = para(d, before)
        for text, style in styled:
            anchor.insert_paragraph_before(text, style=style or "Numbered Paragraph")

    result = absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))

    assert len(result.stdout.splitlines()) == 1 + len(added)
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    items = getattr(data, section)[-len(added):]
    assert [tuple(getattr(i, f) for f in fields) for i in items] == added


def test_an_item_deleted_and_another_added_in_one_document_are_both_absorbed(built, tmp_path):
    yaml, draft = built

    def edit(d):
        remove_between(d, "Government cannot ask", "Case studies")
        anchor = para(d, "Background")
        anchor.insert_paragraph_before("If asked: Will this cost more?", style="Label")
        anchor.insert_paragraph_before("No: the money is committed.", style="Numbered Paragraph")

    result = absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", edit))

    assert result.stdout.splitlines()[1:] == [
        "  key_messages[partnership-not-centralism]: deleted 'Government cannot ask for "
        "partnership and commission from the centre.'",
        "  lines_to_take[will-this-cost-more]: added 'Will this cost more?' (new id "
        "'will-this-cost-more': check it)"]
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [m.id for m in data.key_messages] == ["local-commissioning"]
    assert [t.id for t in data.lines_to_take] == ["capacity", "will-this-cost-more"]


def test_paragraphs_added_under_an_answer_are_not_read_as_a_new_if_asked_line(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    added = ["Councils in Northshire already do.", "Ask the Department for its figures."]

    def add(d):
        for text in added:
            para(d, "Background").insert_paragraph_before(text, style="Numbered Paragraph")

    result = absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))

    for text in added:
        assert (f"new paragraph '{text}' is not part of a list the YAML holds; not absorbed"
                in result.stderr)
    assert "If asked" not in result.stderr
    assert yaml.read_bytes() == before


def test_a_heading_added_after_the_last_objective_is_an_objective_not_a_key_message(
        built, tmp_path):
    yaml, draft = built
    text = yaml.read_text(encoding="utf-8").replace(
        "  - Agree that officials meet the Group before contracts are let.\n", "")
    yaml.write_text(text, encoding="utf-8")
    build_file(yaml, out=draft, force=True)
    new = "Councils must keep a say over employment support."

    result = absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", lambda d: para(
        d, "Key messages").insert_paragraph_before(new, style="Heading 3")))

    assert result.stdout.splitlines()[1:] == [f"  objectives[2]: added '{new}'"]
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert data.objectives[-1] == new
    assert [m.id for m in data.key_messages] == ["local-commissioning",
                                                 "partnership-not-centralism"]


@pytest.mark.parametrize(("before", "order"), [
    ("Councils should help", [("councils-must-keep-a-say", 1), ("local-commissioning", 2),
                              ("partnership-not-centralism", 5)]),
    ("Government cannot ask", [("local-commissioning", 2), ("councils-must-keep-a-say", 3),
                               ("partnership-not-centralism", 5)]),
], ids=["before-the-first", "between-two"])
def test_a_new_key_message_takes_the_lowest_free_priority_between_its_neighbours(
        built, tmp_path, before, order):
    yaml, draft = built
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("priority: 2", "priority: 5").replace("priority: 1",
                                                                       "priority: 2"),
                    encoding="utf-8")
    build_file(yaml, out=draft, force=True)

    def add(d):
        anchor = para(d, before)
        anchor.insert_paragraph_before(NEW_HEADLINE, style="Heading 3")
        anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")

    result = absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))

    assert "priority" not in result.stderr
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [(m.id, m.priority) for m in data.key_messages] == order


def test_an_item_deleted_in_both_the_document_and_the_yaml_stays_deleted(built, tmp_path):
    yaml, draft = built

    def cut(d):
        remove_between(d, "If asked: ", "Background")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", cut)
    text = yaml.read_text(encoding="utf-8")
    start = text.index("lines_to_take:")
    yaml.write_text(text[:start] + text[text.index("background:"):], encoding="utf-8")
    before = yaml.read_bytes()

    result = absorbed(yaml, cleared)

    assert "lines_to_take" not in result.output
    assert yaml.read_bytes() == before


def test_a_new_id_skips_every_suffix_already_taken():
    taken = {"local-commissioning-works", "local-commissioning-works-2"}
    assert slug("Local commissioning works.", taken, "message") == "local-commissioning-works-3"
    assert slug("Local commissioning works.", taken | {"local-commissioning-works-3"},
                "message") == "local-commissioning-works-4"


def test_a_long_new_headline_is_shown_cut_like_absorbs_other_lines(built, tmp_path):
    yaml, draft = built
    headline = ("Councils must keep a real say over the employment support that is "
                "commissioned for their residents.")

    def add(d):
        anchor = para(d, "Case studies")
        anchor.insert_paragraph_before(headline, style="Heading 3")
        anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")

    result = absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))

    shown = "Councils must keep a real say over the employment support that is com\u2026"
    assert len(shown) == 70
    assert (f"  key_messages[councils-must-keep-a-real]: added '{shown}' (new id "
            "'councils-must-keep-a-real': check it)") in result.stdout.splitlines()
