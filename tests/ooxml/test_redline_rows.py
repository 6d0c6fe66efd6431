"""Rows a redline inserts or deletes stay valid whatever properties Word gave them.

A row may start with table property exceptions (`w:tblPrEx`, 17.4.61: Word
writes them for a row whose borders or widths differ from its table's); the
row's `w:trPr`, which carries the inserted or deleted mark, must come after
them (CT_Row), or Word reports the document as unreadable.
"""

from __future__ import annotations

import pytest

from briefing.clearance.redline import redline_result
from briefing.clearance.review import read_review
from tests.conftest import validate_ooxml
from tests.support.cxml import para, w, write_docx


def row(*texts, exceptions: bool = False):
    ex = w.tblPrEx(w.tblBorders(w.top(val="single", sz="4", space="0", color="auto"))) \
        if exceptions else None
    return w.tr(ex, *(w.tc(w.tcPr(w.tcW(w="2000", type="dxa")), para(t)) for t in texts))


def table(*rows):
    return w.tbl(w.tblPr(w.tblW(w="0", type="auto")),
                 w.tblGrid(w.gridCol(w="2000"), w.gridCol(w="2000")), *rows)


@pytest.mark.parametrize("inserted", [True, False], ids=["inserted", "deleted"])
def test_a_row_with_property_exceptions_is_marked_validly(tmp_path, inserted):
    short = [table(row("Council", "Outcome")), para("End.")]
    long = [table(row("Council", "Outcome"),
                  row("Leeds", "Fewer people out of work", exceptions=True)), para("End.")]
    old = write_docx(tmp_path / "old.docx", short if inserted else long)
    new = write_docx(tmp_path / "new.docx", long if inserted else short)
    out = tmp_path / "out.docx"
    out.write_bytes(redline_result(old, new, author="Officer").value)
    valid, report = validate_ooxml(out)
    assert valid, report
    kind = "row-insert" if inserted else "row-delete"
    assert [r.kind for r in read_review(out).revisions if r.kind.startswith("row")] == [kind]
