"""A document carries only what it shows: every string in every part is on its pages or named.

The lines card shows headlines and "if asked" lines; opened as a curious
recipient would (unzip, read every part), it must hold no member comment, case
study, background paragraph or contact detail. absorb still reads it.
"""

from __future__ import annotations

import json
import re
import shutil
import typing
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from pydantic import BaseModel
from typer.testing import CliRunner

from briefing.cli import app
from briefing.document.build import build_file
from briefing.ooxml.package import Package
from briefing.ooxml.sourcemap import read_source_map
from briefing.source.load import load_briefing
from briefing.source.model import Briefing

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BR = "urn:lga:briefing:source-map:1"
runner = CliRunner()

# What each template puts on its pages, as source-id patterns ('*' is any item id).
SHOWS = {
    "chairman-briefing": None,  # everything
    "lines-card": ("briefing/title", "meeting/counterparts/*", "meeting/date", "meeting/when",
                   "meeting/venue", "key_messages/*/headline", "lines_to_take/*/question",
                   "lines_to_take/*/answer"),
}

# The short, named allow-list: strings that are not the document's words.
ALLOWED: dict[str, re.Pattern[str]] = {
    "hash": re.compile(r"[0-9a-f]{64}"),
    "bookmark": re.compile(r"_Brf[0-9a-f]{20}"),
    "guid": re.compile(r"\{[0-9A-F-]{36}\}"),
    "number or hex": re.compile(r"-?[0-9A-Fa-f]{1,20}"),
    "date and time": re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?"),
    "uri, content type or part name": re.compile(
        r"(https?://|urn:|application/|/?(word|docProps|customXml|\.\.)/|[\w.]+\.(xml|rels)$)"
        r"\S*"),
    "source id": re.compile(r"[a-z_]+(/[a-z0-9_-]+)+"),
    "item or template id": re.compile(r"[a-z0-9]+(-[a-z0-9]+)*"),
    "relationship id": re.compile(r"rId\w+"),
    "field code": re.compile(r"(PAGE|NUMPAGES)( .*)?"),
    "property name": re.compile(r"Briefing(DataHash|Version|Status)|Classification"),
    "status and marking": re.compile(
        r"(draft|for-clearance|cleared|final|OFFICIAL|OFFICIAL-SENSITIVE|NONE)"
        r"(, version \d+)?"),
    "application and category": re.compile(r"briefing|Chairman's briefing"),
    "source file": re.compile(r"[\w.-]+\.yaml"),
}


def field_names(model: type[BaseModel] = Briefing) -> set[str]:
    """Return the schema's field names (the embedded data's keys), nested models included."""
    names = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                names |= field_names(inner)
    return names


FIELD_NAMES = field_names()  # named in the allow-list: "schema field name"
# Wording the document properties put around shown names (the subject line).
PROPERTY_WORDS = {"briefing", "for", "meeting", "with"}


