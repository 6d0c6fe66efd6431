"""Redline benchmark: `briefing redline` against Python-Redlines' DocxodusEngine.

    python benchmarks/redline.py [--runs 5] [--sizes 200 2000] [--workdir DIR] [--fidelity]

For each pair written by make_pairs.py (N paragraphs, about 15% edited) both
tools run as whole processes, alternating, `--runs` times each: ours as
`python -m briefing redline OLD NEW -o OUT`, theirs as a Python process that
calls `DocxodusEngine().run_redline` and writes its output (the way a caller of
Python-Redlines uses it). Printed: the median wall time of each, the speed-up,
and the revision counts of each output (w:ins + w:del in the document body)
with their ratio. `--fidelity` also asks LibreOffice whether accepting all
changes gives NEW's text and rejecting all gives OLD's, for both outputs.

Files are written under a RAM disk (/dev/shm) when there is one, so disk
flushes by other programs do not swamp the timings; --workdir overrides it.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_pairs import make_pair

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEIRS = """\
import sys
from python_redlines.engines import DocxodusEngine
out, _, _ = DocxodusEngine().run_redline("Bench", sys.argv[1], sys.argv[2])
with open(sys.argv[3], "wb") as fh:
    fh.write(out)
"""


def ours_command(old: Path, new: Path, out: Path) -> list[str]:
    """Return the command line that runs our redline as a user would."""
    return [sys.executable, "-m", "briefing", "redline", str(old), str(new), "-o", str(out),
            "--force", "--author", "Bench"]


def theirs_command(old: Path, new: Path, out: Path) -> list[str]:
    """Return the command line that runs Docxodus through Python-Redlines."""
    return [sys.executable, "-c", THEIRS, str(old), str(new), str(out)]


def timed(command: list[str]) -> tuple[float, float]:
    """Return (wall, CPU) seconds of running `command`, which must succeed.

    CPU is user + system time of the process and everything it waited for
    (Docxodus's .NET process included); it varies less than wall time on a
    busy machine.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{command[:4]} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def revision_count(docx: Path) -> int:
    """Return the number of w:ins and w:del elements in the document body."""
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return sum(1 for _ in root.iter(W + "ins", W + "del"))


def docxodus_problem() -> str | None:
    """Return why Docxodus cannot run here, or None when it can."""
    try:
        from python_redlines.engines import DocxodusEngine
    except ImportError as exc:
        return f"python-redlines is not installed ({exc}); pip install -e '.[bench]'"
    try:
        DocxodusEngine()._resolve_binary()
    except Exception as exc:  # noqa: BLE001 - report whatever stops the engine
        return f"the Docxodus binary cannot be used: {exc}"
    return None


def startup_floor(workdir: Path, runs: int) -> float:
    """Return the median wall time of `briefing redline` failing at once on a missing file.

    That is Python, the command-line framework and our modules starting: the
    part of every run that does not depend on the documents.
    """
    missing = workdir / "missing.docx"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(ours_command(missing, missing, workdir / "none.docx"),
                       capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def engine_time(old: Path, new: Path, out: Path, runs: int) -> float:
    """Return the median in-process time of our redline (read, compare, write)."""
    from briefing.clearance.redline import redline_files

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        redline_files(old, new, out, author="Bench", force=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_pair(old: Path, new: Path, workdir: Path, runs: int) -> dict:
    """Return medians, runs and revision counts for one pair, both tools alternating."""
    ours_out, theirs_out = workdir / f"ours-{old.stem}.docx", workdir / f"theirs-{old.stem}.docx"
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(timed(ours_command(old, new, ours_out)))
        theirs.append(timed(theirs_command(old, new, theirs_out)))
    return {"ours": statistics.median(t for t, _ in ours),
            "theirs": statistics.median(t for t, _ in theirs),
            "ours_cpu": statistics.median(c for _, c in ours),
            "theirs_cpu": statistics.median(c for _, c in theirs),
            "engine": engine_time(old, new, workdir / "engine.docx", runs),
            "ours_runs": [t for t, _ in ours], "theirs_runs": [t for t, _ in theirs],
            "ours_revisions": revision_count(ours_out),
            "theirs_revisions": revision_count(theirs_out),
            "ours_out": ours_out, "theirs_out": theirs_out}


def fidelity(old: Path, new: Path, outs: list[Path]) -> list[str]:
    """Return, for each output, whether LibreOffice's accept-all/reject-all give NEW/OLD."""
    sys.path.insert(0, str(HERE.parent))
    from tests.support.libreoffice import LibreOffice

    lines = []
    with LibreOffice() as lo:
        want_new, want_old = lo.paragraphs(new), lo.paragraphs(old)
        for out in outs:
            accept_ok = lo.accept_all_paragraphs(out) == want_new
            reject_ok = lo.reject_all_paragraphs(out) == want_old
            lines.append(f"{out.name}: accept-all == NEW: {accept_ok}; "
                         f"reject-all == OLD: {reject_ok}")
    return lines


def table(rows: list[tuple[int, dict]], floor: float) -> str:
    """Return the results as the Markdown table the README quotes."""
    out = [("| paragraphs | ours, whole process | Docxodus, whole process | speed-up "
            "| CPU ours / Docxodus | ours, redline work only | revisions ours / Docxodus |"),
           "|---|---|---|---|---|---|---|"]
    for size, r in rows:
        out.append(f"| {size} | {r['ours']:.2f} s | {r['theirs']:.2f} s | "
                   f"{r['theirs'] / r['ours']:.1f}x | {r['ours_cpu']:.2f} s / "
                   f"{r['theirs_cpu']:.2f} s ({r['theirs_cpu'] / r['ours_cpu']:.1f}x) | "
                   f"{r['engine']:.3f} s | {r['ours_revisions']} / {r['theirs_revisions']} "
                   f"({r['ours_revisions'] / r['theirs_revisions']:.2f}) |")
    out.append("")
    out.append(f"Startup of `briefing redline` (Python, command-line framework, modules; "
               f"median): {floor:.2f} s.")
    return "\n".join(out)


def main() -> int:
    """Run the benchmark and print the table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--fidelity", action="store_true")
    args = parser.parse_args()
    problem = docxodus_problem()
    if problem:
        print(f"cannot run Docxodus: {problem}", file=sys.stderr)
        return 1
    shm = Path("/dev/shm")
    base = args.workdir or (shm if shm.is_dir() else None)
    with tempfile.TemporaryDirectory(prefix="redline-bench-", dir=base) as tmp:
        workdir = Path(tmp)
        rows = []
        floor = startup_floor(workdir, args.runs)
        for size in args.sizes:
            old, new = make_pair(workdir, size)
            result = bench_pair(old, new, workdir, args.runs)
            rows.append((size, result))
            print(f"{size} paragraphs: ours {', '.join(f'{t:.2f}' for t in result['ours_runs'])}"
                  f" s; Docxodus {', '.join(f'{t:.2f}' for t in result['theirs_runs'])} s",
                  file=sys.stderr)
            if args.fidelity:
                for line in fidelity(old, new, [result["ours_out"], result["theirs_out"]]):
                    print(f"  {line}", file=sys.stderr)
        print(table(rows, floor))
    return 0


if __name__ == "__main__":
    sys.exit(main())
