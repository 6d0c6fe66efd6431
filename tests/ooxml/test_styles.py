"""One style resolver: a paragraph's heading level is the same in check, review and absorb;
numbering is resolved along the same chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.clearance.review import read_review
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.ooxml.read.inspect import inspect_package
from briefing.ooxml.styles import read_styles
from tests.support.cxml import w, write_docx


def style(style_id: str, name: str, *props, based_on: str | None = None) -> object:
    kids = [w.name(val=name)]
    if based_on:
        kids.append(w.basedOn(val=based_on))
    if props:
        kids.append(w.pPr(*props))
    return w.style(*kids, type="paragraph", styleId=style_id)


STYLES = w.styles(
    style("Heading2", "heading 2", w.outlineLvl(val="1")),
    style("BriefingHeading", "Briefing heading", based_on="Heading2"),  # a heading by basedOn
    style("Outline", "Outline three", w.outlineLvl(val="2")),  # a heading by outline level
    style("BodyLevel", "Body level", w.outlineLvl(val="9"), based_on="Heading2"),  # body text
    style("Title", "Title"),  # Word gives Title no outline level: not a heading
)
CASES = [("BriefingHeading", 2), ("Outline", 3), ("BodyLevel", None), ("Title", None),
         ("Heading4", 4)]  # a style the document does not define: matched by its id


def document(path: Path) -> Path:
    """Write one paragraph per case, each followed by a paragraph with a tracked insertion."""
    blocks = []
    for style_id, _ in CASES:
        blocks.append(w.p(w.pPr(w.pStyle(val=style_id)), w.r(w.t(f"{style_id} text"))))
        blocks.append(w.p(w.ins(w.r(w.t("added")), author="Cllr A")))
    return write_docx(path, blocks, parts={"word/styles.xml": STYLES})


@pytest.mark.parametrize(("style_id", "level"), CASES)
def test_the_resolver_follows_based_on_and_outline_level(tmp_path, style_id, level):
    styles = read_styles(Package.open(document(tmp_path / "d.docx")))
    assert styles.heading_level(style_id) == level


def test_a_direct_outline_level_decides_over_the_style(tmp_path):
    styles = read_styles(Package.open(document(tmp_path / "d.docx")))
    assert styles.heading_level("BriefingHeading", w.pPr(w.outlineLvl(val="9"))) is None
    assert styles.heading_level("Title", w.pPr(w.outlineLvl(val="0"))) == 1


def test_check_review_and_absorb_agree_on_every_heading(tmp_path):
    path = document(tmp_path / "d.docx")
    expected = [level for _, level in CASES]

    check = [p.heading_level for p in inspect_package(Package.open(path)).paragraphs][::2]
    absorb = [p.heading for p in read_paragraphs(Package.open(path))][::2]
    review = [r.heading for r in read_review(path).revisions]  # the heading each change is under

    assert check == expected
    assert absorb == expected
    headings_above = []
    current = ""
    for style_id, level in CASES:
        current = f"{style_id} text" if level is not None else current
        headings_above.append(current)
    assert review == headings_above


def test_a_paragraph_is_numbered_by_its_own_numbering_or_its_styles(tmp_path):
    # 17.3.1.19: a numPr decides nearest first (the paragraph's, then its style chain's), and
    # numId 0 switches numbering off; minutes pasted from Word read these as bullets
    styles = w.styles(
        style("ListNumber", "List Number", w.numPr(w.ilvl(val="0"), w.numId(val="3"))),
        style("ListContinue", "List Continue", w.numPr(w.numId(val="0")),
              based_on="ListNumber"))
    blocks = [w.p(w.pPr(w.pStyle(val=style_id), *numbering), w.r(w.t("Leeds")))
              for style_id, numbering in [
                  ("ListNumber", []), ("ListContinue", []),
                  ("ListNumber", [w.numPr(w.numId(val="0"))]),
                  ("Normal", [w.numPr(w.ilvl(val="0"), w.numId(val="3"))]), ("Normal", [])]]
    path = write_docx(tmp_path / "d.docx", blocks, parts={"word/styles.xml": styles})
    paragraphs = inspect_package(Package.open(path)).paragraphs
    assert [p.numbered for p in paragraphs] == [True, False, False, True, False]


def test_a_heading_is_known_by_its_style_name_or_its_style_id(tmp_path):
    # Word in French saves "heading 1" with the id Titre1; a renamed style keeps its id
    styles_part = w.styles(style("Titre1", "heading 1"), style("Heading3", "Section title"))
    path = write_docx(tmp_path / "d.docx", [w.p(w.r(w.t("x")))],
                      parts={"word/styles.xml": styles_part})
    styles = read_styles(Package.open(path))
    assert (styles.heading_level("Titre1"), styles.heading_level("Heading3")) == (1, 3)
