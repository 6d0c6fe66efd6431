"""Findings and the rules they come from: ids, severities, locations, what each asks.

Every rule module (accessibility, english, state) yields `Finding`s made by
`_at`; `rules` runs them all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from briefing.check import plain_english as pe
from briefing.ooxml.read.inspect import DocView, Paragraph

ERROR = "error"
WARNING = "warning"
MIN_HALF_POINTS = 24  # 12 pt
MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL", "SECRET", "TOP SECRET")
_TYPED_LIST = re.compile(
    r"^\s*(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)]"
    r"|[•·▪◦‣●○■□➢►✓\-–—*])(?=\s)"
)


@dataclass(frozen=True)
class Rule:
    """A check: its id, severity and what it asks of a document."""

    id: str
    severity: str
    summary: str


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("A01-title", ERROR, "the title property is set and equals the Heading 1 text"),
    Rule("A02-language", ERROR, "the document language is set"),
    Rule("A03-headings", ERROR, "headings are real heading styles, start at Heading 1 and "
                                "skip no level"),
    Rule("A04-fake-heading", WARNING, "no short all-bold body paragraph standing in for a heading"),
    Rule("A05-typed-numbering", WARNING, "no typed \"1.\", \"a)\" or bullet at the start of a "
                                         "paragraph: use Word numbering"),
    Rule("A06-table-header", ERROR, "every table has a repeating header row"),
    Rule("A07-merged-cells", ERROR, "no table has merged cells"),
    Rule("A08-alt-text", ERROR, "every image has alternative text (or is marked decorative)"),
    Rule("A09-justified", WARNING, "no justified text"),
    Rule("A10-text-size", WARNING, "body text is at least 12 pt"),
    Rule("A11-classification", ERROR, "the classification marking is in every header and footer"),
    Rule("A12-empty-paragraph", WARNING, "no empty paragraphs used for spacing"),
    Rule("P01-long-sentence", WARNING, f"sentences are {pe.MAX_WORDS} words or fewer"),
    Rule("P02-word-to-avoid", WARNING, "no words from the GOV.UK style guide's words to avoid"),
    Rule("P03-acronym", WARNING, "acronyms are spelt out at first use"),
    Rule("P04-abbreviation", WARNING, "no \"eg\", \"ie\", \"etc\" or \"&\" in running text"),
    Rule("S01-tracked-changes", ERROR, "no tracked changes left in a cleared or final briefing"),
    Rule("S02-comments", ERROR, "no comments left in a cleared or final briefing"),
    Rule("H01-hidden-data", WARNING, "no hidden data (embedded briefing data, comments, "
                                     "tracked changes, hidden text, personal properties); "
                                     "an error in a final briefing"),
)}


@dataclass(frozen=True)
class Finding:
    """One finding: rule id, severity, message, and paragraph / briefing item when located."""

    rule: str
    severity: str
    message: str
    paragraph: int | None = None
    item: str | None = None

    @property
    def where(self) -> str:
        """Return 'paragraph N (item)' or 'document' for document-wide findings."""
        if self.paragraph is None:
            return "document"
        return f"paragraph {self.paragraph}" + (f" ({self.item})" if self.item else "")

    def to_json(self) -> dict:
        """Return the finding as a JSON-ready dict; location is null for document-wide ones."""
        location = None
        if self.paragraph is not None:
            location = {"paragraph": self.paragraph, "item": self.item}
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "location": location}

    def __str__(self) -> str:
        return f"{self.severity}: {self.rule}: {self.where}: {self.message}"


def _at(rule: str, message: str, para: Paragraph | None = None, *,
        number: int | None = None, item: str | None = None) -> Finding:
    """Return a finding of `rule` at `para` (or at paragraph `number` in `item`)."""
    if para is not None:
        number, item = para.number, para.item
    return Finding(rule, RULES[rule].severity, message, number, item)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"\"{text[:limit - 3]}...\"" if len(text) > limit else f"\"{text}\""


def briefing_data(view: DocView) -> dict:
    """Return the data a document was built from ({} if it is not one of ours)."""
    if view.source_map is None or not view.source_map.data_json:
        return {}
    try:
        data = json.loads(view.source_map.data_json)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def briefing_info(view: DocView) -> dict:
    """Return the `briefing:` section of the data a document was built from ({} if not ours)."""
    info = briefing_data(view).get("briefing")
    return info if isinstance(info, dict) else {}


def publication_titles(view: DocView) -> list[str]:
    """Return the titles of other bodies' publications the briefing cites (case-study sources)."""
    studies = briefing_data(view).get("case_studies")
    titles = {cs.get("source", {}).get("title") for cs in studies or ()
              if isinstance(cs, dict) and isinstance(cs.get("source"), dict)}
    return sorted((t for t in titles if isinstance(t, str) and t.strip()), key=len, reverse=True)
