"""The files kbc-docs reads at run time, shipped inside the package.

Templates, locale files and message catalogues live in this folder so that a wheel installed
anywhere (``pip install``, ``pipx install``) finds them through :mod:`importlib.resources`,
not beside a checkout. They are handed to Jinja2, docxtpl and :mod:`gettext`, which all want
real folders; pip always unpacks a wheel, so the package is on the file system and
:func:`shipped` refuses (with a clear message) only an installation that is not.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kbc_docs.errors import KbcError


def shipped(name: str) -> Path:
    """The shipped folder or file ``name`` (``templates``, ``locale``…) as a file-system path."""
    where = files(__package__) / name
    path = Path(str(where))
    if not isinstance(where, Path) or not path.exists():
        # In English only: an installation without its data has no catalogue either.
        raise KbcError(
            f"this installation of kbc-docs has no {name} (looked for {path}); "
            "reinstall it: pip install --force-reinstall kbc-docs"
        )
    return path
