"""Regenerate the shipped templates' reference.docx files (house style, A4, marking, page X of Y).

    python templates/make_reference.py

A reference.docx carries everything about the look of a briefing: styles,
page setup, header and footer, and the numbering definitions the numbered
paragraphs and bullets use. `briefing build` takes all of that from the file
and only replaces the body and the header/footer placeholder ``[MARKING]``,
so a user can restyle the file in Word and the next build follows. This
script is how the shipped files were made; every element is written in the
order the ECMA-376 schema requires, so the output validates.

Style ids the builder relies on (a restyled file must keep them): Heading1-4,
Marking, NumberedPara, ListBullet, Quote, Label, Attribution, Note,
TableText, TableHeading, BriefingTable; numbering: numId 1 (numbered
paragraphs, one list for the whole document) and numId 2 (bullets).
"""

from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HERE = Path(__file__).resolve().parent
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Look:
    """The page and type settings that differ between templates (twentieths of a point)."""

    title: str
    margin: int = 1134  # 2 cm
    top: int = 1134  # the top margin: room for the header's marking above the title
    header: int = 567  # distance from the page edge to the header (and footer)
    label_indent: int = 567  # the lead-in ("If asked: ...") and what follows it share this
    body_size: int = 24  # half-points: 12 pt
    h1_size: int = 36
    h2_size: int = 30
    h3_size: int = 26
    after: int = 160
    example: tuple[tuple[str, str], ...] = ()


CHAIRMAN = Look(
    title="Chairman's briefing (reference)",
    example=(
        ("Heading1", "Heading 1: the briefing title"),
        ("Marking", "OFFICIAL"),
        ("Heading2", "Heading 2: a section"),
        ("Heading3", "Heading 3: a key message"),
        ("Heading4", "Heading 4: a case study under its key message"),
        ("NumberedPara", "Numbered paragraph: numbered on through the whole document."),
        ("ListBullet", "List Bullet: a member comment."),
        ("Attribution", "Attribution: board, meeting date, item, member."),
        ("Label", "Label: a lead-in such as 'What members said:'"),
        ("Quote", "Quote: a case-study excerpt."),
        ("Note", "Note: who suggested a key message."),
    ),
)
LINES_CARD = Look(
    title="Lines card (reference)", margin=851, top=1247, header=454, h1_size=28, h2_size=24,
    h3_size=24, after=80, label_indent=0,
    example=(
        ("Heading1", "Heading 1: the briefing title"),
        ("Marking", "OFFICIAL"),
        ("Heading2", "Heading 2: key messages / if asked"),
        ("NumberedPara", "Numbered paragraph: a key message headline."),
        ("Label", "Label: a question the Chairman may be asked?"),
        ("Normal", "Normal: the answer, directly under its question."),
    ),
)


