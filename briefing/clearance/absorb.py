"""Absorb: carry a cleared document's wording back into the briefing's YAML.

The steps, each its own function:

1. refuse a document that still holds tracked changes (they must be accepted
   or rejected first);
2. rebuild the document the members saw from the data it was built from (the
   canonical JSON its source map carries, else the YAML as it is now) and
   align that fresh build's paragraphs with the cleared document's, by
   sequence with fuzzy matching of edited paragraphs. Bookmarks in the cleared
   document are only a hint, so an edited paragraph maps to its field even
   when an editor lost the bookmark;
3. turn the differences into field changes (a changed field, a list item
   added or deleted) and the rest into "not absorbable" warnings with their
   location (fixed wording, headings from the template, derived lines);
4. merge field by field with the YAML as it is now when it moved on since
   the build (three-way: base = the built data, theirs = the document,
   ours = the YAML), refusing with every conflicting field listed;
5. splice the changes, and one clearance entry per reviewer, into the YAML's
   text (briefing.source.edit keeps everything else byte for byte), validate the
   result and replace the file atomically.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError, Conflict, PendingRevisions
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import (
    DocParagraph,
    Segment,
    comment_authors,
    pending_changes,
    people,
    read_paragraphs,
)
from briefing.ooxml.sourcemap import SourceMap, bookmark_name, read_source_map
from briefing.paths import atomic_write_text
from briefing.results import Message, Result, plural
from briefing.source.edit import EditError, YamlText
from briefing.sourceid import FieldPath, format_path, get_value
from briefing.sourceid import index as source_id_index

MATCH_THRESHOLD = 0.5  # similarity above which two paragraphs are "the same one, edited"
HINT_BONUS = 0.5  # added when the cleared paragraph still carries the field's bookmark
MAX_FUZZY_CELLS = 250_000  # above this, a replaced stretch pairs by bookmark only
SHOW = 70  # characters of a text shown in messages
# Names editors record when they know no better (LibreOffice's own layout changes, scrubbed
# files): never a reviewer in the clearance record.
PLACEHOLDER_AUTHORS = {"", "unknown", "unknown author", "author", "anonymous"}


# --- records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FreshParagraph:
    """A paragraph of the fresh build: its parts, each fixed text or a field's verbatim text."""

    number: int
    parts: tuple[tuple[str, FieldPath | None], ...]  # (text, field path or None for fixed)
    source_ids: tuple[str, ...]
    heading: int | None
    kind: str  # "field", "derived", "heading" or "fixed"

    @property
    def text(self) -> str:
        """Return the paragraph's whole text."""
        return "".join(t for t, _ in self.parts)

    @property
    def fields(self) -> list[FieldPath]:
        """Return the field paths whose verbatim text this paragraph holds."""
        return [p for _, p in self.parts if p is not None]

    @property
    def list_item(self) -> FieldPath | None:
        """Return the path of the list item this paragraph is, or None."""
        fields = self.fields
        if len(fields) == 1 and isinstance(fields[0][-1], int):
            return fields[0]
        return None


@dataclass(frozen=True)
class Step:
    """One step of the alignment: a fresh paragraph, a cleared one, or both when paired."""

    fresh: FreshParagraph | None
    doc: DocParagraph | None


@dataclass
class ListEdit:
    """What the document did to one list of text: items replaced, deleted, inserted."""

    replaced: dict[int, str] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    inserted: dict[int, list[str]] = field(default_factory=dict)  # after index (-1: at start)

    def apply(self, items: list[str]) -> list[str]:
        """Return `items` with this edit applied."""
        out = list(self.inserted.get(-1, []))
        for i, value in enumerate(items):
            if i not in self.deleted:
                out.append(self.replaced.get(i, value))
            out.extend(self.inserted.get(i, []))
        return out


@dataclass(frozen=True)
class Change:
    """A field the document changed: its path, the built value and the document's value."""

    path: FieldPath
    base: Any
    new: Any


@dataclass
class Absorbed:
    """What a cleared document says: field changes and warnings about what cannot be absorbed."""

    changes: list[Change] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)


# --- the command ------------------------------------------------------------------------


