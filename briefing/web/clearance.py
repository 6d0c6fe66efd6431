"""The Clearance page: returned copies in, combined review, decisions, absorb, next draft.

Every step calls the function the command line calls: `combine_files`
(`briefing combine`), `read_review` (`briefing review`), `resolve_file`
(`briefing accept / reject --author --item --change`), `absorb_file` (`briefing
absorb`) and `build_file` (`briefing build --since`), so the page and the
commands give the same documents and the same YAML.

Uploads are hostile input: the body is capped (security.MAX_BODY), only
.docx names are taken, each file is opened through the package guards
(`Package.open`) before it is kept, and it is kept in a private folder per
briefing, `.briefing/clearance/<briefing>/` under the served folder, under a
name made of letters, digits, dots and hyphens only. Nothing in it is run.

A decision on one change posts the change's number and the digest of the
document the page showed; a document that changed since (another tab, another
decision) is refused rather than resolving whatever change now has that number.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from briefing.errors import BriefingError
from briefing.paths import atomic_write_bytes, atomic_write_text
from briefing.web.security import Upload

STATE = "state.json"


class Stale(BriefingError):
    """The document changed since the page that posted a decision was drawn."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
T = TypeVar("T")


def workdir(folder: Path, name: str) -> Path:
    """Return (making it, private) the clearance folder of briefing `name`."""
    root = folder.resolve() / ".briefing" / "clearance"
    path = root / (_UNSAFE.sub("-", name).strip("-.") or "briefing")  # a.yaml, a.yml apart
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    (path / "copies").mkdir(exist_ok=True, mode=0o700)
    return path


def locked(work: Path, fn: Callable[..., T], *args: Any) -> T:
    """Return `fn(*args)` called while holding round `work`'s lock.

    Two posts on one round (two tabs, a double click, two servers on one folder) run one
    after the other, so a combine never reads copies or state another post is half-way
    through writing.
    """
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(work.resolve(), threading.Lock())
    with lock, _held(work):
        return fn(*args)


@contextmanager
def _held(work: Path) -> Iterator[None]:
    """Hold the round's lock file, so that two servers on one folder take turns too."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the lock within this server is all there is
        yield
        return
    with open(work / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def safe_name(filename: str, what: str) -> str:
    """Return the upload's file name made safe: no folder, only [A-Za-z0-9._-], ending .docx."""
    base = Path(filename.replace("\\", "/")).name
    if Path(base).suffix.lower() != ".docx":
        raise BriefingError(f"{base or filename}: {what} must be a Word document (.docx)")
    stem = _UNSAFE.sub("-", Path(base).stem).strip("-.") or "copy"
    return f"{stem}.docx"


def keep_upload(upload: Upload, dest: Path, what: str) -> Path:
    """Write an uploaded .docx to `dest` once it has passed the package guards."""
    from briefing.ooxml.package import Package

    if not upload.data:
        raise BriefingError(f"{upload.filename}: the file is empty")
    with tempfile.TemporaryDirectory(prefix="briefing-upload-", dir=dest.parent) as tmp:
        trial = Path(tmp) / dest.name
        trial.write_bytes(upload.data)
        try:
            Package.open(trial)
        except BriefingError as exc:
            raise BriefingError(f"{upload.filename}: {what} cannot be read as a Word document "
                                f"({str(exc).replace(str(trial), dest.name)})") from None
        atomic_write_bytes(dest, upload.data)
    return dest


