"""kbc-docs: turn one conference YAML file into bilingual DOCX and PDF documents.

The public surface is small on purpose: :func:`build` runs the whole pipeline for one content
file, :class:`BuildOptions` carries every option, and :class:`KbcError` is the root of every error
the toolkit reports to a user (anything else is a bug and keeps its traceback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbc_docs.errors import KbcError
from kbc_docs.options import BuildOptions

if TYPE_CHECKING:
    from kbc_docs.pipeline import build

__all__ = ["BuildOptions", "KbcError", "build"]


def __getattr__(name: str) -> object:
    """``kbc_docs.build``, imported on first use: the pipeline loads the content checks and
    the renderers, which ``kbc-docs build`` of an up-to-date file never needs."""
    if name == "build":
        from kbc_docs.pipeline import build

        return build
    raise AttributeError(f"module 'kbc_docs' has no attribute {name!r}")
