"""Every language of every text: stray language keys, missing translations and drafts.

A missing translation is an error, except in a draft build (``draft=True``): then each gap is
filled with a loud marker and the text of another language (``⟦THIẾU BẢN DỊCH km⟧ …``), every
title is prefixed with ``⟦BẢN NHÁP⟧``, and each gap is logged as a warning on the ``kbc_docs``
logger. The gaps are filled here, in the data, so the view and both renderers need not know
about drafts and print the marker like any other text.

An empty text (``""``, as ``kbc-docs new`` leaves the title, names and the like for the clerk
to write) is an error too, except in a draft: there it prints as the dotted space of a fact to
be completed, and is listed with them (:func:`draft_blanks`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from kbc_docs.content import schema
from kbc_docs.content.load import Loaded
from kbc_docs.content.texts import Text, iter_texts, map_texts
from kbc_docs.errors import Problem
from kbc_docs.messages import GAP_MARKER, draft_title, msg

log = logging.getLogger("kbc_docs")


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


DRAFT_BLANK = "……………………"
"""What an empty text prints in a draft: the dotted space every shipped language file prints
for a fact to be completed (``blank``)."""


def draft_blanks(loaded: Loaded) -> list[Problem]:
    """Draft: every empty text of the raw file (a text's language, an item of ``recipients``)
    made :data:`DRAFT_BLANK`, before the structure is checked; a reminder for each text,
    listed like a fact to be completed."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    places: list[tuple[str, str, Any, Any]] = []  # (field path, language, holder, key in it)
    for path, text in _raw_texts(data, ""):
        places += [(path, lang, text, lang) for lang in text]
    recipients = data.get("recipients")
    if isinstance(recipients, dict):
        for lang, items in recipients.items():
            if isinstance(items, list):
                places += [(f"recipients.{lang}[{i}]", lang, items, i) for i in range(len(items))]
    empty: dict[str, list[str]] = {}
    for path, lang, holder, key in places:
        if isinstance(holder[key], str) and not holder[key].strip():
            holder[key] = DRAFT_BLANK
            empty.setdefault(path, []).append(str(lang))
    return [
        loaded.problem(path, msg("empty_text_draft", languages=", ".join(languages)))
        for path, languages in empty.items()
    ]


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