def absorb_file(docx: str | Path, into: str | Path, dry_run: bool = False, record: bool = True,
                role: str = "Lead member", today: dt.date | None = None) -> Result[str]:
    """Update the YAML `into` with the cleared wording of `docx`; return the summary to print."""
    from briefing.source.load import load_briefing

    docx, into = Path(docx), Path(into)
    pkg = Package.open(docx)
    refuse_pending(pkg, docx)
    loaded = load_briefing(into).value
    smap = read_source_map(pkg)
    messages: list[Message] = []
    base = base_data(smap, loaded, docx, into, messages)
    found = compare(fresh_paragraphs(base, smap, messages, docx), read_paragraphs(pkg), base,
                    str(docx))
    messages.extend(found.warnings + comments_note(pkg, docx))
    ours = json.loads(loaded.canonical_json)
    edits = merge(found.changes, base, ours, docx, into, smap)
    entries = clearance_entries(pkg, smap, ours, role, today or dt.date.today(),
                                messages) if record else []
    changed = update_yaml(into, edits, entries, dry_run=dry_run)
    return Result(summary(edits, entries, docx, into, dry_run, changed), messages)


def update_yaml(into: Path, edits: list[Change], entries: list[dict[str, Any]], *,
                dry_run: bool) -> bool:
    """Splice the edits and entries into the YAML, validate, write atomically; return if changed.

    With `dry_run` everything is checked and nothing is written.
    """
    if not edits and not entries:
        return False
    raw = into.read_bytes().decode("utf-8")
    bom, body = ("\ufeff", raw[1:]) if raw.startswith("\ufeff") else ("", raw)
    crlf = "\r\n" in body and "\n" not in body.replace("\r\n", "")
    text = body.replace("\r\n", "\n") if crlf else body
    editor = YamlText.parse(text)
    apply_edits(editor, edits, into)
    editor.append_to_list("clearance", entries)
    new_text = editor.result()
    if new_text == text:
        return False
    check_valid(new_text, into)
    if not dry_run:  # the file keeps its byte-order mark and line endings
        atomic_write_text(into, bom + (new_text.replace("\n", "\r\n") if crlf else new_text))
    return True


def comments_note(pkg: Package, docx: Path) -> list[Message]:
    """Return a note when comments are left in the document (absorb does not carry them)."""
    n = len(comment_authors(pkg))
    return [Message("info", f"{docx}: {plural(n, 'comment')} left in the document; absorb "
                            "carries wording, not comments")] if n else []


def refuse_pending(pkg: Package, docx: Path) -> None:
    """Raise PendingRevisions when tracked changes remain in the document."""
    pending = pending_changes(pkg)
    if not pending.total:
        return
    who = ", ".join(f"{a} ({n})" for a, n in sorted(pending.authors.items()))
    raise PendingRevisions(
        f"{docx}: {plural(pending.total, 'tracked change')} still to accept or reject "
        f"(by {who}); clear them first with `briefing accept {docx} -o CLEARED.docx` "
        f"or `briefing reject {docx} -o CLEARED.docx` (--author and --item choose which), "
        "then absorb the cleared copy")


def base_data(smap: SourceMap | None, loaded, docx: Path, into: Path,
              messages: list[Message]) -> dict:
    """Return the data the document was built from (the merge base)."""
    if smap is not None and smap.data_json:
        try:
            return json.loads(smap.data_json)
        except json.JSONDecodeError:
            pass
    if smap is not None and smap.data_hash == loaded.data_hash:
        return json.loads(loaded.canonical_json)  # the YAML is the data it was built from
    if smap is not None and smap.data_hash and smap.data_hash != loaded.data_hash:
        raise Conflict(f"{docx}: was built from another version of {into} and does not carry "
                       "the data it was built from, so its edits cannot be merged safely; "
                       "build the document again from the YAML and review that")
    messages.append(Message("warning", (
        f"{docx}: does not record the data it was built from; comparing it with {into} as it "
        f"is now, so changes made to {into} since the build would be undone: check with "
        "--dry-run first")))
    return json.loads(loaded.canonical_json)


# --- the fresh build --------------------------------------------------------------------


def fresh_paragraphs(base: dict, smap: SourceMap | None, messages: list[Message],
                     docx: Path | None = None) -> list[FreshParagraph]:
    """Return the paragraphs of the document built again from `base`, with their field paths."""
    from pydantic import ValidationError

    from briefing.document.build import build_bytes
    from briefing.source.model import Briefing

    try:
        briefing = Briefing.model_validate(base)
    except ValidationError as exc:
        raise BriefingError(f"{docx}: the data recorded in the document is not a valid briefing "
                            f"for this version of briefing ({exc.error_count()} problems); "
                            "build the document again from the YAML") from None
    template = _template(smap, messages)
    data = build_bytes(briefing, template, data_json="")
    fd, tmp = tempfile.mkstemp(suffix=".docx")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        pkg = Package.open(tmp)
        ids = read_source_map(pkg).ids
        index = source_id_index(base)
        return [classify(p, ids, index) for p in read_paragraphs(pkg)]
    finally:
        os.unlink(tmp)


