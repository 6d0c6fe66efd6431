"""Every space we write survives Word: a w:t whose text starts or ends with a space, or holds
two in a row, carries xml:space="preserve" (ECMA-376 Part 1, 17.3.3.31), or Word drops them."""

from __future__ import annotations

import zipfile

from lxml import etree

from briefing.document.build import build_file
from tests.conftest import ROOT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"


def test_every_built_text_with_spaces_to_lose_keeps_them(tmp_path):
    out = tmp_path / "briefing.docx"
    build_file(ROOT / "samples" / "work-programme-2010.yaml", out)
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    texts = [t for t in root.iter(f"{{{W}}}t") if t.text]
    at_edges = [t for t in texts if t.text != t.text.strip()]
    assert at_edges, "the sample has no text with a space at an edge: the test proves nothing"
    unprotected = [t.text for t in texts if (t.text != t.text.strip() or "  " in t.text)
                   and t.get(PRESERVE) != "preserve"]
    assert unprotected == []
