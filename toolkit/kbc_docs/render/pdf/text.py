"""The PDF's text layer: every drawn cluster extracts as its own text, in every reader.

WeasyPrint draws each glyph with its glyph id as character code and writes one ToUnicode text
per glyph: the text of the first cluster it met the glyph in, and nothing (``<xxxx> <>``) for
the second and later glyphs of a cluster. Khmer draws many clusters with several glyphs (the
pre-base part of ``ោ``, a consonant, a subscript moved down with a text rise) and shares glyphs
between clusters, so readers that only read ToUnicode (pdf.js, MuPDF, pypdf) turned Khmer into
stray, doubled or U+FFFD characters; ``/ActualText`` spans helped poppler and PDFium but made
MuPDF print the text twice. PDFium also drops the spacing that follows an empty string in a
``TJ`` array, and WeasyPrint writes many (``[() -1167 <0003>]``), so justified lines ended short
of the margin in Chrome and Edge.

This module redraws each line the layout knows (:class:`TextRun`) with one code per *cluster*:

* a cluster drawn with one glyph keeps the glyph, under a code of its own whenever the glyph
  already stands for another text (a glyph shared between clusters);
* a cluster drawn with several glyphs, or with a glyph raised or lowered, becomes one new
  composite glyph in the embedded TrueType font: the same outlines at the same offsets
  (TrueType composite glyphs, ``glyf`` components), so the page looks the same, and the
  cluster's whole text is that one code's ToUnicode text.

Every code therefore maps to the non-empty text of exactly the cluster it draws, in logical
order, so readers that only read ToUnicode (pdf.js, MuPDF, pypdf) get the text right. Each line
also keeps an ``/ActualText`` span with its source text: poppler's default mode, which places
text by glyph positions, reads Khmer and Lao lines right only through it, and with every glyph
mapped no reader prints it twice (the reader-matrix tests count every character each reader
returns). Each line is one ``TJ`` per font with no empty strings and no text rise.

The codes, composite glyphs and fonts are :mod:`kbc_docs.render.pdf.cluster_font`'s; this
module reads and rewrites the content streams. Same input, same bytes: nothing depends on a
clock or on dictionary order.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String

from kbc_docs.render.pdf.cluster_font import ClusterFont, flate, font_of, pdf_number

__all__ = ["TextFix", "TextRun", "fix_text"]

# WeasyPrint writes the text matrix (Tm) with six decimals of the layout's position in CSS px:
# a line's text is found from where it is drawn.
_POSITION_TOLERANCE = 1e-3
# A cluster followed by more room than this (in ems: justification's letter spacing) is drawn
# as a glyph whose advance takes the room in: pdf.js reads a gap of 0.102 em between two
# glyphs as a space, and Firefox would find no word of a justified Khmer or Lao line.
_GAP = 0.02
_TEXT_OPERATORS = frozenset({"TJ", "Tj", "Tf", "Ts"})


@dataclass(frozen=True)
class TextRun:
    """One drawn line of one text box, as the layout knows it.

    ``x``/``y`` are where WeasyPrint sets the text matrix (CSS px, from the page's top left;
    the baseline), which is how the run is found in the page's content stream. ``text`` is the
    source text of the line (U+200B break marks removed). ``clusters`` lists the line's
    clusters in drawing order: the glyph ids that draw each one, its text (never empty) and
    the room it takes on the line as laid out (CSS px: its glyphs' advances, with the letter
    spacing of justification and the break marks that follow it).
    """

    page: int
    x: float
    y: float
    text: str
    lang: str | None
    clusters: tuple[tuple[tuple[int, ...], str, float], ...]


@dataclass
class TextFix:
    """What :func:`fix_text` did: how many lines and codes, which lines could not be matched."""

    runs: int = 0
    composite_glyphs: int = 0
    extra_codes: int = 0
    unmatched: list[str] = field(default_factory=list)  # runs not found in the content stream
    misaligned: list[str] = field(default_factory=list)  # runs whose glyphs differ from layout


def fix_text(doc: pikepdf.Pdf, runs: Sequence[TextRun], report: TextFix) -> None:
    """Redraw every known line with one code per cluster; tag each line's language."""
    by_page: dict[int, list[TextRun]] = {}
    for run in runs:
        by_page.setdefault(run.page, []).append(run)
    report.runs += len(runs)
    fonts: dict[tuple[int, int], ClusterFont | None] = {}
    langs: dict[tuple[int, int], str] = {}
    for index, page in enumerate(doc.pages):
        page_runs = by_page.pop(index, [])
        if not page_runs:
            continue
        new = _Page(doc, page, index, page_runs, fonts, langs, report).rewrite()
        page.Contents = flate(doc, new)
    report.unmatched += [
        f"page {r.page + 1}: {r.text[:40]!r}" for rs in by_page.values() for r in rs
    ]
    for font in fonts.values():
        if font is not None and font.used:
            font.write(doc)
            report.composite_glyphs += len(font.composites)
            report.extra_codes += font.next_code - font.first_extra
    _set_structure_languages(doc, langs)


