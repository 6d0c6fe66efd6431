"""What the builder writes reads in Word as the briefing says: line breaks and table widths.

A line break in a value is a `w:br` (17.3.3.1) and a tab a `w:tab`: a
newline inside `w:t` is shown by Word as a space. A table's grid columns
(17.4.16) share the text width exactly, however many columns it has.
"""

from __future__ import annotations

import pytest

from briefing.ooxml.build_xml import BodyWriter, body_elements
from briefing.ooxml.ns import qn
from briefing.ooxml.read.text import paragraph_text


def test_a_line_break_and_a_tab_in_a_value_are_word_breaks_and_tabs():
    (p,) = body_elements([BodyWriter(9638).paragraph(
        "body", [("Local Government House\nSmith Square", None), ("\tLondon", None)])])
    assert paragraph_text(p) == "Local Government House\nSmith Square\tLondon"
    assert [t.text for t in p.iter(qn("w:t"))] == [
        "Local Government House", "Smith Square", "London"]
    assert len(list(p.iter(qn("w:br")))) == 1 and len(list(p.iter(qn("w:tab")))) == 1


@pytest.mark.parametrize("columns", [2, 3, 4, 7])
def test_a_tables_columns_share_the_text_width_exactly(columns):
    cell = ("td", [("Leeds", None)])
    (table,) = body_elements([BodyWriter(9638).table("Councils", [[cell] * columns] * 2, 1)])
    widths = [int(col.get(qn("w:w"))) for col in table.iter(qn("w:gridCol"))]
    assert len(widths) == columns and min(widths) > 0 and sum(widths) == 9638


@pytest.mark.parametrize(("section", "width"), [
    ("", 9638),  # none given: A4 (210 mm) less two 2 cm margins, 170 mm
    ('<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>'
     '<w:pgMar w:left="1440" w:right="1440"/></w:sectPr>', 9360),  # US Letter, 1 inch
    ('<w:sectPr><w:pgMar w:left="1701" w:right="1701"/></w:sectPr>', 8504),  # A4, 3 cm
])
def test_tables_span_the_text_width_of_the_templates_page(section, width):
    from lxml import etree

    from briefing.ooxml.build_xml import text_width

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = etree.fromstring(f'<w:document xmlns:w="{w}"><w:body>{section}</w:body>'
                                "</w:document>")
    assert text_width(document) == width