def _template(smap: SourceMap | None, messages: list[Message]):
    from briefing.document.compose import TemplateError, find_template

    name = smap.template if smap is not None and smap.template else None
    try:
        return find_template(name)
    except TemplateError:
        messages.append(Message("warning", f"template '{name}' the document was built with "
                                           "is not available; comparing with chairman-briefing"))
        return find_template(None)


def classify(p: DocParagraph, ids: dict[str, str],
             index: dict[str, tuple[FieldPath, Any]]) -> FreshParagraph:
    """Return `p` with each bookmarked segment resolved to the field whose verbatim text it is."""
    parts: list[tuple[str, FieldPath | None]] = []
    sids: list[str] = []
    derived = False
    for seg in p.segments:
        sid = ids.get(seg.bookmark) if seg.bookmark else None
        path = _verbatim_field(seg, index.get(sid) if sid else None)
        if sid:
            sids.append(sid)
            derived = derived or path is None
        parts.append((seg.text, path))
    kind = ("field" if any(pth for _, pth in parts) else "derived" if derived
            else "heading" if p.heading else "fixed")
    return FreshParagraph(p.number, tuple(parts), tuple(sids), p.heading, kind)


def _verbatim_field(seg: Segment, entry: tuple[FieldPath, Any] | None) -> FieldPath | None:
    """Return the field path when `seg` holds exactly that field's text, else None."""
    if entry is None:
        return None
    path, value = entry
    return path if isinstance(value, str) and value.strip() == seg.text.strip() else None


# --- alignment --------------------------------------------------------------------------


def align(fresh: list[FreshParagraph], doc: list[DocParagraph]) -> list[Step]:
    """Return the fresh and cleared paragraphs paired in document order (None: no partner)."""
    matcher = difflib.SequenceMatcher(None, [f.text for f in fresh], [d.text for d in doc],
                                      autojunk=False)
    steps: list[Step] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            steps.extend(Step(fresh[i1 + k], doc[j1 + k]) for k in range(i2 - i1))
        else:
            steps.extend(_pair_block(fresh[i1:i2], doc[j1:j2]))
    return steps


def _score(f: FreshParagraph, d: DocParagraph) -> float:
    hint = HINT_BONUS if any(bookmark_name(s) in d.bookmarks for s in f.source_ids) else 0.0
    a, b = f.text, d.text
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if not hint and sm.real_quick_ratio() < MATCH_THRESHOLD:
        return 0.0
    words = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    return max(sm.ratio(), words) + hint


