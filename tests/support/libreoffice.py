"""LibreOffice headless as an independent reader of our documents, for tests.

``LibreOffice`` starts ``tests/lo_worker.py`` under a Python that has the UNO
bridge (the system Python, not the test interpreter) on first use; the worker
runs one private soffice for the whole test session. Every method takes paths
and returns plain Python values; every document is handed over as a private
copy, so the caller's file is never opened, locked or changed.

LibreOffice 7.4 headless crashes when UNO touches a loaded document that has
comments, so the copy has comment markup and parts removed (they carry no body
text) unless ``keep_comments=True`` is passed.

Configuration by environment: ``BRIEFING_UNO_PYTHON`` (a Python that can
``import uno``), ``BRIEFING_SOFFICE`` (the soffice executable) and
``BRIEFING_LO_TIMEOUT`` (seconds a single request may take, default 60).
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Self

from lxml import etree

WORKER = Path(__file__).with_name("lo_worker.py")
DEFAULT_TIMEOUT = 60.0
START_TIMEOUT = 120.0
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
EDIT_FIELDS = {
    "replace": {"author", "find", "replace"},
    "insert_paragraph_after": {"author", "find", "text"},
    "delete_paragraph": {"author", "find"},
}


class LibreOfficeError(RuntimeError):
    """LibreOffice could not do what a test asked (message says what and why)."""


# -- finding LibreOffice -------------------------------------------------


def _can_import_uno(python: str) -> bool:
    """Return whether `python` runs and can ``import uno``."""
    try:
        done = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@functools.cache
def find_uno_python() -> str | None:
    """Return a Python executable that can ``import uno``, or None.

    Tries ``$BRIEFING_UNO_PYTHON``, then ``/usr/bin/python3``, then
    ``python3`` on PATH.
    """
    candidates = [os.environ.get("BRIEFING_UNO_PYTHON"), "/usr/bin/python3",
                  shutil.which("python3")]
    for python in candidates:
        if python and _can_import_uno(python):
            return python
    return None


@functools.cache
def find_soffice() -> str | None:
    """Return the soffice executable (``$BRIEFING_SOFFICE``, else on PATH), or None."""
    configured = os.environ.get("BRIEFING_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"):
        if Path(path).exists():
            return path
    return None


def unavailable_reason() -> str | None:
    """Return why LibreOffice cannot be used here, or None when it can."""
    if find_soffice() is None:
        return "LibreOffice (soffice) is not installed"
    if find_uno_python() is None:
        return ("no Python with the UNO bridge (import uno) was found; "
                "install python3-uno or set BRIEFING_UNO_PYTHON")
    return None


# -- comment-free copies -------------------------------------------------


def _is_comment_part(name: str) -> bool:
    """Return whether the zip entry `name` is a comments part or its rels."""
    base = name.rsplit("/", 1)[-1].lower()
    return base.startswith("comments") and base.endswith((".xml", ".xml.rels"))


def has_comments(docx: Path) -> bool:
    """Return whether `docx` holds any comments part."""
    with zipfile.ZipFile(docx) as zf:
        return any(_is_comment_part(name) for name in zf.namelist())


def _strip_story(data: bytes) -> bytes:
    """Return story XML without comment ranges and comment-reference runs."""
    root = etree.fromstring(data)
    w = f"{{{W_NS}}}"
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for el in list(root.iter(w + tag)):
            el.getparent().remove(el)
    for ref in list(root.iter(w + "commentReference")):
        run = ref.getparent()
        run.remove(ref)
        if run.tag == w + "r" and all(child.tag == w + "rPr" for child in run):
            run.getparent().remove(run)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _strip_entries(data: bytes, tag: str, attr: str) -> bytes:
    """Return a package XML part without its `tag` entries whose `attr` names a comments part
    (relationships in a .rels part, overrides in [Content_Types].xml)."""
    root = etree.fromstring(data)
    for entry in list(root.iter(tag)):
        if _is_comment_part(entry.get(attr, "")):
            root.remove(entry)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def strip_comments(src: Path, dest: Path) -> Path:
    """Return `dest` after writing a copy of `src` with every comment removed."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name = info.filename
            if _is_comment_part(name):
                continue
            data = zin.read(info)
            if name == "[Content_Types].xml":
                data = _strip_entries(data, f"{{{CT_NS}}}Override", "PartName")
            elif name.endswith(".rels"):
                data = _strip_entries(data, f"{{{PR_NS}}}Relationship", "Target")
            elif name.startswith("word/") and name.endswith(".xml") and b"comment" in data:
                data = _strip_story(data)
            zout.writestr(info, data)
    return dest


