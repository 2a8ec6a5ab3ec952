"""The view model: every string of every document, formatted once, in reading order.

Both renderers (DOCX and PDF) see only this. Numbers, dates, numbering, ordering of parties and
the wording of generated sentences are decided here, so the two outputs cannot drift apart and
no formatting rule is written twice. Templates only place these strings on the page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from kbc_docs.content.resolve import Resolved, ResolvedParty
from kbc_docs.content.schema import Figure, Text
from kbc_docs.text.khmer_calendar import format_lunar_line
from kbc_docs.text.locale import Locale, fill
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


@dataclass(frozen=True)
class SignerBlock:
    """One party's signature block: authority line, title, room to sign, name."""

    party: str  # party id, names the PDF signature field later
    authority: str  # "TM. BAN THƯỜNG TRỰC", "ĐẠI DIỆN <party>"; "" prints no line
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
    digits: str = "latn"  # CLDR numbering system for page numbers: latn, khmr, laoo

    def printed(self, document: str) -> list[str]:
        """Every string a version prints in ``document`` (``report`` or ``signing``)."""
        signers = [s for b in self.signers for s in (b.authority, b.title, b.name)]
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

    def texts(self) -> list[str]:
        """Every string of the view in order: what both outputs must contain."""
        return list(_strings(self.versions))

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


