"""The briefing schema (the contract in DESIGN.md) as pydantic v2 models.

Field names are the contract: samples, tests and users rely on them. Every
model forbids unknown fields and is frozen; cross-field rules are
`model_validator(mode="after")` checks that raise with the field path in the
message's `loc` so the loader can point at the right line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

# Characters XML 1.0 cannot hold: C0 controls other than tab, LF, CR; U+FFFE/U+FFFF; surrogates.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
                    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_UK_PHONE = re.compile(r"^(?:\+44\s?(?:\(0\)\s?)?|0)(?:\d\s?){9,10}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 20_000


def _xml_safe(value: str) -> str:
    m = _XML_BAD.search(value)
    if m:
        raise PydanticCustomError(
            "xml_char",
            "contains a control character ({char}, character {pos} of the text) that Word "
            "documents cannot hold",
            {"char": f"U+{ord(m.group()):04X}", "pos": m.start() + 1},
        )
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        suggestion = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
        hint = f" (try '{suggestion}')" if suggestion else ""
        raise PydanticCustomError(
            "slug", "must be a short id of lower-case letters, digits and single hyphens, "
            "like 'local-commissioning'{hint}", {"hint": hint})
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("email", "is not a valid email address")
    return value


def _uk_phone(value: str) -> str:
    if not (_UK_PHONE.match(value.strip()) and _uk_length_ok(value)):
        raise PydanticCustomError(
            "phone", "is not a UK phone number (e.g. 020 7664 3000 or +44 20 7664 3000)")
    return value.strip()


def _uk_length_ok(value: str) -> bool:
    """Return True when a UK number has as many digits as its kind needs (Ofcom's plan)."""
    digits = re.sub(r"\D", "", value)
    national = digits[2:] if value.strip().startswith("+44") else digits[1:]
    if national.startswith("0"):  # +44 (0)20 ...
        national = national[1:]
    wanted = {"1": (9, 10), "2": (10,), "3": (10,), "5": (10,), "7": (10,), "8": (9, 10),
              "9": (10,)}.get(national[:1], ())
    return len(national) in wanted


def _date(value: Any) -> Any:
    """Return `value` as a date: a date, or text in the form 2010-09-15 (nothing else)."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise PydanticCustomError("date", "must be a date like 2010-09-15, without a time")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date", "'{value}' is not a date in the calendar", {"value": value.strip()}
            ) from None
    raise PydanticCustomError("date", "must be a date like 2010-09-15, not {given}",
                              {"given": describe(value)})


def describe(value: Any) -> str:
    """Return how a user would name `value` in a message: 'three', the number 3, a list."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown) if "'" not in shown else f'"{shown}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


Date = Annotated[dt.date, BeforeValidator(_date)]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_xml_safe),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_xml_safe),
]


class WrittenAsText:
    """Marks a text field where a bare number is natural (`item: 3`, `when: 2011`).

    The loader hands such a field the number as it was typed (`007` stays `007`);
    built in code, a whole number becomes its digits.
    """


def _number_as_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


NumberOrText = Annotated[
    str,
    BeforeValidator(_number_as_text),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_xml_safe),
    WrittenAsText(),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1, "maxLength": 500},
                              {"type": "integer"}, {"type": "number"}]}),
]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=60), AfterValidator(_slug)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254),
                  AfterValidator(_email)]
UKPhone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_uk_phone)]


class Classification(str, Enum):
    """Protective marking shown in capitals in every header and footer."""

    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
    NONE = "NONE"


class Status(str, Enum):
    """Where the draft is: draft -> for-clearance -> cleared -> final."""

    DRAFT = "draft"
    FOR_CLEARANCE = "for-clearance"
    CLEARED = "cleared"
    FINAL = "final"


class Outcome(str, Enum):
    """What a lead member decided about a version."""

    CLEARED = "cleared"
    CLEARED_WITH_CHANGES = "cleared-with-changes"
    NOT_CLEARED = "not-cleared"


