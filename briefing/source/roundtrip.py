"""ruamel.yaml's round-trip reader: the briefing's data with comments and layout kept.

Ten times slower than the fast reader, so a `Loaded` briefing reads it only when
asked (absorb edits and writes back with it). It refuses what the fast reader
refuses (aliases, deep nesting, duplicate keys), with the same messages, and
`needs_round_trip_check` / `first_difference` find the rare texts the two
readers read differently.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any

from briefing.errors import Problem, ValidationFailed
from briefing.source.yamlerrors import (
    ALIAS_MESSAGE,
    DEPTH_MESSAGE,
    MAX_DEPTH,
    ODD_BREAKS,
    control_character_problem,
    syntax_problems,
)

Loc = tuple[Any, ...]

_LONE_CR = re.compile("\r(?!\n)")


def needs_round_trip_check(text: str) -> bool:
    """Return True when libyaml and ruamel.yaml may read `text` differently.

    Found by fuzzing both readers: tabs, U+0085/U+2028/U+2029, and a carriage
    return that is not part of a Windows line end.
    """
    return ("\t" in text or ODD_BREAKS.search(text) is not None
            or _LONE_CR.search(text) is not None)


def first_difference(a: Any, b: Any, loc: Loc = ()) -> Loc | None:
    """Return the loc of the first place where `a` and `b` differ, or None when they are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key not in b:
                return loc + (key,)
            found = first_difference(a[key], b[key], loc + (key,))
            if found is not None:
                return found
        extra = [k for k in b if k not in a]
        return loc + (extra[0],) if extra else None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, loc + (i,))
            if found is not None:
                return found
        return None if len(a) == len(b) else loc + (min(len(a), len(b)),)
    return None if a == b else loc


def make_yaml() -> Any:
    """Return the ruamel.yaml round-trip reader/writer briefings are read and absorbed with."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Composer = _round_trip_classes()[0]
    yaml.Constructor = _round_trip_classes()[1]
    yaml.max_depth = MAX_DEPTH
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_round_trip(text: str, name: str) -> Any:
    """Return ruamel.yaml's round-trip data for `text` (comments kept); raise ValidationFailed."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a reused anchor: refused by read_yaml anyway
            return make_yaml().load(text)
    except _round_trip_classes()[2] as exc:
        mark = exc.problem_mark
        raise ValidationFailed([Problem(name, mark.line + 1, mark.column + 1, "",
                                        ALIAS_MESSAGE.format(name=exc.problem))]) from None
    except ReaderError:
        raise ValidationFailed([control_character_problem(text, name)]) from None
    except (TypeError, ValueError, RecursionError) as exc:  # e.g. a list used as a key
        raise ValidationFailed([Problem(name, 1, 1, "", f"cannot be read as YAML ({exc})")]) \
            from None
    except YAMLError as exc:
        if type(exc).__name__ == "MaxDepthExceededError":
            mark = getattr(exc, "problem_mark", None)
            if mark is None:
                raise ValidationFailed([Problem(name, 1, 1, "", DEPTH_MESSAGE)]) from None
            raise ValidationFailed([Problem(name, mark.line + 1, mark.column + 1, "",
                                            DEPTH_MESSAGE)]) from None
        raise ValidationFailed(syntax_problems(exc, text, name)) from None


_CLASSES: list[Any] = []


def _round_trip_classes() -> list[Any]:
    """Return [composer, constructor, alias error] classes for ruamel, made on first use."""
    if _CLASSES:
        return _CLASSES
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.events import AliasEvent

    class AliasRefused(MarkedYAMLError):
        """An alias (*name) was met: briefings never need them and they can be bombs."""

    class NoAliasComposer(Composer):
        """A composer that stops at the first alias instead of sharing the node."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.parser.check_event(AliasEvent):
                event = self.parser.peek_event()
                raise AliasRefused(None, None, event.anchor, event.start_mark)
            return super().compose_node(parent, index)

    class Constructor(RoundTripConstructor):
        """Round-trip constructor that leaves an impossible date (2010-02-30) as text."""

        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except (ValueError, OverflowError):
                return str(node.value)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp",
                                Constructor.construct_yaml_timestamp)
    _CLASSES.extend([NoAliasComposer, Constructor, AliasRefused])
    return _CLASSES


def plain(data: Any) -> Any:
    """Return round-trip data as plain dicts, lists and built-in scalars (for comparison)."""
    if isinstance(data, dict):
        return {_hashable(plain(k)): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, str):
        return str(data)
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    if isinstance(data, dt.datetime):
        return dt.datetime(*data.timetuple()[:6], data.microsecond)
    return data


def _hashable(key: Any) -> Any:
    """Return `key` as something a dict can hold (a list key becomes a tuple)."""
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key
