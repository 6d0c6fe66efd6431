"""Run containers a redline rebuilds: each word stays in the link (or container) it was in.

A paragraph's runs can sit inside containers such as hyperlinks (ECMA-376
Part 1, 17.16.22). When the redline rebuilds a changed paragraph it reopens
the containers its text was in; two links side by side must come back as two
links, and text inserted in one stretch of one container is one insertion.
"""

from __future__ import annotations

from pathlib import Path

from briefing.clearance.review import read_review
from briefing.ooxml.package import Package
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import validate_ooxml
from tests.support.cxml import W, redline_paragraphs, w


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
