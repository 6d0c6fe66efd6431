"""Clearance by tracked changes: read a reviewed .docx, report it, accept or reject its changes.

`read_review(path)` lists every revision and comment of every story with its
author, date, text, story, nearest heading and (for documents built by
briefing) the briefing item it falls in. `briefing.clearance.report` summarises
them for an officer; `Review.to_json` is the `review --json` contract of DESIGN.md.
`resolve_file` writes a new document with some or all changes accepted or
rejected: all, or those chosen by author, briefing item and change number (the
number `briefing review` prints and `review --json` gives as `number`). All XML
work is in `briefing.ooxml` (revisions, resolve, comments).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path

from briefing import sourceid
from briefing.errors import BriefingError
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.comments import drop_comments as drop_comment_parts
from briefing.ooxml.read.comments import read_comments
from briefing.ooxml.read.revisions import RevisionRecord, move_range_starts, read_package
from briefing.ooxml.read.text import alternate_content
from briefing.ooxml.sourcemap import SourceMap, read_source_map, record_reviewers
from briefing.ooxml.track.conflicts import (
    decided_wordings,
    insertion_conflicts,
    with_conflict_words,
)
from briefing.ooxml.track.resolve import resolvable_parts, resolve_part
from briefing.paths import check_output
from briefing.results import Message, Result, plural

MACRO_NOTE = "macro-enabled document (.docm): its macros were read as data and never run"
OUTSIDE = "(outside briefing items)"
STRICT_NOTE = "saved as Strict Open XML; read in the transitional namespaces, as Word reads it"


@dataclass(frozen=True)
class Revision:
    """One tracked change: kind, author, date, text and where it is."""

    kind: str
    author: str
    date: str | None
    text: str
    item: str | None
    story: str
    heading: str
    parent: int | None = None  # index of the enclosing revision (nested revisions)
    move: str | None = None  # name pairing the two sides of a move
    conflict: int | None = None  # index of another member's wording of the same words
    decided: str | None = None  # the accepted wording of this one's conflict: reject this one
    untracked: bool = False  # made without tracking, found against the draft (review --against)

    def to_json(self, number: int | None = None) -> dict:
        """Return the revision as the `review --json` object (`number`: as review numbers it)."""
        out: dict[str, object] = {} if number is None else {"number": number}
        out |= {"kind": self.kind, "author": self.author, "date": self.date, "text": self.text,
               "item": self.item, "story": self.story, "heading": self.heading,
               "parent": self.parent, "move": self.move}
        if self.conflict is not None:  # another member's wording of the same words
            out["conflict"] = self.conflict
        if self.decided is not None:  # its conflict was decided for another wording
            out["decided"] = self.decided
        if self.untracked:
            out["untracked"] = True
        return out


@dataclass(frozen=True)
class Comment:
    """One comment: author, date, text, the text it anchors to, thread and resolved state."""

    id: str
    author: str
    date: str | None
    text: str
    anchor_text: str
    item: str | None
    story: str | None
    parent: int | None = None  # index of the comment this one replies to
    replies: tuple[int, ...] = ()
    resolved: bool = False

    def to_json(self) -> dict:
        """Return the comment as the `review --json` object."""
        return {"author": self.author, "date": self.date, "text": self.text,
                "anchor_text": self.anchor_text, "item": self.item, "story": self.story,
                "id": self.id, "parent": self.parent, "replies": list(self.replies),
                "resolved": self.resolved}


@dataclass
class Review:
    """Everything a reviewer left in a document."""

    path: Path
    revisions: list[Revision] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    macros: bool = False
    ours: bool = False  # built by briefing (carries a source map)
    strict: bool = False  # saved as Strict Open XML, read as transitional

    def to_json(self) -> dict:
        """Return `{"revisions": [...], "comments": [...]}` as DESIGN.md specifies."""
        return {"revisions": [r.to_json(n) for n, r in enumerate(self.revisions, 1)],
                "comments": [c.to_json() for c in self.comments]}


def read_review(path: str | Path) -> Review:
    """Return the revisions and comments of the .docx at `path` (raises DocumentError)."""
    return review_of(Package.open(path), Path(path))


def review_of(pkg: Package, path: Path, *, untracked: set[str] | None = None) -> Review:
    """Return the revisions and comments of an open package, reported under `path`."""
    smap = read_source_map(pkg)
    records, anchors = read_package(pkg)
    shown = [i for i, r in enumerate(records) if not r.duplicate]
    index = {old: new for new, old in enumerate(shown)}
    revisions = [_revision(records[i], smap, index) for i in shown]
    for a, b in insertion_conflicts([records[i].element for i in shown]):
        revisions[a] = replace(revisions[a], conflict=b)
        if revisions[b].conflict is None:
            revisions[b] = replace(revisions[b], conflict=a)
    for n, words in decided_wordings([records[i].element for i in shown]).items():
        revisions[n] = replace(revisions[n], decided=words)
    if untracked:
        for n, i in enumerate(shown):
            if records[i].element.get(qn("w:id")) in untracked:
                revisions[n] = replace(revisions[n], untracked=True)
    comments = _comments(pkg, anchors, smap)
    return Review(path, revisions, comments, macros=pkg.has_macros, ours=smap is not None,
                  strict=pkg.strict)


def _item(bookmark: str | None, smap: SourceMap | None) -> str | None:
    """Return the source id our bookmark stands for, or None."""
    if smap is None or bookmark is None:
        return None
    return smap.ids.get(bookmark)


def _revision(record: RevisionRecord, smap: SourceMap | None, index: dict[int, int]) -> Revision:
    """Return the report's record of one revision; `index` renumbers parents."""
    return Revision(kind=record.kind, author=record.author, date=record.date, text=record.text,
                    item=_item(record.bookmark, smap), story=record.story,
                    heading=record.heading, move=record.move,
                    parent=None if record.parent is None else index.get(record.parent))


