"""absorb: cleared wording goes back into the YAML in place; everything else stays byte for byte."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefing.clearance.absorb import absorb_file, merge_lists, update_yaml
from briefing.clearance.absorb.compare import Change
from briefing.clearance.absorb.record import describe
from briefing.cli import app
from briefing.document.build import build_file
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.ooxml.sourcemap import SourceMap, record_reviewers
from briefing.results import word_diff

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "absorb" / "briefing.yaml"
HEADLINE = "Councils should help commission the Work Programme, not watch from the side-lines."
POINT_1 = "They know which providers deliver and where the gaps in local provision are."
POINT_2 = "A commissioning role can be tested in a handful of areas before any wider change."
CIVIL = "Civil servants say they want to work in partnership with local government."

runner = CliRunner()


def remove(p) -> None:
    p._element.getparent().remove(p._element)


def remove_between(document, first: str, stop: str) -> None:
    """Remove the paragraphs from the one starting with `first` up to (not including) the
    next one starting with `stop`."""
    ps = document.paragraphs
    start = next(i for i, p in enumerate(ps) if p.text.startswith(first))
    end = next(i for i, p in enumerate(ps) if i > start and p.text.startswith(stop))
    for p in ps[start:end]:
        remove(p)


def reviewed_by(docx_path: Path, reviewers: dict[str, int], dest: Path | None = None) -> Path:
    """Save `docx_path` (or a copy at `dest`) recording `reviewers` as its source map's."""
    pkg = Package.open(docx_path)
    record_reviewers(pkg, reviewers)
    out = dest or docx_path
    pkg.save(out)
    return out


def edit_docx(src: Path, dest: Path, fn) -> Path:
    """Save a copy of `src` as `dest` after `fn(document)` changes it (python-docx)."""
    document = docx.Document(str(src))
    fn(document)
    document.save(str(dest))
    return dest


def para(document, starts: str):
    return next(p for p in document.paragraphs if p.text.startswith(starts))


def member_edits(document) -> None:
    """Edits a lead member might make: one loses the bookmark, one keeps it, one added, one cut."""
    p = para(document, HEADLINE)
    p.text = HEADLINE.replace("should help", "must help")  # replaces the runs: bookmark lost
    para(document, POINT_1).runs[0].text = "They know which providers work best."
    para(document, POINT_2).insert_paragraph_before("Councils will share their data.")
    p = para(document, CIVIL)
    p._element.getparent().remove(p._element)


def diff_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_unedited_document_leaves_the_yaml_byte_identical(sample, tmp_path):
    yaml = tmp_path / sample.name
    shutil.copyfile(sample, yaml)
    out = tmp_path / "draft.docx"
    build_file(yaml, out=out)
    before = yaml.read_bytes()

    result = invoke("absorb", str(out), "--into", str(yaml))

    assert result.exit_code == 0, result.output
    assert f"{yaml}: nothing to absorb from {out}; the file is unchanged" in result.stdout
    assert yaml.read_bytes() == before


def test_edited_fields_and_list_items_are_absorbed_in_place(built, tmp_path):
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")
    cleared = edit_docx(draft, tmp_path / "cleared.docx", member_edits)

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{yaml}: absorbed 4 changes from {cleared}",
        "  key_messages[local-commissioning].headline: Councils [-should-]{+must+} help "
        "commission the …",
        ("  key_messages[local-commissioning].points[1]: … know which providers [-deliver and "
         "where the gaps in local provision are-]{+work best+}."),
        "  key_messages[local-commissioning].points[2]: added 'Councils will share their data.'",
        ("  key_messages[partnership-not-centralism].points[0]: deleted 'Civil servants say "
        "they want to work in partnership with local govern…'"),
    ]
    after = yaml.read_text(encoding="utf-8")
    assert diff_lines(before, after) == [
        f"-    headline: {HEADLINE}",
        f"+    headline: {HEADLINE.replace('should help', 'must help')}",
        f"-      - {POINT_1}",
        "+      - They know which providers work best.",
        "+      - Councils will share their data.",
        f"-      - {CIVIL}",
    ]


