"""Review benchmark: `briefing review --json` against LibreOffice loading the same document.

    python benchmarks/review.py [--paragraphs 2000] [--every 4] [--runs 5] [--workdir DIR]

Writes a reviewed document of `--paragraphs` paragraphs (a heading every 40)
where every `--every`-th paragraph carries one tracked change by one of two
members: a run inserted, a run deleted, a paragraph mark deleted, or a
formatting change (2,000 / 4 = 500 revisions). Then times, as whole
processes, alternating, `--runs` times each after one warm-up run:

- ours: `python -m briefing review --json DOC` (output discarded);
- LibreOffice: `soffice --headless --convert-to txt DOC` in a private profile,
  the least LibreOffice does to load a document and give its text.

Prints the median wall time of each, the ratio, and whether the targets are
met (ours at most 0.5 s and at most a quarter of LibreOffice's time).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHORS = ("Cllr Alice Example", "Cllr Bob Example")
KINDS = ("insert", "delete", "paragraph-delete", "format")
TARGET_SECONDS = 0.5
TARGET_RATIO = 0.25


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, props: str = "") -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def _paragraph(n: int, every: int, ids: list[int]) -> str:
    """Return paragraph n's XML, with one tracked change when n is a multiple of `every`."""
    if n % 40 == 0:
        return (f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
                f"{_run(f'Section {n // 40 + 1}: councils and the Work Programme')}</w:p>")
    text = (f"Paragraph {n}: councils already fund employment support and know which "
            "providers deliver, so a commissioning role can be tested in a few areas.")
    if n % every != 1 % every:
        return f"<w:p>{_run(text)}</w:p>"
    ids[0] += 1
    author = AUTHORS[(n // every) % 2]
    stamp = f'w:id="{ids[0]}" w:author="{author}" w:date="2026-03-02T10:00:00Z"'
    kind = KINDS[(n // every) % len(KINDS)]
    if kind == "insert":
        body = f"{_run(text)}<w:ins {stamp}>{_run(' Members added this sentence.')}</w:ins>"
        return f"<w:p>{body}</w:p>"
    if kind == "delete":
        gone = '<w:r><w:delText xml:space="preserve"> Members struck this.</w:delText></w:r>'
        return f"<w:p>{_run(text)}<w:del {stamp}>{gone}</w:del></w:p>"
    if kind == "paragraph-delete":
        return f"<w:p><w:pPr><w:rPr><w:del {stamp}/></w:rPr></w:pPr>{_run(text)}</w:p>"
    props = f"<w:rPr><w:b/><w:rPrChange {stamp}><w:rPr/></w:rPrChange></w:rPr>"
    return f"<w:p>{_run(text, props)}</w:p>"


def write_document(path: Path, paragraphs: int, every: int) -> int:
    """Write the reviewed .docx to `path`; return how many revisions it carries."""
    ids = [0]
    body = "".join(_paragraph(n, every, ids) for n in range(paragraphs))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" '
                'w:h="16838"/></w:sectPr></w:body></w:document>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
              '<w:name w:val="Normal"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
              '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
              "</w:styles>")
    rt = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="'
            f'{ct}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="'
            f'{ct}.styles+xml"/></Types>'))
        zf.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rt}/officeDocument" Target="word/document.xml"/></Relationships>'))
        zf.writestr("word/_rels/document.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rt}/styles" Target="styles.xml"/></Relationships>'))
        zf.writestr("word/document.xml", document)
        zf.writestr("word/styles.xml", styles)
    return ids[0]


def ours_command(doc: Path) -> list[str]:
    """Return the command line that runs our review as a user would."""
    return [sys.executable, "-m", "briefing", "review", "--json", str(doc)]


def libreoffice_command(soffice: str, doc: Path, profile: Path, outdir: Path) -> list[str]:
    """Return the command line that has LibreOffice load `doc` and write its text."""
    return [soffice, "--headless", "--norestore", "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "txt:Text",
            "--outdir", str(outdir), str(doc)]


def timed(command: list[str]) -> tuple[float, float]:
    """Return (wall, CPU) seconds of running `command`, which must succeed.

    CPU is the user + system time of the process and its children; it varies
    less than wall time on a busy machine.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{command[:4]} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def count_revisions(doc: Path) -> int:
    """Return how many revisions `briefing review --json` reports for `doc`."""
    out = subprocess.run(ours_command(doc), capture_output=True, text=True, check=True).stdout
    return len(json.loads(out)["revisions"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--every", type=int, default=4, help="one change every N paragraphs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=None)
    opts = parser.parse_args(argv)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 1
    shm = Path("/dev/shm")
    work = Path(tempfile.mkdtemp(prefix="review-bench-",
                                 dir=opts.workdir or (shm if shm.is_dir() else None)))
    try:
        doc = work / "reviewed.docx"
        made = write_document(doc, opts.paragraphs, opts.every)
        reported = count_revisions(doc)
        ours_cmd = ours_command(doc)
        lo_cmd = libreoffice_command(soffice, doc, work / "profile", work / "out")
        timed(ours_cmd), timed(lo_cmd)  # warm-up: caches, and LibreOffice makes its profile
        ours, theirs = [], []
        for _ in range(opts.runs):
            ours.append(timed(ours_cmd))
            theirs.append(timed(lo_cmd))
        report(opts, made, reported, _medians(ours), _medians(theirs))
        return 0 if reported == made else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    """Return the median wall time and the median CPU time of `samples`."""
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def report(opts, made: int, reported: int, ours: tuple, theirs: tuple) -> None:
    """Print the timings (wall and CPU), their ratios and the targets."""
    print(f"document: {opts.paragraphs:,} paragraphs, {made} tracked changes "
          f"(review reports {reported}); median of {opts.runs} runs, whole process")
    print(f"{'':30} {'wall s':>8} {'CPU s':>8}")
    print(f"{'briefing review --json':30} {ours[0]:8.3f} {ours[1]:8.3f}")
    print(f"{'LibreOffice --convert-to txt':30} {theirs[0]:8.3f} {theirs[1]:8.3f}")
    for label, i in (("wall", 0), ("CPU", 1)):
        ratio = ours[i] / theirs[i]
        verdict = "met" if ours[i] <= TARGET_SECONDS and ratio <= TARGET_RATIO else "NOT met"
        print(f"{label}: ours / LibreOffice = {ratio:.2f}; targets (<= {TARGET_SECONDS} s, "
              f"<= {TARGET_RATIO:.2f}x) {verdict}")


if __name__ == "__main__":
    sys.exit(main())
