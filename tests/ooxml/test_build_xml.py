"""What the builder writes reads in Word as the briefing says: line breaks, spaces, the
characters XML reserves, table widths, and tracking switched on in the settings.

A line break in a value is a `w:br` (17.3.3.1) and a tab a `w:tab`: a
newline inside `w:t` is shown by Word as a space. A table's grid columns
(17.4.16) share the text width exactly, however many columns it has.
"""

from __future__ import annotations

import pytest
from lxml import etree

from briefing.ooxml.build_xml import (
    XML_SPACE,
    BodyWriter,
    body_elements,
    set_en_gb,
    set_track_revisions,
)
from briefing.ooxml.ns import qn
from briefing.ooxml.read.text import paragraph_text
from tests.support.cxml import w


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])  # Unix, Windows, old Mac
def test_a_line_break_and_a_tab_in_a_value_are_word_breaks_and_tabs(newline):
    (p,) = body_elements([BodyWriter(9638).paragraph(
        "body", [(f"Local Government House{newline}Smith Square", None), ("\tLondon", None)])])
    assert paragraph_text(p) == "Local Government House\nSmith Square\tLondon"
    assert [t.text for t in p.iter(qn("w:t"))] == [
        "Local Government House", "Smith Square", "London"]
    assert len(list(p.iter(qn("w:br")))) == 1 and len(list(p.iter(qn("w:tab")))) == 1


@pytest.mark.parametrize("kind", ["body", "numbered", "bullet"])
def test_a_paragraph_outside_a_table_is_free_to_end_a_page(kind):
    # only table rows keep with the next (so no row stands alone); a briefing whose every
    # paragraph kept with the next would push whole sections onto the next page
    (p,) = body_elements([BodyWriter(9638).paragraph(kind, [("Leeds", None)])])
    assert p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is None


@pytest.mark.parametrize("value", [" Leeds", "Leeds ", "Leeds  City Council"])
def test_spaces_at_either_end_or_doubled_are_marked_for_word_to_keep(value):
    (p,) = body_elements([BodyWriter(9638).paragraph("body", [(value, None)])])
    (t,) = p.iter(qn("w:t"))
    assert t.text == value
    assert t.get(XML_SPACE) == "preserve"  # else Word drops them (17.3.3.31)


@pytest.mark.parametrize("value", ["Fees & charges", "a < b > c", "end ]]> of a section",
                                   'the "Devolution" Bill'])
def test_text_with_xml_characters_reads_back_as_typed(value):
    writer = BodyWriter(9638)
    p, table = body_elements([writer.paragraph("body", [(value, None)]),
                              writer.table(value, [[("td", [(value, None)])]] * 2, 1)])
    assert paragraph_text(p) == value
    assert paragraph_text(next(table.iter(qn("w:p")))) == value
    assert table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}").get(qn("w:val")) == value


def test_a_table_of_only_a_header_row_is_written():
    row = [("th", [("Council", None)]), ("th", [("Contact", None)])]
    (table,) = body_elements([BodyWriter(9638).table("Contacts", [row], 1)])
    assert [paragraph_text(p) for p in table.iter(qn("w:p"))] == ["Council", "Contact"]


def test_a_two_column_table_gives_the_label_three_tenths_of_the_width():
    row = [("td", [("Council", None)]), ("td", [("Leeds City Council", None)])]
    (table,) = body_elements([BodyWriter(9638).table("", [row], 0)])
    assert [int(col.get(qn("w:w"))) for col in table.iter(qn("w:gridCol"))] == [2891, 6747]


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
    ('<w:sectPr><w:pgSz w:w="5000"/><w:pgMar w:left="2000" w:right="2000"/></w:sectPr>',
     1440),  # margins leaving less than an inch: an inch (1440 twips), never less
])
def test_tables_span_the_text_width_of_the_templates_page(section, width):
    from briefing.ooxml.build_xml import text_width

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = etree.fromstring(f'<w:document xmlns:w="{w}"><w:body>{section}</w:body>'
                                "</w:document>")
    assert text_width(document) == width


@pytest.mark.parametrize("before", [[], ["zoom"], ["zoom", "proofState", "attachedTemplate"]])
def test_tracking_is_switched_on_and_off_in_the_schemas_order(before):
    # CT_Settings (17.15.1.78) is a sequence: w:trackRevisions after w:zoom, w:proofState and
    # w:attachedTemplate, before w:defaultTabStop; out of order, Word calls the file unreadable
    settings = w.settings(*(getattr(w, name)() for name in before), w.defaultTabStop(val="720"),
                          w.compat())
    set_track_revisions(settings, True)
    set_track_revisions(settings, True)  # already on: one element, not two
    assert [etree.QName(el).localname for el in settings] == [
        *before, "trackRevisions", "defaultTabStop", "compat"]
    set_track_revisions(settings, False)
    assert [etree.QName(el).localname for el in settings] == [*before, "defaultTabStop", "compat"]


def _names(el) -> list[str]:
    return [etree.QName(child).localname for child in el]


@pytest.mark.parametrize(("defaults", "rpr"), [
    (None, ["lang"]),  # no docDefaults: made, first in the styles
    (w.docDefaults(w.pPrDefault()), ["lang"]),  # w:rPrDefault goes before w:pPrDefault
    (w.docDefaults(w.rPrDefault(w.rPr(w.rFonts(ascii="Arial"), w.sz(val="24"),
                                      w.eastAsianLayout(id="1")))),
     ["rFonts", "sz", "lang", "eastAsianLayout"]),  # w:lang before w:eastAsianLayout
    (w.docDefaults(w.rPrDefault(w.rPr(w.lang(val="en-US")))), ["lang"]),
])
def test_english_uk_is_the_style_defaults_language_in_the_schemas_order(defaults, rpr):
    # 17.7.5.1 CT_DocDefaults (rPrDefault, pPrDefault) and 17.3.2 CT_RPr are sequences
    styles = w.styles(*([defaults] if defaults is not None else []),
                      w.style(w.name(val="Normal"), type="paragraph", styleId="Normal"))
    set_en_gb(styles)
    assert _names(styles) == ["docDefaults", "style"]
    assert _names(styles[0])[0] == "rPrDefault"
    assert _names(styles[0][0]) == ["rPr"]
    assert _names(styles[0][0][0]) == rpr
    assert styles[0][0][0].find(qn("w:lang")).get(qn("w:val")) == "en-GB"
