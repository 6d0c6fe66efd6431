"""The source-id carrier: which briefing field each paragraph of a built document came from.

Every paragraph built from data is wrapped in a hidden bookmark whose name is
derived from its source id (`bookmark_name`), and a custom XML part
(`customXml/itemN.xml`, root `br:briefing`) maps each bookmark name back to the
source id and records the data's hash, version and template. Word and
LibreOffice keep both through tracked editing; readers must still cope with
either being lost (review and absorb fall back to aligning with a fresh build).

Source ids are paths into the data, built from the items' own `id` fields:
`key_messages/<id>/headline`, `key_messages/<id>/points/<i>`,
`member_comments/<id>/text`, `meeting/purpose`, `objectives/<i>`, ...
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml.ns import BR, DS
from briefing.ooxml.package import Package, parse_xml

BOOKMARK_PREFIX = "_Brf"
RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
RT_CUSTOM_XML_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DATASTORE_ITEM_ID = "{6B1F2C53-0C5E-4C1B-9E2A-5B7D3B1E2F01}"
_NAME_RE = re.compile(rf"^{BOOKMARK_PREFIX}[0-9a-f]{{20}}$")


def bookmark_name(source_id: str) -> str:
    """Return the hidden bookmark name for `source_id` (24 chars, stable across builds)."""
    return BOOKMARK_PREFIX + hashlib.sha1(source_id.encode("utf-8")).hexdigest()[:20]


def is_source_bookmark(name: str) -> bool:
    """Return True when `name` is one of our source-id bookmarks."""
    return bool(_NAME_RE.match(name or ""))


@dataclass
class SourceMap:
    """Bookmark name -> source id, plus the hash and version of the data a document came from."""

    ids: dict[str, str] = field(default_factory=dict)
    data_hash: str = ""
    version: int = 0
    template: str = ""
    source_file: str = ""
    data_json: str = ""  # canonical JSON of the data built from: absorb's merge base
    # True when data_json holds only what the document shows (a lines card), so a reader
    # completes it (briefing.source.shown.buildable) before building from it.
    data_partial: bool = False
    # Authors of the tracked changes accepted or rejected so far -> how many: `briefing
    # accept/reject` record them (the cleared document no longer holds the revisions) so
    # that absorb can write one clearance entry per reviewer.
    reviewers: dict[str, int] = field(default_factory=dict)
    # Authors of the redline a draft was built with (`build --since`): their tracked
    # changes show what changed since the last draft; they are not a member's review.
    redliners: list[str] = field(default_factory=list)


    def add(self, source_id: str) -> str:
        """Record `source_id` and return its bookmark name."""
        name = bookmark_name(source_id)
        self.ids[name] = source_id
        return name

    def to_xml(self) -> bytes:
        """Return the custom XML part's bytes."""
        root = etree.Element(f"{{{BR}}}briefing", nsmap={"br": BR})
        root.set("version", str(self.version))
        root.set("dataHash", self.data_hash)
        root.set("template", self.template)
        root.set("sourceFile", self.source_file)
        for name, sid in self.ids.items():
            etree.SubElement(root, f"{{{BR}}}source", bookmark=name, id=sid)
        for name, count in self.reviewers.items():
            etree.SubElement(root, f"{{{BR}}}reviewer", name=name, changes=str(count))
        for name in self.redliners:
            etree.SubElement(root, f"{{{BR}}}redliner", name=name)
        if self.data_json:
            data = etree.SubElement(root, f"{{{BR}}}data")
            data.text = self.data_json
            if self.data_partial:
                data.set("part", "shown")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @classmethod
    def from_xml(cls, data: bytes, where: str = "customXml") -> SourceMap | None:
        """Return the map held in `data`, or None when it is not ours."""
        root = parse_xml(data, where)
        if root.tag != f"{{{BR}}}briefing":
            return None
        smap = cls(data_hash=root.get("dataHash", ""), template=root.get("template", ""),
                   source_file=root.get("sourceFile", ""))
        try:
            smap.version = int(root.get("version", "0"))
        except ValueError:
            smap.version = 0
        for el in root.iter(f"{{{BR}}}source"):
            bookmark, sid = el.get("bookmark"), el.get("id")
            if bookmark and sid:
                smap.ids[bookmark] = sid
        for el in root.iter(f"{{{BR}}}reviewer"):
            name = (el.get("name") or "").strip()
            if name:
                count = el.get("changes", "0")
                smap.reviewers[name] = smap.reviewers.get(name, 0) + (
                    int(count) if count.isdigit() else 0)
        smap.redliners = [who for el in root.iter(f"{{{BR}}}redliner")
                          if (who := el.get("name"))]
        held = root.find(f"{{{BR}}}data")
        smap.data_json = held.text or "" if held is not None else ""
        smap.data_partial = held is not None and held.get("part") == "shown"
        return smap


def item_props_xml() -> bytes:
    """Return the itemProps part that names the custom XML part's namespace."""
    root = etree.Element(f"{{{DS}}}datastoreItem", nsmap={"ds": DS})
    root.set(f"{{{DS}}}itemID", DATASTORE_ITEM_ID)
    refs = etree.SubElement(root, f"{{{DS}}}schemaRefs")
    etree.SubElement(refs, f"{{{DS}}}schemaRef").set(f"{{{DS}}}uri", BR)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_source_map(pkg: Package) -> SourceMap | None:
    """Return the source map of a package, or None when it carries none."""
    for name in sorted(pkg.parts):
        if re.fullmatch(r"customXml/item\d+\.xml", name):
            head = pkg.parts[name][:512]
            if BR.encode() in head:
                return SourceMap.from_xml(pkg.parts[name], f"{pkg.path}:{name}")
    return None


def record_reviewers(pkg: Package, counts: dict[str, int]) -> None:
    """Add revision authors and counts to the package's source map (none: nothing to do).

    `briefing accept` and `briefing reject` call this with the authors of the
    changes they resolve, so the cleared document still says who reviewed it.
    """

    def add(smap: SourceMap) -> None:
        for author, count in counts.items():
            author = (author or "").strip() or "unknown"
            smap.reviewers[author] = smap.reviewers.get(author, 0) + count

    _update(pkg, add)


def record_redliner(pkg: Package, author: str) -> None:
    """Note in the package's source map that `author` made its redline (none: nothing to do).

    `build --since` calls this, so absorb does not take the redline's author
    for a lead member who reviewed the draft.
    """

    def add(smap: SourceMap) -> None:
        if author and author not in smap.redliners:
            smap.redliners.append(author)

    _update(pkg, add)


def _update(pkg: Package, change) -> None:
    """Apply `change` to the package's source map in place (none, or not ours: nothing)."""
    for name in sorted(pkg.parts):
        if re.fullmatch(r"customXml/item\d+\.xml", name) and BR.encode() in pkg.parts[name][:512]:
            smap = SourceMap.from_xml(pkg.parts[name], f"{pkg.path}:{name}")
            if smap is not None:
                change(smap)
                pkg.set_bytes(name, smap.to_xml())
            return
