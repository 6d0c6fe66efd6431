"""Each hostile-package rule on its own, with every other rule satisfied.

`test_hostile_docx.py` shows that every command refuses hostile files; its zip
bomb breaks several limits at once. Here each limit of `briefing.ooxml.package`
(number of parts, size of one part, compression ratio, total size, encrypted
entries, DOCTYPE and entity declarations in any part) is broken alone, so a
weakened rule fails its own test, and a package just inside each limit is read.

Size limits are checked on the sizes a zip declares, before anything is
inflated; a few packages below declare sizes their data does not have, which
is exactly what those checks read.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import DocumentError
from briefing.ooxml import package
from briefing.ooxml.package import Package
from tests.support.cxml import para, write_docx

runner = CliRunner()
MEDIA = "word/media/image1.png"  # a part Word carries as opaque bytes, whatever its size
MiB = 1024 * 1024


def _docx(tmp: Path, name: str = "memo.docx", extra: dict[str, bytes] | None = None) -> Path:
    return write_docx(tmp / name, [para("Members welcomed the report.")], extra=extra)


def _declare(path: Path, sizes: dict[str, tuple[int, int]]) -> Path:
    """Rewrite the central directory so part name -> (declared size, declared compressed size)."""
    raw = bytearray(path.read_bytes())
    for name, (size, compressed) in sizes.items():
        at = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name.encode()))
        raw[at + 20:at + 28] = struct.pack("<II", compressed, size)
    path.write_bytes(bytes(raw))
    return path


def _refused(path: Path) -> str:
    """Return the message `briefing review` refuses `path` with (exit 1, nothing on stdout)."""
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 1, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    return result.stderr.rstrip("\n")


def _read(path: Path) -> Package:
    """Return the package at `path`, which every rule must let through."""
    return Package.open(path)


# --- zip bombs: one limit at a time ---------------------------------------------------


def test_a_ratio_only_bomb_under_every_size_limit_is_refused(tmp_path):
    zeros = 20 * MiB  # far below the per-part and total limits; about 1,000:1
    path = _docx(tmp_path, extra={MEDIA: bytes(zeros)})
    info = zipfile.ZipFile(path).getinfo(MEDIA)
    ratio = info.file_size / info.compress_size
    assert info.file_size < package.MAX_PART_BYTES and ratio > package.MAX_RATIO
    assert _refused(path) == (f"{path}: part {MEDIA} inflates to 20,971,520 bytes "
                              f"(ratio {ratio:.0f}:1); refused as a zip bomb")


def test_a_ratio_only_bomb_is_refused_before_anything_is_inflated(tmp_path, monkeypatch):
    path = _docx(tmp_path, extra={MEDIA: bytes(20 * MiB)})
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(name))
    with pytest.raises(DocumentError, match="refused as a zip bomb"):
        Package.open(path)
    assert opened == []


def test_a_highly_compressible_part_at_the_ratio_floor_is_read(tmp_path):
    # Small parts may compress as well as they like: only parts over the floor are judged.
    path = _docx(tmp_path, extra={MEDIA: bytes(package.RATIO_FLOOR)})
    assert len(_read(path).parts[MEDIA]) == package.RATIO_FLOOR


def test_a_large_part_of_ordinary_ratio_is_read(tmp_path):
    # 3 MiB of varied text compresses far less than 200:1 and is no bomb.
    text = b"".join(b"Paragraph %d: members discussed item %d.\n" % (n, n * 7919 % 10007)
                    for n in range(80_000))[:3 * MiB]
    path = _docx(tmp_path, extra={MEDIA: text})
    info = zipfile.ZipFile(path).getinfo(MEDIA)
    assert info.file_size > package.RATIO_FLOOR
    assert info.file_size / info.compress_size < package.MAX_RATIO
    assert _read(path).parts[MEDIA] == text


def test_one_part_over_the_size_limit_at_an_ordinary_ratio_is_refused(tmp_path):
    size = package.MAX_PART_BYTES + 1
    path = _declare(_docx(tmp_path, extra={MEDIA: b"x"}), {MEDIA: (size, size // 10)})
    assert _refused(path) == (f"{path}: part {MEDIA} inflates to {size:,} bytes (ratio 10:1); "
                              "refused as a zip bomb")


def test_parts_each_under_the_limits_but_too_large_together_are_refused(tmp_path):
    each = 200 * MiB  # under the per-part limit, ratio 10:1; three of them exceed the total
    media = {f"word/media/image{n}.png": b"x" for n in (1, 2, 3)}
    path = _declare(_docx(tmp_path, extra=media), {name: (each, each // 10) for name in media})
    total = 3 * each + sum(i.file_size for i in zipfile.ZipFile(path).infolist()
                           if i.filename not in media)
    assert 3 * each > package.MAX_TOTAL_BYTES
    assert _refused(path) == f"{path}: inflates to {total:,} bytes; refused as a zip bomb"


def test_parts_declared_exactly_at_each_size_limit_are_read(tmp_path):
    # One part at the per-part limit, one at the ratio limit, all together at the total limit.
    # A zip may declare more than its data holds: that lie is harmless, and the data is read.
    media = {f"word/media/image{n}.png": b"x" for n in (1, 2, 3)}
    path = _docx(tmp_path, extra=media)
    others = sum(i.file_size for i in zipfile.ZipFile(path).infolist() if i.filename not in media)
    at_ratio = (2_000_000, 2_000_000 // package.MAX_RATIO)
    rest = package.MAX_TOTAL_BYTES - package.MAX_PART_BYTES - at_ratio[0] - others
    _declare(path, {"word/media/image1.png": (package.MAX_PART_BYTES, package.MAX_PART_BYTES // 10),
                    "word/media/image2.png": (rest, rest // 10),
                    "word/media/image3.png": at_ratio})
    infos = zipfile.ZipFile(path).infolist()
    assert sum(i.file_size for i in infos) == package.MAX_TOTAL_BYTES
    assert _read(path).parts["word/media/image3.png"] == b"x"


def test_too_many_parts_are_refused(tmp_path):
    path = _docx(tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        have = len(zf.infolist())
        for n in range(package.MAX_ENTRIES + 1 - have):
            zf.writestr(f"word/media/dot{n}.png", b"")
    assert _refused(path) == (f"{path}: too many parts ({package.MAX_ENTRIES + 1}); "
                              "refused as a zip bomb")


def test_exactly_the_most_parts_allowed_are_read(tmp_path):
    path = _docx(tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        have = len(zf.infolist())
        for n in range(package.MAX_ENTRIES - have):
            zf.writestr(f"word/media/dot{n}.png", b"")
    assert len(_read(path).parts) == package.MAX_ENTRIES


def test_an_encrypted_zip_entry_is_refused(tmp_path):
    path = _docx(tmp_path, extra={MEDIA: b"\x89PNG not really"})
    raw = bytearray(path.read_bytes())
    at = raw.rfind(b"PK\x01\x02", 0, raw.rfind(MEDIA.encode()))
    raw[at + 8] |= 0x1  # general purpose flag bit 0: the entry is encrypted
    path.write_bytes(bytes(raw))
    assert _refused(path) == f"{path}: encrypted zip entries; refused"


# --- DOCTYPE and entities: in every part that is parsed ------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCTYPE_ONLY = '<?xml version="1.0"?><!DOCTYPE w:document>'
DOCUMENT = (f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Members welcomed the '
            "report.</w:t></w:r></w:p></w:body></w:document>")


def _write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _with_part(tmp: Path, name: str, change) -> Path:
    """Return a copy of a plain .docx whose part `name` is replaced by change(old bytes)."""
    source = _docx(tmp, "plain.docx")
    with zipfile.ZipFile(source) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries[name] = change(entries[name])
    return _write_zip(tmp / "hostile.docx", entries)


def _doctype(data: bytes) -> bytes:
    """Return `data` (an XML part) with a bare DOCTYPE, no entity at all, after its declaration."""
    head, rest = data.split(b"?>", 1) if data.startswith(b"<?xml") else (b"", data)
    root = rest.lstrip().split(b" ", 1)[0][1:].split(b">", 1)[0]
    return (head + b"?>" if head else b"") + b"<!DOCTYPE " + root + b">" + rest


@pytest.mark.parametrize("part", [
    "word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
])
def test_a_bare_doctype_in_any_part_is_refused(tmp_path, part):
    path = _with_part(tmp_path, part, _doctype)
    assert _refused(path) == (f"{path}:{part}: contains a DOCTYPE or entity declaration; "
                              "refused for safety")


def test_a_doctype_after_a_long_prolog_is_refused(tmp_path):
    # Past the first 4 kB: a scan of the head alone would miss it.
    prolog = '<?xml version="1.0"?><!--' + "padding " * 1000 + "-->"
    path = _with_part(tmp_path, "word/document.xml",
                      lambda _: (prolog + "<!DOCTYPE w:document>" + DOCUMENT).encode())
    assert _refused(path) == (f"{path}:word/document.xml: contains a DOCTYPE or entity "
                              "declaration; refused for safety")


def test_a_utf16_doctype_without_entities_is_refused(tmp_path):
    data = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:document>'
            + DOCUMENT).encode("utf-16")
    path = _with_part(tmp_path, "word/document.xml", lambda _: data)
    assert _refused(path) == (f"{path}:word/document.xml: contains a DOCTYPE or entity "
                              "declaration; refused for safety")


def test_a_word_entity_or_doctype_mentioned_in_text_is_not_a_declaration(tmp_path):
    text = "Minutes quote &lt;!ENTITY&gt; and the word DOCTYPE; both are only text."
    path = _with_part(tmp_path, "word/document.xml",
                      lambda _: DOCUMENT.replace("Members welcomed the report.", text).encode())
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 0, result.output


def test_doctype_checks_apply_to_a_package_built_in_memory(tmp_path):
    path = _with_part(tmp_path, "word/document.xml", _doctype)
    pkg = Package.from_bytes(path.read_bytes(), "built.docx")
    with pytest.raises(DocumentError, match="DOCTYPE or entity declaration; refused for safety"):
        pkg.xml("word/document.xml")
