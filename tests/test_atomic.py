"""Writes are atomic, outputs are never replaced without --force, inputs are never changed.

- `atomic_open`: a failure or an interrupt mid-write leaves no partial file and
  the previous file as it was; the new file gets normal permissions.
- A full disk (simulated: writing or syncing raises ENOSPC) in every command
  that writes: exit 1, a message that says so, the earlier output intact.
- SIGINT delivered to a real `briefing build` of the large sample while it is
  writing, and while it is composing: exit 130, "interrupted; nothing was
  written", the earlier output intact, no temporary file left.
- Every command, run for real, leaves its input files byte for byte as they
  were (absorb changes only the YAML it is asked to update).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefing import paths as fsutil
from briefing.cli import app
from briefing.errors import WriteFailed
from briefing.ooxml.package import Package

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
POINT_1 = "They know which providers deliver and where the gaps in local provision are."
runner = CliRunner()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --- atomic_open ------------------------------------------------------------------------


def test_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    fsutil.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_failure_mid_write_leaves_the_previous_file(tmp_path, error):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    with pytest.raises(type(error)), fsutil.atomic_open(target) as fh:
        fh.write(b"half of the new")
        raise error
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        fsutil.atomic_write_bytes(tmp_path / "new.docx", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.docx").stat().st_mode) == 0o644


def test_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    fsutil.atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


class FullDisk:
    """Stands in for `os` inside fsutil: writes stop half way with ENOSPC, or fsync fails."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __getattr__(self, name):
        return getattr(os, name)

    def fsync(self, fd):
        if self.where == "fsync":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return os.fsync(fd)

    def fdopen(self, fd, mode):
        fh = os.fdopen(fd, mode)
        if self.where != "write":
            return fh
        real_write = fh.write

        def write(data):
            real_write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        fh.write = write
        return fh


@pytest.fixture(params=["write", "fsync"])
def full_disk(request, monkeypatch):
    """Make every write through fsutil fail as on a full disk."""
    monkeypatch.setattr(fsutil, "os", FullDisk(request.param))


def test_full_disk_leaves_the_previous_file(tmp_path, full_disk):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    with pytest.raises(WriteFailed) as caught:
        fsutil.atomic_write_bytes(target, b"new contents")
    assert str(caught.value) == (f"{target}: cannot be written (the disk is full); nothing was "
                                 "written, the earlier file is unchanged")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_unwritable_folder_is_a_clear_error(tmp_path):
    with pytest.raises(WriteFailed, match=r"cannot be written \(No such file or directory\)"):
        fsutil.atomic_write_bytes(tmp_path / "absent" / "out.docx", b"x")


