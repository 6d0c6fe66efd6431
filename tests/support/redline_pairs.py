"""Small OLD/NEW .docx pairs for the redline tests, written with python-docx.

A document is a list of blocks: a string is a Normal paragraph; ("Heading 1",
text) a styled paragraph; [(text, {"bold": True}), ...] a paragraph of
formatted runs; {"table": [[cell, ...], ...]} a table of one-paragraph cells.
"""

from __future__ import annotations

from pathlib import Path

import docx

PAIRS = {
    "word-edit": (
        ["The council will fund the programme.", "Second paragraph stays."],
        ["The council will fund the scheme.", "Second paragraph stays."],
    ),
    "paragraph-insert": (
        ["First point.", "Third point.", "Last point."],
        ["New opening line.", "First point.", "Second point added.", "Third point.",
         "Last point."],
    ),
    "paragraph-insert-at-end": (
        ["First point.", "Second point."],
        ["First point.", "Second point.", "A closing remark.", "And a signature."],
    ),
    "paragraph-delete": (
        ["Opening line goes.", "First point.", "Second point goes.", "Third point."],
        ["First point.", "Third point."],
    ),
    "paragraph-delete-at-end": (
        ["First point.", "Second point.", "Closing remark goes.", "Signature goes."],
        ["First point.", "Second point."],
    ),
    "split": (
        [("Members want local commissioning of employment support. They also want ring-fenced "
         "funding for five years."), "After."],
        ["Members want local commissioning of employment support.",
         "They also want ring-fenced funding for five years.", "After."],
    ),
    "merge": (
        ["Before.", "Councils know their labour markets.",
         "They should lead the work and health programme."],
        ["Before.", ("Councils know their labour markets and should lead the work and health "
         "programme.")],
    ),
    "half-the-words-kept": (  # similarity exactly at the threshold: still one paragraph
        ["Intro.", "Councils know local markets.", "Old closing remark here.", "After."],
        ["Intro.", "Councils know regional economies.", "Something wholly new instead.",
         "After."],
    ),
    "reorder": (
        ["Alpha item about devolution deals.", "Beta item about skills funding.",
         "Gamma item about housing supply."],
        ["Gamma item about housing supply.", "Alpha item about devolution deals.",
         "Beta item about skills funding."],
    ),
    "rewrite": (
        ["Keep this.", "The old sentence about something else entirely.", "Keep that."],
        ["Keep this.", "Completely different wording now appears here.", "Keep that."],
    ),
    "table-cell-edit": (
        ["Intro.", {"table": [["Council", "Outcome"], ["Leeds", "120 jobs"],
                              ["Derby", "80 jobs"]]}, "After."],
        ["Intro.", {"table": [["Council", "Outcome"], ["Leeds", "150 jobs"],
                              ["Derby", "80 jobs"]]}, "After."],
    ),
    "table-row-insert-delete": (
        ["Intro.", {"table": [["Council", "Outcome"], ["Leeds", "120 jobs"],
                              ["Derby", "80 jobs"]]}, "After."],
        ["Intro.", {"table": [["Council", "Outcome"], ["Derby", "80 jobs"],
                              ["Wigan", "45 jobs"]]}, "After."],
    ),
    "two-tables-edited": (  # each table paired with its edited self, not replaced whole
        ["Intro.", {"table": [["Council", "Outcome"], ["Leeds", "120 jobs"],
                              ["Derby", "80 jobs"]]},
         {"table": [["Area", "Budget"], ["North", "£2m"], ["South", "£1m"]]}, "After."],
        ["Intro.", {"table": [["Council", "Outcome"], ["Leeds", "150 jobs"],
                              ["Derby", "80 jobs"]]},
         {"table": [["Area", "Budget"], ["North", "£3m"], ["South", "£1m"]]}, "After."],
    ),
    "paragraph-before-table": (
        ["Intro.", "This goes.", {"table": [["A", "B"]]}, "After."],
        ["Intro.", {"table": [["A", "B"]]}, "This is new.", "After."],
    ),
    "table-added-last-paragraph-replaced": (  # the body's last mark cannot be inserted
        ["Intro.", "Closing remark goes."],
        ["Intro.", {"table": [["A", "B"]]}, "Something else entirely at the end."],
    ),
    "two-paragraphs-added-last-paragraph-replaced": (
        ["Intro.", "Closing remark goes."],
        ["Intro.", "Councils now lead on jobs.", "Something else entirely at the end."],
    ),
    "table-and-paragraph-added-last-paragraph-replaced": (
        ["Intro.", "Closing remark goes."],
        ["Intro.", {"table": [["A", "B"]]}, "Councils now lead on jobs.",
         "Something else entirely at the end."],
    ),
    "formatting": (
        [[("Plain ", {}), ("important", {}), (" words and ", {}), ("emphasis", {"italic": True})]],
        [[("Plain ", {}), ("important", {"bold": True}), (" words and ", {}),
          ("emphasis", {})]],
    ),
    "style-change": (
        ["Key messages", "Body text."],
        [("Heading 1", "Key messages"), "Body text."],
    ),
}


def write_doc(path: Path, blocks: list) -> Path:
    """Return `path` after writing `blocks` (see the module docstring) as a .docx."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, tuple):
            document.add_paragraph(block[1], style=block[0])
        elif isinstance(block, dict):
            rows = block["table"]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        else:
            p = document.add_paragraph()
            for text, fmt in block:
                run = p.add_run(text)
                run.bold = fmt.get("bold")
                run.italic = fmt.get("italic")
    valid_zoom(document)
    document.save(path)
    return path


def valid_zoom(document) -> None:
    """Give python-docx's w:zoom the w:percent the schema requires."""
    from docx.oxml.ns import qn

    for zoom in document.settings.element.iter(qn("w:zoom")):
        zoom.set(qn("w:percent"), "100")


def write_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """Return (OLD, NEW) paths of the named pair, written into `folder`."""
    old, new = PAIRS[name]
    return (write_doc(folder / f"{name}-old.docx", old),
            write_doc(folder / f"{name}-new.docx", new))
