"""Put finished outputs in place so that a failed or interrupted build loses nothing.

Everything is rendered in memory first. The files are then written into a hidden staging
folder beside the destination, together with hard links to the outputs of the previous build
that this one does not replace (``--format docx`` keeps the old PDFs), and the staging folder
takes the destination's place by two renames. A crash, a Ctrl-C or a kill leaves the old set
or the new set of files, never half of one and never a mix; the next build tidies what an
interrupted one left. A lock serialises builds writing to the same folder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_outputs(folder: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Replace ``folder`` with one holding ``outputs`` (plus older files not replaced)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        _recover(folder)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
        try:
            for name, data in outputs.items():
                _write(staging / name, data)
            if folder.is_dir():
                for old in folder.iterdir():
                    if old.is_file() and old.name not in outputs:
                        os.link(old, staging / old.name)
            staging.chmod(0o777 & ~_umask())
            _swap(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in outputs]


def write_file(target: Path, data: bytes) -> None:
    """Write one file atomically: a temporary file beside it, flushed to disk, then renamed.

    For single files outside a build folder (a signed PDF, a content file with its translations
    merged in): a crash leaves the old file or the new one, never a half-written file under the
    target's name. A file replaced keeps its permissions.
    """
    mode = target.stat().st_mode & 0o777 if target.is_file() else 0o666 & ~_umask()
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _swap(staging: Path, folder: Path) -> None:
    """Two renames: the old folder steps aside, the staging folder takes its name."""
    if not folder.exists():
        os.rename(staging, folder)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
    os.rename(folder, aside / folder.name)
    os.rename(staging, folder)
    shutil.rmtree(aside, ignore_errors=True)


def _recover(folder: Path) -> None:
    """Undo what a killed build left: restore a folder set aside, drop half-written ones."""
    for leftover in sorted(folder.parent.glob(f".{folder.name}.old-*")):
        kept = leftover / folder.name
        if not folder.exists() and kept.is_dir():
            os.rename(kept, folder)
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in folder.parent.glob(f".{folder.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock per destination: concurrent builds take turns, never mix files."""
    lock = folder.parent / f".{folder.name}.lock"
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
