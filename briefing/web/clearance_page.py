"""The Clearance page's requests: show the round, take uploads, decide, absorb, issue."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from briefing.errors import BriefingError
from briefing.web import clearance as clr
from briefing.web import sent, store
from briefing.web.forms import Posted
from briefing.web.security import Upload, read_form

SLOTS = 4  # copies uploaded at once, each with its member's name
DECISIONS = ("accept", "reject", "accept-change", "reject-change", "choose")  # check_seen first
_ANCHORS = {"draft": "#draft", "copies": "#copies", "preview": "#preview", "absorb": "#preview",
            "issue": "#issue", "sent": "#sent"}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def page(site: Any, request: Request) -> Response:
    """GET: show the round. POST: one of the page's buttons."""
    name = request.path_params["name"]
    path = site.path(name)
    if not path.is_file():
        return site.refuse(f"{name}: there is no such briefing in this folder.", 404)
    work = clr.workdir(site.folder, name)
    if request.method == "GET":
        return await run_in_threadpool(view, site, name, path, work)
    pairs = await read_form(request, site.keys, max_files=SLOTS + 1)
    posted = Posted([(k, v) for k, v in pairs if isinstance(v, str)])
    files = {k: v for k, v in pairs if isinstance(v, Upload)}
    return await run_in_threadpool(clr.locked, work, act, site, name, path, work, posted, files)


def act(site: Any, name: str, path: Path, work: Path, posted: Posted,
        files: dict[str, Upload]) -> Response:
    """Do what the posted button asks and show the round.

    Runs in a worker thread holding the round's lock (`clr.locked`): combine, the absorb
    preview and the next draft take seconds, and other pages answer meanwhile.
    """
    action = posted.get("action") or ""
    messages: list[Any] = []
    extra: dict[str, Any] = {}
    try:
        if action in DECISIONS:
            clr.check_seen(work, posted.get("seen") or "")
        if action == "draft":
            picked = posted.get("pick") or ""
            choice = _folder_docx(site.folder).get(picked) if picked else None
            clr.set_draft(work, files.get("draft"), choice)
        elif action == "copies":
            uploads = [(files[f"copy.{i}"], posted.get(f"member.{i}") or "")
                       for i in range(1, SLOTS + 1) if f"copy.{i}" in files]
            messages = clr.add_copies(work, uploads)
        elif action in ("accept", "reject"):
            messages = clr.decide(work, action == "accept", posted.get("author") or "",
                                  posted.get("item") or "")
        elif action in ("accept-change", "reject-change"):
            messages = clr.decide_change(work, action == "accept-change",
                                         posted.get("change") or "")
        elif action == "choose":
            messages = clr.choose(work, posted.get("author") or "", posted.get("other") or "",
                                  posted.get("item") or "")
        elif action == "preview":
            before, after, messages = clr.absorb_preview(work, path)
            extra["preview"] = {"diff": _diff(before, after), "base": store.digest(
                before.encode("utf-8"))}
        elif action == "absorb":
            base = posted.get("base") or ""
            disk = path.read_bytes().decode("utf-8-sig")
            if store.digest(disk.encode("utf-8")) != base:
                before, after, _ = clr.absorb_preview(work, path)
                return view(site, name, path, work, status=409, stale={
                    "disk": disk, "diff": _diff(disk, after)})
            messages = clr.absorb(work, path)
        elif action == "issue":
            out, messages = clr.issue(work, path, name)
            extra["issued"] = out.name
        elif action == "sent":
            record, form = sent.read(posted, drafts(site.folder, name))
            if record is None:
                return view(site, name, path, work, status=400, sent_form=form,
                            problems=sent.problems(form))
            clr.record_sent(work, record["file"], record["version"], record["members"],
                            record["note"], record["when"])
            messages = [f"Recorded: {record['file']} went to "
                        f"{', '.join(record['members'])} on {record['when']}."]
        else:
            return site.refuse("That button is not one this page has.", 400)
    except BriefingError as exc:
        return view(site, name, path, work, status=409 if isinstance(exc, clr.Stale) else 400,
                    problems=[{"text": _plain(str(exc), site.folder),
                                          "href": _ANCHORS.get(action, "#review")}])
    return view(site, name, path, work, messages=[_plain(str(m), site.folder) for m in messages],
                **extra)


