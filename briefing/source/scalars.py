"""Plain (unquoted) YAML scalars resolved by the YAML 1.2 core schema, as ruamel.yaml reads them.

`plain_scalar` is what the fast reader (`briefing.source.read`) calls for every
unquoted value: booleans, integers, floats, nulls, dates and datetimes; any
other text stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X)
_INT = re.compile(r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""", re.X)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DATETIME = re.compile(r"""^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})
    (?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?
    (?:[ \t]*(Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$""", re.X)


def plain_scalar(value: str) -> Any:
    """Return the value of an unquoted scalar under the YAML 1.2 core schema (as ruamel reads it).

    A date that is not in the calendar (2010-02-30) stays text, so validation
    can say so at its line.
    """
    first = value[:1]
    if first in "tTfF" and _BOOL.match(value):
        return value[0] in "tT"
    if first in "-+0123456789.":
        if _FLOAT.match(value):
            return _float(value)
        if _INT.match(value):
            return _int(value)
    if first in "~nN" or not value:
        if _NULL.match(value):
            return None
    if first.isdigit():
        return _timestamp(value)
    return value


def _float(value: str) -> float:
    """Return a YAML float's value."""
    v = value.replace("_", "").lower()
    if v.endswith(".inf"):
        return float("-inf") if v.startswith("-") else float("inf")
    if v == ".nan":
        return float("nan")
    return float(v)


def _int(value: str) -> int:
    """Return a YAML 1.2 integer's value."""
    v = value.replace("_", "")
    sign = -1 if v.startswith("-") else 1
    v = v.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if v.startswith(prefix):
            return sign * int(v[2:], base)
    return sign * int(v)


def _timestamp(value: str) -> Any:
    """Return a date or datetime for a timestamp scalar; the text itself when not one."""
    m = _DATE.match(value)
    try:
        if m:
            return dt.date(*map(int, m.groups()))
        m = _DATETIME.match(value)
        if m:
            y, mo, d, h, mi, s, frac, _tz = m.groups()
            micro = int((frac or "0")[:6].ljust(6, "0"))
            return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro)
    except ValueError:
        return value
    return value
