"""Footnotes and endnotes a redline carries from OLD: a note reference NEW deleted.

A deleted footnote reference is shown as a deleted run, so rejecting the
change brings the reference back; the reference must point at a note of
NEW's package, so the note OLD held is copied into NEW's notes part (made
from OLD's when NEW has none) under an id NEW does not use. A note whose
content points at other parts (pictures, links) cannot be carried this way
and the reference is left out, as before, with a warning.
"""

from __future__ import annotations

import copy

from lxml import etree

from briefing.ooxml.ns import qn
from briefing.ooxml.package import Package
from briefing.ooxml.track.rehome import points_at_relationships

_REFERENCES = {qn("w:footnoteReference"): ("footnotes", qn("w:footnote")),
               qn("w:endnoteReference"): ("endnotes", qn("w:endnote"))}
W_ID, W_TYPE = qn("w:id"), qn("w:type")


class NoteCarrier:
    """Copies the notes of OLD's deleted references into NEW (see the module docstring)."""

    def __init__(self, old: Package, new: Package) -> None:
        self.old, self.new = old, new

    def carry(self, ref: etree._Element) -> etree._Element | None:
        """Return a copy of OLD's note reference `ref` pointing at its note copied into NEW,
        or None when the note cannot be carried."""
        kind, note_tag = _REFERENCES.get(ref.tag, (None, None))
        old_part = self.old.related_part(kind) if kind else None
        if kind is None or note_tag is None or old_part is None:
            return None
        note = next((n for n in self.old.xml(old_part).iter(note_tag)
                     if n.get(W_ID) == ref.get(W_ID) and n.get(W_TYPE) is None), None)
        if note is None or _points_outside(note):
            return None
        root = self._notes_root(kind, old_part, note_tag)
        if root is None:
            return None
        ids = (n.get(W_ID, "") for n in root.iter(note_tag))
        taken = [int(i) for i in ids if i.lstrip("-").isdigit()]
        note = copy.deepcopy(note)
        note.set(W_ID, str(max(taken, default=0) + 1))
        root.append(note)
        out = copy.deepcopy(ref)
        out.set(W_ID, note.get(W_ID, ""))
        return out

    def _notes_root(self, kind: str, old_part: str, note_tag: str) -> etree._Element | None:
        """Return NEW's notes part of `kind`, made from OLD's separators when NEW has none."""
        part = self.new.related_part(kind)
        if part is not None:
            return self.new.xml(part)
        rel = self.old.relationship(kind)
        ctype = self.old.content_type(old_part)
        if rel is None or ctype is None or old_part in self.new.parts:
            return None
        root = copy.deepcopy(self.old.xml(old_part))
        for note in list(root.iter(note_tag)):
            if note.get(W_TYPE) is None or _points_outside(note):  # keep the separators only
                root.remove(note)
        main = self.new.main_name
        self.new.add_part(main, old_part, b"", rel.type, ctype)
        self.new.set_xml(old_part, root)
        return root


def _points_outside(note: etree._Element) -> bool:
    """Return True when `note` refers to a relationship (a picture, a link) of its part."""
    return any(points_at_relationships(el) for el in note.iter())
