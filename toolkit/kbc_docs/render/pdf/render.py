"""Render a :class:`DocumentView` to PDF: the job prepared from the view, then the PDF produced.

The two steps are modules of their own so that a build can run them in two processes
(:mod:`kbc_docs.pipeline`): :mod:`~kbc_docs.render.pdf.prepare` in the build's process (the
view through the sandboxed Jinja2 template, with the view's font stacks and page groups as
CSS; the fonts checked with fontconfig first, since WeasyPrint silently swaps a missing
family) and :mod:`~kbc_docs.render.pdf.produce` in its PDF worker (WeasyPrint's layout, the
archival finish), the plain :class:`~kbc_docs.render.pdf.job.PdfJob` between them. This module
is both in one call, as a one-process build and the tests use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from kbc_docs.render.pdf import produce
from kbc_docs.render.pdf.html import as_folders, data_uris
from kbc_docs.render.pdf.job import TextBlock
from kbc_docs.render.pdf.prepare import kept_names, prepare_pdf
from kbc_docs.render.pdf.weasy import Document
from kbc_docs.view import DocumentView

__all__ = ["lay_out", "render_pdf"]


def render_pdf(
    view: DocumentView,
    template: str,
    templates: Path | list[Path],
    when: dt.datetime | None = None,
    *,
    sources: Mapping[str, bytes] | None = None,
    signature_fields: bool | None = None,
    text_blocks: list[TextBlock] | None = None,
) -> bytes:
    """Render ``template`` (``report.html`` or ``signing.html``) for ``view`` to PDF/A-3b bytes.

    ``templates`` is the folder holding the templates and ``style.css``, or a search path of
    such folders (an office's own first, then the defaults); they are the only places the PDF
    may load files from. ``when`` is the creation date written into the PDF's
    metadata (default 2000-01-01): pass the document's date to keep rebuilds identical.
    ``sources`` maps a file name to the bytes of a file the document was made from (the content
    YAML, the registry entries it used); each is embedded as an associated file
    (``/AFRelationship /Source``), and they are part of the document identifier.
    ``signature_fields`` adds an empty signature field over each signer's signature space
    (default: for ``signing.html`` only). ``text_blocks``, if given, receives the text of the
    laid-out document (:func:`.laid_out.laid_out_text`), to compare with the Word file's. Raises
    :class:`FontError` if a font is missing and :class:`RenderError` on any failure.
    """
    job = prepare_pdf(
        view, template, templates, when, sources=sources, signature_fields=signature_fields
    )
    pdf, text = produce.produce_pdf(job)
    if text_blocks is not None:
        text_blocks[:] = text
    return pdf


def lay_out(html: str, templates: Path | list[Path], view: DocumentView | None = None) -> Document:
    """Lay out and paginate ``html`` as :func:`render_pdf` does for ``view``: only files inside
    the ``templates`` folders can be loaded, and the signers' images of ``view``."""
    names = kept_names(view) if view is not None else []
    return produce.lay_out(html, as_folders(templates), data_uris(view), names)
