"""The view: every string of every document, formatted once, in reading order.

Both renderers (DOCX and PDF) see only this. Numbers, dates, numbering, ordering of parties and
the wording of generated sentences are decided here, so the two outputs cannot drift apart and
no formatting rule is written twice. Templates only place these strings on the page.

:func:`build_view` (:mod:`~kbc_docs.view.build`) is the pipeline's step; the document's parts
are worded in :mod:`~kbc_docs.view.header`, :mod:`~kbc_docs.view.body` and
:mod:`~kbc_docs.view.signatures`; the types the renderers read are in
:mod:`~kbc_docs.view.version`, :mod:`~kbc_docs.view.parallel` and
:mod:`~kbc_docs.view.document`; :func:`strings` (:mod:`~kbc_docs.view.walk`) is the one
walker over the printed strings.
"""

from kbc_docs.view.build import build_view
from kbc_docs.view.document import DocumentView
from kbc_docs.view.parallel import Cell, ParallelRow, ParallelSigner, SignerText
from kbc_docs.view.version import (
    FontStack,
    HeaderBody,
    Para,
    Role,
    RoomImage,
    SignerBlock,
    Version,
)
from kbc_docs.view.walk import strings

__all__ = [
    "Cell",
    "DocumentView",
    "FontStack",
    "HeaderBody",
    "Para",
    "ParallelRow",
    "ParallelSigner",
    "Role",
    "RoomImage",
    "SignerBlock",
    "SignerText",
    "Version",
    "build_view",
    "strings",
]
