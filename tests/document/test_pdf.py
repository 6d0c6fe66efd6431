"""The pages as a reader gets them: `build --pdf` and `briefing pdf` through LibreOffice.

Each PDF is read back with poppler (pdfinfo, pdftotext), a reader no one here
wrote: its title, language, tagged structure and bookmarks, and the text of
every page (the marking at the top and bottom of each, never a third time).
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.document.build import build_bytes
from briefing.document.compose import find_template
from briefing.source.load import load_briefing
from briefing.source.model import Briefing
from tests.conftest import in_ci

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
runner = CliRunner()

pytestmark = pytest.mark.libreoffice


def run(*args: object, env: dict | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def poppler(tool: str, *args: object) -> str:
    """Return the output of a poppler tool (pdfinfo, pdftotext), skipping when it is absent."""
    if shutil.which(tool) is None:
        if in_ci():
            pytest.fail(f"{tool} (poppler-utils) is required under CI=true", pytrace=False)
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    done = subprocess.run([tool, *map(str, args)], capture_output=True, text=True, check=True,
                          timeout=60)
    return done.stdout


def info(pdf: Path) -> dict[str, str]:
    """Return pdfinfo's fields."""
    lines = poppler("pdfinfo", pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def pages(pdf: Path) -> list[list[str]]:
    """Return each page's non-blank lines, as pdftotext reads them."""
    text = poppler("pdftotext", "-layout", pdf, "-")
    return [[line.strip() for line in page.splitlines() if line.strip()]
            for page in text.split("\f")[:-1]]


def structure_tags(pdf: Path) -> list[str]:
    """Return the tagged structure's element names in order (H1, P, Table, ...)."""
    return re.findall(r"^\s*(\w+)(?: \(\w+\))?:$", poppler("pdfinfo", "-struct", pdf),
                      re.MULTILINE)


def bookmark_titles(pdf: Path) -> list[str]:
    """Return the titles of the PDF's outline entries (LibreOffice writes them as UTF-16)."""
    data = pdf.read_bytes()
    assert b"/Outlines" in data
    return [bytes.fromhex(h.decode()).decode("utf-16-be").lstrip("\ufeff")
            for h in re.findall(rb"/Title<FEFF([0-9A-F]+)>", data)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path, Briefing]]:
    """Return, per sample, the .docx and .pdf that `briefing build --pdf` wrote."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for sample in SAMPLES:
        docx = folder / f"{sample.stem}.docx"
        result = run("build", sample, "-o", docx, "--pdf")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-2:] == [f"wrote {docx}", f"wrote {docx.with_suffix('.pdf')}"]
        out[sample.stem] = (docx, docx.with_suffix(".pdf"), load_briefing(sample).value.briefing)
    return out


@pytest.mark.parametrize("stem", [s.stem for s in SAMPLES])
def test_pdf_has_the_title_language_tags_and_bookmarks(built, stem):
    _docx, pdf, briefing = built[stem]
    fields = info(pdf)
    assert fields["Title"] == briefing.briefing.title
    assert fields["Tagged"] == "yes"
    # Printed from the release copy: the pages, without the people the .docx names in its
    # properties (its author is the contact officer).
    assert "Author" not in fields
    assert b"/Lang(en-GB)" in pdf.read_bytes()
    tags = structure_tags(pdf)
    assert tags.count("H1") == 1 and tags[:1] == ["H1"]
    assert tags.count("H2") >= 6 and tags.count("H3") == len(briefing.key_messages) + len(
        briefing.case_studies) + len(briefing.background)
    assert "Table" in tags and "TH" in tags
    titles = bookmark_titles(pdf)
    assert titles[0] == briefing.briefing.title
    assert {"Objectives", "Key messages", "Case studies", "Lines to take", "Contact",
            "Clearance record"} <= set(titles)
    assert briefing.key_messages[0].headline in titles


@pytest.mark.parametrize("stem", [s.stem for s in SAMPLES])
def test_marking_heads_and_foots_every_page_and_nowhere_else(built, stem):
    _docx, pdf, briefing = built[stem]
    marking = briefing.briefing.classification.value
    text = pages(pdf)
    assert len(text) == int(info(pdf)["Pages"]) >= 2
    for number, lines in enumerate(text, 1):
        assert lines[0] == marking, number
        assert lines[-2:] == [marking, f"Page {number} of {len(text)}"], number
        assert sum(marking in line for line in lines) == 2, number


def test_meeting_table_header_and_case_study_headings_on_the_page(built):
    _docx, pdf, briefing = built["work-programme-2010"]
    text = [line for page in pages(pdf) for line in page]
    # The header row's two cells, side by side: who the meeting is with, and when.
    assert any(re.match(r"Meeting with Iain\s+Autumn 2010 \(date to be", t) for t in text), text[:8]
    for cs in briefing.case_studies:
        assert any(t.startswith(f"{cs.council}: {cs.title.split()[0]}") for t in text), cs.id
    assert sum(t == "What members said:" for t in text) == len(
        {c.relates_to[0] for c in briefing.member_comments if c.relates_to})


def card(sample: Path, folder: Path) -> Path:
    """Return the PDF of `sample`'s lines card, made by `briefing pdf`."""
    docx = folder / f"{sample.stem}-card.docx"
    assert run("build", sample, "-o", docx, "--template", "lines-card").exit_code == 0
    result = run("pdf", docx)
    assert result.exit_code == 0, result.output
    return docx.with_suffix(".pdf")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_lines_card_is_one_page_with_questions_over_answers(sample, tmp_path):
    pdf = card(sample, tmp_path)
    briefing = load_briefing(sample).value.briefing
    (lines,) = pages(pdf)
    marking = briefing.briefing.classification.value
    assert lines[0] == marking and lines[-2:] == [marking, "Page 1 of 1"]
    assert not any("Continued in the briefing" in line for line in lines)
    flat = " ".join(lines)
    for line in briefing.lines_to_take:
        question, answer = " ".join(line.question.split()), " ".join(line.answer.split())
        assert flat.index(question) < flat.index(answer[:40])


