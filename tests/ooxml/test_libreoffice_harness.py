"""The LibreOffice harness reads, resolves, edits and renders as LibreOffice does."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from lxml import etree

from tests.conftest import CORPUS, ROOT, corpus_file, corpus_files, validate_ooxml
from tests.support.libreoffice import LibreOffice, LibreOfficeError, pdf_page_count, strip_comments

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RECORDED = "libreoffice/libreoffice-7.4-recorded-changes-2authors.docx"
COMMENTED = "pandoc/comments.docx"
ALICE = "Cllr Alice Example"
BOB = "Cllr Bob Example"


def body_xml(path) -> etree._Element:
    """Return the parsed word/document.xml of `path`."""
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def revision_authors(path) -> set[tuple[str, str]]:
    """Return the (kind, author) pairs of the w:ins / w:del elements in the body."""
    root = body_xml(path)
    return {(kind, el.get(f"{W}author")) for kind in ("ins", "del") for el in root.iter(W + kind)}


def digest(path) -> str:
    """Return the SHA-256 of the file at `path`."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def five_paragraphs(tmp_path):
    """Return a .docx with five plain paragraphs made by python-docx."""
    doc = Document()
    for text in ["Title line", "Alpha paragraph here", "Beta paragraph here",
                 "Gamma paragraph here", "Last one"]:
        doc.add_paragraph(text)
    path = tmp_path / "five.docx"
    doc.save(path)
    return path


# -- reading -------------------------------------------------------------


@pytest.mark.libreoffice
def test_paragraphs_in_body_order_with_tables_flattened(lo, tmp_path):
    doc = Document()
    doc.add_paragraph("Before the table")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "A1"
    table.cell(0, 1).text = "B1"
    table.cell(1, 0).text = "A2"
    table.cell(1, 1).paragraphs[0].text = "B2 first"
    table.cell(1, 1).add_paragraph("B2 second")
    doc.add_paragraph("Fish & chips <cost> \u00a35")
    path = tmp_path / "table.docx"
    doc.save(path)

    assert lo.paragraphs(path) == [
        "Before the table", "A1", "B1", "A2", "B2 first", "B2 second",
        "Fish & chips <cost> \u00a35",
    ]


@pytest.mark.libreoffice
@pytest.mark.corpus
def test_accept_and_reject_all_of_a_recorded_document(lo):
    path = corpus_file(RECORDED)

    accepted = lo.accept_all_paragraphs(path)
    rejected = lo.reject_all_paragraphs(path)

    assert accepted[0] == "Briefing: Adult social care precept (amended by the lead member)"
    assert rejected[0] == "Briefing: Adult social care precept"
    assert "A new paragraph inserted by Bob." in accepted
    assert "A new paragraph inserted by Bob." not in rejected
    assert lo.redline_count(path) > 0


@pytest.mark.libreoffice
@pytest.mark.corpus
def test_commented_document_is_read_from_a_comment_free_copy(lo):
    path = corpus_file(COMMENTED)
    before = digest(path)

    paragraphs = lo.paragraphs(path)

    assert paragraphs[0] == "I want some text to have a comment on it."
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".~lock")) == []


# -- writing -------------------------------------------------------------


@pytest.mark.libreoffice
def test_tracked_edits_record_each_author(lo, five_paragraphs, tmp_path):
    out = lo.tracked_edits(five_paragraphs, tmp_path / "edited.docx", [
        {"kind": "replace", "author": ALICE, "find": "Alpha", "replace": "Omega"},
        {"kind": "insert_paragraph_after", "author": BOB, "find": "Beta",
         "text": "Inserted by Bob"},
        {"kind": "delete_paragraph", "author": ALICE, "find": "Gamma"},
    ])

    assert out == tmp_path / "edited.docx"
    assert revision_authors(out) == {("ins", ALICE), ("del", ALICE), ("ins", BOB)}
    assert lo.accept_all_paragraphs(out) == [
        "Title line", "Omega paragraph here", "Beta paragraph here", "Inserted by Bob",
        "Last one",
    ]
    assert lo.reject_all_paragraphs(out) == lo.paragraphs(five_paragraphs)


@pytest.mark.libreoffice
def test_deleting_the_last_paragraph_merges_it_away(lo, five_paragraphs, tmp_path):
    out = lo.tracked_edits(five_paragraphs, tmp_path / "edited.docx", [
        {"kind": "delete_paragraph", "author": BOB, "find": "Last one"},
    ])

    assert revision_authors(out) == {("del", BOB)}
    assert lo.accept_all_paragraphs(out) == [
        "Title line", "Alpha paragraph here", "Beta paragraph here", "Gamma paragraph here",
    ]


@pytest.mark.libreoffice
def test_tracked_edit_of_missing_text_says_which(lo, five_paragraphs, tmp_path):
    out = tmp_path / "edited.docx"
    with pytest.raises(LibreOfficeError, match=r"edit 1 \(replace\): text not found: 'Delta'"):
        lo.tracked_edits(five_paragraphs, out, [
            {"kind": "replace", "author": ALICE, "find": "Delta", "replace": "x"},
        ])
    assert not out.exists()


