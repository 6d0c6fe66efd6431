"""A symbol inserted from a font (`w:sym`, ECMA-376 17.3.3.30) reads as its character.

Word's Insert > Symbol writes `w:sym w:font=... w:char=HEX`. A code in the
Unicode private use area (U+E000 to U+F8FF: Symbol and Wingdings glyphs, a
tick or a box) names a glyph of that font, not a character, so it is left out
of the text the checks and the review read; so is a code that names no
character at all (a surrogate, beyond U+10FFFF, malformed). Any other code is
its character.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.ooxml.read.text import paragraph_text
from tests.support.cxml import w, write_docx


def _with_symbol(code: str):
    return w.p(w.r(w.t("Funding ")), w.r(w.sym(font="Cambria", char=code)), w.r(w.t(" agreed")))


@pytest.mark.parametrize("code, reads", [
    ("2013", "\u2013"),        # en dash
    ("00E9", "\u00e9"),
    ("F900", "\uf900"),        # the first character after the private use area
], ids=["en dash", "e acute", "first after private use"])
def test_a_symbol_reads_as_its_character(code, reads):
    assert paragraph_text(_with_symbol(code)) == f"Funding {reads} agreed"


@pytest.mark.parametrize("code", ["E000", "F0FC", "F8FF"])
def test_a_private_use_symbol_is_a_font_glyph_and_not_text(code):
    assert paragraph_text(_with_symbol(code)) == "Funding  agreed"


@pytest.mark.parametrize("code", ["D800", "DFFF", "110000", "0", "tick"])
def test_a_symbol_naming_no_character_is_left_out(code):
    assert paragraph_text(_with_symbol(code)) == "Funding  agreed"


def test_review_lists_an_inserted_symbol_naming_no_character(tmp_path):
    # A surrogate code (half of a UTF-16 pair) is no character: printed, it used to stop
    # `briefing review` with "UnicodeEncodeError: surrogates not allowed".
    path = write_docx(tmp_path / "reviewed.docx", [w.p(
        w.r(w.t("Funding ")), w.ins(w.r(w.t("now ")), w.r(w.sym(font="Cambria", char="D800")),
                                    author="Cllr A"), w.r(w.t("agreed.")))])
    result = CliRunner().invoke(app, ["review", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (revision,) = json.loads(result.stdout)["revisions"]
    assert (revision["author"], revision["text"]) == ("Cllr A", "now ")
