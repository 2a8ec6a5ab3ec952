"""The second step of a PDF: from a :class:`~kbc_docs.render.pdf.job.PdfJob` to PDF/A-3b bytes.

* :mod:`~kbc_docs.render.pdf.fetcher`: the only files the layout may load (the template folders
  and the signers' checked images).
* :mod:`~kbc_docs.render.pdf.weasy`: layout and pagination, and everything read from
  WeasyPrint's internals: errors it only logs, text that runs out of the text area, each drawn
  line's glyphs, the signature spaces.
* :mod:`~kbc_docs.render.pdf.archive`: PDF/A-3b with searchable Khmer and Lao
  (:mod:`~kbc_docs.render.pdf.text`), metadata in every language of the document, the source
  files attached, signature fields (:mod:`~kbc_docs.render.pdf.fields`).

The job is plain data and this module reads nothing else of the content: it is what the build's
PDF worker imports (:mod:`kbc_docs.worker`), without the content checks, the view or ICU. The
creation date and the PDF file identifier are fixed, so the same job gives byte-identical PDFs
(and rebuilds do not show up as changed files).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from collections.abc import Iterable, Mapping
from pathlib import Path

import pikepdf

from kbc_docs import cache
from kbc_docs.errors import Problem, RenderError
from kbc_docs.messages import msg
from kbc_docs.render.pdf import laid_out, name_keeps, weasy
from kbc_docs.render.pdf.archive import ArchiveInfo, TextFix, content_digest, finish_pdf
from kbc_docs.render.pdf.fetcher import TemplateFolderFetcher
from kbc_docs.render.pdf.job import PdfJob, TextBlock

__all__ = ["lay_out", "produce_pdf", "write_document"]


def produce_pdf(job: PdfJob) -> tuple[bytes, list[TextBlock]]:
    """The PDF of ``job`` and the text of its laid-out document (to compare with the Word
    file's: :func:`.laid_out.laid_out_text`). Raises :class:`RenderError` on any failure,
    among them text that leaves the page area."""
    entry = ""
    if _LAYOUTS.active:
        entry = cache.key(
            job.html,
            *map(str, job.folders),
            cache.files_state(job.folders),  # style.css and whatever else the HTML loads; fonts
            *(uri.encode() + b"\0" + data for uri, data in sorted(job.images.items())),
            repr(job.names),  # the names kept whole where they fit
        )
    document = _LAYOUTS.get(entry)
    if document is None:
        with weasy.weasyprint_errors():
            document = lay_out(job.html, job.folders, job.images, job.names)
    text = laid_out.laid_out_text(document)
    laid_out.check_overflow(document)
    _LAYOUTS.put(entry, document)  # only a layout that logged no error and fits the page
    with weasy.weasyprint_errors():
        return write_document(document, job.html, job.when, job), text


_LAYOUTS: cache.Recent[weasy.Document] = cache.Recent(2)
"""Checked layouts kept by a warm process (``kbc-docs watch``): a save that leaves a document's
HTML as it was (the signing pages when the report's text changed) does not lay it out again."""


def lay_out(
    html: str,
    folders: list[Path],
    images: Mapping[str, bytes] | None = None,
    names: Iterable[str] = (),
) -> weasy.Document:
    """Lay out and paginate ``html``; only files inside the template ``folders`` (absolute)
    can be loaded, and ``images`` (the signers' ``data:`` URIs); ``names`` are kept on one line
    where a line can hold them."""
    fetcher = TemplateFolderFetcher(*folders, data_uris=images)
    names = list(names)
    memo = None
    if name_keeps.Memo.active():
        # What every block's keeps depend on besides its own markup (name_keeps.element_keys).
        memo = name_keeps.Memo(
            cache.key(
                *map(str, folders),
                cache.files_state(folders),  # style.css and whatever else it loads; fonts
                *(uri.encode() + b"\0" + data for uri, data in sorted((images or {}).items())),
                repr(names),
                cache.versions("weasyprint"),
            )
        )
    return weasy.layout_document(html, str(folders[0]) + "/", fetcher, names, memo)


def write_document(
    document: weasy.Document, html: str, when: dt.datetime, job: PdfJob | None = None
) -> bytes:
    """The PDF/A-3b bytes, with a fixed date and an identifier derived from the inputs.

    Without a ``job`` (tests that write a layout produce_pdf would refuse), the metadata is
    the HTML's title only and there are no sources or signature fields.
    """
    sources = job.sources if job else {}
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Same HTML and sources, same identifier; different documents get different identifiers.
    identifier = content_digest(
        html.encode("utf-8"),
        *(name.encode("utf-8") + b"\0" + data for name, data in sorted(sources.items())),
    )
    with laid_out.drawn_lines(document) as runs:  # each line's glyphs, read as it is drawn
        pdf = weasy.write_pdf(document, stamp, identifier)
    if job is None:
        title = weasy.html_title(document)
        info = ArchiveInfo({"x-default": title}, [], {}, [], [], when, identifier, _producer())
    else:
        meta = job.metadata
        info = ArchiveInfo(
            meta.titles,
            meta.authors,
            meta.subjects,
            meta.keywords,
            meta.languages,
            when,
            identifier,
            _producer(),
        )
    spots = (
        laid_out.signature_spots(document, job.signers) if job and job.signers is not None else []
    )
    report = TextFix()
    pdf = finish_pdf(pdf, info, runs, sources, spots, report)
    if report.unmatched or report.misaligned:
        # Should WeasyPrint change how it draws text, say so rather than ship a PDF whose
        # Khmer or Lao cannot be searched.
        lines = [*report.unmatched, *report.misaligned][:5]
        raise RenderError([Problem(msg("pdf_line_text", line=line)) for line in lines])
    return pdf


def _producer() -> str:
    """kbc-docs and the libraries that wrote the file, with their versions."""
    try:
        version = importlib.metadata.version("kbc-docs")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"kbc-docs {version} (WeasyPrint {weasy.version()}, pikepdf {pikepdf.__version__})"
