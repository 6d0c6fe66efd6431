"""Templates: a folder with `reference.docx` (the look) and `layout.j2` (order and wording).

Layouts are compiled once per process (until their files change) in a
sandboxed Jinja2 environment with StrictUndefined, with a per-user bytecode
cache; data reaches them only as the proxies of `briefing.document.context`.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.document.context import Item, context, field, long_date
from briefing.errors import BriefingError

LAYOUT_FILE = "layout.j2"
REFERENCE_FILE = "reference.docx"


class TemplateError(BriefingError):
    """A template that cannot be used: missing files, Jinja2 errors, bad layout lines."""


def shown(path: str | Path) -> str:
    """Return `path` for messages: relative to the working folder when inside it."""
    try:
        return os.fspath(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return os.fspath(path)


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
    env.globals["field"] = field
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

    return Path(str(files("briefing_templates")))


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
