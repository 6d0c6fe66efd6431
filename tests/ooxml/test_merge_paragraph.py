"""Two members' tracked versions of one paragraph merged: each member's wording stands.

Accepting every change of the merged paragraph reads as both members' edits
made together; rejecting every change reads as the draft. A deletion that
crosses a change of formatting (a bold word and the plain text after it) is
one edit, whatever the runs it spans.
"""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from briefing.ooxml.read.revisions import read_part
from briefing.ooxml.track.conflicts import insertion_conflicts, with_conflict_words
from briefing.ooxml.track.merge import DEL, INS, has_revisions, merge_paragraph, shift_ids
from briefing.ooxml.track.resolve import resolve_part
from briefing.ooxml.track.revids import Stamper
from tests.support.cxml import DEFAULT_DATE, body_of, w

W = f"{{{w.t().nsmap['w']}}}"


def bold():
    """Return new bold run properties (one element appended twice would move, not copy)."""
    return w.rPr(w.b())


def _draft():
    return w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour markets.")))


def _read(p: etree._Element, accept: bool) -> str:
    doc = body_of(etree.fromstring(etree.tostring(p)))
    resolve_part(doc, accept=accept)
    return "".join(t.text or "" for t in doc.iter(f"{{{w.t().nsmap['w']}}}t"))


def test_a_deletion_across_a_formatting_change_merges_with_another_members_edit():
    ann = w.p(w.del_(w.r(bold(), w.delText("Councils")), w.r(w.delText(" know")), author="Ann"),
              w.ins(w.r(w.t("Officials see")), author="Ann"),
              w.r(w.t(" their local labour markets.")))
    bob = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour ")),
              w.del_(w.r(w.delText("markets")), author="Bob"),
              w.ins(w.r(w.t("economies")), author="Bob"), w.r(w.t(".")))
    merged = merge_paragraph(_draft(), [ann, bob], Stamper("Officer", "2026-03-02T10:00:00Z"))
    assert merged is not None and merged.conflicts == []
    assert _read(merged.paragraph, accept=True) == "Officials see their local labour economies."
    assert _read(merged.paragraph, accept=False) == "Councils know their local labour markets."


def test_two_separate_deletions_by_one_member_stay_two_beside_another_members_edit():
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
              w.del_(w.r(w.delText("local ")), author="Ann"), w.r(w.t("labour ")),
              w.del_(w.r(w.delText("markets")), author="Ann"), w.r(w.t(".")))
    bob = w.p(w.del_(w.r(bold(), w.delText("Councils")), author="Bob"),
              w.ins(w.r(bold(), w.t("Officials")), author="Bob"),
              w.r(w.t(" know their local labour markets.")))
    merged = merge_paragraph(_draft(), [ann, bob], Stamper("Officer", "2026-03-02T10:00:00Z"))
    assert merged is not None and merged.conflicts == []
    assert _read(merged.paragraph, accept=True) == "Officials know their labour ."
    assert _read(merged.paragraph, accept=False) == "Councils know their local labour markets."


def test_a_word_one_member_inserted_mid_sentence_stands_beside_another_members_edit():
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
              w.ins(w.r(w.t("own ")), author="Ann"), w.r(w.t("local labour markets.")))
    bob = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour ")),
              w.del_(w.r(w.delText("markets")), author="Bob"),
              w.ins(w.r(w.t("economies")), author="Bob"), w.r(w.t(".")))
    merged = merge_paragraph(_draft(), [ann, bob], Stamper("Officer", "2026-03-02T10:00:00Z"))
    assert merged is not None and merged.conflicts == []
    assert _read(merged.paragraph, accept=True) == "Councils know their own local labour economies."
    assert _read(merged.paragraph, accept=False) == "Councils know their local labour markets."


