"""Combine: every lead member's returned copy of a draft, tracked or not, in one document.

`combine_files(DRAFT, [COPY...])` writes DRAFT with each member's changes as
tracked changes and their comments. A copy's own tracked changes keep their
author and date; what a member changed without tracking becomes tracked
changes in the member's name (`--as`, else the copy's last-modified-by
property, else `--author`, else the file name). Editor noise is taken out
first (`ooxml.track.noise`). Changes by different members to different words
of one paragraph all stand; the same words changed differently are a conflict,
kept as both members' insertions and reported by briefing item.

A copy must be a copy of DRAFT: same data hash and version in the source map
when both carry one, else similar text; a copy of an older version, of another
briefing, or one whose source ids an editor stripped is refused, and nothing
is written.
"""

from __future__ import annotations

import copy as copying
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from briefing.clearance.redline import default_author, revision_date
from briefing.clearance.review import Review, review_of
from briefing.errors import BriefingError
from briefing.ooxml import tree
from briefing.ooxml.build_xml import replace_body
from briefing.ooxml.ns import CP, DCTERMS, qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import REVISION_TAGS, refuse_pending_changes
from briefing.ooxml.read.comments import comments_part, strip_comment_markup
from briefing.ooxml.read.inspect import core_property
from briefing.ooxml.read.revisions import read_package
from briefing.ooxml.read.text import block_text, paragraph_texts
from briefing.ooxml.sourcemap import SourceMap, is_source_bookmark, read_source_map
from briefing.ooxml.styles import style_ids
from briefing.ooxml.track.blocks import (
    document_body,
    paragraph_sid,
    replace_blocks,
    story_part_pairs,
)
from briefing.ooxml.track.carry import anchor_missing, carry_comments
from briefing.ooxml.track.diff import BodyDiffer
from briefing.ooxml.track.inline import Builder
from briefing.ooxml.track.members import (
    Assembly,
    Entry,
    assemble,
    body_blocks,
    mark_blocks,
    member_entries,
)
from briefing.ooxml.track.merge import shift_ids
from briefing.ooxml.track.noise import normalise, restate
from briefing.ooxml.track.rehome import (
    Rehomer,
    drawing_ids,
    fresh_drawing_ids,
    leave_out_dangling,
    refers_to_notes,
    rehome_blocks,
)
from briefing.ooxml.track.resolve import resolve_part
from briefing.ooxml.track.revids import Stamper, max_used_id
from briefing.paths import atomic_write_bytes, check_output
from briefing.results import Message, Result, plural, short

SAME_TEXT = 0.6  # word similarity above which a copy without a source map counts as the draft's


@dataclass
class Member:
    """One returned copy: who it is from, how that was decided, and what it changed."""

    path: Path
    name: str
    named_by: str
    tracked: int = 0
    untracked: int = 0
    comments: int = 0
    entries: list[Entry] = field(default_factory=list)
    stories: dict[str, list[Entry]] = field(default_factory=dict)  # header/footer part -> changes
    untracked_ids: set[str] = field(default_factory=set)  # w:id of changes found untracked
    left_out: bool = False  # changes combine cannot track: content controls, say


class Carried(NamedTuple):
    """What carries a copy's pictures into the draft."""

    ids: Iterator[int]  # the drawing ids still free
    pairs: list[tuple[str, str]]  # the copy's header and footer parts with the draft's


def review_against(copy: str | Path, draft: str | Path, *,
                   author: str | None = None) -> Result[Review]:
    """Return the review of `copy` with its untracked edits against `draft` shown as changes
    by its member, beside its tracked ones, plus the combine summary."""
    members: list[Member] = []
    result = combine_packages(Package.open(draft), [Package.open(copy)], author=author,
                              report=members)
    pkg = Package.from_bytes(result.value, Path(copy))
    untracked = {i for m in members for i in m.untracked_ids}
    return Result(review_of(pkg, Path(copy), untracked=untracked), result.messages)


def default_output(draft: Path) -> Path:
    """Return <stem>-combined.docx beside the draft."""
    return draft.with_name(f"{draft.stem}-combined.docx")


def combine_files(draft: str | Path, copies: Sequence[str | Path], out: str | Path | None = None, *,
                  names: dict[str, str] | None = None, author: str | None = None,
                  force: bool = False) -> Result[Path]:
    """Write the combined document; return its path and the summary (see module docstring)."""
    draft = Path(draft)
    paths = [Path(c) for c in copies]
    if not paths:
        raise BriefingError("combine: give the draft and at least one member's copy")
    out = Path(out) if out else default_output(draft)
    check_output(out, [draft, *paths], force=force,
                 is_input="is an input; combine never changes its inputs, choose another -o")
    _refuse_repeats(draft, paths)
    result = combine_packages(Package.open(draft), [Package.open(p) for p in paths],
                              names=_names(names or {}, paths), author=author)
    atomic_write_bytes(out, result.value)
    return Result(out, result.messages)


