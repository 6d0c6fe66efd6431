"""Hidden data in a .docx: what a file carries that its pages do not show.

`find_hidden` reads it for `briefing check`: the briefing data a document we
built embeds for absorb, hidden text (`w:vanish`, ECMA-376 Part 1, 17.3.2.41)
and personal properties (author and last editor in `docProps/core.xml`,
company and manager in `docProps/app.xml`, the people Word lists in
`word/people.xml`). Tracked changes and comments are counted by `inspect`.

`scrub` removes all of it, and the rest of what a release copy must not carry,
from a package whose tracked changes and comments are already cleared:
custom XML parts (our source map among them), document variables, the
attached template's path, rsids, hidden bookmarks (names starting `_`, Word's
own and ours) other than those a field or link points at, the thumbnail, the
glossary, and every document property but title, subject and language (the
marking is set again as the custom property `Classification`). The visible
text is not touched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml import build_xml as bx
from briefing.ooxml import tree
from briefing.ooxml.ns import CP, DC, W15, W, qn
from briefing.ooxml.package import Package, rels_source
from briefing.ooxml.read.comments import drop_comments
from briefing.ooxml.read.text import text
from briefing.ooxml.sourcemap import SourceMap

EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
# Relationship kinds (the type's last segment) of parts a release copy drops, wherever they hang.
DROPPED_RELS = frozenset({"customXml", "people", "extended-properties", "custom-properties",
                          "thumbnail", "glossaryDocument", "attachedTemplate", "vbaProject",
                          "keyMapCustomizations"})
KEPT_CORE = {f"{{{DC}}}title", f"{{{DC}}}subject", f"{{{DC}}}language"}
_PERSONAL_CORE = ((f"{{{DC}}}creator", "author"), (f"{{{CP}}}lastModifiedBy", "last modified by"))
_PERSONAL_APP = ((f"{{{EP}}}Company", "company"), (f"{{{EP}}}Manager", "manager"))
_SETTINGS_DROPPED = {qn(f"w:{t}") for t in ("rsids", "docVars", "attachedTemplate",
                                              "trackRevisions")}
_FALSE = {"0", "false", "off"}
_FIELD_NAME = re.compile(r"\b(_\w+)")


@dataclass
class Hidden:
    """What a document carries out of sight (beyond tracked changes and comments)."""

    embedded: bool = False  # a briefing's data, beyond its status, marking and version
    hidden_text: list[str] = field(default_factory=list)  # text of w:vanish runs
    personal: list[tuple[str, str]] = field(default_factory=list)  # (property, value)


def find_hidden(pkg: Package, smap: SourceMap | None) -> Hidden:
    """Return the hidden data in `pkg` (`smap`: its source map, when it has one)."""
    return Hidden(embedded=_embeds_data(smap), hidden_text=_hidden_text(pkg),
                  personal=_personal(pkg))


def _embeds_data(smap: SourceMap | None) -> bool:
    """Return True when the source map holds briefing content, not only its trace."""
    if smap is None or not smap.data_json:
        return False
    try:
        data = json.loads(smap.data_json)
    except ValueError:
        return True
    return not isinstance(data, dict) or any(key != "briefing" for key in data)


def _vanished(run: etree._Element) -> bool:
    vanish = run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")
    return vanish is not None and (vanish.get(qn("w:val")) or "true").lower() not in _FALSE


def _hidden_text(pkg: Package) -> list[str]:
    """Return the text of each hidden run in the body, headers, footers and notes."""
    out = []
    for part in _text_parts(pkg):
        for run in pkg.xml(part).iter(qn("w:r")):
            words = text(run)  # the one reader: a hidden run reads as any other
            if words.strip() and _vanished(run):
                out.append(words)
    return out


def _text_parts(pkg: Package) -> list[str]:
    return [p for p in pkg.story_parts() if not p.endswith("comments.xml")]


def _personal(pkg: Package) -> list[tuple[str, str]]:
    """Return (property, value) for each personal property the package sets."""
    out = []
    for kind, fields in (("core-properties", _PERSONAL_CORE),
                         ("extended-properties", _PERSONAL_APP)):
        name = pkg.related_part(kind, "")
        if name is None:
            continue
        root = pkg.xml(name)
        out += [(label, " ".join(el.text.split())) for tag, label in fields
                for el in root.iter(tag) if el.text and el.text.strip()]
    people = pkg.related_part("people")
    if people is not None:
        out += [("person", el.get(f"{{{W15}}}author") or "")
                for el in pkg.xml(people).iter(f"{{{W15}}}person")]
    return out


# --- the release copy -------------------------------------------------------------------


def scrub(pkg: Package, marking: str | None) -> None:
    """Remove every kind of hidden data from `pkg`, in place (see the module's docstring)."""
    drop_comments(pkg)  # none are left (release refuses them); this drops the empty parts
    _drop_related_parts(pkg)
    for name in [n for n in pkg.parts if n.startswith("customXml/")]:
        pkg.drop_part(name)
    for part in [n for n in pkg.parts if n.startswith("word/") and n.endswith(".xml")]:
        _scrub_part(pkg.xml(part))
    for part in _text_parts(pkg):
        _drop_hidden_runs(pkg.xml(part))
    _drop_hidden_bookmarks(pkg)
    _keep_core(pkg)
    if marking:
        pkg.add_part("", "docProps/custom.xml",
                     bx.custom_properties_xml({"Classification": marking}),
                     bx.RT_CUSTOM_PROPS, bx.CT_CUSTOM_PROPS)


def _drop_related_parts(pkg: Package) -> None:
    """Remove the parts (and relationships) of the kinds in DROPPED_RELS."""
    for rels_name in sorted(n for n in pkg.parts if n.endswith(".rels")):
        if rels_name not in pkg.parts:
            continue
        source = rels_source(rels_name)
        for rel in pkg.rels(source):
            if rel.kind in DROPPED_RELS:
                pkg.remove_relationship(source, rel.id)
                if not rel.external:
                    pkg.drop_part(rel.target)


def _scrub_part(root: etree._Element) -> None:
    """Drop rsids everywhere, and the settings that record history or paths."""
    rsid = f"{{{W}}}rsid"
    for el in root.iter():
        for attr in [a for a in el.attrib if str(a).startswith(rsid)]:
            del el.attrib[attr]
    if root.tag == qn("w:settings"):  # where these are (ECMA-376 17.15.1)
        for el in [c for c in root if c.tag in _SETTINGS_DROPPED]:
            root.remove(el)


def _drop_hidden_runs(root: etree._Element) -> None:
    for run in [r for r in root.iter(qn("w:r")) if _vanished(r)]:
        tree.detach(run)


def _drop_hidden_bookmarks(pkg: Package) -> None:
    """Remove bookmarks named `_...` that no field or link points at."""
    parts = _text_parts(pkg)
    wanted = set()
    for part in parts:
        root = pkg.xml(part)
        wanted |= {el.get(qn("w:anchor")) for el in root.iter(qn("w:hyperlink"))}
        for el in root.iter(qn("w:instrText")):
            wanted |= set(_FIELD_NAME.findall(el.text or ""))
        for el in root.iter(qn("w:fldSimple")):
            wanted |= set(_FIELD_NAME.findall(el.get(qn("w:instr")) or ""))
    for part in parts:
        root = pkg.xml(part)
        gone = set()
        for el in list(root.iter(qn("w:bookmarkStart"))):
            name = el.get(qn("w:name")) or ""
            if name.startswith("_") and name not in wanted:
                gone.add(el.get(qn("w:id")))
                tree.detach(el)
        for el in list(root.iter(qn("w:bookmarkEnd"))):
            if el.get(qn("w:id")) in gone:
                tree.detach(el)


def _keep_core(pkg: Package) -> None:
    """Reduce the core properties to title, subject and language."""
    name = pkg.related_part("core-properties", "")
    if name is None:
        return
    root = pkg.xml(name)
    for el in list(root):
        if el.tag not in KEPT_CORE:
            root.remove(el)
