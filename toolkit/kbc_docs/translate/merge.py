"""Put returned translations into the content file and the registry, keeping their comments,
order and layout.

A file is edited with ruamel.yaml's round-trip mode, which keeps comments, key order, quoting
and block or flow style of everything it does not touch (the examples come back byte for byte).
A new translation goes right after its Vietnamese, on one line (never folded: see
:func:`_set`). Before a file is replaced, the result is read back and compared with the old
data plus the edits, and the content file with its new registry is checked by the same
validation a build runs; each file is replaced atomically, the registry first, and put back if
the content file then cannot be written.

A registry text is written into the registry (``registry:`` ids, :data:`.texts.REGISTRY`), and
only where the translator gave a text: the registry is shared by other content files, so an
entry or a language nobody translated stays as it was, byte for byte.

A text whose Vietnamese changed after the export (its hash no longer matches) is not written:
the translation is kept in the state file of its own file for review and offered again by the
next export.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ruamel.yaml.comments import CommentedMap

from kbc_docs.content.resolve import load_content
from kbc_docs.content.round_trip import as_before, round_trip
from kbc_docs.errors import ContentError, KbcError, Problem
from kbc_docs.messages import msg
from kbc_docs.render.pdf.glyphs import check_glyphs
from kbc_docs.text.segment import LETTERS
from kbc_docs.translate.exchange import Returned, ReturnedFile
from kbc_docs.translate.state import Review, save_state, source_hash
from kbc_docs.translate.table import read_table
from kbc_docs.translate.texts import REGISTRY, Job, collect, quiet
from kbc_docs.translate.xliff import read_xliff
from kbc_docs.view import build_view
from kbc_docs.write import write_file

MAX_BYTES = 20_000_000


@dataclass
class Report:
    """What an import did, for the clerk."""

    filled: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    review: list[Problem] = field(default_factory=list)  # not written, with the reason
    target: str = ""  # the language imported
    still_missing: int = 0
    registry: Path | None = None  # the registry file, when the import writes into it

    def in_registry(self, ids: list[str]) -> list[str]:
        """The ids among ``ids`` of texts written into the registry."""
        return [i for i in ids if i.startswith(REGISTRY)]


def read_returned(path: Path) -> ReturnedFile:
    """A returned XLIFF or Word file, told apart by its content, not its name."""
    try:
        if not path.is_file():
            reason = "not_a_file" if path.exists() else "no_such_file"
            raise ContentError([Problem(msg(reason), path)])
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ContentError([Problem(msg("read_failed", reason=exc), path)]) from None
    if data.startswith(b"PK\x03\x04"):  # a zip package: Word
        return read_table(path, data)
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):  # not XML either
        raise ContentError([Problem(msg("tr_unknown_format"), path)])
    return read_xliff(path, data)


def import_translations(
    file: Path, translated: Path, templates: Path | None = None, dry_run: bool = False
) -> Report:
    """Merge ``translated`` into ``file``; on any error the content file is left untouched."""
    returned = read_returned(translated)
    if returned.original != file.name:
        made_for = returned.original or "?"
        raise ContentError(
            [Problem(msg("tr_other_file", made_for=made_for, file=file.name), translated)]
        )
    job = collect(file, returned.target, templates)
    if returned.source and returned.source != job.source:
        message = msg("tr_other_source", got=returned.source, expected=job.source)
        raise ContentError([Problem(message, translated)])
    _no_duplicates(translated, returned.units)
    report = Report(target=job.target)
    edits = _decide(job, returned, translated, report)
    if report.in_registry(list(edits)):
        report.registry = job.registry
    if dry_run:
        return report
    if edits:
        _write(file, edits, job, templates)
    _record(job, edits, report)
    save_state(file, job.state)
    if any(u.id.startswith(REGISTRY) for u in returned.units):
        save_state(job.registry, job.registry_state)
    with_new = collect(file, job.target, templates)
    report.still_missing = sum(u.state in ("missing", "review") for u in with_new.units)
    return report


def _no_duplicates(path: Path, units: list[Returned]) -> None:
    seen: set[str] = set()
    for unit in units:
        if unit.id in seen:
            raise ContentError([Problem(msg("tr_duplicate_unit", id=unit.id), path)])
        seen.add(unit.id)


def _decide(job: Job, returned: ReturnedFile, path: Path, report: Report) -> dict[str, str]:
    """Which translations to write; everything else is sorted into the report."""
    edits: dict[str, str] = {}
    letters = LETTERS.get(job.target)
    for unit in returned.units:
        current = job.unit(unit.id)
        exported_hash = unit.hash or source_hash(unit.source)
        where = f"{unit.where}: {unit.id}"
        if current is None:
            gone = "tr_unit_gone_registry" if unit.id.startswith(REGISTRY) else "tr_unit_gone"
            report.review.append(Problem(msg(gone), path, path=where))
            continue
        if not unit.target or unit.target == current.source:
            report.empty.append(unit.id)  # untranslated (a tool may copy the source)
            continue
        if exported_hash != current.hash:
            report.review.append(Problem(msg("tr_source_changed"), path, path=where))
            review = job.state_of(current).review.setdefault(job.target, {})
            review[current.path] = Review(unit.target, exported_hash)
            continue
        if letters and not re.search(f"[{letters}]", unit.target):
            report.review.append(Problem(msg("tr_wrong_script", lang=job.target), path, path=where))
            continue
        if current.existing == unit.target:
            report.unchanged.append(unit.id)  # confirmed: now made from this Vietnamese
            continue
        (report.changed if current.existing else report.filled).append(unit.id)
        edits[unit.id] = unit.target
    return edits


def _record(job: Job, edits: dict[str, str], report: Report) -> None:
    """Remember the Vietnamese each written or confirmed translation was made from (beside
    the file it was written into)."""
    for unit_id in [*edits, *report.unchanged]:
        unit = job.unit(unit_id)
        if unit is not None:
            state = job.state_of(unit)
            state.made_from.setdefault(job.target, {})[unit.path] = unit.hash
            state.review.setdefault(job.target, {}).pop(unit.path, None)


# --- editing the YAML ---------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _at(data: CommentedMap, path: str) -> CommentedMap:
    node = data
    for key, index in _STEP.findall(path):
        node = node[int(index)] if index else node[key]
    if not isinstance(node, CommentedMap):
        raise KbcError(msg("tr_not_a_text", path=path))
    return node


def _set(mapping: CommentedMap, source: str, target: str, text: str) -> None:
    """``text`` as the ``target`` of a text, right after its ``source``, on one line.

    Never folded: YAML joins folded lines with a space, and in Khmer or Lao a space is a phrase
    break that the build warns about (see ``validate``'s folded-text notice)."""
    if target in mapping:
        mapping[target] = text
    else:
        keys = list(mapping)
        position = keys.index(source) + 1 if source in keys else len(keys)
        mapping.insert(position, target, text)


def _apply(text: str, edits: dict[str, str], job: Job) -> str:
    rt = round_trip()
    data = rt.load(text)
    for path, value in edits.items():
        _set(_at(data, path), job.source, job.target, value)
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _plain(node: object, path: str) -> object:
    for key, index in _STEP.findall(path):
        node = node[int(index)] if index else node[key]  # type: ignore[index]
    return node


def _edited(file: Path, edits: dict[str, str], job: Job) -> tuple[str, str]:
    """The file as read and as it will be (without byte order mark, ``\n`` line ends), the
    edit proven: the new text reads back as the old data plus exactly ``edits``."""
    try:
        raw = file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(msg("read_failed", reason=exc), file)]) from None
    old = raw.removeprefix("\ufeff").replace("\r\n", "\n")
    new = _apply(old, edits, job) if edits else old
    expected = yaml.safe_load(old)
    for path, value in edits.items():
        _plain(expected, path)[job.target] = value  # type: ignore[index]
    if yaml.safe_load(new) != expected:
        raise KbcError(msg("tr_merge_mismatch"))
    return raw, new