def _refuse_repeats(draft: Path, paths: list[Path]) -> None:
    seen: set[Path] = {draft.resolve()}
    for path in paths:
        if path.resolve() in seen:
            what = "the draft itself" if path.resolve() == draft.resolve() else "given twice"
            raise BriefingError(f"{path}: {what}; give each member's copy once")
        seen.add(path.resolve())


def _names(given: dict[str, str], paths: list[Path]) -> dict[Path, str]:
    """Return copy path -> member name from `--as COPY=NAME` (COPY as given or its file name)."""
    out: dict[Path, str] = {}
    for key, name in given.items():
        match = [p for p in paths if str(p) == key or p.name == key
                 or p.resolve() == Path(key).resolve()]
        if not match:
            raise BriefingError(f"--as {key}={name}: {key} is not one of the copies given "
                                f"({', '.join(p.name for p in paths)})")
        if not name.strip():
            raise BriefingError(f"--as {key}=: give the member's name after '='")
        out[match[0]] = name.strip()
    return out


def combine_packages(draft: Package, copies: list[Package], *,
                     names: dict[Path, str] | None = None, author: str | None = None,
                     report: list[Member] | None = None) -> Result[bytes]:
    """Return the combined package bytes and the summary messages (`report`, when given,
    receives each member's record)."""
    names = names or {}
    refuse_pending_changes(draft, lambda found: (
        f"{draft.path}: holds {found.describe()}; combine starts from the draft as members "
        "received it: accept or reject them first, or combine copies of a clean draft"),
        comments=True)
    smap = read_source_map(draft)
    members = [_member(c, names, author) for c in copies]
    if report is not None:
        report.extend(members)
    for pkg in copies:
        _check_copy(draft, smap, pkg)
    date = revision_date()
    next_id = max_used_id(draft) + 1
    ids = drawing_ids(draft)  # for the pictures members' changes carry in
    draft_body = document_body(draft)
    versions = []
    normalise(draft)
    use_ids = bool(_source_bookmarks(draft_body))  # paragraphs matched by source id
    for member, pkg in zip(members, copies):
        normalise(pkg)
        restate(pkg, draft)
        next_id = shift_ids([pkg.xml(p) for p in pkg.story_parts()], next_id) + 1
        anchors = {cid: a.bookmark for cid, a in read_package(pkg)[1].items()
                   if a.bookmark} if comments_part(pkg) else {}
        stamper = Stamper(member.name, _copy_date(pkg) or date, next_id)
        # headers paired before the copy's relationship ids are pointed at the draft's
        carried = Carried(ids, story_part_pairs(pkg, draft))
        member.entries = _entries(draft, pkg, (draft.main_name, pkg.main_name), stamper, use_ids,
                                  member, carried)
        member.stories = _story_entries(draft, pkg, stamper, member, carried)
        next_id = stamper.next_id
        member.tracked, member.untracked = _counts(member)
        member.untracked_ids = {el.get(qn("w:id"), "") for entry in _all_entries(member)
                                if entry.untracked for block in entry.blocks
                                for el in block.iter(*REVISION_TAGS)}
        member.comments = carry_comments(pkg, draft)
        versions.append((member.entries, anchors))
    merger = Stamper(author or default_author(), date, next_id)
    draft_blocks = body_blocks(draft_body)
    assembly = assemble(draft_blocks, [v for v, _ in versions], merger)
    replace_body(draft.xml(draft.main_name), assembly.blocks)
    for _, anchors in versions:
        anchor_missing(draft_body, anchors)
    stories = _assemble_stories(draft, members, merger)
    draft.check_sound()
    messages = _summary(members, assembly, draft_blocks, smap)
    messages.extend(stories)
    messages.extend(Message("warning", note) for note in draft.notes)
    return Result(draft.to_bytes(), messages)


def _member(pkg: Package, names: dict[Path, str], author: str | None) -> Member:
    if pkg.path in names:
        return Member(pkg.path, names[pkg.path], "--as")
    saved_by = core_property(pkg, f"{{{CP}}}lastModifiedBy")
    if saved_by:
        return Member(pkg.path, saved_by, "the copy's last-modified-by")
    if author:
        return Member(pkg.path, author, "--author")
    return Member(pkg.path, pkg.path.stem, "the file name")


