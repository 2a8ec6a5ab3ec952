"""Bookmarks stay unique when a template's loops repeat the paragraphs holding them.

Word leaves bookmarks all over a template a clerk edited (``_GoBack``, the last edit; named
ones from cross-references). Inside ``{%p for %}`` they are repeated once per version, signer or
paragraph, and a document with two bookmarks of one id or name is one Word "repairs".
Here every bookmark gets a new id, its end follows it, and a repeated name keeps only its
first bookmark (a bookmark marks one place).
"""

from __future__ import annotations

import itertools

from lxml import etree

from kbc_docs.render.docx.ooxml import w

__all__ = ["unique_bookmarks"]


def unique_bookmarks(root: etree._Element, ids: itertools.count[int]) -> None:
    """Renumber the bookmarks of one part from ``ids`` (shared by the parts of a document)."""
    names: set[str] = set()
    open_ends: dict[str, list[str | None]] = {}  # old id → new ids of its open starts
    for mark in list(root.iter(w("bookmarkStart"), w("bookmarkEnd"))):
        old = mark.get(w("id"), "")
        if mark.tag == w("bookmarkStart"):
            name = mark.get(w("name"), "")
            if name in names:
                _remove(mark)
                open_ends.setdefault(old, []).append(None)  # its end goes too
                continue
            names.add(name)
            new = str(next(ids))
            mark.set(w("id"), new)
            open_ends.setdefault(old, []).append(new)
        else:
            pending = open_ends.get(old)
            new = pending.pop(0) if pending else None
            if new is None:
                _remove(mark)
            else:
                mark.set(w("id"), new)


def _remove(mark: etree._Element) -> None:
    parent = mark.getparent()
    if parent is not None:
        parent.remove(mark)
