"""Redline: NEW with tracked changes against OLD, the version members last saw.

`redline_bytes` is the engine behind `briefing redline` and `briefing build
--since`. The output is NEW's package (styles, numbering, headers, footers,
bookmarks and the source map untouched) whose body shows, as Word tracked
changes by one author on one date, every word, paragraph, table row and run
format that differs from OLD. Paragraphs are matched by source id where both
documents were built by briefing, otherwise by content.
"""

from __future__ import annotations

import copy
import getpass
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import BriefingError
from briefing.ooxml.build_xml import replace_body
from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import Census, refuse_pending_changes
from briefing.ooxml.sourcemap import read_source_map, record_redliner
from briefing.ooxml.styles import numbering_ids, style_ids
from briefing.ooxml.track.blocks import document_body, story_part_pairs
from briefing.ooxml.track.diff import BodyDiffer, replace_blocks
from briefing.ooxml.track.inline import Builder
from briefing.ooxml.track.noise import normalise_pair
from briefing.ooxml.track.notes import NoteCarrier
from briefing.ooxml.track.rehome import (
    Rehomer,
    drawing_ids,
    fresh_drawing_ids,
    refers_to_notes,
)
from briefing.ooxml.track.revids import Stamper, max_used_id
from briefing.paths import atomic_write_bytes, check_output
from briefing.results import Message, Result, plural

if TYPE_CHECKING:
    from lxml import etree

DEFAULT_AUTHOR = "briefing"


def default_author() -> str:
    """Return the login name of the person running the command, or 'briefing'."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return DEFAULT_AUTHOR
    return name if name and name != "root" else DEFAULT_AUTHOR


def revision_date(text: str | None = None) -> str:
    """Return `text` (ISO 8601, any offset; naive means UTC) or now as YYYY-MM-DDTHH:MM:SSZ."""
    if text is None:
        moment = datetime.now(UTC)
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise BriefingError(
                f"--date: {text!r} is not an ISO 8601 date "
                "(for example 2026-03-01 or 2026-03-01T09:30:00Z)"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def redline_bytes(old_path: str | Path, new_docx: bytes | str | Path, *,
                  author: str | None = None, date: str | None = None) -> bytes:
    """Return NEW's package bytes with tracked changes against the document at `old_path`."""
    return redline_result(old_path, new_docx, author=author, date=date).value


def redline_result(old_path: str | Path, new_docx: bytes | str | Path, *,
                   author: str | None = None, date: str | None = None,
                   new_label: str = "the new draft") -> Result[bytes]:
    """Return the redlined package bytes plus a summary and any warnings."""
    old = Package.open(old_path)
    new = _open_new(new_docx, new_label)
    refuse_pending(old)
    refuse_pending(new)
    stamper = Stamper(author or default_author(), revision_date(date), max_used_id(new) + 1)
    messages = _redline_packages(old, new, stamper)
    record_redliner(new, stamper.author)  # absorb must not take it for a member's review
    new.check_sound()  # a damaged NEW must not be passed on as a damaged output
    messages.extend(Message("warning", note) for note in new.notes)
    return Result(new.to_bytes(), messages)


def redline_files(old: Path, new: Path, out: Path, author: str | None = None,
                  date: str | None = None, force: bool = False) -> Result[Path]:
    """Write OUT: NEW with tracked changes against OLD; return OUT and the summary."""
    old, new, out = Path(old), Path(new), Path(out)
    check_output(out, [old, new], force=force, suffixes=None,
                 is_input="is an input; redline never changes its inputs, choose another -o")
    result = redline_result(old, new, author=author, date=date)
    atomic_write_bytes(out, result.value)
    return Result(out, result.messages)


