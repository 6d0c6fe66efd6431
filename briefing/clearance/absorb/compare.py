"""Compare the fresh build with the cleared document: paragraphs paired, then field changes.

The fresh build's paragraphs and the cleared document's are aligned in order:
equal texts first, then the edited ones by similarity (a paragraph that still
carries its field's bookmark scores higher), then what is left of a replaced
stretch, n out and n in, as n rewrites. Bookmarks are only a hint, so an
edited paragraph maps to its field even when an editor lost the bookmark.
Each difference becomes a field change (a changed field, a list item added or
deleted) or a "not absorbed" warning located by paragraph and heading.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from briefing.align import best_pairs, stitch, walk
from briefing.clearance.absorb.fresh import FreshParagraph
from briefing.clearance.absorb.items import SHOW, ItemChange, find_deleted, new_item, owner
from briefing.ooxml.read.doctext import DocParagraph
from briefing.ooxml.sourcemap import bookmark_name
from briefing.results import Message, short
from briefing.sourceid import FieldPath, format_path, get_value

MATCH_THRESHOLD = 0.5  # similarity above which two paragraphs are "the same one, edited"
HINT_BONUS = 0.5  # added when the cleared paragraph still carries the field's bookmark
MAX_FUZZY_CELLS = 250_000  # above this, a replaced stretch pairs by bookmark only


@dataclass(frozen=True)
class Step:
    """One step of the alignment: a fresh paragraph, a cleared one, or both when paired."""

    fresh: FreshParagraph | None
    doc: DocParagraph | None


@dataclass
class ListEdit:
    """What the document did to one list of text: items replaced, deleted, inserted."""

    replaced: dict[int, str] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    inserted: dict[int, list[str]] = field(default_factory=dict)  # after index (-1: at start)

    def apply(self, items: list[str]) -> list[str]:
        """Return `items` with this edit applied."""
        out = list(self.inserted.get(-1, []))
        for i, value in enumerate(items):
            if i not in self.deleted:
                out.append(self.replaced.get(i, value))
            out.extend(self.inserted.get(i, []))
        return out


@dataclass(frozen=True)
class Change:
    """A field the document changed: its path, the built value and the document's value."""

    path: FieldPath
    base: Any
    new: Any


@dataclass
class Absorbed:
    """What a cleared document says: field changes and warnings about what cannot be absorbed."""

    changes: list[Change] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)  # whole items added or deleted


# --- alignment --------------------------------------------------------------------------


def align(fresh: list[FreshParagraph], doc: list[DocParagraph]) -> list[Step]:
    """Return the fresh and cleared paragraphs paired in document order (None: no partner)."""
    return stitch([f.text for f in fresh], [d.text for d in doc],
                  lambda i1, i2, j1, j2: _pair_block(fresh[i1:i2], doc[j1:j2]),
                  lambda i, j: Step(fresh[i], doc[j]))


def _hint(f: FreshParagraph, d: DocParagraph) -> float:
    """Return HINT_BONUS when `d` still carries the bookmark of one of `f`'s source ids."""
    return HINT_BONUS if any(bookmark_name(s) in d.bookmarks for s in f.source_ids) else 0.0


def _score(f: FreshParagraph, d: DocParagraph) -> float:
    """Return how surely `d` is `f` edited (similarity plus hint), 0 below MATCH_THRESHOLD."""
    hint = _hint(f, d)
    a, b = f.text, d.text
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if not hint and sm.real_quick_ratio() < MATCH_THRESHOLD:
        return 0.0
    words = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    score = max(sm.ratio(), words) + hint
    return score if score >= MATCH_THRESHOLD else 0.0


