"""What comes back from a translator, whatever the format: one returned text per unit."""

from __future__ import annotations

import re
from dataclasses import dataclass


def language(code: str) -> str:
    """The language of a tag as tools write it: ``km-KH``, ``lo_LA``, ``KM`` → ``km``, ``lo``."""
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()


def file_name(original: str) -> str:
    """The content file's name from an ``original`` a tool may have turned into a path."""
    return re.split(r"[\\/]", original.strip())[-1]


@dataclass(frozen=True)
class Returned:
    """One unit as it came back."""

    id: str
    source: str  # the source text as exported (as the file holds it now)
    target: str  # "" when the translator left it empty
    hash: str | None  # the source hash stored at export, if the tool kept it
    where: str  # how to find it in the returned file, e.g. "row 12" or "line 40"


@dataclass(frozen=True)
class ReturnedFile:
    """A translated file: which content file and languages it was made for, and its units."""

    original: str  # the content file's name at export
    source: str
    target: str
    units: list[Returned]
