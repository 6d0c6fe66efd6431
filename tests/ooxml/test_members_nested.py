"""A member's copy where one person's tracked change sits inside another's, through combine.

Word nests revisions when a second person deletes part of what a first one
inserted (`w:del` inside `w:ins`, ECMA-376 17.13.5). Such a paragraph is not
merged word by word with another member's edit of it: the nesting would be
lost, and with it the second person's deletion.
"""

from __future__ import annotations

from lxml import etree

from briefing.ooxml.ns import qn
from tests.ooxml.test_members_tracked import (
    OBJECTIVE,
    WHEN,
    _combine,
    _copy,
    _el,
    _run,
    _texts,
    _untracked_edit,
    draft,  # noqa: F401  (the module's built draft, a fixture)
)


def _nested_edit(p: etree._Element) -> None:
    """Cllr Ann inserted "really strongly " before "test"; her officer, tracking too, then
    deleted "really " from Ann's insertion."""
    run = p.find(qn("w:r"))
    head, tail = OBJECTIVE.split("test joint")
    ann = {"author": "Cllr Ann", "date": WHEN}
    officer = {"author": "Ann's officer", "date": WHEN}
    new = [_run(head),
           _el("w:ins", _el("w:del", _run("really ", True), id="911", **officer),
               _run("strongly "), id="910", **ann),
           _run("test joint" + tail)]
    at = p.index(run)
    p.remove(run)
    for k, el in enumerate(new):
        p.insert(at + k, el)


def test_a_deletion_inside_a_members_insertion_survives_another_members_edit(draft,  # noqa: F811
                                                                             tmp_path):
    ann = _copy(draft, tmp_path / "ann.docx", "Cllr Ann", _nested_edit)
    bob = _copy(draft, tmp_path / "bob.docx", "Cllr Bob", _untracked_edit)
    stderr, out = _combine(tmp_path, draft, ann, bob)

    accepted = [t for t in _texts(out, accept=True) if t.startswith(OBJECTIVE[:40])]
    assert accepted and all("really" not in t for t in accepted), accepted
    assert any("strongly test joint" in t for t in accepted), accepted
    assert _texts(out, accept=False) == _texts(draft, accept=False)
    # the nesting cannot be merged word by word: one version kept, and the officer told
    assert "Cllr Ann's version kept, Cllr Bob's left out" in stderr
