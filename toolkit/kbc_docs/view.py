"""The view model: every string of every document, formatted once, in reading order.

Both renderers (DOCX and PDF) see only this. Numbers, dates, numbering, ordering of parties and
the wording of generated sentences are decided here, so the two outputs cannot drift apart and
no formatting rule is written twice. Templates only place these strings on the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from kbc_docs.content.resolve import Resolved, ResolvedParty
from kbc_docs.content.schema import Figure, PartialDate, Text, Todo
from kbc_docs.text.khmer_calendar import format_lunar_line
from kbc_docs.text.locale import Locale, Precision, fill
from kbc_docs.text.segment import segment

Role = Literal["h1", "h2", "body", "item"]


@dataclass(frozen=True)
class Para:
    """One paragraph of the body. ``role`` picks the paragraph style in both renderers."""

    role: Role
    text: str


@dataclass(frozen=True)
class HeaderBody:
    """One issuing body in the top-left header block (Decree 30: superior regular, body bold)."""

    superior: str | None
    body: str
    # Printed under the body in place of Decree 30's rule: "*" in the Party's format
    # (Hướng dẫn 36-HD/VPTW), "" otherwise.
    mark: str = ""


@dataclass(frozen=True)
class SignerBlock:
    """One party's signature block: authority line, title, room to sign, name."""

    party: str  # party id, names the PDF signature field later
    # "TM. BAN THƯỜNG TRỰC", "ĐẠI DIỆN <party>"; two lines for a two-level signature
    # ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"); "" prints no line (a title alone)
    authority: str
    title: str  # "CHỦ TỊCH"
    name: str
    # The checked PNG/JPEG bytes of the signature scan and the seal, printed in the room for
    # the signature (the seal behind, the signature over it); None when the content has none.
    signature_image: bytes | None = None
    seal_image: bytes | None = None

    @property
    def scans(self) -> list[tuple[Literal["seal", "signature"], bytes]]:
        """The images of the room in drawing order: the seal first, the signature over it."""
        pairs = (("seal", self.seal_image), ("signature", self.signature_image))
        return [(kind, data) for kind, data in pairs if data]  # type: ignore[misc]


@dataclass(frozen=True)
class RoomImage:
    """An image the PDF template prints in a signer's room: a seal or a signature scan.

    ``src`` is a ``data:`` URI made by the PDF renderer from the checked bytes; the renderer's
    URL fetcher serves exactly these URIs and refuses every other one.
    """

    kind: Literal["seal", "signature"]
    src: str


@dataclass(frozen=True)
class Version:
    """One complete language version of a document."""

    lang: str
    national_title: str
    motto: str
    bodies: list[HeaderBody]
    number: str | None
    lunar_date: str | None  # Khmer lunar date line, above the solar one
    date_line: str
    kind: str  # "BÁO CÁO"
    title: str  # trích yếu
    body: list[Para]
    closing: str  # the copies-and-languages clause
    signers: list[SignerBlock]
    recipients_label: str
    recipients: list[str]
    # How the language's own official form lays out the top of the page: Decree 30's two
    # columns (Vietnamese) or the centred kingdom/republic motto block (Khmer, Lao).
    header_style: Literal["decree30", "centred"] = "decree30"
    # Lao usage: number and place-and-date at the top right (not above the signatures).
    date_at_top: bool = False
    digits: str = "latn"  # CLDR numbering system for page numbers: latn, khmr, laoo

    def printed(self, document: str) -> list[str]:
        """Every string a version prints in ``document`` (``report`` or ``signing``), one per
        printed line where a string holds several (a two-level authority)."""
        signers = [
            line
            for b in self.signers
            for s in (b.authority, b.title, b.name)
            for line in s.split("\n")
        ]
        dates = [self.date_line, self.lunar_date or ""]
        if document == "signing":
            strings = [self.kind, self.title, self.closing, *dates, *signers]
        else:
            strings = [
                self.national_title,
                self.motto,
                *[s for b in self.bodies for s in (b.superior or "", b.body)],
                self.number or "",
                *dates,
                self.kind,
                self.title,
                *[p.text for p in self.body],
                self.closing,
                *signers,
            ]
            if self.recipients:  # the label is printed only above a list
                strings += [self.recipients_label, *self.recipients]
        return [s for s in strings if s.strip()]


