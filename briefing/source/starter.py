"""`briefing new`: a commented starter file that validates and builds as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.errors import BriefingError
from briefing.paths import atomic_write_text, check_writable

SCHEMA_FILE = "briefing.schema.json"

STARTER = """\
# yaml-language-server: $schema={schema}
#
# A Chairman's briefing. Fill in each section, then:
#   briefing validate {name}     lists every problem with its line number
#   briefing build {name}        writes the Word document beside this file
# For completion and checking as you type (VS Code with the YAML extension):
#   briefing schema > {schema}
# Text may be written on one line, or folded over several lines after '>-'.
# Put text in quotes when it starts with a quote, '-', '[' or '{{', or holds ': ' or ' #',
# and when a comment follows it on its line (unquoted text ends at ' #').

# About the document itself. status moves draft -> for-clearance -> cleared -> final;
# 'cleared' needs a clearance entry (at the end) for the current version.
briefing:
  title: Meeting with the Secretary of State
  reference: "LGA/BRF/001"          # optional: your file reference
  classification: "OFFICIAL"        # OFFICIAL, OFFICIAL-SENSITIVE or NONE
  status: draft
  version: 1                        # raise it each time the draft goes out again
  prepared: {today}

# The meeting: who we brief (principal), whom they meet (counterparts), when,
# where and why. Give 'date' (like 2010-09-15) or, while it is not fixed, 'when'.
meeting:
  principal:
    name: Cllr Jane Example
    role: Chairman
    organisation: Local Government Association
  counterparts:
    - name: Rt Hon John Example MP
      role: Secretary of State for Work and Pensions
      organisation: Department for Work and Pensions
  when: Autumn (date to be confirmed)
  venue: To be confirmed
  requested_by: The Secretary of State's office
  purpose: >-
    To set out councils' role in the new programme and agree the next steps.

# One to three things the principal should come away with.
objectives:
  - Agree that officials meet the Local Government Association before decisions are taken.

# The messages board members suggested for the meeting. Each needs a short,
# unique id (lower-case letters, digits and hyphens): comments and case
# studies point at it in relates_to, and cleared edits are traced through it.
key_messages:
  - id: councils-role
    headline: Councils should have a real role in commissioning the programme.
    points:
      - Councils already fund and run employment support in most areas.
    suggested_by:
      - City Regions Board
    priority: 1                     # optional: 1 comes first

# Comments minuted at board meetings: the text, which board and when; the item
# and the member's name when the minutes give them.
member_comments:
  - id: partnership
    text: Members felt national commissioning sat uneasily with partnership working.
    board: City Regions Board
    meeting_date: {today}
    item: Item 4
    relates_to: [councils-role]

# Excerpts from council publications. Set agreed_with_council to true only once
# the council has agreed the wording: the briefing cannot be cleared before.
case_studies:
  - id: example-council
    council: Example Borough Council
    title: sharing data to target support
    excerpt: >-
      The council and Jobcentre Plus share what they know about residents out of
      work, so each person is offered support that fits their needs.
    outcomes:
      - Four in ten residents supported were in work a year later.
    source:
      title: Working together on employment support
      year: {year}
    agreed_with_council: false
    relates_to: [councils-role]

# "If asked": questions the principal may face, with the line to take.
lines_to_take:
  - id: capacity
    question: Do councils have the capacity to do this?
    answer: Many already do, as the case studies show.

# Background the principal may want to read before the meeting.
background:
  - id: policy
    heading: The policy so far
    paragraphs:
      - The department plans to commission the programme nationally from next year.

# The officer who prepared the briefing (a UK phone number and an email).
contact:
  name: Officer Name
  position: Policy Adviser
  phone: 020 7664 3000
  email: officer.name@local.gov.uk

# Who cleared which version: reviewer, role, version, date and outcome
# (cleared, cleared-with-changes or not-cleared). Leave empty until then.
clearance: []
"""


def starter_text(name: str = "briefing.yaml", today: dt.date | None = None) -> str:
    """Return the starter YAML for a file called `name`, dated `today`."""
    today = today or dt.date.today()
    return STARTER.format(schema=SCHEMA_FILE, name=name, today=today.isoformat(),
                          year=today.year)


def write_starter(path: str | Path, force: bool = False) -> Path:
    """Return `path` after writing the starter there; refuse to replace a file without force."""
    path = Path(path)
    if path.is_dir():
        raise BriefingError(f"{path}: is a folder; give a file name such as {path}/briefing.yaml")
    if not path.parent.is_dir():
        raise BriefingError(f"{path}: the folder {path.parent} does not exist")
    check_writable(path, force=force)
    try:
        atomic_write_text(path, starter_text(path.name))
    except OSError as exc:
        raise BriefingError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return path
