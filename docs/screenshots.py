"""Take the README's screenshots of `briefing serve` in Debian's chromium.

    python docs/screenshots.py

Serves a copy of the typical sample, opens each page as an officer would and
writes docs/serve-*.png.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.web_harness import chromium, live_server  # noqa: E402

SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
SEED = ROOT.parent / "shared" / "seeds" / "000_a28ce0ba90a83160.txt"


def main() -> None:
    temporary = Path(tempfile.mkdtemp(prefix="serve-shots-"))
    folder = temporary / "briefings"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copy(ROOT / "samples" / "work-and-health-2016.yaml", folder)
    out = ROOT / "docs"
    try:
        with live_server(folder) as live, chromium() as browser:
            page = browser.new_page(viewport={"width": 1200, "height": 760}, locale="en-GB")
            page.goto(live.opening)
            page.screenshot(path=out / "serve-home.png")
            page.goto(f"{live.base}/edit/{SAMPLE.name}?section=key_messages")
            page.get_by_label("Headline").first.fill("")
            page.get_by_role("group", name="Key message 1").get_by_label("Short id").fill(
                "Local Commissioning")
            page.get_by_role("button", name="Check for problems").click()
            page.screenshot(path=out / "serve-editor-problems.png")
            page.goto(f"{live.base}/build/{SAMPLE.name}")
            page.screenshot(path=out / "serve-build.png")
            if SEED.is_file():
                page.goto(f"{live.base}/minutes/{SAMPLE.name}")
                page.get_by_label("Paste the minutes").fill(SEED.read_text(encoding="utf-8"))
                page.get_by_role("button", name="Find the points members made").click()
                page.get_by_label("Board").fill("People and Places Board")
                page.get_by_label("Meeting date").fill("2016-06-16")
                page.get_by_role("group", name="Point 1", exact=True).scroll_into_view_if_needed()
                page.screenshot(path=out / "serve-minutes.png")
            clearance(page, live.base, folder, temporary, out)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    print("wrote", ", ".join(p.name for p in sorted(out.glob("serve-*.png"))))


def clearance(page, base: str, folder: Path, temporary: Path, out: Path) -> None:
    """Take the Clearance page: whom the draft went to recorded, then three members' copies
    combined, with a conflict between two of them and a third member's comments."""
    from briefing.document.build import build_file
    from tests.clearance.test_combine import _with_comments, member_copy

    draft = build_file(folder / SAMPLE.name).value
    ann = member_copy(draft, temporary / "ann.docx", {
        "Civil servants say": "Officials say", "cuts across both": "undermines both"}, "Cllr Ann")
    bob = member_copy(draft, temporary / "bob.docx", {"Civil servants say": "Ministers say"},
                      None)
    dee = _with_comments(draft, temporary / "dee.docx",
                         {"put councils and business": "already put councils and business"})
    page.goto(f"{base}/clearance/{SAMPLE.name}")
    page.get_by_text("Record whom a draft went to").click()
    page.get_by_label("Members it went to").fill("Cllr Ann\nCllr Bob Lee\nCllr Dee")
    page.get_by_label("Date sent").fill("2010-09-20")
    page.get_by_role("button", name="Record whom it went to").click()
    page.get_by_label("A draft in this folder").select_option(draft.name)
    page.get_by_role("button", name="Use this draft").click()
    for n, (copy, name) in enumerate([(ann, ""), (bob, "Cllr Bob Lee"), (dee, "")], 1):
        page.get_by_label(f"Returned copy {n}").set_input_files(str(copy))
        if name:
            page.get_by_label(f"Member's name for copy {n} (optional)").fill(name)
    page.get_by_role("button", name="Upload and combine").click()
    page.set_viewport_size({"width": 1200, "height": 1900})
    page.screenshot(path=out / "serve-clearance.png", full_page=False)
    page.evaluate("document.getElementById('review').scrollIntoView()")
    page.screenshot(path=out / "serve-clearance-review.png")


if __name__ == "__main__":
    main()
