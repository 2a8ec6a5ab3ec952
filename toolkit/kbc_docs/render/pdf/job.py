"""What a PDF is made from once the view is turned into HTML, and the text it lays out.

Rendering a PDF is two steps (:mod:`~kbc_docs.render.pdf.render`): *preparing* the job from
the view (:mod:`~kbc_docs.render.pdf.prepare`: the HTML and everything else the PDF needs
from the content) and *producing* the PDF from the job (:mod:`~kbc_docs.render.pdf.produce`:
WeasyPrint's layout, the archival finish). The job and the produced text are plain data, and
this module imports nothing of kbc-docs or of the libraries: a build sends the job to a
worker process (:mod:`kbc_docs.worker`) that never loads the content checks, the view or
ICU, and gets the laid-out text back without loading WeasyPrint itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Metadata:
    """The document's metadata, from the view: title and subject in each of its languages
    (the first is the default viewers show), the issuing bodies as authors, keywords."""

    titles: dict[str, str]
    authors: list[str]
    subjects: dict[str, str]
    keywords: list[str]
    languages: list[str]


@dataclass(frozen=True)
class PdfJob:
    """Everything :func:`~kbc_docs.render.pdf.produce.produce_pdf` needs to write one PDF."""

    template: str  # report.html or signing.html: the document's name in errors
    html: str  # the filled template, checked (no template tag left)
    folders: list[Path]  # absolute template folders: the only files the layout may load
    when: dt.datetime  # the creation date written into the PDF
    metadata: Metadata
    names: list[str] = field(default_factory=list)  # names kept on one line where they fit
    images: dict[str, bytes] = field(default_factory=dict)  # the signers' data: URIs → bytes
    sources: dict[str, bytes] = field(default_factory=dict)  # files attached (content, registry)
    signers: dict[str, int] | None = None  # party → version of its signature field; None: none


@dataclass(frozen=True)
class TextBlock:
    """The text of one block the PDF shows: a paragraph, a heading, a line of the header."""

    version: int | None  # the language version (``section.version-N``), None if shared
    text: str  # as drawn, lines joined by a space, break marks (U+200B) removed
