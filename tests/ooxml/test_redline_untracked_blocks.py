"""Blocks a redline cannot mark as changed are named in a warning, never passed silently.

A block-level content control (`w:sdt`, ECMA-376 17.5.2) cannot carry
`w:ins` / `w:del` itself: one that is new is kept untracked, one that was
deleted is left out. The officer must be told, because accepting or
rejecting every change will not give NEW or OLD back exactly.
"""

from __future__ import annotations

from briefing.clearance.redline import redline_result
from briefing.clearance.review import read_review
from tests.conftest import validate_ooxml
from tests.support.cxml import para, w, write_docx

DROPPED = ("1 deleted block(s) such as content controls could not be shown as deletions "
           "and were left out")
UNTRACKED = "1 new block(s) such as content controls are included without tracking"


def control(text: str):
    """Return a block-level content control holding one paragraph."""
    return w.sdt(w.sdtPr(w.alias(val="Note")), w.sdtContent(para(text)))


def row(*cells):
    return w.tr(*(w.tc(w.tcPr(w.tcW(w="2000", type="dxa")), *blocks) for blocks in cells))


def head():
    return row([para("Council")], [para("Outcome")])


def table(*rows):
    return w.tbl(w.tblPr(w.tblW(w="0", type="auto")),
                 w.tblGrid(w.gridCol(w="2000"), w.gridCol(w="2000")), *rows)


def _warnings(tmp_path, old_blocks, new_blocks) -> tuple[list[str], bytes]:
    old = write_docx(tmp_path / "old.docx", old_blocks)
    new = write_docx(tmp_path / "new.docx", new_blocks)
    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")
    (tmp_path / "out.docx").write_bytes(result.value)
    valid, report = validate_ooxml(tmp_path / "out.docx")
    assert valid, report
    return [m.text for m in result.messages if m.level == "warning"], result.value


def test_a_new_content_control_is_kept_and_named_as_untracked(tmp_path):
    warnings, _ = _warnings(tmp_path, [para("Councils know.")],
                            [para("Councils know."), control("Added note.")])
    assert warnings == [UNTRACKED]


def test_a_deleted_content_control_is_named_as_left_out(tmp_path):
    warnings, _ = _warnings(tmp_path, [para("Councils know."), control("Old note.")],
                            [para("Councils know.")])
    assert warnings == [DROPPED]


def test_a_content_control_in_an_inserted_row_is_named_as_untracked(tmp_path):
    added = row([para("Leeds")], [control("Fewer people out of work.")])
    warnings, _ = _warnings(tmp_path, [table(head()), para("End.")],
                            [table(head(), added), para("End.")])
    assert warnings == [UNTRACKED]


def test_a_content_control_in_a_deleted_row_is_named_as_left_out(tmp_path):
    gone = row([para("Leeds")], [control("Fewer people out of work.")])
    warnings, _ = _warnings(tmp_path, [table(head(), gone), para("End.")],
                            [table(head()), para("End.")])
    assert warnings == [DROPPED]
    review = read_review(tmp_path / "out.docx")
    assert "Leeds" in [r.text for r in review.revisions]
