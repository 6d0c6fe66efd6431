"""The Clearance page lists the drafts built from a briefing (version and date read from each
document) and records whom each went to; the recorded names are offered for the copies."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from briefing.document.build import build_file
from briefing.ooxml.ns import DCTERMS
from briefing.ooxml.package import Package
from briefing.ooxml.read.inspect import core_property
from tests.support.web_harness import client
from tests.web.test_web_clearance import NAME, post, start

GOOD = {"sent.members": "Cllr Ann\nCllr Bob Lee\n", "sent.date": "2026-03-01",
        "sent.note": "by email,  with the   covering note"}


def state(served: Path) -> dict:
    path = served / ".briefing" / "clearance" / NAME / "state.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def row(html: str, file: str) -> list[str]:
    found = re.search(rf"<tr><td>{re.escape(file)}</td>(.*?)</tr>", html, re.S)
    assert found, f"no row for {file}"
    return re.findall(r"<td>(.*?)</td>", found.group(1), re.S)


def test_version_and_date_come_from_the_document_not_its_file(served, draft):
    misleading = draft.rename(served / "briefing-v9-final.docx")
    os.utime(misleading, (0, 0))  # a file date of 1970: a copy or a download changes it
    saved = core_property(Package.open(misleading), f"{{{DCTERMS}}}modified")
    built = dt.datetime.fromisoformat(saved.replace("Z", "+00:00"))
    page = client(served).get(f"/clearance/{NAME}")
    version, template, date, sent_to = row(page.text, misleading.name)
    assert (version, template) == ("2", "chairman-briefing")
    assert date == built.strftime("%Y-%m-%d %H:%M UTC") and "1970" not in date
    assert sent_to == "not recorded"


def test_whom_a_draft_went_to_is_recorded_shown_and_offered_for_the_copies(served, draft):
    c = client(served)
    page = post(c, action="sent", **{"sent.draft": draft.name, **GOOD})
    assert page.status_code == 200, page.text
    assert f"Recorded: {draft.name} went to Cllr Ann, Cllr Bob Lee on 2026-03-01." in page.text
    assert row(page.text, draft.name)[3] == \
        '<p class="sent">Cllr Ann, Cllr Bob Lee on 2026-03-01 (by email, with the covering note)</p>'
    assert state(served)["sent"] == {draft.name: [
        {"version": 2, "members": ["Cllr Ann", "Cllr Bob Lee"], "date": "2026-03-01",
         "note": "by email, with the covering note"}]}
    # a second sending (a member missed out) is kept beside the first
    post(c, action="sent", **{"sent.draft": draft.name, "sent.members": "Cllr Dee",
                              "sent.date": "2026-03-02"})
    assert len(state(served)["sent"][draft.name]) == 2
    # starting the round with that draft: the names are offered for each copy
    page = start(c, draft)
    assert page.status_code == 200
    assert re.search(r'<datalist id="recipients"><option value="Cllr Ann"><option value="Cllr '
                     r'Bob Lee"><option value="Cllr Dee"></datalist>', page.text)
    assert page.text.count('list="recipients"') == 4
    # a new round keeps the record of whom the drafts went to
    assert start(c, draft).status_code == 200
    assert len(state(served)["sent"][draft.name]) == 2
    assert "Cllr Dee on 2026-03-02" in c.get(f"/clearance/{NAME}").text


def test_without_a_record_no_names_are_offered(served, draft):
    page = start(client(served), draft)
    assert "<datalist" not in page.text and 'list="recipients"' not in page.text


TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("typed, field, message", [
    ({"sent.members": " \n ; "}, "f-sent-members",
     "Enter the name of at least one member the draft went to"),
    ({"sent.date": ""}, "f-sent-date", "Enter the date the draft was sent"),
    ({"sent.date": "2026-02-30"}, "f-sent-date",
     "Date sent must be a real date, for example 2026-03-01"),
    ({"sent.date": "1/3/2026"}, "f-sent-date",
     "Date sent must be a real date, for example 2026-03-01"),
    ({"sent.date": TOMORROW}, "f-sent-date", "Date sent must be today or in the past"),
    ({"sent.draft": "../b.yaml"}, "f-sent-draft", "Select the draft you sent"),
])
def test_a_problem_in_the_form_is_shown_at_its_field_and_nothing_is_recorded(
        served, draft, typed, field, message):
    c = client(served)
    page = post(c, action="sent", **{"sent.draft": draft.name, **GOOD, **typed})
    assert page.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', page.text, re.S).group(0)
    assert f'<li><a href="#{field}">{message}</a></li>' in summary
    assert summary.count("<li>") == 1
    assert (f'<p class="error-message" id="{field}-error"><span class="visually-hidden">'
            f'Error:</span> {message}</p>') in page.text
    control = re.search(rf'<(?:input|textarea|select)[^>]* id="{field}"[^>]*>', page.text)
    assert f"{field}-error" in control.group(0) and 'aria-invalid="true"' in control.group(0)
    assert '<details class="record-sent" open>' in page.text
    # what was typed stays in the form
    assert "Cllr Bob Lee" in page.text or "sent.members" in typed
    assert "sent" not in state(served)


def test_a_draft_rebuilt_as_another_version_under_the_same_name_has_no_record(served, draft):
    c = client(served)
    post(c, action="sent", **{"sent.draft": draft.name, **GOOD})
    yaml = served / NAME
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("  version: 2\n", "  version: 3\n",
                                                             1), encoding="utf-8")
    build_file(yaml, out=draft, force=True)
    page = start(c, draft)
    assert row(page.text, draft.name)[:1] == ["3"]
    assert row(page.text, draft.name)[3] == "not recorded"
    assert "<datalist" not in page.text
    assert len(state(served)["sent"][draft.name]) == 1  # version 2's record is kept


@pytest.mark.browser
def test_recording_whom_a_draft_went_to_in_the_browser(served, draft):
    from playwright.sync_api import expect

    from tests.support.web_harness import chromium, live_server

    with live_server(served) as live, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(live.opening)
        page.goto(f"{live.base}/clearance/{NAME}")
        page.get_by_text("Record whom a draft went to").click()
        page.get_by_label("Date sent").fill("")
        page.get_by_role("button", name="Record whom it went to").click()
        expect(page.locator("#error-summary")).to_be_focused()
        page.get_by_role("link", name="Enter the name of at least one member").click()
        members = page.get_by_label("Members it went to")
        expect(members).to_be_focused()
        expect(members).to_have_accessible_description(re.compile(
            r"One name per line.*Error: Enter the name of at least one member"))
        page.keyboard.type("Cllr Ann\nCllr Bob Lee")
        page.get_by_label("Date sent").fill("2026-03-01")
        page.get_by_role("button", name="Record whom it went to").click()
        expect(page.get_by_role("status")).to_contain_text(
            f"Recorded: {draft.name} went to Cllr Ann, Cllr Bob Lee on 2026-03-01.")
        expect(page.get_by_role("row", name=re.compile(re.escape(draft.name)))).to_contain_text(
            "Cllr Ann, Cllr Bob Lee on 2026-03-01")
        page.get_by_label("A draft in this folder").select_option(draft.name)
        page.get_by_role("button", name="Use this draft").click()
        name = page.get_by_label("Member's name for copy 1 (optional)")
        assert name.evaluate("e => [...e.list.options].map(o => o.value)") == [
            "Cllr Ann", "Cllr Bob Lee"]
        expect(name).to_have_accessible_description(re.compile("went to Cllr Ann, Cllr Bob Lee"))