def test_side_by_side_deletions_by_two_people_keep_their_own_authors():
    # A copy that passed through two people: Ann deleted "local ", Cat the word after it.
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
              w.del_(w.r(w.delText("local ")), author="Ann"),
              w.del_(w.r(w.delText("labour ")), author="Cat"), w.r(w.t("markets.")))
    bob = w.p(w.del_(w.r(bold(), w.delText("Councils")), author="Bob"),
              w.ins(w.r(bold(), w.t("Officials")), author="Bob"),
              w.r(w.t(" know their local labour markets.")))
    merged = merge_paragraph(_draft(), [ann, bob], Stamper("Officer", "2026-03-02T10:00:00Z"))
    assert merged is not None and merged.conflicts == []
    records, _ = read_part(body_of(merged.paragraph), "word/document.xml")
    assert [(r.author, r.kind, r.text) for r in records] == [
        ("Bob", "delete", "Councils"), ("Bob", "insert", "Officials"),
        ("Ann", "delete", "local "), ("Cat", "delete", "labour ")]


def test_three_members_rewording_the_same_words_offer_each_wording_once():
    # Ann, Bob and Cat each reword "local labour markets": one conflict, the words
    # deleted once and each member's wording kept as its own insertion to choose from.
    def reworded(who: str, words: str):
        return w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
                   w.del_(w.r(w.delText("local labour markets")), author=who),
                   w.ins(w.r(w.t(words)), author=who), w.r(w.t(".")))

    versions = [reworded("Ann", "regional economies"), reworded("Bob", "local employers"),
                reworded("Cat", "job markets")]
    merged = merge_paragraph(_draft(), versions, Stamper("Officer", "2026-03-02T10:00:00Z"))
    assert merged is not None
    assert [(a.text, b.text) for a, b in merged.conflicts] == [
        ("regional economies", "local employers"), ("regional economies", "job markets")]
    records, _ = read_part(body_of(merged.paragraph), "word/document.xml")
    assert [(r.author, r.kind, r.text) for r in records] == [
        ("Ann", "delete", "local labour markets"), ("Ann", "insert", "regional economies"),
        ("Bob", "insert", "local employers"), ("Cat", "insert", "job markets")]
    assert _read(merged.paragraph, accept=False) == "Councils know their local labour markets."


def _stamper() -> Stamper:
    return Stamper("Officer", "2026-03-02T10:00:00Z")


def _bob_economies():
    """Bob's version: "markets" replaced by "economies"."""
    return w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour ")),
               w.del_(w.r(w.delText("markets")), author="Bob"),
               w.ins(w.r(w.t("economies")), author="Bob"), w.r(w.t(".")))


def test_marks_word_leaves_in_a_saved_copy_do_not_stop_the_merge():
    # Word writes page-break and proofing marks, and smart tags, into the copies it saves
    ann = w.p(w.r(bold(), w.lastRenderedPageBreak(), w.t("Councils")),
              w.proofErr(type="spellStart"), w.r(w.t(" know their ")),
              w.proofErr(type="spellEnd"), w.ins(w.r(w.t("own ")), author="Ann"),
              w.smartTag(w.r(w.t("local")), element="place"), w.r(w.t(" labour markets.")))
    merged = merge_paragraph(_draft(), [ann, _bob_economies()], _stamper())
    assert merged is not None and merged.conflicts == []
    assert _read(merged.paragraph, accept=True) == "Councils know their own local labour economies."
    assert _read(merged.paragraph, accept=False) == "Councils know their local labour markets."


MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"


def _equation() -> etree._Element:
    math = etree.Element(f"{MATH}oMath")
    etree.SubElement(etree.SubElement(math, f"{MATH}r"), f"{MATH}t").text = "x"
    return math


BEYOND_TEXT = {
    "a footnote reference": lambda: w.r(w.footnoteReference(id="1")),
    "a footnote reference inside a hyperlink": lambda: w.hyperlink(
        w.r(w.footnoteReference(id="1")), anchor="notes"),
    "an equation": _equation,
}