@dataclass(frozen=True)
class FontStack:
    """The fonts one language version uses, by role, for both renderers."""

    body: str  # Word family name
    heading: str
    body_pdf: list[str]  # CSS font-family stack for WeasyPrint, Latin face first
    heading_pdf: list[str]
    packages: list[str]  # Debian packages that provide these fonts (for error messages)
    national_title: str = ""  # national title and motto (default: the heading font)
    national_title_pdf: list[str] = dataclasses.field(default_factory=list)
    names: str = ""  # signers' names (default: the heading font)
    names_pdf: list[str] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        for role in ("national_title", "names"):
            if not getattr(self, role):
                object.__setattr__(self, role, self.heading)
            if not getattr(self, f"{role}_pdf"):
                object.__setattr__(self, f"{role}_pdf", list(self.heading_pdf))

    def pdf_stacks(self) -> list[list[str]]:
        """Every PDF stack, one per role."""
        return [self.body_pdf, self.heading_pdf, self.national_title_pdf, self.names_pdf]

    def families(self) -> list[str]:
        """Every Word family, one per role, without repeats."""
        return list(dict.fromkeys([self.body, self.heading, self.national_title, self.names]))


@dataclass(frozen=True)
class Cell:
    """One language's text in a row of a parallel document (``lang`` picks its fonts)."""

    lang: str
    text: str


@dataclass(frozen=True)
class ParallelRow:
    """One row of a parallel document: the same paragraph in every language, left to right.

    Putting a paragraph and its translations in one table row is what keeps them level on the
    page however long each one is; ``role`` picks the paragraph style in both renderers.
    """

    role: Role
    cells: list[Cell]


@dataclass(frozen=True)
class SignerText:
    """A signer's lines in one language, for the shared signing block of a parallel document."""

    lang: str
    authority: str  # "" prints no authority line
    title: str
    name: str  # "" when spelt exactly as in a language before it (printed once)


@dataclass(frozen=True)
class ParallelSigner:
    """One party's signature block of a parallel document, in every language.

    A parallel document is one text in two languages, so it is signed once: each block shows
    the authority line and title in every language (one language after the other, so that
    "TM. BAN THƯỜNG TRỰC / CHỦ TỊCH" stays a unit) above the room for the signature and seal,
    and the name in every language under it.
    """

    party: str
    texts: list[SignerText]


@dataclass(frozen=True)
class DocumentView:
    """Everything the report and the signing pages show, for every language."""

    slug: str  # the content file's stem, used in output file names
    languages: list[str]
    layout: Literal["sequential", "parallel"]
    versions: list[Version]
    fonts: dict[str, FontStack]

    def documents(self) -> tuple[str, ...]:
        """The documents this conference needs: the report, and the signing pages only where
        parties sign together (a report of one body is signed on its last page)."""
        joint = any(len(v.signers) > 1 for v in self.versions)
        return ("report", "signing") if joint else ("report",)

    def texts(self) -> list[str]:
        """Every string of the view in order: what both outputs must contain."""
        return list(strings(self.versions))

    def rows(self) -> list[ParallelRow]:
        """The body of a parallel document: paragraph ``i`` of every version on row ``i``.

        Columns follow ``versions`` (the content's ``languages``: Vietnamese first). Every
        version's body is built from the same content by the same code, so the bodies have the
        same length and roles; a mismatch would misalign the translations, so it is a
        ``ValueError``, as is a number of languages other than two.
        """
        if len(self.versions) != 2:
            # Two columns of about 80 mm are the practical limit on A4 (a 12 pt Vietnamese
            # national title alone needs 88 mm), so a parallel document has exactly two.
            raise ValueError(
                "parallel layout puts two languages side by side, "
                f"this document has {len(self.versions)}: {', '.join(self.languages)}"
            )
        bodies = [v.body for v in self.versions]
        if len({len(b) for b in bodies}) != 1:
            raise ValueError(
                "parallel layout: the language versions have bodies of different lengths "
                + ", ".join(f"{v.lang}={len(v.body)}" for v in self.versions)
            )
        rows: list[ParallelRow] = []
        for i, paras in enumerate(zip(*bodies, strict=True)):
            roles = {p.role for p in paras}
            if len(roles) != 1:
                raise ValueError(f"parallel layout: paragraph {i + 1} has roles {sorted(roles)}")
            rows.append(
                ParallelRow(
                    paras[0].role,
                    [Cell(v.lang, p.text) for v, p in zip(self.versions, paras, strict=True)],
                )
            )
        return rows

    def parallel_signers(self) -> list[ParallelSigner]:
        """The one signing block of a parallel document: every party once, in every language.

        Parties stand in the order of the first (left-column) version, i.e. its alternat: the
        left column's own side signs on the left.
        """
        first = self.versions[0]
        out: list[ParallelSigner] = []
        for block in first.signers:
            texts: list[SignerText] = []
            seen: set[str] = set()
            for version in self.versions:
                b = block if version is first else _signer_of(version, block.party)
                texts.append(
                    SignerText(version.lang, b.authority, b.title, "" if b.name in seen else b.name)
                )
                seen.add(b.name)
            out.append(ParallelSigner(block.party, texts))
        return out