# ---------------------------------------------------------------- content streams


class _Page:
    """Rewrites one page's content stream: each known line redrawn cluster by cluster.

    The glyphs the original stream draws are kept as parallel lists (id, pen x, font and
    size, text rise), and each redrawn ``TJ`` is written as bytes: a page holds thousands of
    clusters, and one Python object per glyph, or one PDF object per cluster, cost most of
    the pass.
    """

    def __init__(
        self,
        doc: pikepdf.Pdf,
        page: pikepdf.Page,
        index: int,
        runs: list[TextRun],
        fonts: dict[tuple[int, int], ClusterFont | None],
        langs: dict[tuple[int, int], str],
        report: TextFix,
    ) -> None:
        self.doc, self.index, self.runs, self.fonts = doc, index, runs, fonts
        self.langs, self.report = langs, report
        resources = page.obj.get("/Resources", Dictionary())
        self.resources = resources.get("/Font", Dictionary())
        self.page = page
        self.out: list = []  # instructions kept or made, and redrawn TJs (bytes)
        self.by_name: dict[str, ClusterFont | None] = {}
        # Text state the original stream sets (it survives lines): font, size, rise.
        self.font_name: str | None = None
        self.size = 0.0
        self.rise = 0.0
        # The line being redrawn.
        self.run: TextRun | None = None
        self.cluster = 0  # index of the run's next cluster
        # Glyphs drawn by the original, not yet redrawn: id, pen x, (font, size), text rise.
        self.gids: list[int] = []
        self.xs: list[float] = []
        self.faces: list[tuple[str, float]] = []
        self.rises: list[float] = []
        self.x = 0.0  # pen x of the original stream, from the line's start (text space)
        self.pen = 0.0  # pen x of the redrawn stream
        self.out_font: tuple[str, float] | None = None  # font and size the redrawn stream set
        self.ok = True

    def rewrite(self) -> bytes:
        """The page's new content stream."""
        mcids: list[int | None] = []
        for instruction in pikepdf.parse_content_stream(self.page):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self._flush()
                self.out.append(instruction)
                continue
            operands, operator = instruction.operands, str(instruction.operator)
            if operator in ("Tm", "ET"):
                self._close()
            if operator == "BDC":
                props = operands[1] if len(operands) > 1 else None
                mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
                mcids.append(int(mcid) if mcid is not None else None)
            elif operator == "BMC":
                mcids.append(None)
            elif operator == "EMC" and mcids:
                mcids.pop()
            if operator == "Tf":
                self.font_name, self.size = str(operands[0]), float(operands[1])
            elif operator == "Ts":
                self.rise = float(operands[0])
            if self.run is not None and self.ok and operator in _TEXT_OPERATORS:
                if operator in ("TJ", "Tj"):
                    self._take(operands[0])
                continue  # redrawn by _flush
            if self.run is not None and operator not in _TEXT_OPERATORS:
                self._flush()
            self.out.append(instruction)
            if operator == "Tm":
                self._open(float(operands[4]), float(operands[5]), mcids)
        self._close()
        self.report.unmatched += [f"page {self.index + 1}: {r.text[:40]!r}" for r in self.runs]
        return _unparse(self.out)

    def _font(self, name: str | None) -> ClusterFont | None:
        if name is None:
            return None
        if name not in self.by_name:
            self.by_name[name] = font_of(self.doc, self.resources.get(name), self.fonts)
        return self.by_name[name]

    def _open(self, x: float, y: float, mcids: list[int | None]) -> None:
        for i, run in enumerate(self.runs):
            if abs(run.x - x) < _POSITION_TOLERANCE and abs(run.y - y) < _POSITION_TOLERANCE:
                self.run = self.runs.pop(i)
                break
        else:
            return
        self.cluster, self.x, self.pen, self.ok = 0, 0.0, 0.0, True
        self._drop_pending()
        self.out_font = None
        self.line_rise = self.rise  # the rise the redrawn line is drawn with
        props = Dictionary(ActualText=String(self.run.text))
        self.out.append(pikepdf.ContentStreamInstruction([Name.Span, props], Operator("BDC")))
        if self.run.lang:
            mcid = next((m for m in reversed(mcids) if m is not None), None)
            if mcid is not None:
                self.langs[(self.index, mcid)] = self.run.lang

    def _drop_pending(self) -> None:
        self.gids, self.xs, self.faces, self.rises = [], [], [], []

    def _take(self, operand: pikepdf.Object) -> None:
        """Follow the original pen over a TJ/Tj operand, noting each glyph it draws."""
        font = self._font(self.font_name)
        size, x = self.size, self.x
        gids, xs = self.gids, self.xs
        count = len(gids)
        for token in _shown(operand):
            if token[:1] != b"<":  # a position adjustment
                x -= float(token) / 1000 * size
                continue
            if font is None or len(token) % 4 != 2:  # <…>: four hex digits a code
                self._misaligned()
                return
            width = font.width
            for i in range(1, len(token) - 1, 4):
                gid = int(token[i : i + 4], 16)
                gids.append(gid)
                xs.append(x)
                x += width(gid) / 1000 * size
        count = len(gids) - count
        self.faces += [(self.font_name, size)] * count
        self.rises += [self.rise] * count
        self.x = x

    def _misaligned(self) -> None:
        if self.ok and self.run is not None:
            self.report.misaligned.append(f"page {self.index + 1}: {self.run.text[:40]!r}")
        self.ok = False

    def _flush(self) -> None:
        """Redraw the pending glyphs cluster by cluster: one TJ per font, numbers between."""
        if self.run is None or not self.gids:
            return
        gids, xs, faces, rises = self.gids, self.xs, self.faces, self.rises
        self._drop_pending()
        if not self.ok:
            return
        clusters = self.run.clusters
        array: list[bytes] = []
        face: tuple[str, float] | None = None
        font: ClusterFont | None = None
        at = 0
        while at < len(gids):
            if self.cluster >= len(clusters):
                self._misaligned()
                return
            cluster_gids, text, room = clusters[self.cluster]
            end = at + len(cluster_gids)
            if faces[at] != face:
                face = faces[at]
                font = self._font(face[0])
            assert face is not None and font is not None  # _take checked the font
            if (
                gids[at] != cluster_gids[0]
                if end == at + 1
                else tuple(gids[at:end]) != cluster_gids or faces[at:end].count(face) != end - at
            ):
                # Not the layout's glyphs, or a cluster split over two fonts.
                self._misaligned()
                return
            self.cluster += 1
            size = face[1]
            if self.out_font != face:
                if array:
                    self.out.append(_tj(array))
                    array = []
                self.out.append(
                    pikepdf.ContentStreamInstruction([Name(face[0]), size], Operator("Tf"))
                )
                self.out_font = face
            head, tail = _split_marks(text)
            advance = font.width(gids[at])
            if (
                end == at + 1
                and rises[at] == self.line_rise
                and (room - advance / 1000 * size < _GAP * size or head.isspace())
            ):
                # One glyph taking no more room than its own keeps its glyph (a space may
                # stay a space).
                code = font.code(gids[at], head)
            else:
                code = self._composite(font, gids, xs, rises, at, end, size, head, room)
                advance = font.width(font.gid_of[code]) if code is not None else 0.0
            mark = font.code(font.empty(), tail) if tail else 0
            if code is None or mark is None:
                self._misaligned()
                return
            origin = xs[at]
            shift = (origin - self.pen) * 1000 / size
            if abs(shift) > 1e-4:
                array.append(repr(pdf_number(-shift)).encode())
            array.append(b"<%04x>" % code)
            if tail:  # drawn after the cluster, where it takes no room (see _split_marks)
                array.append(b"<%04x>" % mark)
            self.pen = origin + advance / 1000 * size
            at = end
        if array:
            self.out.append(_tj(array))

    def _composite(
        self,
        font: ClusterFont,
        gids: list[int],
        xs: list[float],
        rises: list[float],
        at: int,
        end: int,
        size: float,
        text: str,
        room: float,
    ) -> int | None:
        """The code of a composite glyph drawing pending glyphs ``at:end`` where the original
        drew them, and taking the cluster's ``room`` (CSS px, as laid out) (see module doc)."""
        scale = font.units / size
        first = xs[at]
        parts = tuple(
            (gids[i], round((xs[i] - first) * scale), round((rises[i] - self.line_rise) * scale))
            for i in range(at, end)
        )
        advance = max(0, round(room * scale))
        gid = font.composite(parts, advance)
        return None if gid is None else font.code(gid, text)

    def _close(self) -> None:
        """End the line being redrawn: the rest of its glyphs, then the original text rise."""
        if self.run is None:
            return
        self._flush()
        if self.ok and self.cluster != len(self.run.clusters):
            self._misaligned()
        if self.rise != self.line_rise:
            self.out.append(
                pikepdf.ContentStreamInstruction([pdf_number(self.rise)], Operator("Ts"))
            )
        if self.font_name and (self.font_name, self.size) != self.out_font:
            self.out.append(
                pikepdf.ContentStreamInstruction([Name(self.font_name), self.size], Operator("Tf"))
            )
        # The line's /ActualText span ends inside its text object, where it began: a span left
        # open swallowed the marked content after it, and MuPDF's search then placed a line's
        # text on the glyphs of the next (it found no name of the last signature block).
        self.out.append(pikepdf.ContentStreamInstruction([], Operator("EMC")))
        self.run = None


