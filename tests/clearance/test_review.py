"""`briefing review`, `accept` and `reject` on a small reviewed briefing built with tests/cxml.py.

The document carries our source-id bookmarks and source map, revisions by two
members in the body, a header and the footnotes, a nested revision, a move, a
deleted paragraph mark, and a comment thread (one reply, one resolved).
"""

from __future__ import annotations

import json
import zipfile

import pytest
from typer.testing import CliRunner

from briefing import sourceid
from briefing.clearance.review import read_review, resolve_file
from briefing.cli import app
from briefing.errors import BriefingError
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import bookmark_name, read_source_map
from tests.conftest import validate_ooxml
from tests.support.cxml import W14, W15, para, run, source_map_parts, w, write_docx

runner = CliRunner()
ALICE, BOB = "Cllr Alice Example", "Cllr Bob Example"
D1, D2 = "2026-03-02T10:00:00Z", "2026-03-03T09:30:00Z"
HEADLINE = "key_messages/local-commissioning/headline"
POINT = "key_messages/local-commissioning/points/0"
COMMENT_TEXT = "member_comments/mc-funding/text"
IDS = [HEADLINE, POINT, COMMENT_TEXT, "meeting/purpose"]


def sourced(source_id: str, number: int, *content, ppr=None):
    """Return a paragraph whose content sits in the source bookmark of `source_id`."""
    return w.p(ppr, w.bookmarkStart(id=str(number), name=bookmark_name(source_id)), *content,
               w.bookmarkEnd(id=str(number)))


def ins(text, author, date=D1):
    return w.ins(run(text), author=author, date=date)


def dele(text, author, date=D1):
    return w.del_(w.r(w.delText(text)), author=author, date=date)


def styles():
    heading = w.style(w.name(val="heading 1"), w.pPr(w.outlineLvl(val="0")),
                      type="paragraph", styleId="Heading1")
    return w.styles(w.style(w.name(val="Normal"), type="paragraph", styleId="Normal"), heading)


def comments():
    def comment(cid, author, text, para_id):
        p = w.p(w.r(w.annotationRef()), run(text))
        p.set(f"{{{W14}}}paraId", para_id)
        return w.comment(p, id=cid, author=author, date=D2, initials="X")
    return w.comments(comment("0", ALICE, "Is this figure agreed?", "1A000001"),
                      comment("1", BOB, "Yes, with the council.", "1A000002"),
                      comment("2", BOB, "Tone this down.", "1A000003"))


def comments_extended():
    def ex(para_id, parent=None, done="0"):
        el = w.p()  # any element: replaced below with a w15:commentEx
        el.tag = f"{{{W15}}}commentEx"
        el.set(f"{{{W15}}}paraId", para_id)
        if parent:
            el.set(f"{{{W15}}}paraIdParent", parent)
        el.set(f"{{{W15}}}done", done)
        return el
    root = w.p()
    root.tag = f"{{{W15}}}commentsEx"
    for el in (ex("1A000001"), ex("1A000002", "1A000001"), ex("1A000003", done="1")):
        root.append(el)
    return root


def reviewed_blocks():
    return [
        para("Key messages", style="Heading1"),
        sourced(HEADLINE, 1, ins("Councils ", ALICE), run("commission locally"),
                dele(" where they can", BOB, D2)),
        sourced(POINT, 2, run("Local partnerships work"), ppr=w.pPr(w.rPr(w.del_(author=BOB)))),
        para("Member comments", style="Heading1"),
        sourced(COMMENT_TEXT, 3, w.commentRangeStart(id="0"), w.commentRangeStart(id="1"),
                run("Funding must follow "),
                w.ins(run("the "), dele("new ", ALICE, D2), author=BOB, date=D1),
                run("duties"), w.commentRangeEnd(id="0"), w.commentRangeEnd(id="1"),
                w.r(w.commentReference(id="0")), w.r(w.commentReference(id="1"))),
        # editing broke this bookmark: the insertion falls after its end
        w.p(w.bookmarkStart(id="4", name=bookmark_name("meeting/purpose")), run("To agree"),
            w.bookmarkEnd(id="4"), ins(" next steps", ALICE)),
        para(w.commentRangeStart(id="2"), "An unsourced line", w.commentRangeEnd(id="2"),
             w.r(w.commentReference(id="2"))),
    ]


