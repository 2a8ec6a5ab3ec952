"""The build, top to bottom: load → validate → resolve → view → render DOCX / PDF → write.

Nothing is written until every output of a content file has rendered, so a failure leaves the
previous outputs untouched.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kbc_docs.resolve import Resolved
from kbc_docs.validate import load_content, used_entries
from kbc_docs.view import DocumentView, build_view
from kbc_docs.write import write_outputs

Format = Literal["docx", "pdf"]
DOCUMENTS = ("report", "signing")
"""The documents built from each content file; each has ``<name>.docx`` and ``<name>.html``."""


def default_templates() -> Path:
    """``./templates`` when run from a project folder, else the templates beside this checkout."""
    here = Path.cwd() / "templates"
    if (here / "locale").is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class BuildOptions:
    """Every build option, shared by the CLI and the library."""

    out: Path = Path("build")
    formats: tuple[Format, ...] = ("docx", "pdf")
    templates: Path = field(default_factory=default_templates)
    draft: bool = False  # build despite missing translations, marking each gap visibly


def output_name(slug: str, document: str, languages: list[str], fmt: str) -> str:
    """Predictable ASCII file names, e.g. ``2023-11-16_report_vi-km.pdf``."""
    return f"{slug}_{document}_{'-'.join(languages)}.{fmt}"


def source_files(content_file: Path, resolved: Resolved) -> dict[str, bytes]:
    """The inputs a PDF carries inside it: the content file and the registry entries it used.

    A recipient can audit the document or rebuild it; the excerpt keeps other parties'
    registry entries out of a document they have nothing to do with.
    """
    from kbc_docs.pdf_archive import registry_excerpt

    registry = (content_file.parent / resolved.content.registry).resolve()
    used = used_entries(resolved.content, resolved.registry)
    excerpt = registry_excerpt(registry.read_text(encoding="utf-8"), used)
    return {content_file.name: content_file.read_bytes(), registry.name: excerpt.encode("utf-8")}


def render_all(
    view: DocumentView,
    options: BuildOptions,
    when: dt.datetime,
    sources: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Render every document in every requested format, in memory."""
    # Imported here: WeasyPrint takes half a second to import and `validate` never needs it.
    outputs: dict[str, bytes] = {}
    for document in DOCUMENTS:
        for fmt in options.formats:
            name = output_name(view.slug, document, view.languages, fmt)
            if fmt == "docx":
                from kbc_docs.render.docx import render_docx

                outputs[name] = render_docx(view, options.templates / f"{document}.docx", when)
            else:
                from kbc_docs.render.pdf import render_pdf

                outputs[name] = render_pdf(
                    view, f"{document}.html", options.templates, when, sources=sources
                )
    return outputs


def build(content_file: Path, options: BuildOptions | None = None) -> list[Path]:
    """Build every output of one content file into ``<out>/<slug>/``; return the files written."""
    options = options or BuildOptions()
    resolved, locales = load_content(content_file, options.templates, draft=options.draft)
    view = build_view(resolved, locales)
    when = document_time(resolved.content.signing.date)
    sources = source_files(content_file, resolved) if "pdf" in options.formats else None
    outputs = render_all(view, options, when, sources)
    return write_outputs(options.out / view.slug, outputs)


def document_time(signing_date: dt.date) -> dt.datetime:
    """The timestamp written into document metadata, fixed so rebuilds give identical bytes.

    ``SOURCE_DATE_EPOCH`` wins when set (the reproducible-builds convention); otherwise the
    signing date, which is the date the document bears anyway.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.combine(signing_date, dt.time(), tzinfo=dt.UTC)
