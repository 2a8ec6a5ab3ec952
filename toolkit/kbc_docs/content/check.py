"""Check a content file and the registry entries it uses, beyond what the schema says.

A clerk fixing a file wants the whole list at once, each with file, line and field path, what is
wrong and what is expected, not one error per run. Schema errors are reworded in
:mod:`kbc_docs.content.schema_errors`; the checks here need the whole picture (references,
translations in every language, dates in order as far as they are known, characters XML
forbids, the official form: number and symbol, one format per version, the Party's authority
forms, the review span worded alike in title and body), and the facts marked ``{todo: …}`` are
listed as reminders.

A missing translation is an error, except in a draft build (``draft=True``): then each gap is
filled with a loud marker and the text of another language (``⟦THIẾU BẢN DỊCH km⟧ …``), every
title is prefixed with ``⟦BẢN NHÁP⟧``, and each gap is logged as a warning on the ``kbc_docs``
logger. The gaps are filled here, in the data, so the view and both renderers need not know
about drafts and print the marker like any other text.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import BaseModel

from kbc_docs.content import schema
from kbc_docs.content.load import Loaded
from kbc_docs.content.schema_errors import did_you_mean
from kbc_docs.errors import Problem
from kbc_docs.messages import GAP_MARKER, draft_title, msg
from kbc_docs.text.locale import Locale

log = logging.getLogger("kbc_docs")


# XML 1.0 forbids these; a DOCX containing one does not open in Word. YAML's double-quoted
# escapes ("\u0007") can produce them although the file itself only holds printable text.
# Unicode noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF) are no text either, and the DOCX
# renderer uses two of them internally.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)


# Controls that reorder text on screen (Trojan Source): "Lê Thị Vệ" can display as anything.
# A Vietnamese, Khmer or Lao document has no right-to-left text that would need them.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that look like nothing although they are not spaces.
_BLANK_LOOKING = {"\u2800", "\u3164", "\u115f", "\u1160", "\uffa0"}

Text = dict[str, str]


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, dict) and bool(value) and all(isinstance(v, str) for v in value.values())
    )


def _walk(value: Any, path: str, leaf: Callable[[Any], bool]) -> Iterator[tuple[str, Any]]:
    """Every ``leaf`` under ``value`` (models, lists, dicts) with its field path.

    The one walker over the content: the multilingual texts of the checked models
    (:func:`iter_texts`) and the strings of the raw YAML (:func:`bad_character_problems`).
    """
    if leaf(value):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), f"{path}.{name}" if path else name, leaf)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]", leaf)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key), leaf)


def iter_texts(value: Any, path: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Every multilingual text under ``value`` with its field path."""
    return _walk(value, path, _is_text)


def map_texts(value: Any, fn: Callable[[Text], Text]) -> Any:
    """A copy of ``value`` (models, lists, dicts) with ``fn`` applied to every text."""
    if isinstance(value, BaseModel):
        names = type(value).model_fields
        return value.model_copy(update={n: map_texts(getattr(value, n), fn) for n in names})
    if isinstance(value, list):
        return [map_texts(item, fn) for item in value]
    if _is_text(value):
        return fn(value)
    if isinstance(value, dict):
        return {key: map_texts(item, fn) for key, item in value.items()}
    return value


def bad_character_problems(loaded: Loaded) -> list[Problem]:
    """Characters no document should hold, with their field.

    What XML forbids (YAML escapes such as ``"\\u0007"`` let it through), bidirectional
    controls, and text a reader sees as blank (only zero-width spaces, soft hyphens, U+2800,
    lone combining marks…), which would pass the empty-text check.
    """
    problems = []
    for path, text in _walk(loaded.data, "", lambda v: isinstance(v, str)):
        control = _CONTROL.search(text)
        nonchar = _NONCHARACTER.search(text)
        bidi = _BIDI.search(text)
        if control or nonchar:
            char = (control or nonchar).group()  # type: ignore[union-attr]
            key = "control_character" if control else "noncharacter"
            problems.append(loaded.problem(path, msg(key, code=f"{ord(char):04X}")))
        elif bidi:
            code = f"{ord(bidi.group()):04X}"
            problems.append(loaded.problem(path, msg("bidi_control", code=code)))
        elif text and not _visible(text):
            codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(text) if not c.isspace())
            problems.append(loaded.problem(path, msg("blank_text", codes=codes)))
    return problems


def _visible(text: str) -> bool:
    """Whether ``text`` shows anything: a letter, digit, punctuation mark or symbol.

    Marks (accents, Khmer and Lao vowel signs) only show on a letter; format characters
    (zero-width space, soft hyphen, joiners) and spaces never do.
    """
    return any(unicodedata.category(c)[0] in "LNPS" and c not in _BLANK_LOOKING for c in text)


