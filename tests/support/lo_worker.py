"""Drive a private headless LibreOffice over UNO and answer JSON-lines requests.

Runs under a Python that can ``import uno`` (usually the system
``/usr/bin/python3``), never under the test interpreter. The pytest side
(``tests/libreoffice.py``) starts it as::

    python3 lo_worker.py --soffice /usr/bin/soffice --home /tmp/briefing-lo-XXXX

It starts its own soffice with a private user profile under ``--home`` and a
unique pipe name, so several test runs can share one machine, then reads one
JSON object per line on stdin::

    {"id": 1, "op": "paragraphs", "args": {"docx": "/abs/copy.docx"}}

and writes one per line on stdout::

    {"id": 1, "ok": true, "result": ["Title", "First paragraph"]}
    {"id": 1, "ok": false, "error": "..."}

Every path it is given is a private copy made by the caller: LibreOffice
leaves a lock file beside what it opens. If soffice dies during a request the
worker starts a fresh one and tries the request once more.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK
from com.sun.star.uno import RuntimeException as UnoRuntimeException

CONNECT_SECONDS = 90
DOCX_FILTER = "MS Word 2007 XML"
PDF_FILTER = "writer_pdf_Export"


class EditError(Exception):
    """A requested edit cannot be made (text not found, unknown kind)."""


def props(**values) -> tuple:
    """Return a tuple of PropertyValue built from keyword arguments."""
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def file_url(path: str) -> str:
    """Return the file:// URL of an absolute or relative path."""
    return uno.systemPathToFileUrl(str(Path(path).resolve()))


