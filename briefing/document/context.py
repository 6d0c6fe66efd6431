"""The data a layout sees: every text field an opaque Ref at its source id, never its text.

A Ref renders as a private-use token that compose swaps back for the field's
text after the layout's lines are parsed, so user text never passes through
Jinja2 or the layout parser. An Item is a model whose fields are Refs, Items
or lists of those; `template_context` adds the groupings layouts use.
"""

from __future__ import annotations

import datetime as dt
import functools
from enum import Enum
from typing import Any

from pydantic import BaseModel

from briefing import sourceid
from briefing.source.model import Briefing
from briefing.source.shown import MEASURED

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class Render:
    """The refs handed out while one layout renders, so tokens can be swapped back."""

    def __init__(self) -> None:
        self.refs: list[Ref] = []
        self.composites: list[str] = []
        self.fields: set[str] = set()  # the paths the layout showed or decided on

    def token(self, ref: Ref) -> str:
        self.refs.append(ref)
        self.fields.add(ref._sid)
        return f"\ue000{len(self.refs) - 1}\ue001"

    def composite(self, source_id: str) -> str:
        self.composites.append(source_id)
        return f"\ue002{len(self.composites) - 1}\ue003"


class Ref:
    """A data value as a template sees it: renders as an opaque token, never as its text."""

    __slots__ = ("_render", "_sid", "_text", "_value", "_verbatim")

    def __init__(self, render: Render, sid: str, value: Any, text: str | None = None,
                 verbatim: bool = True) -> None:
        self._render = render
        self._sid = sid
        self._value = value
        self._text = value if text is None else text
        self._verbatim = verbatim

    def __str__(self) -> str:
        return self._render.token(self)

    def __bool__(self) -> bool:
        return bool(self._text)

    def __len__(self) -> int:
        return len(self.measured())

    def measured(self) -> str:
        """Return the text for the layout to measure (fit); only its length counts as used."""
        self._render.fields.add(self._sid + MEASURED)
        return self._text


class Item:
    """A model as a template sees it: string fields become Refs at their source-id path."""

    __slots__ = ("_model", "_render", "_seen", "_sid")

    def __init__(self, render: Render, model: BaseModel, sid: str) -> None:
        self._render = render
        self._model = model
        self._sid = sid
        self._seen: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        seen = self._seen
        if name in seen:
            return seen[name]
        if name.startswith("_") or name not in _fields(type(self._model)):
            raise AttributeError(name)
        value = getattr(self._model, name)
        path = sourceid.child(self._sid, name)
        if name != "id":
            value = _wrap(self._render, value, path)
        if isinstance(value, (list, Item)):  # the container: its items count when used
            self._render.fields.add(path + sourceid.SEP)
        elif not isinstance(value, Ref):  # a flag, number, choice or none the layout decides on
            self._render.fields.add(path)
        seen[name] = value
        return value

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None


@functools.cache
def _fields(model: type[BaseModel]) -> frozenset[str]:
    """Return the field names of a model class."""
    return frozenset(model.model_fields)


def _wrap(render: Render, value: Any, sid: str) -> Any:
    """Return `value` as templates see it: Ref, Item, list of those, or a plain safe value."""
    kind = type(value)
    if kind is str:
        return Ref(render, sid, value)
    if value is None or kind is int or kind is bool:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return Ref(render, sid, str(value))
    if isinstance(value, dt.date):
        return Ref(render, sid, value, text=value.isoformat(), verbatim=False)
    if isinstance(value, (list, tuple)):
        return [_wrap(render, v, sourceid.member(sid, i, v)) for i, v in enumerate(value)]
    if isinstance(value, BaseModel):
        return Item(render, value, sid)
    return value


def long_date(value: Any) -> Any:
    """Return a date as '12 May 2016' (a derived Ref when given a Ref)."""
    if isinstance(value, Ref):
        if not isinstance(value._value, dt.date):
            return value
        return Ref(value._render, value._sid, value._value, text=_long_date(value._value),
                   verbatim=False)
    return _long_date(value) if isinstance(value, dt.date) else value


def context(value: Any) -> Any:
    """Return a field shown as context: its text appears, but the line is not traced to it.

    "{{ cs.council|context }}: {{ cs.title }}" is a heading traced to the
    title alone, with the council's name kept outside the title's data run
    like fixed wording.
    """
    if isinstance(value, Ref):
        return Ref(value._render, "", value._value, text=value._text, verbatim=value._verbatim)
    return value


def field(item: Any, name: str) -> Any:
    """Return a number field (`field(briefing, "version")`) as a value the line is traced to.

    Text and dates are traced wherever a template shows them; numbers reach
    templates as plain numbers (to compare and count), so a line that shows
    one asks for it by name to be traced to it.
    """
    if not isinstance(item, Item):
        raise TypeError("field() takes an item of the briefing and a field name")
    value = getattr(item, name)
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    sid = f"{item._sid}/{name}" if item._sid else name
    return Ref(item._render, sid, value, text=str(value), verbatim=False)


def _long_date(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _priority_order(items: list[Item]) -> list[Item]:
    """Return key messages ordered by priority (1 first), unprioritised last, else as given."""
    def key(km: Item) -> tuple[bool, int]:
        priority = getattr(km._model, "priority", None)
        return priority is None, priority or 0
    return sorted(items, key=key)


def _group(items: list[Item], km_ids: list[str]) -> tuple[dict[str, list[Item]], list[Item]]:
    """Return items under the first key message they relate to, and those relating to none."""
    grouped: dict[str, list[Item]] = {k: [] for k in km_ids}
    other: list[Item] = []
    for item in items:
        related = [r for r in getattr(item._model, "relates_to", []) if r in grouped]
        (grouped[related[0]] if related else other).append(item)
    return grouped, other


class _Section(list):
    """A top-level list as a template sees it: asking whether it is empty counts as using it."""

    def __init__(self, render: Render, name: str, items: list) -> None:
        super().__init__(items)
        self._used = lambda: render.fields.add(name + sourceid.SEP)

    def __bool__(self) -> bool:
        self._used()
        return len(self) > 0

    def __iter__(self):
        self._used()
        return super().__iter__()


def template_context(briefing: Briefing, render: Render) -> dict[str, Any]:
    """Return the variables a layout sees: the briefing's sections plus groupings."""
    ctx = {name: _wrap(render, getattr(briefing, name), name)
           for name in type(briefing).model_fields}
    ctx["key_messages"] = _priority_order(ctx["key_messages"])
    km_ids = [km._model.id for km in ctx["key_messages"]]
    ctx["comments_for"], ctx["other_comments"] = _group(ctx["member_comments"], km_ids)
    ctx["case_studies_for"], ctx["other_case_studies"] = _group(ctx["case_studies"], km_ids)
    classification = briefing.briefing.classification.value
    ctx["marking"] = "" if classification == "NONE" else classification.upper()
    ctx["composite"] = lambda item, name: render.composite(sourceid.child(item._sid, name))
    for name in type(briefing).model_fields:
        if isinstance(ctx[name], list):
            ctx[name] = _Section(render, name, ctx[name])
    return ctx
