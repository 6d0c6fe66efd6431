"""The command line: thin typed commands, the only place that prints or exits.

Exit codes: 0 done; 1 the input or document has problems the user must fix;
2 command-line usage (typer/click's own). No traceback reaches a user: set
BRIEFING_DEBUG=1 to see one.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from briefing.errors import BriefingError
from briefing.results import Message, Result

app = typer.Typer(
    name="briefing",
    help="Build the Chairman's briefing from YAML and clear it by tracked changes in Word.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Force = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
Authors = Annotated[
    Optional[list[str]],
    typer.Option("--author", help="Only revisions by this author (repeatable)."),
]
Items = Annotated[
    Optional[list[str]],
    typer.Option("--item", help="Only revisions inside this briefing item id (repeatable)."),
]


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _interrupted(since: int = 0) -> str:
    """Return what to say on Ctrl-C: nothing was written, or which files already were
    (those written after the first `since` of this process)."""
    from briefing.paths import written

    done = written()[since:]
    if not done:
        return "interrupted; nothing was written"
    return "interrupted after writing " + ", ".join(str(p) for p in done)


def _print_messages(messages: list[Message]) -> None:
    for m in messages:
        _err(str(m))


def _report_written(result: Result[Path], pdf: bool = False) -> None:
    """Print a command's messages, then the file it wrote (and the PDF beside it, with --pdf)."""
    _print_messages(result.messages)
    typer.echo(f"wrote {result.value}")
    if pdf:
        from briefing.document.pdf import pdf_output

        typer.echo(f"wrote {pdf_output(result.value)}")


def user_errors(func):
    """Turn BriefingError into its message and exit 1; hide tracebacks from users."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from briefing.paths import written

        before = len(written())
        try:
            return func(*args, **kwargs)
        except BriefingError as exc:
            _err(str(exc))
            raise typer.Exit(code=exc.exit_code) from None
        except KeyboardInterrupt:
            _err(_interrupted(before))
            raise typer.Exit(code=130) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
            if os.environ.get("BRIEFING_DEBUG"):
                raise
            _err(f"error: {type(exc).__name__}: {exc} (set BRIEFING_DEBUG=1 for details); "
                 "nothing was written")
            raise typer.Exit(code=1) from None

    return wrapper


@app.command()
@user_errors
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the starter YAML.")],
    force: Force = False,
) -> None:
    """Write a commented starter briefing that validates and builds as it is."""
    from briefing.source.starter import write_starter

    write_starter(path, force=force)
    typer.echo(f"wrote {path}")


@app.command()
@user_errors
def validate(
    path: Annotated[Path, typer.Argument(help="The briefing YAML to check.")],
) -> None:
    """Report every problem as FILE:LINE:COL: field.path: message."""
    from briefing.source.load import load_briefing

    result = load_briefing(path)
    _print_messages(result.messages)
    typer.echo(f"{path}: valid")


@app.command()
@user_errors
def build(
    path: Annotated[Path, typer.Argument(help="The briefing YAML.")],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="The .docx to write.")] = None,
    template: Annotated[
        Optional[str], typer.Option("--template", help="Template name or folder.")
    ] = None,
    since: Annotated[
        Optional[Path], typer.Option("--since", help="Redline against this earlier draft.")
    ] = None,
    author: Annotated[
        Optional[str], typer.Option("--author", help="Author of the tracked changes (--since).")
    ] = None,
    force: Force = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write a tagged PDF beside the .docx "
                                         "(needs LibreOffice).")
    ] = False,
) -> None:
    """Build the briefing .docx (beside the YAML unless -o is given)."""
    from briefing.document.build import build_file

    result = build_file(path, out=out, template=template, since=since, author=author,
                        force=force, pdf=pdf)
    _report_written(result, pdf)


@app.command()
@user_errors
def schema() -> None:
    """Print the briefing's JSON Schema."""
    from briefing.source.model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@app.command()
