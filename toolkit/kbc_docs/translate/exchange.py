"""What comes back from a translator, whatever the format: one returned text per unit."""

from __future__ import annotations

from dataclasses import dataclass


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
