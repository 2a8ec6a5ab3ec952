"""Render a :class:`DocumentView` to PDF through a Jinja2 HTML template and WeasyPrint.

The template only places the view's strings; everything the view does not say about looks lives
in ``templates/style.css``. Five things make this more than ``HTML(string=...).write_pdf()``:

* **Fonts.** WeasyPrint silently swaps a missing family for any other font, so the families are
  checked with fontconfig first (:func:`kbc_docs.text.fonts.check_fonts`) and the CSS font stacks
  are
  written from the view (``FontStack.body_pdf``/``heading_pdf``), not hard-coded in the CSS.
* **Safety.** The view holds text typed by users. Jinja2 runs sandboxed with autoescaping, and the
  URL fetcher only serves files inside the templates folder: WeasyPrint would otherwise read any
  ``file://`` URL or fetch from the network (WeasyPrint #2098). The signers' scans (checked by
  :mod:`kbc_docs.content.images`) go in as ``data:`` URIs that the fetcher serves because the
  renderer
  registered them; any other ``data:`` URI is refused.
* **No silent failure.** WeasyPrint logs problems (a stylesheet it could not load, a bad option)
  and carries on; errors logged during the render are raised as :class:`RenderError`, and so is a
  template tag such as ``{{`` left in the HTML by a broken template.
* **No clipped text.** Text that runs out of the page's text area (Khmer or Lao without
  line-break opportunities) is a RenderError, checked on WeasyPrint's laid-out boxes.
* **Reproducibility.** The creation date and the PDF file identifier are fixed, so the same view
  gives byte-identical PDFs (and rebuilds do not show up as changed files).

The PDF is archival, PDF/A-3b and tagged: WeasyPrint writes it with ``pdf_variant="pdf/a-3b"``
and ``pdf_tags=True``, then :mod:`kbc_docs.render.pdf.archive` finishes it with what only the layout
knows: each drawn line's source text (searchable Khmer and Lao), the metadata in every language
of the document, the source files as associated files, and an empty signature field over each
signer's signature space on the signing pages.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import importlib.metadata
import io
import logging
import mimetypes
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import get_args
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

import jinja2
import pikepdf
import weasyprint
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi, pango
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from kbc_docs.content.images import mime_type
from kbc_docs.errors import Problem, RenderError
from kbc_docs.render.pdf.archive import (
    ArchiveInfo,
    SignatureSpot,
    TextFix,
    TextRun,
    content_digest,
    finish_pdf,
)
from kbc_docs.text.fonts import check_fonts
from kbc_docs.text.segment import unsegment
from kbc_docs.view import DocumentView, FontStack, Role, RoomImage, Version

__all__ = ["render_pdf"]

DEFAULT_WHEN = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Creation date written when the caller gives none: any fixed value keeps output reproducible."""

# CSS predefined counter style for each CLDR numbering system a version may number pages in.
_PAGE_NUMBER_STYLES = {"latn": "decimal", "khmr": "khmer", "laoo": "lao"}

# Text may touch the edge of the text area by a rounding error (CSS px, 1 px = 0.75 pt).
_OVERFLOW_TOLERANCE = 1.0

_ROLES = frozenset(get_args(Role))
_TAG_MARKERS = ("{{", "}}", "{%", "%}")
_SAFE_FAMILY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
_SAFE_LANG = re.compile(r"^[a-z]{2,3}$")

# WeasyPrint logs through this logger; we listen to it while rendering. Renders are serialised
# so that the messages captured belong to the render that emitted them.
_WEASYPRINT_LOGGER = logging.getLogger("weasyprint")
_RENDER_LOCK = threading.Lock()


