"""Compose: blocks, source ids and fixed wording from the shipped templates and user ones."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from briefing.document.compose import (
    Paragraph,
    Table,
    TemplateError,
    compose,
    find_template,
    load_template,
    shipped_templates,
)
from briefing.source.model import Briefing

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def minimal_data(**changes) -> dict:
    """Return a small valid briefing as plain data; `changes` replace top-level sections."""
    data = {
        "briefing": {"title": "Meeting with the Minister", "reference": "LGA/1",
                     "classification": "OFFICIAL", "status": "draft", "version": 1,
                     "prepared": "2016-05-20"},
        "meeting": {"principal": {"name": "Lord Porter", "role": "Chairman"},
                    "counterparts": [{"name": "Jo Minister", "role": "Minister",
                                      "organisation": "DWP"}],
                    "date": "2016-06-01", "venue": "Caxton House",
                    "purpose": "To agree next steps."},
        "objectives": ["Agree a joint pilot."],
        "key_messages": [
            {"id": "local-role", "headline": "Councils must shape the programme.",
             "points": ["They know local employers.", "They fund support already."],
             "suggested_by": ["Cllr Smith", "Cllr Jones"]},
            {"id": "funding", "headline": "Funding must follow need.", "points": [],
             "suggested_by": ["People and Places Board"]},
        ],
        "member_comments": [
            {"id": "c1", "text": "Members expressed concern with scale.", "board": "CWB",
             "meeting_date": "2016-03-10", "item": "Item 4", "member": "Cllr Brown",
             "relates_to": ["funding"]},
            {"id": "c2", "text": "Members welcomed the pilot.", "board": "PPB",
             "meeting_date": "2016-04-12"},
        ],
        "case_studies": [
            {"id": "town-pilot", "council": "Town Council", "title": "Working Well",
             "excerpt": "The pilot placed 200 people.", "outcomes": ["200 jobs"],
             "source": {"title": "Annual report", "year": 2015},
             "agreed_with_council": False, "relates_to": ["local-role"]},
        ],
        "lines_to_take": [{"id": "cost", "question": "What will it cost?",
                           "answer": "No more than today."}],
        "background": [{"id": "history", "heading": "History",
                        "paragraphs": ["The programme began in 2011."]}],
        "contact": {"name": "A Officer", "position": "Adviser", "phone": "020 7664 3000",
                    "email": "a.officer@local.gov.uk"},
        "clearance": [],
    }
    data.update(changes)
    return data


def make(**changes) -> Briefing:
    """Return a Briefing from `minimal_data(**changes)`."""
    return Briefing.model_validate(minimal_data(**changes))


def paragraphs(blocks) -> list[Paragraph]:
    """Return every paragraph in `blocks`, table cells included, in document order."""
    out = []
    for block in blocks:
        if isinstance(block, Table):
            out.extend(cell for row in block.rows for cell in row)
        else:
            out.append(block)
    return out


def field_value(briefing: Briefing, source_id: str):
    """Return the value at `source_id` in `briefing` (items found by their own id)."""
    node = briefing
    for part in source_id.split("/"):
        if isinstance(node, list):
            by_id = [x for x in node if getattr(x, "id", None) == part]
            node = by_id[0] if by_id else node[int(part)]
        else:
            node = getattr(node, part)
    return node


@pytest.fixture(scope="module")
def chairman():
    return find_template("chairman-briefing")


def test_title_is_heading_1_and_the_marking_is_not_printed_again_under_it(chairman):
    blocks = compose(make(), chairman)
    assert (blocks[0].kind, blocks[0].text, blocks[0].source_id) == (
        "h1", "Meeting with the Minister", "briefing/title")
    # The marking is in every header and footer and in a document property (write.py);
    # a third copy under the title is what the private office asked us to drop.
    assert blocks[1].kind == "note" and blocks[1].text.startswith("Draft, version 1")
    # Version and date are separate lines, each traced to its own field.
    assert [(b.text, b.source_id) for b in blocks[1:3]] == [
        ("Draft, version 1", "briefing/version"), ("Prepared 20 May 2016", "briefing/prepared")]
    assert [b for b in paragraphs(blocks) if b.kind == "marking" or b.text == "OFFICIAL"] == []


def test_no_marking_line_when_classification_is_none(chairman):
    data = minimal_data()
    data["briefing"]["classification"] = "NONE"
    blocks = compose(Briefing.model_validate(data), chairman)
    assert [b for b in paragraphs(blocks) if b.kind == "marking"] == []


def test_headings_never_skip_a_level(chairman):
    levels = [b.level for b in compose(make(), chairman) if isinstance(b, Paragraph) and b.level]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_every_verbatim_data_paragraph_holds_its_field_exactly(chairman):
    briefing = make()
    data_paras = [p for p in paragraphs(compose(briefing, chairman))
                  if p.source_id and not p.derived]
    assert len(data_paras) > 15
    for p in data_paras:
        data_text = "".join(r.text for r in p.runs if r.source_id == p.source_id)
        assert data_text == field_value(briefing, p.source_id), p.source_id


def test_source_ids_come_from_item_ids(chairman):
    ids = {p.source_id for p in paragraphs(compose(make(), chairman))}
    assert {
        "briefing/title", "meeting/purpose", "objectives/0",
        "key_messages/local-role/headline", "key_messages/local-role/points/1",
        "key_messages/local-role/suggested_by", "member_comments/c1/text",
        "member_comments/c1/attribution", "case_studies/town-pilot/title",
        "case_studies/town-pilot/excerpt", "case_studies/town-pilot/outcomes/0",
        "case_studies/town-pilot/source", "lines_to_take/cost/question",
        "lines_to_take/cost/answer", "background/history/heading",
        "background/history/paragraphs/0", "contact/email",
    } <= ids


def test_fixed_wording_stays_outside_the_data_run(chairman):
    blocks = paragraphs(compose(make(), chairman))
    question = next(p for p in blocks if p.source_id == "lines_to_take/cost/question")
    assert [(r.text, r.source_id) for r in question.runs] == [
        ("If asked: ", None), ("What will it cost?", "lines_to_take/cost/question")]
    suggested = next(p for p in blocks if p.source_id == "key_messages/local-role/suggested_by")
    assert suggested.derived
    assert [(r.text, r.source_id) for r in suggested.runs] == [
        ("Suggested by ", None),
        ("Cllr Smith, Cllr Jones", "key_messages/local-role/suggested_by")]


def test_member_comment_attribution_names_board_date_item_member(chairman):
    blocks = paragraphs(compose(make(), chairman))
    attribution = next(p for p in blocks if p.source_id == "member_comments/c1/attribution")
    assert attribution.derived
    assert attribution.text == "CWB, 10 March 2016, Item 4, Cllr Brown"
    bare = next(p for p in blocks if p.source_id == "member_comments/c2/attribution")
    assert bare.text == "PPB, 12 April 2016"


def test_case_study_names_council_and_source_and_flags_unagreed(chairman):
    texts = [p.text for p in paragraphs(compose(make(), chairman))]
    assert "Source: Town Council, Annual report (2015)" in texts
    assert ("Not yet agreed with the council: do not quote it until the council has agreed."
            in texts)


def test_comments_sit_under_their_key_message_and_case_studies_have_a_section(chairman):
    blocks = paragraphs(compose(make(), chairman))
    texts = [p.text for p in blocks]
    assert (texts.index("Councils must shape the programme.") < texts.index("Funding must follow need.")
            < texts.index("What members said:")
            < texts.index("Members expressed concern with scale.")
            < texts.index("Other comments from members") < texts.index("Members welcomed the pilot.")
            < texts.index("Case studies") < texts.index("Town Council: Working Well"))
    levels = {p.text: p.level for p in blocks if p.level}
    assert levels["Case studies"] == 2 and levels["Town Council: Working Well"] == 3
    assert max(levels.values()) == 3  # Heading 1 to 3 only, as house style asks


def test_meeting_table_has_a_header_row(chairman):
    table = next(b for b in compose(make(), chairman) if isinstance(b, Table))
    assert table.caption == "Meeting details"
    assert table.header_rows == 1
    assert [c.text for c in table.rows[0]] == ["Meeting with Jo Minister", "1 June 2016"]
    # The names are shown as context: the "With" row below is where they are traced.
    assert [c.source_id for c in table.rows[0]] == [None, "meeting/date"]
    assert ["With", "Jo Minister, Minister, DWP"] in [[c.text for c in row] for row in table.rows]


def test_clearance_record_table_lists_entries(chairman):
    entry = {"reviewer": "Cllr Smith", "role": "Lead member", "version": 1,
             "date": "2016-05-25", "outcome": "cleared-with-changes"}
    tables = [b for b in compose(make(clearance=[entry]), chairman) if isinstance(b, Table)]
    assert [[c.text for c in row] for row in tables[-1].rows] == [
        ["Reviewer", "Role", "Version", "Date", "Outcome"],
        ["Cllr Smith", "Lead member", "1", "25 May 2016", "Cleared with changes"]]


def test_key_messages_follow_priority_then_order_given(chairman):
    data = minimal_data()
    data["key_messages"][1]["priority"] = 1
    heads = [p.text for p in paragraphs(compose(Briefing.model_validate(data), chairman))
             if p.kind == "h3"]
    assert heads[:2] == ["Funding must follow need.", "Councils must shape the programme."]


def test_source_ids_survive_reordering(chairman):
    data = minimal_data()
    before = {p.source_id: p.text for p in paragraphs(compose(Briefing.model_validate(data),
                                                               chairman)) if p.source_id}
    data["key_messages"].reverse()
    data["member_comments"].reverse()
    after = {p.source_id: p.text for p in paragraphs(compose(Briefing.model_validate(data),
                                                              chairman)) if p.source_id}
    assert after == before


HOSTILE = [
    "{{ 7 * 7 }} & <b>bold</b>",
    "{% if true %}x{% endif %}",
    "headline: not a kind | not a cell",
    "quotes \"double\" and 'single' and \u2018curly\u2019",
    "Caf\u00e9 \u00e0 la cr\u00e8me, na\u00efve",
    "\u4e2d\u6587\u6807\u9898 \u65e5\u672c\u8a9e",
    "\u0645\u0631\u062d\u0628\u0627 \u200f\u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "emoji \U0001f3db\ufe0f\U0001f44d",
    "two lines\nh1: injected",
    "\ue000 0 \ue001 private use",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_never_template_or_markup(chairman, text):
    data = minimal_data()
    data["key_messages"][0]["headline"] = text
    data["member_comments"][0]["board"] = text
    blocks = paragraphs(compose(Briefing.model_validate(data), chairman))
    head = next(p for p in blocks if p.source_id == "key_messages/local-role/headline")
    assert head.text == text and head.kind == "h3"
    attribution = next(p for p in blocks if p.source_id == "member_comments/c1/attribution")
    assert attribution.text.startswith(text + ", 10 March 2016")
    assert sum(p.kind == "h1" for p in blocks) == 1


def test_lines_card_holds_headlines_and_if_asked_only():
    card = find_template("lines-card")
    blocks = compose(make(), card)
    ids = {p.source_id for p in paragraphs(blocks) if p.source_id}
    assert "key_messages/local-role/headline" in ids
    assert "lines_to_take/cost/answer" in ids
    assert not any(i.startswith(("member_comments", "case_studies", "background")) for i in ids)
    assert not any("/points/" in i for i in ids)


def test_shipped_templates_are_listed():
    assert {"chairman-briefing", "lines-card"} <= set(shipped_templates())


def test_unknown_template_name_lists_the_shipped_ones():
    with pytest.raises(TemplateError) as caught:
        find_template("no-such")
    assert str(caught.value).startswith("--template no-such: no such template (shipped: ")
    assert "chairman-briefing" in str(caught.value)


def copy_template(tmp_path: Path, layout: str | None = None, name: str = "mine") -> Path:
    """Return a copy of the lines-card template, its layout.j2 replaced when given."""
    folder = tmp_path / name
    shutil.copytree(TEMPLATES / "lines-card", folder)
    if layout is not None:
        (folder / "layout.j2").write_text(layout, encoding="utf-8")
    return folder


def test_user_template_rewords_fixed_text(tmp_path):
    folder = copy_template(tmp_path, "h1: {{ briefing.title }}\nh2: Our lines\n"
                                     "{% for km in key_messages %}bullet: {{ km.headline }}\n"
                                     "{% endfor %}")
    blocks = compose(make(), find_template(str(folder)))
    assert [(b.kind, b.text) for b in blocks] == [
        ("h1", "Meeting with the Minister"), ("h2", "Our lines"),
        ("bullet", "Councils must shape the programme."), ("bullet", "Funding must follow need.")]


def test_template_syntax_error_names_file_and_line(tmp_path):
    folder = copy_template(tmp_path, "h1: {{ briefing.title }}\n{% for x in %}\n")
    with pytest.raises(TemplateError) as caught:
        find_template(str(folder))
    assert str(caught.value).startswith(f"{folder / 'layout.j2'}:2: template syntax error: ")


def test_undefined_variable_names_file_and_line(tmp_path):
    folder = copy_template(tmp_path, "h1: {{ briefing.title }}\n\nbody: {{ no_such }}\n")
    with pytest.raises(TemplateError) as caught:
        compose(make(), find_template(str(folder)))
    assert str(caught.value) == (
        f"{folder / 'layout.j2'}:3: template error: 'no_such' is undefined")


def test_unknown_field_is_an_error_not_empty_text(tmp_path):
    folder = copy_template(tmp_path, "h1: {{ briefing.titel }}\n")
    with pytest.raises(TemplateError) as caught:
        compose(make(), find_template(str(folder)))
    assert str(caught.value).startswith(f"{folder / 'layout.j2'}:1: template error: ")
    assert "titel" in str(caught.value)


def test_sandbox_refuses_python_internals(tmp_path):
    folder = copy_template(tmp_path, "h1: {{ briefing.__class__.__mro__ }}\n")
    with pytest.raises(TemplateError):
        compose(make(), find_template(str(folder)))


@pytest.mark.parametrize("expression", [
    "km.headline.text", "km.headline._text", "km.headline._sid", "km._model.headline",
    "km.headline.__class__",
])
def test_templates_cannot_reach_a_fields_raw_text(tmp_path, expression):
    folder = copy_template(tmp_path, "h1: {{ briefing.title }}\n{% for km in key_messages %}"
                                     f"body: {{{{ {expression} }}}}\n{{% endfor %}}")
    with pytest.raises(TemplateError) as caught:
        compose(make(), find_template(str(folder)))
    assert str(caught.value).startswith(f"{folder / 'layout.j2'}:2: template error: ")


def test_unknown_line_kind_is_reported(tmp_path):
    folder = copy_template(tmp_path, "h1: {{ briefing.title }}\nheadline: {{ briefing.title }}\n")
    with pytest.raises(TemplateError) as caught:
        compose(make(), find_template(str(folder)))
    assert str(caught.value).startswith(
        f"{folder / 'layout.j2'}: rendered line 2 'headline: Meeting with the Minister' does not "
        "start with a known kind (")


def test_missing_reference_docx_is_reported(tmp_path):
    folder = copy_template(tmp_path)
    (folder / "reference.docx").unlink()
    with pytest.raises(TemplateError) as caught:
        load_template(folder)
    assert str(caught.value) == f"{folder / 'reference.docx'}: template has no reference.docx"


def test_template_folder_must_exist(tmp_path):
    with pytest.raises(TemplateError) as caught:
        find_template(str(tmp_path / "absent"))
    assert str(caught.value) == f"{tmp_path / 'absent'}: no such template folder"
