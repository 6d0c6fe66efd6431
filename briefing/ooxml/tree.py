"""Tree steps that must succeed: an element's parent, a required child.

lxml answers None for an element with no parent or no such child. Code that
edits a paragraph it found inside a body knows the parent exists; these
helpers say so once, and turn the impossible case into a DocumentError
instead of an AttributeError far from its cause.

`itertext` and `attributes` are lxml's own calls, typed as lxml gives them on
Python 3 (str); lxml-stubs declares them str | bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from lxml import etree

from briefing.errors import DocumentError


def parent(el: etree._Element) -> etree._Element:
    """Return `el`'s parent; raise DocumentError when `el` has none (a detached element)."""
    up = el.getparent()
    if up is None:
        raise DocumentError(f"the document's XML is not as expected: <{el.tag}> has no parent")
    return up


def child(el: etree._Element, tag: str) -> etree._Element:
    """Return `el`'s first child with Clark name `tag`; raise DocumentError when it has none."""
    found = el.find(tag)
    if found is None:
        raise DocumentError(f"the document's XML is not as expected: <{el.tag}> has no <{tag}>")
    return found


def detach(el: etree._Element) -> None:
    """Remove `el` from its parent; an element already detached is left as it is."""
    up = el.getparent()
    if up is not None:
        up.remove(el)


def itertext(el: etree._Element) -> Iterator[str]:
    """Return `el.itertext()`: the text and tails inside `el`, in document order."""
    return cast("Iterator[str]", el.itertext())


def attributes(el: etree._Element) -> list[tuple[str, str]]:
    """Return `el.items()`: its (Clark name, value) attribute pairs, in document order."""
    return cast("list[tuple[str, str]]", el.items())