def stray_language_problems(
    loaded: Loaded, model: BaseModel, languages: list[str]
) -> list[Problem]:
    """Language keys the document does not declare: in the content file, a typo."""
    problems = []
    for path, text in iter_texts(model, ""):
        for extra in sorted(set(text) - set(languages)):
            # Codes are two letters, too short for fuzzy matching: one gap is the answer.
            gaps = [x for x in languages if x not in text]
            message = msg("stray_language", extra=extra, languages=", ".join(languages))
            if len(gaps) == 1:
                message += msg("did_you_mean", hint=gaps[0])
            problems.append(loaded.problem(f"{path}.{extra}", message))
    return problems


def translation_gaps(model: BaseModel, languages: list[str], prefix: str = "") -> list[str]:
    """The field path of every missing translation, e.g. ``directions[0].km``."""
    return [
        f"{path}.{lang}"
        for path, text in iter_texts(model, prefix)
        for lang in languages
        if lang not in text
    ]


def _complete(text: Text, languages: list[str]) -> Text:
    """``text`` with every missing language filled by a marker and another language's text."""
    source = next((text[lang] for lang in languages if lang in text), next(iter(text.values())))
    filled = {lang: f"{GAP_MARKER.format(lang=lang)} {source}" for lang in languages}
    return filled | text


def _as_draft(content: schema.Content, languages: list[str]) -> schema.Content:
    """Every gap marked, and "draft" before the title of every version."""
    content = map_texts(content, lambda text: _complete(text, languages))
    title = {lang: f"{draft_title(lang)} {text}" for lang, text in content.document.title.items()}
    document = content.document.model_copy(update={"title": title})
    return content.model_copy(update={"document": document})


def gap_problem(where: Loaded, path: str, languages: list[str], draft: bool) -> Problem:
    """A missing translation: an error, or in a draft the warning that it is marked."""
    lang = path.rpartition(".")[2]
    if draft:
        return where.problem(
            path, msg("missing_text_draft", lang=lang, marker=GAP_MARKER.format(lang=lang))
        )
    return where.problem(path, msg("missing_text", lang=lang, languages=", ".join(languages)))


def fill_gaps(
    content: schema.Content,
    registry: schema.Registry,
    languages: list[str],
    gaps: list[tuple[Loaded, str]],
) -> tuple[schema.Content, schema.Registry]:
    """Warn about each gap, then fill them all (see :func:`_as_draft`)."""
    for where, path in gaps:
        log.warning("%s", gap_problem(where, path, languages, draft=True))
    registry = map_texts(registry, lambda text: _complete(text, languages))
    return _as_draft(content, languages), registry


def raw_gap_problems(loaded: Loaded) -> list[Problem]:
    """Missing translations found in the raw file, for a file whose structure is wrong."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    document = data.get("document")
    languages = document.get("languages") if isinstance(document, dict) else None
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        return []
    problems = []
    for path, text in _raw_texts(data, ""):
        for lang in languages:
            if lang not in text:
                problems.append(gap_problem(loaded, f"{path}.{lang}", languages, draft=False))
    return problems


def raw_used_ids(data: Any) -> dict[str, set[str]]:
    """The registry ids a content file names, read from raw YAML data (its structure may be
    wrong), so the registry's missing translations are reported in the same run."""
    data = data if isinstance(data, dict) else {}
    used: dict[str, list[Any]] = {"parties": [], "people": [], "places": []}
    parties = data.get("parties")
    for part in parties if isinstance(parties, list) else []:
        if not isinstance(part, dict):
            continue
        used["parties"].append(part.get("party"))
        for key in ("co_chairs", "attendees"):
            found = part.get(key)
            used["people"] += found if isinstance(found, list) else []
        signer = part.get("signer")
        if isinstance(signer, dict):
            used["people"].append(signer.get("person"))
    for section, key in (("signing", "place"), ("agreement", "signed_at")):
        value = data.get(section)
        if isinstance(value, dict):
            used["places"].append(value.get(key))
    return {kind: {i for i in ids if isinstance(i, str)} for kind, ids in used.items()}


