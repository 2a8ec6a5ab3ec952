"""Every use of WeasyPrint beyond ``HTML(...).render()``, behind one door, for one tested version.

WeasyPrint has no public API for the laid-out boxes, the shaped glyphs or its log. This module
is the only one in kbc-docs that imports WeasyPrint: it lays out and writes the documents and
listens to the log, and it hands the internals it has checked to the three modules that use
them: :mod:`~kbc_docs.render.pdf.laid_out` reads the boxes (``page._page_box``) and the Pango
glyphs (``weasyprint.text.ffi``), :mod:`~kbc_docs.render.pdf.justify` replaces the line
justification and :mod:`~kbc_docs.render.pdf.synthetic_bold` wraps the text drawing.

WeasyPrint's own documentation asks users of its internals to pin a version. :data:`TESTED`
is that range (the same as ``pyproject.toml``); importing this module with another version, or
one in which an internal named in :data:`INTERNALS` has gone, fails at once with a
:class:`RenderError` that says so, rather than with an ``AttributeError`` in the middle of a
build. Reads of the boxes and glyphs during a render are guarded the same way
(:func:`internal`).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import logging
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kbc_docs.errors import Problem, RenderError
from kbc_docs.messages import msg
from kbc_docs.render.pdf.breaks import keep_lines_readable

if TYPE_CHECKING:
    from kbc_docs.render.pdf import name_keeps


def _load_weasyprint_libraries() -> None:
    """Load Pango, HarfBuzz and fontconfig without ``ctypes.util.find_library``'s processes.

    Importing WeasyPrint loads those libraries through cffi, trying each library's names for
    every platform in turn ("libgobject-2.0-0", "gobject-2.0-0", … "libgobject-2.0.so.0").
    cffi looks up every name that does not load with :func:`ctypes.util.find_library`, which on
    Linux runs ``ldconfig -p``, then ``gcc`` and ``ld`` for each one: about 40 processes and a
    tenth of a second of CPU per build. On Linux that lookup can only ever name a library the
    dynamic loader would load by its soname, and WeasyPrint's list ends with the sonames, so it
    is skipped while WeasyPrint loads its libraries (same libraries, no processes).
    """
    if not sys.platform.startswith("linux") or "weasyprint.text.ffi" in sys.modules:
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint.text.ffi  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


_load_weasyprint_libraries()

import weasyprint  # noqa: E402

TESTED = (70, 71)
"""WeasyPrint major versions kbc-docs is tested with: >= 70, < 71 (``pyproject.toml`` pins it)."""

INTERNALS = (
    ("weasyprint.css.validation", "compile_selector_list"),
    ("weasyprint.document", "Document"),
    ("weasyprint.document", "Page"),
    ("weasyprint.draw", "draw_text"),
    ("weasyprint.draw.text", "draw_text"),
    ("weasyprint.draw.text", "draw_first_line"),
    ("weasyprint.formatting_structure.boxes", "Box"),
    ("weasyprint.formatting_structure.boxes", "ParentBox"),
    ("weasyprint.formatting_structure.boxes", "BlockBox"),
    ("weasyprint.formatting_structure.boxes", "BlockContainerBox"),
    ("weasyprint.formatting_structure.boxes", "TextBox"),
    ("weasyprint.formatting_structure.boxes", "MarginBox"),
    ("weasyprint.formatting_structure.boxes", "LineBox"),
    ("weasyprint.formatting_structure.boxes", "InlineBox"),
    ("weasyprint.pdf.fonts", "ffi"),
    ("weasyprint.layout.inline", "count_expandable_spaces"),
    ("weasyprint.layout.inline", "justify_line"),
    ("weasyprint.layout.inline", "add_word_spacing"),
    ("weasyprint.text.line_break", "Layout"),
    ("weasyprint.text.line_break", "create_layout"),
    ("weasyprint.text.line_break", "line_size"),
    ("weasyprint.text.ffi", "ffi"),
    ("weasyprint.text.ffi", "pango"),
    ("weasyprint.text.ffi", "TO_UNITS"),
    ("weasyprint.text.ffi", "FROM_UNITS"),
    ("weasyprint.text.fonts", "FontConfiguration"),
    ("weasyprint.urls", "URLFetcher"),
    ("weasyprint.urls", "URLFetcherResponse"),
    ("weasyprint.urls", "FatalURLFetchingError"),
)
"""Every module attribute of WeasyPrint used here, beyond the documented ``HTML``."""

_PIN = f">={TESTED[0]},<{TESTED[1]}"


def version_problem(version: str) -> str | None:
    """Why WeasyPrint ``version`` cannot be used, or None if it is in the tested range."""
    try:
        major = int(version.split(".")[0])
    except ValueError:
        major = -1
    if TESTED[0] <= major < TESTED[1]:
        return None
    return msg("weasyprint_version", pin=_PIN, version=version)


def internals_missing() -> list[str]:
    """The dotted names of :data:`INTERNALS` the installed WeasyPrint no longer has."""
    missing = []
    for module, name in INTERNALS:
        try:
            found = hasattr(importlib.import_module(module), name)
        except ImportError:
            found = False
        if not found:
            missing.append(f"{module}.{name}")
    return missing


def _check_installed() -> None:
    problem = version_problem(weasyprint.__version__)
    missing = internals_missing()
    if missing:
        problem = msg(
            "weasyprint_internals",
            version=weasyprint.__version__,
            names=", ".join(missing),
            module=__name__,
            pin=_PIN,
        )
    if problem:
        raise RenderError(problem)


_check_installed()

# Imported only once the version and the names are known to be right.
import tinycss2  # noqa: E402
import weasyprint.css.validation as css_validation  # noqa: E402
import weasyprint.draw as draw_module  # noqa: E402
from weasyprint.document import Document  # noqa: E402
from weasyprint.draw import text as draw_text_module  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout import inline  # noqa: E402
from weasyprint.pdf import fonts as pdf_fonts_module  # noqa: E402
from weasyprint.text import line_break  # noqa: E402
from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import (  # noqa: E402
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
)

C_TYPES = (
    "PangoFcFontMap *",  # the font configuration
    "char[]",  # each text set in a Pango layout
    "PangoRectangle *",  # line and glyph extents
    "PangoLogAttr[]",  # line-break opportunities (and justification's clusters)
    "unsigned int *",  # font tables read, the PDF's text drawing
    "hb_tag_t[]",  # font subsetting (with _ArrayTypesParsedOnce)
    "hb_codepoint_t[]",
)
"""The C types WeasyPrint and kbc-docs make values of while they lay out and write a document.