@pytest.mark.parametrize("extra", BEYOND_TEXT)
def test_a_version_holding_more_than_text_is_not_merged_word_by_word(extra):
    # the caller then keeps one member's version whole and reports a conflict, so nothing
    # a member added beyond words is lost in the merge
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
              w.ins(w.r(w.t("own ")), author="Ann"), w.r(w.t("local labour markets.")),
              BEYOND_TEXT[extra]())
    assert merge_paragraph(_draft(), [ann, _bob_economies()], _stamper()) is None


def test_two_members_inserting_different_words_at_one_place_is_a_conflict():
    def inserted(who: str, words: str):
        return w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
                   w.ins(w.r(w.t(words)), author=who), w.r(w.t("local labour markets.")))

    merged = merge_paragraph(_draft(), [inserted("Ann", "own "), inserted("Bob", "regional ")],
                             _stamper())
    assert merged is not None
    assert [(a.text, b.text) for a, b in merged.conflicts] == [("own ", "regional ")]
    records, _ = read_part(body_of(merged.paragraph), "word/document.xml")
    assert [(r.author, r.kind, r.text) for r in records] == [("Ann", "insert", "own "),
                                                             ("Bob", "insert", "regional ")]


def test_the_same_change_made_by_two_members_is_made_once():
    def officials(who: str, *rest):
        return w.p(w.del_(w.r(bold(), w.delText("Councils")), author=who),
                   w.ins(w.r(bold(), w.t("Officials")), author=who), *rest)

    ann = officials("Ann", w.r(w.t(" know their local labour ")),
                    w.del_(w.r(w.delText("markets")), author="Ann"),
                    w.ins(w.r(w.t("economies")), author="Ann"), w.r(w.t(".")))
    bob = officials("Bob", w.r(w.t(" know their local labour markets.")))
    merged = merge_paragraph(_draft(), [ann, bob], _stamper())
    assert merged is not None and merged.conflicts == []
    records, _ = read_part(body_of(merged.paragraph), "word/document.xml")
    assert [(r.author, r.kind, r.text) for r in records] == [
        ("Ann", "delete", "Councils"), ("Ann", "insert", "Officials"),
        ("Ann", "delete", "markets"), ("Ann", "insert", "economies")]


def test_a_wording_accepted_takes_its_conflicts_words_when_another_conflict_has_none_left():
    # two conflicts in one paragraph; both wordings of the first were rejected by hand in
    # Word (its deletion is left alone); accepting Ann's wording of the second still
    # accepts the deletion of the words it replaces
    def version(who: str, first: str, last: str):
        return w.p(w.del_(w.r(bold(), w.delText("Councils")), author=who),
                   w.ins(w.r(bold(), w.t(first)), author=who),
                   w.r(w.t(" know their local labour ")),
                   w.del_(w.r(w.delText("markets")), author=who),
                   w.ins(w.r(w.t(last)), author=who), w.r(w.t(".")))

    merged = merge_paragraph(_draft(), [version("Ann", "Officials", "economies"),
                                        version("Bob", "Staff", "employers")], _stamper())
    assert merged is not None and len(merged.conflicts) == 2
    p = merged.paragraph
    for el in list(p.iter(INS))[:2]:  # "Officials" and "Staff" rejected
        p.remove(el)
    changes = list(p.iter(INS, DEL))
    assert [("".join(el.itertext()), el.tag == INS) for el in changes] == [
        ("Councils", False), ("markets", False), ("economies", True), ("employers", True)]
    assert with_conflict_words(changes, {2}, accept=True) == {1, 2}


def _formatted(p: etree._Element) -> list[tuple[str, str, str]]:
    """Return (kind, text, formatting) of each run of a merged paragraph: kind "insert",
    "delete" or "same", formatting the run's property names ("b", "i")."""
    out = []
    for r in p.iter(f"{W}r"):
        parent = r.getparent().tag
        kind = {f"{W}ins": "insert", f"{W}del": "delete"}.get(parent, "same")
        rpr = r.find(f"{W}rPr")
        names = "" if rpr is None else " ".join(etree.QName(c).localname for c in rpr)
        out.append((kind, "".join(t.text or "" for t in r if t.tag in (f"{W}t", f"{W}delText")),
                    names))
    return out


