"""Open a .docx safely and give its parts as bytes or parsed XML.

Hostile input is refused before anything is inflated or parsed: files that are
not zips, encrypted (OLE) files, zip bombs (declared sizes, ratios and entry
counts checked first, actual sizes enforced while reading), and XML with a
DOCTYPE or entity declarations. Nothing is ever fetched or executed; macros in
a .docm are carried as opaque bytes.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from lxml import etree

from briefing.errors import DocumentError
from briefing.ooxml.ns import CT, PR, strict_to_transitional
from briefing.paths import atomic_write_bytes

MAX_ENTRIES = 5_000
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
RT_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, remove_blank_text=False,
)


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Return the root of `data`, refusing DOCTYPE/entity declarations; `where` names it."""
    head = data[:4096].lstrip()
    if b"<!DOCTYPE" in data or b"<!ENTITY" in head:
        raise DocumentError(f"{where}: contains a DOCTYPE or entity declaration; "
                            "refused for safety")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"{where}: damaged XML ({exc.msg})") from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:  # e.g. a UTF-16 part hides it from the scan
        raise DocumentError(f"{where}: contains a DOCTYPE or entity declaration; "
                            "refused for safety")
    return root


#: Parts a reader does without: when damaged they are left out with a warning.
DISPENSABLE_PARTS = ("docProps/custom.xml", "docProps/app.xml")


