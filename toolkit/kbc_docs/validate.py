"""Check a content file and the registry entries it uses; collect every problem before failing.

A clerk fixing a file wants the whole list at once, each with file, line and field path, not one
error per run. Schema errors come from pydantic; the checks that need the whole picture
(references, translations in every language, dates in order, characters XML forbids) follow.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kbc_docs import schema
from kbc_docs.errors import ContentError, KbcError, Problem
from kbc_docs.load import Loaded, load_yaml
from kbc_docs.locale import Locale, load_locale
from kbc_docs.resolve import Resolved

# XML 1.0 forbids these; a DOCX containing one does not open in Word.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _known_keys() -> set[str]:
    keys: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            keys.update(obj.model_fields)
    return keys


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_problems(loaded: Loaded, exc: ValidationError) -> list[Problem]:
    problems = []
    bad_keys = {_path(e["loc"][:-1]) for e in exc.errors() if e["loc"][-1:] == ("[key]",)}
    for err in exc.errors():
        loc = err["loc"]
        kind = err["type"]
        if loc[-1:] == ("[key]",):
            path = _path(loc[:-1])
            message = (
                f"'{loc[-2]}' is not a language code such as vi, km or lo; a comma inside "
                "{…} starts a new key, so put text that contains commas in quotes"
            )
            problems.append(loaded.problem(path, message))
            continue
        path = _path(loc)
        if path in bad_keys:
            continue  # the same mistake, already reported above
        if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
            message = f"not a date (got {err.get('input')!r}); write dates as YYYY-MM-DD"
        elif kind == "dict_type" and isinstance(err.get("input"), str):
            message = (
                "expected the text in each language, e.g. {vi: …, km: …}, "
                f"not a single text (got {err['input']!r})"
            )
        elif kind == "string_type" and err.get("input") is None:
            message = "the text is empty"
        elif kind == "extra_forbidden":
            key = str(err["loc"][-1])
            hint = difflib.get_close_matches(key, sorted(_known_keys()), n=1)
            message = f"unknown key '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else "")
        elif kind == "missing":
            message = f"required field '{err['loc'][-1]}' is missing"
        else:
            got = err.get("input")
            shown = f" (got {got!r})" if isinstance(got, str | int | float) else ""
            message = err["msg"].removeprefix("Value error, ") + shown
        problems.append(loaded.problem(path, message))
    return problems


def _parse(loaded: Loaded, model: type[BaseModel]) -> BaseModel | None:
    if not isinstance(loaded.data, dict):
        raise ContentError([loaded.problem("", "expected a mapping of keys at the top level")])
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        raise ContentError(_schema_problems(loaded, exc)) from None


def iter_texts(value: Any, path: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Every multilingual text under ``value`` with its field path."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_texts(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        if value and all(isinstance(v, str) for v in value.values()):
            yield path, value
        else:
            for key, item in value.items():
                yield from iter_texts(item, f"{path}.{key}" if path else str(key))


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _bad_characters(loaded: Loaded) -> list[Problem]:
    problems = []
    for path, text in _strings(loaded.data, ""):
        match = _FORBIDDEN.search(text)
        if match:
            problems.append(
                loaded.problem(
                    path,
                    f"contains the control character U+{ord(match.group()):04X}, which Word "
                    "cannot open (pasted from another program?); delete it",
                )
            )
    return problems


def _missing_languages(
    loaded: Loaded, model: BaseModel, languages: list[str], prefix: str = ""
) -> list[Problem]:
    problems = []
    for path, text in iter_texts(model, prefix):
        if not prefix:  # the content file itself: a language it does not declare is a typo
            for extra in sorted(set(text) - set(languages)):
                # Codes are two letters, too short for fuzzy matching: one gap is the answer.
                hint = [x for x in languages if x not in text]
                hint = hint if len(hint) == 1 else []
                problems.append(
                    loaded.problem(
                        f"{path}.{extra}",
                        f"'{extra}' is not one of the document's languages ({', '.join(languages)})"
                        + (f"; did you mean '{hint[0]}'?" if hint else ""),
                    )
                )
        for lang in languages:
            if lang not in text:
                problems.append(
                    loaded.problem(
                        f"{path}.{lang}",
                        f"missing the '{lang}' text (the document is in {', '.join(languages)})",
                    )
                )
    return problems


def load_content(file: Path, templates: Path) -> tuple[Resolved, dict[str, Locale]]:
    """Load, check and resolve one content file with its registry and language files."""
    loaded = load_yaml(file)
    problems = _bad_characters(loaded)
    content = _parse(loaded, schema.Content)
    assert isinstance(content, schema.Content)

    registry_file = (file.parent / content.registry).resolve()
    reg_loaded = load_yaml(registry_file)
    problems += _bad_characters(reg_loaded)
    registry = _parse(reg_loaded, schema.Registry)
    assert isinstance(registry, schema.Registry)

    languages = content.document.languages
    locales: dict[str, Locale] = {}
    for i, lang in enumerate(languages):
        if lang in locales:
            problems.append(loaded.problem(f"document.languages[{i}]", f"'{lang}' is listed twice"))
            continue
        try:
            locales[lang] = load_locale(templates / "locale", lang)
        except KbcError as exc:
            problems.append(loaded.problem(f"document.languages[{i}]", str(exc)))
    if problems:
        raise ContentError(problems)

    problems += _references(loaded, reg_loaded, content, registry, locales)
    if problems:
        raise ContentError(problems)
    problems += _missing_languages(loaded, content, languages)
    for kind, ids in used_ids(content).items():
        entries = getattr(registry, kind)
        for entry_id in sorted(ids):
            problems += _missing_languages(
                reg_loaded, entries[entry_id], languages, f"{kind}.{entry_id}"
            )
    problems += _dates_and_counts(loaded, content)
    if problems:
        raise ContentError(problems)

    country_language = {loc.data.country: lang for lang, loc in locales.items()}
    return Resolved(file.stem, content, registry, country_language), locales


def used_ids(content: schema.Content) -> dict[str, set[str]]:
    parties = {p.party for p in content.parties}
    people = {c for p in content.parties for c in (*p.co_chairs, *p.attendees, p.signer.person)}
    places = {content.agreement.signed_at, content.signing.place}
    return {"parties": parties, "people": people, "places": places}


def _unknown(loaded: Loaded, path: str, kind: str, value: str, known: dict[str, Any]) -> Problem:
    hint = difflib.get_close_matches(value, sorted(known), n=1)
    suffix = f"; did you mean '{hint[0]}'?" if hint else f" (known: {', '.join(sorted(known))})"
    return loaded.problem(path, f"unknown {kind} id '{value}' in the registry{suffix}")


def _references(
    loaded: Loaded,
    reg_loaded: Loaded,
    content: schema.Content,
    registry: schema.Registry,
    locales: dict[str, Locale],
) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, part in enumerate(content.parties):
        if part.party in seen:
            problems.append(
                loaded.problem(f"parties[{i}].party", f"'{part.party}' is listed twice")
            )
        seen.add(part.party)
        if part.party not in registry.parties:
            problems.append(
                _unknown(loaded, f"parties[{i}].party", "party", part.party, registry.parties)
            )
        people = [(f"co_chairs[{j}]", c) for j, c in enumerate(part.co_chairs)]
        people += [(f"attendees[{j}]", a) for j, a in enumerate(part.attendees)]
        people.append(("signer.person", part.signer.person))
        for sub, person in people:
            if person not in registry.people:
                problems.append(
                    _unknown(loaded, f"parties[{i}].{sub}", "person", person, registry.people)
                )
    if content.conference.host not in seen:
        parties = [p.party for p in content.parties]
        hint = difflib.get_close_matches(content.conference.host, parties, n=1)
        problems.append(
            loaded.problem(
                "conference.host",
                f"host '{content.conference.host}' is not one of the parties "
                + (f"; did you mean '{hint[0]}'?" if hint else f"({', '.join(parties)})"),
            )
        )
    for path, place in (
        ("agreement.signed_at", content.agreement.signed_at),
        ("signing.place", content.signing.place),
    ):
        if place not in registry.places:
            problems.append(_unknown(loaded, path, "place", place, registry.places))
    countries = {loc.data.country: lang for lang, loc in locales.items()}
    for party_id, party in registry.parties.items():
        if party_id in seen and party.country not in countries:
            problems.append(
                reg_loaded.problem(
                    f"parties.{party_id}.country",
                    f"country {party.country} has no language among the document's languages "
                    f"({', '.join(locales)})",
                )
            )
        if party_id in seen and party.province not in registry.places:
            problems.append(
                _unknown(
                    reg_loaded,
                    f"parties.{party_id}.province",
                    "place",
                    party.province,
                    registry.places,
                )
            )
    for lang in content.recipients:
        if lang not in locales:
            problems.append(
                loaded.problem(f"recipients.{lang}", f"'{lang}' is not a language of the document")
            )
    if "vi" in locales and not content.recipients.get("vi"):
        problems.append(
            loaded.problem(
                "recipients.vi", "the Vietnamese version needs its 'Nơi nhận' list (Decree 30)"
            )
        )
    return problems


def _dates_and_counts(loaded: Loaded, content: schema.Content) -> list[Problem]:
    problems = []
    if content.signing.date < content.conference.date:
        problems.append(
            loaded.problem(
                "signing.date",
                f"signing date {content.signing.date} is before the conference "
                f"({content.conference.date})",
            )
        )
    if content.agreement.signed_on > content.conference.date:
        problems.append(
            loaded.problem(
                "agreement.signed_on",
                f"the agreement ({content.agreement.signed_on}) is signed after the conference "
                f"that reviews it ({content.conference.date})",
            )
        )
    copies = content.signing.copies
    if copies is not None and copies % len(content.parties):
        problems.append(
            loaded.problem(
                "signing.copies",
                f"{copies} copies cannot be shared equally among {len(content.parties)} parties",
            )
        )
    return problems
