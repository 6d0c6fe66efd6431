"""Compose: a Briefing and a template -> the document as a list of blocks with source ids.

A template is a folder holding `reference.docx` (the look) and `layout.j2`
(section order and fixed wording). The Jinja2 file renders a small line-based
layout language, one paragraph per line::

    h1: {{ briefing.title }}
    numbered: {{ point }}
    table: Meeting details
    header: Meeting | Details
    row: Purpose | {{ meeting.purpose }}

User text never passes through Jinja2 or the layout parser: every string the
template reads from the data is an opaque `Ref` that renders as a private-use
token, and the tokens are swapped for the real text after the lines are
parsed. So `&`, `<`, `{{ x }}`, `{% if %}`, newlines and any script come out
exactly as typed, and no data can add a paragraph or a table cell.

A line holding exactly one field is a *data paragraph*: its source id is the
field's path (`key_messages/<id>/headline`) and its data run holds the field's
value verbatim (fixed wording around it, e.g. "If asked: ", stays outside the
data run). A line built from several fields is *derived*: the template names
it with `composite(item, "name")` (else the fields' common path is used).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import traceback
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefing import sourceid
from briefing.errors import BriefingError
from briefing.source.model import Briefing

LAYOUT_FILE = "layout.j2"
REFERENCE_FILE = "reference.docx"
PARAGRAPH_KINDS = frozenset({
    "h1", "h2", "h3", "h4", "marking", "numbered", "body", "bullet", "quote", "label",
    "attribution", "note",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
TABLE_KINDS = frozenset({"table", "header", "row"})
CELL_SEPARATOR = " | "
_TOKEN = re.compile("\ue000(\\d+)\ue001|\ue002(\\d+)\ue003")
_TOKEN_SPLIT = re.compile("([\ue000\ue002])(\\d+)[\ue001\ue003]")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class TemplateError(BriefingError):
    """A template that cannot be used: missing files, Jinja2 errors, bad layout lines."""


def shown(path: str | Path) -> str:
    """Return `path` for messages: relative to the working folder when inside it."""
    try:
        return os.fspath(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return os.fspath(path)


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph's text; `source_id` is set when the text is a data field's."""

    text: str
    source_id: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: kind (h1-h4, numbered, body, bullet, ...), runs and source id.

    `derived` marks a paragraph made from several fields (an attribution, a
    source line): its text is not any one field's value.
    """

    kind: str
    runs: tuple[Run, ...]
    source_id: str | None = None
    derived: bool = False

    @property
    def text(self) -> str:
        """Return the paragraph's whole text."""
        return "".join(r.text for r in self.runs)

    @property
    def level(self) -> int:
        """Return the heading level (1-4), or 0 for other paragraphs."""
        return int(self.kind[1]) if self.kind in _HEADINGS else 0


@dataclass(frozen=True)
class Table:
    """A table: rows of cells (one paragraph each); the first `header_rows` repeat on each page."""

    caption: str
    rows: tuple[tuple[Paragraph, ...], ...]
    header_rows: int = 1


Block = Paragraph | Table


@dataclass(frozen=True)
class Template:
    """A template folder: its name, reference.docx and compiled layout."""

    name: str
    folder: Path
    layout: Any  # jinja2.Template

    @property
    def reference(self) -> Path:
        """Return the path of the template's reference.docx."""
        return self.folder / REFERENCE_FILE


# --- data seen by templates ---------------------------------------------------------------


class _Render:
    """The refs handed out while one layout renders, so tokens can be swapped back."""

    def __init__(self) -> None:
        self.refs: list[Ref] = []
        self.composites: list[str] = []
        self.fields: set[str] = set()  # the paths the layout showed or decided on

    def token(self, ref: Ref) -> str:
        self.refs.append(ref)
        self.fields.add(ref._sid)
        return f"\ue000{len(self.refs) - 1}\ue001"

    def composite(self, source_id: str) -> str:
        self.composites.append(source_id)
        return f"\ue002{len(self.composites) - 1}\ue003"