def refuse_pending(pkg: Package) -> None:
    """Raise PendingRevisions when `pkg` already holds tracked changes or comments."""

    def message(found: Census) -> str:
        drop = " --drop-comments" if found.comments else ""
        return (f"{pkg.path}: holds {found.describe()}; a redline would flatten them. "
                f"Accept or reject them first (briefing accept {pkg.path} -o CLEAN.docx{drop}) "
                "and redline the clean copy")

    refuse_pending_changes(pkg, message, comments=True)


def _open_new(new_docx: bytes | str | Path, label: str) -> Package:
    """Return NEW: a file, or a build held in memory (`label` names it in messages)."""
    if isinstance(new_docx, bytes):
        return Package.from_bytes(new_docx, label)
    return Package.open(new_docx)


def _redline_packages(old: Package, new: Package, stamper: Stamper) -> list[Message]:
    """Rewrite NEW's body in place with tracked changes; return the messages to show."""
    normalise_pair(old, new)  # what an editor wrote on its own is not a change
    old_body = document_body(old)
    new_body = document_body(new)
    use_ids = read_source_map(old) is not None and read_source_map(new) is not None
    pairs = story_part_pairs(old, new)  # OLD's header or footer part, NEW's
    builder = Builder(stamper, keep_pstyles=style_ids(new), keep_num_ids=numbering_ids(new),
                      carry=_carrier(old, new, pairs))
    differ = BodyDiffer(builder, use_ids)
    for source, target in pairs:  # each header and footer against its counterpart
        root = new.xml(target)
        replace_blocks(root, differ.container(old.xml(source), root))
    replace_body(new.xml(new.main_name), differ.container(old_body, new_body))
    return _messages(stamper, builder, differ, use_ids)


def _carrier(old: Package, new: Package, pairs: list[tuple[str, str]]
             ) -> Callable[[etree._Element], etree._Element | None]:
    """Return how an element NEW deleted that is bound to OLD's package is carried into NEW:
    a note reference with its note, a picture or link of the body or of a header or footer
    (`pairs`: OLD's header and footer parts with NEW's) with what it points at."""
    notes = NoteCarrier(old, new)
    ids = drawing_ids(new)
    rehomers = {old.xml(source): Rehomer(old, source, new, target, dict(pairs))
                for source, target in [(old.main_name, new.main_name), *pairs]}

    def carry(el: etree._Element) -> etree._Element | None:
        if refers_to_notes(el):
            return notes.carry(el)
        rehomer = rehomers.get(el.getroottree().getroot())
        out = copy.deepcopy(el)
        if rehomer is None or not rehomer.rehome(out):
            return None
        fresh_drawing_ids([out], ids)
        return out

    return carry


def _messages(stamper: Stamper, builder: Builder, differ: BodyDiffer,
              use_ids: bool) -> list[Message]:
    c = stamper.counts
    inserted = c["insert"] + c["paragraph-insert"] + c["row-insert"]
    deleted = c["delete"] + c["paragraph-delete"] + c["row-delete"]
    formats = c["format"] + c["paragraph-format"]
    how = "matched by source id" if use_ids else "matched by content"
    if not (inserted or deleted or formats):
        other = " other" if builder.dropped_objects else ""
        summary = f"no{other} differences found ({how})"
    else:
        counts = ", ".join(plural(n, word) for n, word in (
            (inserted, "insertion"), (deleted, "deletion"), (formats, "formatting change")))
        summary = f"{counts} by {stamper.author} ({how})"
    out = [Message("info", summary)]
    if builder.dropped_objects:
        out.append(Message("warning", f"{builder.dropped_objects} deleted picture(s), object(s) "
                           "or note reference(s) could not be shown as deletions and are left "
                           "out: rejecting every change will not bring them back"))
    if differ.dropped_blocks:
        out.append(Message("warning", f"{differ.dropped_blocks} deleted block(s) such as content "
                           "controls could not be shown as deletions and were left out"))
    if differ.untracked_blocks:
        out.append(Message("warning", f"{differ.untracked_blocks} new block(s) such as content "
                           "controls are included without tracking"))
    return out
