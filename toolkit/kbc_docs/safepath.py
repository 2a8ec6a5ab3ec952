"""The one rule for a file named by someone else: it stays inside the folder it is named from.

Image paths in a content file, template names (given on the command line or found in a
template) and the URLs the PDF layout asks for all come from files another office may have
written, and so do a content file's registry and its own template folder. Each is read only
from inside its folder: no URL (``file:///etc/passwd``, ``http://…``), no absolute path (POSIX
or Windows), and nothing that leads out once ``..`` and symlinks are resolved
(``sub/../seal.png`` stays inside and is fine; ``../secret.png`` is not). The callers word the
refusal for their users (:class:`Outside` says which rule; :func:`refusal` words it for a path
in a content file).

A file named on the command line (a PDF to sign, a certificate) is read with
:func:`read_limited`: only a regular file, and only up to a size such a file ever has, so
``/dev/zero`` or a FIFO never makes the program read without end or hang.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

from kbc_docs.messages import msg

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Outside(ValueError):
    """A name that would leave its folder; ``reason`` says how."""

    def __init__(self, name: str, reason: Literal["url", "absolute", "outside"]) -> None:
        super().__init__(f"{name!r}: {reason}")
        self.name = name
        self.reason = reason


def inside(folder: Path, name: str) -> Path:
    """The resolved path ``name`` names in ``folder``, if it stays there; else :class:`Outside`.

    The path need not exist: the caller says what a missing file means.
    """
    if "://" in name or (_SCHEME.match(name) and not PureWindowsPath(name).drive):
        raise Outside(name, "url")
    if (
        PurePosixPath(name).is_absolute()
        or PureWindowsPath(name).is_absolute()
        or name.startswith(("\\", "/"))
        or PureWindowsPath(name).drive
    ):
        raise Outside(name, "absolute")
    parts = PurePosixPath(name.replace("\\", "/")).parts
    root = folder.resolve()
    try:
        path = root.joinpath(*parts).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        raise Outside(name, "outside") from None
    if not within(root, path):  # "..", or a symlink pointing out of the folder
        raise Outside(name, "outside")
    return path


def within(folder: Path, path: Path) -> bool:
    """Whether ``path``, once resolved (symlinks followed), lies inside ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def refusal(exc: Outside, folder: Path) -> str:
    """Why a path in a content file is refused, in the user's words."""
    return msg(f"path_{exc.reason}", value=exc.name, folder=folder.resolve())


class FileProblem(ValueError):
    """Why a named file cannot be read, in the user's words (its ``str`` is the message)."""


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, if it holds at most ``limit`` bytes.

    The file is opened without blocking (a FIFO would wait for a writer) and checked to be a
    regular file before anything is read; then at most ``limit + 1`` bytes are read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileProblem(msg("no_such_file_plain")) from None
    except OSError as exc:
        raise FileProblem(msg("cannot_read", reason=exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileProblem(msg("not_a_regular_file"))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileProblem(msg("cannot_read", reason=exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileProblem(msg("file_too_large", limit=limit))
    return data
