"""Reading a document as absorb does: paragraphs in order, split by our source bookmarks."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from briefing.ooxml.package import Package
from briefing.ooxml.read.changes import census
from briefing.ooxml.read.comments import comment_authors
from briefing.ooxml.read.doctext import read_paragraphs
from briefing.ooxml.sourcemap import bookmark_name
from tests.support.cxml import para, write_docx

W = nsdecls("w")
HEADLINE = bookmark_name("key_messages/a/headline")
POINT = bookmark_name("key_messages/a/points/0")


def make(tmp_path: Path, *bodies: str, comments: list[str] = ()) -> Package:
    """Return the package of a document whose body holds `bodies` (WordprocessingML)."""
    document = docx.Document()
    body = document.element.body
    for xml in bodies:
        body.insert(len(body) - 1, parse_xml(xml))  # before the final sectPr
    for author in comments:
        document.add_comment(document.paragraphs[-1].runs, text="note", author=author)
    path = tmp_path / "doc.docx"
    document.save(str(path))
    return Package.open(path)


def p(inner: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p {W}>{ppr}{inner}</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_segments_follow_bookmarks_even_across_paragraphs(tmp_path):
    pkg = make(tmp_path,
               p(f'<w:bookmarkStart w:id="1" w:name="{HEADLINE}"/>{r("Head")}'
                 '<w:bookmarkEnd w:id="1"/>', style="Heading3"),
               p(r("If asked: ") + f'<w:bookmarkStart w:id="2" w:name="{POINT}"/>' + r("one")),
               p(r("two") + '<w:bookmarkEnd w:id="2"/>' + r(" tail")),
               p(r("plain") + '<w:bookmarkStart w:id="3" w:name="_GoBack"/>'))

    paras = read_paragraphs(pkg)

    assert [(q.number, q.heading, [(s.text, s.bookmark) for s in q.segments]) for q in paras] == [
        (1, 3, [("Head", HEADLINE)]),
        (2, None, [("If asked: ", None), ("one", POINT)]),
        (3, None, [("two", POINT), (" tail", None)]),
        (4, None, [("plain", None)]),
    ]
    assert paras[1].bookmarks == (POINT,) and paras[1].text == "If asked: one"


def test_text_reads_as_accepted_and_tables_flatten_row_by_row(tmp_path):
    table = (f"<w:tbl {W}><w:tr><w:tc>{p(r('a1'))}</w:tc><w:tc>{p(r('b1'))}</w:tc></w:tr>"
             f"<w:tr><w:tc>{p(r('a2'))}{p(r('a2 again'))}</w:tc><w:tc>{p(r('b2'))}</w:tc></w:tr>"
             "</w:tbl>")
    pkg = make(tmp_path,
               p(r("kept ") + '<w:ins w:id="5" w:author="A"><w:r><w:t>added</w:t></w:r></w:ins>'
                 '<w:del w:id="6" w:author="B"><w:r><w:delText>gone</w:delText></w:r></w:del>'
                 '<w:r><w:tab/><w:t>x</w:t><w:br/><w:t>y</w:t></w:r>'),
               table)

    paras = read_paragraphs(pkg)

    assert [q.text for q in paras] == ["kept added\tx\ny", "a1", "b1", "a2", "a2 again", "b2"]
    assert [q.in_table for q in paras] == [False] + [True] * 5


def test_text_moved_away_and_a_text_box_are_not_the_paragraphs_words(tmp_path):
    box = ('<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
           f'<w:txbxContent>{p(r("Key facts"))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    pkg = make(tmp_path, p(r("Councils ") + '<w:moveFrom w:id="5" w:author="A"><w:r><w:t>'
                           "locally </w:t></w:r></w:moveFrom>" + r("commission.") + box))

    assert [q.text for q in read_paragraphs(pkg)] == ["Councils commission."]


def test_the_body_is_read_from_a_main_part_with_another_name(tmp_path):
    # Word for the web saves the body as word/document2.xml.
    path = write_docx(tmp_path / "web.docx", [para("Councils know."), para("Their places.")],
                      main="document2.xml")

    assert [q.text for q in read_paragraphs(Package.open(path))] == [
        "Councils know.", "Their places."]


def test_pending_changes_are_counted_by_kind_and_author(tmp_path):
    pkg = make(tmp_path,
               p('<w:ins w:id="5" w:author="Cllr A"><w:r><w:t>added</w:t></w:r></w:ins>'
                 '<w:del w:id="6" w:author="Cllr B"><w:r><w:delText>gone</w:delText></w:r>'
                 "</w:del>"),
               p('<w:pPr><w:rPr><w:ins w:id="7" w:author="Cllr A"/></w:rPr></w:pPr>' + r("new")))

    pending = census(pkg)

    assert pending.total == 3
    assert dict(pending.kinds) == {"ins": 2, "del": 1}
    assert dict(pending.authors) == {"Cllr A": 2, "Cllr B": 1}
    assert census(make(tmp_path, p(r("clean")))).total == 0


def test_comment_authors_are_listed(tmp_path):
    pkg = make(tmp_path, p(r("text")), comments=["Cllr A", "Cllr B", "Cllr A"])

    assert comment_authors(pkg) == ["Cllr A", "Cllr B", "Cllr A"]
