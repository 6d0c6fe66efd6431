"""Package owns part and relationship lookup, adding and removing parts, content types."""

from __future__ import annotations

import pytest

from briefing.errors import DocumentError
from briefing.ooxml.package import Package
from tests.support.cxml import w, write_docx

STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


@pytest.fixture
def pkg(tmp_path) -> Package:
    path = write_docx(tmp_path / "d.docx", [w.p(w.r(w.t("x")))],
                      parts={"word/styles.xml": w.styles(), "word/comments.xml": w.comments(),
                             "word/footer1.xml": w.ftr(w.p())})
    return Package.open(path)


def test_related_parts_are_found_by_kind(pkg):
    assert pkg.related_part("styles") == "word/styles.xml"
    assert pkg.related_part("numbering") is None
    assert pkg.related_parts(("footer", "comments")) == ["word/comments.xml", "word/footer1.xml"]
    assert pkg.story_parts() == ["word/document.xml", "word/comments.xml", "word/footer1.xml"]
    assert pkg.related_part("officeDocument", "") == "word/document.xml"
    assert set(pkg.parts_by_id().values()) == {
        "word/styles.xml", "word/comments.xml", "word/footer1.xml"}


def test_a_strict_relationship_type_is_the_same_kind(pkg):
    pkg.relate("word/document.xml", "word/numbering.xml", STRICT + "numbering")
    pkg.set_bytes("word/numbering.xml", b"<w:numbering xmlns:w='x'/>")
    assert pkg.related_part("numbering") == "word/numbering.xml"


def test_adding_a_part_relates_it_declares_its_type_and_replaces_one_of_the_same_type(pkg):
    rel_type = STRICT + "customXmlProps"
    pkg.add_part("word/document.xml", "customXml/itemProps1.xml", b"<a/>", rel_type, CT_PROPS)
    pkg.add_part("word/document.xml", "customXml/itemProps2.xml", b"<b/>", rel_type, CT_PROPS)

    assert pkg.related_parts(("customXmlProps",)) == ["customXml/itemProps2.xml"]
    assert "customXml/itemProps1.xml" not in pkg.parts
    assert pkg.content_type("customXml/itemProps2.xml") == CT_PROPS
    pkg.check_sound()  # every relationship's target exists, every part has a content type


def test_dropping_a_part_takes_its_override_relationships_and_the_parts_only_it_used(pkg):
    pkg.add_part("word/comments.xml", "word/media/only.png", b"png", STRICT + "image", "image/png")
    rel = pkg.relationship("comments")
    assert rel is not None

    pkg.remove_relationship("word/document.xml", rel.id)
    pkg.drop_part("word/comments.xml")

    assert not {"word/comments.xml", "word/_rels/comments.xml.rels",
                "word/media/only.png"} & set(pkg.parts)
    assert pkg.content_type("word/comments.xml") == "application/xml"  # only the default left
    pkg.check_sound()


def test_dropping_a_part_keeps_a_part_another_part_still_uses(pkg):
    pkg.add_part("word/comments.xml", "word/media/logo.png", b"png", STRICT + "image", "image/png")
    pkg.relate("word/document.xml", "word/media/logo.png", STRICT + "image")
    rel = pkg.relationship("comments")
    assert rel is not None

    pkg.remove_relationship("word/document.xml", rel.id)
    pkg.drop_part("word/comments.xml")

    assert "word/comments.xml" not in pkg.parts
    assert pkg.related_part("image") == "word/media/logo.png"
    pkg.check_sound()


def test_opening_from_bytes_guards_as_opening_a_file(tmp_path, pkg):
    assert Package.from_bytes(pkg.to_bytes(), "built.docx").story_parts() == pkg.story_parts()
    with pytest.raises(DocumentError, match=r"^new\.docx: damaged zip package"):
        Package.from_bytes(b"PK\x03\x04 not a zip", "new.docx")


def test_a_document_pointing_at_a_part_it_lacks_is_refused_and_nothing_written(tmp_path):
    # a .docx cut short by a tool that dropped a part but kept the relationship to it: accept
    # names the damage rather than writing a document Word calls unreadable
    import zipfile

    from typer.testing import CliRunner

    from briefing.cli import app
    from briefing.document.build import build_file
    from tests.conftest import ROOT

    draft = build_file(ROOT / "samples" / "work-programme-2010.yaml",
                       out=tmp_path / "draft.docx").value
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(draft) as src, zipfile.ZipFile(damaged, "w") as dest:
        for info in src.infolist():
            if info.filename != "word/footer1.xml":
                dest.writestr(info, src.read(info.filename))
    out = tmp_path / "out.docx"

    result = CliRunner().invoke(app, ["accept", str(damaged), "-o", str(out)])

    assert result.exit_code == 1
    assert (f"{damaged}: damaged package: word/_rels/document.xml.rels points to "
            "word/footer1.xml, which is missing; nothing was written") in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_a_new_relationship_takes_the_first_id_not_in_use_and_a_target_relative_to_its_part(pkg):
    # a duplicate id would make Word call the document unreadable
    pkg.remove_relationship("word/document.xml", "rId2")  # rId1..rId3 before
    assert pkg.relate("word/document.xml", "word/numbering.xml", STRICT + "numbering") == "rId2"
    assert pkg.relate("word/document.xml", "word/people.xml", STRICT + "people") == "rId4"
    targets = {el.get("Id"): el.get("Target") for el in pkg.xml("word/_rels/document.xml.rels")}
    assert (targets["rId2"], targets["rId4"]) == ("numbering.xml", "people.xml")  # as Word writes


def test_a_damaged_extended_properties_part_is_left_out_with_a_warning(tmp_path):
    # no custom properties part here: the extended one is still checked on its own
    path = write_docx(tmp_path / "d.docx", [w.p(w.r(w.t("x")))],
                      extra={"docProps/app.xml": b"<Properties><Pages>1</Page></Properties>"})
    pkg = Package.open(path)
    out = tmp_path / "out.docx"

    pkg.save(out)

    (note,) = pkg.notes
    assert note.startswith(f"{path}:docProps/app.xml: damaged XML (")
    assert note.endswith("; left out of the output, as Word does")
    assert "docProps/app.xml" not in Package.open(out).parts


def test_a_part_without_a_content_type_is_refused_and_nothing_written(tmp_path, pkg):
    # Word will not open a package holding a part it has no content type for
    pkg.set_bytes("word/media/logo.webp", b"RIFF")
    out = tmp_path / "out.docx"
    with pytest.raises(DocumentError, match=r"damaged package: part word/media/logo\.webp has no "
                                            r"content type; nothing was written"):
        pkg.save(out)
    assert not out.exists()
    pkg.drop_part("word/media/logo.webp")
    pkg.save(out)  # [Content_Types].xml itself needs no content type
    assert Package.open(out).story_parts() == pkg.story_parts()