def content_types() -> str:
    """Return [Content_Types].xml for the parts this script writes."""
    ov = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    parts = {
        "/word/document.xml": f"{ov}.document.main+xml",
        "/word/styles.xml": f"{ov}.styles+xml",
        "/word/settings.xml": f"{ov}.settings+xml",
        "/word/numbering.xml": f"{ov}.numbering+xml",
        "/word/fontTable.xml": f"{ov}.fontTable+xml",
        "/word/header1.xml": f"{ov}.header+xml",
        "/word/footer1.xml": f"{ov}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml":
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    overrides = "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in parts.items())
    return (DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + overrides + "</Types>")


def package_rels() -> str:
    """Return _rels/.rels."""
    base = "http://schemas.openxmlformats.org"
    return (DECL + f'<Relationships xmlns="{base}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{base}/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{base}/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{base}/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>")


def document_rels() -> str:
    """Return word/_rels/document.xml.rels."""
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = [("rId1", "styles", "styles.xml"), ("rId2", "settings", "settings.xml"),
            ("rId3", "numbering", "numbering.xml"), ("rId4", "fontTable", "fontTable.xml"),
            ("rId5", "header", "header1.xml"), ("rId6", "footer", "footer1.xml")]
    body = "".join(f'<Relationship Id="{i}" Type="{base}/{t}" Target="{p}"/>' for i, t, p in rels)
    return (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">' + body + "</Relationships>")


def core(look: Look) -> str:
    """Return docProps/core.xml (the builder replaces title, subject, author and dates)."""
    return (DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{look.title}</dc:title><dc:creator>Local Government Association"
            "</dc:creator><dc:language>en-GB</dc:language>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
            "</cp:coreProperties>")


def app() -> str:
    """Return docProps/app.xml."""
    return (DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>briefing</Application></Properties>')


def rpr(size: int | None = None, bold: bool = False, italic: bool = False,
        color: str | None = None) -> str:
    """Return a w:rPr with children in schema order (b, i, color, sz, szCs)."""
    out = ""
    if bold:
        out += "<w:b/><w:bCs/>"
    if italic:
        out += "<w:i/><w:iCs/>"
    if color:
        out += f'<w:color w:val="{color}"/>'
    if size:
        out += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    return f"<w:rPr>{out}</w:rPr>" if out else ""


def style(sid: str, name: str, ppr: str = "", rp: str = "", *, based: str | None = "Normal",
          next_: str | None = None, kind: str = "paragraph", ui: int = 10,
          extra_attrs: str = "", tblpr: str = "") -> str:
    """Return one w:style with children in schema order."""
    parts = f'<w:name w:val="{name}"/>'
    if based:
        parts += f'<w:basedOn w:val="{based}"/>'
    if next_:
        parts += f'<w:next w:val="{next_}"/>'
    parts += f'<w:uiPriority w:val="{ui}"/><w:qFormat/>'
    parts += (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + rp + tblpr
    return f'<w:style w:type="{kind}" w:styleId="{sid}"{extra_attrs}>{parts}</w:style>'


def styles(look: Look) -> str:
    """Return word/styles.xml: Arial, en-GB defaults, the styles the builder uses."""
    keep = '<w:keepNext/><w:keepLines/>'
    body = look.body_size
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
        f'<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>'
        '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        f'<w:spacing w:after="{look.after}" w:line="276" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    table_borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    items = [
        style("Normal", "Normal", based=None, ui=0, extra_attrs=' w:default="1"'),
        style("Heading1", "heading 1",
              keep + f'<w:spacing w:before="0" w:after="{look.after * 2}"/>'
              '<w:outlineLvl w:val="0"/>', rpr(look.h1_size, bold=True, color="1F3864"),
              next_="Normal", ui=9),
        style("Heading2", "heading 2", keep + '<w:spacing w:before="240" w:after="120"/>'
              '<w:outlineLvl w:val="1"/>', rpr(look.h2_size, bold=True, color="1F3864"),
              next_="Normal", ui=9),
        style("Heading3", "heading 3", keep + '<w:spacing w:before="200" w:after="80"/>'
              '<w:outlineLvl w:val="2"/>', rpr(look.h3_size, bold=True), next_="Normal", ui=9),
        style("Heading4", "heading 4", keep + '<w:spacing w:before="160" w:after="60"/>'
              '<w:outlineLvl w:val="3"/>', rpr(look.body_size, bold=True, color="404040"),
              next_="Normal", ui=9),
        style("Marking", "Marking", '<w:spacing w:after="240"/><w:jc w:val="center"/>',
              rpr(bold=True)),
        style("NumberedPara", "Numbered Paragraph", '<w:ind w:left="567" w:hanging="567"/>'),
        style("ListBullet", "List Bullet", '<w:spacing w:after="40" w:line="240" '
              'w:lineRule="auto"/><w:ind w:left="1134" w:hanging="567"/>'),
        style("Quote", "Quote", '<w:ind w:left="567" w:right="567"/>', rpr(italic=True)),
        style("Label", "Label", keep + '<w:spacing w:before="120" w:after="40"/>'
              f'<w:ind w:left="{look.label_indent}"/>', rpr(bold=True)),
        style("Attribution", "Attribution", '<w:spacing w:after="100" w:line="240" '
              'w:lineRule="auto"/><w:ind w:left="1134"/>', rpr(italic=True, color="595959")),
        style("Note", "Note", '<w:ind w:left="567"/>', rpr(italic=True)),
        style("TableText", "Table Text", '<w:spacing w:before="40" w:after="40"/>'),
        style("TableHeading", "Table Heading", '<w:keepNext/><w:spacing w:before="40" '
              'w:after="40"/>', rpr(bold=True), based="TableText"),
        style("Header", "header", '<w:spacing w:after="0"/><w:jc w:val="center"/>',
              rpr(bold=True), ui=99),
        style("Footer", "footer", '<w:spacing w:after="0"/><w:jc w:val="center"/>', ui=99),
        style("DefaultParagraphFont", "Default Paragraph Font", based=None, kind="character",
              ui=1, extra_attrs=' w:default="1"'),
        style("TableNormal", "Normal Table", based=None, kind="table", ui=99,
              extra_attrs=' w:default="1"',
              tblpr='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
                    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
                    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
                    "</w:tblCellMar></w:tblPr>"),
        style("BriefingTable", "Briefing Table", based="TableNormal", kind="table", ui=59,
              tblpr=f"<w:tblPr><w:tblBorders>{table_borders}</w:tblBorders></w:tblPr>"),
    ]
    return (DECL + f'<w:styles xmlns:w="{W_NS}">' + defaults + "".join(items) + "</w:styles>")


def numbering() -> str:
    """Return word/numbering.xml: numId 1 numbered paragraphs, numId 2 bullets."""
    decimal = (
        '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl></w:abstractNum>'
    )
    bullet = (
        '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="1134" w:hanging="567"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:lvl></w:abstractNum>'
    )
    nums = ('<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
            '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>')
    return DECL + f'<w:numbering xmlns:w="{W_NS}">{decimal}{bullet}{nums}</w:numbering>'


def settings() -> str:
    """Return word/settings.xml (zoom with its percent, en-GB, no tracking: builds add it)."""
    return (DECL + f'<w:settings xmlns:w="{W_NS}">'
            '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
            '<w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" '
            'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            '<w:themeFontLang w:val="en-GB"/>'
            '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>')


def font_table() -> str:
    """Return word/fontTable.xml naming Arial."""
    return (DECL + f'<w:fonts xmlns:w="{W_NS}"><w:font w:name="Arial">'
            '<w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/>'
            '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>')


def field(instr: str) -> str:
    """Return the runs of a complex field showing `instr` (cached result 1)."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


def header() -> str:
    """Return word/header1.xml: the marking placeholder."""
    return (DECL + f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr>'
            '<w:pStyle w:val="Header"/></w:pPr><w:r><w:t>[MARKING]</w:t></w:r></w:p></w:hdr>')


def footer() -> str:
    """Return word/footer1.xml: the marking placeholder and page X of Y."""
    return (DECL + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            '<w:p><w:pPr><w:pStyle w:val="Footer"/><w:rPr><w:b/></w:rPr></w:pPr>'
            '<w:r><w:rPr><w:b/></w:rPr><w:t>[MARKING]</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
            '<w:r><w:t xml:space="preserve">Page </w:t></w:r>' + field("PAGE")
            + '<w:r><w:t xml:space="preserve"> of </w:t></w:r>' + field("NUMPAGES")
            + "</w:p></w:ftr>")


def document(look: Look) -> str:
    """Return word/document.xml: one example paragraph per style, then the A4 section."""
    paras = []
    for sid, text in look.example:
        num = {"NumberedPara": 1, "ListBullet": 2}.get(sid)
        numpr = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>' if num else ""
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="{sid}"/>{numpr}</w:pPr>'
                     f"<w:r><w:t>{text}</w:t></w:r></w:p>")
    m, h = look.margin, look.header
    sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rId5"/>'
            '<w:footerReference w:type="default" r:id="rId6"/>'
            '<w:pgSz w:w="11906" w:h="16838"/>'
            f'<w:pgMar w:top="{look.top}" w:right="{m}" w:bottom="{look.top}" w:left="{m}" '
            f'w:header="{h}" w:footer="{h}" w:gutter="0"/>'
            '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>')
    return (DECL + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
            + "".join(paras) + sect + "</w:body></w:document>")


def write_reference(path: Path, look: Look) -> None:
    """Write one reference.docx at `path`."""
    parts = {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": package_rels(),
        "docProps/core.xml": core(look),
        "docProps/app.xml": app(),
        "word/document.xml": document(look),
        "word/_rels/document.xml.rels": document_rels(),
        "word/styles.xml": styles(look),
        "word/settings.xml": settings(),
        "word/numbering.xml": numbering(),
        "word/fontTable.xml": font_table(),
        "word/header1.xml": header(),
        "word/footer1.xml": footer(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))


def main(argv: list[str]) -> int:
    """Regenerate both shipped reference.docx files; return the exit status."""
    for name, look in (("chairman-briefing", CHAIRMAN), ("lines-card", LINES_CARD)):
        target = HERE / name / "reference.docx"
        target.parent.mkdir(exist_ok=True)
        write_reference(target, look)
        print(f"wrote {target.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
