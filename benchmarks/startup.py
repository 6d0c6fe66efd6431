"""Start-up benchmark: each command as a whole process on the typical draft.

    python benchmarks/startup.py [--runs 7] [--workdir DIR]

A command is what an officer waits for: Python starting, our imports, the
work, the output. This times each one as a whole process on the typical
sample (`samples/work-and-health-2016.yaml`) against the least a Python
program that reads a .docx can cost on the same machine, in the same run:

    python -c "import lxml.etree"

Prints, per command, the median wall and CPU time of `--runs` runs (after
one warm-up) and the ratio to that baseline. The target is at most 1.5x for
review, accept, reject and redline of the typical draft; commands that read
YAML (validate, build) also pay for pydantic and are listed for reference.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "work-and-health-2016.yaml"
TARGET = 1.5
TARGETED = ("review", "accept", "reject", "redline")


def _timed(argv: list[str]) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds of the child) for one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _median(argv: list[str], runs: int) -> tuple[float, float]:
    """Return the median wall and CPU time of `runs` runs after one warm-up."""
    _timed(argv)
    samples = [_timed(argv) for _ in range(runs)]
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def _prepare(work: Path) -> dict[str, Path]:
    """Build v1 and v2 of the typical sample and a redline of them; return their paths."""
    cli = [sys.executable, "-m", "briefing"]
    v1_yaml = work / "v1.yaml"
    shutil.copyfile(SAMPLE, v1_yaml)
    text = SAMPLE.read_text(encoding="utf-8")
    v2_yaml = work / "v2.yaml"
    v2_yaml.write_text(text.replace("councils", "local councils", 3), encoding="utf-8")
    paths = {"yaml": v1_yaml, "v1": work / "v1.docx", "v2": work / "v2.docx",
             "reviewed": work / "reviewed.docx"}
    for source, out in ((v1_yaml, paths["v1"]), (v2_yaml, paths["v2"])):
        subprocess.run([*cli, "build", str(source), "-o", str(out), "--force"],
                       check=True, capture_output=True)
    subprocess.run([*cli, "redline", str(paths["v1"]), str(paths["v2"]), "-o",
                    str(paths["reviewed"]), "--force"], check=True, capture_output=True)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="briefing-startup-"))
    work.mkdir(parents=True, exist_ok=True)
    p = _prepare(work)
    py = sys.executable
    cli = [py, "-m", "briefing"]
    out = work / "out.docx"
    commands = {
        "review": [*cli, "review", str(p["reviewed"])],
        "review --json": [*cli, "review", "--json", str(p["reviewed"])],
        "accept": [*cli, "accept", str(p["reviewed"]), "-o", str(out), "--force"],
        "reject": [*cli, "reject", str(p["reviewed"]), "-o", str(out), "--force"],
        "redline": [*cli, "redline", str(p["v1"]), str(p["v2"]), "-o", str(out), "--force"],
        "check": [*cli, "check", str(p["v1"])],
        "validate": [*cli, "validate", str(p["yaml"])],
        "build": [*cli, "build", str(p["yaml"]), "-o", str(out), "--force"],
    }
    base_wall, base_cpu = _median([py, "-c", "import lxml.etree"], args.runs)
    print(f"baseline  python -c 'import lxml.etree': {base_wall * 1000:.0f} ms wall, "
          f"{base_cpu * 1000:.0f} ms CPU (median of {args.runs})")
    print(f"{'command':<15}{'wall ms':>9}{'CPU ms':>9}{'ratio':>8}  target")
    for name, argv in commands.items():
        wall, cpu = _median(argv, args.runs)
        ratio = wall / base_wall
        verdict = ""
        if name.split()[0] in TARGETED:
            verdict = f"<= {TARGET}x: {'met' if ratio <= TARGET else 'NOT met'}"
        print(f"{name:<15}{wall * 1000:>9.0f}{cpu * 1000:>9.0f}{ratio:>7.2f}x  {verdict}")


if __name__ == "__main__":
    main()