def _shown(operand: pikepdf.Object) -> list[bytes]:
    """What a TJ or Tj operand shows: its strings in hex (``<0050>``) and its numbers.

    Read from the operand's PDF syntax (``[ <0050> -16.8 () <0003> ]``), where qpdf writes
    WeasyPrint's glyph ids in hex (each has a byte under 0x20) and its empty strings as
    ``()``: an object per item costs more. Other literal strings, which may hold spaces, are
    read item by item.
    """
    if isinstance(operand, String):
        return [b"<" + bytes(operand).hex().encode() + b">"]
    syntax = operand.unparse().replace(b" () ", b" ")  # WeasyPrint's many empty strings
    if b"(" not in syntax:
        return syntax[1:-1].split()
    return [
        b"<" + bytes(item).hex().encode() + b">" if isinstance(item, String) else str(item).encode()
        for item in operand
    ]


@functools.lru_cache(maxsize=4096)
def _split_marks(text: str) -> tuple[str, str]:
    """A cluster's text cut before its first non-spacing mark (or format character).

    pdf.js takes any glyph whose text *contains* a non-spacing mark (``\\p{Mn}``: the Khmer
    coeng, most Lao vowels and tone marks) for a zero-width diacritic and does not advance
    past it, so the rest of the line drifts and Firefox's text layer and find bar see spaces
    inside words. The cluster's glyph therefore carries the text before the first mark, and
    a glyph that draws nothing and takes no room, drawn right after it, the rest.
    """
    for i, char in enumerate(text):
        if i and unicodedata.category(char) in ("Mn", "Cf"):
            return text[:i], text[i:]
    return text, ""


