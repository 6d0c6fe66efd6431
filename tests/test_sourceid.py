"""Source ids and field paths: made, parsed, matched and formatted by whole segments."""

from __future__ import annotations

import pytest

from briefing import sourceid
from briefing.sourceid import ById

DATA = {
    "objectives": [f"Objective {n}" for n in range(12)],
    "key_messages": [
        {"id": "local-commissioning", "headline": "First", "points": ["a", "b"]},
        {"id": "local-commissioning-2", "headline": "Second", "points": ["c"]},
    ],
    "meeting": {"purpose": "To agree"},
}


@pytest.mark.parametrize(("source_id", "wanted"), [
    ("objectives/10", "objectives/1"),
    ("key_messages/local-commissioning-2/headline", "local-commissioning"),
    ("key_messages/local-commissioning-2/headline", "key_messages/local-commissioning"),
    ("key_messages/local-commissioning/points/10", "key_messages/local-commissioning/points/1"),
    ("meeting/purposes", "meeting/purpose"),
])
def test_an_id_that_only_starts_with_the_wanted_one_is_not_matched(source_id, wanted):
    assert sourceid.matches(source_id, wanted) is False


@pytest.mark.parametrize(("source_id", "wanted"), [
    ("objectives/1", "objectives/1"),
    ("objectives/1", "objectives"),
    ("objectives/1", "objectives/1/"),
    ("key_messages/local-commissioning/headline", "local-commissioning"),
    ("key_messages/local-commissioning-2/points/0", "local-commissioning-2"),
    ("key_messages/local-commissioning/points/1", "key_messages/local-commissioning"),
])
def test_an_id_inside_the_wanted_item_is_matched(source_id, wanted):
    assert sourceid.matches(source_id, wanted) is True


def test_list_members_are_named_by_their_own_id_else_their_position():
    assert sourceid.member("key_messages", 3, {"id": "local-commissioning"}) == \
        "key_messages/local-commissioning"
    assert sourceid.member("objectives", 1, "Objective 1") == "objectives/1"
    assert sourceid.member("clearance", 0, {"reviewer": "Cllr A"}) == "clearance/0"
    assert sourceid.child("", "meeting") == "meeting"
    assert sourceid.child("meeting", "purpose") == "meeting/purpose"


def test_the_common_path_of_ids_that_are_prefixes_of_one_another_keeps_whole_segments():
    assert sourceid.common(["key_messages/local-commissioning/headline",
                            "key_messages/local-commissioning-2/headline"]) == "key_messages"
    assert sourceid.common(["objectives/1", "objectives/10"]) == "objectives"
    assert sourceid.common(["meeting/purpose", "meeting/purpose"]) == "meeting/purpose"


def test_ids_that_are_prefixes_of_one_another_name_different_fields():
    assert sourceid.to_path("objectives/1", DATA) == ("objectives", 1)
    assert sourceid.to_path("objectives/10", DATA) == ("objectives", 10)
    assert sourceid.to_path("key_messages/local-commissioning/headline", DATA) == \
        ("key_messages", ById("local-commissioning"), "headline")
    assert sourceid.to_path("key_messages/local-commissioning-2/headline", DATA) == \
        ("key_messages", ById("local-commissioning-2"), "headline")
    assert sourceid.to_path("key_messages/local/headline", DATA) is None
    assert sourceid.to_path("key_messages/0/headline", DATA) is None  # items with ids: by id


def test_the_index_agrees_with_to_path_and_get_value_for_every_id():
    index = sourceid.index(DATA)
    assert index["key_messages/local-commissioning-2/headline"][1] == "Second"
    assert index["objectives/10"][1] == "Objective 10"
    for sid, (path, value) in index.items():
        assert sourceid.to_path(sid, DATA) == path
        assert sourceid.get_value(DATA, path) == value


def test_field_paths_read_as_users_write_them():
    path = ("key_messages", ById("local-commissioning-2"), "points", 0)
    assert sourceid.format_path(path) == "key_messages[local-commissioning-2].points[0]"
    assert sourceid.format_path(("meeting", "counterparts", 2, "name")) == \
        "meeting.counterparts[2].name"
    with pytest.raises(LookupError, match="nope"):
        sourceid.get_value(DATA, ("key_messages", ById("nope")))
