"""Small pictures for documents under test: a one-pixel PNG of a given colour."""

from __future__ import annotations

import struct
import zlib


def png(rgb: tuple[int, int, int] = (0, 255, 0)) -> bytes:
    """Return a valid one-pixel PNG of colour `rgb`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb))) + chunk(b"IEND", b""))