def render_pdf(
    view: DocumentView,
    template: str,
    templates: Path | list[Path],
    when: dt.datetime | None = None,
    *,
    sources: Mapping[str, bytes] | None = None,
    signature_fields: bool | None = None,
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
    (default: for ``signing.html`` only). Raises :class:`FontError` if a font is missing and
    :class:`RenderError` on any failure.
    """
    check_fonts(view)
    check_parallel(view)
    folders = _folders(templates)
    html = _render_html(view, template, folders)
    _check_no_tags(html, view)
    if signature_fields is None:
        signature_fields = template == "signing.html"
    job = _Job(view, template, dict(sources or {}), signature_fields)
    return _html_to_pdf(html, folders, when or DEFAULT_WHEN, job)


def check_parallel(view: DocumentView) -> None:
    """A parallel view that cannot be paired row by row is a RenderError, before any layout.

    The templates call ``view.rows()`` and ``view.parallel_signers()``; their ``ValueError``
    raised inside Jinja2 would otherwise surface as a traceback instead of a message.
    """
    if view.layout != "parallel":
        return
    try:
        view.rows()
        view.parallel_signers()
    except ValueError as exc:
        raise RenderError(str(exc)) from exc


class TemplateFolderFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files inside the template folders.

    Everything else (``http:``, ``data:``, a ``file:`` URL outside the folders, ``../`` escapes,
    symlinks pointing out of them) raises :class:`RenderError` naming the URL. WeasyPrint would
    otherwise turn the error into a logged warning, so ``fail_on_errors`` makes it stop the render.
    The one exception is ``data_uris``: the ``data:`` URIs of the signers' images, which the
    renderer made itself from checked bytes (:func:`room_images`).
    Relative URLs resolve against the first folder; a file missing there is taken from the next
    one, so an office's folder need only hold the templates it changed.
    """

    def __init__(
        self, root: Path, *fallbacks: Path, data_uris: Mapping[str, bytes] | None = None
    ) -> None:
        super().__init__(fail_on_errors=True)
        self.root = Path(root).resolve()
        self.fallbacks = [Path(f).resolve() for f in fallbacks]
        # The data: URIs the renderer itself made from checked images (:func:`room_images`),
        # with their bytes: the only data: URIs served; any other one is refused.
        self.data_uris = dict(data_uris or {})

    def allowed_path(self, url: str) -> Path:
        """The file ``url`` names, if it is a readable file inside the folders; else RenderError."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RenderError(f"refused to load {url!r}: only files in {self.root} may be used")
        path = Path(url2pathname(parts.path)).resolve()  # url2pathname decodes %XX
        if not path.is_relative_to(self.root):
            raise RenderError(f"refused to load {url!r}: it is outside {self.root}")
        for folder in self.fallbacks:
            if not path.is_file():
                path = (folder / path.relative_to(self.root)).resolve()
                if not path.is_relative_to(folder):
                    raise RenderError(f"refused to load {url!r}: it is outside {folder}")
        if not path.is_file():
            raise RenderError(f"cannot load {url!r}: no such file in {self.root}")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Serve ``url`` from the folder (see :meth:`allowed_path`), or a registered image."""
        data = self.data_uris.get(url)
        if data is not None:
            return URLFetcherResponse(url, data, headers={"Content-Type": mime_type(data)})
        path = self.allowed_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


def _folders(templates: Path | list[Path]) -> list[Path]:
    """One folder or a search path, as a list of absolute folders."""
    return [Path(f).resolve() for f in ([templates] if isinstance(templates, Path) else templates)]


def _environment(templates: list[Path]) -> ImmutableSandboxedEnvironment:
    """Sandboxed and immutable: a template from another office may read the view, not change it."""
    return ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _render_html(view: DocumentView, template: str, templates: Path | list[Path]) -> str:
    """Fill the HTML template; template problems become RenderError, not tracebacks."""
    layouts = {v.lang: v.header_style for v in view.versions}
    try:
        templates = _folders(templates)
        tpl = _environment(templates).get_template(template)
        return tpl.render(
            view=view, layouts=layouts, head_css=_head_css(view), images=room_images(view)
        )
    except jinja2.TemplateNotFound as exc:
        where = " or ".join(str(t) for t in templates)
        raise RenderError(f"template {template!r} not found in {where}") from exc
    except OverflowError as exc:  # the sandbox refuses e.g. range(10**9)
        raise RenderError(f"template {template!r} asks for too much: {exc}") from exc
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise RenderError(f"{where}template {template!r} failed: {exc}") from exc


def _css_families(families: list[str], lang: str) -> str:
    """A CSS ``font-family`` value; names are checked, since they end up inside a <style>."""
    for family in families:
        if not _SAFE_FAMILY.match(family):
            raise RenderError(f"font family {family!r} of language {lang!r} is not a plain name")
    return ", ".join(f'"{family}"' for family in families)


def _head_css(view: DocumentView) -> Markup:
    """The view-dependent CSS: font stacks per language and one named page per version.

    A named page per version (``version-0``, ``version-1``…) lets each version restart its page
    numbers at 1 (``counter-reset: page 1`` on the version's first page, via the
    ``:nth(1 of version-N)`` page-group selector, which also leaves that page unnumbered), and
    lets the Khmer version number its pages in Khmer digits in its own font. A parallel
    document is a single text and gets a single page group, ``parallel-doc``.
    """
    rules: list[str] = []
    for lang in dict.fromkeys(v.lang for v in view.versions):
        if not _SAFE_LANG.match(lang):
            raise RenderError(f"language code {lang!r} is not a plain ISO 639 code")
        stack: FontStack = view.fonts[lang]
        rules.append(f".lang-{lang} {{ font-family: {_css_families(stack.body_pdf, lang)}; }}")
        rules.append(
            f".lang-{lang} .hf {{ font-family: {_css_families(stack.heading_pdf, lang)}; }}"
        )
    # A parallel document is one text: one page group, numbered like its first (left) column.
    pages = (
        [("parallel-doc", view.versions[0])]
        if view.layout == "parallel"
        else [(f"version-{i}", v) for i, v in enumerate(view.versions)]
    )
    for name, version in pages:
        style = _PAGE_NUMBER_STYLES.get(version.digits, "decimal")
        families = _css_families(view.fonts[version.lang].body_pdf, version.lang)
        rules.append(f".{name} {{ page: {name}; }}")
        rules.append(
            f"@page {name} {{ @top-center {{ content: counter(page, {style}); "
            f"font-family: {families}; }} }}"
        )
        rules.append(
            f"@page :nth(1 of {name}) {{ counter-reset: page 1; @top-center {{ content: none; }} }}"
        )
    # Never emit "}}": it would look like a leftover template tag to _check_no_tags.
    return Markup("\n".join(rules).replace("}}", "} }"))


def _check_no_tags(html: str, view: DocumentView) -> None:
    """Fail if a template tag survived rendering, ignoring tags that are the view's own text.

    Users may legitimately write ``{{`` in their text, so the view's strings (as escaped into
    the HTML) are removed first; whatever tag remains came from a broken template.
    """
    rest = html
    # Paragraph roles ("body", "h1"…) are field values, not printed text: leave them in.
    strings = {str(escape(s)) for s in [*view.texts(), view.slug] if s and s not in _ROLES}
    for s in sorted(strings, key=len, reverse=True):
        # A separator, not "", so that removing a string cannot join "{" and "{" into a tag.
        rest = rest.replace(s, "\x00")
    for marker in _TAG_MARKERS:
        at = rest.find(marker)
        if at >= 0:
            snippet = rest[max(0, at - 40) : at + 40].replace("\n", " ")
            raise RenderError(f"unrendered template tag {marker!r} in the HTML near {snippet!r}")


class _Collector(logging.Handler):
    """Keeps WeasyPrint's error messages of one render."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _weasyprint_errors() -> Iterator[None]:
    """Turn errors WeasyPrint logs (and carries on after) into one RenderError."""
    collector = _Collector()
    with _RENDER_LOCK:
        _WEASYPRINT_LOGGER.addHandler(collector)
        try:
            yield
        except FatalURLFetchingError as exc:
            cause = exc.__cause__
            if isinstance(cause, RenderError):
                raise RenderError(cause.problems) from exc
            raise RenderError(f"WeasyPrint could not load a resource: {exc}") from exc
        finally:
            _WEASYPRINT_LOGGER.removeHandler(collector)
    if collector.messages:
        raise RenderError([Problem(f"WeasyPrint: {m}") for m in collector.messages])


@dataclass(frozen=True)
class _Job:
    """What the PDF is written for, besides the HTML: the metadata and finishing come from it."""

    view: DocumentView
    template: str
    sources: dict[str, bytes]
    signature_fields: bool


def _html_to_pdf(html: str, templates: list[Path], when: dt.datetime, job: _Job) -> bytes:
    """Lay out ``html``, refuse text that leaves the page area, write a reproducible PDF."""
    with _weasyprint_errors():
        document = _layout(html, templates, job.view)
    _check_overflow(document)
    with _weasyprint_errors():
        return _write(document, html, when, job)


def _layout(html: str, templates: Path | list[Path], view: DocumentView | None = None) -> Document:
    """Lay out and paginate ``html``; only files inside the ``templates`` folders can be loaded,
    and the signers' images of ``view`` (:func:`room_images`)."""
    templates = _folders(templates)
    return weasyprint.HTML(
        string=html,
        base_url=str(templates[0]) + "/",
        url_fetcher=TemplateFolderFetcher(*templates, data_uris=_data_uris(view)),
    ).render()


# Pillow modes a PDF/A with an sRGB output intent can show as they are; others (CMYK JPEGs,
# 16-bit or float images) are converted to RGB first.
_PDF_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})


