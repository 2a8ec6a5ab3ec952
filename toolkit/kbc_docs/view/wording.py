"""A content value as a language version prints it, inside or outside a sentence.

A fact the content leaves to be completed (:class:`~kbc_docs.content.schema.Todo`) prints as the
language file's dotted blank wherever it stands, so that rule is written here once for texts,
places, people and dates, and every part of the document (header, body, signatures) uses it.
"""

from __future__ import annotations

import datetime as dt

from kbc_docs.content.resolve import Resolved
from kbc_docs.content.schema import Todo
from kbc_docs.content.values import PartialDate, Text
from kbc_docs.text.locale import Locale, Precision, fill


def day_and_precision(value: PartialDate | Todo) -> tuple[dt.date | None, Precision]:
    """A content date as the locale formats it: the day (None when to be completed) and how
    much of it is known."""
    if isinstance(value, Todo):
        return None, "day"
    return value.first, value.precision


def printed_text(value: Text | Todo, loc: Locale) -> str:
    """A text in the version's language, or the dotted space of a fact to be completed."""
    return loc.data.blank if isinstance(value, Todo) else value[loc.code]


def printed_place(
    value: str | Todo, resolved: Resolved, loc: Locale, blank: str | None = None
) -> str:
    """A place's name in the version's language, or ``blank`` (the language's dotted space
    when None) for a place to be completed."""
    if isinstance(value, Todo):
        return blank or loc.data.blank
    return resolved.places[value][loc.code]


def date_in_sentence(value: PartialDate | Todo, loc: Locale) -> str:
    """A date inside a sentence, as precise as it is known, or dotted."""
    day, precision = day_and_precision(value)
    return loc.on_date(day, precision)


def short_date(value: PartialDate | Todo, loc: Locale) -> str:
    """The signing date inside the copies clause ("16/11/2023"), dotted where not known."""
    return loc.short_date(*day_and_precision(value))


def optional_part(pattern: str, **values: str | None) -> str:
    """One optional part of a generated sentence: "" when a fact it names is left out (None)."""
    if any(value is None for value in values.values()):
        return ""
    return fill(pattern, **values)  # type: ignore[arg-type]


def person_line(person_id: str | Todo, resolved: Resolved, loc: Locale) -> str:
    if isinstance(person_id, Todo):
        return loc.data.blank
    person = resolved.people[person_id]
    lang = loc.code
    return fill(
        loc.data.person,
        honorific=person.honorific[lang],
        name=person.name[lang],
        titles=loc.data.title_separator.join(t[lang] for t in person.titles),
    )