class Ref:
    """A data value as a template sees it: renders as an opaque token, never as its text."""

    __slots__ = ("_render", "_sid", "_text", "_value", "_verbatim")

    def __init__(self, render: _Render, sid: str, value: Any, text: str | None = None,
                 verbatim: bool = True) -> None:
        self._render = render
        self._sid = sid
        self._value = value
        self._text = value if text is None else text
        self._verbatim = verbatim

    def __str__(self) -> str:
        return self._render.token(self)

    def __bool__(self) -> bool:
        return bool(self._text)

    def __len__(self) -> int:
        return len(self._text)


class Item:
    """A model as a template sees it: string fields become Refs at their source-id path."""

    __slots__ = ("_model", "_render", "_seen", "_sid")

    def __init__(self, render: _Render, model: BaseModel, sid: str) -> None:
        self._render = render
        self._model = model
        self._sid = sid
        self._seen: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        seen = self._seen
        if name in seen:
            return seen[name]
        if name.startswith("_") or name not in _fields(type(self._model)):
            raise AttributeError(name)
        value = getattr(self._model, name)
        path = sourceid.child(self._sid, name)
        if name != "id":
            value = _wrap(self._render, value, path)
        if isinstance(value, (list, Item)):  # the container: its items count when used
            self._render.fields.add(path + sourceid.SEP)
        elif not isinstance(value, Ref):  # a flag, number, choice or none the layout decides on
            self._render.fields.add(path)
        seen[name] = value
        return value

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None


@functools.cache
def _fields(model: type[BaseModel]) -> frozenset[str]:
    """Return the field names of a model class."""
    return frozenset(model.model_fields)


def _wrap(render: _Render, value: Any, sid: str) -> Any:
    """Return `value` as templates see it: Ref, Item, list of those, or a plain safe value."""
    kind = type(value)
    if kind is str:
        return Ref(render, sid, value)
    if value is None or kind is int or kind is bool:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return Ref(render, sid, str(value))
    if isinstance(value, dt.date):
        return Ref(render, sid, value, text=value.isoformat(), verbatim=False)
    if isinstance(value, (list, tuple)):
        return [_wrap(render, v, sourceid.member(sid, i, v)) for i, v in enumerate(value)]
    if isinstance(value, BaseModel):
        return Item(render, value, sid)
    return value


def long_date(value: Any) -> Any:
    """Return a date as '12 May 2016' (a derived Ref when given a Ref)."""
    if isinstance(value, Ref):
        if not isinstance(value._value, dt.date):
            return value
        return Ref(value._render, value._sid, value._value, text=_long_date(value._value),
                   verbatim=False)
    return _long_date(value) if isinstance(value, dt.date) else value


def context(value: Any) -> Any:
    """Return a field shown as context: its text appears, but the line is not traced to it.

    "{{ cs.council|context }}: {{ cs.title }}" is a heading traced to the
    title alone, with the council's name kept outside the title's data run
    like fixed wording.
    """
    if isinstance(value, Ref):
        return Ref(value._render, "", value._value, text=value._text, verbatim=value._verbatim)
    return value