def _raw_texts(value: Any, path: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Mappings of language codes to strings in raw YAML data, with their paths."""
    if isinstance(value, dict):
        if value and all(
            isinstance(k, str) and re.fullmatch(schema.LANG_PATTERN, k) and isinstance(v, str)
            for k, v in value.items()
        ):
            yield path, value
            return
        for key, item in value.items():
            if path == "" and key == "recipients":
                continue  # lists per language, not a text
            yield from _raw_texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _raw_texts(item, f"{path}[{i}]")


def iter_todos(value: Any, path: str = "") -> Iterator[tuple[str, schema.Todo]]:
    """Every fact marked ``{todo: …}`` under ``value``, with its field path."""
    if isinstance(value, schema.Todo):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_todos(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_todos(item, f"{path}[{i}]")


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


def used_ids(content: schema.Content) -> dict[str, set[str]]:
    """The registry ids a content file names (facts to be completed name none)."""
    parties = {p.party for p in content.parties}
    people = {c for p in content.parties for c in (*p.co_chairs, *p.attendees)}
    people |= {p.signer.person for p in content.parties if p.signer}
    places = {content.signing.place}
    if content.agreement is not None:
        places.add(content.agreement.signed_at)
    return {
        "parties": parties,
        "people": {x for x in people if isinstance(x, str)},
        "places": {x for x in places if isinstance(x, str)},
    }


def used_entries(content: schema.Content, registry: schema.Registry) -> dict[str, set[str]]:
    """The registry entries a document draws on, including each party's province."""
    used = used_ids(content)
    used["places"] |= {registry.parties[p].province for p in used["parties"]}
    return used


def _unknown(loaded: Loaded, path: str, kind: str, value: str, known: dict[str, Any]) -> Problem:
    found = difflib.get_close_matches(value, sorted(known), n=1)
    what = msg(f"id_{kind}")
    if found:
        return loaded.problem(path, msg("unknown_id_hint", kind=what, value=value, hint=found[0]))
    listed = ", ".join(sorted(known))
    return loaded.problem(path, msg("unknown_id", kind=what, value=value, known=listed))


def _party_references(
    loaded: Loaded, content: schema.Content, registry: schema.Registry
) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, part in enumerate(content.parties):
        if part.party in seen:
            problems.append(
                loaded.problem(f"parties[{i}].party", msg("listed_twice", value=part.party))
            )
        seen.add(part.party)
        if part.party not in registry.parties:
            problems.append(
                _unknown(loaded, f"parties[{i}].party", "party", part.party, registry.parties)
            )
        people = [(f"co_chairs[{j}]", c) for j, c in enumerate(part.co_chairs)]
        people += [(f"attendees[{j}]", a) for j, a in enumerate(part.attendees)]
        if part.signer is not None:
            people.append(("signer.person", part.signer.person))
        for sub, person in people:
            if isinstance(person, str) and person not in registry.people:
                problems.append(
                    _unknown(loaded, f"parties[{i}].{sub}", "person", person, registry.people)
                )
    host = content.conference.host
    if host is not None and host not in seen:
        parties = [p.party for p in content.parties]
        message = msg("host_not_party", host=host, parties=", ".join(parties))
        problems.append(loaded.problem("conference.host", message + did_you_mean(host, parties)))
    return problems


def reference_problems(
    loaded: Loaded,
    reg_loaded: Loaded,
    content: schema.Content,
    registry: schema.Registry,
    locales: dict[str, Locale],
) -> list[Problem]:
    problems = _party_references(loaded, content, registry)
    places = [("signing.place", content.signing.place)]
    if content.agreement is not None:
        places.insert(0, ("agreement.signed_at", content.agreement.signed_at))
    for path, place in places:
        if isinstance(place, str) and place not in registry.places:
            problems.append(_unknown(loaded, path, "place", place, registry.places))
    countries = {loc.data.country: lang for lang, loc in locales.items()}
    langs = ", ".join(locales)
    for party_id in dict.fromkeys(p.party for p in content.parties):
        party = registry.parties.get(party_id)
        if party is None:
            continue
        if party.country not in countries and len(locales) == len(set(content.document.languages)):
            message = msg("country_no_language", country=party.country, languages=langs)
            problems.append(reg_loaded.problem(f"parties.{party_id}.country", message))
        if party.format == "party" and party.country != "VN":
            message = msg("party_format_country", country=party.country)
            problems.append(reg_loaded.problem(f"parties.{party_id}.format", message))
        if party.province not in registry.places:
            path = f"parties.{party_id}.province"
            problems.append(_unknown(reg_loaded, path, "place", party.province, registry.places))
    for lang in content.recipients:
        if lang not in locales:
            message = msg("recipients_not_language", lang=lang, languages=langs)
            problems.append(loaded.problem(f"recipients.{lang}", message))
    if "vi" in locales and not content.recipients.get("vi"):
        problems.append(loaded.problem("recipients.vi", msg("recipients_vi_missing")))
    return problems


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


# --- official form (Decree 30/2020/NĐ-CP; Hướng dẫn 36-HD/VPTW for Party bodies) -------------

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
