"""Load a briefing YAML file with line numbers and validate it against the schema.

Every problem is reported at once as ``FILE:LINE:COL: field.path: message``
(1-based line and column; list indexes in paths are 0-based, as in source
ids). Hostile or broken input is refused before it can cost time or memory:
files over `MAX_BYTES` are refused unread, and the YAML reader
(`briefing.source.read`) refuses aliases (the "billion laughs" bomb), deep
nesting, duplicate keys and tags as it meets them.

Validation reads the file with libyaml (fast); `Loaded.data`, the round-trip
structure absorb edits and writes back with its comments, is read with
ruamel.yaml the first time it is asked for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Union

from pydantic import ValidationError

from briefing.errors import BriefingError, Problem, ValidationFailed
from briefing.results import Message, Result
from briefing.source import rules
from briefing.source.fields import numbers_as_written
from briefing.source.model import Briefing, cross_field_problems, describe
from briefing.source.problems import (
    locate,
    problem,
    sound_test,
    unique,
    without_hidden_duplicates,
)
from briefing.source.read import (
    Positions,
    first_difference,
    needs_round_trip_check,
    plain,
    read_round_trip,
    read_yaml,
)
from briefing.sourceid import format_path

MAX_BYTES = 10 * 1024 * 1024
STARTER_HINT = "run `briefing new` for a starter"

Loc = tuple[Union[str, int], ...]


@dataclass(frozen=True)
class Loaded:
    """A validated briefing, its canonical JSON and hash, and (on demand) its round-trip data."""

    path: Path
    briefing: Briefing
    data_hash: str
    canonical_json: str
    text: str = field(repr=False)

    @cached_property
    def data(self) -> Any:
        """Return the file's ruamel.yaml round-trip mapping (comments and order kept)."""
        return read_round_trip(self.text, str(self.path))


# --------------------------------------------------------------------------- reading


def load_briefing(path: str | Path) -> Result[Loaded]:
    """Return the validated briefing in `path`; raise a BriefingError naming every problem."""
    path = Path(path)
    text = decode(read_bytes(path), str(path))
    return load_text(text, str(path), path=path)


def load_text(text: str, name: str = "<text>", *, path: Path | None = None,
              read: tuple[Any, Positions] | None = None) -> Result[Loaded]:
    """Return the validated briefing in `text`, reporting problems against file `name`.

    `read`: `read_yaml`'s answer for exactly this text, when the caller has it (the in-place
    editor reads what it wrote), so the text is not read again.
    """
    data, positions = parse_yaml(text, name, read)
    briefing = validate(data, positions, text, name)
    if needs_round_trip_check(text):
        _same_for_round_trip(text, name, data, positions)
    canonical = canonical_json(briefing)
    loaded = Loaded(
        path=path if path is not None else Path(name),
        briefing=briefing,
        data_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        canonical_json=canonical,
        text=text,
    )
    return Result(loaded, advice(briefing, positions, name))


def _same_for_round_trip(text: str, name: str, data: Any, positions: Positions) -> None:
    """Raise unless ruamel.yaml (absorb's reader) reads `text` as the same data.

    libyaml and ruamel.yaml disagree about some tabs and about U+0085, U+2028
    and U+2029 as line breaks; absorb must read what validate accepted.
    """
    other = plain(read_round_trip(text, name))
    loc = first_difference(data, other)
    if loc is None:
        return
    line, col = positions.find(loc)
    raise ValidationFailed([Problem(
        name, line, col, format_path(loc),
        "holds a tab or a Unicode line separator (U+0085, U+2028, U+2029) that YAML readers "
        "read differently; replace it with a space or a new line")])


def canonical_json(briefing: Briefing) -> str:
    """Return the canonical JSON of a briefing: sorted keys, no spacing, UTF-8 text."""
    return canonical_text(briefing.model_dump(mode="json"))