def _long_date(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _priority_order(items: list[Item]) -> list[Item]:
    """Return key messages ordered by priority (1 first), unprioritised last, else as given."""
    return sorted(items, key=lambda km: (km._model.priority is None, km._model.priority or 0))


def _group(items: list[Item], km_ids: list[str]) -> tuple[dict[str, list[Item]], list[Item]]:
    """Return items under the first key message they relate to, and those relating to none."""
    grouped: dict[str, list[Item]] = {k: [] for k in km_ids}
    other = []
    for item in items:
        related = [r for r in item._model.relates_to if r in grouped]
        (grouped[related[0]] if related else other).append(item)
    return grouped, other


class _Section(list):
    """A top-level list as a template sees it: asking whether it is empty counts as using it."""

    def __init__(self, render: _Render, name: str, items: list) -> None:
        super().__init__(items)
        self._used = lambda: render.fields.add(name + sourceid.SEP)

    def __bool__(self) -> bool:
        self._used()
        return len(self) > 0

    def __iter__(self):
        self._used()
        return super().__iter__()


def template_context(briefing: Briefing, render: _Render) -> dict[str, Any]:
    """Return the variables a layout sees: the briefing's sections plus groupings."""
    ctx = {name: _wrap(render, getattr(briefing, name), name)
           for name in type(briefing).model_fields}
    ctx["key_messages"] = _priority_order(ctx["key_messages"])
    km_ids = [km._model.id for km in ctx["key_messages"]]
    ctx["comments_for"], ctx["other_comments"] = _group(ctx["member_comments"], km_ids)
    ctx["case_studies_for"], ctx["other_case_studies"] = _group(ctx["case_studies"], km_ids)
    classification = briefing.briefing.classification.value
    ctx["marking"] = "" if classification == "NONE" else classification.upper()
    ctx["composite"] = lambda item, name: render.composite(sourceid.child(item._sid, name))
    for name in type(briefing).model_fields:
        if isinstance(ctx[name], list):
            ctx[name] = _Section(render, name, ctx[name])
    return ctx


# --- templates ------------------------------------------------------------------------------


@functools.cache
def _environment(folder: str):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class BriefingSandbox(SandboxedEnvironment):
        """The sandbox, with a fast answer for the data proxies (their public names are fields)."""

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if type(obj) is Item:
                return not attr.startswith("_")
            return super().is_safe_attribute(obj, attr, value)

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is Item:  # fields only: Item refuses every other name
                try:
                    return obj.__getattr__(attribute)
                except AttributeError:
                    return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

    env = BriefingSandbox(loader=FileSystemLoader(folder), undefined=StrictUndefined,
                          autoescape=False, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=False, auto_reload=False,
                          bytecode_cache=_bytecode_cache())
    env.filters["long_date"] = long_date
    env.filters["context"] = context
    env.globals["page_budget"] = _page_budget
    return env


def _page_budget(lines: float = 40, width: int = 85):
    from briefing.document.fit import PageBudget

    return PageBudget(lines, width)


@functools.lru_cache(maxsize=1)
def _bytecode_cache():
    """Return Jinja2's per-user bytecode cache, so each run skips compiling the layout; or None.

    Jinja2 keeps it in a private folder (mode 0700, checked to be the user's
    own) under the temporary directory, keyed by each template's source
    checksum, so an edited template is compiled afresh.
    """
    if os.environ.get("BRIEFING_NO_TEMPLATE_CACHE"):
        return None
    from jinja2 import FileSystemBytecodeCache

    class QuietCache(FileSystemBytecodeCache):
        """A cache that never fails a build: a full or vanished folder only costs a recompile."""

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError):
                bucket.reset()

    try:
        return QuietCache()
    except (OSError, RuntimeError):
        return None


@functools.lru_cache(maxsize=64)
def _load_template(folder: str, stamp: float) -> Template:
    import jinja2

    path = Path(folder)
    if not (path / REFERENCE_FILE).is_file():
        raise TemplateError(f"{shown(path / REFERENCE_FILE)}: template has no reference.docx")
    if not (path / LAYOUT_FILE).is_file():
        raise TemplateError(f"{shown(path / LAYOUT_FILE)}: template has no {LAYOUT_FILE}")
    try:
        layout = _environment(folder).get_template(LAYOUT_FILE)
    except jinja2.TemplateSyntaxError as exc:
        where = shown(exc.filename or path / LAYOUT_FILE)
        raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    return Template(name=path.name, folder=path, layout=layout)


def load_template(folder: str | Path) -> Template:
    """Return the template in `folder`, compiled once per process (until its files change)."""
    path = Path(folder).resolve()
    if not path.is_dir():
        raise TemplateError(f"{folder}: no such template folder")
    stamp = max((f.stat().st_mtime for f in path.iterdir() if f.is_file()), default=0.0)
    return _load_template(os.fspath(path), stamp)


