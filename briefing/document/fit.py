"""Fit: how much of a one-page template's lists fits on the page, estimated without a renderer.

A lines card must stay on one page whatever the briefing holds. The layout
asks a `PageBudget` (the template global `page_budget(lines=..., width=...)`)
which leading items of a list fit, and says what was left out, so a long
briefing's card ends with a visible "continued in the briefing" instead of
spilling onto a second page. The estimate counts each field's text as lines
of `width` characters plus a little paragraph spacing: deliberately on the
generous side, since a card one item short is better than a card of two pages.
"""

from __future__ import annotations

import math
from typing import Any

PARAGRAPH_GAP = 0.3  # lines of spacing around each paragraph, on average


def _text_of(value: Any) -> str:
    """Return the text a template value shows (a data Ref's own text, never its token)."""
    measured = getattr(value, "measured", None)  # a data Ref notes that its length was used
    text = measured() if callable(measured) else value
    return text if isinstance(text, str) else str(text or "")


def _texts(value: Any) -> list[str]:
    """Return the texts `value` shows: its own, its items', or a model item's text fields."""
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    model = getattr(value, "_model", None)
    if model is not None:  # an item of the briefing: its text fields, as the layout shows them
        names = [n for n, v in type(model).model_fields.items() if n != "id"]
        return [t for n in names for t in _texts(getattr(value, n))
                if isinstance(getattr(model, n), str)]
    return [_text_of(value)] if value is not None else []


class PageBudget:
    """Lines left on one page, spent by `take` on the leading items of each list."""

    def __init__(self, lines: float, width: int) -> None:
        self.total = float(lines)
        self.left = float(lines)
        self.width = max(int(width), 10)
        self._left_out: list[str] = []

    def lines_for(self, item: Any, fields: tuple[str, ...]) -> float:
        """Return the estimated lines `item`'s `fields` take, one paragraph each."""
        total = 0.0
        for name in fields:
            text = _text_of(getattr(item, name))
            total += max(1, math.ceil(len(text) / self.width)) + PARAGRAPH_GAP
        return total

    def reserve(self, *values: Any) -> str:
        """Set aside the lines of one paragraph showing `values`; return '' (for `{% set %}`).

        A value may be text, a data field, an item of the briefing (its text
        fields count) or a list of those: the card's title and its "With ..."
        line, whose length varies with the briefing, are measured like the rest.
        """
        chars = sum(len(text) + 2 for text in _texts(values))
        self.left -= max(1, math.ceil(chars / self.width)) + PARAGRAPH_GAP
        return ""

    def take(self, items: Any, *fields: str, one: str = "item", many: str = "items",
             share: float = 1.0) -> list[Any]:
        """Return the leading `items` that fit in `share` of the lines left; note the rest."""
        items = list(items)
        allowed = self.left * min(max(share, 0.0), 1.0)
        shown: list[Any] = []
        spent = 0.0
        for item in items:
            cost = self.lines_for(item, fields)
            if spent + cost > allowed:
                break
            spent += cost
            shown.append(item)
        self.left -= spent
        rest = len(items) - len(shown)
        if rest:
            self._left_out.append(f"{rest} more {one if rest == 1 else many}")
        return shown

    @property
    def left_out(self) -> str:
        """Return what did not fit ("92 more key messages and 38 more lines to take"), or ''."""
        parts = self._left_out
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + " and " + parts[-1]