def test_large_lines_card_stops_at_one_page_and_says_so(tmp_path):
    import runpy

    large = tmp_path / "large.yaml"
    runpy.run_path(str(ROOT / "samples" / "make_large.py"))["write_large"](large)
    (lines,) = pages(card(large, tmp_path))
    continued = [line for line in lines if line.startswith("Continued in the briefing:")]
    assert len(continued) == 1
    assert re.fullmatch(r"Continued in the briefing: \d+ more key messages and \d+ more lines "
                        r"to take\.", continued[0])


def test_a_crowded_lines_card_still_stops_at_one_page(tmp_path):
    """Long headlines, long answers and six counterparts: the card measures all of it."""
    import runpy

    large = tmp_path / "large.yaml"
    runpy.run_path(str(ROOT / "samples" / "make_large.py"))["write_large"](large)
    data = load_briefing(large).value.briefing.model_dump(mode="json")
    data["meeting"]["counterparts"] = [
        {"name": f"Official Number {i}", "role": "Deputy Director, Employment and Skills",
         "organisation": "Department for Work and Pensions"} for i in range(6)]
    for i, km in enumerate(data["key_messages"]):
        km["headline"] = ("Councils should shape the employment support their residents get, "
                          f"with money that follows the person, not the contract ({i}).")
    for line in data["lines_to_take"]:
        line["answer"] = " ".join(["Councils would join up employment support with health, "
                                   "housing and skills services for each person."] * 4)
    docx = tmp_path / "crowded-card.docx"
    docx.write_bytes(build_bytes(Briefing.model_validate(data), find_template("lines-card")))
    assert run("pdf", docx).exit_code == 0
    (lines,) = pages(docx.with_suffix(".pdf"))  # one page
    assert sum(t.startswith("Continued in the briefing:") for t in lines) == 1


def test_table_rows_are_never_left_alone_on_a_page(lo, tmp_path):
    """Padding moves the clearance record down a page; it always moves as a whole."""
    data = load_briefing(ROOT / "samples" / "work-programme-2010.yaml").value.briefing.model_dump(
        mode="json")
    data["briefing"]["status"] = "draft"
    data["clearance"] = [{"reviewer": f"Cllr Reviewer {i}", "role": "Lead member, Regeneration "
                          "and Transport Board", "version": 1, "date": "2010-09-17",
                          "outcome": "cleared-with-changes"} for i in range(5)]
    heading_pages = set()
    for padding in range(0, 16, 3):
        d = copy.deepcopy(data)
        d["background"][-1]["paragraphs"] += [f"Padding line {j}." for j in range(padding)]
        docx = tmp_path / f"pad{padding}.docx"
        docx.write_bytes(build_bytes(Briefing.model_validate(d), find_template(None)))
        text = pages(lo.to_pdf(docx, tmp_path))
        where = {key: [n for n, page in enumerate(text) if any(key in t for t in page)]
                 for key in ["Clearance record", *(f"Cllr Reviewer {i}" for i in range(5))]}
        assert len({tuple(v) for v in where.values()}) == 1, (padding, where)
        heading_pages.add(where["Clearance record"][0])
    assert len(heading_pages) == 2  # the padding did carry the table over a page break


