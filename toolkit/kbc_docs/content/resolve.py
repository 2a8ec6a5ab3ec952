"""Read a content file with everything it names, and join the references.

:func:`load_content` is the content side of the build: the content file, the registry it names,
the language file of each of its languages (from the build's template folders, see
:mod:`kbc_docs.templates.lookup`) and the signers' images, each checked before anything is
built from it (:mod:`~kbc_docs.content.characters`, :mod:`~kbc_docs.content.translations`,
:mod:`~kbc_docs.content.references`, :mod:`~kbc_docs.content.form`,
:mod:`~kbc_docs.content.check`). :class:`Resolved` then turns ids
into the objects they name, so the view model never looks anything up by string or handles a
missing entry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from kbc_docs.content import schema
from kbc_docs.content.characters import bad_character_problems
from kbc_docs.content.check import date_and_count_problems, reminders, size_problems
from kbc_docs.content.form import form_problems, title_span_problems
from kbc_docs.content.load import Loaded, load_yaml
from kbc_docs.content.references import printed_entries, raw_used_ids, reference_problems
from kbc_docs.content.schema import Content, Participation, Party, Person, Registry
from kbc_docs.content.schema_errors import is_registry, parse_model
from kbc_docs.content.texts import iter_texts, map_texts
from kbc_docs.content.translations import (
    draft_blanks,
    fill_gaps,
    gap_problem,
    raw_gap_problems,
    stray_language_problems,
    translation_gaps,
)
from kbc_docs.content.values import Text
from kbc_docs.errors import ContentError, KbcError, NotContentError, Problem
from kbc_docs.messages import msg
from kbc_docs.safepath import Outside, inside, refusal
from kbc_docs.templates.lookup import template_folders
from kbc_docs.text.locale import Locale, load_locale
from kbc_docs.text.segment import LETTERS, join_lines
from kbc_docs.write import folder_name

log = logging.getLogger("kbc_docs")


@dataclass(frozen=True)
class ResolvedParty:
    """A party's registry entry together with its part in this conference."""

    id: str
    party: Party
    part: Participation
    language: str  # the language of the party's country, e.g. "km" for KH
    resolved: Resolved = field(repr=False, compare=False)


@dataclass
class Resolved:
    """Validated content with every reference followed."""

    slug: str
    content: Content
    registry: Registry
    country_language: dict[str, str]  # "VN" → "vi", from the language files
    parties: list[ResolvedParty] = field(default_factory=list)
    # party id → signer image field ("signature_image", "seal_image") → the checked bytes
    images: dict[str, dict[str, bytes]] = field(default_factory=dict)
    # the build's template folders, in search order (kbc_docs.templates.lookup.template_folders)
    templates: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parties = [
            ResolvedParty(
                id=part.party,
                party=self.registry.parties[part.party],
                part=part,
                language=self.country_language.get(self.registry.parties[part.party].country, ""),
                resolved=self,
            )
            for part in self.content.parties
        ]

    @property
    def places(self) -> dict[str, Text]:
        return {pid: place.name for pid, place in self.registry.places.items()}

    @property
    def people(self) -> dict[str, Person]:
        return self.registry.people

    def party(self, party_id: str) -> ResolvedParty:
        return next(p for p in self.parties if p.id == party_id)

    def format_of(self, lang: str) -> str:
        """The format of the ``lang`` version: the Party's when that language's issuing bodies
        are Party bodies (validation makes sure they agree), else Decree 30's.

        A version with no issuing body of its own language (the Khmer or Lao text of a report
        of Vietnamese bodies alone) follows the bodies that issue it: the Khmer text of a
        Tỉnh ủy's report is headed by the Party's name in Khmer, not by the Kingdom's title.
        """
        own = {p.party.format for p in self.parties if p.language == lang}
        issuers = own or {p.party.format for p in self.parties}
        return "party" if issuers == {"party"} else "state"

    def in_alternat_order(self, lang: str) -> list[ResolvedParty]:
        """Parties of the version's own language first, then the others in file order.

        The *alternat*: each language version names its own side first and has it sign on the
        left, whoever hosts.
        """
        own = [p for p in self.parties if p.language == lang]
        return own + [p for p in self.parties if p.language != lang]


