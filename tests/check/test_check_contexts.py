"""Each check rule where its text can stand: body, table cells, text boxes and headers.

`test_check.py` breaks each rule once, in the body. A rule's conditions also
decide where it applies: a short bold line in a table cell is a column label,
not a fake heading; a text box is read as body text, once, although Word
writes each text box twice (DrawingML and a VML copy under `mc:Fallback`);
headers are read for the classification marking and tracked changes only.
Every case here adds one paragraph (or table, or image) to the passing
document in one place and expects exactly the findings listed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from briefing.check.rules import check_file
from tests.check.test_check import (
    GOOD_BODY,
    TITLE,
    W_NS,
    cell,
    h,
    image,
    make_docx,
    p,
    vml_image,
)

WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
VML = "urn:schemas-microsoft-com:vml"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


# --- where the content goes ------------------------------------------------------------


def in_body(inner: str) -> str:
    return inner


def _table(*cells: str) -> str:
    """Return a one-column table with a header row and one body cell holding `cells`."""
    body = "".join(cells)
    return ("<w:tbl><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>"
            "<w:tblGrid><w:gridCol w:w='2000'/></w:tblGrid>"
            f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{cell('Council')}</w:tr>"
            f"<w:tr><w:tc><w:tcPr><w:tcW w:w='2000' w:type='dxa'/></w:tcPr>{body}</w:tc></w:tr>"
            "</w:tbl>")


def in_cell(inner: str) -> str:
    # A cell must end with a paragraph: a table put in a cell is followed by an empty one.
    return _table(inner, "" if inner.endswith("</w:p>") else "<w:p/>")


def in_text_box(inner: str, descr: str = "Key facts") -> str:
    """Return a paragraph anchoring a text box that holds `inner`, written as Word writes it:
    a DrawingML shape, and a VML copy of it under mc:Fallback for older readers (`descr`, the
    box's alternative text, left out when empty)."""
    alt = f" descr='{descr}'" if descr else ""
    if not inner.endswith("</w:p>"):
        inner += "<w:p/>"
    return (f"<w:p><w:r><mc:AlternateContent xmlns:mc='{MC}'><mc:Choice Requires='wps'>"
            "<w:drawing><wp:anchor><wp:extent cx='1828800' cy='457200'/>"
            f"<wp:docPr id='50' name='Text Box 50'{alt}/>"
            f"<a:graphic xmlns:a='{DML}'><a:graphicData uri='{WPS}'><wps:wsp xmlns:wps='{WPS}'>"
            f"<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp>"
            "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:shape xmlns:v='{VML}' id='Text Box 50'{alt.replace('descr', 'alt')}>"
            f"<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r></w:p>")


HEADER = "header"
CONTEXTS = {"body": in_body, "table cell": in_cell, "text box": in_text_box, HEADER: in_body}


def _docx(tmp_path: Path, context: str, inner: str, **kwargs) -> Path:
    """Return the passing document with `inner` added at the end of its body, or its header."""
    name = context.replace(" ", "-")
    if context != HEADER:
        return make_docx(tmp_path / f"{name}.docx", body=GOOD_BODY + CONTEXTS[context](inner),
                         **kwargs)
    return with_header(make_docx(tmp_path / f"{name}.docx", **kwargs), p("OFFICIAL") + inner)


def with_header(path: Path, content: str) -> Path:
    """Return `path` with its header's content replaced by `content` (paragraphs, tables)."""
    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries["word/header1.xml"] = (
        f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}">{content}</w:hdr>').encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def findings(path: Path) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in check_file(path)]


# --- paragraph rules in each context ----------------------------------------------------

LONG = " ".join(["councils"] * 26) + "."
PARAGRAPH_RULES = {
    # rule: (content, message, contexts it applies in)
    "A03-headings": (p("Funding", ppr='<w:outlineLvl w:val="4"/>'), "Heading 5 \"Funding\" "
                     "skips a level; expected Heading 4 or higher",
                     {"body", "table cell", "text box"}),
    "A04-fake-heading": (p("Background", rpr="<w:b/>"), "\"Background\" is bold body text "
                         "that looks like a heading; use a Heading style", {"body", "text box"}),
    "A05-typed-numbering": (p("1. Councils know their markets."), "starts with a typed \"1.\"; "
                            "use Word numbering or bullets", {"body", "table cell", "text box"}),
    "A08-alt-text": (image(None), "image \"Picture 1\" has no alternative text",
                     {"body", "table cell", "text box"}),
    "A09-justified": (p("Councils know.", ppr='<w:jc w:val="both"/>'), "justified text in "
                      "style 'Normal' (paragraph {n}); align it left",
                      {"body", "table cell", "text box"}),
    "A10-text-size": (p("Small print.", rpr='<w:sz w:val="20"/>'), "text in style 'Normal' is "
                      "10 pt (paragraph {n}); use at least 12 pt",
                      {"body", "table cell", "text box"}),
    "A12-empty-paragraph": (p() + p("Councils know."), "an empty paragraph used for spacing; "
                            "use paragraph spacing in the style instead", {"body", "text box"}),
    "P01-long-sentence": (p(LONG), "sentence of 26 words \"councils councils councils "
                          "councils councils co...\"; aim for 25 or fewer",
                          {"body", "table cell", "text box"}),
    "P02-word-to-avoid": (p("We will utilise local knowledge."), "\"utilise\": GOV.UK says "
                          "avoid it; use", {"body", "table cell", "text box"}),
    "P03-acronym": (p("The JCP runs it."), "\"JCP\" is not spelt out at first use; write the "
                    "full name followed by (JCP)", {"body", "table cell", "text box"}),
    "P04-abbreviation": (p("Some councils, eg Leeds, agree."), "\"eg\" in running text; write "
                         "\"for example\" or \"such as\"", {"body", "table cell", "text box"}),
}
CASES = [(rule, context) for rule in PARAGRAPH_RULES for context in CONTEXTS]


@pytest.mark.parametrize(("rule", "context"), CASES, ids=[f"{r} in {c}" for r, c in CASES])
def test_each_paragraph_rule_applies_exactly_where_its_conditions_say(tmp_path, rule, context):
    content, message, applies = PARAGRAPH_RULES[rule]
    found = findings(_docx(tmp_path, context, content))
    if context not in applies:
        assert found == [], found
        return
    ((got_rule, got_message),) = found  # one finding: a text box is not read twice
    number = next(f.paragraph for f in check_file(_docx(tmp_path, context, content)))
    assert (got_rule, got_message) == (rule, message.format(n=number))


def test_a_fake_heading_in_a_table_cell_is_a_column_label_not_a_heading(tmp_path):
    label = p("Outcome for the council", rpr="<w:b/>")
    assert findings(_docx(tmp_path, "table cell", label)) == []
    assert [r for r, _ in findings(_docx(tmp_path, "body", label))] == ["A04-fake-heading"]


def test_a_text_box_is_read_once_in_document_order(tmp_path):
    box = in_text_box(p("We will utilise it.") + p("Then we will leverage it."))
    after = p("Councils will facilitate it.")  # the body goes on after the box's copies
    found = check_file(make_docx(tmp_path / "box.docx", body=GOOD_BODY + box + after))
    anchor = 14  # the paragraph that holds the text box; its content follows it
    assert [(f.rule, f.paragraph) for f in found] == [
        ("P02-word-to-avoid", anchor + 1), ("P02-word-to-avoid", anchor + 2),
        ("P02-word-to-avoid", anchor + 3)]


def test_an_acronym_spelt_out_in_a_table_cell_counts_as_its_first_use(tmp_path):
    spelt = in_cell(p("Jobcentre Plus (JCP) runs it."))
    body = GOOD_BODY + spelt + p("The JCP agreed.")
    assert findings(make_docx(tmp_path / "ok.docx", body=body)) == []
    body = GOOD_BODY + p("The JCP agreed.") + spelt
    assert [r for r, _ in findings(make_docx(tmp_path / "bad.docx", body=body))] == [
        "P03-acronym"]


# --- the conditions of A04, one at a time ----------------------------------------------

TWELVE = "Funding for local employment support across every council in the wider region"
FAKE_HEADING_CONDITIONS = {
    "short, all bold, no full stop": (p("Background", rpr="<w:b/>"), True),
    "twelve words": (p(TWELVE, rpr="<w:b/>"), True),
    "thirteen words": (p(TWELVE + " today", rpr="<w:b/>"), False),
    "ends with a full stop": (p("Background.", rpr="<w:b/>"), False),
    "ends with a question mark": (p("What next?", rpr="<w:b/>"), False),
    "ends with an exclamation mark": (p("Act now!", rpr="<w:b/>"), False),
    "bold switched off": (p("Background", rpr='<w:b w:val="0"/>'), False),
    "partly bold": (p("Background", rpr="<w:b/>").replace(
        "</w:p>", '<w:r><w:t xml:space="preserve"> and context</w:t></w:r></w:p>'), False),
    "a heading style": (h(3, "Background"), False),
    "the classification marking": (p("OFFICIAL", rpr="<w:b/>"), False),
    "a bold paragraph style": (p("Background", style="Heading3").replace(
        "Heading3", "Strong"), True),
}


@pytest.mark.parametrize("case", list(FAKE_HEADING_CONDITIONS))
def test_fake_heading_conditions(tmp_path, case):
    content, flagged = FAKE_HEADING_CONDITIONS[case]
    styles = None
    if case == "a bold paragraph style":
        from tests.check.test_check import styles_xml
        styles = styles_xml().replace("</w:styles>", (
            '<w:style w:type="paragraph" w:styleId="Strong"><w:name w:val="Strong Para"/>'
            '<w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style></w:styles>'))
    path = make_docx(tmp_path / "doc.docx", body=GOOD_BODY + content, styles=styles)
    assert ("A04-fake-heading" in [r for r, _ in findings(path)]) is flagged


# --- tables in each context -------------------------------------------------------------

def _plain_table(header: bool = True, tcpr: str = "") -> str:
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return ("<w:tbl><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>"
            "<w:tblGrid><w:gridCol w:w='2000'/><w:gridCol w:w='2000'/></w:tblGrid>"
            f"<w:tr>{trpr}{cell('Board')}{cell('Date')}</w:tr>"
            f"<w:tr>{cell('People', tcpr)}{cell('May')}</w:tr></w:tbl>")


TABLE_RULES = {
    "A06-table-header": (_plain_table(header=False), "has no header row; mark its first row "
                         "'Repeat as header row at the top of each page'"),
    "A07-merged-cells": (_plain_table(tcpr='<w:gridSpan w:val="2"/>'),
                         "has merged cells; screen readers cannot follow them"),
}
TABLE_CASES = [(rule, context) for rule in TABLE_RULES for context in CONTEXTS]


@pytest.mark.parametrize(("rule", "context"), TABLE_CASES,
                         ids=[f"{r} in {c}" for r, c in TABLE_CASES])
def test_table_rules_apply_to_tables_in_cells_and_text_boxes_but_not_headers(
        tmp_path, rule, context):
    content, message = TABLE_RULES[rule]
    found = findings(_docx(tmp_path, context, content))
    if context == HEADER:
        assert found == []
        return
    number = 3 if context == "table cell" else 2  # table 1 is the good body's; 2 holds the cell
    assert found == [(rule, f"table {number} {message}")]


# --- the classification marking: wherever the header holds it ---------------------------

MARKING_PLACES = {
    "a plain paragraph": p("OFFICIAL"),
    "a table cell": _table(p("OFFICIAL")),
    "a text box": in_text_box(p("OFFICIAL")),
    "a paragraph with other words": p("Chairman's briefing - OFFICIAL - not for circulation"),
}


@pytest.mark.parametrize("place", list(MARKING_PLACES))
def test_the_header_marking_is_found_wherever_the_header_holds_it(tmp_path, place):
    path = with_header(make_docx(tmp_path / "doc.docx"), MARKING_PLACES[place])
    assert findings(path) == []


@pytest.mark.parametrize(("header", "expected"), [
    ("official", "OFFICIAL"),  # in capitals, as the house style and GSC require
    ("OFFICIAL-SENSITIVE", "OFFICIAL"),  # a different marking, not the one the data gives
    ("UNOFFICIAL", "OFFICIAL"),
    ("OFFICIAL", "OFFICIAL-SENSITIVE"),
])
def test_a_header_without_the_expected_marking_is_an_error(tmp_path, header, expected):
    data = {"briefing": {"status": "draft", "classification": expected}}
    path = make_docx(tmp_path / "doc.docx", data=data, header=header, footer=expected)
    assert findings(path) == [("A11-classification",
                               f"header header1.xml lacks {expected} in capitals")]


# --- clearance state: tracked changes wherever they are ---------------------------------

INSERTED = ("<w:p><w:ins w:id='90' w:author='Cllr A' w:date='2026-03-02T10:00:00Z'><w:r>"
            "<w:t>Added by a member.</w:t></w:r></w:ins></w:p>")


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_a_tracked_change_left_anywhere_in_a_cleared_briefing_is_found_once(tmp_path, context):
    data = {"briefing": {"status": "cleared", "classification": "OFFICIAL"}}
    found = findings(_docx(tmp_path, context, INSERTED, data=data))
    assert found == [("S01-tracked-changes", "1 tracked change left in a briefing whose status "
                      "is cleared; accept or reject them (briefing accept / reject)")]


def test_a_tracked_change_after_a_text_box_holding_one_is_counted_too(tmp_path):
    """The text box's VML copy is skipped, not taken for the end of the document."""
    data = {"briefing": {"status": "cleared", "classification": "OFFICIAL"}}
    body = GOOD_BODY + in_text_box(INSERTED) + INSERTED
    assert findings(make_docx(tmp_path / "doc.docx", body=body, data=data)) == [
        ("S01-tracked-changes", "2 tracked changes left in a briefing whose status is cleared; "
         "accept or reject them (briefing accept / reject)")]


def test_the_title_rule_reads_the_heading_1_wherever_it_stands(tmp_path):
    body = GOOD_BODY.replace(h(1, TITLE), in_cell(h(1, TITLE)))
    assert "A01-title" not in [r for r, _ in findings(make_docx(tmp_path / "doc.docx",
                                                                  body=body))]


def test_a_text_box_without_alternative_text_is_read_as_text_not_as_an_image(tmp_path):
    """Word inserts a text box with no alternative text; its words are read aloud as text,
    so A08 must not call it an image. A picture placed inside the box still needs its own."""
    box = in_text_box(p("Councils commission for their places."), descr="")
    assert findings(make_docx(tmp_path / "box.docx", body=GOOD_BODY + box)) == []
    with_picture = in_text_box(p("Councils commission.") + image(None), descr="")
    assert findings(make_docx(tmp_path / "picture.docx", body=GOOD_BODY + with_picture)) == [
        ("A08-alt-text", "image \"Picture 1\" has no alternative text")]


def test_a_merged_cell_after_a_nested_table_is_still_found_in_the_outer_table(tmp_path):
    # the nested table's cells are its own; the outer table's cells after it are still read
    nested, merged = _plain_table(), cell("May", "<w:vMerge w:val='restart'/>")
    outer = ("<w:tbl><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>"
             "<w:tblGrid><w:gridCol w:w='2000'/><w:gridCol w:w='2000'/></w:tblGrid>"
             f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{cell('Board')}{cell('Date')}</w:tr>"
             f"<w:tr><w:tc>{nested}<w:p/></w:tc>{merged}</w:tr></w:tbl>")
    found = findings(make_docx(tmp_path / "nested.docx", body=GOOD_BODY + outer))
    assert found == [("A07-merged-cells", "table 2 has merged cells; screen readers cannot "
                                          "follow them")]



@pytest.mark.parametrize(("picture", "name"), [(image(None), "Picture 1"),
                                               (vml_image(None), "_x0000_i1025")],
                         ids=["DrawingML", "VML"])
def test_a_picture_beside_a_text_box_in_one_paragraph_is_still_checked(tmp_path, picture, name):
    # the box (a drawing, and a VML shape in its fallback) is skipped, not the rest
    box = in_text_box(p("Councils commission."), descr="")
    beside = box.removesuffix("</w:p>") + picture.removeprefix("<w:p>")
    assert findings(make_docx(tmp_path / "beside.docx", body=GOOD_BODY + beside)) == [
        ("A08-alt-text", f"image \"{name}\" has no alternative text")]
