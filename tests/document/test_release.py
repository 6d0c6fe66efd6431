"""`briefing release`: the pages and nothing else, for anyone outside the clearance circle."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from briefing.check.rules import check_file
from briefing.cli import app
from briefing.document.build import build_file
from briefing.document.release import release_bytes
from briefing.ooxml.package import Package
from tests.check.test_check import GOOD_BODY, make_docx, p
from tests.conftest import validate_ooxml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
TEMPLATES = ["chairman-briefing", "lines-card"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
runner = CliRunner()

# Every part a release copy may hold, and the only document properties it keeps.
PART_KINDS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|custom)\.xml"
    r"|word/(_rels/)?(document|styles|numbering|settings|fontTable|webSettings|footnotes"
    r"|endnotes|header\d+|footer\d+)\.xml(\.rels)?|word/theme/(_rels/)?theme\d+\.xml(\.rels)?"
    r"|word/media/[\w.-]+")
CORE_KINDS = {"title", "subject", "language"}
# Elements and attributes that carry what the pages do not show.
HIDDEN_TAGS = {f"{{{W}}}{t}" for t in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
    "trPrChange", "tcPrChange", "commentRangeStart", "commentRangeEnd", "commentReference",
    "vanish", "docVars", "rsids", "attachedTemplate", "customXml", "trackRevisions")}


def run(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def visible_text(parts: dict[str, bytes]) -> dict[str, list[str]]:
    """Return each story's paragraphs as a reader sees them (hidden runs left out)."""
    out = {}
    for name in sorted(parts):
        if re.fullmatch(r"word/(document|header\d+|footer\d+|footnotes|endnotes)\.xml", name):
            paras = []
            for para in etree.fromstring(parts[name]).iter(f"{{{W}}}p"):
                runs = [r for r in para.iter(f"{{{W}}}r")
                        if r.find(f"{{{W}}}rPr/{{{W}}}vanish") is None]
                paras.append("".join(t.text or "" for r in runs for t in r.iter(f"{{{W}}}t")))
            out[name] = paras
    return out


def beyond_the_listed_kinds(parts: dict[str, bytes]) -> list[str]:
    """Return every part, element, attribute or property a release copy must not hold."""
    bad = [f"part {n}" for n in parts if not PART_KINDS.fullmatch(n)]
    for name, data in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        for el in etree.fromstring(data).iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag in HIDDEN_TAGS:
                bad.append(f"{name}: {etree.QName(el).localname}")
            if el.tag == f"{{{W}}}bookmarkStart" and el.get(f"{{{W}}}name", "").startswith("_"):
                bad.append(f"{name}: hidden bookmark {el.get(f'{{{W}}}name')}")
            bad += [f"{name}: {etree.QName(a).localname}" for a in el.attrib
                    if etree.QName(a).localname.startswith("rsid")]
    core = etree.fromstring(parts["docProps/core.xml"])
    bad += [f"core property {etree.QName(el).localname}" for el in core
            if etree.QName(el).localname not in CORE_KINDS]
    if "docProps/custom.xml" in parts:
        custom = etree.fromstring(parts["docProps/custom.xml"])
        bad += [f"custom property {el.get('name')}" for el in custom
                if el.get("name") != "Classification"]
    return bad


@pytest.fixture(params=[(s, t) for s in SAMPLES for t in TEMPLATES],
                ids=[f"{s.stem}-{t}" for s in SAMPLES for t in TEMPLATES])
def built(request, tmp_path) -> Path:
    sample, template = request.param
    out = tmp_path / f"{sample.stem}-{template}.docx"
    build_file(sample, out=out, template=template)
    return out


def test_release_keeps_the_pages_and_nothing_else(built):
    before = built.read_bytes()
    result = run("release", built)
    out = built.with_name(built.stem + "-release.docx")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert built.read_bytes() == before
    released = parts_of(out)
    assert beyond_the_listed_kinds(released) == []
    assert visible_text(released) == visible_text(parts_of(built))
    assert [f for f in check_file(out) if f.rule == "H01-hidden-data"] == []
    assert "H01-hidden-data" in {f.rule for f in check_file(built)}
    valid, report = validate_ooxml(out)
    assert valid, report


