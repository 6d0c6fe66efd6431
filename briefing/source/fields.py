"""Walking the schema by location: which model a mapping is, which fields take a number as text.

A loc is a pydantic error location (a tuple of keys and list positions). The
loader uses `model_at` to suggest field names and `numbers_as_written` to hand
`item: 3` or `reference: 007` to the model as the text that was typed.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from briefing.source.model import Briefing, WrittenAsText

Loc = tuple[Union[str, int], ...]


def numbers_as_written(data: dict[str, Any], written: dict[Any, str]) -> dict[str, Any]:
    """Return `data` with each number typed into a field that takes one as text, as typed.

    `item: 3` is the text '3' and `reference: 007` stays '007'; `data` is not changed.
    """
    for loc, typed in written.items():
        if _takes_number_as_text(loc):
            data = _replaced(data, loc, typed)
    return data


def _takes_number_as_text(loc: Loc) -> bool:
    """Return True when the field at `loc` is text that a bare number may stand for."""
    model = model_at(loc[:-1])
    info = model.model_fields.get(str(loc[-1])) if model is not None else None
    if info is None:
        return False
    options = get_args(info.annotation) if get_origin(info.annotation) in (
        Union, types.UnionType) else (info.annotation,)
    return any(isinstance(m, WrittenAsText) for option in options
               for m in getattr(option, "__metadata__", ()))


def _replaced(data: Any, loc: Loc, value: Any) -> Any:
    """Return a copy of `data` with `value` at `loc` (containers copied along the way)."""
    if not loc:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[loc[0]] = _replaced(data[loc[0]], loc[1:], value)  # type: ignore[index]
    return copy


def model_at(loc: Loc) -> type[BaseModel] | None:
    """Return the model class that validates the mapping at `loc`, or None."""
    annotation: Any = Briefing
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = get_args(annotation)
            if get_origin(annotation) is not list or not args:
                return None
            annotation = args[0]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(part)
            if info is None:
                return None
            annotation = info.annotation
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) \
        else None


def _unwrap(annotation: Any) -> Any:
    """Return `annotation` without Optional / Annotated wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin is not None and hasattr(annotation, "__metadata__"):
            annotation = get_args(annotation)[0]
        else:
            return annotation
