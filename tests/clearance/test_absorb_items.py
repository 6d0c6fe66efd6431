"""absorb: whole items a member added or deleted become items added to or removed from the YAML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.clearance.absorb.fresh import FreshParagraph
from briefing.clearance.absorb.items import owner
from briefing.document.build import build_file
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.source.load import load_text
from tests.clearance.test_absorb import diff_lines, edit_docx, invoke, para, remove_between

NEW_HEADLINE = "Councils must keep a say over employment support for their residents."
NEW_POINT = "Residents look to the council first when a local employer closes."


def absorbed(yaml, cleared, *extra: str):
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record", *extra)
    assert result.exit_code == 0, result.output
    return result


def test_a_new_key_message_is_added_with_its_points_and_a_slug_id(built, tmp_path):
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")

    def add(d):
        anchor = para(d, "Case studies")
        anchor.insert_paragraph_before(NEW_HEADLINE, style="Heading 3")
        anchor.insert_paragraph_before(NEW_POINT, style="Numbered Paragraph")
        anchor.insert_paragraph_before("Suggested by Cllr Hart, September 2010", style="Note")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", add)
    result = absorbed(yaml, cleared)

    new_id = "councils-must-keep-a-say"
    assert (f"  key_messages[{new_id}]: added '{NEW_HEADLINE}' (new id '{new_id}': check it)"
            in result.stdout.splitlines())
    after = yaml.read_text(encoding="utf-8")
    data = load_text(after, str(yaml)).value.briefing
    assert [m.id for m in data.key_messages] == [
        "local-commissioning", "partnership-not-centralism", new_id]
    message = data.key_messages[2]
    assert (message.headline, message.points, message.suggested_by) == (
        NEW_HEADLINE, [NEW_POINT], ["Cllr Hart, September 2010"])
    # added as lines in the key messages list; every other line (and comment) kept
    added = diff_lines(before, after)
    assert all(line.startswith("+") for line in added)
    assert f"+  - id: {new_id}" in added
    assert "# The Chairman's lead message." in after


def test_a_new_key_message_without_suggested_by_gets_a_marked_placeholder(built, tmp_path):
    yaml, draft = built

    def add(d):
        para(d, "Government cannot ask").insert_paragraph_before(NEW_HEADLINE,
                                                                 style="Heading 3")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", add)
    result = absorbed(yaml, cleared)

    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [m.id for m in data.key_messages][1] == "councils-must-keep-a-say"
    assert data.key_messages[1].suggested_by == ["TO FILL IN: who suggested this message"]
    assert ("new key message key_messages[councils-must-keep-a-say]: fill in who suggested "
            "it") in result.stderr
    # priorities 1 and 2 leave no room between them: said, as the next build orders by priority
    assert data.key_messages[1].priority is None
    assert ("new key message key_messages[councils-must-keep-a-say] has no priority, so the "
            "next build shows it after the prioritised messages, not before "
            "key_messages[partnership-not-centralism]") in result.stderr


def test_a_new_key_message_between_prioritised_ones_takes_a_free_priority(built, tmp_path):
    yaml, draft = built
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("priority: 2", "priority: 5"),
                    encoding="utf-8")
    build_file(yaml, out=draft, force=True)

    def add(d):
        anchor = para(d, "Government cannot ask")
        anchor.insert_paragraph_before(NEW_HEADLINE, style="Heading 3")
        anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", add)
    result = absorbed(yaml, cleared)

    assert "priority" not in result.stderr
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [(m.id, m.priority) for m in data.key_messages] == [
        ("local-commissioning", 1), ("councils-must-keep-a-say", 2),
        ("partnership-not-centralism", 5)]
    rebuilt = invoke("build", str(yaml), "-o", str(tmp_path / "rebuilt.docx"))
    assert rebuilt.exit_code == 0, rebuilt.output
    ours = [p.text for p in read_paragraphs(Package.open(tmp_path / "rebuilt.docx"))]
    assert ours.index(NEW_HEADLINE) < ours.index(
        "Government cannot ask for partnership and commission from the centre.")


def test_a_new_id_is_made_unique_in_its_list(built, tmp_path):
    yaml, draft = built

    def add(d):
        anchor = para(d, "Case studies")
        anchor.insert_paragraph_before("Local commissioning works.", style="Heading 3")
        anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")

    text = yaml.read_text(encoding="utf-8").replace("id: partnership-not-centralism",
                                                    "id: local-commissioning-works")
    yaml.write_text(text, encoding="utf-8")
    build_file(yaml, out=draft, force=True)
    cleared = edit_docx(draft, tmp_path / "cleared.docx", add)
    result = absorbed(yaml, cleared)

    assert "(new id 'local-commissioning-works-2': check it)" in result.stdout
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [m.id for m in data.key_messages][-1] == "local-commissioning-works-2"


@pytest.mark.parametrize(("before", "order"), [
    ("Case studies", ["local-commissioning", "partnership-not-centralism", "councils-must-keep-a-say",
                      "councils-must-keep-their-data"]),
    ("Councils should help commission", ["councils-must-keep-a-say",
                                         "councils-must-keep-their-data", "local-commissioning",
                                         "partnership-not-centralism"]),
], ids=["after-the-last", "before-the-first"])
def test_new_key_messages_added_one_after_another_keep_the_documents_order(
        built, tmp_path, before, order):
    yaml, draft = built
    second = "Councils must keep their data on local employers."

    def add(d):
        anchor = para(d, before)
        for headline in (NEW_HEADLINE, second):
            anchor.insert_paragraph_before(headline, style="Heading 3")
            anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", add)
    result = absorbed(yaml, cleared)

    assert [line.split("]")[0] for line in result.stdout.splitlines()[1:]] == [
        "  key_messages[councils-must-keep-a-say", "  key_messages[councils-must-keep-their-data"]
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [m.id for m in data.key_messages] == order


def test_a_new_if_asked_line_is_added_as_a_line_to_take(built, tmp_path):
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")

    def add(d):
        anchor = para(d, "Background")
        anchor.insert_paragraph_before("If asked: Will this cost the Department more?",
                                       style="Label")
        anchor.insert_paragraph_before("No: the pilots use money already committed.",
                                       style="Numbered Paragraph")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", add)
    result = absorbed(yaml, cleared)

    assert ("  lines_to_take[will-this-cost-the-department]: added 'Will this cost the "
            "Department more?' (new id 'will-this-cost-the-department': check it)"
            in result.stdout.splitlines())
    after = yaml.read_text(encoding="utf-8")
    lines = load_text(after, str(yaml)).value.briefing.lines_to_take
    assert [(t.id, t.question, t.answer) for t in lines][1] == (
        "will-this-cost-the-department", "Will this cost the Department more?",
        "No: the pilots use money already committed.")
    assert all(line.startswith("+") for line in diff_lines(before, after))


def test_a_new_background_paragraph_is_added_to_its_entry(built, tmp_path):
    yaml, draft = built
    extra = "Contracts are expected to be let in spring 2011."
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: para(d, "Contact").insert_paragraph_before(
                            extra, style="Numbered Paragraph"))
    result = absorbed(yaml, cleared)

    assert f"  background[work-programme].paragraphs[2]: added '{extra}'" in result.stdout
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert data.background[0].paragraphs[-1] == extra


NEW_HEADING = "Funding for the Work Programme"
NEW_PARAGRAPHS = ["The Department expects to spend about 3 billion pounds over five years.",
                  "Providers will carry the cost until outcomes are paid."]


def test_a_new_background_heading_with_paragraphs_is_a_new_background_entry(built, tmp_path):
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")

    def add(d):
        anchor = para(d, "Contact")
        anchor.insert_paragraph_before(NEW_HEADING, style="Heading 3")
        for text in NEW_PARAGRAPHS:
            anchor.insert_paragraph_before(text, style="Numbered Paragraph")

    result = absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))

    new_id = "funding-for-the-work-programme"
    assert (f"  background[{new_id}]: added '{NEW_HEADING}' (new id '{new_id}': check it)"
            in result.stdout.splitlines())
    after = yaml.read_text(encoding="utf-8")
    data = load_text(after, str(yaml)).value.briefing
    assert [(s.id, s.heading, s.paragraphs) for s in data.background] == [
        ("work-programme", "The new Work Programme",
         ["The government is developing a single Work Programme to replace existing schemes.",
          "Providers will be paid mainly for job outcomes."]),
        (new_id, NEW_HEADING, NEW_PARAGRAPHS)]
    assert all(line.startswith("+") for line in diff_lines(before, after))
    # built again, the new entry reads as the member typed it
    rebuilt = build_file(yaml, out=tmp_path / "v2.docx").value
    texts = [p.text for p in read_paragraphs(Package.open(rebuilt))]
    start = texts.index(NEW_HEADING)
    assert texts[start:start + 3] == [NEW_HEADING, *NEW_PARAGRAPHS]


def test_a_new_background_heading_between_entries_comes_before_the_next(built, tmp_path):
    yaml, draft = built

    def add(d):
        anchor = para(d, "The new Work Programme")
        anchor.insert_paragraph_before(NEW_HEADING, style="Heading 3")
        anchor.insert_paragraph_before(NEW_PARAGRAPHS[0], style="Numbered Paragraph")

    absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [s.heading for s in data.background] == [NEW_HEADING, "The new Work Programme"]
    assert data.background[0].paragraphs == NEW_PARAGRAPHS[:1]


def test_a_new_background_heading_with_nothing_under_it_is_reported(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx", lambda d: para(
        d, "Contact").insert_paragraph_before(NEW_HEADING, style="Heading 3"))
    result = absorbed(yaml, cleared)
    assert (f"new background heading '{NEW_HEADING}' has no paragraphs under it; not "
            "absorbed: add it to the YAML by hand") in result.stderr
    assert yaml.read_bytes() == before


@pytest.mark.parametrize(("first", "last", "path", "gone"), [
    ("Government cannot ask", "Case studies", "key_messages[partnership-not-centralism]",
     "partnership-not-centralism"),
    ("If asked: ", "Background", "lines_to_take[capacity]", "capacity"),
    ("The new Work Programme", "Contact", "background[work-programme]", "work-programme"),
], ids=["key-message", "line-to-take", "background"])
def test_a_whole_item_deleted_is_removed_from_the_yaml(built, tmp_path, first, last, path, gone):
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")

    def cut(d):
        remove_between(d, first, last)

    cleared = edit_docx(draft, tmp_path / "cleared.docx", cut)
    result = absorbed(yaml, cleared)

    assert any(line.startswith(f"  {path}: deleted '") for line in result.stdout.splitlines())
    after = yaml.read_text(encoding="utf-8")
    assert f"id: {gone}" not in after
    # the item's lines go; a list left empty reads `key: []`
    assert all(line.startswith("-") or line.endswith(": []")
               for line in diff_lines(before, after)), diff_lines(before, after)
    load_text(after, str(yaml))  # still a valid briefing


def test_a_deleted_key_message_others_relate_to_is_reported_not_absorbed(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()

    def cut(d):
        remove_between(d, "Councils should help", "What members said")

    cleared = edit_docx(draft, tmp_path / "cleared.docx", cut)
    result = absorbed(yaml, cleared)

    assert ("key_messages[local-commissioning] was deleted in the document but "
            "member_comments[rt-jul-own-money], member_comments[rt-jul-future-jobs], "
            "case_studies[northshire-brokerage] relate to it; not absorbed") in result.stderr
    assert yaml.read_bytes() == before


def test_a_new_if_asked_line_without_an_answer_is_reported(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: para(d, "Background").insert_paragraph_before(
                            "If asked: Will this cost more?", style="Label"))
    result = absorbed(yaml, cleared)

    assert ("new 'If asked' line 'If asked: Will this cost more?' has no answer under it; "
            "not absorbed") in result.stderr
    assert yaml.read_bytes() == before


def test_a_new_key_message_after_a_heading_of_the_templates_own_follows_the_message_above(
        built, tmp_path, monkeypatch):
    """A template's fixed third-level heading inside a key message does not start a section."""
    yaml, _ = built
    monkeypatch.chdir(tmp_path)  # the document names its template folder as it was given
    shipped = Path(__file__).resolve().parents[2] / "templates" / "chairman-briefing"
    template = shutil.copytree(shipped, tmp_path / "under-messages")
    layout = (template / "layout.j2").read_text(encoding="utf-8")
    layout = layout.replace("{% endfor %}\n{% if other_comments %}", (
        "{% if case_studies_for[km.id] %}\nh3: Evidence\n{% for cs in case_studies_for[km.id] %}\n"
        "{{ case_study(cs, \"label\") }}\n{% endfor %}\n{% endif %}\n"
        "{% endfor %}\n{% if other_comments %}"), 1)  # case studies under their message
    layout = layout.replace("{% if case_studies %}", "{% if false %}", 1)
    (template / "layout.j2").write_text(layout, encoding="utf-8")
    draft = build_file(yaml, out=tmp_path / "under.docx", template="under-messages").value
    texts = [p.text for p in read_paragraphs(Package.open(draft))]
    title = "Northshire County Council: A single jobs brokerage across a two-tier county"
    assert texts.index("Evidence") < texts.index(title) < texts.index(
        "Government cannot ask for partnership and commission from the centre.")

    def add(d):
        anchor = para(d, "Government cannot ask")  # under the first message's "Evidence"
        anchor.insert_paragraph_before(NEW_HEADLINE, style="Heading 3")
        anchor.insert_paragraph_before("Suggested by Cllr Hart", style="Note")

    absorbed(yaml, edit_docx(draft, tmp_path / "cleared.docx", add))

    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [m.id for m in data.key_messages] == [
        "local-commissioning", "councils-must-keep-a-say", "partnership-not-centralism"]


