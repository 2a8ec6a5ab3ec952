"""The one rule for a file named by someone else: it stays inside the folder it is named from.

Image paths in a content file, template names (given on the command line or found in a
template) and the URLs the PDF layout asks for all come from files another office may have
written. Each is read only from inside its folder: no URL (``file:///etc/passwd``,
``http://…``), no absolute path (POSIX or Windows), no ``..``, and no symlink leading out once
resolved. The callers word the refusal for their users (:class:`Outside` says which rule).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

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
    if ".." in parts:
        raise Outside(name, "outside")
    root = folder.resolve()
    path = root.joinpath(*parts).resolve()
    if not within(root, path):  # a symlink pointing out of the folder
        raise Outside(name, "outside")
    return path


def within(folder: Path, path: Path) -> bool:
    """Whether ``path``, once resolved (symlinks followed), lies inside ``folder``."""
    return path.resolve().is_relative_to(folder.resolve())