def _pair_block(fresh: list[FreshParagraph], doc: list[DocParagraph]) -> list[Step]:
    """Return the best order-keeping pairing of a replaced stretch (weighted LCS)."""
    n, m = len(fresh), len(doc)
    if n * m > MAX_FUZZY_CELLS:
        score = {(i, j): (HINT_BONUS if any(bookmark_name(s) in d.bookmarks
                                            for s in f.source_ids) else 0.0)
                 for i, f in enumerate(fresh) for j, d in enumerate(doc) if d.bookmarks}
    else:
        score = {(i, j): _score(f, d) for i, f in enumerate(fresh) for j, d in enumerate(doc)}
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = score.get((i, j), 0.0)
            pair = best[i + 1][j + 1] + s if s >= MATCH_THRESHOLD else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    steps: list[Step] = []
    i = j = 0
    while i < n or j < m:
        s = score.get((i, j), 0.0) if i < n and j < m else 0.0
        if i < n and j < m and s >= MATCH_THRESHOLD and best[i][j] == best[i + 1][j + 1] + s:
            steps.append(Step(fresh[i], doc[j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            steps.append(Step(fresh[i], None))
            i += 1
        else:
            steps.append(Step(None, doc[j]))
            j += 1
    return _pair_rewritten(steps)


def _pair_rewritten(steps: list[Step]) -> list[Step]:
    """Return `steps` with each run of n removed and n added paragraphs paired in order.

    A paragraph rewritten beyond recognition (and stripped of its bookmark) sits
    where the old one was: n out and n in at one place are n rewrites.
    """
    out: list[Step] = []
    k = 0
    while k < len(steps):
        if steps[k].fresh is not None and steps[k].doc is not None:
            out.append(steps[k])
            k += 1
            continue
        end = k
        while end < len(steps) and (steps[end].fresh is None or steps[end].doc is None):
            end += 1
        run = steps[k:end]
        gone = [s.fresh for s in run if s.fresh is not None]
        new = [s.doc for s in run if s.doc is not None and s.doc.text.strip()]
        if gone and len(gone) == len(new):
            out.extend(Step(f, d) for f, d in zip(gone, new))
        elif gone and new:
            out.extend(_pair_sticky(gone, new))
        else:
            out.extend(run)
        k = end
    return out


def _pair_sticky(gone: list[FreshParagraph], new: list[DocParagraph]) -> list[Step]:
    """Return steps pairing, in order, as many paragraphs that cannot just go as possible.

    With more removed than added (or the reverse), a list item may really have
    gone, but a heading, fixed wording or a required field cannot have: it was
    rewritten, so it takes one of the new paragraphs.
    """
    n, m = len(gone), len(new)
    sticky = [f.list_item is None for f in gone]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1],
                             best[i + 1][j + 1] + 1 if sticky[i] else -1)
    steps: list[Step] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and sticky[i] and best[i][j] == best[i + 1][j + 1] + 1:
            steps.append(Step(gone[i], new[j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            steps.append(Step(gone[i], None))
            i += 1
        else:
            steps.append(Step(None, new[j]))
            j += 1
    return steps


# --- from differences to changes --------------------------------------------------------


def compare(fresh: list[FreshParagraph], doc: list[DocParagraph], base: dict,
            docname: str) -> Absorbed:
    """Return the field changes the cleared document makes, and what cannot be absorbed."""
    steps = align(fresh, doc)
    found = Absorbed()
    scalars: dict[FieldPath, str] = {}
    lists: dict[FieldPath, ListEdit] = {}
    where = _Locator(steps, docname)
    for k, step in enumerate(steps):
        if step.fresh is not None and step.doc is not None:
            if step.fresh.text != step.doc.text:
                _edited(step, k, scalars, lists, found, where)
        elif step.fresh is not None:
            _deleted(step.fresh, k, lists, found, where)
        elif step.doc.text.strip():
            _inserted(steps, k, lists, found, where)
    for path, value in scalars.items():
        found.changes.append(Change(path, get_value(base, path), value))
    for path, edit in lists.items():
        old = get_value(base, path)
        found.changes.append(Change(path, old, edit.apply(old)))
    return found


class _Locator:
    """Says where a paragraph is in the cleared document: number and nearest heading."""

    def __init__(self, steps: list[Step], docname: str) -> None:
        self.steps, self.docname = steps, docname

    def __call__(self, k: int) -> str:
        number, heading = None, None
        for step in self.steps[:k + 1]:
            if step.doc is not None:
                number = step.doc.number
                if step.doc.heading and step is not self.steps[k]:
                    heading = step.doc.text
        if self.steps[k].doc is None:
            number = (number or 0) + 1
        under = f" (under \"{_short(heading, 50)}\")" if heading else ""
        return f"{self.docname}: paragraph {number}{under}"


def _edited(step: Step, k: int, scalars: dict, lists: dict, found: Absorbed,
            where: _Locator) -> None:
    f, d = step.fresh, step.doc
    values = _split_fields(f, d.text)
    if values is None:
        what = {"heading": "heading", "derived": "line built from several fields",
                "fixed": "fixed wording"}.get(f.kind, "fixed wording around a field")
        advice = {"derived": "edit the fields it is built from in the YAML",
                  "heading": "headings come from the template",
                  }.get(f.kind, "it comes from the template, not the YAML")
        found.warnings.append(Message("warning", (
            f"{where(k)}: {what} changed from '{_short(f.text)}' to '{_short(d.text)}'; "
            f"not absorbed: {advice}")))
        return
    for path, value in values:
        old_text = next(t for t, p in f.parts if p == path)
        if value.strip() == old_text.strip():
            continue
        if isinstance(path[-1], int):
            edit = lists.setdefault(path[:-1], ListEdit())
            if value.strip():
                edit.replaced[path[-1]] = value.strip()
            else:
                edit.deleted.add(path[-1])
        elif not value.strip():
            found.warnings.append(Message("warning", (
                f"{where(k)}: {format_path(path)} was emptied; not absorbed: a briefing "
                "needs it (edit the YAML by hand)")))
        else:
            scalars[path] = value.strip()


def _split_fields(f: FreshParagraph, text: str) -> list[tuple[FieldPath, str]] | None:
    """Return each field's new text, the fixed parts being found unchanged around them."""
    if not f.fields:
        return None
    pattern = "".join("(.*)" if p is not None else re.escape(t) for t, p in f.parts)
    m = re.fullmatch(pattern, text, re.DOTALL)
    if m is None:
        return None
    return list(zip(f.fields, m.groups()))


def _deleted(f: FreshParagraph, k: int, lists: dict, found: Absorbed, where: _Locator) -> None:
    item = f.list_item
    if item is not None and not [t for t, p in f.parts if p is None and t.strip()]:
        lists.setdefault(item[:-1], ListEdit()).deleted.add(item[-1])
        return
    what = (f"{format_path(f.fields[0])} deleted" if f.fields
            else f"{'heading' if f.kind == 'heading' else 'fixed wording'} deleted")
    advice = ("a briefing needs it: edit the YAML by hand" if f.fields
              else "edit the YAML or the template by hand")
    found.warnings.append(Message("warning", f"{where(k)}: {what} ('{_short(f.text)}'); "
                                             f"not absorbed: {advice}"))


def _inserted(steps: list[Step], k: int, lists: dict, found: Absorbed,
              where: _Locator) -> None:
    text = steps[k].doc.text.strip()
    prev = next((s.fresh for s in reversed(steps[:k]) if s.fresh is not None), None)
    nxt = next((s.fresh for s in steps[k + 1:] if s.fresh is not None), None)
    if prev is not None and prev.list_item is not None:
        target, after = prev.list_item[:-1], prev.list_item[-1]
    elif nxt is not None and nxt.list_item is not None and nxt.list_item[-1] == 0:
        target, after = nxt.list_item[:-1], -1
    else:
        found.warnings.append(Message("warning", (
            f"{where(k)}: new paragraph '{_short(text)}' is not part of a list the YAML "
            "holds; not absorbed: add it to the YAML by hand")))
        return
    lists.setdefault(target, ListEdit()).inserted.setdefault(after, []).append(text)


# --- merging with the YAML as it is now -------------------------------------------------


def merge(changes: list[Change], base: dict, ours: dict, docx: Path, into: Path,
          smap: SourceMap | None) -> list[Change]:
    """Return the changes to make to `ours`; raise Conflict listing fields changed on both sides."""
    edits, conflicts = [], []
    for change in changes:
        try:
            mine = get_value(ours, change.path)
        except LookupError:
            conflicts.append(f"{format_path(change.path)}: removed from the YAML but edited "
                             "in the document")
            continue
        if mine == change.base:
            edits.append(Change(change.path, mine, change.new))
        elif mine != change.new:
            merged = _merge_items(change, mine)
            if merged is None:
                conflicts.append(f"{format_path(change.path)}: changed in both the YAML and "
                                 "the document")
            elif merged != mine:
                edits.append(Change(change.path, mine, merged))
    if conflicts:
        version = f" (version {smap.version})" if smap is not None and smap.version else ""
        raise Conflict(f"{into}: changed since {docx}{version} was built, and the same fields "
                       "changed in both:\n" + "\n".join(f"  {c}" for c in conflicts) +
                       f"\nnothing was changed; make these edits in {into} by hand, or "
                       "rebuild the document and review it again")
    return edits


def _merge_items(change: Change, mine: Any) -> list | None:
    """Return the three-way merge of a list both sides changed, or None when they collide."""
    base, new = change.base, change.new
    if not (isinstance(base, list) and isinstance(mine, list) and isinstance(new, list)):
        return None
    return merge_lists(base, mine, new)


def merge_lists(base: list, ours: list, theirs: list) -> list | None:
    """Return `base` with both sides' changes, or None when they touch the same items.

    Each side's changes are hunks over base positions (from difflib); hunks
    that overlap, or insert at the same place, collide unless they are equal.
    """
    hunks = sorted({*_hunks(base, ours), *_hunks(base, theirs)})
    for (a1, a2, _), (b1, b2, _) in itertools.pairwise(hunks):
        if b1 < a2 or (a1 == a2 == b1 == b2) or (a1 == b1 and a2 == b2):
            return None
    out, at = [], 0
    for i1, i2, items in hunks:
        out.extend(base[at:i1])
        out.extend(items)
        at = i2
    return out + base[at:]


def _hunks(base: list, side: list) -> list[tuple[int, int, tuple]]:
    sm = difflib.SequenceMatcher(None, base, side, autojunk=False)
    return [(i1, i2, tuple(side[j1:j2])) for op, i1, i2, j1, j2 in sm.get_opcodes()
            if op != "equal"]


# --- writing ----------------------------------------------------------------------------


def apply_edits(editor: YamlText, edits: list[Change], into: Path) -> None:
    """Splice every change into the YAML text."""
    for change in edits:
        try:
            if isinstance(change.new, list):
                editor.set_list(change.path, change.new)
            else:
                editor.set_scalar(change.path, change.new)
        except EditError as exc:
            raise BriefingError(f"{into}: {exc}; nothing was changed") from None


def check_valid(text: str, into: Path) -> None:
    """Raise ValidationFailed (nothing written) if the edited YAML would not be a valid briefing."""
    from briefing.source.load import load_text

    try:
        load_text(text, str(into))
    except BriefingError as exc:
        raise BriefingError(f"{into}: the cleared document's edits would make the briefing "
                            "invalid, so nothing was changed (line numbers are those of the "
                            f"edited file):\n{exc}") from None


def clearance_entries(pkg: Package, smap: SourceMap | None, ours: dict, role: str,
                      today: dt.date, messages: list[Message]) -> list[dict[str, Any]]:
    """Return one new clearance entry per reviewer of the document (none already recorded)."""
    reviewers = dict(smap.reviewers) if smap is not None else {}
    commenters = comment_authors(pkg)
    if not reviewers:  # changes accepted in Word itself: its list of people still names them
        reviewers = {name: 0 if name in commenters else 1 for name in people(pkg)}
    for name in commenters:
        reviewers.setdefault(name, 0)
    for name in smap.redliners if smap is not None else []:
        if reviewers.pop(name, 0):
            messages.append(Message("info", f"changes by '{name}' were the redline against the "
                                            "previous draft; not recorded as a reviewer"))
    for name in [n for n in reviewers if n.strip().lower() in PLACEHOLDER_AUTHORS]:
        count = reviewers.pop(name)
        if count:
            messages.append(Message("info", f"{plural(count, 'change')} by '{name}' (no real "
                                            "name) not recorded as a reviewer"))
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


# --- reporting --------------------------------------------------------------------------


def describe(change: Change) -> list[str]:
    """Return the lines that show one change: `path: 'old' -> 'new'`, list items added/deleted."""
    path = format_path(change.path)
    if not isinstance(change.new, list):
        return [f"{path}: '{_short(change.base)}' -> '{_short(change.new)}'"]
    lines = []
    sm = difflib.SequenceMatcher(None, change.base, change.new, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            lines.append(f"{path}[{i1 + k}]: '{_short(change.base[i1 + k])}' -> "
                         f"'{_short(change.new[j1 + k])}'")
        lines += [f"{path}[{i}]: deleted '{_short(change.base[i])}'"
                  for i in range(i1 + pairs, i2) if op != "equal"]
        lines += [f"{path}[{j}]: added '{_short(change.new[j])}'"
                  for j in range(j1 + pairs, j2) if op != "equal"]
    return lines


def summary(edits: list[Change], entries: list[dict], docx: Path, into: Path, dry_run: bool,
            changed: bool) -> str:
    """Return what absorb did (or, with --dry-run, would do)."""
    lines = [line for c in edits for line in describe(c)]
    lines += [f"clearance: {e['reviewer']} ({e['role']}, version {e['version']}, "
              f"{e['date'].isoformat()}, {e['outcome']})" for e in entries]
    if not changed:
        return f"{into}: nothing to absorb from {docx}; the file is unchanged"
    n = plural(len(lines), "change")
    head = (f"{into}: {n} to absorb from {docx} (dry run: nothing written)" if dry_run
            else f"{into}: absorbed {n} from {docx}")
    return "\n".join([head] + [f"  {line}" for line in lines])


def _short(text: Any, width: int = SHOW) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"