cffi parses a type's string the first time it is asked for it, with the declarations of all
of WeasyPrint's C headers before it: ≈ 2 ms a type, 13–20 ms for a process's first document.
They are parsed here, as this module is imported: the build's PDF worker imports it while the
build's process loads the content, before the report's job arrives, and the report's layout
finds them parsed (the same work, no longer between the job and its PDF); the worker's forked
copy that lays out the report's later language versions inherits them."""

for _c_type in C_TYPES:
    with contextlib.suppress(Exception):  # only ahead of time: one not declared is not parsed
        ffi.typeof(_c_type)

__all__ = [
    "C_TYPES",
    "FROM_UNITS",
    "INTERNALS",
    "TESTED",
    "TO_UNITS",
    "Document",
    "URLFetcher",
    "URLFetcherResponse",
    "boxes",
    "draw_module",
    "draw_text_module",
    "ffi",
    "html_title",
    "inline",
    "internal",
    "internals_missing",
    "layout_document",
    "line_break",
    "pango",
    "version",
    "version_problem",
    "weasyprint_errors",
    "write_pdf",
]


def version() -> str:
    """The installed WeasyPrint's version (for the PDF's Producer)."""
    return weasyprint.__version__


_compile_selector_list = css_validation.compile_selector_list
_SELECTORS: dict[str, list[Any]] = {}
_SELECTORS_KEPT = 4096
"""Selector lists kept compiled (a few templates' stylesheets); all forgotten when full."""


def _compiled_selectors(prelude: Any, namespaces: Any = None) -> list[Any]:
    """cssselect2's ``compile_selector_list`` for WeasyPrint's stylesheets, each selector list
    compiled once a process.

    WeasyPrint parses a document's stylesheets at every render, and cssselect2 compiles each
    selector into a Python function (``eval``): ≈ 9 ms for the templates' 126 rules, the same
    for the signing pages after the report, and at every ``watch`` rebuild. A compiled
    selector is a function of its text alone, and read-only (cssselect2's ``Matcher`` reads
    its test, specificity and names), so the same objects serve every render.
    """
    if namespaces is not None:
        return _compile_selector_list(prelude, namespaces)
    key = prelude if isinstance(prelude, str) else tinycss2.serialize(prelude)
    compiled = _SELECTORS.get(key)
    if compiled is None:
        compiled = _compile_selector_list(prelude)  # a SelectorError is not kept
        if len(_SELECTORS) >= _SELECTORS_KEPT:
            _SELECTORS.clear()
        _SELECTORS[key] = compiled
    return list(compiled)


css_validation.compile_selector_list = _compiled_selectors


