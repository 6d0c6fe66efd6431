"""The one style resolver: a document's styles, their `basedOn` chains, and heading levels.

Style resolution follows ECMA-376 Part 1, 17.7.2: direct formatting, then the
run style, then the paragraph style and its `w:basedOn` chain, then the
document defaults (`w:docDefaults`). check (text size, bold, justification,
language), review (the heading a change falls under), absorb (which
paragraphs are headings) and build (which styles the template defines) all
read styles here.

Heading level (`Styles.heading_level`), the same everywhere:

1. a paragraph's own outline level (`w:pPr/w:outlineLvl`, 17.3.1.20) decides:
   0 to 8 are levels 1 to 9, 9 is body text;
2. else the paragraph style's chain, nearest first: a style named or with the
   id "heading N" is level N; a style with an outline level decides as in 1;
3. a style id the document does not define is matched by its id alone
   ("Heading2"), as Word does for its built-in styles.

"Title" is not a heading: Word gives it no outline level.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from briefing.ooxml.ns import qn as _qn
from briefing.ooxml.package import Package

qn = functools.cache(_qn)  # the same few dozen names, looked up very often
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_FALSE = {"0", "false", "off", "none"}


@dataclass(frozen=True)
class Style:
    """One style of styles.xml with only the properties the readers resolve."""

    id: str
    name: str
    type: str
    based_on: str | None
    half_points: int | None
    bold: bool | None
    justify: str | None
    outline_level: int | None
    numbered: bool | None
    lang: str | None
    element: etree._Element | None = field(default=None, compare=False, repr=False)


@dataclass
class Styles:
    """The styles of a document and its defaults, with chain resolution."""

    by_id: dict[str, Style]
    default_paragraph: str | None
    default_half_points: int | None
    default_lang: str | None
    default_bold: bool | None
    part: str | None = None  # the styles part read, None when the document has none
    defaults: etree._Element | None = field(default=None, repr=False)  # w:docDefaults
    _chains: dict[str, list[Style]] = field(default_factory=dict, repr=False)
    _levels: dict[str, int | None] = field(default_factory=dict, repr=False)

    def chain(self, style_id: str | None) -> list[Style]:
        """Return the style and its basedOn ancestors, nearest first (cycles cut)."""
        key = style_id or ""
        if key not in self._chains:
            self._chains[key] = self._chain(style_id)
        return self._chains[key]

    def _chain(self, style_id: str | None) -> list[Style]:
        out: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen and len(out) < 50:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            style_id = style.based_on
        return out

    def first(self, style_id: str | None, attr: str) -> Any:
        """Return the first non-None value of `attr` along the style's chain."""
        for style in self.chain(style_id):
            value = getattr(style, attr)
            if value is not None:
                return value
        return None

    def paragraph_style(self, ppr: etree._Element | None) -> str | None:
        """Return the id of a paragraph's style: its own `w:pStyle`, else the default one."""
        ps = child(ppr, "w:pStyle")
        return (ps.get(qn("w:val")) if ps is not None else None) or self.default_paragraph

    def heading_level(self, style_id: str | None, ppr: etree._Element | None = None) -> int | None:
        """Return the heading level (1-9) of a paragraph in `style_id` with properties `ppr`."""
        direct = outline_level(ppr)
        if direct is not None:
            return _outline_heading(direct)
        key = style_id or ""
        if key not in self._levels:
            self._levels[key] = self._style_level(style_id)
        return self._levels[key]

    def _style_level(self, style_id: str | None) -> int | None:
        chain = self.chain(style_id)
        if not chain and style_id:
            m = _HEADING_NAME.match(style_id)
            return int(m.group(1)) if m else None
        for style in chain:
            m = _HEADING_NAME.match(style.name.strip()) or _HEADING_NAME.match(style.id)
            if m:
                return int(m.group(1))
            if style.outline_level is not None:
                return _outline_heading(style.outline_level)
        return None

    def is_heading(self, ppr: etree._Element | None) -> bool:
        """Return True when a paragraph with properties `ppr` is a heading."""
        return self.heading_level(self.paragraph_style(ppr), ppr) is not None


def _outline_heading(level: int) -> int | None:
    """Return the heading level of outline level `level` (0-8), None for body text."""
    return level + 1 if 0 <= level < 9 else None


