"""Render a :class:`DocumentView` to PDF: HTML, then WeasyPrint, then the archival finish.

The steps, each in its own module of this package:

* :mod:`~kbc_docs.render.pdf.html`: the view through the sandboxed Jinja2 template, with the
  view's font stacks and page groups as CSS; the fonts are checked with fontconfig first
  (:func:`kbc_docs.text.fonts.check_fonts`), since WeasyPrint silently swaps a missing family.
* :mod:`~kbc_docs.render.pdf.fetcher`: the only files the layout may load (the template folders
  and the signers' checked images).
* :mod:`~kbc_docs.render.pdf.weasy`: layout and pagination, and everything read from
  WeasyPrint's internals: errors it only logs, text that runs out of the text area, each drawn
  line's glyphs, the signature spaces.
* :mod:`~kbc_docs.render.pdf.archive`: PDF/A-3b with searchable Khmer and Lao
  (:mod:`~kbc_docs.render.pdf.text`), metadata in every language of the document, the source
  files attached, signature fields (:mod:`~kbc_docs.render.pdf.fields`).

The creation date and the PDF file identifier are fixed, so the same view gives byte-identical
PDFs (and rebuilds do not show up as changed files).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from kbc_docs import cache
from kbc_docs.errors import Problem, RenderError
from kbc_docs.messages import msg
from kbc_docs.render import DEFAULT_WHEN
from kbc_docs.render.pdf import laid_out, weasy
from kbc_docs.render.pdf.archive import (
    ArchiveInfo,
    TextFix,
    content_digest,
    finish_pdf,
)
from kbc_docs.render.pdf.fetcher import TemplateFolderFetcher
from kbc_docs.render.pdf.html import (
    as_folders,
    check_no_tags,
    check_parallel,
    data_uris,
    render_html,
)
from kbc_docs.text.fonts import check_fonts
from kbc_docs.text.segment import unsegment
from kbc_docs.view import DocumentView, Version

__all__ = ["render_pdf"]


def render_pdf(
    view: DocumentView,
    template: str,
    templates: Path | list[Path],
    when: dt.datetime | None = None,
    *,
    sources: Mapping[str, bytes] | None = None,
    signature_fields: bool | None = None,
    text_blocks: list[laid_out.TextBlock] | None = None,
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
    check_fonts(view)
    check_parallel(view)
    folders = as_folders(templates)
    html = render_html(view, template, folders)
    check_no_tags(html, view)
    if signature_fields is None:
        signature_fields = template == "signing.html"
    job = _Job(view, template, dict(sources or {}), signature_fields)
    pdf = _html_to_pdf(html, folders, when or DEFAULT_WHEN, job)
    if text_blocks is not None:
        text_blocks[:] = job.text
    return pdf


@dataclass(frozen=True)
class _Job:
    """What the PDF is written for, besides the HTML: the metadata and finishing come from it."""

    view: DocumentView
    template: str
    sources: dict[str, bytes]
    signature_fields: bool
    text: list[laid_out.TextBlock] = field(default_factory=list)  # filled by the layout


_LAYOUTS: cache.Recent[weasy.Document] = cache.Recent(2)
"""Checked layouts kept by a warm process (``kbc-docs watch``): a save that leaves a document's
HTML as it was (the signing pages when the report's text changed) does not lay it out again."""


def _html_to_pdf(html: str, templates: list[Path], when: dt.datetime, job: _Job) -> bytes:
    """Lay out ``html``, refuse text that leaves the page area, write a reproducible PDF."""
    entry = ""
    if _LAYOUTS.active:
        entry = cache.key(
            html,
            *map(str, templates),
            cache.files_state(templates),  # style.css and whatever else the HTML loads; fonts
            *(uri.encode() + b"\0" + data for uri, data in sorted(data_uris(job.view).items())),
            repr(sorted(job.view.names.items())),  # the names kept whole where they fit
        )
    document = _LAYOUTS.get(entry)
    if document is None:
        with weasy.weasyprint_errors():
            document = lay_out(html, templates, job.view)
    job.text[:] = laid_out.laid_out_text(document)
    laid_out.check_overflow(document)
    _LAYOUTS.put(entry, document)  # only a layout that logged no error and fits the page
    with weasy.weasyprint_errors():
        return write_document(document, html, when, job)


def lay_out(
    html: str, templates: Path | list[Path], view: DocumentView | None = None
) -> weasy.Document:
    """Lay out and paginate ``html``; only files inside the ``templates`` folders can be loaded,
    and the signers' images of ``view`` (:func:`~kbc_docs.render.pdf.html.room_images`)."""
    folders = as_folders(templates)
    fetcher = TemplateFolderFetcher(*folders, data_uris=data_uris(view))
    names = [n for names in view.names.values() for n in names] if view is not None else []
    return weasy.layout_document(html, str(folders[0]) + "/", fetcher, names)


def write_document(
    document: weasy.Document, html: str, when: dt.datetime, job: _Job | None = None
) -> bytes:
    """The PDF/A-3b bytes, with a fixed date and an identifier derived from the inputs.

    Without a ``job`` (tests that write a layout render_pdf would refuse), the metadata is
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
        info = archive_info(job.view, job.template, when, identifier)
    spots = laid_out.signature_spots(document, job.view) if job and job.signature_fields else []
    report = TextFix()
    pdf = finish_pdf(pdf, info, runs, sources, spots, report)
    if report.unmatched or report.misaligned:
        # Should WeasyPrint change how it draws text, say so rather than ship a PDF whose
        # Khmer or Lao cannot be searched.
        lines = [*report.unmatched, *report.misaligned][:5]
        raise RenderError([Problem(msg("pdf_line_text", line=line)) for line in lines])
    return pdf


def archive_info(
    view: DocumentView, template: str, when: dt.datetime, identifier: bytes
) -> ArchiveInfo:
    """The document's metadata from the view: title and subject in each of its languages.

    The issuing bodies are the authors, as their header lines name them in the first version
    (Decree 30's header); the keywords name the content file, the document and its languages.
    """
    versions: dict[str, Version] = {}
    for version in view.versions:
        versions.setdefault(version.lang, version)  # the first version of each language
    first = view.versions[0]
    document = Path(template).stem
    return ArchiveInfo(
        titles={lang: unsegment(v.title) for lang, v in versions.items()},
        authors=[
            unsegment(" ".join(part for part in (b.superior, b.body) if part)) for b in first.bodies
        ],
        subjects={lang: unsegment(f"{v.kind} – {v.date_line}") for lang, v in versions.items()},
        keywords=[view.slug, document, *view.languages],
        languages=list(view.languages),
        created=when,
        identifier=identifier,
        producer=_producer(),
    )


def _producer() -> str:
    """kbc-docs and the libraries that wrote the file, with their versions."""
    try:
        version = importlib.metadata.version("kbc-docs")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"kbc-docs {version} (WeasyPrint {weasy.version()}, pikepdf {pikepdf.__version__})"
