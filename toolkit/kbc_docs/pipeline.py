"""The build, top to bottom: load → validate → resolve → view → render DOCX / PDF → write.

Nothing is written until every output of a content file has rendered, so a failure leaves the
previous outputs untouched.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kbc_docs import incremental
from kbc_docs.content.images import IMAGE_FIELDS
from kbc_docs.content.load import load_yaml
from kbc_docs.content.references import used_entries
from kbc_docs.content.resolve import Resolved, load_content, registry_path
from kbc_docs.content.schema import PartialDate, Todo
from kbc_docs.content.texts import iter_texts
from kbc_docs.errors import Problem, RenderError, TemplateError, TextProblem
from kbc_docs.options import BuildOptions, Format, up_to_date
from kbc_docs.templates.lookup import find_template
from kbc_docs.view import DocumentView, build_view
from kbc_docs.write import write_outputs

__all__ = ["BuildOptions", "build", "up_to_date"]

if TYPE_CHECKING:
    from kbc_docs.render.pdf.weasy import TextBlock

log = logging.getLogger("kbc_docs")

DOCUMENTS = ("report", "signing")
"""The documents built from each content file; each has ``<name>.docx`` and ``<name>.html``."""


def output_name(slug: str, document: str, languages: list[str], fmt: str) -> str:
    """Predictable ASCII file names, e.g. ``2023-11-16_report_vi-km.pdf``."""
    return f"{slug}_{document}_{'-'.join(languages)}.{fmt}"


def source_files(content_file: Path, resolved: Resolved) -> dict[str, bytes]:
    """The inputs a PDF carries inside it: the content file and the registry entries it used.

    A recipient can audit the document or rebuild it; the excerpt keeps other parties'
    registry entries out of a document they have nothing to do with.
    """
    from kbc_docs.render.pdf.archive import registry_excerpt

    registry = registry_path(content_file, resolved.content.registry)
    used = used_entries(resolved.content, resolved.registry)
    excerpt = registry_excerpt(registry.read_text(encoding="utf-8"), used)
    return {content_file.name: content_file.read_bytes(), registry.name: excerpt.encode("utf-8")}


def render_all(
    view: DocumentView,
    options: BuildOptions,
    folders: list[Path],
    when: dt.datetime,
    sources: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Render every document in every requested format, in memory, from ``folders``."""
    # Imported here: WeasyPrint takes half a second to import and `validate` never needs it.
    from kbc_docs.render.docx.fonts import embeddable_families
    from kbc_docs.render.docx.render import render_docx
    from kbc_docs.render.pdf.render import render_pdf

    outputs: dict[str, bytes] = {}
    families = embeddable_families(view) if options.embed_fonts else {}
    for document in view.documents():
        docx: bytes | None = None
        pdf_text: list[TextBlock] = []
        for fmt in options.formats:
            name = output_name(view.slug, document, view.languages, fmt)
            if fmt == "docx":
                template = find_template(f"{document}.docx", folders)
                docx = render_docx(view, template, when, fonts=families)
                outputs[name] = docx
            else:
                outputs[name] = render_pdf(
                    view, f"{document}.html", folders, when, sources=sources, text_blocks=pdf_text
                )
        if docx is not None and "pdf" in options.formats:
            check_same_text(view, document, docx, pdf_text, folders, options)
    return outputs


def check_same_text(
    view: DocumentView,
    document: str,
    docx: bytes,
    pdf_text: list[TextBlock],
    folders: list[Path],
    options: BuildOptions,
) -> None:
    """The Word file and the PDF of ``document`` must say the same (:mod:`.render.compare`)."""
    from kbc_docs.render.compare import compare_texts, docx_paragraphs, drift_problems

    sections = len(view.versions) if view.layout != "parallel" else 1
    differences = compare_texts(docx_paragraphs(docx, sections), pdf_text)
    if not differences:
        return
    html = [f for f in template_files(folders, ("pdf",)) if f.suffix == ".html"]
    html.sort(key=lambda f: f.name != f"{document}.html")
    template = find_template(f"{document}.docx", folders)
    problems = drift_problems(
        differences, view.languages, template, html, allowed=options.allow_template_drift
    )
    if not options.allow_template_drift:
        raise TemplateError(problems)
    for problem in problems:
        log.warning("%s", problem, extra={"kbc_kind": "drift"})


