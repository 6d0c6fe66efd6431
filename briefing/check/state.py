"""Clearance-state and hidden-data rules (S01, S02, H01)."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.check.findings import ERROR, WARNING, Finding, _at, _quote, briefing_info
from briefing.ooxml.read.inspect import DocView
from briefing.results import plural

# --- clearance state ------------------------------------------------------------


def check_state(view: DocView) -> Iterator[Finding]:
    """S01 and S02: no tracked changes or comments left in a cleared or final briefing."""
    status = briefing_info(view).get("status")
    if status not in ("cleared", "final"):
        return
    if view.revisions:
        yield _at("S01-tracked-changes", f"{plural(view.revisions, 'tracked change')} left in a "
                                         f"briefing whose status is {status}; accept or reject "
                                         "them (briefing accept / reject)")
    if view.comments:
        yield _at("S02-comments", f"{plural(view.comments, 'comment')} left in a briefing whose "
                                  f"status is {status}; resolve and delete them")


# --- hidden data -----------------------------------------------------------------


def check_hidden(view: DocView) -> Iterator[Finding]:
    """H01: what the file carries that its pages do not show; an error once a briefing is final.

    In our own briefings tracked changes and comments are the clearance
    rules' (S01, S02): expected before clearance, errors after it. Here they
    are reported for documents that record no status (ours or not).
    """
    status = briefing_info(view).get("status")
    severity = ERROR if status == "final" else WARNING
    hidden = view.hidden
    found = []
    if hidden.embedded:
        found.append("it embeds the briefing's data (what absorb reads)")
    if status is None and view.revisions:
        found.append(f"{plural(view.revisions, 'tracked change')}")
    if status is None and view.comments:
        found.append(f"{plural(view.comments, 'comment')}")
    if hidden.hidden_text:
        found.append(f"{plural(len(hidden.hidden_text), 'hidden run')} of text "
                     f"({_quote(hidden.hidden_text[0], 40)})")
    if hidden.personal:
        found.append("personal properties (" + ", ".join(
            f"{label} {_quote(value, 40)}" for label, value in hidden.personal) + ")")
    if found:
        yield Finding("H01-hidden-data", severity,
                      "the file carries what its pages do not show: " + "; ".join(found)
                      + "; send `briefing release` copies outside the clearance circle")
