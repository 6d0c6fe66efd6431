"""What a finding says about text size and style is what Word shows the reader.

Word's style list and its size box show a style's name ("Body Justified"),
not its id ("Justified"), and a run with no size anywhere as 10 pt
(ECMA-376 17.3.2.38); a finding that named the id or a size Word never shows
would send the officer looking for something that is not there.
"""

from __future__ import annotations

from briefing.check.rules import check_file
from tests.check.test_check import GOOD_BODY, make_docx, p, styles_xml


def _messages(path, rule: str) -> list[str]:
    return [f.message for f in check_file(path) if f.rule == rule]


def test_text_with_no_size_anywhere_is_reported_as_10_pt(tmp_path):
    path = make_docx(tmp_path / "bad.docx", styles=styles_xml(defaults='<w:lang w:val="en-GB"/>'))
    (message,) = _messages(path, "A10-text-size")
    assert message.startswith("text in style 'Normal' is 10 pt (paragraphs 1, 4, 5, 6, ")


def test_findings_name_a_style_by_its_name_not_its_id(tmp_path):
    path = make_docx(tmp_path / "bad.docx", body=GOOD_BODY + p("Councils know.",
                                                               style="Justified"))
    (message,) = _messages(path, "A09-justified")
    assert message.startswith("justified text in style 'Body Justified' (paragraph ")


def test_a_style_id_missing_from_the_styles_is_named_as_written(tmp_path):
    # Word shows a paragraph whose style is not defined under its own id.
    path = make_docx(tmp_path / "bad.docx", body=GOOD_BODY + p(
        "Small print.", style="Footnote", rpr='<w:sz w:val="18"/>'))
    (message,) = _messages(path, "A10-text-size")
    assert message.startswith("text in style 'Footnote' is 9 pt (paragraph ")


def test_text_sized_by_its_character_style_is_reported_in_its_paragraph_style(tmp_path):
    # a character style ("Small Print") on a run in a Normal paragraph: Word's size box
    # shows the character style's size, the paragraph keeps the style Normal
    small_print = ('<w:style w:type="character" w:styleId="SmallPrint">'
                   '<w:name w:val="Small Print"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style>')
    path = make_docx(tmp_path / "bad.docx", styles=styles_xml().replace(
        "</w:styles>", small_print + "</w:styles>"),
        body=GOOD_BODY + p("Terms apply.", rpr='<w:rStyle w:val="SmallPrint"/>'))
    (message,) = _messages(path, "A10-text-size")
    assert message.startswith("text in style 'Normal' is 9 pt (paragraph ")