@user_errors
def review(
    docx: Annotated[Path, typer.Argument(help="A reviewed .docx.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    against: Annotated[Optional[Path], typer.Option(
        "--against", metavar="DRAFT",
        help="Also show edits made without tracking, against the draft sent out.")] = None,
) -> None:
    """List tracked changes and comments, by author and by briefing item."""
    from briefing.clearance.report import format_report
    from briefing.clearance.review import read_review

    if against is not None:
        from briefing.clearance.combine import review_against

        result = review_against(docx, against)
        _print_messages(result.messages)
        report = result.value
    else:
        report = read_review(docx)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(format_report(report))


def _resolve(docx, out, authors, items, drop_comments, force, *, accept: bool,
             changes: list[int] | None = None) -> None:
    from briefing.clearance.review import resolve_file

    result = resolve_file(docx, out=out, accept=accept, authors=authors or [],
                          items=items or [], changes=changes or [],
                          drop_comments=drop_comments, force=force)
    _report_written(result)


Out = Annotated[Optional[Path], typer.Option("-o", "--out", help="The .docx to write.")]
DropComments = Annotated[
    bool, typer.Option("--drop-comments", help="Also remove comments.")
]
Changes = Annotated[
    Optional[list[int]],
    typer.Option("--change", metavar="N", help=(
        "Only change number N, as `briefing review` numbers them for this same file "
        "(without --against; repeatable). With --author/--item, each numbered change "
        "must also pass those filters (a check that N is the change you mean), else "
        "nothing is written.")),
]


@app.command()
@user_errors
def accept(docx: Annotated[Path, typer.Argument(help="A reviewed .docx.")], out: Out = None,
           author: Authors = None, item: Items = None, change: Changes = None,
           drop_comments: DropComments = False, force: Force = False) -> None:
    """Accept tracked changes (all, or by author / item / change number) into a new file."""
    _resolve(docx, out, author, item, drop_comments, force, accept=True, changes=change)


@app.command()
@user_errors
def reject(docx: Annotated[Path, typer.Argument(help="A reviewed .docx.")], out: Out = None,
           author: Authors = None, item: Items = None, change: Changes = None,
           drop_comments: DropComments = False, force: Force = False) -> None:
    """Reject tracked changes (all, or by author / item / change number) into a new file."""
    _resolve(docx, out, author, item, drop_comments, force, accept=False, changes=change)


@app.command()
@user_errors
def redline(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The version members last saw.")],
    new_: Annotated[Path, typer.Argument(metavar="NEW", help="The new version.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The redlined .docx to write.")],
    author: Annotated[
        Optional[str],
        typer.Option("--author", help="Author of the tracked changes (default: your login name)."),
    ] = None,
    date: Annotated[
        Optional[str],
        typer.Option("--date", help="ISO 8601 date of the changes, stored in UTC (default now)."),
    ] = None,
    force: Force = False,
) -> None:
    """Write NEW with tracked changes against OLD."""
    from briefing.clearance.redline import redline_files

    result = redline_files(old, new_, out, author=author, date=date, force=force)
    _report_written(result)


@app.command()
@user_errors
def absorb(
    docx: Annotated[Path, typer.Argument(help="The reviewed, cleared .docx.")],
    into: Annotated[Path, typer.Option("--into", help="The briefing YAML to update in place.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the changes; write nothing.")
    ] = False,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Do not append clearance entries.")
    ] = False,
    role: Annotated[
        str, typer.Option("--role", help="Role recorded for each reviewer.")
    ] = "Lead member",
) -> None:
    """Carry cleared wording back into the briefing's YAML."""
    from briefing.clearance.absorb import absorb_file

    result = absorb_file(docx, into, dry_run=dry_run, record=not no_record, role=role)
    _print_messages(result.messages)
    typer.echo(result.value)


