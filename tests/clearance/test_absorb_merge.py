"""absorb's list merge: each side's changes to a list of texts kept, wherever items repeat."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.clearance.absorb import merge_lists

AGREED = "Agreed."


@pytest.mark.parametrize(("ours_at", "theirs_at"), [(0, 1), (1, 0), (2, 0), (0, 2), (1, 2)])
def test_different_items_of_a_run_of_equal_items_changed_on_each_side_both_change(
        ours_at, theirs_at):
    base = [AGREED] * 3
    ours, theirs, merged = list(base), list(base), list(base)
    ours[ours_at] = merged[ours_at] = "Deferred."
    theirs[theirs_at] = merged[theirs_at] = "Withdrawn."
    assert merge_lists(base, ours, theirs) == merged


@settings(max_examples=200, deadline=None)
@given(base=st.lists(st.sampled_from([AGREED, "Noted."]), min_size=2, max_size=8),
       data=st.data())
def test_items_changed_on_each_side_of_a_list_with_repeats_are_merged_in_place(base, data):
    # never an item too many, too few or out of place: each side's new wording where it put it
    ours_at = data.draw(st.integers(0, len(base) - 1))
    theirs_at = data.draw(st.integers(0, len(base) - 1).filter(lambda i: i != ours_at))
    ours, theirs, merged = list(base), list(base), list(base)
    ours[ours_at] = merged[ours_at] = "Deferred."
    theirs[theirs_at] = merged[theirs_at] = "Withdrawn."
    assert merge_lists(base, ours, theirs) == merged


@settings(max_examples=200, deadline=None)
@given(base=st.lists(st.sampled_from([AGREED, "Noted."]), max_size=8),
       side=st.lists(st.sampled_from([AGREED, "Noted.", "Deferred."]), max_size=8))
def test_one_sides_changes_alone_give_that_side(base, side):
    assert merge_lists(base, side, base) == side
    assert merge_lists(base, base, side) == side