def state(work: Path) -> dict[str, Any]:
    """Return the round's state: the draft's file name and the members' names by copy."""
    try:
        data = json.loads((work / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"draft": "", "names": {}}
    return data if isinstance(data, dict) else {"draft": "", "names": {}}


def save_state(work: Path, data: dict[str, Any]) -> None:
    atomic_write_text(work / STATE, json.dumps(data, indent=1, sort_keys=True))


def set_draft(work: Path, upload: Upload | None, picked: Path | None) -> str:
    """Keep the draft the members saw (uploaded, or a .docx of the folder); start a new round."""
    if upload is not None:
        name = safe_name(upload.filename, "the draft")
        data = Upload(upload.filename, upload.data)
    elif picked is not None:
        name = safe_name(picked.name, "the draft")
        data = Upload(picked.name, picked.read_bytes())
    else:
        raise BriefingError("Choose the draft the members saw, or upload it")
    for old in [*work.glob("*.docx"), *(work / "copies").glob("*.docx")]:
        old.unlink()
    keep_upload(data, work / name, "the draft")
    save_state(work, {**state(work), "draft": name, "names": {}})  # whom drafts went to stays
    return name


def sent(work: Path) -> dict[str, list[dict[str, Any]]]:
    """Return whom each draft went to, by the draft's file name: members, note, date sent."""
    records = state(work).get("sent")
    return records if isinstance(records, dict) else {}


def record_sent(work: Path, file: str, version: int, members: list[str], note: str,
                when: str) -> None:
    """Add to the round's state that draft `file` (version `version`) went to `members`."""
    data = state(work)
    records = sent(work)
    records.setdefault(safe_name(file, "the draft"), []).append(
        {"version": version, "members": members, "note": note, "date": when})
    save_state(work, {**data, "sent": records})


def sent_to(work: Path, file: str, version: int | None) -> list[dict[str, Any]]:
    """Return the records of whom draft `file` went to, for the version it holds now (a draft
    rebuilt under the same name as another version is another draft)."""
    return [r for r in sent(work).get(safe_name(file, "the draft"), [])
            if r.get("version") == version]


def recipients(work: Path) -> list[str]:
    """Return the members the round's draft was recorded as sent to, each once, in order."""
    draft = state(work).get("draft") or ""
    if not draft:
        return []
    names = [m for r in sent_to(work, draft, seen_version(work)) for m in r.get("members", [])]
    return list(dict.fromkeys(names))


def draft_path(work: Path) -> Path | None:
    name = state(work).get("draft") or ""
    path = work / name
    return path if name and path.is_file() else None


def combined_path(draft: Path) -> Path:
    from briefing.clearance.combine import default_output

    return default_output(draft)


def cleared_path(draft: Path) -> Path:
    """Return the document the decisions are made on (the combined one, changes resolved)."""
    return draft.with_name(f"{draft.stem}-cleared.docx")


def add_copies(work: Path, uploads: list[tuple[Upload, str]]) -> list[Any]:
    """Keep the members' copies (each with the member's name if given) and combine them all.

    A copy with the name of one already kept replaces it (the member sent it again). When
    `combine` refuses a copy, nothing is kept and the round stays as it was.
    """
    draft = draft_path(work)
    if draft is None:
        raise BriefingError("Choose the draft the members saw first")
    if not uploads:
        raise BriefingError("Choose at least one member's returned copy")
    data = state(work)
    names: dict[str, str] = dict(data.get("names") or {})
    with tempfile.TemporaryDirectory(prefix="briefing-copies-", dir=work) as tmp:
        staged: dict[str, Path] = {}
        for upload, member in uploads:
            name = safe_name(upload.filename, "a member's copy")
            if name == draft.name or name in staged:
                raise BriefingError(f"{upload.filename}: given twice, or named as the draft; "
                                    "give each member's copy once")
            staged[name] = keep_upload(upload, Path(tmp) / name, "this copy")
            if member.strip():
                names[name] = member.strip()
            else:
                names.pop(name, None)
        kept = {p.name: p for p in (work / "copies").glob("*.docx")}
        messages = combine(draft, {**kept, **staged}, names)
        for name, path in staged.items():
            os.replace(path, work / "copies" / name)
    save_state(work, {**data, "names": names})
    return messages


def combine(draft: Path, copies: dict[str, Path], names: dict[str, str]) -> list[Any]:
    """Combine the copies with the draft, as `briefing combine` does; restart the decisions."""
    from briefing.clearance.combine import combine_files

    out = combined_path(draft)
    paths = [copies[k] for k in sorted(copies)]
    result = combine_files(draft, paths, out, force=True,
                           names={k: v for k, v in names.items() if k in copies})
    atomic_write_bytes(cleared_path(draft), out.read_bytes())
    return [*result.messages, _info("Decisions start again from the combined document.")]


def copies(work: Path) -> list[dict[str, str]]:
    names = state(work).get("names") or {}
    return [{"file": p.name, "member": names.get(p.name, "")}
            for p in sorted((work / "copies").glob("*.docx"))]


def decide(work: Path, accept: bool, author: str, item: str,
           changes: tuple[int, ...] = ()) -> list[Any]:
    """Accept or reject changes of the cleared document, as `briefing accept/reject` does."""
    from briefing.clearance.review import resolve_file

    current = _cleared(work)
    with tempfile.TemporaryDirectory(prefix="briefing-decide-", dir=work) as tmp:
        out = Path(tmp) / current.name
        result = resolve_file(current, out, accept=accept, authors=[author] if author else [],
                              items=[item] if item else [], changes=changes)
        os.replace(out, current)
    return list(result.messages)


def cleared_digest(work: Path) -> str:
    """Return the SHA-256 of the document the decisions are made on ('' before copies)."""
    from briefing.web.store import digest

    draft = draft_path(work)
    current = cleared_path(draft) if draft is not None else None
    return digest(current.read_bytes()) if current is not None and current.is_file() else ""


def check_seen(work: Path, seen: str) -> None:
    """Refuse a decision posted from a page that showed another document than the one the
    decisions are made on now: `seen` is the digest of the one it showed. Since then another
    decision (another tab, another person) or a new combine may have changed what a button
    names: a member's changes, an item's, or change N."""
    if not seen or seen != cleared_digest(work):
        raise Stale("The changes were decided or combined again since this page was "
                    "shown, so what its buttons name may have changed; nothing was decided. "
                    "The changes left are shown again below: decide again.")


def decide_change(work: Path, accept: bool, number: str) -> list[Any]:
    """Accept or reject one change, numbered as `briefing review` numbers the document the
    page showed (`briefing accept/reject --change N`; the page is checked by `check_seen`)."""
    if not number.isdigit():
        raise BriefingError("Choose a change to accept or reject")
    return decide(work, accept, "", "", (int(number),))


def choose(work: Path, author: str, other: str, item: str) -> list[Any]:
    """Decide a conflict for `author`'s wording: `other`'s changes in `item` rejected, then
    `author`'s accepted, as `briefing reject --author OTHER --item ITEM` then `accept` do."""
    if not (author and other and item):
        raise BriefingError("Choose whose wording to use")
    return [*decide(work, False, other, item), *decide(work, True, author, item)]


def absorb_preview(work: Path, yaml_path: Path) -> tuple[str, str, list[Any]]:
    """Return the YAML text as it is, as `briefing absorb` would leave it, and its messages.

    The absorb runs on a private copy of the YAML; the briefing itself is not written.
    """
    from briefing.clearance.absorb import absorb_file

    current = _cleared(work)
    before = yaml_path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="briefing-absorb-", dir=work) as tmp:
        trial = Path(tmp) / yaml_path.name
        trial.write_bytes(before)
        result = absorb_file(current, trial)
        after = trial.read_bytes()
    return before.decode("utf-8-sig"), after.decode("utf-8-sig"), \
        [*result.messages, _info(result.value)]


