"""Whole items a member added to or deleted from the cleared document.

A new key message (a headline styled as one, with points under it), a new
"If asked" line (the question, then its answer), a new background entry (a
heading, with paragraphs under it) and a key message, line to
take or background entry whose paragraphs were all deleted are items added or
removed, not paragraphs: `find_deleted` and `new_item` spot them in the
aligned paragraphs, `plan` turns them into `briefing.source.changes`
operations on the YAML as it is now (a new item's id a slug of its first
words, unique in its list), with the lines absorb shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing import sourceid
from briefing.results import Message, short
from briefing.source.changes import Insert, Remove
from briefing.sourceid import ById

if TYPE_CHECKING:
    from briefing.clearance.absorb.compare import Step
    from briefing.clearance.absorb.fresh import FreshParagraph
    from briefing.ooxml.read.doctext import DocParagraph

ITEM_SECTIONS = ("key_messages", "lines_to_take", "background")
SHOW = 70  # characters of a text shown in absorb's messages
SLUG_WORDS = 5
SLUG_MAX = 60  # the schema's longest id
PLACEHOLDER = "TO FILL IN: who suggested this message"
SUGGESTED = "Suggested by "
IF_ASKED = "If asked: "


@dataclass(frozen=True)
class ItemChange:
    """An item added (`value`, after the item `after`; None: first) or removed (`item_id`)."""

    section: str
    item_id: str | None = None
    value: dict[str, Any] | None = None
    after: str | None = None
    where: str = ""


def owner(f: FreshParagraph) -> tuple[str, str] | None:
    """Return (section, id) of the key message, line or background entry `f` belongs to."""
    for sid in f.source_ids:
        segs = sourceid.parse(sid)
        if len(segs) > 1 and segs[0] in ITEM_SECTIONS:
            return segs[0], segs[1]
    return None


def find_deleted(steps: list[Step]) -> set[tuple[str, str]]:
    """Return the items every one of whose paragraphs is gone from the cleared document."""
    seen: dict[tuple[str, str], bool] = {}
    for step in steps:
        if step.fresh is not None and (item := owner(step.fresh)) is not None:
            seen[item] = seen.get(item, True) and step.doc is None
    return {item for item, gone in seen.items() if gone}


def _anchor(steps: list[Step], k: int) -> tuple[str, str | None] | None:
    """Return (section, id of the item before) for a paragraph inserted at step `k`.

    The id is None when the paragraph comes straight after its section's heading.
    """
    for step in reversed(steps[:k]):
        f = step.fresh
        if f is None:
            continue
        item = owner(f)
        if item is not None:
            return item
        if _section_heading(f):
            for s in steps[k + 1:]:
                if s.fresh is not None and (nxt := owner(s.fresh)) is not None:
                    return nxt[0], None
                if s.fresh is not None and _section_heading(s.fresh):
                    break
            return None
    return None


def _section_heading(f: FreshParagraph) -> bool:
    return f.kind == "heading" and f.heading is not None and f.heading < 3


def _inserted_run(steps: list[Step], k: int) -> list[tuple[int, DocParagraph]]:
    """Return the steps from `k` on that are paragraphs only the cleared document has."""
    out = []
    for j in range(k, len(steps)):
        s = steps[j]
        if s.fresh is not None or s.doc is None:
            break
        if s.doc.text.strip():
            out.append((j, s.doc))
    return out


def new_item(steps: list[Step], k: int, where: str,
             warnings: list[Message]) -> tuple[ItemChange | None, list[int]] | None:
    """Return the new item that starts at inserted step `k` and the steps it takes, or None.

    The item is None (its steps taken, a warning given) for an "If asked" line without an answer.
    """
    doc = steps[k].doc
    anchor = _anchor(steps, k)
    if doc is None or anchor is None:
        return None
    section, after = anchor
    inserted = _inserted_run(steps, k)
    run, docs = [j for j, _ in inserted], [d for _, d in inserted]
    texts = [d.text.strip() for d in docs]
    if section == "key_messages" and doc.heading is not None:
        taken = [k]
        points, by = [], []
        for j, d, text in zip(run[1:], docs[1:], texts[1:]):
            if d.heading is not None:
                break
            if text.startswith(SUGGESTED.strip()):
                by.append(text[len(SUGGESTED):].strip() or PLACEHOLDER)
            else:
                points.append(text)
            taken.append(j)
        value: dict[str, Any] = {"headline": texts[0], "points": points,
                                 "suggested_by": by or [PLACEHOLDER]}
        if not points:
            del value["points"]
        return ItemChange(section, value=value, after=after, where=where), taken
    if section == "background" and doc.heading is not None:
        return _new_background(run, docs, texts, after, where, warnings)
    if section == "lines_to_take" and texts[0].startswith(IF_ASKED.strip()):
        question = texts[0][len(IF_ASKED.strip()):].strip()
        if len(run) < 2 or not question:
            warnings.append(Message("warning", (
                f"{where}: new 'If asked' line '{short(texts[0], SHOW)}' has no answer under "
                "it; not absorbed: add it to the YAML by hand")))
            return None, [k]
        return (ItemChange(section, value={"question": question, "answer": texts[1]},
                           after=after, where=where), run[:2])
    return None


def _new_background(run: list[int], docs: list[DocParagraph], texts: list[str],
                    after: str | None, where: str, warnings: list[Message]
                    ) -> tuple[ItemChange | None, list[int]]:
    """Return a new background entry: the heading a member inserted and the paragraphs under
    it, up to the next heading (None, with a warning, when no paragraph follows it)."""
    taken, paragraphs = [run[0]], []
    for j, d, text in zip(run[1:], docs[1:], texts[1:]):
        if d.heading is not None:
            break
        paragraphs.append(text)
        taken.append(j)
    if not paragraphs:
        warnings.append(Message("warning", (
            f"{where}: new background heading '{short(texts[0], SHOW)}' has no paragraphs "
            "under it; not absorbed: add it to the YAML by hand")))
        return None, taken
    return (ItemChange("background", value={"heading": texts[0], "paragraphs": paragraphs},
                       after=after, where=where), taken)


def slug(text: str, taken: set[str], fallback: str) -> str:
    """Return an id made of the first words of `text`, not in `taken`, valid as a schema id."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:SLUG_WORDS]
    base = "-".join(words)[:SLUG_MAX].strip("-") or fallback
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[:SLUG_MAX - len(suffix)].strip("-") + suffix
        n += 1
    return candidate


