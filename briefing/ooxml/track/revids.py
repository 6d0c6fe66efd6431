"""Revision stamps (package-wide ids, author, date) and a census of revisions already present.

ECMA-376 Part 1, 17.13.1: every revision element (`w:ins`, `w:del`, `w:rPrChange`,
...) carries `w:id`, unique among the annotations of the whole document. We
take ids above every `w:id` already used in any story part (body, headers,
footers, notes, comments), so nothing we add can collide with a bookmark,
comment or earlier revision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml.ns import W, qn
from briefing.ooxml.package import Package
from briefing.results import plural

W_ID = qn("w:id")
W_AUTHOR = qn("w:author")
W_DATE = qn("w:date")

#: Elements that are tracked changes (ECMA-376 Part 1, 17.13.5).
REVISION_TAGS = frozenset(qn(f"w:{t}") for t in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
    "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "tblPrExChange",
    "cellIns", "cellDel", "cellMerge", "numberingChange",
))
_COMMENT = qn("w:comment")
_COMMENT_REF = qn("w:commentReference")
_ALL_IDS = etree.XPath("//@w:id", namespaces={"w": W})
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


@dataclass
class Stamper:
    """Hands out revision attributes: a fresh package-wide id, the author and the date."""

    author: str
    date: str
    next_id: int = 1
    counts: Counter = field(default_factory=Counter)

    def stamp(self, el: etree._Element, kind: str | None = None) -> etree._Element:
        """Return `el` with w:id, w:author and w:date set; count it under `kind`."""
        el.set(W_ID, str(self.next_id))
        el.set(W_AUTHOR, self.author)
        el.set(W_DATE, self.date)
        self.next_id += 1
        self.counts[kind or etree.QName(el).localname] += 1
        return el

    def make(self, tag: str, kind: str | None = None) -> etree._Element:
        """Return a new stamped element `tag` (a prefixed name such as 'w:ins')."""
        return self.stamp(etree.Element(qn(tag)), kind)


def max_used_id(pkg: Package) -> int:
    """Return the largest integer `w:id` used anywhere in the package's story parts."""
    top = 0
    for part in pkg.story_parts():
        for value in _ALL_IDS(pkg.xml(part)):
            if value.isdigit():
                top = max(top, int(value))
    return top


@dataclass(frozen=True)
class Census:
    """How many tracked changes and comments a document already holds."""

    revisions: int
    comments: int

    @property
    def clean(self) -> bool:
        """Return True when the document holds neither revisions nor comments."""
        return not self.revisions and not self.comments

    def describe(self) -> str:
        """Return e.g. '3 tracked changes and 1 comment'."""
        parts = []
        if self.revisions:
            parts.append(plural(self.revisions, "tracked change"))
        if self.comments:
            parts.append(plural(self.comments, "comment"))
        return " and ".join(parts)



def census(pkg: Package) -> Census:
    """Return the number of tracked changes and comments held by the package's stories."""
    revisions = 0
    refs = 0
    comment_parts = []
    for part in pkg.story_parts():
        root = pkg.xml(part)
        if root.tag == qn("w:comments"):
            comment_parts.append(root)
            continue
        for el in root.iter(*REVISION_TAGS, _COMMENT_REF):
            if el.tag == _COMMENT_REF:
                refs += 1
            else:
                revisions += 1
    comments = sum(1 for root in comment_parts for _ in root.iter(_COMMENT))
    return Census(revisions, max(comments, refs))


__all__ = ["REVISION_TAGS", "Census", "Stamper", "W", "census", "max_used_id"]
