"""Benchmark `briefing build` against docxtpl rendering the same content.

    python benchmarks/build.py [--runs 10]

Measures, and prints as a markdown table (the README's performance table):

1. In-process build of the typical sample (samples/work-programme-2010.yaml:
   8 key messages, 20 member comments, 5 case studies) and of the large
   briefing from samples/make_large.py (100 key messages, 1,000 comments,
   60 case studies): ours (compose + write, from validated data to .docx
   bytes) against docxtpl rendering an equivalent template that this script
   writes with python-docx (the same sections, loops over the same items),
   from the same data to .docx bytes. Median of --runs runs, interleaved so
   both see the same machine; peak Python memory by tracemalloc.
2. How our cost grows with the number of items (quarter, half, full large).
3. Whole process: `briefing build` of the typical sample (start-up, YAML
   loading and validation, build, checks, atomic save) against a bare
   `python -c` python-docx open-and-save of the same document.

Needs the bench extra (`pip install -e '.[bench]'`) for docxtpl.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPICAL = ROOT / "samples" / "work-programme-2010.yaml"
LARGE_COUNTS = {"key_messages": 100, "comments": 1000, "case_studies": 60}


# ----------------------------------------------------------------------------- data


def typical_briefing():
    """Return the typical sample, loaded and validated."""
    from briefing.source.load import load_briefing

    return load_briefing(TYPICAL).value.briefing


def large_briefing(scale: float = 1.0):
    """Return the large briefing from samples/make_large.py, `scale` times its item counts."""
    from briefing.source.model import Briefing

    spec = importlib.util.spec_from_file_location("make_large", ROOT / "samples" / "make_large.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_large"] = module
    spec.loader.exec_module(module)
    counts = {k: max(1, round(v * scale)) for k, v in LARGE_COUNTS.items()}
    return Briefing.model_validate(module.large_briefing(**counts))


def item_count(briefing) -> int:
    """Return how many key messages, comments and case studies `briefing` holds."""
    return len(briefing.key_messages) + len(briefing.member_comments) + len(briefing.case_studies)


# ----------------------------------------------------------------------------- docxtpl


def docxtpl_template() -> bytes:
    """Return a docxtpl template .docx with the chairman-briefing's sections (via python-docx)."""
    from docx import Document

    doc = Document()
    para = doc.add_paragraph
    doc.add_heading("{{ briefing.title }}", 1)
    para("{{ marking }}")
    para("{{ status }}, version {{ briefing.version }}, prepared {{ briefing.prepared }}")
    para("Reference: {{ briefing.reference }}")
    rows = [("Meeting", "Details"),
            ("Principal", "{{ meeting.principal.name }}, {{ meeting.principal.role }}"),
            ("Meeting with", ("{% for p in meeting.counterparts %}{{ p.name }}, {{ p.role }}"
                             "{% if not loop.last %}; {% endif %}{% endfor %}")),
            ("When", "{{ meeting.date or meeting.when }}"), ("Venue", "{{ meeting.venue }}"),
            ("Requested by", "{{ meeting.requested_by }}"), ("Purpose", "{{ meeting.purpose }}")]
    table = doc.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows):
        row.cells[0].text, row.cells[1].text = label, value
    doc.add_heading("Objectives", 2)
    _loop(doc, "o in objectives", [("{{ o }}", "List Number")])
    doc.add_heading("Key messages", 2)
    para("{%p for km in key_messages %}")
    doc.add_heading("{{ km.headline }}", 3)
    _loop(doc, "p in km.points", [("{{ p }}", "List Number")])
    para("Suggested by {{ km.suggested_by|join(', ') }}")
    _comments(doc, "comments_for[km.id]")
    _case_studies(doc, "case_studies_for[km.id]")
    para("{%p endfor %}")
    para("{%p if other_comments %}")
    doc.add_heading("Other comments from members", 2)
    para("{%p endif %}")
    _comments(doc, "other_comments")
    para("{%p if other_case_studies %}")
    doc.add_heading("Other case studies", 2)
    para("{%p endif %}")
    _case_studies(doc, "other_case_studies")
    doc.add_heading("Lines to take", 2)
    _loop(doc, "line in lines_to_take", [("If asked: {{ line.question }}", None),
                                          ("{{ line.answer }}", "List Number")])
    doc.add_heading("Background", 2)
    para("{%p for s in background %}")
    doc.add_heading("{{ s.heading }}", 3)
    _loop(doc, "p in s.paragraphs", [("{{ p }}", "List Number")])
    para("{%p endfor %}")
    doc.add_heading("Contact", 2)
    for line in ("{{ contact.name }}", "{{ contact.position }}",
                 "Telephone: {{ contact.phone }}", "Email: {{ contact.email }}"):
        para(line)
    doc.add_heading("Clearance record", 2)
    record = doc.add_table(rows=4, cols=5)
    for cell, text in zip(record.rows[0].cells, ("Reviewer", "Role", "Version", "Date",
                                                 "Outcome")):
        cell.text = text
    record.rows[1].cells[0].text = "{%tr for c in clearance %}"
    for cell, text in zip(record.rows[2].cells, ("{{ c.reviewer }}", "{{ c.role }}",
                                                 "{{ c.version }}", "{{ c.date }}",
                                                 "{{ c.outcome }}")):
        cell.text = text
    record.rows[3].cells[0].text = "{%tr endfor %}"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _loop(doc, head: str, body: list[tuple[str, str | None]]) -> None:
    doc.add_paragraph(f"{{%p for {head} %}}")
    for text, style in body:
        doc.add_paragraph(text, style=style)
    doc.add_paragraph("{%p endfor %}")


