"""Board minutes into proposed member comments: one per point members made.

Minutes published on a council's committee website carry the members' points
as bullets after a lead-in such as "In the discussion which followed members
made the following points:", up to a "Decision" or "Actions" section. Each
bullet (or, when nothing marks bullets, each paragraph) is one comment. The
board, meeting date and agenda item are taken from the minutes' heading where
it gives them ("Meeting of People and Places Board, Thursday 16th June, 2016
(Item 4.)", "Agenda item" over the item's title); the officer's own values win.

Minutes arrive as pasted text, a .txt file, a .docx (read through the same
hostile-package guards as every document) or an .html page saved from the
website (read with the standard library's HTML tokenizer: nothing in it is
fetched or run). `read_minutes` gives the proposals; `import_minutes` appends
them to a briefing through the in-place editor, with slug ids unique in the
file and `relates_to: []` for the officer to fill in (relations are never
guessed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.results import Result, plural
from briefing.source.load import MAX_BYTES, decode, load_text, read_bytes

BULLET = re.compile(r"^\s*(?:[·•▪◦●○■□‣⁃∙\-–—*]|o(?=\s)|\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s*")
LEAD_IN = re.compile(
    r"(?:the\s+following\s+(?:points|comments|issues)|following\s+points\s+were\s+(?:made|raised)"
    r"|members\s+(?:made|raised|highlighted)\s+(?:the\s+following|these)\s+points?)[^:]*:?\s*$",
    re.IGNORECASE)
END = re.compile(r"^\s*(?:decisions?|actions?|resolved|resolution|agreed|recommendations?"
                 r"|supporting\s+documents)\s*(?::.*)?$", re.IGNORECASE)
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_DAY_MONTH_YEAR = re.compile(
    r"\b([0-3]?[0-9])(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r"|"
    + "|".join(m[:3] for m in MONTHS) + r")\.?,?\s+([12][0-9]{3})\b", re.IGNORECASE)
_ISO = re.compile(r"\b([12][0-9]{3})-([01][0-9])-([0-3][0-9])\b")
_SLASHED = re.compile(r"\b([0-3]?[0-9])/([01]?[0-9])/([12][0-9]{3})\b")
_BOARD = re.compile(r"\b((?:[A-Z][\w'&,-]*\s+(?:and\s+|of\s+|for\s+|&\s+)?)*?"
                    r"(?:Board|Committee|Panel|Cabinet|Forum|Council|Assembly))\b")
_ITEM = re.compile(r"\(?\bitem\s+([0-9]+[a-z]?)\b\.?\)?", re.IGNORECASE)
HEADING_WIDTH = 160  # a longer line is body text, never the minutes' heading


@dataclass(frozen=True)
class Proposal:
    """One member comment proposed from the minutes."""

    text: str
    board: str | None
    meeting_date: dt.date | None
    item: str | None


@dataclass
class Minutes:
    """What the minutes give: the heading's board, date and item, and the members' points."""

    points: list[str]
    board: str | None = None
    meeting_date: dt.date | None = None
    item: str | None = None
    heading: list[str] = field(default_factory=list)

    def proposals(self, board: str | None = None, meeting_date: dt.date | None = None,
                  item: str | None = None) -> list[Proposal]:
        """Return one proposal per point; the officer's values win over the heading's."""
        return [Proposal(p, board or self.board, meeting_date or self.meeting_date,
                         item or self.item) for p in self.points]


# --------------------------------------------------------------------------- reading


def read_minutes(path: str | Path) -> Minutes:
    """Return the points and heading of the minutes in `path` (.txt, .docx, .html or .htm)."""
    path = Path(path)
    if path.suffix.lower() in (".docx", ".docm"):
        return parse_minutes(_docx_lines(path), str(path), paragraphs=True)
    return minutes_from_bytes(read_bytes(path, "a file of minutes"), str(path))


def minutes_from_bytes(data: bytes, name: str) -> Minutes:
    """Return the points and heading of minutes uploaded as bytes; `name` is the file's name.

    A .docx goes through the same package guards as any document; anything else is
    read as text, or as an HTML page when it is one.
    """
    if len(data) > MAX_BYTES:
        raise BriefingError(f"{name}: is over {MAX_BYTES // 1024 // 1024} MB; minutes are "
                            "never that large (is this the right file?)")
    if data.startswith(b"PK\x03\x04") or name.lower().endswith((".docx", ".docm")):
        return parse_minutes(_docx_lines(data, name), name, paragraphs=True)
    text = _decode(data)
    if name.lower().endswith((".html", ".htm")) or re.match(r"\s*<(?:!doctype|html)", text, re.I):
        return parse_minutes(html_lines(text), name, paragraphs=True)
    return parse_minutes(text.splitlines(), name)


def minutes_from_text(text: str, name: str = "the pasted minutes") -> Minutes:
    """Return the points and heading of minutes pasted as text (or as an HTML page)."""
    if re.match(r"\s*<(?:!doctype|html)", text, re.I):
        return parse_minutes(html_lines(text), name, paragraphs=True)
    return parse_minutes(text.splitlines(), name)


def _decode(raw: bytes) -> str:
    """Return `raw` as text: UTF-8 (with or without a BOM), else Windows-1252 as Word saves."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _docx_lines(source: Path | bytes, name: str = "") -> list[str]:
    """Return a .docx's paragraphs as lines, list paragraphs marked as bullets."""
    from briefing.ooxml.package import Package
    from briefing.ooxml.read.inspect import inspect_package

    pkg = Package.open(source) if isinstance(source, Path) else Package.from_bytes(source, name)
    view = inspect_package(pkg)
    return [("• " if p.numbered and p.text.strip() else "") + p.text for p in view.paragraphs]