def test_absorbing_the_same_document_twice_changes_nothing_more(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx", member_edits)
    assert invoke("absorb", str(cleared), "--into", str(yaml), "--no-record").exit_code == 0
    once = yaml.read_bytes()

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert "nothing to absorb" in result.stdout
    assert yaml.read_bytes() == once


def test_edits_map_to_fields_when_every_bookmark_is_lost(built, tmp_path):
    yaml, draft = built

    def strip_bookmarks_and_edit(document):
        body = document.element.body
        for el in body.xpath(".//w:bookmarkStart | .//w:bookmarkEnd"):
            el.getparent().remove(el)
        member_edits(document)

    cleared = edit_docx(draft, tmp_path / "cleared.docx", strip_bookmarks_and_edit)
    result = absorb_file(cleared, yaml, record=False)

    assert result.value.splitlines()[0] == f"{yaml}: absorbed 4 changes from {cleared}"
    text = yaml.read_text(encoding="utf-8")
    assert "Councils must help commission" in text and CIVIL not in text
    assert "      - They know which providers work best.\n" \
           "      - Councils will share their data.\n" in text


def test_a_paragraph_rewritten_beyond_recognition_still_maps_to_its_field(built, tmp_path):
    yaml, draft = built
    new = "Local government must be a commissioner of employment support."
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: setattr(para(d, HEADLINE), "text", new))

    result = absorb_file(cleared, yaml, record=False)

    assert result.value.splitlines()[1:] == [
        ("  key_messages[local-commissioning].headline: [-Councils should help commission the "
         f"Work Programme, not watch from the side-lines-]{{+{new[:-1]}+}}.")]
    assert f"    headline: {new}\n" in yaml.read_text(encoding="utf-8")


def test_a_headline_rewritten_beyond_recognition_beside_a_deleted_point_keeps_its_field(
        built, tmp_path):
    yaml, draft = built
    before = yaml.read_text(encoding="utf-8")
    first = "Councils already fund and run employment support in most areas."
    new = "Let places lead: DWP should share its budget."

    def edit(document):
        para(document, HEADLINE).text = new  # its runs replaced: the bookmark is lost
        remove(para(document, first))

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr  # a headline cannot go: it was rewritten, not deleted
    assert result.stdout.splitlines()[1:] == [
        "  key_messages[local-commissioning].headline: [-Councils-]{+Let places lead: DWP+} "
        "should [-help commission the Work Programme, not watch from the side-lines-]"
        "{+share its budget+}.",
        f"  key_messages[local-commissioning].points[0]: deleted '{first}'"]
    assert diff_lines(before, yaml.read_text(encoding="utf-8")) == [
        f"-    headline: {HEADLINE}", f'+    headline: "{new}"', f"-      - {first}"]


def test_a_field_cut_short_beside_a_deleted_one_is_still_found_by_its_bookmark(
        built, tmp_path):
    yaml, draft = built

    def edit(document):
        para(document, "Senior Policy Consultant").runs[0].text = "Adviser"  # bookmark kept
        remove(para(document, "Philip Mind"))

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = absorb_file(cleared, yaml, dry_run=True, record=False)

    assert result.value.splitlines()[1:] == [
        "  contact.position: [-Senior Policy Consultant-]{+Adviser+}"]
    assert [m.text for m in result.messages] == [
        f"{cleared}: paragraph 48 (under \"Contact\"): contact.name deleted ('Philip Mind'); "
        "not absorbed: a briefing needs it: edit the YAML by hand"]


def test_document_without_its_source_map_is_compared_with_the_yaml(built, tmp_path):
    yaml, draft = built

    def drop_source_map(document):
        member_edits(document)
        part = document.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith("/customXml"):
                part.drop_rel(rid)

    cleared = edit_docx(draft, tmp_path / "cleared.docx", drop_source_map)
    result = invoke("absorb", str(cleared), "--into", str(yaml), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"{yaml}: 4 changes to absorb from {cleared} (dry run: nothing written)")
    assert (f"warning: {cleared}: does not record the data it was built from; comparing it "
            f"with {yaml} as it is now, so changes made to {yaml} since the build would be "
            "undone: check with --dry-run first") in result.stderr


