"""Release: the copy of a cleared document to send outside the clearance circle.

A document we build carries what clearance needs: the data it shows (for
absorb), the source map and its hidden bookmarks, the author's name, rsids,
tracked changes and comments while members review it. The release copy keeps
the pages and nothing else (`briefing.ooxml.hidden.scrub` lists what goes): the
same visible text, styles, headers and footers, and the properties title,
subject, language and the classification marking.

A document that still holds tracked changes or comments is refused: which
changes to keep is the officer's decision (`briefing accept` / `reject`), not
release's. `release_bytes` is the whole transformation in memory (`briefing
pdf` can make its PDF from it); `release_file` is what `briefing release` runs,
with `--pdf` also the release copy's tagged PDF.
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import PendingRevisions
from briefing.results import Result

SUFFIX = "-release"


def release_bytes(data: bytes, name: str) -> bytes:
    """Return the release copy of the .docx held in `data` (`name` names it in messages).

    Raises DocumentError for a file that is not a safe Word document, and
    PendingRevisions (naming the command that clears them) for one that still
    holds tracked changes or comments.
    """
    from briefing.ooxml.package import Package

    return _released(Package.from_bytes(data, name), name)


def release_file(path: str | Path, out: str | Path | None = None, *, pdf: bool = False,
                 force: bool = False) -> Result[Path]:
    """Write the release copy of `path` to `out` (default: beside it, '-release' added).

    With `pdf`, also its tagged PDF beside it (`briefing.document.pdf`), made
    before either file is written, so a failed conversion writes nothing.
    """
    from briefing.ooxml.package import Package
    from briefing.paths import atomic_write_bytes, check_output

    path = Path(path)
    target = Path(out) if out is not None else default_output(path)
    check_output(target, [path], force=force,
                 is_input="is the input document; choose another output with -o")
    pdf_target, soffice = _pdf_target(target, path, force) if pdf else (None, None)
    data = _released(Package.open(path), str(path))
    if pdf_target is not None:
        from briefing.document.pdf import pdf_bytes

        printed = pdf_bytes(data, target, soffice)
        atomic_write_bytes(target, data)
        atomic_write_bytes(pdf_target, printed)
    else:
        atomic_write_bytes(target, data)
    return Result(target, [])


def _pdf_target(target: Path, source: Path, force: bool) -> tuple[Path, str]:
    """Return where the release copy's PDF goes and the LibreOffice that makes it."""
    from briefing.document.pdf import check_pdf_target, pdf_output, require_soffice

    pdf_target = pdf_output(target)
    soffice = require_soffice(pdf_target)
    check_pdf_target(pdf_target, source, force=force)
    return pdf_target, soffice


def _released(pkg, name: str) -> bytes:
    """Return the release copy of the open package `pkg`."""
    from briefing.ooxml.hidden import scrub

    refuse_uncleared(pkg, name)
    scrub(pkg, _marking(pkg))
    pkg.check_sound()
    return pkg.to_bytes()


def default_output(path: Path) -> Path:
    """Return '<stem>-release.docx' beside `path`."""
    return path.with_name(f"{path.stem}{SUFFIX}.docx")


def refuse_uncleared(pkg, name: str) -> None:
    """Raise PendingRevisions when `pkg` holds tracked changes, comments or macros."""
    from briefing.ooxml.read.changes import census
    from briefing.results import plural

    found = census(pkg)
    if found.total:
        raise PendingRevisions(
            f"{name}: {plural(found.total, 'tracked change')} still to accept or reject; "
            f"a release copy shows one text: clear them first with `briefing accept {name} "
            f"-o CLEARED.docx` or `briefing reject {name} -o CLEARED.docx`, then release "
            "the cleared copy")
    if found.comments:
        raise PendingRevisions(
            f"{name}: {plural(found.comments, 'comment')} still in the document; remove them "
            f"with `briefing accept {name} --drop-comments -o CLEARED.docx` (after reading "
            "them: `briefing review`), then release the cleared copy")
    if pkg.has_macros:
        raise PendingRevisions(f"{name}: is macro-enabled; save it as a .docx without macros "
                               "in Word first, then release that")


def _marking(pkg) -> str | None:
    """Return the classification marking the document carries (its data's, or its headers')."""
    from briefing.check.rules import expected_marking
    from briefing.ooxml.read.inspect import inspect_package

    marking = expected_marking(inspect_package(pkg))
    return None if marking in (None, "NONE") else marking