class _HtmlText(HTMLParser):
    """Collect an HTML page's text as lines: one per block, list items marked as bullets."""

    BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "dt",
              "dd", "blockquote", "section", "article", "header", "caption", "table", "ul",
              "ol", "td", "th"}
    SKIP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "br" or tag in self.BLOCKS:
            self._end_line()
            if tag == "li":
                self.current.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def _end_line(self) -> None:
        line = " ".join("".join(self.current).split())
        if line == "•":  # <li><p>...: the bullet waits for its text
            return
        if line:
            self.lines.append(line)
        self.current = []


def html_lines(text: str) -> list[str]:
    """Return the text lines of an HTML page (scripts, styles and markup dropped)."""
    reader = _HtmlText()
    reader.feed(text)
    reader.close()
    reader._end_line()
    return reader.lines


# --------------------------------------------------------------------------- parsing


def parse_minutes(lines: list[str], name: str, *, paragraphs: bool = False) -> Minutes:
    """Return the members' points after the lead-in, and the heading's board, date and item.

    `paragraphs`: each line is a whole paragraph (from a .docx or a web page), not a
    line of text that may have been wrapped.
    """
    lines = [line.replace("\u00a0", " ").rstrip() for line in lines]
    leads = [i for i, line in enumerate(lines) if LEAD_IN.search(line.strip())]
    # "The report set out the following points:" may come first; the members' lead-in wins
    start = next((i for i in leads if "member" in lines[i].lower()), leads[0] if leads else None)
    if start is None:
        raise BriefingError(f"{name}: no lead-in such as 'members made the following points:' "
                            "was found, so there are no points to import")
    end = next((i for i in range(start + 1, len(lines)) if END.match(lines[i])), len(lines))
    points = _points(lines[start + 1:end], paragraphs)
    if not points:
        raise BriefingError(f"{name}: no points follow the lead-in '{lines[start].strip()}'")
    heading = _heading(lines[:start])
    return Minutes(points, board=_board(heading), meeting_date=_date(heading),
                   item=_item(heading), heading=heading)


def _points(section: list[str], paragraphs: bool) -> list[str]:
    """Return one point per bullet (continuation lines joined), or per paragraph if unmarked.

    A line that is not a bullet joins the point above it unless a blank line parts
    them; then it is a point of its own, so no member's words are left behind.
    """
    marked = any(BULLET.match(line) and BULLET.sub("", line, 1).strip() for line in section)
    points: list[list[str]] = []
    joinable = False
    for line in section:
        if not line.strip():
            joinable = False
            continue
        if marked and BULLET.match(line):
            points.append([BULLET.sub("", line, 1).strip()])
        elif joinable:
            points[-1].append(line.strip())
        else:
            points.append([line.strip()])
        joinable = not paragraphs
    return [" ".join(" ".join(p).split()) for p in points if " ".join(p).strip()]


def _heading(before: list[str]) -> list[str]:
    """Return the lines above the minutes' body: up to its first long paragraph."""
    heading = []
    for line in before:
        if len(line) > HEADING_WIDTH:
            break
        if line.strip():
            heading.append(line.strip())
    return heading


def _board(heading: list[str]) -> str | None:
    for line in heading:
        m = re.search(r"\b(?:meeting|minutes)\s+of\s+(?:the\s+)?(.+?)(?:,|\s+held\b|\s+on\b|$)",
                      line, re.IGNORECASE)
        if m and _BOARD.search(m.group(1)):
            return m.group(1).strip()
    for line in heading:
        m = _BOARD.search(line)
        if m and not line.lower().startswith(("agenda", "item")):
            return m.group(1).strip()
    return None


