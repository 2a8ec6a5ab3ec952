"""Recurring terms a translator must keep consistent, from the registry and the language files.

Party names, places, people's names and titles are typed once in the registry with their Khmer
or Lao form, and fixed phrases (the national title, headings, authority prefixes) are in the
language files. Both are the translation the documents will print elsewhere, so the translator
gets them as a glossary (TBX for term bases, tab-separated text for OmegaT's glossary folder and
memoQ's import, a table in the Word file) and, for each text, the names that occur in it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pydantic import BaseModel

from kbc_docs.content.references import used_entries
from kbc_docs.content.resolve import Resolved
from kbc_docs.content.texts import iter_texts
from kbc_docs.messages import GAP_MARKER
from kbc_docs.text.locale import Locale
from kbc_docs.translate import wording
from kbc_docs.translate.state import normal


@dataclass(frozen=True)
class Term:
    """One term in the source language and its fixed translation."""

    source: str
    target: str
    origin: str  # where it is kept, e.g. ``registry: parties.vn-kiengiang-mttq.name``


def glossary(
    resolved: Resolved, locales: dict[str, Locale], source: str, target: str
) -> list[Term]:
    """The registry entries the document uses, then the language files' fixed phrases."""
    terms: list[Term] = []
    registry = resolved.registry
    for kind, ids in used_entries(resolved.content, registry).items():
        for entry_id in sorted(ids):
            entry = getattr(registry, kind)[entry_id]
            for path, text in iter_texts(entry, f"{kind}.{entry_id}"):
                words = normal(text.get(source, "")), normal(text.get(target, ""))
                terms.append(Term(*words, f"registry: {path}"))
    if source in locales and target in locales:
        pairs = _phrases(locales[source].data, locales[target].data, "")
        terms += [Term(s, t, f"locale: {path}") for path, s, t in pairs]
    gap = GAP_MARKER.format(lang=target)
    seen: set[tuple[str, str]] = set()
    kept = []
    for term in terms:
        if term.target.startswith(gap):  # filled by the draft: not translated yet
            term = Term(term.source, "", term.origin)
        key = (term.source, term.target)
        wanted = term.target or term.origin.startswith("registry")
        if term.source and wanted and key not in seen:
            seen.add(key)
            kept.append(term)
    return kept


def translated(terms: list[Term]) -> list[Term]:
    """The terms with a translation: a registry name not yet translated is in the glossary (a
    term the translator will meet) but gives no translation to copy."""
    return [t for t in terms if t.target]


_NOT_PHRASES = {
    *("language", "country", "digits", "fonts", "header_style", "section_numbers"),  # settings
    *("conjunction", "list_separator", "title_separator"),  # punctuation
}
"""Language-file keys that are settings or punctuation, not wording to keep consistent."""


def _phrases(source: Any, target: Any, path: str) -> list[tuple[str, str, str]]:
    """Fixed phrases at the same place in two language files; patterns with ``{…}`` are not."""
    if isinstance(source, BaseModel) and isinstance(target, BaseModel):
        source, target = source.model_dump(), target.model_dump()
    if isinstance(source, dict) and isinstance(target, dict):
        return [
            pair
            for key in source
            if key in target and key not in _NOT_PHRASES
            for pair in _phrases(source[key], target[key], f"{path}.{key}" if path else key)
        ]
    if isinstance(source, str) and isinstance(target, str) and "{" not in source + target:
        # A phrase has letters of the partner's script; a setting ("top", "latn") has not.
        worded = any(ch.isalpha() and not ch.isascii() for ch in target)
        return [(path, source, target)] if source != target and worded else []
    return []


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """The registry terms that occur in ``text`` as whole words, longest first, none inside a
    longer one found ("Kiên Giang" is not repeated after "Ủy ban MTTQ … tỉnh Kiên Giang")."""
    folded = _fold(text)
    found: list[Term] = []
    for term in sorted(translated(terms), key=lambda t: -len(t.source)):
        if not term.origin.startswith("registry"):
            continue
        needle = _fold(term.source)
        whole = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded)
        if whole and not any(needle in _fold(f.source) for f in found):
            found.append(term)
    return found


def tab_separated(terms: list[Term]) -> bytes:
    """The glossary as OmegaT's glossary file: UTF-8, one term a line, source TAB target TAB
    comment; memoQ and MultiTerm import the same tab-delimited text."""
    rows = [
        "\t".join(normal(cell) for cell in (t.source, t.target, t.origin))
        for t in translated(terms)
    ]
    return "".join(f"{row}\n" for row in rows).encode("utf-8")


def tbx(terms: list[Term], source: str, target: str, title: str) -> bytes:
    """A TBX term base (ISO 30042 ``martif``: one ``termEntry`` per term, a ``langSet`` each;
    a registry name not yet translated has the source's only, and a note saying so)."""
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = etree.Element("martif", {"type": "TBX", xml_lang: source})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p").text = title
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, term in enumerate(terms, 1):
        entry = etree.SubElement(body, "termEntry", id=f"t{number}")
        note = term.origin if term.target else f"{term.origin} — {wording.UNTRANSLATED_TERM}"
        etree.SubElement(entry, "note").text = note  # where kbc-docs keeps it
        for lang, words in ((source, term.source), (target, term.target)):
            if not words:
                continue
            lang_set = etree.SubElement(entry, "langSet", {xml_lang: lang})
            etree.SubElement(etree.SubElement(lang_set, "tig"), "term").text = words
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
