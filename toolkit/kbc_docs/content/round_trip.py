"""Editing a content or registry file in place: ruamel.yaml's round trip, as the examples are
laid out.

A clerk's comments, key order, quoting and flow style of everything an edit does not touch
come back as they were; the file's byte order mark and Windows line ends too. Used where
kbc-docs writes into a clerk's file: the translator's texts merged in
(:mod:`kbc_docs.translate.merge`) and the entries ``kbc-docs new`` adds to a registry
(:mod:`kbc_docs.content.new`).
"""

from __future__ import annotations

from ruamel.yaml import YAML


def round_trip() -> YAML:
    """ruamel.yaml set up to write the content files as the examples are laid out."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap what is not edited
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def as_before(raw: str, new: str) -> bytes:
    """``new`` with the byte order mark and the Windows line ends ``raw`` had, if it had them."""
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    if "\r\n" in raw:
        new = new.replace("\n", "\r\n")
    return (bom + new).encode("utf-8")