def test_release_keeps_title_subject_language_and_marking(built, tmp_path):
    core_in = etree.fromstring(parts_of(built)["docProps/core.xml"])
    released = parts_of(Path(run("release", built, "-o", tmp_path / "r.docx").stdout.split()[1]))
    core = etree.fromstring(released["docProps/core.xml"])
    assert {etree.QName(el).localname: el.text for el in core} == {
        etree.QName(el).localname: el.text for el in core_in
        if etree.QName(el).localname in CORE_KINDS}
    custom = etree.fromstring(released["docProps/custom.xml"])
    (prop,) = list(custom)
    assert (prop.get("name"), prop[0].text) == ("Classification", re.search(
        rb"(OFFICIAL(-SENSITIVE)?)", released["word/header1.xml"]).group(1).decode())


def test_release_bytes_is_what_the_command_writes(built, tmp_path):
    run("release", built, "-o", tmp_path / "r.docx")
    data = release_bytes(built.read_bytes(), built.name)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        in_memory = {n: zf.read(n) for n in zf.namelist()}
    assert in_memory == parts_of(tmp_path / "r.docx")


# --- hidden data put there by Word and by hand ---------------------------------------------


def with_hidden_data(src: Path, dest: Path) -> Path:
    """Save `src` as `dest` with what Word and editors leave behind, all of it marked SECRET."""
    pkg = Package.open(src)
    main = pkg.main_part
    body = pkg.xml(main).find(f"{{{W}}}body")
    first = body.find(f"{{{W}}}p")
    first.set(f"{{{W}}}rsidR", "00A1B2C3")
    first.append(etree.fromstring(
        f'<w:r xmlns:w="{W}"><w:rPr><w:vanish/></w:rPr><w:t>SECRET hidden note</w:t></w:r>'))
    first.insert(1, etree.fromstring(f'<w:bookmarkStart xmlns:w="{W}" w:id="900" '
                                     'w:name="_GoBack"/>'))
    first.append(etree.fromstring(f'<w:bookmarkEnd xmlns:w="{W}" w:id="900"/>'))
    settings = pkg.xml("word/settings.xml")
    settings.append(etree.fromstring(
        f'<w:docVars xmlns:w="{W}"><w:docVar w:name="note" w:val="SECRET var"/></w:docVars>'))
    pkg.set_bytes("word/people.xml", (
        '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        '<w15:person w15:author="SECRET Person"/></w15:people>').encode())
    rels = pkg.xml("word/_rels/document.xml.rels")
    rels.append(etree.fromstring(
        f'<Relationship xmlns="{PR}" Id="rIdPeople" Target="people.xml" '
        'Type="http://schemas.microsoft.com/office/2011/relationships/people"/>'))
    ct = pkg.xml("[Content_Types].xml")
    ct.append(etree.fromstring(
        f'<Override xmlns="{CT}" PartName="/word/people.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/>'))
    app_xml = pkg.xml("docProps/app.xml")
    app_xml.append(etree.fromstring(
        '<Company xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties">SECRET Company</Company>'))
    pkg.save(dest)
    return dest


def test_what_word_leaves_behind_is_found_then_released_away(built, tmp_path):
    dirty = with_hidden_data(built, tmp_path / "dirty.docx")
    (finding,) = [f for f in check_file(dirty) if f.rule == "H01-hidden-data"]
    assert '1 hidden run of text ("SECRET hidden note")' in finding.message
    assert 'person "SECRET Person"' in finding.message
    assert 'company "SECRET Company"' in finding.message

    result = run("release", dirty, "-o", tmp_path / "clean.docx")

    assert result.exit_code == 0, result.output
    released = parts_of(tmp_path / "clean.docx")
    assert [n for n, data in released.items() if b"SECRET" in data] == []
    assert beyond_the_listed_kinds(released) == []
    assert visible_text(released) == visible_text(parts_of(dirty))
    valid, report = validate_ooxml(tmp_path / "clean.docx")
    assert valid, report


@pytest.mark.libreoffice
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.stem)
def test_libreoffice_reads_the_same_text_from_the_release_copy(lo, sample, template, tmp_path):
    src = tmp_path / "in.docx"
    build_file(sample, out=src, template=template)
    assert run("release", src, "-o", tmp_path / "out.docx").exit_code == 0
    assert lo.paragraphs(tmp_path / "out.docx") == lo.paragraphs(src)
    # LibreOffice reads hidden runs as text: the copy released from a document that has
    # one reads as the document did without it.
    dirty = with_hidden_data(src, tmp_path / "dirty.docx")
    assert run("release", dirty, "-o", tmp_path / "clean.docx").exit_code == 0
    assert lo.paragraphs(tmp_path / "clean.docx") == lo.paragraphs(src)


# --- refusals -------------------------------------------------------------------------------


def test_tracked_changes_are_refused_naming_accept_and_reject(tmp_path):
    body = GOOD_BODY + ("<w:p><w:ins w:id='9' w:author='Cllr A' w:date='2026-01-01T00:00:00Z'>"
                        "<w:r><w:t>New words.</w:t></w:r></w:ins></w:p>")
    doc = make_docx(tmp_path / "tracked.docx", body=body)
    result = run("release", doc)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{doc}: 1 tracked change still to accept or reject; a release copy shows one text: "
        f"clear them first with `briefing accept {doc} -o CLEARED.docx` or `briefing reject "
        f"{doc} -o CLEARED.docx`, then release the cleared copy\n")
    assert sorted(tmp_path.iterdir()) == [doc]
    cleared = tmp_path / "CLEARED.docx"
    assert run("accept", doc, "-o", cleared).exit_code == 0
    assert run("release", cleared).exit_code == 0


