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

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from kbc_docs import cache

_KIND = "builds"
_FONT_CACHES = (Path("/var/cache/fontconfig"), Path.home() / ".cache" / "fontconfig")
"""The folders of fontconfig's caches, which ``fc-cache`` rewrites whenever a font is installed,
upgraded or removed: a font that changes what a family resolves to changes them, so their files
stand in for the font files themselves."""
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
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_state(path: Path) -> list[object] | None:
    try:
        stat = path.stat()
        return [stat.st_size, stat.st_mtime_ns, _sha256(path)]
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
        stat = path.stat()
    except OSError:
        return False
    size, mtime, digest = recorded
    if stat.st_size != size:
        return False
    return stat.st_mtime_ns == mtime or _sha256(path) == digest


def record(
    content_file: Path,
    out_folder: Path,
    settings: str,
    inputs: Iterable[Path],
    folders: Iterable[Path],
    outputs: Iterable[Path],
) -> None:
    """Remember what a successful build read and wrote (best effort; see the module doc)."""
    all_folders = [*folders, *_FONT_CACHES]
    fontconfig = [p for folder in _FONT_CACHES if folder.is_dir() for p in folder.iterdir()]
    note = {
        "settings": _settings(content_file, out_folder, settings),
        "inputs": {str(p): _file_state(Path(p)) for p in {*inputs, *fontconfig, content_file}},
        "folders": {str(p): _folder_state(Path(p)) for p in all_folders},
        "outputs": {str(p): _file_state(Path(p)) for p in outputs},
    }
    cache.put(_KIND, _record_path(content_file, out_folder), json.dumps(note).encode("utf-8"))


def up_to_date(content_file: Path, out_folder: Path, settings: str) -> bool:
    """Whether building ``content_file`` into ``out_folder`` again would change nothing."""
    raw = cache.get(_KIND, _record_path(content_file, out_folder))
    if raw is None:
        return False
    try:
        note = json.loads(raw)
        if note["settings"] != _settings(content_file, out_folder, settings):
            return False
        if any(_folder_state(Path(p)) != state for p, state in note["folders"].items()):
            return False
        files = {**note["inputs"], **note["outputs"]}
        return bool(note["outputs"]) and all(
            state is not None and _unchanged(Path(p), state) for p, state in files.items()
        )
    except (ValueError, KeyError, TypeError, OSError):
        return False


def recorded_inputs(content_file: Path, out_folder: Path) -> list[Path]:
    """The files the last successful build of ``content_file`` read (none if not recorded)."""
    raw = cache.get(_KIND, _record_path(content_file, out_folder))
    try:
        return [Path(p) for p in json.loads(raw)["inputs"]] if raw else []
    except (ValueError, KeyError, TypeError):
        return []