def _signer_of(version: Version, party: str) -> SignerBlock:
    """The signature block of ``party`` in ``version`` (every version has every party)."""
    for block in version.signers:
        if block.party == party:
            return block
    raise ValueError(f"parallel layout: the {version.lang} version has no signer for {party!r}")


_FONT_ROLES = ("body", "heading", "national_title", "names")


def build_view(resolved: Resolved, locales: dict[str, Locale]) -> DocumentView:
    """Format every string of every language version from the resolved content."""
    content = resolved.content
    leading_zero = content.document.leading_zero
    versions = [
        _segment_all(
            _version(resolved, locales[lang].with_leading_zero(leading_zero)),
            lang,
            _unbreakable(resolved, locales[lang]),
            _full_names(resolved, lang),
        )
        for lang in content.document.languages
    ]
    fonts = {
        lang: FontStack(
            body=loc.data.fonts.body.family,
            heading=loc.data.fonts.heading.family,
            body_pdf=loc.data.fonts.body.pdf,
            heading_pdf=loc.data.fonts.heading.pdf,
            packages=sorted({loc.data.fonts.role(r).package for r in _FONT_ROLES}),
            national_title=loc.data.fonts.role("national_title").family,
            national_title_pdf=loc.data.fonts.role("national_title").pdf,
            names=loc.data.fonts.role("names").family,
            names_pdf=loc.data.fonts.role("names").pdf,
        )
        for lang, loc in locales.items()
    }
    return DocumentView(
        slug=resolved.slug,
        languages=list(content.document.languages),
        layout=content.document.layout,
        versions=versions,
        fonts=fonts,
    )


def _version(resolved: Resolved, loc: Locale) -> Version:
    content = resolved.content
    lang = loc.code
    parties = resolved.in_alternat_order(lang)
    d = loc.data
    party_form = d.party if resolved.format_of(lang) == "party" else None
    signing = content.signing
    day, precision = _day(signing.date)
    return Version(
        lang=lang,
        national_title=party_form.national_title if party_form else d.national_title,
        motto=party_form.motto if party_form else d.motto,
        bodies=[
            HeaderBody(
                superior=p.party.header.superior[lang] if p.party.header.superior else None,
                body=p.party.header.body[lang],
                mark=party_form.body_mark if party_form and p.party.format == "party" else "",
            )
            for p in parties
        ],
        number=_number(content.document.number, loc, party_form.number if party_form else d.number),
        lunar_date=_lunar(day, precision, loc) if lang == "km" else None,
        date_line=loc.date(day, _place(signing.place, resolved, loc), precision),
        kind=d.kind[content.document.kind],
        title=content.document.title[lang],
        body=_body(resolved, loc, parties),
        closing=_closing(resolved, loc),
        signers=[_signer(p, loc) for p in parties if p.part.signer is not None],
        recipients_label=d.recipients,
        recipients=[f"- {r}" for r in content.recipients.get(lang, [])],
        header_style=d.header_style,
        date_at_top=d.date_position == "top",
        digits=d.digits,
    )


REGISTRY_ROOM = "\u00a0" * 8
"""Room left before "/BC-…" for the registry clerk to write the number at issue."""


def _number(number: str | None, loc: Locale, pattern: str) -> str | None:
    """ "Số: 12/BC-MTTQ-BTT"; a number left for the registry ("/BC-…", Party "-BC/TU") gets room
    to write it by hand: "Số:        /BC-MTTQ-BTT"."""
    if not number:
        return None
    room = REGISTRY_ROOM if number[:1] in "/-" else ""
    return fill(pattern, number=room + loc.digits(number))


def _day(value: PartialDate | Todo) -> tuple[dt.date | None, Precision]:
    """A content date as the locale formats it: the day (None when to be completed) and how
    much of it is known."""
    if isinstance(value, Todo):
        return None, "day"
    return value.first, value.precision