def _pair_block(fresh: list[FreshParagraph], doc: list[DocParagraph]) -> list[Step]:
    """Return the best order-keeping pairing of a replaced stretch, rewrites paired in place.

    Beyond MAX_FUZZY_CELLS a stretch pairs by bookmark only, with a bounded look-ahead.
    """
    n, m = len(fresh), len(doc)
    if n * m > MAX_FUZZY_CELLS:
        def score(i: int, j: int) -> float:
            return _hint(fresh[i], doc[j])
    else:
        def score(i: int, j: int) -> float:
            return _score(fresh[i], doc[j])
    pairs = best_pairs(n, m, score, limit=MAX_FUZZY_CELLS)
    return _pair_rewritten(_steps(fresh, doc, pairs))


def _steps(fresh: list[FreshParagraph], doc: list[DocParagraph],
           pairs: list[tuple[int, int]]) -> list[Step]:
    return [Step(None if i is None else fresh[i], None if j is None else doc[j])
            for i, j in walk(len(fresh), len(doc), pairs)]


def _pair_rewritten(steps: list[Step]) -> list[Step]:
    """Return `steps` with each run of n removed and n added paragraphs paired in order.

    A paragraph rewritten beyond recognition (and stripped of its bookmark) sits
    where the old one was: n out and n in at one place are n rewrites.
    """
    out: list[Step] = []
    k = 0
    while k < len(steps):
        if steps[k].fresh is not None and steps[k].doc is not None:
            out.append(steps[k])
            k += 1
            continue
        end = k
        while end < len(steps) and (steps[end].fresh is None or steps[end].doc is None):
            end += 1
        run = steps[k:end]
        gone = [s.fresh for s in run if s.fresh is not None]
        new = [s.doc for s in run if s.doc is not None and s.doc.text.strip()]
        if gone and len(gone) == len(new):
            out.extend(Step(f, d) for f, d in zip(gone, new))
        elif gone and new:
            out.extend(_pair_sticky(gone, new))
        else:
            out.extend(run)
        k = end
    return out


def _pair_sticky(gone: list[FreshParagraph], new: list[DocParagraph]) -> list[Step]:
    """Return steps pairing, in order, as many paragraphs that cannot just go as possible.

    With more removed than added (or the reverse), a list item may really have
    gone, but a heading, fixed wording or a required field cannot have: it was
    rewritten, so it takes one of the new paragraphs.
    """
    sticky = [f.list_item is None for f in gone]
    pairs = best_pairs(len(gone), len(new), lambda i, j: 1.0 if sticky[i] else 0.0,
                       limit=MAX_FUZZY_CELLS)
    return _steps(gone, new, pairs)


# --- from differences to changes --------------------------------------------------------


def compare(fresh: list[FreshParagraph], doc: list[DocParagraph], base: dict,
            docname: str) -> Absorbed:
    """Return the field changes the cleared document makes, and what cannot be absorbed."""
    steps = align(fresh, doc)
    found = Absorbed()
    scalars: dict[FieldPath, str] = {}
    lists: dict[FieldPath, ListEdit] = {}
    where = _Locator(steps, docname)
    gone = find_deleted(steps)
    taken: set[int] = set()
    for k, step in enumerate(steps):
        if step.fresh is not None and step.doc is not None:
            if step.fresh.text != step.doc.text:
                _edited(step.fresh, step.doc, k, scalars, lists, found, where)
        elif step.fresh is not None:
            item = owner(step.fresh)
            if item in gone:
                gone.discard(item)
                found.items.append(ItemChange(item[0], item_id=item[1], where=where(k)))
            elif item is None or item not in {(i.section, i.item_id) for i in found.items}:
                _deleted(step.fresh, k, lists, found, where)
        elif step.doc is not None and step.doc.text.strip() and k not in taken:
            made = new_item(steps, k, where(k), found.warnings)
            if made is not None:
                if made[0] is not None:
                    found.items.append(made[0])
                taken.update(made[1])
            else:
                _inserted(steps, step.doc.text.strip(), k, lists, found, where)
    for path, value in scalars.items():
        found.changes.append(Change(path, get_value(base, path), value))
    for path, edit in lists.items():
        old = get_value(base, path)
        found.changes.append(Change(path, old, edit.apply(old)))
    return found


