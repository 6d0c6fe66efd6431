"""Pictures and links travel with their parts: what a member inserts or deletes in their copy,
and what a redline shows deleted, points at the combined (or new) document's own relationships,
so the picture shows, rejecting a deletion brings it back, and a link keeps its address.

Word renumbers relationship ids when it saves a copy, so a copy's `rId9` may be another part
than the draft's `rId9`: the copies here are renumbered that way."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn as docx_qn
from docx.shared import Pt

from briefing.clearance.redline import redline_result
from briefing.ooxml.ns import R, qn
from briefing.ooxml.package import Package
from briefing.ooxml.track.resolve import resolve_part
from tests.clearance.test_combine import combine
from tests.support.pictures import pictures_of, png

GREEN, RED = png((0, 160, 0)), png((200, 0, 0))
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
FIRST = "The councils want a single pot for local growth funding and fewer bids."
MAP = "Map of the pilot areas: "
LAST = "Ministers have been told the pilots save money within two years."


def _document(path: Path, picture: bytes | None, *, saved_by: str = "Officer",
              map_text: str = MAP) -> Path:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "OFFICIAL"
    d.add_paragraph(FIRST)
    p = d.add_paragraph(map_text)
    if picture is not None:
        p.add_run().add_picture(io.BytesIO(picture), width=Pt(20))
    d.add_paragraph(LAST)
    d.core_properties.last_modified_by = saved_by
    d.save(path)
    return path


def _copy(tmp_path: Path, name: str, saved_by: str, paragraph: int | None = None,
          picture: bytes | None = None) -> Path:
    """Return a copy of tmp_path/draft.docx saved by `saved_by`, with `picture` added to
    paragraph number `paragraph` when given."""
    d = docx.Document(str(tmp_path / "draft.docx"))
    if paragraph is not None and picture is not None:
        d.paragraphs[paragraph].add_run().add_picture(io.BytesIO(picture), width=Pt(20))
    d.core_properties.last_modified_by = saved_by
    d.save(tmp_path / name)
    return tmp_path / name


def _renumbered(path: Path) -> Path:
    """Give every relationship of the main part a new id, as Word does when it saves."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    ids = re.findall(r'Id="(rId\d+)"', rels)
    new = {old: f"rId{100 + k}" for k, old in enumerate(reversed(ids))}
    pattern = re.compile(r'((?:Id|r:embed|r:id|r:link)=")(rId\d+)(")')
    for name in ("word/_rels/document.xml.rels", "word/document.xml"):
        parts[name] = pattern.sub(lambda m: m[1] + new.get(m[2], m[2]) + m[3],
                                  parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _resolved(path: Path, accept: bool) -> tuple[list[bytes], str]:
    """Return the pictures and the text of `path` with every change accepted or rejected."""
    pkg = Package.open(path)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=accept)
    return pictures_of(pkg, root), "".join(t.text or "" for t in root.iter(qn("w:t")))


def _combined(tmp_path: Path, *copies: Path) -> Path:
    out = tmp_path / "out.docx"
    result = combine(tmp_path / "draft.docx", *copies, "-o", out)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr, result.stderr
    Package.open(out).check_sound()
    return out


def test_a_picture_a_member_inserts_shows_in_the_combined_draft_as_their_insertion(tmp_path):
    _document(tmp_path / "draft.docx", None)
    ann = _renumbered(_document(tmp_path / "ann.docx", RED, saved_by="Cllr Ann"))

    out = _combined(tmp_path, ann)

    assert _resolved(out, accept=True) == ([RED], FIRST + MAP + LAST)
    assert _resolved(out, accept=False) == ([], FIRST + MAP + LAST)
    root = Package.open(out).xml("word/document.xml")
    assert [ins.get(qn("w:author")) for ins in root.iter(qn("w:ins"))
            if next(ins.iter(qn("w:drawing")), None) is not None] == ["Cllr Ann"]


