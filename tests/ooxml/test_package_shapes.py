"""Packages as other tools write them, and packages as we write them.

Zip tools add folder entries, some producers leave out the package
relationship to the main part, and file-type sniffers (libmagic, and so
`file` and many mail gateways) recognise a .docx by `[Content_Types].xml`
being its first entry. These tests read the first kind and pin the last.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner

from briefing.cli import app
from briefing.ooxml.package import Package
from tests.support.cxml import para, w, write_docx

runner = CliRunner()


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _rezip(path: Path, entries: dict[str, bytes | None]) -> Path:
    """Rewrite `path` with `entries` in this order (None: a folder entry)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            if data is None:
                zf.writestr(zipfile.ZipInfo(name), b"")  # a name ending in / is a folder
            else:
                zf.writestr(name, data)
    return path


def _tracked(tmp: Path) -> Path:
    return write_docx(tmp / "memo.docx", [para("Members ", w.ins(w.r(w.t("warmly ")),
                                                                  author="Cllr A"), "agreed.")])


def test_folder_entries_made_by_zip_tools_are_skipped_and_every_part_read(tmp_path):
    path = _tracked(tmp_path)
    parts = _entries(path)
    folders: dict[str, bytes | None] = {"_rels/": None, "word/": None, "word/_rels/": None}
    _rezip(path, {**folders, **parts})  # as `zip -r` writes them: each folder before its files
    pkg = Package.open(path)
    assert sorted(pkg.parts) == sorted(parts)
    result = runner.invoke(app, ["review", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert '"text": "warmly "' in result.stdout


def test_a_package_without_a_main_document_relationship_falls_back_to_word_document(tmp_path):
    path = _tracked(tmp_path)
    parts = _entries(path)
    parts["_rels/.rels"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                            b'2006/relationships"/>')
    pkg = Package.open(_rezip(path, parts))
    assert pkg.main_part == "word/document.xml"


def test_a_package_with_neither_relationship_nor_word_document_is_not_word(tmp_path):
    path = _tracked(tmp_path)
    parts = _entries(path)
    parts["_rels/.rels"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                            b'2006/relationships"/>')
    parts["word/main.xml"] = parts.pop("word/document.xml")
    _rezip(path, parts)
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: not a Word document (no main document part)\n"


def test_what_we_write_opens_with_content_types_first_as_file_type_sniffers_expect(tmp_path):
    path = _tracked(tmp_path)
    parts = _entries(path)
    # A producer that put [Content_Types].xml last: our copy still puts it first.
    _rezip(path, {**{k: v for k, v in parts.items() if k != "[Content_Types].xml"},
                  "[Content_Types].xml": parts["[Content_Types].xml"]})
    out = tmp_path / "accepted.docx"
    result = runner.invoke(app, ["accept", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        assert zf.infolist()[0].filename == "[Content_Types].xml"


def test_every_xml_part_we_write_declares_itself_standalone_utf8_as_word_does(tmp_path):
    path = _tracked(tmp_path)
    out = tmp_path / "accepted.docx"
    assert runner.invoke(app, ["accept", str(path), "-o", str(out)]).exit_code == 0
    document = _entries(out)["word/document.xml"]
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