def _copy_date(pkg: Package) -> str | None:
    modified = core_property(pkg, f"{{{DCTERMS}}}modified")
    if not modified:
        return None
    try:
        return revision_date(modified.replace("Z", "+00:00"))
    except BriefingError:
        return None


def _check_copy(draft: Package, smap: SourceMap | None, pkg: Package) -> None:
    """Raise BriefingError unless `pkg` is a copy of `draft` as sent out."""
    theirs = read_source_map(pkg)
    if smap is not None and theirs is not None and theirs.data_hash != smap.data_hash:
        if _similar(draft, pkg) < SAME_TEXT:
            raise BriefingError(f"{pkg.path}: not a copy of {draft.path}: it is another "
                                "briefing (other data, other text)")
        if theirs.version < smap.version:
            raise BriefingError(
                f"{pkg.path}: a copy of version {theirs.version} of the briefing, but "
                f"{draft.path} is version {smap.version}; combine the copies members made "
                f"of {draft.path.name}, or combine this one with version {theirs.version}")
        raise BriefingError(
            f"{pkg.path}: not a copy of {draft.path}: it was built from other briefing data "
            f"(version {theirs.version}, data {theirs.data_hash[:12]}; the draft is version "
            f"{smap.version}, data {smap.data_hash[:12]})")
    ours = _source_bookmarks(document_body(draft))
    if ours and len(_source_bookmarks(document_body(pkg)) & ours) < len(ours) / 2:
        if _similar(draft, pkg) < SAME_TEXT:
            raise BriefingError(f"{pkg.path}: not a copy of {draft.path}: its text is not the "
                                "draft's")
        raise BriefingError(
            f"{pkg.path}: the draft's source ids are gone from this copy (its editor removed "
            "the hidden bookmarks that tie each paragraph to its briefing item); combine cannot "
            "say which item each change belongs to. Ask the member to edit the draft as sent, "
            "or copy their changes into a copy of it")
    if smap is None and _similar(draft, pkg) < SAME_TEXT:  # text is all a plain draft has
        raise BriefingError(f"{pkg.path}: not a copy of {draft.path}: its text is not the "
                            "draft's")


def _source_bookmarks(body) -> set[str]:
    return {el.get(qn("w:name")) for el in body.iter(qn("w:bookmarkStart"))
            if is_source_bookmark(el.get(qn("w:name")))}


def _similar(draft: Package, pkg: Package) -> float:
    """Return the share of paragraphs the two documents have in common, word for word
    (a member edits a few paragraphs of a copy; another briefing shares next to none)."""
    a = Counter(t for t in paragraph_texts(document_body(draft)) if t.strip())
    b = Counter(t for t in paragraph_texts(document_body(pkg)) if t.strip())
    total = max(sum(a.values()), sum(b.values()))
    return sum((a & b).values()) / total if total else 1.0


def _entries(draft: Package, pkg: Package, parts: tuple[str, str], stamper: Stamper,
             use_ids: bool, member: Member, carried: Carried) -> list[Entry]:
    """Return the member's changes to the blocks of one story of the draft: the body (`parts`
    the two main parts, the draft's first) or a header or footer, pointing at the draft's
    relationships (`carried`: the drawing ids to give pictures, the copy's headers and
    footers with the draft's)."""
    ours, theirs = parts
    draft_root, copy_root = _story_root(draft, ours), _story_root(pkg, theirs)
    # the copy's pictures and links point at the draft's relationships from here on (Word
    # renumbers them when it saves): a picture left alone then compares equal to the draft's
    rehome_blocks(Rehomer(pkg, theirs, draft, ours, dict(carried.pairs)), [copy_root])
    mark_blocks(copy_root)
    # a copy of the whole part, not the body alone: namespace declarations stay where they
    # were, so unchanged paragraphs serialise alike and compare fast
    whole = copy_root.getroottree().getroot()
    rejected = copying.deepcopy(whole)
    if whole is not copy_root:
        rejected = tree.child(rejected, copy_root.tag)
    resolve_part(rejected, accept=False)
    strip_comment_markup(rejected)
    # a deleted picture keeps pointing at the draft's part (note references are left out)
    builder = Builder(stamper, keep_pstyles=style_ids(draft),
                      carry=lambda el: None if refers_to_notes(el) else copying.deepcopy(el))
    differ = BodyDiffer(builder, use_ids)
    entries = member_entries(draft_root, copy_root, rejected, differ)
    blocks = [block for entry in entries for block in entry.blocks]
    left_out = leave_out_dangling(blocks, draft, ours)  # a chart, say: not carried
    fresh_drawing_ids([ins for block in blocks for ins in block.iter(qn("w:ins"))], carried.ids)
    if differ.dropped_blocks or differ.untracked_blocks or builder.dropped_objects or left_out:
        member.left_out = True
    return entries