def _date(heading: list[str]) -> dt.date | None:
    for line in heading:
        for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_ISO, "ymd"), (_SLASHED, "dmy")):
            m = pattern.search(line)
            if m:
                found = _as_date(m.groups(), order)
                if found is not None:
                    return found
    return None


def _as_date(groups: tuple[str, ...], order: str) -> dt.date | None:
    parts = dict(zip(order, groups))
    month = parts["m"]
    number = int(month) if month.isdigit() else \
        next(i for i, m in enumerate(MONTHS, 1) if m.startswith(month.lower()[:3]))
    try:
        return dt.date(int(parts["y"]), number, int(parts["d"]))
    except ValueError:
        return None


def _item(before: list[str]) -> str | None:
    """Return the agenda item: the title under an 'Agenda item' label, or 'Item 4' text."""
    lines = [line.strip() for line in before if line.strip()]
    for label, title in zip(lines, lines[1:]):
        if re.fullmatch(r"(?:agenda\s+)?item\s*:?", label, re.IGNORECASE) and \
                _date([title]) is None and not re.match(r"(?:agenda\s+)?item\b", title, re.I):
            return title
    for line in lines:
        m = _ITEM.search(line) if len(line) <= HEADING_WIDTH else None
        if m:
            return m.group(1)
    return None


# --------------------------------------------------------------------------- importing


def comment_entries(proposals: list[Proposal], taken: set[str]) -> list[dict[str, Any]]:
    """Return member_comments entries for `proposals`, with slug ids not in `taken`."""
    entries = []
    for p in proposals:
        entry: dict[str, Any] = {"id": unique_slug(p.text, taken), "text": p.text,
                                 "board": p.board, "meeting_date": p.meeting_date}
        if p.item:
            entry["item"] = p.item
        entry["relates_to"] = []
        entries.append(entry)
    return entries


_STOP = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "was", "were",
         "had", "has", "have", "be", "been", "is", "it", "that", "this", "there", "their",
         "as", "at", "by", "some", "members", "member"}


def unique_slug(text: str, taken: set[str], words: int = 4) -> str:
    """Return a short slug of `text`'s first meaningful words, not in `taken` (added to it)."""
    all_words = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("’", ""))
    chosen = [w for w in all_words if w not in _STOP][:words] or all_words[:words] or ["comment"]
    base = "-".join(chosen)[:50].strip("-")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def import_minutes(source: str | Path, into: str | Path, *, board: str | None = None,
                   meeting_date: dt.date | None = None, item: str | None = None,
                   ) -> Result[str]:
    """Append the minutes' points to the briefing `into` as member comments; return a summary.

    Refuses (nothing written) when the minutes give no points, when neither they nor
    the officer name the board or the meeting date, or when the result would not validate.
    """
    from briefing.paths import atomic_write_text
    from briefing.source.changes import EditError, Insert, apply_changes

    minutes = read_minutes(source)
    proposals = minutes.proposals(board, meeting_date, item)
    missing = [what for what, value in (("board", proposals[0].board),
                                        ("meeting date", proposals[0].meeting_date))
               if value is None]
    if missing:
        options = " and ".join(f"--{w.split()[-1]}" for w in missing)
        raise BriefingError(f"{source}: the minutes do not give the {' or '.join(missing)}; "
                            f"give {options}")
    into = Path(into)
    text = decode(read_bytes(into), str(into))
    taken = _existing_ids(text, str(into))
    entries = comment_entries(proposals, taken)
    try:
        new = apply_changes(text, [Insert(("member_comments",), e) for e in entries])
    except EditError as exc:
        raise BriefingError(f"{into}: {exc}; nothing was changed") from None
    try:
        result = load_text(new, str(into))
    except BriefingError as exc:
        raise BriefingError(f"{into}: with the imported comments the briefing would not be "
                            f"valid, so nothing was changed (line numbers are those of the "
                            f"edited file):\n{exc}") from None
    atomic_write_text(into, new)
    ids = ", ".join(e["id"] for e in entries)
    return Result(f"{into}: added {plural(len(entries), 'member comment')} "
                  f"from {Path(source).name} ({ids}); "
                  "add the key messages each relates to", result.messages)


def _existing_ids(text: str, name: str) -> set[str]:
    from briefing.source.read import read_yaml

    data = read_yaml(text, name)[0]
    comments = data.get("member_comments") if isinstance(data, dict) else None
    return {c["id"] for c in comments or [] if isinstance(c, dict) and isinstance(c.get("id"), str)}