def absorb(work: Path, yaml_path: Path) -> list[Any]:
    """Absorb the cleared document into the briefing's YAML, as `briefing absorb` does."""
    from briefing.clearance.absorb import absorb_file

    result = absorb_file(_cleared(work), yaml_path)
    return [*result.messages, _info(result.value)]


def seen_version(work: Path) -> int | None:
    """Return the version of the draft the members saw, from its source map."""
    from briefing.ooxml.package import Package
    from briefing.ooxml.sourcemap import read_source_map

    draft = draft_path(work)
    smap = read_source_map(Package.open(draft)) if draft is not None else None
    return smap.version if smap is not None else None


def issue(work: Path, yaml_path: Path, name: str) -> tuple[Path, list[Any]]:
    """Raise the version past the draft the members saw (if not raised yet), then build the
    next draft beside the YAML with --since that draft, as `briefing build --since` does.

    If the build is refused (say the next draft's file is there already), the YAML is put
    back as it was.
    """
    import copy

    from briefing.document.build import build_file
    from briefing.web import store

    draft = draft_path(work)
    if draft is None:
        raise BriefingError("Choose the draft the members saw first")
    before = yaml_path.read_bytes()
    snap = store.snapshot(yaml_path, name)
    seen = seen_version(work)
    data = snap.data if isinstance(snap.data, dict) else {}
    info = data.get("briefing")
    messages: list[Any] = []
    if isinstance(info, dict) and seen is not None and info.get("version") == seen:
        new = copy.deepcopy(data)
        new["briefing"]["version"] = seen + 1
        store.save(yaml_path, name, snap.digest, new)
        messages.append(_info(f"{name}: version raised from {seen} to {seen + 1}"))
    try:
        result = build_file(yaml_path, since=draft)
    except BriefingError:
        if yaml_path.read_bytes() != before:
            atomic_write_bytes(yaml_path, before)
        raise
    return result.value, [*messages, *result.messages]


def _cleared(work: Path) -> Path:
    draft = draft_path(work)
    if draft is None or not cleared_path(draft).is_file():
        raise BriefingError("Upload the members' copies first")
    return cleared_path(draft)


def _info(text: str) -> Any:
    from briefing.results import Message

    return Message("info", text)
