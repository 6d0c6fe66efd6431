"""The briefings in the served folder: safe paths, what each file holds, and saving.

A file's text is read once per version: snapshots are cached by the SHA-256 of
its bytes, so a page view costs a read and a hash. Problems come from the same
loader as `briefing validate`, in the same words. A save is refused when the
file's bytes are no longer the ones the page was built from.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError, Problem, ValidationFailed
from briefing.results import Message

SUFFIXES = (".yaml", ".yml")


class NotAllowed(BriefingError):
    """A path outside the served folder, or not a briefing file name."""


class Stale(BriefingError):
    """The file changed on disk since the page was loaded."""

    def __init__(self, disk: Snapshot) -> None:
        super().__init__("the file changed on disk since you opened it; nothing was saved")
        self.disk = disk


def confine(folder: Path, name: str) -> Path:
    """Return the file `name` inside `folder`; refuse absolute paths, '..' and links out."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or \
            Path(name).is_absolute():
        raise NotAllowed(f"{name!r}: not a file in this folder")
    parts = Path(name).parts
    if any(p in ("..", ".") or p.startswith(".") for p in parts):
        raise NotAllowed(f"{name!r}: not a file in this folder")
    if not name.endswith(SUFFIXES):
        raise NotAllowed(f"{name!r}: only .yaml files can be opened here")
    root = folder.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise NotAllowed(f"{name!r}: not a file in this folder")
    return path


def briefing_files(folder: Path) -> list[str]:
    """Return the names of the YAML files in `folder` (not in subfolders, none hidden)."""
    root = folder.resolve()
    names = []
    for p in sorted(root.iterdir()):
        if p.suffix in SUFFIXES and not p.name.startswith(".") and p.is_file() and \
                p.resolve().is_relative_to(root):
            names.append(p.name)
    return names


@dataclass
class Snapshot:
    """One version of a file: its text, hash, data (None when unreadable) and problems."""

    name: str
    text: str
    digest: str
    data: dict[str, Any] | None
    problems: list[Problem]
    warnings: list[Message] = field(default_factory=list)
    loaded: Any = None

    @property
    def summary(self) -> dict[str, Any]:
        """Return title, status and version as far as the data gives them."""
        info = self.data.get("briefing") if isinstance(self.data, dict) else None
        info = info if isinstance(info, dict) else {}
        return {"title": info.get("title") or self.name, "status": info.get("status") or "",
                "version": info.get("version") if info.get("version") is not None else ""}


_CACHE: OrderedDict[str, Snapshot] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 16


def digest(raw: bytes) -> str:
    """Return the SHA-256 of `raw` in hex."""
    return hashlib.sha256(raw).hexdigest()


def snapshot(path: Path, name: str) -> Snapshot:
    """Return the snapshot of the file at `path` as it is on disk now."""
    from briefing.source.load import decode, read_bytes

    raw = read_bytes(path)
    cached = _CACHE.get(f"{name}\0{digest(raw)}")
    if cached is not None:
        _CACHE.move_to_end(f"{name}\0{digest(raw)}")
        return cached
    try:
        text = decode(raw, name)
    except BriefingError as exc:
        snap = Snapshot(name, "", digest(raw), None, _as_problems(exc, name))
    else:
        snap = snapshot_of_text(text, name, digest(raw))
    return _remember(snap)


def cached(name: str, file_digest: str) -> Snapshot | None:
    """Return the snapshot of file `name` at the version with hash `file_digest`, if still held."""
    return _CACHE.get(f"{name}\0{file_digest}")


def _remember(snap: Snapshot) -> Snapshot:
    """Return `snap` after caching it under its name and hash."""
    _CACHE[f"{snap.name}\0{snap.digest}"] = snap
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return snap


def snapshot_of_text(text: str, name: str, text_digest: str | None = None,
                     data: dict[str, Any] | None = None,
                     reading: tuple[Any, Any] | None = None) -> Snapshot:
    """Return the snapshot of YAML `text`: its data and every problem `validate` reports.

    `data` is what `text` reads as, when the caller knows it already; `reading`,
    `read_yaml`'s answer for the text (data and positions), when the caller has that. The
    text is read once either way.
    """
    from briefing.source.load import load_text
    from briefing.source.read import read_yaml

    hashed = text_digest or digest(text.encode("utf-8"))
    if reading is None and data is None:
        try:
            reading = read_yaml(text, name)
        except BriefingError as exc:
            return Snapshot(name, text, hashed, None, _as_problems(exc, name))
    if data is None and reading is not None:
        data = reading[0] if isinstance(reading[0], dict) else None
    try:
        result = load_text(text, name, read=reading)
    except BriefingError as exc:
        return Snapshot(name, text, hashed, data, _as_problems(exc, name))
    return Snapshot(name, text, hashed, data, [], result.messages, result.value)


def _as_problems(exc: BriefingError, name: str) -> list[Problem]:
    if isinstance(exc, ValidationFailed):
        return list(exc.problems)
    return [Problem(name, 1, 1, "", exc.message.removeprefix(f"{name}: "))]


def candidate(snap: Snapshot, new: dict[str, Any]) -> Snapshot:
    """Return the snapshot the file would have with `new` written into it in place."""
    from briefing.web.yamlsave import updated

    after = updated(snap.text, new, snap.data)
    return snapshot_of_text(after.text, snap.name, data=new, reading=after.read)


def save(path: Path, name: str, base: str, new: dict[str, Any]) -> Snapshot:
    """Write `new` into the file in place, atomically; raise Stale when it moved on from `base`."""
    from briefing.paths import atomic_write_text

    disk = snapshot(path, name)
    if disk.digest != base:
        raise Stale(disk)
    if disk.data is None:
        raise BriefingError(f"{name}: cannot be read as YAML, so it cannot be edited here; "
                            "fix the problems shown first")
    after = candidate(disk, new)
    if after.text != disk.text:
        with _LOCK:
            if snapshot(path, name).digest != base:  # changed while this save was being made
                raise Stale(snapshot(path, name))
            atomic_write_text(path, after.text)
        _remember(after)  # the bytes written are exactly after.text in UTF-8
    return after