def test_the_merged_paragraph_keeps_the_draft_and_the_members_formatting_and_spaces():
    # Bob's wording is in italics, Ann's in bold; the draft's bold first word stays bold and
    # only that word; text with outer spaces keeps them in Word (xml:space="preserve")
    ann = w.p(w.del_(w.r(bold(), w.delText("Councils")), author="Ann"),
              w.ins(w.r(bold(), w.t("Officials")), author="Ann"),
              w.r(w.t(" know their local labour markets.")))
    bob = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour ")),
              w.del_(w.r(w.delText("markets")), author="Bob"),
              w.ins(w.r(w.rPr(w.i()), w.t("economies")), author="Bob"), w.r(w.t(".")))
    merged = merge_paragraph(_draft(), [ann, bob], _stamper())
    assert merged is not None and merged.conflicts == []
    assert _formatted(merged.paragraph) == [
        ("delete", "Councils", "b"), ("insert", "Officials", "b"),
        ("same", " know their local labour ", ""), ("delete", "markets", ""),
        ("insert", "economies", "i"), ("same", ".", "")]
    spaced = [t for t in merged.paragraph.iter(f"{W}t", f"{W}delText")
              if t.text != t.text.strip()]
    assert [t.text for t in spaced] == [" know their local labour "]
    assert all(t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
               for t in spaced)


def _marks(p: etree._Element) -> list[tuple[str, int]]:
    """Return each comment mark of a merged paragraph with the draft characters before it."""
    out, pos = [], 0
    for el in p:
        if el.tag == f"{W}ins":
            continue
        if el.tag in (f"{W}commentRangeStart", f"{W}commentRangeEnd"):
            out.append((etree.QName(el).localname, pos))
        elif el.find(f"{W}commentReference") is not None:
            out.append(("commentReference", pos))
        else:
            pos += len("".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText")))
    return out


def test_a_members_comment_keeps_its_words_in_the_merged_paragraph():
    # Ann comments on "local labour" and rewords the first word; Bob rewords the last
    ann = w.p(w.del_(w.r(bold(), w.delText("Councils")), author="Ann"),
              w.ins(w.r(bold(), w.t("Officials")), author="Ann"),
              w.r(w.t(" know their ")), w.commentRangeStart(id="5"),
              w.r(w.t("local labour")), w.commentRangeEnd(id="5"),
              w.r(w.rPr(w.rStyle(val="CommentReference")), w.commentReference(id="5")),
              w.r(w.t(" markets.")))
    merged = merge_paragraph(_draft(), [ann, _bob_economies()], _stamper())
    assert merged is not None and merged.conflicts == []
    at = len("Councils know their ")
    assert _marks(merged.paragraph) == [("commentRangeStart", at),
                                        ("commentRangeEnd", at + len("local labour")),
                                        ("commentReference", at + len("local labour"))]
    assert _read(merged.paragraph, accept=True) == "Officials know their local labour economies."


TOUCHING = {  # Ann's edit, which ends or starts where Bob's "local labour" -> "regional" does
    "a word inserted just before": ((w.ins(w.r(w.t("own ")), author="Ann"),
                                     w.r(w.t("local labour markets."))),
                                    "Councils know their own regional markets."),
    "a word inserted just after": ((w.r(w.t("local labour")),
                                    w.ins(w.r(w.t(" skilled")), author="Ann"),
                                    w.r(w.t(" markets."))),
                                   "Councils know their regional skilled markets."),
    "words deleted just after": ((w.r(w.t("local labour")),
                                  w.del_(w.r(w.delText(" markets")), author="Ann"), w.r(w.t("."))),
                                 "Councils know their regional."),
}


@pytest.mark.parametrize("case", TOUCHING)
def test_edits_that_only_touch_another_members_edit_both_stand(case):
    rest, accepted = TOUCHING[case]
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")), *copy.deepcopy(rest))
    bob = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
              w.del_(w.r(w.delText("local labour")), author="Bob"),
              w.ins(w.r(w.t("regional")), author="Bob"), w.r(w.t(" markets.")))
    merged = merge_paragraph(_draft(), [ann, bob], _stamper())
    assert merged is not None and merged.conflicts == []
    assert _read(merged.paragraph, accept=True) == accepted
    assert _read(merged.paragraph, accept=False) == "Councils know their local labour markets."


