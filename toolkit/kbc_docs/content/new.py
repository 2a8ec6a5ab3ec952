"""``kbc-docs new``: this year's content file from last year's, or from a blank skeleton.

The review conferences come back every year with the same parties, signers, agreement and
background; what changes is the date, the place, the results and their figures. So the new file
keeps everything that carries over and marks what must be written again with the content
format's "to be completed" mark, ``{todo: "what is missing"}``, which ``validate`` lists and
the documents print as a dotted space to fill by hand. The period under review moves one year
on (``reviews: {years: 1}`` → ``{years: 2}``). Nothing is invented: a fact that cannot be
carried over is a ``todo``.

A content file refers to its parties, places and people by id, in the registry beside it. Where
the new file's folder has none, ``new`` writes one too, never over an existing file: the
earlier file's registry, or the skeleton's, which holds exactly the ids the blank skeleton uses
with their names left empty (``""``). ``validate --draft`` lists each empty text and
``build --draft`` prints it as a dotted space (:func:`kbc_docs.content.translations.draft_blanks`),
so the new file builds as a draft at once.

Where the folder has a registry already, it is the clerk's, shared by the folder's other
content files. Whatever ids the new file names that it lacks are added to it, at the end of
their section, copied from the earlier file's registry (its texts, flow style and all; the
registry's own comments and layout are kept: :mod:`kbc_docs.content.round_trip`). An id no
registry has a whole entry for (the blank skeleton's, or one the earlier registry lacks) is not
added: an entry with empty texts would stop every other content file of the folder from
building. ``new`` names those ids and says what to do instead (:class:`Gaps`).

The earlier file is read with the same safe loader as a build
(:func:`kbc_docs.content.load.load_yaml`) and written back as YAML, so its comments are not
carried over; the first line that points editors at the JSON Schema is.
"""

from __future__ import annotations

import copy
import io
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import yaml
from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from kbc_docs.content import schema
from kbc_docs.content.load import load_yaml
from kbc_docs.content.references import raw_used_ids
from kbc_docs.content.resolve import registry_path
from kbc_docs.content.round_trip import as_before, round_trip
from kbc_docs.content.schema_errors import is_registry
from kbc_docs.content.values import LANG_PATTERN
from kbc_docs.data import shipped
from kbc_docs.errors import ContentError, KbcError, Problem, TemplateError
from kbc_docs.messages import msg
from kbc_docs.templates.lookup import default_templates
from kbc_docs.text.locale import fill, load_locale
from kbc_docs.text.segment import LETTERS
from kbc_docs.write import os_problem, write_file

TODO = "todo"
"""The key of the content format's "to be completed" mark (``{todo: "…"}``)."""

SCHEMA_LINE = "# yaml-language-server: $schema="


def todo(what: str) -> dict[str, str]:
    """The mark for a fact to be completed; ``what`` says which, in the clerks' language."""
    return {TODO: what}


class Gaps(NamedTuple):
    """What a clerk must fill in before the new file builds."""

    todos: int  # facts marked ``{todo: …}``: printed as dotted spaces until filled
    blanks: int  # texts left empty (``""``) in the skeleton and its registry: required
    registry: Path | None = None  # the registry written beside the new file, when it had none
    # The folder's own registry, when the new file names ids it lacked: those added to it
    # (copied from ``copied_from``), and those it still lacks ("parties.ben-viet-nam"…).
    completed: Path | None = None
    added: tuple[str, ...] = ()
    lacking: tuple[str, ...] = ()
    copied_from: Path | None = None


