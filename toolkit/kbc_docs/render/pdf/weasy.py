"""Every use of WeasyPrint's internals, behind one door.

WeasyPrint has no public API for the laid-out boxes, the shaped glyphs or its log; this module
reads them (``page._page_box``, Pango layouts through ``weasyprint.text.ffi``) so that nothing
else in kbc-docs does.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import weasyprint
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi, pango
from weasyprint.urls import FatalURLFetchingError

from kbc_docs.errors import Problem, RenderError
from kbc_docs.render.pdf.archive import (
    SignatureSpot,
    TextRun,
)
from kbc_docs.render.pdf.fetcher import TemplateFolderFetcher
from kbc_docs.render.pdf.html import as_folders, data_uris
from kbc_docs.text.segment import unsegment
from kbc_docs.view import DocumentView

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
            raise RenderError(f"WeasyPrint could not load a resource: {exc}") from exc
        finally:
            _WEASYPRINT_LOGGER.removeHandler(collector)
    if collector.messages:
        raise RenderError([Problem(f"WeasyPrint: {m}") for m in collector.messages])


def lay_out(html: str, templates: Path | list[Path], view: DocumentView | None = None) -> Document:
    """Lay out and paginate ``html``; only files inside the ``templates`` folders can be loaded,
    and the signers' images of ``view`` (:func:`room_images`)."""
    templates = as_folders(templates)
    return weasyprint.HTML(
        string=html,
        base_url=str(templates[0]) + "/",
        url_fetcher=TemplateFolderFetcher(*templates, data_uris=data_uris(view)),
    ).render()


def check_overflow(document: Document) -> None:
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
