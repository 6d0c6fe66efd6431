"""Formatted paragraph marks through redline, accept and reject stay valid ECMA-376.

A paragraph mark's properties (`w:pPr/w:rPr`, CT_ParaRPr in ECMA-376 Part 1,
17.3.1.29) hold its revision first (`w:ins`, `w:del`, `w:moveFrom`,
`w:moveTo`), then its formatting (`w:b`, `w:sz` ...), then `w:rPrChange`.
A revision written after the formatting is the "unreadable content" Word
refuses. Marks without formatting cannot show the mistake, so every document
here gives its marks formatting, and every output is checked against the
schemas and read back.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefing.clearance.redline import redline_files
from briefing.clearance.review import read_review, resolve_file
from briefing.ooxml.read.text import paragraph_texts
from tests.conftest import validate_ooxml
from tests.support.cxml import W14, W, para, run, w, write_docx

REVISION_FIRST = {f"{{{W}}}{t}" for t in ("ins", "del", "moveFrom", "moveTo")}


def formatted(text: str, *formatting) -> etree._Element:
    """Return a paragraph of `text` whose mark carries `formatting` (e.g. bold, 14 pt)."""
    return w.p(w.pPr(w.jc(val="left"), w.rPr(*formatting)), run(text))


def bold_mark(text: str) -> etree._Element:
    return formatted(text, w.b(), w.sz(val="28"))


def italic_mark(text: str) -> etree._Element:
    return formatted(text, w.rStyle(val="Strong"), w.i(), w.color(val="1F4E79"))


def _document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def _texts(path: Path) -> list[str]:
    return paragraph_texts(_document(path))


def _mark_rprs(path: Path) -> list[etree._Element]:
    """Return every paragraph mark's w:rPr that carries a revision."""
    root = _document(path)
    return [rpr for rpr in root.iter(f"{{{W}}}rPr")
            if rpr.getparent().tag == f"{{{W}}}pPr"
            and any(child.tag in REVISION_FIRST for child in rpr)]


def _assert_revision_leads_its_formatting(path: Path) -> int:
    """Assert each revised mark's rPr opens with its revision(s); return how many marks."""
    rprs = _mark_rprs(path)
    for rpr in rprs:
        tags = [etree.QName(c).localname for c in rpr]
        leading = 0
        while leading < len(rpr) and rpr[leading].tag in REVISION_FIRST:
            leading += 1
        assert all(c.tag not in REVISION_FIRST for c in rpr[leading:]), tags
        assert leading >= 1 and len(rpr) > leading, tags  # revised and formatted
    return len(rprs)


def _assert_valid(path: Path) -> None:
    valid, report = validate_ooxml(path)
    assert valid, report


# --- redline -------------------------------------------------------------------------

MARK_PAIRS = {
    "deleted paragraph with a bold mark": (
        [para("Intro."), bold_mark("This paragraph goes."), para("After.")],
        [para("Intro."), para("After.")],
    ),
    "deleted paragraph whose mark is only bold": (
        [para("Intro."), formatted("This paragraph goes.", w.b()), para("After.")],
        [para("Intro."), para("After.")],
    ),
    "inserted paragraph with a styled mark": (
        [para("Intro."), para("After.")],
        [para("Intro."), italic_mark("A new paragraph arrives."), para("After.")],
    ),
    "split paragraph whose mark is formatted": (
        [bold_mark("Councils know their labour markets. They should lead the programme."),
         para("After.")],
        [bold_mark("Councils know their labour markets."),
         bold_mark("They should lead the programme."), para("After.")],
    ),
    "merged paragraphs whose marks are formatted": (
        [para("Before."), bold_mark("Councils know their labour markets."),
         italic_mark("They should lead the work and health programme."), para("After.")],
        [para("Before."), italic_mark("Councils know their labour markets and should lead "
                                      "the work and health programme."), para("After.")],
    ),
    "deleted and inserted paragraphs side by side": (
        [para("Intro."), bold_mark("Old wording about devolution deals."),
         italic_mark("Old wording about skills funding."), para("After.")],
        [para("Intro."), italic_mark("Entirely different text on housing supply."),
         bold_mark("And another new line on transport budgets."), para("After.")],
    ),
}


