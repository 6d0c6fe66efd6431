"""apply_changes: a form's changes go into the YAML in place, stored exactly, comments kept."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.source.changes import EditError, Insert, Move, Remove, Set, apply_changes
from briefing.source.load import load_text
from briefing.source.read import read_yaml
from briefing.source.starter import starter_text
from briefing.sourceid import ById, get_value

ROOT = Path(__file__).resolve().parents[2]

SOURCE = """\
# yaml-language-server: $schema=briefing.schema.json
briefing:
  title: "Meeting with the Secretary of State"   # quoted on purpose
  reference: 'LGA/1'
  version: 2   # second draft
  prepared: 2010-09-20
meeting:
  principal: {name: Baroness Eaton, role: Chairman}
  counterparts:
    - name: Iain Duncan Smith MP
      role: Secretary of State
  when: "Autumn 2010"   # to be fixed
  purpose: >-
    To press for a role for councils in commissioning the programme, because
    they know their places best.
objectives:
  # one to three
  - Agree a joint approach
  - 'Secure a role for councils'

key_messages:
  # the first message
  - id: local-commissioning
    headline: |
      Councils should commission locally.
    points:
      - One point here
      - "Second point: with colon"   # keep this comment
    suggested_by: [Cllr A, Cllr B]
  # the second message
  - id: other
    headline: Another headline
    points: []
    suggested_by:
      - Cllr C
contact:
  name: Philip Mind
  position: Senior Policy Consultant
  phone: 020 7664 3243
  email: philip.mind@local.gov.uk
