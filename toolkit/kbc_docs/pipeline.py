"""The build, top to bottom: load → validate → resolve → view → render DOCX / PDF → write.

Nothing is written until every output of a content file has rendered, so a failure leaves the
previous outputs untouched.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kbc_docs import cache, early, incremental
from kbc_docs.content.images import IMAGE_FIELDS
from kbc_docs.content.load import load_yaml
from kbc_docs.content.references import registry_excerpt, used_entries
from kbc_docs.content.resolve import Resolved, load_content, registry_path
from kbc_docs.content.schema import PartialDate, Todo
from kbc_docs.content.texts import iter_texts
from kbc_docs.errors import KbcError, Problem, RenderError, TemplateError, TextProblem
from kbc_docs.options import BuildOptions, Format, up_to_date
from kbc_docs.render.pdf.job import PdfJob, TextBlock
from kbc_docs.templates.lookup import find_template
from kbc_docs.view import DocumentView, build_view
from kbc_docs.worker import Worker, WorkerLost
from kbc_docs.write import write_outputs

if TYPE_CHECKING:
    from kbc_docs.render.docx.fonts import FontFiles

__all__ = ["BuildOptions", "build", "up_to_date"]

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
    registry = registry_path(content_file, resolved.content.registry)
    used = used_entries(resolved.content, resolved.registry)
    excerpt = registry_excerpt(registry.read_text(encoding="utf-8"), used)
    return {content_file.name: content_file.read_bytes(), registry.name: excerpt.encode("utf-8")}


PRODUCE = "kbc_docs.render.pdf.produce:produce_pdf"
"""What a worker runs to make a PDF from its job (named: this process need not import it)."""


def render_all(
    view: DocumentView,
    options: BuildOptions,
    folders: list[Path],
    when: dt.datetime,
    sources: dict[str, bytes] | None = None,
    workers: Sequence[Worker] = (),
    checks: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Render every document in every requested format, in memory, from ``folders``.

    Each PDF's job is prepared here first (:mod:`.render.pdf.prepare`); with ``workers``
    (:mod:`kbc_docs.worker`), the PDFs are produced there while this process renders the Word
    files; without, here, one after another. Each document goes to the same worker in every
    build (the first document to the first worker), so a warm worker keeps its layouts. The
    outputs, and the error raised when several steps fail, are those of rendering each step in
    turn (Word file, then PDF, of each document). The Word file and the PDF of each document
    are compared as soon as both are here (the next PDF may still be on its way); what the
    comparison finds counts only once every step has rendered. ``checks`` must pass before
    anything is rendered here; they run once the PDFs' jobs are on their way, and their error
    comes before any step's.
    """
    documents = view.documents()
    steps = [(document, fmt) for document in documents for fmt in options.formats]
    rendered: dict[tuple[str, Format], bytes] = {}
    pdf_text: dict[str, list[TextBlock]] = {}
    failures: dict[int, KbcError] = {}  # by step; -2: the checks; -1: before any step
    drift: dict[str, list[Problem]] = {}  # by document: where its Word file and PDF differ

    def wanted(index: int) -> bool:  # a step before the first failure so far
        return not failures or index < min(failures)

    def compare(document: str) -> None:  # once both outputs of the document are here
        docx = rendered.get((document, "docx"))
        if docx is not None and document in pdf_text and document not in drift:
            drift[document] = text_drift(view, document, docx, pdf_text[document], folders, options)

    jobs: dict[int, PdfJob] = {}
    remote: dict[int, Worker] = {}
    try:
        for index, (document, fmt) in enumerate(steps):
            if fmt == "pdf" and wanted(index):
                try:
                    jobs[index] = _prepare_pdf(view, document, folders, when, sources)
                except KbcError as exc:
                    failures[index] = exc
                    continue
                if workers:
                    worker = workers[documents.index(document) % len(workers)]
                    try:
                        worker.start(PRODUCE, jobs[index])
                        remote[index] = worker
                    except WorkerLost:
                        pass  # produced here
        early.resume_collection()  # the start is over (kbc_docs.early)
        if checks is not None:
            try:
                checks()
            except KbcError as exc:
                failures[-2] = exc
        from kbc_docs.render.docx.fonts import embeddable_families

        try:
            families = embeddable_families(view) if options.embed_fonts else {}
        except KbcError as exc:  # a font Word would need: before any output
            failures[-1] = exc
        for index, (document, fmt) in enumerate(steps):
            if not wanted(index):
                break
            try:
                if fmt == "docx":
                    rendered[document, fmt] = _render_docx(view, document, folders, when, families)
                elif index not in remote:
                    rendered[document, fmt], pdf_text[document] = _produce_here(jobs[index])
                compare(document)
            except KbcError as exc:
                failures[index] = exc
        for index, worker in remote.items():
            if not wanted(index):
                break
            document = steps[index][0]
            try:
                rendered[document, "pdf"], pdf_text[document] = _produce_remote(worker, jobs[index])
                compare(document)
            except KbcError as exc:
                failures[index] = exc
    except BaseException:  # interrupted, or a bug: the PDFs being produced are not wanted
        for worker in workers:
            worker.close()
        raise
    if failures:
        for worker in workers:
            worker.discard()  # answers still to come belong to steps after the failure
        raise failures[min(failures)]
    for document in documents:
        report_drift(drift.get(document, []), options)
    return {
        output_name(view.slug, document, view.languages, fmt): rendered[document, fmt]
        for document, fmt in steps
    }


