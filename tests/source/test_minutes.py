"""Minutes import: the points members made become proposed member comments, one per bullet."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.source.load import load_briefing
from briefing.source.minutes import minutes_from_text, read_minutes, unique_slug
from briefing.source.starter import starter_text
from tests.conftest import SEED_MINUTES as SEED

# The first words of each of the seven points members made, in order.
OPENINGS = [
    "There had been some difficulties engaging with DWP",
    "Members expressed concern with the retention of Job Centre Plus.",
    "In reference to paragraph 6, there was concern about joint working",
    "Local authorities and local businesses were aware of the skills sets",
    "Members felt that the vision for the skills agenda could be improved",
    "There had been instances where sixth form colleges",
    "Members asked officers to continue to develop the evidence base",
]
ITEM = "Skills and Employment Update - Next steps"


def seed_paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def as_docx(text: str, path: Path, heading: str | None = None) -> Path:
    """Write the minutes as Word would: bullets as 'List Bullet' paragraphs without the dot."""
    document = docx.Document()
    if heading:
        document.add_paragraph(heading)
    for line in seed_paragraphs(text):
        if line.startswith("·"):
            document.add_paragraph(line.lstrip("· ").strip(), style="List Bullet")
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def as_html(text: str, path: Path, heading: str) -> Path:
    """Write the minutes as a committee website's saved page: heading, <ul> of points, script."""
    body, in_list = [], False
    for line in seed_paragraphs(text):
        if line.startswith("·"):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li><p>{html.escape(line.lstrip('· ').strip())}</p></li>")
        else:
            if in_list:
                body.append("</ul>")
                in_list = False
            body.append(f"<p>{html.escape(line)}</p>")
    page = ("<!DOCTYPE html><html><head><title>Agenda item</title>"
            "<script>document.write('Members made the following points: injected')</script>"
            "<style>p::before { content: 'x' }</style></head><body>"
            f"<div class='mgSubTitle'>{heading}</div>" + "\n".join(body) + "</body></html>")
    path.write_text(page, encoding="utf-8")
    return path


def test_the_seed_minutes_give_the_seven_points_members_made(seed_text):
    minutes = read_minutes(SEED)
    assert len(minutes.points) == 7
    assert [p[:len(o)] for p, o in zip(minutes.points, OPENINGS)] == OPENINGS
    assert minutes.points[-1].endswith("so that it could be used in our lobbying work.")
    assert (minutes.board, minutes.meeting_date, minutes.item) == (None, None, ITEM)


def test_pasted_text_gives_the_same_points(seed_text):
    assert minutes_from_text(seed_text).points == read_minutes(SEED).points


def test_the_same_minutes_as_docx_give_the_same_points(seed_text, tmp_path):
    path = as_docx(seed_text, tmp_path / "minutes.docx")
    minutes = read_minutes(path)
    assert minutes.points == read_minutes(SEED).points
    assert minutes.item == ITEM


def test_uploaded_bytes_are_read_by_their_kind(seed_text, tmp_path):
    from briefing.source.minutes import minutes_from_bytes

    points = read_minutes(SEED).points
    word = as_docx(seed_text, tmp_path / "minutes.docx").read_bytes()
    assert minutes_from_bytes(word, "minutes.docx").points == points
    assert minutes_from_bytes(seed_text.encode("cp1252", "replace"), "m.txt").points[0] == \
        points[0]


def test_the_same_minutes_as_a_saved_web_page_give_the_points_and_the_heading(seed_text,
                                                                             tmp_path):
    heading = ("Meeting of People and Places Board, Thursday 16th June, 2016 11.00 am "
               "(Item 4.)")
    minutes = read_minutes(as_html(seed_text, tmp_path / "minutes.html", heading))
    assert minutes.points == read_minutes(SEED).points
    assert (minutes.board, minutes.meeting_date, minutes.item) == (
        "People and Places Board", dt.date(2016, 6, 16), ITEM)
    assert "injected" not in " ".join(minutes.points + minutes.heading)