def _comments(pkg: Package, anchors: dict, smap: SourceMap | None) -> list[Comment]:
    """Return the comments with their anchors, threads and resolved state."""
    records = read_comments(pkg)
    index_of_para = {r.para_id: i for i, r in enumerate(records) if r.para_id}
    parents = [index_of_para.get(r.parent_para_id) if r.parent_para_id else None
               for r in records]
    replies: dict[int, list[int]] = defaultdict(list)
    for i, parent in enumerate(parents):
        if parent is not None:
            replies[parent].append(i)
    out = []
    for i, r in enumerate(records):
        anchor = anchors.get(r.id)
        out.append(Comment(
            id=r.id, author=r.author, date=r.date, text=r.text,
            anchor_text=anchor.text if anchor else "",
            item=_item(anchor.bookmark, smap) if anchor else None,
            story=anchor.story if anchor else None, parent=parents[i],
            replies=tuple(replies.get(i, ())), resolved=r.resolved,
        ))
    return out


# -- accept / reject ---------------------------------------------------------


def default_output(path: Path, accept: bool) -> Path:
    """Return the default output beside `path`: <stem>-accepted.docx or <stem>-rejected.docx."""
    suffix = path.suffix if path.suffix.lower() in (".docx", ".docm") else ".docx"
    return path.with_name(f"{path.stem}-{'accepted' if accept else 'rejected'}{suffix}")


def resolve_file(path: str | Path, out: str | Path | None = None, *, accept: bool = True,
                 authors: Sequence[str] = (), items: Sequence[str] = (),
                 changes: Sequence[int] = (), drop_comments: bool = False,
                 force: bool = False) -> Result[Path]:
    """Write a copy of `path` with changes accepted (or rejected); return the output path.

    `authors`, `items` (source ids or briefing item ids) and `changes` (numbers
    as `briefing review` prints them) limit which changes are resolved: a
    change must pass every filter given; others are left as they are. The
    input is never written; an existing output needs `force`.
    """
    path = Path(path)
    out = Path(out) if out else default_output(path, accept)
    check_output(out, [path], force=force, suffixes=(".docx", ".docm"),
                 is_input="is the input document; choose another output with -o")
    pkg = Package.open(path)
    if pkg.has_macros and out.suffix.lower() != ".docm":
        raise BriefingError(f"{out}: {path.name} is macro-enabled; name the output .docm "
                            "(Word will not open it as .docx)")
    smap = read_source_map(pkg)
    if items and smap is None:
        raise BriefingError(f"{path}: --item needs a document built by briefing "
                            "(this one carries no briefing source map)")
    records, _ = read_package(pkg)
    chosen = [r for r in records if _wanted(r, authors, items, smap)]
    _refuse_unmatched(path, records, chosen, authors, items, smap)
    if changes:
        chosen = _numbered(path, records, chosen, changes, accept, smap)
    chosen, kept = _conflict_words(path, records, chosen, accept, bool(changes), smap)
    if accept:
        _refuse_both_sides(path, records, chosen, smap)
    messages: list[Message] = kept
    filtered = bool(authors or items or changes)
    selected = _selection(pkg, records, chosen) if filtered else None
    _resolve_package(pkg, accept, selected)
    resolved = [r for r in chosen if not r.duplicate]  # mc:Fallback copies are resolved too
    record_reviewers(pkg, dict(Counter(r.author for r in resolved)))
    verb = "accepted" if accept else "rejected"
    which = f" (change {', '.join(str(n) for n in sorted(set(changes)))})" if changes else ""
    messages.append(Message("info", f"{verb} {plural(len(resolved), 'tracked change')}{which}"))
    if drop_comments:
        dropped = drop_comment_parts(pkg)
        messages.append(Message("info", f"removed {plural(dropped, 'comment')}"))
    if pkg.has_macros:
        messages.append(Message("info", MACRO_NOTE))
    if pkg.strict:
        messages.append(Message("info", STRICT_NOTE + "; the copy is written as a transitional "
                                                      ".docx, as Word's Save As does"))
    pkg.save(out)
    messages.extend(Message("warning", note) for note in pkg.notes)
    return Result(out, messages)