@pytest.fixture
def reviewed(tmp_path):
    header = w.hdr(para("OFFICIAL", ins(" SENSITIVE", ALICE)))
    notes = w.footnotes(w.footnote(para(dele("Draft", BOB)), id="1"))
    return write_docx(
        tmp_path / "briefing.docx", reviewed_blocks(),
        parts={"word/styles.xml": styles(), "word/header1.xml": header,
               "word/footnotes.xml": notes, "word/comments.xml": comments(),
               "word/commentsExtended.xml": comments_extended()},
        extra=source_map_parts({bookmark_name(i): i for i in IDS}))


def rev(kind, author, date, text, item, heading, parent=None, story="document", move=None,
        number=None):
    return {**({"number": number} if number is not None else {}), "kind": kind, "author": author, "date": date, "text": text, "item": item,
            "story": story, "heading": heading, "parent": parent, "move": move}


EXPECTED_REVISIONS = [
    rev("insert", ALICE, D1, "Councils ", HEADLINE, "Key messages"),
    rev("delete", BOB, D2, " where they can", HEADLINE, "Key messages"),
    rev("paragraph-delete", BOB, "2026-03-02T10:00:00Z", "Local partnerships work", POINT,
        "Key messages"),
    rev("insert", BOB, D1, "the new ", COMMENT_TEXT, "Member comments"),
    rev("delete", ALICE, D2, "new ", COMMENT_TEXT, "Member comments", parent=3),
    rev("insert", ALICE, D1, " next steps", "meeting/purpose", "Member comments"),
    rev("insert", ALICE, D1, " SENSITIVE", None, "", story="footnotes"),
    rev("delete", BOB, D1, "Draft", None, "", story="header1"),
]


def test_review_json_lists_every_revision_with_author_date_text_item_story_heading(reviewed):
    got = read_review(reviewed).to_json()["revisions"]
    stories = sorted(r["story"] for r in got)
    assert stories == ["document"] * 6 + ["footnotes", "header1"]
    by_story = {r["story"]: r for r in got if r["story"] != "document"}
    assert by_story["header1"] == rev("insert", ALICE, D1, " SENSITIVE", None, "",
                                      story="header1", number=8)
    assert by_story["footnotes"] == rev("delete", BOB, D1, "Draft", None, "", story="footnotes",
                                        number=7)
    assert [r for r in got if r["story"] == "document"] == [  # numbered as review prints them
        {"number": n, **r} for n, r in enumerate(EXPECTED_REVISIONS[:6], 1)]


def test_review_json_lists_comments_with_anchor_thread_and_resolved_state(reviewed):
    got = read_review(reviewed).to_json()["comments"]
    anchor = "Funding must follow the new duties"
    assert got == [
        {"author": ALICE, "date": D2, "text": "Is this figure agreed?", "anchor_text": anchor,
         "item": COMMENT_TEXT, "story": "document", "id": "0", "parent": None, "replies": [1],
         "resolved": False},
        {"author": BOB, "date": D2, "text": "Yes, with the council.", "anchor_text": anchor,
         "item": COMMENT_TEXT, "story": "document", "id": "1", "parent": 0, "replies": [],
         "resolved": False},
        {"author": BOB, "date": D2, "text": "Tone this down.", "anchor_text": "An unsourced line",
         "item": None, "story": "document", "id": "2", "parent": None,
         "replies": [], "resolved": True},
    ]