def room_images(view: DocumentView) -> dict[str, list[RoomImage]]:
    """Party id → the images printed in its signature room, seal first (empty list if none).

    Each is a ``data:`` URI of the bytes :mod:`kbc_docs.content.images` checked; templates print
    them
    as ``<img src>`` and :class:`TemplateFolderFetcher` serves exactly these URIs.
    """
    out: dict[str, list[RoomImage]] = {}
    for version in view.versions:
        for signer in version.signers:
            if signer.party in out:
                continue
            out[signer.party] = [RoomImage(kind, _data_uri(data)) for kind, data in signer.scans]
    return out


def _data_uris(view: DocumentView | None) -> dict[str, bytes]:
    """The images of ``view`` as the fetcher serves them: data: URI → bytes."""
    if view is None:
        return {}
    return {
        _data_uri(data): _pdf_image(data)
        for version in view.versions
        for signer in version.signers
        for _, data in signer.scans
    }


@functools.lru_cache(maxsize=32)
def _pdf_image(data: bytes) -> bytes:
    """``data`` as PDF/A can hold it: unchanged, or converted to an RGB PNG (e.g. CMYK JPEG)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode in _PDF_MODES:
            return data
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG")
        return out.getvalue()


@functools.lru_cache(maxsize=32)
def _data_uri(data: bytes) -> str:
    return f"data:{mime_type(data)};base64,{base64.b64encode(data).decode('ascii')}"


def _check_overflow(document: Document) -> None:
    """Fail if any text sticks out of the page's text area, left or right.

    WeasyPrint finds no line-break opportunity in Khmer or Lao written without U+200B and lets
    the line run off the paper instead of failing; a signed document with a clipped sentence is
    worse than no document, so this is an error (the fix is to segment the text, see
    :mod:`kbc_docs.text.segment`). Page-margin boxes (page numbers) are not checked.
    """
    problems: list[Problem] = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box  # WeasyPrint has no public API for the laid-out boxes.
        left = page_box.content_box_x()
        right = left + page_box.width
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in _descendants(child):
                if not isinstance(box, boxes.TextBox):
                    continue
                x0, x1 = box.position_x, box.position_x + box.width
                if x0 < left - _OVERFLOW_TOLERANCE or x1 > right + _OVERFLOW_TOLERANCE:
                    text = box.text.replace("\u200b", "")
                    snippet = text[:40] + ("…" if len(text) > 40 else "")
                    problems.append(
                        Problem(
                            f"page {number}: text runs {max(left - x0, x1 - right) * 0.75:.0f} pt "
                            f"outside the text area: {snippet!r}"
                        )
                    )
    if problems:
        raise RenderError(problems)


def _descendants(box: boxes.Box) -> Iterator[boxes.Box]:
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _descendants(child)


def _write(document: Document, html: str, when: dt.datetime, job: _Job | None = None) -> bytes:
    """The PDF/A-3b bytes, with a fixed date and an identifier derived from the inputs.

    Without a ``job`` (tests that write a layout render_pdf would refuse), the metadata is
    the HTML's title only and there are no sources or signature fields.
    """
    sources = job.sources if job else {}
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = stamp
    document.metadata.modified = stamp
    # Same HTML and sources, same identifier; different documents get different identifiers.
    identifier = content_digest(
        html.encode("utf-8"),
        *(name.encode("utf-8") + b"\0" + data for name, data in sorted(sources.items())),
    )
    pdf = document.write_pdf(
        pdf_variant="pdf/a-3b", pdf_tags=True, pdf_identifier=identifier.hex().encode("ascii")
    )
    if not pdf:
        raise RenderError("WeasyPrint produced no PDF")
    if job is None:
        title = document.metadata.title or ""
        info = ArchiveInfo({"x-default": title}, [], {}, [], [], when, identifier, _producer())
    else:
        info = archive_info(job.view, job.template, when, identifier)
    spots = signature_spots(document, job.view) if job and job.signature_fields else []
    report = TextFix()
    pdf = finish_pdf(pdf, info, text_runs(document), sources, spots, report)
    if report.unmatched or report.misaligned:
        # Should WeasyPrint change how it draws text, say so rather than ship a PDF whose
        # Khmer or Lao cannot be searched.
        lines = [*report.unmatched, *report.misaligned][:5]
        raise RenderError(
            [Problem(f"cannot give this line its text in the PDF: {line}") for line in lines]
        )
    return pdf


# ---------------------------------------------------------------- archival PDF: layout facts


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
    return (
        f"kbc-docs {version} (WeasyPrint {weasyprint.__version__}, pikepdf {pikepdf.__version__})"
    )


def text_runs(document: Document) -> list[TextRun]:
    """Every line WeasyPrint draws, with its source text and each glyph's cluster text.

    WeasyPrint draws a text box's first line (a box holds one line once laid out) glyph by
    glyph from Pango's shaped runs; the same runs, read again here, say which glyphs form
    each cluster, and the cluster's text is shared among them (:func:`_share`).
    :func:`kbc_docs.render.pdf.archive.finish_pdf` writes this into the PDF.
    """
    runs: list[TextRun] = []
    for index, page in enumerate(document.pages):
        for box in _descendants(page._page_box):
            if (
                isinstance(box, boxes.TextBox)
                and box.text.strip()
                and box.style["visibility"] == "visible"
                and box.style["font_size"] >= 1e-6
            ):
                runs.append(_text_run(index, box))
    return runs


def _text_run(page: int, box: boxes.TextBox) -> TextRun:
    layout = box.pango_layout
    layout.reactivate(box.style)
    try:
        line, _ = layout.get_first_line()
        utf8 = layout.text.encode("utf-8")
        glyphs: list[tuple[int, str]] = []
        run = line.runs
        while run != ffi.NULL:
            item = run.data
            run = run.next
            string = item.glyphs
            count = string.num_glyphs
            starts = [string.log_clusters[i] for i in range(count)]
            ends = _cluster_ends(starts, item.item.length)
            offset = item.item.offset
            drawn = [
                i
                for i in range(count)
                # An empty glyph is drawn as a space adjustment, an unknown one replaced:
                # neither has a code of its own in the PDF.
                if not (
                    string.glyphs[i].glyph == pango.PANGO_GLYPH_EMPTY
                    or string.glyphs[i].glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG
                )
            ]
            for start in dict.fromkeys(starts[i] for i in drawn):
                members = [i for i in drawn if starts[i] == start]
                cluster = unsegment(utf8[offset + start : offset + ends[start]].decode("utf-8"))
                pieces = _share(cluster, len(members))
                glyphs += [
                    (string.glyphs[i].glyph, piece)
                    for i, piece in zip(members, pieces, strict=True)
                ]
        text = utf8[line.start_index : line.start_index + line.length].decode("utf-8")
    finally:
        layout.deactivate()
    lang = box.style["lang"]
    return TextRun(
        page=page,
        x=box.position_x,
        y=box.position_y + box.baseline,
        text=unsegment(text),
        lang=lang if isinstance(lang, str) and lang else None,
        glyphs=tuple(glyphs),
    )


def _share(text: str, count: int) -> list[str]:
    """Share a cluster's text among its ``count`` glyphs, in drawing order, none left out.

    Concatenated in drawing order the pieces give the text in logical order, even where
    Khmer draws a vowel before its consonant. Each glyph gets a character while there are
    enough (so tools that place text by glyph see every glyph), the last glyph the rest.
    """
    if count <= 0:
        return []
    if len(text) >= count:
        return [*text[: count - 1], text[count - 1 :]]
    return [*text, *[""] * (count - len(text))]


def _cluster_ends(starts: list[int], length: int) -> dict[int, int]:
    """Byte offset where each cluster (by its start) ends: at the next cluster's start."""
    ordered = sorted(set(starts))
    return {start: end for start, end in zip(ordered, [*ordered[1:], length], strict=True)}