FIRST_FIELD = {"key_messages": "headline", "lines_to_take": "question", "background": "heading"}
FALLBACK = {"key_messages": "message", "lines_to_take": "line", "background": "section"}


def plan(items: list[ItemChange], base: dict, ours: dict,
         warnings: list[Message]) -> tuple[list[Insert | Remove], list[str]]:
    """Return the operations that make `items` in `ours`, and the lines that show them.

    A removed key message that member comments or case studies relate to, or an
    item the YAML changed since the build, is reported and kept.
    """
    ids = {s: [i.get("id") for i in ours.get(s) or []] for s in ITEM_SECTIONS}
    priorities = {m.get("id"): m.get("priority") for m in ours.get("key_messages") or []}
    ops: list[Insert | Remove] = []
    lines: list[str] = []
    placed: dict[tuple[str, str | None], str] = {}  # the new item last put after an anchor
    for item in items:
        current = ids[item.section]
        if item.value is None:
            _remove(item, base, ours, current, ops, lines, warnings)
            continue
        first = FIRST_FIELD[item.section]
        new_id = slug(item.value[first], set(current), FALLBACK[item.section])
        value = {"id": new_id, **item.value}
        # new items with one anchor are a run in the document: each goes after the one before
        after = placed.get((item.section, item.after), item.after)
        placed[(item.section, item.after)] = new_id
        at = current.index(after) + 1 if after in current else \
            (0 if after is None else len(current))
        if item.section == "key_messages":
            _prioritise(value, at, current, priorities, item.where, warnings)
        ops.append(Insert((item.section,), value, at))
        current.insert(at, new_id)
        lines.append(f"{item.section}[{new_id}]: added '{short(item.value[first], SHOW)}' "
                     f"(new id '{new_id}': check it)")
        if PLACEHOLDER in value.get("suggested_by", []):
            warnings.append(Message("warning", (
                f"{item.where}: new key message {item.section}[{new_id}]: fill in who "
                f"suggested it (suggested_by says '{PLACEHOLDER}')")))
    return ops, lines


def _prioritise(value: dict[str, Any], at: int, current: list, priorities: dict,
                where: str, warnings: list[Message]) -> None:
    """Give a new key message placed before a prioritised one a free priority between its
    neighbours' (the build orders key messages by priority), or warn that none is free."""
    nxt = priorities.get(current[at]) if at < len(current) else None
    if nxt is not None:
        prev = priorities.get(current[at - 1]) if at > 0 else 0
        used = set(priorities.values())
        free = next((p for p in range(prev + 1, nxt) if p not in used), None) \
            if prev is not None else None
        if free is None:
            warnings.append(Message("warning", (
                f"{where}: new key message key_messages[{value['id']}] has no priority, so "
                f"the next build shows it after the prioritised messages, not before "
                f"key_messages[{current[at]}]; set the priorities in the YAML")))
        else:
            value["priority"] = free
    priorities[value["id"]] = value.get("priority")


def _remove(item: ItemChange, base: dict, ours: dict, current: list, ops: list,
            lines: list[str], warnings: list[Message]) -> None:
    name = f"{item.section}[{item.item_id}]"
    if item.item_id is None or item.item_id not in current:
        return  # already gone from the YAML
    mine = next(i for i in ours[item.section] if i.get("id") == item.item_id)
    built = next((i for i in base.get(item.section) or [] if i.get("id") == item.item_id), None)
    related = [f"{s}[{i.get('id')}]" for s in ("member_comments", "case_studies")
               for i in ours.get(s) or [] if item.item_id in (i.get("relates_to") or [])]
    if related:
        warnings.append(Message("warning", (
            f"{item.where}: {name} was deleted in the document but "
            f"{', '.join(related)} relate to it; not absorbed: remove it and those "
            "references in the YAML by hand, or keep it")))
        return
    if built != mine:
        warnings.append(Message("warning", (
            f"{item.where}: {name} was deleted in the document but changed in the YAML "
            "since the build; not absorbed: remove it by hand if it should go")))
        return
    ops.append(Remove((item.section, ById(item.item_id))))
    current.remove(item.item_id)
    first = FIRST_FIELD[item.section]
    lines.append(f"{name}: deleted '{short(str(mine.get(first, '')), SHOW)}'")