class Office:
    """One private soffice process and the UNO desktop connected to it."""

    def __init__(self, soffice: str, home: Path) -> None:
        self.soffice = soffice
        self.home = home
        self.proc: subprocess.Popen | None = None
        self.ctx = None
        self.desktop = None
        self.starts = 0

    def start(self) -> None:
        """Start soffice with a private profile and connect to it."""
        self.starts += 1
        self.home.mkdir(parents=True, exist_ok=True)
        pipe = f"briefing_lo_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        profile = self.home / "profile"
        # soffice inherits this file; ours is closed once it has started.
        log = open(self.home / f"soffice-{self.starts}.log", "wb")  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                [
                    self.soffice, "--headless", "--invisible", "--nologo", "--norestore",
                    "--nodefault", "--nolockcheck", "--nofirststartwizard",
                    f"-env:UserInstallation={uno.systemPathToFileUrl(str(profile))}",
                    f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                ],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                # Its own group: soffice is a wrapper whose child soffice.bin
                # does the work, and a restart must end both.
                start_new_session=True,
            )
        finally:
            log.close()
        self.ctx = self._connect(pipe)
        smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)

    def _connect(self, pipe: str):
        """Return the remote component context once soffice accepts on `pipe`."""
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                return resolver.resolve(url)
            except NoConnectException:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"soffice exited with code {self.proc.returncode} before accepting "
                        f"connections (see {self.home})") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"soffice did not accept connections within {CONNECT_SECONDS} s") from None
                time.sleep(0.1)

    def alive(self) -> bool:
        """Return whether soffice is running and answers over UNO."""
        if self.proc is None or self.proc.poll() is not None:
            return False
        try:
            self.desktop.getComponents()
        except Exception:  # noqa: BLE001 - any failure over the bridge means gone
            return False
        return True

    def stop(self) -> None:
        """Terminate soffice, politely first."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(Exception):  # it may already be gone
                self.desktop.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def kill(self) -> None:
        """Kill soffice and everything it started (its own process group)."""
        if self.proc is None:
            return
        try:
            # The group outlives the wrapper while soffice.bin runs; the wrapper
            # is reaped only after this, so the group id cannot be reused.
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        self.proc = None
        self.ctx = self.desktop = None

    def restart(self) -> None:
        """Kill the current soffice (if any) and start a fresh one."""
        self.kill()
        self.start()

    # -- documents -----------------------------------------------------

    def load(self, path: str):
        """Return the document at `path` loaded hidden; raise if LibreOffice refuses it."""
        options = {"Hidden": True, "UpdateDocMode": 0}
        if path.lower().endswith(".docx"):
            # Read it as Word or not at all: never fall back to plain text.
            options["FilterName"] = DOCX_FILTER
        doc = self.desktop.loadComponentFromURL(file_url(path), "_blank", 0, props(**options))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not load {path}")
        return doc

    def dispatch(self, doc, command: str) -> None:
        """Run a .uno: dispatch command on the frame of `doc`."""
        helper = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", self.ctx)
        frame = doc.getCurrentController().getFrame()
        helper.executeDispatch(frame, command, "", 0, ())

    def set_author(self, author: str) -> None:
        """Make `author` the user name that LibreOffice records on new changes."""
        provider = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx)
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            props(nodepath="/org.openoffice.UserProfile/Data"))
        access.setPropertyValue("givenname", author)
        access.setPropertyValue("sn", "")
        access.setPropertyValue("initials", "".join(w[0] for w in author.split() if w)[:6])
        access.commitChanges()


def close_doc(doc) -> None:
    """Close `doc` without saving, ignoring a soffice that has already gone."""
    try:
        doc.close(True)
    except Exception:  # noqa: BLE001 - a closed or dead document cannot be closed
        with contextlib.suppress(Exception):
            doc.dispose()


def text_paragraphs(text) -> list[str]:
    """Return the paragraph strings of an XText, tables flattened row-major in place."""
    out: list[str] = []
    enum = text.createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            out.extend(table_paragraphs(element))
        elif element.supportsService("com.sun.star.text.Paragraph"):
            out.append(element.getString())
    return out


def table_paragraphs(table) -> list[str]:
    """Return the paragraphs of every cell of `table`, row by row, left to right."""
    out: list[str] = []
    for name in sorted(table.getCellNames(), key=cell_order):
        out.extend(text_paragraphs(table.getCellByName(name)))
    return out


def cell_order(name: str) -> tuple:
    """Return a sort key putting cell names ("B2", "A1.1.2") in row-major order."""
    head = name.split(".", 1)
    letters = "".join(c for c in head[0] if c.isalpha())
    digits = "".join(c for c in head[0] if c.isdigit())
    column = 0
    for char in letters:
        # Writer names columns A..Z then a..z, then AA...
        column = column * 52 + (ord(char) - 65 if char.isupper() else ord(char) - 97 + 26) + 1
    rest = tuple(int(part) for part in head[1].split(".")) if len(head) > 1 else ()
    return (int(digits or 0), len(letters), column, rest)


def find_range(doc, needle: str):
    """Return the first text range of `doc` that equals `needle`, or raise EditError."""
    desc = doc.createSearchDescriptor()
    desc.SearchString = needle
    desc.SearchCaseSensitive = True
    desc.SearchRegularExpression = False
    found = doc.findFirst(desc)
    if found is None:
        raise EditError(f"text not found: {needle!r}")
    return found


def edit_replace(doc, edit: dict) -> None:
    """Replace the first occurrence of edit['find'] with edit['replace']."""
    found = find_range(doc, edit["find"])
    found.setString(edit["replace"])


def edit_insert_paragraph_after(doc, edit: dict) -> None:
    """Insert a new paragraph holding edit['text'] after the paragraph containing edit['find']."""
    found = find_range(doc, edit["find"])
    text = found.getText()
    cursor = text.createTextCursorByRange(found.getEnd())
    cursor.gotoEndOfParagraph(False)
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    text.insertString(cursor, edit["text"], False)


def edit_delete_paragraph(doc, edit: dict) -> None:
    """Delete the whole paragraph containing edit['find'], paragraph mark included."""
    found = find_range(doc, edit["find"])
    text = found.getText()
    cursor = text.createTextCursorByRange(found.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoEndOfParagraph(True)
    if not cursor.goRight(1, True):
        # Last paragraph: take the mark of the paragraph before it instead.
        cursor.gotoStartOfParagraph(False)
        cursor.goLeft(1, False)
        cursor.gotoNextParagraph(True)
        cursor.gotoEndOfParagraph(True)
    cursor.setString("")


EDITS = {
    "replace": edit_replace,
    "insert_paragraph_after": edit_insert_paragraph_after,
    "delete_paragraph": edit_delete_paragraph,
}


class Worker:
    """The operations the pytest side may ask for, each on a fresh load of a copy."""

    def __init__(self, office: Office) -> None:
        self.office = office

    def op_ping(self) -> str:
        """Return "pong" once soffice answers."""
        self.office.desktop.getComponents()
        return "pong"

    def op_sleep(self, seconds: float) -> float:
        """Return `seconds` after sleeping that long (tests the caller's time-out)."""
        time.sleep(seconds)
        return seconds

    def op_kill_soffice(self) -> bool:
        """Return True after killing soffice, as a crash would (tests recovery)."""
        self.office.kill()
        return True

    def op_paragraphs(self, docx: str) -> list[str]:
        """Return the body paragraphs of `docx` as LibreOffice reads them."""
        return self._read(docx, None)

    def op_accept_all_paragraphs(self, docx: str) -> list[str]:
        """Return the body paragraphs of `docx` after accepting every tracked change."""
        return self._read(docx, ".uno:AcceptAllTrackedChanges")

    def op_reject_all_paragraphs(self, docx: str) -> list[str]:
        """Return the body paragraphs of `docx` after rejecting every tracked change."""
        return self._read(docx, ".uno:RejectAllTrackedChanges")

    def op_accept_all_save(self, docx: str, out: str) -> str:
        """Return `out` after saving `docx` there with every change accepted."""
        return self._resolve_save(docx, out, ".uno:AcceptAllTrackedChanges")

    def op_reject_all_save(self, docx: str, out: str) -> str:
        """Return `out` after saving `docx` there with every change rejected."""
        return self._resolve_save(docx, out, ".uno:RejectAllTrackedChanges")

    def op_redline_count(self, docx: str) -> int:
        """Return how many tracked changes LibreOffice sees in `docx`."""
        doc = self.office.load(docx)
        try:
            return sum(1 for _ in iterate(doc.getRedlines()))
        finally:
            close_doc(doc)

    def op_redline_kinds(self, docx: str) -> list[str]:
        """Return the type of each tracked change LibreOffice sees in `docx` (Insert, Delete,
        Format, ParagraphFormat, ...), in its order."""
        doc = self.office.load(docx)
        try:
            return [str(r.getPropertyValue("RedlineType")) for r in iterate(doc.getRedlines())]
        finally:
            close_doc(doc)

    def op_to_pdf(self, docx: str, pdf: str) -> str:
        """Return `pdf` after exporting `docx` to it."""
        doc = self.office.load(docx)
        try:
            doc.storeToURL(file_url(pdf), props(FilterName=PDF_FILTER))
        finally:
            close_doc(doc)
        return pdf

    def op_tracked_edits(self, docx: str, out: str, edits: list[dict], record: bool = True,
                         saver: str = "") -> str:
        """Return `out` after making `edits` in `docx` with change recording on (or off when
        `record` is false), saved as .docx under the user name `saver` when given."""
        doc = self.office.load(docx)
        try:
            doc.setPropertyValue("RecordChanges", record)
            for number, edit in enumerate(edits, 1):
                kind = edit.get("kind")
                if kind not in EDITS:
                    raise EditError(f"edit {number}: unknown kind {kind!r}")
                self.office.set_author(edit["author"])
                try:
                    EDITS[kind](doc, edit)
                except EditError as exc:
                    raise EditError(f"edit {number} ({kind}): {exc}") from None
            if saver:
                self.office.set_author(saver)
            doc.storeToURL(file_url(out), props(FilterName=DOCX_FILTER))
        finally:
            close_doc(doc)
        return out

    def _read(self, docx: str, command: str | None) -> list[str]:
        """Return the paragraphs of `docx`, after dispatching `command` when given."""
        doc = self.office.load(docx)
        try:
            if command:
                self.office.dispatch(doc, command)
            return text_paragraphs(doc.getText())
        finally:
            close_doc(doc)

    def _resolve_save(self, docx: str, out: str, command: str) -> str:
        """Return `out` after dispatching `command` on `docx` and saving it as .docx."""
        doc = self.office.load(docx)
        try:
            doc.setPropertyValue("RecordChanges", False)
            self.office.dispatch(doc, command)
            doc.storeToURL(file_url(out), props(FilterName=DOCX_FILTER))
        finally:
            close_doc(doc)
        return out


def iterate(container):
    """Yield the elements of a UNO enumeration access."""
    enum = container.createEnumeration()
    while enum.hasMoreElements():
        yield enum.nextElement()


FATAL = (DisposedException, UnoRuntimeException)


def handle(worker: Worker, request: dict) -> dict:
    """Return the response to one request, restarting soffice once if it died."""
    op = getattr(worker, f"op_{request.get('op')}", None)
    if op is None:
        return {"ok": False, "error": f"unknown operation {request.get('op')!r}"}
    args = request.get("args") or {}
    if not worker.office.alive():
        print("soffice is gone; restarting", file=sys.stderr, flush=True)
        worker.office.restart()
    for attempt in (1, 2):
        try:
            return {"ok": True, "result": op(**args), "restarts": worker.office.starts - 1}
        except EditError as exc:
            return {"ok": False, "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - every failure becomes a reply
            died = isinstance(exc, FATAL) or not worker.office.alive()
            if died and attempt == 1:
                print(f"soffice failed ({type(exc).__name__}: {exc}); restarting",
                      file=sys.stderr, flush=True)
                worker.office.restart()
                continue
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                    "soffice_died": died, "trace": traceback.format_exc()}
    raise AssertionError("unreachable")


def serve(worker: Worker, requests, replies) -> None:
    """Answer each JSON line of `requests` with one JSON line on `replies`."""
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError as exc:
            reply = {"ok": False, "error": f"bad request: {exc}"}
        else:
            if request.get("op") == "quit":
                replies.write(json.dumps({"id": request.get("id"), "ok": True}) + "\n")
                replies.flush()
                return
            reply = handle(worker, request)
            reply["id"] = request.get("id")
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def main() -> int:
    """Start soffice, serve requests until stdin closes or "quit", stop soffice."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soffice", required=True, help="soffice executable")
    parser.add_argument("--home", required=True, help="private folder for profile and logs")
    opts = parser.parse_args()
    # Keep the protocol channel clean: anything else printed goes to stderr.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    office = Office(opts.soffice, Path(opts.home))
    try:
        office.start()
        replies.write(json.dumps({"id": 0, "ok": True, "result": "ready"}) + "\n")
        replies.flush()
        serve(Worker(office), sys.stdin, replies)
    finally:
        office.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