def signature_spots(document: Document, view: DocumentView) -> list[SignatureSpot]:
    """Each signer's signature space (the ``.room`` box of their block), once per signer.

    A party's block stands on every language version's signing page; the field goes on the
    version in which the party comes first among the signers: the alternat puts a version's
    own side first, so each leader signs on the page in their own language. A parallel
    document has one block per party anyway.
    """
    own = _own_versions(view)
    found: dict[str, SignatureSpot] = {}
    for index, page in enumerate(document.pages):
        height = page.height
        for box, ancestors in _with_ancestors(page._page_box, ()):
            if not isinstance(box, boxes.BlockBox) or "room" not in _classes(box.element):
                continue
            party = next((a.get("data-party") for a in ancestors if a.get("data-party")), None)
            if not party or party in found:
                continue
            version = next((v for a in ancestors if (v := _version_index(a)) is not None), None)
            if version is not None and own.get(party, version) != version:
                continue
            x, y = box.border_box_x(), box.border_box_y()
            w, h = box.border_width(), box.border_height()
            found[party] = SignatureSpot(
                party,
                index,
                (x * _PT, (height - y - h) * _PT, (x + w) * _PT, (height - y) * _PT),
            )
    return list(found.values())


def _with_ancestors(
    box: boxes.Box, ancestors: tuple[ElementTree.Element, ...]
) -> Iterator[tuple[boxes.Box, tuple[ElementTree.Element, ...]]]:
    """Every box with the elements of the boxes around it, innermost first.

    WeasyPrint's elements are ElementTree elements, which do not know their parent.
    """
    yield box, ancestors
    if isinstance(box, boxes.ParentBox):
        inner = ancestors
        if box.element is not None and (not ancestors or ancestors[0] is not box.element):
            inner = (box.element, *ancestors)
        for child in box.children:
            yield from _with_ancestors(child, inner)


def _classes(element: ElementTree.Element | None) -> list[str]:
    return (element.get("class") or "").split() if element is not None else []


_PT = 0.75  # PDF points per CSS px


def _own_versions(view: DocumentView) -> dict[str, int]:
    """Party → index of the version where it stands earliest among the signers."""
    best: dict[str, tuple[int, int]] = {}
    for v_index, version in enumerate(view.versions):
        for position, signer in enumerate(version.signers):
            if signer.party not in best or position < best[signer.party][0]:
                best[signer.party] = (position, v_index)
    return {party: v_index for party, (_, v_index) in best.items()}


def _version_index(element: ElementTree.Element) -> int | None:
    """N for a ``section.version-N`` element (one language version), else None."""
    if element.tag != "section":
        return None
    for name in _classes(element):
        if name.startswith("version-") and name[8:].isdigit():
            return int(name[8:])
    return None