@contextlib.contextmanager
def internal(what: str, module: str = __name__) -> Iterator[None]:
    """An internal read that fails is a RenderError naming ``module`` (the one that reads
    ``what``), not a traceback."""
    try:
        yield
    except (AttributeError, TypeError, KeyError) as exc:
        raise RenderError(
            msg(
                "weasyprint_changed",
                version=weasyprint.__version__,
                what=what,
                module=module,
                reason=repr(exc),
                pin=_PIN,
            )
        ) from exc


# WeasyPrint logs through this logger; we listen to it while rendering. Renders are serialised
# so that the messages captured belong to the render that emitted them.
_WEASYPRINT_LOGGER = logging.getLogger("weasyprint")


_RENDER_LOCK = threading.Lock()


class _Collector(logging.Handler):
    """Keeps WeasyPrint's error messages of one render."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def weasyprint_errors() -> Iterator[None]:
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
            raise RenderError(msg("pdf_resource", reason=exc)) from exc
        finally:
            _WEASYPRINT_LOGGER.removeHandler(collector)
    if collector.messages:
        raise RenderError([Problem(f"WeasyPrint: {m}") for m in collector.messages])


def layout_document(
    html: str,
    base_url: str,
    url_fetcher: URLFetcher,
    names: Iterable[str] = (),
    memo: name_keeps.Memo | None = None,
    version: int | None = None,
) -> Document:
    """Lay out and paginate ``html``, or only its language version ``version``
    (:func:`kbc_docs.render.pdf.versions.keep_only`); every file it loads goes through
    ``url_fetcher``.

    Khmer and Lao lines are justified the way Word's distributed justification does it
    (:mod:`kbc_docs.render.pdf.justify`), and bold text in a face without a bold weight is
    emboldened (:mod:`kbc_docs.render.pdf.synthetic_bold`). No line ends with a hyphen and
    no paragraph with one short word (:func:`kbc_docs.render.pdf.breaks.keep_lines_readable`).
    Where one of ``names`` wraps although a line could hold it, it is kept whole there and the
    document laid out again (:func:`kbc_docs.render.pdf.name_keeps.keep_names`); the
    elements ``memo`` knows get their keeps before the first layout.
    """
    # Imported here: they read WeasyPrint's internals through this module.
    from kbc_docs.render.pdf import justify, name_keeps, synthetic_bold, versions

    justify.install_distributed_justification()
    synthetic_bold.install_synthetic_bold()
    source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    if version is not None:
        versions.keep_only(source.etree_element, version)
    keep_lines_readable(source.etree_element)
    # One font configuration for every layout of the document: a layout after the first
    # finds Pango's fonts and their glyphs already loaded (WeasyPrint makes a new one per
    # render otherwise).
    fonts = FontConfiguration()
    return name_keeps.keep_names(
        lambda: source.render(font_config=fonts), source.etree_element, names, memo
    )


def write_pdf(document: Document, created: str, identifier: bytes) -> bytes:
    """PDF/A-3b, tagged, with a fixed date (``created``, ISO 8601) and file identifier.

    Its streams are left uncompressed: the archival finish
    (:func:`kbc_docs.render.pdf.archive.finish_pdf`) rewrites the pages' content streams and
    saves the file with qpdf, which deflates every stream; deflating them here too, in Python,
    was a fifth of the time it takes to write the PDF.
    """
    if not isinstance(pdf_fonts_module.ffi, _ArrayTypesParsedOnce):
        pdf_fonts_module.ffi = _ArrayTypesParsedOnce(pdf_fonts_module.ffi)
    document.metadata.created = created
    document.metadata.modified = created
    pdf = document.write_pdf(
        pdf_variant="pdf/a-3b",
        pdf_tags=True,
        pdf_identifier=identifier.hex().encode("ascii"),
        uncompressed_pdf=True,
    )
    if not pdf:
        raise RenderError(msg("pdf_empty"))
    return pdf


_SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class _ArrayTypesParsedOnce:
    """WeasyPrint's cffi ``ffi`` for its font subsetting, with each ``T[N]`` made as ``T[]``.

    cffi parses each C type string it has not seen with pycparser (≈ 2 ms), and WeasyPrint asks
    for an array type per font and glyph count (``hb_codepoint_t[135]``): 30 ms of a report's
    PDF, for arrays made the same from the one type ``hb_codepoint_t[]``.
    """

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)

    def new(self, cdecl: Any, init: Any = None) -> Any:
        sized = _SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized is not None:
            length = int(sized[2])
            if init is None:
                return self._ffi.new(f"{sized[1]}[]", length)
            if isinstance(init, list | tuple) and len(init) == length:
                return self._ffi.new(f"{sized[1]}[]", init)
        return self._ffi.new(cdecl, init)


def html_title(document: Document) -> str:
    """The HTML ``<title>`` as WeasyPrint read it."""
    return document.metadata.title or ""
