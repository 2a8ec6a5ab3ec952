"""What the laid-out pages say: their text, the lines WeasyPrint draws, the signature spaces.

WeasyPrint has no public API for its laid-out boxes or the glyphs Pango shaped; these reads go
through :mod:`kbc_docs.render.pdf.weasy` (the one module that imports WeasyPrint, and checks
its version and internals) and are guarded by its :func:`~kbc_docs.render.pdf.weasy.internal`:
a read that fails is a RenderError naming this module. They give the build the text to compare
with the Word file (:func:`laid_out_text`), the check that no text runs off the page
(:func:`check_overflow`), each drawn line with its clusters' glyphs for the text layer
(:func:`drawn_lines`) and the signers' spaces for the signature fields (:func:`signature_spots`).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from kbc_docs.errors import Problem, RenderError, TextProblem
from kbc_docs.render.pdf.fields import SignatureSpot
from kbc_docs.render.pdf.job import TextBlock
from kbc_docs.render.pdf.text import TextRun
from kbc_docs.render.pdf.weasy import (
    FROM_UNITS,
    Document,
    boxes,
    draw_text_module,
    ffi,
    internal,
    line_break,
    pango,
)
from kbc_docs.text.segment import PARTNER_LETTERS, unsegment

__all__ = [
    "LineBlock",
    "TextBlock",
    "WrappedName",
    "check_overflow",
    "drawn_lines",
    "has_floats",
    "laid_out_text",
    "line_blocks",
    "loose_blocks",
    "signature_spots",
    "wrapped_names",
]

# Text may touch the edge of the text area by a rounding error (CSS px, 1 px = 0.75 pt).
_OVERFLOW_TOLERANCE = 1.0


def laid_out_text(document: Document) -> list[TextBlock]:
    """Every block of text the pages show, in order (see :func:`_laid_out_text`)."""
    with internal("the laid-out boxes", __name__):
        return _laid_out_text(document)


def check_overflow(document: Document) -> None:
    """Fail if any text sticks out of the page's text area (see :func:`_check_overflow`)."""
    with internal("the laid-out boxes", __name__):
        _check_overflow(document)


def signature_spots(document: Document, signers: Mapping[str, int]) -> list[SignatureSpot]:
    """Each signer's signature space (see :func:`_signature_spots`)."""
    with internal("the laid-out boxes", __name__):
        return _signature_spots(document, signers)


@dataclass(frozen=True)
class WrappedName:
    """A name split over two lines of a block that a line of it could hold whole."""

    element: ElementTree.Element  # the block's element, where the name is to be kept whole
    name: str
    loosens: bool
    """Whether keeping it whole there would leave a justified line with a gap over twice a
    space (:func:`_loosens`): then it is let wrap."""


def wrapped_names(document: Document, names: Iterable[str]) -> list[WrappedName]:
    """The names split over two lines of a block that a line of it could hold whole.

    A reader's search matches a line break only as a space, and Firefox and MuPDF not even
    that: a name split over two lines is found by none. Each one returned is a name that
    wraps inside a block although it is no wider than the block (less its first line's
    indent, where it starts the block); :mod:`kbc_docs.render.pdf.breaks` keeps it whole
    there and the document is laid out again, unless it :attr:`~WrappedName.loosens` the
    line its first piece would leave.
    """
    with internal("the laid-out boxes and Pango layouts", __name__):
        return _wrapped_names(document, [n for n in dict.fromkeys(names) if _squeezed(n)])


def loose_blocks(
    document: Document, elements: Iterable[ElementTree.Element]
) -> set[ElementTree.Element]:
    """Those of ``elements`` that have a justified line with a gap over twice a space.

    WeasyPrint justifies a line by widening its spaces; where a name kept whole leaves a line
    with few spaces and much room (a name, then another, moved to the next line), each gap
    gets wide enough to read as a hole. The bound is the one justification keeps to in
    Khmer and Lao (:data:`kbc_docs.render.pdf.justify.MAX_SHARE`): no gap wider than twice
    the normal space, so no line gains more than a space at each of its gaps. A paragraph's
    last line is not justified, and never counts.
    """
    with internal("the laid-out boxes and Pango layouts", __name__):
        return _loose_blocks(document, set(elements))