def _tj(array: list[bytes]) -> bytes:
    """A TJ with these operands, as pikepdf writes one (``[ <0012> -16.8 <0003> ] TJ``)."""
    return b"[ " + b" ".join(array) + b" ] TJ"


def _unparse(out: list) -> bytes:
    """The content stream of instructions and ready-made TJs (bytes), one per line."""
    parts: list[bytes] = []
    kept: list = []
    for item in out:
        if isinstance(item, bytes):
            if kept:
                parts.append(pikepdf.unparse_content_stream(kept))
                kept = []
            parts.append(item)
        else:
            kept.append(item)
    if kept:
        parts.append(pikepdf.unparse_content_stream(kept))
    return b"\n".join(parts)


def _set_structure_languages(doc: pikepdf.Pdf, langs: Mapping[tuple[int, int], str]) -> None:
    """Give each tagged text's structure element the language of its text (``/Lang``).

    Screen readers pick the voice from ``/Lang``; the catalog's only names the first language.
    """
    root = doc.Root.get("/StructTreeRoot")
    if root is None or not langs:
        return
    nums = list(root.ParentTree.get("/Nums", Array()))
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    for (page, mcid), lang in langs.items():
        elements = by_key.get(page)
        if isinstance(elements, Array) and mcid < len(elements):
            element = elements[mcid]
            if isinstance(element, Dictionary):
                element.Lang = String(lang)
