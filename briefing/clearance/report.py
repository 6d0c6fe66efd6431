"""The officer's report of a reviewed document: totals, by author, by briefing item, each change.

`format_report(review)` is what `briefing review` prints; the changes are
numbered as `briefing accept / reject --change N` takes them and as
`review --json` gives them (`number`).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from briefing.clearance.review import MACRO_NOTE, OUTSIDE, STRICT_NOTE, Comment, Review, Revision
from briefing.results import plural, short


def format_report(review: Review) -> str:
    """Return the officer's report: totals, by author, by briefing item, then every change."""
    lines = [_headline(review)]
    if review.macros:
        lines.append(f"info: {MACRO_NOTE}")
    if review.strict:
        lines.append(f"info: {STRICT_NOTE}")
    if review.revisions or review.comments:
        lines += ["", "By author"] + _by_author(review)
        if review.ours:
            lines += ["", "By briefing item"] + _by_item(review)
    if review.revisions:
        lines += ["", "Changes"] + [_revision_line(i, r) for i, r in enumerate(review.revisions, 1)]
    if review.comments:
        lines += ["", "Comments"] + [_comment_line(i, c) for i, c in enumerate(review.comments, 1)]
    return "\n".join(lines)


def _headline(review: Review) -> str:
    """Return the report's first line: how many changes and comments, by how many authors."""
    if not review.revisions and not review.comments:
        return f"{review.path}: no tracked changes or comments"
    authors = {r.author for r in review.revisions} | {c.author for c in review.comments}
    return (f"{review.path}: {plural(len(review.revisions), 'tracked change')} and "
            f"{plural(len(review.comments), 'comment')} by {plural(len(authors), 'author')}")



def _by_author(review: Review) -> list[str]:
    """Return one line per author: counts per kind of change, then comments."""
    kinds: dict[str, Counter] = defaultdict(Counter)
    for r in review.revisions:
        kinds[r.author][r.kind] += 1
    for c in review.comments:
        kinds[c.author]["comment"] += 1
    return [f"  {author}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
            for author, counts in sorted(kinds.items())]


def _by_item(review: Review) -> list[str]:
    """Return one line per briefing item, in document order: how many changes and comments."""
    items: dict[str, Counter] = defaultdict(Counter)
    for r in review.revisions:
        items[r.item or OUTSIDE][r.author] += 1
    for c in review.comments:
        items[c.item or OUTSIDE][c.author] += 1
    lines = []
    for item in sorted(items, key=lambda s: s == OUTSIDE):  # document order, outside last
        who = ", ".join(f"{a} {n}" for a, n in sorted(items[item].items()))
        lines.append(f"  {item}: {sum(items[item].values())} ({who})")
    return lines


def _revision_line(n: int, r: Revision) -> str:
    """Return the report line of change number `n`."""
    where = r.story + (f" \u00bb {short(r.heading, 40)}" if r.heading else "")
    item = f" [{r.item}]" if r.item else ""
    date = f" {r.date}" if r.date else ""
    text = f": \"{short(r.text, 80)}\"" if r.text else ""
    inside = f" (inside change {r.parent + 1})" if r.parent is not None else ""
    if r.conflict is not None:
        inside += f" (conflicts with change {r.conflict + 1})"
    if r.decided is not None:
        inside += f" (its conflict was decided for \"{short(r.decided, 40)}\": reject it)"
    if r.untracked:
        inside += " (untracked)"
    return f"  {n}. {r.kind} by {r.author}{date}{inside} in {where}{item}{text}"


def _comment_line(n: int, c: Comment) -> str:
    """Return the report line of comment number `n`."""
    date = f" {c.date}" if c.date else ""
    item = f" [{c.item}]" if c.item else ""
    on = f" on \"{short(c.anchor_text, 50)}\"" if c.anchor_text else ""
    reply = f" (reply to {c.parent + 1})" if c.parent is not None else ""
    done = " (resolved)" if c.resolved else ""
    return f"  {n}. {c.author}{date}{reply}{done}{on}{item}: \"{short(c.text, 80)}\""
