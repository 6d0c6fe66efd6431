"""Atomic file writes: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from briefing.errors import BriefingError, OutputExists, WriteFailed

_written: list[Path] = []


def written() -> list[Path]:
    """Return the files this process has replaced so far (for an honest message on Ctrl-C)."""
    return list(_written)


def check_writable(path: Path, *, force: bool) -> None:
    """Raise OutputExists when `path` exists and `force` is not set."""
    if path.exists() and not force:
        raise OutputExists(f"{path}: already exists; use --force to replace it")


def check_output(out: Path, inputs: Iterable[Path], *, force: bool, is_input: str,
                 suffixes: tuple[str, ...] | None = (".docx",)) -> None:
    """Raise BriefingError when a command may not write its output file `out`.

    Refused, in this order: `out` is one of the command's `inputs` (`is_input`
    says why, in the command's words), a folder, not one of `suffixes` (None:
    any name; the message names the first), in a folder that does not exist,
    or already there without `force`.
    """
    out = Path(out)
    for given in inputs:
        if out.resolve() == Path(given).resolve():
            raise BriefingError(f"{out}: {is_input}")
    if out.is_dir():
        raise BriefingError(f"{out}: is a folder; give the output file's name")
    if suffixes is not None and out.suffix.lower() not in suffixes:
        raise BriefingError(f"{out}: the output must be a {suffixes[0]} file")
    if not out.parent.is_dir():
        raise BriefingError(f"{out}: folder {out.parent} does not exist")
    check_writable(out, force=force)


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[IO[bytes]]:
    """Yield a binary file that replaces `path` only if the block completes.

    On any exception (KeyboardInterrupt and a full disk included) the temporary
    file is removed and `path` is left exactly as it was; an OSError becomes
    WriteFailed, which says so. The new file gets the old one's permissions,
    or the user's default ones (not the private 0600 of a temporary file).
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                   dir=path.parent or ".")
    except OSError as exc:
        raise WriteFailed(f"{path}: cannot be written ({_reason(exc)}); nothing was written") \
            from None
    try:
        _set_mode(fd, path)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _written.append(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteFailed(f"{path}: cannot be written ({_reason(exc)}); nothing was written"
                              + (", the earlier file is unchanged" if path.exists() else "")) \
                from None
        raise


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


def _set_mode(fd: int, path: Path) -> None:
    """Give the temporary file the mode `path` has, or the default mode for new files."""
    if not hasattr(os, "fchmod"):
        return
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(fd, mode)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically."""
    with atomic_open(path) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))