def collect(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """Return (part, string) for every text node and attribute value of every XML part.

    The embedded data (JSON inside the source map) is taken apart into its keys
    and string values.
    """
    out: list[tuple[str, str]] = []
    for name, data in parts.items():
        if not name.endswith((".xml", ".rels")):
            out.append((name, "<not XML>"))
            continue
        for el in etree.fromstring(data).iter():
            if not isinstance(el.tag, str):
                continue
            out += [(name, v) for v in el.attrib.values()]
            if el.tag == f"{{{BR}}}data":
                out += [(name + " (data)", s) for s in json_strings(json.loads(el.text))]
            elif el.text and el.text.strip():
                out.append((name, el.text))
    return [(n, " ".join(s.split())) for n, s in out if s.strip()]


def json_strings(value) -> list[str]:
    """Return every key and string value in a JSON value."""
    if isinstance(value, dict):
        return [*value] + [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return [value] if isinstance(value, str) else []


def rendered_text(parts: dict[str, bytes]) -> str:
    """Return the text on the pages: body, headers and footers, one paragraph per line."""
    lines = []
    for name in sorted(parts):
        if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
            for p in etree.fromstring(parts[name]).iter(f"{{{W}}}p"):
                lines.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
    return "\n".join(" ".join(line.split()) for line in lines)


def reference_strings(template: str) -> set[str]:  # named in the allow-list: "template"
    """Return every string the template's reference.docx holds (styles, fonts, fixed text)."""
    with zipfile.ZipFile(ROOT / "templates" / template / "reference.docx") as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    return {s for _, s in collect(parts)}


def shown(sid: str, patterns: tuple[str, ...] | None) -> bool:
    if patterns is None:
        return True
    return any(re.fullmatch(re.escape(p).replace(r"\*", "[^/]+") + "(/.*)?", sid)
               for p in patterns)


def leaves(value, sid: str = ""):
    """Yield (source id, string) for every string in the data, ids included."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, f"{sid}/{k}" if sid else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            key = v["id"] if isinstance(v, dict) and "id" in v else str(i)
            yield from leaves(v, f"{sid}/{key}")
    elif isinstance(value, str):
        yield sid, value


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def unexplained(parts: dict[str, bytes], template: str, data: dict) -> list[str]:
    """Return the strings of the package that are neither on its pages nor allowed, and why."""
    pages = rendered_text(parts)
    known = words(pages) | PROPERTY_WORDS
    reference = reference_strings(template)
    layout = (ROOT / "templates" / template / "layout.j2").read_text(encoding="utf-8")
    patterns = SHOWS[template]
    items = {sid.rsplit("/", 1)[0] for sid, _ in leaves(data) if shown(sid, patterns)}
    carried = {v for sid, v in leaves(data) if shown(sid, patterns) or sid in (
        "briefing/status", "briefing/classification") or (
        sid.endswith("/id") and sid[:-3] in items)}
    hidden = {v for sid, v in leaves(data) if v not in carried
              and " ".join(v.split()) not in pages}
    hidden_ids = {v for sid, v in leaves(data) if sid.endswith("/id") and v in hidden}
    bad = []
    for part, s in collect(parts):
        if s in hidden or any(seg in hidden_ids for seg in s.split("/")):
            bad.append(f"{part}: {s!r} is from a section the {template} does not show")
        elif not (s in pages or s in reference or s in FIELD_NAMES or s in layout
                  or any(p.fullmatch(s) for p in ALLOWED.values()) or words(s) <= known):
            bad.append(f"{part}: {s!r} is neither on the pages nor in the allow-list")
    return bad


def build(sample: Path, template: str, tmp_path: Path) -> tuple[dict[str, bytes], dict]:
    out = tmp_path / f"{sample.stem}-{template}.docx"
    build_file(sample, out=out, template=template)
    with zipfile.ZipFile(out) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    return parts, json.loads(load_briefing(sample).value.canonical_json)


@pytest.mark.parametrize("template", sorted(SHOWS))
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_string_in_the_package_is_on_its_pages_or_named(sample, template, tmp_path):
    parts, data = build(sample, template, tmp_path)
    assert unexplained(parts, template, data) == []


def test_the_check_catches_what_the_old_card_carried(tmp_path):
    """The whole briefing's data hidden in a card is found (the check can fail)."""
    sample = ROOT / "samples" / "work-programme-2010.yaml"
    parts, data = build(sample, "lines-card", tmp_path)
    pkg = Package(Path("card.docx"), dict(parts))
    smap = read_source_map(pkg)
    smap.data_json, smap.data_partial = json.dumps(data), False
    item = next(n for n in parts if n.startswith("customXml/item") and BR.encode() in parts[n])
    parts[item] = smap.to_xml()
    bad = unexplained(parts, "lines-card", data)
    assert any("Cllr Jean Hart" in b for b in bad)
    assert any("contact/phone" not in b and "020" in b for b in bad)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_full_briefing_embeds_all_its_data_as_before(sample, tmp_path):
    parts, data = build(sample, "chairman-briefing", tmp_path)
    smap = read_source_map(Package(Path("x.docx"), parts))
    assert smap.data_json == load_briefing(sample).value.canonical_json
    assert not smap.data_partial


def test_the_card_embeds_its_headlines_and_lines_and_names_no_one_it_hides(tmp_path):
    sample = ROOT / "samples" / "work-programme-2010.yaml"
    parts, data = build(sample, "lines-card", tmp_path)
    smap = read_source_map(Package(Path("x.docx"), parts))
    embedded = json.loads(smap.data_json)
    assert smap.data_partial
    assert sorted(embedded) == ["briefing", "key_messages", "lines_to_take", "meeting"]
    assert [km["headline"] for km in embedded["key_messages"]] == [
        km["headline"] for km in sorted(data["key_messages"],
                                        key=lambda k: (k["priority"] is None, k["priority"]))]
    assert embedded["lines_to_take"] == data["lines_to_take"]
    assert sorted(embedded["key_messages"][0]) == ["headline", "id", "priority"]
    assert smap.data_hash == load_briefing(sample).value.data_hash and smap.version == 2
    core = etree.fromstring(parts["docProps/core.xml"])
    assert data["contact"]["name"] not in etree.tostring(core, encoding="unicode")
    assert data["meeting"]["principal"]["name"] not in etree.tostring(core, encoding="unicode")


# --- absorb reads a card for what it shows ------------------------------------------------

HEADLINE = "Councils should help commission the Work Programme, not watch from the side-lines."
ANSWER = "Many already do it well, as the case studies show."


@pytest.fixture
def card(tmp_path) -> tuple[Path, Path]:
    yaml = tmp_path / "briefing.yaml"
    shutil.copyfile(ROOT / "samples" / "work-programme-2010.yaml", yaml)
    out = tmp_path / "card.docx"
    build_file(yaml, out=out, template="lines-card")
    return yaml, out


def test_an_unedited_card_absorbs_nothing(card):
    yaml, out = card
    before = yaml.read_bytes()
    result = runner.invoke(app, ["absorb", str(out), "--into", str(yaml)])
    assert result.exit_code == 0, result.output
    assert f"{yaml}: nothing to absorb from {out}; the file is unchanged" in result.stdout
    assert yaml.read_bytes() == before


def test_a_card_s_edited_headline_and_answer_are_absorbed(card, tmp_path):
    yaml, out = card
    document = docx.Document(str(out))
    for p in document.paragraphs:
        if p.text == HEADLINE:
            p.text = HEADLINE.replace("should help", "must help")
        elif p.text.startswith(ANSWER):
            p.runs[0].text = "Many already do it well."
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    before = load_briefing(yaml).value.briefing.model_dump()

    result = runner.invoke(app, ["absorb", str(edited), "--into", str(yaml), "--no-record"])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"{yaml}: absorbed 2 changes from {edited}"
    after = load_briefing(yaml).value.briefing.model_dump()
    before["key_messages"][0]["headline"] = HEADLINE.replace("should help", "must help")
    before["lines_to_take"][2]["answer"] = "Many already do it well."
    assert after == before


def test_a_card_that_lost_its_data_is_compared_with_the_yaml(card, tmp_path):
    """The hash still ties a card to its YAML when an editor dropped the embedded data."""
    yaml, out = card
    pkg = Package.open(out)
    item = next(n for n in pkg.parts if n.startswith("customXml/item") and
                BR.encode() in pkg.parts[n][:512])
    smap = read_source_map(pkg)
    smap.data_json = ""
    pkg.set_bytes(item, smap.to_xml())
    bare = tmp_path / "bare.docx"
    bare.write_bytes(pkg.to_bytes())
    result = runner.invoke(app, ["absorb", str(bare), "--into", str(yaml)])
    assert result.exit_code == 0, result.output
    assert "nothing to absorb" in result.stdout


def test_a_card_that_leaves_items_out_carries_their_count_not_their_words(tmp_path):
    """The large briefing's card says how many key messages it left out; absorb agrees."""
    import sys

    sys.path.insert(0, str(ROOT / "samples"))
    from make_large import write_large

    yaml = write_large(tmp_path / "large.yaml")
    out = tmp_path / "card.docx"
    build_file(yaml, out=out, template="lines-card")
    parts = {n: zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist()}
    assert "Continued in the briefing: " in rendered_text(parts)
    data = json.loads(load_briefing(yaml).value.canonical_json)
    assert unexplained(parts, "lines-card", data) == []
    embedded = json.loads(read_source_map(Package(Path("x.docx"), parts)).data_json)
    assert len(embedded["key_messages"]) == len(data["key_messages"])
    assert set(embedded["key_messages"][-1]) <= {"id", "priority"}
    assert embedded["key_messages"][-1]["id"].startswith("not-shown-")
    before = yaml.read_bytes()
    result = runner.invoke(app, ["absorb", str(out), "--into", str(yaml)])
    assert result.exit_code == 0, result.output
    assert "nothing to absorb" in result.stdout
    assert "warning" not in result.stderr
    assert yaml.read_bytes() == before


@pytest.mark.libreoffice
def test_a_card_edited_in_libreoffice_comes_back_into_the_yaml(lo, card, tmp_path):
    """A member's tracked edit to the card, saved by LibreOffice, accepted, absorbed."""
    yaml, out = card
    edits = [{"kind": "replace", "author": "Cllr Ann Baker", "find": "should help commission",
              "replace": "must help commission"}]
    reviewed = lo.tracked_edits(out, tmp_path / "reviewed.docx", edits)
    assert runner.invoke(app, ["accept", str(reviewed), "-o",
                               str(tmp_path / "cleared.docx")]).exit_code == 0
    before = load_briefing(yaml).value.briefing.model_dump()

    result = runner.invoke(app, ["absorb", str(tmp_path / "cleared.docx"), "--into", str(yaml),
                                 "--no-record"])

    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr, result.stderr
    before["key_messages"][0]["headline"] = HEADLINE.replace("should help", "must help")
    assert load_briefing(yaml).value.briefing.model_dump() == before
