"""The Clearance page shows each member's comment beside the words it is anchored on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.clearance.review import read_review
from briefing.web.redlineview import shown
from tests.clearance.test_combine import POINT, _with_comments
from tests.conftest import corpus_file
from tests.support.web_harness import client
from tests.web.test_web_clearance import NAME, post, seen_of, start, upload

THREAD = "[comment by Cllr Dee: “Too blunt.”; reply by Officer: “Agreed, softened.” (resolved)]"
PROVIDERS = "key_messages/local-commissioning/points/1"


@pytest.fixture
def commented(served: Path, tmp_path: Path) -> Path:
    """A copy by Cllr Dee: one untracked edit, two comments, a reply marking one done."""
    (draft,) = served.glob("*.docx")
    return _with_comments(draft, tmp_path / "dee.docx", {"local government.": "councils."})


def redlines(html: str) -> list[str]:
    return re.findall(r'<p class="redline">(.*?)</p>', html, re.S)


def described(paragraph: str) -> dict[str, str]:
    """Return the text of each marked stretch by the note id it is described by."""
    out: dict[str, str] = {}
    for ids, text in re.findall(r'<mark[^>]* aria-describedby="([^"]+)">(.*?)</mark>',
                                paragraph):
        for i in ids.split():
            out[i] = out.get(i, "") + text
    return out


def test_a_comment_is_shown_in_its_paragraph_beside_its_words_with_its_author(served,
                                                                             commented):
    c = client(served)
    start(c, next(served.glob("*.docx")))
    page = upload(c, commented)
    assert page.status_code == 200, page.text
    (changed,) = [p for p in redlines(page.text) if "Civil servants say" in p]
    # the note stands in the paragraph, after the words, named for its author, with its reply
    note = re.search(r'<span class="comment" id="([^"]+)" role="note">(.*?)</span>', changed)
    assert note.group(2) == THREAD
    marked = described(changed)
    assert list(marked) == [note.group(1)]
    assert marked[note.group(1)].startswith("Civil servants say they want to work in partnership")
    assert changed.index("Civil servants say") < changed.index(THREAD)
    # one keyboard stop per comment, however many stretches its words are cut into
    assert changed.count('tabindex="0"') == 1 and changed.count("<mark") == 4
    # a paragraph with a comment and no change is shown too, with its note
    (unchanged,) = [p for p in redlines(page.text) if "Which providers?" in p]
    assert "They know which providers deliver" in described(unchanged).popitem()[1]
    assert "<del" not in unchanged and "<ins" not in unchanged
    # each comment's note is on the page once; the item with a comment only has no buttons
    assert page.text.count(THREAD) == 1
    assert f"every change in this item<span class=\"visually-hidden\"> ({PROVIDERS})" \
        not in page.text
    assert f"every change in this item<span class=\"visually-hidden\"> ({POINT})" in page.text


def test_the_list_of_comments_puts_each_reply_under_the_comment_it_answers(served, commented):
    c = client(served)
    start(c, next(served.glob("*.docx")))
    page = upload(c, commented)
    listed = page.text.split("<h3>Comments</h3>", 1)[1].split("</ul></li></ul>", 1)[0]
    assert listed.count("Cllr Dee on") == 2  # the two comments, each once
    assert "Too blunt. (resolved)<ul><li>reply by Officer: Agreed, softened." in listed
    assert "Officer on" not in listed  # the reply is not listed as a comment of its own


def test_comments_stay_beside_their_words_once_every_change_is_decided(served, commented):
    c = client(served)
    start(c, next(served.glob("*.docx")))
    page = post(c, action="accept", seen=seen_of(upload(c, commented).text))
    assert page.status_code == 200, page.text
    assert "No changes are left to decide" in page.text
    paragraphs = redlines(page.text)
    assert [bool(described(p)) for p in paragraphs] == [True, True]
    (cleared,) = [p for p in paragraphs if THREAD in p]
    assert "Civil servants say they want to work in partnership with councils." in \
        "".join(described(cleared).values())


@pytest.mark.corpus
@pytest.mark.parametrize("name, point", [
    ("SuperDoc/threaded-comment.docx", 0),  # Word: a reply with its own range
    ("docx2python/test_file_with_comments.docx", 1),  # replies, one resolved
    ("pandoc/comments.docx", 0),  # a comment across two paragraphs, one of two paragraphs
    ("poi/comment.docx", 1),  # LibreOffice: a point comment, a reference and no range
])
def test_in_real_documents_each_thread_is_shown_once_after_its_words(name, point):
    path = corpus_file(name)
    review = read_review(path)
    paragraphs = shown(path, review).paragraphs
    segments = [s for p in paragraphs for s in p.segments]
    notes = [s.note for s in segments if s.kind == "note"]
    top = [c for c in review.comments if c.parent is None]
    # one note per thread, its comment first with its author, its replies after it
    assert [n.lines[0] for n in notes] == [(c.author, c.text) for c in top]
    for n, c in zip(notes, top, strict=True):
        assert n.lines[1:] == [(review.comments[r].author, review.comments[r].text)
                               for r in c.replies]
        assert n.resolved == c.resolved
    # each note stands after the last of the words it is anchored on
    for n in notes:
        marked = [i for i, s in enumerate(segments) if n.id in s.notes]
        assert not marked or max(marked) < segments.index(next(
            s for s in segments if s.note is n))
    assert sum(not any(n.id in s.notes for s in segments) for n in notes) == point
    assert sum(s.stop for s in segments) == len(notes) - point  # one Tab stop per thread


@pytest.mark.browser
def test_a_comment_is_reached_by_keyboard_and_described_to_a_screen_reader(served, commented):
    from tests.support.web_harness import chromium, live_server

    with live_server(served) as live, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(live.opening)
        page.goto(f"{live.base}/clearance/{NAME}")
        page.get_by_label("A draft in this folder").select_option(
            next(served.glob("*.docx")).name)
        page.get_by_role("button", name="Use this draft").click()
        page.get_by_label("Returned copy 1").set_input_files(str(commented))
        page.get_by_role("button", name="Upload and combine").click()
        reached = []
        for _ in range(80):  # Tab through the page as a keyboard user does
            page.keyboard.press("Tab")
            tag = page.evaluate("document.activeElement.tagName")
            if tag == "MARK":
                reached.append(page.evaluate("document.activeElement.textContent"))
            if len(reached) == 2:
                break
        assert reached[0].startswith("They know which providers deliver")
        assert reached[1].startswith("Civil servants say")
        mark = page.locator("mark[tabindex='0']", has_text="Civil servants say")
        from playwright.sync_api import expect

        expect(mark).to_have_accessible_description(THREAD)
        # told by the marking's line and the note's words, not by its tint alone
        assert mark.evaluate("e => getComputedStyle(e).borderBottomStyle") == "dotted"
        note = page.get_by_role("note").filter(has_text="Too blunt.")
        assert note.is_visible()
        paragraph = page.locator("p.redline", has=mark)
        assert paragraph.locator("[role=note]").inner_text() == THREAD
