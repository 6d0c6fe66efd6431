"""The schema itself: field rules, cross-field rules, and the JSON Schema it publishes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from briefing.source.model import (
    Briefing,
    Contact,
    KeyMessage,
    Meeting,
    cross_field_problems,
    describe,
    json_schema,
)
from briefing.source.read import read_yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def minimal(**changes) -> dict:
    """Return the data of a small valid briefing, with top-level sections replaced."""
    data = {
        "briefing": {"title": "Meeting", "version": 1, "prepared": "2010-09-20"},
        "meeting": {"principal": {"name": "Baroness Eaton", "role": "Chairman"},
                    "counterparts": [{"name": "Iain Duncan Smith MP",
                                      "role": "Secretary of State"}],
                    "when": "Autumn 2010", "purpose": "To press for a role for councils."},
        "objectives": ["Agree a pilot."],
        "key_messages": [{"id": "local-commissioning", "headline": "Councils should commission.",
                          "suggested_by": ["Regeneration and Transport Board"]}],
        "contact": {"name": "Philip Mind", "position": "Senior Policy Consultant",
                    "phone": "020 7664 3243", "email": "Philip.mind@local.gov.uk"},
    }
    data.update(changes)
    return data


def test_defaults():
    b = Briefing.model_validate(minimal())
    assert b.briefing.classification.value == "OFFICIAL"
    assert b.briefing.status.value == "draft"
    assert b.member_comments == [] and b.case_studies == [] and b.clearance == []


def test_models_are_frozen_and_forbid_unknown_fields():
    b = Briefing.model_validate(minimal())
    with pytest.raises(ValidationError):
        b.briefing.title = "Changed"  # type: ignore[misc]
    with pytest.raises(ValidationError) as caught:
        KeyMessage(id="a", headline="b", suggested_by=["c"], colour="red")
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_text_is_stripped_and_kept_otherwise_exactly():
    km = KeyMessage(id="a", headline="  R&D <b> {{ x }} “quotes” café £5 漢字 🙂 \n",
                    suggested_by=["x"])
    assert km.headline == "R&D <b> {{ x }} “quotes” café £5 漢字 🙂"


@pytest.mark.parametrize("value, expected", [
    ("2010-09-15", dt.date(2010, 9, 15)),
    (dt.date(2010, 9, 15), dt.date(2010, 9, 15)),
    (dt.datetime(2010, 9, 15), dt.date(2010, 9, 15)),
])
def test_dates_accepted(value, expected):
    assert Meeting(principal={"name": "a", "role": "b"}, counterparts=[{"name": "c", "role": "d"}],
                   date=value, purpose="p").date == expected


@pytest.mark.parametrize("value, message", [
    ("15/09/2010", "must be a date like 2010-09-15, not '15/09/2010'"),
    ("2010-02-30", "'2010-02-30' is not a date in the calendar"),
    (20100915, "must be a date like 2010-09-15, not the number 20100915"),
    (True, "must be a date like 2010-09-15, not true"),
    (dt.datetime(2010, 9, 15, 10, 30), "must be a date like 2010-09-15, without a time"),
])
def test_dates_refused(value, message):
    with pytest.raises(ValidationError) as caught:
        Meeting(principal={"name": "a", "role": "b"}, counterparts=[{"name": "c", "role": "d"}],
                date=value, purpose="p")
    assert caught.value.errors()[0]["msg"] == message


@pytest.mark.parametrize("phone", ["020 7664 3243", "02076643243", "+44 20 7664 3243",
                                   "+44 (0)20 7664 3243", "07700 900123", "01632 960 001"])
def test_uk_phone_numbers_accepted(phone):
    Contact(name="a", position="b", phone=phone, email="a@b.gov.uk")


@pytest.mark.parametrize("phone", ["7664 3243", "555-1234", "+1 212 555 0100", "020 7664 324",
                                   "phone me", "020 7664 3243 ext 5"])
def test_uk_phone_numbers_refused(phone):
    with pytest.raises(ValidationError) as caught:
        Contact(name="a", position="b", phone=phone, email="a@b.gov.uk")
    assert caught.value.errors()[0]["msg"] == (
        "is not a UK phone number (e.g. 020 7664 3000 or +44 20 7664 3000)")


@pytest.mark.parametrize("email", ["Philip.mind@local.gov.uk", "a+b@example.org",
                                   "o'neill@council.gov.uk"])
def test_emails_accepted(email):
    Contact(name="a", position="b", phone="020 7664 3000", email=email)


@pytest.mark.parametrize("email", ["Philip.mind@", "@local.gov.uk", "no at sign", "a@b",
                                   "a@@b.com", "a b@c.com"])
def test_emails_refused(email):
    with pytest.raises(ValidationError) as caught:
        Contact(name="a", position="b", phone="020 7664 3000", email=email)
    assert caught.value.errors()[0]["msg"] == "is not a valid email address"


def test_cross_field_rules_raise_when_the_model_is_built_directly():
    data = minimal(member_comments=[{"id": "c", "text": "t", "board": "b",
                                     "meeting_date": "2010-07-14", "relates_to": ["nope"]}])
    with pytest.raises(ValidationError) as caught:
        Briefing.model_validate(data)
    assert "'nope' is not the id of any key message" in str(caught.value)


def test_cross_field_problems_lists_every_rule_broken():
    comment = {"id": "c", "text": "t", "board": "b", "meeting_date": "2010-07-14"}
    study = {"id": "s", "council": "Riverton", "title": "t", "excerpt": "e",
             "source": {"title": "S", "year": 2010}, "agreed_with_council": False,
             "relates_to": ["local-comissioning"]}
    data = minimal(
        briefing={"title": "T", "version": 2, "prepared": "2010-09-20", "status": "cleared"},
        member_comments=[comment, comment],
        case_studies=[study],
        clearance=[{"reviewer": "r", "role": "x", "version": 3, "date": "2010-09-21",
                    "outcome": "cleared"}],
    )
    b = Briefing.model_validate(data, context={"skip_cross_field": True})
    assert list(cross_field_problems(b)) == [
        (("member_comments", 1, "id"), "duplicate id 'c' (first used at member_comments[0])"),
        (("case_studies", 0, "relates_to", 0),
         "'local-comissioning' is not the id of any key message; did you mean "
         "'local-commissioning'?"),
        (("clearance", 0, "version"), "clears version 3, but the briefing is at version 2"),
        (("case_studies", 0, "agreed_with_council"),
         "case study 's' is not agreed with Riverton; status 'cleared' needs every case study "
         "agreed"),
        (("briefing", "status"), "status 'cleared' needs a clearance entry for version 2"),
    ]


def test_cleared_with_a_clearance_entry_for_the_version_is_valid():
    data = minimal(briefing={"title": "T", "version": 2, "prepared": "2010-09-20",
                             "status": "cleared"},
                   clearance=[{"reviewer": "Cllr Jean Hart", "role": "Lead member", "version": 2,
                               "date": "2010-09-21", "outcome": "cleared"}])
    assert Briefing.model_validate(data).briefing.status.value == "cleared"


@pytest.mark.parametrize("value, expected", [
    (None, "empty"), (True, "true"), (3, "the number 3"), (1.5, "the number 1.5"),
    ("three", "'three'"), ("O'Neill", '"O\'Neill"'), ([1], "a list"), ({"a": 1}, "a mapping"),
    (dt.date(2010, 9, 15), "the date 2010-09-15"), ("x" * 50, "'" + "x" * 37 + "...'"),
])
def test_describe_names_values_as_a_user_would(value, expected):
    assert describe(value) == expected


# ---------------------------------------------------------------- JSON Schema


def test_json_schema_structure():
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"briefing", "meeting", "objectives", "key_messages",
                                       "contact"}
    assert set(schema["properties"]) == set(Briefing.model_fields)
    info = schema["$defs"]["BriefingInfo"]["properties"]
    assert info["prepared"] == {"format": "date", "title": "Prepared", "type": "string"}
    json.dumps(schema)


def _as_editor_sees_it(value):
    """Return YAML data as a JSON-Schema-aware editor sees it (dates are strings)."""
    if isinstance(value, dict):
        return {k: _as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees_it(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_validate_against_the_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    data, _ = read_yaml(path.read_text(encoding="utf-8"), str(path))
    validator = jsonschema.Draft202012Validator(json_schema())
    assert [e.message for e in validator.iter_errors(_as_editor_sees_it(data))] == []


def test_json_schema_flags_what_the_model_refuses():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    data = minimal()
    data["key_messages"][0]["headlin"] = data["key_messages"][0].pop("headline")
    messages = sorted(e.message for e in validator.iter_errors(data))
    assert any("'headline' is a required property" in m for m in messages)
    assert any("'headlin' was unexpected" in m for m in messages)