def build(content_file: Path, options: BuildOptions | None = None) -> list[Path]:
    """Build every output of one content file into ``<out>/<slug>/``; return the files written."""
    options = options or BuildOptions()
    resolved, locales = load_content(
        content_file, options.templates, draft=options.draft, strict=options.strict
    )
    check_templates(resolved.templates, options.formats)
    view = build_view(resolved, locales)
    when = document_time(resolved.content.signing.date)
    sources = source_files(content_file, resolved) if "pdf" in options.formats else None
    try:
        outputs = render_all(view, options, resolved.templates, when, sources)
    except RenderError as exc:
        raise RenderError([at_field(p, content_file, resolved) for p in exc.problems]) from None
    written = write_outputs(options.out / view.slug, outputs, wait=options.lock_wait)
    incremental.record(
        content_file,
        options.out,
        options.fingerprint,
        inputs=input_files(content_file, resolved),
        folders=resolved.templates,
        outputs=written,
    )
    return written


def at_field(problem: Problem, content_file: Path, resolved: Resolved) -> Problem:
    """A problem about a rendered text, placed at the content field that holds that text."""
    if not isinstance(problem, TextProblem) or problem.file is not None:
        return problem
    wanted = _squeezed(problem.text)
    if not wanted:
        return problem
    for path, text in iter_texts(resolved.content, ""):
        for lang, value in text.items():
            if wanted in _squeezed(value):
                loaded = load_yaml(content_file)  # only its places: it was read already
                return loaded.problem(f"{path}.{lang}", problem.message)
    return problem


def _squeezed(text: str) -> str:
    """``text`` without the spaces and break marks layout adds or moves."""
    return "".join(c for c in text if not c.isspace() and c not in "\u200b\u00ad")


def input_files(content_file: Path, resolved: Resolved) -> list[Path]:
    """Every file a build of ``content_file`` reads: content, registry, templates, images."""
    content = resolved.content
    files = [content_file, registry_path(content_file, content.registry)]
    for folder in resolved.templates:
        files += [p for p in folder.rglob("*") if p.is_file()]
    for part in content.parties:
        for name in IMAGE_FIELDS:
            if (image := getattr(part.signer, name)) is not None:
                files.append(content_file.parent / image)
    return files


def template_files(folders: list[Path], formats: tuple[Format, ...]) -> list[Path]:
    """The template files a build uses, each from the first of ``folders`` that holds it."""
    ext = {"docx": "docx", "pdf": "html"}
    files = [
        find_template(f"{document}.{ext[fmt]}", folders)
        for document in DOCUMENTS
        for fmt in formats
    ]
    if "pdf" in formats:  # partials such as _shared.html, which the documents import
        partials = {p.name for folder in folders for p in folder.glob("_*.html")}
        files += [find_template(n, folders) for n in sorted(partials)]
    return files


def check_templates(folders: list[Path], formats: tuple[Format, ...]) -> None:
    """Refuse to build from a template the linter finds broken, naming the place in it."""
    from kbc_docs.templates.lint import lint_templates

    errors = [f for f in lint_templates(template_files(folders, formats)) if f.severity == "error"]
    if errors:
        raise TemplateError(
            [
                Problem(
                    f"{f.message} ({f.text})" if f.text else f.message,
                    Path(f.file),
                    path=", ".join(x for x in (f.part, f.location) if x),
                )
                for f in errors
            ]
        )


def document_time(signing_date: dt.date | PartialDate | Todo) -> dt.datetime:
    """The timestamp written into document metadata, fixed so rebuilds give identical bytes.

    ``SOURCE_DATE_EPOCH`` wins when set (the reproducible-builds convention); otherwise the
    signing date, which is the date the document bears anyway.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    if isinstance(signing_date, Todo):
        signing_date = dt.date(2000, 1, 1)
    elif isinstance(signing_date, PartialDate):
        signing_date = signing_date.first
    return dt.datetime.combine(signing_date, dt.time(), tzinfo=dt.UTC)