def test_a_deletion_across_two_runs_is_one_wording_in_a_conflict():
    # Ann replaced "Councils know" (a bold run and a plain one), Bob only "know": the
    # conflict offers each member's wording of all those words
    ann = w.p(w.del_(w.r(bold(), w.delText("Councils")), w.r(w.delText(" know")), author="Ann"),
              w.ins(w.r(w.t("Officials see")), author="Ann"),
              w.r(w.t(" their local labour markets.")))
    bob = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" ")),
              w.del_(w.r(w.delText("know")), author="Bob"), w.ins(w.r(w.t("see")), author="Bob"),
              w.r(w.t(" their local labour markets.")))
    merged = merge_paragraph(_draft(), [ann, bob], _stamper())
    assert merged is not None
    assert [(a.text, b.text) for a, b in merged.conflicts] == [("Officials see", "Councils see")]


@pytest.mark.parametrize("after", [True, False])
def test_words_inserted_beside_a_conflict_are_not_one_of_its_wordings(after):
    # Ann and Bob reword "local labour" differently; Cat inserts a word just after (or just
    # before) those words: Cat's insertion is no side of their conflict
    def reworded(who: str, words: str):
        return w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
                   w.del_(w.r(w.delText("local labour")), author=who),
                   w.ins(w.r(w.t(words)), author=who), w.r(w.t(" markets.")))

    cat = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour")),
              w.ins(w.r(w.t(" skilled")), author="Cat"), w.r(w.t(" markets."))) if after else \
        w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
            w.ins(w.r(w.t("own ")), author="Cat"), w.r(w.t("local labour markets.")))
    merged = merge_paragraph(_draft(), [reworded("Ann", "regional"),
                                        reworded("Bob", "local job"), cat], _stamper())
    assert merged is not None
    assert [(a.text, b.text) for a, b in merged.conflicts] == [("regional", "local job")]
    changes = [el for el in merged.paragraph if el.tag in (INS, DEL)]
    words = ["".join(el.itertext()) for el in changes]
    assert [(words[i], words[j]) for i, j in insertion_conflicts(changes)] == [
        ("regional", "local job")]
    assert [el.get(f"{W}author") for el in changes if "".join(el.itertext()) in (
        "regional", "local job")] == ["Ann", "Bob"]
    accepted = "Councils know their regional skilled markets." if after else \
        "Councils know their own regional markets."
    cat_then_ann = copy.deepcopy(merged.paragraph)
    for el in [c for c in cat_then_ann if c.tag == INS and "".join(c.itertext()) == "local job"]:
        cat_then_ann.remove(el)
    assert _read(cat_then_ann, accept=True) == accepted


def test_a_styled_draft_paragraph_merges_and_keeps_its_style():
    # every real paragraph carries its properties (a heading or list style): the members'
    # edits are still merged word by word and the merged paragraph keeps the draft's style
    def styled(*content):
        return w.p(w.pPr(w.pStyle(val="Heading2")), *content)

    ann = styled(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
                 w.ins(w.r(w.t("own ")), author="Ann"), w.r(w.t("local labour markets.")))
    bob = styled(*list(_bob_economies()))
    merged = merge_paragraph(styled(*list(_draft())), [ann, bob], _stamper())
    assert merged is not None and merged.conflicts == []
    assert _read(merged.paragraph, accept=True) == "Councils know their own local labour economies."
    assert merged.paragraph.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading2"


