"""Put finished outputs in place so that a failed or interrupted build loses nothing.

Everything is rendered in memory first. The files are then written into a hidden staging
folder beside the destination, together with hard links to everything of the previous build
that this one does not replace (``--format docx`` keeps the old PDFs), and the staging folder
takes the destination's place by two renames. An output whose bytes are those of the file it
replaces is linked too, not written again (``watch`` after a save that changed one document;
a rebuild stays the same files on disk, with their times). A crash, a Ctrl-C or a kill leaves
the old set or the new set of files, never half of one and never a mix; the next build tidies
what an interrupted one left. A lock serialises builds writing to the same folder.

**What is not ours is kept.** A clerk keeps notes, a signed copy or a sub-folder of scans in
an output folder. Every file and folder in it that this build does not write is carried into
the new folder as hard links (folders are recreated, files linked), so nothing is copied and,
at every moment, each of the clerk's files exists under its name in the old or in the new
folder. A build never deletes a file it did not write:

* a *file* (or a symlink) where the output folder would go is refused, not replaced;
* a folder the clerk made under the name of one of our outputs is refused too.

**Names.** The output folder is named after the content file (:func:`folder_name`): plain
ASCII (``Hội nghị Kampot 2023.yaml`` → ``Hoi-nghi-Kampot-2023``), so the files travel through
e-mail, zip and Windows unharmed, and never ``.``, ``..`` or a path: a file named ``..yaml``
must not build into the output folder itself and replace every other conference's folder.

**Errors.** Anything the file system refuses (a full disk, a read-only folder, ``--out``
that is a file, a name too long) is an :class:`~kbc_docs.errors.OutputError` naming the
place and the reason; the staging folder is removed and the earlier outputs stay as they were.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import signal
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from anyascii import anyascii

from kbc_docs.cache import read_regular
from kbc_docs.errors import LockBusy, OutputError, Problem
from kbc_docs.messages import msg

log = logging.getLogger("kbc_docs")

LOCK_WAIT = 120.0
"""Seconds to wait for another build writing the same folder; a build takes a few seconds."""
MAX_NAME = 80
"""Characters of an output folder's name: with the document names it stays a short path."""
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that stop a build: Ctrl-C, a termination, and the terminal closing (SIGHUP: the
window closed, the SSH connection dropped). They wait during the two renames
(:func:`_no_interrupt`); the command and the batch's workers catch :func:`signals_to_catch`."""


_stopped: BaseException | None = None
"""The exception of the first stop signal this process received (:func:`stop_writing`)."""


def stop_writing(exc: BaseException) -> BaseException:
    """Remember that a stop signal came (its handler raises ``exc``): from now on
    :func:`write_outputs` raises it again instead of writing.

    A signal handler's exception is raised wherever the process happens to be, and a library
    may swallow it there: during ``import xml.etree.ElementTree``, ``_elementtree`` imports
    pyexpat through ``PyCapsule_Import``, which turns a KeyboardInterrupt into an ImportError
    that ElementTree's fallback to its pure-Python parser catches. The build then went on and
    wrote its outputs after Ctrl-C. The write itself refusing keeps "nothing more was written"
    true wherever the exception went.
    """
    global _stopped
    if _stopped is None:
        _stopped = exc
    return exc


def stopped() -> bool:
    """A stop signal came (:func:`stop_writing`): nothing more is to be built or written."""
    return _stopped is not None


def _refuse_if_stopped() -> None:
    if _stopped is not None:
        raise _stopped.with_traceback(None)


def signals_to_catch() -> list[int]:
    """The :data:`STOP_SIGNALS` a process catches to stop its build cleanly: all of them, but
    SIGHUP not where it is ignored (``nohup``: the build is meant to outlive the terminal)."""
    hangup = getattr(signal, "SIGHUP", None)
    return [
        signum
        for signum in STOP_SIGNALS
        if signum != hangup or signal.getsignal(signum) != signal.SIG_IGN
    ]


