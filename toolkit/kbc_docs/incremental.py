"""Skip a build whose inputs and outputs are exactly as the last build left them.

A clerk runs ``kbc-docs build content/*.yaml`` again and again; most files have not changed. Like
``make`` with dependency files, a successful build records every file it read (content file,
registry, every file of every template folder searched, signature and seal images, fontconfig's
caches for the fonts) and every file it wrote, each with its size, modification time and SHA-256,
plus everything else that decides the output: the build options, the template search path, the
kbc-docs code and library versions, ``SOURCE_DATE_EPOCH``. The next build of the same content
file into the same folder is skipped only when all of that is unchanged and every output is
still there, byte for byte. A file whose time changed but whose bytes did not still counts as
unchanged (its hash is compared), so touching a file costs a hash, not a build.

The record lives in the cache folder (:mod:`kbc_docs.cache`), never beside the outputs; without
a cache folder nothing is skipped. This module imports only the standard library, so the check
runs before the renderers (and their half-second imports) are loaded.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from kbc_docs import cache

_KIND = "builds"
_LIBRARIES = ("weasyprint", "docxtpl", "python-docx", "fonttools", "pikepdf", "pyicu-wheels")


def _settings(content_file: Path, out_folder: Path, settings: str) -> str:
    return "\n".join(
        [
            str(content_file.resolve()),
            str(out_folder.resolve()),
            settings,
            os.environ.get("SOURCE_DATE_EPOCH", ""),
            cache.versions(*_LIBRARIES),
        ]
    )


def _record_path(content_file: Path, out_folder: Path) -> str:
    return cache.key("build-record", str(content_file.resolve()), str(out_folder.resolve()))


def _sha256(path: Path) -> str:
    """The file's SHA-256; an OSError for anything but a regular file (a pipe or a device
    would be read without end)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise IsADirectoryError(errno.EINVAL, "not a regular file", str(path))
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_state(path: Path) -> list[object] | None:
    try:
        info = path.stat()
        return [info.st_size, info.st_mtime_ns, _sha256(path)]
    except OSError:
        return None


def _folder_state(folder: Path) -> list[str] | None:
    """A folder's listing (names, kinds), enough to see a template or font appear or go."""
    try:
        return sorted(f"{p.name}/" if p.is_dir() else p.name for p in folder.iterdir())
    except OSError:
        return None


def _unchanged(path: Path, recorded: list[object] | None) -> bool:
    if recorded is None:
        return not path.exists()
    try:
        info = path.stat()
    except OSError:
        return False
    size, mtime, digest = recorded
    if not stat.S_ISREG(info.st_mode) or info.st_size != size:
        return False
    return info.st_mtime_ns == mtime or _sha256(path) == digest


def record(
    content_file: Path,
    out_folder: Path,
    settings: str,
    inputs: Iterable[Path],
    folders: Iterable[Path],
    outputs: Iterable[Path],
) -> None:
    """Remember what a successful build read and wrote (best effort; see the module doc)."""
    all_folders = [*folders, *cache.FONT_CACHES]
    fontconfig = [p for folder in cache.FONT_CACHES if folder.is_dir() for p in folder.iterdir()]
    note = {
        "settings": _settings(content_file, out_folder, settings),
        "inputs": {str(p): _file_state(Path(p)) for p in {*inputs, *fontconfig, content_file}},
        "folders": {str(p): _folder_state(Path(p)) for p in all_folders},
        "outputs": {str(p): _file_state(Path(p)) for p in outputs},
    }
    _write(content_file, out_folder, note)


def up_to_date(content_file: Path, out_folder: Path, settings: str) -> dict[str, list[str]] | None:
    """The notes of the last build if building ``content_file`` again would change nothing.

    ``None`` when it must be built; otherwise what :func:`add_notes` kept (may be empty).
    """
    note = _read(content_file, out_folder)
    if note is None:
        return None
    try:
        if note["settings"] != _settings(content_file, out_folder, settings):
            return None
        if any(_folder_state(Path(p)) != state for p, state in note["folders"].items()):
            return None
        files = {**note["inputs"], **note["outputs"]}
        current = bool(note["outputs"]) and all(
            state is not None and _unchanged(Path(p), state) for p, state in files.items()
        )
        notes = note.get("notes", {})
        return notes if current and _are_notes(notes) else None
    except (KeyError, TypeError, ValueError, OSError):
        return None


def may_be_up_to_date(content_file: Path, out_folder: Path) -> bool:
    """Whether the last build of ``content_file`` into ``out_folder`` read this very content
    file: the cheap part of :func:`up_to_date`, for a guess made before the options are known
    (:mod:`kbc_docs.cli.early`). False means a build will run."""
    note = _read(content_file, out_folder)
    try:
        return note is not None and _unchanged(content_file, note["inputs"][str(content_file)])
    except (KeyError, TypeError, ValueError, OSError):
        return False


def _are_notes(notes: object) -> bool:
    """Whether a record's notes are what :func:`add_notes` keeps: lists of lines by kind."""
    return isinstance(notes, dict) and all(
        isinstance(lines, list) and all(isinstance(line, str) for line in lines)
        for lines in notes.values()
    )


def add_notes(content_file: Path, out_folder: Path, notes: dict[str, list[str]]) -> None:
    """Keep ``notes`` with the record of the last build (see :func:`up_to_date`)."""
    note = _read(content_file, out_folder)
    if note is not None:
        note["notes"] = notes
        _write(content_file, out_folder, note)


def _read(content_file: Path, out_folder: Path) -> dict | None:
    raw = cache.get(_KIND, _record_path(content_file, out_folder))
    try:
        note = json.loads(raw) if raw else None
    except ValueError:
        return None
    return note if isinstance(note, dict) else None


def _write(content_file: Path, out_folder: Path, note: dict) -> None:
    cache.put(_KIND, _record_path(content_file, out_folder), json.dumps(note).encode("utf-8"))


def recorded_inputs(content_file: Path, out_folder: Path) -> list[Path]:
    """The files the last successful build of ``content_file`` read (none if not recorded)."""
    note = _read(content_file, out_folder)
    try:
        return [Path(p) for p in note["inputs"]] if note else []
    except (KeyError, TypeError):
        return []
