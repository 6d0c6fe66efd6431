"""The revision vocabulary and the one census of changes still pending in a package.

Vocabulary (ECMA-376 Part 1, 17.13.5): which elements are tracked changes and
what kind of change each records, in the words of `review --json`. Reading
(revisions), resolving (accept/reject), stamping (revision ids) and counting
all take their tag sets from here.

Census: how many tracked changes (by kind and by author) and comments a
package holds. Every command that must refuse a document with changes still
pending (redline, absorb) counts them with `census` and refuses through
`refuse_pending_changes`; check reports the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from briefing.errors import PendingRevisions
from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.read.text import fallback_copies
from briefing.results import plural

INS, DEL, MOVE_FROM, MOVE_TO = (qn(t) for t in ("w:ins", "w:del", "w:moveFrom", "w:moveTo"))
MOVE_FROM_START, MOVE_FROM_END, MOVE_TO_START, MOVE_TO_END = (qn(t) for t in (
    "w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd"))

#: Run content inserted, deleted or moved (17.13.5.18, .14, .22, .25).
CONTENT_CHANGES = {INS: "insert", DEL: "delete", MOVE_FROM: "move-from", MOVE_TO: "move-to"}
#: The same four elements on a paragraph mark (`w:pPr/w:rPr`, 17.13.5.15 ff.).
MARK_CHANGES = {INS: "paragraph-insert", DEL: "paragraph-delete",
                MOVE_FROM: "paragraph-move-from", MOVE_TO: "paragraph-move-to"}
#: Table rows inserted or deleted (`w:trPr/w:ins|w:del`).
ROW_CHANGES = {INS: "row-insert", DEL: "row-delete"}
#: Property changes, cell changes and numbering changes.
PROPERTY_CHANGES = {qn(f"w:{local}"): kind for local, kind in (
    ("rPrChange", "format"), ("pPrChange", "paragraph-format"),
    ("sectPrChange", "section-format"), ("tblPrChange", "table-format"),
    ("trPrChange", "table-format"), ("tcPrChange", "table-format"),
    ("tblGridChange", "table-format"), ("tblPrExChange", "table-format"),
    ("cellIns", "cell-insert"), ("cellDel", "cell-delete"), ("cellMerge", "cell-merge"),
    ("numberingChange", "numbering"),
)}
#: Every element that records one tracked change: what the census counts.
TRACKED_CHANGES = frozenset(CONTENT_CHANGES) | frozenset(PROPERTY_CHANGES)
#: Range markers of moves and custom XML changes: no change of their own.
RANGE_MARKERS = frozenset({MOVE_FROM_START, MOVE_FROM_END, MOVE_TO_START, MOVE_TO_END} | {
    qn(f"w:customXml{kind}Range{end}")
    for kind in ("Ins", "Del", "MoveFrom", "MoveTo") for end in ("Start", "End")})
#: Every element that is revision markup (what accept/reject-all leaves none of).
REVISION_TAGS = TRACKED_CHANGES | RANGE_MARKERS

_COMMENT, _COMMENT_REF, _COMMENTS = qn("w:comment"), qn("w:commentReference"), qn("w:comments")
_AUTHOR = qn("w:author")


def has_revision_markup(root: etree._Element) -> bool:
    """Return True when any revision markup is left under `root`."""
    return any(el.tag in REVISION_TAGS for el in root.iter())


@dataclass(frozen=True)
class Census:
    """The tracked changes left in a package (per kind and per author) and its comments."""

    kinds: Counter[str]  # local name of the change element ('ins', 'rPrChange', ...) -> count
    authors: Counter[str]  # author ('unknown' when unnamed) -> count
    comments: int = 0

    @property
    def total(self) -> int:
        """Return how many tracked changes remain."""
        return sum(self.kinds.values())

    def describe(self) -> str:
        """Return e.g. '3 tracked changes and 1 comment'."""
        parts = []
        if self.total:
            parts.append(plural(self.total, "tracked change"))
        if self.comments:
            parts.append(plural(self.comments, "comment"))
        return " and ".join(parts)


def census(pkg: Package) -> Census:
    """Return the tracked changes and comments held by the package's stories.

    Changes are counted in the body, headers, footers and notes, each once
    (not again in an mc:Fallback copy); a change inside a comment goes with
    its comment. Comments are counted as the larger
    of the comments stored and the comment references in the stories, so a
    reference whose comment part was lost still counts.
    """
    kinds: Counter[str] = Counter()
    authors: Counter[str] = Counter()
    stored = refs = 0
    for part in pkg.story_parts():
        root = pkg.xml(part)
        if root.tag == _COMMENTS:
            stored += sum(1 for _ in root.iter(_COMMENT))
            continue
        copies = fallback_copies(root)
        for el in root.iter(*TRACKED_CHANGES, _COMMENT_REF):
            if el in copies:
                continue
            if el.tag == _COMMENT_REF:
                refs += 1
                continue
            kinds[etree.QName(el).localname] += 1
            authors[el.get(_AUTHOR) or "unknown"] += 1
    return Census(kinds, authors, max(stored, refs))


def refuse_pending_changes(pkg: Package, message: Callable[[Census], str], *,
                   comments: bool = False) -> None:
    """Raise PendingRevisions (saying `message(census)`) when tracked changes remain in `pkg`.

    With `comments`, comments left in the package are refused too.
    """
    found = census(pkg)
    if found.total or (comments and found.comments):
        raise PendingRevisions(message(found))
