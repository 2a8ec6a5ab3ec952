"""The texts of one content file as a translator gets them: one unit per text, in file order,
then the texts of the registry entries the file's documents print.

Each unit is identified by its field path (``results[0].paragraphs[1]``, the path every error
message uses; ``registry:people.le-thi-ve.titles[0]`` for a text of the registry), carries the
Vietnamese source, the translation already in its file if any, where the text stands in the
report (section and paragraph, so a translator sees context a list of sentences lacks; the
entry's id for a registry text) and the registry names that occur in it.

The registry's texts travel with the content's because a draft build marks both, and a clerk
who cannot type Khmer or Lao cannot fill the registry either; the translation goes back into
the registry file, where every conference that names the entry finds it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel

from kbc_docs.content import schema
from kbc_docs.content.load import Loaded, load_yaml
from kbc_docs.content.references import printed_entries
from kbc_docs.content.resolve import load_content, registry_path
from kbc_docs.content.texts import iter_texts
from kbc_docs.content.translations import draft_blanks
from kbc_docs.errors import ContentError
from kbc_docs.messages import msg
from kbc_docs.text.locale import Locale
from kbc_docs.translate import wording
from kbc_docs.translate.glossary import Term, glossary, terms_in
from kbc_docs.translate.state import State, load_state, normal, source_hash

UnitState = Literal["missing", "changed", "review", "done"]
"""No translation; one made from an older Vietnamese; one kept back at import; up to date."""

M = TypeVar("M", bound=BaseModel)

REGISTRY = "registry:"
"""The prefix of a registry text's unit id: ``registry:`` + its field path in the registry.
No content field path has a colon, so the id alone tells where a returned text belongs."""


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
    def in_registry(self) -> bool:
        """A text of the registry, written back there, not into the content file."""
        return self.id.startswith(REGISTRY)

    @property
    def path(self) -> str:
        """The field path in the file the text lives in (the content file or the registry)."""
        return self.id.removeprefix(REGISTRY)

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
    registry: Path  # the registry file the content file names
    registry_state: State = field(repr=False)
    fonts: dict[str, str] = field(default_factory=dict)  # language → Word body font

    def state_of(self, unit: Unit) -> State:
        """The state kept beside the file ``unit`` lives in: the registry is shared by many
        content files, so what its translations were made from is kept beside it."""
        return self.registry_state if unit.in_registry else self.state

    def unit(self, unit_id: str) -> Unit | None:
        """The unit with the field path ``unit_id``, if the content file still has that text."""
        return next((u for u in self.units if u.id == unit_id), None)

    @property
    def missing(self) -> list[Unit]:
        """The units an ``--only-missing`` export offers: no translation, or an outdated one."""
        return [u for u in self.units if u.state != "done"]

    @property
    def gaps(self) -> list[Unit]:
        """The units without a translation: what a draft build marks in its output."""
        return [u for u in self.units if not u.existing]


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


def as_written(loaded: Loaded, model: type[M]) -> M:
    """The file as the clerk wrote it, without the draft's markers of missing translations;
    an empty text (``""``) is the draft's dotted space, which :func:`.state.normal` reads as
    empty. The file passed the draft's checks already."""
    draft_blanks(loaded)
    return model.model_validate(loaded.data)


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
    content = as_written(loaded, schema.Content)
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
    titles = _titles(content, source)
    parties = {p.party: _party_name(resolved.registry, p.party, source) for p in content.parties}
    locale = locales.get(source)
    state = load_state(file)
    units = [
        _unit(path, text, source, target, state, terms, describe(path, locale, titles, parties))
        for path, text in iter_texts(content, "")
    ]
    registry_file = registry_path(file, content.registry)
    registry = as_written(load_yaml(registry_file), schema.Registry)
    registry_state = load_state(registry_file)
    for prefix, entry in printed_entries(content, registry):
        for path, text in iter_texts(entry, prefix):
            others = [t for t in terms if t.origin != f"registry: {path}"]  # not itself
            where = registry_place(path, registry_file.name)
            units.append(
                _unit(REGISTRY + path, text, source, target, registry_state, others, where)
            )
    fonts = {lang: loc.data.fonts.body.family for lang, loc in locales.items()}
    return Job(
        file=file,
        slug=resolved.slug,
        source=source,
        target=target,
        units=[u for u in units if u is not None],
        glossary=terms,
        state=state,
        registry=registry_file,
        registry_state=registry_state,
        fonts=fonts,
    )


def _unit(
    unit_id: str,
    text: dict[str, str],
    source: str,
    target: str,
    state: State,
    terms: list[Term],
    where: tuple[str, str],
) -> Unit | None:
    """The unit of one text, its state read from ``state`` (the content's or the registry's);
    None for a text without Vietnamese."""
    if not normal(text.get(source, "")):
        return None  # no Vietnamese (yet): nothing to translate from
    path = unit_id.removeprefix(REGISTRY)
    made_from = state.made_from.get(target, {})
    review = state.review.get(target, {})
    original, existing = normal(text[source]), normal(text.get(target, ""))
    offered, unit_state = existing, "done"
    if path in review:
        offered, unit_state = review[path].proposal, "review"
    elif not existing:
        unit_state = "missing"
    elif path in made_from and made_from[path] != source_hash(original):
        unit_state = "changed"
    found = tuple(terms_in(original, terms))
    return Unit(unit_id, original, offered, existing, *where, found, unit_state)


def registry_place(path: str, registry_name: str) -> tuple[str, str]:
    """Section and place of a registry text: the shared registry, then the entry's kind, its
    id and the field (``người le-thi-ve: chức vụ 2``), so the translator knows whose name it is."""
    words = wording.PLACES
    kind, entry_id, rest = path.split(".", 2)
    field_name, _, index = rest.replace("]", "").partition("[")
    what = words.get(f"registry.{field_name}", field_name)
    if index:
        what = f"{what} {int(index) + 1}"
    section = wording.REGISTRY_SECTION.format(file=registry_name)
    return section, f"{words[f'registry.{kind}']} {entry_id}: {what}"


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