def test_comments_are_refused_naming_the_command_that_removes_them(tmp_path):
    doc = make_docx(tmp_path / "commented.docx", comments=2)
    result = run("release", doc)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{doc}: 2 comments still in the document; remove them with `briefing accept {doc} "
        "--drop-comments -o CLEARED.docx` (after reading them: `briefing review`), then "
        "release the cleared copy\n")
    assert sorted(tmp_path.iterdir()) == [doc]
    cleared = tmp_path / "CLEARED.docx"
    assert run("accept", doc, "--drop-comments", "-o", cleared).exit_code == 0
    assert run("release", cleared).exit_code == 0


def test_not_a_docx_is_refused(tmp_path):
    bad = tmp_path / "notes.docx"
    bad.write_text("not a zip", encoding="utf-8")
    result = run("release", bad)
    assert result.exit_code == 1
    assert result.stderr == f"{bad}: not a Word document (.docx files are zip packages)\n"
    assert sorted(tmp_path.iterdir()) == [bad]


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b" " * (64 * 1024 * 1024) + b"/>")
    result = run("release", bomb)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bomb}: part word/document.xml inflates to ")
    assert result.stderr.endswith("refused as a zip bomb\n")
    assert sorted(tmp_path.iterdir()) == [bomb]


def test_an_existing_output_needs_force(built, tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep me")
    result = run("release", built, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == f"{out}: already exists; use --force to replace it\n"
    assert out.read_bytes() == b"keep me"
    assert run("release", built, "-o", out, "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_the_output_is_never_the_input(built):
    before = built.read_bytes()
    result = run("release", built, "-o", built, "--force")
    assert result.exit_code == 1
    assert result.stderr == (f"{built}: is the input document; choose another output "
                             "with -o\n")
    assert built.read_bytes() == before


def test_a_failed_release_leaves_no_file(tmp_path):
    doc = make_docx(tmp_path / "commented.docx", comments=1)
    shutil.copy(doc, tmp_path / "copy.docx")
    run("release", doc, "-o", tmp_path / "out.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["commented.docx", "copy.docx"]


# --- H01 severity ---------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "severity"), [("draft", "warning"), ("cleared", "warning"),
                                                  ("final", "error")])
def test_hidden_data_is_an_error_once_the_briefing_is_final(tmp_path, status, severity):
    data = {"briefing": {"status": status, "classification": "OFFICIAL"}}
    doc = make_docx(tmp_path / "ours.docx", data=data,
                    body=GOOD_BODY + p("Draft note.", rpr="<w:vanish/>"))
    (finding,) = [f for f in check_file(doc) if f.rule == "H01-hidden-data"]
    assert finding.severity == severity
    assert finding.message == (
        "the file carries what its pages do not show: 1 hidden run of text (\"Draft note.\"); "
        "send `briefing release` copies outside the clearance circle")


def test_comments_in_a_document_of_unknown_origin_are_hidden_data(tmp_path):
    doc = make_docx(tmp_path / "theirs.docx", comments=2)
    (finding,) = check_file(doc)
    assert (finding.rule, finding.severity) == ("H01-hidden-data", "warning")
    assert "2 comments" in finding.message


# --- release --pdf ------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_release_pdf_is_printed_from_the_release_copy(tmp_path):
    from tests.document.test_pdf import info, pages

    src = tmp_path / "card.docx"
    build_file(SAMPLES[0], out=src, template="lines-card")
    dirty = with_hidden_data(src, tmp_path / "dirty.docx")
    out = tmp_path / "card-out.docx"

    result = run("release", dirty, "-o", out, "--pdf")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\nwrote {tmp_path / 'card-out.pdf'}\n"
    printed = " ".join(line for page in pages(tmp_path / "card-out.pdf") for line in page)
    assert "SECRET" not in printed
    title = etree.fromstring(parts_of(src)["docProps/core.xml"]).findtext(
        "{http://purl.org/dc/elements/1.1/}title")
    assert info(tmp_path / "card-out.pdf")["Title"] == title
    assert "Author" not in info(tmp_path / "card-out.pdf")


def test_release_pdf_without_libreoffice_writes_nothing(built, tmp_path):
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["release", str(built), "-o", str(out), "--pdf"],
                           env={"BRIEFING_SOFFICE": str(tmp_path / "no-soffice")})
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path / 'r.pdf'}: cannot write a PDF: LibreOffice is not "
                             "installed (no soffice or libreoffice command found; set "
                             "BRIEFING_SOFFICE to its path); nothing was written\n")
    assert not out.exists() and not (tmp_path / "r.pdf").exists()


