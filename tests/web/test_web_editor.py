"""The editor over HTTP: saves in place, stores what was typed, refuses lost updates."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app as cli_app
from briefing.source.read import read_yaml
from tests.support.web_harness import client, form_fields, post_form

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
NAME = SAMPLE.name
KM = f"/edit/{NAME}?section=key_messages"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SAMPLE, tmp_path / NAME)
    return tmp_path


def data(folder: Path) -> dict:
    return read_yaml((folder / NAME).read_text(encoding="utf-8"), NAME)[0]


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_saving_one_field_changes_only_its_line(folder):
    c = client(folder)
    before = (folder / NAME).read_text(encoding="utf-8")
    response = post_form(c, KM, {"key_messages.0.headline": "Councils must lead."},
                         action="save")
    assert response.status_code == 303
    assert "saved=1" in response.headers["location"]
    after = (folder / NAME).read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-    headline: Councils should help commission the Work Programme, not watch from "
        "the side-lines.",
        "+    headline: Councils must lead."]
    assert "Saved." in c.get(response.headers["location"]).text


def test_saving_an_untouched_form_changes_no_byte(folder):
    c = client(folder)
    before = (folder / NAME).read_bytes()
    for section in ("briefing", "meeting", "objectives", "key_messages", "member_comments",
                    "case_studies", "lines_to_take", "background", "contact", "clearance"):
        response = post_form(c, f"/edit/{NAME}?section={section}", action="save")
        assert response.status_code == 303, section
    assert (folder / NAME).read_bytes() == before


TRICKY = ["Many already do #localgov, see case studies", "Jobs & growth: councils must lead",
          "5 < 7 and <b>bold</b>", "{{ not a template }} {% neither %}", "'quoted' \"twice\"",
          "007", "yes", "no", "3", "2010-09-15", "  padded  ", "line one\nline two",
          "- a dash", "[not a list]", "null", "~", "@at", "%percent", "`tick`", "Tŷ Hafan £2.5m"]


@pytest.mark.parametrize("typed", TRICKY)
def test_whatever_is_typed_is_stored_exactly(folder, typed):
    c = client(folder)
    response = post_form(c, KM, {"key_messages.1.headline": typed,
                                 "key_messages.1.points.0": typed}, action="save")
    assert response.status_code == 303
    km = data(folder)["key_messages"][1]
    assert km["headline"] == typed and km["points"][0] == typed
    shown = dict(form_fields(c.get(KM).text))
    assert shown["key_messages.1.headline"] == typed


def test_a_number_field_takes_a_number_and_keeps_text_it_cannot_read(folder):
    c = client(folder)
    url = f"/edit/{NAME}?section=briefing"
    post_form(c, url, {"briefing.version": "3"}, action="save")
    assert data(folder)["briefing"]["version"] == 3
    response = post_form(c, url, {"briefing.version": "three"}, action="save")
    assert response.status_code == 303
    assert data(folder)["briefing"]["version"] == "three"
    page = c.get(url).text
    assert "briefing.version: must be a whole number, not &#39;three&#39;" in page


def test_comments_and_layout_survive_saves(folder):
    c = client(folder)
    text = (folder / NAME).read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    for n in range(5):
        post_form(c, KM, {"key_messages.0.headline": f"Version {n}: councils lead #{n}"},
                  action="save")
    after = (folder / NAME).read_text(encoding="utf-8")
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == comments
    assert len(changed_lines(text, after)) == 2


def test_a_concurrent_change_on_disk_is_refused_not_lost(folder):
    c = client(folder)
    html = c.get(KM).text
    text = (folder / NAME).read_text(encoding="utf-8")
    theirs = text.replace("not watch from the side-lines", "not stand aside").replace(
        "venue: ", "venue: Room 2, ")
    (folder / NAME).write_text(theirs, encoding="utf-8")
    response = post_form(c, KM, {"key_messages.1.headline": "Mine"}, html=html, action="save")
    assert response.status_code == 409
    assert (folder / NAME).read_text(encoding="utf-8") == theirs
    assert "changes were <strong>not saved</strong>" in response.text
    assert "not stand aside" in response.text  # their version is shown
    assert dict(form_fields(response.text))["key_messages.1.headline"] == "Mine"
    assert dict(form_fields(response.text))["key_messages.0.headline"].endswith("stand aside.")
    # Saving again after seeing both keeps their changes (in this section and others) and
    # makes mine.
    again = post_form(c, KM, html=response.text, action="save")
    assert again.status_code == 303
    assert data(folder)["key_messages"][1]["headline"] == "Mine"
    assert data(folder)["key_messages"][0]["headline"].endswith("not stand aside.")
    assert data(folder)["meeting"]["venue"].startswith("Room 2, ")


def test_problems_are_in_validates_words_at_the_field_and_in_the_summary(folder):
    c = client(folder)
    response = post_form(c, KM, {"key_messages.0.id": "Local Commissioning",
                                 "key_messages.2.headline": ""}, action="save")
    assert response.status_code == 303
    cli = CliRunner().invoke(cli_app, ["validate", str(folder / NAME)])
    assert cli.exit_code == 1
    wanted = [line.split(": ", 1)[1] for line in cli.output.strip().splitlines()
              if "key_messages" in line]
    page = c.get(KM).text
    import html as h

    summary, rest = page.split('id="error-summary"', 1)[1].split("</div>", 1)
    for message in wanted:
        assert message in h.unescape(summary)
        assert message in h.unescape(rest)
    assert 'href="#f-key_messages-2-headline"' in page
    assert 'id="f-key_messages-2-headline-error"' in page


def test_problems_after_a_save_are_where_validate_finds_them(folder):
    """A save validates the text it wrote from the editor's own reading of it; each problem
    must still be at the line and column `briefing validate` gives, read afresh."""
    from briefing.web import store

    c = client(folder)
    response = post_form(c, KM, {"key_messages.0.id": "Local Commissioning",
                                 "key_messages.2.headline": "",
                                 "key_messages.1.points.0": "One line.\nAnother line.\nA third."},
                         action="save")
    assert response.status_code == 303
    saved = store.snapshot(folder / NAME, NAME)  # what the page shows: the save's snapshot
    fresh = store.snapshot_of_text((folder / NAME).read_text(encoding="utf-8"), NAME)
    assert len(saved.problems) == 2 and "Another line." in saved.text
    assert [str(p) for p in saved.problems] == [str(p) for p in fresh.problems]
    cli = CliRunner().invoke(cli_app, ["validate", str(folder / NAME)])
    for problem in saved.problems:
        assert f":{problem.line}:{problem.column}: {problem.path}: " in cli.output


def test_add_move_and_remove_entries(folder):
    c = client(folder)
    url = f"/edit/{NAME}?section=objectives"
    first = data(folder)["objectives"]
    page = post_form(c, url, op="add:objectives")
    assert page.status_code == 200 and "Not saved yet" in page.text
    assert data(folder)["objectives"] == first
    page = post_form(c, url, {"objectives.3": "A fourth"}, html=page.text, op="up:objectives.3")
    page = post_form(c, url, html=page.text, op="remove:objectives.0")
    saved = post_form(c, url, html=page.text, action="save")
    assert saved.status_code == 303
    assert data(folder)["objectives"] == [first[1], "A fourth", first[2]]


def test_relates_to_is_a_choice_of_key_messages_by_headline(folder):
    c = client(folder)
    url = f"/edit/{NAME}?section=member_comments"
    page = c.get(url).text
    headline = data(folder)["key_messages"][0]["headline"]
    assert f">{headline}</label>" in page
    fields = [(k, v) for k, v in form_fields(page) if k != "member_comments.0.relates_to"]
    fields.append(("member_comments.0.relates_to", "local-commissioning"))
    fields.append(("action", "save"))
    out: dict[str, list[str]] = {}
    for k, v in fields:
        out.setdefault(k, []).append(v)
    assert c.post(url, data=out).status_code == 303
    assert data(folder)["member_comments"][0]["relates_to"] == ["local-commissioning"]


def test_agreed_with_council_is_a_checkbox(folder):
    c = client(folder)
    url = f"/edit/{NAME}?section=case_studies"
    page = c.get(url).text
    assert 'type="checkbox" id="f-case_studies-0-agreed_with_council"' in page
    fields = [(k, v) for k, v in form_fields(page)
              if k != "case_studies.0.agreed_with_council"] + [("action", "save")]
    out: dict[str, list[str]] = {}
    for k, v in fields:
        out.setdefault(k, []).append(v)
    assert c.post(url, data=out).status_code == 303
    assert data(folder)["case_studies"][0]["agreed_with_council"] is False


def test_new_briefing_writes_the_starter_and_opens_it(folder):
    c = client(folder)
    response = c.post("/new", data={"csrf": c.keys.csrf, "name": "minister-meeting"})
    assert response.status_code == 303
    assert (folder / "minister-meeting.yaml").read_text().startswith("# yaml-language-server")
    page = c.get(response.headers["location"]).text
    assert "Created from the starter" in page
    again = c.post("/new", data={"csrf": c.keys.csrf, "name": "minister-meeting"})
    assert again.status_code == 400 and "already exists" in again.text


def test_home_lists_title_status_version_and_problems(folder):
    (folder / "broken.yaml").write_text("briefing:\n  title: Half done\n", encoding="utf-8")
    c = client(folder)
    page = c.get("/").text
    assert "Meeting with the Secretary of State for Work and Pensions" in page
    assert "for-clearance" in page and "Half done" in page
    assert "problems</strong>" in page and ">None<" in page


def test_build_offers_both_documents_and_check_findings(folder):
    c = client(folder)
    page = c.get(f"/build/{NAME}").text
    assert "Download the briefing (.docx)" in page and "Check findings" in page
    for template in ("chairman-briefing", "lines-card"):
        response = c.get(f"/download/{NAME}?template={template}")
        assert response.status_code == 200
        assert response.content[:2] == b"PK"
        assert "attachment" in response.headers["content-disposition"]


def test_a_file_yaml_cannot_read_shows_its_problems_and_no_form(folder):
    (folder / "broken.yaml").write_text("briefing:\n  title: [unclosed\n", encoding="utf-8")
    c = client(folder)
    home = c.get("/").text
    assert "broken.yaml" in home and "1 problem</strong>" in home
    page = c.get("/edit/broken.yaml")
    assert page.status_code == 200
    assert "cannot be read as a briefing" in page.text
    assert 'class="editor"' not in page.text
    cli = CliRunner().invoke(cli_app, ["validate", str(folder / "broken.yaml")])
    message = cli.output.strip().splitlines()[0].split(": ", 1)[1]
    import html as h

    assert message.split(": ", 1)[1] in h.unescape(page.text)
    assert "Traceback" not in page.text


def test_where_both_changed_the_same_value_the_refusal_shows_both_and_mine_is_offered(folder):
    c = client(folder)
    html = c.get(KM).text
    text = (folder / NAME).read_text(encoding="utf-8")
    theirs = text.replace("not watch from the side-lines", "not stand aside")
    (folder / NAME).write_text(theirs, encoding="utf-8")
    response = post_form(c, KM, {"key_messages.0.headline": "Mine"}, html=html, action="save")
    assert response.status_code == 409
    assert (folder / NAME).read_text(encoding="utf-8") == theirs
    assert "not stand aside" in response.text.split("Your version", 1)[0]
    assert dict(form_fields(response.text))["key_messages.0.headline"] == "Mine"


def test_an_entry_just_added_is_not_a_problem_until_it_is_worked_on(folder):
    c = client(folder)
    page = post_form(c, KM, op="add:key_messages")
    assert page.status_code == 200
    assert 'id="f-key_messages-8-id"' in page.text and "autofocus" in page.text
    assert 'id="error-summary"' not in page.text
    checked = post_form(c, KM, html=page.text, action="check")
    assert "key_messages[8].headline: is empty" in checked.text


def test_fields_the_file_does_not_have_stay_out_unless_typed(folder):
    text = (folder / NAME).read_text(encoding="utf-8")
    trimmed = text.replace("  classification: OFFICIAL\n", "")
    (folder / NAME).write_text(trimmed, encoding="utf-8")
    c = client(folder)
    assert post_form(c, f"/edit/{NAME}?section=briefing", action="save").status_code == 303
    assert (folder / NAME).read_text(encoding="utf-8") == trimmed
    post_form(c, f"/edit/{NAME}?section=briefing", {"briefing.classification": "NONE"},
              action="save")
    assert data(folder)["briefing"]["classification"] == "NONE"
