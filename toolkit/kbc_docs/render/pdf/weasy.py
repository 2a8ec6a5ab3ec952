"""Every use of WeasyPrint beyond ``HTML(...).render()``, behind one door, for one tested version.

WeasyPrint has no public API for the laid-out boxes, the shaped glyphs or its log. This module
is the only one in kbc-docs that imports WeasyPrint; it reads the boxes (``page._page_box``),
the Pango layouts and glyphs (``weasyprint.text.ffi``), wraps its text drawing
(``weasyprint.draw.draw_text``, for synthetic bold) and listens to its log, so that nothing
else does.

WeasyPrint's own documentation asks users of its internals to pin a version. :data:`TESTED`
is that range (the same as ``pyproject.toml``); importing this module with another version, or
one in which an internal named in :data:`INTERNALS` has gone, fails at once with a
:class:`RenderError` that says so, rather than with an ``AttributeError`` in the middle of a
build. Reads of the boxes and glyphs during a render are guarded the same way
(:func:`_internal`).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import importlib
import io
import logging
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from fontTools.ttLib import TTFont

from kbc_docs.errors import Problem, RenderError, TextProblem
from kbc_docs.messages import msg
from kbc_docs.render.pdf.breaks import keep_lines_readable
from kbc_docs.render.pdf.fields import SignatureSpot
from kbc_docs.render.pdf.text import TextRun
from kbc_docs.text.segment import LETTERS, unsegment
from kbc_docs.view import DocumentView


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
    ("weasyprint.document", "Document"),
    ("weasyprint.draw", "draw_text"),
    ("weasyprint.draw.text", "draw_text"),
    ("weasyprint.formatting_structure.boxes", "Box"),
    ("weasyprint.formatting_structure.boxes", "ParentBox"),
    ("weasyprint.formatting_structure.boxes", "BlockBox"),
    ("weasyprint.formatting_structure.boxes", "BlockContainerBox"),
    ("weasyprint.formatting_structure.boxes", "TextBox"),
    ("weasyprint.formatting_structure.boxes", "MarginBox"),
    ("weasyprint.formatting_structure.boxes", "LineBox"),
    ("weasyprint.formatting_structure.boxes", "InlineBox"),
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
import weasyprint.draw as draw_module  # noqa: E402
from weasyprint.document import Document  # noqa: E402
from weasyprint.draw import text as draw_text_module  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout import inline  # noqa: E402
from weasyprint.text import line_break  # noqa: E402
from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango  # noqa: E402
from weasyprint.urls import (  # noqa: E402
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
)

__all__ = [
    "INTERNALS",
    "TESTED",
    "Document",
    "TextBlock",
    "URLFetcher",
    "URLFetcherResponse",
    "check_overflow",
    "html_title",
    "install_distributed_justification",
    "internals_missing",
    "laid_out_text",
    "layout_document",
    "signature_spots",
    "text_runs",
    "version",
    "version_problem",
    "weasyprint_errors",
    "write_pdf",
]


def version() -> str:
    """The installed WeasyPrint's version (for the PDF's Producer)."""
    return weasyprint.__version__


@contextlib.contextmanager
def _internal(what: str) -> Iterator[None]:
    """An internal read that fails is a RenderError naming this module, not a traceback."""
    try:
        yield
    except (AttributeError, TypeError, KeyError) as exc:
        raise RenderError(
            msg(
                "weasyprint_changed",
                version=weasyprint.__version__,
                what=what,
                module=__name__,
                reason=repr(exc),
                pin=_PIN,
            )
        ) from exc


# Text may touch the edge of the text area by a rounding error (CSS px, 1 px = 0.75 pt).
_OVERFLOW_TOLERANCE = 1.0


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


def layout_document(html: str, base_url: str, url_fetcher: URLFetcher) -> Document:
    """Lay out and paginate ``html``; every file it loads goes through ``url_fetcher``.

    Khmer and Lao lines are justified the way Word's distributed justification does it
    (:func:`install_distributed_justification`), and bold text in a face without a bold weight
    is emboldened (:func:`install_synthetic_bold`). No line ends with a hyphen and
    no paragraph with one short word (:func:`kbc_docs.render.pdf.breaks.keep_lines_readable`).
    """
    install_distributed_justification()
    install_synthetic_bold()
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    keep_lines_readable(document.etree_element)
    return document.render()


def write_pdf(document: Document, created: str, identifier: bytes) -> bytes:
    """PDF/A-3b, tagged, with a fixed date (``created``, ISO 8601) and file identifier."""
    document.metadata.created = created
    document.metadata.modified = created
    pdf = document.write_pdf(
        pdf_variant="pdf/a-3b", pdf_tags=True, pdf_identifier=identifier.hex().encode("ascii")
    )
    if not pdf:
        raise RenderError(msg("pdf_empty"))
    return pdf


def html_title(document: Document) -> str:
    """The HTML ``<title>`` as WeasyPrint read it."""
    return document.metadata.title or ""


def laid_out_text(document: Document) -> list[TextBlock]:
    """Every block of text the pages show, in order (see :func:`_laid_out_text`)."""
    with _internal("the laid-out boxes"):
        return _laid_out_text(document)


def check_overflow(document: Document) -> None:
    """Fail if any text sticks out of the page's text area (see :func:`_check_overflow`)."""
    with _internal("the laid-out boxes"):
        _check_overflow(document)


