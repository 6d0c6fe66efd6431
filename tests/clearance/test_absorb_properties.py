"""Property: whatever members do to data paragraphs, absorb then build gives back their text.

Random edit scripts (reword a field, add a paragraph after a list item, delete a
list item), with or without the bookmarks surviving, are made on a built
briefing; after absorb, a fresh build of the YAML reads exactly like the edited
document (up to the clearance record, which absorb extends).
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path

import docx
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.clearance.absorb import absorb_file
from briefing.clearance.absorb.fresh import fresh_paragraphs
from briefing.document.build import build_file
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.source.load import load_briefing

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "absorb" / "briefing.yaml"
WORDS = st.sampled_from(["councils", "must", "lead", "local", "jobs", "the", "programme",
                         "support", "£2m", "R&D", "«quoted»", "O'Neill", "{{ x }}", "naïve"])
NEW_TEXT = st.lists(WORDS, min_size=2, max_size=9).map(
    lambda ws: " ".join(ws).capitalize() + ".")


def _targets():
    """Return (field paragraphs, list-item paragraphs) of the test briefing's build, by text."""
    loaded = load_briefing(FIXTURE).value
    fresh = fresh_paragraphs(json.loads(loaded.canonical_json), None)
    unique = {p.text for p in fresh if [q.text for q in fresh].count(p.text) == 1}
    fields = [p.text for p in fresh if p.kind == "field" and len(p.fields) == 1
              and len(p.parts) == 1 and p.text in unique and p.heading is None
              and p.fields[0][0] not in ("briefing", "meeting", "contact", "clearance")]
    items = [p.text for p in fresh if p.list_item is not None and p.text in fields
             and p.list_item[0] not in ("objectives", "background")]
    return sorted(fields), sorted(items)


FIELDS, ITEMS = _targets()
EDIT = st.one_of(
    st.tuples(st.just("reword"), st.sampled_from(FIELDS), NEW_TEXT),
    st.tuples(st.just("add"), st.sampled_from(ITEMS), NEW_TEXT),
    st.tuples(st.just("delete"), st.sampled_from(ITEMS), st.just("")),
)


def apply(document, script, keep_bookmarks: bool) -> None:
    """Make the scripted edits on a python-docx document."""
    body = document.element.body
    if not keep_bookmarks:
        for el in body.xpath(".//w:bookmarkStart | .//w:bookmarkEnd"):
            el.getparent().remove(el)
    for kind, target, text in script:
        para = next((p for p in document.paragraphs if p.text == target), None)
        if para is None:  # already reworded or deleted by an earlier step
            continue
        if kind == "reword":
            set_text(para, text)
        elif kind == "add":  # Enter at the end of the paragraph, then type: same style and list
            new = copy.deepcopy(para._element)
            for el in new.xpath(".//w:bookmarkStart | .//w:bookmarkEnd"):
                el.getparent().remove(el)
            para._element.addnext(new)
            set_text(Paragraph(new, para._parent), text)
        else:
            para._element.getparent().remove(para._element)


def set_text(para, text: str) -> None:
    """Replace a paragraph's words, keeping its first run (and so its formatting)."""
    for run in para.runs[1:]:
        run._element.getparent().remove(run._element)
    para.runs[0].text = text


def texts(path: Path) -> list[str]:
    out = [p.text for p in read_paragraphs(Package.open(path))]
    return out[:out.index("Clearance record")]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(script=st.lists(EDIT, min_size=1, max_size=6), keep_bookmarks=st.booleans())
def test_absorb_then_build_reads_like_the_edited_document(script, keep_bookmarks):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        yaml = tmp / "briefing.yaml"
        shutil.copyfile(FIXTURE, yaml)
        draft, cleared, rebuilt = tmp / "draft.docx", tmp / "cleared.docx", tmp / "rebuilt.docx"
        build_file(yaml, out=draft)
        document = docx.Document(str(draft))
        apply(document, script, keep_bookmarks)
        document.save(str(cleared))

        absorb_file(cleared, yaml, record=False)
        build_file(yaml, out=rebuilt)

        assert texts(rebuilt) == texts(cleared)
