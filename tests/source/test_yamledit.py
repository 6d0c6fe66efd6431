"""Editing a briefing's YAML by field path changes only the edited values' bytes."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from briefing.source.edit import EditError, YamlText
from briefing.sourceid import ById, format_path, get_value
from briefing.sourceid import to_path as path_from_source_id

SOURCE = """\
# yaml-language-server: $schema=briefing.schema.json
briefing:
  title: "Meeting with the Secretary of State"   # quoted on purpose
  version: 2
objectives:
  - Agree a joint approach
  - 'Secure a role for councils'

key_messages:
  # the first message
  - id: local-commissioning
    headline: >-
      Councils should commission employment support locally, because they know
      their places best.
    points:
    - One point here
    - "Second point: with colon"   # keep this comment
    suggested_by: [Cllr A, Cllr B]
  - id: other
    headline: |
      Literal headline
    points: []
    suggested_by:
      - Cllr C
"""

KM = ("key_messages", ById("local-commissioning"))


def load(text: str):
    return YAML(typ="safe", pure=True).load(text)


def changed_lines(before: str, after: str) -> list[str]:
    """Return the diff lines (without context) between two texts."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def edit(fn) -> str:
    editor = YamlText.parse(SOURCE)
    fn(editor)
    return editor.result()


def test_no_edits_leave_the_text_byte_identical():
    editor = YamlText.parse(SOURCE)
    assert not editor.changed
    assert editor.result() == SOURCE


def test_double_quoted_value_stays_double_quoted_and_its_comment_stays():
    out = edit(lambda e: e.set_scalar(("briefing", "title"), 'The "new" title'))
    assert changed_lines(SOURCE, out) == [
        '-  title: "Meeting with the Secretary of State"   # quoted on purpose',
        '+  title: "The \\"new\\" title"   # quoted on purpose',
    ]


def test_single_quoted_value_stays_single_quoted():
    out = edit(lambda e: e.set_list(("objectives",), ["Agree a joint approach",
                                                      "Secure the council's role"]))
    assert changed_lines(SOURCE, out) == [
        "-  - 'Secure a role for councils'",
        "+  - 'Secure the council''s role'",
    ]


def test_plain_value_that_cannot_stay_plain_is_double_quoted():
    out = edit(lambda e: e.set_list(KM + ("points",), ["Note: this needs quotes",
                                                       "Second point: with colon"]))
    assert changed_lines(SOURCE, out) == [
        "-    - One point here",
        '+    - "Note: this needs quotes"',
    ]
    assert load(out)["key_messages"][0]["points"][0] == "Note: this needs quotes"


def test_folded_value_is_refolded_at_the_same_indent():
    text = ("Councils should commission employment support locally, because they know "
            "their places best and can join up services for people far from work.")
    out = edit(lambda e: e.set_scalar(KM + ("headline",), text))
    assert changed_lines(SOURCE, out) == [
        "-      their places best.",
        "+      their places best and can join up services for people far from work.",
    ]
    assert load(out)["key_messages"][0]["headline"] == text


def test_literal_value_keeps_its_line_breaks():
    out = edit(lambda e: e.set_scalar(("key_messages", ById("other"), "headline"),
                                      "Literal\nheadline two"))
    assert changed_lines(SOURCE, out) == [
        "-      Literal headline", "+      Literal", "+      headline two"]


def test_point_inserted_and_point_deleted_touch_only_their_lines():
    out = edit(lambda e: e.set_list(KM + ("points",), ["One point here", "A new point"]))
    assert changed_lines(SOURCE, out) == [
        '-    - "Second point: with colon"   # keep this comment',
        '+    - "A new point"   # keep this comment']
    out = edit(lambda e: e.set_list(KM + ("points",), [
        "One point here", "Inserted point", "Second point: with colon"]))
    assert changed_lines(SOURCE, out) == ["+    - Inserted point"]
    out = edit(lambda e: e.set_list(KM + ("points",), ["Second point: with colon"]))
    assert changed_lines(SOURCE, out) == ["-    - One point here"]


def test_block_list_emptied_becomes_an_empty_flow_list():
    out = edit(lambda e: e.set_list(KM + ("points",), []))
    assert changed_lines(SOURCE, out) == [
        "-    points:", "-    - One point here",
        '-    - "Second point: with colon"   # keep this comment', "+    points: []"]
    assert load(out)["key_messages"][0]["points"] == []


def test_flow_list_is_rewritten_in_flow_style():
    out = edit(lambda e: e.set_list(KM + ("suggested_by",), ["Cllr A", "Cllr B, jr"]))
    assert changed_lines(SOURCE, out) == [
        "-    suggested_by: [Cllr A, Cllr B]", '+    suggested_by: [Cllr A, "Cllr B, jr"]']


def test_empty_flow_list_that_gains_an_item_becomes_a_block_list_like_the_files():
    out = edit(lambda e: e.set_list(("key_messages", ById("other"), "points"), ["First"]))
    assert changed_lines(SOURCE, out) == ["-    points: []", "+    points:", "+      - First"]