def text_runs(document: Document) -> list[TextRun]:
    """Every drawn line with its source text and glyphs (see :func:`_text_runs`)."""
    with _internal("the laid-out boxes and Pango glyphs"):
        return _text_runs(document)


def signature_spots(document: Document, view: DocumentView) -> list[SignatureSpot]:
    """Each signer's signature space (see :func:`_signature_spots`)."""
    with _internal("the laid-out boxes"):
        return _signature_spots(document, view)


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
                        TextProblem(
                            f"page {number}: text runs {max(left - x0, x1 - right) * 0.75:.0f} pt "
                            f"outside the text area: {snippet!r}",
                            text=text,
                        )
                    )
    if problems:
        raise RenderError(problems)


@dataclass(frozen=True)
class TextBlock:
    """The text of one block the PDF shows: a paragraph, a heading, a line of the header."""

    version: int | None  # the language version (``section.version-N``), None if shared
    text: str  # as drawn, lines joined by a space, break marks (U+200B) removed


def _laid_out_text(document: Document) -> list[TextBlock]:
    """Every block of text the pages show, in order; page-margin boxes (page numbers) left out.

    A block is the innermost block-level element around the text; its lines, also across a
    page break, are joined. Invisible text is left out, as it is from the PDF.
    """
    blocks: dict[ElementTree.Element, tuple[int | None, list[str]]] = {}

    def walk(box: boxes.Box, block: ElementTree.Element | None, version: int | None) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        if box.element is not None:
            version = _version_index(box.element) if version is None else version
            if isinstance(box, boxes.BlockContainerBox):
                block = box.element
        if isinstance(box, boxes.TextBox):
            if box.style["visibility"] == "visible" and block is not None:
                blocks.setdefault(block, (version, []))[1].append(unsegment(box.text))
            return
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child, block, version)

    for page in document.pages:
        walk(page._page_box, None, None)
    return [
        TextBlock(version, " ".join(" ".join(pieces).split()))
        for version, pieces in blocks.values()
        if "".join(pieces).strip()
    ]


def _descendants(box: boxes.Box) -> Iterator[boxes.Box]:
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _descendants(child)


