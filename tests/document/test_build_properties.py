"""Property: every string of any briefing appears verbatim, in order, in the built document."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.document.build import build_bytes
from briefing.document.compose import find_template
from briefing.source.model import Briefing
from tests.document.test_write import Docx

FRAGMENTS = [
    "&", "<", ">", "&amp;", "<w:t>", "]]>", "{{ x }}", "{{", "}}", "{% if %}", "{% endif %}",
    "{#", "\"", "'", "\u2019", "caf\u00e9", "stra\u00dfe", "\u4e2d\u6587", "\u65e5\u672c\u8a9e",
    "\u0645\u0631\u062d\u0628\u0627", "\u05e9\u05dc\u05d5\u05dd", "\u200f", "\u202e", "\u200d",
    "\U0001f44d", "\U0001f3db\ufe0f", "|", " | ", ":", "h1: ", "row: a | b", "\n", "\t", "  ",
    "\ue000", "\ue001", "\ue0000\ue001", "%1.", "1.", "\\",
]
PLAIN = st.characters(blacklist_categories=("Cs", "Cc", "Cn"))


@st.composite
def text(draw, max_parts: int = 5) -> str:
    """Return a non-empty string without surrounding whitespace, mixing hostile fragments."""
    parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                                    st.text(alphabet=PLAIN, min_size=1, max_size=6)),
                          min_size=1, max_size=max_parts))
    value = "".join(parts).strip()
    return value or draw(st.sampled_from(["&", "<", "{{ x }}", "\U0001f44d"]))


def texts(min_size: int = 0, max_size: int = 3):
    return st.lists(text(), min_size=min_size, max_size=max_size)


@st.composite
def briefings(draw) -> dict:
    """Return briefing data whose every string is drawn from `text()`."""
    kms = [{"id": f"km-{i}", "headline": draw(text()), "points": draw(texts()),
            "suggested_by": draw(texts(1, 2))} for i in range(draw(st.integers(1, 3)))]
    comments = [{"id": f"c-{i}", "text": draw(text()), "board": draw(text()),
                 "meeting_date": dt.date(2016, 3, 1 + i), "item": draw(text()),
                 "member": draw(text())} for i in range(draw(st.integers(0, 2)))]
    cases = [{"id": f"cs-{i}", "council": draw(text()), "title": draw(text()),
              "excerpt": draw(text()), "outcomes": draw(texts()),
              "source": {"title": draw(text()), "year": 2015},
              "agreed_with_council": True} for i in range(draw(st.integers(0, 2)))]
    return {
        "briefing": {"title": draw(text()), "reference": draw(text()), "version": 1,
                     "prepared": dt.date(2016, 5, 1)},
        "meeting": {"principal": {"name": draw(text()), "role": draw(text())},
                    "counterparts": [{"name": draw(text()), "role": draw(text())}],
                    "when": draw(text()), "venue": draw(text()), "purpose": draw(text())},
        "objectives": draw(texts(1, 3)),
        "key_messages": kms,
        "member_comments": comments,
        "case_studies": cases,
        "lines_to_take": [{"id": f"l-{i}", "question": draw(text()), "answer": draw(text())}
                          for i in range(draw(st.integers(0, 2)))],
        "background": [{"id": f"b-{i}", "heading": draw(text()), "paragraphs": draw(texts(1, 2))}
                       for i in range(draw(st.integers(0, 2)))],
        "contact": {"name": draw(text()), "position": draw(text()),
                    "phone": "020 7664 3000", "email": "officer@local.gov.uk"},
    }


def expected_in_order(b: Briefing) -> list[str]:
    """Return the briefing's strings in the order chairman-briefing lays them out."""
    m = b.meeting
    # The meeting table's header row names the counterparts and gives the date or when.
    out = [b.briefing.title, b.briefing.reference, m.when, m.principal.name, m.principal.role]
    for p in m.counterparts:
        out += [p.name, p.role]
    out += [m.venue, m.purpose, *b.objectives]
    for km in b.key_messages:
        out += [km.headline, *km.points, *km.suggested_by]
    for c in b.member_comments:
        out += [c.text, c.board, c.item, c.member]
    for cs in b.case_studies:
        out += [cs.council, cs.title, cs.excerpt, *cs.outcomes, cs.council, cs.source.title]
    for line in b.lines_to_take:
        out += [line.question, line.answer]
    for section in b.background:
        out += [section.heading, *section.paragraphs]
    return out + [b.contact.name, b.contact.position]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(briefings())
def test_every_string_appears_verbatim_and_in_order(data):
    briefing = Briefing.model_validate(data)
    doc = Docx(build_bytes(briefing, find_template("chairman-briefing")))
    full = "\n\u2029".join(Docx.text(p) for p in doc.paragraphs())
    pos = 0
    for value in expected_in_order(briefing):
        found = full.find(value, pos)
        assert found >= 0, (value, full[pos:pos + 200])
        pos = found + len(value)
    marks = doc.bookmarked()
    assert marks["briefing/title"] == briefing.briefing.title
    for km in briefing.key_messages:
        assert marks[f"key_messages/{km.id}/headline"] == km.headline
        for i, point in enumerate(km.points):
            assert marks[f"key_messages/{km.id}/points/{i}"] == point
    for c in briefing.member_comments:
        assert marks[f"member_comments/{c.id}/text"] == c.text


@settings(max_examples=30, deadline=None)
@given(briefings())
def test_lines_card_keeps_headlines_and_answers_verbatim(data):
    briefing = Briefing.model_validate(data)
    marks = Docx(build_bytes(briefing, find_template("lines-card"))).bookmarked()
    for km in briefing.key_messages:
        assert marks[f"key_messages/{km.id}/headline"] == km.headline
    for line in briefing.lines_to_take:
        assert marks[f"lines_to_take/{line.id}/question"] == line.question
        assert marks[f"lines_to_take/{line.id}/answer"] == line.answer