@dataclass
class Package:
    """The parts of an OPC package (a .docx), read with safety limits."""

    path: Path
    parts: dict[str, bytes]
    #: True when the package was saved as Strict Open XML (ISO/IEC 29500 Strict) and read,
    #: as Word reads it, in the transitional namespaces; it is written back as transitional.
    strict: bool = False
    _xml: dict[str, etree._Element] = field(default_factory=dict, repr=False)
    notes: list[str] = field(default_factory=list, repr=False)  # warnings for the user

    @classmethod
    def open(cls, path: str | Path) -> Package:
        """Return the package at `path` or raise DocumentError saying why it cannot be read."""
        path = Path(path)
        if not path.is_file():
            raise DocumentError(f"{path}: no such file")
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head == OLE_MAGIC:
            raise DocumentError(
                f"{path}: password-protected (encrypted) or old binary Word file; "
                "remove the password in Word (File > Info > Protect Document) or save as .docx"
            )
        if not zipfile.is_zipfile(path):
            raise DocumentError(f"{path}: not a Word document (.docx files are zip packages)")
        return cls._read(path, path)

    @classmethod
    def from_bytes(cls, data: bytes, path: str | Path) -> Package:
        """Return the package held in `data` (a build or upload); `path` names it in messages."""
        return cls._read(io.BytesIO(data), Path(path))

    @classmethod
    def _read(cls, source: Path | io.BytesIO, path: Path) -> Package:
        """Return the Word package in zip `source` (named `path`), its members read with guards."""
        try:
            with zipfile.ZipFile(source) as zf:
                parts = _read_members(zf, path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
                zlib.error) as exc:
            raise DocumentError(f"{path}: damaged zip package ({exc})") from None
        except NotImplementedError as exc:
            raise DocumentError(f"{path}: unsupported zip compression ({exc})") from None
        strict = strict_to_transitional(parts)
        pkg = cls(path, parts, strict=strict)
        pkg._check_is_word()
        return pkg

    def _check_is_word(self) -> None:
        if "[Content_Types].xml" not in self.parts:
            raise DocumentError(f"{self.path}: not a Word document (no [Content_Types].xml)")
        main = self.main_part
        if main is None or main not in self.parts:
            raise DocumentError(f"{self.path}: not a Word document (no main document part)")
        if self.content_type(main) not in MAIN_TYPES:
            raise DocumentError(
                f"{self.path}: not a Word document (main part is {self.content_type(main)})"
            )

    @property
    def main_part(self) -> str | None:
        """Return the name of the main document part (usually word/document.xml)."""
        for rel in self.rels(""):
            if rel.type == RT_OFFICE_DOCUMENT:
                return rel.target
        return "word/document.xml" if "word/document.xml" in self.parts else None

    @property
    def main_name(self) -> str:
        """Return the main document part's name, word/document.xml when none is found."""
        return self.main_part or "word/document.xml"

    @property
    def has_macros(self) -> bool:
        """Return True for macro-enabled packages (.docm); macros are never run."""
        main = self.main_part
        return main is not None and self.content_type(main) in MACRO_TYPES

    def xml(self, name: str) -> etree._Element:
        """Return the parsed root of part `name` (cached; edits persist until save)."""
        if name not in self._xml:
            if name not in self.parts:
                raise DocumentError(f"{self.path}: missing part {name}")
            self._xml[name] = parse_xml(self.parts[name], f"{self.path}:{name}")
        return self._xml[name]

    def set_xml(self, name: str, root: etree._Element) -> None:
        """Replace part `name` with `root` (serialised on save)."""
        self._xml[name] = root
        self.parts.setdefault(name, b"")

    def set_bytes(self, name: str, data: bytes) -> None:
        """Replace part `name` with raw bytes."""
        self._xml.pop(name, None)
        self.parts[name] = data

    def remove(self, name: str) -> None:
        """Drop part `name` (caller also fixes relationships and content types)."""
        self._xml.pop(name, None)
        self.parts.pop(name, None)

    def content_type(self, name: str) -> str | None:
        """Return the content type of part `name` from [Content_Types].xml."""
        root = self.xml("[Content_Types].xml")
        for el in root.iter(f"{{{CT}}}Override"):
            if el.get("PartName", "").lstrip("/") == name:
                return el.get("ContentType")
        ext = name.rpartition(".")[2].lower()
        for el in root.iter(f"{{{CT}}}Default"):
            if el.get("Extension", "").lower() == ext:
                return el.get("ContentType")
        return None

    def rels(self, source: str) -> list[Rel]:
        """Return the relationships of part `source` ('' for the package), targets resolved."""
        base = posixpath.dirname(source)
        name = rels_name(source)
        if name not in self.parts:
            return []
        out = []
        for el in self.xml(name).iter(f"{{{PR}}}Relationship"):
            target = el.get("Target", "")
            if el.get("TargetMode") != "External":
                target = (target.lstrip("/") if target.startswith("/")
                          else posixpath.normpath(posixpath.join(base, target)))
            out.append(Rel(el.get("Id", ""), el.get("Type", ""), target,
                           el.get("TargetMode") == "External"))
        return out

    def _internal(self, source: str | None) -> list[Rel]:
        """Return the internal relationships of `source` (None: the main document)."""
        where = self.main_name if source is None else source
        return [rel for rel in self.rels(where) if not rel.external]

    def relationship(self, kind: str, source: str | None = None) -> Rel | None:
        """Return `source`'s (default: main; '' the package) first internal relationship of
        kind `kind` (see Rel.kind), or None."""
        return next((rel for rel in self._internal(source) if rel.kind == kind), None)

    def related_part(self, kind: str, source: str | None = None) -> str | None:
        """Return the part `source` (default: the main document) relates as `kind`, if present."""
        rel = self.relationship(kind, source)
        return rel.target if rel is not None and rel.target in self.parts else None

    def related_parts(self, kinds: Collection[str], source: str | None = None) -> list[str]:
        """Return every present part `source` (default: main) relates as one of `kinds`."""
        return [rel.target for rel in self._internal(source)
                if rel.kind in kinds and rel.target in self.parts]

    def parts_by_id(self, source: str | None = None) -> dict[str, str]:
        """Return relationship id -> present internal target part, for `source` (default: main)."""
        return {rel.id: rel.target for rel in self._internal(source) if rel.target in self.parts}

    def story_parts(self) -> list[str]:
        """Return the parts that hold text: main document, headers, footers, notes, comments."""
        main = self.main_name
        return [main, *self.related_parts(_STORY_KINDS, main)]

    # --- changing parts and relationships -------------------------------------------

    def relate(self, source: str, name: str, rel_type: str, prefix: str = "rId", *,
               external: bool = False) -> str:
        """Relate part `name` (or, `external`, the address `name`) from `source` ('' =
        package) as `rel_type`; return the new id (`prefix` and the first number not yet
        taken)."""
        base = posixpath.dirname(source)
        target = ("/" + name if not source else posixpath.relpath(name, base or ".")
                  ) if not external else name
        rels = self._rels_root(source)
        taken = {el.get("Id") for el in rels}
        n = next(k for k in count(1) if f"{prefix}{k}" not in taken)
        el = etree.SubElement(rels, f"{{{PR}}}Relationship", Id=f"{prefix}{n}", Type=rel_type,
                              Target=target)
        if external:
            el.set("TargetMode", "External")
        return f"{prefix}{n}"

    def add_part(self, source: str, name: str, data: bytes, rel_type: str,
                 content_type: str | None = None, prefix: str = "rIdB") -> None:
        """Add part `name` related from `source` ('' = package), replacing any of that type
        (and the parts they pointed to, with their rels); declare `content_type` if given."""
        if rels_name(source) in self.parts:
            rels = self.xml(rels_name(source))
            for rel in self.rels(source):
                if rel.type == rel_type and not rel.external:
                    self.remove(rel.target)
                    self.remove(rels_name(rel.target))
            for el in list(rels):
                if el.get("Type") == rel_type:
                    rels.remove(el)
        self.set_bytes(name, data)
        self.relate(source, name, rel_type, prefix)
        if content_type:
            self.set_override(name, content_type)

    def set_override(self, name: str, content_type: str) -> None:
        """Declare the content type of part `name` in [Content_Types].xml."""
        types = self.xml("[Content_Types].xml")
        for el in types.findall(f"{{{CT}}}Override"):
            if el.get("PartName", "").lstrip("/") == name:
                el.set("ContentType", content_type)
                return
        etree.SubElement(types, f"{{{CT}}}Override", PartName="/" + name,
                         ContentType=content_type)

    def remove_relationship(self, source: str, rel_id: str) -> None:
        """Remove relationship `rel_id` from part `source`'s relationships (if it has any)."""
        if rels_name(source) not in self.parts:
            return
        root = self.xml(rels_name(source))
        for el in list(root.iter(f"{{{PR}}}Relationship")):
            if el.get("Id") == rel_id:
                root.remove(el)

    def drop_part(self, name: str) -> None:
        """Remove part `name`, its content-type override, its rels and the parts only it used."""
        if name not in self.parts:
            return
        own = [r for r in self.rels(name) if not r.external]
        self.remove(name)
        self.remove(rels_name(name))
        types = self.xml("[Content_Types].xml")
        for el in list(types.iter(f"{{{CT}}}Override")):
            if el.get("PartName", "").lstrip("/") == name:
                types.remove(el)
        for rel in own:
            if not self._still_used(rel.target):
                self.drop_part(rel.target)

    def _still_used(self, target: str) -> bool:
        """Return True when some remaining relationship points at part `target`."""
        return any(r.target == target and not r.external
                   for rels in list(self.parts) if rels.endswith(".rels")
                   for r in self.rels(rels_source(rels)))

    def _rels_root(self, source: str) -> etree._Element:
        """Return the root of `source`'s relationships part, made empty when it has none."""
        name = rels_name(source)
        if name not in self.parts:
            root = etree.Element(f"{{{PR}}}Relationships", nsmap={None: PR})  # type: ignore[dict-item]
            self.set_xml(name, root)
        return self.xml(name)

    def to_bytes(self) -> bytes:
        """Return the package as zip bytes, [Content_Types].xml first, edits serialised."""
        buf = io.BytesIO()
        names = sorted(self.parts, key=lambda n: n != "[Content_Types].xml")
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in names:
                zf.writestr(name, self.part_bytes(name))
        return buf.getvalue()

    def part_bytes(self, name: str) -> bytes:
        """Return part `name` as it would be saved (its edits serialised)."""
        if name in self._xml:
            return etree.tostring(self._xml[name], encoding="UTF-8",
                                  standalone=True)  # standalone: with a declaration
        return self.parts[name]

    def save(self, path: str | Path) -> None:
        """Write the package to `path` atomically, refusing to write a package Word cannot open."""
        self.check_sound()
        atomic_write_bytes(Path(path), self.to_bytes())

    def check_sound(self) -> None:
        """Raise DocumentError unless every part parses, has a content type and every
        relationship's target exists: what a damaged input would pass on to a copy."""
        if "_rels/.rels" not in self.parts:
            raise DocumentError(f"{self.path}: damaged package: no package relationships "
                                "(_rels/.rels); nothing was written")
        self.drop_damaged_extras()
        for name in sorted(self.parts):
            if name not in self._xml and name.endswith((".xml", ".rels")):
                self.xml(name)  # raises DocumentError for damaged XML
                self._xml.pop(name, None)  # checked, not edited: keep its bytes as they are
            if self.content_type(name) is None and name != "[Content_Types].xml":
                raise DocumentError(f"{self.path}: damaged package: part {name} has no content "
                                    "type; nothing was written")
            if name.endswith(".rels"):
                self._check_targets(name)

    def drop_damaged_extras(self) -> None:
        """Leave out damaged parts that Word does without (custom and extended document
        properties, found damaged in real files), noting each in `notes`: a warning, never
        a refusal."""
        for name in DISPENSABLE_PARTS:
            if name not in self.parts or name in self._xml:
                continue
            try:
                parse_xml(self.parts[name], f"{self.path}:{name}")
            except DocumentError as exc:
                for rel in self.rels(""):
                    if rel.target == name:
                        self.remove_relationship("", rel.id)
                self.drop_part(name)
                self.notes.append(f"{exc}; left out of the output, as Word does")

    def _check_targets(self, name: str) -> None:
        for rel in self.rels(rels_source(name)):
            if not rel.external and rel.target not in self.parts:
                raise DocumentError(f"{self.path}: damaged package: {name} points to "
                                    f"{rel.target}, which is missing; nothing was written")


