"""Editor noise: what Word or LibreOffice writes on its own, removed before two drafts meet.

A member who changes one word and saves has not changed the document's
revision-save ids (`w:rsid*`, ECMA-376 Part 1, 17.15.1.70), proofing marks
(`w:proofErr`, 17.13.8.1), rendered page breaks (`w:lastRenderedPageBreak`,
17.3.3.13), the cursor bookmark `_GoBack`, the
cached results of fields a reader refreshes on its own (PAGE, NUMPAGES, DATE,
..., 17.16.5), the ids under which an editor re-files the same styles, nor
direct formatting that only restates what the styles already give
(LibreOffice writes every table cell's font, size and spacing out in full).

`normalise_pair(source, target)` removes that noise from both packages, maps
the source's style ids onto the target's by style name, restates the source's
refreshed field results as the target's, and drops direct properties equal to
what each package's own styles resolve to. The target is the package whose
body is written out (redline's NEW, combine's DRAFT), so it only loses what a
reader cannot see; the source (redline's OLD, a member's copy) is only read
and compared. redline, combine and `review --against` all call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from briefing.ooxml import tree
from briefing.ooxml.ns import W, qn
from briefing.ooxml.package import Package
from briefing.ooxml.styles import read_styles
from briefing.ooxml.track.blocks import story_part_pairs

_W = f"{{{W}}}"
P, R, PPR, RPR = qn("w:p"), qn("w:r"), qn("w:pPr"), qn("w:rPr")
PSTYLE, RSTYLE, VAL = qn("w:pStyle"), qn("w:rStyle"), qn("w:val")
FLD_CHAR, INSTR, FLD_SIMPLE, T = qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple"), qn("w:t")
_DROPPED = frozenset(qn(f"w:{t}") for t in ("proofErr", "lastRenderedPageBreak"))
_DROPPED_ATTRS = re.compile(rf"^{{{re.escape(W)}}}rsid")
_CURSOR_BOOKMARKS = frozenset(("_GoBack",))
_PROPERTY_SETS = frozenset(qn(f"w:{t}") for t in ("pPr", "rPr", "trPr", "tcPr", "tblPr"))
#: Fields whose result a reader recomputes on its own (17.16.5).
VOLATILE_FIELDS = frozenset((
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "PRINTDATE", "SAVEDATE",
    "EDITTIME", "NUMWORDS", "NUMCHARS", "FILESIZE", "REVNUM",
))
#: Properties that never come from a style (identity, numbering, changes, the mark's run).
_KEPT_PPR = frozenset(qn(f"w:{t}") for t in (
    "pStyle", "numPr", "rPr", "sectPr", "pPrChange"))
_KEPT_RPR = frozenset(qn(f"w:{t}") for t in ("rStyle", "rPrChange", "ins", "del"))
#: A property's value when neither the paragraph nor any style sets it (as readers apply it).
_UNSET: dict[str, dict[str, tuple[str, ...]] | None] = {
    qn("w:jc"): {VAL: ("left", "start", "both0")},
    qn("w:kern"): {VAL: ("0",)},
    qn("w:spacing"): {qn("w:before"): ("0",), qn("w:after"): ("0",)},
    qn("w:widowControl"): None,  # pagination only: editors write their own default
    qn("w:lang"): None,  # spelling language, never shown
    qn("w:noProof"): None,
}
_ON = {"1", "true", "on"}


def normalise_pair(source: Package, target: Package) -> None:
    """Remove editor noise from `source` and `target`, `source` restated in `target`'s terms."""
    normalise(target)
    normalise(source)
    restate(source, target)


def normalise(pkg: Package) -> None:
    """Remove editor noise from every story of `pkg`: rsids, proofing marks, rendered
    breaks, the cursor bookmark, and direct formatting its own styles already give."""
    resolver = _Resolver(pkg)
    for part in pkg.story_parts():
        root = pkg.xml(part)
        strip_noise(root)
        resolver.drop_restated(root)


def restate(source: Package, target: Package) -> None:
    """Restate a normalised `source` in `target`'s terms: style ids mapped by style name,
    refreshed field results taken from `target`."""
    mapping = _style_mapping(source, target)
    if mapping:
        for part in source.story_parts():
            _rename_styles(source.xml(part), mapping)
    for source_root, target_root in story_pairs(source, target):
        restate_field_results(source_root, target_root)