def folder_name(file: Path) -> str:
    """The output folder's name for ``file``: its name in plain ASCII letters, digits, ``.``, ``-``.

    Anything else becomes ``-``, including ``_``, which separates the parts of the output
    files' names (``2023-11-16_report_vi-km.pdf``). Raises :class:`OutputError` when nothing
    usable is left (``..yaml``, ``___.yaml``).
    """
    ascii_name = anyascii(unicodedata.normalize("NFC", file.stem))
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", ascii_name).strip("-.")
    name = name[:MAX_NAME].rstrip("-.")
    if not name:
        raise OutputError([Problem(msg("no_output_name", name=file.name), file)])
    return name


def write_outputs(folder: Path, outputs: dict[str, bytes], wait: float = LOCK_WAIT) -> list[Path]:
    """Replace ``folder`` with one holding ``outputs`` (plus everything else it held)."""
    _check_name(folder)
    _refuse_if_stopped()  # before the lock file is made
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with _locked(folder, wait):
            _recover(folder)
            _check_place(folder, outputs)
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
            try:
                for name, data in outputs.items():
                    if not _link_if_same(folder / name, staging / name, data):
                        _write(staging / name, data)
                _keep_the_rest(folder, staging, outputs)
                staging.chmod(0o777 & ~_umask())
                with _no_interrupt():
                    _refuse_if_stopped()  # a stop before this point, its exception swallowed
                    _swap(staging, folder)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise OutputError([os_problem(exc, _as_seen(exc, folder), exact=True)]) from None
    return [folder / name for name in outputs]


def _as_seen(exc: OSError, folder: Path) -> Path:
    """The place to name for ``exc``, as the user knows it: our hidden lock and staging files
    beside ``folder`` stand for the folder they are in (a read-only ``--out``), a file inside
    the staging folder for ``folder`` itself (a full disk)."""
    place = Path(exc.filename) if isinstance(exc.filename, str) else folder
    beside = os.path.abspath(folder.parent)
    for ours in (place, place.parent):
        if os.path.dirname(os.path.abspath(ours)) == beside and ours.name.startswith(
            f".{folder.name}."
        ):
            return folder.parent if ours == place else folder
    return place


def write_file(target: Path, data: bytes) -> None:
    """Write one file atomically: a temporary file beside it, flushed to disk, then renamed.

    For single files outside a build folder (a signed PDF, a content file with its translations
    merged in): a crash leaves the old file or the new one, never a half-written file under the
    target's name. A file replaced keeps its permissions. A failure (a full disk, a missing
    folder) leaves no temporary file behind and is an :class:`OutputError` naming the target.
    """
    try:
        mode = target.stat().st_mode & 0o777 if target.is_file() else 0o666 & ~_umask()
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError([os_problem(exc, target, exact=True)]) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError([os_problem(exc, target, exact=True)]) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def os_problem(exc: OSError, where: Path, exact: bool = False) -> Problem:
    """What the file system refused, in one line, at the place it names (or at ``where``)."""
    place = Path(exc.filename) if isinstance(exc.filename, str) and not exact else where
    hints = {
        errno.ENOSPC: "hint_disk_full",
        errno.EDQUOT: "hint_disk_full",
        errno.EROFS: "hint_read_only",
        errno.EACCES: "hint_read_only",
        errno.EPERM: "hint_read_only",
        errno.ENAMETOOLONG: "hint_name_too_long",
        errno.ENOTDIR: "hint_not_a_folder",
        errno.EEXIST: "hint_not_a_folder",
    }
    hint = msg(hints[exc.errno]) if exc.errno in hints else ""
    return Problem(msg("cannot_write", reason=exc) + hint, place)


