"""The words on the editor's forms: a label and a hint for each field of the schema.

Forms are generated from the schema, so a field that is not named here still
gets a label (its name, in words) and a hint (what kind of value it takes).
"""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "briefing": "About the briefing",
    "meeting": "The meeting",
    "objectives": "Objectives",
    "key_messages": "Key messages",
    "member_comments": "Member comments",
    "case_studies": "Case studies",
    "lines_to_take": "Lines to take (if asked)",
    "background": "Background",
    "contact": "Contact",
    "clearance": "Clearance",
}

# What one entry of a list is called, for "Add another ..." and "Key message 2".
ITEMS: dict[str, str] = {
    "objectives": "objective",
    "key_messages": "key message",
    "member_comments": "member comment",
    "case_studies": "case study",
    "lines_to_take": "line to take",
    "background": "background section",
    "clearance": "clearance entry",
    "counterparts": "counterpart",
    "points": "point",
    "suggested_by": "suggested by",
    "outcomes": "outcome",
    "paragraphs": "paragraph",
}

LABELS: dict[str, str] = {
    "id": "Short id",
    "url": "Web address",
    "requested_by": "Requested by",
    "meeting_date": "Meeting date",
    "agreed_with_council": "Agreed with the council",
    "relates_to": "Relates to key messages",
    "suggested_by": "Suggested by",
    "when": "When (if the date is not fixed)",
}

HINTS: dict[str, str] = {
    "briefing.title": "The title of the document, as it appears at the top.",
    "briefing.reference": "Optional: your file reference, for example LGA/BRF/001.",
    "briefing.classification": "The marking shown in every header and footer.",
    "briefing.status": "draft, then for-clearance, cleared and final.",
    "briefing.version": "A whole number; raise it each time the draft goes out again.",
    "briefing.prepared": "The date the briefing was prepared.",
    "principal": "Who is briefed.",
    "counterparts": "Whom they meet.",
    "name": "The person's name as it should be printed.",
    "role": "Their role or title.",
    "organisation": "Optional: their organisation.",
    "meeting.date": "Give the date, or 'When' while the date is not fixed.",
    "when": "For example 'Autumn 2010'; leave empty when the date is given.",
    "venue": "Optional: where the meeting is.",
    "requested_by": "Optional: who asked for the meeting.",
    "purpose": "Why the meeting is happening, in a sentence or two.",
    "objectives": "One to three things the principal should come away with.",
    "id": "Lower-case letters, digits and single hyphens, like local-commissioning.",
    "headline": "The message in one sentence.",
    "points": "Supporting points, one per entry.",
    "suggested_by": "The board or member who suggested it.",
    "priority": "Optional: a whole number; 1 comes first.",
    "text": "What was said, as minuted.",
    "board": "The board whose minutes record the comment.",
    "meeting_date": "The date of the board meeting.",
    "item": "Optional: the agenda item, for example 4 or Item 4.",
    "member": "Optional: the member who made the comment.",
    "relates_to": "Tick the key messages this supports.",
    "council": "The council that contributed the case study.",
    "title": "The title of the publication.",
    "case_studies.title": "What the council did, in a few words.",
    "excerpt": "The excerpt as agreed with the council.",
    "outcomes": "Measurable results, one per entry.",
    "source": "The publication the excerpt comes from.",
    "year": "The year of publication, for example 2010.",
    "url": "Optional: where the publication is online.",
    "agreed_with_council": "Tick once the council has agreed the wording; "
                           "the briefing cannot be cleared before.",
    "question": "The question the principal may be asked.",
    "answer": "The line to take.",
    "heading": "The heading of this background section.",
    "paragraphs": "One paragraph per entry.",
    "position": "The officer's job title.",
    "phone": "A UK phone number, for example 020 7664 3000.",
    "email": "For example officer.name@local.gov.uk.",
    "reviewer": "The lead member who reviewed the draft.",
    "version": "The version they reviewed (a whole number).",
    "date": "The date.",
    "outcome": "cleared, cleared-with-changes or not-cleared.",
}

KIND_HINTS: dict[str, str] = {
    "text": "Text.",
    "textarea": "Text; it may run over several lines.",
    "integer": "A whole number.",
    "date": "A date.",
    "select": "Choose one.",
    "checkbox": "Tick if it applies.",
    "group": "",
    "list": "",
    "choices": "Tick those that apply.",
}


def label_for(name: str) -> str:
    """Return the visible label of field `name` (its own words, or its name in words)."""
    if name in LABELS:
        return LABELS[name]
    if name in SECTIONS:
        return SECTIONS[name]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def hint_for(section: str, name: str, kind: str) -> str:
    """Return the hint of field `name` in `section`, or one saying what kind of value it takes."""
    return HINTS.get(f"{section}.{name}") or HINTS.get(name) or KIND_HINTS.get(kind, "")


def item_label(name: str) -> str:
    """Return what one entry of list `name` is called ("key message")."""
    if name in ITEMS:
        return ITEMS[name]
    label = label_for(name).lower()
    return label[:-1] if label.endswith("s") else f"{label} entry"