class Strict(BaseModel):
    """Base: unknown fields are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class BriefingInfo(Strict):
    """About the document: title, reference, marking, status, version, date prepared."""

    title: ShortText
    reference: NumberOrText | None = None
    classification: Classification = Classification.OFFICIAL
    status: Status = Status.DRAFT
    version: int = Field(strict=True, ge=1, le=10_000)
    prepared: Date


class Person(Strict):
    """Someone at the meeting."""

    name: ShortText
    role: ShortText
    organisation: ShortText | None = None


class Meeting(Strict):
    """The meeting: who is briefed, whom they meet, when (date or when), where, why."""

    principal: Person
    counterparts: list[Person] = Field(min_length=1)
    date: Date | None = None
    when: NumberOrText | None = None
    venue: ShortText | None = None
    requested_by: ShortText | None = None
    purpose: Text

    @model_validator(mode="after")
    def _date_or_when(self) -> Meeting:
        if self.date is None and self.when is None:
            raise PydanticCustomError(
                "date_or_when",
                "give the meeting's date or, if not yet fixed, when (e.g. 'Autumn 2010')")
        return self


class KeyMessage(Strict):
    """A message board members suggested for the meeting; `id` is a stable slug."""

    id: Slug
    headline: Text
    points: list[Text] = Field(default_factory=list)
    suggested_by: list[ShortText] = Field(min_length=1)
    priority: int | None = Field(default=None, strict=True, ge=1, le=1000)


class MemberComment(Strict):
    """A comment minuted at a board meeting; relates_to lists key message ids."""

    id: Slug
    text: Text
    board: ShortText
    meeting_date: Date
    item: NumberOrText | None = None
    member: ShortText | None = None
    relates_to: list[Slug] = Field(default_factory=list)


class Source(Strict):
    """The publication a case study comes from."""

    title: ShortText
    year: int = Field(strict=True, ge=1900, le=2100)
    url: ShortText | None = None


class CaseStudy(Strict):
    """An excerpt from a council publication, to be agreed with the council before clearance."""

    id: Slug
    council: ShortText
    title: ShortText
    excerpt: Text
    outcomes: list[Text] = Field(default_factory=list)
    source: Source
    agreed_with_council: bool
    relates_to: list[Slug] = Field(default_factory=list)


class LineToTake(Strict):
    """An "if asked" question and the line to take."""

    id: Slug
    question: Text
    answer: Text


class BackgroundSection(Strict):
    """Background reading: a heading and its paragraphs."""

    id: Slug
    heading: ShortText
    paragraphs: list[Text] = Field(min_length=1)


class Contact(Strict):
    """The officer who prepared the briefing (UK phone number, email)."""

    name: ShortText
    position: ShortText
    phone: UKPhone
    email: Email


class ClearanceEntry(Strict):
    """Who cleared which version, when, and with what outcome."""

    reviewer: ShortText
    role: ShortText
    version: int = Field(strict=True, ge=1, le=10_000)
    date: Date
    outcome: Outcome


class Briefing(Strict):
    """A Chairman's briefing: the meeting, key messages, member comments and case studies.

    Rules across fields (unique ids, references, status gates) are listed by
    `cross_field_problems`; the loader reports each at its own line.
    """

    briefing: BriefingInfo
    meeting: Meeting
    objectives: list[Text] = Field(min_length=1, max_length=3)
    key_messages: list[KeyMessage] = Field(min_length=1)
    member_comments: list[MemberComment] = Field(default_factory=list)
    case_studies: list[CaseStudy] = Field(default_factory=list)
    lines_to_take: list[LineToTake] = Field(default_factory=list)
    background: list[BackgroundSection] = Field(default_factory=list)
    contact: Contact
    clearance: list[ClearanceEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_field(self, info: ValidationInfo) -> Briefing:
        if info.context and info.context.get("skip_cross_field"):
            return self
        problems = list(cross_field_problems(self))
        if problems:
            # Reported one at a time by pydantic; the loader calls cross_field_problems
            # directly to report every one at its own line.
            loc, message = problems[0]
            raise PydanticCustomError("cross_field", "{loc}: {message}",
                                      {"loc": ".".join(map(str, loc)), "message": message})
        return self


def cross_field_problems(b: Briefing) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Yield (loc, message) for every rule beyond types: unique ids, references, status gates."""
    from briefing.source import rules

    return rules.cross_field_problems(b.model_dump())


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a briefing file."""
    schema = Briefing.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Chairman's briefing"
    return schema
