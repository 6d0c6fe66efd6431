"""Fuzzing: damaged copies of real documents into every command that reads a .docx.

Each example takes a corpus document (or one of our own builds, source map
and all) and breaks it one way (truncated zip,
flipped bytes, a part missing, half-written or replaced by junk, XML cut in
the middle of an element) and runs a command through the CLI. Whatever the
damage, the command must:

- exit 0 or 1, with a message, and never a traceback;
- fail only with a proper BriefingError message, never the last-resort
  "error: <Type>: ... (set BRIEFING_DEBUG=1 for details)";
- write nothing when it fails, and a file that opens (our reader and
  python-docx) when it succeeds;
- leave its input as it was, and finish within `TIME_LIMIT` seconds.

Bounded by `max_examples` so the suite stays well under a minute per command.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import signal
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from briefing.cli import app
from briefing.ooxml.package import Package
from tests.conftest import ROOT, corpus_files

CORPUS_FILES = corpus_files()
TIME_LIMIT = 30
EXAMPLES = 25  # BRIEFING_FUZZ_EXAMPLES=500 for a deeper run
LAST_RESORT = "set BRIEFING_DEBUG=1 for details"
CORE_PARTS = ("word/document.xml", "[Content_Types].xml", "_rels/.rels",
              "word/_rels/document.xml.rels", "word/styles.xml", "word/comments.xml",
              "word/numbering.xml", "word/settings.xml", "docProps/core.xml")
runner = CliRunner()
FUZZ = settings(max_examples=int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", EXAMPLES)),
                deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


# --- mutations ----------------------------------------------------------------------


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _pick_part(parts: dict[str, bytes], draw) -> str:
    present = [n for n in CORE_PARTS if n in parts]
    others = sorted(n for n in parts if n not in present)
    return draw(st.sampled_from(present + others))


@st.composite
def damaged(draw, data: bytes) -> tuple[str, bytes]:
    """Return (what was done, the damaged bytes) for one corpus document."""
    kind = draw(st.sampled_from(["truncate", "flip", "drop-part", "half-part", "junk-part",
                                 "cut-xml", "swap-tag"]))
    if kind == "truncate":
        n = draw(st.integers(0, len(data) - 1))
        return f"truncated to {n} bytes", data[:n]
    if kind == "flip":
        out = bytearray(data)
        spots = draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=8))
        for i in spots:
            out[i] ^= draw(st.integers(1, 255))
        return f"bytes flipped at {spots}", bytes(out)
    parts = _members(data)
    name = _pick_part(parts, draw)
    if kind == "drop-part":
        del parts[name]
    elif kind == "half-part":
        parts[name] = parts[name][: len(parts[name]) // 2]
    elif kind == "junk-part":
        parts[name] = draw(st.binary(max_size=200))
    elif kind == "cut-xml":
        n = draw(st.integers(0, max(len(parts[name]) - 1, 0)))
        parts[name] = parts[name][:n] + draw(st.sampled_from(
            [b"", b"<", b"</w:p>", b"<w:r><w:t>", b"&amp", b"\xff\xfe", b"<?xml?>"]))
    else:
        parts[name] = _swap_tag(parts[name], draw)
    return f"{kind} {name}", _zip(parts)


def _swap_tag(xml: bytes, draw) -> bytes:
    """Replace one element name by another (well-formed XML, wrong structure)."""
    tags = [b"w:p", b"w:r", b"w:t", b"w:tbl", b"w:tr", b"w:tc", b"w:ins", b"w:del", b"w:body",
            b"w:pPr", b"w:rPr", b"w:delText", b"w:sectPr", b"w:comment"]
    old, new = draw(st.sampled_from(tags)), draw(st.sampled_from(tags))
    return xml.replace(b"<" + old + b">", b"<" + new + b">").replace(
        b"</" + old + b">", b"</" + new + b">")


# --- the contract ---------------------------------------------------------------------


@contextmanager
def time_limit(seconds: int):
    """Raise TimeoutError in the test if the block runs longer than `seconds`."""
    def _alarm(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke_answering(args: list[str], seconds: int, what: str) -> tuple:
    """Return (result, context) of running the CLI within `seconds`, having asserted that it
    answered as a user should see: exit 0 or 1, a message, no traceback, no last-resort error."""
    with time_limit(seconds):
        result = runner.invoke(app, args)
    context = f"{what}: {' '.join(args[:1])} -> exit {result.exit_code}: {result.output[-500:]}"
    assert result.exit_code in (0, 1), context
    assert result.exception is None or isinstance(result.exception, SystemExit), context
    assert "Traceback" not in result.output, context
    assert LAST_RESORT not in result.output, context
    assert result.output.strip(), context
    return result, context


def run_safely(args: list[str], what: str, inputs: list[Path], out: Path | None = None):
    """Run the CLI and assert the fuzzing contract; return the result."""
    before = {p: digest(p) for p in inputs}
    result, context = invoke_answering(args, TIME_LIMIT, what)
    for p, h in before.items():
        assert digest(p) == h, f"{what}: {p.name} was changed"
    if out is not None:
        if result.exit_code == 0:
            _assert_opens(out, context)
        else:
            assert not out.exists(), f"{what}: wrote {out.name} although it failed"
    leftovers = [p.name for p in out.parent.iterdir() if p.name.endswith(".part")] if out else []
    assert not leftovers, f"{what}: temporary files left behind: {leftovers}"
    return result


def _assert_opens(path: Path, context: str) -> None:
    import docx

    assert path.is_file(), context
    Package.open(path)
    docx.Document(str(path))


# --- the tests --------------------------------------------------------------------------

OURS = "samples/work-programme-2010.yaml built"  # one of our own documents, source map and all
sources = st.sampled_from([OURS, *CORPUS_FILES])


@functools.cache
def ours() -> bytes:
    """Return the .docx bytes of the shipped sample, built in memory."""
    from briefing.document.build import build_bytes
    from briefing.document.compose import find_template
    from briefing.source.load import load_briefing

    loaded = load_briefing(ROOT / "samples" / "work-programme-2010.yaml").value
    return build_bytes(loaded.briefing, find_template(None), data_hash=loaded.data_hash,
                       data_json=loaded.canonical_json, source_file="work-programme-2010.yaml")


def source_bytes(source) -> tuple[str, bytes]:
    """Return (name, bytes) of a fuzzing source."""
    if source == OURS:
        return OURS, ours()
    return str(source.relative_to(source.parents[1])), source.read_bytes()


class Damaged(tuple):
    """(what was done, bytes), shown by what was done alone: the bytes are too long to print."""

    def __repr__(self) -> str:
        return repr(self[0])


@st.composite
def damaged_document(draw):
    name, original = source_bytes(draw(sources))
    what, data = draw(damaged(original))
    return Damaged((f"{name} {what}", data))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one per example: hypothesis repeats data
    path = folder / name
    path.write_bytes(data)
    return path


@FUZZ
@given(doc=damaged_document(), as_json=st.booleans())
def test_check_survives_damaged_documents(tmp_path, doc, as_json):
    what, data = doc
    path = _write(tmp_path, "in.docx", data)
    run_safely(["check", str(path)] + (["--json"] if as_json else []), what, [path])


@FUZZ
@given(doc=damaged_document(), as_json=st.booleans())
def test_review_survives_damaged_documents(tmp_path, doc, as_json):
    what, data = doc
    path = _write(tmp_path, "in.docx", data)
    run_safely(["review", str(path)] + (["--json"] if as_json else []), what, [path])


@FUZZ
@given(doc=damaged_document(), command=st.sampled_from(["accept", "reject"]))
def test_accept_and_reject_survive_damaged_documents(tmp_path, doc, command):
    what, data = doc
    path = _write(tmp_path, "in.docx", data)
    out = path.with_name("out.docx")
    run_safely([command, str(path), "-o", str(out)], what, [path], out)


@FUZZ
@given(doc=damaged_document(), damaged_is_new=st.booleans())
def test_redline_survives_damaged_documents(tmp_path, doc, damaged_is_new):
    pytest.importorskip("briefing.clearance.redline", reason="redline has not landed")
    what, data = doc
    broken = _write(tmp_path, "broken.docx", data)
    intact = broken.with_name("intact.docx")
    intact.write_bytes(ours())
    old, new = (intact, broken) if damaged_is_new else (broken, intact)
    out = broken.with_name("out.docx")
    run_safely(["redline", str(old), str(new), "-o", str(out)], what, [old, new], out)


@FUZZ
@given(doc=damaged_document())
def test_absorb_survives_damaged_documents(tmp_path, doc):
    pytest.importorskip("briefing.clearance.absorb", reason="absorb has not landed")
    what, data = doc
    path = _write(tmp_path, "in.docx", data)
    yaml = path.with_name("briefing.yaml")
    shutil.copyfile(ROOT / "samples" / "work-programme-2010.yaml", yaml)
    before = digest(yaml)
    result = run_safely(["absorb", str(path), "--into", str(yaml)], what, [path])
    if result.exit_code == 1:
        assert digest(yaml) == before, f"{what}: absorb failed but changed the YAML"
