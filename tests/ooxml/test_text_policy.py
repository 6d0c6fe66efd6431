"""One paragraph reads the same in check, review, absorb and redline (ooxml/read/text.py policy).

The paragraph holds a tab, a no-break hyphen, a soft hyphen, a field (code and
result) and a tracked deletion and insertion: every place where the readers
that came before the shared one disagreed.
"""

from __future__ import annotations

from pathlib import Path

from briefing.clearance.redline import redline_bytes
from briefing.clearance.review import read_review
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.ooxml.read.inspect import inspect_package
from briefing.ooxml.read.text import ALL, ORIGINAL, paragraph_text
from tests.support.cxml import w, write_docx

ACCEPTED = "Cuts\tto the well-known funding, as of 1 March 2026, hit councils hard."
REJECTED = "Cuts\tto the well-known funding, as of 1 March 2026, hit councils badly."
STYLES = w.styles(w.style(w.name(val="heading 1"), type="paragraph", styleId="Heading1"))


def content(*tail) -> list:
    """Return the runs of the paragraph, ending with `tail` (its last words)."""
    return [
        w.r(w.t("Cuts"), w.tab(), w.t("to the well"), w.noBreakHyphen(), w.t("known fun"),
            w.softHyphen(), w.t("ding, as of ")),
        w.r(w.fldChar(fldCharType="begin")),
        w.r(w.instrText(' DATE \\@ "d MMMM yyyy" ')),
        w.r(w.fldChar(fldCharType="separate")),
        w.r(w.t("1 March 2026")),
        w.r(w.fldChar(fldCharType="end")),
        w.r(w.t(", hit councils")),
        *tail,
    ]


def heading(*runs) -> object:
    return w.p(w.pPr(w.pStyle(val="Heading1")), *runs)


def reviewed(path: Path) -> Path:
    """Write the paragraph with ' badly' deleted and ' hard.' inserted by a member."""
    tail = [w.del_(w.r(w.delText(" badly")), author="Cllr A"),
            w.ins(w.r(w.t(" hard")), author="Cllr A"), w.r(w.t("."))]
    return write_docx(path, [heading(*content(*tail))], parts={"word/styles.xml": STYLES})


def first_paragraph(path: Path):
    """Return the first body paragraph of the document at `path`."""
    p = Package.open(path).xml("word/document.xml").find("{*}body/{*}p")
    assert p is not None
    return p


def readings(path: Path) -> dict[str, str]:
    """Return the paragraph's current text as each command reads it."""
    pkg = Package.open(path)
    review = read_review(path)
    return {
        "check": inspect_package(pkg).paragraphs[0].text,
        "absorb": read_paragraphs(Package.open(path))[0].text,
        "review": review.revisions[0].heading,
        "review (every change)": {r.heading for r in review.revisions}.pop(),
    }


def test_a_reviewed_paragraph_reads_the_same_in_check_review_and_absorb(tmp_path):
    path = reviewed(tmp_path / "reviewed.docx")

    assert readings(path) == dict.fromkeys(readings(path), ACCEPTED)
    review = read_review(path)
    assert [(r.kind, r.text) for r in review.revisions] == [("delete", " badly"),
                                                           ("insert", " hard")]
    p = first_paragraph(path)
    assert paragraph_text(p, ORIGINAL) == REJECTED
    assert paragraph_text(p, ALL) == REJECTED[:-1] + " hard."


def test_redline_writes_a_paragraph_every_reader_sees_as_the_new_one(tmp_path):
    author = "Officer"
    old = write_docx(tmp_path / "old.docx", [heading(*content(w.r(w.t(" badly."))))],
                     parts={"word/styles.xml": STYLES})
    new = write_docx(tmp_path / "new.docx", [heading(*content(w.r(w.t(" hard."))))],
                     parts={"word/styles.xml": STYLES})
    out = tmp_path / "out.docx"
    out.write_bytes(redline_bytes(old, new, author=author, date="2026-03-02"))

    assert readings(out) == dict.fromkeys(readings(out), ACCEPTED)
    assert paragraph_text(first_paragraph(out), ORIGINAL) == REJECTED
    for before, path in ((REJECTED, old), (ACCEPTED, new)):
        assert read_paragraphs(Package.open(path))[0].text == before
    assert {r.author for r in read_review(out).revisions} == {author}


def test_a_paragraphs_tab_stops_are_not_read_as_tab_characters():
    # w:tab is a tab character inside a run, but a tab stop inside the paragraph's properties
    p = w.p(w.pPr(w.tabs(w.tab(val="left", pos="720"), w.tab(val="right", pos="9026"))),
            w.r(w.t("Item")), w.r(w.tab()), w.r(w.t("Page 2")))
    assert paragraph_text(p) == "Item\tPage 2"
    assert paragraph_text(p, ALL) == paragraph_text(p, ORIGINAL) == "Item\tPage 2"
