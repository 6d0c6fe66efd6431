"""What a document shows of its briefing: the data cut down to it, and built up again.

A document embeds the data it was built from so that absorb can rebuild the
draft members saw. It embeds only what it shows (`shown_data`): the text
fields its layout put on the page and the flags, numbers and lists the layout
read to decide what to show (`compose` records them as source-id paths),
plus the ids that name each item kept, the fields that order and group items
(`priority`, `relates_to`) and the briefing's classification, status and
version. A lines card so carries its headlines and lines to take, never the
member comments, case studies or contact details it does not show.

`buildable` turns such data back into a Briefing that lays out the same
document: every field the layout does not use gets a neutral placeholder.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from briefing import sourceid
from briefing.source.model import (
    BackgroundSection,
    Briefing,
    BriefingInfo,
    CaseStudy,
    ClearanceEntry,
    Contact,
    KeyMessage,
    LineToTake,
    Meeting,
    MemberComment,
    Person,
    Source,
)

MEASURED = "?"  # suffix of a path whose text the layout only measured (its length decided)
ALWAYS = ("briefing/classification", "briefing/status", "briefing/version")
ITEM_KEYS = ("id", "priority", "relates_to")  # kept with every item kept: they place it
PLACEHOLDER = "-"
_DAY = "2000-01-01"
# The fields each model needs to validate, as neutral values no layout would show.
_NEEDED: dict[type[BaseModel], dict[str, Any]] = {
    Briefing: {"briefing": {}, "meeting": {}, "objectives": [PLACEHOLDER],
               "key_messages": [{}], "contact": {}},
    BriefingInfo: {"title": PLACEHOLDER, "version": 1, "prepared": _DAY},
    Meeting: {"principal": {}, "counterparts": [{}], "purpose": PLACEHOLDER},
    Person: {"name": PLACEHOLDER, "role": PLACEHOLDER},
    KeyMessage: {"id": "placeholder", "headline": PLACEHOLDER, "suggested_by": [PLACEHOLDER]},
    MemberComment: {"id": "placeholder", "text": PLACEHOLDER, "board": PLACEHOLDER,
                    "meeting_date": _DAY},
    CaseStudy: {"id": "placeholder", "council": PLACEHOLDER, "title": PLACEHOLDER,
                "excerpt": PLACEHOLDER, "source": {}, "agreed_with_council": False},
    Source: {"title": PLACEHOLDER, "year": 2000},
    LineToTake: {"id": "placeholder", "question": PLACEHOLDER, "answer": PLACEHOLDER},
    BackgroundSection: {"id": "placeholder", "heading": PLACEHOLDER,
                        "paragraphs": [PLACEHOLDER]},
    Contact: {"name": PLACEHOLDER, "position": PLACEHOLDER, "phone": "020 7664 3000",
              "email": "placeholder@example.org"},
    ClearanceEntry: {"reviewer": PLACEHOLDER, "role": PLACEHOLDER, "version": 1, "date": _DAY,
                     "outcome": "cleared"},
}

_Tree = dict[str, Any]
_WHOLE: _Tree = {}  # a leaf: the value is kept whole (never mutated; compared by identity)
_LENGTH: _Tree = {}  # a leaf: only the text's length is kept (placeholder characters)
_EVERY = ""  # key of a list node the layout went through: every item counts (stubs for unshown)


def shown_data(data: dict, fields: Iterable[str]) -> dict:
    """Return `data` (a briefing as JSON) cut down to `fields` and what places them.

    What is kept is shared with `data`, not copied: change neither afterwards.
    """
    tree: _Tree = {}
    for path in (*ALWAYS, *fields):
        _mark(tree, path)
    return _cut(data, tree)


def _mark(tree: _Tree, path: str) -> None:
    """Add `path` to `tree`: 'a/b' keeps a/b whole, 'a/b/' keeps only the container a/b."""
    node = tree
    leaf = _WHOLE
    if path.endswith(MEASURED):
        path, leaf = path[:-len(MEASURED)], _LENGTH
    *heads, last = sourceid.parse(path)
    for seg in heads:
        child = node.get(seg)
        if child is _WHOLE:
            return
        if child is _LENGTH or child is None:
            node[seg] = child = {}
        node = child
    if not last:
        node[_EVERY] = _WHOLE
    elif leaf is _WHOLE or last not in node:
        node[last] = leaf


def _cut(value: Any, tree: _Tree) -> Any:
    """Return the part of `value` that `tree` keeps."""
    if tree is _LENGTH:
        return PLACEHOLDER * len(value) if isinstance(value, str) else value
    if tree is _WHOLE or not isinstance(value, (dict, list)):
        return value  # shared, not copied: neither side is changed afterwards
    if isinstance(value, dict):
        return {k: _cut(v, tree[k]) for k, v in value.items() if k in tree}
    ids = [sourceid.own_id(v) for v in value]
    if value and all(ids):
        every = _EVERY in tree
        kept = [(v, tree.get(i or "", {})) for v, i in zip(value, ids) if every or i in tree]
        stubs = iter(range(1, len(kept) + 1))
        return [_item(v, node) if _shows(node) else _stub(v, node, next(stubs))
                for v, node in kept]
    shown = [i for i in range(len(value)) if str(i) in tree]
    last = max(shown, default=-1)
    return [_cut(value[i], tree[str(i)]) if str(i) in tree else PLACEHOLDER
            for i in range(last + 1)]


def _item(value: dict, tree: _Tree) -> dict:
    """Return a kept list item: what `tree` keeps, with the keys that place it."""
    if tree is _WHOLE:
        return value
    out = _cut(value, tree)
    for key in ITEM_KEYS:
        if key in value:
            out[key] = value[key]
    return {k: out[k] for k in value if k in out}


def _shows(tree: _Tree) -> bool:
    """Return True when `tree` keeps any value whole (not only lengths)."""
    return tree is _WHOLE or (tree is not _LENGTH and any(
        _shows(t) for k, t in tree.items() if k != _EVERY))


def _stub(value: dict, tree: _Tree, n: int) -> dict:
    """Return an item the layout measured but did not show: lengths only, under a made-up id.

    A lines card counts the key messages it leaves out; the stub keeps that
    count (and the order) true when the card is built again from what it carries.
    """
    out = _cut(value, tree)
    out["id"] = f"not-shown-{n}"
    if "priority" in value:
        out["priority"] = value["priority"]
    return out


def buildable(data: dict) -> Briefing:
    """Return a Briefing from shown data: fields it lacks get placeholders; no cross-field rules.

    Raises pydantic's ValidationError when what the data holds is not valid.
    """
    return Briefing.model_validate(_complete(data, Briefing),
                                   context={"skip_cross_field": True})


def _complete(value: Any, model: type[BaseModel]) -> Any:
    """Return `value` (a model's JSON) with every field the model needs filled in."""
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for name, needed in _NEEDED.get(model, {}).items():
        out.setdefault(name, copy.deepcopy(needed))
    if model is Meeting and out.get("date") is None and out.get("when") is None:
        out["when"] = PLACEHOLDER
    for name, info in model.model_fields.items():
        if name in out:
            out[name] = _complete_field(out[name], info.annotation)
    return out


def _complete_field(value: Any, annotation: Any) -> Any:
    """Return a field's value completed when it holds a model or a list of models."""
    inner = _model_of(annotation)
    if inner is None:
        return value
    if isinstance(value, list):
        return [_complete(v, inner) for v in value]
    return _complete(value, inner)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """Return the model class a field holds (itself, in a list, or optional), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
