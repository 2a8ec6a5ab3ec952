"""The PDF job of one document of a content file, as a build prepares it (for the benchmarks
that time the worker's half, :mod:`kbc_docs.render.pdf.produce`, in one process)."""

from __future__ import annotations

from pathlib import Path

from kbc_docs.render.pdf.job import PdfJob


def example_job(content: str | Path, template: str) -> PdfJob:
    """``template``'s job for ``content``: loaded, viewed and prepared as ``kbc-docs build``
    does (its document time and attached sources included)."""
    from kbc_docs.content.resolve import load_content
    from kbc_docs.pipeline import document_time, source_files
    from kbc_docs.render.pdf.prepare import prepare_pdf
    from kbc_docs.view import build_view

    path = Path(content)
    resolved, locales = load_content(path, None)
    view = build_view(resolved, locales)
    when = document_time(resolved.content.signing.date)
    sources = source_files(path, resolved)
    return prepare_pdf(view, template, resolved.templates, when, sources=sources)