def _loose_blocks(
    document: Document, elements: set[ElementTree.Element]
) -> set[ElementTree.Element]:
    loose: set[ElementTree.Element] = set()
    for page in document.pages:
        for block in _descendants(page._page_box):
            if (
                isinstance(block, boxes.BlockContainerBox)
                and block.element in elements
                and block.element not in loose
                and any(
                    _too_wide(box)
                    for line in block.children
                    if isinstance(line, boxes.LineBox)
                    for box in _line_texts(line)
                )
            ):
                loose.add(block.element)
    return loose


def _too_wide(box: boxes.TextBox) -> bool:
    """Whether justification widened the spaces of ``box`` by more than a space each."""
    spacing = getattr(box, "justification_spacing", 0) or 0
    gaps = box.text.count(" ") + box.text.count("\u00a0")
    return spacing > 0 and gaps > 0 and spacing > _width(" ", box)


def _squeezed(text: str) -> str:
    return "".join(unsegment(text).split())


def _wrapped_names(document: Document, names: list[str]) -> list[WrappedName]:
    found: dict[tuple[int, str], WrappedName] = {}
    keys = [(name, _squeezed(name)) for name in names]
    for element, fragments in _line_blocks(document):
        # The lines of all the element's fragments (a paragraph split over two pages is a
        # block box on each page), so that what wraps does not depend on where pages break.
        lines = [
            (line, block)
            for block in fragments
            for line in block.children
            if isinstance(line, boxes.LineBox)
        ]
        # Each squeezed character of the element's lines: its line and its text box.
        chars: list[tuple[int, boxes.TextBox]] = []
        pieces: list[str] = []
        for number, (line, _) in enumerate(lines):
            for box in _line_texts(line):
                squeezed = _squeezed(box.text)
                chars += [(number, box)] * len(squeezed)
                pieces.append(squeezed)
        text = "".join(pieces)
        for name, key in keys:
            at = text.find(key)
            while at >= 0:
                first, last = chars[at], chars[at + len(key) - 1]
                # The words a NO-BREAK SPACE joins to a wrapped name ("TM.") go with it.
                wrapped = first[0] != last[0]
                glued = _glued(first[1], chars[:at].count(first)) if wrapped else ""
                starts = at == len(_squeezed(glued))
                line, block = lines[first[0]]
                if wrapped and _fits(glued + name, first[1], block, starts=starts):
                    head = sum(1 for number, _ in chars[at : at + len(key)] if number == first[0])
                    # Kept whole, it is kept at each of its places in the element.
                    loosens = _loosens(glued + _head(name, head), first[1], line, block)
                    before = found.get((id(element), name))
                    loosens = loosens or (before is not None and before.loosens)
                    found[(id(element), name)] = WrappedName(element, name, loosens)
                at = text.find(key, at + 1)
    return list(found.values())


@dataclass(frozen=True)
class LineBlock:
    """An element whose block boxes hold lines."""

    element: ElementTree.Element
    widths: tuple[float, ...]
    """The width of each of its block boxes: one per page it runs over."""
    generated: bool
    """Whether its lines hold text the CSS generates (``::before``, ``::after``, a list
    marker): it can depend on other elements (a counter) or on the page."""


def line_blocks(document: Document) -> list[LineBlock]:
    """Each element whose block boxes hold lines, in page order (see :func:`_line_blocks`)."""
    with internal("the laid-out boxes", __name__):
        return [
            LineBlock(
                element,
                tuple(block.width for block in fragments),
                any(
                    "::" in (box.element_tag or "")
                    for block in fragments
                    for line in block.children
                    if isinstance(line, boxes.LineBox)
                    for box in _descendants(line)
                ),
            )
            for element, fragments in _line_blocks(document)
        ]