# -- PDFs ----------------------------------------------------------------

_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_page_count(pdf: Path | str) -> int:
    """Return the number of pages in a PDF written by LibreOffice."""
    data = Path(pdf).read_bytes()
    if not data.startswith(b"%PDF"):
        raise LibreOfficeError(f"{pdf} is not a PDF")
    return len(_PAGE.findall(data))


# -- the client ----------------------------------------------------------


class LibreOffice:
    """A private headless LibreOffice, started on first use and closed by ``close()``."""

    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = timeout or float(os.environ.get("BRIEFING_LO_TIMEOUT", DEFAULT_TIMEOUT))
        self._proc: subprocess.Popen | None = None
        self._replies: queue.Queue = queue.Queue()
        self._home: Path | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._log = None

    # public API: each takes paths and returns plain values

    def paragraphs(self, docx: Path | str, *, keep_comments: bool = False) -> list[str]:
        """Return the body paragraphs of `docx` as LibreOffice reads them.

        Tables are flattened in place: each cell's paragraphs, row by row.
        Deleted text still shows (no change is accepted or rejected).
        """
        return self._on_copy("paragraphs", docx, keep_comments)

    def accept_all_paragraphs(self, docx: Path | str, *, keep_comments: bool = False) -> list[str]:
        """Return the body paragraphs of `docx` after LibreOffice accepts every change."""
        return self._on_copy("accept_all_paragraphs", docx, keep_comments)

    def reject_all_paragraphs(self, docx: Path | str, *, keep_comments: bool = False) -> list[str]:
        """Return the body paragraphs of `docx` after LibreOffice rejects every change."""
        return self._on_copy("reject_all_paragraphs", docx, keep_comments)

    def redline_count(self, docx: Path | str, *, keep_comments: bool = False) -> int:
        """Return how many tracked changes LibreOffice finds in `docx`."""
        return self._on_copy("redline_count", docx, keep_comments)

    def redline_kinds(self, docx: Path | str, *, keep_comments: bool = False) -> list[str]:
        """Return the type of each tracked change LibreOffice finds in `docx`, in its order."""
        return self._on_copy("redline_kinds", docx, keep_comments)

    def to_pdf(self, docx: Path | str, outdir: Path | str, *,
               keep_comments: bool = False) -> Path:
        """Return the path of ``<outdir>/<stem>.pdf`` after LibreOffice exports `docx` to it."""
        dest = Path(outdir) / (Path(docx).stem + ".pdf")
        return self._to_file("to_pdf", docx, dest, "pdf", keep_comments)

    def pdf_page_count(self, pdf: Path | str) -> int:
        """Return the number of pages in `pdf`."""
        return pdf_page_count(pdf)

    def tracked_edits(self, docx: Path | str, out: Path | str, edits: list[dict], *,
                      keep_comments: bool = False, record: bool = True,
                      saver: str = "") -> Path:
        """Return `out` after LibreOffice makes `edits` in `docx` with changes recorded.

        Each edit is a dict with ``kind`` and ``author`` (the name recorded on
        the change) and, by kind: ``replace`` (``find``, ``replace``: the first
        occurrence of the text), ``insert_paragraph_after`` (``find``, ``text``:
        a new paragraph after the one containing ``find``), ``delete_paragraph``
        (``find``: the whole paragraph containing it). Saved as Word .docx.
        With ``record=False`` the edits are made as a member who forgot to turn
        Track Changes on; ``saver`` is the user name LibreOffice holds when it
        saves (what it writes as the last-modified-by property).
        """
        checked = [_check_edit(number, edit) for number, edit in enumerate(edits, 1)]
        return self._to_file("tracked_edits", docx, Path(out), "docx", keep_comments,
                             edits=checked, record=record, saver=saver)

    def accept_all_save(self, docx: Path | str, out: Path | str, *,
                        keep_comments: bool = False) -> Path:
        """Return `out` after LibreOffice accepts every change in `docx` and saves it as .docx."""
        return self._to_file("accept_all_save", docx, Path(out), "docx", keep_comments)

    def reject_all_save(self, docx: Path | str, out: Path | str, *,
                        keep_comments: bool = False) -> Path:
        """Return `out` after LibreOffice rejects every change in `docx` and saves it as .docx."""
        return self._to_file("reject_all_save", docx, Path(out), "docx", keep_comments)

    def close(self) -> None:
        """Stop the worker and its soffice, and remove the private folder."""
        with self._lock:
            self._stop(polite=True)
            if self._home is not None:
                shutil.rmtree(self._home, ignore_errors=True)
                self._home = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # copies in, results out

    def _private_copy(self, docx: Path | str, keep_comments: bool) -> Path:
        """Return a fresh private copy of `docx` for the worker to open."""
        src = Path(docx)
        if not src.is_file():
            raise FileNotFoundError(f"no such document: {src}")
        work = Path(tempfile.mkdtemp(prefix="doc-", dir=self._workdir()))
        dest = work / ("in" + (src.suffix or ".docx"))
        if not keep_comments and zipfile.is_zipfile(src) and has_comments(src):
            return strip_comments(src, dest)
        shutil.copyfile(src, dest)
        return dest

    def _on_copy(self, op: str, docx: Path | str, keep_comments: bool):
        """Return the result of `op` run on a private copy of `docx`."""
        copy = self._private_copy(docx, keep_comments)
        try:
            return self._call(op, docx=str(copy))
        except LibreOfficeError as exc:
            raise LibreOfficeError(str(exc).replace(str(copy), str(docx))) from None
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)

    def _to_file(self, op: str, docx: Path | str, dest: Path, ext: str,
                 keep_comments: bool, **args) -> Path:
        """Return `dest` after `op` writes its output for a private copy of `docx` there."""
        copy = self._private_copy(docx, keep_comments)
        produced = copy.parent / f"out.{ext}"
        try:
            key = "pdf" if op == "to_pdf" else "out"
            try:
                self._call(op, docx=str(copy), **{key: str(produced)}, **args)
            except LibreOfficeError as exc:
                raise LibreOfficeError(str(exc).replace(str(copy), str(docx))) from None
            if not produced.is_file():
                raise LibreOfficeError(f"LibreOffice reported success for {op} but wrote nothing")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(produced, dest)
            return dest
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)

    # the worker process

    def _workdir(self) -> Path:
        """Return the private folder (created on first use) where copies live."""
        if self._home is None:
            self._home = Path(tempfile.mkdtemp(prefix="briefing-lo-"))
        work = self._home / "work"
        work.mkdir(exist_ok=True)
        return work

    def _start(self) -> None:
        """Start the worker and wait until its soffice answers."""
        reason = unavailable_reason()
        if reason:
            raise LibreOfficeError(reason)
        self._workdir()
        # Open for the worker's whole life; closed in _stop().
        self._log = open(self._home / "worker.log", "ab")  # noqa: SIM115
        self._replies = queue.Queue()
        self._proc = subprocess.Popen(
            [find_uno_python(), str(WORKER), "--soffice", find_soffice(),
             "--home", str(self._home / "office")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
            start_new_session=True,
        )
        reader = threading.Thread(target=_pump, args=(self._proc.stdout, self._replies),
                                  daemon=True)
        reader.start()
        self._wait(0, START_TIMEOUT, "start")

    def _call(self, op: str, **args):
        """Return the worker's result for `op`; raise LibreOfficeError on failure or timeout."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._stop(polite=False)
                self._start()
            rid = next(self._ids)
            line = json.dumps({"id": rid, "op": op, "args": args}) + "\n"
            try:
                self._proc.stdin.write(line.encode("utf-8"))
                self._proc.stdin.flush()
            except OSError:
                self._stop(polite=False)
                raise LibreOfficeError(f"LibreOffice worker went away before {op}: "
                                       f"{self._log_tail()}") from None
            reply = self._wait(rid, self.timeout, op)
        if not reply.get("ok"):
            raise LibreOfficeError(f"LibreOffice {op} failed: {reply.get('error')}")
        return reply.get("result")

    def _wait(self, rid: int, timeout: float, what: str) -> dict:
        """Return the reply with id `rid`; kill the worker if none comes within `timeout`."""
        while True:
            try:
                reply = self._replies.get(timeout=timeout)
            except queue.Empty:
                self._stop(polite=False)
                raise LibreOfficeError(
                    f"LibreOffice did not answer {what!r} within {timeout:.0f} s; "
                    "stopped it (the next call starts a fresh one)") from None
            if reply is None:
                tail = self._log_tail()
                self._stop(polite=False)
                raise LibreOfficeError(f"LibreOffice worker exited during {what!r}: {tail}")
            if reply.get("id") == rid:
                return reply

    def _stop(self, polite: bool) -> None:
        """End the worker process group (ours alone) and close its pipes."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if polite and proc.poll() is None:
            try:
                proc.stdin.write(b'{"id": -1, "op": "quit"}\n')
                proc.stdin.flush()
                proc.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                pass
        # soffice runs in the worker's process group (ours alone): end both.
        # The worker is not reaped yet, so its group id cannot have been reused.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        if self._home is not None:
            _kill_strays(str(self._home))
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def _log_tail(self, lines: int = 15) -> str:
        """Return the last lines the worker wrote to its log."""
        if self._home is None:
            return ""
        try:
            text = (self._home / "worker.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _kill_strays(marker: str) -> None:
    """Kill processes whose command line contains `marker` (our private soffice only).

    A worker killed at a time-out cannot stop its soffice, which runs in a
    process group of its own; its command line names our private profile.
    """
    proc_root = Path("/proc")
    if not proc_root.is_dir():
        return
    needle = marker.encode()
    for entry in proc_root.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _pump(stream, replies: queue.Queue) -> None:
    """Put each JSON reply line read from `stream` on `replies`; None at end of stream."""
    try:
        for raw in stream:
            try:
                replies.put(json.loads(raw))
            except json.JSONDecodeError:
                continue
    except (OSError, ValueError):
        pass
    replies.put(None)


def _check_edit(number: int, edit: dict) -> dict:
    """Return `edit` unchanged if it names a known kind with exactly its fields."""
    kind = edit.get("kind")
    if kind not in EDIT_FIELDS:
        raise ValueError(f"edit {number}: kind must be one of {sorted(EDIT_FIELDS)}, not {kind!r}")
    fields = set(edit) - {"kind"}
    if fields != EDIT_FIELDS[kind]:
        raise ValueError(f"edit {number} ({kind}): needs fields {sorted(EDIT_FIELDS[kind])}, "
                         f"got {sorted(fields)}")
    for name in fields:
        if not isinstance(edit[name], str):
            raise TypeError(f"edit {number} ({kind}): {name} must be text")
    for name in ("author", "find"):
        if not edit[name].strip():
            raise ValueError(f"edit {number} ({kind}): {name} must not be empty")
    return dict(edit)