_KEPT_DOCX: cache.Recent[bytes] = cache.Recent(4)
"""Word files rendered by a warm process (``kbc-docs watch``), by every input of
:func:`~kbc_docs.render.docx.render.render_docx`: a save that leaves a document's view,
template, date and fonts as they were (a comment, a template of the PDF, a registry entry
the conference does not use) gives its bytes again instead of rendering it."""


def _render_docx(
    view: DocumentView,
    document: str,
    folders: list[Path],
    when: dt.datetime,
    families: Mapping[str, FontFiles],
) -> bytes:
    """The Word file of ``document``, rendered here, or kept from the last builds."""
    from kbc_docs.render.docx.render import render_docx

    template = find_template(f"{document}.docx", folders)
    entry = ""
    if _KEPT_DOCX.active:
        from kbc_docs.templates.package import MAX_TOTAL

        fonts = [f for files in families.values() for f in (files.regular, files.bold) if f]
        try:  # a font is changed by installing another: its size, time and inode tell
            states = [_file_state(f) for f in fonts]
        except OSError:  # gone meanwhile: rendered, and render_docx says what is wrong
            states = None
        digest = cache.file_digest(template, MAX_TOTAL)
        if states is not None and digest is not None:
            entry = cache.key(
                pickle.dumps(view, pickle.HIGHEST_PROTOCOL),  # all the template may print
                str(template),
                digest,
                when.isoformat(),
                repr(sorted(families.items())),
                *states,
            )
    docx = _KEPT_DOCX.get(entry) if entry else None
    if docx is None:
        docx = render_docx(view, template, when, fonts=families)
        if entry:
            _KEPT_DOCX.put(entry, docx)
    return docx


def _file_state(path: Path) -> str:
    """Size, times and inode of ``path``: any write to it changes them (the change time
    cannot be set back)."""
    s = path.stat()
    return f"{path}:{s.st_size}:{s.st_mtime_ns}:{s.st_ctime_ns}:{s.st_ino}"


def _prepare_pdf(
    view: DocumentView,
    document: str,
    folders: list[Path],
    when: dt.datetime,
    sources: dict[str, bytes] | None,
) -> PdfJob:
    """The job of ``document``'s PDF (no WeasyPrint in this process for that)."""
    from kbc_docs.render.pdf.prepare import prepare_pdf

    return prepare_pdf(view, f"{document}.html", folders, when, sources=sources)


def _produce_here(job: PdfJob) -> tuple[bytes, list[TextBlock]]:
    """The PDF of ``job`` and its laid-out text, produced in this process."""
    from kbc_docs.render.pdf.produce import produce_pdf

    return produce_pdf(job)


def _produce_remote(worker: Worker, job: PdfJob) -> tuple[bytes, list[TextBlock]]:
    """The worker's answer to ``job``, or the PDF produced here if the worker was lost."""
    try:
        pdf, blocks = worker.result()
    except WorkerLost:
        return _produce_here(job)
    return pdf, blocks


def text_drift(
    view: DocumentView,
    document: str,
    docx: bytes,
    pdf_text: list[TextBlock],
    folders: list[Path],
    options: BuildOptions,
) -> list[Problem]:
    """Where the Word file and the PDF of ``document`` say different things
    (:mod:`.render.compare`), as problems naming the templates; none when they say the same."""
    from kbc_docs.render.compare import compare_texts, docx_paragraphs, drift_problems

    sections = len(view.versions) if view.layout != "parallel" else 1
    differences = compare_texts(docx_paragraphs(docx, sections), pdf_text)
    if not differences:
        return []
    html = [f for f in template_files(folders, ("pdf",)) if f.suffix == ".html"]
    html.sort(key=lambda f: f.name != f"{document}.html")
    template = find_template(f"{document}.docx", folders)
    return drift_problems(
        differences, view.languages, template, html, allowed=options.allow_template_drift
    )


def report_drift(problems: list[Problem], options: BuildOptions) -> None:
    """Stop the build on a difference between the Word file and the PDF, or only warn of it
    with ``--allow-template-drift``."""
    if problems and not options.allow_template_drift:
        raise TemplateError(problems)
    for problem in problems:
        log.warning("%s", problem, extra={"kbc_kind": "drift"})


def build(
    content_file: Path, options: BuildOptions | None = None, workers: Sequence[Worker] = ()
) -> list[Path]:
    """Build every output of one content file into ``<out>/<slug>/``; return the files written.

    ``workers`` produce the PDFs beside this process (see :func:`render_all`).
    """
    options = options or BuildOptions()
    try:
        return _build(content_file, options, workers)
    finally:
        early.resume_collection()  # if the build ended before its PDFs' jobs were sent


def _build(content_file: Path, options: BuildOptions, workers: Sequence[Worker]) -> list[Path]:
    """:func:`build`'s steps, load to write."""
    resolved, locales = load_content(
        content_file, options.templates, draft=options.draft, strict=options.strict
    )
    check_templates(resolved.templates, options.formats)
    view = build_view(resolved, locales)
    when = document_time(resolved.content.signing.date)
    sources = source_files(content_file, resolved) if "pdf" in options.formats else None
    try:
        outputs = render_all(
            view,
            options,
            resolved.templates,
            when,
            sources,
            workers,
            checks=lambda: _check_glyphs(content_file, resolved, view),  # while the worker starts
        )
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


def _check_glyphs(content_file: Path, resolved: Resolved, view: DocumentView) -> None:
    """:func:`.render.pdf.glyphs.check_glyphs`, imported once the PDFs' jobs are sent (lxml)."""
    from kbc_docs.render.pdf.glyphs import check_glyphs

    check_glyphs(content_file, resolved, view)


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
                    path=f.place,
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
