"""Hostile input: every command that reads a .docx refuses it with a clear message and exit 1.

Nothing is inflated past sane limits, no entity is expanded, no file or URL
is read, no macro is run, and nothing is written.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.support.cxml import CT_MACRO, para, write_docx

runner = CliRunner()
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMANDS = [["review"], ["review", "--json"], ["accept"], ["reject"]]


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def not_a_zip(tmp: Path) -> Path:
    path = tmp / "notes.docx"
    path.write_text("These are my notes, saved with the wrong extension.\n")
    return path


def zip_not_word(tmp: Path) -> Path:
    return _zip(tmp / "photos.docx", {"photo.jpg": b"\xff\xd8\xff\xe0 not really a photo"})


def spreadsheet(tmp: Path) -> Path:
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
          'org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')
    return _zip(tmp / "budget.docx", {"[Content_Types].xml": ct.encode(),
                                      "_rels/.rels": rels.encode(),
                                      "xl/workbook.xml": b"<workbook/>"})


def encrypted(tmp: Path) -> Path:
    path = tmp / "protected.docx"  # Word saves a password-protected .docx as an OLE file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4088)
    return path


_BOMB: dict[str, bytes] = {}


def zip_bomb(tmp: Path) -> Path:
    """Return a .docx carrying 300 MB of zeros (about 300 kB on disk), streamed in."""
    path = tmp / "bomb.docx"
    if "bytes" in _BOMB:  # made once per session: streaming 300 MB takes a second
        path.write_bytes(_BOMB["bytes"])
        return path
    write_docx(path, [para("Looks innocent.")])
    with (zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf,
          zf.open("word/media/image1.png", "w", force_zip64=True) as fh):
        chunk = bytes(1 << 20)
        for _ in range(300):
            fh.write(chunk)
    _BOMB["bytes"] = path.read_bytes()
    return path


def forged_sizes(tmp: Path) -> Path:
    """Return a .docx whose headers declare 100 bytes for a part that inflates to 20 MB."""
    path = write_docx(tmp / "forged.docx", [para("Looks innocent.")])
    name = b"word/media/image1.png"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name.decode(), bytes(20 << 20))
    raw = bytearray(path.read_bytes())
    local = raw.rfind(b"PK\x03\x04", 0, raw.find(name))
    raw[local + 22:local + 26] = struct.pack("<I", 100)
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))
    raw[central + 24:central + 28] = struct.pack("<I", 100)
    path.write_bytes(bytes(raw))
    return path


def _document_xml(prolog: str, text: str, encoding: str = "utf-8") -> bytes:
    body = (f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            "</w:body></w:document>")
    return (prolog + body).encode(encoding)


def billion_laughs(tmp: Path) -> Path:
    lol = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "lollollollollol">'
           + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                     for i in range(9)) + "]>")
    return write_docx(tmp / "laughs.docx", _document_xml(lol, "&j;"))


def external_entity(tmp: Path) -> Path:
    secret = tmp / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    return write_docx(tmp / "xxe.docx", _document_xml(xxe, "&x;"))


def utf16_doctype(tmp: Path) -> Path:
    lol = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:document [<!ENTITY a "lol">]>'
    return write_docx(tmp / "utf16.docx", _document_xml(lol, "&a;", "utf-16"))


CASES = {
    "not-a-zip": (not_a_zip, "{path}: not a Word document (.docx files are zip packages)"),
    "zip-not-word": (zip_not_word, "{path}: not a Word document (no [Content_Types].xml)"),
    "spreadsheet": (spreadsheet, ("{path}: not a Word document (main part is application/"
                                 "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml)")),
    "encrypted": (encrypted, ("{path}: password-protected (encrypted) or old binary Word file; "
                             "remove the password in Word (File > Info > Protect Document) "
                             "or save as .docx")),
    "zip-bomb": (zip_bomb, ("{path}: part word/media/image1.png inflates to 314,572,800 bytes "
                           "(ratio 1029:1); refused as a zip bomb")),
    "forged-sizes": (forged_sizes, ("{path}: damaged zip package (Bad CRC-32 for file "
                                   "'word/media/image1.png')")),
    "billion-laughs": (billion_laughs, ("{path}:word/document.xml: contains a DOCTYPE or entity "
                                       "declaration; refused for safety")),
    "external-entity": (external_entity, ("{path}:word/document.xml: contains a DOCTYPE or "
                                         "entity declaration; refused for safety")),
    "utf16-doctype": (utf16_doctype, ("{path}:word/document.xml: contains a DOCTYPE or entity "
                                     "declaration; refused for safety")),
}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_is_refused_with_a_message_and_nothing_written(tmp_path, case, command):
    make, message = CASES[case]
    path = make(tmp_path)
    before = path.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == 1, result.output
    assert result.stderr == message.format(path=path) + "\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # nothing written
    assert path.read_bytes() == before  # input untouched


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    path = zip_bomb(tmp_path)
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 1
    assert opened == []  # refused from the declared sizes alone


def test_entities_are_neither_expanded_nor_fetched(tmp_path):
    path = external_entity(tmp_path)
    result = runner.invoke(app, ["review", "--json", str(path)])
    assert "TOP SECRET" not in result.output


def test_a_macro_enabled_document_is_read_and_its_macros_never_run(tmp_path):
    path = write_docx(tmp_path / "minutes.docm", [para("a", "b")], main_type=CT_MACRO,
                      extra={"word/vbaProject.bin": b"Attribute VB_Name = \"AutoOpen\"\n"})
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{path}: no tracked changes or comments\n"
        "info: macro-enabled document (.docm): its macros were read as data and never run\n")
    result = runner.invoke(app, ["accept", str(path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "minutes-accepted.docm"
    assert result.stderr.endswith(
        "info: macro-enabled document (.docm): its macros were read as data and never run\n")
    with zipfile.ZipFile(out) as zf:  # carried as opaque bytes, unchanged
        assert zf.read("word/vbaProject.bin") == b"Attribute VB_Name = \"AutoOpen\"\n"


def test_a_macro_enabled_document_is_not_written_as_docx(tmp_path):
    path = write_docx(tmp_path / "minutes.docm", [para("a")], main_type=CT_MACRO)
    out = tmp_path / "clean.docx"
    result = runner.invoke(app, ["accept", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"{out}: {path.name} is macro-enabled; name the output .docm "
                             "(Word will not open it as .docx)\n")
    assert not out.exists()


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.docx"
    result = runner.invoke(app, ["review", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"{missing}: no such file\n"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_xml_nested_too_deep_to_read_is_refused_as_damaged(tmp_path, command):
    # 1,200 nested levels: real documents nest a few dozen; this many would exhaust the
    # readers' recursion, so the parser's depth limit refuses the part by name
    deep = "<w:sdt><w:sdtContent>" * 600
    body = (f'<w:document xmlns:w="{W_NS}"><w:body>{deep}<w:p><w:r><w:t>deep</w:t></w:r></w:p>'
            + "</w:sdtContent></w:sdt>" * 600 + "</w:body></w:document>")
    path = write_docx(tmp_path / "deep.docx", body.encode())
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{path}:word/document.xml: damaged XML (Excessive depth")
    assert "Recursion" not in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.docx"]