def shipped_templates() -> list[str]:
    """Return the names of the templates shipped with briefing."""
    root = _shipped_root()
    return sorted(p.name for p in root.iterdir() if (p / LAYOUT_FILE).is_file())


def _shipped_root() -> Path:
    from importlib.resources import files

    return Path(os.fspath(files("briefing_templates")))


def find_template(spec: str | Path | None) -> Template:
    """Return the template named `spec` (shipped name or folder); None means chairman-briefing."""
    spec = "chairman-briefing" if spec is None else str(spec)
    looks_like_path = os.sep in spec or "/" in spec or spec.startswith(".")
    if looks_like_path or Path(spec).is_dir():
        return load_template(spec)
    folder = _shipped_root() / spec
    if not (folder / LAYOUT_FILE).is_file():
        names = ", ".join(shipped_templates())
        raise TemplateError(f"--template {spec}: no such template (shipped: {names}; "
                            "or give a folder holding reference.docx and layout.j2)")
    return load_template(folder)


# --- compose ---------------------------------------------------------------------------------


def compose(briefing: Briefing, template: Template,
            fields: set[str] | None = None) -> list[Block]:
    """Return the blocks of `briefing` laid out by `template`.

    When given, `fields` receives the fields the layout used, as source-id
    paths: each text field the document shows, and each flag, number, list or
    empty field the layout read to decide what to show (a path ending in '/'
    is a list or group whose items count only when used).
    `briefing.source.shown` keeps only these when a document embeds its data.
    """
    render = _Render()
    text = _render_layout(template, template_context(briefing, render))
    blocks = _LayoutParser(template, render).parse(text)
    if fields is not None:
        fields |= render.fields
    return blocks


def _render_layout(template: Template, ctx: dict[str, Any]) -> str:
    """Return the rendered layout text, turning Jinja2 errors into TemplateError at their line."""
    import jinja2
    from jinja2.sandbox import SecurityError

    try:
        return template.layout.render(ctx)
    except (jinja2.TemplateError, SecurityError, TypeError, KeyError, AttributeError,
            ValueError) as exc:
        where = _template_frame(exc, template)
        message = getattr(exc, "message", None) or str(exc)
        raise TemplateError(f"{where}: template error: {message}") from None


def _template_frame(exc: BaseException, template: Template) -> str:
    """Return 'FILE:LINE' of the innermost template line in `exc`'s traceback."""
    folder = os.fspath(template.folder)
    where = shown(template.folder / LAYOUT_FILE)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(folder):
            where = f"{shown(frame.filename)}:{frame.lineno}"
    return where


