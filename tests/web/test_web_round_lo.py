"""A whole clearance round in the browser, with copies the members edited in LibreOffice.

Version 1 of a for-clearance briefing goes to two members. Ann edits her copy
in LibreOffice with Track Changes on (four changes in four items); Bob edits
his without tracking (three changes), one of them the same words Ann changed.
In chromium the officer picks the draft, uploads both copies with the members'
names, rejects one of Ann's changes by its own button, uses Bob's wording
where they clash (the deletion of the words, written in Ann's name, goes with
it), accepts the rest, absorbs, issues version 2 and downloads it and the
cleared copy. The YAML written must be byte for byte what the command-line
round (`combine`, `reject --change`, `reject` / `accept --author --item`,
`absorb`, `build --since`) gives on the same copies; LibreOffice rejecting
every change in version 2 must give version 1's text, and accepting every
change the cleared text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
runner = CliRunner()
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
NAME = "round.yaml"
ANN, BOB = "Cllr Ann Baker", "Cllr Bob Lee"
LOCAL = "key_messages/local-commissioning/points/2"
PARTNER = "key_messages/partnership-not-centralism/points/0"
UNDERMINES = "key_messages/partnership-not-centralism/points/2"
MARKETS = "key_messages/local-labour-markets/points/0"
SHARED = "key_messages/shared-outcomes/points/1"
HARDEST = "key_messages/hardest-to-help/points/1"
NEW_POINT = "Councils will publish what the programme achieves in each area."
# the sample as version 1, before anyone cleared it
VERSION_1 = SAMPLE.read_text(encoding="utf-8").replace("  version: 2\n", "  version: 1\n", 1)
VERSION_1 = VERSION_1[:VERSION_1.index("\nclearance:")].rstrip() + "\n"
ANN_EDITS = [  # made with Track Changes on
    {"kind": "replace", "author": ANN, "find": "Civil servants say", "replace": "Officials say"},
    {"kind": "replace", "author": ANN, "find": "a handful of areas", "replace": "a few areas"},
    {"kind": "replace", "author": ANN, "find": "sharply ", "replace": ""},  # rejected below
    {"kind": "insert_paragraph_after", "author": ANN, "find": "Councils are ready to share data",
     "text": NEW_POINT},
]
BOB_EDITS = [  # made without tracking
    {"kind": "replace", "author": BOB, "find": "Civil servants say", "replace": "Ministers say"},
    {"kind": "replace", "author": BOB, "find": "cuts across both", "replace": "undermines both"},
    {"kind": "replace", "author": BOB, "find": "early and well targeted",
     "replace": "early and better targeted"},
]


def run(*args: object):
    """Return the CLI's result for `briefing ARGS`, which must succeed."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@dataclass
class Round:
    """The files of one round: the draft, the copies, and what the page left."""

    served: Path
    draft: Path
    ann: Path
    bob: Path
    absorbed: bytes = b""
    issued: Path | None = None
    combined: Path | None = None
    cleared: Path | None = None
    cleared_name: str = ""


@pytest.fixture(scope="module")
def members(lo, tmp_path_factory) -> Round:
    """Return version 1 built in a served folder and the members' LibreOffice copies of it."""
    served = tmp_path_factory.mktemp("served")
    (served / NAME).write_text(VERSION_1, encoding="utf-8")
    run("build", served / NAME)
    (draft,) = served.glob("*-v1.docx")
    out = tmp_path_factory.mktemp("members")
    ann = lo.tracked_edits(draft, out / "ann.docx", ANN_EDITS, record=True, saver=ANN)
    bob = lo.tracked_edits(draft, out / "bob.docx", BOB_EDITS, record=False, saver=BOB)
    return Round(served, draft, ann, bob)


@dataclass
class Combined:
    """`briefing combine`'s document for the round, and the number of the change rejected."""

    path: Path
    sharply: int


@pytest.fixture(scope="module")
def combined(members: Round, tmp_path_factory) -> Combined:
    """Return the members' copies combined by the command line, and the number `briefing
    review` gives Ann's deletion of "sharply " (the one change the officer rejects)."""
    out = tmp_path_factory.mktemp("cli") / "combined.docx"
    run("combine", members.draft, members.ann, members.bob, "-o", out,
        "--as", f"ann.docx={ANN}", "--as", f"bob.docx={BOB}")
    report = json.loads(run("review", out, "--json").stdout)
    (number,) = [r["number"] for r in report["revisions"]
                 if (r["author"], r["kind"], r["text"]) == (ANN, "delete", "sharply ")]
    return Combined(out, number)