def build_view(resolved: Resolved, locales: dict[str, Locale]) -> DocumentView:
    """Format every string of every language version from the resolved content."""
    content = resolved.content
    versions = [
        _segment_all(_version(resolved, locales[lang]), lang, _unbreakable(resolved, locales[lang]))
        for lang in content.document.languages
    ]
    fonts = {
        lang: FontStack(
            body=loc.data.fonts.body.family,
            heading=loc.data.fonts.heading.family,
            body_pdf=loc.data.fonts.body.pdf,
            heading_pdf=loc.data.fonts.heading.pdf,
            packages=sorted({loc.data.fonts.body.package, loc.data.fonts.heading.package}),
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
    return Version(
        lang=lang,
        national_title=d.national_title,
        motto=d.motto,
        bodies=[
            HeaderBody(
                superior=p.party.header.superior[lang] if p.party.header.superior else None,
                body=p.party.header.body[lang],
            )
            for p in parties
        ],
        number=(
            fill(d.number, number=loc.digits(content.document.number))
            if content.document.number
            else None
        ),
        lunar_date=format_lunar_line(content.signing.date) if lang == "km" else None,
        date_line=loc.date(content.signing.date, resolved.places[content.signing.place][lang]),
        kind=d.kind[content.document.kind],
        title=content.document.title[lang],
        body=_body(resolved, loc, parties),
        closing=_closing(resolved, loc),
        signers=[_signer(p, loc) for p in parties],
        recipients_label=d.recipients,
        recipients=[f"- {r}" for r in content.recipients.get(lang, [])],
        header_style=d.header_style,
        digits=d.digits,
    )


def _body(resolved: Resolved, loc: Locale, parties: list[ResolvedParty]) -> list[Para]:
    """The report body: opening, then the numbered sections every sơ kết report has."""
    content = resolved.content
    lang = loc.code
    h = loc.data.headings
    out = [Para("body", _conference_sentence(resolved, loc))]
    out += [Para("body", _side_sentence(p, loc)) for p in parties]

    sections: list[tuple[str, list[Para]]] = []
    sections.append((h.situation, [Para("body", t[lang]) for t in content.background]))
    results: list[Para] = []
    for i, result in enumerate(content.results, start=1):
        results.append(Para("h2", f"{loc.item_number(i)} {result.title[lang]}"))
        results += [Para("body", t[lang]) for t in result.paragraphs]
        results += [Para("item", _figure(f, loc)) for f in result.figures]
    sections.append((h.results, results))
    if content.limitations or content.causes:
        sub: list[Para] = []
        for j, (label, items) in enumerate(
            [(h.limitations_sub, content.limitations), (h.causes_sub, content.causes)], start=1
        ):
            if items:
                sub.append(Para("h2", f"{loc.item_number(j)} {label}"))
                sub += [Para("body", t[lang]) for t in items]
        sections.append((h.limitations, sub))
    sections.append(
        (
            h.directions,
            [
                Para("item", f"{loc.item_number(k)} {t[lang]}")
                for k, t in enumerate(content.directions, start=1)
            ],
        )
    )
    for n, (heading, paras) in enumerate(sections, start=1):
        out.append(Para("h1", f"{loc.section_number(n)} {heading}"))
        out += paras
    return out


def _conference_sentence(resolved: Resolved, loc: Locale) -> str:
    content = resolved.content
    lang = loc.code
    host = resolved.party(content.conference.host)
    guests = [p for p in resolved.parties if p.id != host.id]
    agreement = content.agreement
    return fill(
        loc.data.conference,
        date=loc.short_date(content.conference.date),
        venue=content.conference.venue[lang],
        host=host.party.name[lang],
        guests=loc.join([g.party.name[lang] for g in guests]),
        review=loc.data.review[content.document.kind],
        span=loc.span(content.document.reviews.years, content.document.reviews.months),
        agreement=agreement.name[lang],
        period=loc.period(agreement.period.start, agreement.period.end),
        signed_on=loc.short_date(agreement.signed_on),
        signed_at=resolved.places[agreement.signed_at][lang],
    )


def _person(person_id: str, resolved: Resolved, loc: Locale) -> str:
    person = resolved.people[person_id]
    lang = loc.code
    return fill(
        loc.data.person,
        honorific=person.honorific[lang],
        name=person.name[lang],
        titles=loc.data.title_separator.join(t[lang] for t in person.titles),
    )


def _side_sentence(p: ResolvedParty, loc: Locale) -> str:
    resolved, lang, d = p.resolved, loc.code, loc.data
    parts = [fill(d.chairs, names=loc.join([_person(c, resolved, loc) for c in p.part.co_chairs]))]
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
    return fill(d.side, party=p.party.short_name[lang], people=d.list_separator.join(parts))


def _figure(figure: Figure, loc: Locale) -> str:
    value = loc.count(figure.value)
    if figure.total is not None:
        value += "/" + loc.count(figure.total)
    lang = loc.code
    return fill(loc.data.figure, label=figure.label[lang], value=value, unit=figure.unit[lang])


def _closing(resolved: Resolved, loc: Locale) -> str:
    content = resolved.content
    lang = loc.code
    copies = content.signing.copies or len(content.parties)
    each = copies // len(content.parties)
    return fill(
        loc.data.copies,
        place=resolved.places[content.signing.place][lang],
        date=loc.short_date(content.signing.date),
        copies=loc.count(copies),
        # Each version names its own language first, like its own party (the alternat).
        languages=loc.language_names(
            sorted(content.document.languages, key=lambda code: code != lang)
        ),
        each=loc.count(each),
    )


def _signer(p: ResolvedParty, loc: Locale) -> SignerBlock:
    lang = loc.code
    signer = p.part.signer
    # Every document has two or more parties, and each side of a joint document says for
    # which body it signs: "ĐẠI DIỆN <the party>" unless the content gives another authority.
    kind = signer.authority or "DD"
    body: Text = signer.on_behalf_of or p.party.name
    authority = f"{getattr(loc.data.authority, kind)} {body[lang]}"
    return SignerBlock(
        party=p.id,
        # Decree 30 prints authority and title in capitals; Khmer and Lao have no case.
        authority=authority.upper(),
        title=signer.title[lang].upper(),
        name=p.resolved.people[signer.person].name[lang],
        signature_image=p.resolved.images.get(p.id, {}).get("signature_image"),
        seal_image=p.resolved.images.get(p.id, {}).get("seal_image"),
    )


def _segment_all(version: Version, lang: str, keep: tuple[str, ...]) -> Version:
    """Apply :func:`segment` to every string of a version (Khmer and Lao only)."""
    return _map_strings(version, lambda s: segment(s, lang, keep))


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


_NOT_TEXT = ("lang", "party", "role", "header_style", "digits", "signature_image", "seal_image")
"""Fields that are codes or images for the renderers, not printed text."""


def _map_strings(value, fn):  # type: ignore[no-untyped-def]
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


def _strings(value):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in _NOT_TEXT:
                yield from _strings(getattr(value, f.name))
