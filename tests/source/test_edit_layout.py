"""Where the in-place editor writes what a form adds or removes: the YAML an officer then reads.

Each test asserts the text itself (not only the data it reads as): a field added inside
`{...}`, a list item on its own line at its place, a comment kept with the item it describes,
a multi-line value written as a `|` block.
"""

from __future__ import annotations

import pytest

from briefing.source.changes import EditError, Insert, Move, Remove, Set, apply_changes
from briefing.source.edit import YamlText
from briefing.sourceid import ById
from tests.source.test_changes import KM, SOURCE, changed_lines, data

PRINCIPAL = ("meeting", "principal")


def lines(text: str, first: str, count: int) -> list[str]:
    """Return `count` lines of `text` from the one that starts (after indent) with `first`."""
    all_lines = text.splitlines()
    at = next(n for n, line in enumerate(all_lines) if line.lstrip().startswith(first))
    return all_lines[at:at + count]


def test_a_field_added_to_a_flow_mapping_goes_inside_its_braces():
    out = apply_changes(SOURCE, [Set(PRINCIPAL + ("organisation",), "Local Government Group")])

    assert changed_lines(SOURCE, out) == [
        "-  principal: {name: Baroness Eaton, role: Chairman}",
        "+  principal: {name: Baroness Eaton, role: Chairman, organisation: Local Government Group}",
    ]


def test_fields_removed_from_a_flow_mapping_leave_tidy_braces():
    last = apply_changes(SOURCE, [Remove(PRINCIPAL + ("role",))])
    first = apply_changes(SOURCE, [Remove(PRINCIPAL + ("name",))])
    both = apply_changes(SOURCE, [Remove(PRINCIPAL + ("role",)), Remove(PRINCIPAL + ("name",))])

    assert lines(last, "principal:", 1) == ["  principal: {name: Baroness Eaton}"]
    assert lines(first, "principal:", 1) == ["  principal: {role: Chairman}"]
    assert lines(both, "principal:", 1) == ["  principal: {}"]


def test_points_added_first_between_and_last_each_take_their_own_line_in_place():
    out = apply_changes(SOURCE, [Insert(KM + ("points",), "New first point", 0),
                                 Insert(KM + ("points",), "Note: a middle point", 2),
                                 Insert(KM + ("points",), "Last point")])

    assert lines(out, "points:", 6) == [
        "    points:",
        "      - New first point",
        "      - One point here",
        '      - "Note: a middle point"',
        '      - "Second point: with colon"   # keep this comment',
        "      - Last point",
    ]
    assert lines(out, "suggested_by: [Cllr A", 1) == ["    suggested_by: [Cllr A, Cllr B]"]


def test_a_new_item_goes_above_the_comment_of_the_item_it_precedes():
    new = {"id": "new", "headline": "New: headline", "points": ["a", "b"], "suggested_by": ["X"]}
    out = apply_changes(SOURCE, [Insert(("key_messages",), new, 1)])

    assert lines(out, "suggested_by: [Cllr A", 7) == [
        "    suggested_by: [Cllr A, Cllr B]",
        "  - id: new",
        '    headline: "New: headline"',
        "    points: [a, b]",
        "    suggested_by: [X]",
        "  # the second message",
        "  - id: other",
    ]
    first = apply_changes(SOURCE, [Insert(("key_messages",), new, 0)])
    assert lines(first, "key_messages:", 3) == ["key_messages:", "  - id: new",
                                                '    headline: "New: headline"']
    assert lines(first, "# the first message", 2) == ["  # the first message",
                                                      "  - id: local-commissioning"]
    assert [m["id"] for m in data(first)["key_messages"]] == ["new", "local-commissioning",
                                                              "other"]


def test_a_mapping_added_first_to_a_block_list_is_laid_out_like_its_items():
    out = apply_changes(SOURCE, [Insert(("meeting", "counterparts"),
                                        {"name": "Jane Roe MP", "role": "Minister"}, 0)])

    assert lines(out, "counterparts:", 5) == [
        "  counterparts:",
        "    - name: Jane Roe MP",
        "      role: Minister",
        "    - name: Iain Duncan Smith MP",
        "      role: Secretary of State",
    ]


def test_an_item_or_field_added_at_the_end_of_a_file_without_a_final_line_break():
    assert apply_changes("objectives:\n  - a\n  - b", [Insert(("objectives",), "c")]) == \
        "objectives:\n  - a\n  - b\n  - c\n"
    assert apply_changes("contact:\n  name: a", [Set(("contact", "fax"), "none")]) == \
        "contact:\n  name: a\n  fax: none\n"


def test_a_multi_line_value_in_a_folded_field_becomes_a_literal_block():
    out = apply_changes(SOURCE, [Set(("meeting", "purpose"), "Line one\nLine two")])

    assert lines(out, "purpose:", 3) == ["  purpose: |-", "    Line one", "    Line two"]
    assert lines(out, "objectives:", 1) == ["objectives:"]
    assert data(out)["meeting"]["purpose"] == "Line one\nLine two"


