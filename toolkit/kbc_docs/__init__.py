"""kbc-docs: turn one conference YAML file into bilingual DOCX and PDF documents.

The public surface is small on purpose: :func:`build` runs the whole pipeline for one content
file, :class:`BuildOptions` carries every option, and :class:`KbcError` is the root of every error
the toolkit reports to a user (anything else is a bug and keeps its traceback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbc_docs.errors import KbcError
    from kbc_docs.options import BuildOptions
    from kbc_docs.pipeline import build

__all__ = ["BuildOptions", "KbcError", "build"]


def __getattr__(name: str) -> object:
    """The public names, imported on first use: importing any module of the package runs this
    one, and the command's entry point must start the PDF worker before the rest loads
    (:mod:`kbc_docs.cli.early`); the pipeline loads the content checks and the renderers, which
    ``kbc-docs build`` of an up-to-date file never needs."""
    if name == "build":
        from kbc_docs.pipeline import build

        return build
    if name == "BuildOptions":
        from kbc_docs.options import BuildOptions

        return BuildOptions
    if name == "KbcError":
        from kbc_docs.errors import KbcError

        return KbcError
    raise AttributeError(f"module 'kbc_docs' has no attribute {name!r}")
