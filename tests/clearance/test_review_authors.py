"""The review headline counts every author: those who changed text and those who only commented."""

from __future__ import annotations

from typer.testing import CliRunner

from briefing.cli import app
from tests.support.cxml import para, run, w, write_docx

runner = CliRunner()


def test_a_member_who_only_commented_is_counted_among_the_authors(tmp_path):
    body = [para("Members ", w.commentRangeStart(id="0"), w.ins(run("warmly "), author="Cllr Ann"),
                 w.commentRangeEnd(id="0"), w.r(w.commentReference(id="0")), "agreed.")]
    comments = w.comments(w.comment(para("Is warmly right?"), id="0", author="Cllr Bob",
                                    date="2026-03-02T10:00:00Z"))
    path = write_docx(tmp_path / "memo.docx", body, parts={"word/comments.xml": comments})
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"{path}: 1 tracked change and 1 comment by 2 authors")
