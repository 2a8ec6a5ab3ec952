"""Check the facts of a content file that the schema cannot see alone.

A clerk fixing a file wants the whole list at once, each with file, line and field path, what is
wrong and what is expected, not one error per run. Schema errors are reworded in
:mod:`kbc_docs.content.schema_errors`; the other checks each have their module (characters,
translations, references, official form). The ones here: dates in order as far as they are
known, copies shared evenly, a layout the languages fit, a document no larger than a report,
and the facts marked ``{todo: …}`` listed as reminders.
"""

from __future__ import annotations

from kbc_docs.content import schema
from kbc_docs.content.load import Loaded
from kbc_docs.content.texts import iter_texts, iter_todos
from kbc_docs.errors import Problem
from kbc_docs.messages import msg


def reminders(loaded: Loaded, content: schema.Content) -> list[Problem]:
    """What is still to be completed by hand: every ``{todo: …}`` and a date line with blanks."""
    out = [
        loaded.problem(path, msg("todo_reminder", note=t.todo)) for path, t in iter_todos(content)
    ]
    date = content.signing.date
    if isinstance(date, schema.PartialDate) and date.precision != "day":
        parts = msg("date_parts_day" if date.precision == "month" else "date_parts_day_month")
        out.append(loaded.problem("signing.date", msg("date_blank_reminder", parts=parts)))
    return out


MAX_TEXTS = 1_000
"""Texts (titles, paragraphs, figure labels…) in one document. A review report has a few dozen;
rendering time grows with their number (about 20 ms each, 10,000 took 218 s), so a file past
this limit is refused before anything is rendered, at the first text beyond it."""


def size_problems(loaded: Loaded, content: schema.Content) -> list[Problem]:
    """A document far larger than any report: refused, saying the limit and what to do."""
    for count, (path, _) in enumerate(iter_texts(content, ""), start=1):
        if count > MAX_TEXTS:
            return [loaded.problem(path, msg("too_many_texts", limit=MAX_TEXTS))]
    return []


def date_and_count_problems(loaded: Loaded, content: schema.Content) -> list[Problem]:
    """Dates in order (as far as they are known) and copies shared evenly."""
    problems = []
    signing, conference = content.signing.date, content.conference.date
    known = isinstance(signing, schema.PartialDate) and isinstance(conference, schema.PartialDate)
    if known and signing.last < conference.first:  # type: ignore[union-attr]
        message = msg("signing_before_conference", signing=signing, conference=conference)
        problems.append(loaded.problem("signing.date", message))
    signed = content.agreement.signed_on if content.agreement else None
    if (
        isinstance(signed, schema.PartialDate)
        and isinstance(conference, schema.PartialDate)
        and signed.first > conference.last
    ):
        message = msg("agreement_after_conference", signed=signed, conference=conference)
        problems.append(loaded.problem("agreement.signed_on", message))
    copies = content.signing.copies
    parties = sum(1 for p in content.parties if p.signer is not None) or 1
    if copies is not None and copies % parties:
        message = msg("copies_uneven", copies=copies, parties=parties)
        problems.append(loaded.problem("signing.copies", message))
    languages = content.document.languages
    if content.document.layout == "parallel" and len(languages) != 2:
        # Two columns of about 80 mm are the practical limit on A4.
        message = msg("parallel_languages", count=len(languages), languages=", ".join(languages))
        problems.append(loaded.problem("document.layout", message))
    return problems