def new_content(target: Path, earlier: Path | None) -> Gaps:
    """Write a new content file at ``target``; return what it leaves to be filled in.

    The content file names its registry (``registry: registry.yaml``, beside it); where there
    is none yet, one is written too: the earlier file's, or the skeleton's, whose entries are
    the ids the blank skeleton uses, with their texts left empty to be written. Where there
    is one, what the new file names and it lacks is added to it from the earlier file's
    registry, or named (:func:`_complete_registry`). Refuses to overwrite anything: a clerk's
    file of the same name is never replaced.
    """
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise ContentError([Problem(msg("new_not_yaml"), target)])
    if earlier is None:
        text = (shipped("new") / "skeleton.yaml").read_text(encoding="utf-8")
    else:
        text = next_year(earlier)
    if not target.parent.is_dir():
        raise ContentError([Problem(msg("new_no_folder", folder=target.parent), target)])
    data = yaml.safe_load(text)
    registry = _registry_to_write(target, data, earlier)
    _write_new(target, text)
    gaps = Gaps(_todos(data), _blanks(data))
    if registry is None:  # the folder has one: what the new file names must be in it
        return _complete_registry(target, data, earlier, gaps)
    try:
        _write_new(*registry)
    except ContentError:  # written meanwhile by someone else: theirs stays
        return gaps
    shown = target.parent / data.get("registry", "registry.yaml")  # as the user sees it
    blanks = gaps.blanks + _blanks(yaml.safe_load(registry[1]))
    return gaps._replace(blanks=blanks, registry=shown)


_ENTRIES = {"parties": schema.Party, "people": schema.Person, "places": schema.Place}
"""A registry's sections, and what a whole entry of each is; parties before places, since a
party names its province."""


def _complete_registry(
    target: Path, data: dict[str, Any], earlier: Path | None, gaps: Gaps
) -> Gaps:
    """Add to the folder's registry the entries the new file names and it lacks, copied from
    the earlier file's registry where that has them whole; say which ids are still lacking.

    A registry kbc-docs cannot read or edit is left as it is: its ids are then named as
    lacking, and ``validate`` says the rest.
    """
    name = data.get("registry", "registry.yaml")
    try:
        registry = registry_path(target, name) if isinstance(name, str) else None
        have = load_yaml(registry).data if registry is not None else None
    except ContentError:  # outside the folder, unreadable, not YAML: the build says so
        return gaps
    if registry is None or not isinstance(have, dict | None):  # None: comments only
        return gaps
    source, theirs = _earlier_registry(earlier, name)
    needed = raw_used_ids(data)
    copies: dict[str, dict[str, Any]] = {kind: {} for kind in _ENTRIES}
    lacking: list[str] = []
    for kind, model in _ENTRIES.items():
        for entry_id in sorted(needed[kind]):
            if entry_id in _section_of(have, kind):
                continue
            entry = _section_of(theirs, kind).get(entry_id)
            try:
                model.model_validate(entry)
            except ValidationError:  # none, or empty texts: would stop the folder's builds
                lacking.append(f"{kind}.{entry_id}")
                continue
            copies[kind][entry_id] = entry
            if kind == "parties":
                needed["places"].add(entry["province"])
    added = tuple(f"{kind}.{i}" for kind, entries in copies.items() for i in entries)
    if added:
        assert source is not None and earlier is not None  # nothing to copy without them
        where = os.path.relpath(source, registry.parent).replace(os.sep, "/")
        note = f"kbc-docs new --from {earlier.name}: chép từ {where}"
        try:
            _append_entries(registry, copies, source, note)
        except (KbcError, OSError, UnicodeDecodeError, YAMLError):  # left as it was
            lacking, added = sorted([*lacking, *added]), ()
    if not added and not lacking:
        return gaps
    return gaps._replace(
        completed=target.parent / name,  # as the user sees it
        added=added,
        lacking=tuple(lacking),
        copied_from=earlier.parent / name if added and earlier is not None else None,
    )


def _section_of(data: object, kind: str) -> dict[str, Any]:
    section = data.get(kind) if isinstance(data, dict) else None
    return section if isinstance(section, dict) else {}


def _earlier_registry(earlier: Path | None, name: object) -> tuple[Path | None, object]:
    """The earlier file's registry and its data; ``(None, None)`` without one to read."""
    if earlier is None or not isinstance(name, str):
        return None, None
    try:
        source = registry_path(earlier, name)
        return source, load_yaml(source).data
    except ContentError:
        return None, None