def load_content(
    file: Path, templates: Path | None = None, draft: bool = False, strict: bool = False
) -> tuple[Resolved, dict[str, Locale]]:
    """Load, check and resolve one content file with its registry and language files.

    ``templates`` is the folder given with ``--templates`` (None: none given); with the content
    file's own ``templates:`` folder it decides the build's template folders
    (:func:`~kbc_docs.templates.lookup.template_folders`), which the language files come from
    and which :attr:`Resolved.templates` hands on to the renderers.

    Every problem of the file is reported in one run: the structure, the translations, the
    references, dates and form together (only a file that cannot be read at all stops early).
    With ``draft``, missing translations and empty texts are warnings instead of errors and are
    marked in the output (see :mod:`kbc_docs.content.translations`). Facts marked
    ``{todo: …}`` are reminders, logged as warnings; with ``strict`` they are errors.
    """
    loaded = load_yaml(file)
    blanks = draft_blanks(loaded) if draft else []
    content, problems = parse_model(loaded, schema.Content)
    if content is None and is_registry(loaded):
        raise NotContentError(problems)
    problems = bad_character_problems(loaded) + problems
    if content is None:
        # The structure is wrong, but the translations can still be checked on the raw
        # texts, so the clerk sees every problem of the file at once.
        if not draft:
            problems += raw_gap_problems(loaded)
        problems += _registry_problems(loaded, file, draft)
        raise ContentError(problems)
    reg_loaded = _load_registry(loaded, file, content.registry)
    if draft:
        blanks += draft_blanks(reg_loaded)
    registry, reg_problems = parse_model(reg_loaded, schema.Registry)
    problems += bad_character_problems(reg_loaded) + reg_problems

    languages = content.document.languages
    own = content_templates(file, content, loaded)
    if own is not None and not own.is_dir():
        problems.append(loaded.problem("templates", msg("templates_no_folder", folder=own)))
    folders = template_folders(templates, own)
    written = {lang for _, text in iter_texts(content, "") for lang in text}
    locales = _locales(loaded, languages, folders, problems, written)
    if registry is not None:
        problems += reference_problems(loaded, reg_loaded, content, registry, locales)
        problems += form_problems(loaded, content, registry, locales)

    # A listed language with no language file (a typo: `kh` for `km`) would blame every text
    # of the file for it; the clerk corrects the list first, then sees the texts' problems.
    every_language = len(locales) == len(set(languages))
    if every_language:
        problems += stray_language_problems(loaded, content, languages)
    gaps = [(loaded, path) for path in translation_gaps(content, languages) if every_language]
    if registry is not None and every_language:
        for prefix, entry in printed_entries(content, registry):
            gaps += [(reg_loaded, p) for p in translation_gaps(entry, languages, prefix)]
    problems += date_and_count_problems(loaded, content)
    problems += size_problems(loaded, content)
    problems += title_span_problems(loaded, content, locales)
    images, image_problems = _images(loaded, file, content)
    problems += image_problems
    if not draft:
        problems += [gap_problem(where, path, languages, draft) for where, path in gaps]
    # In the order of the files' lines, the content file's before its registry's.
    todos = sorted(
        reminders(loaded, content) + blanks, key=lambda p: (p.file != loaded.file, p.line or 0)
    )
    if strict and todos:
        problems += todos
        problems.append(loaded.problem("", msg("strict_todos", count=len(todos))))
    if problems or registry is None:
        raise ContentError(problems)
    for reminder in todos:
        log.warning("%s", reminder, extra={"kbc_kind": "todo"})
    if draft:
        content, registry = fill_gaps(content, registry, languages, gaps)
    content, registry = map_texts(content, _one_line), map_texts(registry, _one_line)

    for warning in [*loaded.warnings, *reg_loaded.warnings]:
        # Not a missing translation: a text that may print other than meant (a folded line).
        log.warning("%s", warning, extra={"kbc_kind": "notice"})
    country_language = {loc.data.country: lang for lang, loc in locales.items()}
    resolved = Resolved(
        folder_name(file), content, registry, country_language, images=images, templates=folders
    )
    return resolved, locales


def _one_line(text: dict[str, str]) -> dict[str, str]:
    """A text's Khmer and Lao written as ``|`` blocks, joined into one line (see join_lines).

    Only the texts of the content and registry: the lines of a generated string (a two-level
    authority) are lines on purpose.
    """
    return {lang: join_lines(value) if lang in LETTERS else value for lang, value in text.items()}


