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

from pathlib import Path

from briefing.check.accessibility import (
    check_classification,
    check_empty_paragraphs,
    check_fake_headings,
    check_headings,
    check_images,
    check_justified,
    check_language,
    check_tables,
    check_text_size,
    check_title,
    check_typed_numbering,
    expected_marking,
)
from briefing.check.english import (
    check_abbreviations,
    check_acronyms,
    check_long_sentences,
    check_words_to_avoid,
)
from briefing.check.findings import ERROR, RULES, WARNING, Finding, Rule
from briefing.check.state import check_hidden, check_state
from briefing.ooxml.package import Package
from briefing.ooxml.read.inspect import DocView, inspect_package
from briefing.results import Message, plural

__all__ = ["ERROR", "RULES", "WARNING", "Finding", "Rule", "build_messages", "check_bytes",
           "check_file", "check_package", "check_view", "expected_marking", "findings_fail",
           "format_findings"]


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


_CHECKS = (check_title, check_language, check_headings, check_fake_headings,
           check_typed_numbering, check_tables, check_images, check_justified, check_text_size,
           check_classification, check_empty_paragraphs, check_long_sentences,
           check_words_to_avoid, check_acronyms, check_abbreviations, check_state,
           check_hidden)
