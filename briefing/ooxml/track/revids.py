"""Revision stamps: package-wide ids, author and date for every tracked change we write.

ECMA-376 Part 1, 17.13.1: every revision element (`w:ins`, `w:del`, `w:rPrChange`,
...) carries `w:id`, unique among the annotations of the whole document. We
take ids above every `w:id` already used in any story part (body, headers,
footers, notes, comments), so nothing we add can collide with a bookmark,
comment or earlier revision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import cast

from lxml import etree

from briefing.ooxml.ns import W, qn
from briefing.ooxml.package import Package

W_ID = qn("w:id")
W_AUTHOR = qn("w:author")
W_DATE = qn("w:date")

_ALL_IDS = etree.XPath("//@w:id", namespaces={"w": W})


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
        for value in cast(list[str], _ALL_IDS(pkg.xml(part))):
            if value.isdigit():
                top = max(top, int(value))
    return top