class _Locator:
    """Says where a paragraph is in the cleared document: number and nearest heading."""

    def __init__(self, steps: list[Step], docname: str) -> None:
        self.steps, self.docname = steps, docname

    def __call__(self, k: int) -> str:
        number, heading = None, None
        for step in self.steps[:k + 1]:
            if step.doc is not None:
                number = step.doc.number
                if step.doc.heading and step is not self.steps[k]:
                    heading = step.doc.text
        if self.steps[k].doc is None:
            number = (number or 0) + 1
        under = f" (under \"{short(heading, 50)}\")" if heading else ""
        return f"{self.docname}: paragraph {number}{under}"


def _edited(f: FreshParagraph, d: DocParagraph, k: int, scalars: dict, lists: dict,
            found: Absorbed, where: _Locator) -> None:
    values = _split_fields(f, d.text)
    if values is None:
        what = {"heading": "heading", "derived": "line built from several fields",
                "fixed": "fixed wording"}.get(f.kind, "fixed wording around a field")
        advice = {"derived": "edit the fields it is built from in the YAML",
                  "heading": "headings come from the template",
                  }.get(f.kind, "it comes from the template, not the YAML")
        found.warnings.append(Message("warning", (
            f"{where(k)}: {what} changed from '{short(f.text, SHOW)}' to '{short(d.text, SHOW)}'; "
            f"not absorbed: {advice}")))
        return
    for path, value in values:
        old_text = next(t for t, p in f.parts if p == path)
        if value.strip() == old_text.strip():
            continue
        if isinstance(path[-1], int):
            edit = lists.setdefault(path[:-1], ListEdit())
            if value.strip():
                edit.replaced[path[-1]] = value.strip()
            else:
                edit.deleted.add(path[-1])
        elif not value.strip():
            found.warnings.append(Message("warning", (
                f"{where(k)}: {format_path(path)} was emptied; not absorbed: a briefing "
                "needs it (edit the YAML by hand)")))
        else:
            scalars[path] = value.strip()


def _split_fields(f: FreshParagraph, text: str) -> list[tuple[FieldPath, str]] | None:
    """Return each field's new text, the fixed parts being found unchanged around them."""
    if not f.fields:
        return None
    pattern = "".join("(.*)" if p is not None else re.escape(t) for t, p in f.parts)
    m = re.fullmatch(pattern, text, re.DOTALL)
    if m is None:
        return None
    return list(zip(f.fields, m.groups()))


def _deleted(f: FreshParagraph, k: int, lists: dict, found: Absorbed, where: _Locator) -> None:
    item = f.list_item
    if item is not None and not [t for t, p in f.parts if p is None and t.strip()]:
        lists.setdefault(item[:-1], ListEdit()).deleted.add(item[-1])
        return
    what = (f"{format_path(f.fields[0])} deleted" if f.fields
            else f"{'heading' if f.kind == 'heading' else 'fixed wording'} deleted")
    advice = ("a briefing needs it: edit the YAML by hand" if f.fields
              else "edit the YAML or the template by hand")
    found.warnings.append(Message("warning", f"{where(k)}: {what} ('{short(f.text, SHOW)}'); "
                                             f"not absorbed: {advice}"))


def _inserted(steps: list[Step], text: str, k: int, lists: dict, found: Absorbed,
              where: _Locator) -> None:
    prev = next((s.fresh for s in reversed(steps[:k]) if s.fresh is not None), None)
    nxt = next((s.fresh for s in steps[k + 1:] if s.fresh is not None), None)
    if prev is not None and prev.list_item is not None:
        target, after = prev.list_item[:-1], prev.list_item[-1]
    elif nxt is not None and nxt.list_item is not None and nxt.list_item[-1] == 0:
        target, after = nxt.list_item[:-1], -1
    else:
        found.warnings.append(Message("warning", (
            f"{where(k)}: new paragraph '{short(text, SHOW)}' is not part of a list the YAML "
            "holds; not absorbed: add it to the YAML by hand")))
        return
    lists.setdefault(target, ListEdit()).inserted.setdefault(after, []).append(text)