# end of file
"""

KM = ("key_messages", ById("local-commissioning"))


def data(text: str):
    return read_yaml(text, "b.yaml")[0]


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


KNOWN_COMMENTS = [m.group() for m in re.finditer(r"# .*", SOURCE) if '"' not in m.group()]


def comments(text: str) -> list[str]:
    """Return the known comments of SOURCE that end a line of `text`, in order."""
    return [c for line in text.splitlines() for c in KNOWN_COMMENTS if line.endswith(c)]


TRICKY = [
    "Many already do #localgov, see case studies", "Jobs & growth: councils must lead",
    "&anchor", "*alias", "<b>bold</b>", "{{ briefing.title }}", "{% if %}", "'single'",
    '"double"', "007", "yes", "no", "3", "1.5", "2010-09-15", "2010-09-15 10:00:00", "~",
    "null", "", "   padded   ", "line one\nline two", "trailing newline\n", "- dash",
    "? question", "[flow]", "{map}", "@at", "`tick`", "%percent", "!bang", "a\tb", "\u00a0nbsp",
    "zero\u200bwidth", "\ufeffbom", "O'Neill", "C:\\Users", "# hash first", "colon at end:",
    "x" * 300,
]
TEXT_FIELDS = [("briefing", "title"), ("briefing", "reference"), ("meeting", "when"),
               ("meeting", "purpose"), ("objectives", 0), ("objectives", 1),
               KM + ("headline",), KM + ("points", 0), KM + ("suggested_by", 1),
               ("meeting", "principal", "name"), ("contact", "name")]


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
@pytest.mark.parametrize("path", TEXT_FIELDS, ids=lambda p: "/".join(map(str, p)))
def test_any_typed_text_is_stored_exactly(path, value):
    out = apply_changes(SOURCE, [Set(path, value)])
    got = data(out)
    assert get_value(got, path) == value
    assert comments(out) == comments(SOURCE)
    expected = data(SOURCE)  # and nothing else changed
    parent = get_value(expected, path[:-1])
    last = path[-1]
    parent[last if not isinstance(last, ById) else 0] = value
    assert got == expected


def test_a_plain_edit_touches_only_its_line_and_keeps_the_style():
    out = apply_changes(SOURCE, [Set(("briefing", "title"), "New title"),
                                 Set(KM + ("points", 0), "Jobs: growth")])
    assert changed_lines(SOURCE, out) == [
        '-  title: "Meeting with the Secretary of State"   # quoted on purpose',
        '+  title: "New title"   # quoted on purpose',
        "-      - One point here",
        '+      - "Jobs: growth"',
    ]


def test_booleans_dates_and_numbers_are_written_as_such():
    out = apply_changes(SOURCE, [Set(("briefing", "version"), 3),
                                 Set(("briefing", "prepared"), dt.date(2010, 10, 1)),
                                 Set(("meeting", "date"), dt.date(2010, 11, 2))])
    assert changed_lines(SOURCE, out) == [
        "-  version: 2   # second draft", "-  prepared: 2010-09-20",
        "+  version: 3   # second draft", "+  prepared: 2010-10-01",
        "+  date: 2010-11-02"]
    got = data(out)
    assert (got["briefing"]["version"], got["meeting"]["date"]) == (3, dt.date(2010, 11, 2))


def test_a_missing_field_and_section_are_added_and_none_removes_a_field():
    out = apply_changes(SOURCE, [Set(("meeting", "venue"), "Caxton House"),
                                 Set(("briefing", "reference"), None),
                                 Set(("lines_to_take",), [{"id": "capacity",
                                                           "question": "Can councils cope?",
                                                           "answer": "Yes: many already do"}])])
    assert changed_lines(SOURCE, out) == [
        "-  reference: 'LGA/1'", "+  venue: Caxton House",
        "+lines_to_take:", "+  - id: capacity", "+    question: Can councils cope?",
        '+    answer: "Yes: many already do"']


def test_list_items_are_added_removed_and_reordered_with_their_comments():
    out = apply_changes(SOURCE, [Insert(KM + ("points",), "A new point", 1),
                                 Insert(("key_messages", ById("other"), "points"), "First"),
                                 Remove(("objectives", 1)),
                                 Move(("key_messages",), 1, 0)])
    assert out.index("# the second message") < out.index("  - id: other") < \
        out.index("# the first message") < out.index("  - id: local-commissioning")
    got = data(out)
    assert got["key_messages"][1]["points"] == ["One point here", "A new point",
                                                 "Second point: with colon"]
    assert got["key_messages"][0]["points"] == ["First"]
    assert got["objectives"] == ["Agree a joint approach"]
    assert comments(out) == ["# yaml-language-server: $schema=briefing.schema.json",
                             "# quoted on purpose", "# second draft", "# to be fixed",
                             "# one to three", "# the second message", "# the first message",
                             "# keep this comment", "# end of file"]


def test_a_new_entry_is_laid_out_as_the_list_is_and_the_result_validates():
    text = starter_text("b.yaml", dt.date(2010, 9, 20))
    comment = {"id": "capacity-concern", "text": "Members asked: who pays?",
               "board": "Community Wellbeing Board", "meeting_date": dt.date(2010, 7, 14),
               "item": "4", "relates_to": ["councils-role"]}
    out = apply_changes(text, [Insert(("member_comments",), comment)])
    assert changed_lines(text, out) == [
        "+  - id: capacity-concern", '+    text: "Members asked: who pays?"',
        "+    board: Community Wellbeing Board", "+    meeting_date: 2010-07-14",
        '+    item: "4"', "+    relates_to: [councils-role]"]
    assert load_text(out).value.briefing.member_comments[1].item == "4"


def test_many_sets_in_one_save_each_land_where_they_belong():
    changes = [Set(("briefing", "title"), "A: b"), Set(KM + ("points",), ["x", "One point here", "Second point: with colon"]),
               Set(("meeting", "venue"), "Room 1"), Set(("meeting", "requested_by"), "007"),
               Set(("objectives", 1), "line\nbreak"), Set(("briefing", "version"), 4)]
    out = apply_changes(SOURCE, changes, data=data(SOURCE))
    got = data(out)
    assert (got["briefing"]["title"], got["key_messages"][0]["points"], got["meeting"]["venue"],
            got["meeting"]["requested_by"], got["objectives"][1], got["briefing"]["version"]) \
        == ("A: b", ["x", "One point here", "Second point: with colon"], "Room 1", "007",
            "line\nbreak", 4)
    assert comments(out) == comments(SOURCE)


def test_removing_the_last_item_leaves_an_empty_list():
    out = apply_changes(SOURCE, [Remove(("key_messages", ById("other"), "suggested_by", 0))])
    assert changed_lines(SOURCE, out) == ["-    suggested_by:", "-      - Cllr C",
                                          "+    suggested_by: []"]


@pytest.mark.parametrize("change, message", [
    (Set(("key_messages", ById("nope"), "headline"), "x"),
     r"key_messages\[nope\]: not found"),
    (Move(("objectives",), 0, 5), r"objectives: no item 0 or 5 to move"),
    (Set(("objectives", 7), "x"), r"objectives\[7\]: not found"),
])
def test_a_change_that_cannot_be_made_is_refused(change, message):
    with pytest.raises(EditError, match=message):
        apply_changes(SOURCE, [change])


def test_a_file_with_text_cut_short_by_a_comment_is_not_edited():
    with pytest.raises(EditError, match=r"would be dropped as a comment"):
        apply_changes(SOURCE.replace("Another headline", "Another #1 headline"),
                      [Set(("briefing", "title"), "x")])


# ------------------------------------------------------------------------ properties

_ANY = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_ANY, path=st.sampled_from(TEXT_FIELDS))
def test_any_string_saves_and_reloads_exactly(value, path):
    out = apply_changes(SOURCE, [Set(path, value)])
    assert get_value(data(out), path) == value
    assert comments(out) == comments(SOURCE)


_SAVE = st.one_of(
    st.builds(Set, st.sampled_from(TEXT_FIELDS), _ANY),
    st.builds(Insert, st.just(KM + ("points",)), _ANY, st.integers(0, 1)),
    st.builds(Move, st.just(("objectives",)), st.integers(0, 1), st.integers(0, 1)),
)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(saves=st.lists(_SAVE, min_size=100, max_size=100))
def test_comments_survive_a_hundred_random_saves(saves):
    text = SOURCE
    for change in saves:
        text = apply_changes(text, [change])
    assert sorted(comments(text)) == sorted(comments(SOURCE))
    for path in TEXT_FIELDS:  # the last value set is what reads back
        last = [c.value for c in saves if isinstance(c, Set) and c.path == path]
        if last and "points" not in path and "objectives" not in path:
            assert get_value(data(text), path) == last[-1]


def test_the_data_given_is_never_changed_by_the_edits():
    """The editor page passes the file's cached data; an edit must not change it in place,
    or the page would show the edit as saved when it was refused."""
    import copy

    given = data(SOURCE)
    before = copy.deepcopy(given)
    changes = [Set(("briefing", "title"), "New title"), Set(("meeting", "venue"), "Room 1"),
               Set(("briefing", "reference"), None), Insert(KM + ("points",), "A new point", 1),
               Remove(("objectives", 1)), Move(("key_messages",), 1, 0),
               Set(KM + ("points", 0), "Changed point"),
               Set(("meeting", "principal", "role"), "Chair")]
    out = apply_changes(SOURCE, changes, data=given)
    assert given == before
    got = data(out)
    assert got["key_messages"][1]["points"][:2] == ["Changed point", "A new point"]
    assert (got["briefing"]["title"], got["meeting"]["principal"]["role"]) == ("New title",
                                                                                "Chair")
    with pytest.raises(EditError):
        apply_changes(SOURCE, [Set(("objectives", 5), "no such line")], data=given)
    assert given == before
