"""The one paragraph-text reader: what a paragraph says, under one character policy.

check, review, absorb and redline all read text here, so one paragraph reads
the same everywhere. python-docx's `Paragraph.text` is never used on a reviewed
document: it drops both insertions and deletions (DESIGN.md).

Character policy (ECMA-376 Part 1, 17.3.3 run content):

- `w:t` gives its characters as stored; `w:delText` (17.13.5.14) gives its
  characters only in views that show deleted text (`ORIGINAL`, `ALL`);
- `w:tab` and `w:ptab` (absolute position tab) are "\\t";
- `w:br` (any type: text wrapping, page, column) and `w:cr` are "\\n";
- `w:noBreakHyphen` is "-" (a hyphen a reader sees and types; absorb writes
  what the officer would type back into the YAML);
- `w:softHyphen` is nothing: an optional break point, not a character a
  reader sees;
- `w:sym` is the character its `w:char` names, except a symbol-font glyph in
  the private-use area (U+E000 to U+F8FF), which names no character and is
  left out;
- fields: a complex field's result runs (between `separate` and `end`) and a
  `w:fldSimple`'s runs are text; field codes (`w:instrText`,
  `w:delInstrText`) and `w:fldData` are not;
- text boxes (`w:txbxContent`) are paragraphs of their own, never part of
  the paragraph that anchors them; `mc:Fallback` repeats `mc:Choice` and is
  not read; property elements (`w:pPr`, `w:rPr`, `w:sdtPr`, ...) hold tab
  stops and the like, never text;
- hidden text (`w:vanish`) is text: it is in the document and may be edited.

Views of tracked changes (17.13.5):

- `CURRENT`: the paragraph as it reads once every change is accepted:
  `w:ins` and `w:moveTo` content in, `w:del`, `w:moveFrom` and `w:delText` out;
- `ORIGINAL`: as it read before the changes (every change rejected):
  `w:del` and `w:moveFrom` content in, `w:ins` and `w:moveTo` content out;
- `ALL`: inserted and deleted text alike, what a revision record shows.
"""

from __future__ import annotations

from typing import Literal

from lxml import etree

from briefing.ooxml.ns import MC, qn

View = Literal["current", "original", "all"]
CURRENT: View = "current"
ORIGINAL: View = "original"
ALL: View = "all"

T, DEL_TEXT, P, R = qn("w:t"), qn("w:delText"), qn("w:p"), qn("w:r")
TBL, TR, TC = qn("w:tbl"), qn("w:tr"), qn("w:tc")
TAB, PTAB, BR, CR = qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
NB_HYPHEN, SOFT_HYPHEN, SYM = qn("w:noBreakHyphen"), qn("w:softHyphen"), qn("w:sym")
INS, DEL, MOVE_FROM, MOVE_TO = (qn(t) for t in ("w:ins", "w:del", "w:moveFrom", "w:moveTo"))
FALLBACK = f"{{{MC}}}Fallback"

#: Every element that stands for characters of a paragraph.
TEXT_TAGS = (T, DEL_TEXT, TAB, PTAB, BR, CR, NB_HYPHEN, SOFT_HYPHEN, SYM)
_FIXED = {TAB: "\t", PTAB: "\t", BR: "\n", CR: "\n", NB_HYPHEN: "-", SOFT_HYPHEN: ""}
#: Elements whose content is never the text of the paragraph they sit in.
NOT_TEXT = frozenset({FALLBACK, P} | {qn(f"w:{t}") for t in (
    "txbxContent", "pPr", "rPr", "sdtPr", "sdtEndPr", "tblPr", "trPr", "tcPr", "sectPr",
    "instrText", "delInstrText", "fldData",
)})
#: Revision wrappers whose content a view leaves out.
HIDDEN_IN: dict[View, frozenset[str]] = {
    CURRENT: frozenset({DEL, MOVE_FROM}),
    ORIGINAL: frozenset({INS, MOVE_TO}),
    ALL: frozenset(),
}
#: Everything a walker does not descend into when reading text in a view.
SKIPPED_IN: dict[View, frozenset[str]] = {v: NOT_TEXT | hidden for v, hidden in HIDDEN_IN.items()}
# The same without w:p: what hides text inside a cell or revision that holds paragraphs.
_SKIPPED_IN_BLOCK = {v: tags - {P} for v, tags in SKIPPED_IN.items()}
_PRIVATE_USE = range(0xE000, 0xF900)
_SURROGATES = range(0xD800, 0xE000)  # halves of a UTF-16 pair: no character on their own


