"""The texts of one content file as a translator gets them: one unit per text, in file order.

Each unit is identified by its field path (``results[0].paragraphs[1]``, the path every error
message uses), carries the Vietnamese source, the translation already in the file if any, where
the text stands in the report (section and paragraph, so a translator sees context a list of
sentences lacks) and the registry names that occur in it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kbc_docs.content import schema
from kbc_docs.content.load import load_yaml
from kbc_docs.content.resolve import load_content
from kbc_docs.content.texts import iter_texts
from kbc_docs.errors import ContentError
from kbc_docs.messages import msg
from kbc_docs.text.locale import Locale
from kbc_docs.translate import wording
from kbc_docs.translate.glossary import Term, glossary, terms_in
from kbc_docs.translate.state import State, load_state, normal, source_hash

UnitState = Literal["missing", "changed", "review", "done"]
"""No translation; one made from an older Vietnamese; one kept back at import; up to date."""


@dataclass(frozen=True)
class Unit:
    """One text to translate."""

    id: str  # the field path, e.g. ``results[0].paragraphs[1]``
    source: str
    target: str  # what the translator is offered: the file's translation or the one kept for
    # review; "" when none
    existing: str  # the translation in the content file now; "" when none
    section: str  # the report's section it belongs to, e.g. "Kết quả thực hiện"
    place: str  # where in the section, e.g. "mục 1 «Công tác tuyên truyền», đoạn 2"
    terms: tuple[Term, ...]
    state: UnitState

    @property
    def hash(self) -> str:
        return source_hash(self.source)

    @property
    def context(self) -> str:
        """Section and place in one line, as the notes give it."""
        return f"{self.section} — {self.place}" if self.place else self.section


@dataclass
class Job:
    """Everything an export or an import needs to know about one content file."""

    file: Path
    slug: str  # the output name's first part, as for the build
    source: str
    target: str
    units: list[Unit]
    glossary: list[Term]
    state: State = field(repr=False)
    fonts: dict[str, str] = field(default_factory=dict)  # language → Word body font

    def unit(self, unit_id: str) -> Unit | None:
        """The unit with the field path ``unit_id``, if the content file still has that text."""
        return next((u for u in self.units if u.id == unit_id), None)

    @property
    def missing(self) -> list[Unit]:
        """The units an ``--only-missing`` export offers: no translation, or an outdated one."""
        return [u for u in self.units if u.state != "done"]


@contextmanager
def quiet() -> Iterator[None]:
    """Swallow the draft gap warnings while loading: here the gaps are the point."""
    logger = logging.getLogger("kbc_docs")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    saved = logger.propagate
    logger.propagate = False
    try:
        yield
    finally:
        logger.propagate = saved
        logger.removeHandler(handler)


def source_language(languages: list[str]) -> str:
    """The language the clerk writes and translators translate from: Vietnamese."""
    return "vi" if "vi" in languages else languages[0]


def collect(file: Path, target: str, templates: Path | None = None) -> Job:
    """The units of ``file`` for ``target``; the file must be valid apart from missing texts.

    ``templates`` is the ``--templates`` folder, as for a build (the language files come from
    the same folders)."""
    with quiet():
        resolved, locales = load_content(file, templates, draft=True)
    loaded = load_yaml(file)
    content = schema.Content.model_validate(loaded.data)  # without the draft markers
    languages = content.document.languages
    source = source_language(languages)
    if target not in languages or target == source:
        others = ", ".join(lang for lang in languages if lang != source)
        message = (
            msg("tr_bad_target", lang=target, languages=others)
            if others
            else msg("tr_one_language", lang=source)
        )
        raise ContentError([loaded.problem("document.languages", message)])
    terms = glossary(resolved, locales, source, target)
    state = load_state(file)
    made_from = state.made_from.get(target, {})
    review = state.review.get(target, {})
    titles = _titles(content, source)
    parties = {p.party: _party_name(resolved.registry, p.party, source) for p in content.parties}
    units = []
    for path, text in iter_texts(content, ""):
        if source not in text:
            continue
        original, existing = normal(text[source]), normal(text.get(target, ""))
        offered, unit_state = existing, "done"
        if path in review:
            offered, unit_state = review[path].proposal, "review"
        elif not existing:
            unit_state = "missing"
        elif path in made_from and made_from[path] != source_hash(original):
            unit_state = "changed"
        section, place = describe(path, locales.get(source), titles, parties)
        found = tuple(terms_in(original, terms))
        units.append(Unit(path, original, offered, existing, section, place, found, unit_state))
    fonts = {lang: loc.data.fonts.body.family for lang, loc in locales.items()}
    return Job(file, resolved.slug, source, target, units, terms, state, fonts)


def _titles(content: schema.Content, source: str) -> list[str]:
    return [normal(field.title.get(source, "")) for field in content.results]


def _party_name(registry: schema.Registry, party_id: str, source: str) -> str:
    party = registry.parties.get(party_id)
    return party.short_name.get(source, party_id) if party else party_id


def describe(
    path: str, locale: Locale | None, titles: list[str], parties: dict[str, str]
) -> tuple[str, str]:
    """Where the text at ``path`` stands in the report, for the translator: the section (the
    report's own heading) and the place in it, in Vietnamese (:mod:`.wording`)."""
    words = wording.PLACES
    headings = locale.data.headings if locale else None
    parts = path.replace("]", "").split(".")
    head, _, index = parts[0].partition("[")
    number = int(index) + 1 if index else 0
    rest = ".".join(parts[1:])
    sub, _, sub_index = (parts[1] if len(parts) > 1 else "").partition("[")
    if path in words:
        return words[path], ""
    if headings is None:
        return path, ""
    if head == "background":
        return headings.situation.capitalize(), f"{words['paragraph']} {number}"
    if head in ("limitations", "causes"):
        part = headings.limitations_sub if head == "limitations" else headings.causes_sub
        return headings.limitations.capitalize(), f"{part.lower()}, {words['paragraph']} {number}"
    if head == "directions":
        return headings.directions.capitalize(), f"{words['item']} {number}"
    if head == "results":
        title = titles[number - 1] if 0 < number <= len(titles) else ""
        where = f"{words['field']} {number} «{title}»"
        if sub == "paragraphs":
            return (
                headings.results.capitalize(),
                f"{where}, {words['paragraph']} {int(sub_index) + 1}",
            )
        if sub == "figures":
            what = words["figure_label" if parts[-1] == "label" else "figure_unit"]
            return headings.results.capitalize(), f"{where}, {what} {int(sub_index) + 1}"
        return headings.results.capitalize(), f"{words['field']} {number}: {words['field_title']}"
    if head == "parties" and 0 < number <= len(parties):
        party = list(parties.values())[number - 1]
        kind = next((v for k, v in words.items() if rest.startswith(k)), rest)
        return words["parties"], f"{party}: {kind}"
    return path, ""
