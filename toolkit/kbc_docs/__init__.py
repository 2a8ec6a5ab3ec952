"""kbc-docs: turn one conference YAML file into bilingual DOCX and PDF documents.

The public surface is small on purpose: :func:`build` runs the whole pipeline for one content
file, :class:`BuildOptions` carries every option, and :class:`KbcError` is the root of every error
the toolkit reports to a user (anything else is a bug and keeps its traceback).
"""

from kbc_docs.errors import KbcError
from kbc_docs.pipeline import BuildOptions, build

__all__ = ["BuildOptions", "KbcError", "build"]