@pytest.mark.parametrize(("source_id", "item"), [
    ("key_messages/local-commissioning/headline", ("key_messages", "local-commissioning")),
    ("lines_to_take/capacity", ("lines_to_take", "capacity")),
    ("key_messages", None),  # a line drawn from several key messages belongs to none of them
    ("case_studies/northshire-brokerage/title", None),
], ids=["field", "item", "whole-section", "not-an-item-section"])
def test_a_paragraph_belongs_to_the_item_its_source_id_names(source_id, item):
    paragraph = FreshParagraph(1, (("text", None),), (source_id,), None, "derived")
    assert owner(paragraph) == item


@pytest.mark.libreoffice
def test_items_added_and_deleted_in_libreoffice_are_absorbed(lo, built, tmp_path):
    yaml, draft = built
    ann, raj = "Cllr Ann Baker", "Cllr Raj Patel"
    edits = [
        {"kind": "insert_paragraph_after", "author": ann, "find": "Many already do it well",
         "text": "If asked: Will this cost the Department more?"},
        {"kind": "insert_paragraph_after", "author": ann, "find": "Will this cost the Department",
         "text": "No: the pilots use money already committed."},
        *({"kind": "delete_paragraph", "author": raj, "find": find} for find in (
            "Government cannot ask for partnership", "Civil servants say they want",
            "A single, centrally let contract", "Suggested by Lead members")),
    ]
    reviewed = lo.tracked_edits(draft, tmp_path / "reviewed.docx", edits)
    accepted = invoke("accept", str(reviewed), "-o", str(tmp_path / "cleared.docx"))
    assert accepted.exit_code == 0, accepted.output

    result = absorbed(yaml, tmp_path / "cleared.docx")

    assert result.stdout.splitlines()[1:] == [  # in document order
        "  key_messages[partnership-not-centralism]: deleted 'Government cannot ask for "
        "partnership and commission from the centre.'",
        "  lines_to_take[will-this-cost-the-department]: added 'Will this cost the Department "
        "more?' (new id 'will-this-cost-the-department': check it)",
    ]
    data = load_text(yaml.read_text(encoding="utf-8"), str(yaml)).value.briefing
    assert [m.id for m in data.key_messages] == ["local-commissioning"]
    assert [(t.question, t.answer) for t in data.lines_to_take][1] == (
        "Will this cost the Department more?", "No: the pilots use money already committed.")
    # the next build shows the member's document, paragraph for paragraph
    rebuilt = invoke("build", str(yaml), "-o", str(tmp_path / "rebuilt.docx"))
    assert rebuilt.exit_code == 0, rebuilt.output
    ours = [p.text for p in read_paragraphs(Package.open(tmp_path / "rebuilt.docx"))]
    cleared = [p.text for p in read_paragraphs(Package.open(tmp_path / "cleared.docx"))]
    assert ours[:ours.index("Clearance record")] == cleared[:cleared.index("Clearance record")]


def test_a_document_whose_template_is_not_found_from_here_is_refused_and_the_yaml_kept(
        built, tmp_path, monkeypatch):
    # absorb tells which field each paragraph holds by laying the briefing out as the
    # document's template does: another template's layout would put words in the wrong
    # fields (a key message read as deleted), so it stops and names what to do
    yaml, _ = built
    monkeypatch.chdir(tmp_path)  # the document names its template folder as it was given
    shipped = Path(__file__).resolve().parents[2] / "templates" / "chairman-briefing"
    shutil.copytree(shipped, tmp_path / "house-style")
    draft = build_file(yaml, out=tmp_path / "house.docx", template="house-style").value
    before = yaml.read_bytes()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    result = invoke("absorb", str(draft), "--into", str(yaml), "--no-record")

    assert result.exit_code == 1, result.output
    assert (f"{draft}: built with template 'house-style', which cannot be used from this "
            "folder") in result.stderr
    assert "run absorb in the folder the document was built in" in result.stderr
    assert "Traceback" not in result.output
    assert yaml.read_bytes() == before
