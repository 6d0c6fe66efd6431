"""The LibreOffice harness reads documents the way LibreOffice does."""

from __future__ import annotations

import pytest
from docx import Document

from conftest import corpus_file

pytestmark = pytest.mark.libreoffice

RECORDED = "libreoffice/libreoffice-7.4-recorded-changes-2authors.docx"


def test_paragraphs_of_a_simple_document(lo, tmp_path):
    doc = Document()
    doc.add_paragraph("First paragraph")
    doc.add_paragraph("Second & <third>")
    path = tmp_path / "simple.docx"
    doc.save(path)
    assert lo.paragraphs(path) == ["First paragraph", "Second & <third>"]


@pytest.mark.corpus
def test_accept_and_reject_differ(lo):
    path = corpus_file(RECORDED)
    accepted = lo.accept_all_paragraphs(path)
    rejected = lo.reject_all_paragraphs(path)
    assert accepted != rejected