def strip_noise(root: etree._Element) -> None:
    """Remove rsids, proofing marks, rendered page breaks and the cursor bookmark."""
    doomed = []
    cursor_ids = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name in [k for k, _ in tree.attributes(el) if _DROPPED_ATTRS.match(k)]:
            del el.attrib[name]
        if el.tag in _PROPERTY_SETS:
            _bare_toggles(el)
        if el.tag in _DROPPED:
            doomed.append(el)
        elif el.tag == qn("w:bookmarkStart") and el.get(qn("w:name")) in _CURSOR_BOOKMARKS:
            doomed.append(el)
            cursor_ids.add(el.get(qn("w:id")))
    if cursor_ids:
        doomed += [el for el in root.iter(qn("w:bookmarkEnd")) if el.get(qn("w:id")) in cursor_ids]
    for el in doomed:
        tree.detach(el)


def _bare_toggles(props: etree._Element) -> None:
    """Write toggles switched on as their bare form: `<w:keepNext w:val="true"/>` is
    `<w:keepNext/>` (17.17.4 ST_OnOff), as LibreOffice and Word each write one of them."""
    for child in props:
        if (isinstance(child.tag, str) and len(child.attrib) == 1
                and child.get(VAL, "").lower() in ("true", "on")):
            del child.attrib[VAL]


# --- styles --------------------------------------------------------------------------------


def _style_names(pkg: Package) -> dict[tuple[str, str], str]:
    """Return (type, name lower-cased) -> style id."""
    out: dict[tuple[str, str], str] = {}
    for style in read_styles(pkg).by_id.values():
        if style.name and style.id:
            out.setdefault((style.type, style.name.lower()), style.id)
    return out


def _style_mapping(source: Package, target: Package) -> dict[str, str]:
    """Return source style id -> target style id for styles of one name and another id."""
    theirs = _style_names(target)
    out = {}
    for key, sid in _style_names(source).items():
        tid = theirs.get(key)
        if tid and tid != sid:
            out[sid] = tid
    return out


def _rename_styles(root: etree._Element, mapping: dict[str, str]) -> None:
    for el in root.iter(PSTYLE, RSTYLE, qn("w:tblStyle")):
        new = mapping.get(el.get(VAL, ""))
        if new:
            el.set(VAL, new)


Props = dict[str, etree._Element]


class _Resolver:
    """What the styles of one package give a paragraph or run before direct formatting."""

    def __init__(self, pkg: Package) -> None:
        self.styles = read_styles(pkg)
        self.default_paragraph = self.styles.default_paragraph
        defaults = self.styles.defaults
        self.defaults_p: Props = {}
        self.defaults_r: Props = {}
        self._cache: dict[tuple[str, str], Props] = {}
        if defaults is not None:
            self.defaults_p = _props(defaults.find(f"{qn('w:pPrDefault')}/{PPR}"))
            self.defaults_r = _props(defaults.find(f"{qn('w:rPrDefault')}/{RPR}"))

    def chain(self, sid: str | None, kind: str) -> Props:
        """Return the merged `kind` ('pPr' or 'rPr') properties of style `sid` and its bases."""
        key = (sid or "", kind)
        if key not in self._cache:
            out: Props = {}
            for style in reversed(self.styles.chain(sid)):
                if style.element is not None:
                    _merge(out, _props(style.element.find(qn(f"w:{kind}"))))
            self._cache[key] = out
        return self._cache[key]

    def drop_restated(self, root: etree._Element) -> None:
        """Drop direct paragraph and run properties equal to what the styles give."""
        for p in root.iter(P):
            ppr = p.find(PPR)
            style = (_val(ppr, PSTYLE) if ppr is not None else None) or self.default_paragraph
            if ppr is not None:
                explicit = ppr.find(PSTYLE)
                if explicit is not None and explicit.get(VAL) == self.default_paragraph:
                    ppr.remove(explicit)
                base = dict(self.defaults_p)
                _merge(base, self.chain(style, "pPr"))
                _drop_equal(ppr, base, _KEPT_PPR)
            para_r = dict(self.defaults_r)
            _merge(para_r, self.chain(style, "rPr"))
            for run in _own_runs(p):
                rpr = run.find(RPR)
                if rpr is None:
                    continue
                base = para_r
                rstyle = _val(rpr, RSTYLE)
                if rstyle:
                    base = dict(para_r)
                    _merge(base, self.chain(rstyle, "rPr"))
                _drop_equal(rpr, base, _KEPT_RPR)


def _own_runs(p: etree._Element) -> Iterator[etree._Element]:
    for run in p.iter(R):
        owner = run.getparent()
        while owner is not None and owner.tag != P:
            owner = owner.getparent()
        if owner is p:
            yield run


def _val(parent: etree._Element, tag: str) -> str | None:
    el = parent.find(tag)
    return el.get(VAL) if el is not None else None


def _props(el: etree._Element | None) -> Props:
    if el is None:
        return {}
    return {c.tag: c for c in el if isinstance(c.tag, str)}


