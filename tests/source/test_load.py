"""Loading: every bad input gets its exact, located, plain-English message; good input loads."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import BriefingError, ValidationFailed
from briefing.source.load import MAX_BYTES, Loaded, load_briefing, load_text
from briefing.source.read import plain, read_yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))

# Line numbers below are this text's.
MINIMAL = """\
briefing:
  title: Meeting with the Secretary of State
  version: 1
  prepared: 2010-09-20
meeting:
  principal: {name: Baroness Eaton, role: Chairman}
  counterparts:
    - name: Iain Duncan Smith MP
      role: Secretary of State for Work and Pensions
  when: Autumn 2010
  purpose: To press for a role for councils.
objectives:
  - Agree a joint commissioning pilot.
key_messages:
  - id: local-commissioning
    headline: Councils should help commission the Work Programme.
    suggested_by: [Regeneration and Transport Board]
contact:
  name: Philip Mind
  position: Senior Policy Consultant
  phone: 020 7664 3243
  email: Philip.mind@local.gov.uk
"""

COMMENT = """\
member_comments:
  - id: partnership
    text: Members saw a contradiction.
    board: Regeneration and Transport Board
    meeting_date: 2010-07-14
    relates_to: [local-commissioning]
"""


def edit(old: str, new: str, base: str = MINIMAL) -> str:
    """Return `base` with `old` replaced by `new` (which must occur exactly once)."""
    assert base.count(old) == 1, old
    return base.replace(old, new)


def problems(text: str, name: str = "b.yaml") -> list[str]:
    """Return the message lines load_text raises for `text` (fails if it loads)."""
    with pytest.raises(BriefingError) as caught:
        load_text(text, name)
    return str(caught.value).splitlines()


BAD = [
    # ---- YAML syntax
    ("tab indent", edit("  version: 1", "\tversion: 1"),
     ["b.yaml:3:1: a tab is used for indentation; YAML needs spaces"]),
    ("tabs on two lines", edit("  version: 1\n  prepared", "\tversion: 1\n\tprepared"),
     ["b.yaml:3:1: a tab is used for indentation; YAML needs spaces",
      "b.yaml:4:1: a tab is used for indentation; YAML needs spaces"]),
    ("colon in plain text", edit("purpose: To press", "purpose: Aim: to press"),
     ["b.yaml:11:15: YAML syntax error: a ': ' cannot appear here; put text that contains "
      "': ' in quotes"]),
    ("over-indented key", edit("  version: 1", "    version: 1"),
     ["b.yaml:3:12: YAML syntax error: this line is indented more than the one above; line "
      "its key up with the keys above"]),
    ("under-indented key", edit("    role: Secretary", "   role: Secretary"),
     ["b.yaml:9:6: YAML syntax error: this line does not line up with the list above it "
      "(check its indentation)"]),
    ("unclosed quote", edit("title: Meeting with the Secretary of State",
                            'title: "Meeting with the Secretary of State'),
     ["b.yaml:2:10: a quoted text starting here is never closed (a missing quote?)"]),
    ("unclosed flow list", edit("[Regeneration and Transport Board]",
                                "[Regeneration and Transport Board"),
     ["b.yaml:18:8: YAML syntax error: a list opened with '[' is not closed with ']'"]),
    ("bad escape", edit("Meeting with the Secretary of State", '"C:\\Windows"'),
     ["b.yaml:2:13: YAML syntax error: unknown escape in double-quoted text (write a "
      "backslash as \\\\, or use single quotes)"]),
    ("bad unicode escape", edit("Meeting with the Secretary of State", '"C:\\Users"'),
     ["b.yaml:2:13: YAML syntax error: unknown escape in double-quoted text (write a "
      "backslash as \\\\, or use single quotes)"]),
    ("duplicate key", edit("  version: 1\n", "  version: 1\n  version: 2\n"),
     ["b.yaml:4:3: duplicate key 'version': each key may appear once in a mapping "
      "(this mapping starts at line 2)"]),
    ("second document", MINIMAL + "---\nbriefing: {}\n",
     ["b.yaml:23:1: holds a second YAML document ('---'); a briefing file holds one"]),
    ("tag", edit("title: Meeting", "title: !shout Meeting"),
     ["b.yaml:2:10: uses the YAML tag !shout; a briefing needs no tags (remove it, or quote "
      "the text)"]),
    ("anchor", edit("  when: Autumn 2010\n", "  when: &w Autumn 2010\n  venue: *w\n"),
     ["b.yaml:10:9: uses an anchor &w (anchors and aliases are not allowed in a briefing; "
      "write the text out in full)"]),
    ("alias", edit("  when: Autumn 2010\n", "  when: Autumn 2010\n  venue: *w\n"),
     ["b.yaml:11:10: uses an alias *w (anchors and aliases are not allowed in a briefing; "
      "write the text out in full)"]),
    ("tab before a colon", edit("  version: 1", "  version\t: 1"),
     ["b.yaml:3:10: a tab before ':' ends this key; remove the tab"]),
    ("unicode line separator", edit("Autumn 2010", "Autumn\u20282010"),
     ["b.yaml:10:15: holds a Unicode line separator (U+2028); replace it with a space or a new "
      "line"]),
    ("merge key", edit("  version: 1\n", "  <<: {version: 1}\n"),
     ["b.yaml:3:3: merge keys (<<) are not allowed in a briefing; write the fields out in "
      "full"]),
    ("raw control character", edit("title: Meeting", "title: Meet\x07ing"),
     ["b.yaml:2:14: holds a control character (U+0007) that YAML and Word documents cannot "
      "hold"]),
    ("comment cuts text short", edit("purpose: To press for a role for councils.",
                                     "purpose: Many already do #localgov, see case studies"),
     ["b.yaml:11:28: meeting.purpose: the text after ' #' would be dropped as a comment; put "
      "the whole value in quotes"]),
    ("comment after unquoted text", edit("when: Autumn 2010", "when: Autumn 2010   # tbc"),
     ["b.yaml:10:23: meeting.when: the text after ' #' would be dropped as a comment; put the "
      "whole value in quotes"]),
    ("comment cuts list items short", edit("  - Agree a joint commissioning pilot.",
                                           "  - Agree a pilot #1\n  - Jobs #2"),
     ["b.yaml:13:19: objectives[0]: the text after ' #' would be dropped as a comment; put the "
      "whole value in quotes",
      "b.yaml:14:10: objectives[1]: the text after ' #' would be dropped as a comment; put the "
      "whole value in quotes"]),
    ("comment after text over two lines", edit("  when: Autumn 2010\n",
                                               "  when: Autumn\n    2010 # x\n"),
     ["b.yaml:11:10: meeting.when: the text after ' #' would be dropped as a comment; put the "
      "whole value in quotes"]),
    ("comment inside a flow list", edit("[Regeneration and Transport Board]",
                                        "[Regeneration #1, Transport Board]"),
     ["b.yaml:17:33: the text after ' #' would be dropped as a comment; put the whole value "
      "in quotes"]),
    ("colon in a headline", edit("headline: Councils should help commission the Work Programme.",
                                 "headline: Jobs & growth: councils must lead"),
     ["b.yaml:16:28: YAML syntax error: a ': ' cannot appear here; put text that contains "
      "': ' in quotes"]),
    ("colon in a list item", edit("  - Agree a joint commissioning pilot.",
                                  "  - Agree: a joint pilot"),
     ["b.yaml:13:5: objectives[0]: must be text, not a mapping; put text that contains ': ' "
      "in quotes"]),
    ("colon in a flow list item", edit("[Regeneration and Transport Board]",
                                       "[Regeneration: Transport Board]"),
     ["b.yaml:17:20: key_messages[0].suggested_by[0]: must be text, not a mapping; put text "
      "that contains ': ' in quotes"]),
    ("colon on a continuation line", edit("  purpose: To press for a role for councils.",
                                          "  purpose: To press for a role\n    for councils: now"),
     ["b.yaml:12:17: YAML syntax error: a ': ' cannot appear here; put text that contains "
      "': ' in quotes"]),
    ("no-break space in indentation", edit("  version: 1", "\u00a0 version: 1"),
     ["b.yaml:3:1: holds a no-break space (U+00A0), an invisible character, in its "
      "indentation; replace it with an ordinary space"]),
    ("no-break space after a dash", edit("  - Agree", "  -\u00a0Agree"),
     ["b.yaml:13:4: objectives: holds a no-break space (U+00A0), an invisible character, "
      "here; replace it with an ordinary space"]),
    ("no-break space after a colon", edit("version: 1", "version:\u00a01"),
     ["b.yaml:3:11: holds a no-break space (U+00A0), an invisible character, here; replace it "
      "with an ordinary space"]),
    ("zero-width space before a key", edit("  version: 1", "  \u200bversion: 1"),
     ["b.yaml:3:3: holds a zero-width space (U+200B), an invisible character, in its "
      "indentation; delete it"]),
    ("zero-width space ending a key", edit("  version: 1", "  version\u200b: 1"),
     ["b.yaml:3:10: briefing.version: holds a zero-width space (U+200B), an invisible "
      "character, here; delete it"]),
    ("zero-width space in a choice", edit("  version: 1\n", "  version: 1\n  status: draft\u200b\n"),
     ["b.yaml:4:16: briefing.status: holds a zero-width space (U+200B), an invisible character, "
      "here; delete it"]),
    ("zero-width joiner in an id", edit("id: local-commissioning", "id: local-\u200dcommissioning"),
     ["b.yaml:15:15: key_messages[0].id: holds a zero-width joiner (U+200D), an invisible "
      "character, here; delete it"]),
    ("word joiner in a number", edit("version: 1", "version: 1\u2060"),
     ["b.yaml:3:13: briefing.version: holds a word joiner (U+2060), an invisible character, "
      "here; delete it"]),
    ("byte-order mark mid-file", edit("meeting:\n", "\ufeffmeeting:\n"),
     ["b.yaml:5:1: holds a byte-order mark (U+FEFF), an invisible character, in the middle of "
      "the file; delete it"]),
    ("byte-order mark in text", edit("Autumn 2010", "Autumn\ufeff2010"),
     ["b.yaml:10:15: holds a byte-order mark (U+FEFF), an invisible character, in the middle "
      "of the file; delete it"]),
    # ---- shape
    ("top level a list", "- briefing\n- meeting\n",
     ["b.yaml:1:1: the top level must be a mapping of sections (briefing:, meeting:, "
      "objectives:, key_messages:, ...), not a list"]),
    ("top level text", "just some words\n",
     ["b.yaml:1:1: the top level must be a mapping of sections (briefing:, meeting:, "
      "objectives:, key_messages:, ...), not 'just some words'"]),
    ("number as a key", MINIMAL + "2010: a year\n",
     ["b.yaml:23:1: field names must be text, not the number 2010"]),
    ("list as a key", MINIMAL + "? [a, b]\n: x\n",
     ["b.yaml:23:3: field names must be text, not a list"]),
    ("deep nesting", edit("Autumn 2010", "[" * 40 + "]" * 40),
     ["b.yaml:10:27: nests more than 20 levels deep; a briefing never needs that"]),
    # ---- fields
    ("missing field", edit("    headline: Councils should help commission the Work Programme.\n",
                           ""),
     ["b.yaml:15:5: key_messages[0].headline: field required"]),
    ("missing section", edit(MINIMAL[MINIMAL.index("contact:"):], ""),
     ["b.yaml:1:1: contact: field required"]),
    ("unknown field with suggestion", edit("    headline:", "    headlin:"),
     ["b.yaml:15:5: key_messages[0].headline: field required",
      "b.yaml:16:5: key_messages[0].headlin: unknown field 'headlin'; did you mean "
      "'headline'?"]),
    ("unknown field without suggestion", edit("  version: 1\n", "  version: 1\n  colour: red\n"),
     ["b.yaml:4:3: briefing.colour: unknown field 'colour'; expected one of: title, reference, "
      "classification, status, version, prepared"]),
    ("unknown section", MINIMAL + "key_message: []\n",
     ["b.yaml:23:1: key_message: unknown field 'key_message'; did you mean 'key_messages'?"]),
    ("empty value", edit("  when: Autumn 2010\n  purpose: To press for a role for councils.",
                         "  when: Autumn 2010\n  purpose:"),
     ["b.yaml:11:3: meeting.purpose: is empty"]),
    ("blank text", edit("  - Agree a joint commissioning pilot.", '  - "   "'),
     ["b.yaml:13:5: objectives[0]: is empty"]),
    ("empty section", edit("objectives:\n  - Agree a joint commissioning pilot.\n",
                           "objectives: []\n"),
     ["b.yaml:12:13: objectives: needs at least 1 entry"]),
    ("too many objectives", edit("  - Agree a joint commissioning pilot.\n",
                                 "  - One.\n  - Two.\n  - Three.\n  - Four.\n"),
     ["b.yaml:12:1: objectives: has 4 entries; at most 3 are allowed"]),
    ("number for text", edit("title: Meeting with the Secretary of State", "title: 2010"),
     ["b.yaml:2:10: briefing.title: must be text, not the number 2010; put it in quotes: "
      "'2010'"]),
    ("phone as a number", edit("020 7664 3243", "02076643243"),
     ["b.yaml:21:10: contact.phone: must be text, not the number 2076643243; put it in "
      "quotes: '02076643243'"]),
    ("list for text", edit("title: Meeting with the Secretary of State", "title: [a, b]"),
     ["b.yaml:2:10: briefing.title: must be text, not a list"]),
    ("text for a list", edit("[Regeneration and Transport Board]",
                             "Regeneration and Transport Board"),
     ["b.yaml:17:19: key_messages[0].suggested_by: must be a list (one '- ' line per entry), "
      "not 'Regeneration and Transport Board'"]),
    ("text for a mapping", edit("principal: {name: Baroness Eaton, role: Chairman}",
                                "principal: Baroness Eaton"),
     ["b.yaml:6:14: meeting.principal: must be a mapping of fields (name: value), not "
      "'Baroness Eaton'"]),
    ("word for a number", edit("version: 1", "version: three"),
     ["b.yaml:3:12: briefing.version: must be a whole number, not 'three'"]),
    ("fraction for a number", edit("version: 1", "version: 1.5"),
     ["b.yaml:3:12: briefing.version: must be a whole number, not the number 1.5"]),
    ("quoted number", edit("version: 1", 'version: "1"'),
     ["b.yaml:3:12: briefing.version: must be a whole number, not '1'"]),
    ("version zero", edit("version: 1", "version: 0"),
     ["b.yaml:3:12: briefing.version: must be at least 1, not 0"]),
    ("bad choice", edit("  version: 1\n", "  version: 1\n  classification: SECRET\n"),
     ["b.yaml:4:19: briefing.classification: must be one of 'OFFICIAL', 'OFFICIAL-SENSITIVE' "
      "or 'NONE', not 'SECRET'"]),
    ("choice in the wrong case", edit("  version: 1\n", "  version: 1\n  status: Draft\n"),
     ["b.yaml:4:11: briefing.status: must be one of 'draft', 'for-clearance', 'cleared' or "
      "'final', not 'Draft'; did you mean 'draft'?"]),
    ("not a boolean", edit("objectives:", "case_studies:\n  - id: cs\n    council: Riverton\n"
                           "    title: T\n    excerpt: E\n    source: {title: S, year: 2010}\n"
                           "    agreed_with_council: maybe\nobjectives:"),
     ["b.yaml:18:26: case_studies[0].agreed_with_council: must be true or false, not 'maybe'"]),
    ("text too long", edit("title: Meeting with the Secretary of State", "title: " + "x" * 501),
     ["b.yaml:2:10: briefing.title: is too long: 501 characters, at most 500"]),
    ("control character escaped", edit("Meeting with the Secretary of State",
                                       '"Meet\\x07ing"'),
     ["b.yaml:2:10: briefing.title: contains a control character (U+0007, character 5 of the "
      "text) that Word documents cannot hold"]),
    ("not a slug", edit("id: local-commissioning", "id: Local Commissioning"),
     ["b.yaml:15:9: key_messages[0].id: must be a short id of lower-case letters, digits and "
      "single hyphens, like 'local-commissioning' (try 'local-commissioning')"]),
    # ---- dates, emails, phones
    ("date in the wrong form", edit("prepared: 2010-09-20", "prepared: 20/09/2010"),
     ["b.yaml:4:13: briefing.prepared: must be a date like 2010-09-15, not '20/09/2010'"]),
    ("date not in the calendar", edit("prepared: 2010-09-20", "prepared: 2010-02-30"),
     ["b.yaml:4:13: briefing.prepared: '2010-02-30' is not a date in the calendar"]),
    ("date with a time", edit("prepared: 2010-09-20", "prepared: 2010-09-20 10:30:00"),
     ["b.yaml:4:13: briefing.prepared: must be a date like 2010-09-15, without a time"]),
    ("date as a number", edit("prepared: 2010-09-20", "prepared: 20100920"),
     ["b.yaml:4:13: briefing.prepared: must be a date like 2010-09-15, not the number "
      "20100920"]),
    ("bad email", edit("Philip.mind@local.gov.uk", "Philip.mind@"),
     ["b.yaml:22:10: contact.email: is not a valid email address"]),
    ("bad phone", edit("020 7664 3243", "7664 3243"),
     ["b.yaml:21:10: contact.phone: is not a UK phone number (e.g. 020 7664 3000 or +44 20 "
      "7664 3000)"]),
    # ---- rules across fields, each at its own line
    ("neither date nor when", edit("  when: Autumn 2010\n", ""),
     ["b.yaml:5:1: meeting: give the meeting's date or, if not yet fixed, when (e.g. 'Autumn "
      "2010')"]),
    ("duplicate ids and dangling references",
     edit("contact:", COMMENT + COMMENT.replace("member_comments:\n", "").replace(
         "[local-commissioning]", "[local-comissioning, pilots]") + "contact:"),
     ["b.yaml:24:9: member_comments[1].id: duplicate id 'partnership' (first used at "
      "member_comments[0])",
      "b.yaml:28:18: member_comments[1].relates_to[0]: 'local-comissioning' is not the id of "
      "any key message; did you mean 'local-commissioning'?",
      "b.yaml:28:38: member_comments[1].relates_to[1]: 'pilots' is not the id of any key "
      "message"]),
    ("cleared without a clearance entry", edit("  version: 1\n", "  version: 1\n"
                                               "  status: cleared\n"),
     ["b.yaml:4:11: briefing.status: status 'cleared' needs a clearance entry for version 1"]),
    ("clearance of a future version",
     MINIMAL + "clearance:\n  - reviewer: Cllr Jean Hart\n    role: Lead member\n"
               "    version: 2\n    date: 2010-09-21\n    outcome: cleared\n",
     ["b.yaml:26:14: clearance[0].version: clears version 2, but the briefing is at version 1"]),
    ("final with an unagreed case study",
     edit("  version: 1\n", "  version: 1\n  status: final\n").replace(
         "objectives:", "case_studies:\n  - id: cs\n    council: Riverton Borough Council\n"
         "    title: T\n    excerpt: E\n    source: {title: S, year: 2010}\n"
         "    agreed_with_council: false\nobjectives:"),
     ["b.yaml:19:26: case_studies[0].agreed_with_council: case study 'cs' is not agreed with "
      "Riverton Borough Council; status 'final' needs every case study agreed"]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_gets_its_exact_located_message(text, expected):
    assert problems(text) == expected


@pytest.mark.parametrize("old, new", [
    ("when: Autumn 2010", 'when: "Autumn 2010"   # to be confirmed'),
    ("when: Autumn 2010", "when: 'Autumn 2010' # to be confirmed"),
    ("version: 1", "version: 1   # first draft"),
    ("prepared: 2010-09-20", "prepared: 2010-09-20 # today"),
    ("purpose: To press for a role for councils.",
     "purpose: >-   # folded\n    To press #1 for a role for councils."),
    ("purpose: To press for a role for councils.",
     "purpose: |  # literal\n    To press #1 for a role for councils."),
    ("purpose: To press", "# a comment line\n  purpose: To press"),
    ("purpose: To press for a role for councils.", "purpose: Jobs#1 and C# skills"),
])
def test_real_comments_and_hashes_inside_text_are_fine(old, new):
    loaded = load_text(edit(old, new), "b.yaml").value
    assert "#" not in loaded.briefing.meeting.purpose or \
        loaded.briefing.meeting.purpose in ("To press #1 for a role for councils.",
                                            "Jobs#1 and C# skills")


@pytest.mark.parametrize("typed, shown", [
    ("3", "3"), ("4b", "4b"), ('"Item 4"', "Item 4"), ("007", "007"), ("4.10", "4.10"),
    ("12   # the agenda's numbering", "12"),
])
def test_item_takes_a_number_or_text_as_written(typed, shown):
    text = edit("contact:", COMMENT.replace("    relates_to:", f"    item: {typed}\n    relates_to:")
                + "contact:")
    assert load_text(text).value.briefing.member_comments[0].item == shown


@pytest.mark.parametrize("old, new, shown", [
    ("when: Autumn 2010", "when: 2011", "2011"),
    ("  version: 1", "  version: 1\n  reference: 007", "007"),
])
def test_whole_numbers_are_text_as_written_where_natural(old, new, shown):
    briefing = load_text(edit(old, new)).value.briefing
    assert shown in (briefing.meeting.when, briefing.briefing.reference)


def test_a_number_for_item_is_text_in_the_json_schema_too():
    from briefing.source.model import json_schema

    item = json_schema()["$defs"]["MemberComment"]["properties"]["item"]
    assert {"type": "integer"} in item["anyOf"] and {"type": "null"} in item["anyOf"]


def test_every_problem_is_reported_at_once():
    text = edit("version: 1", "version: three")
    text = edit("Philip.mind@local.gov.uk", "nobody", text)
    text = edit("    headline:", "    headlin:", text)
    assert problems(text) == [
        "b.yaml:3:12: briefing.version: must be a whole number, not 'three'",
        "b.yaml:15:5: key_messages[0].headline: field required",
        "b.yaml:16:5: key_messages[0].headlin: unknown field 'headlin'; did you mean "
        "'headline'?",
        "b.yaml:22:10: contact.email: is not a valid email address",
    ]


def test_rules_across_fields_are_reported_with_type_problems_where_types_are_sound():
    text = edit("version: 1", "version: three")
    text = edit("Philip.mind@local.gov.uk", "nobody", text)
    text = edit("contact:", COMMENT + COMMENT.replace("member_comments:\n", "").replace(
        "[local-commissioning]", "[local-comissioning]").replace(
        "2010-07-14", "last July") + "clearance:\n  - reviewer: Cllr Jean Hart\n"
        "    role: Lead member\n    version: 2\n    date: 2010-09-21\n    outcome: cleared\n"
        "contact:", text)
    assert problems(text) == [
        "b.yaml:3:12: briefing.version: must be a whole number, not 'three'",
        "b.yaml:24:9: member_comments[1].id: duplicate id 'partnership' (first used at "
        "member_comments[0])",
        "b.yaml:27:19: member_comments[1].meeting_date: must be a date like 2010-09-15, not "
        "'last July'",
        "b.yaml:28:18: member_comments[1].relates_to[0]: 'local-comissioning' is not the id of "
        "any key message; did you mean 'local-commissioning'?",
        # clearance[0].version is not compared: the briefing's own version is not sound
        "b.yaml:39:10: contact.email: is not a valid email address",
    ]


def test_a_reference_is_not_judged_while_a_key_message_id_is_unsound():
    text = edit("id: local-commissioning", "id: Local Commissioning")
    text = edit("contact:", COMMENT.replace("[local-commissioning]", "[anything]") + "contact:",
                text)
    assert problems(text) == [
        "b.yaml:15:9: key_messages[0].id: must be a short id of lower-case letters, digits and "
        "single hyphens, like 'local-commissioning' (try 'local-commissioning')"]


def test_problems_are_values_with_their_parts():
    with pytest.raises(ValidationFailed) as caught:
        load_text(edit("version: 1", "version: three"), "b.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.path) == (
        "b.yaml", 3, 12, "briefing.version")


def test_minimal_briefing_loads():
    loaded = load_text(MINIMAL, "b.yaml").value
    assert isinstance(loaded, Loaded)
    assert loaded.briefing.key_messages[0].id == "local-commissioning"
    assert loaded.briefing.meeting.counterparts[0].name == "Iain Duncan Smith MP"


# ---------------------------------------------------------------- files


def write(tmp_path: Path, data: bytes | str, name: str = "b.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def file_error(path: Path) -> str:
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    return str(caught.value)


def test_missing_file(tmp_path):
    assert file_error(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: no such file"


def test_folder(tmp_path):
    assert file_error(tmp_path) == f"{tmp_path}: is a folder, not a briefing file"


@pytest.mark.parametrize("content", [b"", b"\n\n   \n", b"# just a comment\n# and another\n"])
def test_empty_file(tmp_path, content):
    path = write(tmp_path, content)
    assert file_error(path) == f"{path}: is empty; run `briefing new` for a starter"


def test_fifty_megabyte_file_refused_quickly_without_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    message = file_error(path)
    assert time.perf_counter() - started < 0.5
    assert message == (f"{path}: is 50.0 MB; a briefing file must be under 10 MB "
                       "(is this the right file?)")


def test_file_just_over_the_limit_refused(tmp_path):
    path = write(tmp_path, b"# " + b"x" * MAX_BYTES)
    assert "a briefing file must be under 10 MB" in file_error(path)


def test_nul_bytes(tmp_path):
    path = write(tmp_path, b"briefing:\n  title: a\x00b\n")
    assert file_error(path) == (f"{path}: is not a text file (it holds NUL bytes); give the "
                                "briefing's .yaml file")


def test_invalid_utf8_named_at_its_line(tmp_path):
    path = write(tmp_path, MINIMAL.encode("utf-8").replace(b"Mind", b"Mind \xe9"))
    assert file_error(path) == (f"{path}:19:21: is not UTF-8 text (byte 0xE9 here); save the "
                                "file as UTF-8")


def test_utf16(tmp_path):
    path = write(tmp_path, MINIMAL.encode("utf-16"))
    assert file_error(path) == f"{path}: is saved as UTF-16; save it as UTF-8"


def test_word_document_given_by_mistake(tmp_path):
    path = write(tmp_path, b"PK\x03\x04" + b"\x00" * 100, "briefing.docx")
    assert file_error(path) == (f"{path}: is a Word document or other binary file, not a "
                                "briefing YAML file")


def test_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_briefing(path).value.briefing.briefing.version == 1


def test_input_file_is_never_changed(tmp_path):
    path = write(tmp_path, edit("version: 1", "version: three"))
    before = path.read_bytes()
    file_error(path)
    load_briefing(write(tmp_path, MINIMAL, "ok.yaml")).value.data  # noqa: B018
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.yaml", "ok.yaml"]


# ---------------------------------------------------------------- hostile YAML


def billion_laughs(levels: int = 10) -> str:
    lines = ['lol0: &lol0 ["lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*lol{i - 1}"] * 10)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    return MINIMAL + "\n".join(lines) + "\n"


def test_billion_laughs_answers_within_seconds():
    started = time.perf_counter()
    assert problems(billion_laughs()) == [
        "b.yaml:23:7: uses an anchor &lol0 (anchors and aliases are not allowed in a briefing; "
        "write the text out in full)"]
    assert time.perf_counter() - started < 2


def test_billion_laughs_in_a_file_through_round_trip_reader_too(tmp_path):
    from briefing.source.read import read_round_trip

    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as caught:
        read_round_trip(billion_laughs(), "b.yaml")
    assert str(caught.value) == ("b.yaml:24:14: uses an alias *lol0 (anchors and aliases are "
                                 "not allowed in a briefing; write the text out in full)")
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("text", [
    "a: " + "[" * 3_000_000,
    "a:\n" + "- " * 3_000_000 + "x\n",
    "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 400)),
], ids=["flow brackets", "block dashes", "indented keys"])
def test_very_deep_nesting_is_refused_quickly(text):
    started = time.perf_counter()
    (message,) = problems(text)
    assert message.endswith("nests more than 20 levels deep; a briefing never needs that")
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize("text, where", [
    ("a: " + "[" * 5000, "1:23"),
    ("a: " + "{a: " * 5000, "1:77"),
    ("a:\n  b: [x, *y, " + "[" * 5000, "2:10"),
], ids=["brackets", "braces", "alias before"])
def test_nesting_past_libyamls_own_limit_gets_our_located_message(text, where):
    # libyaml 0.2.6 (PyYAML 6.0.4) stops at 1000 levels with its own words; ours stand.
    (message,) = problems(text)
    if "alias" in message:
        assert message == ("b.yaml:2:10: uses an alias *y (anchors and aliases are not allowed "
                           "in a briefing; write the text out in full)")
    else:
        assert message == f"b.yaml:{where}: nests more than 20 levels deep; a briefing never needs that"


# ---------------------------------------------------------------- data, hash and round trip


def test_hash_ignores_comments_and_layout_but_not_content():
    plain_hash = load_text(MINIMAL).value.data_hash
    commented = "# a comment\n" + MINIMAL.replace("version: 1", "version: 1   # first draft")
    flowed = MINIMAL.replace("    - name: Iain Duncan Smith MP\n"
                             "      role: Secretary of State for Work and Pensions\n",
                             "    - {name: Iain Duncan Smith MP, "
                             "role: Secretary of State for Work and Pensions}\n")
    changed = MINIMAL.replace("Autumn 2010", "Winter 2010")
    assert load_text(commented).value.data_hash == plain_hash
    assert load_text(flowed).value.data_hash == plain_hash
    assert load_text(changed).value.data_hash != plain_hash
    assert len(plain_hash) == 64


def test_canonical_json_is_the_validated_data_with_sorted_keys():
    loaded = load_text(MINIMAL).value
    data = json.loads(loaded.canonical_json)
    assert data == loaded.briefing.model_dump(mode="json")
    assert list(data) == sorted(data)
    assert data["briefing"]["prepared"] == "2010-09-20"
    assert data["briefing"]["classification"] == "OFFICIAL"


def test_round_trip_data_keeps_comments_and_order():
    loaded = load_text("# top comment\n" + MINIMAL.replace("version: 1", "version: 1  # v"))
    data = loaded.value.data
    assert list(data) == ["briefing", "meeting", "objectives", "key_messages", "contact"]
    assert data.lc.key("meeting") == (5, 0)
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="rt").dump(data, out)
    assert "# top comment" in out.getvalue() and "version: 1  # v" in out.getvalue()


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_fast_and_round_trip_readers_agree_on_each_sample(path):
    loaded = load_briefing(path).value
    fast, _ = read_yaml(loaded.text, str(path))
    assert plain(loaded.data) == fast


@pytest.mark.parametrize("scalar", [
    "yes", "no", "on", "true", "False", "~", "null", "", "017", "0o17", "0x1F", "1_000", "-3",
    "+4", "1.5", "1e3", ".inf", "-.Inf", "2010-09-15", "2010-9-5 10:00:00", "2010-02-30",
    "2010-09-15T10:00:00Z", "12:30", "1,000", "£130 million", "O'Neill", "0b101",
])
def test_fast_reader_resolves_scalars_as_ruamel_does(scalar):
    import math

    from briefing.source.read import read_round_trip

    text = f"value: {scalar}\n"
    fast, _ = read_yaml(text, "b.yaml")
    slow = plain(read_round_trip(text, "b.yaml"))
    if isinstance(slow["value"], float) and math.isnan(slow["value"]):
        assert math.isnan(fast["value"])
    else:
        assert fast == slow
        assert type(fast["value"]) is type(slow["value"])


def test_large_generated_briefing_loads(tmp_path):
    import runpy

    make_large = runpy.run_path(str(ROOT / "samples" / "make_large.py"))
    path = make_large["write_large"](tmp_path / "large.yaml")
    loaded = load_briefing(path).value.briefing
    assert (len(loaded.key_messages), len(loaded.member_comments), len(loaded.case_studies)) \
        == (100, 1000, 60)
    again = make_large["write_large"](tmp_path / "again.yaml")
    assert again.read_bytes() == path.read_bytes()


def test_warnings_are_values_with_a_location():
    text = edit("objectives:", "case_studies:\n  - id: cs\n    council: Riverton Borough Council\n"
                "    title: T\n    excerpt: E\n    source: {title: S, year: 2010}\n"
                "    agreed_with_council: false\nobjectives:")
    result = load_text(text, "b.yaml")
    assert [str(m) for m in result.messages] == [
        "warning: b.yaml:18:26: case_studies[0].agreed_with_council: 'cs' is not yet agreed "
        "with Riverton Borough Council; agree it before the briefing is cleared"]


def test_problems_are_capped_with_a_count_of_the_rest():
    comments = "".join(f"  - id: c{i}\n    text: t\n    board: b\n    meeting_date: soon\n"
                       for i in range(150))
    lines = problems(edit("contact:", "member_comments:\n" + comments + "contact:"))
    assert len(lines) == 101
    assert lines[0] == ("b.yaml:22:19: member_comments[0].meeting_date: must be a date like "
                        "2010-09-15, not 'soon'")
    assert lines[-1] == "b.yaml:422:19: and 50 more problems from here on; fix those above first"


def test_a_tab_the_round_trip_reader_refuses_is_reported_even_in_a_valid_file():
    for old, new, where in [("briefing:\n", "briefing:\t\n", "1:10"),
                            ("Autumn 2010", "Autumn\t2010", "10:15")]:
        assert problems(MINIMAL.replace(old, new, 1)) == [
            f"b.yaml:{where}: a tab is not allowed here; use spaces (a tab is safe only inside "
            "quoted text)"]


def test_tabs_inside_quoted_text_are_fine():
    text = MINIMAL.replace("purpose: To press for", 'purpose: "To press\tfor').replace(
        "councils.\n", 'councils."\n')
    assert load_text(text).value.briefing.meeting.purpose == "To press\tfor a role for councils."


@pytest.mark.parametrize("typed", ["'Autumn\u20282010'", '"Autumn\\L2010"', '"Autumn\u20282010"'])
def test_a_line_separator_in_quoted_text_is_kept(typed):
    loaded = load_text(edit("Autumn 2010", typed)).value
    assert loaded.briefing.meeting.when == "Autumn\u20282010"
    assert plain(loaded.data) == read_yaml(loaded.text, "b.yaml")[0]


@settings(max_examples=300, deadline=None)
@given(typed=st.text(alphabet="ab #:-,.'\"&<>{}[]!%@`|*?~\u00e9", min_size=1, max_size=24))
def test_unquoted_text_is_read_exactly_as_typed_or_refused(typed):
    # YAML ends unquoted text at ' #'; the reader must never pass on what is left.
    try:
        data, _ = read_yaml(f"answer: {typed}\n", "b.yaml")
    except BriefingError:
        return
    value = data.get("answer") if isinstance(data, dict) else None
    if isinstance(value, str) and not typed.strip().startswith(("'", '"', "|", ">")):
        assert value == typed.strip()