@pytest.fixture(scope="module")
def page_round(members: Round, combined: Combined, tmp_path_factory) -> Round:
    """Return the round after the officer has cleared it in chromium."""
    from playwright.sync_api import expect

    from tests.support.web_harness import chromium, live_server

    got = tmp_path_factory.mktemp("downloads")
    r = replace(members)
    with live_server(r.served) as live, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(live.opening)
        page.goto(f"{live.base}/clearance/{NAME}")
        page.get_by_label("A draft in this folder").select_option(r.draft.name)
        page.get_by_role("button", name="Use this draft").click()
        expect(page.get_by_text(f"This round clears {r.draft.name}.")).to_be_visible()
        page.get_by_label("Returned copy 1").set_input_files(str(r.ann))
        page.get_by_label("Member's name for copy 1 (optional)").fill(ANN)
        page.get_by_label("Returned copy 2").set_input_files(str(r.bob))
        page.get_by_label("Member's name for copy 2 (optional)").fill(BOB)
        page.get_by_role("button", name="Upload and combine").click()
        status = page.get_by_role("status")
        expect(status).to_contain_text(f"ann.docx: {ANN} (named by --as): 7 tracked changes, "
                                       "0 found untracked")
        expect(status).to_contain_text(f"bob.docx: {BOB} (named by --as): 0 tracked changes, "
                                       "6 found untracked")
        expect(page.get_by_role("heading", name="Conflicts: decide these first")).to_be_visible()
        expect(page.get_by_role("heading", name=f"{ANN}'s wording")).to_be_visible()
        expect(page.get_by_role("heading", name=f"{BOB}'s wording")).to_be_visible()
        with page.expect_download() as whole:
            page.get_by_role("link", name=re.compile(r"^Download the combined document")).click()
        r.combined = got / whole.value.suggested_filename
        whole.value.save_as(r.combined)
        markets = page.locator("section.item").filter(
            has=page.get_by_role("heading", name=MARKETS, exact=True))
        expect(markets.locator("del.change", has_text="sharply")).to_be_visible()
        # one change rejected by its own button, numbered as `briefing review` numbers it
        expect(page.locator(f"#change-{combined.sharply}")).to_contain_text(f"{MARKETS}: deleted")
        page.get_by_role("button", name=f"Reject change {combined.sharply} by {ANN}").click()
        expect(page.get_by_role("heading", name=MARKETS, exact=True)).to_have_count(0)
        # the conflict decided for Bob's wording
        page.get_by_role("button", name=f"Use {BOB}'s wording in {PARTNER}").click()
        expect(page.get_by_role("heading", name="Conflicts: decide these first")).to_have_count(0)
        # the rest accepted
        page.get_by_role("button", name=f"Accept all of {ANN}'s changes").click()
        expect(page.get_by_role("button", name=f"Accept all of {ANN}'s changes")).to_have_count(0)
        page.get_by_role("button", name=f"Accept all of {BOB}'s changes").click()
        expect(page.get_by_text("No changes are left to decide")).to_be_visible()
        page.get_by_role("button", name="Show the changes to the briefing").click()
        expect(page.locator("#yaml-changes ins", has_text="Ministers").first).to_be_visible()
        page.get_by_role("button", name="Absorb into the briefing").click()
        expect(page.locator("#yaml-changes")).to_have_count(0)
        expect(page.get_by_role("status")).to_contain_text(
            f"{NAME}: absorbed 7 changes from {r.draft.stem}-cleared.docx")
        r.absorbed = (r.served / NAME).read_bytes()
        with page.expect_download() as cleared:
            page.get_by_role("link", name="Download the document with your decisions").click()
        r.cleared_name = cleared.value.suggested_filename
        r.cleared = got / r.cleared_name
        cleared.value.save_as(r.cleared)
        page.get_by_role("button", name="Issue next draft").click()
        link = page.get_by_role("link", name=re.compile(r"^Download .*-v2\.docx$"))
        with page.expect_download() as issued:
            link.click()
        r.issued = got / issued.value.suggested_filename
        issued.value.save_as(r.issued)
    return r