def _append_entries(
    registry: Path, copies: dict[str, dict[str, Any]], source: Path, note: str
) -> None:
    """Append ``copies`` to ``registry``, each section's under the comment ``note``, keeping
    the file's comments and layout; the entries as ``source`` writes them, without its
    comments. Proven to read back as the old data plus exactly ``copies`` before the file is
    replaced (atomically)."""
    raw = registry.read_bytes().decode("utf-8")
    old = raw.removeprefix("\ufeff").replace("\r\n", "\n")
    rt = round_trip()
    mine, theirs = rt.load(old), rt.load(source.read_text(encoding="utf-8"))
    expected = yaml.safe_load(old)
    if not isinstance(mine, CommentedMap):  # comments only: they would be lost
        raise KbcError(msg("tr_merge_mismatch"))
    for kind, entries in copies.items():
        if not entries:
            continue
        if not isinstance(mine.get(kind), CommentedMap):  # "people:" with nothing under it
            mine[kind] = CommentedMap()
        if not isinstance(expected.get(kind), dict):
            expected[kind] = {}
        for entry_id, plain in entries.items():
            mine[kind][entry_id] = _without_comments(copy.deepcopy(theirs[kind][entry_id]))
            expected[kind][entry_id] = plain
        mine[kind].yaml_set_comment_before_after_key(next(iter(entries)), before=note, indent=2)
    out = io.StringIO()
    rt.dump(mine, out)
    if yaml.safe_load(out.getvalue()) != expected:
        raise KbcError(msg("tr_merge_mismatch"))
    write_file(registry, as_before(raw, out.getvalue()))


def _without_comments(node: Any) -> Any:
    """``node`` (ruamel's) without the comments its file had around it: they were about that
    file (a heading for the entries below, a note on a neighbour), not about the entry."""
    if isinstance(node, CommentedMap | CommentedSeq):
        node.ca.items.clear()
        node.ca.comment = None
        node.ca.end = []
        for value in node.values() if isinstance(node, CommentedMap) else node:
            _without_comments(value)
    return node


def _registry_to_write(
    target: Path, data: dict[str, Any], earlier: Path | None
) -> tuple[Path, str] | None:
    """The registry file the new content file needs beside it, and its text; None when it is
    there already (or names no file kbc-docs may write)."""
    name = data.get("registry", "registry.yaml")
    try:
        registry_file = registry_path(target, name) if isinstance(name, str) else None
    except ContentError:  # outside the folder: the build says so, with the file and line
        return None
    if registry_file is None or registry_file.exists():
        return None
    if earlier is None:
        return registry_file, (shipped("new") / "registry.yaml").read_text(encoding="utf-8")
    try:
        source = registry_path(earlier, name)
        load_yaml(source)  # a registry file kbc-docs reads: bounded, regular, YAML
        return registry_file, source.read_text(encoding="utf-8")
    except (ContentError, OSError, UnicodeDecodeError):  # the earlier file has none to copy
        return None