def test_dry_run_prints_the_changes_and_writes_nothing(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: setattr(para(d, POINT_1).runs[0], "text", "Shorter point."))

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{yaml}: 1 change to absorb from {cleared} (dry run: nothing written)",
        ("  key_messages[local-commissioning].points[1]: [-They know which providers deliver "
         "and where the gaps in local provision are-]{+Shorter point+}."),
    ]
    assert yaml.read_bytes() == before


def located(docx_path: Path, text: str) -> str:
    """Return how absorb locates the paragraph whose text is `text`: number and heading."""
    heading = None
    for p in read_paragraphs(Package.open(docx_path)):
        if p.text == text:
            if heading and len(heading) > 50:  # long headings are cut short
                heading = heading[:49] + "…"
            under = f' (under "{heading}")' if heading else ""
            return f"paragraph {p.number}{under}"
        if p.heading:
            heading = p.text
    raise AssertionError(f"no paragraph {text!r}")


def test_headings_fixed_wording_and_derived_lines_are_reported_not_absorbed(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    question = "Do councils have the capacity to do this?"
    attribution = next(p.text for p in read_paragraphs(Package.open(draft))
                       if p.text.startswith("Regeneration and Transport Board, 14 July"))

    def edit(document):
        para(document, "Objectives").runs[0].text = "Our objectives"
        p = para(document, "If asked: ")
        for run in p.runs[1:]:
            run._element.getparent().remove(run._element)
        p.runs[0].text = f"If pressed: {question}"
        p = para(document, attribution)
        for run in p.runs[1:]:
            run._element.getparent().remove(run._element)
        p.runs[0].text = "Board meeting, July 2010"

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 0, result.output
    assert f"{yaml}: nothing to absorb from {cleared}; the file is unchanged" in result.stdout
    assert result.stderr.splitlines()[:3] == [
        (f"warning: {cleared}: {located(draft, 'Objectives')}: heading changed from "
        "'Objectives' to 'Our objectives'; not absorbed: headings come from the template"),
        (f"warning: {cleared}: {located(draft, attribution)}: line built from several fields "
        f"changed from '{attribution}' to 'Board meeting, July 2010'; not absorbed: edit the "
        "fields it is built from in the YAML"),
        (f"warning: {cleared}: {located(draft, 'If asked: ' + question)}: fixed wording around "
        f"a field changed from 'If asked: {question}' to 'If pressed: {question}'; not "
        "absorbed: it comes from the template, not the YAML"),
    ]
    assert yaml.read_bytes() == before


def test_new_paragraph_outside_any_list_is_reported(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: para(d, "Reference: ").insert_paragraph_before(
                            "A stray remark."))

    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 0, result.output
    # title, status note, prepared note, the stray remark (no marking line in the body)
    assert (f"warning: {cleared}: paragraph 4 (under \"Meeting with the Secretary of State "
            "for Work and …\"): new paragraph "
            "'A stray remark.' is not part of a list the YAML holds; not absorbed: add it "
            "to the YAML by hand") in result.stderr
    assert yaml.read_bytes() == before


def add_revisions(document) -> None:
    """Leave three tracked changes by two members in the point paragraph."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def revision(tag, rid, author, text):
        t = "w:delText" if tag == "del" else "w:t"
        return parse_xml(f'<w:{tag} {nsdecls("w")} w:id="{rid}" w:author="{author}" '
                         f'w:date="2010-09-21T10:00:00Z"><w:r><{t} xml:space="preserve">'
                         f"{text}</{t}></w:r></w:{tag}>")

    p = para(document, POINT_1)._element
    p.append(revision("ins", 901, "Cllr Hart", " Really."))
    p.append(revision("del", 902, "Cllr Hart", " Gone."))
    p.append(revision("ins", 903, "Cllr Patel", " Also."))


def test_document_with_pending_changes_is_refused(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    reviewed = edit_docx(draft, tmp_path / "reviewed.docx", add_revisions)

    result = invoke("absorb", str(reviewed), "--into", str(yaml))

    assert result.exit_code == 1
    assert result.stderr == (
        f"{reviewed}: 3 tracked changes still to accept or reject (by Cllr Hart (2), "
        f"Cllr Patel (1)); clear them first with `briefing accept {reviewed} -o CLEARED.docx` "
        f"or `briefing reject {reviewed} -o CLEARED.docx` (--author and --item choose which), "
        "then absorb the cleared copy\n")
    assert yaml.read_bytes() == before


def test_conflict_lists_the_field_and_changes_nothing(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx", member_edits)
    moved_on = yaml.read_text(encoding="utf-8").replace(
        HEADLINE, "Councils should commission the Work Programme.")
    yaml.write_text(moved_on, encoding="utf-8")

    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 1
    assert result.stderr == (
        f"{yaml}: changed since {cleared} (version 2) was built, and the same fields changed "
        "in both:\n"
        "  key_messages[local-commissioning].headline: changed in both the YAML and the "
        "document\n"
        f"nothing was changed; make these edits in {yaml} by hand, or rebuild the document "
        "and review it again\n")
    assert yaml.read_text(encoding="utf-8") == moved_on


def test_a_list_removed_from_the_yaml_but_edited_in_the_document_is_a_conflict(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: setattr(para(d, POINT_1).runs[0], "text",
                                          "They know which providers work best."))
    text = yaml.read_text(encoding="utf-8")
    start = text.index("    points:\n      - Councils already")
    moved_on = text[:start] + text[text.index("    suggested_by:\n      - Regeneration"):]
    yaml.write_text(moved_on, encoding="utf-8")  # the officer took the points out

    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "  key_messages[local-commissioning].points: changed in both the YAML and the document",
        f"nothing was changed; make these edits in {yaml} by hand, or rebuild the document "
        "and review it again"]
    assert yaml.read_text(encoding="utf-8") == moved_on


def test_yaml_changes_elsewhere_merge_with_the_documents(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx", member_edits)
    officer = yaml.read_text(encoding="utf-8").replace(
        "venue: Caxton House, Tothill Street, London", "venue: Caxton House, London")
    yaml.write_text(officer, encoding="utf-8")

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    text = yaml.read_text(encoding="utf-8")
    assert "venue: Caxton House, London" in text
    assert "headline: Councils must help commission the Work Programme" in text
    assert "      - Councils will share their data.\n" in text


def test_an_edit_that_makes_the_briefing_invalid_writes_nothing(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    cleared = edit_docx(draft, tmp_path / "cleared.docx", lambda d: para(
        d, "Key messages").insert_paragraph_before("A fourth objective."))

    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 1
    line = before.decode("utf-8").splitlines().index("objectives:") + 1
    assert result.stderr == (
        f"{yaml}: the cleared document's edits would make the briefing invalid, so nothing "
        "was changed (line numbers are those of the edited file):\n"
        f"{yaml}:{line}:1: objectives: has 4 entries; at most 3 are allowed\n")
    assert yaml.read_bytes() == before


def test_reviewers_recorded_by_accept_become_clearance_entries(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx", member_edits)
    reviewed_by(cleared, {"Cllr Ann Baker": 3, "Cllr Raj Patel": 0})
    before = yaml.read_text(encoding="utf-8")

    result = absorb_file(cleared, yaml, today=dt.date(2010, 9, 24))

    assert result.value.splitlines()[-2:] == [
        ("  clearance: Cllr Ann Baker (Lead member, version 2, 2010-09-24, "
        "cleared-with-changes)"),
        "  clearance: Cllr Raj Patel (Lead member, version 2, 2010-09-24, cleared)",
    ]
    after = yaml.read_text(encoding="utf-8")
    assert after.endswith(
        "    outcome: cleared-with-changes\n"
        "  - reviewer: Cllr Ann Baker\n"
        "    role: Lead member\n"
        "    version: 2\n"
        "    date: 2010-09-24\n"
        "    outcome: cleared-with-changes\n"
        "  - reviewer: Cllr Raj Patel\n"
        "    role: Lead member\n"
        "    version: 2\n"
        "    date: 2010-09-24\n"
        "    outcome: cleared\n")
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in after.splitlines() if line.lstrip().startswith("#")]

    again = absorb_file(cleared, yaml, today=dt.date(2010, 9, 25))
    assert "nothing to absorb" in again.value
    assert yaml.read_text(encoding="utf-8") == after


def test_clearance_entries_record_the_version_the_members_cleared(built, tmp_path):
    yaml, draft = built
    cleared = reviewed_by(draft, {"Cllr Ann Baker": 1}, tmp_path / "cleared.docx")
    moved_on = yaml.read_text(encoding="utf-8").replace("  version: 2 ", "  version: 3 ")
    yaml.write_text(moved_on, encoding="utf-8")  # the officer raised it after sending the draft

    result = absorb_file(cleared, yaml, today=dt.date(2010, 9, 24))

    assert result.value.splitlines()[-1] == (
        "  clearance: Cllr Ann Baker (Lead member, version 2, 2010-09-24, cleared-with-changes)")
    assert yaml.read_text(encoding="utf-8").endswith(
        "  - reviewer: Cllr Ann Baker\n    role: Lead member\n    version: 2\n"
        "    date: 2010-09-24\n    outcome: cleared-with-changes\n")


def test_role_option_is_recorded(built, tmp_path):
    yaml, draft = built
    cleared = reviewed_by(draft, {"Cllr Ann Baker": 1}, tmp_path / "cleared.docx")

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--role", "Board chair")

    assert result.exit_code == 0, result.output
    assert "    role: Board chair\n" in yaml.read_text(encoding="utf-8")


def test_not_a_word_document_is_refused(built, tmp_path):
    yaml, _ = built
    bogus = tmp_path / "notes.docx"
    bogus.write_text("not a zip", encoding="utf-8")

    result = invoke("absorb", str(bogus), "--into", str(yaml))

    assert result.exit_code == 1
    assert result.stderr == f"{bogus}: not a Word document (.docx files are zip packages)\n"


def test_comment_authors_are_reviewers_and_comments_are_not_carried(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx", lambda d: d.add_comment(
        para(d, POINT_1).runs, text="Fine by me.", author="Cllr Sue Green"))

    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 0, result.output
    assert (f"info: {cleared}: 1 comment left in the document; absorb carries wording, "
            "not comments") in result.stderr
    assert result.stdout.splitlines()[1].startswith(
        "  clearance: Cllr Sue Green (Lead member, version 2, ")
    assert result.stdout.splitlines()[1].endswith(", cleared)")


def test_document_whose_recorded_data_is_not_a_briefing_is_refused(built, tmp_path):
    yaml, draft = built
    before = yaml.read_bytes()
    pkg = Package.open(draft)
    name = next(n for n in pkg.parts if n.startswith("customXml/item") and b"briefing" in
                pkg.parts[n][:300])
    smap = SourceMap.from_xml(pkg.parts[name])
    smap.data_json = '{"briefing": {"title": "x"}}'
    pkg.set_bytes(name, smap.to_xml())
    odd = tmp_path / "odd.docx"
    pkg.save(odd)

    result = invoke("absorb", str(odd), "--into", str(yaml))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{odd}: the data recorded in the document is not a valid "
                                    "briefing for this version of briefing (")
    assert result.stderr.endswith("problems); build the document again from the YAML\n")
    assert yaml.read_bytes() == before


def with_people(src: Path, dest: Path, names: list[str]) -> Path:
    """Save `src` as `dest` with a word/people.xml naming `names`, as Word writes it."""
    w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
    persons = "".join(f'<w15:person w15:author="{n}"><w15:presenceInfo w15:providerId="None" '
                      f'w15:userId="{n}"/></w15:person>' for n in names)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdPeople" Type="http://schemas.microsoft.com/office/'
                    b'2011/relationships/people" Target="people.xml"/></Relationships>'))
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/word/people.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.wordprocessingml.people+xml"/></Types>'))
            zout.writestr(item, data)
        zout.writestr("word/people.xml", f'<?xml version="1.0" encoding="UTF-8" '
                      f'standalone="yes"?><w15:people xmlns:w15="{w15}">{persons}</w15:people>')
    return dest


def test_changes_accepted_in_word_still_name_their_authors(built, tmp_path):
    yaml, draft = built
    edited = edit_docx(draft, tmp_path / "edited.docx", member_edits)
    cleared = with_people(edited, tmp_path / "cleared.docx", ["Cllr Ann Baker"])

    result = absorb_file(cleared, yaml, today=dt.date(2010, 9, 24))

    assert result.value.splitlines()[-1] == (
        "  clearance: Cllr Ann Baker (Lead member, version 2, 2010-09-24, cleared-with-changes)")


@pytest.mark.parametrize(("ours", "theirs", "merged"), [
    (["a", "B", "c", "d"], ["a", "b", "C", "d"], ["a", "B", "C", "d"]),
    (["b", "c", "d"], ["a", "b", "C", "d"], ["b", "C", "d"]),
    (["a", "b", "x", "c", "d"], ["a", "b", "c", "d", "y"], ["a", "b", "x", "c", "d", "y"]),
    (["a", "x", "b", "c", "d"], ["a", "x", "b", "c", "d"], ["a", "x", "b", "c", "d"]),
    (["a", "b", "c"], ["a", "b", "c", "d", "e"], ["a", "b", "c", "e"]),
    (["a", "B", "c", "d"], ["a", "b2", "c", "d"], None),
    (["a", "x", "b", "c", "d"], ["a", "y", "b", "c", "d"], None),
    (["a", "c", "d"], ["a", "B", "c", "d"], None),
], ids=["both-edit", "delete-and-edit", "two-inserts", "same-change", "delete-and-append",
        "same-item", "same-place", "edit-deleted"])
def test_lists_changed_on_both_sides_merge_item_by_item(ours, theirs, merged):
    assert merge_lists(["a", "b", "c", "d"], ours, theirs) == merged


def test_a_long_list_with_a_repeated_item_merges_item_by_item_too():
    # in a list of 200 or more, an item that repeats still marks where edits fall
    base = [f"Point {i}." for i in range(200)]
    for i in (50, 100, 150, 199):
        base[i] = "Agreed."
    ours, theirs = list(base), list(base)
    ours[49], ours[51] = "Point 49, reworded.", "Point 51, reworded."
    theirs[50] = "Agreed, with changes."
    merged = list(base)
    merged[49:52] = ["Point 49, reworded.", "Agreed, with changes.", "Point 51, reworded."]
    assert merge_lists(base, ours, theirs) == merged
    assert merge_lists(base, theirs, ours) == merged


def test_officer_adds_a_point_while_a_member_rewords_another(built, tmp_path):
    yaml, draft = built
    cleared = edit_docx(draft, tmp_path / "cleared.docx",
                        lambda d: setattr(para(d, POINT_1).runs[0], "text", "Shorter point."))
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        f"      - {POINT_2}\n", f"      - {POINT_2}\n      - An officer's new point.\n"),
        encoding="utf-8")

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "  key_messages[local-commissioning].points[1]: [-They know which providers deliver "
        "and where the gaps in local provision are-]{+Shorter point+}.")
    assert ("      - Shorter point.\n"
            f"      - {POINT_2}\n"
            "      - An officer's new point.\n") in yaml.read_text(encoding="utf-8")


def test_the_redline_author_is_not_taken_for_a_reviewer(built, tmp_path):
    yaml, draft = built
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace(POINT_1, "They know the providers."), encoding="utf-8")
    redlined, cleared = tmp_path / "v3.docx", tmp_path / "v3-cleared.docx"
    build_file(yaml, out=redlined, since=draft, author="Policy officer")
    invoke("accept", str(redlined), "-o", str(cleared))

    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 0, result.output
    assert f"{yaml}: nothing to absorb from {cleared}; the file is unchanged" in result.stdout
    assert ("info: changes by 'Policy officer' were the redline against the previous draft; "
            "not recorded as a reviewer") in result.stderr


def test_a_redline_author_with_no_recorded_changes_is_not_mentioned(built, tmp_path):
    yaml, draft = built
    redlined = tmp_path / "v3.docx"
    build_file(yaml, out=redlined, since=draft, author="Policy officer")  # nothing changed
    cleared = edit_docx(redlined, tmp_path / "v3-cleared.docx",
                        lambda d: setattr(para(d, POINT_1).runs[0], "text",
                                          "They know which providers work best."))
    reviewed_by(cleared, {"Cllr Ann Baker": 1})  # the member's changes accepted with `briefing accept`

    result = invoke("absorb", str(cleared), "--into", str(yaml))

    assert result.exit_code == 0, result.output
    assert "Policy officer" not in result.output
    entries = [line for line in result.stdout.splitlines() if "clearance:" in line]
    assert len(entries) == 1 and entries[0].startswith("  clearance: Cllr Ann Baker (")


def test_windows_line_endings_and_byte_order_mark_are_kept(built, tmp_path):
    yaml, draft = built
    original = yaml.read_text(encoding="utf-8")
    yaml.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    cleared = edit_docx(draft, tmp_path / "cleared.docx", member_edits)

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--no-record")

    assert result.exit_code == 0, result.output
    data = yaml.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    plain = tmp_path / "plain.yaml"
    plain.write_text(original, encoding="utf-8")
    absorb_file(cleared, plain, record=False)
    assert text.replace("\r\n", "\n") == plain.read_text(encoding="utf-8") != original


@pytest.mark.parametrize("keep_bookmarks", [True, False])
def test_ids_that_are_prefixes_of_one_another_absorb_into_their_own_fields(tmp_path,
                                                                           keep_bookmarks):
    text = FIXTURE.read_text(encoding="utf-8").replace("partnership-not-centralism",
                                                       "local-commissioning-2")
    more = "".join(f"      - Point {n}.\n" for n in range(3, 11))
    text = text.replace(f"      - {POINT_2}\n", f"      - {POINT_2}\n{more}")
    yaml = tmp_path / "briefing.yaml"
    yaml.write_text(text, encoding="utf-8")
    draft = tmp_path / "draft.docx"
    build_file(yaml, out=draft)
    other = "Government cannot ask for partnership and commission from the centre."

    def edit(document):
        if not keep_bookmarks:
            for el in document.element.body.xpath(".//w:bookmarkStart | .//w:bookmarkEnd"):
                el.getparent().remove(el)
        para(document, other).runs[0].text = "Government must not commission from the centre."
        para(document, "Point 10.").runs[0].text = "Point ten, reworded."

    cleared = edit_docx(draft, tmp_path / "cleared.docx", edit)
    result = absorb_file(cleared, yaml, record=False)

    assert result.value.splitlines()[1:] == [
        ("  key_messages[local-commissioning-2].headline: Government [-cannot ask for "
         "partnership and-]{+must not+} commission from the …"),
        "  key_messages[local-commissioning].points[10]: Point [-10-]{+ten, reworded+}.",
    ]
    assert diff_lines(text, yaml.read_text(encoding="utf-8")) == [
        "-      - Point 10.",
        "+      - Point ten, reworded.",
        f'-    headline: "{other}"',
        '+    headline: "Government must not commission from the centre."',
    ]


@pytest.mark.parametrize(("old", "new", "shown"), [
    ("Councils should co-design the Work Programme with DWP.",
     "Councils should lead the Work Programme with DWP.",
     "Councils should [-co-design-]{+lead+} the Work Programme …"),
    ("They know which providers deliver and where the gaps are.", "Shorter point.",
     "[-They know which providers deliver and where the gaps are-]{+Shorter point+}."),
    ("Many also run their own job clubs.", "Many run their own job clubs.",
     "Many[- also-] run their own …"),
    ("Point 10.", "Point ten, reworded.", "Point [-10-]{+ten, reworded+}."),
])
def test_a_changed_value_is_shown_as_words(old, new, shown):
    assert word_diff(old, new) == shown


def _without_recorded_data(draft: Path, dest: Path) -> Path:
    """Return `dest`: `draft` with its source map keeping the data's hash but not the data
    (as a document whose embedded data was taken out keeps it)."""
    pkg = Package.open(draft)
    name = next(n for n in pkg.parts if n.startswith("customXml/item") and b"briefing" in
                pkg.parts[n][:300])
    smap = SourceMap.from_xml(pkg.parts[name])
    assert smap.data_hash
    smap.data_json = ""
    pkg.set_bytes(name, smap.to_xml())
    pkg.save(dest)
    return dest


def test_a_document_without_its_data_is_absorbed_when_the_yaml_is_the_one_it_was_built_from(
        built, tmp_path):
    yaml, draft = built
    bare = _without_recorded_data(draft, tmp_path / "bare.docx")
    cleared = edit_docx(bare, tmp_path / "cleared.docx",
                        lambda d: setattr(para(d, POINT_1).runs[0], "text", "Shorter point."))

    result = invoke("absorb", str(cleared), "--into", str(yaml), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"{yaml}: 1 change to absorb")
    assert "warning" not in result.stderr


def test_a_document_without_its_data_is_refused_when_the_yaml_changed_since_the_build(
        built, tmp_path):
    yaml, draft = built
    bare = _without_recorded_data(draft, tmp_path / "bare.docx")
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "Civil servants say", "Officials say"), encoding="utf-8")  # the data edited since
    before = yaml.read_bytes()

    result = invoke("absorb", str(bare), "--into", str(yaml))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bare}: was built from another version of {yaml} and "
                                    "does not carry the data it was built from")
    assert yaml.read_bytes() == before


def test_a_commenter_word_lists_among_its_people_cleared_without_changes(built, tmp_path):
    yaml, draft = built

    def edit_and_comment(document) -> None:
        member_edits(document)
        document.add_comment(para(document, POINT_2).runs, text="Fine by me.",
                             author="Cllr Sue Green")

    edited = edit_docx(draft, tmp_path / "edited.docx", edit_and_comment)
    cleared = with_people(edited, tmp_path / "cleared.docx", ["Cllr Ann Baker", "Cllr Sue Green"])

    result = absorb_file(cleared, yaml, today=dt.date(2010, 9, 24))

    assert result.value.splitlines()[-2:] == [
        "  clearance: Cllr Ann Baker (Lead member, version 2, 2010-09-24, cleared-with-changes)",
        "  clearance: Cllr Sue Green (Lead member, version 2, 2010-09-24, cleared)"]


def test_a_point_whose_words_are_all_deleted_is_deleted_from_the_yaml(built, tmp_path):
    yaml, draft = built

    def empty_point(document) -> None:  # words gone but a space, inside the field's bookmark
        runs = para(document, POINT_1).runs
        for run in runs:
            run.text = ""
        runs[0].text = " "

    cleared = edit_docx(draft, tmp_path / "cleared.docx", empty_point)
    before = yaml.read_text(encoding="utf-8")

    result = absorb_file(cleared, yaml, record=False)

    assert result.value.splitlines()[1:] == [
        f"  key_messages[local-commissioning].points[1]: deleted '{POINT_1[:69]}…'"]
    assert diff_lines(before, yaml.read_text(encoding="utf-8")) == [f"-      - {POINT_1}"]


def test_changes_that_leave_the_yaml_text_as_it_was_are_not_written(tmp_path):
    yaml = tmp_path / "briefing.yaml"
    shutil.copyfile(FIXTURE, yaml)
    text = yaml.read_text(encoding="utf-8")
    written = yaml.stat().st_mtime_ns, yaml.stat().st_ino
    same = Change(("contact", "name"), "Philip Mind", "Philip Mind")

    assert update_yaml(yaml, [], [], dry_run=False, text=text, bom=False) is False
    assert update_yaml(yaml, [same], [], dry_run=False, text=text, bom=False) is False
    assert (yaml.stat().st_mtime_ns, yaml.stat().st_ino) == written


def test_a_value_filled_in_or_emptied_is_shown_whole_not_as_words():
    assert describe(Change(("meeting", "when"), "", "Autumn 2010")) == [
        "meeting.when: '' -> 'Autumn 2010'"]
    assert describe(Change(("meeting", "when"), "Autumn 2010", "")) == [
        "meeting.when: 'Autumn 2010' -> ''"]
