"""`briefing build` through the command line: samples, outputs, templates, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from briefing.cli import app
from briefing.document.build import default_output
from briefing.source.load import load_briefing
from tests.conftest import validate_ooxml
from tests.document.test_write import Docx, W

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def sample(tmp_path) -> Path:
    """Return a private copy of the 2010 sample."""
    src = ROOT / "samples" / "work-programme-2010.yaml"
    dest = tmp_path / src.name
    shutil.copy(src, dest)
    return dest


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
@pytest.mark.parametrize("template", ["chairman-briefing", "lines-card"])
def test_every_sample_builds_valid_ooxml(path, template, tmp_path):
    out = tmp_path / f"{path.stem}.docx"
    before = path.read_bytes()
    result = run("build", path, "-o", out, "--template", template)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"wrote {out}\n")
    assert path.read_bytes() == before
    valid, report = validate_ooxml(out)
    assert valid, report
    title = load_briefing(path).value.briefing.briefing.title
    first = next(Docx(out.read_bytes()).paragraphs())
    assert (Docx.style(first), Docx.text(first)) == ("Heading1", title)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_paragraphs_hold_their_fields(path):
    from briefing.document.build import build_bytes
    from briefing.document.compose import find_template
    from tests.document.test_compose import field_value

    briefing = load_briefing(path).value.briefing
    marks = Docx(build_bytes(briefing, find_template(None))).bookmarked()
    assert len(marks) > 50
    for sid, text in marks.items():
        value = field_value(briefing, sid.removesuffix("/attribution").removesuffix("/source")
                            .removesuffix("/suggested_by")) if "/" in sid else None
        if isinstance(value, str):
            assert text == value, sid


def test_default_output_is_beside_the_yaml_named_from_reference_and_version(sample):
    result = run("build", sample)
    expected = sample.with_name("LGG-WP-2010-11-v2.docx")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"wrote {expected}\n")
    assert expected.is_file()


def test_default_output_uses_the_file_stem_without_a_reference(tmp_path):
    briefing = load_briefing(ROOT / "samples" / "work-programme-2010.yaml").value.briefing
    info = briefing.briefing.model_copy(update={"reference": None, "version": 3})
    bare = briefing.model_copy(update={"briefing": info})
    assert default_output(tmp_path / "my brief.yaml", bare) == tmp_path / "my-brief-v3.docx"


def test_existing_output_needs_force(sample, tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep me")
    result = run("build", sample, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == f"{out}: already exists; use --force to replace it\n"
    assert out.read_bytes() == b"keep me"
    result = run("build", sample, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_output_must_be_a_docx(sample, tmp_path):
    result = run("build", sample, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'out.pdf'}: the output must be a .docx file\n"


def test_output_folder_must_exist(sample, tmp_path):
    out = tmp_path / "nowhere" / "out.docx"
    result = run("build", sample, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == f"{out}: folder {out.parent} does not exist\n"


def test_bad_yaml_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("briefing:\n  title: [unclosed\n", encoding="utf-8")
    result = run("build", bad, "-o", tmp_path / "out.docx")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:")
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_unknown_template_name(sample, tmp_path):
    result = run("build", sample, "-o", tmp_path / "o.docx", "--template", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("--template nope: no such template (shipped: ")
    assert not (tmp_path / "o.docx").exists()


def user_template(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "our-card"
    shutil.copytree(ROOT / "templates" / "lines-card", folder)
    layout = folder / "layout.j2"
    layout.write_text(edit(layout.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_user_template_folder_rewords_the_card(sample, tmp_path):
    folder = user_template(tmp_path, lambda t: t.replace("h2: If asked", "h2: Should they ask"))
    out = tmp_path / "card.docx"
    result = run("build", sample, "-o", out, "--template", folder)
    assert result.exit_code == 0, result.output
    texts = [Docx.text(p) for p in Docx(out.read_bytes()).paragraphs()]
    assert "Should they ask" in texts and "If asked" not in texts
    valid, report = validate_ooxml(out)
    assert valid, report


def test_user_template_syntax_error_names_file_and_line(sample, tmp_path):
    folder = user_template(tmp_path, lambda t: t.replace("{% endfor %}", "{% endfro %}", 1))
    out = tmp_path / "card.docx"
    result = run("build", sample, "-o", out, "--template", folder)
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(
        (folder / "layout.j2").read_text(encoding="utf-8").splitlines(), 1) if "endfro" in text)
    assert result.stderr.startswith(f"{folder / 'layout.j2'}:{line}: template syntax error: ")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_user_template_undefined_variable_names_file_and_line(sample, tmp_path):
    folder = user_template(tmp_path, lambda t: t.replace("h2: Key messages",
                                                         "h2: {{ key_mesages }}"))
    out = tmp_path / "card.docx"
    result = run("build", sample, "-o", out, "--template", folder)
    line = next(i for i, text in enumerate(
        (folder / "layout.j2").read_text(encoding="utf-8").splitlines(), 1) if "mesages" in text)
    assert result.exit_code == 1
    assert result.stderr == (f"{folder / 'layout.j2'}:{line}: template error: "
                             "'key_mesages' is undefined\n")
    assert not out.exists()


def test_user_template_without_reference_docx(sample, tmp_path):
    folder = user_template(tmp_path, lambda t: t)
    (folder / "reference.docx").unlink()
    result = run("build", sample, "-o", tmp_path / "o.docx", "--template", folder)
    assert result.exit_code == 1
    assert result.stderr == f"{folder / 'reference.docx'}: template has no reference.docx\n"


def rewrite_yaml(path: Path, change) -> None:
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


def test_source_ids_stable_across_rebuilds_and_reorders(sample, tmp_path):
    first, second, third = (tmp_path / f"{n}.docx" for n in ("a", "b", "c"))
    assert run("build", sample, "-o", first).exit_code == 0
    assert run("build", sample, "-o", second).exit_code == 0
    marks = Docx(first.read_bytes()).bookmarked()
    assert Docx(second.read_bytes()).bookmarked() == marks

    def reorder(data):
        for section in ("key_messages", "member_comments", "case_studies", "lines_to_take"):
            data[section].reverse()
        for km in data["key_messages"]:
            km.pop("priority", None)

    rewrite_yaml(sample, reorder)
    assert run("build", sample, "-o", third).exit_code == 0
    assert Docx(third.read_bytes()).bookmarked() == marks


def test_for_clearance_sample_tracks_changes(sample, tmp_path):
    out = tmp_path / "o.docx"
    assert run("build", sample, "-o", out).exit_code == 0
    settings = Docx(out.read_bytes()).xml("word/settings.xml")
    assert settings.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                         "trackRevisions") is not None


def test_since_redlines_against_the_previous_draft(sample, tmp_path):
    pytest.importorskip("briefing.clearance.redline")
    from briefing.clearance import redline

    if not hasattr(redline, "redline_bytes"):
        pytest.skip("redline_bytes is not available yet")
    old = tmp_path / "v2.docx"
    assert run("build", sample, "-o", old).exit_code == 0

    def edit(data):
        data["briefing"]["version"] = 3
        data["key_messages"][0]["headline"] = "Councils must help commission the programme."

    rewrite_yaml(sample, edit)
    out = tmp_path / "v3.docx"
    result = run("build", sample, "-o", out, "--since", old, "--author", "Policy team")
    assert result.exit_code == 0, result.output
    body = out.read_bytes()
    doc = Docx(body)
    ins = list(doc.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ins"))
    assert ins
    valid, report = validate_ooxml(out)
    assert valid, report


def test_each_table_carries_its_caption_for_screen_readers(sample, tmp_path):
    # the layout's "table: caption" line becomes the table's caption (w:tblCaption), which
    # Word shows as the table's alternative text title and screen readers announce
    out = tmp_path / "out.docx"
    assert run("build", sample, "-o", out).exit_code == 0
    body = Docx(out.read_bytes()).body
    captions = [[c.get(f"{{{W}}}val") for c in tbl.iter(f"{{{W}}}tblCaption")]
                for tbl in body.iter(f"{{{W}}}tbl")]
    assert captions == [["Meeting details"], ["Clearance record"]]