def test_review_command_prints_the_report_by_author_and_by_item(reviewed):
    result = runner.invoke(app, ["review", str(reviewed)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{reviewed}: 8 tracked changes and 3 comments by 2 authors"
    assert lines[1:5] == [
        "",
        "By author",
        f"  {ALICE}: 1 comment, 1 delete, 3 insert",
        f"  {BOB}: 2 comment, 2 delete, 1 insert, 1 paragraph-delete",
    ]
    assert lines[5:12] == [
        "",
        "By briefing item",
        f"  {HEADLINE}: 2 ({ALICE} 1, {BOB} 1)",
        f"  {POINT}: 1 ({BOB} 1)",
        f"  {COMMENT_TEXT}: 4 ({ALICE} 2, {BOB} 2)",
        f"  meeting/purpose: 1 ({ALICE} 1)",
        f"  (outside briefing items): 3 ({ALICE} 1, {BOB} 2)",
    ]
    assert f"  1. insert by {ALICE} {D1} in document \u00bb Key messages [{HEADLINE}]: " \
           "\"Councils\"" in lines
    assert f"  5. delete by {ALICE} {D2} (inside change 4) in document \u00bb Member comments " \
           f"[{COMMENT_TEXT}]: " \
           "\"new\"" in lines
    assert f"  2. {BOB} {D2} (reply to 1) on \"Funding must follow the new duties\" " \
           f"[{COMMENT_TEXT}]: \"Yes, with the council.\"" in lines
    assert f"  3. {BOB} {D2} (resolved) on \"An unsourced line\": \"Tone this down.\"" in lines


def test_review_json_command_prints_the_contract(reviewed):
    result = runner.invoke(app, ["review", "--json", str(reviewed)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"revisions", "comments"}
    assert data == read_review(reviewed).to_json()


def test_a_briefing_that_lost_its_source_map_is_reviewed_without_items(tmp_path):
    # an editor that drops custom XML parts keeps the source bookmarks but not the map that
    # says which item each stands for: the changes are listed, under no briefing item
    path = write_docx(tmp_path / "saved-elsewhere.docx", reviewed_blocks(),
                      parts={"word/styles.xml": styles()})

    result = runner.invoke(app, ["review", str(path)])

    assert result.exit_code == 0, result.output
    assert "By briefing item" not in result.stdout
    assert [(r.kind, r.text, r.item) for r in read_review(path).revisions] == [
        (r["kind"], r["text"], None) for r in EXPECTED_REVISIONS[:6]]


def test_changes_without_comments_are_still_reported_by_author(tmp_path):
    path = write_docx(tmp_path / "memo.docx", [para("Members ", ins("warmly ", ALICE), "agreed.")])

    result = runner.invoke(app, ["review", str(path)])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        f"{path}: 1 tracked change and 0 comments by 1 author", "", "By author",
        f"  {ALICE}: 1 insert"]


def test_a_document_without_changes_says_so(tmp_path):
    path = write_docx(tmp_path / "clean.docx", [para("Nothing to see")])
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 0
    assert result.stdout == f"{path}: no tracked changes or comments\n"
    result = runner.invoke(app, ["review", "--json", str(path)])
    assert json.loads(result.stdout) == {"revisions": [], "comments": []}


def texts(path):
    from briefing.ooxml.read.text import paragraph_texts

    return paragraph_texts(Package.open(path).xml("word/document.xml"))


def test_accept_all_writes_beside_the_input_and_leaves_no_revisions(reviewed):
    before = reviewed.read_bytes()
    result = runner.invoke(app, ["accept", str(reviewed)])
    out = reviewed.with_name("briefing-accepted.docx")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert result.stderr == "info: accepted 8 tracked changes\n"
    assert reviewed.read_bytes() == before
    review = read_review(out)
    assert review.revisions == [] and len(review.comments) == 3
    assert validate_ooxml(reviewed)[0]
    assert texts(out) == ["Key messages", "Councils commission locally",
                          "Local partnerships workMember comments",
                          "Funding must follow the duties",
                          "To agree next steps", "An unsourced line"]
    ok, report = validate_ooxml(out)
    assert ok, report


def test_reject_all_restores_the_original_wording(reviewed):
    result = runner.invoke(app, ["reject", str(reviewed)])
    out = reviewed.with_name("briefing-rejected.docx")
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: rejected 8 tracked changes\n"
    assert texts(out) == ["Key messages", "commission locally where they can",
                          "Local partnerships work", "Member comments",
                          "Funding must follow duties", "To agree", "An unsourced line"]
    assert read_review(out).revisions == []


def test_accept_by_author_leaves_the_other_authors_changes(reviewed, tmp_path):
    out = tmp_path / "alice.docx"
    result = runner.invoke(app, ["accept", str(reviewed), "--author", ALICE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: accepted 4 tracked changes\n"
    left = read_review(out).revisions
    assert {r.author for r in left} == {BOB}
    assert [(r.kind, r.text) for r in left if r.story == "document"] == [
        ("delete", " where they can"), ("paragraph-delete", "Local partnerships work"),
        ("insert", "the ")]


def test_the_reviewers_are_recorded_in_the_cleared_document(reviewed, tmp_path):
    out = tmp_path / "cleared.docx"
    resolve_file(reviewed, out, accept=True)
    assert read_source_map(Package.open(out)).reviewers == {ALICE: 4, BOB: 4}


def test_reject_by_item_id_covers_every_field_of_that_item(reviewed, tmp_path):
    out = tmp_path / "item.docx"
    result = runner.invoke(app, ["reject", str(reviewed), "--item", "local-commissioning",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: rejected 3 tracked changes\n"
    left = read_review(out).revisions
    assert all(r.item not in (HEADLINE, POINT) for r in left)
    assert len(left) == 5
    assert texts(out)[1:3] == ["commission locally where they can", "Local partnerships work"]


def test_filters_by_author_and_item_combine(reviewed, tmp_path):
    out = tmp_path / "both.docx"
    result = runner.invoke(app, ["accept", str(reviewed), "--item", HEADLINE,
                                 "--author", BOB, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: accepted 1 tracked change\n"


def test_an_author_with_no_changes_is_refused_naming_the_authors_nearest_first(reviewed,
                                                                             tmp_path):
    out = tmp_path / "none.docx"
    result = runner.invoke(app, ["accept", str(reviewed), "--author", "Cllr Bob Exampel",
                                 "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"{reviewed}: no changes by 'Cllr Bob Exampel'; nothing was "
                             f"written. Authors: {BOB}, {ALICE}\n")
    assert not out.exists()


def test_an_author_asked_of_a_document_without_changes_is_refused_saying_there_are_none(
        tmp_path):
    path = write_docx(tmp_path / "clean.docx", [para("Nothing to see")])
    out = tmp_path / "none.docx"
    result = runner.invoke(app, ["accept", str(path), "--author", ALICE, "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"{path}: no changes by {ALICE!r}; nothing was written. "
                             "Authors: none\n")
    assert not out.exists()


def test_resolve_file_called_without_force_never_replaces_an_existing_output(reviewed,
                                                                          tmp_path):
    # the web app and scripts call resolve_file directly: replacing is theirs to ask for
    out = tmp_path / "accepted.docx"
    out.write_bytes(b"keep me")

    with pytest.raises(BriefingError, match="already exists; use --force to replace it"):
        resolve_file(reviewed, out)

    assert out.read_bytes() == b"keep me"


def test_an_item_with_no_changes_is_refused_naming_the_items_with_changes(reviewed, tmp_path):
    out = tmp_path / "none.docx"
    result = runner.invoke(app, ["reject", str(reviewed), "--item", "objectives", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{reviewed}: no changes in objectives; nothing was written. "
                                    "Items with changes: ")
    assert HEADLINE in result.stderr
    assert not out.exists()


def test_item_filter_needs_one_of_our_documents(tmp_path):
    path = write_docx(tmp_path / "theirs.docx", [para(ins("x", ALICE))])
    result = runner.invoke(app, ["accept", str(path), "--item", "local-commissioning"])
    assert result.exit_code == 1
    assert result.stderr == (f"{path}: --item needs a document built by briefing "
                             "(this one carries no briefing source map)\n")
    assert not (tmp_path / "theirs-accepted.docx").exists()


def test_an_existing_output_needs_force(reviewed):
    out = reviewed.with_name("briefing-accepted.docx")
    out.write_bytes(b"earlier")
    result = runner.invoke(app, ["accept", str(reviewed)])
    assert result.exit_code == 1
    assert result.stderr == f"{out}: already exists; use --force to replace it\n"
    assert out.read_bytes() == b"earlier"
    result = runner.invoke(app, ["accept", str(reviewed), "--force"])
    assert result.exit_code == 0
    assert zipfile.is_zipfile(out)


def test_the_input_is_never_the_output(reviewed):
    before = reviewed.read_bytes()
    result = runner.invoke(app, ["reject", str(reviewed), "-o", str(reviewed), "--force"])
    assert result.exit_code == 1
    assert result.stderr == f"{reviewed}: is the input document; choose another output with -o\n"
    assert reviewed.read_bytes() == before


def test_an_output_folder_that_does_not_exist_is_named(reviewed, tmp_path):
    out = tmp_path / "missing" / "x.docx"
    result = runner.invoke(app, ["accept", str(reviewed), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"{out}: folder {out.parent} does not exist\n"


def test_drop_comments_removes_ranges_references_parts_and_relationships(reviewed, tmp_path):
    out = tmp_path / "nocomments.docx"
    result = runner.invoke(app, ["accept", str(reviewed), "--drop-comments", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "info: accepted 8 tracked changes\ninfo: removed 3 comments\n"
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        everything = b"".join(zf.read(n) for n in names)
    assert "word/comments.xml" not in names and "word/commentsExtended.xml" not in names
    for trace in (b"comments.xml", b"commentsExtended", b"commentRange", b"commentReference",
                  b"relationships/comments", b"comments+xml"):
        assert trace not in everything  # no part, relationship, content type or markup is left
    assert read_review(out).comments == []
    ok, report = validate_ooxml(out)
    assert ok, report


@pytest.mark.parametrize(("source_id", "wanted", "matches"), [
    (HEADLINE, HEADLINE, True),
    (HEADLINE, "local-commissioning", True),
    (HEADLINE, "key_messages", True),
    (HEADLINE, "key_messages/local-commissioning", True),
    (HEADLINE, "local", False),
    (HEADLINE, "headline", False),
    ("objectives/0", "objectives", True),
    (None, "objectives", False),
])
def test_item_matching(source_id, wanted, matches):
    assert sourceid.matches(source_id, wanted) is matches


def test_mc_fallback_copies_are_not_reported_twice(tmp_path):
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = w.txbxContent(para(ins("boxed", ALICE)))
    alt = w.r()
    choice, fallback = w.r(), w.r()
    choice.tag, fallback.tag = f"{{{mc}}}Choice", f"{{{mc}}}Fallback"
    choice.set("Requires", "wps")
    choice.append(w.drawing(box))
    fallback.append(w.pict(w.txbxContent(para(ins("boxed", ALICE)))))
    alt.tag = f"{{{mc}}}AlternateContent"
    alt.append(choice)
    alt.append(fallback)
    path = write_docx(tmp_path / "box.docx", [w.p(w.r(alt))])
    assert [(r.kind, r.text) for r in read_review(path).revisions] == [("insert", "boxed")]
    for authors in ([], [ALICE]):  # the copy is resolved with the change it copies
        out = tmp_path / "box-accepted.docx"
        result = resolve_file(path, out, authors=authors, force=True)
        assert [str(m) for m in result.messages] == ["info: accepted 1 tracked change"]
        assert b"w:ins " not in Package.open(out).parts["word/document.xml"]


def test_the_console_entry_runs_review_the_same_way_typer_does(reviewed, tmp_path):
    import subprocess
    import sys

    for args in (["review", "--json", str(reviewed)], ["review", str(reviewed), "--json"],
                 ["review", str(reviewed)]):
        direct = subprocess.run([sys.executable, "-m", "briefing", *args],
                                capture_output=True, text=True, check=False)
        typer_run = runner.invoke(app, args)
        assert (direct.returncode, direct.stdout, direct.stderr) == (
            typer_run.exit_code, typer_run.stdout, typer_run.stderr)
    missing = tmp_path / "missing.docx"
    direct = subprocess.run([sys.executable, "-m", "briefing", "review", str(missing)],
                            capture_output=True, text=True, check=False)
    assert (direct.returncode, direct.stdout, direct.stderr) == (
        1, "", f"{missing}: no such file\n")


@pytest.mark.parametrize(("accept", "option", "value"), [
    (True, "--author", BOB), (False, "--author", ALICE), (True, "--item", "local-commissioning"),
])
def test_partly_resolved_documents_stay_valid(reviewed, tmp_path, accept, option, value):
    out = tmp_path / "part.docx"
    command = "accept" if accept else "reject"
    result = runner.invoke(app, [command, str(reviewed), option, value, "-o", str(out)])
    assert result.exit_code == 0, result.output
    ok, report = validate_ooxml(out)
    assert ok, report


@pytest.mark.parametrize(("name", "message"), [
    ("out.pdf", "{out}: the output must be a .docx file"),
    ("folder", "{out}: is a folder; give the output file's name"),
])
def test_the_output_must_be_a_word_file(reviewed, tmp_path, name, message):
    out = tmp_path / name
    if name == "folder":
        out.mkdir()
    result = runner.invoke(app, ["accept", str(reviewed), "-o", str(out), "--force"])
    assert result.exit_code == 1
    assert result.stderr == message.format(out=out) + "\n"
    assert out.is_dir() or not out.exists()


PREFIXED = ["objectives/1", "objectives/10", "key_messages/local-commissioning/headline",
            "key_messages/local-commissioning-2/headline"]


@pytest.fixture
def prefixed(tmp_path):
    """Return a reviewed document whose source ids are plain prefixes of one another."""
    blocks = [sourced(sid, n, run("Was "), ins(f"new {n}", ALICE)) for n, sid in
              enumerate(PREFIXED, 1)]
    return write_docx(tmp_path / "prefixed.docx", blocks,
                      extra=source_map_parts({bookmark_name(i): i for i in PREFIXED}))


@pytest.mark.parametrize("command", ["accept", "reject"])
@pytest.mark.parametrize(("wanted", "resolved"), [
    ("objectives/1", "objectives/1"),
    ("local-commissioning", "key_messages/local-commissioning/headline"),
    ("key_messages/local-commissioning", "key_messages/local-commissioning/headline"),
])
def test_item_filter_never_takes_an_id_that_merely_starts_with_the_one_asked_for(
        prefixed, tmp_path, command, wanted, resolved):
    out = tmp_path / "out.docx"
    result = runner.invoke(app, [command, str(prefixed), "--item", wanted, "-o", str(out)])
    assert result.exit_code == 0, result.output
    verb = "accepted" if command == "accept" else "rejected"
    assert result.stderr == f"info: {verb} 1 tracked change\n"
    left = {r.item for r in read_review(out).revisions}
    assert left == set(PREFIXED) - {resolved}


def test_review_reports_each_change_under_its_own_id_when_ids_are_prefixes(prefixed):
    items = [r.item for r in read_review(prefixed).revisions]
    assert items == PREFIXED


def test_each_change_goes_with_the_item_of_the_paragraph_it_edits(tmp_path):
    """A word typed before a point's bookmark starts (Word puts the start after it) is the
    point's; a paragraph split off one holding two items continues the second; one split
    off template wording belongs to no item."""
    objective, other = "objectives/0", "objectives/1"
    blocks = [
        w.p(ins("Newly ", ALICE), w.bookmarkStart(id="1", name=bookmark_name(POINT)),
            run("local partnerships work"), w.bookmarkEnd(id="1")),
        w.p(w.pPr(w.rPr(w.ins(author=BOB))),
            w.bookmarkStart(id="2", name=bookmark_name(objective)), run("Agree the plan."),
            w.bookmarkEnd(id="2"), w.bookmarkStart(id="3", name=bookmark_name(other)),
            run(" Agree the budget."), w.bookmarkEnd(id="3")),
        w.p(w.pPr(w.rPr(w.ins(author=BOB))), ins("And the timetable.", BOB)),
        w.p(ins("And the venue.", BOB)),
        para("Template wording"),  # no item's: what is split off it is no item's either
        w.p(w.pPr(w.rPr(w.ins(author=BOB))), ins("Typed after it.", BOB)),
    ]
    path = write_docx(tmp_path / "briefing.docx", blocks, extra=source_map_parts(
        {bookmark_name(i): i for i in (POINT, objective, other)}))
    assert [(r.kind, r.text, r.item) for r in read_review(path).revisions] == [
        ("insert", "Newly ", POINT),
        ("paragraph-insert", "Agree the plan. Agree the budget.", other),
        ("insert", "And the timetable.", other),
        ("paragraph-insert", "And the timetable.", other),
        ("insert", "And the venue.", other),
        ("insert", "Typed after it.", None),
        ("paragraph-insert", "Typed after it.", None),
    ]


def test_a_row_inserted_under_a_repeating_header_row_is_listed_with_its_text(tmp_path):
    table = w.tbl(w.tr(w.trPr(w.tblHeader()), w.tc(para("Council"))),
                  w.tr(w.trPr(w.cantSplit(), w.ins(author=ALICE)), w.tc(para("Wigan"))))
    path = write_docx(tmp_path / "rows.docx", [table, para("End.")])
    assert [(r.kind, r.text) for r in read_review(path).revisions] == [("row-insert", "Wigan")]


def test_a_change_to_the_page_setup_is_listed_without_the_documents_text(tmp_path):
    page = w.pgSz(w="11906", h="16838")
    section = w.sectPr(page, w.sectPrChange(w.sectPr(w.pgSz(w="16838", h="11906")),
                                            author=ALICE))
    path = write_docx(tmp_path / "page.docx", w.document(w.body(para("Councils know."), section)))
    assert [(r.kind, r.text) for r in read_review(path).revisions] == [("section-format", "")]


def test_a_deletion_inside_an_insertion_in_the_header_names_that_insertion_as_its_parent(
        tmp_path):
    header = w.hdr(para(w.ins(run("the "), dele("new ", ALICE), author=BOB)))
    path = write_docx(tmp_path / "header.docx", [para(ins("Councils ", ALICE))],
                      parts={"word/header1.xml": header})
    revisions = read_review(path).revisions
    (inner,) = [r for r in revisions if r.kind == "delete"]
    assert inner.parent is not None and revisions[inner.parent].text == "the new "
