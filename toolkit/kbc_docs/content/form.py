"""The official form a content file can get wrong (Decree 30/2020/NĐ-CP; Hướng dẫn
36-HD/VPTW for Party bodies): the number and symbol, one format per version, the Party's
authority forms, what each kind of report needs, and the review span worded in each title as
the report words it."""

from __future__ import annotations

import re
from typing import Literal

from kbc_docs.content import schema
from kbc_docs.content.load import Loaded
from kbc_docs.errors import Problem
from kbc_docs.messages import msg
from kbc_docs.text.locale import Locale

_NUMBER_FORMS = {
    # "12/BC-MTTQ-BTT"; "/BC-MTTQ-BTT" leaves the number to the registry clerk.
    "state": (
        re.compile(r"^(\d*)/[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$"),
        "12/BC-MTTQ-BTT",
        "/BC-MTTQ-BTT",
    ),
    # "12-BC/TU" (Hướng dẫn 36-HD/VPTW: a hyphen after the number, no colon after "Số").
    "party": (
        re.compile(r"^(\d*)-[A-ZĐ][A-ZĐ0-9]*/[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$"),
        "12-BC/TU",
        "-BC/TU",
    ),
}
_FORM_NAMES = {"state": "Decree 30/2020/NĐ-CP", "party": "Hướng dẫn 36-HD/VPTW"}


def form_problems(
    loaded: Loaded, content: schema.Content, registry: schema.Registry, locales: dict[str, Locale]
) -> list[Problem]:
    """The official form a file can get wrong: the number and symbol, one format per
    version, the Party's authority forms, what each kind of report needs, someone signing."""
    problems = []
    countries = {loc.data.country: lang for lang, loc in locales.items()}
    formats: dict[str, set[str]] = {}
    for part in content.parties:
        party = registry.parties.get(part.party)
        if party is not None:
            formats.setdefault(countries.get(party.country, ""), set()).add(party.format)
    for found in formats.values():
        if len(found) > 1:
            message = msg("party_formats_mixed", formats=", ".join(sorted(found)))
            problems.append(loaded.problem("parties", message))
    vi_format = "party" if formats.get("vi") == {"party"} else "state"
    number = content.document.number
    if number:
        pattern, example, blank = _NUMBER_FORMS[vi_format]
        match = pattern.match(number)
        form = _FORM_NAMES[vi_format]
        if match is None:
            message = msg("number_form", got=number, form=form, example=example, blank=blank)
            problems.append(loaded.problem("document.number", message))
        elif vi_format == "state" and len(match.group(1)) == 1:
            fixed = "0" + number
            problems.append(
                loaded.problem(
                    "document.number", msg("number_pad", got=number, form=form, fixed=fixed)
                )
            )
    for i, part in enumerate(content.parties):
        party = registry.parties.get(part.party)
        signer = part.signer
        if party and party.format == "party" and signer and signer.authority in (None, "DD"):
            problems.append(loaded.problem(f"parties[{i}].signer", msg("party_dd")))
    if not any(p.signer is not None for p in content.parties):
        problems.append(loaded.problem("parties", msg("nobody_signs")))
    kind = content.document.kind
    if (
        kind in ("so-ket", "tong-ket")
        and content.agreement is None
        and content.conference.name is None
    ):
        problems.append(loaded.problem("document.kind", msg("review_needs_agreement", kind=kind)))
    if kind == "bao-cao" and content.conference.name is None:
        problems.append(loaded.problem("conference", msg("plain_needs_name")))
    return problems


_DIGIT = "0-9\u17e0-\u17e9\u0ed0-\u0ed9"  # Arabic, Khmer and Lao digits
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"  # Vietnamese letters, not Khmer or Lao


def title_span_problems(
    loaded: Loaded, content: schema.Content, locales: dict[str, Locale]
) -> list[Problem]:
    """Each language's title words the review span as the report does: "02 năm", not "hai
    năm" beside "02 năm" in the body; Khmer "០២ឆ្នាំ", not "ពីរឆ្នាំ" or "2ឆ្នាំ"; Lao "2 ປີ", not
    "ສອງປີ". The number words and the unit come from the language files."""
    reviews = content.document.reviews
    if reviews is None:
        return []
    problems = []
    for lang, title in content.document.title.items():
        if lang not in locales:
            continue
        loc = locales[lang].with_leading_zero(content.document.leading_zero)
        found = _span_in(title, loc, "years" if reviews.years is not None else "months")
        expected = loc.span(reviews.years, reviews.months)
        if found is not None and _bare(found) != _bare(expected):
            message = msg("title_span", found=found, expected=expected)
            problems.append(loaded.problem(f"document.title.{lang}", message))
    return problems


def _span_in(title: str, loc: Locale, unit: Literal["years", "months"]) -> str | None:
    """The first "<number> <unit>" of ``title`` written in digits (one or two) or in the
    language's words ("hai năm", "ពីរឆ្នាំ", "ສອງ ປີ"); not a date's day ("ថ្ងៃទី២៥ ខែមីនា") nor
    a unit followed by a number ("năm 2024", "ឆ្នាំ២០២៤", "ເດືອນ 3")."""
    name = re.escape(loc.data.span[unit].replace("{n}", "").strip())
    words = "|".join(re.escape(w) for w in sorted(loc.data.number_words, key=len, reverse=True))
    number = f"[{_DIGIT}]{{1,2}}" + (f"|{words}" if words else "")
    pattern = (
        rf"(?<![{_LATIN}{_DIGIT}])(?<!ទី)(?:{number})[\s\u200b]*{name}"
        rf"(?![\s\u200b]*[{_DIGIT}])(?![{_LATIN}])"
    )
    found = re.search(pattern, title, re.IGNORECASE)
    return None if found is None else found.group(0)


def _bare(text: str) -> str:
    """Text without spaces or zero-width spaces, which do not change how a span reads."""
    return re.sub(r"[\s\u200b]+", "", text)