def test_entries_appended_look_like_the_last_entry():
    source = SOURCE + ("clearance:\n"
                       "- reviewer: 'Cllr Jones'   # chair of the board\n"
                       "  role: Lead member\n"
                       "  version: 1\n"
                       "  date: 2010-09-01\n"
                       "  outcome: cleared\n")
    editor = YamlText.parse(source)
    editor.append_to_list("clearance", [
        {"reviewer": "Cllr Smith", "role": "Lead member", "version": 2,
         "date": dt.date(2010, 9, 20), "outcome": "cleared-with-changes"}])
    assert editor.result() == source + ("- reviewer: 'Cllr Smith'\n"
                                        "  role: Lead member\n"
                                        "  version: 2\n"
                                        "  date: 2010-09-20\n"
                                        "  outcome: cleared-with-changes\n")


def test_first_entries_start_a_block_list_indented_like_the_file():
    entry = {"reviewer": "Cllr Smith", "role": "Lead member", "version": 2,
             "date": dt.date(2010, 9, 20), "outcome": "cleared"}
    block = ("  - reviewer: Cllr Smith\n    role: Lead member\n    version: 2\n"
             "    date: 2010-09-20\n    outcome: cleared\n")
    editor = YamlText.parse(SOURCE)
    editor.append_to_list("clearance", [entry])
    assert editor.result() == SOURCE + "\nclearance:\n" + block
    editor = YamlText.parse(SOURCE + "clearance: []   # none yet\n")
    editor.append_to_list("clearance", [entry])
    assert editor.result() == SOURCE + "clearance:\n" + block
    assert load(editor.result())["clearance"][0]["date"] == dt.date(2010, 9, 20)


def test_missing_path_and_non_text_value_are_refused():
    editor = YamlText.parse(SOURCE)
    with pytest.raises(EditError, match=r"key_messages\[nope\]\.headline: not found"):
        editor.set_scalar(("key_messages", ById("nope"), "headline"), "x")
    with pytest.raises(EditError, match=r"briefing\.version: is not a text value"):
        editor.set_scalar(("briefing", "version"), "3")


@pytest.mark.parametrize("line, where", [
    ("    - One point here   # keep this comment\n", "line 16, column 24: "
     "key_messages[0].points[0]"),
    ("    - One point #1\n", "line 16, column 17: key_messages[0].points[0]"),
])
def test_text_cut_short_by_a_comment_is_refused_where_it_is(line, where):
    source = SOURCE.replace("    - One point here\n", line)
    with pytest.raises(EditError) as caught:
        YamlText.parse(source)
    assert str(caught.value) == (f"{where}: the text after ' #' would be dropped as a comment; "
                                 "put the whole value in quotes")


def test_comments_after_numbers_quoted_text_and_block_indicators_are_fine():
    source = SOURCE.replace("  version: 2\n", "  version: 2   # second draft\n").replace(
        "headline: >-\n", "headline: >-   # folded\n")
    editor = YamlText.parse(source)
    editor.set_scalar(("briefing", "title"), "New")
    assert changed_lines(source, editor.result()) == [
        '-  title: "Meeting with the Secretary of State"   # quoted on purpose',
        '+  title: "New"   # quoted on purpose']


def test_source_ids_name_fields_by_item_id_and_list_position():
    data = load(SOURCE)
    assert path_from_source_id("key_messages/local-commissioning/points/1", data) == \
        KM + ("points", 1)
    assert path_from_source_id("objectives/0", data) == ("objectives", 0)
    assert path_from_source_id("key_messages/local-commissioning/attribution", data) is None
    assert path_from_source_id("key_messages/nope/headline", data) is None
    assert format_path(KM + ("points", 1)) == "key_messages[local-commissioning].points[1]"
    assert get_value(data, KM + ("points", 1)) == "Second point: with colon"


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    min_size=1, max_size=60).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(value=_TEXT, which=st.sampled_from([
    ("briefing", "title"), KM + ("headline",), ("key_messages", ById("other"), "headline"),
    ("objectives", 1), KM + ("points", 0)]))
def test_any_text_in_any_style_reads_back_exactly(value, which):
    editor = YamlText.parse(SOURCE)
    editor.set_scalar(which, value)
    data = load(editor.result())
    assert get_value(data, which).strip() == value


LISTS = """\
top:
  # block list, items in several styles
  block:
    - plain item
    - 'single quoted'
    - >-
      a folded item that runs
      over two lines
    - "last one"   # trailing comment
  flow: [one, "two", three]
  after: kept
"""


@settings(max_examples=150, deadline=None)
@given(values=st.lists(_TEXT, max_size=6), which=st.sampled_from(["block", "flow"]))
def test_any_list_edit_reads_back_and_leaves_the_rest_alone(values, which):
    editor = YamlText.parse(LISTS)
    editor.set_list(("top", which), values)
    out = editor.result()
    data = load(out)
    assert [v.strip() for v in data["top"][which]] == values
    other = "flow" if which == "block" else "block"
    assert data["top"][other] == load(LISTS)["top"][other]
    assert data["top"]["after"] == "kept"
    assert out.startswith("top:\n  # block list, items in several styles\n")


@settings(max_examples=300, deadline=None)
@given(typed=st.text(alphabet="ab #:-,.'\"&<>{}[]!%@`|*?~\u00e9", min_size=1, max_size=24))
def test_the_editor_never_edits_text_a_comment_cut_short(typed):
    try:
        editor = YamlText.parse(f"answer: {typed}\n")
        node = editor.node(("answer",))
    except EditError:
        return
    if getattr(node, "style", None) is None and not typed.strip().startswith(("'", '"')) \
            and isinstance(load(f"answer: {typed}\n")["answer"], str):
        assert node.value == typed.strip()
