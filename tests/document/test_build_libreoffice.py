"""LibreOffice, an independent reader, opens every built document, reads it and prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.document.build import build_bytes
from briefing.document.compose import find_template
from briefing.source.load import load_briefing
from briefing.source.model import Briefing
from tests.document.test_compose import HOSTILE, minimal_data
from tests.document.test_write import Docx

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))

pytestmark = pytest.mark.libreoffice


def build(path: Path, template: str, out: Path) -> Path:
    out.write_bytes(build_bytes(load_briefing(path).value.briefing, find_template(template)))
    return out


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_briefing_prints_to_pdf(lo, path, tmp_path):
    docx = build(path, "chairman-briefing", tmp_path / f"{path.stem}.docx")
    pages = lo.pdf_page_count(lo.to_pdf(docx, tmp_path))
    assert 2 <= pages <= 20


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_lines_card_fits_one_page(lo, path, tmp_path):
    docx = build(path, "lines-card", tmp_path / f"{path.stem}-card.docx")
    assert lo.pdf_page_count(lo.to_pdf(docx, tmp_path)) == 1


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_libreoffice_reads_the_paragraphs_we_wrote(lo, path, tmp_path):
    docx = build(path, "chairman-briefing", tmp_path / f"{path.stem}.docx")
    ours = [Docx.text(p) for p in Docx(docx.read_bytes()).paragraphs()]
    assert lo.paragraphs(docx) == ours


def test_hostile_text_reaches_libreoffice_exactly(lo, tmp_path):
    data = minimal_data()
    data["objectives"] = [h.replace("\n", " ") for h in HOSTILE[:3]]
    for km, text in zip(data["key_messages"], HOSTILE[3:]):
        km["headline"] = text.replace("\n", " ")
    data["background"][0]["paragraphs"] = [h.replace("\n", " ") for h in HOSTILE[5:]]
    docx = tmp_path / "hostile.docx"
    docx.write_bytes(build_bytes(Briefing.model_validate(data), find_template(None)))
    seen = lo.paragraphs(docx)
    for text in HOSTILE:
        assert text.replace("\n", " ") in seen