def _conflict_words(path: Path, records: list[RevisionRecord], chosen: list[RevisionRecord],
                    accept: bool, numbered: bool, smap: SourceMap | None
                    ) -> tuple[list[RevisionRecord], list[Message]]:
    """Return `chosen` with each conflict's deleted words going with its wordings
    (merge.with_conflict_words), and a note of the deletions left pending; a numbered
    deletion that cannot be rejected alone is refused (nothing written)."""
    picked = {id(r) for r in chosen}
    kept = with_conflict_words([r.element for r in records],
                               {i for i, r in enumerate(records) if id(r) in picked}, accept)
    left = [r for i, r in enumerate(records) if id(r) in picked and i not in kept]
    if left and numbered:
        n = [r for r in records if not r.duplicate].index(left[0]) + 1
        raise BriefingError(f"{path}: change {n} ({_describe(left[0], smap)}) deletes words "
                            "members reworded differently and goes with their wordings: reject "
                            "them all to keep the words, or accept one; nothing was written")
    notes = [Message("info", f"kept {plural(len(left), 'deletion')} of words another member's "
                             "wording still replaces")] if left else []
    return [r for i, r in enumerate(records) if i in kept], notes


def _wanted(record: RevisionRecord, authors, items, smap) -> bool:
    """Return True when a revision passes the --author and --item filters."""
    if authors and record.author not in authors:
        return False
    return not items or any(sourceid.matches(_item(record.bookmark, smap), w) for w in items)


def _refuse_unmatched(path, records, chosen, authors, items, smap) -> None:
    """Raise BriefingError when an --author or --item matches no change (nothing is written)."""
    shown = [r for r in records if not r.duplicate]
    known = sorted({r.author for r in shown})
    for author in authors:
        if author not in known:
            raise BriefingError(f"{path}: no changes by {author!r}; nothing was written. "
                                f"Authors: {_nearest(author, known)}")
    if items and not any(not r.duplicate for r in chosen):
        found = sorted({i for r in shown if (i := _item(r.bookmark, smap))})
        raise BriefingError(f"{path}: no changes in {', '.join(items)}; nothing was written. "
                            f"Items with changes: {_nearest(items[0], found)}")


def _nearest(wanted: str, names: list[str]) -> str:
    """Return `names`, nearest to `wanted` first, as a list for a message."""
    if not names:
        return "none"
    ranked = sorted(names, key=lambda n: -SequenceMatcher(None, wanted.lower(), n.lower()).ratio())
    return ", ".join(ranked)


def _refuse_both_sides(path, records, chosen, smap) -> None:
    """Raise BriefingError when accepting would keep both members' wording of one conflict."""
    shown = [r for r in records if not r.duplicate]
    picked = {id(r) for r in chosen}
    for a, b in insertion_conflicts([r.element for r in shown]):
        first, second = shown[a], shown[b]
        if id(first) in picked and id(second) in picked:
            item = _item(first.bookmark, smap) or first.heading or first.story
            raise BriefingError(
                f"{path}: {item}: {first.author} and {second.author} changed the same words "
                f"differently (\"{first.text}\" / \"{second.text}\"); accepting both would keep "
                f"both wordings, so nothing was written. Choose one: reject the other side first "
                f"(briefing reject {path.name} --author \"{second.author}\" --item {item}), or "
                f"accept one member's changes (--author \"{first.author}\")")
    for i, words in decided_wordings([r.element for r in shown]).items():
        if id(shown[i]) in picked:
            late, item = shown[i], _item(shown[i].bookmark, smap) or shown[i].heading
            raise BriefingError(
                f"{path}: {item}: {late.author}'s wording (\"{late.text}\") is one side of a "
                f"conflict already decided (\"{words}\" was accepted); accepting it too would "
                f"keep both wordings, so nothing was written. Reject it (briefing reject "
                f"{path.name} --author \"{late.author}\" --item {item})")


