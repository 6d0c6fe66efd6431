"""The "Import minutes" page: paste or upload the minutes, keep the points you want."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from briefing.source.read import read_yaml
from tests.source.test_minutes import OPENINGS, SEED, as_docx, as_html
from tests.support.web_harness import chromium, client, live_server

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
NAME = "b.yaml"
HEADING = "Meeting of People and Places Board, Thursday 16th June, 2016 (Item 4.)"


@pytest.fixture
def seed(seed_text: str) -> str:
    return seed_text


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(SAMPLE, served / NAME)
    return served


def comments(folder: Path) -> list[dict]:
    return read_yaml((folder / NAME).read_text(encoding="utf-8"), NAME)[0]["member_comments"]


def points_on(page: str) -> list[str]:
    import html

    return [html.unescape(p.split(">", 1)[1].split("</textarea>", 1)[0])
            for p in page.split('<textarea id="text-')[1:]]


def test_pasted_seed_minutes_give_the_seven_points(folder, seed):
    c = client(folder)
    page = c.post(f"/minutes/{NAME}", data={"csrf": c.keys.csrf, "pasted": seed,
                                            "action": "read"})
    assert page.status_code == 200
    points = points_on(page.text)
    assert len(points) == 7
    assert [p[:len(o)] for p, o in zip(points, OPENINGS)] == OPENINGS


@pytest.mark.parametrize("kind", ["docx", "html", "txt"])
def test_uploaded_minutes_give_the_seven_points(folder, seed, tmp_path, kind):
    made = {"docx": lambda: as_docx(seed, tmp_path / "m.docx", HEADING),
            "html": lambda: as_html(seed, tmp_path / "m.html", HEADING),
            "txt": lambda: SEED}[kind]()
    c = client(folder)
    page = c.post(f"/minutes/{NAME}", data={"csrf": c.keys.csrf, "action": "read"},
                  files={"upload": (f"minutes.{kind}", made.read_bytes())})
    assert page.status_code == 200, page.text[:300]
    assert [p[:len(o)] for p, o in zip(points_on(page.text), OPENINGS)] == OPENINGS
    if kind != "txt":
        assert 'value="People and Places Board"' in page.text
        assert 'value="2016-06-16"' in page.text


def test_the_ticked_points_are_appended_in_place(folder, seed):
    c = client(folder)
    before = (folder / NAME).read_text(encoding="utf-8")
    page = c.post(f"/minutes/{NAME}", data={"csrf": c.keys.csrf, "pasted": seed,
                                            "action": "read"}).text
    base = page.split('name="base" value="', 1)[1].split('"', 1)[0]
    points = points_on(page)
    form = {"csrf": c.keys.csrf, "base": base, "action": "add", "count": "7",
            "board": "People and Places Board", "meeting_date": "2016-06-16", "item": "4",
            "relates_to.1": ["local-commissioning"]}
    for i, text in enumerate(points):
        form[f"text.{i}"] = text
        if i != 6:
            form[f"keep.{i}"] = "1"
    response = c.post(f"/minutes/{NAME}", data=form)
    assert response.status_code == 303
    added = comments(folder)[-6:]
    assert [a["text"] for a in added] == points[:6]
    assert added[1]["relates_to"] == ["local-commissioning"] and added[0]["relates_to"] == []
    assert {a["board"] for a in added} == {"People and Places Board"}
    assert (folder / NAME).read_text(encoding="utf-8").startswith(before.rsplit("\nmember_comments:", 1)[0])


def test_adding_needs_the_board_and_the_date(folder, seed):
    c = client(folder)
    before = (folder / NAME).read_bytes()
    response = c.post(f"/minutes/{NAME}", data={
        "csrf": c.keys.csrf, "base": "x", "action": "add", "count": "1", "keep.0": "1",
        "text.0": "A point", "board": "", "meeting_date": ""})
    assert response.status_code == 400
    assert "Enter the board whose minutes these are" in response.text
    assert (folder / NAME).read_bytes() == before


@pytest.mark.parametrize("filename, data, message", [
    ("minutes.exe", b"MZ\x90\x00", "must be a .docx, .html or .txt file"),
    ("minutes.docx", b"PK\x03\x04 not really a zip", "minutes.docx"),
])
def test_an_upload_we_do_not_read_is_refused_with_a_message(folder, filename, data, message):
    c = client(folder)
    response = c.post(f"/minutes/{NAME}", data={"csrf": c.keys.csrf, "action": "read"},
                      files={"upload": (filename, data)})
    assert response.status_code == 400
    assert message in response.text
    assert "Traceback" not in response.text


def test_a_zip_bomb_docx_is_refused_by_the_package_guards(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * (300 * 1024 * 1024) + b"/>")
    c = client(folder)
    response = c.post(f"/minutes/{NAME}", data={"csrf": c.keys.csrf, "action": "read"},
                      files={"upload": ("minutes.docx", buffer.getvalue())})
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_an_upload_over_10_mb_is_refused(folder):
    c = client(folder)
    response = c.post(f"/minutes/{NAME}", data={"csrf": c.keys.csrf, "action": "read"},
                      files={"upload": ("minutes.txt", b"x" * (10 * 1024 * 1024 + 10))})
    assert response.status_code == 413


@pytest.mark.browser
def test_minutes_pasted_in_the_browser_become_the_comments_ticked(folder, seed):
    with live_server(folder) as live, chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.goto(live.opening)
        page.goto(f"{live.base}/edit/{NAME}?section=member_comments")
        page.get_by_role("link", name="Import minutes").click()
        page.get_by_label("Paste the minutes").fill(seed)
        page.get_by_role("button", name="Find the points members made").click()
        assert page.get_by_role("group", name=re.compile(r"^Point \d$")).count() == 7
        page.get_by_label("Board").fill("People and Places Board")
        page.get_by_label("Meeting date").fill("2016-06-16")
        page.get_by_label("Keep point 7").uncheck()
        point = page.get_by_role("group", name="Point 2 relates to key messages")
        point.get_by_label("Councils should help commission the Work Programme").check()
        page.get_by_role("button", name="Add the ticked points as member comments").click()
        page.get_by_role("status").filter(has_text="Saved.").wait_for()
    added = comments(folder)[-6:]
    assert [a["text"][:len(o)] for a, o in zip(added, OPENINGS)] == OPENINGS[:6]
    assert added[1]["relates_to"] == ["local-commissioning"]



