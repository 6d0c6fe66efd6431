"""Accessibility, plain-English and clearance-state findings on any .docx.

`check_file` opens a document safely, reads it once (`briefing.ooxml.read.inspect`)
and runs every rule in `RULES`. A finding has a rule id, a severity, a message
and, where it has one, a location: the paragraph number (1-based, in document
order, table cells included) and, for documents this tool built, the briefing
item (source id) the paragraph came from.

Errors always fail `briefing check`; warnings fail it only with `--strict`.
`briefing build` runs the same rules and prints their findings as warnings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.check import plain_english as pe
from briefing.ooxml.package import Package
from briefing.ooxml.read.inspect import DocView, Paragraph, inspect_package
from briefing.results import Message, plural

ERROR = "error"
WARNING = "warning"
MIN_HALF_POINTS = 24  # 12 pt
MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL", "SECRET", "TOP SECRET")
_JUSTIFY_NAMES = {"both": "justified", "distribute": "distributed"}
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


def check_file(path: str | Path) -> list[Finding]:
    """Return the findings for the .docx at `path` (raises DocumentError if unreadable)."""
    return check_package(Package.open(path))


def check_bytes(data: bytes, name: str | Path) -> list[Finding]:
    """Return the findings for a .docx held in memory (`name` is used in messages)."""
    return check_package(Package.from_bytes(data, name))


def build_messages(data: bytes, name: str | Path) -> list[Message]:
    """Return the findings for a freshly built .docx as warnings: a build never fails on them.

    H01 is left out: a draft carries the briefing's data for absorb by design,
    so the warning would fire on every build with nothing to act on there.
    `briefing check` reports it, and `briefing release` makes the copy without.
    """
    return [Message("warning", f"{name}: {f.rule}: {f.where}: {f.message}")
            for f in check_bytes(data, name) if f.rule != "H01-hidden-data"]


def check_package(pkg: Package) -> list[Finding]:
    """Return the findings for an open package."""
    return check_view(inspect_package(pkg))


def check_view(view: DocView) -> list[Finding]:
    """Return the findings of every rule, document-wide first, then in paragraph order."""
    findings = [f for rule in _CHECKS for f in rule(view)]
    return sorted(findings, key=lambda f: (f.paragraph or 0, f.rule))


def findings_fail(findings: list[Finding], strict: bool = False) -> bool:
    """Return True when the findings fail the check: any error, or any warning when strict."""
    return any(f.severity == ERROR or strict for f in findings)


def format_findings(findings: list[Finding]) -> str:
    """Return the findings one per line, then a count of errors and warnings."""
    if not findings:
        return "no findings"
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    lines = [str(f) for f in findings]
    lines.append(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}")
    return "\n".join(lines)



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


# --- clearance state ------------------------------------------------------------


def check_state(view: DocView) -> Iterator[Finding]:
    """S01 and S02: no tracked changes or comments left in a cleared or final briefing."""
    status = briefing_info(view).get("status")
    if status not in ("cleared", "final"):
        return
    if view.revisions:
        yield _at("S01-tracked-changes", f"{plural(view.revisions, 'tracked change')} left in a "
                                         f"briefing whose status is {status}; accept or reject "
                                         "them (briefing accept / reject)")
    if view.comments:
        yield _at("S02-comments", f"{plural(view.comments, 'comment')} left in a briefing whose "
                                  f"status is {status}; resolve and delete them")


# --- hidden data -----------------------------------------------------------------


def check_hidden(view: DocView) -> Iterator[Finding]:
    """H01: what the file carries that its pages do not show; an error once a briefing is final.

    In our own briefings tracked changes and comments are the clearance
    rules' (S01, S02): expected before clearance, errors after it. Here they
    are reported for documents that record no status (ours or not).
    """
    status = briefing_info(view).get("status")
    severity = ERROR if status == "final" else WARNING
    hidden = view.hidden
    found = []
    if hidden.embedded:
        found.append("it embeds the briefing's data (what absorb reads)")
    if status is None and view.revisions:
        found.append(f"{plural(view.revisions, 'tracked change')}")
    if status is None and view.comments:
        found.append(f"{plural(view.comments, 'comment')}")
    if hidden.hidden_text:
        found.append(f"{plural(len(hidden.hidden_text), 'hidden run')} of text "
                     f"({_quote(hidden.hidden_text[0], 40)})")
    if hidden.personal:
        found.append("personal properties (" + ", ".join(
            f"{label} {_quote(value, 40)}" for label, value in hidden.personal) + ")")
    if found:
        yield Finding("H01-hidden-data", severity,
                      "the file carries what its pages do not show: " + "; ".join(found)
                      + "; send `briefing release` copies outside the clearance circle")


_CHECKS = (check_title, check_language, check_headings, check_fake_headings,
           check_typed_numbering, check_tables, check_images, check_justified, check_text_size,
           check_classification, check_empty_paragraphs, check_long_sentences,
           check_words_to_avoid, check_acronyms, check_abbreviations, check_state,
           check_hidden)
