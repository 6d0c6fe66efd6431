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
