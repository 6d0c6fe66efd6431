"""The shipped templates: reference.docx files that validate and carry the house style."""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefing.document.compose import LAYOUT_FILE, REFERENCE_FILE, shipped_templates
from briefing.ooxml.build_xml import BULLET_NUM_ID, NUMBERED_NUM_ID, STYLES
from tests.conftest import validate_ooxml

ROOT = Path(__file__).resolve().parents[2]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMES = ["chairman-briefing", "lines-card"]


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def xml(path: Path, name: str):
    return etree.fromstring(parts(path)[name])


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.mark.parametrize("name", NAMES)
def test_template_folder_holds_layout_and_reference(name):
    folder = ROOT / "templates" / name
    assert (folder / LAYOUT_FILE).is_file()
    assert (folder / REFERENCE_FILE).is_file()
    assert name in shipped_templates()


@pytest.mark.parametrize("name", NAMES)
def test_reference_is_valid_ooxml(name):
    valid, report = validate_ooxml(ROOT / "templates" / name / REFERENCE_FILE)
    assert valid, report


@pytest.mark.parametrize("name", NAMES)
def test_reference_defines_every_style_and_list_the_builder_uses(name):
    ref = ROOT / "templates" / name / REFERENCE_FILE
    ids = {s.get(w("styleId")) for s in xml(ref, "word/styles.xml").iter(w("style"))}
    assert {style for style, _ in STYLES.values() if style} <= ids
    nums = {n.get(w("numId")) for n in xml(ref, "word/numbering.xml").iter(w("num"))}
    assert {NUMBERED_NUM_ID, BULLET_NUM_ID} <= nums


@pytest.mark.parametrize("name", NAMES)
def test_reference_house_style_arial_12pt_en_gb_a4(name):
    ref = ROOT / "templates" / name / REFERENCE_FILE
    rpr = xml(ref, "word/styles.xml").find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    assert rpr.find(w("rFonts")).get(w("ascii")) == "Arial"
    assert int(rpr.find(w("sz")).get(w("val"))) >= 24
    assert rpr.find(w("lang")).get(w("val")) == "en-GB"
    size = xml(ref, "word/document.xml").find(f"{w('body')}/{w('sectPr')}/{w('pgSz')}")
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    zoom = xml(ref, "word/settings.xml").find(w("zoom"))
    assert zoom.get(w("percent")) == "100"


@pytest.mark.parametrize("name", NAMES)
def test_reference_header_and_footer_hold_marking_placeholder_and_page_x_of_y(name):
    ref = ROOT / "templates" / name / REFERENCE_FILE
    header = etree.tostring(xml(ref, "word/header1.xml"), encoding="unicode")
    footer = xml(ref, "word/footer1.xml")
    assert "[MARKING]" in header
    assert "[MARKING]" in etree.tostring(footer, encoding="unicode")
    assert [t.text.strip() for t in footer.iter(w("instrText"))] == ["PAGE", "NUMPAGES"]


def test_make_reference_reproduces_the_shipped_files(tmp_path):
    module = importlib.import_module("briefing_templates.make_reference")
    for name, look in (("chairman-briefing", module.CHAIRMAN), ("lines-card", module.LINES_CARD)):
        fresh = tmp_path / f"{name}.docx"
        module.write_reference(fresh, look)
        assert parts(fresh) == parts(ROOT / "templates" / name / REFERENCE_FILE), name


def own_template(tmp_path: Path, part: str, edit) -> Path:
    """Return a template folder: the shipped Chairman's briefing with `edit(root)` applied to
    `part` of its reference document (an officer's own template)."""
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / LAYOUT_FILE).write_bytes((ROOT / "templates" / NAMES[0] / LAYOUT_FILE).read_bytes())
    files = parts(ROOT / "templates" / NAMES[0] / REFERENCE_FILE)
    root = etree.fromstring(files[part])
    edit(root)
    files[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(folder / REFERENCE_FILE, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return folder


def test_a_template_whose_header_holds_an_empty_text_element_builds_with_its_marking(tmp_path):
    # Word writes an empty <w:t/> where a run's text was cut away; an officer's own template
    # may have one beside the marking placeholder
    from briefing.document.build import build_file

    def empty_text(header) -> None:
        holder = next(t for t in header.iter(w("t")) if "[MARKING]" in (t.text or ""))
        holder.getparent().addprevious(etree.fromstring(f'<w:r xmlns:w="{W}"><w:t/></w:r>'))

    folder = own_template(tmp_path, "word/header1.xml", empty_text)
    built = build_file(ROOT / "samples" / "work-programme-2010.yaml", out=tmp_path / "out.docx",
                       template=str(folder)).value

    texts = ["".join(t.text or "" for t in xml(built, "word/header1.xml").iter(w("t")))]
    assert texts == ["OFFICIAL"]


def test_a_template_without_style_defaults_gets_them_first_in_english_uk(tmp_path):
    # ECMA-376 17.7.4.17: w:docDefaults comes before every style; an officer's template made
    # by another editor may have none
    from briefing.document.build import build_file

    def no_defaults(styles) -> None:
        styles.remove(styles.find(w("docDefaults")))

    folder = own_template(tmp_path, "word/styles.xml", no_defaults)
    built = build_file(ROOT / "samples" / "work-programme-2010.yaml", out=tmp_path / "out.docx",
                       template=str(folder)).value

    styles = xml(built, "word/styles.xml")
    assert styles[0].tag == w("docDefaults")
    assert styles[0].find(f"{w('rPrDefault')}/{w('rPr')}/{w('lang')}").get(w("val")) == "en-GB"
    valid, report = validate_ooxml(built)
    assert valid, report
