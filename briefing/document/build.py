"""Build: briefing YAML -> validated data -> blocks -> .docx, saved atomically.

`build_file` is what `briefing build` runs. `build_bytes` is the same
pipeline in memory, for callers (benchmarks, tests, redline) that do not
want a file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from briefing.results import Result
from briefing.source.model import Briefing, Status
from briefing.source.shown import shown_data

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def build_file(path: str | Path, out: str | Path | None = None, template: str | None = None,
               since: str | Path | None = None, author: str | None = None,
               force: bool = False, pdf: bool = False) -> Result[Path]:
    """Build the .docx for the briefing at `path`; return the path written and any warnings.

    With `pdf`, a tagged PDF is written beside the .docx as well (same name,
    '.pdf'), made through LibreOffice; if it cannot be made, neither is written.
    """
    from briefing.document.template import find_template
    from briefing.paths import atomic_write_bytes, check_output
    from briefing.source.load import load_briefing

    path = Path(path)
    loaded = load_briefing(path)
    briefing = loaded.value.briefing
    target = Path(out) if out is not None else default_output(path, briefing)
    check_output(target, [path], force=force,
                 is_input="the output would replace the input file")
    soffice = _check_pdf(target, path, force) if pdf else None
    chosen = find_template(template)
    data = build_bytes(briefing, chosen, data_hash=loaded.value.data_hash,
                       data_json=loaded.value.canonical_json, source_file=path.name)
    messages = list(loaded.messages)
    if since is not None:
        redlined = _redline_since(Path(since), data, author)
        data = redlined.value
        messages += redlined.messages
    from briefing.check.rules import build_messages  # accessibility and house style: warnings only

    messages += build_messages(data, target)
    printed = _pdf_of(data, target, soffice, redlined=since is not None) if soffice else None
    atomic_write_bytes(target, data)
    if printed is not None:
        from briefing.document.pdf import pdf_output

        atomic_write_bytes(pdf_output(target), printed)
    return Result(target, messages)


def _check_pdf(target: Path, source: Path, force: bool) -> str:
    """Return LibreOffice's executable once the PDF beside `target` may be written."""
    from briefing.document.pdf import check_pdf_target, pdf_output, require_soffice

    pdf = pdf_output(target)
    soffice = require_soffice(pdf)
    check_pdf_target(pdf, source, force=force)
    return soffice


def _pdf_of(data: bytes, target: Path, soffice: str, *, redlined: bool) -> bytes:
    """Return the PDF of the built document `data` (to be written beside `target`).

    It is printed from the release copy (the pages and nothing else: no
    embedded data, source map or hidden bookmarks); a redlined draft, whose
    point is its tracked changes, is printed as it is, changes shown as markup.
    """
    from briefing.document.pdf import pdf_bytes
    from briefing.document.release import release_bytes

    printed = data if redlined else release_bytes(data, str(target))
    return pdf_bytes(printed, target, soffice)


def build_bytes(briefing: Briefing, template, *, data_hash: str = "", data_json: str = "",
                source_file: str = "") -> bytes:
    """Return the .docx bytes of `briefing` laid out by `template` (a compose.Template)."""
    from briefing.document.compose import compose
    from briefing.document.write import write_docx

    fields: set[str] = set()
    blocks = compose(briefing, template, fields)
    named = briefing.model_dump(mode="json", include={"briefing", "meeting", "contact"})
    shown = shown_data(named, fields)  # the sections document properties name people from
    embedded = embedded_json(data_json, fields)
    return write_docx(blocks, template, document_info(
        briefing, blocks, shown, data_hash=data_hash, data_json=embedded,
        data_partial=embedded != data_json, source_file=source_file))


def embedded_json(data_json: str, fields: set[str]) -> str:
    """Return the data a document embeds: `data_json` cut down to what the document shows.

    A document that shows all of it (the full briefing) embeds `data_json` as it is.
    """
    try:
        data = json.loads(data_json) if data_json else None
    except ValueError:
        return data_json
    if not isinstance(data, dict):
        return data_json
    shown = shown_data(data, fields)
    if shown == data:
        return data_json
    from briefing.source.load import canonical_text

    return canonical_text(shown)


def document_info(briefing: Briefing, blocks, shown: dict, *, data_hash: str, data_json: str,
                  data_partial: bool, source_file: str):
    """Return the DocumentInfo (properties, marking, tracking) for `briefing`.

    Properties name only people the document shows (`shown`: its data cut down
    by `shown_data`): a lines card does not carry the author's name hidden.
    """
    from briefing.document.write import DocumentInfo

    info = briefing.briefing
    classification = info.classification.value
    heading = next((b.text for b in blocks if getattr(b, "kind", "") == "h1"), info.title)
    meeting = shown.get("meeting", {})
    principal = meeting.get("principal", {}).get("name")
    counterparts = ", ".join(p["name"] for p in meeting.get("counterparts", []) if "name" in p)
    subject = (f"Briefing for {principal}: meeting with {counterparts}" if principal
               else f"Meeting with {counterparts}" if counterparts else "")
    return DocumentInfo(
        title=heading,
        subject=subject,
        author=shown.get("contact", {}).get("name", ""),
        keywords=shown["briefing"].get("reference") or "",
        status=info.status.value,
        marking="" if classification == "NONE" else classification.upper(),
        version=info.version,
        created=dt.datetime.combine(info.prepared, dt.time(9, 0), tzinfo=dt.UTC),
        track_revisions=info.status == Status.FOR_CLEARANCE,
        data_hash=data_hash,
        data_json=data_json,
        data_partial=data_partial,
        source_file=source_file,
    )


def default_output(path: Path, briefing: Briefing) -> Path:
    """Return the default output beside the YAML: '<reference or stem>-v<version>.docx'."""
    stem = _UNSAFE.sub("-", briefing.briefing.reference or path.stem).strip("-._") or "briefing"
    return path.with_name(f"{stem}-v{briefing.briefing.version}.docx")


def _redline_since(previous: Path, data: bytes, author: str | None) -> Result[bytes]:
    """Return `data` redlined against the earlier draft `previous`, with the redline's summary."""
    from briefing.clearance.redline import redline_result

    return redline_result(previous, data, author=author, date=None)