def chars(node: etree._Element, view: View = CURRENT) -> str:
    """Return the characters text node `node` stands for in `view` ('' for any other element)."""
    tag = node.tag
    if tag == T:
        return node.text or ""
    if tag == DEL_TEXT:
        return node.text or "" if view != CURRENT else ""
    if tag == SYM:
        return _symbol(node.get(qn("w:char"), ""))
    return _FIXED.get(tag, "") if isinstance(tag, str) else ""


def _symbol(code: str) -> str:
    """Return the character of a w:sym's hex code; '' for private-use, surrogate or malformed
    codes (a lone surrogate cannot be written out as UTF-8: printing it would fail)."""
    try:
        point = int(code, 16)
    except ValueError:
        return ""
    if point in _PRIVATE_USE or point in _SURROGATES or not 0 < point < 0x110000:
        return ""
    return chr(point)


def text(el: etree._Element, view: View = CURRENT) -> str:
    """Return the text under `el` (a paragraph, run, revision or cell) in `view`.

    Paragraphs inside `el` (a table cell's) follow one another with nothing
    between them; use `paragraph_texts` for one string per paragraph.
    """
    out: list[str] = []
    for node in el.iter(*TEXT_TAGS):
        if not hidden(node, el, view):
            out.append(node.text or "" if node.tag == T else chars(node, view))
    return "".join(out)


def block_text(el: etree._Element, view: View = CURRENT) -> str:
    """Return the text of a paragraph, or of a table or row with its cells' texts between
    " | " (as review and combine show a table in a message)."""
    if el.tag in (TBL, TR):
        rows = [el] if el.tag == TR else el.findall(TR)
        return " | ".join(text(tc, view) for tr in rows for tc in tr.findall(TC))
    return text(el, view)


def paragraph_text(p: etree._Element, view: View = CURRENT) -> str:
    """Return the text of paragraph `p` in `view` (by default: with every change accepted)."""
    return text(p, view)


def in_run(node: etree._Element) -> bool:
    """Return True when text node `node` is run content (a w:tab can also be a tab stop)."""
    parent = node.getparent()
    return parent is not None and parent.tag == R


def hidden(node: etree._Element, top: etree._Element, view: View = CURRENT) -> bool:
    """Return True when `node` is not run content or an ancestor below `top` hides it in `view`."""
    parent = node.getparent()
    if parent is None or parent.tag != R:
        return True
    hiding = SKIPPED_IN[view] if top.tag == P else _SKIPPED_IN_BLOCK[view]
    while parent is not None and parent is not top:
        if parent.tag in hiding:
            return True
        parent = parent.getparent()
    return False


def story_text(root: etree._Element, view: View = CURRENT) -> str:
    """Return the text of every paragraph of a story part (text boxes too, once), one per line."""
    copies = fallback_copies(root)
    return "\n".join(paragraph_text(p, view) for p in root.iter(P) if p not in copies)


def fallback_copies(root: etree._Element) -> set[etree._Element]:
    """Return the elements inside `root`'s mc:Fallback blocks: copies of the mc:Choice
    content for older readers (Word writes every text box twice), never read again."""
    return {el for fallback in root.iter(FALLBACK) for el in fallback.iter()
            if el is not fallback}


def alternate_content(el: etree._Element) -> etree._Element | None:
    """Return the nearest mc:AlternateContent holding `el` (a text box written twice), or None."""
    return next(el.iterancestors(_ALTERNATE), None)


_ALTERNATE = f"{{{MC}}}AlternateContent"


_BLOCKS = frozenset(qn(f"w:{t}") for t in (
    "tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "del", "moveFrom", "moveTo",
))


def paragraph_texts(root: etree._Element, view: View = ALL) -> list[str]:
    """Return the body's paragraphs as text, in order, each table's cells row by row.

    The default view reads `w:t` and `w:delText` alike: call it on a document
    whose changes are resolved. Text boxes are not body text.
    """
    body = root.find(qn("w:body")) if root.tag != qn("w:body") else root
    out: list[str] = []
    _block_texts(body if body is not None else root, view, out)
    return out


def _block_texts(container: etree._Element, view: View, out: list[str]) -> None:
    """Append the texts of the paragraphs of a block container (tables row by row)."""
    for child in container:
        if child.tag == P:
            out.append(paragraph_text(child, view))
        elif child.tag in _BLOCKS:
            _block_texts(child, view, out)
