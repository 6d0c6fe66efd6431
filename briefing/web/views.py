"""What the pages show: links to fields, problems and findings as views, the section list.

A problem or a check finding links to the editor page and field it is about,
worked out from its field path or source id through the form's schema.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from briefing.errors import Problem
from briefing.web import forms

PAGED = {key for key, _ in forms.sections() if forms.section_node(key).get("type") == "array"}


def edit_url(name: str, section: str, page: int = 1, **extra: Any) -> str:
    query = {"section": section, **({"page": page} if page > 1 else {}), **extra}
    return f"/edit/{quote(name)}?{urlencode(query)}"


def key_messages(data: dict[str, Any]) -> list[tuple[str, str]]:
    items = data.get("key_messages")
    out = []
    for km in items if isinstance(items, list) else []:
        if isinstance(km, dict) and isinstance(km.get("id"), str) and km["id"]:
            out.append((km["id"], str(km.get("headline") or km["id"])))
    return out


def problem_view(p: Problem, name: str, names: set[str] | None) -> dict[str, Any]:
    """Return a problem as the pages show it: the CLI's words and a link to its field."""
    parts = forms.path_parts(p.path)
    field = forms.field_name(parts)
    section = str(parts[0]) if parts else ""
    index = parts[1] if len(parts) > 1 and isinstance(parts[1], int) else 0
    page = forms.page_of(index) if section in PAGED else 1
    text = f"{p.path}: {p.message}" if p.path else f"line {p.line}: {p.message}"
    anchor = "#f-" + field.replace(".", "-") if field else ""
    href = anchor if names is not None and field in names else \
        (edit_url(name, section, page) + anchor if section else "")
    return {"text": text, "name": field, "section": section, "href": href, "line": p.line}


def finding_view(f: Any, name: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """Return a check finding with a link to the field its paragraph came from."""
    href = ""
    if f.item and data is not None:
        parts = _source_id_parts(f.item, data)
        if parts:
            field = forms.field_name(parts)
            section = str(parts[0])
            index = parts[1] if len(parts) > 1 and isinstance(parts[1], int) else 0
            page = forms.page_of(index) if section in PAGED else 1
            href = edit_url(name, section, page) + "#f-" + field.replace(".", "-")
    return {"severity": f.severity, "rule": f.rule, "where": f.where, "message": f.message,
            "href": href}


def _source_id_parts(source_id: str, data: dict[str, Any]) -> list[str | int]:
    """Return the data path (list indexes as numbers) that a source id names, or []."""
    from briefing.sourceid import ById, get_value, to_path

    path = to_path(source_id, data)
    if path is None:
        return []
    parts: list[str | int] = []
    for n, step in enumerate(path):
        if isinstance(step, ById):
            items = get_value(data, path[:n])
            parts.append(next(i for i, x in enumerate(items)
                              if isinstance(x, dict) and x.get("id") == step.id))
        else:
            parts.append(step)
    return parts


def section_nav(name: str, problems: list[Problem]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for p in problems:
        parts = forms.path_parts(p.path)
        key = str(parts[0]) if parts else ""
        counts[key] = counts.get(key, 0) + 1
    return [{"key": key, "title": title, "href": edit_url(name, key),
             "problems": counts.get(key, 0)} for key, title in forms.sections()]


def first_input(focus: str | None, data: dict[str, Any]) -> str:
    """Return the name of the first control inside the entry `focus` names."""
    if not focus:
        return ""
    parts = forms.path_parts(focus)
    node: Any = data
    for p in parts:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return focus
    if isinstance(node, dict) and node:
        return f"{focus}.{next(iter(node))}"
    return focus