def _lunar(day: dt.date | None, precision: str, loc: Locale) -> str:
    """The Khmer lunar date line; dotted when the day is not known yet (written at signing)."""
    if day is None or precision != "day":
        return loc.data.blank
    return format_lunar_line(day)


def _text(value: Text | Todo, loc: Locale) -> str:
    """A text in the version's language, or the dotted space of a fact to be completed."""
    return loc.data.blank if isinstance(value, Todo) else value[loc.code]


def _place(value: str | Todo, resolved: Resolved, loc: Locale) -> str:
    return loc.data.blank if isinstance(value, Todo) else resolved.places[value][loc.code]


def _on(value: PartialDate | Todo, loc: Locale) -> str:
    """A date inside a sentence, as precise as it is known, or dotted."""
    day, precision = _day(value)
    return loc.on_date(day, precision)


def _body(resolved: Resolved, loc: Locale, parties: list[ResolvedParty]) -> list[Para]:
    """The report body: opening, then the numbered sections every report has."""
    content = resolved.content
    lang = loc.code
    h = loc.data.headings
    out = [Para("body", _conference_sentence(resolved, loc))]
    out += [Para("body", s) for p in parties if (s := _side_sentence(p, loc))]

    sections: list[tuple[str, list[Para]]] = []
    sections.append((h.situation, [Para("body", _text(t, loc)) for t in content.background]))
    results: list[Para] = []
    for i, result in enumerate(content.results, start=1):
        results.append(Para("h2", f"{loc.item_number(i)} {result.title[lang]}"))
        results += [Para("body", _text(t, loc)) for t in result.paragraphs]
        results += [Para("item", _figure(f, loc)) for f in result.figures]
    sections.append((h.results, results))
    if content.limitations or content.causes:
        sub: list[Para] = []
        for j, (label, items) in enumerate(
            [(h.limitations_sub, content.limitations), (h.causes_sub, content.causes)], start=1
        ):
            if items:
                sub.append(Para("h2", f"{loc.item_number(j)} {label}"))
                sub += [Para("body", _text(t, loc)) for t in items]
        sections.append((h.limitations, sub))
    sections.append(
        (
            h.directions,
            [
                Para("item", f"{loc.item_number(k)} {_text(t, loc)}")
                for k, t in enumerate(content.directions, start=1)
            ],
        )
    )
    for n, (heading, paras) in enumerate(sections, start=1):
        out.append(Para("h1", f"{loc.section_number(n)} {heading}"))
        out += paras
    return out


