"""The Clearance page's record of whom a draft went to: its form, and the form's checks.

The form is drawn by the editor's own field macro (label, hint, error message at
the field, error summary on top: the GOV.UK Design System's patterns); what it
records is kept in the round's state (`clearance.record_sent`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from briefing.web.forms import Field, Posted

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NAMES = re.compile(r"[\n;]+")


def fields(drafts: list[dict[str, Any]], chosen: str = "", posted: Posted | None = None,
           today: dt.date | None = None) -> list[Field]:
    """Return the form's fields, filled from `posted` if given, else for draft `chosen`."""
    files = [d["file"] for d in drafts]
    typed = posted.get if posted is not None else (lambda _name: None)
    pick = typed("sent.draft") or (chosen if chosen in files else files[-1] if files else "")
    when = typed("sent.date")
    if when is None:
        when = (today or dt.date.today()).isoformat()
    return [
        Field("select", "sent.draft", "Draft sent", value=pick, required=True,
              options=[(d["file"], f"{d['file']} (version {d['version']})") for d in drafts]),
        Field("textarea", "sent.members", "Members it went to", required=True,
              hint="One name per line, as each member is to be named on the copy they "
                   "send back",
              value=typed("sent.members") or ""),
        Field("date" if not when or _ISO_DATE.match(when) else "text", "sent.date",
              "Date sent", hint="For example, 2026-03-01", required=True, value=when),
        Field("text", "sent.note", "Note", value=typed("sent.note") or "",
              hint="For example: by email, with the covering note"),
    ]


def read(posted: Posted, drafts: list[dict[str, Any]],
         today: dt.date | None = None) -> tuple[dict[str, Any] | None, list[Field]]:
    """Return what the posted form records (None when it has problems) and its fields,
    each problem at its field."""
    form = fields(drafts, posted=posted, today=today)
    draft, members, when, note = form
    versions = {d["file"]: d["version"] for d in drafts}
    names = [n.strip() for n in _NAMES.split(members.value) if n.strip()]
    if draft.value not in versions:
        draft.error = "Select the draft you sent"
    if not names:
        members.error = "Enter the name of at least one member the draft went to"
    when.error = _date_problem(when.value.strip(), today or dt.date.today())
    if any(f.error for f in form):
        return None, form
    return {"file": draft.value, "version": versions[draft.value], "members": names,
            "note": " ".join(note.value.split()), "when": when.value.strip()}, form


def problems(form: list[Field]) -> list[dict[str, str]]:
    """Return the error summary's entries: each field's message, linked to the field."""
    return [{"text": f.error, "href": f"#{f.id}"} for f in form if f.error]


def _date_problem(typed: str, today: dt.date) -> str | None:
    if not typed:
        return "Enter the date the draft was sent"
    try:
        when = dt.date.fromisoformat(typed) if _ISO_DATE.match(typed) else None
    except ValueError:
        when = None
    if when is None:
        return "Date sent must be a real date, for example 2026-03-01"
    if when > today:
        return "Date sent must be today or in the past"
    return None
