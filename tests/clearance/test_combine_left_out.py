"""What combine cannot track is said, not lost in silence: a member's deleted or rewritten
block-level content control (ECMA-376 Part 1, 17.5.2.29) is left out with a warning naming
the copy, and the combined document keeps the draft's control."""

from __future__ import annotations

from pathlib import Path

from briefing.ooxml.package import Package
from briefing.ooxml.read.text import paragraph_texts
from briefing.ooxml.track.resolve import resolve_part
from tests.clearance.test_combine import combine
from tests.conftest import validate_ooxml
from tests.support.cxml import w, write_docx

LINES = "Councils know their markets."
WARNING = ("warning: {file}: {name} added, deleted or changed blocks such as content controls, or "
           "pictures or objects, "
           "which combine cannot track: left out; make those changes by hand if wanted")


def _blocks(control: str | None, last: str) -> list:
    blocks = [w.p(w.r(w.t("Objectives"))), w.p(w.r(w.t("Agree joint pilots in two areas.")))]
    if control is not None:
        blocks.append(w.sdt(w.sdtPr(w.alias(val="Lines to take")),
                            w.sdtContent(w.p(w.r(w.t(control))))))
    blocks.append(w.p(w.r(w.t(last))))
    return blocks


def _document(path: Path, control: str | None) -> Path:
    return write_docx(path, _blocks(control, "Background follows."))


def _texts(path: Path, accept: bool) -> list[str]:
    pkg = Package.open(path)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=accept)
    return paragraph_texts(root)


def test_a_content_control_deleted_or_rewritten_by_members_is_left_out_with_a_warning(tmp_path):
    draft = _document(tmp_path / "draft.docx", LINES)
    ann = _document(tmp_path / "ann.docx", None)
    bob = _document(tmp_path / "bob.docx", LINES.replace("their", "their local"))
    out = tmp_path / "out.docx"

    result = combine(draft, ann, bob, "-o", out, "--as", "ann.docx=Cllr Ann",
                     "--as", "bob.docx=Cllr Bob")

    assert result.exit_code == 0, result.output
    assert WARNING.format(file="ann.docx", name="Cllr Ann") in result.stderr
    assert WARNING.format(file="bob.docx", name="Cllr Bob") in result.stderr
    valid, report = validate_ooxml(out)
    assert valid, report
    assert _texts(out, accept=True) == _texts(draft, accept=True)
    assert LINES in _texts(out, accept=True)


def test_a_copy_that_left_its_content_control_alone_gets_no_warning(tmp_path):
    draft = _document(tmp_path / "draft.docx", LINES)
    ann = write_docx(tmp_path / "ann.docx", [
        w.p(w.r(w.t("Objectives"))), w.p(w.r(w.t("Agree joint pilots in three areas."))),
        w.sdt(w.sdtPr(w.alias(val="Lines to take")), w.sdtContent(w.p(w.r(w.t(LINES))))),
        w.p(w.r(w.t("Background follows.")))])
    out = tmp_path / "out.docx"

    result = combine(draft, ann, "-o", out, "--as", "ann.docx=Cllr Ann")

    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert "Agree joint pilots in three areas." in _texts(out, accept=True)


def test_an_edit_after_a_content_control_left_out_still_comes_through(tmp_path):
    # Ann deletes the control and rewords the paragraph after it: only the control is
    # left out; her later edit is tracked in her name
    tail = [w.p(w.r(w.t("Contact"))), w.p(w.r(w.t("Philip Mind")))]
    draft = write_docx(tmp_path / "draft.docx", [
        *_blocks(LINES, "Background follows."), *tail])
    ann = write_docx(tmp_path / "ann.docx", [*_blocks(None, "Background follows below."),
                                             *tail])
    out = tmp_path / "out.docx"

    result = combine(draft, ann, "-o", out, "--as", "ann.docx=Cllr Ann")

    assert result.exit_code == 0, result.output
    assert WARNING.format(file="ann.docx", name="Cllr Ann") in result.stderr
    assert _texts(out, accept=True) == ["Objectives", "Agree joint pilots in two areas.",
                                        LINES, "Background follows below.", "Contact",
                                        "Philip Mind"]
    assert _texts(out, accept=False) == _texts(draft, accept=False)