def _part(pattern: str, **values: str | None) -> str:
    """One optional part of a generated sentence: "" when a fact it names is left out (None)."""
    if any(value is None for value in values.values()):
        return ""
    return fill(pattern, **values)  # type: ignore[arg-type]


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
    when = _on(conference.date, loc)
    return fill(
        d.conference,
        when=when,
        when_cap=when[:1].upper() + when[1:],
        venue=_part(d.venue, venue=_text(conference.venue, loc) if conference.venue else None),
        host=loc.join(hosts),
        guests=_part(d.guests, guests=loc.join([g.party.name[lang] for g in guests]) or None),
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
    on = _part(d.signed_on_part, date=_on(signed_on, loc) if signed_on else None)
    at = _part(d.signed_at_part, place=_place(signed_at, resolved, loc) if signed_at else None)
    return fill(
        d.review_name,
        review=d.review.get(content.document.kind, ""),
        span=_part(d.span_part, span=loc.span(reviews.years, reviews.months) if reviews else None),
        agreement=agreement.name[loc.code],
        period=_part(d.period_part, period=period_text),
        signed=_part(d.signed_part, on=on, at=at) if on or at else "",
    )


def _person(person_id: str | Todo, resolved: Resolved, loc: Locale) -> str:
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


def _side_sentence(p: ResolvedParty, loc: Locale) -> str:
    """ "Về phía <party>: đồng chủ trì …; cùng dự có …" — "" when the content names nobody."""
    resolved, lang, d = p.resolved, loc.code, loc.data
    parts = []
    if p.part.co_chairs:
        names = [_person(c, resolved, loc) for c in p.part.co_chairs]
        parts.append(fill(d.chairs, names=loc.join(names)))
    names = [_person(a, resolved, loc) for a in p.part.attendees]
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


def _closing(resolved: Resolved, loc: Locale) -> str:
    """The copies-and-languages clause of a joint document; "" when one party signs alone."""
    content = resolved.content
    lang = loc.code
    signing = sum(1 for p in content.parties if p.signer is not None)
    if signing < 2:
        return ""
    copies = content.signing.copies or signing
    each = copies // signing
    return fill(
        loc.data.copies,
        place=_place(content.signing.place, resolved, loc),
        date=_on_short(content.signing.date, loc),
        copies=loc.count(copies),
        # Each version names its own language first, like its own party (the alternat).
        languages=loc.language_names(
            sorted(content.document.languages, key=lambda code: code != lang)
        ),
        each=loc.count(each),
    )


def _on_short(value: PartialDate | Todo, loc: Locale) -> str:
    """The signing date inside the copies clause ("16/11/2023"), dotted where not known."""
    return loc.short_date(*_day(value))


def _signer(p: ResolvedParty, loc: Locale) -> SignerBlock:
    lang = loc.code
    signer = p.part.signer
    assert signer is not None  # only parties that sign have a block
    prefixes = loc.authorities(p.party.format)
    # Each side of a joint document says for which body it signs: "ĐẠI DIỆN <the party>"
    # unless the content gives another authority, or "none" for the title alone.
    kind = signer.authority or "DD"
    lines = []
    if kind != "none":
        body: Text = signer.on_behalf_of or p.party.name
        lines.append(f"{getattr(prefixes, kind)} {body[lang]}")
    if signer.second is not None:
        lines.append(
            f"{getattr(prefixes, signer.second.authority)} {signer.second.on_behalf_of[lang]}"
        )
    name = signer.person
    return SignerBlock(
        party=p.id,
        # Decree 30 prints authority and title in capitals; Khmer and Lao have no case.
        authority="\n".join(lines).upper(),
        title=_text(signer.title, loc).upper(),
        name=loc.data.blank if isinstance(name, Todo) else p.resolved.people[name].name[lang],
        signature_image=p.resolved.images.get(p.id, {}).get("signature_image"),
        seal_image=p.resolved.images.get(p.id, {}).get("seal_image"),
    )


def _segment_all(
    version: Version, lang: str, keep: tuple[str, ...], together: tuple[str, ...]
) -> Version:
    """Apply :func:`segment` to every string of a version (Khmer and Lao only)."""
    return _map_strings(version, lambda s: segment(s, lang, keep, together))


def _unbreakable(resolved: Resolved, locale: Locale) -> tuple[str, ...]:
    """What is never broken inside in ``locale``'s language: the registry's names (parties,
    places, each word of a person's name) and the language file's ``unbreakable`` phrases."""
    lang = locale.code
    whole = [p.name for p in resolved.registry.places.values()]
    for party in resolved.registry.parties.values():
        whole += [party.name, party.short_name]
        whole += [t for t in (party.header.superior, party.header.body) if t is not None]
    names = {t[lang] for t in whole if t.get(lang)}
    people = [p.name for p in resolved.registry.people.values()]
    names |= {part for t in people if t.get(lang) for part in t[lang].split()}
    return tuple(sorted({*names, *locale.data.unbreakable}))


def _full_names(resolved: Resolved, lang: str) -> tuple[str, ...]:
    """The registry's people in ``lang``, with and without their honorific: one name each,
    never split over two lines in Khmer or Lao text, signature blocks included
    (:func:`kbc_docs.text.segment.keep_together`)."""
    names: set[str] = set()
    for person in resolved.registry.people.values():
        name = person.name.get(lang)
        if not name:
            continue
        names.add(name)
        honorific = person.honorific.get(lang)
        if honorific:
            names.add(f"{honorific} {name}")
    return tuple(sorted(names))


_NOT_TEXT = ("lang", "party", "role", "header_style", "digits", "signature_image", "seal_image")
"""Fields that are codes or images for the renderers, not printed text."""


def _map_strings(value, fn):  # type: ignore[no-untyped-def]
    """``value`` with ``fn`` applied to each printed string."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _map_strings(getattr(value, f.name), fn)
            for f in dataclasses.fields(value)
            if f.name not in _NOT_TEXT
        }
        return dataclasses.replace(value, **changes)
    return value


def strings(value: object) -> Iterator[str]:
    """Every printed string of a view value (a version, a list, a dataclass), in order.

    The one walker over the view's text: :meth:`DocumentView.texts`, the DOCX font embedder's
    choice of fonts and the tests all read the view's strings through it.
    """
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in _NOT_TEXT:
                yield from strings(getattr(value, f.name))
