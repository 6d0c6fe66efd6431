"""Formatting a redline sees: a change of size is tracked, two spellings of "off" are not.

ECMA-376 lets an on/off property say "off" as `0`, `false` or `off`
(17.17.4, ST_OnOff); Word writes `0`, other editors `false`. The same
formatting spelt differently is no change; a different value (a size, 17.3.2.38)
is a formatting change the officer can reject.
"""

from __future__ import annotations

import pytest

from briefing.clearance.review import read_review
from briefing.ooxml.package import Package
from briefing.ooxml.track.resolve import resolve_part
from tests.conftest import validate_ooxml
from tests.support.cxml import W, redline_paragraphs, w


def _paragraph(size: str, italic_off: str):
    return w.p(w.r(w.t("Councils ")),
               w.r(w.rPr(w.i(val=italic_off), w.sz(val=size)), w.t("know")),
               w.r(w.t(" their markets.")))


def test_a_word_made_larger_is_a_formatting_change_that_rejects_to_the_old_size(tmp_path):
    infos, out = redline_paragraphs(tmp_path, _paragraph("24", "0"), _paragraph("32", "0"))
    assert infos[0].startswith("0 insertions, 0 deletions, 1 formatting change by Officer")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [("format", "know")]
    valid, report = validate_ooxml(out)
    assert valid, report
    pkg = Package.open(out)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=False)
    assert [el.get(f"{{{W}}}val") for el in root.iter(f"{{{W}}}sz")] == ["24"]


def test_off_spelt_false_or_0_is_the_same_formatting(tmp_path):
    infos, out = redline_paragraphs(tmp_path, _paragraph("24", "false"), _paragraph("24", "0"))
    assert infos[0].startswith("no differences found")
    assert read_review(out).revisions == []


def test_a_run_with_a_tab_made_bold_is_one_formatting_change_listed_whole(tmp_path):
    """One run "Total:<tab>£5m" made bold is one change to accept or reject, not three."""
    old = w.p(w.r(w.t("Total:"), w.tab(), w.t("£5m")))
    new = w.p(w.r(w.rPr(w.b()), w.t("Total:"), w.tab(), w.t("£5m")))
    infos, out = redline_paragraphs(tmp_path, old, new)
    assert infos[0].startswith("0 insertions, 0 deletions, 1 formatting change by Officer")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [("format", "Total:\t£5m")]
    valid, report = validate_ooxml(out)
    assert valid, report
    pkg = Package.open(out)
    root = pkg.xml(pkg.main_part)
    resolve_part(root, accept=False)
    assert list(root.iter(f"{{{W}}}b")) == []


SPLIT_RUNS = {  # runs as one draft or the other split them; the words and formats are the same
    "old in one run, new split": (
        [w.r(w.t("Councils must act")), w.r(w.rPr(w.b()), w.t(" now"))],
        [w.r(w.t("Councils ")), w.r(w.t("must act")), w.r(w.rPr(w.b()), w.t(" now"))]),
    "old split, new in one run": (
        [w.r(w.t("Councils ")), w.r(w.t("must act")), w.r(w.rPr(w.b()), w.t(" now"))],
        [w.r(w.t("Councils must act")), w.r(w.rPr(w.b()), w.t(" now"))]),
}


@pytest.mark.parametrize("name", sorted(SPLIT_RUNS))
def test_how_runs_are_split_is_no_change_beside_an_added_word(tmp_path, name):
    old_runs, new_runs = SPLIT_RUNS[name]
    infos, out = redline_paragraphs(tmp_path, w.p(*old_runs, w.r(w.t("."))),
                                    w.p(*new_runs, w.r(w.t(" together."))))
    assert infos[0].startswith("1 insertion, 0 deletions, 0 formatting changes by Officer")
    assert [(r.kind, r.text) for r in read_review(out).revisions] == [("insert", " together")]
    valid, report = validate_ooxml(out)
    assert valid, report
    for accept, text in ((True, "Councils must act now together."),
                         (False, "Councils must act now.")):
        pkg = Package.open(out)
        root = pkg.xml(pkg.main_part)
        resolve_part(root, accept=accept)
        assert "".join(t.text for t in root.iter(f"{{{W}}}t")) == text
        assert ["".join(r.itertext()) for r in root.iter(f"{{{W}}}r")
                if r.find(f"{{{W}}}rPr/{{{W}}}b") is not None] == [" now"]
