"""Run containers a redline rebuilds: each word stays in the link (or container) it was in.

A paragraph's runs can sit inside containers such as hyperlinks (ECMA-376
Part 1, 17.16.22). When the redline rebuilds a changed paragraph it reopens
the containers its text was in; two links side by side must come back as two
links, and text inserted in one stretch of one container is one insertion.
A briefing item's bookmark (17.13.6.2) opens before the deletion of the
item's first word, so rejecting the change gives the whole wording back to
the item.
"""

from __future__ import annotations

from pathlib import Path

from briefing.clearance.redline import redline_result
from briefing.clearance.review import read_review, resolve_file
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import Segment, read_paragraphs
from briefing.ooxml.sourcemap import bookmark_name
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import validate_ooxml
from tests.support.cxml import W, redline_paragraphs, run, source_map_parts, w, write_docx


def _links(path: Path, accept: bool | None) -> list[tuple[str | None, str]]:
    """Return each hyperlink's bookmark target and text, after accepting or rejecting all."""
    pkg = Package.open(path)
    root = pkg.xml(pkg.main_part)
    if accept is not None:
        resolve_part(root, accept=accept)
    return [(link.get(f"{{{W}}}anchor"), "".join(link.itertext()))
            for link in root.iter(f"{{{W}}}hyperlink")]


def _two_links(ending: str):
    return w.p(w.r(w.t("See ")),
               w.hyperlink(w.r(w.t("objectives")), anchor="objectives"),
               w.hyperlink(w.r(w.t(" and lines")), anchor="lines"),
               w.r(w.t(ending)))


def test_two_links_side_by_side_stay_two_links_in_a_changed_paragraph(tmp_path):
    infos, out = redline_paragraphs(tmp_path, _two_links("."), _two_links(" to take."))
    assert infos[0].startswith("1 insertion, 0 deletions, 0 formatting changes by Officer")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [("insert", " to take")]
    valid, report = validate_ooxml(out)
    assert valid, report
    both = [("objectives", "objectives"), ("lines", " and lines")]
    assert _links(out, None) == both
    assert _links(out, True) == both
    assert _links(out, False) == both


def test_words_inserted_across_two_formats_are_one_insertion(tmp_path):
    old = w.p(w.r(w.t("Councils act.")))
    new = w.p(w.r(w.t("Councils ")), w.r(w.rPr(w.b()), w.t("must")), w.r(w.t(" act now.")))
    infos, out = redline_paragraphs(tmp_path, old, new)
    assert infos[0].startswith("2 insertions, 0 deletions, 0 formatting changes by Officer")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [
        ("insert", "must "), ("insert", " now")]
    valid, report = validate_ooxml(out)
    assert valid, report


def test_a_phrase_inserted_across_two_formats_inside_a_link_is_one_insertion(tmp_path):
    def linked(*runs):
        return w.p(w.r(w.t("See ")), w.hyperlink(*runs, anchor="objectives"), w.r(w.t(".")))

    old = linked(w.r(w.t("the objectives")))
    new = linked(w.r(w.t("the ")), w.r(w.rPr(w.b()), w.t("agreed")), w.r(w.t(" objectives")))
    infos, out = redline_paragraphs(tmp_path, old, new)
    assert infos[0].startswith("1 insertion, 0 deletions, 0 formatting changes by Officer")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [("insert", "agreed ")]
    valid, report = validate_ooxml(out)
    assert valid, report
    assert _links(out, True) == [("objectives", "the agreed objectives")]
    assert _links(out, False) == [("objectives", "the objectives")]


def test_rejecting_a_changed_first_word_gives_it_back_to_its_item(tmp_path):
    """Absorb reads an item's words from its bookmark: after rejecting, "Councils" is the
    item's again, not fixed wording before it."""
    item = bookmark_name("objectives/0")

    def sourced(text: str):
        return w.p(w.bookmarkStart(id="1", name=item), run(text), w.bookmarkEnd(id="1"))

    parts = source_map_parts({item: "objectives/0"})
    a = write_docx(tmp_path / "old.docx", [sourced("Councils must act now.")], extra=parts)
    b = write_docx(tmp_path / "new.docx", [sourced("Boroughs must act now.")], extra=parts)
    out = tmp_path / "out.docx"
    out.write_bytes(redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z").value)
    assert [(r.kind, r.text, r.item) for r in read_review(out).revisions] == [
        ("delete", "Councils", "objectives/0"), ("insert", "Boroughs", "objectives/0")]
    for accept, text in ((True, "Boroughs must act now."), (False, "Councils must act now.")):
        resolved = resolve_file(out, tmp_path / f"{accept}.docx", accept=accept)
        [paragraph] = read_paragraphs(Package.open(resolved.value))
        assert paragraph.segments == (Segment(text, item),)


def test_a_link_inside_a_content_control_stays_inside_it_in_a_changed_paragraph(tmp_path):
    def controlled(ending: str):
        return w.p(w.sdt(w.sdtPr(w.tag(val="lead")), w.sdtContent(
            w.r(w.t("See ")), w.hyperlink(w.r(w.t("objectives")), anchor="objectives"))),
            w.r(w.t(ending)))

    _, out = redline_paragraphs(tmp_path, controlled("."), controlled(" to take."))
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [("insert", " to take")]
    valid, report = validate_ooxml(out)
    assert valid, report
    pkg = Package.open(out)
    (sdt,) = pkg.xml(pkg.main_part).iter(f"{{{W}}}sdt")
    assert [(link.get(f"{{{W}}}anchor"), "".join(link.itertext()))
            for link in sdt.iter(f"{{{W}}}hyperlink")] == [("objectives", "objectives")]
    assert _links(out, None) == [("objectives", "objectives")]
    assert "".join(sdt.find(f"{{{W}}}sdtContent").itertext()) == "See objectives"
