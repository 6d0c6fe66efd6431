"""How a redline pairs the paragraphs of two drafts before it diffs their words.

Two builds of a briefing carry our source-id bookmarks, so a paragraph is the
same paragraph however much its words change: it is shown as its word changes,
never deleted and inserted again. Other bookmarks (a table of contents, a
cross-reference) say nothing about which paragraph is which.
"""

from __future__ import annotations

from briefing.clearance.redline import redline_result
from briefing.clearance.review import read_review
from briefing.ooxml.sourcemap import bookmark_name
from tests.conftest import validate_ooxml
from tests.ooxml.test_redline_rows import row, table
from tests.support.cxml import para, run, source_map_parts, w, write_docx

IDS = ["key_messages/funding/headline", "key_messages/skills/headline"]
OLD = ["Funding must follow duties.", "Councils know their labour markets."]
NEW = ["Government should devolve budgets for adult training.",
       "Every area needs a local employment and skills plan."]


def sourced(n: int, text: str, *before):
    """Return a paragraph carrying the source bookmark of IDS[n] (after `before`)."""
    return w.p(*before, w.bookmarkStart(id=str(n), name=bookmark_name(IDS[n])), run(text),
               w.bookmarkEnd(id=str(n)))


def _redline(tmp_path, old_blocks, new_blocks, *, source_map: bool = True):
    extra = source_map_parts({bookmark_name(i): i for i in IDS}) if source_map else None
    old = write_docx(tmp_path / "old.docx", old_blocks, extra=extra)
    new = write_docx(tmp_path / "new.docx", new_blocks, extra=extra)
    out = tmp_path / "out.docx"
    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")
    out.write_bytes(result.value)
    valid, report = validate_ooxml(out)
    assert valid, report
    return [(r.kind, r.text, r.item) for r in read_review(out).revisions], result


def test_a_table_with_every_figure_updated_is_shown_as_its_cell_edits(tmp_path):
    # The table sits beside a new paragraph, so it is matched by its words: the council
    # names and headings stay, only the figures change. Read cell by cell it is the same
    # table edited; read with its cells run together ("Leeds120", "jobsDerby80") it
    # would share no word and be deleted and inserted whole.
    before = table(row("Council", "Outcome"), row("Leeds", "120 jobs"), row("Derby", "80 jobs"),
                   row("Wigan", "45 jobs"))
    after = table(row("Council", "Outcome"), row("Leeds", "150 jobs"), row("Derby", "90 jobs"),
                  row("Wigan", "50 jobs"))
    kinds, _ = _redline(tmp_path, [para("Intro."), before, para("After.")],
                        [para("Intro."), after, para("A note on the figures."), para("After.")],
                        source_map=False)
    assert [(kind, text) for kind, text, _ in kinds if kind in ("delete", "insert")][:6] == [
        ("delete", "120"), ("insert", "150"), ("delete", "80"), ("insert", "90"),
        ("delete", "45"), ("insert", "50")]
    assert not [kind for kind, _, _ in kinds if kind.startswith("row")]