def has_floats(document: Document) -> bool:
    """Whether a box of ``document`` floats (the lines beside it are shortened)."""
    with internal("the laid-out boxes", __name__):
        return any(
            box.is_floated() for page in document.pages for box in _descendants(page._page_box)
        )


def _line_blocks(
    document: Document,
) -> list[tuple[ElementTree.Element, list[boxes.BlockContainerBox]]]:
    """The block boxes that hold lines, those of one element next to each other (its
    fragments on consecutive pages) taken together; page-margin boxes left out."""
    groups: list[tuple[ElementTree.Element, list[boxes.BlockContainerBox]]] = []
    for page in document.pages:
        for block in _descendants(page._page_box, skip=boxes.MarginBox):
            if (
                isinstance(block, boxes.BlockContainerBox)
                and not isinstance(block, boxes.MarginBox)
                and block.element is not None
                and any(isinstance(child, boxes.LineBox) for child in block.children)
            ):
                if groups and groups[-1][0] is block.element:
                    groups[-1][1].append(block)
                else:
                    groups.append((block.element, [block]))
    return groups


def _line_texts(line: boxes.Box) -> Iterator[boxes.TextBox]:
    """The text boxes of a line, in order (not those of a block inside it)."""
    for child in getattr(line, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _line_texts(child)


def _glued(box: boxes.TextBox, letters: int) -> str:
    """The words of ``box`` that NO-BREAK SPACEs join to its text after its first ``letters``
    squeezed letters (an authority word before a body's name): they move with that text."""
    count = 0
    for index, char in enumerate(box.text):
        if _squeezed(char):
            if count == letters:
                return "".join(re.findall(r"(?:[^\s\u200b]+\u00a0)+$", box.text[:index]))
            count += 1
    return ""


def _head(name: str, letters: int) -> str:
    """The beginning of ``name`` that holds ``letters`` of its squeezed letters."""
    count = 0
    for index, char in enumerate(name):
        if _squeezed(char):
            count += 1
            if count == letters:
                return name[: index + 1]
    return name


def _loosens(
    head: str, box: boxes.TextBox, line: boxes.LineBox, block: boxes.BlockContainerBox
) -> bool:
    """Whether moving ``head``, a name's first piece set in ``box`` at the end of justified
    ``line``, to the next line would leave that line with a gap over twice a space.

    Computed as WeasyPrint will justify the shorter line, and as :func:`loose_blocks` reads
    it on the next layout: the room the line has now over its text (what justification
    spread over its spaces), plus the width of the piece and of the space before it, shared
    by the spaces left. Khmer and Lao lines keep a rule of thumb (:data:`LOOSEST`).
    """
    if block.style["text_align_all"] != "justify":
        return False
    texts = list(_line_texts(line))
    kept = _without_last_letters([text.text for text in texts], len(_squeezed(head)))
    if any(PARTNER_LETTERS.search(text) for text in kept):
        return _width(head, box) > LOOSEST * block.width
    spacing = next((getattr(t, "justification_spacing", 0) or 0 for t in texts), 0)
    room = 0.0
    gaps = 0
    spaces = []
    for text_box, text in zip(texts, kept, strict=True):
        room += spacing * _gaps(text_box.text)
        if text != text_box.text:
            natural = text_box.width - spacing * _gaps(text_box.text)
            room += natural - (_width(text, text_box) if text else 0.0)
        if _gaps(text):
            gaps += _gaps(text)
            spaces.append(_width(" ", text_box))
    return gaps > 0 and room / gaps > min(spaces)


LOOSEST = 1 / 8
"""The most of a justified Khmer or Lao line a kept name may take away from it. Such a line
is justified by :mod:`kbc_docs.render.pdf.justify` over its spaces and cluster gaps, each
widened by less than a space: a line left with more room than that ends short of the margin
instead of opening holes, which :func:`loose_blocks` does not see. An eighth of the line is
the bound kbc-docs kept for every line before it computed the Vietnamese ones."""


def _without_last_letters(texts: list[str], letters: int) -> list[str]:
    """``texts`` (a line's, in order) without their last ``letters`` squeezed letters, and
    without the spaces that then end the line (WeasyPrint drops them)."""
    kept = list(texts)
    for index in range(len(kept) - 1, -1, -1):
        count = len(_squeezed(kept[index]))
        if letters >= count:
            kept[index], letters = "", letters - count
            continue
        position = len(kept[index])
        while letters:
            position -= 1
            letters -= len(_squeezed(kept[index][position]))
        kept[index] = kept[index][:position]
        break
    for index in range(len(kept) - 1, -1, -1):
        if kept[index]:
            kept[index] = kept[index].rstrip(" ")
            break
    return kept


def _gaps(text: str) -> int:
    """The spaces WeasyPrint widens to justify ``text``."""
    return text.count(" ") + text.count("\u00a0")


def _width(text: str, box: boxes.TextBox) -> float:
    """The width of ``text`` on one line, set in ``box``'s style (its spaces unbreakable)."""
    layout = line_break.create_layout(text.replace(" ", "\u00a0"), box.style, None, None, 0)
    return line_break.line_size(layout.get_first_line()[0], box.style)[0]


def _fits(name: str, box: boxes.TextBox, block: boxes.BlockContainerBox, starts: bool) -> bool:
    """Whether ``name``, set in ``box``'s style on one line, is no wider than the line of
    ``block`` it would stand on kept whole: the first, less its indent, if it ``starts`` the
    block, another one if not."""
    width = _width(name, box)
    if not starts:
        return width <= block.width
    indent = block.style["text_indent"]
    room = block.width - max(
        0.0, indent.value * block.width / 100 if indent.unit == "%" else indent.value
    )
    return width <= room


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


def _descendants(box: boxes.Box, skip: type | None = None) -> Iterator[boxes.Box]:
    """``box`` and every box inside it, in order; none inside a box of type ``skip``."""
    yield box
    if isinstance(box, boxes.ParentBox) and not (skip and isinstance(box, skip)):
        for child in box.children:
            yield from _descendants(child, skip)


@contextlib.contextmanager
def drawn_lines(document: Document) -> Iterator[list[TextRun]]:
    """Every line WeasyPrint draws of ``document`` while inside, with its clusters' glyphs.

    WeasyPrint draws a text box's first line (a box holds one line once laid out) glyph by
    glyph from Pango's shaped runs; each line's runs are read right after it is drawn, while
    Pango still holds them shaped (reading them later means shaping every line again, with
    its justification). The list yielded is filled as the pages are drawn, in drawing order.
    """
    drawing = _Drawing()
    pages = list(document.pages)
    for index, page in enumerate(pages):
        page.paint = functools.partial(_paint_page, page, index, drawing)
    draw_text_module.draw_first_line = _draw_first_line
    global _DRAWING
    _DRAWING = drawing
    try:
        yield drawing.runs
    finally:
        _DRAWING = None
        for page in pages:
            del page.paint


class _Drawing:
    """The lines drawn so far, and the index of the page being drawn."""

    def __init__(self) -> None:
        self.runs: list[TextRun] = []
        self.page = 0


_DRAWING: _Drawing | None = None  # renders are serialised (weasy.weasyprint_errors)
_weasyprint_draw_first_line = draw_text_module.draw_first_line


def _paint_page(page: Any, index: int, drawing: _Drawing, *args: Any, **kwargs: Any) -> Any:
    drawing.page = index
    return type(page).paint(page, *args, **kwargs)


def _draw_first_line(
    stream: Any, textbox: boxes.TextBox, text_overflow: Any, block_ellipsis: Any, matrix: Any
) -> Any:
    """WeasyPrint's ``draw_first_line``, then the line it drew as a :class:`TextRun`.

    Only the lines of the page's boxes, which ``draw_text`` draws at the box's baseline, are
    kept: an SVG image's text is drawn by the same function, elsewhere.
    """
    drawn = _weasyprint_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    drawing = _DRAWING
    # WeasyPrint draws nothing of an empty line or of one too small for a PDF number.
    if drawing is not None and textbox.text.strip() and textbox.style["font_size"] >= 1e-6:
        with internal("the Pango glyphs", __name__):
            x, y = textbox.position_x, textbox.position_y + textbox.baseline
            if tuple(matrix.values) == (1, 0, 0, -1, x, y):
                drawing.runs.append(_text_run(drawing.page, textbox))
    return drawn


_WORDS = ffi.sizeof("PangoGlyphInfo") // 4  # a glyph's info in 4-byte words: id, width, …
_WIDTH = ffi.offsetof("PangoGlyphInfo", "geometry") // 4  # the geometry starts with the width


def _text_run(page: int, box: boxes.TextBox) -> TextRun:
    """The line of ``box`` as Pango holds it shaped: each cluster's glyphs, text and room."""
    layout = box.pango_layout
    line, _ = layout.get_first_line()
    utf8 = layout.text.encode("utf-8")
    clusters: list[tuple[tuple[int, ...], str, float]] = []
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        string = item.glyphs
        count = string.num_glyphs
        # The glyph infos read in one copy, not field by field through cffi.
        words = memoryview(ffi.buffer(string.glyphs, count * _WORDS * 4)).cast("i")
        glyphs, widths = words[0::_WORDS].tolist(), words[_WIDTH::_WORDS].tolist()
        starts = ffi.unpack(string.log_clusters, count)
        ends = _cluster_ends(starts, item.item.length)
        offset = item.item.offset
        members: dict[int, list[int]] = {}
        for i, start in enumerate(starts):
            members.setdefault(start, []).append(i)
        for start, indices in members.items():
            if len(indices) == 1:  # most clusters: one glyph
                gid = glyphs[indices[0]]
                gids: tuple[int, ...] = () if gid == _EMPTY or gid & _UNKNOWN else (gid,)
                advance = widths[indices[0]] * FROM_UNITS
            else:
                # An empty glyph is drawn as a space adjustment, an unknown one replaced:
                # neither has a code of its own in the PDF.
                gids = tuple(
                    glyphs[i] for i in indices if not (glyphs[i] == _EMPTY or glyphs[i] & _UNKNOWN)
                )
                advance = sum(widths[i] for i in indices) * FROM_UNITS
            text = unsegment(utf8[offset + start : offset + ends[start]].decode("utf-8"))
            if clusters and (not gids or not text):
                # A break mark (U+200B, an empty glyph) or a glyph without text of its own:
                # part of the cluster before, whose room it widens.
                last = clusters[-1]
                clusters[-1] = (last[0] + gids, last[1], last[2] + advance)
            elif gids:
                clusters.append((gids, text, advance))
    text = utf8[line.start_index : line.start_index + line.length].decode("utf-8")
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


_EMPTY = pango.PANGO_GLYPH_EMPTY
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG


def _cluster_ends(starts: list[int], length: int) -> dict[int, int]:
    """Byte offset where each cluster (by its start) ends: at the next cluster's start."""
    ordered = sorted(set(starts))
    return dict(zip(ordered, [*ordered[1:], length], strict=True))


def _signature_spots(document: Document, own: Mapping[str, int]) -> list[SignatureSpot]:
    """Each signer's signature space (the ``.room`` box of their block), once per signer.

    A party's block stands on every language version's signing page; the field goes on the
    version ``own`` names for the party (:func:`kbc_docs.render.pdf.prepare.signers`). A
    parallel document has one block per party anyway.
    """
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


def _version_index(element: ElementTree.Element) -> int | None:
    """N for a ``section.version-N`` element (one language version), else None."""
    if element.tag != "section":
        return None
    for name in _classes(element):
        if name.startswith("version-") and name[8:].isdigit():
            return int(name[8:])
    return None