def canonical_text(data: Any) -> str:
    """Return JSON-ready `data` as canonical JSON: sorted keys, no spacing, UTF-8 text."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def read_bytes(path: Path, what: str = "a briefing file") -> bytes:
    """Return the bytes of `path`; refuse a missing path, a folder or an oversized file.

    `what` names the file in messages ("a briefing file", "a file of minutes").
    """
    try:
        if path.is_dir():
            raise BriefingError(f"{path}: is a folder, not {what}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BriefingError(
                f"{path}: is {size / 1024 / 1024:.1f} MB; {what} must be under "
                f"{MAX_BYTES // 1024 // 1024} MB (is this the right file?)")
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise BriefingError(f"{path}: no such file") from None
    except PermissionError:
        raise BriefingError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise BriefingError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise BriefingError(f"{path}: is larger than {MAX_BYTES // 1024 // 1024} MB; "
                            f"{what} must be under that")
    return raw


def decode(raw: bytes, name: str) -> str:
    """Return `raw` as text; refuse anything that is not UTF-8 text."""
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise BriefingError(f"{name}: is a Word document or other binary file, not a briefing "
                            "YAML file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BriefingError(f"{name}: is saved as UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        raise BriefingError(f"{name}: is not a text file (it holds NUL bytes); give the "
                            "briefing's .yaml file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col_bytes(raw, exc.start)
        bad = raw[exc.start]
        raise ValidationFailed([Problem(
            name, line, col, "",
            f"is not UTF-8 text (byte 0x{bad:02X} here); save the file as UTF-8")]) from None


def _line_col_bytes(raw: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of byte `offset`."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


# --------------------------------------------------------------------------- parsing


def parse_yaml(text: str, name: str, read: tuple[Any, Positions] | None = None
               ) -> tuple[dict[str, Any], Positions]:
    """Return the top-level mapping in `text` and its positions; raise at the first YAML error
    (`read`: `read_yaml`'s answer for this text, when already known)."""
    if not _has_content(text):
        raise BriefingError(f"{name}: is empty; {STARTER_HINT}")
    data, positions = read if read is not None else read_yaml(text, name)
    if data is None:
        raise BriefingError(f"{name}: is empty; {STARTER_HINT}")
    if not isinstance(data, dict):
        line, col = positions.find(())
        raise ValidationFailed([Problem(
            name, line, col, "",
            "the top level must be a mapping of sections (briefing:, meeting:, objectives:, "
            f"key_messages:, ...), not {describe(data)}")])
    return data, positions


def _has_content(text: str) -> bool:
    """Return True when `text` holds anything but blank lines and comments."""
    return any(line.strip() and not line.lstrip().startswith("#")
               for line in text.splitlines())


# --------------------------------------------------------------------------- validating


def validate(data: dict[str, Any], positions: Positions, text: str, name: str) -> Briefing:
    """Return the Briefing in `data`; raise ValidationFailed listing every problem."""
    data = numbers_as_written(data, positions.written)
    try:
        briefing = Briefing.model_validate(data, context={"skip_cross_field": True})
    except ValidationError as exc:
        lines = text.split("\n")
        errors = without_hidden_duplicates(exc.errors())
        problems = [problem(dict(err), positions, lines, name) for err in errors]
        problems += [locate(name, positions, loc, message)
                     for loc, message in rules.cross_field_problems(data, sound_test(errors))]
        raise ValidationFailed(unique(problems)) from None
    problems = [locate(name, positions, loc, message)
                for loc, message in cross_field_problems(briefing)]
    if problems:
        raise ValidationFailed(unique(problems))
    return briefing


# --------------------------------------------------------------------------- advice


def advice(briefing: Briefing, positions: Positions, name: str) -> list[Message]:
    """Return warnings that do not stop a build: case studies still to agree, and the like."""
    messages = []
    for i, cs in enumerate(briefing.case_studies):
        if not cs.agreed_with_council:
            line, col = positions.find(("case_studies", i, "agreed_with_council"))
            messages.append(Message(
                "warning",
                f"{name}:{line}:{col}: case_studies[{i}].agreed_with_council: '{cs.id}' is not "
                f"yet agreed with {cs.council}; agree it before the briefing is cleared"))
    return messages
