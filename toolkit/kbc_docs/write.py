"""Put finished outputs in place so that a failed or interrupted build loses nothing.

Everything is rendered in memory first; only then are the files written, each to a temporary
file in the destination folder and moved over the old one with ``os.replace`` (atomic on one
file system). A crash, a Ctrl-C or a second build at the same moment leaves either the old file
or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_outputs(folder: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Write every ``name → bytes`` into ``folder`` atomically; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    # mkstemp creates files readable by the owner only; outputs are for sharing.
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in outputs.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
            os.fchmod(fd, 0o666 & ~umask)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((name, Path(tmp)))
        written = []
        for name, tmp in staged:
            target = folder / name
            os.replace(tmp, target)
            written.append(target)
        return written
    finally:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
