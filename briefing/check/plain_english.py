"""Plain-English checks on running text, after the GOV.UK style guide.

Pure text in, plain records out: no document knowledge here. `briefing.check.rules`
feeds it the paragraphs of a document in order.

- sentences over 25 words (GOV.UK: "Keep sentences short");
- words to avoid (GOV.UK style guide, "Words to avoid"): the list is
  `WORDS_TO_AVOID` below, one entry per word, so it is easy to keep up to date;
- acronyms not spelt out at first use ("Department for Work and Pensions (DWP)");
- "eg", "ie", "etc" and "&" in running text (GOV.UK: write "for example",
  "that is", list everything, and "and").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_WORDS = 25

# Modal and auxiliary words after which "impact", "land", "progress" are verbs.
_VERB_CUES = frozenset(
    "to will would could may might can cannot should must shall does do did not also "
    "directly negatively positively adversely significantly further it they we which who".split()
)


@dataclass(frozen=True)
class Avoid:
    """One word to avoid: its forms, what to write instead, and when it is only a problem as a verb.

    `verb_only`: flag the base form only after a verb cue ("will impact"), and
    always flag the forms in `verb_forms` ("impacted"). `unless` lists words
    whose presence in the same sentence makes the word acceptable.
    """

    word: str
    forms: tuple[str, ...]
    instead: str
    verb_only: bool = False
    verb_forms: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


def _avoid(word: str, instead: str, *extra: str, **kw) -> Avoid:
    return Avoid(word, (word, *extra), instead, **kw)


# GOV.UK style guide, "Words to avoid" (www.gov.uk/guidance/style-guide/a-to-z).
WORDS_TO_AVOID: tuple[Avoid, ...] = (
    _avoid("agenda", "say what you mean: plan, list of things to do",
           "agendas", unless=("meeting", "meetings", "board", "committee", "item", "minutes")),
    _avoid("advance", "say what you mean: improve, move forward", "advanced", "advancing",
           "advances"),
    _avoid("collaborate", "work with", "collaborated", "collaborating", "collaborates"),
    _avoid("combat", "solve, fix, reduce (unless it is military)", "combating", "combatting",
           "combats"),
    _avoid("commit", "say what you will do", "commits", "committed", "committing"),
    _avoid("pledge", "say what you will do", "pledges", "pledged", "pledging"),
    _avoid("counter", "answer, reduce, prevent", "countering", "countered", "counters"),
    _avoid("deliver", "say what you will do or make (deliver pizzas, not improvements)",
           "delivers", "delivered", "delivering"),
    _avoid("deploy", "use, put in place (unless it is military or software)", "deploys",
           "deployed", "deploying"),
    _avoid("dialogue", "talk, discussion", "dialogues"),
    _avoid("disincentivise", "discourage, deter", "disincentivised", "disincentivising"),
    _avoid("empower", "allow, give permission, let", "empowers", "empowered", "empowering"),
    _avoid("facilitate", "say what you are doing: help, run, make possible", "facilitates",
           "facilitated", "facilitating"),
    _avoid("focus", "work on, concentrate on", "focuses", "focused", "focusing", "focussed",
           "focussing"),
    _avoid("foster", "encourage, help (unless it is children)", "fosters", "fostered",
           "fostering"),
    Avoid("impact", ("impact", "impacts"), "affect, have an effect on", verb_only=True,
          verb_forms=("impacted", "impacting")),
    _avoid("incentivise", "encourage, motivate", "incentivises", "incentivised",
           "incentivising"),
    _avoid("initiate", "start, begin", "initiates", "initiated", "initiating"),
    # "key message" is the name of this briefing's own section, not an adjective to avoid.
    Avoid("key", ("key",), "important, main, significant"),
    Avoid("land", ("land", "lands"), "get, achieve, agree (as a verb)", verb_only=True,
          verb_forms=("landed",)),
    _avoid("leverage", "use, influence (unless it is financial)", "leverages", "leveraged",
           "leveraging"),
    _avoid("liaise", "work with, talk to", "liaises", "liaised", "liaising"),
    _avoid("overarching", "say what you mean: general, covering"),
    Avoid("progress", ("progress", "progresses"), "move forward, develop (as a verb)",
          verb_only=True, verb_forms=("progressed", "progressing")),
    _avoid("promote", "recommend, support (unless it is an ad campaign or a job)", "promotes",
           "promoted", "promoting"),
    _avoid("robust", "strong, well thought out"),
    Avoid("slim down", ("slim down", "slims down", "slimmed down", "slimming down"),
          "make smaller, reduce"),
    _avoid("streamline", "simplify, cut", "streamlines", "streamlined", "streamlining"),
    _avoid("strengthening", "say what you mean: increasing funding, adding staff"),
    _avoid("tackling", "stopping, solving, dealing with (unless it is rugby)"),
    _avoid("transforming", "say what you are doing to change it"),
    _avoid("utilise", "use", "utilises", "utilised", "utilising", "utilize", "utilized",
           "utilizing"),
)

# Phrases that contain a word to avoid but are names, not style: "key messages" is a
# section of the briefing itself.
ALLOWED_PHRASES = ("key message", "key messages", "key to")

# Acronyms readers know without expansion (GOV.UK: "you do not need to explain well-known
# ones like UK, EU, NHS"), classification markings, honours and offices written after a
# name ("Dame Jane Smith DBE DL"), and Roman numerals.
KNOWN_ACRONYMS = frozenset(
    "UK EU US USA UN NHS BBC MP MPs OK TV PM AM ID PDF URL GOV OFFICIAL SENSITIVE "
    "OFFICIAL-SENSITIVE KG KT GCB GBE KBE DBE CBE OBE MBE CH DL JP QC KC MSP MS MLA "
    "II III IV VI VII VIII IX XI XII".split()
)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_URLISH = re.compile(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_ABBREV = re.compile(r"(?<![\w.])(e\.?g|i\.?e|etc)(?![\w])\.?", re.IGNORECASE)
_AMP = re.compile(r"&")
_ACRONYM = re.compile(r"(?<![\w\-/])([A-Z][A-Z0-9]*[A-Z])(s)?(?![\w\-/])")
# A full stop that does not end a sentence: titles, "e.g.", initials, "No. 10".
_NOT_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Prof|St|No|Rt|Hon|Sir|Ltd|Co|vs|cf|al|approx)"
    r"|\b(?:e\.g|i\.e)|\b[A-Z])\.$",
)


@dataclass(frozen=True)
class Sentence:
    """A sentence and how many words it has."""

    text: str
    words: int


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text`, split at . ! ? followed by a space (titles kept whole)."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?]+[\"'”’)\]]*(?=\s)", text):
        chunk = text[start:m.end()]
        if m.group().startswith(".") and _NOT_END.search(chunk.rstrip("\"'”’)]")):
            continue
        out.append(chunk.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def words(text: str) -> list[str]:
    """Return the words of `text` (tokens holding a letter or digit)."""
    return _WORD.findall(text)


def long_sentences(text: str, limit: int = MAX_WORDS) -> list[Sentence]:
    """Return the sentences of `text` longer than `limit` words."""
    out = []
    for sentence in split_sentences(text):
        n = len(words(sentence))
        if n > limit:
            out.append(Sentence(sentence, n))
    return out


@dataclass(frozen=True)
class AvoidHit:
    """A word to avoid as it appears in the text, with what to write instead."""

    found: str
    entry: Avoid


def words_to_avoid(text: str) -> list[AvoidHit]:
    """Return each word to avoid in `text`, in order, once per sentence and word."""
    lowered_text = text.lower()
    if not any(w in _FORM_INDEX for w in _WORD.findall(lowered_text)) and not any(
            f in lowered_text for f in _PHRASE_FORMS):
        return []
    hits: list[AvoidHit] = []
    for sentence in split_sentences(text):
        lowered = _mask_allowed(sentence.lower())
        tokens = _WORD.findall(lowered)
        found: dict[str, str] = {}
        for i, token in enumerate(tokens):
            for entry, verb_form in _FORM_INDEX.get(token, ()):
                if entry.word in found:
                    continue
                if verb_form or not entry.verb_only or (i and tokens[i - 1] in _VERB_CUES):
                    found[entry.word] = token
        for phrase, entry in _PHRASE_FORMS.items():
            if entry.word not in found and re.search(rf"\b{re.escape(phrase)}\b", lowered):
                found[entry.word] = phrase
        for entry in WORDS_TO_AVOID:
            if entry.word in found and not any(u in tokens for u in entry.unless):
                hits.append(AvoidHit(found[entry.word], entry))
    return hits


def _mask_allowed(lowered: str) -> str:
    for phrase in sorted(ALLOWED_PHRASES, key=len, reverse=True):
        if phrase in lowered:
            lowered = re.sub(rf"\b{re.escape(phrase)}\b", " ", lowered)
    return lowered


def _index() -> tuple[dict[str, list[tuple[Avoid, bool]]], dict[str, Avoid]]:
    """Return single-word forms -> [(entry, is a verb-only form)] and phrase forms -> entry."""
    words_: dict[str, list[tuple[Avoid, bool]]] = {}
    phrases: dict[str, Avoid] = {}
    for entry in WORDS_TO_AVOID:
        for form in entry.forms:
            if " " in form:
                phrases[form] = entry
            else:
                words_.setdefault(form, []).append((entry, False))
        for form in entry.verb_forms:
            words_.setdefault(form, []).append((entry, True))
    return words_, phrases


_FORM_INDEX, _PHRASE_FORMS = _index()


def abbreviations(text: str) -> list[str]:
    """Return each "eg", "ie", "etc" and "&" in `text` (addresses and links ignored)."""
    text = _without_addresses(text)
    found = [m.group() for m in _ABBREV.finditer(text)]
    found += ["&" for _ in _AMP.finditer(text)]
    return found


@dataclass(frozen=True)
class AcronymHit:
    """An acronym whose first use (in paragraph `index`) is not spelt out."""

    index: int
    acronym: str


def unexpanded_acronyms(texts: Iterable[str]) -> Iterator[AcronymHit]:
    """Yield the first use of each acronym in `texts` that is not spelt out there.

    Spelt out means "Department for Work and Pensions (DWP)" or
    "DWP (Department for Work and Pensions)" at that first use.
    """
    seen: set[str] = set()
    for index, text in enumerate(texts):
        if _mostly_capitals(text):
            continue
        clean = _without_addresses(text)
        for m in _ACRONYM.finditer(clean):
            acronym = m.group(1)
            if acronym in seen or acronym in KNOWN_ACRONYMS or len(acronym) > 8:
                continue
            seen.add(acronym)
            if not _spelt_out(clean, m.start(), m.end(), acronym):
                yield AcronymHit(index, acronym)


def _without_addresses(text: str) -> str:
    """Return `text` with e-mail addresses and links blanked out (same length)."""
    if "@" not in text and "http" not in text and "www." not in text:
        return text
    return _URLISH.sub(lambda m: " " * len(m.group()), text)


def _mostly_capitals(text: str) -> bool:
    letters = sum(map(str.isalpha, text))
    return bool(letters) and sum(map(str.isupper, text)) > 0.6 * letters


def _spelt_out(text: str, start: int, end: int, acronym: str) -> bool:
    before, after = text[:start], text[end:]
    if before.rstrip().endswith("(") and after.lstrip("s").startswith(")"):
        words_before = words(before[:before.rstrip().rfind("(")])
        return len(words_before) >= 2 or _initials_match(words_before, acronym)
    m = re.match(r"s?\s*\(([^)]+)\)", after)
    return m is not None and len(words(m.group(1))) >= 2


def _initials_match(before: list[str], acronym: str) -> bool:
    return bool(before) and before[-1][:1].upper() == acronym[-1:]