@app.command("import-minutes")
@user_errors
def import_minutes(
    file: Annotated[Path, typer.Argument(help="The minutes: .txt, .docx or a saved .html page.")],
    into: Annotated[Path, typer.Option("--into", help="The briefing YAML to add them to.")],
    board: Annotated[
        Optional[str], typer.Option("--board", help="The board, when the minutes do not say.")
    ] = None,
    date: Annotated[
        Optional[str],
        typer.Option("--date", help="The meeting's date (like 2016-06-16), when the minutes "
                                    "do not say."),
    ] = None,
    item: Annotated[
        Optional[str], typer.Option("--item", help="The agenda item, when the minutes do not say.")
    ] = None,
) -> None:
    """Add the points members made, as minuted, to the briefing as member comments."""
    import datetime as dt

    from briefing.source.minutes import import_minutes as run

    try:
        when = dt.date.fromisoformat(date) if date is not None else None
    except ValueError:
        _err(f"error: --date: '{date}' is not a date like 2016-06-16")
        raise typer.Exit(code=2) from None
    result = run(file, into, board=board, meeting_date=when, item=item)
    _print_messages(result.messages)
    typer.echo(result.value)


@app.command()
@user_errors
def check(
    docx: Annotated[Path, typer.Argument(help="Any .docx.")],
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Report accessibility and house-style findings."""
    from briefing.check.rules import check_file, findings_fail, format_findings

    findings = check_file(docx)
    if as_json:
        typer.echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        typer.echo(format_findings(findings))
    if findings_fail(findings, strict=strict):
        raise typer.Exit(code=1)


@app.command()
@user_errors
def release(
    docx: Annotated[Path, typer.Argument(help="A cleared .docx (no tracked changes or comments).")],
    out: Annotated[
        Optional[Path], typer.Option("-o", "--out", help="The release copy to write.")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write the release copy's tagged PDF beside it "
                                         "(LibreOffice).")
    ] = False,
    force: Force = False,
) -> None:
    """Write a copy to send outside the clearance circle: the pages, no hidden data."""
    from briefing.document.release import release_file

    result = release_file(docx, out, pdf=pdf, force=force)
    _report_written(result, pdf)


@app.command()
@user_errors
def serve(
    folder: Annotated[Path, typer.Argument(help="The folder of briefings to serve.")] = Path("."),
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8765,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (default: this computer only).")
    ] = "127.0.0.1",
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser; print the address.")
    ] = False,
) -> None:
    """Edit, check and build the briefings in FOLDER in the browser."""
    from briefing.web.server import serve as run

    if host not in ("127.0.0.1", "localhost", "::1"):
        _err(f"warning: listening on {host}: other computers that can reach it may try to "
             "connect; each still needs the address printed below, which carries this run's key")

    def ready(url: str) -> None:
        typer.echo(f"serving {folder} at {url}  (Ctrl-C to stop)")

    run(folder, host=host, port=port, browser=not no_browser, on_ready=ready)


@app.command("pdf")
@user_errors
def pdf_command(
    docx: Annotated[Path, typer.Argument(help="The .docx to print (any Word document).")],
    out: Annotated[
        Optional[Path], typer.Option("-o", "--out", help="The .pdf to write (default: beside "
                                                          "the .docx).")
    ] = None,
    force: Force = False,
) -> None:
    """Write a tagged, accessible PDF of a .docx through LibreOffice headless."""
    from briefing.document.pdf import write_pdf

    typer.echo(f"wrote {write_pdf(docx, out, force=force)}")


@app.command()
@user_errors
def combine(
    draft: Annotated[Path, typer.Argument(metavar="DRAFT", help="The draft sent to members.")],
    copies: Annotated[list[Path], typer.Argument(metavar="COPY...",
                                                 help="Each member's returned copy.")],
    out: Out = None,
    as_: Annotated[Optional[list[str]], typer.Option(
        "--as", metavar="COPY=NAME",
        help="The member whose copy COPY is (repeatable; default: the copy's last-modified-by)."),
    ] = None,
    author: Annotated[Optional[str], typer.Option(
        "--author", help="Name for untracked changes of a copy that names no one, and for "
                         "conflict bookkeeping (default: your login name).")] = None,
    force: Force = False,
) -> None:
    """Combine every member's copy, tracked or not, into one document with tracked changes."""
    from briefing.clearance.combine import combine_files

    names = {}
    for given in as_ or []:
        key, sep, name = given.partition("=")
        if not sep:
            raise typer.BadParameter(f"{given!r}: give COPY=NAME", param_hint="--as")
        names[key] = name
    result = combine_files(draft, copies, out, names=names, author=author, force=force)
    _report_written(result)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        _err(_interrupted())
        sys.exit(130)
