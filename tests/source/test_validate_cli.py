"""`briefing validate` and `briefing schema` through typer's CliRunner, as a user runs them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.source.test_load import BAD, MINIMAL, billion_laughs, edit

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))

runner = CliRunner()


def validate(path: Path):
    """Return the CliRunner result of `briefing validate PATH`."""
    return runner.invoke(app, ["validate", str(path)])


def assert_clean_failure(result, expected_stderr: str) -> None:
    """A failure a user must fix: exit 1, exactly this message, no traceback, nothing on stdout."""
    assert result.exit_code == 1, result.output
    assert result.stderr == expected_stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_every_sample_is_valid(path):
    result = validate(path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: valid\n"


def test_valid_file_prints_warnings_and_still_succeeds(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(edit("objectives:", "case_studies:\n  - id: cs\n    council: Riverton\n"
                         "    title: T\n    excerpt: E\n    source: {title: S, year: 2010}\n"
                         "    agreed_with_council: false\nobjectives:"), encoding="utf-8")
    result = validate(path)
    assert result.exit_code == 0
    assert result.stdout == f"{path}: valid\n"
    assert result.stderr == (f"warning: {path}:18:26: case_studies[0].agreed_with_council: "
                             "'cs' is not yet agreed with Riverton; agree it before the briefing "
                             "is cleared\n")


@pytest.mark.parametrize("text, expected", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_exits_1_with_the_located_message(tmp_path, text, expected):
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    result = validate(path)
    lines = [line.replace("b.yaml", str(path), 1) for line in expected]
    assert_clean_failure(result, "".join(line + "\n" for line in lines))
    assert sorted(tmp_path.iterdir()) == before
    assert path.read_text(encoding="utf-8") == text


def test_missing_file(tmp_path):
    missing = tmp_path / "none.yaml"
    assert_clean_failure(validate(missing), f"{missing}: no such file\n")


def test_folder(tmp_path):
    assert_clean_failure(validate(tmp_path), f"{tmp_path}: is a folder, not a briefing file\n")


def test_empty_file(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text("", encoding="utf-8")
    assert_clean_failure(validate(path), f"{path}: is empty; run `briefing new` for a starter\n")


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "{p}: is not a text file (it holds NUL bytes); give the briefing's .yaml file"),
    (b"title: caf\xe9\n", "{p}:1:11: is not UTF-8 text (byte 0xE9 here); save the file as UTF-8"),
    (b"PK\x03\x04rest", "{p}: is a Word document or other binary file, not a briefing YAML file"),
], ids=["png", "latin-1", "zip"])
def test_file_that_is_not_text(tmp_path, content, message):
    path = tmp_path / "b.yaml"
    path.write_bytes(content)
    assert_clean_failure(validate(path), message.format(p=path) + "\n")


def test_fifty_megabytes_refused_quickly(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    result = validate(path)
    assert time.perf_counter() - started < 1
    assert_clean_failure(result, f"{path}: is 50.0 MB; a briefing file must be under 10 MB "
                                 "(is this the right file?)\n")


def test_alias_bomb_answers_within_seconds(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    started = time.perf_counter()
    result = validate(path)
    assert time.perf_counter() - started < 2
    assert_clean_failure(result, f"{path}:23:7: uses an anchor &lol0 (anchors and aliases are "
                                 "not allowed in a briefing; write the text out in full)\n")


def test_minimal_file_is_valid(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = validate(path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{path}: valid\n", "")


# ---------------------------------------------------------------- schema


def test_schema_prints_json_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Chairman's briefing"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "KeyMessage" in schema["$defs"]


def test_schema_is_valid_json_schema_that_samples_pass():
    jsonschema = pytest.importorskip("jsonschema")
    from briefing.source.read import read_yaml
    from tests.source.test_model import _as_editor_sees_it

    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in SAMPLES:
        data, _ = read_yaml(path.read_text(encoding="utf-8"), str(path))
        assert list(validator.iter_errors(_as_editor_sees_it(data))) == [], path