def _write_new(target: Path, text: str) -> None:
    """Write ``text`` to a new file ``target``; never replaces one (``O_EXCL``)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except FileExistsError:
        raise ContentError([Problem(msg("new_exists"), target)]) from None
    except OSError as exc:
        raise ContentError([os_problem(exc, target, exact=True)]) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
    except BaseException as exc:  # a full disk, Ctrl-C: no half-written file is left behind
        target.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ContentError([os_problem(exc, target, exact=True)]) from None
        raise


def _todos(node: object) -> int:
    """How many ``todo`` marks ``node`` holds."""
    if isinstance(node, dict):
        return 1 if set(node) == {TODO} else sum(_todos(v) for v in node.values())
    if isinstance(node, list):
        return sum(_todos(v) for v in node)
    return 0


def _blanks(node: object) -> int:
    """How many empty texts (``""``) ``node`` holds."""
    if isinstance(node, dict | list):
        return sum(_blanks(v) for v in (node.values() if isinstance(node, dict) else node))
    return int(node == "")


def next_year(earlier: Path) -> str:
    """The text of the file that follows ``earlier``: same parties, new facts to complete."""
    loaded = load_yaml(earlier)
    data = loaded.data
    if not isinstance(data, dict):
        raise ContentError([Problem(msg("top_not_mapping", got=type(data).__name__), earlier)])
    if is_registry(loaded) or not isinstance(data.get("document"), dict):
        # A registry, or some other YAML file: its "next year" would be no conference file.
        raise ContentError([Problem(msg("new_not_content"), earlier)])
    data = carried_over(data)
    head = [
        line
        for line in earlier.read_text(encoding="utf-8").splitlines()[:1]
        if line.startswith(SCHEMA_LINE)
    ]
    head.append(f"# kbc-docs new --from {earlier.name}: điền vào mọi chỗ 'todo:' (cần bổ sung).")
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body


def carried_over(data: dict[str, Any]) -> dict[str, Any]:
    """The earlier file's data with this year's facts replaced by ``todo`` marks."""
    data = copy.deepcopy(data)
    document = _section(data, "document")
    if isinstance(document.get("number"), str):
        # "12/BC-MTTQ-BTT" → "/BC-MTTQ-BTT": the number is given when the report is registered.
        document["number"] = re.sub(r"^\s*\d+\s*(?=/)", "", document["number"])
    reviews = document.get("reviews")
    if isinstance(reviews, dict):
        for unit, step in (("years", 1), ("months", 12)):
            if isinstance(reviews.get(unit), int):
                before = reviews[unit]
                reviews[unit] = before + step
                if isinstance(document.get("title"), dict):
                    document["title"] = {
                        lang: _advanced(text, lang, unit, before, before + step)
                        if isinstance(text, str)
                        else text
                        for lang, text in document["title"].items()
                    }
                break
    conference = _section(data, "conference")
    conference["date"] = todo("ngày họp hội nghị, dạng YYYY-MM-DD")
    conference["venue"] = todo("địa điểm họp hội nghị")
    for field in data.get("results") or []:
        if not isinstance(field, dict):
            continue
        title = field.get("title")
        name = title.get("vi") if isinstance(title, dict) else None
        field["paragraphs"] = [todo(f"kết quả kỳ này: {name}" if name else "kết quả kỳ này")]
        for figure in field.get("figures") or []:
            if isinstance(figure, dict):
                figure["value"] = todo("số liệu kỳ này")
    for finished in ("limitations", "causes"):
        data.pop(finished, None)
    signing = _section(data, "signing")
    signing["date"] = todo("ngày ký báo cáo, dạng YYYY-MM-DD")
    return data


def _advanced(title: str, lang: str, unit: str, before: int, after: int) -> str:
    """``title`` with the span it names moved on: "Sơ kết 01 năm" → "Sơ kết 02 năm".

    Only a number written right before the span's word is changed, in the digits it was
    written in (0-9, ០-៩, ໐-໙) and with the leading zero the title had; a title that names no
    span is left as it is. The span's word ("năm", "ឆ្នាំ", "ປີ") comes from the language file.
    """
    if not re.match(LANG_PATTERN, lang):  # a key of the earlier file, not checked yet
        return title
    try:
        locale = load_locale(default_templates() / "locale", lang)
    except TemplateError:  # a language kbc-docs has no file for: nothing to go by
        return title
    word = fill(locale.data.span[unit], n="").strip()  # type: ignore[index]

    def one(match: re.Match[str]) -> str:
        written = match.group(1)
        zeros = {ord(c) - unicodedata.digit(c) for c in written}
        if len(zeros) != 1 or int(written) != before:  # digits of two scripts are no number
            return match.group(0)
        (zero,) = zeros
        again = "".join(chr(zero + int(d)) for d in str(after).zfill(len(written)))
        return again + match.group(2)

    return re.sub(rf"(\d+)(\s*{re.escape(word)})", one, title)


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        value = data[key] = {}
    return value


_KHMER_LAO = re.compile(f"[{''.join(LETTERS.values())}]")


class _Dumper(yaml.SafeDumper):
    """YAML as a clerk would write it: block style, long texts folded, dates as YYYY-MM-DD.

    The loader reads dates as text (pydantic parses them), so a date comes back as a string;
    without the timestamp resolver it is written bare (``2022-11-25``), not quoted.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, rx) for tag, rx in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
    }


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Long Vietnamese texts folded (``>``); Khmer and Lao never: YAML joins folded lines with
    a space, which in those scripts is a phrase break (``validate`` warns of it). A long one is
    a literal block (``|``) on one line instead."""
    style = None
    if len(value) > 80 and "\n" not in value:
        style = "|" if _KHMER_LAO.search(value) else ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
_Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]
