"""The body of the report: the opening sentences and the numbered sections.

The sentences are generated from the language file's patterns, worded without whatever the
content leaves out (venue, guests, the agreement's period…), so no sentence names a fact the
article did not give.
"""

from __future__ import annotations

from kbc_docs.content.resolve import Resolved, ResolvedParty
from kbc_docs.content.schema import Figure, Todo
from kbc_docs.text.locale import Locale, fill
from kbc_docs.view.version import Para
from kbc_docs.view.wording import (
    date_in_sentence,
    optional_part,
    person_line,
    printed_place,
    printed_text,
)


def body(resolved: Resolved, loc: Locale, parties: list[ResolvedParty]) -> list[Para]:
    """The report body: opening, then the numbered sections every report has."""
    content = resolved.content
    lang = loc.code
    h = loc.data.headings
    out = [Para("body", _conference_sentence(resolved, loc))]
    out += [Para("body", s) for p in parties if (s := _side_sentence(p, loc))]

    sections: list[tuple[str, list[Para]]] = []
    sections.append((h.situation, [Para("body", printed_text(t, loc)) for t in content.background]))
    results: list[Para] = []
    for i, result in enumerate(content.results, start=1):
        results.append(Para("h2", f"{loc.item_number(i)} {result.title[lang]}"))
        results += [Para("body", printed_text(t, loc)) for t in result.paragraphs]
        results += [Para("item", _figure(f, loc)) for f in result.figures]
    sections.append((h.results, results))
    if content.limitations or content.causes:
        sub: list[Para] = []
        for j, (label, items) in enumerate(
            [(h.limitations_sub, content.limitations), (h.causes_sub, content.causes)], start=1
        ):
            if items:
                sub.append(Para("h2", f"{loc.item_number(j)} {label}"))
                sub += [Para("body", printed_text(t, loc)) for t in items]
        sections.append((h.limitations, sub))
    sections.append(
        (
            h.directions,
            [
                Para("item", f"{loc.item_number(k)} {printed_text(t, loc)}")
                for k, t in enumerate(content.directions, start=1)
            ],
        )
    )
    for n, (heading, paras) in enumerate(sections, start=1):
        out.append(Para("h1", f"{loc.section_number(n)} {heading}"))
        out += paras
    return out


def _conference_sentence(resolved: Resolved, loc: Locale) -> str:
    """The opening sentence, worded without whatever the content leaves out (venue, guests,
    review span, the agreement's period, day and place of signing)."""
    content = resolved.content
    lang, d = loc.code, loc.data
    conference = content.conference
    if conference.host is not None:
        host = resolved.party(conference.host)
        hosts = [host.party.name[lang]]
        guests = [p for p in resolved.parties if p.id != host.id]
    else:  # who hosted is not known: the parties organised it together
        hosts, guests = [p.party.name[lang] for p in resolved.parties], []
    when = date_in_sentence(conference.date, loc)
    return fill(
        d.conference,
        when=when,
        when_cap=when[:1].upper() + when[1:],
        venue=optional_part(
            d.venue, venue=printed_text(conference.venue, loc) if conference.venue else None
        ),
        host=loc.join(hosts),
        guests=optional_part(
            d.guests, guests=loc.join([g.party.name[lang] for g in guests]) or None
        ),
        name=conference.name[lang] if conference.name else _review_name(resolved, loc),
    )


def _review_name(resolved: Resolved, loc: Locale) -> str:
    """ "Hội nghị sơ kết 01 năm thực hiện <agreement>, giai đoạn …, ký kết ngày … tại …"."""
    content = resolved.content
    d = loc.data
    agreement = content.agreement
    assert agreement is not None  # validate requires an agreement or a conference name
    reviews = content.document.reviews
    period = agreement.period
    if isinstance(period, Todo):
        period_text: str | None = d.blank
    else:
        period_text = loc.period(period.start, period.end) if period else None
    signed_on, signed_at = agreement.signed_on, agreement.signed_at
    on = optional_part(
        d.signed_on_part, date=date_in_sentence(signed_on, loc) if signed_on else None
    )
    at = optional_part(
        d.signed_at_part, place=printed_place(signed_at, resolved, loc) if signed_at else None
    )
    return fill(
        d.review_name,
        review=d.review.get(content.document.kind, ""),
        span=optional_part(
            d.span_part, span=loc.span(reviews.years, reviews.months) if reviews else None
        ),
        agreement=agreement.name[loc.code],
        period=optional_part(d.period_part, period=period_text),
        signed=optional_part(d.signed_part, on=on, at=at) if on or at else "",
    )


def _side_sentence(p: ResolvedParty, loc: Locale) -> str:
    """ "Về phía <party>: đồng chủ trì …; cùng dự có …" — "" when the content names nobody."""
    resolved, lang, d = p.resolved, loc.code, loc.data
    parts = []
    if p.part.co_chairs:
        names = [person_line(c, resolved, loc) for c in p.part.co_chairs]
        parts.append(fill(d.chairs, names=loc.join(names)))
    names = [person_line(a, resolved, loc) for a in p.part.attendees]
    names += [t[lang] for t in p.part.others]
    if p.part.delegation:
        names.append(
            fill(
                d.delegation,
                members=loc.count(p.part.delegation.members),
                description=p.part.delegation.description[lang],
            )
        )
    if names:
        parts.append(fill(d.attendees, names=loc.join(names)))
    if not parts:
        return ""
    people = d.list_separator.join(parts)
    if len(resolved.parties) == 1:  # a report of one body has no sides: "Cùng dự có …"
        return people[:1].upper() + people[1:] + d.sentence_end
    return fill(d.side, party=p.party.short_name[lang], people=people)


def _figure(figure: Figure, loc: Locale) -> str:
    """ "Label: khoảng 256 triệu USD." — number by CLDR, ratio 23/28, range 287–314, 84%."""
    d = loc.data
    if isinstance(figure.value, Todo):
        number = d.blank
    else:
        number = loc.quantity(figure.value)
        if figure.total is not None:
            number += "/" + loc.quantity(figure.total)
        if figure.to is not None:
            number = fill(d.range, start=number, end=loc.quantity(figure.to))
    unit = (
        figure.unit
        if isinstance(figure.unit, str) or figure.unit is None
        else figure.unit[loc.code]
    )
    if (
        unit == "%"
        and not isinstance(figure.value, Todo)
        and figure.total is None
        and figure.to is None
    ):
        value = loc.percent(figure.value)
    else:
        value = f"{number} {unit}" if unit else number
    if figure.qualifier:
        value = fill(d.qualifiers[figure.qualifier], n=value)
    return fill(d.figure, label=figure.label[loc.code], value=value)