def _numbered(path: Path, records: list[RevisionRecord], wanted: list[RevisionRecord],
              changes: Sequence[int], accept: bool,
              smap: SourceMap | None) -> list[RevisionRecord]:
    """Return the changes numbered as `briefing review` numbers them, with the other side of
    their moves and their mc:Fallback copies; refuse (nothing written) a number out of range,
    one the --author/--item filters leave out, or one that cannot be decided alone."""
    shown = [i for i, r in enumerate(records) if not r.duplicate]
    passing = {id(r) for r in wanted}
    picked: set[int] = set()
    for n in changes:
        if not 1 <= n <= len(shown):
            count = (f"`briefing review {path.name}` numbers its changes 1 to {len(shown)}"
                     if shown else "the document has no tracked changes")
            raise BriefingError(f"{path}: there is no change {n}; {count}; nothing was written")
        if id(records[shown[n - 1]]) not in passing:
            raise BriefingError(f"{path}: change {n} ({_describe(records[shown[n - 1]], smap)}) "
                                "is not one --author/--item choose; nothing was written")
        picked.add(shown[n - 1])
    moves = {records[i].move for i in picked if records[i].move}
    picked |= {i for i in shown if records[i].move in moves}
    _refuse_partly_nested(path, records, picked, {i: n for n, i in enumerate(shown, 1)}, accept)
    return [records[i] for i in sorted(picked | _fallback_twins(records, picked))]


def _describe(record: RevisionRecord, smap: SourceMap | None) -> str:
    """Return e.g. 'insert by Cllr Ann Baker in key_messages/x/headline'."""
    item = _item(record.bookmark, smap)
    return f"{record.kind} by {record.author}" + (f" in {item}" if item else "")


def _enclosing(records: list[RevisionRecord], i: int) -> list[int]:
    """Return the indices of the revisions that `records[i]` sits inside, innermost first."""
    out = []
    parent = records[i].parent
    while parent is not None:
        out.append(parent)
        parent = records[parent].parent
    return out


def _refuse_partly_nested(path: Path, records: list[RevisionRecord], picked: set[int],
                          number: dict[int, int], accept: bool) -> None:
    """Raise BriefingError when deciding a picked change alone would decide another with it
    (its content, holding that change, removed) or leave inserted text inside a deletion."""
    removing = ("delete", "move-from") if accept else ("insert", "move-to")
    verb = "accepting" if accept else "rejecting"
    for i in sorted(picked):
        held = [j for j in number if j not in picked and i in _enclosing(records, j)]
        if records[i].kind in removing and held:
            why = (f"holds change {number[held[0]]} ({records[held[0]].kind} by "
                   f"{records[held[0]].author}); {verb} it alone would remove that change too")
            raise BriefingError(_nested_message(path, number[i], records[i], number[held[0]], why))
        around = [j for j in _enclosing(records, i)
                  if j not in picked and records[j].kind in ("delete", "move-from")]
        if accept and records[i].kind in ("insert", "move-to") and around:
            why = (f"is inside change {number[around[0]]} ({records[around[0]].kind} by "
                   f"{records[around[0]].author}); accepting it alone would leave its text "
                   "inside a deletion still pending")
            raise BriefingError(_nested_message(path, number[i], records[i], number[around[0]],
                                                why))


def _nested_message(path: Path, n: int, record: RevisionRecord, other: int, why: str) -> str:
    return (f"{path}: change {n} ({record.kind} by {record.author}) {why}, so nothing was "
            f"written. Decide change {other} first (`briefing review` then numbers the changes "
            f"again), or give both: --change {n} --change {other}")


def _fallback_twins(records: list[RevisionRecord], picked: set[int]) -> set[int]:
    """Return the mc:Fallback copies of the picked revisions: the k-th revision of a text
    box's mc:Choice is copied by the k-th of its mc:Fallback (same kind and author)."""
    boxes: dict = {}
    for i, r in enumerate(records):
        box = alternate_content(r.element)
        if box is not None:
            boxes.setdefault(box, ([], []))[r.duplicate].append(i)
    return {b for choice, fallback in boxes.values() for a, b in zip(choice, fallback)
            if a in picked and (records[a].kind, records[a].author)
            == (records[b].kind, records[b].author)}


def _selection(pkg: Package, records: list[RevisionRecord],
               chosen: list[RevisionRecord]) -> set:
    """Return the revision elements to resolve: the chosen ones plus both sides of their moves."""
    moves = {r.move for r in chosen if r.move}
    selected = {r.element for r in chosen}
    selected |= {r.element for r in records if r.move in moves}
    for part in {r.part for r in records}:
        selected |= set(move_range_starts(pkg.xml(part), moves))
    return selected


def _resolve_package(pkg: Package, accept: bool, selected: set | None) -> None:
    """Resolve revisions in every part that may hold them."""
    for part in resolvable_parts(pkg):
        resolve_part(pkg.xml(part), accept=accept, selected=selected)
