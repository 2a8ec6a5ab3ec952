"""The top of a version's first page: issuing bodies, number, Khmer lunar date, date line.

Decree 30 (and Hướng dẫn 36-HD/VPTW for Party bodies) fix what the header says; the language
file gives the wording and :mod:`kbc_docs.text.locale` the digits and dates.
"""

from __future__ import annotations

import datetime as dt

from kbc_docs.content.resolve import ResolvedParty
from kbc_docs.text.khmer_calendar import format_lunar_line
from kbc_docs.text.locale import Locale, fill
from kbc_docs.view.version import HeaderBody


def header_bodies(parties: list[ResolvedParty], lang: str, party_mark: str) -> list[HeaderBody]:
    """The issuing bodies of the top-left block, in the version's order of the parties; a Party
    body gets ``party_mark`` (the "*" of Hướng dẫn 36-HD/VPTW) under its name."""
    return [
        HeaderBody(
            superior=p.party.header.superior[lang] if p.party.header.superior else None,
            body=p.party.header.body[lang],
            mark=party_mark if p.party.format == "party" else "",
        )
        for p in parties
    ]


REGISTRY_ROOM = "\u00a0" * 8
"""Room left before "/BC-…" for the registry clerk to write the number at issue."""


def document_number(number: str | None, loc: Locale, pattern: str) -> str | None:
    """ "Số: 12/BC-MTTQ-BTT"; a number left for the registry ("/BC-…", Party "-BC/TU") gets room
    to write it by hand: "Số:        /BC-MTTQ-BTT"."""
    if not number:
        return None
    room = REGISTRY_ROOM if number[:1] in "/-" else ""
    return fill(pattern, number=room + loc.digits(number))


def lunar_line(day: dt.date | None, precision: str, loc: Locale) -> str:
    """The Khmer lunar date line; dotted when the day is not known yet (written at signing)."""
    if day is None or precision != "day":
        return loc.data.blank
    return format_lunar_line(day)
