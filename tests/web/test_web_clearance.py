"""The Clearance page: copies in, combined review, decisions, absorb and next draft over HTTP.

Each step is compared with the CLI function it stands for, on the same files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefing.clearance.absorb import absorb_file
from briefing.clearance.combine import combine_files
from briefing.clearance.review import read_review, resolve_file
from briefing.document.build import build_file
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.web.security import MAX_BODY
from tests.clearance.test_combine import POINT, SAMPLE, member_copy
from tests.support.web_harness import BRIEFING, client

NAME = BRIEFING
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
POINT2 = "key_messages/partnership-not-centralism/points/2"


@pytest.fixture
def copies(draft: Path, tmp_path: Path) -> tuple[Path, Path]:
    a = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"},
                    "Cllr Ann")
    b = member_copy(draft, tmp_path / "bob.docx", {"cuts across both": "undermines both"}, None)
    return a, b


def start(c, draft: Path):
    return c.post(f"/clearance/{NAME}", data={"csrf": c.keys.csrf, "action": "draft",
                                               "pick": draft.name})


def upload(c, *files: Path, members: dict[int, str] | None = None):
    data = {"csrf": c.keys.csrf, "action": "copies"}
    data.update({f"member.{i}": n for i, n in (members or {}).items()})
    return c.post(f"/clearance/{NAME}", data=data, files=[
        (f"copy.{i}", (f.name, f.read_bytes(), DOCX)) for i, f in enumerate(files, 1)])


def post(c, **data: str):
    return c.post(f"/clearance/{NAME}", data={"csrf": c.keys.csrf, **data})


def rounds(served: Path) -> Path:
    return served / ".briefing" / "clearance" / NAME


def test_the_page_lists_the_drafts_built_from_the_briefing(served, draft, tmp_path):
    (served / "notes.docx").write_bytes(b"not a document")
    page = client(served).get(f"/clearance/{NAME}")
    assert page.status_code == 200
    assert re.search(rf"<td>{re.escape(draft.name)}</td><td>2</td><td>chairman-briefing</td>",
                     page.text)
    assert "<td>notes.docx</td>" not in page.text


def test_copies_are_combined_as_the_cli_combines_them(served, draft, copies, tmp_path):
    c = client(served)
    assert start(c, draft).status_code == 200
    page = upload(c, *copies, members={2: "Cllr Bob Lee"})
    assert page.status_code == 200, page.text
    # the review: each change in its paragraph, struck / underlined, with the member's name
    assert re.search(r'<del class="change">Civil servants</del> <span class="who">'
                     r'\[deleted by Cllr Ann\]</span>', page.text)
    assert '<ins class="change">Officials</ins> <span class="who">[inserted by Cllr Ann]' \
        in page.text
    assert "[inserted by Cllr Bob Lee]" in page.text
    assert f"<h4 id=\"item-1\">{POINT}</h4>" in page.text
    assert "Cllr Ann: 2 changes" in page.text and "Cllr Bob Lee: 2 changes" in page.text
    # the same changes as `briefing combine` gives on the same files
    cli = combine_files(draft, copies, tmp_path / "cli.docx",
                        names={"bob.docx": "Cllr Bob Lee"}).value
    got = c.get(f"/clearance-file/{NAME}?f=combined")
    assert got.status_code == 200
    assert got.headers["content-disposition"] == \
        f'attachment; filename="{draft.stem}-combined.docx"'
    (tmp_path / "web.docx").write_bytes(got.content)
    as_tuples = [[(r.author, r.kind, r.text, r.item) for r in read_review(p).revisions]
                 for p in (cli, tmp_path / "web.docx")]
    assert as_tuples[0] == as_tuples[1] and len(as_tuples[0]) == 4


def test_a_round_gives_the_yaml_the_cli_gives(served, draft, copies, tmp_path):
    c = client(served)
    start(c, draft)
    page = upload(c, *copies, members={2: "Cllr Bob Lee"})
    page = post(c, action="reject", author="Cllr Bob Lee", item=POINT2, seen=seen_of(page.text))
    assert page.status_code == 200, page.text
    assert "[inserted by Cllr Bob Lee]" not in page.text
    page = post(c, action="accept", author="Cllr Ann", seen=seen_of(page.text))
    assert page.status_code == 200 and "No changes are left to decide" in page.text
    preview = post(c, action="preview")
    assert preview.status_code == 200
    assert "<del>" in preview.text and "<ins>Officials" in preview.text
    before = (served / NAME).read_bytes()
    assert before == SAMPLE.read_bytes()  # the preview wrote nothing
    base = re.search(r'name="base" value="([0-9a-f]+)"', preview.text).group(1)
    assert post(c, action="absorb", base=base).status_code == 200
    # the CLI round on the same copies
    cli = tmp_path / "cli"
    cli.mkdir()
    shutil.copy(SAMPLE, cli / NAME)
    combined = combine_files(draft, copies, cli / "c.docx",
                             names={"bob.docx": "Cllr Bob Lee"}).value
    rejected = resolve_file(combined, cli / "r.docx", accept=False, authors=["Cllr Bob Lee"],
                            items=[POINT2]).value
    accepted = resolve_file(rejected, cli / "a.docx", authors=["Cllr Ann"]).value
    absorb_file(accepted, cli / NAME)
    assert (served / NAME).read_bytes() == (cli / NAME).read_bytes()
    assert "Officials say" in (served / NAME).read_text(encoding="utf-8")


def test_absorb_is_refused_when_the_yaml_changed_since(served, draft, copies):
    c = client(served)
    start(c, draft)
    post(c, action="accept", seen=seen_of(upload(c, *copies).text))
    preview = post(c, action="preview")
    base = re.search(r'name="base" value="([0-9a-f]+)"', preview.text).group(1)
    changed = (served / NAME).read_text(encoding="utf-8") + "\n# edited meanwhile\n"
    (served / NAME).write_text(changed, encoding="utf-8")
    page = post(c, action="absorb", base=base)
    assert page.status_code == 409
    assert "nothing was written" in page.text and "# edited meanwhile" in page.text
    assert (served / NAME).read_text(encoding="utf-8") == changed


def test_conflicts_are_shown_side_by_side_and_must_be_decided_first(served, draft, tmp_path):
    a = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "bob.docx", {"Civil servants say": "Ministers say"}, "Bob")
    c = client(served)
    start(c, draft)
    page = upload(c, a, b)
    assert page.status_code == 200
    assert "Conflicts: decide these first" in page.text
    assert "<h4>Ann's wording</h4><p><ins class=\"change\">Officials</ins>" in page.text
    assert "<h4>Bob's wording</h4><p><ins class=\"change\">Ministers</ins>" in page.text
    refused = post(c, action="accept", seen=seen_of(page.text))
    assert refused.status_code == 400 and "changed the same words differently" in refused.text
    assert "/work" not in refused.text and str(served) not in refused.text
    chosen = post(c, action="choose", author="Ann", other="Bob", item=POINT,
                  seen=seen_of(refused.text))
    assert chosen.status_code == 200 and "Conflicts: decide these first" not in chosen.text
    assert "No changes are left to decide" in chosen.text
    cleared = c.get(f"/clearance-file/{NAME}?f=cleared").content
    (tmp_path / "cleared.docx").write_bytes(cleared)
    text = paragraph_texts(Package.open(tmp_path / "cleared.docx").xml("word/document.xml"))
    assert any(t.startswith("Officials say") for t in text)
    assert not any("Ministers say" in t for t in text)


def test_the_next_draft_raises_the_version_and_is_built_since_the_draft_seen(served, draft,
                                                                            copies, tmp_path):
    c = client(served)
    start(c, draft)
    post(c, action="accept", seen=seen_of(upload(c, *copies).text))
    base = re.search(r'name="base" value="([0-9a-f]+)"', post(c, action="preview").text).group(1)
    post(c, action="absorb", base=base)
    absorbed = (served / NAME).read_text(encoding="utf-8")
    version = int(re.search(r"(?m)^  version: (\d+)$", absorbed).group(1))
    page = post(c, action="issue")
    assert page.status_code == 200, page.text
    assert f"{NAME}: version raised from {version} to {version + 1}" in page.text
    text = (served / NAME).read_text(encoding="utf-8")
    assert text == absorbed.replace(f"  version: {version}\n", f"  version: {version + 1}\n", 1)
    v2 = draft.with_name(draft.name.replace(f"-v{version}", f"-v{version + 1}"))
    assert v2.is_file() and f"Download {v2.name}" in page.text
    got = c.get(f"/clearance-file/{NAME}?f=issued&file={v2.name}")
    assert got.headers["content-disposition"] == f'attachment; filename="{v2.name}"'
    # the same bytes as `briefing build --since` on the same YAML, bar the revision dates
    cli = build_file(served / NAME, out=tmp_path / v2.name, since=draft).value
    dates = re.compile(rb'w:date="[^"]*"')
    assert dates.sub(b"", _main(got.content)) == dates.sub(b"", _main(cli.read_bytes()))
    assert read_review(v2).revisions  # the changes since the draft the members saw, tracked
    # issuing again: the next draft is there already; refused, and the YAML stays as it is
    again = post(c, action="issue")
    assert again.status_code == 400 and "already exists" in again.text
    assert (served / NAME).read_text(encoding="utf-8") == text


def _main(docx: bytes) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


@pytest.mark.parametrize("kind", ["not a docx", "renamed text", "another briefing", "traversal"])
def test_hostile_copies_are_refused_and_nothing_is_kept(served, draft, tmp_path, kind):
    c = client(served)
    start(c, draft)
    if kind == "another briefing":
        other = tmp_path / "other"
        other.mkdir()
        shutil.copy(SAMPLE.with_name("work-and-health-2016.yaml"), other / "o.yaml")
        bad = build_file(other / "o.yaml", out=tmp_path / "other.docx").value
        files = [("copy.1", ("other.docx", bad.read_bytes(), DOCX))]
    elif kind == "not a docx":
        files = [("copy.1", ("notes.txt", b"hello", "text/plain"))]
    elif kind == "renamed text":
        files = [("copy.1", ("copy.docx", b"PK\x03\x04 not really", DOCX))]
    else:
        files = [("copy.1", ("../../evil.docx", draft.read_bytes(), DOCX))]
    page = c.post(f"/clearance/{NAME}", data={"csrf": c.keys.csrf, "action": "copies"},
                  files=files)
    copies_kept = list((rounds(served) / "copies").glob("*"))
    if kind == "traversal":  # the name is cut to its last part and kept inside the round
        assert page.status_code == 200
        assert [p.name for p in copies_kept] == ["evil.docx"]
        assert not (tmp_path / "evil.docx").exists()
        return
    assert page.status_code == 400
    assert copies_kept == []
    assert str(served) not in page.text and ".briefing" not in page.text
    expected = {"not a docx": "must be a Word document (.docx)",
                "renamed text": "cannot be read as a Word document",
                "another briefing": "not a copy of"}[kind]
    assert expected in page.text


def test_without_the_token_or_the_csrf_token_nothing_happens(served, draft):
    outsider = client(served, login=False)
    assert outsider.get(f"/clearance/{NAME}").status_code == 403
    c = client(served)
    refused = c.post(f"/clearance/{NAME}", data={"action": "draft", "pick": draft.name})
    assert refused.status_code == 403
    assert not (rounds(served) / draft.name).exists()


def test_an_oversized_upload_is_refused_unread(served, draft):
    c = client(served)
    start(c, draft)
    page = c.post(f"/clearance/{NAME}", data={"csrf": c.keys.csrf, "action": "copies"},
                  files=[("copy.1", ("big.docx", b"0" * (MAX_BODY + 1), DOCX))])
    assert page.status_code == 413
    assert list((rounds(served) / "copies").glob("*")) == []


def test_the_round_folder_and_downloads_stay_inside_the_served_folder(served, draft):
    c = client(served)
    assert c.get("/clearance/..%2F..%2Fetc%2Fpasswd.yaml").status_code == 404
    assert c.get(f"/clearance-file/{NAME}?f=issued&file=../b.yaml").status_code == 404
    assert c.get(f"/clearance-file/{NAME}?f=combined").status_code == 404
    start(c, draft)
    assert Package.open(rounds(served) / draft.name)
    # another briefing's round is its own: b.yml does not see b.yaml's draft
    shutil.copy(SAMPLE, served / "b.yml")
    assert f"This round clears <strong>{draft.name}" not in c.get("/clearance/b.yml").text
    assert f"This round clears <strong>{draft.name}" in c.get(f"/clearance/{NAME}").text
    assert paragraph_texts(Package.open(draft).xml("word/document.xml"))


@pytest.mark.browser
def test_a_whole_round_in_the_browser_gives_the_cli_rounds_yaml(served, draft, copies, tmp_path):
    from tests.support.web_harness import chromium, live_server

    ann, bob = copies
    with live_server(served) as live, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(live.opening)
        page.goto(f"{live.base}/clearance/{NAME}")
        page.get_by_label("A draft in this folder").select_option(draft.name)
        page.get_by_role("button", name="Use this draft").click()
        page.get_by_label("Returned copy 1").set_input_files(str(ann))
        page.get_by_label("Returned copy 2").set_input_files(str(bob))
        page.get_by_label("Member's name for copy 2 (optional)").fill("Cllr Bob Lee")
        page.get_by_role("button", name="Upload and combine").click()
        struck = page.locator("del.change", has_text="Civil servants").first
        assert struck.evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
        underlined = page.locator("ins.change", has_text="Officials").first
        assert underlined.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
        assert page.get_by_text("[inserted by Cllr Ann]").first.is_visible()
        page.get_by_role("button", name=f"Reject Cllr Bob Lee's change in {POINT2}").click()
        assert page.get_by_text("[inserted by Cllr Bob Lee]").count() == 0
        assert page.get_by_role("button", name=f"Accept Cllr Ann's change in {POINT}").is_visible()
        page.get_by_role("button", name="Accept all of Cllr Ann's changes").click()
        page.get_by_text("No changes are left to decide").wait_for()  # the page drawn again
        assert page.get_by_text("No changes are left to decide").is_visible()
        page.get_by_role("button", name="Show the changes to the briefing").click()
        assert page.locator("#yaml-changes ins", has_text="Officials").first.is_visible()
        page.get_by_role("button", name="Absorb into the briefing").click()
        absorbed = (served / NAME).read_bytes()
        page.get_by_role("button", name="Issue next draft").click()
        link = page.get_by_role("link", name=re.compile(r"^Download .*-v\d+\.docx$"))
        with page.expect_download() as got:
            link.click()
        issued = Path(got.value.path()).read_bytes()
        name = got.value.suggested_filename
    # the CLI round on the same copies
    cli = tmp_path / "cli"
    cli.mkdir()
    shutil.copy(SAMPLE, cli / NAME)
    combined = combine_files(draft, [ann, bob], cli / "c.docx",
                             names={"bob.docx": "Cllr Bob Lee"}).value
    rejected = resolve_file(combined, cli / "r.docx", accept=False, authors=["Cllr Bob Lee"],
                            items=[POINT2]).value
    accepted = resolve_file(rejected, cli / "a.docx", authors=["Cllr Ann"]).value
    absorb_file(accepted, cli / NAME)
    assert absorbed == (cli / NAME).read_bytes()
    assert name == draft.name.replace("-v2", "-v3") and (served / name).read_bytes() == issued
    assert read_review(served / name).revisions


def test_a_refused_next_draft_leaves_the_yaml_as_it_was(served, draft, copies):
    c = client(served)
    start(c, draft)
    before = (served / NAME).read_bytes()
    taken = draft.with_name(draft.name.replace("-v2", "-v3"))
    taken.write_bytes(b"the officer's own file")
    page = post(c, action="issue")
    assert page.status_code == 400 and "already exists" in page.text
    assert (served / NAME).read_bytes() == before  # the version raise was put back
    assert taken.read_bytes() == b"the officer's own file"


def change_buttons(html: str) -> list[tuple[str, str, str]]:
    """Return (action, number, accessible name) of each one-change button, as listed."""
    found = []
    for form in re.findall(r'<form[^>]*class="decide">(.*?)</form>', html, re.S):
        number = re.search(r'name="change" value="(\d+)"', form)
        if number:
            for action, label in re.findall(
                    r'value="((?:accept|reject)-change)">(.*?)</button>', form, re.S):
                found.append((action, number.group(1), re.sub(r"<[^>]+>", "", label)))
    return found


def parts(docx: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name) for name in z.namelist()}


def seen_of(html: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]{64})"', html).group(1)


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_one_change_decided_on_the_page_is_the_clis_change_n(served, draft, copies, tmp_path,
                                                              action):
    c = client(served)
    start(c, draft)
    page = upload(c, *copies, members={2: "Cllr Bob Lee"})
    combined = tmp_path / "combined.docx"
    combined.write_bytes(c.get(f"/clearance-file/{NAME}?f=combined").content)
    changes = read_review(combined).revisions
    # each change has its own two buttons, named for it: "Accept change 3 by Cllr Bob Lee"
    members = list(dict.fromkeys(r.author for r in changes))  # listed member by member
    by_member = sorted(enumerate(changes, 1), key=lambda nr: members.index(nr[1].author))
    assert change_buttons(page.text) == [
        (f"{verb}-change", str(n), f"{verb.title()} change {n} by {r.author}")
        for n, r in by_member for verb in ("accept", "reject")]
    number = next(n for n, r in enumerate(changes, 1) if r.author == "Cllr Bob Lee")
    page = post(c, action=f"{action}-change", change=str(number), seen=seen_of(page.text))
    assert page.status_code == 200, page.text
    verb = "accepted" if action == "accept" else "rejected"
    assert f"{verb} 1 tracked change (change {number})" in page.text
    web = tmp_path / "web.docx"
    web.write_bytes(c.get(f"/clearance-file/{NAME}?f=cleared").content)
    cli = resolve_file(combined, tmp_path / "cli.docx", accept=action == "accept",
                       changes=[number]).value
    assert parts(web) == parts(cli)  # the same package, part for part (zip times aside)
    assert paragraph_texts(Package.open(web).xml("word/document.xml")) == paragraph_texts(
        Package.open(cli).xml("word/document.xml"))
    left = read_review(web).revisions
    assert left == changes[:number - 1] + changes[number:]
    # the page is drawn again from what is left, numbered as review numbers it
    assert {n for _, n, _ in change_buttons(page.text)} == {
        str(n) for n in range(1, len(left) + 1)}


def test_a_decision_posted_from_a_page_drawn_before_the_last_one_is_refused(served, draft,
                                                                            copies, tmp_path):
    c = client(served)
    start(c, draft)
    page = upload(c, *copies)
    old = seen_of(page.text)
    assert post(c, action="reject-change", change="1", seen=old).status_code == 200
    before = c.get(f"/clearance-file/{NAME}?f=cleared").content
    stale = post(c, action="accept-change", change="1", seen=old)  # another tab, say
    assert stale.status_code == 409
    assert "nothing was decided" in stale.text and "decide again" in stale.text
    assert c.get(f"/clearance-file/{NAME}?f=cleared").content == before
    missing = post(c, action="accept-change", change="1", seen="")
    assert missing.status_code == 409
    assert c.get(f"/clearance-file/{NAME}?f=cleared").content == before
    # a member's changes, an item's, or a conflict's wording: the same check
    for decision in ({"action": "accept", "author": "Cllr Ann"},
                     {"action": "reject", "item": POINT2},
                     {"action": "choose", "author": "Cllr Ann", "other": "bob", "item": POINT}):
        refused = post(c, **decision, seen=old)
        assert refused.status_code == 409 and "nothing was decided" in refused.text, decision
        assert c.get(f"/clearance-file/{NAME}?f=cleared").content == before
    wrong = post(c, action="accept-change", change="99", seen=seen_of(stale.text))
    assert wrong.status_code == 400 and "there is no change 99" in wrong.text
    assert str(served) not in wrong.text and ".briefing" not in wrong.text


@pytest.mark.browser
def test_one_change_is_rejected_by_its_own_button_in_the_browser(served, draft, copies):
    from playwright.sync_api import expect

    from tests.support.web_harness import chromium, live_server

    with live_server(served) as live, chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(30_000)
        page.goto(live.opening)
        page.goto(f"{live.base}/clearance/{NAME}")
        page.get_by_label("A draft in this folder").select_option(draft.name)
        page.get_by_role("button", name="Use this draft").click()
        page.get_by_label("Returned copy 1").set_input_files(str(copies[0]))
        page.get_by_label("Returned copy 2").set_input_files(str(copies[1]))
        page.get_by_label("Member's name for copy 2 (optional)").fill("Cllr Bob Lee")
        page.get_by_role("button", name="Upload and combine").click()
        # changes 1, 2 are Ann's, 3, 4 Bob's (review's numbers); the button says "Reject"
        button = page.get_by_role("button", name="Reject change 3 by Cllr Bob Lee", exact=True)
        expect(button).to_have_text("Reject change 3 by Cllr Bob Lee")  # hidden words included
        assert button.evaluate("b => b.firstChild.textContent") == "Reject"  # what is seen
        assert button.locator(".visually-hidden").bounding_box()["width"] <= 1
        button.click()
        expect(page.get_by_role("status")).to_contain_text("rejected 1 tracked change (change 3)")
        expect(page.get_by_role("button", name="Accept change 3 by Cllr Bob Lee",
                                exact=True)).to_have_count(1)  # Bob's other change, renumbered
        expect(page.get_by_role("button", name="Accept change 4 by Cllr Bob Lee",
                                exact=True)).to_have_count(0)


def test_a_wording_left_once_its_conflict_is_decided_can_only_be_rejected(served, draft,
                                                                         tmp_path):
    a = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"}, "Ann")
    b = member_copy(draft, tmp_path / "bob.docx", {"Civil servants say": "Ministers say"}, "Bob")
    c = client(served)
    start(c, draft)
    page = upload(c, a, b)
    ann = listed_change(page.text, "Officials")
    page = post(c, action="accept-change", change=ann[0], seen=seen_of(page.text))
    assert page.status_code == 200, page.text

    assert "Conflicts: decide these first" not in page.text
    number, bob = listed_change(page.text, "Ministers")
    assert "Its conflict was decided for “Officials”: reject this wording." in bob
    assert [label for _, _, label in change_buttons(bob)] == [f"Reject change {number} by Bob"]


def listed_change(html: str, words: str) -> tuple[str, str]:
    """Return the number and the list entry of the one listed change that inserted `words`."""
    ((number, entry),) = [
        (n, li) for n, li in re.findall(r'<li id="change-(\d+)">(.*?)</li>', html, re.S)
        if f'<ins class="change">{words}</ins>' in li]
    return number, entry