@pytest.mark.parametrize("text, points", [
    ("Members made the following points:\n- One\n  continued here\n- Two\nDecision\n- Not me",
     ["One continued here", "Two"]),
    ("The following points were made:\n\nFirst paragraph.\n\nSecond paragraph.\n\nActions:\n"
     "1. Officers to act.", ["First paragraph.", "Second paragraph."]),
    ("In discussion members raised the following points:\n• A & B\n\nThe Chair agreed.\n",
     ["A & B", "The Chair agreed."]),
    ("The paper set out the following points:\n- Not a member's\nMembers made the following "
     "points:\n- Theirs\nRESOLVED: that the report be noted.\n- Not a point", ["Theirs"]),
])
def test_bullets_paragraphs_and_the_end_of_the_points(text, points):
    assert minutes_from_text(text).points == points


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def briefing_file(tmp_path) -> Path:
    path = tmp_path / "briefing.yaml"
    path.write_text(starter_text("briefing.yaml", dt.date(2016, 6, 20)), encoding="utf-8")
    return path


def test_import_minutes_appends_them_in_place(seed_text, briefing_file):
    before = briefing_file.read_text(encoding="utf-8")
    result = run("import-minutes", str(SEED), "--into", str(briefing_file),
                 "--board", "People and Places Board", "--date", "2016-06-16")
    assert result.exit_code == 0, result.output
    assert "added 7 member comments from 000_a28ce0ba90a83160.txt" in result.output
    after = briefing_file.read_text(encoding="utf-8")
    end = before.index("\n\n# Excerpts")
    assert after.startswith(before[:end]) and after.endswith(before[end:])
    comments = load_briefing(briefing_file).value.briefing.member_comments[1:]
    assert [c.text[:len(o)] for c, o in zip(comments, OPENINGS)] == OPENINGS
    assert {(c.board, c.meeting_date, c.item, tuple(c.relates_to)) for c in comments} == {
        ("People and Places Board", dt.date(2016, 6, 16), ITEM, ())}
    assert comments[0].id == "difficulties-engaging-dwp-relationship"
    again = run("import-minutes", str(SEED), "--into", str(briefing_file),
                "--board", "People and Places Board", "--date", "2016-06-16")
    assert again.exit_code == 0, again.output
    ids = [c.id for c in load_briefing(briefing_file).value.briefing.member_comments]
    assert len(ids) == len(set(ids)) == 15
    assert "difficulties-engaging-dwp-relationship-2" in ids


def test_import_without_board_or_date_is_refused_and_writes_nothing(seed_text, briefing_file):
    before = briefing_file.read_bytes()
    result = run("import-minutes", str(SEED), "--into", str(briefing_file))
    assert result.exit_code == 1
    assert result.output.strip() == (f"{SEED}: the minutes do not give the board or meeting "
                                     "date; give --board and --date")
    assert briefing_file.read_bytes() == before


def test_a_bad_date_is_a_usage_error(seed_text, briefing_file):
    result = run("import-minutes", str(SEED), "--into", str(briefing_file), "--board", "B",
                 "--date", "16/06/2016")
    assert result.exit_code == 2
    assert "error: --date: '16/06/2016' is not a date like 2016-06-16" in result.output


@pytest.mark.parametrize("name, content, message", [
    ("minutes.docx", b"PK\x03\x04" + b"\x00" * 64, "not a Word document"),
    ("minutes.docx", b"not a zip at all", "not a Word document"),
    ("minutes.txt", b"Just some notes with no points.\n", "no lead-in such as 'members made "
                                                       "the following points:' was found"),
])
def test_unreadable_or_pointless_minutes_are_refused(tmp_path, briefing_file, name, content,
                                                     message):
    source = tmp_path / name
    source.write_bytes(content)
    before = briefing_file.read_bytes()
    result = run("import-minutes", str(source), "--into", str(briefing_file), "--board", "B",
                 "--date", "2016-06-16")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert briefing_file.read_bytes() == before


def test_slugs_are_short_and_unique():
    taken = {"members-felt-vision"}
    assert unique_slug("Members felt that the vision was good", taken) == "felt-vision-good"
    assert unique_slug("Members felt that the vision was good", taken) == "felt-vision-good-2"
    assert unique_slug("!!!", taken) == "comment"