def test_a_draft_already_holding_a_tracked_change_is_not_merged_word_by_word():
    # the draft's own change would be read as text of the draft and credited to nobody
    draft = w.p(w.r(bold(), w.t("Councils")), w.del_(w.r(w.delText(" know")), author="Officer"),
                w.r(w.t(" their local labour markets.")))
    assert merge_paragraph(draft, [_bob_economies()], _stamper()) is None


def test_a_footnote_inside_a_members_insertion_is_not_lost_in_a_merge():
    # the insertion holds a footnote: merging word by word would drop the note
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour markets.")),
              w.ins(w.r(w.footnoteReference(id="1")), author="Ann"))
    assert merge_paragraph(_draft(), [ann, _bob_economies()], _stamper()) is None


def test_merged_changes_are_written_as_deleted_text_and_keep_each_members_date():
    # a deleted word is w:delText (Word shows it struck through, rejecting restores it), and
    # the officer sees when each member made each change
    ann = w.p(w.del_(w.r(bold(), w.delText("Councils")), author="Ann", date="2026-03-05T09:00:00Z"),
              w.ins(w.r(bold(), w.t("Officials")), author="Ann", date="2026-03-05T09:00:00Z"),
              w.r(w.t(" know their local labour markets.")))
    merged = merge_paragraph(_draft(), [ann, _bob_economies()], _stamper())
    assert merged is not None
    changes = [el for el in merged.paragraph if el.tag in (INS, DEL)]
    assert [(etree.QName(el).localname, el.get(f"{W}author"), el.get(f"{W}date"))
            for el in changes] == [("del", "Ann", "2026-03-05T09:00:00Z"),
                                   ("ins", "Ann", "2026-03-05T09:00:00Z"),
                                   ("del", "Bob", DEFAULT_DATE), ("ins", "Bob", DEFAULT_DATE)]
    for el in changes:
        kinds = {etree.QName(t).localname for t in el.iter(f"{W}t", f"{W}delText")}
        assert kinds == ({"delText"} if el.tag == DEL else {"t"})


def test_words_a_member_adds_at_the_end_of_the_paragraph_are_kept():
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their local labour markets.")),
              w.ins(w.r(w.t(" Ministers agree.")), author="Ann"))
    merged = merge_paragraph(_draft(), [ann, _bob_economies()], _stamper())
    assert merged is not None and merged.conflicts == []
    assert _read(merged.paragraph, accept=True) == \
        "Councils know their local labour economies. Ministers agree."


def test_a_word_inserted_after_a_space_takes_the_formatting_before_it():
    # Ann's inserted run has no formatting of its own: it reads like the plain space before
    # it, not like the bold word before that
    def bold(text: str):
        return w.r(w.rPr(w.b()), w.t(text))

    draft = w.p(bold("Councils"), w.r(w.t(" know their local labour markets.")))
    ann = w.p(bold("Councils"), w.r(w.t(" ")), w.ins(w.r(w.t("really ")), author="Ann"),
              w.r(w.t("know their local labour markets.")))
    merged = merge_paragraph(draft, [ann], _stamper())
    assert merged is not None
    assert _formatted(merged.paragraph) == [("same", "Councils", "b"), ("same", " ", ""),
                                            ("insert", "really ", ""),
                                            ("same", "know their local labour markets.", "")]