def _text_runs(document: Document) -> list[TextRun]:
    """Every line WeasyPrint draws, with its source text and its clusters' glyphs and text.

    WeasyPrint draws a text box's first line (a box holds one line once laid out) glyph by
    glyph from Pango's shaped runs; the same runs, read again here, say which glyphs draw
    each cluster. :func:`kbc_docs.render.pdf.archive.finish_pdf` gives each cluster its text.
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
        clusters: list[tuple[tuple[int, ...], str, float]] = []
        run = line.runs
        while run != ffi.NULL:
            item = run.data
            run = run.next
            string = item.glyphs
            count = string.num_glyphs
            starts = [string.log_clusters[i] for i in range(count)]
            ends = _cluster_ends(starts, item.item.length)
            offset = item.item.offset
            for start in dict.fromkeys(starts):
                members = [i for i in range(count) if starts[i] == start]
                # An empty glyph is drawn as a space adjustment, an unknown one replaced:
                # neither has a code of its own in the PDF.
                gids = tuple(
                    string.glyphs[i].glyph
                    for i in members
                    if not (
                        string.glyphs[i].glyph == pango.PANGO_GLYPH_EMPTY
                        or string.glyphs[i].glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG
                    )
                )
                advance = sum(string.glyphs[i].geometry.width for i in members) * FROM_UNITS
                text = unsegment(utf8[offset + start : offset + ends[start]].decode("utf-8"))
                if clusters and (not gids or not text):
                    # A break mark (U+200B, an empty glyph) or a glyph without text of its own:
                    # part of the cluster before, whose room it widens.
                    last = clusters[-1]
                    clusters[-1] = (last[0] + gids, last[1], last[2] + advance)
                elif gids:
                    clusters.append((gids, text, advance))
        text = utf8[line.start_index : line.start_index + line.length].decode("utf-8")
    finally:
        layout.deactivate()
    if clusters and not clusters[0][1] and len(clusters) > 1:
        first, second = clusters[:2]
        clusters[:2] = [(first[0] + second[0], second[1], first[2] + second[2])]
    lang = box.style["lang"]
    return TextRun(
        page=page,
        x=box.position_x,
        y=box.position_y + box.baseline,
        text=unsegment(text),
        lang=lang if isinstance(lang, str) and lang else None,
        clusters=tuple(clusters),
    )


def _cluster_ends(starts: list[int], length: int) -> dict[int, int]:
    """Byte offset where each cluster (by its start) ends: at the next cluster's start."""
    ordered = sorted(set(starts))
    return {start: end for start, end in zip(ordered, [*ordered[1:], length], strict=True)}


def _signature_spots(document: Document, view: DocumentView) -> list[SignatureSpot]:
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


# ---------------------------------------------------------------- distributed justification
#
# Distributed justification of Khmer and Lao lines in WeasyPrint (pinned: weasyprint 70.x).
#
# WeasyPrint justifies a line by widening its spaces only (``count_expandable_spaces`` counts
# U+0020 and U+00A0). Khmer and Lao put a space between phrases, not words, so a justified line
# with two spaces gets two holes five characters wide. Documents made in Word use "distributed"
# ("Thai distributed") justification instead: the extra width is spread over every cluster of
# the line, and the line looks even. This module does the same in WeasyPrint:
#
# * every gap between two clusters of Khmer or Lao letters is an expansion opportunity, like a
#   space; the extra width of a justified line is shared equally by its spaces and these gaps,
#   at most 0.65 of a space's width each, so no gap grows beyond two spaces;
# * a cluster gap is widened with Pango's letter spacing on the Khmer/Lao runs of the line
#   (Pango keeps a cluster's marks and subscripts on their base), a space as before.
#
# A line without Khmer or Lao letters counts exactly what WeasyPrint counts, so Vietnamese
# lines are justified as before. The last line of a paragraph is not justified (CSS
# ``text-align-last: auto``). The glyphs and their text are unchanged: only their positions move.
#
# The three functions replaced are WeasyPrint internals; ``pyproject.toml`` pins the versions they
# were written for and ``tests/render/pdf/test_justify.py`` fails if they change shape.

_COENG = "\u17d2"
_RUN = re.compile(f"[{''.join(LETTERS.values())}\u200b]+")


def _cluster_starts(run: str) -> list[int]:
    """Where the clusters of ``run`` begin: Pango's cursor positions, except after a Khmer
    COENG (shaping keeps the subscript with its base). U+200B is a cluster of its own."""
    encoded = run.encode()
    attrs = ffi.new("PangoLogAttr[]", len(run) + 1)
    pango.pango_get_log_attrs(encoded, len(encoded), -1, _language(), attrs, len(run) + 1)
    return [
        i
        for i in range(len(run))
        if attrs[i].is_cursor_position and (i == 0 or run[i - 1] != _COENG)
    ]