def test_a_header_edited_in_a_copy_saved_with_new_relationship_ids_reaches_the_draft(
        tmp_path):
    # the copy's section points at its header by the copy's own id: it is read before that
    # id is pointed at the draft's, so the member's header edit is still found
    _document(tmp_path / "draft.docx", GREEN)
    d = docx.Document(str(tmp_path / "draft.docx"))
    d.sections[0].header.paragraphs[0].text = "OFFICIAL SENSITIVE"
    d.core_properties.last_modified_by = "Cllr Ann"
    d.save(tmp_path / "ann.docx")
    out = tmp_path / "out.docx"

    result = combine(tmp_path / "draft.docx", _renumbered(tmp_path / "ann.docx"), "-o", out)

    assert result.exit_code == 0, result.output
    header = next(line for line in result.stderr.splitlines() if "header" in line)
    assert re.fullmatch(r"info: header \(word/header\d*\.xml\): changed by Cllr Ann", header)
    pkg = Package.open(out)
    part = pkg.related_part("header")
    assert part is not None
    root = pkg.xml(part)
    resolve_part(root, accept=True)
    assert "".join(t.text or "" for t in root.iter(qn("w:t"))) == "OFFICIAL SENSITIVE"
    assert _resolved(out, accept=True) == ([GREEN], FIRST + MAP + LAST)


def test_a_picture_a_member_deletes_comes_back_when_their_deletion_is_rejected(tmp_path):
    _document(tmp_path / "draft.docx", GREEN)
    ann = _renumbered(_document(tmp_path / "ann.docx", None, saved_by="Cllr Ann",
                                map_text="Map of the three pilot areas: "))

    out = _combined(tmp_path, ann)

    assert _resolved(out, accept=False) == ([GREEN], FIRST + MAP + LAST)
    assert _resolved(out, accept=True) == ([], FIRST + "Map of the three pilot areas: " + LAST)


def test_pictures_two_members_insert_each_get_a_drawing_id_of_their_own(tmp_path):
    _document(tmp_path / "draft.docx", GREEN)
    _copy(tmp_path, "ann.docx", "Cllr Ann", 0, RED)
    _copy(tmp_path, "bob.docx", "Cllr Bob", 2, RED)

    out = _combined(tmp_path, _renumbered(tmp_path / "ann.docx"), tmp_path / "bob.docx")

    root = Package.open(out).xml("word/document.xml")
    ids = [el.get("id") for el in root.iter(WP_DOCPR)]
    assert len(ids) == 3
    assert len(set(ids)) == 3, ids
    assert _resolved(out, accept=True)[0] == [RED, GREEN, RED]


def test_a_picture_the_draft_already_shows_is_shown_again_from_the_same_part(tmp_path):
    # a member who pastes the draft's own picture again adds no copy of its image and no
    # second relationship to it: the combined draft points at the part it has
    _document(tmp_path / "draft.docx", GREEN)
    _copy(tmp_path, "ann.docx", "Cllr Ann", 2, GREEN)

    out = _combined(tmp_path, _renumbered(tmp_path / "ann.docx"))

    pkg = Package.open(out)
    images = [rel for rel in pkg.rels("word/document.xml") if rel.kind == "image"]
    assert len(images) == 1, images
    assert [n for n in pkg.parts if n.startswith("word/media/")] == [images[0].target]
    assert _resolved(out, accept=True)[0] == [GREEN, GREEN]


def test_a_link_a_member_adds_keeps_its_address(tmp_path):
    _document(tmp_path / "draft.docx", None)
    d = docx.Document(str(tmp_path / "draft.docx"))
    url = "https://www.local.gov.uk/our-support/economic-growth"
    rid = d.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = d.paragraphs[2]._p.makeelement(docx_qn("w:hyperlink"), {docx_qn("r:id"): rid})
    run = link.makeelement(docx_qn("w:r"), {})
    text = run.makeelement(docx_qn("w:t"), {})
    text.text = " The evidence is on our website."
    run.append(text)
    link.append(run)
    d.paragraphs[2]._p.append(link)
    d.core_properties.last_modified_by = "Cllr Ann"
    d.save(tmp_path / "ann.docx")

    out = _combined(tmp_path, _renumbered(tmp_path / "ann.docx"))

    pkg = Package.open(out)
    links = list(pkg.xml("word/document.xml").iter(qn("w:hyperlink")))
    rels = {rel.id: rel for rel in pkg.rels("word/document.xml")}
    assert [(rels[el.get(f"{{{R}}}id")].target, rels[el.get(f"{{{R}}}id")].external)
            for el in links] == [(url, True)]