def test_a_members_double_space_is_kept_in_word():
    ann = w.p(w.r(bold(), w.t("Councils")), w.r(w.t(" know their ")),
              w.del_(w.r(w.delText("local")), author="Ann"),
              w.ins(w.r(w.t("local  and regional")), author="Ann"),
              w.r(w.t(" labour markets.")))
    merged = merge_paragraph(_draft(), [ann, _bob_economies()], _stamper())
    assert merged is not None
    (t,) = [t for t in merged.paragraph.iter(f"{W}t") if t.text == "local  and regional"]
    assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_a_bookmark_in_the_draft_keeps_its_place_in_the_merged_paragraph():
    # a cross-reference to the bookmark still points at the same words
    draft = w.p(w.r(bold(), w.t("Councils")), w.bookmarkStart(id="5", name="who"),
                w.r(w.t(" know their local labour markets.")))
    ann = w.p(w.r(bold(), w.t("Councils")), w.bookmarkStart(id="5", name="who"),
              w.r(w.t(" know their ")), w.ins(w.r(w.t("own ")), author="Ann"),
              w.r(w.t("local labour markets.")))
    merged = merge_paragraph(draft, [ann, _bob_economies()], _stamper())
    assert merged is not None
    names = [etree.QName(el).localname for el in merged.paragraph]
    assert names[:2] == ["r", "bookmarkStart"]
    assert "".join(merged.paragraph[0].itertext()) == "Councils"


def test_shift_ids_moves_every_numeric_id_up_and_returns_the_largest():
    # a member's added paragraphs get ids above every id the combined document uses
    p = w.p(w.ins(w.r(w.t("new")), author="Ann", id="3"), w.bookmarkStart(id="7", name="x"),
            w.bookmarkEnd(id="7"))
    assert shift_ids([p], 100) == 107
    assert sorted(el.get(f"{W}id") for el in p.iter() if el.get(f"{W}id")) == ["103", "107", "107"]


def test_has_revisions_tells_a_tracked_paragraph_from_a_plain_one():
    assert has_revisions(w.p(w.ins(w.r(w.t("new")), author="Ann"))) is True
    assert has_revisions(_draft()) is False


def test_two_members_inserting_at_one_place_are_offered_as_one_conflict_to_decide():
    # the officer's conflicts list pairs Ann's and Bob's words: both lie inside one conflict
    # bookmark, which opens before them and closes after them
    def inserted(who: str, words: str):
        return w.p(w.r(w.rPr(w.b()), w.t("Councils")), w.r(w.t(" know their ")),
                   w.ins(w.r(w.t(words)), author=who), w.r(w.t("local labour markets.")))

    merged = merge_paragraph(_draft(), [inserted("Ann", "own "), inserted("Bob", "regional ")],
                             _stamper())
    assert merged is not None
    names = [etree.QName(el).localname for el in merged.paragraph]
    assert names.count("bookmarkStart") == names.count("bookmarkEnd") == 1
    assert names.index("bookmarkStart") < names.index("ins") < names.index("bookmarkEnd")
    changes = [el for el in merged.paragraph if el.tag in (INS, DEL)]
    words = ["".join(el.itertext()) for el in changes]
    assert [(words[i], words[j]) for i, j in insertion_conflicts(changes)] == [
        ("own ", "regional ")]


def test_a_word_inserted_inside_words_another_member_replaced_is_a_conflict():
    # Ann adds "skilled" between "local" and "labour", Bob rewords "local labour": the
    # officer is asked which wording stands, not given both mixed together
    ann = w.p(w.r(w.rPr(w.b()), w.t("Councils")), w.r(w.t(" know their local ")),
              w.ins(w.r(w.t("skilled ")), author="Ann"), w.r(w.t("labour markets.")))
    bob = w.p(w.r(w.rPr(w.b()), w.t("Councils")), w.r(w.t(" know their ")),
              w.del_(w.r(w.delText("local labour")), author="Bob"),
              w.ins(w.r(w.t("regional")), author="Bob"), w.r(w.t(" markets.")))
    merged = merge_paragraph(_draft(), [ann, bob], _stamper())
    assert merged is not None
    assert [(a.text, b.text) for a, b in merged.conflicts] == [("local skilled labour",
                                                                "regional")]
