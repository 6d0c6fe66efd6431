"""Relationships carried with elements from one package into another (ECMA-376 Part 2, 9.3).

An element taken from a member's copy into the combined draft, or from OLD
into a redline, may point at its own package's relationships: a picture's
`r:embed`, a link's `r:id`, an embedded object's data. In the document it
joins, those ids mean another part or nothing, so each is carried: an external
address is related again; a part is related again when the target holds the
same bytes (under its name or another: Word renames pictures when it saves)
and otherwise copied in under a name the target does not use, with its content
type. A header or footer points at its counterpart in the target (its changes
travel as changes of that part). A part with relationships of its own (a chart
and its workbook, say) is not carried, and neither is the element.

A picture brought in gets a drawing id (`wp:docPr/@id`) the target does not
use (`fresh_drawing_ids`): Word wants each drawing's id unique in its document.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from lxml import etree

from briefing.ooxml import tree
from briefing.ooxml.ns import R, qn
from briefing.ooxml.package import Package, Rel, rels_name

RUN, HYPERLINK = qn("w:r"), qn("w:hyperlink")
# notes and comments are found by id, not by relationship: their references are carried by
# what carries the notes and comments themselves
NOTE_REFERENCES = frozenset(qn(f"w:{t}") for t in (
    "footnoteReference", "endnoteReference", "commentReference"))
STORIES = frozenset({"header", "footer"})
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_R_PREFIX = f"{{{R}}}"


def drawing_ids(pkg: Package) -> Iterator[int]:
    """Return drawing ids (`wp:docPr/@id`) above every one `pkg` uses, one after another."""
    used = [int(el.get("id", "")) for part in pkg.story_parts()
            for el in pkg.xml(part).iter(WP_DOCPR) if el.get("id", "").isdigit()]
    n = max(used, default=0)
    while True:
        n += 1
        yield n


class Rehomer:
    """Points elements of part `source_part` of `source` at `target`'s part `target_part`
    (see the module docstring); one per pair of parts, so a part is carried once."""

    def __init__(self, source: Package, source_part: str, target: Package, target_part: str,
                 stories: dict[str, str] | None = None) -> None:
        self.source, self.target = source, target
        self.source_part, self.target_part = source_part, target_part
        self._rels = {rel.id: rel for rel in source.rels(source_part)}
        self._carried: dict[str, str] = {}  # source id -> target id
        self._stories = stories or {}  # the source's header or footer -> the target's

    def rehome(self, unit: etree._Element, nodes: list[etree._Element] | None = None) -> bool:
        """Point the relationship ids in `unit` (in place; only those of `nodes` when given)
        at the target's; return False, nothing changed, when one of them cannot be carried."""
        nodes = [n for n in unit.iter() if points_at_relationships(n)] if nodes is None else nodes
        found = [(node, key, value) for node in nodes for key, value in tree.attributes(node)
                 if key.startswith(_R_PREFIX)]
        ids = {value: self._carry(value) for _, _, value in found}
        if None in ids.values():
            return False
        for node, key, value in found:
            node.set(key, ids[value] or "")
        return True

    def _carry(self, rel_id: str) -> str | None:
        """Return the target's id for the source's relationship `rel_id`, relating (and
        copying) what it points at; None when it cannot be carried."""
        if rel_id in self._carried:
            return self._carried[rel_id]
        rel = self._rels.get(rel_id)
        if rel is None:
            return None
        new_id: str | None
        if rel.external:
            new_id = self.target.relate(self.target_part, rel.target, rel.type, external=True)
        elif rel.kind in STORIES:  # the target's counterpart: its changes travel on their own
            ours = self._stories.get(rel.target)
            new_id = None if ours is None else self._related(ours, rel.type)
        else:
            name = self._part(rel)
            new_id = None if name is None else (
                self._related(name, rel.type)
                or self.target.relate(self.target_part, name, rel.type))
        if new_id is None:
            return None
        self._carried[rel_id] = new_id
        return new_id

    def _related(self, name: str, rel_type: str) -> str | None:
        """Return the id by which the target part relates part `name` as `rel_type`, if any."""
        return next((r.id for r in self.target.rels(self.target_part)
                     if r.target == name and r.type == rel_type and not r.external), None)

    def _part(self, rel: Rel) -> str | None:
        """Return the target's name for the part `rel` points at, copied in when the target
        does not hold it; None when it is missing or has relationships of its own."""
        source, target = self.source, self.target
        if rel.target not in source.parts or rels_name(rel.target) in source.parts:
            return None
        data = source.part_bytes(rel.target)
        if rel.target in target.parts and target.part_bytes(rel.target) == data:
            return rel.target
        same = next((n for n in target.parts if not n.endswith((".xml", ".rels"))
                     and target.parts[n] == data), None)
        if same is not None:  # the same picture saved under another name
            return same
        name = rel.target
        stem, ext = posixpath.splitext(name)
        n = 1
        while name in target.parts:
            name = f"{stem}-{n}{ext}"
            n += 1
        target.set_bytes(name, data)
        ctype = source.content_type(rel.target)
        if ctype is not None and target.content_type(name) != ctype:
            target.set_override(name, ctype)
        return name


def units(blocks: list[etree._Element]) -> dict[etree._Element, list[etree._Element]]:
    """Return what points at relationships in `blocks`: each run holding such elements (a
    link, or an element outside runs, on its own) -> those elements."""
    out: dict[etree._Element, list[etree._Element]] = {}
    for block in blocks:
        for node in block.iter():
            if not points_at_relationships(node):
                continue
            run = None if node.tag == HYPERLINK else next(node.iterancestors(RUN), None)
            out.setdefault(node if run is None else run, []).append(node)
    return out


def rehome_blocks(rehomer: Rehomer, blocks: list[etree._Element]) -> int:
    """Point the relationship ids in `blocks` at the target's (see Rehomer); return how many
    runs (or links) could not be carried: they are left as they are."""
    return sum(not rehomer.rehome(unit, nodes) for unit, nodes in units(blocks).items())


def leave_out_dangling(blocks: list[etree._Element], pkg: Package, part: str) -> int:
    """Leave out of `blocks` each run whose relationship ids part `part` of `pkg` does not
    have (a link keeps its text); return how many."""
    known = {rel.id for rel in pkg.rels(part)}
    left_out = 0
    for unit, nodes in units(blocks).items():
        if all(value in known for node in nodes for key, value in tree.attributes(node)
               if key.startswith(_R_PREFIX)):
            continue
        left_out += 1
        parent = tree.parent(unit)
        if unit.tag == HYPERLINK:
            at = parent.index(unit)
            parent[at:at + 1] = list(unit)
        else:
            parent.remove(unit)
    return left_out


def fresh_drawing_ids(elements: list[etree._Element], ids: Iterator[int]) -> None:
    """Give every picture in `elements` the next drawing id of `ids`."""
    for el in elements:
        for doc_pr in el.iter(WP_DOCPR):
            doc_pr.set("id", str(next(ids)))


def refers_to_notes(el: etree._Element) -> bool:
    """Return True when `el` holds a reference to a note or a comment."""
    return any(node.tag in NOTE_REFERENCES for node in el.iter())


def points_at_relationships(node: etree._Element) -> bool:
    """Return True when `node` has an attribute in the relationships namespace."""
    return isinstance(node.tag, str) and any(key.startswith(_R_PREFIX)
                                             for key, _ in tree.attributes(node))


__all__ = ["Rehomer", "drawing_ids", "fresh_drawing_ids", "leave_out_dangling",
           "points_at_relationships", "refers_to_notes", "rehome_blocks", "units"]
