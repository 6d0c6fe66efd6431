"""`briefing serve` in a real browser: Debian's chromium driven by Playwright.

Each test finds things as an officer does, by label and role.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefing.source.read import read_yaml
from tests.support.web_harness import chromium, live_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
SAMPLE_TITLE = "Meeting with the Secretary of State for Work and Pensions"

TITLE = "Jobs & growth: councils <lead> #1 {{ agenda }}"
HEADLINE = "Councils must lead: jobs & growth #localgov, not {{ Whitehall }} <alone>"
POINT = "Spend 5 < 7 & keep 'quotes' \"too\": yes"
ANSWER = "Many already do #localgov, see case studies"
COMMENT = "Members said: 3 # of 4 boards agree & <all> want {{ more }}"


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


def _page(browser, live):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    page.goto(live.opening)
    return page


def _save(page):
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()


def _docx_text(path: Path) -> str:
    from briefing.ooxml.package import Package
    from briefing.ooxml.read.doctext import read_paragraphs

    paragraphs = read_paragraphs(Package.open(path))
    return "\n".join("".join(s.text for s in p.segments) for p in paragraphs)


def test_a_new_briefing_entered_through_the_forms_builds_with_every_string_exact(
        browser, tmp_path):
    with live_server(tmp_path) as live:
        page = _page(browser, live)
        page.get_by_label("File name").fill("minister")
        page.get_by_role("button", name="Create briefing").click()
        page.get_by_text("Created from the starter").wait_for()

        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Reference (optional)").fill("")
        _save(page)

        page.get_by_role("link", name="Key messages").click()
        page.get_by_role("button", name="Add another key message").click()
        new = page.get_by_role("group", name="Key message 2")
        new.get_by_label("Short id").fill("jobs-growth")
        new.get_by_label("Headline").fill(HEADLINE)
        page.get_by_role("button", name="Add a point to key message 2").click()
        new = page.get_by_role("group", name="Key message 2")
        new.get_by_label("Point 1").fill(POINT)
        page.get_by_role("button", name="Add a suggested by to key message 2").click()
        page.get_by_role("group", name="Key message 2").get_by_label("Suggested by 1").fill(
            "City Regions Board, 2010")
        page.get_by_role("button", name="Remove key message 1").click()
        _save(page)

        page.get_by_role("link", name="Member comments").click()
        page.get_by_label("Text").fill(COMMENT)
        page.get_by_label("'councils-role' (not a key message id)").uncheck()
        page.get_by_label(HEADLINE).check()
        _save(page)

        page.get_by_role("link", name="Case studies").click()
        page.get_by_role("button", name="Remove case study 1").click()
        _save(page)

        page.get_by_role("link", name="Lines to take (if asked)").click()
        page.get_by_label("Answer").fill(ANSWER)
        _save(page)
        assert page.get_by_role("alert").count() == 0

        page.get_by_role("link", name="Briefings").click()
        row = page.get_by_role("row").filter(has_text="minister.yaml")
        assert "None" in row.inner_text()

        page.get_by_role("link", name=f"Build {TITLE}").click()
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the briefing (.docx)").click()
        docx = tmp_path / "downloaded.docx"
        info.value.save_as(docx)
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the lines card (.docx)").click()
        card = tmp_path / "card.docx"
        info.value.save_as(card)

    text = _docx_text(docx)
    for typed in (TITLE, HEADLINE, POINT, ANSWER, COMMENT):
        assert typed in text
    assert HEADLINE in _docx_text(card) and ANSWER in _docx_text(card)
    data = read_yaml((tmp_path / "minister.yaml").read_text(encoding="utf-8"), "x")[0]
    assert data["briefing"]["title"] == TITLE and "reference" not in data["briefing"]
    assert [km["id"] for km in data["key_messages"]] == ["jobs-growth"]
    assert data["member_comments"][0]["relates_to"] == ["jobs-growth"]
    assert "# The messages board members suggested" in (tmp_path / "minister.yaml").read_text()


def test_a_field_made_invalid_shows_its_message_at_the_field_and_in_the_summary(
        browser, tmp_path):
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    with live_server(tmp_path) as live:
        page = _page(browser, live)
        page.get_by_role("link", name=SAMPLE_TITLE, exact=True).click()
        page.get_by_role("link", name="Contact").click()
        page.get_by_label("Email").fill("officer.at.lga")
        page.keyboard.press("Tab")  # leaving the field checks it, before any button is pressed
        page.locator("#f-contact-email-error").wait_for()
        assert "contact.email: is not a valid email address" in page.locator(
            "#error-summary").inner_text()
        assert (page.get_by_label("Email").get_attribute("aria-invalid")) == "true"
        page.get_by_label("Email").fill("officer.name@local.gov.uk")
        page.keyboard.press("Tab")
        page.locator("#f-contact-email-error").wait_for(state="detached")
        assert page.locator("#error-summary").count() == 0
        page.get_by_label("Email").fill("officer.at.lga")
        page.get_by_role("button", name="Save", exact=True).first.click()

        summary = page.get_by_role("alert")
        summary.get_by_text("There is a problem").wait_for()
        message = "contact.email: is not a valid email address"
        link = summary.get_by_role("link", name=message)
        assert link.count() == 1
        assert page.title().startswith("Error: ")
        email = page.get_by_label("Email")
        described = email.get_attribute("aria-describedby") or ""
        error = page.locator(f"#{described.split()[-1]}")
        assert " ".join((error.text_content() or "").split()) == f"Error: {message}"
        assert error.is_visible()
        link.click()
        assert page.evaluate("document.activeElement.id") == "f-contact-email"
        assert "contact" in page.get_by_role("navigation", name="Sections").inner_text().lower()
        assert re.search(r"Contact \(1 problem\)",
                         page.get_by_role("navigation", name="Sections").inner_text())


def test_a_concurrent_change_on_disk_is_refused_not_lost(browser, tmp_path):
    path = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, path)
    with live_server(tmp_path) as live:
        page = _page(browser, live)
        page.get_by_role("link", name=SAMPLE_TITLE, exact=True).click()
        page.get_by_label("Title").fill("My new title")
        theirs = path.read_text(encoding="utf-8").replace(
            "Caxton House", "Another officer's venue")
        path.write_text(theirs, encoding="utf-8")
        page.get_by_role("button", name="Save", exact=True).first.click()

        page.get_by_role("heading", name="The file changed on disk since you opened it").wait_for()
        assert path.read_text(encoding="utf-8") == theirs
        assert "Another officer's venue" in page.get_by_label("On disk now").inner_text()
        assert "My new title" in page.get_by_label("Your version").inner_text()
        assert page.get_by_label("Title").input_value() == "My new title"


def test_a_key_message_can_be_entered_with_the_keyboard_alone(browser, tmp_path):
    from briefing.source.starter import write_starter

    write_starter(tmp_path / "kb.yaml")
    with live_server(tmp_path) as live:
        page = _page(browser, live)
        page.goto(f"{live.base}/edit/kb.yaml?section=key_messages")
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "Add another key message":
                break
        else:
            pytest.fail("Tab never reached 'Add another key message'")
        outline = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
        assert outline == "rgb(255, 221, 0)"  # focus is visible: the yellow focus state
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.id === 'f-key_messages-1-id'")
        page.keyboard.type("by-keyboard")
        page.keyboard.press("Tab")
        page.keyboard.type("Typed without a mouse: councils & <partners> #first")
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "Add a suggested by to key message 2":
                break
        else:
            pytest.fail("Tab never reached 'Add a suggested by'")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.id === 'f-key_messages-1-suggested_by-0'")
        page.keyboard.type("Keyboard Board")
        page.keyboard.press("Enter")  # Enter in a text box submits with the form's first button
        page.get_by_role("status").filter(has_text="Saved.").wait_for()

    data = read_yaml((tmp_path / "kb.yaml").read_text(encoding="utf-8"), "x")[0]
    assert data["key_messages"][1] == {
        "id": "by-keyboard", "headline": "Typed without a mouse: councils & <partners> #first",
        "suggested_by": ["Keyboard Board"]}


AUDIT = """() => {
  const lum = (rgb) => {
    const c = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      const alpha = bg.match(/[\\d.]+/g)[3];
      if (alpha === undefined || Number(alpha) > 0) return bg;
    }
    return "rgb(255, 255, 255)";
  };
  const problems = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const rect = el.getBoundingClientRect();
    if (!own || rect.width <= 1 || rect.height <= 1) continue;
    const a = lum(getComputedStyle(el).color), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) problems.push(`contrast ${ratio.toFixed(2)}: ${el.textContent.trim().slice(0, 40)}`);
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!el.labels || el.labels.length === 0 || !el.labels[0].textContent.trim())
      problems.push(`no label: ${el.name}`);
  }
  for (const el of document.querySelectorAll("fieldset")) {
    const legend = el.querySelector(":scope > legend");
    if (!legend || !legend.textContent.trim()) problems.push(`no legend: ${el.id}`);
  }
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    for (const id of el.getAttribute("aria-describedby").split(/\\s+/).filter(Boolean))
      if (!document.getElementById(id)) problems.push(`missing description ${id}`);
  }
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  if (new Set(ids).size !== ids.length) problems.push("duplicate ids");
  return problems;
}"""


def test_every_page_has_labels_legends_and_text_contrast_of_at_least_4_5(browser, tmp_path):
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    with live_server(tmp_path) as live:
        page = _page(browser, live)
        urls = [f"{live.base}/"] + [
            f"{live.base}/edit/{SAMPLE.name}?section={s}"
            for s in ("briefing", "meeting", "key_messages", "member_comments", "case_studies",
                      "contact")] + [f"{live.base}/build/{SAMPLE.name}",
                                     f"{live.base}/minutes/{SAMPLE.name}"]
        for url in urls:
            page.goto(url)
            assert page.evaluate(AUDIT) == [], url
        page.goto(f"{live.base}/edit/{SAMPLE.name}?section=contact")
        page.get_by_label("Email").fill("not an address")
        page.get_by_role("button", name="Check for problems").click()
        page.get_by_role("alert").wait_for()
        assert page.evaluate(AUDIT) == []
