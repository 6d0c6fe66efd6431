"""What `briefing check` reads from documents as other producers and editors write them.

`test_check.py` checks documents laid out as Word lays out a new file. Other
producers name parts differently (.NET's packaging library stores the core
properties under package/services/, some services call the main part
word/document2.xml), keep the language in the Normal style or the settings, and
an officer editing one of our drafts in Word splits its paragraphs and adds
Word's own bookmarks: each must be read as it stands, not refused or misread.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from briefing.check.rules import check_file
from briefing.ooxml.package import Package, rels_name
from briefing.ooxml.read.inspect import inspect_package
from tests.check.test_check import (
    GOOD_BODY,
    W_NS,
    bookmarked,
    make_docx,
    p,
    styles_xml,
    table,
)

SETTINGS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
SETTINGS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
DRAFT = {"briefing": {"status": "draft", "classification": "OFFICIAL"}}


def findings(path: Path) -> list[tuple[str, str, int | None, str | None]]:
    return [(f.rule, f.message, f.paragraph, f.item) for f in check_file(path)]


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _rewrite(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _renamed(path: Path, part: str, stored_as: str) -> Path:
    """Return `path` with `part` stored as `stored_as`: its relationships part moves with it,
    and the package relationship and content type that name it follow."""
    moves = {part: stored_as, rels_name(part): rels_name(stored_as)}
    entries = {}
    for name, data in _entries(path).items():
        if name in ("[Content_Types].xml", "_rels/.rels"):
            data = data.replace(part.encode(), stored_as.encode())
        entries[moves.get(name, name)] = data
    return _rewrite(path, entries)


# --- parts under other names ----------------------------------------------------------

BROKEN = GOOD_BODY + p("Councils know.", ppr='<w:jc w:val="both"/>')


@pytest.mark.parametrize(("part", "stored_as"), [
    ("word/document.xml", "word/document2.xml"),
    ("docProps/core.xml", "package/services/metadata/core-properties/4c1b.psmdcp"),
])
def test_a_part_stored_under_another_name_is_read_by_its_relationship(tmp_path, part, stored_as):
    usual = findings(make_docx(tmp_path / "usual.docx", body=BROKEN, header="Briefing"))
    assert {"A09-justified", "A11-classification"} <= {rule for rule, *_ in usual}

    renamed = _renamed(make_docx(tmp_path / "renamed.docx", body=BROKEN, header="Briefing"),
                       part, stored_as)

    assert stored_as in _entries(renamed) and part not in _entries(renamed)
    assert findings(renamed) == usual  # the same body, header and title read


def test_a_document_with_no_body_is_checked_not_refused(tmp_path):
    path = make_docx(tmp_path / "empty.docx", body="")
    entries = _entries(path)
    entries["word/document.xml"] = f'<w:document xmlns:w="{W_NS}"/>'.encode()
    assert [(rule, message) for rule, message, *_ in findings(_rewrite(path, entries))] == [
        ("A11-classification", "the document has no header; add one with the classification "
         "marking"),
        ("A11-classification", "the document has no footer; add one with the classification "
         "marking"),
    ]



def test_a_body_ending_with_a_table_exempts_no_empty_paragraph_from_spacing(tmp_path):
    # Word always ends the body with a paragraph; python-docx and others may end it with a
    # table, and then no empty paragraph is the one Word needs after a final table.
    body = GOOD_BODY + table() + p() + table()
    assert [rule for rule, *_ in findings(make_docx(tmp_path / "t.docx", body=body))] == [
        "A12-empty-paragraph"]


def test_a_footer_part_a_tool_dropped_is_reported_missing_not_a_failure(tmp_path):
    # the relationship and the section's reference are kept, the part itself is gone
    path = make_docx(tmp_path / "cut.docx")
    entries = _entries(path)
    del entries["word/footer1.xml"]
    assert findings(_rewrite(path, entries)) == [
        ("A11-classification", "the document has no footer; add one with the classification "
         "marking", None, None)]

# --- the document language --------------------------------------------------------------

NO_DEFAULT_LANGUAGE = '<w:sz w:val="24"/>'


def _with_settings(path: Path, settings: str) -> Path:
    pkg = Package.open(path)
    pkg.add_part("word/document.xml", "word/settings.xml",
                 f'<w:settings xmlns:w="{W_NS}">{settings}</w:settings>'.encode(),
                 SETTINGS_TYPE, SETTINGS_CT)
    pkg.save(path)
    return path


@pytest.mark.parametrize(("normal_rpr", "settings", "language_set"), [
    ('<w:lang w:val="en-GB"/>', "", True),  # in the Normal style, as LibreOffice writes it
    ("", '<w:themeFontLang w:val="en-GB"/>', True),  # the language Word's settings give
    ("", '<w:zoom w:percent="100"/>', False),  # settings that name none
])
def test_the_document_language_is_found_where_the_defaults_leave_it(
        tmp_path, normal_rpr, settings, language_set):
    path = _with_settings(make_docx(tmp_path / "lang.docx", styles=styles_xml(
        defaults=NO_DEFAULT_LANGUAGE, normal_rpr=normal_rpr)), settings)
    assert ("A02-language" not in {rule for rule, *_ in findings(path)}) is language_set


# --- briefing items in a draft edited in Word --------------------------------------------

PURPOSE = "We will utilise local knowledge."


def _split(source_id: str, first: str, second: str) -> str:
    """Return two paragraphs made by pressing Enter inside `source_id`'s bookmarked text:
    the bookmark starts in the first and ends in the second."""
    one, two = bookmarked(source_id, p(first)), bookmarked(source_id, p(second))
    return one.split("<w:bookmarkEnd")[0] + "</w:p>" + two.replace(
        two[two.index("<w:bookmarkStart"):two.index("<w:r>")], "")


ITEM_BODIES = {
    "Word's own bookmark beside ours": bookmarked("meeting/purpose", p(PURPOSE)).replace(
        "<w:r>", '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/><w:r>', 1),
    "a paragraph split in two": _split("meeting/purpose", "Councils agree.", PURPOSE),
    "a paragraph holding two items": bookmarked("meeting/purpose", p(PURPOSE)).replace(
        "</w:p>", bookmarked("briefing/title", p("More text.")).removeprefix("<w:p>"), 1),
    "our bookmark inside a hyperlink": bookmarked("meeting/purpose", p(PURPOSE)).replace(
        "<w:bookmarkStart", '<w:hyperlink w:anchor="x"><w:bookmarkStart', 1).replace(
        "</w:r>", "</w:r></w:hyperlink>", 1),
}


@pytest.mark.parametrize("case", list(ITEM_BODIES))
def test_a_finding_names_the_item_whose_bookmark_holds_its_paragraph(tmp_path, case):
    path = make_docx(tmp_path / "ours.docx", body=GOOD_BODY + ITEM_BODIES[case], data=DRAFT)
    assert [(rule, item) for rule, _, _, item in findings(path)] == [
        ("P02-word-to-avoid", "meeting/purpose")]



def test_a_table_inserted_in_an_items_text_is_found_at_its_first_paragraph_under_the_item(
        tmp_path):
    # the officer put a table in the middle of the item's paragraph: the bookmark now spans it
    split = _split("meeting/purpose", "Councils agree.", "Members agree.")
    end_of_first = split.index("</w:p>") + len("</w:p>")
    body = GOOD_BODY + split[:end_of_first] + table(header=False) + split[end_of_first:]
    path = make_docx(tmp_path / "ours.docx", body=body, data=DRAFT)
    assert [(rule, paragraph, item) for rule, _, paragraph, item in findings(path)] == [
        ("A06-table-header", 15, "meeting/purpose")]  # after the good body's 13 and the 14th

# --- list paragraphs (read by the minutes import) ---------------------------------------

LIST_BULLET = ('<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>'
               '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
               "</w:pPr></w:style>")
NUM_PR = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{}"/></w:numPr>'


def test_a_list_paragraph_is_numbered_by_its_style_unless_it_switches_numbering_off(tmp_path):
    # Word's bullets are not in the text: the minutes import knows a member's point from
    # its paragraph being numbered, directly or by a style such as List Bullet.
    body = "".join([p("By its style.", style="ListBullet"),
                    p("Directly.", ppr=NUM_PR.format(2)),
                    p("Switched off.", style="ListBullet", ppr=NUM_PR.format(0)),
                    p("Plain text.")])
    path = make_docx(tmp_path / "lists.docx", body=body,
                     styles=styles_xml().replace("</w:styles>", LIST_BULLET + "</w:styles>"))
    view = inspect_package(Package.open(path))
    assert [(para.text, para.numbered) for para in view.paragraphs] == [
        ("By its style.", True), ("Directly.", True), ("Switched off.", False),
        ("Plain text.", False)]