def _redline_pair(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    old_blocks, new_blocks = MARK_PAIRS[name]
    old = write_docx(tmp_path / "old.docx", old_blocks)
    new = write_docx(tmp_path / "new.docx", new_blocks)
    out = tmp_path / "redlined.docx"
    redline_files(old, new, out, author="Policy Officer", date="2026-03-02")
    return old, new, out


@pytest.mark.parametrize("name", sorted(MARK_PAIRS))
def test_redline_writes_a_formatted_paragraph_marks_revision_before_its_formatting(
        tmp_path, name):
    old, new, out = _redline_pair(tmp_path, name)
    assert _assert_revision_leads_its_formatting(out) >= 1
    assert any(r.kind.startswith("paragraph-") for r in read_review(out).revisions)


@pytest.mark.parametrize("name", sorted(MARK_PAIRS))
def test_redline_with_formatted_paragraph_marks_is_valid_ooxml(tmp_path, name):
    old, new, out = _redline_pair(tmp_path, name)
    _assert_valid(old)  # the inputs are valid: any fault is the redline's
    _assert_valid(new)
    _assert_valid(out)


@pytest.mark.parametrize("name", sorted(MARK_PAIRS))
def test_accepting_and_rejecting_a_redline_with_formatted_marks_gives_valid_new_and_old(
        tmp_path, name):
    old, new, out = _redline_pair(tmp_path, name)
    accepted = resolve_file(out, tmp_path / "accepted.docx", accept=True).value
    rejected = resolve_file(out, tmp_path / "rejected.docx", accept=False).value
    assert _texts(accepted) == _texts(new)
    assert _texts(rejected) == _texts(old)
    _assert_valid(accepted)
    _assert_valid(rejected)


# --- accept and reject of Word's own marks --------------------------------------------


def _moved_document(path: Path) -> Path:
    """Return a document where Ann moved a bold-marked paragraph below another (as Word does)."""
    blocks = [
        w.p(w.pPr(w.rPr(w.moveFrom(author="Ann"), w.b(), w.sz(val="28"))),
            w.moveFromRangeStart(id="501", name="move1", author="Ann"),
            w.moveFrom(run("Moved paragraph."), author="Ann"),
            w.moveFromRangeEnd(id="501")),
        para("Stays where it was."),
        w.p(w.pPr(w.rPr(w.moveTo(author="Ann"), w.b(), w.sz(val="28"))),
            w.moveToRangeStart(id="502", name="move1", author="Ann"),
            w.moveTo(run("Moved paragraph."), author="Ann"),
            w.moveToRangeEnd(id="502")),
        para("Closing line."),
    ]
    return write_docx(path, blocks)


@pytest.mark.parametrize(("accept", "expected"), [
    (True, ["Stays where it was.", "Moved paragraph.", "Closing line."]),
    (False, ["Moved paragraph.", "Stays where it was.", "Closing line."]),
])
def test_a_moved_paragraph_with_a_formatted_mark_resolves_to_valid_ooxml(
        tmp_path, accept, expected):
    doc = _moved_document(tmp_path / "moved.docx")
    _assert_valid(doc)
    assert _assert_revision_leads_its_formatting(doc) == 2
    out = resolve_file(doc, tmp_path / "out.docx", accept=accept).value
    assert [t for t in _texts(out) if t] == expected
    assert _mark_rprs(out) == []
    _assert_valid(out)


def _two_reviewers(path: Path) -> Path:
    """Return a document: Ann inserted a paragraph whose bold mark Bob then made italic."""
    mark_rpr = w.rPr(w.ins(author="Ann"), w.i(),
                     w.rPrChange(w.rPr(w.b(), w.sz(val="28")), author="Bob"))
    blocks = [
        para("Opening line."),
        w.p(w.pPr(mark_rpr), w.ins(run("Ann's new paragraph."), author="Ann")),
        para("Closing line."),
    ]
    return write_docx(path, blocks)


@pytest.mark.parametrize("accept", [True, False], ids=["accept", "reject"])
def test_resolving_one_reviewers_mark_format_change_keeps_the_others_insertion_first(
        tmp_path, accept):
    doc = _two_reviewers(tmp_path / "two.docx")
    _assert_valid(doc)
    out = resolve_file(doc, tmp_path / "out.docx", accept=accept, authors=["Bob"]).value
    (rpr,) = _mark_rprs(out)
    tags = [etree.QName(c).localname for c in rpr]
    assert tags == (["ins", "i"] if accept else ["ins", "b", "sz"])
    assert [r.kind for r in read_review(out).revisions] == ["insert", "paragraph-insert"]
    _assert_valid(out)


@pytest.mark.parametrize("accept", [True, False], ids=["accept", "reject"])
def test_resolving_an_insertion_keeps_another_reviewers_mark_format_change_valid(
        tmp_path, accept):
    doc = _two_reviewers(tmp_path / "two.docx")
    out = resolve_file(doc, tmp_path / "out.docx", accept=accept, authors=["Ann"]).value
    texts = _texts(out)
    if accept:
        assert texts == ["Opening line.", "Ann's new paragraph.", "Closing line."]
        assert [r.kind for r in read_review(out).revisions] == ["format"]
    else:
        assert texts == ["Opening line.", "Closing line."]
    _assert_valid(out)


# --- a paragraph's formatting changed, its mark formatted -----------------------------


def test_realigning_a_paragraph_whose_mark_is_bold_keeps_the_mark_out_of_the_old_formatting(
        tmp_path):
    """The old formatting of a paragraph change (`w:pPrChange/w:pPr`, CT_PPrBase,
    17.13.5.29) has no place for the mark's `w:rPr`: copying it there is invalid."""
    def aligned(how: str) -> etree._Element:
        return w.p(w.pPr(w.jc(val=how), w.rPr(w.b(), w.sz(val="28"))),
                   run("Councils should lead."))

    old = write_docx(tmp_path / "old.docx", [para("Intro."), aligned("right"), para("After.")])
    new = write_docx(tmp_path / "new.docx", [para("Intro."), aligned("center"), para("After.")])
    out = tmp_path / "redlined.docx"
    redline_files(old, new, out, author="Policy Officer", date="2026-03-02")
    assert [r.kind for r in read_review(out).revisions] == ["paragraph-format"]
    (change,) = _document(out).iter(f"{{{W}}}pPrChange")
    assert [etree.QName(c).localname for c in change.find(f"{{{W}}}pPr")] == ["jc"]
    _assert_valid(out)
    rejected = resolve_file(out, tmp_path / "rejected.docx", accept=False).value
    (jc,) = [el.get(f"{{{W}}}val") for el in _document(rejected).iter(f"{{{W}}}jc")]
    assert jc == "right"
    _assert_valid(rejected)


# --- what a rebuilt paragraph keeps of its source -------------------------------------


def test_two_joined_paragraphs_keep_one_paragraph_id_the_new_drafts(tmp_path):
    """Word keeps a paragraph's `w14:paraId` when the next one is joined to it; the id must
    stay unique in the document (MS-DOCX), so the deleted mark's paragraph, rebuilt from OLD, leaves
    it to NEW's paragraph."""
    def identified(para_id: str, text: str) -> etree._Element:
        p = para(text)
        p.set(f"{{{W14}}}paraId", para_id)
        return p

    old = write_docx(tmp_path / "old.docx", [identified("1A2B3C4D", "Councils must act."),
                                             identified("5E6F7081", "Funding follows duties.")])
    new = write_docx(tmp_path / "new.docx",
                     [identified("1A2B3C4D", "Councils must act. Funding follows duties.")])
    out = tmp_path / "redlined.docx"
    redline_files(old, new, out, author="Policy Officer", date="2026-03-02")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [
        ("paragraph-delete", "Councils must act."), ("insert", " ")]
    ids = [p.get(f"{{{W14}}}paraId") for p in _document(out).iter(f"{{{W}}}p")]
    assert ids == [None, "1A2B3C4D"]
    _assert_valid(out)


def test_an_edited_paragraph_that_ends_a_section_keeps_its_section_break(tmp_path):
    def ending(text: str) -> etree._Element:
        landscape = w.sectPr(w.pgSz(w="16838", h="11906", orient="landscape"))
        return w.p(w.pPr(landscape), run(text))

    old = write_docx(tmp_path / "old.docx", [ending("The annex follows."), para("Annex.")])
    new = write_docx(tmp_path / "new.docx", [ending("The tables follow."), para("Annex.")])
    out = tmp_path / "redlined.docx"
    redline_files(old, new, out, author="Policy Officer", date="2026-03-02")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [
        ("delete", "annex follows"), ("insert", "tables follow")]
    root = _document(out)
    first = root.find(f"{{{W}}}body/{{{W}}}p")
    assert [el.get(f"{{{W}}}orient") for el in first.iter(f"{{{W}}}pgSz")] == ["landscape"]
    _assert_valid(out)
