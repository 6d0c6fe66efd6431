"""Write: the Word document's structure, read back from its XML."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefing.document.build import build_bytes
from briefing.document.compose import TemplateError, find_template
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import read_source_map
from briefing.source.model import Briefing
from tests.conftest import validate_ooxml
from tests.document.test_compose import minimal_data

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/",
      "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
      "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"}
ROOT = Path(__file__).resolve().parents[2]


class Docx:
    """A built document's parts, parsed, with the queries the tests need."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.parts = {n: zf.read(n) for n in zf.namelist()}

    def xml(self, name: str):
        return etree.fromstring(self.parts[name])

    @property
    def body(self):
        return self.xml("word/document.xml").find(f"{{{W}}}body")

    def paragraphs(self):
        return self.body.iter(f"{{{W}}}p")

    @staticmethod
    def text(p) -> str:
        out = []
        for el in p.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab"):
            out.append(el.text or "" if el.tag == f"{{{W}}}t" else
                       "\n" if el.tag == f"{{{W}}}br" else "\t")
        return "".join(out)

    @staticmethod
    def style(p) -> str | None:
        s = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        return s.get(f"{{{W}}}val") if s is not None else None

    def bookmarked(self) -> dict[str, str]:
        """Return source id -> text inside its bookmark, from the source map and the body."""
        smap = read_source_map(Package(Path("built.docx"), dict(self.parts)))
        out = {}
        for p in self.paragraphs():
            inside, name = [], None
            for el in p:
                tag = etree.QName(el).localname
                if tag == "bookmarkStart":
                    name, inside = el.get(f"{{{W}}}name"), []
                elif tag == "bookmarkEnd" and name:
                    out[smap.ids[name]] = "".join(inside)
                    name = None
                elif tag == "r" and name:
                    inside.append(self.text(el))
        return out


def built(template: str = "chairman-briefing", **changes) -> Docx:
    return Docx(build_bytes(Briefing.model_validate(minimal_data(**changes)),
                            find_template(template), data_hash="abc123", data_json="{}",
                            source_file="brief.yaml"))


@pytest.fixture(scope="module")
def doc() -> Docx:
    return built()


def test_output_is_valid_ooxml(doc, tmp_path):
    path = tmp_path / "out.docx"
    path.write_bytes(doc.data)
    valid, report = validate_ooxml(path)
    assert valid, report


