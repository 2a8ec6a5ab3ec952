"""Where Khmer and Lao lines may break: the segmentation marks of every string of a version.

Khmer and Lao write no spaces between words, so the view marks the break opportunities once
(:func:`kbc_docs.text.segment.segment`) and both renderers break lines only there; names from
the registry are never broken inside.
"""

from __future__ import annotations

from kbc_docs.content.resolve import Resolved
from kbc_docs.messages import GAP_MARKER
from kbc_docs.text.locale import Locale
from kbc_docs.text.segment import segment
from kbc_docs.view.version import Version
from kbc_docs.view.walk import map_strings


def segment_all(
    version: Version, lang: str, keep: tuple[str, ...], together: tuple[str, ...]
) -> Version:
    """Apply :func:`segment` to every string of a version (Khmer and Lao only)."""
    return map_strings(version, lambda s: segment(s, lang, keep, together))


def unbreakable(resolved: Resolved, locale: Locale) -> tuple[str, ...]:
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


def full_names(resolved: Resolved, lang: str) -> tuple[str, ...]:
    """The registry's people in ``lang``, with and without their honorific: one name each,
    never split over two lines in Khmer or Lao text, signature blocks included
    (:func:`kbc_docs.text.segment.keep_together`). A draft's missing name is its marker and
    the name in another language (``⟦THIẾU BẢN DỊCH km⟧ Lê Thị Vệ``): the name is kept whole,
    the marker like any words, so a narrow signature block may break the line after it."""
    names: set[str] = set()
    marker = GAP_MARKER.format(lang=lang)
    for person in resolved.registry.people.values():
        name = person.name.get(lang)
        if not name:
            continue
        if name.startswith(f"{marker} "):  # a draft's gap: the name whole, not the marker
            names.add(name.removeprefix(f"{marker} "))
            continue
        names.add(name)
        honorific = person.honorific.get(lang)
        if honorific:
            names.add(f"{honorific} {name}")
    return tuple(sorted(names))


def registry_names(resolved: Resolved, lang: str) -> tuple[str, ...]:
    """The registry's names in ``lang``: places, parties (with their header lines) and people
    (with their titles). The PDF keeps each on one line where it fits, so that a reader's
    search finds it (:func:`kbc_docs.render.pdf.laid_out.wrapped_names`)."""
    registry = resolved.registry
    texts = [p.name for p in registry.places.values()]
    for party in registry.parties.values():
        texts += [party.name, party.short_name]
        texts += [t for t in (party.header.superior, party.header.body) if t is not None]
    for person in registry.people.values():
        texts += [person.name, *person.titles]
    return tuple(sorted({t[lang] for t in texts if t.get(lang) and "\n" not in t[lang]}))
