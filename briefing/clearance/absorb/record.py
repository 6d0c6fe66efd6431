"""What absorb records and says: clearance entries for the reviewers, and the summary."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

from briefing.clearance.absorb.compare import Change
from briefing.clearance.absorb.items import SHOW
from briefing.ooxml.package import Package
from briefing.ooxml.read.comments import comment_authors, people
from briefing.ooxml.sourcemap import SourceMap
from briefing.results import Message, plural, short, word_diff
from briefing.sourceid import format_path

# Names editors record when they know no better (LibreOffice's own layout changes, scrubbed
# files): never a reviewer in the clearance record.
PLACEHOLDER_AUTHORS = {"", "unknown", "unknown author", "author", "anonymous"}


def clearance_entries(pkg: Package, smap: SourceMap | None, ours: dict, role: str,
                      today: dt.date, messages: list[Message]) -> list[dict[str, Any]]:
    """Return one new clearance entry per reviewer of the document (none already recorded)."""
    reviewers = dict(smap.reviewers) if smap is not None else {}
    commenters = comment_authors(pkg)
    uncounted: set[str] = set()
    if not reviewers:  # changes accepted in Word itself: its list of people still names them
        reviewers = {name: 0 if name in commenters else 1 for name in people(pkg)}
        uncounted = set(reviewers)  # it says who made changes, not how many
    for name in commenters:
        reviewers.setdefault(name, 0)
    for name in smap.redliners if smap is not None else []:
        if reviewers.pop(name, 0):
            messages.append(Message("info", f"changes by '{name}' were the redline against the "
                                            "previous draft; not recorded as a reviewer"))
    for name in [n for n in reviewers if n.strip().lower() in PLACEHOLDER_AUTHORS]:
        count = reviewers.pop(name)
        if count:
            what = "changes" if name in uncounted else plural(count, "change")
            messages.append(Message("info", f"{what} by '{name}' (no real name) not "
                                            "recorded as a reviewer"))
    if not reviewers:
        messages.append(Message("info", "no reviewer names found in the document (accept or "
                                        "reject its changes with `briefing accept`/`reject` to "
                                        "record them); no clearance entry added"))
        return []
    version = smap.version if smap is not None and smap.version else \
        ours["briefing"]["version"]
    have = {(c["reviewer"], c["version"], c["outcome"]) for c in ours.get("clearance", [])}
    out = []
    for name, changes in reviewers.items():
        outcome = "cleared-with-changes" if changes else "cleared"
        if (name, version, outcome) not in have:
            out.append({"reviewer": name, "role": role, "version": version, "date": today,
                        "outcome": outcome})
    return out


def describe(change: Change) -> list[str]:
    """Return the lines that show one change: `path: 'old' -> 'new'`, list items added/deleted."""
    path = format_path(change.path)
    if not isinstance(change.new, list):
        return [f"{path}: {_changed(change.base, change.new)}"]
    lines = []
    sm = difflib.SequenceMatcher(None, change.base, change.new, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            lines.append(f"{path}[{i1 + k}]: {_changed(change.base[i1 + k], change.new[j1 + k])}")
        lines += [f"{path}[{i}]: deleted '{short(change.base[i], SHOW)}'"
                  for i in range(i1 + pairs, i2) if op != "equal"]
        lines += [f"{path}[{j}]: added '{short(change.new[j], SHOW)}'"
                  for j in range(j1 + pairs, j2) if op != "equal"]
    return lines


def _changed(old: object, new: object) -> str:
    """Return a changed value as words (`\u2026should [-co-design-]{+lead+} the\u2026`), or
    `'old' -> 'new'` when either is not text."""
    if isinstance(old, str) and isinstance(new, str) and old and new:
        return word_diff(old, new)
    return f"'{short(old, SHOW)}' -> '{short(new, SHOW)}'"


def summary(edits: list[Change], entries: list[dict], docx: Path, into: Path, dry_run: bool,
            changed: bool, items: list[str] | None = None) -> str:
    """Return what absorb did (or, with --dry-run, would do); `items`: whole items' lines."""
    lines = [line for c in edits for line in describe(c)] + list(items or [])
    lines += [f"clearance: {e['reviewer']} ({e['role']}, version {e['version']}, "
              f"{e['date'].isoformat()}, {e['outcome']})" for e in entries]
    if not changed:
        return f"{into}: nothing to absorb from {docx}; the file is unchanged"
    n = plural(len(lines), "change")
    head = (f"{into}: {n} to absorb from {docx} (dry run: nothing written)" if dry_run
            else f"{into}: absorbed {n} from {docx}")
    return "\n".join([head] + [f"  {line}" for line in lines])