def view(site: Any, name: str, path: Path, work: Path, status: int = 200, **ctx: Any) -> Response:
    from briefing.clearance.review import read_review
    from briefing.web.redlineview import shown

    snap = store.snapshot(path, name)
    draft = clr.draft_path(work)
    built = drafts(site.folder, name)
    for d in built:
        d["sent"] = clr.sent_to(work, d["file"], d["version"])
    ctx.setdefault("sent_form", sent.fields(built, clr.state(work).get("draft") or ""))
    review = None
    if draft is not None and clr.cleared_path(draft).is_file():
        current = clr.cleared_path(draft)
        review = shown(current, read_review(current))
    return site.page("clearance.html", status, title=snap.summary["title"], name=name,
                     draft=draft.name if draft else "", copies=clr.copies(work), review=review,
                     combined=clr.combined_path(draft).name if draft else "",
                     picks=sorted(_folder_docx(site.folder)), slots=range(1, SLOTS + 1),
                     seen=clr.seen_version(work) if draft else None,
                     drafts=built, recipients=clr.recipients(work),
                     seen_digest=clr.cleared_digest(work),
                     version=snap.summary["version"],
                     **ctx)


async def download(site: Any, request: Request) -> Response:
    """Send the round's combined or cleared document, or the next draft built beside the YAML."""
    name = request.path_params["name"]
    path = site.path(name)
    work = clr.workdir(site.folder, name)
    draft = clr.draft_path(work)
    which = request.query_params.get("f", "")
    files = {}
    if draft is not None:
        files = {"combined": clr.combined_path(draft), "cleared": clr.cleared_path(draft)}
    target = files.get(which)
    if which == "issued":
        target = _folder_docx(site.folder).get(request.query_params.get("file", ""))
    if target is None or not target.is_file() or not path.is_file():
        return site.refuse("There is no such document in this round.", 404)
    return Response(target.read_bytes(), media_type=_DOCX, headers={
        "content-disposition": f"attachment; filename=\"{target.name}\""})


def drafts(folder: Path, name: str) -> list[dict[str, Any]]:
    """Return the drafts in the folder built from briefing `name`: file, version, template and
    date, each read from the document (its source map and its saved date), not its name."""
    from briefing.ooxml.ns import DCTERMS
    from briefing.ooxml.package import Package
    from briefing.ooxml.read.inspect import core_property
    from briefing.ooxml.sourcemap import read_source_map

    out = []
    for file, path in _folder_docx(folder).items():
        try:
            pkg = Package.open(path)
            smap = read_source_map(pkg)
        except BriefingError:
            continue  # not a document we can read: not one of its drafts
        if smap is not None and smap.source_file == name:
            saved = core_property(pkg, f"{{{DCTERMS}}}modified")
            out.append({"file": file, "version": smap.version, "template": smap.template,
                        "date": _when(saved)})
    return sorted(out, key=lambda d: (d["version"], d["file"]))


def _when(saved: str | None) -> str:
    """Return a document's saved date (W3CDTF) as the page shows it, in UTC."""
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat((saved or "").replace("Z", "+00:00"))
    except ValueError:
        return saved or "not recorded"
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M")
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _folder_docx(folder: Path) -> dict[str, Path]:
    """Return the .docx files at the top of the served folder (none hidden, no links out)."""
    root = folder.resolve()
    return {p.name: p for p in sorted(root.glob("*.docx"))
            if not p.name.startswith(".") and p.is_file() and p.resolve().is_relative_to(root)}


def _diff(before: str, after: str) -> list[dict[str, str]]:
    """Return the YAML's changed lines, word by word: kept, deleted and inserted stretches."""
    out = []
    a, b = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old, new = "\n".join(a[i1:i2]).split(" "), "\n".join(b[j1:j2]).split(" ")
        for t, k1, k2, m1, m2 in difflib.SequenceMatcher(None, old, new,
                                                          autojunk=False).get_opcodes():
            if t == "equal":
                out.append({"kind": "same", "text": " ".join(old[k1:k2]) + " "})
                continue
            if k2 > k1:
                out.append({"kind": "del", "text": " ".join(old[k1:k2]) + " "})
            if m2 > m1:
                out.append({"kind": "ins", "text": " ".join(new[m1:m2]) + " "})
        out.append({"kind": "break", "text": ""})
    return out


def _plain(text: str, folder: Path) -> str:
    """Return a message with file names only: the folders the round keeps its files in go."""
    return _FOLDERS.sub("", text.replace(str(folder.resolve()) + "/", ""))


_FOLDERS = re.compile(r"(?:\.briefing/clearance/[^/\s]+/)(?:copies/|briefing-[a-z]+-[^/\s]+/)*")
