"""Accessibility and house-style rules (A01 to A12) over a document's view."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from briefing.check import plain_english as pe
from briefing.check.findings import (
    _TYPED_LIST,
    MARKINGS,
    MIN_HALF_POINTS,
    WARNING,
    Finding,
    _at,
    _quote,
    briefing_info,
)
from briefing.ooxml.read.inspect import DocView, Paragraph

# --- accessibility ----------------------------------------------------------------


def _headings(view: DocView) -> list[Paragraph]:
    return [p for p in view.paragraphs if p.heading_level is not None]


def check_title(view: DocView) -> Iterator[Finding]:
    """A01: the title property is set and equals the Heading 1 text."""
    h1 = next((p for p in _headings(view) if p.heading_level == 1 and p.text.strip()), None)
    if not view.title:
        yield _at("A01-title", "the document has no title property; set it to the Heading 1 "
                               "text (File > Info > Properties > Title)", h1)
        return
    heading = " ".join(h1.text.split()) if h1 else ""
    if h1 and view.title != heading:
        yield _at("A01-title", f"the title property {_quote(view.title)} differs from the "
                               f"Heading 1 {_quote(heading)}", h1)


def check_language(view: DocView) -> Iterator[Finding]:
    """A02: the document language is set."""
    if not view.language:
        yield _at("A02-language", "no document language is set; set English (United Kingdom) "
                                  "on the Normal style")


def check_headings(view: DocView) -> Iterator[Finding]:
    """A03: there are headings, the first is Heading 1 and no level is skipped."""
    headings = [p for p in _headings(view) if p.text.strip()]
    if not headings:
        if any(p.text.strip() for p in view.paragraphs):
            yield _at("A03-headings", "the document has no headings; use Heading 1 for the "
                                      "title and Heading 2 for each section")
        return
    previous = 0
    for p in headings:
        level = p.heading_level or 1
        if level > previous + 1:
            expected = "Heading 1" if previous == 0 else f"Heading {previous + 1} or higher"
            yield _at("A03-headings", f"Heading {level} {_quote(p.text)} skips a level; "
                                      f"expected {expected}", p)
        previous = level


def check_fake_headings(view: DocView) -> Iterator[Finding]:
    """A04: no short all-bold body paragraph standing in for a heading.

    A sentence, a question or a lead-in ending in a colon ("What members
    said:") introduces what follows; it is not a heading.
    """
    for p in view.paragraphs:
        text = p.text.strip()
        if (p.heading_level is None and not p.in_table and p.all_bold and text
                and len(pe.words(text)) <= 12 and not text.endswith((".", "?", "!", ":"))
                and p.style_name.lower() not in ("title", "subtitle")
                and text not in MARKINGS):
            yield _at("A04-fake-heading", f"{_quote(text)} is bold body text that looks like a "
                                          "heading; use a Heading style", p)


def check_typed_numbering(view: DocView) -> Iterator[Finding]:
    """A05: no typed numbers, letters or bullets at the start of a paragraph."""
    for p in view.paragraphs:
        m = _TYPED_LIST.match(p.text)
        if m:
            yield _at("A05-typed-numbering", f"starts with a typed {_quote(m.group().strip())}; "
                                             "use Word numbering or bullets", p)


def check_tables(view: DocView) -> Iterator[Finding]:
    """A06 and A07: tables have a header row and no merged cells."""
    for n, table in enumerate(view.tables, 1):
        if not table.header_row:
            yield _at("A06-table-header", f"table {n} has no header row; mark its first row "
                                          "'Repeat as header row at the top of each page'",
                      number=table.paragraph, item=table.item)
        if table.merged_cells:
            yield _at("A07-merged-cells", f"table {n} has merged cells; screen readers "
                                          "cannot follow them",
                      number=table.paragraph, item=table.item)


def check_images(view: DocView) -> Iterator[Finding]:
    """A08: every image has alternative text or is marked decorative."""
    for image in view.images:
        if not image.alt_text and not image.decorative:
            where = next((p for p in view.paragraphs if p.number == image.paragraph), None)
            name = f" {_quote(image.name)}" if image.name else ""
            yield _at("A08-alt-text", f"image{name} has no alternative text", where)


def check_justified(view: DocView) -> Iterator[Finding]:
    """A09: no justified text (grouped by style)."""
    yield from _grouped("A09-justified", [p for p in view.paragraphs if p.justified and
                                          p.text.strip()],
                        lambda p: p.style_name,
                        lambda key, ps: f"justified text in style '{key}' "
                                        f"({_paras(ps)}); align it left")


def check_text_size(view: DocView) -> Iterator[Finding]:
    """A10: body text is at least 12 pt (grouped by style and size)."""
    small = [p for p in view.paragraphs if p.heading_level is None and p.min_half_points
             is not None and p.min_half_points < MIN_HALF_POINTS]
    yield from _grouped("A10-text-size", small, lambda p: (p.style_name, p.min_half_points),
                        lambda key, ps: f"text in style '{key[0]}' is {_points(key[1])} pt "
                                        f"({_paras(ps)}); use at least 12 pt")


def _points(half_points: int) -> str:
    return f"{half_points / 2:g}"


def _grouped(rule: str, paras: list[Paragraph], key: Callable, message: Callable):
    groups: dict = {}
    for p in paras:
        groups.setdefault(key(p), []).append(p)
    for k, ps in groups.items():
        yield _at(rule, message(k, ps), ps[0])


def _paras(ps: list[Paragraph]) -> str:
    numbers = [str(p.number) for p in ps]
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    shown = ", ".join(numbers[:5])
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    return f"paragraphs {shown}{more}"


def check_classification(view: DocView) -> Iterator[Finding]:
    """A11: the classification marking is in every header and footer."""
    expected = expected_marking(view)
    if expected == "NONE":
        return
    severity_rule = "A11-classification"
    for kind, parts in (("header", view.headers), ("footer", view.footers)):
        if not parts:
            yield _marking_missing(severity_rule, f"the document has no {kind}; add one "
                                                  f"with the classification marking", expected)
        for part, text in parts:
            if not _has_marking(text, expected):
                want = expected or "a classification marking (e.g. OFFICIAL)"
                yield _marking_missing(severity_rule, f"{kind} {part.rsplit('/', 1)[-1]} lacks "
                                                      f"{want} in capitals", expected)


def _marking_missing(rule: str, message: str, expected: str | None) -> Finding:
    """Return the finding: an error for our briefings, a warning for documents of unknown origin."""
    if expected:
        return _at(rule, message)
    return Finding(rule, WARNING, message)


def expected_marking(view: DocView) -> str | None:
    """Return the marking a document must carry: its data's, else one found in it, else None."""
    marking = briefing_info(view).get("classification")
    if isinstance(marking, str) and marking:
        return marking
    texts = [t for _, t in view.headers + view.footers]
    texts += [p.text for p in view.paragraphs[:3]]
    for candidate in MARKINGS:
        if any(_has_marking(t, candidate) for t in texts):
            return candidate
    return None


def _has_marking(text: str, marking: str | None) -> bool:
    if marking is None:
        return any(_has_marking(text, m) for m in MARKINGS)
    return re.search(rf"(?<![\w-]){re.escape(marking)}(?![\w-])", text) is not None


def check_empty_paragraphs(view: DocView) -> Iterator[Finding]:
    """A12: no empty paragraphs used for spacing (each run of them reported once)."""
    run: list[Paragraph] = []
    for p in view.paragraphs + [None]:
        if p is not None and _spacer(p):
            run.append(p)
            continue
        if run:
            what = "an empty paragraph" if len(run) == 1 else f"{len(run)} empty paragraphs"
            yield _at("A12-empty-paragraph", f"{what} used for spacing; use paragraph spacing "
                                             "in the style instead", run[0])
            run = []


def _spacer(p: Paragraph) -> bool:
    return (not p.text.strip() and not p.has_object and not p.ends_section and not p.in_table
            and not (p.last_in_body and p.after_table))
