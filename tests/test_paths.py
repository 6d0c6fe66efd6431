"""The one output-path check every writing command uses: what it refuses, and in what words."""

from __future__ import annotations

import pytest

from briefing.errors import BriefingError, OutputExists
from briefing.paths import check_output

SAYS = "is the input; choose another -o"


@pytest.mark.parametrize(("name", "message"), [
    ("input.docx", "{out}: " + SAYS),
    ("folder.docx", "{out}: is a folder; give the output file's name"),
    ("out.pdf", "{out}: the output must be a .docx file"),
    ("missing/out.docx", "{out}: folder {parent} does not exist"),
])
def test_each_unwritable_output_is_refused_in_its_own_words(tmp_path, name, message):
    (tmp_path / "input.docx").write_bytes(b"in")
    (tmp_path / "folder.docx").mkdir()
    out = tmp_path / name
    with pytest.raises(BriefingError) as caught:
        check_output(out, [tmp_path / "input.docx"], force=True, is_input=SAYS)
    assert str(caught.value) == message.format(out=out, parent=out.parent)


def test_an_existing_output_needs_force_and_any_name_goes_when_no_suffix_is_asked(tmp_path):
    out = tmp_path / "out.bin"
    out.write_bytes(b"earlier")
    with pytest.raises(OutputExists):
        check_output(out, [], force=False, is_input=SAYS, suffixes=None)
    check_output(out, [], force=True, is_input=SAYS, suffixes=None)
    with pytest.raises(BriefingError, match="must be a .docx file"):
        check_output(out, [], force=True, is_input=SAYS)