def read_styles(pkg: Package) -> Styles:
    """Return the document's styles (empty when it has no styles part)."""
    name = pkg.related_part("styles") or "word/styles.xml"
    if name not in pkg.parts:
        return Styles({}, None, None, None, None)
    root = pkg.xml(name)
    by_id: dict[str, Style] = {}
    default_paragraph = None
    for el in root.iter(qn("w:style")):
        style = _style(el)
        by_id[style.id] = style
        if style.type == "paragraph" and on(el.get(qn("w:default"))):
            default_paragraph = style.id
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
    return Styles(by_id, default_paragraph, half_points(rpr), lang(rpr), bold(rpr), part=name,
                  defaults=defaults)


def _style(el: etree._Element) -> Style:
    ppr, rpr = el.find(qn("w:pPr")), el.find(qn("w:rPr"))
    name_el, based = el.find(qn("w:name")), el.find(qn("w:basedOn"))
    return Style(
        id=el.get(qn("w:styleId"), ""),
        name=name_el.get(qn("w:val"), "") if name_el is not None else "",
        type=el.get(qn("w:type"), "paragraph"),
        based_on=based.get(qn("w:val")) if based is not None else None,
        half_points=half_points(rpr), bold=bold(rpr), justify=justify(ppr),
        outline_level=outline_level(ppr), numbered=numbered(ppr), lang=lang(rpr), element=el,
    )


# --- property values (17.3.1 paragraph, 17.3.2 run properties) ------------------------


def on(value: str | None) -> bool:
    """Return True for an on/off attribute that is present and not switched off."""
    return value is not None and value.lower() not in _FALSE


def child(parent: etree._Element | None, tag: str) -> etree._Element | None:
    """Return `parent`'s child `tag` (a prefixed name), or None (also when `parent` is None)."""
    return parent.find(qn(tag)) if parent is not None else None


def half_points(rpr: etree._Element | None) -> int | None:
    """Return the font size set by run properties `rpr`, in half points, or None."""
    sz = child(rpr, "w:sz")
    if sz is None:
        return None
    try:
        return int(float(sz.get(qn("w:val"), "")))
    except ValueError:
        return None


def bold(rpr: etree._Element | None) -> bool | None:
    """Return whether `rpr` sets bold on (True) or off (False); None when it says nothing."""
    b = child(rpr, "w:b")
    if b is None:
        return None
    return on(b.get(qn("w:val"), "1"))


def lang(rpr: etree._Element | None) -> str | None:
    """Return the language `rpr` sets (w:lang/@w:val), or None."""
    el = child(rpr, "w:lang")
    return (el.get(qn("w:val")) or None) if el is not None else None


def justify(ppr: etree._Element | None) -> str | None:
    """Return the justification `ppr` sets (w:jc/@w:val), or None."""
    jc = child(ppr, "w:jc")
    return jc.get(qn("w:val")) if jc is not None else None


def outline_level(ppr: etree._Element | None) -> int | None:
    """Return the outline level `ppr` sets (0-9), or None."""
    ol = child(ppr, "w:outlineLvl")
    if ol is None:
        return None
    try:
        return int(ol.get(qn("w:val"), ""))
    except ValueError:
        return None


def numbered(ppr: etree._Element | None) -> bool | None:
    """Return True for a numbered paragraph, False for numbering switched off, None if unset."""
    num = child(ppr, "w:numPr")
    if num is None:
        return None
    num_id = num.find(qn("w:numId"))
    return num_id is None or num_id.get(qn("w:val")) != "0"


# --- what a template defines ------------------------------------------------------------


def style_ids(pkg: Package) -> set[str] | None:
    """Return the style ids the document's styles part defines; None when it has none."""
    name = pkg.related_part("styles")
    if name is None:
        return None
    return {el.get(qn("w:styleId"), "") for el in pkg.xml(name).iter(qn("w:style"))}


def numbering_ids(pkg: Package) -> set[str]:
    """Return the w:num ids the document's numbering part defines (empty when it has none)."""
    name = pkg.related_part("numbering")
    if name is None:
        return set()
    return {el.get(qn("w:numId"), "") for el in pkg.xml(name).iter(qn("w:num"))}
