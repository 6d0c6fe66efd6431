"""One order-keeping alignment of two sequences, for redline and absorb alike.

Two documents are aligned in two passes:

1. `matching` pairs equal keys (paragraph texts, source ids) as a longest
   common subsequence would. Keys found exactly once on each side anchor the
   match (their longest increasing run, as patience diff does), and difflib
   matches only what lies between two anchors, so the work stays near linear
   however many places changed.
2. `best_pairs` pairs what is left between two matches by similarity: the
   order-keeping pairing of greatest total score (a weighted longest common
   subsequence), exact up to `limit` cells and a bounded look-ahead beyond,
   so a large rewritten stretch costs time in proportion to its length.

`stitch` runs both passes, leaving each stretch between two matches to the
caller; `walk` turns a pairing into steps in document order: the unpaired items of
the first sequence, then those of the second, then the pair, as a redline
shows a replaced stretch (deletions before insertions).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

Pair = tuple[int, int]
T = TypeVar("T")
EXACT_LIMIT = 4_000  # largest stretch (items x items) paired exactly by default
WINDOW = 12          # look-ahead of the pairing used beyond the limit


def matching(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Pair]:
    """Return index pairs (i, j), increasing in both, where a[i] == b[j]: a longest common run.

    Keys found once in each list anchor the match (longest increasing
    subsequence, as patience diff does), so the work is near linear however
    many places changed; difflib matches what lies between two anchors.
    """
    count_a, count_b = Counter(a), Counter(b)
    where_b = {k: j for j, k in enumerate(b) if count_b[k] == 1}
    anchors = [(i, where_b[k]) for i, k in enumerate(a) if count_a[k] == 1 and k in where_b]
    out: list[Pair] = []
    i0 = j0 = 0
    for i, j in _increasing(anchors) + [(len(a), len(b))]:
        if i > i0 and j > j0:
            sm = SequenceMatcher(None, a[i0:i], b[j0:j], autojunk=False)
            for block in sm.get_matching_blocks():
                out.extend((i0 + block.a + t, j0 + block.b + t) for t in range(block.size))
        if i < len(a):
            out.append((i, j))
        i0, j0 = i + 1, j + 1
    return out


def _increasing(pairs: list[Pair]) -> list[Pair]:
    """Return the longest subsequence of `pairs` (sorted by i) whose j also increases."""
    tails: list[int] = []       # tails[k]: j of the smallest tail of an increasing run of k+1
    tail_at: list[int] = []     # index into pairs of that tail
    back = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k] = j
            tail_at[k] = n
        back[n] = tail_at[k - 1] if k else -1
    out = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def stitch(a: Sequence[Hashable], b: Sequence[Hashable],
           region: Callable[[int, int, int, int], list[T]],
           pair: Callable[[int, int], T]) -> list[T]:
    """Return the steps of aligning keys `a` with keys `b`, in document order.

    Equal keys are matched (`matching`); each stretch between two matches,
    a[i1:i2] against b[j1:j2], becomes `region(i1, i2, j1, j2)` (where the
    caller pairs by similarity), and each match (i, j) becomes `pair(i, j)`.
    """
    out: list[T] = []
    for i1, i2, j1, j2 in gaps(len(a), len(b), matching(a, b)):
        out.extend(region(i1, i2, j1, j2))
        if i2 < len(a):
            out.append(pair(i2, j2))
    return out


def gaps(n: int, m: int, pairs: list[Pair]) -> Iterator[tuple[int, int, int, int]]:
    """Yield (i1, i2, j1, j2): the stretches a[i1:i2], b[j1:j2] before each pair and at the end.

    The pair that closes a stretch is (i2, j2), unless i2 == n (the end).
    """
    i = j = 0
    for pi, pj in pairs + [(n, m)]:
        yield i, pi, j, pj
        i, j = pi + 1, pj + 1


def best_pairs(n: int, m: int, score: Callable[[int, int], float], *,
               limit: int = EXACT_LIMIT, window: int = WINDOW) -> list[Pair]:
    """Return the order-keeping pairing of items 0..n-1 with 0..m-1 of greatest total score.

    `score(i, j)` is the weight of pairing i with j; 0 or less means never.
    Up to `limit` cells (n x m) the pairing is exact (dynamic programming;
    among equal totals, each item pairs as early as it can); beyond, each i
    takes its best partner among the next `window` items not yet passed.
    """
    if not n or not m:
        return []
    if n * m <= limit:
        return _exact(n, m, score)
    return _greedy(n, m, score, window)


def _exact(n: int, m: int, score: Callable[[int, int], float]) -> list[Pair]:
    weight = [[score(i, j) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below, w = best[i], best[i + 1], weight[i]
        for j in range(m - 1, -1, -1):
            s = w[j]
            pair = below[j + 1] + s if s > 0 else -1.0
            skip = below[j] if below[j] >= row[j + 1] else row[j + 1]
            row[j] = pair if pair > skip else skip
    pairs: list[Pair] = []
    i = j = 0
    while i < n and j < m:
        s = weight[i][j]
        if s > 0 and best[i][j] == best[i + 1][j + 1] + s:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _greedy(n: int, m: int, score: Callable[[int, int], float], window: int) -> list[Pair]:
    pairs: list[Pair] = []
    j = 0
    for i in range(n):
        best, best_k = 0.0, -1
        for k in range(j, min(j + window, m)):
            s = score(i, k)
            if s > best:
                best, best_k = s, k
        if best_k >= 0:
            pairs.append((i, best_k))
            j = best_k + 1
    return pairs


def walk(n: int, m: int, pairs: list[Pair]) -> list[tuple[int | None, int | None]]:
    """Return the steps of a pairing in order: (i, None), (None, j) and (i, j) for a pair."""
    out: list[tuple[int | None, int | None]] = []
    for i1, i2, j1, j2 in gaps(n, m, pairs):
        out.extend((i, None) for i in range(i1, i2))
        out.extend((None, j) for j in range(j1, j2))
        if i2 < n:
            out.append((i2, j2))
    return out
