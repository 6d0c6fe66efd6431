"""The "Import minutes" page: minutes pasted or uploaded become proposed member comments.

Uploads (.docx, .html, .htm, .txt; at most 10 MB, capped before they are read)
are written to a private temporary folder under a fixed name and read only by
`briefing.source.minutes` (a .docx through the same hostile-package guards as
every document); nothing in them is run or opened by anything else. The
officer ticks the points to keep and the key messages each relates to; the
kept ones are appended to `member_comments` through the in-place editor.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.web import store
from briefing.web.forms import Posted
from briefing.web.security import Upload

SUFFIXES = (".docx", ".html", ".htm", ".txt")


def read_upload(upload: Upload) -> Any:
    """Return the Minutes in an uploaded file; refuse kinds of file we do not read."""
    from briefing.source.minutes import read_minutes

    suffix = Path(upload.filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise BriefingError("The minutes must be a .docx, .html or .txt file")
    with tempfile.TemporaryDirectory(prefix="briefing-minutes-") as folder:
        path = Path(folder) / f"minutes{suffix}"
        path.write_bytes(upload.data)
        minutes = read_minutes(path)
    return minutes


def proposals_view(minutes, board: str, meeting_date: str, item: str) -> dict[str, Any]:
    """Return what the choosing step shows: the heading's values (or the officer's), points."""
    return {"board": board or minutes.board or "",
            "meeting_date": meeting_date or (minutes.meeting_date.isoformat()
                                             if minutes.meeting_date else ""),
            "item": item or minutes.item or "", "points": list(minutes.points)}


def chosen_comments(posted: Posted, data: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """Return the member comments the officer kept, and an error message ('' when none)."""
    from briefing.source.minutes import Proposal, comment_entries

    board = (posted.get("board") or "").strip()
    typed_date = (posted.get("meeting_date") or "").strip()
    item = (posted.get("item") or "").strip() or None
    try:
        meeting_date = dt.date.fromisoformat(typed_date) if typed_date else None
    except ValueError:
        return [], "Enter the meeting date as a date, like 2016-06-16"
    if not board:
        return [], "Enter the board whose minutes these are"
    if meeting_date is None:
        return [], "Enter the date of the meeting"
    count = int(posted.get("count") or "0") if (posted.get("count") or "").isdigit() else 0
    kept = [i for i in range(count) if posted.get(f"keep.{i}") is not None]
    if not kept:
        return [], "Tick at least one point to add"
    taken = {c["id"] for c in data.get("member_comments") or []
             if isinstance(c, dict) and isinstance(c.get("id"), str)}
    proposals = [Proposal(posted.get(f"text.{i}") or "", board, meeting_date, item) for i in kept]
    entries = comment_entries(proposals, taken)
    for entry, i in zip(entries, kept):
        entry["relates_to"] = list(dict.fromkeys(posted.lists.get(f"relates_to.{i}", [])))
    return entries, ""


def with_comments(data: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a copy of `data` with `entries` appended to its member comments."""
    new = copy.deepcopy(data)
    comments = new.get("member_comments")
    new["member_comments"] = (comments if isinstance(comments, list) else []) + entries
    return new


def save_comments(path: Path, name: str, base: str, data: dict[str, Any],
                  entries: list[dict[str, Any]]) -> store.Snapshot:
    """Append `entries` to the briefing's member comments in place; Stale if it moved on."""
    return store.save(path, name, base, with_comments(data, entries))
