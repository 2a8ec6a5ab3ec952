"""Put returned translations into the content file, keeping its comments, order and layout.

The file is edited with ruamel.yaml's round-trip mode, which keeps comments, key order, quoting
and block or flow style of everything it does not touch (the examples come back byte for byte).
A new translation goes right after its Vietnamese, folded like it when it is long. Before the
file is replaced, the result is read back and compared with the old data plus the edits, and
checked by the same validation a build runs; the file is replaced atomically.

A text whose Vietnamese changed after the export (its hash no longer matches) is not written:
the translation is kept in the state file for review and offered again by the next export.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import FoldedScalarString

from kbc_docs.content.resolve import load_content
from kbc_docs.errors import ContentError, KbcError, Problem
from kbc_docs.messages import msg
from kbc_docs.render.pdf.glyphs import check_glyphs
from kbc_docs.text.segment import LETTERS
from kbc_docs.translate.exchange import Returned, ReturnedFile
from kbc_docs.translate.state import Review, save_state, source_hash
from kbc_docs.translate.table import read_table
from kbc_docs.translate.texts import Job, collect, quiet
from kbc_docs.translate.xliff import read_xliff
from kbc_docs.view import build_view
from kbc_docs.write import write_file

WIDTH = 100  # the content files' line length
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
    if dry_run:
        return report
    if edits:
        _write(file, edits, job, templates)
    _record(job, edits, report)
    save_state(file, job.state)
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
            report.review.append(Problem(msg("tr_unit_gone"), path, path=where))
            continue
        if not unit.target or unit.target == current.source:
            report.empty.append(unit.id)  # untranslated (a tool may copy the source)
            continue
        if exported_hash != current.hash:
            report.review.append(Problem(msg("tr_source_changed"), path, path=where))
            job.state.review.setdefault(job.target, {})[unit.id] = Review(
                unit.target, exported_hash
            )
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
    """Remember the Vietnamese each written or confirmed translation was made from."""
    made_from = job.state.made_from.setdefault(job.target, {})
    review = job.state.review.setdefault(job.target, {})
    for unit_id in [*edits, *report.unchanged]:
        unit = job.unit(unit_id)
        if unit is not None:
            made_from[unit_id] = unit.hash
            review.pop(unit_id, None)


# --- editing the YAML ---------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _round_trip() -> YAML:
    """ruamel.yaml set up to write the content files as the examples are laid out."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap what is not edited
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _at(data: CommentedMap, path: str) -> CommentedMap:
    node = data
    for key, index in _STEP.findall(path):
        node = node[int(index)] if index else node[key]
    if not isinstance(node, CommentedMap):
        raise KbcError(msg("tr_not_a_text", path=path))
    return node


def _folded(text: str, column: int) -> FoldedScalarString:
    """``text`` as a ``>-`` block folded at spaces so that no line passes :data:`WIDTH`."""
    folded = FoldedScalarString(text)
    room = max(WIDTH - column, 40)
    positions, start, last_space = [], 0, -1
    for i, char in enumerate(text):
        if char == " ":
            last_space = i
        if i - start >= room and last_space > start:
            positions.append(last_space)
            start = last_space + 1
    folded.fold_pos = positions
    return folded


def _set(mapping: CommentedMap, source: str, target: str, text: str) -> None:
    line_col = mapping.lc.key(source) if source in mapping else (0, 0)
    column = line_col[1] + 2
    block = not mapping.fa.flow_style()
    long = isinstance(mapping.get(source), FoldedScalarString) or len(text) + column > WIDTH - 10
    value = _folded(text, column) if block and long else text
    if target in mapping:
        mapping[target] = value
    else:
        keys = list(mapping)
        position = keys.index(source) + 1 if source in keys else len(keys)
        mapping.insert(position, target, value)


def _apply(text: str, edits: dict[str, str], job: Job) -> str:
    rt = _round_trip()
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


def _write(file: Path, edits: dict[str, str], job: Job, templates: Path | None) -> None:
    """Edit, prove the edit, check the result like a build would, then replace the file."""
    raw = file.read_bytes().decode("utf-8")
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    old = raw.removeprefix(bom).replace("\r\n", "\n")
    new = _apply(old, edits, job)
    expected = yaml.safe_load(old)
    for path, value in edits.items():
        _plain(expected, path)[job.target] = value  # type: ignore[index]
    if yaml.safe_load(new) != expected:
        raise KbcError(msg("tr_merge_mismatch"))
    # Beside the file (its registry and images are found from there), under a name no other
    # file has, and checked as a build would check it, down to a glyph for every character.
    check: Path | None = None
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{file.stem}.import-check-", suffix=file.suffix, dir=file.parent
        )
        check = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(new)
        with quiet():
            resolved, locales = load_content(check, templates, draft=True)
            check_glyphs(check, resolved, build_view(resolved, locales))
    except KbcError as exc:
        reason = str(exc).replace(check.name if check else file.name, file.name)
        raise ContentError([Problem(msg("tr_result_invalid", reason=reason), file)]) from None
    except OSError as exc:
        raise ContentError([Problem(msg("tr_write_failed", reason=exc), file)]) from None
    finally:
        if check is not None:
            check.unlink(missing_ok=True)
    if "\r\n" in raw:  # written on Windows: keep its line ends
        new = new.replace("\n", "\r\n")
    try:
        write_file(file, (bom + new).encode("utf-8"))
    except OSError as exc:
        raise ContentError([Problem(msg("tr_write_failed", reason=exc), file)]) from None