def test_tracked_changes_print_as_markup(tmp_path):
    sample = ROOT / "samples" / "work-programme-2010.yaml"
    v1 = tmp_path / "v1.docx"
    assert run("build", sample, "-o", v1).exit_code == 0
    changed = tmp_path / "briefing.yaml"
    changed.write_text(sample.read_text(encoding="utf-8").replace(
        "often with their own money", "often from their own budgets"), encoding="utf-8")
    v2 = tmp_path / "v2.docx"
    result = run("build", changed, "-o", v2, "--since", v1, "--pdf")
    assert result.exit_code == 0, result.output
    flat = " ".join(line for page in pages(v2.with_suffix(".pdf")) for line in page)
    point = flat[flat.index("Councils already fund and run"):][:160]
    # Deleted and inserted words both print, side by side, as Word and LibreOffice show them.
    assert re.search(r"often (with\s*from|from\s*with) their\s+own (money\s*budgets|budgets\s*"
                     r"money)\.", point), point


def test_pdf_command_refuses_what_it_must_and_never_changes_its_input(built, tmp_path):
    docx, _pdf, _ = built["work-programme-2010"]
    before = docx.read_bytes()
    target = tmp_path / "out.pdf"
    target.write_bytes(b"earlier")
    result = run("pdf", docx, "-o", target)
    assert (result.exit_code, result.stderr) == (
        1, f"{target}: already exists; use --force to replace it\n")
    assert target.read_bytes() == b"earlier"
    assert run("pdf", docx, "-o", target, "--force").exit_code == 0
    assert target.read_bytes().startswith(b"%PDF") and docx.read_bytes() == before
    wrong = run("pdf", docx, "-o", tmp_path / "out.docx")
    assert (wrong.exit_code, wrong.stderr) == (
        1, f"{tmp_path / 'out.docx'}: the output must be a .pdf file\n")
    missing = run("pdf", tmp_path / "nothing.docx")
    assert (missing.exit_code, missing.stderr) == (1, f"{tmp_path / 'nothing.docx'}: no such file\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


@pytest.mark.parametrize("command", ["build", "pdf"])
def test_without_libreoffice_nothing_is_written(built, tmp_path, command):
    docx = built["work-programme-2010"][0]
    args = (["build", SAMPLES[0], "-o", tmp_path / "b.docx", "--pdf"] if command == "build"
            else ["pdf", docx, "-o", tmp_path / "b.pdf"])
    result = run(*args, env={"BRIEFING_SOFFICE": str(tmp_path / "no-soffice")})
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path / 'b.pdf'}: cannot write a PDF: LibreOffice is not "
                             "installed (no soffice or libreoffice command found; set "
                             "BRIEFING_SOFFICE to its path); nothing was written\n")
    assert list(tmp_path.iterdir()) == []


def test_a_libreoffice_that_fails_or_hangs_writes_nothing(tmp_path):
    fails, hangs = tmp_path / "fails.sh", tmp_path / "hangs.sh"
    fails.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 3\n")
    hangs.write_text("#!/bin/sh\nsleep 60\n")
    for script in (fails, hangs):
        script.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    result = run("build", SAMPLES[0], "-o", out / "b.docx", "--pdf",
                 env={"BRIEFING_SOFFICE": str(fails)})
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1, f"{out / 'b.docx'}: LibreOffice failed to make the PDF (exit 3: Error: source file "
           "could not be loaded); nothing was written")
    result = run("build", SAMPLES[0], "-o", out / "b.docx", "--pdf",
                 env={"BRIEFING_SOFFICE": str(hangs), "BRIEFING_PDF_TIMEOUT": "1"})
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1, f"{out / 'b.docx'}: LibreOffice took longer than 1 second to make the PDF and was "
           "stopped; nothing was written")
    assert list(out.iterdir()) == []
