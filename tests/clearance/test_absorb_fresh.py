"""Absorb's fresh build, made in memory from compose's blocks, reads as the written .docx does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefing.clearance.absorb.fresh import fresh_paragraphs
from briefing.document.build import build_bytes
from briefing.document.compose import find_template
from briefing.ooxml.package import Package
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.ooxml.sourcemap import SourceMap, read_source_map
from briefing.source.load import load_briefing
from briefing.source.model import Briefing

ROOT = Path(__file__).resolve().parents[2]
YAMLS = sorted((ROOT / "samples").glob("*.yaml")) + [ROOT / "tests/fixtures/absorb/briefing.yaml"]


def as_written(briefing: Briefing, template: str) -> list[tuple]:
    """Return each body paragraph of the built .docx: number, pieces, source ids, heading."""
    pkg = Package.from_bytes(build_bytes(briefing, find_template(template)), "built.docx")
    ids = read_source_map(pkg).ids
    return [(p.number, [s.text for s in p.segments],
             [ids[s.bookmark] for s in p.segments if s.bookmark in ids], p.heading)
            for p in read_paragraphs(pkg)]


def as_composed(data: dict, template: str) -> list[tuple]:
    """Return the same for absorb's fresh build in memory."""
    smap = SourceMap(template=template)
    return [(f.number, [t for t, _ in f.parts], list(f.source_ids), f.heading)
            for f in fresh_paragraphs(data, smap)]


@pytest.mark.parametrize("template", ["chairman-briefing", "lines-card"])
@pytest.mark.parametrize("path", YAMLS, ids=lambda p: p.name)
def test_the_fresh_build_is_the_body_write_produces(path, template):
    loaded = load_briefing(path).value
    data = json.loads(loaded.canonical_json)
    assert as_composed(data, template) == as_written(loaded.briefing, template)


def test_line_breaks_tabs_and_markup_characters_read_as_the_document_holds_them():
    loaded = load_briefing(ROOT / "tests/fixtures/absorb/briefing.yaml").value
    data = json.loads(loaded.canonical_json)
    km = data["key_messages"][0]
    km["headline"] = "Councils\tcommission\r\nlocally\rand R&D <{{ x }}> too"
    km["points"][0] = km["headline"]
    briefing = Briefing.model_validate(data)
    assert as_composed(data, "chairman-briefing") == as_written(briefing, "chairman-briefing")


def test_a_field_a_template_shows_twice_is_the_fields_in_its_first_place_only(tmp_path):
    # The title's bookmark is written once, around its first place; the second copy reads as
    # fixed wording, so an edit to it is not taken for the title.
    folder = tmp_path / "mine"
    shutil.copytree(ROOT / "templates" / "lines-card", folder)
    (folder / "layout.j2").write_text("h1: {{ briefing.title }}\nbody: {{ briefing.title }}\n",
                                      encoding="utf-8")
    loaded = load_briefing(ROOT / "tests/fixtures/absorb/briefing.yaml").value
    data = json.loads(loaded.canonical_json)

    composed = as_composed(data, str(folder))

    assert composed == as_written(loaded.briefing, str(folder))
    title = data["briefing"]["title"]
    assert composed == [(1, [title], ["briefing/title"], 1), (2, [title], [], None)]
