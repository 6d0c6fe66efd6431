"""How a redline pairs the paragraphs of two drafts before it diffs their words.

Two builds of a briefing carry our source-id bookmarks, so a paragraph is the
same paragraph however much its words change: it is shown as its word changes,
never deleted and inserted again. Other bookmarks (a table of contents, a
cross-reference) say nothing about which paragraph is which.
"""

from __future__ import annotations

import pytest

from briefing.clearance.redline import redline_result
from briefing.clearance.review import read_review
from briefing.ooxml.sourcemap import bookmark_name
from briefing.ooxml.track.blocks import section_stories
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


@pytest.mark.parametrize("foreign", [False, True], ids=["plain", "with-a-toc-bookmark"])
def test_a_rewritten_paragraph_keeps_its_source_id_and_its_paragraph_mark(tmp_path, foreign):
    # Both messages are reworded beyond recognition (no word in common): matched by
    # content they would be two paragraphs deleted and two inserted; matched by source
    # id each is its own paragraph with new words. A table-of-contents bookmark that
    # Word put before the source bookmark does not hide it.
    toc = (w.bookmarkStart(id="90", name="_Toc195000001"), w.bookmarkEnd(id="90")) \
        if foreign else ()
    kinds, result = _redline(tmp_path, [sourced(0, OLD[0]), sourced(1, OLD[1])],
                             [sourced(0, NEW[0], *toc), sourced(1, NEW[1])])
    assert result.messages[0].text.endswith("(matched by source id)")
    assert [k for k, _, _ in kinds] == ["delete", "insert", "delete", "insert"]
    assert {item for _, _, item in kinds} == set(IDS)
    assert [text + "." for kind, text, _ in kinds if kind == "insert"] == NEW  # "." is kept


def test_without_a_source_map_rewritten_paragraphs_are_deleted_and_inserted(tmp_path):
    # The bookmarks alone do not make a briefing build: a copy whose source map was
    # lost is matched by content, as any other document.
    kinds, result = _redline(tmp_path, [sourced(0, OLD[0]), sourced(1, OLD[1])],
                             [sourced(0, NEW[0]), sourced(1, NEW[1])], source_map=False)
    assert result.messages[0].text.endswith("(matched by content)")
    assert sorted(k for k, _, _ in kinds) == ["delete", "delete", "insert", "insert",
                                             "paragraph-delete", "paragraph-insert"]


def test_a_table_replaced_by_another_under_the_same_headings_is_deleted_and_inserted_whole(
        tmp_path):
    # Jobs by council become homes by council: only the two headings of the new table's
    # eleven words are in the old one, too little for the same table edited (tables
    # pair from 30% of their words), so every old row is deleted and every new row
    # inserted, the heading row too, rather than the new rows put under the old heading.
    jobs = table(row("Council", "Outcome"), row("Leeds", "120 jobs"), row("Derby", "80 jobs"))
    homes = table(row("Council", "Outcome"), row("Bolton", "300 homes"),
                  row("Bury", "150 homes"), row("Oldham", "90 homes"))
    kinds, _ = _redline(tmp_path, [para("Intro."), jobs, para("After.")],
                        [para("Intro."), homes, para("A note on housing."), para("After.")],
                        source_map=False)
    rows = [(kind, text) for kind, text, _ in kinds if kind.startswith("row")]
    assert rows == [("row-delete", "Council | Outcome"), ("row-delete", "Leeds | 120 jobs"),
                    ("row-delete", "Derby | 80 jobs"), ("row-insert", "Council | Outcome"),
                    ("row-insert", "Bolton | 300 homes"), ("row-insert", "Bury | 150 homes"),
                    ("row-insert", "Oldham | 90 homes")]


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


def test_each_section_names_its_headers_and_footers_and_nothing_else():
    # A section may also point at its printer settings (a binary part): that is no
    # header or footer to redline against the other draft's.
    first = w.p(w.pPr(w.sectPr(w.footerReference(type="first", **{"r:id": "rId2"}))),
                run("Section one."))
    body = w.body(first, para("Section two."),
                  w.sectPr(w.headerReference(type="default", **{"r:id": "rId1"}),
                           w.footerReference(**{"r:id": "rId3"}),
                           w.printerSettings(**{"r:id": "rId9"}), w.pgSz(w="11906", h="16838")))
    assert section_stories(body) == {(0, "footer", "first"): "rId2",
                                     (1, "header", "default"): "rId1",
                                     (1, "footer", "default"): "rId3"}


def test_a_paragraph_added_between_two_tables_is_one_inserted_paragraph(tmp_path):
    # Alone between two tables it has no edited paragraph to join: it is inserted whole.
    def tables():
        return (table(row("Council", "Outcome"), row("Leeds", "120 jobs")),
                table(row("Council", "Homes"), row("Bolton", "300")))

    jobs, homes = tables()
    old = [jobs, homes, para("After.")]
    jobs, homes = tables()
    kinds, _ = _redline(tmp_path, old, [jobs, para("Figures for March."), homes, para("After.")],
                        source_map=False)
    assert [(kind, text) for kind, text, _ in kinds] == [
        ("insert", "Figures for March."), ("paragraph-insert", "Figures for March.")]


def test_a_short_paragraph_added_after_an_edited_one_is_its_own_insertion(tmp_path):
    # A long paragraph with one word changed, then a new heading: taken together they
    # match OLD's paragraph nearly as well as the edited paragraph alone, but not better,
    # so this is no split: the heading is the inserted paragraph, not the long one.
    text = ("Members asked that the funding for the work and health programme be set for "
            "five years, so that councils and their partners can plan the support with the "
            "providers in each area and reach the people furthest from work.")
    kinds, _ = _redline(tmp_path, [para(text), para("After.")],
                        [para(text.replace("five", "seven")), para("Next steps"),
                         para("After.")], source_map=False)
    assert [(kind, text) for kind, text, _ in kinds] == [
        ("delete", "five"), ("insert", "seven"), ("insert", "Next steps"),
        ("paragraph-insert", "Next steps")]
