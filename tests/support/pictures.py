"""Pictures for documents under test: a one-pixel PNG of a given colour, and the pictures a
part shows."""

from __future__ import annotations

import struct
import zlib

from lxml import etree

from briefing.ooxml.ns import R
from briefing.ooxml.package import Package

BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"


def png(rgb: tuple[int, int, int] = (0, 255, 0)) -> bytes:
    """Return a valid one-pixel PNG of colour `rgb`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb))) + chunk(b"IEND", b""))


def pictures_of(pkg: Package, root: etree._Element, part: str | None = None) -> list[bytes]:
    """Return the bytes of every picture `root` (of `part`, default: the main part) shows, in
    order; a KeyError when one points at no part."""
    by_id = pkg.parts_by_id(part)
    return [pkg.parts[by_id[blip.get(f"{{{R}}}embed")]] for blip in root.iter(BLIP)]
