"""Plain-English rules (P01 to P04) over a document's running text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.check import plain_english as pe
from briefing.check.findings import Finding, _at, _quote, publication_titles
from briefing.ooxml.read.inspect import DocView, Paragraph

# --- plain English -------------------------------------------------------------


# Fields that quote someone else's words: the title of a council's publication and the
# excerpt the council agreed. An officer cannot reword them, so plain-English rules skip them.
_QUOTED_FIELDS = re.compile(r"^case_studies/[^/]+/(?:source|excerpt)$")


def _running_text(view: DocView) -> list[Paragraph]:
    """Return the paragraphs with text that plain-English rules read (quotations left out)."""
    return [p for p in view.paragraphs if p.text.strip() and not _quoted(p)]


def _quoted(p: Paragraph) -> bool:
    """Return whether `p` quotes another publication (its source line or agreed excerpt)."""
    return p.item is not None and _QUOTED_FIELDS.match(p.item) is not None


def check_long_sentences(view: DocView) -> Iterator[Finding]:
    """P01: sentences of more than 25 words."""
    for p in _running_text(view):
        for s in pe.long_sentences(p.text):
            yield _at("P01-long-sentence", f"sentence of {s.words} words {_quote(s.text, 50)}; "
                                           f"aim for {pe.MAX_WORDS} or fewer", p)


def _own_words(text: str, titles: list[str]) -> str:
    """Return `text` with cited publication titles blanked: their wording is not the officer's."""
    for title in titles:
        if title in text:
            text = text.replace(title, " " * len(title))
    return text


def check_words_to_avoid(view: DocView) -> Iterator[Finding]:
    """P02: words to avoid, with what to write instead (never in a cited publication's title)."""
    titles = publication_titles(view)
    for p in _running_text(view):
        for hit in pe.words_to_avoid(_own_words(p.text, titles)):
            yield _at("P02-word-to-avoid", f"\"{hit.found}\": GOV.UK says avoid it; "
                                           f"{hit.entry.instead}", p)


def check_acronyms(view: DocView) -> Iterator[Finding]:
    """P03: acronyms spelt out at first use (headings do not count as first use)."""
    body = [p for p in _running_text(view) if p.heading_level is None]
    for hit in pe.unexpanded_acronyms(p.text for p in body):
        yield _at("P03-acronym", f"\"{hit.acronym}\" is not spelt out at first use; write the "
                                 f"full name followed by ({hit.acronym})", body[hit.index])


_INSTEAD = {"eg": "\"for example\" or \"such as\"", "ie": "\"that is\" or rephrase",
            "etc": "a full list or \"for example\"", "&": "\"and\""}


def check_abbreviations(view: DocView) -> Iterator[Finding]:
    """P04: "eg", "ie", "etc" and "&" in running text (never in a cited publication's title)."""
    titles = publication_titles(view)
    for p in _running_text(view):
        for found in dict.fromkeys(pe.abbreviations(_own_words(p.text, titles))):
            key = found.lower().replace(".", "")
            yield _at("P04-abbreviation", f"\"{found}\" in running text; write "
                                          f"{_INSTEAD.get(key, 'it in full')}", p)