def _check_name(folder: Path) -> None:
    """The output folder is a plain name inside the output root: never ``.``, ``..`` or ``/``."""
    name = folder.name
    if name in ("", ".", "..") or "/" in name or "\\" in name or name != name.strip():
        raise OutputError([Problem(msg("no_output_name", name=name or str(folder)), folder)])


def _check_place(folder: Path, outputs: dict[str, bytes]) -> None:
    """Refuse to replace what a build did not make: a file or a link at the folder's place."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError([Problem(msg("output_is_a_file"), folder)])
    clashes = [folder / n for n in outputs if (folder / n).is_dir() or (folder / n).is_symlink()]
    if clashes:
        raise OutputError([Problem(msg("output_name_taken"), path) for path in clashes])


def _keep_the_rest(folder: Path, staging: Path, outputs: dict[str, bytes]) -> None:
    """Hard-link into ``staging`` every file and folder of ``folder`` that is not an output."""
    if not folder.is_dir():
        return
    for old in folder.iterdir():
        if old.name in outputs:
            continue
        target = staging / old.name
        if old.is_symlink():
            os.symlink(os.readlink(old), target)
        elif old.is_dir():
            shutil.copytree(old, target, symlinks=True, copy_function=os.link)
        else:
            os.link(old, target)


def _link_if_same(old: Path, new: Path, data: bytes) -> bool:
    """Link ``old`` as ``new`` if it is a plain file holding exactly ``data``; else False.

    The file is checked to be the same one, unchanged, after it was read and linked: a file
    written meanwhile is not taken for the output.
    """
    found = read_regular(old, len(data))
    if found is None or found[0] != data:
        return False
    before = found[1]
    try:
        os.link(old, new, follow_symlinks=False)
        after = new.lstat()
    except OSError:
        new.unlink(missing_ok=True)
        return False
    same = (after.st_ino, after.st_size, after.st_mtime_ns)
    if same != (before.st_ino, before.st_size, before.st_mtime_ns):
        new.unlink()
        return False
    return True


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def _no_interrupt() -> Iterator[None]:
    """Hold the :data:`STOP_SIGNALS` back during the two renames; they arrive after."""
    held = set(STOP_SIGNALS)
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (ValueError, OSError):  # not the main thread, or no signals here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


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
    for leftover in sorted(folder.parent.glob(f".{glob_escape(folder.name)}.old-*")):
        kept = leftover / folder.name
        if not folder.exists() and kept.is_dir():
            os.rename(kept, folder)
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in folder.parent.glob(f".{glob_escape(folder.name)}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", name)


@contextmanager
def _locked(folder: Path, wait: float) -> Iterator[None]:
    """An exclusive lock per destination: concurrent builds take turns, never mix files.

    If another process holds it, say which one and wait at most ``wait`` seconds, then stop
    with :class:`~kbc_docs.errors.LockBusy` rather than hang without a word.
    """
    lock = folder.parent / f".{folder.name}.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        _acquire(fd, lock, wait)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, lock: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = lock_holder(fd)
        who = msg("lock_process", pid=holder) if holder else msg("lock_someone")
        if time.monotonic() >= deadline:
            raise LockBusy([Problem(msg("lock_busy", who=who, seconds=round(wait)), lock)])
        if not told:
            log.info("%s", msg("lock_waiting", lock=lock, who=who, seconds=round(wait)))
            told = True
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def lock_holder(fd: int) -> int | None:
    """The process id holding a lock on the file open as ``fd``, from ``/proc/locks`` (Linux)."""
    info = os.fstat(fd)
    want = (os.major(info.st_dev), os.minor(info.st_dev), info.st_ino)
    try:
        lines = Path("/proc/locks").read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if "->" in fields or len(fields) < 6:  # a waiter, not the holder
            continue
        try:
            major, minor, inode = fields[5].split(":")
            found = (int(major, 16), int(minor, 16), int(inode))
            pid = int(fields[4])
        except ValueError:
            continue
        if found == want and pid != os.getpid():
            return pid
    return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