class _LayoutParser:
    """Turns rendered layout lines into blocks, swapping tokens back for the data's text."""

    def __init__(self, template: Template, render: _Render) -> None:
        self.template = template
        self.render = render
        self.blocks: list[Block] = []
        self.table: tuple[str, list[tuple[Paragraph, ...]], int] | None = None

    def parse(self, text: str) -> list[Block]:
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if line:
                self._line(line, number)
        self._close_table()
        return self.blocks

    def _line(self, line: str, number: int) -> None:
        head, _colon, rest = line.partition(":")
        kind = head.rstrip()
        if rest[:1] == " ":
            rest = rest[1:]
        if kind in PARAGRAPH_KINDS:
            if self.table is not None:
                self._close_table()
            para = self._paragraph(kind, rest)
            if para.runs:
                self.blocks.append(para)
        elif kind == "table":
            self._close_table()
            self.table = (self._plain(rest), [], 0)
        elif kind in ("header", "row"):
            self._row(kind, rest, number)
        else:
            raise TemplateError(
                f"{shown(self.template.folder / LAYOUT_FILE)}: rendered line {number} "
                f"'{self._plain(line)[:60]}' does not start with a known kind "
                f"({', '.join(sorted(PARAGRAPH_KINDS | TABLE_KINDS))}) and a colon")

    def _row(self, kind: str, rest: str, number: int) -> None:
        if self.table is None:
            self.table = ("", [], 0)
        caption, rows, header_rows = self.table
        if kind == "header" and len(rows) > header_rows:
            raise TemplateError(f"{shown(self.template.folder / LAYOUT_FILE)}: "
                                f"rendered line {number}: "
                                "a header row must come before the table's other rows")
        cell_kind = "th" if kind == "header" else "td"
        rows.append(tuple(self._paragraph(cell_kind, cell.strip())
                          for cell in rest.split(CELL_SEPARATOR)))
        self.table = (caption, rows, header_rows + (kind == "header"))

    def _close_table(self) -> None:
        if self.table is not None and self.table[1]:
            caption, rows, header_rows = self.table
            width = max(len(r) for r in rows)
            padded = tuple(r + (Paragraph(r[0].kind, ()),) * (width - len(r)) for r in rows)
            self.blocks.append(Table(caption, padded, header_rows))
        self.table = None

    def _paragraph(self, kind: str, rest: str) -> Paragraph:
        """Return the paragraph for one line's text, its tokens swapped for runs."""
        if "\ue000" not in rest and "\ue002" not in rest:
            return Paragraph(kind, (Run(rest),) if rest else ())
        parts = _TOKEN_SPLIT.split(rest)  # text, marker, number, text, marker, number, ..., text
        all_refs = self.render.refs
        if len(parts) == 4 and parts[1] == "\ue000" and all_refs[int(parts[2])]._sid:
            ref = all_refs[int(parts[2])]  # the common case: one field
            runs = [Run(text, sid) for text, sid in
                    ((parts[0], None), (ref._text, ref._sid), (parts[3], None)) if text]
            return Paragraph(kind, tuple(runs), ref._sid, derived=not ref._verbatim)
        pieces: list[tuple[str, str | None]] = []  # (text, source id or None for fixed wording)
        refs: list[Ref] = []
        composite = None
        for i in range(0, len(parts) - 1, 3):
            if parts[i]:
                pieces.append((parts[i], None))
            if parts[i + 1] == "\ue000":
                ref = all_refs[int(parts[i + 2])]
                if ref._sid:  # a field shown as context (`|context`) is fixed wording here
                    refs.append(ref)
                pieces.append((ref._text, ref._sid or None))
            else:
                composite = self.render.composites[int(parts[i + 2])]
        if parts[-1]:
            pieces.append((parts[-1], None))
        if composite is None and len(refs) == 1:
            return Paragraph(kind, _runs(pieces), refs[0]._sid, derived=not refs[0]._verbatim)
        if composite is None and not refs:
            return Paragraph(kind, _runs(pieces))
        sid = composite or sourceid.common([r._sid for r in refs])
        return Paragraph(kind, _runs(_retag(pieces, sid)), sid, derived=True)

    def _plain(self, text: str) -> str:
        """Return `text` with tokens replaced by their values (for captions and messages)."""
        def swap(m: re.Match) -> str:
            return self.render.refs[int(m.group(1))]._text if m.group(1) is not None else ""
        return _TOKEN.sub(swap, text)


def _runs(pieces: list[tuple[str, str | None]]) -> tuple[Run, ...]:
    """Return runs for (text, source id) pieces: empty ones dropped, like neighbours joined."""
    out: list[list] = []
    for text, sid in pieces:
        if not text:
            continue
        if out and out[-1][1] == sid:
            out[-1][0] += text
        else:
            out.append([text, sid])
    return tuple(Run(text, sid) for text, sid in out)


def _retag(pieces: list[tuple[str, str | None]], sid: str) -> list[tuple[str, str | None]]:
    """Return `pieces` with everything from the first to the last data piece tagged `sid`."""
    data = [i for i, (_, s) in enumerate(pieces) if s is not None]
    if not data:
        return pieces
    first, last = data[0], data[-1]
    return [(text, sid) if first <= i <= last else (text, s)
            for i, (text, s) in enumerate(pieces)]