_STORY_KINDS = frozenset({"header", "footer", "footnotes", "endnotes", "comments"})


def rels_name(source: str) -> str:
    """Return the name of the relationships part of part `source` ('' for the package)."""
    base, fname = posixpath.split(source)
    return posixpath.join(base, "_rels", f"{fname}.rels")


def rels_source(name: str) -> str:
    """Return the part a relationships part belongs to ('' for the package's own)."""
    if name == "_rels/.rels":
        return ""
    folder = posixpath.dirname(posixpath.dirname(name))
    return posixpath.join(folder, posixpath.basename(name)[: -len(".rels")])


@dataclass(frozen=True)
class Rel:
    """One relationship: id, type URI, resolved target part name, external flag."""

    id: str
    type: str
    target: str
    external: bool

    @property
    def kind(self) -> str:
        """Return the last segment of the type URI ('styles', 'comments', 'core-properties'):
        the same for transitional and strict OOXML."""
        return self.type.rpartition("/")[2]


def _read_members(zf: zipfile.ZipFile, path: Path) -> dict[str, bytes]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise DocumentError(f"{path}: too many parts ({len(infos)}); refused as a zip bomb")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocumentError(f"{path}: encrypted zip entries; refused")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise DocumentError(
                f"{path}: part {info.filename} inflates to {info.file_size:,} bytes "
                f"(ratio {ratio:.0f}:1); refused as a zip bomb"
            )
    if total > MAX_TOTAL_BYTES:
        raise DocumentError(f"{path}: inflates to {total:,} bytes; refused as a zip bomb")
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)  # sizes can lie: never read past the declared one
        if len(data) > info.file_size:
            raise DocumentError(f"{path}: part {info.filename} is larger than declared; refused")
        parts[info.filename] = data
    return parts
