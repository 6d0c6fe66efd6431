"""Rules beyond types: unique ids, references to key messages, the status gates.

The rules read the briefing as plain data (a validated `Briefing`'s
`model_dump()`, or the data as read from YAML) so that they can run in the
same pass as the type checks: `sound(loc)` says whether the value at `loc`
passed them, and a rule that needs a value that did not is skipped rather
than guessed at. Each problem is a `(loc, message)` pair for the loader to
place at its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Loc = tuple[Any, ...]
Sound = Callable[[Loc], bool]
SECTIONS_WITH_IDS = ("key_messages", "member_comments", "case_studies", "lines_to_take",
                     "background")
_FALSE = {"false", "f", "no", "n", "off", "0"}


def all_sound(loc: Loc) -> bool:
    """Return True: for a briefing that has passed every type check."""
    return True


def cross_field_problems(data: dict[str, Any], sound: Sound = all_sound
                         ) -> Iterator[tuple[Loc, str]]:
    """Yield (loc, message) for every rule beyond types that `data` breaks."""
    yield from _duplicate_ids(data, sound)
    yield from _references(data, sound)
    yield from _clearance_versions(data, sound)
    yield from status_problems(data, sound)


def _items(data: dict[str, Any], section: str) -> list[Any]:
    items = data.get(section)
    return items if isinstance(items, list) else []


def _field(item: Any, loc: Loc, sound: Sound) -> Any:
    """Return the field `loc[-1]` of mapping `item` when it passed its type check, else None."""
    if not isinstance(item, dict) or not sound(loc):
        return None
    value = item.get(loc[-1])
    return value.strip() if isinstance(value, str) else value


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _duplicate_ids(data: dict[str, Any], sound: Sound) -> Iterator[tuple[Loc, str]]:
    for section in SECTIONS_WITH_IDS:
        seen: dict[str, int] = {}
        for i, item in enumerate(_items(data, section)):
            item_id = _field(item, (section, i, "id"), sound)
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                yield ((section, i, "id"),
                       f"duplicate id '{item_id}' (first used at {section}[{seen[item_id]}])")
            else:
                seen[item_id] = i


def _references(data: dict[str, Any], sound: Sound) -> Iterator[tuple[Loc, str]]:
    if not isinstance(data.get("key_messages"), list):
        return
    ids = [_field(km, ("key_messages", i, "id"), sound)
           for i, km in enumerate(data["key_messages"])]
    if not all(isinstance(i, str) for i in ids):
        return  # an id that is not sound could be the one referred to
    known = set(ids)
    for section in ("member_comments", "case_studies"):
        for i, item in enumerate(_items(data, section)):
            refs = item.get("relates_to") if isinstance(item, dict) else None
            for j, ref in enumerate(refs if isinstance(refs, list) else []):
                loc = (section, i, "relates_to", j)
                if isinstance(ref, str) and sound(loc) and ref.strip() not in known:
                    yield loc, (f"'{ref.strip()}' is not the id of any key message"
                                + _suggest(ref.strip(), known))


def _version(data: dict[str, Any], sound: Sound) -> int | None:
    return _whole(_field(data.get("briefing"), ("briefing", "version"), sound))


def _clearance_versions(data: dict[str, Any], sound: Sound) -> Iterator[tuple[Loc, str]]:
    version = _version(data, sound)
    if version is None:
        return
    for i, entry in enumerate(_items(data, "clearance")):
        cleared = _whole(_field(entry, ("clearance", i, "version"), sound))
        if cleared is not None and cleared > version:
            yield (("clearance", i, "version"),
                   f"clears version {cleared}, but the briefing is at version {version}")


def status_problems(data: dict[str, Any], sound: Sound = all_sound
                    ) -> Iterator[tuple[Loc, str]]:
    """Yield (loc, message) for the status gates: agreed case studies, clearance record."""
    info = data.get("briefing")
    if not isinstance(info, dict) or not sound(("briefing", "status")):
        return
    status = getattr(info.get("status", "draft"), "value", info.get("status", "draft"))
    if status in ("cleared", "final"):
        for i, cs in enumerate(_items(data, "case_studies")):
            agreed = _field(cs, ("case_studies", i, "agreed_with_council"), sound)
            cs_id = _field(cs, ("case_studies", i, "id"), sound)
            council = _field(cs, ("case_studies", i, "council"), sound)
            if _is_false(agreed) and isinstance(cs_id, str) and isinstance(council, str):
                yield (("case_studies", i, "agreed_with_council"),
                       f"case study '{cs_id}' is not agreed with {council}; "
                       f"status '{status}' needs every case study agreed")
    version = _version(data, sound)
    if status == "cleared" and version is not None:
        entries = _items(data, "clearance")
        versions = [_whole(_field(e, ("clearance", i, "version"), sound))
                    for i, e in enumerate(entries)]
        if None not in versions and version not in versions:
            yield (("briefing", "status"),
                   f"status 'cleared' needs a clearance entry for version {version}")


def _is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() in _FALSE)


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