def test_heading_1_is_the_title_and_core_title(doc):
    paras = list(doc.paragraphs())
    assert doc.style(paras[0]) == "Heading1"
    assert doc.text(paras[0]) == "Meeting with the Minister"
    core = doc.xml("docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == "Meeting with the Minister"
    assert core.findtext("dc:subject", namespaces=NS) == (
        "Briefing for Lord Porter: meeting with Jo Minister")
    assert core.findtext("dc:creator", namespaces=NS) == "A Officer"
    assert core.findtext("dc:language", namespaces=NS) == "en-GB"
    assert core.findtext("{http://purl.org/dc/terms/}created", namespaces=NS) == (
        "2016-05-20T09:00:00Z")


def test_only_real_heading_styles_and_no_skipped_levels(doc):
    levels = [int(doc.style(p)[-1]) for p in doc.paragraphs()
              if (doc.style(p) or "").startswith("Heading")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_marking_in_every_header_and_footer_and_a_property_not_in_the_body(doc):
    assert [doc.text(p) for p in doc.paragraphs() if "OFFICIAL" in doc.text(p)] == []
    custom = doc.xml("docProps/custom.xml")
    props = {p.get("name"): p.findtext("vt:lpwstr", namespaces=NS)
             for p in custom.findall("op:property", NS)}
    assert props["Classification"] == "OFFICIAL"
    rels = doc.xml("word/_rels/document.xml.rels")
    parts = ["word/" + r.get("Target") for r in rels
             if r.get("Type").endswith(("/header", "/footer"))]
    assert len(parts) == 2
    for name in parts:
        texts = [Docx.text(p) for p in doc.xml(name).iter(f"{{{W}}}p")]
        assert "OFFICIAL" in texts, name
        assert not any("[MARKING]" in t for t in texts)


def test_footer_shows_page_x_of_y(doc):
    footer = doc.xml("word/footer1.xml")
    instr = [t.text.strip() for t in footer.iter(f"{{{W}}}instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    assert any(Docx.text(p).startswith("Page ") for p in footer.iter(f"{{{W}}}p"))


def test_numbered_paragraphs_use_one_real_list(doc):
    numbered = [p for p in doc.paragraphs() if doc.style(p) == "NumberedPara"]
    assert len(numbered) >= 4
    num_ids = {p.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId").get(f"{{{W}}}val")
               for p in numbered}
    assert num_ids == {"1"}
    abstract = doc.xml("word/numbering.xml").find(f"{{{W}}}num[@{{{W}}}numId='1']")
    assert abstract is not None
    assert not any(re.match(r"\s*\d+[.)]", doc.text(p)) for p in doc.paragraphs())


def test_no_empty_paragraphs(doc):
    assert [p for p in doc.paragraphs() if not doc.text(p).strip()] == []


def test_en_gb_in_style_defaults(doc):
    lang = doc.xml("word/styles.xml").find(
        f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    assert lang.get(f"{{{W}}}val") == "en-GB"


def test_tables_repeat_header_rows_and_merge_no_cells(doc):
    tables = list(doc.body.iter(f"{{{W}}}tbl"))
    assert tables
    for tbl in tables:
        first = tbl.find(f"{{{W}}}tr")
        assert first.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None
        assert list(tbl.iter(f"{{{W}}}gridSpan", f"{{{W}}}vMerge", f"{{{W}}}hMerge")) == []
        widths = {len(tr.findall(f"{{{W}}}tc")) for tr in tbl.findall(f"{{{W}}}tr")}
        assert widths == {len(tbl.findall(f"{{{W}}}tblGrid/{{{W}}}gridCol"))}


def test_bookmarks_carry_source_ids_with_exact_field_text(doc):
    marks = doc.bookmarked()
    assert marks["briefing/title"] == "Meeting with the Minister"
    assert marks["key_messages/local-role/points/1"] == "They fund support already."
    assert marks["lines_to_take/cost/question"] == "What will it cost?"
    assert marks["member_comments/c1/text"] == "Members expressed concern with scale."
    assert marks["member_comments/c1/attribution"] == "CWB, 10 March 2016, Item 4, Cllr Brown"
    assert marks["key_messages/local-role/suggested_by"] == "Cllr Smith, Cllr Jones"


def test_bookmark_ids_and_names_are_unique(doc):
    starts = list(doc.body.iter(f"{{{W}}}bookmarkStart"))
    ends = list(doc.body.iter(f"{{{W}}}bookmarkEnd"))
    ids = [b.get(f"{{{W}}}id") for b in starts]
    names = [b.get(f"{{{W}}}name") for b in starts]
    assert len(set(ids)) == len(ids) == len(ends)
    assert len(set(names)) == len(names)
    assert sorted(ids) == sorted(e.get(f"{{{W}}}id") for e in ends)


def test_source_map_and_custom_properties_hold_hash_and_version(doc):
    smap = read_source_map(Package(Path("x.docx"), dict(doc.parts)))
    assert (smap.data_hash, smap.version, smap.template, smap.source_file, smap.data_json) == (
        "abc123", 1, "chairman-briefing", "brief.yaml", "{}")
    custom = doc.xml("docProps/custom.xml")
    props = {p.get("name"): p.findtext("vt:lpwstr", namespaces=NS)
             for p in custom.findall("op:property", NS)}
    assert props == {"BriefingDataHash": "abc123", "BriefingVersion": "1",
                     "BriefingStatus": "draft", "Classification": "OFFICIAL"}


def test_drafts_for_clearance_track_changes(doc):
    assert doc.xml("word/settings.xml").find(f"{{{W}}}trackRevisions") is None
    data = minimal_data()
    data["briefing"]["status"] = "for-clearance"
    out = Docx(build_bytes(Briefing.model_validate(data), find_template("chairman-briefing")))
    settings = out.xml("word/settings.xml")
    assert settings.find(f"{{{W}}}trackRevisions") is not None
    names = [etree.QName(c).localname for c in settings]
    assert names.index("zoom") < names.index("trackRevisions") < names.index("defaultTabStop")


def test_no_marking_anywhere_when_classification_is_none():
    data = minimal_data()
    data["briefing"]["classification"] = "NONE"
    out = Docx(build_bytes(Briefing.model_validate(data), find_template("chairman-briefing")))
    assert "OFFICIAL" not in "".join(Docx.text(p) for p in out.paragraphs())
    assert Docx.text(next(out.xml("word/header1.xml").iter(f"{{{W}}}p"))) == ""
    names = [p.get("name") for p in out.xml("docProps/custom.xml").findall("op:property", NS)]
    assert "Classification" not in names


def test_line_breaks_and_tabs_are_kept():
    data = minimal_data()
    data["lines_to_take"][0]["answer"] = "First line\nsecond\tcolumn"
    out = built(lines_to_take=data["lines_to_take"])
    assert out.bookmarked()["lines_to_take/cost/answer"] == "First line\nsecond\tcolumn"


def test_styles_come_from_the_reference(tmp_path):
    folder = tmp_path / "restyled"
    shutil.copytree(ROOT / "templates" / "chairman-briefing", folder)
    rewrite_reference(folder, "word/styles.xml",
                      lambda data: data.replace(b'w:ascii="Arial"', b'w:ascii="Verdana"'))
    out = Docx(build_bytes(Briefing.model_validate(minimal_data()), find_template(str(folder))))
    assert b'w:ascii="Verdana"' in out.parts["word/styles.xml"]


def test_reference_missing_a_style_is_reported(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(ROOT / "templates" / "chairman-briefing", folder)
    rewrite_reference(folder, "word/styles.xml",
                      lambda data: data.replace(b'w:styleId="Quote"', b'w:styleId="Quotation"'))
    with pytest.raises(TemplateError) as caught:
        build_bytes(Briefing.model_validate(minimal_data()), find_template(str(folder)))
    assert str(caught.value) == (f"{folder / 'reference.docx'}: reference.docx lacks the styles "
                                 "Quote (see templates/make_reference.py)")


def test_reference_without_numbering_is_reported(tmp_path):
    # a template saved by an editor that writes no numbering part: named, not a traceback
    folder = tmp_path / "unnumbered"
    shutil.copytree(ROOT / "templates" / "chairman-briefing", folder)
    rewrite_reference(folder, "word/_rels/document.xml.rels", lambda data: re.sub(
        rb'<Relationship [^>]*relationships/numbering"[^>]*/>', b"", data))
    with pytest.raises(TemplateError) as caught:
        build_bytes(Briefing.model_validate(minimal_data()), find_template(str(folder)))
    assert str(caught.value) == (f"{folder / 'reference.docx'}: reference.docx lacks numbering "
                                 "definitions 1 (numbered paragraphs) and 2 (bullets)")


def rewrite_reference(folder: Path, part: str, change) -> None:
    """Replace `part` of the reference.docx in `folder` with `change(its bytes)`."""
    with zipfile.ZipFile(folder / "reference.docx") as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(folder / "reference.docx", "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_reference_saved_by_word_with_extensions_still_validates(tmp_path):
    folder = tmp_path / "word-saved"
    shutil.copytree(ROOT / "templates" / "chairman-briefing", folder)
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    rewrite_reference(folder, "word/document.xml", lambda data: data.replace(
        b"<w:document ", f'<w:document xmlns:mc="{mc}" xmlns:w14="{w14}" '
                         'mc:Ignorable="w14" '.encode(), 1).replace(
        b"<w:p>", b'<w:p w14:paraId="1A2B3C4D">'))
    out = tmp_path / "out.docx"
    out.write_bytes(build_bytes(Briefing.model_validate(minimal_data()),
                                find_template(str(folder))))
    valid, report = validate_ooxml(out)
    assert valid, report
    assert Docx.text(next(Docx(out.read_bytes()).paragraphs())) == "Meeting with the Minister"


def test_reference_with_another_prefix_for_wordprocessingml(tmp_path):
    folder = tmp_path / "prefixed"
    shutil.copytree(ROOT / "templates" / "chairman-briefing", folder)
    rewrite_reference(folder, "word/document.xml", lambda data: data.replace(
        b"<w:", b"<x:").replace(b"</w:", b"</x:").replace(b" w:", b" x:").replace(
        b"xmlns:w=", b"xmlns:x="))
    out = tmp_path / "out.docx"
    out.write_bytes(build_bytes(Briefing.model_validate(minimal_data()),
                                find_template(str(folder))))
    valid, report = validate_ooxml(out)
    assert valid, report
    doc = Docx(out.read_bytes())
    assert Docx.text(next(doc.paragraphs())) == "Meeting with the Minister"
    assert doc.bookmarked()["lines_to_take/cost/question"] == "What will it cost?"


@pytest.mark.parametrize("count, kept", [(4, [0, 1, 2]), (12, list(range(11))),
                                         (13, [0, 1, 11]), (20, [0, 1, 18])])
def test_table_rows_keep_with_the_next_so_no_row_stands_alone(count, kept):
    """A short table stays whole; a long one keeps its header with the first row and its
    last two rows together. Every row is kept from splitting, and the header repeats."""
    from lxml import etree

    from briefing.ooxml import build_xml as bx

    rows = [[("th" if i == 0 else "td", [(f"row {i}", None)])] * 2 for i in range(count)]
    xml = bx.BodyWriter(9000).table("A table", rows, header_rows=1)
    table = etree.fromstring(f'<w:body xmlns:w="{W}">{xml}</w:body>')[0]
    trs = table.findall(f"{{{W}}}tr")
    keeps = [i for i, tr in enumerate(trs)
             if all(p.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None
                    for p in tr.iter(f"{{{W}}}p"))]
    assert keeps == kept
    assert not any(p.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None
                   for i, tr in enumerate(trs) if i not in kept for p in tr.iter(f"{{{W}}}p"))
    assert all(tr.find(f"{{{W}}}trPr/{{{W}}}cantSplit") is not None for tr in trs)
    assert [tr.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None for tr in trs][:2] == [True, False]


def test_a_briefing_saved_as_the_template_leaves_only_the_new_source_map(tmp_path):
    # an officer may make last year's briefing their template: absorb must read this build's
    # source map, not the one the template still carries
    folder = tmp_path / "from-a-briefing"
    shutil.copytree(ROOT / "templates" / "chairman-briefing", folder)
    briefing = Briefing.model_validate(minimal_data())
    (folder / "reference.docx").write_bytes(
        build_bytes(briefing, find_template(str(folder)), data_hash="1" * 64))
    built = Package.from_bytes(
        build_bytes(briefing, find_template(str(folder)), data_hash="2" * 64), "built.docx")
    maps = [name for name, data in built.parts.items()
            if re.fullmatch(r"customXml/item\d+\.xml", name) and b"urn:lga:briefing" in data]
    assert len(maps) == 1
    smap = read_source_map(built)
    assert smap is not None and smap.data_hash == "2" * 64
    built.check_sound()


def test_a_templates_own_custom_xml_is_kept_beside_the_source_map(tmp_path):
    # a template kept in SharePoint carries its document-library properties as a custom XML
    # part: the build keeps it and adds the source map as a part of its own
    from briefing.ooxml.sourcemap import RT_CUSTOM_XML

    folder = tmp_path / "sharepoint"
    shutil.copytree(ROOT / "templates" / "chairman-briefing", folder)
    reference = Package.open(folder / "reference.docx")
    library = (b'<?xml version="1.0"?><p:properties xmlns:p="http://schemas.microsoft.com/'
               b'office/2006/metadata/properties"><documentManagement/></p:properties>')
    reference.set_bytes("customXml/item1.xml", library)
    reference.relate("word/document.xml", "customXml/item1.xml", RT_CUSTOM_XML)
    (folder / "reference.docx").write_bytes(reference.to_bytes())

    built = Package.from_bytes(build_bytes(Briefing.model_validate(minimal_data()),
                                           find_template(str(folder)), data_hash="2" * 64),
                               "built.docx")
    assert built.parts["customXml/item1.xml"] == library
    smap = read_source_map(built)
    assert smap is not None and smap.data_hash == "2" * 64
    built.check_sound()
