"""`briefing new`: a commented starter that validates and builds as it is, written safely."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.source.load import load_briefing, load_text
from briefing.source.model import Briefing
from briefing.source.starter import starter_text, write_starter

runner = CliRunner()


def test_new_writes_a_starter_that_validates(tmp_path):
    path = tmp_path / "briefing.yaml"
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {path}\n"
    loaded = load_briefing(path).value
    assert loaded.briefing.briefing.prepared == dt.date.today()
    check = runner.invoke(app, ["validate", str(path)])
    assert check.exit_code == 0 and check.stdout == f"{path}: valid\n"


def test_starter_opens_with_the_schema_line_and_says_how_to_make_the_schema():
    lines = starter_text("briefing.yaml").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=briefing.schema.json"
    assert "#   briefing schema > briefing.schema.json" in lines


def test_every_section_of_the_schema_is_in_the_starter_with_a_comment_above_it():
    lines = starter_text().splitlines()
    for section in Briefing.model_fields:
        (index,) = [i for i, line in enumerate(lines) if line.startswith(f"{section}:")]
        assert lines[index - 1].startswith("# "), section


def test_starter_names_the_file_in_its_instructions():
    assert "#   briefing build minister.yaml" in starter_text("minister.yaml")


def test_starter_fills_every_field_so_users_see_them_all():
    data = load_text(starter_text()).value.briefing
    assert data.briefing.reference and data.meeting.venue and data.meeting.requested_by
    assert data.member_comments and data.case_studies and data.lines_to_take and data.background
    assert data.key_messages[0].priority == 1


def test_starter_builds_as_it_is(tmp_path):
    path = write_starter(tmp_path / "briefing.yaml")
    out = tmp_path / "briefing.docx"
    result = runner.invoke(app, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert zipfile.is_zipfile(out)
    with zipfile.ZipFile(out) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Councils should have a real role in commissioning the programme." in body


def test_existing_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "briefing.yaml"
    path.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: already exists; use --force to replace it\n"
    assert "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == "mine\n"


def test_force_replaces(tmp_path):
    path = tmp_path / "briefing.yaml"
    path.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["new", str(path), "--force"])
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == starter_text("briefing.yaml")


def test_missing_folder(tmp_path):
    path = tmp_path / "no" / "briefing.yaml"
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: the folder {path.parent} does not exist\n"
    assert not (tmp_path / "no").exists()


def test_folder_given(tmp_path):
    result = runner.invoke(app, ["new", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path}: is a folder; give a file name such as "
                             f"{tmp_path}/briefing.yaml\n")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions and a non-root user")
def test_unwritable_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = runner.invoke(app, ["new", str(folder / "briefing.yaml")])
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{folder / 'briefing.yaml'}: cannot be written")
    assert list(folder.iterdir()) == []


def test_write_leaves_no_temporary_files(tmp_path):
    write_starter(tmp_path / "briefing.yaml")
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.yaml"]


def test_starter_text_is_dated_when_asked():
    text = starter_text(today=dt.date(2010, 9, 15))
    assert re.search(r"^  prepared: 2010-09-15$", text, re.M)
    assert load_text(text).value.briefing.briefing.prepared == dt.date(2010, 9, 15)


def test_write_starter_returns_the_path(tmp_path):
    assert write_starter(str(tmp_path / "b.yaml")) == Path(tmp_path / "b.yaml")
