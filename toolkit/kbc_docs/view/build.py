"""Build the view: every language version of the content, formatted once.

:func:`build_view` is the pipeline's view step; it puts the parts of each version together
(:mod:`~kbc_docs.view.header`, :mod:`~kbc_docs.view.body`, :mod:`~kbc_docs.view.signatures`)
and marks Khmer and Lao line breaks (:mod:`~kbc_docs.view.linebreaks`).
"""

from __future__ import annotations

from kbc_docs.content.resolve import Resolved
from kbc_docs.text.locale import Locale
from kbc_docs.view.body import body
from kbc_docs.view.document import DocumentView
from kbc_docs.view.header import document_number, header_bodies, lunar_line
from kbc_docs.view.linebreaks import full_names, registry_names, segment_all, unbreakable
from kbc_docs.view.signatures import closing, signer_block
from kbc_docs.view.version import FontStack, Version
from kbc_docs.view.wording import day_and_precision, printed_place

_FONT_ROLES = ("body", "heading", "national_title", "names")


def build_view(resolved: Resolved, locales: dict[str, Locale]) -> DocumentView:
    """Format every string of every language version from the resolved content."""
    content = resolved.content
    leading_zero = content.document.leading_zero
    versions = [
        segment_all(
            _version(resolved, locales[lang].with_leading_zero(leading_zero)),
            lang,
            unbreakable(resolved, locales[lang]),
            full_names(resolved, lang),
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
        names={lang: registry_names(resolved, lang) for lang in content.document.languages},
    )


def _version(resolved: Resolved, loc: Locale) -> Version:
    content = resolved.content
    lang = loc.code
    parties = resolved.in_alternat_order(lang)
    d = loc.data
    party_form = d.party if resolved.format_of(lang) == "party" else None
    signing = content.signing
    day, precision = day_and_precision(signing.date)
    return Version(
        lang=lang,
        national_title=party_form.national_title if party_form else d.national_title,
        motto=party_form.motto if party_form else d.motto,
        bodies=header_bodies(parties, lang, party_form.body_mark if party_form else ""),
        number=document_number(
            content.document.number, loc, party_form.number if party_form else d.number
        ),
        lunar_date=lunar_line(day, precision, loc) if lang == "km" else None,
        date_line=loc.date(
            day, printed_place(signing.place, resolved, loc, d.blank_place), precision
        ),
        kind=d.kind[content.document.kind],
        title=content.document.title[lang],
        body=body(resolved, loc, parties),
        closing=closing(resolved, loc),
        signers=[signer_block(p, loc) for p in parties if p.part.signer is not None],
        recipients_label=d.recipients,
        recipients=[f"- {r}" for r in content.recipients.get(lang, [])],
        header_style=d.header_style,
        date_at_top=d.date_position == "top",
        digits=d.digits,
    )