def _pointing_to(text: str, registry: str) -> str:
    """The content file ``text`` naming ``registry`` as its registry (for the check only)."""
    rt = round_trip()
    data = rt.load(text)
    if "registry" in data:
        data["registry"] = registry
    else:
        data.insert(0, "registry", registry)
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _scratch(beside: Path, text: str) -> Path:
    """``text`` in a new hidden file beside ``beside``, under a name no other file has."""
    handle, name = tempfile.mkstemp(
        prefix=f".{beside.stem}.import-check-", suffix=beside.suffix, dir=beside.parent
    )
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    return Path(name)


def _check(
    file: Path, content: str, registry: Path, registry_text: str | None, templates: Path | None
) -> None:
    """The edited content file, with its edited registry, checked as a build would check it,
    down to a glyph for every character; both copies lie beside their originals (the registry
    and images are found from there) and are removed afterwards."""
    scratch: list[Path] = []
    names = {}
    try:
        if registry_text is not None:
            scratch.append(_scratch(registry, registry_text))
            names[scratch[-1].name] = registry.name
            relative = os.path.relpath(scratch[-1], file.parent).replace(os.sep, "/")
            content = _pointing_to(content, relative)
        scratch.append(_scratch(file, content))
        names[scratch[-1].name] = file.name
        with quiet():
            resolved, locales = load_content(scratch[-1], templates, draft=True)
            check_glyphs(scratch[-1], resolved, build_view(resolved, locales))
    except KbcError as exc:
        reason = str(exc)
        for name, original in names.items():
            reason = reason.replace(name, original)
        raise ContentError([Problem(msg("tr_result_invalid", reason=reason), file)]) from None
    except OSError as exc:
        raise ContentError([Problem(msg("tr_write_failed", reason=exc), file)]) from None
    finally:
        for path in scratch:
            path.unlink(missing_ok=True)


def _write(file: Path, edits: dict[str, str], job: Job, templates: Path | None) -> None:
    """Edit, prove the edits, check the result like a build would, then replace the files:
    the registry first (its texts' ids start with :data:`.texts.REGISTRY`), then the content
    file; if that cannot be written, the registry is put back — all or nothing."""
    content_edits = {i: t for i, t in edits.items() if not i.startswith(REGISTRY)}
    registry_edits = {
        i.removeprefix(REGISTRY): t for i, t in edits.items() if i not in content_edits
    }
    raw, new = _edited(file, content_edits, job)
    writes = [(file, raw, new)] if content_edits else []
    registry_text = None
    if registry_edits:
        registry_raw, registry_text = _edited(job.registry, registry_edits, job)
        writes.insert(0, (job.registry, registry_raw, registry_text))
    _check(file, new, job.registry, registry_text, templates)
    done: list[tuple[Path, str]] = []
    for path, before, after in writes:
        try:
            write_file(path, as_before(before, after))  # an OutputError names file and reason
        except KbcError:
            for written, old in done:
                write_file(written, old.encode("utf-8"))
            raise
        done.append((path, before))