def _merge(into: Props, more: Props) -> None:
    """Merge `more` over `into`: flat properties attribute by attribute, others whole."""
    for tag, el in more.items():
        old = into.get(tag)
        if old is not None and len(old) == 0 and len(el) == 0:
            merged = etree.Element(tag, dict(tree.attributes(old)))
            merged.attrib.update(el.attrib)
            into[tag] = merged
        else:
            into[tag] = el


def _drop_equal(props: etree._Element, base: Props, kept: frozenset[str]) -> None:
    for child in list(props):
        if not isinstance(child.tag, str) or child.tag in kept:
            continue
        if _restates(child, base.get(child.tag)):
            props.remove(child)


def _restates(el: etree._Element, base: etree._Element | None) -> bool:
    """Return True when direct property `el` says no more than `base` (or the unset value)."""
    if len(el):
        return base is not None and _key(el) == _key(base)
    if el.tag in _UNSET and _UNSET[el.tag] is None:
        return True
    attrs = dict(tree.attributes(el))
    if not attrs or (list(attrs) == [VAL] and _norm(attrs[VAL]) in ("0", "1")):
        have = _norm(base.get(VAL, "1")) if base is not None else "0"
        return _norm(attrs.get(VAL, "1")) == have  # a toggle: on, off, or as the styles say
    unset = _UNSET.get(el.tag) or {}
    for name, value in attrs.items():
        inherited = base.get(name) if base is not None else None
        if inherited is not None:
            if _norm(value) != _norm(inherited):
                return False
        elif value not in unset.get(name, ()):
            return False
    return True


def _norm(value: str) -> str:
    low = value.lower()
    if low in _ON:
        return "1"
    if low in ("0", "false", "off"):
        return "0"
    return value


def _key(el: etree._Element) -> tuple:
    return (el.tag, tuple(sorted((k, _norm(v)) for k, v in tree.attributes(el))),
            tuple(_key(c) for c in el if isinstance(c.tag, str)))


# --- refreshed field results -----------------------------------------------------------------


def story_pairs(source: Package, target: Package) -> list[tuple[etree._Element, etree._Element]]:
    """Return (source root, target root) of the main story and each header and footer pair."""
    if not source.main_part or not target.main_part:
        return []
    pairs = [(source.main_part, target.main_part), *story_part_pairs(source, target)]
    return [(source.xml(a), target.xml(b)) for a, b in pairs]


def volatile_results(root: etree._Element) -> list[tuple[str, list[etree._Element]]]:
    """Return (field name, result w:t elements) of each volatile field in `root`, in order."""
    out: list[tuple[str, list[etree._Element]]] = []
    stack: list[list] = []  # [instruction, in result, result texts]
    for el in root.iter(FLD_CHAR, INSTR, T, FLD_SIMPLE):
        if el.tag == FLD_SIMPLE:
            name = _field_name(el.get(qn("w:instr"), ""))
            if name in VOLATILE_FIELDS:
                out.append((name, list(el.iter(T))))
            continue
        if el.tag == FLD_CHAR:
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append(["", False, []])
            elif kind == "separate" and stack:
                stack[-1][1] = True
            elif kind == "end" and stack:
                instr, _, texts = stack.pop()
                name = _field_name(instr)
                if name in VOLATILE_FIELDS:
                    out.append((name, texts))
        elif el.tag == INSTR and stack and not stack[-1][1]:
            stack[-1][0] += el.text or ""
        elif el.tag == T and stack and stack[-1][1] and _in_fld_simple(el) is None:
            stack[-1][2].append(el)
    return out


def _in_fld_simple(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != P:
        if parent.tag == FLD_SIMPLE:
            return parent
        parent = parent.getparent()
    return None


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


def restate_field_results(source: etree._Element, target: etree._Element) -> int:
    """Give `source`'s volatile fields the cached results of `target`'s; return how many.

    Fields are paired in order when both stories hold the same sequence of
    volatile fields; otherwise nothing is restated.
    """
    theirs = volatile_results(target)
    ours = volatile_results(source)
    if [n for n, _ in ours] != [n for n, _ in theirs]:
        return 0
    done = 0
    for (_, mine), (_, other) in zip(ours, theirs):
        text = "".join(t.text or "" for t in other)
        if "".join(t.text or "" for t in mine) == text or not mine:
            continue
        mine[0].text = text
        for extra in mine[1:]:
            extra.text = ""
        done += 1
    return done


__all__ = ["VOLATILE_FIELDS", "normalise", "normalise_pair", "restate", "restate_field_results",
           "story_pairs", "strip_noise", "volatile_results"]