@pytest.fixture(scope="module")
def cli_round(members: Round, combined: Combined) -> Round:
    """Return the same round made with the commands: combine, reject, accept, absorb, build."""
    r = members
    cli = combined.path.parent
    yaml = cli / NAME
    yaml.write_text(VERSION_1, encoding="utf-8")
    run("reject", combined.path, "--change", combined.sharply, "-o", cli / "1.docx")
    run("reject", cli / "1.docx", "--author", ANN, "--item", PARTNER, "-o", cli / "2.docx")
    run("accept", cli / "2.docx", "--author", BOB, "--item", PARTNER, "-o", cli / "3.docx")
    cleared = cli / r.draft.name.replace(".docx", "-cleared.docx")
    run("accept", cli / "3.docx", "-o", cleared)
    run("absorb", cleared, "--into", yaml)
    absorbed = yaml.read_bytes()
    # the officer raises the version by hand and builds the next draft since the one seen
    yaml.write_text(absorbed.decode("utf-8").replace("  version: 1\n", "  version: 2\n", 1),
                    encoding="utf-8")
    run("build", yaml, "--since", r.draft)
    (issued,) = cli.glob("*-v2.docx")
    return Round(cli, r.draft, r.ann, r.bob, absorbed, issued, combined.path, cleared,
                 cleared.name)


def test_the_page_writes_the_yaml_and_documents_the_command_line_round_writes(
        page_round, cli_round):
    web, cli = page_round, cli_round
    assert web.absorbed == cli.absorbed
    assert (web.served / NAME).read_bytes() == (cli.served / NAME).read_bytes()
    assert web.issued is not None and cli.issued is not None
    assert web.issued.name == cli.issued.name == web.draft.name.replace("-v1", "-v2")
    assert (web.served / web.issued.name).read_bytes() == web.issued.read_bytes()
    assert web.cleared_name == cli.cleared_name
    assert web.combined is not None and web.combined.name == f"{web.draft.stem}-combined.docx"
    for ours, theirs in ((web.combined, cli.combined), (web.issued, cli.issued),
                         (web.cleared, cli.cleared)):
        assert _undated(ours) == _undated(theirs), ours.name


def test_every_change_is_where_it_should_be(page_round, lo):
    from briefing.source.load import load_briefing

    briefing = load_briefing(page_round.served / NAME).value.briefing
    points = {m.id: m.points for m in briefing.key_messages}
    assert points["partnership-not-centralism"][0] == \
        "Ministers say they want to work in partnership with local government."
    assert points["partnership-not-centralism"][2] == \
        "A single, centrally let contract for each region undermines both."
    assert points["local-commissioning"][2] == \
        "A commissioning role can be tested in a few areas before any wider change."
    assert points["local-labour-markets"][0] == \
        "Jobs, skills and transport differ sharply between, and within, regions."  # rejected
    assert points["hardest-to-help"][1].endswith("referrals are early and better targeted.")
    assert points["shared-outcomes"][1:] == ["Councils are ready to share data to measure them.",
                                             NEW_POINT]
    assert [(c.reviewer, c.version, c.outcome) for c in briefing.clearance] == [
        (ANN, 1, "cleared-with-changes"), (BOB, 1, "cleared-with-changes")]
    assert briefing.briefing.version == 2
    text = lo.paragraphs(page_round.cleared)
    assert "Ministers say they want to work in partnership with local government." in text
    assert NEW_POINT in text
    assert not [t for t in text if re.search("Officials|Civil servants|handful|well targeted|"
                                             "cuts across", t)]
    assert lo.redline_count(page_round.cleared) == 0


def test_libreoffice_rejecting_every_change_in_version_2_gives_version_1(page_round, lo):
    assert lo.reject_all_paragraphs(page_round.issued) == lo.paragraphs(page_round.draft)


def test_libreoffice_accepting_every_change_in_version_2_gives_the_cleared_text(page_round, lo):
    r = page_round
    cleared = lo.paragraphs(r.cleared)
    date = re.search(r"(?m)^    date: (\S+)$", r.absorbed.decode("utf-8"))
    assert date is not None
    when = dt.date.fromisoformat(date.group(1))
    signed = [f"{when.day} {when:%B %Y}", "Cleared with changes"]
    # what version 2 adds to the cleared text: its version and the members' clearance record
    expected = [("Draft for clearance, version 2" if t == "Draft for clearance, version 1" else t)
                for t in cleared]
    at = expected.index("Not yet cleared by lead members.")
    expected[at:at + 1] = ["Reviewer", "Role", "Version", "Date", "Outcome",
                           ANN, "Lead member", "1", *signed, BOB, "Lead member", "1", *signed, ""]
    assert lo.accept_all_paragraphs(r.issued) == expected


def _undated(docx: Path) -> bytes:
    """Return the document part of `docx` with the revision dates taken out."""
    with zipfile.ZipFile(docx) as z:
        return re.sub(rb' w:date="[^"]*"', b"", z.read("word/document.xml"))
