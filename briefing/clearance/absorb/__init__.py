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

import codecs
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefing.clearance.absorb.compare import Change, compare
from briefing.clearance.absorb.fresh import fresh_paragraphs
from briefing.clearance.absorb.items import plan
from briefing.clearance.absorb.merge import merge, merge_lists
from briefing.clearance.absorb.record import clearance_entries, summary
from briefing.errors import BriefingError, Conflict
from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import Census, refuse_pending_changes
from briefing.ooxml.read.comments import comment_authors
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.ooxml.sourcemap import SourceMap, read_source_map
from briefing.paths import atomic_write_text
from briefing.results import Message, Result, plural
from briefing.source.changes import Insert, Remove, apply_changes
from briefing.source.edit import EditError, YamlText


def absorb_file(docx: str | Path, into: str | Path, dry_run: bool = False, record: bool = True,
                role: str = "Lead member", today: dt.date | None = None) -> Result[str]:
    """Update the YAML `into` with the cleared wording of `docx`; return the summary to print."""
    from briefing.source.load import decode, load_text, read_bytes

    docx, into = Path(docx), Path(into)
    pkg = Package.open(docx)
    refuse_pending(pkg, docx)
    raw = read_bytes(into)  # the YAML is read once: validated, merged with and edited
    loaded = load_text(decode(raw, str(into)), str(into), path=into).value
    smap = read_source_map(pkg)
    messages: list[Message] = []
    ours = json.loads(loaded.canonical_json)
    recorded, briefing = base_data(smap, loaded, docx, into, messages)
    base = ours if recorded is None else recorded
    fresh = fresh_paragraphs(base, smap, docx, briefing=briefing)
    found = compare(fresh, read_paragraphs(pkg), base, str(docx))
    messages.extend(found.warnings + comments_note(pkg, docx))
    edits = merge(found.changes, base, ours, docx, into, smap)
    item_ops, item_lines = plan(found.items, base, ours, messages)
    entries = clearance_entries(pkg, smap, ours, role, today or dt.date.today(),
                                messages) if record else []
    changed = update_yaml(into, edits, entries, dry_run=dry_run, text=loaded.text,
                          bom=raw.startswith(codecs.BOM_UTF8), items=item_ops)
    return Result(summary(edits, entries, docx, into, dry_run, changed, item_lines), messages)


def update_yaml(into: Path, edits: list[Change], entries: list[dict[str, Any]], *,
                dry_run: bool, text: str, bom: bool,
                items: Sequence[Insert | Remove] = ()) -> bool:
    """Splice the edits and entries into the YAML, validate, write atomically; return if changed.

    `text` is the file's text as read (without its byte-order mark; `bom` says
    whether it had one); `items` are whole items to insert or remove, made after
    the edits. With `dry_run` everything is checked and nothing is written.
    """
    if not edits and not entries and not items:
        return False
    crlf = "\r\n" in text and "\n" not in text.replace("\r\n", "")
    if crlf:
        text = text.replace("\r\n", "\n")
    editor = YamlText.parse(text)
    apply_edits(editor, edits, into)
    editor.append_to_list("clearance", entries)
    new_text = editor.result()
    if items:
        try:
            new_text = apply_changes(new_text, items)
        except EditError as exc:
            raise BriefingError(f"{into}: {exc}; nothing was changed") from None
    if new_text == text:
        return False
    check_valid(new_text, into)
    if not dry_run:  # the file keeps its byte-order mark and line endings
        ending = new_text.replace("\n", "\r\n") if crlf else new_text
        atomic_write_text(into, ("\ufeff" if bom else "") + ending)
    return True


def comments_note(pkg: Package, docx: Path) -> list[Message]:
    """Return a note when comments are left in the document (absorb does not carry them)."""
    n = len(comment_authors(pkg))
    return [Message("info", f"{docx}: {plural(n, 'comment')} left in the document; absorb "
                            "carries wording, not comments")] if n else []


def refuse_pending(pkg: Package, docx: Path) -> None:
    """Raise PendingRevisions when tracked changes remain in the document."""

    def message(pending: Census) -> str:
        who = ", ".join(f"{a} ({n})" for a, n in sorted(pending.authors.items()))
        return (f"{docx}: {plural(pending.total, 'tracked change')} still to accept or reject "
                f"(by {who}); clear them first with `briefing accept {docx} -o CLEARED.docx` "
                f"or `briefing reject {docx} -o CLEARED.docx` (--author and --item choose "
                "which), then absorb the cleared copy")

    refuse_pending_changes(pkg, message)


def base_data(smap: SourceMap | None, loaded: Any, docx: Path, into: Path,
              messages: list[Message]) -> tuple[dict | None, Any]:
    """Return the data the document was built from (the merge base) and its validated model.

    (None, the YAML's model) when that data is the YAML as it is now; the
    model is None when the recorded data differs and still needs validating.
    """
    if smap is not None and smap.data_json:
        if smap.data_json == loaded.canonical_json:
            return None, loaded.briefing
        try:
            return json.loads(smap.data_json), None
        except json.JSONDecodeError:
            pass
    if smap is not None and smap.data_hash == loaded.data_hash:
        return None, loaded.briefing  # the YAML is the data it was built from
    if smap is not None and smap.data_hash and smap.data_hash != loaded.data_hash:
        raise Conflict(f"{docx}: was built from another version of {into} and does not carry "
                       "the data it was built from, so its edits cannot be merged safely; "
                       "build the document again from the YAML and review that")
    messages.append(Message("warning", (
        f"{docx}: does not record the data it was built from; comparing it with {into} as it "
        f"is now, so changes made to {into} since the build would be undone: check with "
        "--dry-run first")))
    return None, loaded.briefing


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


__all__ = ["absorb_file", "base_data", "fresh_paragraphs", "merge_lists", "refuse_pending",
           "update_yaml"]
