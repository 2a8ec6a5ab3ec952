"""The second step of a PDF: from a :class:`~kbc_docs.render.pdf.job.PdfJob` to PDF/A-3b bytes.

* :mod:`~kbc_docs.render.pdf.fetcher`: the only files the layout may load (the template folders
  and the signers' checked images).
* :mod:`~kbc_docs.render.pdf.weasy`: layout and pagination, and everything read from
  WeasyPrint's internals: errors it only logs, text that runs out of the text area, each drawn
  line's glyphs, the signature spaces.
* :mod:`~kbc_docs.render.pdf.versions` and :mod:`~kbc_docs.render.pdf.merge`: a sequential
  document's language versions laid out and written each on its own (two at once in the
  build's worker, :mod:`kbc_docs.beside`), then merged into one PDF.
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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf

from kbc_docs import beside, cache
from kbc_docs.errors import KbcError, Problem, RenderError
from kbc_docs.messages import msg
from kbc_docs.render.pdf import laid_out, merge, name_keeps, versions, weasy
from kbc_docs.render.pdf.archive import (
    ArchiveInfo,
    SignatureSpot,
    TextFix,
    content_digest,
    finish_document,
    finish_part,
    finish_pdf,
)
from kbc_docs.render.pdf.fetcher import TemplateFolderFetcher
from kbc_docs.render.pdf.job import PdfJob, TextBlock

__all__ = ["Part", "lay_out", "produce_part", "produce_pdf", "write_document"]


def produce_pdf(job: PdfJob) -> tuple[bytes, list[TextBlock]]:
    """The PDF of ``job`` and the text of its laid-out document (to compare with the Word
    file's: :func:`.laid_out.laid_out_text`). Raises :class:`RenderError` on any failure,
    among them text that leaves the page area.

    A sequential document's language versions are produced each on its own and merged
    (:mod:`.versions`, :mod:`.merge`): in the build's PDF worker two at once, the later ones
    in a forked copy of it (:mod:`kbc_docs.beside`) when they are worth one
    (:data:`COPY_WORTH`); elsewhere one after the other. The bytes
    are the same either way. What the copy learns of the names kept whole (:mod:`.name_keeps`)
    reaches the worker through the disk cache (with no disk cache, a warm worker may lay that
    version out once more the next time it changes: same bytes).
    """
    found = versions.parts(job.html)
    keys = [version.key for version in found]
    if not keys:
        return _produce_whole(job)
    parts: dict[int, Part] = {}
    for version, key in enumerate(keys):
        kept = _PARTS.get(_part_entry(job, key))
        if kept is not None:
            parts[version] = kept
    todo = [version for version in range(len(keys)) if version not in parts]
    here, there = todo[: len(todo) // 2], todo[len(todo) // 2 :]
    worth = sum(found[version].size for version in there) >= COPY_WORTH
    child = beside.start(_produce_parts, job, there) if here and worth else None
    if child is None:
        here, there = todo, []
    failures: dict[int, KbcError] = {}
    try:
        made, failed = _produce_parts(job, here)
        parts.update(made)
        failures.update(failed)
        if child is not None and not failures:  # else an earlier version's error comes first
            try:
                made, failed = child.result()
            except beside.ChildLost:  # killed, out of memory: produced here instead
                made, failed = _produce_parts(job, there)
            parts.update(made)
            failures.update(failed)
    finally:
        if child is not None:
            child.close()
    if failures:  # the first failing version's error, its pages counted from the first page
        version = min(failures)
        raise _on_pages(failures[version], sum(parts[v].pages for v in range(version)))
    for version, key in enumerate(keys):
        _PARTS.put(_part_entry(job, key), parts[version])
    try:
        return _assemble(job, [parts[version] for version in range(len(keys))])
    except merge.CannotMerge:  # something a template added that only one layout writes right
        return _produce_whole(job)


COPY_WORTH = 4000
"""The least markup (characters of the versions' sections) worth a forked copy. A copy costs
the worker ≈ 50 ms of CPU, mostly the pages both processes then write to, copied (a fork's
copy-on-write); a version's layout and writing take ≈ 25 ms per 1,000 characters. A report's
version (8,000-12,000) is worth it; a signing page (≈ 1,700) is produced faster here, which
leaves the second core to whoever needs it."""


@dataclass(frozen=True)
class Part:
    """One language version's PDF (its text and fonts fixed), what the build reads of its
    layout, and where its signers sign (pages counted from its own first page)."""

    pdf: bytes
    pages: int
    text: list[TextBlock]
    spots: list[SignatureSpot]


_PARTS: cache.Recent[Part] = cache.Recent(8)
"""The language versions' PDFs kept by a warm process (``kbc-docs watch``): a save that
changes one version's text lays out and writes that version only."""


def _part_entry(job: PdfJob, key: str) -> str:
    """What a version's PDF depends on: its key (:attr:`.versions.Version.key`) and what every
    version of the job shares."""
    if not _PARTS.active:
        return ""
    return cache.key(
        key,
        *map(str, job.folders),
        cache.files_state(job.folders),  # style.css and whatever else the HTML loads; fonts
        *(uri.encode() + b"\0" + data for uri, data in sorted(job.images.items())),
        repr(job.names),
        repr(job.signers),
        job.when.isoformat(),
    )


def _produce_parts(job: PdfJob, todo: list[int]) -> tuple[dict[int, Part], dict[int, KbcError]]:
    """The PDFs of the versions ``todo``, in order, until one fails (its error, by version)."""
    parts: dict[int, Part] = {}
    for version in todo:
        try:
            parts[version] = produce_part(job, version)
        except KbcError as exc:
            return parts, {version: exc}
    return parts, {}


def produce_part(job: PdfJob, version: int) -> Part:
    """Language version ``version`` of ``job``'s document, laid out and written on its own."""
    with weasy.weasyprint_errors():
        document = lay_out(job.html, job.folders, job.images, job.names, version=version)
    text = laid_out.laid_out_text(document)
    laid_out.check_overflow(document)
    stamp = _stamp(job.when)
    with weasy.weasyprint_errors():
        with laid_out.drawn_lines(document) as runs:
            pdf = weasy.write_pdf(document, stamp, bytes(16))  # the merged file's is set later
        spots = laid_out.signature_spots(document, job.signers) if job.signers is not None else []
        report = TextFix()
        pdf = finish_part(pdf, runs, report)
        _check_text(report)
    return Part(pdf, len(document.pages), text, spots)


def _assemble(job: PdfJob, parts: list[Part]) -> tuple[bytes, list[TextBlock]]:
    """The versions' PDFs as one document, finished as :func:`write_document` finishes one."""
    spots: list[SignatureSpot] = []
    first = 0
    for part in parts:
        spots += [replace(spot, page=spot.page + first) for spot in part.spots]
        first += part.pages
    with merge.merge_versions([part.pdf for part in parts]) as doc:
        pdf = finish_document(
            doc, _info(job, _identifier(job.html, job.sources)), job.sources, spots
        )
    return pdf, [block for part in parts for block in part.text]


def _on_pages(exc: KbcError, first: int) -> KbcError:
    """``exc`` of a version whose first page is the document's page ``first + 1``: the page
    number each of its problems names (``page 2: …``, from :func:`.laid_out.check_overflow`
    and :func:`_check_text`), counted from the document's first page."""
    if not first:
        return exc

    def renumber(problem: Problem) -> Problem:
        found = _PAGE.search(problem.message)
        if found is None:
            return problem
        page = f"page {int(found[1]) + first}:"
        return replace(
            problem,
            message=problem.message[: found.start()] + page + problem.message[found.end() :],
        )

    return type(exc)([renumber(problem) for problem in exc.problems])


_PAGE = re.compile(r"\bpage (\d+):")


def _produce_whole(job: PdfJob) -> tuple[bytes, list[TextBlock]]:
    """The PDF of a document that is not split into versions, in one layout."""
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
HTML as it was does not lay it out again (the split documents keep their versions' PDFs)."""


def lay_out(
    html: str,
    folders: list[Path],
    images: Mapping[str, bytes] | None = None,
    names: Iterable[str] = (),
    version: int | None = None,
) -> weasy.Document:
    """Lay out and paginate ``html``, or only its language version ``version``; only files
    inside the template ``folders`` (absolute) can be loaded, and ``images`` (the signers'
    ``data:`` URIs); ``names`` are kept on one line where a line can hold them."""
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
    return weasy.layout_document(html, str(folders[0]) + "/", fetcher, names, memo, version)


def write_document(
    document: weasy.Document, html: str, when: dt.datetime, job: PdfJob | None = None
) -> bytes:
    """The PDF/A-3b bytes, with a fixed date and an identifier derived from the inputs.

    Without a ``job`` (tests that write a layout produce_pdf would refuse), the metadata is
    the HTML's title only and there are no sources or signature fields.
    """
    sources = job.sources if job else {}
    identifier = _identifier(html, sources)
    with laid_out.drawn_lines(document) as runs:  # each line's glyphs, read as it is drawn
        pdf = weasy.write_pdf(document, _stamp(when), identifier)
    if job is None:
        title = weasy.html_title(document)
        info = ArchiveInfo(
            {"x-default": title}, [], {}, [], [], _utc(when), identifier, _producer()
        )
    else:
        info = _info(job, identifier)
    spots = (
        laid_out.signature_spots(document, job.signers) if job and job.signers is not None else []
    )
    report = TextFix()
    pdf = finish_pdf(pdf, info, runs, sources, spots, report)
    _check_text(report)
    return pdf


def _utc(when: dt.datetime) -> dt.datetime:
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def _stamp(when: dt.datetime) -> str:
    return _utc(when).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _identifier(html: str, sources: Mapping[str, bytes]) -> bytes:
    """Same HTML and sources, same identifier; different documents, different identifiers."""
    return content_digest(
        html.encode("utf-8"),
        *(name.encode("utf-8") + b"\0" + data for name, data in sorted(sources.items())),
    )


def _info(job: PdfJob, identifier: bytes) -> ArchiveInfo:
    meta = job.metadata
    return ArchiveInfo(
        meta.titles,
        meta.authors,
        meta.subjects,
        meta.keywords,
        meta.languages,
        _utc(job.when),
        identifier,
        _producer(),
    )


def _check_text(report: TextFix) -> None:
    """Should WeasyPrint change how it draws text, say so rather than ship a PDF whose Khmer
    or Lao cannot be searched."""
    if report.unmatched or report.misaligned:
        lines = [*report.unmatched, *report.misaligned][:5]
        raise RenderError([Problem(msg("pdf_line_text", line=line)) for line in lines])


def _producer() -> str:
    """kbc-docs and the libraries that wrote the file, with their versions."""
    try:
        version = importlib.metadata.version("kbc-docs")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"kbc-docs {version} (WeasyPrint {weasy.version()}, pikepdf {pikepdf.__version__})"