def test_interrupt_after_the_write_says_what_was_written(tmp_path, monkeypatch):
    import briefing.cli

    def interrupt(messages):
        raise KeyboardInterrupt

    out = tmp_path / "briefing.docx"
    monkeypatch.setattr(briefing.cli, "_print_messages", interrupt)
    result = runner.invoke(app, ["build", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 130
    assert result.output == f"interrupted after writing {out}\n"
    Package.open(out)


# --- the commands ---------------------------------------------------------------------


@pytest.fixture
def work(tmp_path):
    """Return a folder with the sample YAML, its draft, a redlined draft and a copy of the
    draft a member edited (cleared.docx)."""
    yaml = tmp_path / "briefing.yaml"
    shutil.copyfile(SAMPLE, yaml)
    draft = tmp_path / "draft.docx"
    assert runner.invoke(app, ["build", str(yaml), "-o", str(draft)]).exit_code == 0
    text = yaml.read_text(encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace(POINT_1, "They know the providers."), encoding="utf-8")
    reviewed = tmp_path / "reviewed.docx"
    result = runner.invoke(app, ["build", str(changed), "-o", str(reviewed), "--since",
                                 str(draft), "--author", "Cllr Hart"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(draft))  # a member rewords a point in Word, untracked
    point = next(p for p in document.paragraphs if p.text == POINT_1)
    point.runs[0].text = "They know the providers."
    for run in point.runs[1:]:
        run.text = ""
    document.save(str(tmp_path / "cleared.docx"))
    return tmp_path


def commands(w: Path) -> dict[str, tuple[list[str], list[Path], Path | None]]:
    """Return name -> (arguments, input files, output file) for every command."""
    out = w / "out.docx"
    return {
        "new": (["new", str(w / "new.yaml")], [], w / "new.yaml"),
        "validate": (["validate", str(w / "briefing.yaml")], [w / "briefing.yaml"], None),
        "build": (["build", str(w / "briefing.yaml"), "-o", str(out)], [w / "briefing.yaml"],
                  out),
        "build --since": (["build", str(w / "changed.yaml"), "-o", str(out), "--since",
                           str(w / "draft.docx")], [w / "changed.yaml", w / "draft.docx"], out),
        "schema": (["schema"], [], None),
        "check": (["check", str(w / "reviewed.docx")], [w / "reviewed.docx"], None),
        "review": (["review", str(w / "reviewed.docx")], [w / "reviewed.docx"], None),
        "review --json": (["review", "--json", str(w / "reviewed.docx")],
                          [w / "reviewed.docx"], None),
        "accept": (["accept", str(w / "reviewed.docx"), "-o", str(out)], [w / "reviewed.docx"],
                   out),
        "reject": (["reject", str(w / "reviewed.docx"), "-o", str(out)], [w / "reviewed.docx"],
                   out),
        "redline": (["redline", str(w / "draft.docx"), str(w / "cleared.docx"), "-o", str(out)],
                    [w / "draft.docx", w / "cleared.docx"], out),
        "absorb --dry-run": (["absorb", str(w / "cleared.docx"), "--into",
                              str(w / "briefing.yaml"), "--dry-run"],
                             [w / "cleared.docx", w / "briefing.yaml"], None),
        "absorb": (["absorb", str(w / "cleared.docx"), "--into", str(w / "briefing.yaml")],
                   [w / "cleared.docx"], w / "briefing.yaml"),
    }


ALL = ["new", "validate", "build", "build --since", "schema", "check", "review",
       "review --json", "accept", "reject", "redline", "absorb --dry-run", "absorb"]
WRITERS = ["new", "build", "build --since", "accept", "reject", "redline"]


@pytest.mark.parametrize("name", ALL)
def test_no_command_changes_its_input(work, name):
    args, inputs, _ = commands(work)[name]
    before = {p: digest(p) for p in inputs}
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    assert {p: digest(p) for p in inputs} == before
    assert leftovers(work) == []


def test_absorb_changes_only_the_yaml(work):
    args, _, yaml = commands(work)["absorb"]
    before = yaml.read_bytes()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert yaml.read_bytes() != before
    assert "They know the providers." in yaml.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", WRITERS)
def test_existing_output_needs_force(work, name):
    args, _, out = commands(work)[name]
    out.write_bytes(b"earlier work")
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.output == f"{out}: already exists; use --force to replace it\n"
    assert out.read_bytes() == b"earlier work"
    forced = runner.invoke(app, args + ["--force"])
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes() != b"earlier work"


@pytest.mark.parametrize("name", WRITERS + ["absorb"])
def test_full_disk_leaves_the_earlier_output(work, name, full_disk):
    args, _, out = commands(work)[name]
    if name != "absorb":
        out.write_bytes(b"earlier work")
        args = args + ["--force"]
    before = out.read_bytes()
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.output.endswith(f"{out}: cannot be written (the disk is full); nothing was "
                                  "written, the earlier file is unchanged\n"), result.output
    assert out.read_bytes() == before
    assert leftovers(work) == []


# --- SIGINT to a real build -------------------------------------------------------------

# Runs the real CLI in a child process; PAUSE_AT names the stage that prints a marker on
# stderr and then sleeps, so the test can deliver SIGINT exactly there.
CHILD = r"""
import os, sys, time
stage = os.environ["PAUSE_AT"]

def pause():
    sys.stderr.write("PAUSED\n"); sys.stderr.flush()
    time.sleep(30)

if stage == "write":
    from briefing import paths as fsutil
    real = fsutil.os.fdopen
    class _Os:
        def __getattr__(self, name):
            return getattr(os, name)
        def fdopen(self, fd, mode):
            fh = real(fd, mode)
            write = fh.write
            def slow(data):
                write(data[: len(data) // 2])  # half of the document is on disk
                pause()
                return write(data[len(data) // 2:])
            fh.write = slow
            return fh
    fsutil.os = _Os()
else:
    import briefing.document.compose as compose
    real_compose = compose.compose
    def slow_compose(*args, **kwargs):
        pause()
        return real_compose(*args, **kwargs)
    compose.compose = slow_compose

from briefing.cli import main
sys.argv = ["briefing"] + sys.argv[1:]
main()
"""


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """Return (yaml, earlier output) for the large sample, built once."""
    sys.path.insert(0, str(ROOT / "samples"))
    from make_large import write_large

    folder = tmp_path_factory.mktemp("large")
    yaml = write_large(folder / "large.yaml")
    out = folder / "large.docx"
    result = runner.invoke(app, ["build", str(yaml), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return yaml, out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
@pytest.mark.parametrize("stage", ["write", "compose"])
def test_sigint_leaves_the_earlier_output(large, stage):
    yaml, out = large
    before = digest(out)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "build", str(yaml), "-o", str(out), "--force"],
        env={**os.environ, "PAUSE_AT": stage}, stderr=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, cwd=ROOT)
    try:
        assert child.stderr.readline() == "PAUSED\n"
        if stage == "write":
            assert leftovers(out.parent), "the build should be half way through writing"
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130
    assert stderr == "interrupted; nothing was written\n"
    assert stdout == ""
    assert digest(out) == before
    assert leftovers(out.parent) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_sigint_at_any_moment_never_leaves_a_partial_file(large):
    """Interrupt an unmodified build at several moments: either it finished, or nothing changed."""
    yaml, out = large
    for delay in (0.6, 0.9, 1.2, 1.5):
        before = digest(out)
        child = subprocess.Popen(
            [sys.executable, "-m", "briefing", "build", str(yaml), "-o", str(out), "--force"],
            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
        assert leftovers(out.parent) == []
        if digest(out) != before:  # finished writing before the interrupt: a whole document
            Package.open(out)
            docx.Document(str(out))
            assert "nothing was written" not in stderr
