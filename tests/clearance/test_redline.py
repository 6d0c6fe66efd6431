"""Redline: NEW with tracked changes against OLD, read back by our reviewer and by LibreOffice."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from ruamel.yaml import YAML
from typer.testing import CliRunner

from briefing.clearance.redline import redline_bytes, redline_files, redline_result, revision_date
from briefing.clearance.review import read_review, resolve_file
from briefing.cli import app
from briefing.document.build import build_file
from briefing.errors import BriefingError
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.sourcemap import bookmark_name
from briefing.ooxml.track.resolve import resolve_part
from tests.clearance.test_review import sourced
from tests.conftest import ROOT, corpus_file, validate_ooxml
from tests.support.cxml import W, para, redline_paragraphs, run, source_map_parts, w, write_docx
from tests.support.redline_pairs import PAIRS, valid_zoom, write_doc, write_pair

runner = CliRunner()
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
REVISION_TAGS = ("ins", "del", "rPrChange", "pPrChange")


def _redline(tmp_path: Path, name: str, **kwargs) -> tuple[Path, Path, Path]:
    old, new = write_pair(tmp_path, name)
    out = tmp_path / f"{name}-out.docx"
    redline_files(old, new, out, author=kwargs.get("author", "Policy Officer"),
                  date=kwargs.get("date"))
    return old, new, out


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def _kinds(path: Path) -> list[tuple[str, str]]:
    return [(r.kind, r.text) for r in read_review(path).revisions]


# --- what a reviewer sees -----------------------------------------------------------------

def test_one_word_edit_is_one_deletion_and_one_insertion_of_that_word(tmp_path):
    _, _, out = _redline(tmp_path, "word-edit")
    assert _kinds(out) == [("delete", "programme"), ("insert", "scheme")]


def _page_field() -> list:
    """Return the runs of a PAGEREF field showing "4" (17.16.5: begin, code, separate, end)."""
    return [w.r(w.fldChar(fldCharType="begin")), w.r(w.instrText(" PAGEREF _Toc1 \\h ")),
            w.r(w.fldChar(fldCharType="separate")), w.r(w.t("4")),
            w.r(w.fldChar(fldCharType="end"))]


@pytest.mark.parametrize("kept", [True, False], ids=["field kept", "field deleted"])
def test_a_page_reference_is_kept_whole_or_deleted_whole_and_rejects_to_the_field(
        tmp_path, kept):
    old = w.p(run("See page "), *_page_field(), run(" for details."))
    new = (w.p(run("See page "), *_page_field(), run(" for the details.")) if kept
           else w.p(run("See the annex for details.")))
    _, out = redline_paragraphs(tmp_path, old, new)
    assert _kinds(out) == ([("insert", "the ")] if kept
                           else [("delete", "page 4"), ("insert", "the annex")])
    valid, report = validate_ooxml(out)
    assert valid, report
    root = Package.open(out).xml("word/document.xml")
    codes = [(etree.QName(el).localname, el.text) for el in root.iter(f"{{{W}}}instrText",
                                                                     f"{{{W}}}delInstrText")]
    assert codes == [("instrText" if kept else "delInstrText", " PAGEREF _Toc1 \\h ")]
    resolve_part(root, accept=False)
    assert [el.get(f"{{{W}}}fldCharType") for el in root.iter(f"{{{W}}}fldChar")] == [
        "begin", "separate", "end"]
    assert [el.text for el in root.iter(f"{{{W}}}instrText")] == [" PAGEREF _Toc1 \\h "]


def test_a_symbol_between_two_changed_words_is_left_untouched(tmp_path):
    """Lone spaces or punctuation between two changes fold into them; a symbol (a Wingdings
    arrow here, 17.3.3.30) is content of its own and stays outside both changes."""
    def sentence(verb: str, how: str):
        return w.p(run(f"Costs {verb}"), w.r(w.sym(font="Wingdings", char="F0E0")),
                   run(f" {how}."))

    _, out = redline_paragraphs(tmp_path, sentence("rose", "sharply"),
                                sentence("fell", "slightly"))
    assert _kinds(out) == [("delete", "rose"), ("insert", "fell"),
                           ("delete", "sharply"), ("insert", "slightly")]
    root = Package.open(out).xml("word/document.xml")
    (sym,) = root.iter(f"{{{W}}}sym")
    assert not any(etree.QName(a).localname in ("ins", "del") for a in sym.iterancestors())


def test_changes_carry_the_given_author_and_date(tmp_path):
    _, _, out = _redline(tmp_path, "paragraph-insert", author="Jo Bloggs",
                         date="2026-03-01T09:30:00+01:00")
    revisions = read_review(out).revisions
    assert revisions and {(r.author, r.date) for r in revisions} == {
        ("Jo Bloggs", "2026-03-01T08:30:00Z")}


@pytest.mark.parametrize(("name", "expected"), [
    ("paragraph-insert", [("insert", "New opening line."),
                          ("paragraph-insert", "New opening line."),
                          ("insert", "Second point added."),
                          ("paragraph-insert", "Second point added.")]),
    ("split", [("delete", " "),
               ("paragraph-insert",
                "Members want local commissioning of employment support. ")]),
    ("merge", [("delete", "."),
               ("paragraph-delete", "Councils know their labour markets."),
               ("delete", "They"), ("insert", " and")]),
    ("half-the-words-kept", [("delete", "local markets"), ("insert", "regional economies"),
                             ("delete", "Old closing remark here."),
                             ("paragraph-delete", "Old closing remark here."),
                             ("insert", "Something wholly new instead."),
                             ("paragraph-insert", "Something wholly new instead.")]),
    ("formatting", [("format", "important"), ("format", "emphasis")]),
    ("style-change", [("paragraph-format", "Key messages")]),
    ("table-cell-edit", [("delete", "120"), ("insert", "150")]),
    ("two-tables-edited", [("delete", "120"), ("insert", "150"), ("delete", "2m"),
                           ("insert", "3m")]),
])
def test_review_lists_the_expected_changes(tmp_path, name, expected):
    _, _, out = _redline(tmp_path, name)
    assert _kinds(out) == expected


def test_table_rows_are_inserted_and_deleted_whole(tmp_path):
    _, _, out = _redline(tmp_path, "table-row-insert-delete")
    kinds = _kinds(out)
    assert ("row-delete", "Leeds | 120 jobs") in kinds
    assert ("row-insert", "Wigan | 45 jobs") in kinds
    assert not [k for k in kinds if k[1].startswith("Derby")]


def test_unchanged_documents_give_no_changes(tmp_path):
    old, _ = write_pair(tmp_path, "reorder")
    out = tmp_path / "same.docx"
    result = redline_files(old, old, out)
    assert read_review(out).revisions == []
    assert result.messages[0].text == "no differences found (matched by content)"


def _with_header(path: Path, header: str, body: str) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph(body)
    valid_zoom(document)
    document.save(path)
    return path


def _header_text(path: Path) -> str:
    return docx.Document(str(path)).sections[0].header.paragraphs[0].text


def test_headers_are_redlined_too(tmp_path):
    old = _with_header(tmp_path / "old.docx", "OFFICIAL draft version 1", "Body.")
    new = _with_header(tmp_path / "new.docx", "OFFICIAL draft version 2", "Body.")
    out = tmp_path / "out.docx"
    redline_files(old, new, out, author="A")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [
        ("delete", "1"), ("insert", "2")]
    valid, report = validate_ooxml(out)
    assert valid, report
    accepted = resolve_file(out, tmp_path / "a.docx", accept=True).value
    rejected = resolve_file(out, tmp_path / "r.docx", accept=False).value
    assert (_header_text(accepted), _header_text(rejected)) == (
        "OFFICIAL draft version 2", "OFFICIAL draft version 1")



def test_headers_are_matched_by_section_and_type_not_by_part_name(tmp_path):
    # NEW gained a first-page header, written first: its default header is now
    # header2.xml, OLD's is header1.xml. The default headers are still compared with
    # each other, and the first-page header, which OLD lacks, is left as it is.
    old = _with_header(tmp_path / "old.docx", "OFFICIAL draft version 1", "Body.")
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Chairman's copy"
    section.header.paragraphs[0].text = "OFFICIAL draft version 2"
    document.add_paragraph("Body.")
    valid_zoom(document)
    new = tmp_path / "new.docx"
    document.save(new)
    out = tmp_path / "out.docx"
    redline_files(old, new, out, author="A")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [
        ("delete", "1"), ("insert", "2")]
    rejected = resolve_file(out, tmp_path / "r.docx", accept=False).value
    assert _header_text(rejected) == "OFFICIAL draft version 1"
    assert docx.Document(str(rejected)).sections[0].first_page_header.paragraphs[0].text == (
        "Chairman's copy")

# --- the package ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(PAIRS))
def test_output_is_valid_ooxml(tmp_path, name):
    _, _, out = _redline(tmp_path, name)
    valid, report = validate_ooxml(out)
    assert valid, report


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_accepting_every_change_gives_new_and_rejecting_gives_old(tmp_path, name):
    # our own resolver, as `briefing accept`/`reject` use it (LibreOffice's below)
    old, new, out = _redline(tmp_path, name)
    for accept, want in ((True, new), (False, old)):
        pkg = Package.open(out)
        root = pkg.xml(pkg.main_part)
        resolve_part(root, accept=accept)
        expected = Package.open(want)
        assert paragraph_texts(root) == paragraph_texts(expected.xml(expected.main_part)), accept


def test_revision_ids_are_unique_across_the_package_and_above_existing_ids(tmp_path):
    v1, v2 = _two_builds(tmp_path)
    xml = _document_xml(v2)
    before = [int(i) for i in re.findall(r'w:id="(\d+)"', _document_xml(v1))]
    ids = [int(i) for tag in REVISION_TAGS
           for i in re.findall(rf'<w:{tag} w:id="(\d+)"', xml)]
    assert len(ids) > 5
    assert len(ids) == len(set(ids))
    assert min(ids) > max(before)


def test_a_redlines_changes_share_no_id_with_a_bookmark_new_already_has(tmp_path):
    # NEW's bookmarks keep their ids in the output: a change numbered like one of them is,
    # to Word, the same annotation (ECMA-376 17.13.1), so changes are numbered above them all
    def marked(text):
        return w.p(*(w.bookmarkStart(id=str(n), name=f"mark{n}") for n in range(3)), run(text),
                   *(w.bookmarkEnd(id=str(n)) for n in range(3)))

    _, out = redline_paragraphs(tmp_path, marked("Members agreed."),
                                marked("Members warmly agreed."))

    body = Package.open(out).xml("word/document.xml")
    marks = {el.get(qn("w:id")) for el in body.iter(qn("w:bookmarkStart"))}
    changes = [el.get(qn("w:id")) for el in body.iter(qn("w:ins"), qn("w:del"))]
    assert marks == {"0", "1", "2"}
    assert changes and not marks & set(changes), changes


@pytest.mark.parametrize(("old", "new", "changes"), [
    # a rewritten sentence is one deletion and one insertion, not alternating words
    ("Councils agreed the plan.", "Members rejected every proposal.",
     [("delete", "Councils agreed the plan"), ("insert", "Members rejected every proposal")]),
    # a lone comma and space between two changed words goes with them
    ("Cats, dogs.", "Rats, hogs.", [("delete", "Cats, dogs"), ("insert", "Rats, hogs")]),
    # a spaced dash (three tokens) or a word (even one such as "s_106") stays kept text
    ("Cats - dogs.", "Rats - hogs.",
     [("delete", "Cats"), ("insert", "Rats"), ("delete", "dogs"), ("insert", "hogs")]),
    ("Cats-s_106-dogs.", "Rats+s_106+hogs.",
     [("delete", "Cats-"), ("insert", "Rats+"), ("delete", "-dogs"), ("insert", "+hogs")]),
])
def test_only_lone_spaces_or_punctuation_between_two_changes_are_folded_into_them(
        tmp_path, old, new, changes):
    _, out = redline_paragraphs(tmp_path, para(old), para(new))

    assert _kinds(out) == changes


def test_a_changed_first_word_of_a_paragraph_resplit_into_two_runs_is_the_only_change(tmp_path):
    # NEW keeps OLD's words after the change, but in two runs where OLD had one: the kept
    # text is walked across both, neither lost, doubled nor made a change
    _, out = redline_paragraphs(tmp_path, para("Councils agreed the plan."),
                                para(run("Members agreed "), run("the plan.")))

    assert _kinds(out) == [("delete", "Councils"), ("insert", "Members")]
    accepted = resolve_file(out, tmp_path / "accepted.docx", accept=True).value
    assert [p.text for p in docx.Document(accepted).paragraphs] == ["Members agreed the plan."]


def test_a_long_paragraph_keeps_its_common_words_between_two_changed_words(tmp_path):
    # in a long paragraph "and", "the" and spaces are common tokens: between two changed
    # words they must still be kept text, or "and the" is shown deleted and typed again
    middle = " ".join(f"point{n} and the" for n in range(60))
    _, out = redline_paragraphs(tmp_path, para(f"Cats and the dogs {middle} end."),
                                para(f"Rats and the hogs {middle} close."))

    assert sorted(_kinds(out)) == [("delete", "Cats"), ("delete", "dogs"), ("delete", "end"),
                                   ("insert", "Rats"), ("insert", "close"), ("insert", "hogs")]


def test_a_redline_against_an_old_draft_without_a_source_map_matches_by_content(tmp_path):
    # OLD was saved by an editor that drops custom XML parts, source map and all: NEW's
    # paragraphs are matched to OLD's by their text, so one added word is one insertion
    headline = "key_messages/local-commissioning/headline"
    old = write_docx(tmp_path / "old.docx", [para("Councils should commission support.")])
    new = write_docx(tmp_path / "new.docx",
                     [sourced(headline, 0, run("Councils should jointly commission support."))],
                     extra=source_map_parts({bookmark_name(headline): headline}))

    result = redline_result(old, new, author="Officer", date="2026-03-02T10:00:00Z")

    assert [m.text for m in result.messages] == [
        "1 insertion, 0 deletions, 0 formatting changes by Officer (matched by content)"]


def test_a_redline_of_documents_whose_main_part_is_not_word_document_xml(tmp_path):
    # the package relationship names the main part (some producers write word/document2.xml)
    old = write_docx(tmp_path / "old.docx", [para("Members agreed.")], main="document2.xml")
    new = write_docx(tmp_path / "new.docx", [para("Members warmly agreed.")],
                     main="document2.xml")
    out = tmp_path / "out.docx"

    redline_files(old, new, out, author="Officer", date="2026-03-02")

    assert Package.open(out).main_part == "word/document2.xml"
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [("insert", "warmly ")]


def test_revision_marks_follow_schema_order(tmp_path):
    _, _, out = _redline(tmp_path, "merge")
    xml = _document_xml(out)
    # inside a paragraph mark's rPr the revision comes first; w:rPr sits after other pPr parts
    assert re.search(r"<w:pPr><w:rPr><w:del w:id=", xml)


def test_date_defaults_to_now_in_utc_and_accepts_iso_dates():
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", revision_date())
    assert revision_date("2026-03-01") == "2026-03-01T00:00:00Z"
    assert revision_date("2026-03-01T10:00:00Z") == "2026-03-01T10:00:00Z"


def test_new_may_be_given_as_bytes(tmp_path):
    old, new = write_pair(tmp_path, "word-edit")
    data = redline_bytes(old, new.read_bytes(), author="A", date="2026-01-02")
    out = tmp_path / "out.docx"
    out.write_bytes(data)
    assert _kinds(out) == [("delete", "programme"), ("insert", "scheme")]


# --- fidelity: LibreOffice accepts and rejects ----------------------------------------------

def _assert_fidelity(lo, old: Path, new: Path, out: Path) -> None:
    assert lo.accept_all_paragraphs(out) == lo.paragraphs(new)
    assert lo.reject_all_paragraphs(out) == lo.paragraphs(old)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_libreoffice_accept_gives_new_and_reject_gives_old(tmp_path, lo, name):
    _assert_fidelity(lo, *_redline(tmp_path, name))


@pytest.mark.libreoffice
@pytest.mark.corpus
@pytest.mark.parametrize("revised", ["RevisedByBob.docx", "RevisedByMary.docx"])
def test_corpus_compare_inputs(tmp_path, lo, revised):
    old = corpus_file("Open-Xml-PowerTools/Original.docx")
    new = corpus_file(f"Open-Xml-PowerTools/{revised}")
    out = tmp_path / "out.docx"
    redline_files(old, new, out, author="Policy Officer")
    valid, report = validate_ooxml(out)
    assert valid, report
    _assert_fidelity(lo, old, new, out)
    assert {r.author for r in read_review(out).revisions} == {"Policy Officer"}


@pytest.mark.corpus
@pytest.mark.parametrize(("revised", "expected"), [
    ("RevisedByBob.docx", [("delete", "Said simply, "),
                           ("insert", "  Don\u2019t forget to add the note about fusce est.")]),
    ("RevisedByMary.docx", [("insert", "  Talked to Bob \u2013 remember fusce est."),
                            ("insert", ("Video provides a powerful way to help you prove your "
                                       "point."))]),
])
def test_corpus_compare_inputs_give_the_expected_changes(tmp_path, revised, expected):
    old = corpus_file("Open-Xml-PowerTools/Original.docx")
    new = corpus_file(f"Open-Xml-PowerTools/{revised}")
    out = tmp_path / "out.docx"
    redline_files(old, new, out, author="Policy Officer")
    revisions = read_review(out).revisions
    assert [(r.kind, r.text) for r in revisions] == expected
    assert {r.author for r in revisions} == {"Policy Officer"}


REAL_REVISED = [
    "SuperDoc/msword-tracked-changes.docx",
    "Open-Xml-PowerTools/RP048-Deleted-Inserted-Para-Mark.docx",
    "Open-Xml-PowerTools/RP011-Multiple-Deleted-Rows.docx",
    "Open-Xml-PowerTools/RP012-Multiple-Inserted-Rows.docx",
    "Open-Xml-PowerTools/TestDocument.docx",
    "pandoc/paragraph_insertion_deletion.docx",
    "libreoffice/libreoffice-7.4-recorded-changes-2authors.docx",
]


@pytest.mark.libreoffice
@pytest.mark.corpus
@pytest.mark.parametrize("relative", REAL_REVISED)
def test_redline_recovers_real_reviews(tmp_path, lo, relative):
    """OLD and NEW are a real reviewed file with every change rejected / accepted by LibreOffice."""
    reviewed = corpus_file(relative)
    old = lo.reject_all_save(reviewed, tmp_path / "old.docx")
    new = lo.accept_all_save(reviewed, tmp_path / "new.docx")
    out = tmp_path / "out.docx"
    redline_files(old, new, out, author="Policy Officer")
    _assert_fidelity(lo, old, new, out)


# --- two builds of a briefing: matched by source id ----------------------------------------

def _two_builds(tmp_path: Path) -> tuple[Path, Path]:
    """Return (v1.docx, v2.docx): v2 edits a key message, swaps two and adds one, --since v1."""
    yaml = YAML()
    data = yaml.load(SAMPLE.read_text(encoding="utf-8"))
    v1_yaml = tmp_path / "v1.yaml"
    shutil.copy(SAMPLE, v1_yaml)
    km = data["key_messages"]
    km[0]["headline"] = km[0]["headline"].replace("help commission", "jointly commission")
    km[1]["priority"], km[2]["priority"] = km[2]["priority"], km[1]["priority"]
    km[1], km[2] = km[2], km[1]
    km.append({"id": "data-sharing",
               "headline": "DWP should share claimant data with councils as a matter of course.",
               "points": ["Councils cannot target support at people they cannot see."],
               "suggested_by": ["Lead members, September 2010"]})
    v2_yaml = tmp_path / "v2.yaml"
    with open(v2_yaml, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    v1 = build_file(v1_yaml, out=tmp_path / "v1.docx").value
    v2 = build_file(v2_yaml, out=tmp_path / "v2.docx", since=v1, author="Policy Officer").value
    return v1, v2


def test_two_builds_are_matched_by_source_id(tmp_path):
    _, v2 = _two_builds(tmp_path)
    revisions = read_review(v2).revisions
    items = {r.item for r in revisions}
    assert {r.author for r in revisions} == {"Policy Officer"}
    assert [(r.kind, r.text) for r in revisions
            if r.item == "key_messages/local-commissioning/headline"] == [
        ("delete", "help"), ("insert", "jointly")]
    assert any(i and i.startswith("key_messages/data-sharing/") for i in items)
    # one of the two swapped messages moves whole: deleted at its old place, inserted at the
    # new one (the deleted copy is OLD text: the source bookmark marks the inserted copy)
    headlines = {km["id"]: km["headline"] for km in YAML().load(SAMPLE.read_text("utf-8"))[
        "key_messages"]}
    swapped = ["partnership-not-centralism", "local-labour-markets"]
    kinds = [(r.kind, r.text, r.item) for r in revisions]
    moved = [m for m in swapped
             if ("insert", headlines[m], f"key_messages/{m}/headline") in kinds
             and ("delete", headlines[m], None) in kinds]
    assert len(moved) == 1
    stayed = (set(swapped) - set(moved)).pop()
    assert not [r for r in revisions if r.item and r.item.startswith(f"key_messages/{stayed}/")]
    # member comments and case studies follow the key messages they relate to; nothing else moves
    untouched = {i for i in items if i and i.split("/")[0] not in
                 ("key_messages", "member_comments", "case_studies")}
    assert untouched == set()


@pytest.mark.libreoffice
def test_two_builds_fidelity(tmp_path, lo):
    v1, v2 = _two_builds(tmp_path)
    clean_v2 = tmp_path / "v2-clean.docx"
    yaml_v2 = tmp_path / "v2.yaml"
    build_file(yaml_v2, out=clean_v2)
    valid, report = validate_ooxml(v2)
    assert valid, report
    _assert_fidelity(lo, v1, clean_v2, v2)


# --- the command line -----------------------------------------------------------------------

def test_cli_writes_the_redline(tmp_path):
    old, new = write_pair(tmp_path, "word-edit")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(out),
                                 "--author", "Jo Bloggs", "--date", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    assert ("info: 1 insertion, 1 deletion, 0 formatting changes by Jo Bloggs "
            "(matched by content)") in result.stderr
    assert 'w:author="Jo Bloggs" w:date="2026-03-01T00:00:00Z"' in _document_xml(out)


def test_cli_refuses_to_overwrite_without_force(tmp_path):
    old, new = write_pair(tmp_path, "word-edit")
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep me")
    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{out}: already exists; use --force to replace it"
    assert out.read_bytes() == b"keep me"
    assert runner.invoke(app, ["redline", str(old), str(new), "-o", str(out),
                               "--force"]).exit_code == 0


def test_redline_files_called_without_force_never_replaces_an_existing_output(tmp_path):
    # the web app and scripts call redline_files directly: replacing is theirs to ask for
    old, new = write_pair(tmp_path, "word-edit")
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep me")

    with pytest.raises(BriefingError, match="already exists; use --force to replace it"):
        redline_files(old, new, out, author="Officer")

    assert out.read_bytes() == b"keep me"


def test_cli_never_writes_over_an_input(tmp_path):
    old, new = write_pair(tmp_path, "word-edit")
    before = new.read_bytes()
    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(new), "--force"])
    assert result.exit_code == 1
    assert "is an input; redline never changes its inputs" in result.stderr
    assert new.read_bytes() == before


def test_cli_refuses_a_file_that_is_not_a_word_document(tmp_path):
    _, new = write_pair(tmp_path, "word-edit")
    bad = tmp_path / "notes.docx"
    bad.write_text("just text", encoding="utf-8")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["redline", str(bad), str(new), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{bad}: not a Word document (.docx files are zip packages)")
    assert not out.exists()


@pytest.mark.parametrize("side", ["old", "new"])
def test_cli_refuses_a_document_without_a_body(tmp_path, side):
    pair = dict(zip(("old", "new"), write_pair(tmp_path, "word-edit")))
    pkg = Package.open(pair[side])
    root = pkg.xml(pkg.main_part)
    root.remove(root.find(qn("w:body")))
    pkg.save(pair[side])
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["redline", str(pair["old"]), str(pair["new"]), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{pair[side]}: the document has no body"
    assert not out.exists()


def test_cli_refuses_a_bad_date(tmp_path):
    old, new = write_pair(tmp_path, "word-edit")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(out),
                                 "--date", "next Tuesday"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "--date: 'next Tuesday' is not an ISO 8601 date "
        "(for example 2026-03-01 or 2026-03-01T09:30:00Z)")
    assert not out.exists()


def test_cli_refuses_tracked_changes_already_in_old(tmp_path):
    _, new, redlined = _redline(tmp_path, "merge")
    out = tmp_path / "out.docx"
    before = redlined.read_bytes()
    result = runner.invoke(app, ["redline", str(redlined), str(new), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{redlined}: holds 4 tracked changes; a redline would flatten them. "
        f"Accept or reject them first (briefing accept {redlined} -o CLEAN.docx) "
        "and redline the clean copy")
    assert not out.exists()
    assert redlined.read_bytes() == before


def test_cli_refuses_comments_in_new(tmp_path):
    old = write_doc(tmp_path / "old.docx", ["A paragraph members commented on."])
    document = docx.Document(str(old))
    paragraph = document.paragraphs[0]
    document.add_comment(paragraph.runs, text="Too vague", author="Cllr Example")
    new = tmp_path / "new.docx"
    document.save(new)
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{new}: holds 1 comment; a redline would flatten them. "
        f"Accept or reject them first (briefing accept {new} -o CLEAN.docx --drop-comments) "
        "and redline the clean copy")
    assert not out.exists()


def test_cli_build_since_writes_tracked_changes_by_the_author(tmp_path):
    v1_yaml = tmp_path / "v1.yaml"
    shutil.copy(SAMPLE, v1_yaml)
    v1 = tmp_path / "v1.docx"
    assert runner.invoke(app, ["build", str(v1_yaml), "-o", str(v1)]).exit_code == 0
    text = v1_yaml.read_text(encoding="utf-8")
    v2_yaml = tmp_path / "v2.yaml"
    v2_yaml.write_text(text.replace("help commission", "jointly commission"), encoding="utf-8")
    v2 = tmp_path / "v2.docx"
    result = runner.invoke(app, ["build", str(v2_yaml), "-o", str(v2), "--since", str(v1),
                                 "--author", "Jo Bloggs"])
    assert result.exit_code == 0, result.output
    assert [(r.kind, r.text, r.author) for r in read_review(v2).revisions] == [
        ("delete", "help", "Jo Bloggs"), ("insert", "jointly", "Jo Bloggs")]


def test_cli_build_since_refuses_a_missing_previous_draft(tmp_path):
    v1_yaml = tmp_path / "v1.yaml"
    shutil.copy(SAMPLE, v1_yaml)
    out = tmp_path / "v2.docx"
    missing = tmp_path / "v1.docx"
    result = runner.invoke(app, ["build", str(v1_yaml), "-o", str(out), "--since", str(missing)])
    assert result.exit_code == 1
    assert f"{missing}: no such file" in result.stderr
    assert not out.exists()


@pytest.mark.libreoffice
def test_a_rewritten_document_keeps_fidelity(tmp_path, lo):
    """Every paragraph changed: the large-region alignment path still accepts and rejects exactly."""
    old_blocks = [f"Paragraph {i} says the council will review item {i} in spring."
                  for i in range(120)]
    new_blocks = [f"Paragraph {i} says the board agreed item {i * 7 % 120} last autumn."
                  if i % 3 else f"Entirely new text number {i}." for i in range(110)]
    old = write_doc(tmp_path / "old.docx", old_blocks)
    new = write_doc(tmp_path / "new.docx", new_blocks)
    out = tmp_path / "out.docx"
    redline_files(old, new, out)
    _assert_fidelity(lo, old, new, out)


@pytest.mark.parametrize(("login", "author"), [
    ("jbloggs", "jbloggs"),  # the person running the command
    ("root", "briefing"),  # an administrator's shell names no person
    ("", "briefing"),
    (OSError("no login name"), "briefing"),
])
def test_changes_without_author_are_named_after_the_login_or_briefing(tmp_path, monkeypatch,
                                                                     login, author):
    def getuser() -> str:
        if isinstance(login, Exception):
            raise login
        return login

    monkeypatch.setattr("getpass.getuser", getuser)
    old, new = write_pair(tmp_path, "word-edit")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["redline", str(old), str(new), "-o", str(out)])

    assert result.exit_code == 0, result.output
    assert {r.author for r in read_review(out).revisions} == {author}
