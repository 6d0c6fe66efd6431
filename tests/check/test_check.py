"""briefing check: for each rule, a small document that breaks it and one that passes.

Documents are written from XML snippets by `make_docx` (a compact builder in
the spirit of python-docx's cxml): the good document has no finding at all,
and each bad one differs from it in one place.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.check.rules import RULES, check_file, findings_fail, format_findings
from briefing.cli import app
from briefing.ooxml.sourcemap import SourceMap, bookmark_name

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TITLE = "Meeting with the Secretary of State for Work and Pensions"

runner = CliRunner()


# --- a compact .docx builder ----------------------------------------------------------


def p(text: str = "", style: str | None = None, ppr: str = "", rpr: str = "") -> str:
    """Return a paragraph with one run of `text`."""
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{style_xml}{ppr}</w:pPr>" if style_xml or ppr else ""
    run_props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    run = f'<w:r>{run_props}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{props}{run}</w:p>"


def h(level: int, text: str) -> str:
    """Return a heading paragraph."""
    return p(text, style=f"Heading{level}")


def numbered(text: str) -> str:
    """Return a paragraph with real Word numbering."""
    return p(text, ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')


def cell(text: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr><w:tcW w:w='2000' w:type='dxa'/>{tcpr}</w:tcPr>{p(text)}</w:tc>"


def table(header: bool = True, tcpr: str = "") -> str:
    """Return a two-by-two table; `tcpr` goes on the first body cell."""
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return ("<w:tbl><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>"
            "<w:tblGrid><w:gridCol w:w='2000'/><w:gridCol w:w='2000'/></w:tblGrid>"
            f"<w:tr>{trpr}{cell('Council')}{cell('Outcome')}</w:tr>"
            f"<w:tr>{cell('Leeds', tcpr)}{cell('Fewer people out of work')}</w:tr></w:tbl>")


def image(descr: str | None = "Chart of claimant numbers in 2010") -> str:
    """Return a paragraph holding an inline picture (drawing frame only)."""
    alt = f' descr="{descr}"' if descr is not None else ""
    return (f"<w:p><w:r><w:drawing><wp:inline><wp:extent cx='100' cy='100'/>"
            f"<wp:docPr id='1' name='Picture 1'{alt}/></wp:inline></w:drawing></w:r></w:p>")


def bookmarked(source_id: str, inner: str, bid: int = 1) -> str:
    """Return paragraph `inner` with its content inside our source-id bookmark."""
    name = bookmark_name(source_id)
    start = f'<w:bookmarkStart w:id="{bid}" w:name="{name}"/>'
    end = f'<w:bookmarkEnd w:id="{bid}"/>'
    head, rest = inner.split("<w:r>", 1)
    return f"{head}{start}<w:r>{rest.replace('</w:p>', f'{end}</w:p>')}"


GOOD_BODY = "".join([
    p("OFFICIAL"),
    h(1, TITLE),
    h(2, "Purpose"),
    p("The Department for Work and Pensions (DWP) asked to meet the Chairman. "
      "DWP wants to hear how councils help people find work."),
    numbered("Councils know their local labour markets."),
    numbered("Funding should follow people, not programmes."),
    h(3, "Case studies"),
    table(),
    image(),
    p("Councils can help the Work Programme reach people furthest from work."),
])

STYLE_DEFAULT_RPR = '<w:lang w:val="en-GB"/><w:sz w:val="24"/>'


def styles_xml(defaults: str = STYLE_DEFAULT_RPR, normal_ppr: str = "",
               normal_rpr: str = "") -> str:
    heading = "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
        f'<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="{n - 1}"/></w:pPr>'
        f'<w:rPr><w:b/><w:sz w:val="{36 - 4 * n}"/></w:rPr></w:style>' for n in (1, 2, 3))
    return (f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{defaults}'
            "</w:rPr></w:rPrDefault></w:docDefaults>"
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
            f'<w:name w:val="Normal"/><w:pPr>{normal_ppr}</w:pPr><w:rPr>{normal_rpr}</w:rPr>'
            f"</w:style>{heading}"
            '<w:style w:type="paragraph" w:styleId="Justified"><w:name w:val="Body Justified"/>'
            '<w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>'
            "</w:styles>")


def story(tag: str, text: str) -> str:
    return f'<w:{tag} xmlns:w="{W_NS}">{p(text)}</w:{tag}>'


def make_docx(path: Path, body: str = GOOD_BODY, *, title: str | None = TITLE,
              styles: str | None = None, header: str | None = "OFFICIAL",
              footer: str | None = "OFFICIAL  Page 1 of 2", data: dict | None = None,
              comments: int = 0) -> Path:
    """Write a minimal, well-formed .docx; `data` makes it one of ours (with a source map)."""
    parts: dict[str, str] = {}
    overrides = {"/word/document.xml":
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                 "/word/styles.xml":
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"}
    rels = [("rIdStyles", "styles", "styles.xml")]
    sect = ""
    for kind, text in (("header", header), ("footer", footer)):
        if text is not None:
            parts[f"word/{kind}1.xml"] = story("hdr" if kind == "header" else "ftr", text)
            overrides[f"/word/{kind}1.xml"] = (
                f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml")
            rels.append((f"rId{kind}", kind, f"{kind}1.xml"))
            sect += f'<w:{kind}Reference w:type="default" r:id="rId{kind}"/>'
    if comments:
        parts["word/comments.xml"] = (
            f'<w:comments xmlns:w="{W_NS}">' + "".join(
                f'<w:comment w:id="{i}" w:author="Cllr A">{p("Please reword.")}</w:comment>'
                for i in range(comments)) + "</w:comments>")
        overrides["/word/comments.xml"] = (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
        rels.append(("rIdComments", "comments", "comments.xml"))
    if data is not None:
        smap = SourceMap(data_json=json.dumps(data), version=1)
        smap.add("briefing/title")
        smap.add("meeting/purpose")
        parts["customXml/item1.xml"] = smap.to_xml().decode("utf-8")
        rels.append(("rIdCustom", "customXml", "../customXml/item1.xml"))
    parts["word/document.xml"] = (
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}"><w:body>{body}'
        f"<w:sectPr>{sect}</w:sectPr></w:body></w:document>")
    parts["word/styles.xml"] = styles or styles_xml()
    parts["word/_rels/document.xml.rels"] = _rels(rels)
    parts["_rels/.rels"] = _rels([("rIdDoc", "officeDocument", "word/document.xml")]
                                 + ([("rIdCore", None, "docProps/core.xml")]))
    parts["docProps/core.xml"] = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        + (f"<dc:title>{title}</dc:title>" if title is not None else "")
        + "</cp:coreProperties>")
    overrides["/docProps/core.xml"] = "application/vnd.openxmlformats-package.core-properties+xml"
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items())
        + "</Types>")
    with zipfile.ZipFile(path, "w") as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return path


def _rels(rels) -> str:
    out = []
    for rid, kind, target in rels:
        rtype = (f"{REL}/{kind}" if kind else
                 "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                 "core-properties")
        out.append(f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>')
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">' + "".join(out) + "</Relationships>")


def rules_of(path: Path) -> list[str]:
    return [f.rule for f in check_file(path)]


# --- the passing document -----------------------------------------------------------


def test_good_document_has_no_findings(tmp_path):
    path = make_docx(tmp_path / "good.docx")
    assert check_file(path) == []
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    assert result.output == "no findings\n"


# --- each rule broken by one small change ----------------------------------------------

BODY_WITH = GOOD_BODY.replace


BREAKERS = {
    "no title property": ("A01-title", {"title": None}),
    "title differs from Heading 1": ("A01-title", {"title": "Draft"}),
    "no language": ("A02-language", {"styles": styles_xml(defaults='<w:sz w:val="24"/>')}),
    "skipped heading level": ("A03-headings", {"body": GOOD_BODY.replace(
        h(2, "Purpose"), h(3, "Purpose"))}),
    "first heading not level 1": ("A03-headings", {"body": h(2, TITLE) + p("Text.")}),
    "no headings at all": ("A03-headings", {"body": p("Just text.")}),
    "bold body text as a heading": ("A04-fake-heading", {"body": GOOD_BODY + p(
        "Background", rpr="<w:b/>")}),
    "typed number": ("A05-typed-numbering", {"body": GOOD_BODY + p("1. Councils know.")}),
    "typed letter": ("A05-typed-numbering", {"body": GOOD_BODY + p("a) Councils know.")}),
    "typed bullet": ("A05-typed-numbering", {"body": GOOD_BODY + p("• Councils know.")}),
    "typed dash": ("A05-typed-numbering", {"body": GOOD_BODY + p("- Councils know.")}),
    "table without header row": ("A06-table-header", {"body": GOOD_BODY.replace(
        table(), table(header=False))}),
    "horizontally merged cells": ("A07-merged-cells", {"body": GOOD_BODY.replace(
        table(), table(tcpr='<w:gridSpan w:val="2"/>'))}),
    "vertically merged cells": ("A07-merged-cells", {"body": GOOD_BODY.replace(
        table(), table(tcpr='<w:vMerge w:val="restart"/>'))}),
    "image without alt text": ("A08-alt-text", {"body": GOOD_BODY.replace(
        image(), image(None))}),
    "justified paragraph": ("A09-justified", {"body": GOOD_BODY + p(
        "Councils know.", ppr='<w:jc w:val="both"/>')}),
    "justified style": ("A09-justified", {"body": GOOD_BODY + p(
        "Councils know.", style="Justified")}),
    "11 pt defaults": ("A10-text-size", {"styles": styles_xml(
        defaults='<w:lang w:val="en-GB"/><w:sz w:val="22"/>')}),
    "no size anywhere (10 pt)": ("A10-text-size", {"styles": styles_xml(
        defaults='<w:lang w:val="en-GB"/>')}),
    "10 pt run": ("A10-text-size", {"body": GOOD_BODY + p("Small print.",
                                                            rpr='<w:sz w:val="20"/>')}),
    "header without marking": ("A11-classification", {"header": "Chairman's briefing"}),
    "no footer": ("A11-classification", {"footer": None}),
    "empty paragraph": ("A12-empty-paragraph", {"body": GOOD_BODY.replace(
        h(2, "Purpose"), p() + h(2, "Purpose"))}),
    "long sentence": ("P01-long-sentence", {"body": GOOD_BODY + p(
        " ".join(["councils"] * 26) + ".")}),
    "word to avoid": ("P02-word-to-avoid", {"body": GOOD_BODY + p(
        "We will utilise local knowledge.")}),
    "verb impact": ("P02-word-to-avoid", {"body": GOOD_BODY + p("Cuts will impact councils.")}),
    "acronym not spelt out": ("P03-acronym", {"body": GOOD_BODY + p("The JCP runs it.")}),
    "eg": ("P04-abbreviation", {"body": GOOD_BODY + p("Some councils, eg Leeds, do.")}),
    "ampersand": ("P04-abbreviation", {"body": GOOD_BODY + p("Leeds &amp; Bradford do.")}),
    "hidden text": ("H01-hidden-data", {"body": GOOD_BODY + p("Not for the minister.",
                                                               rpr="<w:vanish/>")}),
}


@pytest.mark.parametrize("case", list(BREAKERS), ids=list(BREAKERS))
def test_each_rule_fires_on_a_document_that_breaks_it(tmp_path, case):
    rule, kwargs = BREAKERS[case]
    path = make_docx(tmp_path / "bad.docx", **kwargs)
    assert rule in rules_of(path)


def test_every_rule_is_exercised():
    exercised = {rule for rule, _ in BREAKERS.values()} | {"S01-tracked-changes",
                                                          "S02-comments"}
    assert exercised == set(RULES)


def test_messages_say_what_and_where(tmp_path):
    body = GOOD_BODY.replace(h(2, "Purpose"), h(3, "Purpose"))
    (finding,) = check_file(make_docx(tmp_path / "bad.docx", body=body))
    assert str(finding) == ("error: A03-headings: paragraph 3: Heading 3 \"Purpose\" skips a "
                            "level; expected Heading 2 or higher")


def test_title_mismatch_message(tmp_path):
    (finding,) = check_file(make_docx(tmp_path / "bad.docx", title="Draft"))
    assert finding.message == (f"the title property \"Draft\" differs from the Heading 1 "
                               f"\"{TITLE}\"")
    assert finding.paragraph == 2


def test_text_size_is_grouped_by_style(tmp_path):
    path = make_docx(tmp_path / "bad.docx", styles=styles_xml(
        defaults='<w:lang w:val="en-GB"/><w:sz w:val="22"/>'))
    (finding,) = [f for f in check_file(path) if f.rule == "A10-text-size"]
    assert finding.message == ("text in style 'Normal' is 11 pt (paragraphs 1, 4, 5, 6, 8 and "
                               "4 more); use at least 12 pt")


def test_heading_size_is_not_body_text(tmp_path):
    # Headings are 12-16 pt in the good document's styles; the rule only reads body text.
    styles = styles_xml().replace('<w:sz w:val="24"/></w:rPr></w:style>',
                                  '<w:sz w:val="20"/></w:rPr></w:style>')
    assert "A10-text-size" not in rules_of(make_docx(tmp_path / "ok.docx", styles=styles))


def test_empty_cell_and_paragraph_after_final_table_are_not_spacing(tmp_path):
    body = GOOD_BODY + table().replace(cell("Leeds"), cell("")) + p()
    assert "A12-empty-paragraph" not in rules_of(make_docx(tmp_path / "ok.docx", body=body))


def test_consecutive_empty_paragraphs_are_one_finding(tmp_path):
    body = GOOD_BODY.replace(h(2, "Purpose"), p() * 3 + h(2, "Purpose"))
    found = [f for f in check_file(make_docx(tmp_path / "bad.docx", body=body))
             if f.rule == "A12-empty-paragraph"]
    assert [(f.paragraph, f.message) for f in found] == [
        (3, "3 empty paragraphs used for spacing; use paragraph spacing in the style instead")]


def test_deleted_text_is_not_read(tmp_path):
    body = GOOD_BODY + ("<w:p><w:del w:id='9' w:author='A'><w:r><w:delText>We will utilise it."
                        "</w:delText></w:r></w:del><w:r><w:t>We will use it.</w:t></w:r></w:p>")
    # The tracked deletion is hidden data (H01, issue 14); its words are not read (no P02).
    assert rules_of(make_docx(tmp_path / "ok.docx", body=body)) == ["H01-hidden-data"]


def test_inserted_text_is_read(tmp_path):
    body = GOOD_BODY + ("<w:p><w:ins w:id='9' w:author='A'><w:r><w:t>We will utilise it."
                        "</w:t></w:r></w:ins></w:p>")
    assert "P02-word-to-avoid" in rules_of(make_docx(tmp_path / "bad.docx", body=body))


def test_decorative_image_needs_no_alt_text(tmp_path):
    decorative = image(None).replace(
        "<wp:docPr id='1' name='Picture 1'/>",
        "<wp:docPr id='1' name='Picture 1'><a:extLst xmlns:a='http://schemas.openxmlformats.org/"
        "drawingml/2006/main'><a:ext uri='{C183D7F6-B498-43B3-948B-1728B52AA6E4}'>"
        "<adec:decorative xmlns:adec='http://schemas.microsoft.com/office/drawing/2017/"
        "decorative' val='1'/></a:ext></a:extLst></wp:docPr>")
    body = GOOD_BODY.replace(image(), decorative)
    assert "A08-alt-text" not in rules_of(make_docx(tmp_path / "ok.docx", body=body))


def vml_image(alt: str | None) -> str:
    """Return a paragraph holding a VML picture, as Word writes one in compatibility mode."""
    alt_attr = f' alt="{alt}"' if alt is not None else ""
    return ("<w:p><w:r><w:pict xmlns:v='urn:schemas-microsoft-com:vml' "
            "xmlns:o='urn:schemas-microsoft-com:office:office'>"
            f"<v:shape id='_x0000_i1025' type='#_x0000_t75' style='width:90pt;height:60pt'"
            f"{alt_attr}><v:imagedata r:id='rIdPicture' o:title=''/></v:shape>"
            "</w:pict></w:r></w:p>")


@pytest.mark.parametrize(("alt", "reported"), [
    ("Chart of claimant numbers in 2010", False), (None, True), ("  ", True)],
    ids=["alt text", "none", "blank"])
def test_a_vml_picture_is_checked_for_alternative_text(tmp_path, alt, reported):
    body = GOOD_BODY.replace(image(), vml_image(alt))
    findings = [f for f in check_file(make_docx(tmp_path / "vml.docx", body=body))
                if f.rule == "A08-alt-text"]
    assert [f.message for f in findings] == (
        ['image "_x0000_i1025" has no alternative text'] if reported else [])


def test_marking_must_match_the_data(tmp_path):
    data = {"briefing": {"status": "draft", "classification": "OFFICIAL-SENSITIVE"}}
    path = make_docx(tmp_path / "ours.docx", data=data)
    found = [str(f) for f in check_file(path) if f.rule == "A11-classification"]
    assert found == [
        ("error: A11-classification: document: header header1.xml lacks OFFICIAL-SENSITIVE in "
         "capitals"),
        ("error: A11-classification: document: footer footer1.xml lacks OFFICIAL-SENSITIVE in "
         "capitals"),
    ]
    ok = make_docx(tmp_path / "ok.docx", data=data, header="OFFICIAL-SENSITIVE",
                   footer="OFFICIAL-SENSITIVE")
    assert "A11-classification" not in rules_of(ok)


def test_marking_not_needed_when_data_says_none(tmp_path):
    data = {"briefing": {"status": "draft", "classification": "NONE"}}
    path = make_docx(tmp_path / "ours.docx", data=data, header="Briefing", footer=None)
    assert "A11-classification" not in rules_of(path)


def test_unknown_document_without_any_marking_gets_a_warning(tmp_path):
    body = GOOD_BODY.replace(p("OFFICIAL"), "")
    path = make_docx(tmp_path / "theirs.docx", body=body, header=None, footer=None)
    found = [f for f in check_file(path) if f.rule == "A11-classification"]
    assert [f.severity for f in found] == ["warning", "warning"]


def test_agenda_for_a_meeting_is_fine(tmp_path):
    body = GOOD_BODY + p("The agenda for the board meeting is attached.")
    assert rules_of(make_docx(tmp_path / "ok.docx", body=body)) == []


def test_key_messages_is_a_name_not_a_word_to_avoid(tmp_path):
    body = GOOD_BODY + p("These key messages come from the board.")
    assert rules_of(make_docx(tmp_path / "ok.docx", body=body)) == []
    body = GOOD_BODY + p("This is a key issue for councils.")
    assert rules_of(make_docx(tmp_path / "bad.docx", body=body)) == ["P02-word-to-avoid"]


# --- clearance state -------------------------------------------------------------

INSERTION = "<w:p><w:ins w:id='9' w:author='Cllr A'><w:r><w:t>Added.</w:t></w:r></w:ins></w:p>"


@pytest.mark.parametrize("status", ["cleared", "final"])
def test_tracked_changes_left_in_a_cleared_briefing(tmp_path, status):
    data = {"briefing": {"status": status, "classification": "OFFICIAL"}}
    path = make_docx(tmp_path / "ours.docx", body=GOOD_BODY + INSERTION, data=data)
    (finding,) = check_file(path)
    assert str(finding) == (f"error: S01-tracked-changes: document: 1 tracked change left in a "
                            f"briefing whose status is {status}; accept or reject them "
                            "(briefing accept / reject)")


def test_comments_left_in_a_final_briefing(tmp_path):
    data = {"briefing": {"status": "final", "classification": "OFFICIAL"}}
    path = make_docx(tmp_path / "ours.docx", data=data, comments=2)
    assert [f.message for f in check_file(path)] == [
        "2 comments left in a briefing whose status is final; resolve and delete them"]


def test_comments_whose_part_was_lost_still_count_by_their_references(tmp_path):
    """A comment reference whose comment is gone still marks a comment left in the text, and
    a tracked change after it is still counted."""
    data = {"briefing": {"status": "final", "classification": "OFFICIAL"}}
    refs = "".join(f"<w:p><w:r><w:t>Councils agree.</w:t></w:r><w:r><w:commentReference "
                   f"w:id='{i}'/></w:r></w:p>" for i in (1, 2))
    path = make_docx(tmp_path / "ours.docx", body=GOOD_BODY + refs + INSERTION, data=data)
    assert [f.message for f in check_file(path)] == [
        "1 tracked change left in a briefing whose status is final; accept or reject them "
        "(briefing accept / reject)",
        "2 comments left in a briefing whose status is final; resolve and delete them"]


@pytest.mark.parametrize("status", ["draft", "for-clearance"])
def test_changes_are_expected_before_clearance(tmp_path, status):
    data = {"briefing": {"status": status, "classification": "OFFICIAL"}}
    path = make_docx(tmp_path / "ours.docx", body=GOOD_BODY + INSERTION, data=data, comments=1)
    assert check_file(path) == []


def test_a_final_briefing_that_embeds_its_data_carries_hidden_data(tmp_path):
    # a build keeps the whole briefing in its source map (what absorb reads); a release copy
    # keeps only its status and marking
    data = {"briefing": {"status": "final", "classification": "OFFICIAL"},
            "meeting": {"purpose": "To agree the bid."}}
    (finding,) = check_file(make_docx(tmp_path / "ours.docx", data=data))
    assert (finding.rule, finding.severity) == ("H01-hidden-data", "error")
    assert "it embeds the briefing's data (what absorb reads)" in finding.message


def test_a_source_map_whose_data_does_not_parse_still_counts_as_embedded_data(tmp_path):
    # cut short or edited by hand: what it holds is unknown, so it is reported, not trusted
    from briefing.ooxml.hidden import find_hidden
    from briefing.ooxml.package import Package

    pkg = Package.open(make_docx(tmp_path / "ours.docx"))
    assert find_hidden(pkg, SourceMap(data_json='{"briefing": {"status": "fi', version=1)).embedded


def test_cleared_briefing_without_changes_passes(tmp_path):
    data = {"briefing": {"status": "cleared", "classification": "OFFICIAL"}}
    assert check_file(make_docx(tmp_path / "ours.docx", data=data)) == []


# --- locations ---------------------------------------------------------------------


def test_findings_name_the_briefing_item_in_our_documents(tmp_path):
    purpose = bookmarked("meeting/purpose", p("We will utilise local knowledge."))
    data = {"briefing": {"status": "draft", "classification": "OFFICIAL"}}
    path = make_docx(tmp_path / "ours.docx", body=GOOD_BODY + purpose, data=data)
    (finding,) = check_file(path)
    assert (finding.rule, finding.paragraph, finding.item) == (
        "P02-word-to-avoid", 14, "meeting/purpose")
    assert finding.to_json() == {
        "rule": "P02-word-to-avoid", "severity": "warning",
        "message": "\"utilise\": GOV.UK says avoid it; use",
        "location": {"paragraph": 14, "item": "meeting/purpose"}}


def test_findings_in_other_documents_have_no_item(tmp_path):
    path = make_docx(tmp_path / "theirs.docx", body=GOOD_BODY + p("We will utilise it."))
    (finding,) = check_file(path)
    assert finding.to_json()["location"] == {"paragraph": 14, "item": None}


# --- the command ---------------------------------------------------------------------


def test_errors_fail_the_check(tmp_path):
    path = make_docx(tmp_path / "bad.docx", title=None)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        "error: A01-title: paragraph 2: the document has no title property; set it to the "
        "Heading 1 text (File > Info > Properties > Title)\n1 error, 0 warnings\n")


def test_warnings_pass_unless_strict(tmp_path):
    path = make_docx(tmp_path / "warn.docx", body=GOOD_BODY + p("We will utilise it."))
    assert runner.invoke(app, ["check", str(path)]).exit_code == 0
    strict = runner.invoke(app, ["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.output.endswith("0 errors, 1 warning\n")


def test_json_output(tmp_path):
    path = make_docx(tmp_path / "bad.docx", title=None,
                     body=GOOD_BODY + p("We will utilise it."))
    result = runner.invoke(app, ["check", "--json", str(path)])
    assert result.exit_code == 1
    assert [(f["rule"], f["severity"]) for f in json.loads(result.output)] == [
        ("A01-title", "error"), ("P02-word-to-avoid", "warning")]


def test_findings_fail():
    from briefing.check.rules import Finding

    warning = Finding("P01-long-sentence", "warning", "long")
    error = Finding("A01-title", "error", "no title")
    assert not findings_fail([]) and not findings_fail([warning])
    assert findings_fail([warning], strict=True) and findings_fail([error])
    assert format_findings([error, warning]).splitlines()[-1] == "1 error, 1 warning"


@pytest.mark.parametrize("content, message", [
    (b"not a zip at all", "not a Word document (.docx files are zip packages)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected (encrypted)"),
])
def test_not_a_docx(tmp_path, content, message):
    path = tmp_path / "x.docx"
    path.write_bytes(content)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}: {message}")


def test_missing_file(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "absent.docx")])
    assert result.exit_code == 1
    assert result.output == f"{tmp_path / 'absent.docx'}: no such file\n"


def test_check_does_not_change_its_input(tmp_path):
    path = make_docx(tmp_path / "bad.docx", title=None)
    before = path.read_bytes()
    runner.invoke(app, ["check", str(path)])
    assert path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == [path]


def test_readme_lists_every_rule():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    heading = "## Checks: accessibility and house style"
    section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
    for rule in RULES.values():
        assert f"`{rule.id}`" in section and rule.severity in section


def test_an_empty_paragraph_after_a_table_mid_document_is_spacing(tmp_path):
    # Only the body's last paragraph after a final table is exempt (Word needs it there).
    body = GOOD_BODY.replace(table(), table() + p())
    findings = [f for f in check_file(make_docx(tmp_path / "bad.docx", body=body))
                if f.rule == "A12-empty-paragraph"]
    assert [f.message for f in findings] == [
        "an empty paragraph used for spacing; use paragraph spacing in the style instead"]
