"""`briefing serve`: the Starlette application and its pages.

A thin layer over the same functions as the command line: the loader's
problems, the in-place YAML editor, build and check. Pages are Jinja2
templates in `templates/`, with our own small CSS and script in `static/`.
"""

from __future__ import annotations

import copy
import logging
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from briefing.errors import BriefingError
from briefing.web import forms, store, views
from briefing.web.merge import merge
from briefing.web.security import FormRefused, Guard, Secrets, Upload, read_form

HERE = Path(__file__).parent
log = logging.getLogger("briefing.web")

_ENV = Environment(loader=FileSystemLoader(HERE / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)


def create_app(folder: Path, keys: Secrets | None = None, *, loopback: bool = True) -> Starlette:
    """Return the application serving the briefings in `folder`."""
    keys = keys or Secrets()
    site = Site(Path(folder), keys)
    routes = [
        Route("/", site.home),
        Route("/new", site.new, methods=["POST"]),
        Route("/edit/{name:path}", site.edit, methods=["GET", "POST"]),
        Route("/build/{name:path}", site.build),
        Route("/minutes/{name:path}", site.minutes, methods=["GET", "POST"]),
        Route("/download/{name:path}", site.download),
        Route("/clearance/{name:path}", site.clearance, methods=["GET", "POST"]),
        Route("/clearance-file/{name:path}", site.clearance_file),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    # Expected refusals are answered where they happen; anything else reaches `failed`
    # through Starlette's last-resort handler, which logs it (never to the page).
    handlers: dict[Any, Any] = {BriefingError: site.failed, FormRefused: site.failed,
                                Exception: site.failed, 404: site.not_found,
                                405: site.not_found}
    app = Starlette(routes=routes, middleware=[Middleware(Guard, keys=keys, loopback=loopback)],
                    exception_handlers=handlers)
    app.state.keys = keys
    return app


class Site:
    """The pages, bound to one folder and one run's secrets."""

    def __init__(self, folder: Path, keys: Secrets) -> None:
        self.folder = folder
        self.keys = keys

    # -- helpers --

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """Return `template` rendered with the run's CSRF token and folder name."""
        html = _ENV.get_template(template).render(csrf=self.keys.csrf,
                                                  folder=self.folder.resolve().name, **context)
        return HTMLResponse(html, status_code=status)

    def refuse(self, message: str, status: int) -> HTMLResponse:
        """Return the error page saying `message` (no traceback, ever)."""
        return self.page("error.html", status, title="There is a problem", message=message)

    async def failed(self, request: Request, exc: Exception) -> Response:
        """Answer any unexpected error with a plain page; the details go to the log only."""
        if isinstance(exc, FormRefused):
            return self.refuse("The form has expired or did not come from this page; "
                               "go back, reload it and try again. Nothing was saved.", 403)
        if isinstance(exc, store.NotAllowed):
            return self.refuse(str(exc), 404)
        if isinstance(exc, BriefingError):
            return self.refuse(str(exc), 400)
        log.error("unexpected error", exc_info=exc)
        return self.refuse("Something went wrong on this page. Nothing was saved.", 500)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        """Answer an unknown address or method."""
        return self.refuse("There is no page at this address.", 404)

    def path(self, name: str) -> Path:
        """Return the confined path of briefing `name`."""
        return store.confine(self.folder, name)

    # -- home --

    async def home(self, request: Request) -> Response:
        """List the folder's briefings with title, status, version and number of problems."""
        return self.page("home.html", title="Briefings", rows=self.rows(), quote=quote)

    def rows(self) -> list[dict[str, Any]]:
        """Return title, status, version and number of problems of each briefing."""
        rows = []
        for name in store.briefing_files(self.folder):
            try:
                snap = store.snapshot(self.path(name), name)
            except BriefingError as exc:
                rows.append({"name": name, "title": name, "status": "", "version": "",
                             "problems": 1, "error": str(exc)})
                continue
            rows.append({"name": name, **snap.summary, "problems": len(snap.problems)})
        return rows

    async def new(self, request: Request) -> Response:
        """Write the commented starter to a new file and open it in the editor."""
        from briefing.source.starter import write_starter

        posted = forms.Posted(_texts(await read_form(request, self.keys)))
        typed = (posted.get("name") or "").strip()
        name = typed if typed.endswith(store.SUFFIXES) else f"{typed}.yaml"
        error = None
        if not typed:
            error = "Enter a file name, like meeting-with-minister"
        else:
            try:
                path = self.path(name)
            except store.NotAllowed:
                error = "Use letters, digits, hyphens and dots only, with no folder"
            else:
                if "/" in name or path.exists():
                    error = ("A file with that name already exists; choose another name"
                             if path.exists() else "Give a file name, not a folder")
        if error:
            return self.page("home.html", 400, title="Briefings", rows=self.rows(), quote=quote,
                             new_error=error, new_value=typed)
        write_starter(path)
        return RedirectResponse(f"/edit/{quote(name)}?created=1", status_code=303)

    # -- editor --

    async def edit(self, request: Request) -> Response:
        """Show a section of the editor, or handle its buttons (add, remove, move, save)."""
        name = request.path_params["name"]
        path = self.path(name)
        if not path.is_file():
            return self.refuse(f"{name}: there is no such briefing in this folder.", 404)
        disk = store.snapshot(path, name)
        query = request.query_params
        section = query.get("section") or "briefing"
        if section not in dict(forms.sections()):
            section = "briefing"
        page = int(query["page"]) if query.get("page", "").isdigit() else 1
        if request.method == "GET":
            notice = ("Saved." if query.get("saved") else
                      "Created from the starter: replace its example text with yours."
                      if query.get("created") else "")
            return self.editor(name, disk, disk.data, section, page, disk.digest,
                               notice=notice)
        posted = forms.Posted(_texts(await read_form(request, self.keys)))
        base = posted.get("base") or ""
        if disk.data is None:
            return self.editor(name, disk, None, section, page, disk.digest)
        new = copy.deepcopy(disk.data)
        new[section] = forms.read_section(section, posted, disk.data.get(section))
        if new[section] is None:
            del new[section]
        op = posted.get("op")
        if op:
            focus = forms.apply_op(new, op)
            if focus and focus.startswith(section + ".") and section in views.PAGED:
                rest = focus[len(section) + 1:].split(".", 1)[0]
                page = forms.page_of(int(rest)) if rest.isdigit() else page
            return self.editor(name, store.candidate(disk, new), new, section, page, base,
                               notice="Not saved yet: use Save to keep your changes.",
                               focus=views.first_input(focus, new),
                               fresh=focus or "" if op.startswith("add:") else "")
        if posted.get("action") != "save":
            return self.editor(name, store.candidate(disk, new), new, section, page, base,
                               notice="Checked; not saved yet.")
        try:
            store.save(path, name, base, new)
        except store.Stale as stale:
            theirs = stale.disk
            mine = copy.deepcopy(theirs.data) if theirs.data is not None else copy.deepcopy(new)
            before = store.cached(name, base)
            mine[section] = new.get(section) if before is None or before.data is None else \
                merge(before.data.get(section), new.get(section), mine.get(section))
            yours = store.candidate(theirs, mine) if theirs.data is not None else None
            return self.editor(name, yours or theirs, mine, section, page, theirs.digest,
                               status=409, conflict={"theirs": theirs.text,
                                                     "yours": yours.text if yours else ""})
        return RedirectResponse(views.edit_url(name, section, page, saved=1), status_code=303)

    def editor(self, name: str, snap: store.Snapshot, data: dict[str, Any] | None,
               section: str, page: int, base: str, *, notice: str = "", focus: str = "",
               status: int = 200, conflict: dict[str, str] | None = None,
               fresh: str = "") -> HTMLResponse:
        """Return the editor page for `section` of `data`, with `snap`'s problems at fields.

        `fresh` names an entry just added: its empty fields are not problems yet.
        """
        title = snap.summary["title"] if data is not None else name
        nav = views.section_nav(name, snap.problems)
        if data is None:
            problems = [views.problem_view(p, name, None) for p in snap.problems]
            return self.page("edit.html", status, title=title, name=name, nav=nav,
                             form=None, problems=problems, unreadable=True,
                             section=section, sections=forms.sections())
        ctx = forms.Context(key_messages=views.key_messages(data), page=page)
        form = forms.build_section(section, data.get(section), ctx)
        names = {f.name for f in form.walk()}
        for f in form.walk():
            f.focus = f.name == focus
        problems = []
        shown = list(snap.problems)
        if fresh:
            shown = [p for p in shown if not (
                views.problem_view(p, name, names)["name"] + ".").startswith(fresh + ".")]
        for p in shown:
            view = views.problem_view(p, name, names)
            if view["section"] == section and view["name"] in names:
                problems.append(view)
                for f in form.walk():
                    if f.name == view["name"] and not f.error:
                        f.error = view["text"]
            elif not view["section"]:
                problems.append(view)
        others = len(shown) - len(problems)
        paging = None
        if section in views.PAGED and form.total > forms.PAGE_SIZE:
            paging = {"page": page, "pages": forms.pages(form.total),
                      "url": partial(views.edit_url, name, section)}
        return self.page("edit.html", status, title=title, name=name, nav=nav, form=form,
                         problems=problems, others=others, section=section,
                         section_title=dict(forms.sections())[section], base=base,
                         page_no=page, paging=paging, notice=notice, conflict=conflict,
                         warnings=snap.warnings, url=views.edit_url(name, section, page))

    # -- clearance --

    async def clearance(self, request: Request) -> Response:
        """The Clearance page (briefing.web.clearance_page)."""
        from briefing.web import clearance_page

        return await clearance_page.page(self, request)

    async def clearance_file(self, request: Request) -> Response:
        """A document of the clearance round, as a download."""
        from briefing.web import clearance_page

        return await clearance_page.download(self, request)

    # -- minutes --

    async def minutes(self, request: Request) -> Response:
        """Import minutes: find the members' points, then append the ticked ones."""
        from briefing.web import minutes as mins

        name = request.path_params["name"]
        path = self.path(name)
        if not path.is_file():
            return self.refuse(f"{name}: there is no such briefing in this folder.", 404)
        disk = store.snapshot(path, name)
        if disk.data is None:
            return RedirectResponse(f"/edit/{quote(name)}", status_code=303)
        view: dict[str, Any] = {"title": disk.summary["title"], "name": name,
                                "base": disk.digest, "key_messages": views.key_messages(disk.data)}
        if request.method == "GET":
            return self.page("minutes.html", **view)
        pairs = await read_form(request, self.keys)
        posted = forms.Posted(_texts(pairs))
        uploads = [v for _, v in pairs if isinstance(v, Upload)]
        typed = {k: posted.get(k) or "" for k in ("board", "meeting_date", "item")}
        if posted.get("action") != "add":
            try:
                if uploads:
                    found = mins.read_upload(uploads[0])
                else:
                    from briefing.source.minutes import minutes_from_text

                    found = minutes_from_text(posted.get("pasted") or "")
            except BriefingError as exc:
                return self.page("minutes.html", 400, problems=[
                    {"text": str(exc), "href": "#upload" if uploads else "#pasted"}], **view,
                    typed=typed, pasted=posted.get("pasted") or "")
            if not found.points:
                return self.page("minutes.html", 400, problems=[
                    {"text": "No points members made were found: the minutes need a lead-in "
                             "such as 'members made the following points:' followed by the "
                             "points", "href": "#pasted"}], **view, typed=typed,
                    pasted=posted.get("pasted") or "")
            return self.page("minutes.html", **view, step=mins.proposals_view(found, **typed))
        count = posted.get("count") or "0"
        step = {**typed, "points": [posted.get(f"text.{i}") or ""
                                    for i in range(int(count) if count.isdigit() else 0)],
                "kept": {i for i in range(int(count) if count.isdigit() else 0)
                         if posted.get(f"keep.{i}") is not None},
                "related": {i: posted.lists.get(f"relates_to.{i}", []) for i in range(
                    int(count) if count.isdigit() else 0)}}
        entries, error = mins.chosen_comments(posted, disk.data)
        if error:
            return self.page("minutes.html", 400, **view, step=step,
                             problems=[{"text": error, "href": "#minutes-choices"}])
        try:
            mins.save_comments(path, name, posted.get("base") or "", disk.data, entries)
        except store.Stale:
            return self.page("minutes.html", 409, **view, step=step, problems=[{
                "text": "The briefing changed on disk since the points were found; nothing "
                        "was added. Check your choices below and add them again.",
                "href": "#minutes-choices"}])
        total = len(disk.data.get("member_comments") or []) + len(entries)
        return RedirectResponse(views.edit_url(name, "member_comments", forms.page_of(total - 1),
                                          saved=1), status_code=303)

    # -- build --

    async def build(self, request: Request) -> Response:
        """Show the downloads and the check findings, or the problems that stop a build."""
        from briefing.check.rules import check_bytes

        name = request.path_params["name"]
        path = self.path(name)
        if not path.is_file():
            return self.refuse(f"{name}: there is no such briefing in this folder.", 404)
        snap = store.snapshot(path, name)
        if snap.problems or snap.loaded is None:
            problems = [views.problem_view(p, name, None) for p in snap.problems]
            return self.page("build.html", 200, title=snap.summary["title"], name=name,
                             problems=problems, findings=[], quote=quote)
        data = _docx(snap, "chairman-briefing")
        findings = [views.finding_view(f, name, snap.data) for f in check_bytes(data, name)]
        return self.page("build.html", title=snap.summary["title"], name=name, problems=[],
                         findings=findings, warnings=snap.warnings, quote=quote)

    async def download(self, request: Request) -> Response:
        """Return the built .docx (the briefing, or the lines card) as a download."""
        from briefing.document.build import default_output

        name = request.path_params["name"]
        path = self.path(name)
        template = request.query_params.get("template", "chairman-briefing")
        if template not in ("chairman-briefing", "lines-card"):
            return self.refuse("There is no such template.", 404)
        snap = store.snapshot(path, name)
        if snap.loaded is None:
            return RedirectResponse(f"/build/{quote(name)}", status_code=303)
        out = default_output(path, snap.loaded.briefing).name
        if template == "lines-card":
            out = out.removesuffix(".docx") + "-lines-card.docx"
        return Response(_docx(snap, template), media_type=_DOCX, headers={
            "content-disposition": f"attachment; filename=\"{out}\""})


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BUILT: dict[tuple[str, str], bytes] = {}


def _docx(snap: store.Snapshot, template: str) -> bytes:
    """Return the .docx of `snap` laid out by `template` (cached by the file's hash)."""
    from briefing.document.build import build_bytes
    from briefing.document.compose import find_template

    key = (snap.digest, template)
    if key not in _BUILT:
        loaded = snap.loaded
        if len(_BUILT) > 8:
            _BUILT.clear()
        _BUILT[key] = build_bytes(loaded.briefing, find_template(template),
                                  data_hash=loaded.data_hash, data_json=loaded.canonical_json,
                                  source_file=snap.name)
    return _BUILT[key]


def _texts(pairs: list[tuple[str, str | Upload]]) -> list[tuple[str, str]]:
    """Return the text fields of a posted form (uploads left out)."""
    return [(k, v) for k, v in pairs if isinstance(v, str)]