@pytest.mark.libreoffice
def test_accept_and_reject_save_leave_no_revisions(lo, five_paragraphs, tmp_path):
    edited = lo.tracked_edits(five_paragraphs, tmp_path / "edited.docx", [
        {"kind": "replace", "author": ALICE, "find": "Beta", "replace": "Delta"},
    ])

    accepted = lo.accept_all_save(edited, tmp_path / "accepted.docx")
    rejected = lo.reject_all_save(edited, tmp_path / "rejected.docx")

    assert revision_authors(accepted) == set()
    assert revision_authors(rejected) == set()
    assert lo.paragraphs(accepted)[2] == "Delta paragraph here"
    assert lo.paragraphs(rejected)[2] == "Beta paragraph here"


# -- rendering -----------------------------------------------------------


@pytest.mark.libreoffice
def test_to_pdf_renders_every_page(lo, tmp_path):
    doc = Document()
    doc.add_paragraph("Page one")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Page two")
    path = tmp_path / "two-pages.docx"
    doc.save(path)

    pdf = lo.to_pdf(path, tmp_path / "pdf")

    assert pdf == tmp_path / "pdf" / "two-pages.pdf"
    assert lo.pdf_page_count(pdf) == 2


# -- resilience ----------------------------------------------------------


@pytest.mark.libreoffice
def test_recovers_when_soffice_dies(lo, five_paragraphs):
    lo._call("kill_soffice")

    assert lo.paragraphs(five_paragraphs)[0] == "Title line"


@pytest.mark.libreoffice
def test_a_request_that_hangs_times_out_and_the_next_one_works(lo, five_paragraphs):
    usual, lo.timeout = lo.timeout, 2
    try:
        with pytest.raises(LibreOfficeError, match=r"did not answer 'sleep' within 2 s"):
            lo._call("sleep", seconds=30)
    finally:
        lo.timeout = usual
    assert lo.paragraphs(five_paragraphs)[0] == "Title line"


# -- without LibreOffice -------------------------------------------------


@pytest.mark.corpus
def test_strip_comments_removes_markup_parts_and_references(tmp_path):
    src = corpus_file(COMMENTED)

    out = strip_comments(src, tmp_path / "stripped.docx")

    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        content_types = zf.read("[Content_Types].xml")
        rels = zf.read("word/_rels/document.xml.rels")
    assert not [n for n in names if "comments" in n.lower()]
    assert b"comments" not in content_types.lower()
    assert b"comments" not in rels.lower()
    body = body_xml(out)
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert next(body.iter(W + tag), None) is None


def test_unknown_edit_kind_is_refused_before_starting(tmp_path):
    office = LibreOffice()
    with pytest.raises(ValueError, match=r"edit 1: kind must be one of"):
        office.tracked_edits(tmp_path / "any.docx", tmp_path / "out.docx",
                             [{"kind": "move", "author": ALICE, "find": "x"}])
    with pytest.raises(ValueError, match=r"edit 1 \(replace\): needs fields"):
        office.tracked_edits(tmp_path / "any.docx", tmp_path / "out.docx",
                             [{"kind": "replace", "author": ALICE, "find": "x"}])
    with pytest.raises(ValueError, match=r"edit 2 \(delete_paragraph\): find must not be empty"):
        office.tracked_edits(tmp_path / "any.docx", tmp_path / "out.docx", [
            {"kind": "delete_paragraph", "author": ALICE, "find": "x"},
            {"kind": "delete_paragraph", "author": ALICE, "find": ""},
        ])
    office.close()


def test_page_count_refuses_a_file_that_is_not_a_pdf(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(LibreOfficeError, match="is not a PDF"):
        pdf_page_count(path)


# -- the shared fixtures -------------------------------------------------


def run_inner_pytest(test_id: str, **env: str) -> subprocess.CompletedProcess:
    """Return the finished run of one harness test in a fresh pytest with extra `env`."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         f"{os.path.relpath(__file__, ROOT)}::{test_id}"],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=120, check=False,
    )


def test_libreoffice_tests_skip_when_it_is_missing():
    done = run_inner_pytest("test_to_pdf_renders_every_page",
                            CI="false", BRIEFING_SOFFICE="/nonexistent/soffice")
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
    assert "LibreOffice (soffice) is not installed" in done.stdout


def test_libreoffice_tests_fail_under_ci_when_it_is_missing():
    done = run_inner_pytest("test_to_pdf_renders_every_page",
                            CI="true", BRIEFING_SOFFICE="/nonexistent/soffice")
    assert done.returncode == 1, done.stdout
    assert "LibreOffice is required under CI=true: LibreOffice (soffice) is not installed" in (
        done.stdout)


def test_corpus_files_lists_the_corpus():
    files = corpus_files()
    if not CORPUS.is_dir():
        assert files == []
        return
    assert files, "the corpus folder is there but holds no .docx"
    assert all(path.suffix == ".docx" and path.is_file() for path in files)
    assert CORPUS / RECORDED in files


def test_validate_ooxml_tells_valid_from_invalid(tmp_path):
    # python-docx's own template writes w:zoom without w:percent: not valid.
    path = tmp_path / "blank.docx"
    Document().save(path)

    ok, output = validate_ooxml(path)

    assert not ok
    assert "word/settings.xml" in output and "zoom" in output