@functools.cache
def _language() -> Any:
    return pango.pango_language_from_string(b"km")


_UNITS = "_kbc_justify_units"
"""Attribute of a text box: how much wider it gets per unit of justification spacing."""


def _count_expandable(box: Any) -> float:
    """How much wider ``box`` gets per unit of justification spacing (measured by
    :func:`_justify_line` on the lines it justifies; WeasyPrint's count of spaces otherwise)."""
    if isinstance(box, boxes.TextBox):
        return getattr(box, _UNITS, box.text.count(" ") + box.text.count("\u00a0"))
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(_count_expandable(child) for child in box.children)
    return 0


def _partner_texts(box: Any) -> list[Any]:
    if isinstance(box, boxes.TextBox):
        return [box] if _RUN.search(box.text) else []
    return [t for child in getattr(box, "children", ()) for t in _partner_texts(child)]


def _width(context: Any, box: Any, spacing: float) -> float:
    """The width of ``box``'s text laid out by Pango with justification ``spacing``."""
    layout = line_break.create_layout(box.text, box.style, context, None, spacing)
    layout.set_text(box.text, justify=True)
    line, _ = layout.get_first_line()
    return line_break.line_size(line, box.style)[0]


_original_set_text = line_break.Layout.set_text


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """WeasyPrint's ``Layout.set_text``, plus letter spacing on Khmer/Lao runs when justified."""
    _original_set_text(self, text, justify)
    spacing = self.justification_spacing if justify else 0
    if not spacing or not _RUN.search(self.text):
        return
    attrs = pango.pango_layout_get_attributes(self.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for run in _RUN.finditer(self.text):
        starts = _cluster_starts(run.group())
        if len(starts) < 2:
            continue
        # Pango adds the spacing after each cluster of the range: every cluster but the last
        # one of the run, so the gaps inside the run widen and its ends do not move.
        start = len(self.text[: run.start()].encode())
        end = len(self.text[: run.start() + starts[-1]].encode())
        attr = pango.pango_attr_letter_spacing_new(int(spacing * TO_UNITS))
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_change(attrs, attr)
    pango.pango_layout_set_attributes(self.layout, attrs)


_STEPS = 8
"""Bisection steps: the spacing is found to 1/256 of its greatest value."""

MAX_SHARE = 0.65
"""The most a gap grows, in spaces (see :func:`_justify_line`). At a space it grows by a share
and a half, so a share under 2/3 keeps every gap under two spaces; measured on the examples
(``benchmarks/bench_justify.py``), 0.65 leaves the widest at 1.8 spaces, and leaves fewer
lines short of the margin than 0.5 did (7 instead of 11 in the three Khmer and Lao reports)."""


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Share ``extra_width`` among the line's spaces and Khmer/Lao cluster gaps.

    Pango rounds each letter gap to its own units, so the widening is not proportional to the
    spacing: the spacing is found by measuring the line's text boxes on Pango's layout
    (bisection: the widest that does not pass the margin), and each box is told the widening
    it really gets. A share never exceeds :data:`MAX_SHARE` of a space: a gap at a space,
    where Pango adds a share and a half, then stays under two spaces, a word
    boundary (two cluster gaps) too. A line with too few gaps for its extra width (a long name
    that did not fit on it) stays that much short of the right margin.
    """
    texts = _partner_texts(line)
    if not texts:
        return _weasyprint_justify_line(context, line, extra_width)
    cap = MAX_SHARE * _space_width(context, texts[0].style)
    base = {id(t): _width(context, t, 0.0) for t in texts}
    others = _count_expandable(line) - sum(_count_expandable(t) for t in texts)

    def widening(spacing: float) -> float:
        own = sum(_width(context, t, spacing) - base[id(t)] for t in texts)
        return own + others * spacing

    best = cap
    if widening(cap) > extra_width + 0.01:
        low, high = 0.0, cap  # widening(low) fits, widening(high) does not
        for _ in range(_STEPS):
            middle = (low + high) / 2
            low, high = (middle, high) if widening(middle) <= extra_width + 0.01 else (low, middle)
        best = low
    if best <= 0:
        return None
    for text in texts:
        setattr(text, _UNITS, (_width(context, text, best) - base[id(text)]) / best)
    inline.add_word_spacing(context, line, best, 0)
    return None


def _space_width(context: Any, style: Any) -> float:
    layout = line_break.create_layout(" ", style, context, None, 0)
    line, _ = layout.get_first_line()
    return line_break.line_size(line, style)[0]


_weasyprint_justify_line = inline.justify_line


def install_distributed_justification() -> None:
    """Replace WeasyPrint's space count, line justification and text setup (idempotent)."""
    inline.count_expandable_spaces = _count_expandable
    inline.justify_line = _justify_line
    line_break.Layout.set_text = _set_text


# ---------------------------------------------------------------- synthetic bold
#
# Phetsarath OT, the Lao government's standard face, has one weight. Word prints its bold runs
# (Lao headings, the national title, signers' names) emboldened; WeasyPrint, which draws the
# font file's outlines itself, drew them regular, so the PDF's Lao headings looked like body
# text. Word's and LibreOffice's PDF export embolden such a face by stroking the outline as
# well as filling it (text rendering mode 2, PDF 32000-1 §9.3.6); this does the same for every
# bold text whose font has no bold weight, with FreeType's emboldening strength (an outline
# em/24 wider, ``FT_GlyphSlot_Embolden``). The glyphs and their text are unchanged.

EMBOLDEN = 1 / 24
"""Stroke width of a synthesised bold, in ems (FreeType's strength: the stem grows by this)."""

_BOLD = 600  # CSS font-weight from which a face is bold (``font-weight: bold`` is 700)
_weasyprint_draw_text = draw_text_module.draw_text


def _draw_text(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> None:
    """WeasyPrint's ``draw_text``, stroking the runs of a bold text drawn in a regular face.

    Nothing is added to a text drawn in real bold faces (Tinos Bold): the operators come only
    where a run in a regular face begins, and the rendering mode is set back after it, so the
    rest of the page's content stream is what WeasyPrint writes.
    """
    if textbox.style["font_weight"] < _BOLD:
        return _weasyprint_draw_text(stream, textbox, *args, **kwargs)
    synthetic: dict[str, bool] = {}
    add_font, set_font_size = stream.add_font, stream.set_font_size
    stroking = coloured = False

    def add(pango_font: Any) -> Any:
        font, size = add_font(pango_font)
        synthetic[font.hash] = _face_weight(font.hash, font.file_content) < _BOLD
        return font, size

    def set_size(name: str, size: float) -> None:
        nonlocal stroking, coloured
        if synthetic.get(name):
            if not coloured:
                stream.set_color(textbox.style["color"], stroke=True)
                coloured = True
            stream.set_text_rendering(2)
            stream.set_line_width(size * EMBOLDEN)
            stroking = True
        elif stroking:
            stream.set_text_rendering(0)
            stroking = False
        set_font_size(name, size)

    stream.add_font, stream.set_font_size = add, set_size
    try:
        _weasyprint_draw_text(stream, textbox, *args, **kwargs)
    finally:
        del stream.add_font, stream.set_font_size
    if stroking:
        stream.set_text_rendering(0)  # text state outlives the text object
    return None


_FACE_WEIGHTS: dict[str, int] = {}


def _face_weight(key: str, font_file: bytes) -> int:
    """The weight the face's file declares (OS/2 ``usWeightClass``): what it can draw without
    emboldening. Pango's description of the font says bold for a face fontconfig emboldens."""
    if key not in _FACE_WEIGHTS:
        with TTFont(io.BytesIO(font_file), lazy=True) as face:
            os2 = face.get("OS/2")
            _FACE_WEIGHTS[key] = os2.usWeightClass if os2 is not None else 400
    return _FACE_WEIGHTS[key]


def install_synthetic_bold() -> None:
    """Replace WeasyPrint's text drawing by :func:`_draw_text` (idempotent)."""
    draw_module.draw_text = _draw_text
