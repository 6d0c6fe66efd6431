"""The one order-keeping alignment: exact matches near-linearly, then the best pairing by score."""

from __future__ import annotations

import functools
import random

import pytest

from briefing.align import best_pairs, gaps, matching, stitch, walk


def increasing(pairs):
    return all(a[0] < b[0] and a[1] < b[1] for a, b in zip(pairs, pairs[1:]))


def lcs_length(a, b) -> int:
    @functools.cache
    def go(i, j):
        if i == len(a) or j == len(b):
            return 0
        if a[i] == b[j]:
            return 1 + go(i + 1, j + 1)
        return max(go(i + 1, j), go(i, j + 1))
    return go(0, 0)


def best_total(weight) -> float:
    n, m = len(weight), len(weight[0]) if weight else 0

    @functools.cache
    def go(i, j):
        if i == n or j == m:
            return 0.0
        pair = weight[i][j] + go(i + 1, j + 1) if weight[i][j] > 0 else -1.0
        return max(pair, go(i + 1, j), go(i, j + 1))
    return go(0, 0)


@pytest.mark.parametrize("seed", range(40))
def test_matches_are_equal_keys_in_order_and_as_many_as_a_longest_common_run(seed):
    rng = random.Random(seed)
    a = [rng.choice("abcdefghij") for _ in range(rng.randint(0, 12))]
    b = [rng.choice("abcdefghij") for _ in range(rng.randint(0, 12))]
    pairs = matching(a, b)
    assert increasing(pairs)
    assert all(a[i] == b[j] for i, j in pairs)
    if len(set(a)) == len(a) and len(set(b)) == len(b):  # unique keys: anchors give the LCS
        assert len(pairs) == lcs_length(a, b)


def test_a_long_document_with_edits_everywhere_is_matched_by_its_unique_paragraphs():
    rng = random.Random(7)
    old = [f"paragraph {n}" for n in range(20_000)]
    new = [p if rng.random() > 0.15 else p + " edited" for p in old]
    pairs = matching(old, new)
    assert len(pairs) == sum(1 for o, n in zip(old, new) if o == n)
    assert all(i == j for i, j in pairs)


@pytest.mark.parametrize("seed", range(60))
def test_the_exact_pairing_has_the_greatest_total_score(seed):
    rng = random.Random(seed)
    n, m = rng.randint(1, 6), rng.randint(1, 6)
    weight = [[rng.choice([0, 0, 0.5, 0.6, 0.75, 1.0]) for _ in range(m)] for _ in range(n)]
    pairs = best_pairs(n, m, lambda i, j: weight[i][j])
    assert increasing(pairs)
    assert all(weight[i][j] > 0 for i, j in pairs)
    assert sum(weight[i][j] for i, j in pairs) == pytest.approx(best_total(weight))


def test_among_equal_pairings_each_item_pairs_as_early_as_it_can():
    assert best_pairs(1, 3, lambda i, j: 1.0) == [(0, 0)]
    assert best_pairs(3, 1, lambda i, j: 1.0) == [(0, 0)]
    assert best_pairs(2, 2, lambda i, j: 0.0) == []


def test_beyond_the_limit_each_item_looks_a_bounded_way_ahead():
    calls = []

    def score(i, j):
        calls.append((i, j))
        return 1.0 if i == j else 0.0

    pairs = best_pairs(3_000, 3_000, score, limit=4_000, window=12)
    assert pairs == [(i, i) for i in range(3_000)]
    assert len(calls) <= 3_000 * 12  # linear in the length, not 9,000,000 cells


def test_steps_show_a_replaced_stretch_as_removals_then_additions_then_the_pair():
    assert walk(3, 3, [(2, 2)]) == [(0, None), (1, None), (None, 0), (None, 1), (2, 2)]
    assert walk(2, 1, []) == [(0, None), (1, None), (None, 0)]
    assert list(gaps(4, 4, [(1, 2)])) == [(0, 1, 0, 2), (2, 4, 3, 4)]


def test_stitch_leaves_each_stretch_between_matches_to_the_caller():
    a, b = list("xaby"), list("xcdy")
    steps = stitch(a, b, lambda i1, i2, j1, j2: [("gap", a[i1:i2], b[j1:j2])],
                   lambda i, j: ("same", a[i]))
    assert steps == [("gap", [], []), ("same", "x"), ("gap", ["a", "b"], ["c", "d"]),
                     ("same", "y"), ("gap", [], [])]