@pytest.mark.parametrize("odd", ["\u2028", "\x85", "\r"])
def test_text_a_folded_block_would_change_is_written_quoted_and_reads_back(odd):
    # a line separator pasted from Word, a NEL or a carriage return: YAML reads each as a
    # line break inside a folded block, so the "#1 ..." after it would become a comment
    value = f"Councils lead{odd}#1 on skills"
    out = apply_changes(SOURCE, [Set(("meeting", "purpose"), value)])

    assert data(out)["meeting"]["purpose"] == value
    assert lines(out, "purpose:", 1)[0].startswith('  purpose: "')


def test_a_multi_line_value_in_a_literal_field_stays_a_literal_block():
    out = apply_changes(SOURCE, [Set(KM + ("headline",), "First line\nSecond line")])

    assert lines(out, "headline: |", 3) == ["    headline: |-", "      First line",
                                            "      Second line"]
    assert data(out)["key_messages"][0]["headline"] == "First line\nSecond line"


def test_an_item_added_to_an_empty_flow_list_and_to_a_flow_list_stays_in_brackets():
    out = apply_changes(SOURCE, [Insert(("key_messages", ById("other"), "points"), "First"),
                                 Insert(KM + ("suggested_by",), "Cllr Z", 1)])

    assert changed_lines(SOURCE, out) == [
        "-    suggested_by: [Cllr A, Cllr B]", "+    suggested_by: [Cllr A, Cllr Z, Cllr B]",
        "-    points: []", "+    points: [First]"]


def test_a_literal_field_set_from_the_form_stays_a_block_with_the_ending_it_was_given():
    one = apply_changes(SOURCE, [Set(KM + ("headline",), "Councils should lead.")])
    ended = apply_changes(SOURCE, [Set(KM + ("headline",), "Councils should lead.\n")])

    assert lines(one, "headline: |", 2) == ["    headline: |-", "      Councils should lead."]
    assert lines(ended, "headline: |", 2) == ["    headline: |", "      Councils should lead."]
    assert data(one)["key_messages"][0]["headline"] == "Councils should lead."
    assert data(ended)["key_messages"][0]["headline"] == "Councils should lead.\n"


def test_text_with_a_comma_added_to_a_flow_list_is_quoted_inside_the_brackets():
    out = apply_changes(SOURCE, [Insert(KM + ("suggested_by",), "Cllr A, Chair")])

    assert lines(out, "suggested_by: [", 1) == [
        '    suggested_by: [Cllr A, Cllr B, "Cllr A, Chair"]']


def test_a_date_or_number_field_set_to_text_is_written_as_text():
    out = apply_changes(SOURCE, [Set(("briefing", "prepared"), "September 2010"),
                                 Set(("briefing", "version"), "two")])

    assert lines(out, "version:", 2) == ['  version: "two"   # second draft',
                                         "  prepared: September 2010"]


def test_an_item_goes_below_a_comment_a_blank_line_keeps_apart():
    text = "objectives:\n  # about the list\n\n  - a\n  - b\n"

    assert apply_changes(text, [Insert(("objectives",), "new", 0)]) == \
        "objectives:\n  # about the list\n\n  - new\n  - a\n  - b\n"


def test_an_entry_appended_to_a_list_followed_by_other_fields_holds_only_its_own_lines():
    text = "clearance:\n  - reviewer: A\n    outcome: cleared\ncontact:\n  name: P\n"
    editor = YamlText.parse(text)
    editor.append_to_list("clearance", [{"reviewer": "B", "outcome": "cleared"}])

    assert editor.result() == ("clearance:\n  - reviewer: A\n    outcome: cleared\n"
                               "  - reviewer: B\n    outcome: cleared\ncontact:\n  name: P\n")


def test_a_list_item_cut_short_by_a_comment_is_refused_where_it_is():
    with pytest.raises(EditError) as caught:
        YamlText.parse("objectives:\n  - Agree a joint approach #today\n")
    assert str(caught.value) == (
        "line 2, column 28: objectives[0]: the text after ' #' would be dropped as a comment; "
        "put the whole value in quotes")


@pytest.mark.parametrize(("change", "message"), [
    (Insert(("meeting", "when"), "x"), "meeting.when: is not a list in the YAML"),
    (Insert(("briefing", "reference"), "x"), "briefing.reference: is not a list in the YAML"),
    (Move(("nothing",), 0, 1), "nothing: not found in the YAML"),
], ids=["into-text", "into-quoted-text", "move-in-a-missing-list"])
def test_a_change_to_a_list_that_is_not_there_is_refused_with_its_path(change, message):
    with pytest.raises(EditError) as caught:
        apply_changes(SOURCE, [change])
    assert str(caught.value) == message