def _story_root(pkg: Package, part: str):
    """Return the blocks' parent of story `part`: the body of the main part, else its root."""
    return document_body(pkg) if part == pkg.main_name else pkg.xml(part)


def _story_entries(draft: Package, pkg: Package, stamper: Stamper, member: Member,
                   carried: Carried) -> dict[str, list[Entry]]:
    """Return the member's changes to each of the draft's headers and footers, by part."""
    out: dict[str, list[Entry]] = {}
    for theirs, ours in carried.pairs:
        entries = _entries(draft, pkg, (ours, theirs), stamper, False, member, carried)
        if entries:
            out[ours] = entries
    return out


def _assemble_stories(draft: Package, members: list[Member], merger: Stamper) -> list[Message]:
    """Put every member's header and footer changes into the draft's; return a message for
    each header or footer changed, and for each conflict in one."""
    out = []
    for part in sorted({part for m in members for part in m.stories}):
        root = draft.xml(part)
        blocks = body_blocks(root)
        assembly = assemble(blocks, [m.stories.get(part, []) for m in members], merger)
        replace_blocks(root, assembly.blocks)
        where = "footer" if root.tag == qn("w:ftr") else "header"
        names = [members[k].name for k in sorted({k for who in assembly.touched.values()
                                                   for k in who})]
        out.append(Message("info", f"{where} ({part}): changed by {', '.join(names)}"))
        for clash in assembly.clashes:
            a, b = (members[k].name for k in clash.members)
            out.append(Message("warning", f"conflict in the {where} ({part}): "
                               f"{a}: \"{short(clash.wording[0], 60)}\" / "
                               f"{b}: \"{short(clash.wording[1], 60)}\"; "
                               + ("both kept as tracked changes" if clash.kept_both else
                                  f"{a}'s version kept, {b}'s left out")))
    return out


def _all_entries(member: Member) -> list[Entry]:
    return member.entries + [e for entries in member.stories.values() for e in entries]


def _counts(member: Member) -> tuple[int, int]:
    tracked = untracked = 0
    for entry in _all_entries(member):
        n = sum(1 for block in entry.blocks for _ in block.iter(*REVISION_TAGS))
        if entry.untracked:
            untracked += n
        else:
            tracked += n
    return tracked, untracked


# -- the summary ---------------------------------------------------------------


def _summary(members: list[Member], assembly: Assembly, draft_blocks: list,
             smap: SourceMap | None) -> list[Message]:
    out = []
    for m in members:
        out.append(Message("info", f"{m.path.name}: {m.name} (named by {m.named_by}): "
                           f"{plural(m.tracked, 'tracked change')}, "
                           f"{m.untracked} found untracked, {plural(m.comments, 'comment')}"))
        if m.left_out:
            out.append(Message("warning", f"{m.path.name}: {m.name} added, deleted or changed "
                               "blocks such as content controls, or pictures or objects, which "
                               "combine cannot track: left out; make those changes by hand if "
                               "wanted"))
    items: dict[str, list[str]] = {}
    for index, who in sorted(assembly.touched.items()):
        item = _item_name(draft_blocks, index, smap)
        names = items.setdefault(item, [])
        for k in sorted(who):
            if members[k].name not in names:
                names.append(members[k].name)
    for item, names in items.items():
        out.append(Message("info", f"{item}: changed by {', '.join(names)}"))
    for clash in assembly.clashes:
        a, b = (members[k].name for k in clash.members)
        item = _item_name(draft_blocks, clash.block, smap)
        kept = ("both kept as tracked changes; reject one side (briefing reject OUT "
                f"--author \"{b}\" --item ITEM) or accept one author's changes")
        if not clash.kept_both:
            kept = f"{a}'s version kept, {b}'s left out: make {b}'s change by hand if wanted"
        out.append(Message("warning", f"conflict in {item}: {a}: \"{short(clash.wording[0], 60)}\""
                           f" / {b}: \"{short(clash.wording[1], 60)}\"; {kept}"))
    if not any(m.tracked or m.untracked or m.comments for m in members):
        out.append(Message("info", "no changes found in any copy"))
    return out


def _item_name(blocks: list, index: int, smap: SourceMap | None) -> str:
    if 0 <= index < len(blocks):
        el = blocks[index]
        sid = paragraph_sid(el) if el.tag == qn("w:p") else None
        if sid and smap is not None and sid in smap.ids:
            return smap.ids[sid]
        text = block_text(el)
        if text.strip(" |"):
            kind = "table" if el.tag == qn("w:tbl") else "paragraph"
            return f"{kind} \u201c{short(text, 40)}\u201d"
    return f"block {index + 1}"
