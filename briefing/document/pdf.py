"""PDF: a tagged, accessible PDF of a briefing through LibreOffice headless.

`briefing pdf DOCX` and `briefing build PATH --pdf` both come here. The PDF
is what the Chairman reads on a tablet and what goes into the private office
pack, so it keeps what a screen reader needs: the document title (shown in
the viewer's title bar), the language, headings as PDF structure elements
(H1 to H3) and bookmarks made from the headings. Tracked changes, when the
document has any, are printed as LibreOffice shows them: as markup.

LibreOffice runs once per conversion with a private, throw-away profile
(`-env:UserInstallation`), so it never meets a user's open LibreOffice or
another conversion running at the same time, and under a time limit after
which its whole process group is ended. It converts a private copy, so the
input is never opened, locked or changed; the PDF is written atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from briefing.errors import BriefingError

TIMEOUT_SECONDS = 180.0
# writer_pdf_Export options (LibreOffice's PDF export filter data).
EXPORT_OPTIONS = {
    "UseTaggedPDF": True,  # structure: headings, paragraphs, tables, lists, reading order
    "PDFUACompliance": True,  # PDF/UA: title shown, language and structure required
    "DisplayPDFDocumentTitle": True,  # the viewer shows the title, not the file name
    "ExportBookmarks": True,  # bookmarks from the headings
    "ExportNotes": False,
    "ExportFormFields": False,
}


class PdfError(BriefingError):
    """A PDF could not be made: LibreOffice is missing, failed or took too long."""


def find_soffice() -> str | None:
    """Return the LibreOffice executable ($BRIEFING_SOFFICE, else soffice or libreoffice)."""
    configured = os.environ.get("BRIEFING_SOFFICE")
    if configured:
        return shutil.which(configured) or (configured if Path(configured).is_file() else None)
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice(target: Path | str) -> str:
    """Return the LibreOffice executable, or raise PdfError saying how to get one."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(f"{target}: cannot write a PDF: LibreOffice is not installed (no soffice "
                       "or libreoffice command found; set BRIEFING_SOFFICE to its path); "
                       "nothing was written")
    return soffice


def pdf_output(docx: Path) -> Path:
    """Return the default PDF path for `docx`: beside it, same name, '.pdf'."""
    return docx.with_suffix(".pdf")


def check_pdf_target(target: Path, source: Path, *, force: bool) -> None:
    """Raise BriefingError when `target` may not be written as the PDF of `source`."""
    from briefing.paths import check_output

    check_output(target, [source], force=force,
                 is_input="the output would replace the input file", suffixes=(".pdf",))


def pdf_bytes(docx: bytes, name: Path | str, soffice: str | None = None) -> bytes:
    """Return a tagged PDF of the .docx bytes `docx` (`name` is used in messages)."""
    soffice = soffice or require_soffice(name)
    prepared = _for_printing(docx, name)
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "briefing.docx"
        source.write_bytes(prepared)
        (folder / "out").mkdir()
        _convert(soffice, source, folder, name)
        result = folder / "out" / "briefing.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise PdfError(f"{name}: LibreOffice did not produce a PDF (is the file a Word "
                           "document it can open?); nothing was written")
        return result.read_bytes()


def _for_printing(docx: bytes, name: Path | str) -> bytes:
    """Return `docx` with "track changes" switched off, its tracked changes still in it.

    With tracking on, LibreOffice records formatting changes of its own while it
    loads a document (on our tables, in the name "Unknown Author"), and those
    would print as markup. Switching tracking off changes no revision.
    """
    from briefing.ooxml import build_xml as bx
    from briefing.ooxml.package import Package

    pkg = Package.from_bytes(docx, name)
    settings = pkg.related_part("settings")
    if settings is None:
        return docx
    bx.set_track_revisions(pkg.xml(settings), False)
    return pkg.to_bytes()


def _convert(soffice: str, source: Path, folder: Path, name: Path | str) -> None:
    """Run LibreOffice headless on `source` with a private profile, within the time limit."""
    filter_data = {k: {"type": "boolean", "value": "true" if v else "false"}
                   for k, v in EXPORT_OPTIONS.items()}
    command = [
        soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
        "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        "--convert-to", "pdf:writer_pdf_Export:" + json.dumps(filter_data, separators=(",", ":")),
        "--outdir", os.fspath(folder / "out"), os.fspath(source),
    ]
    timeout = float(os.environ.get("BRIEFING_PDF_TIMEOUT") or TIMEOUT_SECONDS)
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True,
                                env={**os.environ, "HOME": os.fspath(folder)})
    except OSError as exc:
        raise PdfError(f"{name}: cannot start LibreOffice ({soffice}: "
                       f"{exc.strerror or exc}); nothing was written") from None
    try:
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end(proc)
        seconds = f"{timeout:g} second" + ("" if timeout == 1 else "s")
        raise PdfError(f"{name}: LibreOffice took longer than {seconds} to make the PDF and "
                       "was stopped; nothing was written") from None
    except BaseException:
        _end(proc)
        raise
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise PdfError(f"{name}: LibreOffice failed to make the PDF (exit {proc.returncode}: "
                       f"{detail[0]}); nothing was written")


def _end(proc: subprocess.Popen) -> None:
    """End the LibreOffice this module started, with every process in its group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.communicate(timeout=10)


def write_pdf(docx: Path | str, out: Path | str | None = None, *, force: bool = False) -> Path:
    """Write the tagged PDF of the .docx at `docx` (beside it unless `out`); return its path."""
    from briefing.ooxml.package import Package
    from briefing.paths import atomic_write_bytes

    docx = Path(docx)
    target = Path(out) if out is not None else pdf_output(docx)
    soffice = require_soffice(target)
    Package.open(docx)  # a clear message for a missing, unreadable or non-Word file
    check_pdf_target(target, docx, force=force)
    data = pdf_bytes(docx.read_bytes(), docx, soffice)
    atomic_write_bytes(target, data)
    return target
