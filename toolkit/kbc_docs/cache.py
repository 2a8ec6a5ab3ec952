"""A disk cache for work whose result depends only on its inputs (font subsets, template checks).

Builds repeat the same expensive steps with the same inputs: the Khmer and Lao fonts are cut to
the same Unicode blocks for every DOCX, and the same templates are linted before every build.
Each result is stored under a key that hashes *every* input together with the kbc-docs version
and the versions of the libraries that compute it, so a changed input can never return a stale
result; it only misses.

The folder is the user's cache folder (``platformdirs``), or ``KBC_CACHE_DIR`` when set (tests,
CI); ``KBC_CACHE_DIR=off`` switches the cache off. Entries are written to a temporary file and
renamed into place, so concurrent builds never see half an entry, and each entry carries its
own SHA-256 (over its key and its bytes), so a damaged or misplaced one is ignored. The cache is
best effort: a folder that cannot be read or written, or an entry that is not a plain file,
only costs time, never a failed build or a hang.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import tempfile
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V")

_MAX_ENTRY = 64 * 1024 * 1024
"""An entry larger than this is neither read nor written (a font subset is well under 1 MB)."""


def folder() -> Path | None:
    """The cache folder, or ``None`` when caching is switched off."""
    configured = os.environ.get("KBC_CACHE_DIR", "")
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("kbc-docs", appauthor=False)


def versions(*distributions: str) -> str:
    """The kbc-docs code and the installed versions of ``distributions``, as part of a key.

    The code is identified by its files' sizes and times as well as its version number, so a
    module edited in a checkout (same version) does not reuse results of the old code. Each
    part is read once per process: the code a process runs is the code it loaded (a module
    edited while ``watch`` runs is not the one running), and the lookups cost milliseconds.
    """
    return "\n".join([_code(), *(_version(name) for name in ("kbc-docs", *distributions))])


@functools.cache
def _code() -> str:
    package = Path(__file__).resolve().parent
    return "\n".join(
        f"{p.relative_to(package)}:{s.st_size}:{s.st_mtime_ns}"
        for p in sorted(package.rglob("*.py"))
        if (s := p.stat())
    )


@functools.cache
def _version(distribution: str) -> str:
    from importlib import metadata  # not on the way to a build's early worker (kbc_docs.early)

    try:
        return f"{distribution}={metadata.version(distribution)}"
    except metadata.PackageNotFoundError:
        return f"{distribution}=?"


def key(*parts: bytes | str) -> str:
    """A key covering ``parts`` (each length-prefixed, so no two part lists collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _path(kind: str, entry: str) -> Path | None:
    base = folder()
    return None if base is None else base / kind / entry[:2] / entry


def get(kind: str, entry: str) -> bytes | None:
    """The stored bytes of ``entry`` in the ``kind`` section, or ``None``.

    Only a regular file is read (a link, a pipe or a device put in the cache is a miss, never a
    read that blocks or does not end), and only as many bytes as it had when opened.
    """
    path = _path(kind, entry)
    found = None if path is None else read_regular(path, _MAX_ENTRY + 32)
    if found is None:
        return None
    stored, _ = found
    digest, data = stored[:32], stored[32:]
    return data if _digest(kind, entry, data) == digest else None


def read_regular(path: Path, limit: int) -> tuple[bytes, os.stat_result] | None:
    """The bytes of ``path`` and its state when opened, if it is a regular file (not through a
    link) of at most ``limit`` bytes; else None. A pipe or a device is never read, so the read
    never blocks nor goes on without end; only as many bytes as the file had when opened."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(info.st_size + 1), info
    except OSError:
        return None
    finally:
        os.close(fd)


def _digest(kind: str, entry: str, data: bytes) -> bytes:
    """The checksum an entry carries: over its place as well as its bytes, so a damaged entry,
    or another entry's file put in its place, is a miss."""
    return hashlib.sha256(key(kind, entry, data).encode("ascii")).digest()


def put(kind: str, entry: str, data: bytes) -> None:
    """Store ``data`` under ``entry``; a failure to write is ignored (it only costs time)."""
    path = _path(kind, entry)
    if path is None or len(data) > _MAX_ENTRY:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_digest(kind, entry, data) + data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        return


# ---------------------------------------------------------------- in memory, for a warm process

_keep_in_memory = False


def keep_in_memory() -> None:
    """Let this process (and the workers it starts later) keep recent results in memory.

    ``kbc-docs watch`` calls it: the next build after a save usually repeats most of the last
    one. A one-off build does not, and keeping a large document's layout would only raise its
    peak memory, so :class:`Recent` keeps nothing until this is called.
    """
    global _keep_in_memory
    _keep_in_memory = True


def keeps_in_memory() -> bool:
    """Whether :func:`keep_in_memory` was called (a worker started now is told to as well)."""
    return _keep_in_memory


class Recent(Generic[V]):
    """The last ``size`` results of a step, by a key that covers every input of the step
    (build it with :func:`key` and :func:`files_state`); empty unless :func:`keep_in_memory`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, V] = OrderedDict()

    @property
    def active(self) -> bool:
        """Whether results are kept (:func:`keep_in_memory`): without, there is no key worth
        computing, and what was kept before (a test that kept them) is not used."""
        return _keep_in_memory

    def get(self, entry: str) -> V | None:
        if not _keep_in_memory:
            return None
        value = self._items.get(entry)
        if value is not None:
            self._items.move_to_end(entry)
        return value

    def put(self, entry: str, value: V) -> None:
        if not _keep_in_memory:
            return
        self._items[entry] = value
        self._items.move_to_end(entry)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def file_digest(path: Path, limit: int) -> str | None:
    """The SHA-256 of a regular file of at most ``limit`` bytes (a template, as part of a key
    for a result kept in memory: its bytes, not its time, which a coarse file system may not
    change); None for anything else, or a file that cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


FONT_CACHES = (Path("/var/cache/fontconfig"), Path.home() / ".cache" / "fontconfig")
"""The folders of fontconfig's caches, which ``fc-cache`` rewrites whenever a font is installed,
upgraded or removed: a font that changes what a family resolves to changes them, so their files
stand in for the font files themselves."""


def files_state(folders: Iterable[Path]) -> str:
    """Every file under ``folders`` and in fontconfig's caches, with its size, time and inode:
    part of a key for a result computed from files that may be edited between two builds."""
    lines = []
    for folder in [*folders, *FONT_CACHES]:
        try:
            files = sorted(p for p in Path(folder).rglob("*"))
        except OSError:
            continue
        for path in files:
            try:
                s = path.stat()
            except OSError:
                continue
            lines.append(f"{path}\0{s.st_size}\0{s.st_mtime_ns}\0{s.st_ino}")
    return "\n".join(lines)
