"""Combine benchmark: `briefing combine` of 5 members' copies, against one `briefing redline`.

    python benchmarks/combine.py [--runs 5] [--copies 5] [--size 2000] [--workdir DIR]

Two cases, each run as a whole process (`python -m briefing combine DRAFT
COPY... -o OUT`), `--runs` times, median wall time printed:

- the typical sample (samples/work-programme-2010.yaml, built for clearance)
  and 5 copies of it;
- a document of `--size` paragraphs written by make_pairs.py and 5 copies of it.

In each copy about 5% of the paragraphs are edited (a word replaced), half of
them as tracked changes (`w:del` + `w:ins` by the copy's member), half
without tracking, each copy editing its own paragraphs. The large case is
compared with one `briefing redline` of the make_pairs.py pair of the same
size, timed the same way. Files are written under /dev/shm when it exists.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from make_pairs import make_pair

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
SHARE = 0.05
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"


def q(tag: str) -> str:
    """Return the Clark name of a w: tag."""
    return f"{{{W}}}{tag}"


def member_copy(draft: Path, dest: Path, member: int, rng: random.Random) -> Path:
    """Return `dest`: `draft` with about 5% of its paragraphs edited by member `member`."""
    sys.path.insert(0, str(ROOT))
    from briefing.ooxml.package import Package

    pkg = Package.open(draft)
    root = pkg.xml(pkg.main_part)
    name = f"Member {member + 1}"
    paragraphs = [p for p in root.iter(q("p")) if _first_word_run(p) is not None]
    chosen = rng.sample(paragraphs, max(2, int(len(paragraphs) * SHARE)))
    for n, p in enumerate(chosen):
        run, t, word = _first_word_run(p)
        new_word = rng.choice(["local", "national", "shared", "joint", "regional"])
        if n % 2:
            t.text = t.text.replace(word, new_word, 1)
            continue
        rest = t.text[len(word):]
        t.text = rest
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        deleted = etree.Element(q("del"), {q("id"): str(900000 + n), q("author"): name,
                                           q("date"): "2026-03-01T10:00:00Z"})
        old_run = etree.SubElement(deleted, q("r"))
        etree.SubElement(old_run, q("delText")).text = word
        inserted = etree.Element(q("ins"), {q("id"): str(950000 + n), q("author"): name,
                                            q("date"): "2026-03-01T10:00:00Z"})
        new_run = etree.SubElement(inserted, q("r"))
        etree.SubElement(new_run, q("t")).text = new_word
        run.addprevious(deleted)
        run.addprevious(inserted)
    core = pkg.xml("docProps/core.xml")
    saved_by = core.find(f"{{{CP}}}lastModifiedBy")
    if saved_by is None:
        saved_by = etree.SubElement(core, f"{{{CP}}}lastModifiedBy")
    saved_by.text = name
    pkg.save(dest)
    return dest


def _first_word_run(p):
    for run in p.findall(q("r")):
        t = run.find(q("t"))
        if t is not None and t.text and t.text.split(" ")[0].isalpha() and len(t.text) > 20:
            return run, t, t.text.split(" ")[0]
    return None


def timed(command: list[str]) -> tuple[float, float]:
    """Return (wall, CPU) seconds of `command`, which must succeed (CPU: user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(command: list[str], runs: int) -> tuple[float, float]:
    """Return the median wall and CPU seconds of `runs` runs of `command`."""
    times = [timed(command) for _ in range(runs)]
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def main() -> None:
    """Print the table the README quotes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    base = args.workdir or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    work = Path(tempfile.mkdtemp(prefix="combine-bench-", dir=base))
    rng = random.Random(2010)
    py = [sys.executable, "-m", "briefing"]

    sample = work / "sample.docx"
    subprocess.run(py + ["build", str(SAMPLE), "-o", str(sample)], check=True,
                   capture_output=True)
    old, new = make_pair(work, args.size)
    rows = []
    for label, draft in (("typical sample", sample), (f"{args.size:,} paragraphs", old)):
        copies = [member_copy(draft, work / f"{draft.stem}-copy{i}.docx", i, rng)
                  for i in range(args.copies)]
        out = work / f"{draft.stem}-combined.docx"
        command = py + ["combine", str(draft), *map(str, copies), "-o", str(out), "--force"]
        rows.append((label, median_of(command, args.runs)))
    redline = median_of(py + ["redline", str(old), str(new), "-o", str(work / "redline.docx"),
                              "--force", "--author", "Bench"], args.runs)
    print(f"| case (median of {args.runs}, whole process) | wall | CPU |")
    print("|---|---:|---:|")
    for label, (wall, cpu) in rows:
        print(f"| combine, {args.copies} copies, {label} | {wall:.2f} s | {cpu:.2f} s |")
    wall, cpu = redline
    print(f"| one redline, {args.size:,}-paragraph pair | {wall:.2f} s | {cpu:.2f} s |")
    large_wall, large_cpu = rows[1][1]
    print(f"combine of {args.size:,} paragraphs / one redline: wall {large_wall / wall:.1f}x, "
          f"CPU {large_cpu / cpu:.1f}x")


if __name__ == "__main__":
    main()