def _registry_problems(loaded: Loaded, file: Path, draft: bool) -> list[Problem]:
    """The registry's own problems and, unless ``draft``, the missing translations of the
    entries the content names, for a content file whose structure is wrong."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    name = data.get("registry", "registry.yaml")
    if not isinstance(name, str):
        return []
    try:
        reg_loaded = _load_registry(loaded, file, name)
    except KbcError as exc:
        return list(exc.problems)
    if draft:
        draft_blanks(reg_loaded)
    registry, problems = parse_model(reg_loaded, schema.Registry)
    problems = bad_character_problems(reg_loaded) + problems
    document = data.get("document")
    languages = document.get("languages") if isinstance(document, dict) else None
    if registry is None or draft or not isinstance(languages, list):
        return problems
    languages = [lang for lang in languages if isinstance(lang, str)]
    for kind, ids in raw_used_ids(data).items():
        for entry_id in sorted(ids):
            entry = getattr(registry, kind).get(entry_id)
            if entry is not None:
                prefix = f"{kind}.{entry_id}"
                problems += [
                    gap_problem(reg_loaded, path, languages, draft=False)
                    for path in translation_gaps(entry, languages, prefix)
                ]
    return problems


def _images(
    loaded: Loaded, file: Path, content: schema.Content
) -> tuple[dict[str, dict[str, bytes]], list[Problem]]:
    """Each signer's seal and signature scan, checked and read.

    See :mod:`kbc_docs.content.images`.
    """
    from kbc_docs.content.images import IMAGE_FIELDS, ImageProblem, read_image

    images: dict[str, dict[str, bytes]] = {}
    problems: list[Problem] = []
    for i, part in enumerate(content.parties):
        for name in IMAGE_FIELDS:
            value = getattr(part.signer, name) if part.signer else None
            if value is None:
                continue
            try:
                data = read_image(file.parent, value)
            except ImageProblem as exc:
                problems.append(loaded.problem(f"parties[{i}].signer.{name}", str(exc)))
            else:
                images.setdefault(part.party, {})[name] = data
    return images, problems


def _load_registry(loaded: Loaded, file: Path, name: str) -> Loaded:
    """The registry file the content names, or a problem at the content's ``registry`` key.

    It must lie in the content file's folder (:func:`kbc_docs.safepath.inside`): a content
    file from elsewhere must not make the build read, and quote, ``/etc/shadow``.
    """
    registry_file = registry_path(file, name, loaded)
    if not registry_file.exists():
        message = msg("registry_missing", name=name, path=registry_file)
        raise ContentError([loaded.problem("registry", message)])
    if not registry_file.is_file():  # a folder, or a device such as /dev/zero
        raise ContentError([loaded.problem("registry", msg("not_a_file"))])
    return load_yaml(registry_file)


def registry_path(file: Path, name: str, loaded: Loaded | None = None) -> Path:
    """Where the registry ``name`` of the content file ``file`` is, checked to stay beside it."""
    try:
        return inside(file.parent, name)
    except Outside as exc:
        where = loaded or Loaded(file, None)
        raise ContentError([where.problem("registry", refusal(exc, file.parent))]) from None


def content_templates(
    file: Path, content: schema.Content, loaded: Loaded | None = None
) -> Path | None:
    """The template folder a content file names for itself, if any (inside its folder)."""
    if not content.templates:
        return None
    try:
        return inside(file.parent, content.templates)
    except Outside as exc:
        where = loaded or Loaded(file, None)
        raise ContentError([where.problem("templates", refusal(exc, file.parent))]) from None


def _locales(
    loaded: Loaded,
    languages: list[str],
    templates: list[Path],
    problems: list[Problem],
    written: set[str],
) -> dict[str, Locale]:
    """The language file of each of the document's languages; problems are appended.

    ``templates`` is a search path (an office's own folder first, then the defaults);
    ``written`` the language keys the texts use: the one known language among them that the
    list lacks is the likely meaning of an unknown code (``kh`` beside texts in ``km``).
    """
    folders = [f / "locale" for f in templates]
    locales: dict[str, Locale] = {}
    for i, lang in enumerate(languages):
        path = f"document.languages[{i}]"
        folder = next((f for f in folders if (f / f"{lang}.yaml").is_file()), None)
        if lang in locales:
            problems.append(loaded.problem(path, msg("listed_twice", value=lang)))
        elif folder is None:
            known = sorted({p.stem for f in folders for p in f.glob("*.yaml")})
            message = msg("no_locale", lang=lang, known=", ".join(known))
            meant = sorted(written.intersection(known).difference(languages))
            if len(meant) == 1:
                message += msg("did_you_mean", hint=meant[0])
            problems.append(loaded.problem(path, message))
        else:
            try:
                locales[lang] = load_locale(folder, lang)
            except KbcError as exc:
                problems.append(loaded.problem(path, str(exc)))
    return locales