def test_a_deleted_picture_in_a_redline_is_a_deletion_that_rejecting_brings_back(tmp_path):
    old = _renumbered(_document(tmp_path / "old.docx", GREEN))
    new = _document(tmp_path / "new.docx", None)

    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")

    assert [(m.level, m.text) for m in result.messages] == [
        ("info", "0 insertions, 1 deletion, 0 formatting changes by Officer "
                 "(matched by content)")]
    out = tmp_path / "redline.docx"
    out.write_bytes(result.value)
    Package.open(out).check_sound()
    assert _resolved(out, accept=False) == ([GREEN], FIRST + MAP + LAST)
    assert _resolved(out, accept=True) == ([], FIRST + MAP + LAST)


@pytest.mark.libreoffice
def test_libreoffice_shows_the_carried_pictures_and_restores_the_deleted_one(lo, tmp_path):
    _document(tmp_path / "draft.docx", GREEN)
    ann = _renumbered(_document(tmp_path / "ann.docx", None, saved_by="Cllr Ann"))
    _copy(tmp_path, "bob.docx", "Cllr Bob", 0, RED)
    out = _combined(tmp_path, ann, _renumbered(tmp_path / "bob.docx"))

    def images(path: Path) -> list[bytes]:
        with zipfile.ZipFile(path) as zf:
            return sorted(zf.read(n) for n in zf.namelist() if n.startswith("word/media/"))

    lo.reject_all_save(out, tmp_path / "rejected.docx")
    lo.accept_all_save(out, tmp_path / "accepted.docx")
    assert images(tmp_path / "rejected.docx") == [GREEN]
    assert images(tmp_path / "accepted.docx") == [RED]


def _with_parts_of_its_own(path: Path) -> Path:
    """Give the picture of `path` relationships of its own, as a chart or a diagram has (its
    workbook, its layout): something combine and redline do not carry."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    media = next(n for n in parts if n.startswith("word/media/"))
    folder, name = media.rsplit("/", 1)
    parts[f"{folder}/_rels/{name}.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"/>')
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return path


def test_an_inserted_object_whose_part_has_parts_of_its_own_is_left_out_with_a_warning(
        tmp_path):
    _document(tmp_path / "draft.docx", None)
    ann = _with_parts_of_its_own(_document(tmp_path / "ann.docx", RED, saved_by="Cllr Ann"))
    out = tmp_path / "out.docx"

    result = combine(tmp_path / "draft.docx", ann, "-o", out)

    assert result.exit_code == 0, result.output
    assert ("warning: ann.docx: Cllr Ann added, deleted or changed blocks such as content "
            "controls, or pictures or objects, which combine cannot track: left out; make those "
            "changes by hand if wanted") in result.stderr
    Package.open(out).check_sound()
    assert _resolved(out, accept=True) == ([], FIRST + MAP + LAST)


def test_a_deleted_object_a_redline_cannot_carry_is_named_as_left_out(tmp_path):
    # the officer is told, rather than told that nothing changed
    old = _with_parts_of_its_own(_document(tmp_path / "old.docx", GREEN))
    new = _document(tmp_path / "new.docx", None)

    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")

    assert [(m.level, m.text) for m in result.messages] == [
        ("info", "no other differences found (matched by content)"),
        ("warning", "1 deleted picture(s), object(s) or note reference(s) could not be shown "
                    "as deletions and are left out: rejecting every change will not bring "
                    "them back")]


def test_a_picture_deleted_from_a_header_comes_back_when_the_redline_is_rejected(tmp_path):
    paths = {}
    for name, picture in (("old", GREEN), ("new", None)):
        d = docx.Document()
        d.add_paragraph(FIRST)
        header = d.sections[0].header.paragraphs[0]
        header.text = "Local Government Association "
        if picture is not None:
            header.add_run().add_picture(io.BytesIO(picture), width=Pt(20))
        paths[name] = tmp_path / f"{name}.docx"
        d.save(paths[name])

    result = redline_result(paths["old"], paths["new"], author="Officer",
                            date="2026-03-02T10:00:00Z")

    assert [m.level for m in result.messages] == ["info"], result.messages
    out = tmp_path / "redline.docx"
    out.write_bytes(result.value)
    pkg = Package.open(out)
    pkg.check_sound()
    header = pkg.related_part("header")
    assert header is not None
    root = pkg.xml(header)
    resolve_part(root, accept=False)
    assert pictures_of(pkg, root, header) == [GREEN]
