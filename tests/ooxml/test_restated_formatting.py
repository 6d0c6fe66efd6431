"""Direct formatting that only restates the styles is noise; formatting that differs is a change.

Before two drafts are compared, a paragraph's or run's own properties equal to
what its style (or the reader's default) gives are dropped: LibreOffice writes
them out in full, Word does not. What differs from the style stays, so a
changed indent or tab stop is a formatting change the officer can reject, and
ordinary direct formatting (spacing, indents, fonts, tab stops) never stops a
redline.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from briefing.clearance.redline import redline_result
from briefing.clearance.review import read_review, resolve_file
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import validate_ooxml
from tests.support.cxml import W, w, write_docx

TEXT = "Councils know their local labour markets."


def _styles(*tabs: str) -> etree._Element:
    """Return a styles part with the paragraph style 'Quote', with tab stops at `tabs`."""
    ppr = w.pPr(w.tabs(*(w.tab(val="left", pos=pos) for pos in tabs))) if tabs else w.pPr()
    return w.styles(w.style(w.name(val="Quote"), ppr, type="paragraph", styleId="Quote"))


def _quote(*props: etree._Element, text: str = TEXT) -> etree._Element:
    return w.p(w.pPr(w.pStyle(val="Quote"), *props), w.r(w.t(text)))


def _redline(tmp_path: Path, old, new, styles: etree._Element | None = None
             ) -> tuple[str, Path]:
    parts = {"word/styles.xml": styles} if styles is not None else None
    a = write_docx(tmp_path / "old.docx", [old], parts=parts)
    b = write_docx(tmp_path / "new.docx", [new], parts=parts)
    result = redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z")
    out = tmp_path / "out.docx"
    out.write_bytes(result.value)
    return result.messages[0].text, out


def _document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def _body_values(path: Path, tag: str, attr: str) -> list[str | None]:
    """Return `attr` of every `tag` in the body's paragraphs, tracked old properties left out."""
    root = _document(path)
    return [el.get(f"{{{W}}}{attr}") for el in root.iter(f"{{{W}}}{tag}")
            if not any(a.tag == f"{{{W}}}pPrChange" for a in el.iterancestors())]


def test_a_changed_indent_is_a_formatting_change_that_rejects_to_the_old_indent(tmp_path):
    def indented(left: str) -> etree._Element:
        return w.p(w.pPr(w.spacing(after="240"), w.ind(left=left)),
                   w.r(w.rPr(w.rFonts(ascii="Arial")), w.t(TEXT)))

    summary, out = _redline(tmp_path, indented("720"), indented("1440"))
    assert summary.startswith("0 insertions, 0 deletions"), summary
    assert [r.kind for r in read_review(out).revisions] == ["paragraph-format"]
    valid, report = validate_ooxml(out)
    assert valid, report
    rejected = resolve_file(out, tmp_path / "rejected.docx", accept=False).value
    assert _body_values(rejected, "ind", "left") == ["720"]


def test_left_alignment_spelt_out_is_no_change(tmp_path):
    # Left is what a reader does with no alignment at all (17.3.1.13).
    summary, _ = _redline(tmp_path, w.p(w.pPr(w.jc(val="left")), w.r(w.t(TEXT))),
                          w.p(w.r(w.t(TEXT))))
    assert summary.startswith("no differences found"), summary


def test_tab_stops_that_restate_the_style_are_no_change(tmp_path):
    summary, _ = _redline(tmp_path, _quote(), _quote(w.tabs(w.tab(val="left", pos="720"))),
                          _styles("720"))
    assert summary.startswith("no differences found"), summary


def test_a_paragraphs_own_tab_stops_other_than_its_styles_are_a_formatting_change(tmp_path):
    summary, out = _redline(tmp_path, _quote(), _quote(w.tabs(w.tab(val="left", pos="2880"))),
                            _styles("720"))
    assert [r.kind for r in read_review(out).revisions] == ["paragraph-format"], summary
    assert _body_values(out, "tab", "pos") == ["2880"]
    rejected = resolve_file(out, tmp_path / "rejected.docx", accept=False).value
    assert _body_values(rejected, "tab", "pos") == []


def test_a_paragraph_with_tab_stops_its_style_has_none_of_redlines_its_edit(tmp_path):
    tabs = w.tabs(w.tab(val="left", pos="2880"))
    summary, out = _redline(tmp_path, _quote(tabs),
                            _quote(etree.fromstring(etree.tostring(tabs)),
                                   text=TEXT.replace("local", "regional")),
                            _styles())
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [
        ("delete", "local"), ("insert", "regional")], summary
    assert _body_values(out, "tab", "pos") == ["2880"]


def test_formatting_a_linked_run_restates_from_its_style_is_no_change(tmp_path):
    # LibreOffice writes a link's run formatting out in full; a run inside a
    # w:hyperlink is still the paragraph's own, so its restated italic is noise.
    styles = w.styles(w.style(w.name(val="Quote"), w.pPr(), w.rPr(w.i()),
                              type="paragraph", styleId="Quote"))

    def linked(*rpr: etree._Element) -> etree._Element:
        return w.p(w.pPr(w.pStyle(val="Quote")), w.r(w.t("See the ")),
                   w.hyperlink(w.r(*rpr, w.t("objectives")), anchor="objectives"))

    summary, _ = _redline(tmp_path, linked(w.rPr(w.i(), w.lang(val="en-GB"))), linked(), styles)
    assert summary.startswith("no differences found"), summary