def _comments(doc, items: str) -> None:
    _loop(doc, f"c in {items}", [
        ("{{ c.text }}", "List Bullet"),
        (("{{ c.board }}, {{ c.meeting_date }}{% if c.item %}, {{ c.item }}{% endif %}"
         "{% if c.member %}, {{ c.member }}{% endif %}"), None)])


def _case_studies(doc, items: str) -> None:
    doc.add_paragraph(f"{{%p for cs in {items} %}}")
    doc.add_paragraph("Case study: {{ cs.title }}")
    doc.add_paragraph("{%p if not cs.agreed_with_council %}")
    doc.add_paragraph("Not yet agreed with the council: do not quote it until the council "
                      "has agreed.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ cs.excerpt }}", style="Quote")
    _loop(doc, "o in cs.outcomes", [("{{ o }}", "List Bullet")])
    doc.add_paragraph("Source: {{ cs.council }}, {{ cs.source.title }} ({{ cs.source.year }})")
    doc.add_paragraph("{%p endfor %}")


def docxtpl_context(briefing) -> dict:
    """Return the same data as docxtpl's context: plain values, items grouped as ours are."""
    data = briefing.model_dump(mode="json")
    ids = [km["id"] for km in data["key_messages"]]

    def group(items):
        grouped, other = {k: [] for k in ids}, []
        for item in items:
            related = [r for r in item["relates_to"] if r in grouped]
            (grouped[related[0]] if related else other).append(item)
        return grouped, other

    data["comments_for"], data["other_comments"] = group(data["member_comments"])
    data["case_studies_for"], data["other_case_studies"] = group(data["case_studies"])
    data["marking"] = data["briefing"]["classification"]
    data["status"] = data["briefing"]["status"]
    return data


def render_docxtpl(template: bytes, context: dict) -> bytes:
    """Return the .docx bytes docxtpl renders from `template` and `context`."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------- timing


def cpu_seconds() -> float:
    """Return the CPU seconds used so far by this process and the children it waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn: Callable[[], object]) -> float:
    """Return the CPU seconds one call of `fn` takes, its child processes included.

    CPU time rather than wall-clock time, so a busy machine (other jobs on the
    same cores) does not distort the comparison; on an idle machine the two agree.
    """
    gc.collect()
    start = cpu_seconds()
    fn()
    return cpu_seconds() - start


