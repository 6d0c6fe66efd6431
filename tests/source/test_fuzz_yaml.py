"""Fuzzing: random and damaged YAML, and valid briefings full of hostile strings, into the CLI.

- random bytes, random YAML documents, and the shipped sample damaged line by
  line go into `validate` and `build`: always exit 0 or 1 with a message,
  never a traceback or the last-resort "error: <Type>: ...", and a failed
  build writes nothing;
- the sample with one string replaced by a hostile one (control characters,
  right-to-left and zero-width marks, 10,000-character words, `{{`, `{%`,
  XML fragments, YAML look-alikes) goes through `validate` and `build`:
  both agree; a refusal names the file and line; a build opens and
  holds the string exactly as typed.

Bounded by `max_examples`; each example has a time limit.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from briefing.ooxml.package import Package
from tests.ooxml.test_fuzz_docx import invoke_answering

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
TIME_LIMIT = 60
EXAMPLES = 25  # BRIEFING_FUZZ_EXAMPLES=500 for a deeper run
FUZZ = settings(max_examples=int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", EXAMPLES)),
                deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
HOSTILE = [
    "{{ briefing.title }}", "{%", "{% for x in y %}{% endfor %}", "{#", "}}", "%}",
    "<w:p><w:r><w:t>x</w:t></w:r></w:p>", "</w:t>", "]]>", "<!DOCTYPE x>", "&amp;", "&", "<",
    "\u202eevil\u202c", "\u200f", "\u200e", "\u200b", "\u2066", "\ufeff", "\u00a0",
    "\u0645\u0631\u062d\u0628\u0627", "\U0001f3db\ufe0f", "\t", "\n", "\r\n", "\\", "\"", "'",
    "- item", "key: value", "# not a comment", "*alias", "&anchor", "!!python/object", "~",
    "null", "yes", "0x1F", "1e3", "---", "...", "| ", "> ", "@", "`", "%s", "${x}",
    "\x00", "\x07", "\x1b[31m", "\x0b", "\ufffe", "\x7f", "\x85",
]
LONG_WORD = "a" * 10_000


class Case(tuple):
    """(label, value): printed by its label, as the values can be very long."""

    def __repr__(self) -> str:
        return repr(self[0])


def _fresh(tmp_path: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=tmp_path))


def run(args: list[str]):
    """Run the CLI under a time limit and assert it answered as a user should see."""
    return invoke_answering(args, TIME_LIMIT, "yaml")[0]


def validate_and_build(folder: Path, yaml: Path):
    """Return (validate result, build result), asserting the build writes only on success."""
    checked = run(["validate", str(yaml)])
    out = folder / "out.docx"
    built = run(["build", str(yaml), "-o", str(out)])
    if built.exit_code == 0:
        Package.open(out)
        docx.Document(str(out))
    else:
        assert sorted(p.name for p in folder.iterdir()) == [yaml.name], built.output
    return checked, built


# --- random and damaged YAML -------------------------------------------------------


def damage(text: str, draw) -> tuple[str, str]:
    """Return (label, text) with one line of `text` damaged."""
    lines = text.splitlines(keepends=True)
    i = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["drop", "repeat", "indent", "dedent", "insert", "truncate"]))
    if kind == "drop":
        del lines[i]
    elif kind == "repeat":
        lines.insert(i, lines[i])
    elif kind == "indent":
        lines[i] = "   " + lines[i]
    elif kind == "dedent":
        lines[i] = lines[i].lstrip(" ")
    elif kind == "insert":
        at = draw(st.integers(0, len(lines[i])))
        junk = draw(st.one_of(st.sampled_from(HOSTILE + [": ", "- ", "[", "{", "'", "\""]),
                              st.text(max_size=5)))
        lines[i] = lines[i][:at] + junk + lines[i][at:]
    else:
        return f"truncated at line {i + 1}", "".join(lines[:i]) + lines[i][: len(lines[i]) // 2]
    return f"{kind} line {i + 1}", "".join(lines)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
    | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["briefing", "meeting", "objectives", "key_messages", "title", "id",
                         "status", "version", "contact", "x"]) | st.text(max_size=8),
        inner, max_size=4),
    max_leaves=20,
)


def dump(value) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(value, buf)
    return buf.getvalue()


@st.composite
def random_yaml(draw) -> Case:
    kind = draw(st.sampled_from(["bytes", "text", "document", "damaged sample"]))
    if kind == "bytes":
        return Case(("random bytes", draw(st.binary(max_size=300))))
    if kind == "text":
        return Case(("random text", draw(st.text(max_size=300)).encode("utf-8")))
    if kind == "document":
        return Case(("random YAML document", dump(draw(yaml_values)).encode("utf-8")))
    label, text = damage(SAMPLE_TEXT, draw)
    return Case((f"sample, {label}", text.encode("utf-8")))


@FUZZ
@given(case=random_yaml())
def test_random_and_damaged_yaml(tmp_path, case):
    folder = _fresh(tmp_path)
    yaml = folder / "briefing.yaml"
    yaml.write_bytes(case[1])
    checked, built = validate_and_build(folder, yaml)
    assert checked.exit_code == built.exit_code, (case[0], checked.output, built.output)
    assert yaml.read_bytes() == case[1]


# --- valid briefings with hostile strings ---------------------------------------------------

# Fields whose value is free text (ids, dates, enums, e-mail and phone are not).
_NOT_TEXT = re.compile(r"(^|/)(id|relates_to|email|phone|classification|status|version|"
                       r"prepared|date|meeting_date|year|outcome|agreed_with_council|priority|"
                       r"url|reference)(/|$)")


def _string_paths(node, path=()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _string_paths(v, path + (k,))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _string_paths(v, path + (i,))]
    if isinstance(node, str) and not _NOT_TEXT.search("/".join(map(str, path))):
        return [path]
    return []


def _sample_data() -> dict:
    yaml = YAML(typ="safe", pure=True)
    return yaml.load(SAMPLE_TEXT)


SAMPLE_DATA = _sample_data()
TEXT_PATHS = _string_paths(SAMPLE_DATA)


@st.composite
def hostile_string(draw) -> str:
    pieces = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=8),
                       st.just(LONG_WORD))
    return "".join(draw(st.lists(pieces, min_size=1, max_size=4)))


def _set(data, path, value) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _normal(text: str) -> str:
    return " ".join(text.split())


def _document_text(path: Path) -> str:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return _normal("\n".join(texts))


@FUZZ
@given(path=st.sampled_from(TEXT_PATHS), value=hostile_string())
def test_hostile_strings_in_a_valid_briefing(tmp_path, path, value):
    import copy

    data = copy.deepcopy(SAMPLE_DATA)
    _set(data, path, value)
    folder = _fresh(tmp_path)
    yaml = folder / "briefing.yaml"
    yaml.write_text(dump(data), encoding="utf-8")
    checked, built = validate_and_build(folder, yaml)
    assert checked.exit_code == built.exit_code, (checked.output, built.output)
    if built.exit_code == 1:
        problems = [line for line in built.output.splitlines()
                    if not line.startswith("warning:")]
        assert problems and all(re.match(rf"{re.escape(str(yaml))}:\d+:\d+: ", line)
                                for line in problems), built.output
    else:
        assert _normal(value) in _document_text(folder / "out.docx")


def test_a_ten_thousand_character_word_builds(tmp_path):
    data = _sample_data()
    data["key_messages"][0]["headline"] = LONG_WORD
    yaml = tmp_path / "briefing.yaml"
    yaml.write_text(dump(data), encoding="utf-8")
    _, built = validate_and_build(tmp_path, yaml)
    assert built.exit_code == 0, built.output
    assert LONG_WORD in _document_text(tmp_path / "out.docx")


def test_a_control_character_is_refused_at_its_line(tmp_path):
    data = _sample_data()
    data["key_messages"][0]["headline"] = "Councils \x07 should"
    yaml = tmp_path / "briefing.yaml"
    yaml.write_text(dump(data), encoding="utf-8")
    checked, built = validate_and_build(tmp_path, yaml)
    assert built.exit_code == checked.exit_code == 1
    (line,) = [ln for ln in built.output.splitlines() if not ln.startswith("warning:")]
    assert re.fullmatch(
        rf"{re.escape(str(yaml))}:\d+:\d+: key_messages\[0\]\.headline: contains a control "
        r"character \(U\+0007, character 10 of the text\) that Word documents cannot hold",
        line), line