def _list_styles() -> etree._Element:
    return w.styles(w.style(w.name(val="List Bullet"),
                            w.pPr(w.numPr(w.ilvl(val="0"), w.numId(val="1"))),
                            type="paragraph", styleId="ListBullet"))


def _bullets() -> etree._Element:
    level = w.lvl(w.start(val="1"), w.numFmt(val="bullet"), w.lvlText(val="\u2022"), ilvl="0")
    return w.numbering(w.abstractNum(level, abstractNumId="0"),
                       w.num(w.abstractNumId(val="0"), numId="1"))


def test_a_list_paragraphs_own_numbering_survives_accepting_the_redline(tmp_path):
    # A paragraph's numbering (w:numPr) is never taken for restated formatting,
    # even when its list style names the same list: accepting every change
    # gives back the new draft's paragraph with its own numbering.
    def bullet(text: str) -> etree._Element:
        return w.p(w.pPr(w.pStyle(val="ListBullet"),
                         w.numPr(w.ilvl(val="0"), w.numId(val="1"))), w.r(w.t(text)))

    parts = {"word/styles.xml": _list_styles(), "word/numbering.xml": _bullets()}
    a = write_docx(tmp_path / "old.docx", [bullet(TEXT)], parts=parts)
    b = write_docx(tmp_path / "new.docx", [bullet(TEXT.replace("local", "regional"))],
                   parts=parts)
    out = tmp_path / "out.docx"
    out.write_bytes(redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z").value)
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [
        ("delete", "local"), ("insert", "regional")]
    valid, report = validate_ooxml(out)
    assert valid, report
    root = _document(out)
    resolve_part(root, accept=True)
    assert [(n.find(f"{{{W}}}ilvl").get(f"{{{W}}}val"), n.find(f"{{{W}}}numId").get(f"{{{W}}}val"))
            for n in root.iter(f"{{{W}}}numPr")] == [("0", "1")]


def test_a_deleted_bullet_gets_its_numbering_back_on_reject_if_the_new_draft_has_that_list(
        tmp_path):
    # An OLD paragraph shown as deleted keeps its w:numPr when NEW's numbering part
    # defines that list; a list NEW lacks would dangle, so its numPr is left out.
    def bullet(text: str, num_id: str) -> etree._Element:
        return w.p(w.pPr(w.numPr(w.ilvl(val="0"), w.numId(val=num_id))), w.r(w.t(text)))

    parts = {"word/numbering.xml": _bullets()}
    a = write_docx(tmp_path / "old.docx", [bullet("Housing supply.", "1"),
                                           bullet("Skills funding.", "7"), w.p(w.r(w.t(TEXT)))],
                   parts=parts)
    b = write_docx(tmp_path / "new.docx", [w.p(w.r(w.t(TEXT)))], parts=parts)
    out = tmp_path / "out.docx"
    out.write_bytes(redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z").value)
    valid, report = validate_ooxml(out)
    assert valid, report
    rejected = resolve_file(out, tmp_path / "rejected.docx", accept=False).value
    numbered = [("".join(p.itertext()), [n.get(f"{{{W}}}val") for n in p.iter(f"{{{W}}}numId")])
                for p in _document(rejected).iter(f"{{{W}}}p")]
    assert numbered == [("Housing supply.", ["1"]), ("Skills funding.", []), (TEXT, [])]


def test_centring_taken_off_a_paragraph_without_properties_rejects_to_centred(tmp_path):
    # NEW's paragraph has no w:pPr at all: the one made for the change goes first (17.3.1.22)
    summary, out = _redline(tmp_path, w.p(w.pPr(w.jc(val="center")), w.r(w.t(TEXT))),
                            w.p(w.r(w.t(TEXT))))
    assert summary.startswith("0 insertions, 0 deletions, 1 formatting change by Officer")
    assert [r.kind for r in read_review(out).revisions] == ["paragraph-format"]
    valid, report = validate_ooxml(out)
    assert valid, report
    rejected = resolve_file(out, tmp_path / "rejected.docx", accept=False).value
    assert _body_values(rejected, "jc", "val") == ["center"]


def test_unnamed_styles_are_not_taken_for_one_another(tmp_path):
    # styles are matched across the two drafts by name; two styles with no name are not
    # the same style, so a paragraph moved from one to the other is a formatting change
    def styled(sid: str, left: str) -> tuple[etree._Element, etree._Element]:
        styles = w.styles(w.style(w.pPr(w.ind(left=left)), type="paragraph", styleId=sid))
        return styles, w.p(w.pPr(w.pStyle(val=sid)), w.r(w.t(TEXT)))

    (old_styles, old), (new_styles, new) = styled("A", "720"), styled("B", "1440")
    a = write_docx(tmp_path / "old.docx", [old], parts={"word/styles.xml": old_styles})
    b = write_docx(tmp_path / "new.docx", [new], parts={"word/styles.xml": new_styles})
    out = tmp_path / "out.docx"
    out.write_bytes(redline_result(a, b, author="Officer", date="2026-03-02T10:00:00Z").value)
    assert [r.kind for r in read_review(out).revisions] == ["paragraph-format"]


def test_bold_switched_off_where_nothing_sets_it_is_no_change(tmp_path):
    # `<w:b w:val="0"/>` with no style making the text bold restates what it was
    summary, out = _redline(tmp_path, w.p(w.r(w.rPr(w.b(val="0")), w.t(TEXT))),
                            w.p(w.r(w.t(TEXT))))
    assert read_review(out).revisions == [], summary
