"""Plain-English rules on text alone: sentences, words to avoid, acronyms, abbreviations."""

from __future__ import annotations

import pytest

from briefing.check import plain_english as pe


@pytest.mark.parametrize("text, sentences", [
    ("One. Two! Three?", ["One.", "Two!", "Three?"]),
    ("Mr. Smith met Dr. Jones. Then they left.", ["Mr. Smith met Dr. Jones.", "Then they left."]),
    ("Some councils, e.g. Leeds, agree. Others do not.",
     ["Some councils, e.g. Leeds, agree.", "Others do not."]),
    ("J. R. Hartley wrote it. Fine.", ["J. R. Hartley wrote it.", "Fine."]),
    ("He said \"no.\" Then he left.", ["He said \"no.\"", "Then he left."]),
    ("No full stop at the end", ["No full stop at the end"]),
])
def test_split_sentences(text, sentences):
    assert pe.split_sentences(text) == sentences


def test_long_sentences_count_words_not_punctuation():
    text = " ".join(["word"] * 25) + ". " + " ".join(["word"] * 26) + " - and more."
    (long,) = pe.long_sentences(text)
    assert long.words == 28


@pytest.mark.parametrize("text, found", [
    ("We will utilise the data.", ["utilise"]),
    ("Councils are collaborating with the department.", ["collaborating"]),
    ("Councils collaborate with the department.", ["collaborate"]),
    ("The cuts will impact councils.", ["impact"]),
    ("The cuts had an impact on councils.", []),
    ("The cuts impacted councils.", ["impacted"]),
    ("Housing land is scarce.", []),
    ("We hope to land a deal.", ["land"]),
    ("Progress has been slow.", []),
    ("We will progress the plan.", ["progress"]),
    ("This is a key issue.", ["key"]),
    ("The key messages follow.", []),
    ("The agenda for the board meeting.", []),
    ("A growth agenda.", ["agenda"]),
    ("We will slim down the forms.", ["slim down"]),
    ("A robust and overarching plan.", ["overarching", "robust"]),
])
def test_words_to_avoid(text, found):
    assert sorted(hit.found for hit in pe.words_to_avoid(text)) == found


def test_every_word_to_avoid_says_what_to_write_instead():
    for entry in pe.WORDS_TO_AVOID:
        assert entry.instead and entry.word in entry.forms + entry.verb_forms


@pytest.mark.parametrize("texts, unexpanded", [
    (["The Department for Work and Pensions (DWP) agreed. DWP will write."], []),
    (["DWP (Department for Work and Pensions) agreed."], []),
    (["The DWP agreed.", "The Department for Work and Pensions (DWP) wrote."], ["DWP"]),
    (["The UK and the NHS.", "Baroness Eaton DBE DL."], []),
    (["Reference LGG/WP/2010-11."], []),
    (["OFFICIAL-SENSITIVE"], []),
    (["Write to jobs@example.gov.uk or see https://www.example.gov.uk/JCP."], []),
    (["Two JCPs and one JCP."], ["JCP"]),
])
def test_unexpanded_acronyms(texts, unexpanded):
    assert [hit.acronym for hit in pe.unexpanded_acronyms(texts)] == unexpanded


def test_unexpanded_acronym_points_at_its_first_paragraph():
    hits = list(pe.unexpanded_acronyms(["Plain text.", "The LGA met.", "The LGA again."]))
    assert [(h.index, h.acronym) for h in hits] == [(1, "LGA")]


@pytest.mark.parametrize("text, found", [
    ("Councils, eg Leeds, agree.", ["eg"]),
    ("Councils, e.g. Leeds, agree.", ["e.g."]),
    ("That is, ie the cost.", ["ie"]),
    ("Skills, housing, etc.", ["etc."]),
    ("Work & Pensions", ["&"]),
    ("Email a.b@example.org or visit www.example.ie", []),
    ("The piece, the ties, the tide.", []),
])
def test_abbreviations(text, found):
    assert pe.abbreviations(text) == found