def test_build_does_not_warn_of_the_data_every_draft_carries(tmp_path):
    """A build says nothing an officer cannot act on: the embedded data is by design (H01 is check's)."""
    out = tmp_path / "draft.docx"
    sample = ROOT / "samples" / "work-and-health-2016.yaml"
    result = runner.invoke(app, ["build", str(sample), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "H01-hidden-data" not in result.output
    assert "H01-hidden-data" in {f.rule for f in check_file(out)}


def test_a_bookmark_a_field_points_at_is_kept_whole_and_no_bookmark_end_is_left_alone(
        tmp_path):
    # Word names its own bookmarks "_...": "_GoBack" (the last edit) is history and goes;
    # "_Ref..." that a cross-reference field points at is part of the page and stays, with
    # its end (an end without its start, or a start without its end, is a broken bookmark)
    draft = build_file(ROOT / "samples" / "work-programme-2010.yaml",
                       out=tmp_path / "draft.docx").value
    pkg = Package.open(draft)
    body = pkg.xml(pkg.main_part).find(f"{{{W}}}body")
    first, second = body.findall(f"{{{W}}}p")[:2]
    for para, ident, name in ((first, "900", "_GoBack"), (second, "901", "_Ref42")):
        para.insert(1, etree.fromstring(f'<w:bookmarkStart xmlns:w="{W}" w:id="{ident}" '
                                        f'w:name="{name}"/>'))
        para.append(etree.fromstring(f'<w:bookmarkEnd xmlns:w="{W}" w:id="{ident}"/>'))
    second.append(etree.fromstring(
        f'<w:fldSimple xmlns:w="{W}" w:instr=" REF _Ref42 \\h "><w:r><w:t>see above</w:t>'
        "</w:r></w:fldSimple>"))
    pkg.save(tmp_path / "marked.docx")

    result = run("release", tmp_path / "marked.docx", "-o", tmp_path / "clean.docx")

    assert result.exit_code == 0, result.output
    root = etree.fromstring(parts_of(tmp_path / "clean.docx")["word/document.xml"])
    starts = {el.get(f"{{{W}}}id"): el.get(f"{{{W}}}name")
              for el in root.iter(f"{{{W}}}bookmarkStart")}
    ends = {el.get(f"{{{W}}}id") for el in root.iter(f"{{{W}}}bookmarkEnd")}
    assert starts.get("901") == "_Ref42" and "900" not in starts
    assert ends == set(starts)


def test_a_picture_in_the_briefing_is_released_unchanged(tmp_path):
    # an officer pastes a chart into the background: the release copy still shows it
    import docx

    from tests.support.pictures import pictures_of, png

    built = build_file(SAMPLES[0], out=tmp_path / "draft.docx").value
    doc = docx.Document(str(built))
    doc.add_picture(io.BytesIO(png((200, 16, 46))))
    doc.save(str(built))
    result = run("release", built)
    out = built.with_name("draft-release.docx")
    assert result.exit_code == 0, result.output
    pkg = Package.open(out)
    assert pictures_of(pkg, pkg.xml(pkg.main_name)) == [png((200, 16, 46))]
    assert beyond_the_listed_kinds(parts_of(out)) == []
    validate_ooxml(out)