def interleaved(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """Return the median seconds of each of `fns`, run in turn `runs` times after a warm-up."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            times[i].append(timed(fn))
    return [statistics.median(t) for t in times]


def peak_memory(fn: Callable[[], object]) -> int:
    """Return the peak bytes Python allocated during one call of `fn` (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def compare(name: str, briefing, runs: int) -> dict:
    """Return the in-process timings and peak memory of ours and docxtpl for `briefing`."""
    from briefing.document.build import build_bytes
    from briefing.document.compose import find_template

    template = find_template("chairman-briefing")
    tpl, context = docxtpl_template(), docxtpl_context(briefing)
    ours, theirs = (lambda: build_bytes(briefing, template)), (lambda: render_docxtpl(tpl, context))
    ours_s, theirs_s = interleaved([ours, theirs], runs)
    return {"name": name, "items": item_count(briefing), "ours": ours_s, "docxtpl": theirs_s,
            "ours_mem": peak_memory(ours), "docxtpl_mem": peak_memory(theirs)}


def scaling(runs: int) -> list[tuple[int, float]]:
    """Return (items, median seconds) of our build at a quarter, half and all of the large size."""
    from briefing.document.build import build_bytes
    from briefing.document.compose import find_template

    template = find_template("chairman-briefing")
    out = []
    for scale in (0.25, 0.5, 1.0):
        briefing = large_briefing(scale)
        (seconds,) = interleaved([lambda b=briefing: build_bytes(b, template)], runs)
        out.append((item_count(briefing), seconds))
    return out


def whole_process(runs: int) -> tuple[float, float]:
    """Return median seconds of `briefing build` (typical) and of a bare python-docx open-save."""
    with tempfile.TemporaryDirectory() as tmp:
        out, copy = Path(tmp) / "ours.docx", Path(tmp) / "copy.docx"
        cli = shutil.which("briefing")
        ours = ([cli] if cli else [sys.executable, "-m", "briefing"]) + [
            "build", str(TYPICAL), "-o", str(out), "--force"]
        bare = [sys.executable, "-c",
                "import sys, docx; docx.Document(sys.argv[1]).save(sys.argv[2])",
                str(out), str(copy)]
        # As installed: Python may cache compiled modules (any value of this variable stops it).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        def run(cmd: list[str]) -> Callable[[], None]:
            return lambda: subprocess.run(cmd, check=True, capture_output=True, env=env)

        return tuple(interleaved([run(ours), run(bare)], runs))


# ----------------------------------------------------------------------------- report


def report(rows: list[dict], growth: list[tuple[int, float]], process: tuple[float, float],
           runs: int) -> str:
    """Return the results as the README's markdown tables."""
    title = (f"In-process build, CPU time, median of {runs} runs "
             "(peak Python memory by tracemalloc):")
    lines = [title, "",
             "| briefing | items | briefing build | docxtpl | ratio "
             "| peak memory (ours / docxtpl) |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['items']:,} | {r['ours'] * 1000:.0f} ms | "
                     f"{r['docxtpl'] * 1000:.0f} ms | {r['ours'] / r['docxtpl']:.2f} | "
                     f"{r['ours_mem'] / 2**20:.1f} MB / {r['docxtpl_mem'] / 2**20:.1f} MB |")
    lines += ["", "Growth with the number of items (key messages + comments + case studies):", "",
              "| items | briefing build | per 100 items |", "|---:|---:|---:|"]
    for items, seconds in growth:
        lines.append(f"| {items:,} | {seconds * 1000:.0f} ms | "
                     f"{seconds * 1000 / items * 100:.1f} ms |")
    ours, bare = process
    lines += ["", f"Whole process, CPU time, median of {runs} runs:", "",
              "| command | CPU | ratio |", "|---|---:|---:|",
              f"| `briefing build` typical sample | {ours * 1000:.0f} ms | {ours / bare:.2f} |",
              f"| `python -c` python-docx open and save | {bare * 1000:.0f} ms | 1.00 |"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the tables; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per measurement (median)")
    args = parser.parse_args(argv)
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        print("docxtpl is missing: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    rows = [compare("typical (work-programme-2010)", typical_briefing(), args.runs),
            compare("large (make_large.py)", large_briefing(), args.runs)]
    print(report(rows, scaling(args.runs), whole_process(args.runs), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
