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

The fonts' subset tags are derived from the embedded font program (different glyph sets,
different tags) and their names cleaned of WeasyPrint's trailing comma. Same input, same
bytes: nothing depends on a clock or on dictionary order.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent
from pikepdf import Array, Dictionary, Name, Operator, String

from kbc_docs import cache

__all__ = ["TextFix", "TextRun", "fix_text", "name_fonts"]

# WeasyPrint writes the text matrix (Tm) with six decimals of the layout's position in CSS px:
# a line's text is found from where it is drawn.
_POSITION_TOLERANCE = 1e-3
_MAX_CODE = 0xFFFF  # Identity-H codes and TrueType glyph ids are two bytes
_ARGS_ARE_XY_VALUES = 0x0002  # TrueType composite flag: the offsets are x, y in font units
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
    fonts: dict[tuple[int, int], _Font | None] = {}
    langs: dict[tuple[int, int], str] = {}
    for index, page in enumerate(doc.pages):
        page_runs = by_page.pop(index, [])
        if not page_runs:
            continue
        new = _Page(doc, page, index, page_runs, fonts, langs, report).rewrite()
        page.Contents = _flate(doc, pikepdf.unparse_content_stream(new))
    report.unmatched += [
        f"page {r.page + 1}: {r.text[:40]!r}" for rs in by_page.values() for r in rs
    ]
    for font in fonts.values():
        if font is not None and font.used:
            font.write(doc)
            report.composite_glyphs += len(font.composites)
            report.extra_codes += font.next_code - font.first_extra
    _set_structure_languages(doc, langs)


def name_fonts(doc: pikepdf.Pdf) -> None:
    """Give every embedded font a subset tag derived from its font program and a clean name.

    PDF tools that merge files take two fonts with the same name and tag for the same font;
    WeasyPrint gives the same tag to different subsets, and ends some names with a comma.
    """
    seen: set[tuple[int, int]] = set()
    for page in doc.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for _, font in fonts.items():
            if not font.is_indirect or font.objgen in seen:
                continue
            seen.add(font.objgen)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            program = next(
                (
                    descriptor[k]
                    for k in ("/FontFile2", "/FontFile3", "/FontFile")
                    if descriptor and k in descriptor
                ),
                None,
            )
            if program is None:
                continue
            base = str(font.get("/BaseFont", "/Font"))[1:]
            name = re.sub(r"[^A-Za-z0-9-]+", "-", base.split("+", 1)[-1]).strip("-") or "Font"
            digest = hashlib.sha256(program.read_bytes()).digest()
            tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
            full = Name(f"/{tag}+{name}")
            font.BaseFont = full
            if descendant is not font:
                descendant.BaseFont = full
            descriptor.FontName = full


def _flate(doc: pikepdf.Pdf, data: bytes, **keys: pikepdf.Object) -> pikepdf.Stream:
    """A new stream holding ``data`` deflated (deterministic: zlib has no timestamps)."""
    import zlib

    stream = pikepdf.Stream(doc, b"", **keys)
    stream.write(zlib.compress(data, 9), filter=Name.FlateDecode)
    return stream


# ---------------------------------------------------------------- fonts


class _Font:
    """One Type0 Identity-H font with an embedded TrueType program: its codes and glyphs.

    Codes below ``first_extra`` are WeasyPrint's (code = glyph id); codes from there on are
    added here, each drawing a glyph given by the CID-to-glyph map.
    """

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.font = font
        self.descendant = font.DescendantFonts[0]
        self.widths = _parse_widths(self.descendant.get("/W", Array()))
        self.default_width = float(self.descendant.get("/DW", 1000))
        self.original = self.descendant.FontDescriptor.FontFile2.read_bytes()
        self.ttf = TTFont(io.BytesIO(self.original), recalcTimestamp=False)
        self.units = self.ttf["head"].unitsPerEm
        self.order = list(self.ttf.getGlyphOrder())
        self.glyphs = len(self.order)  # WeasyPrint's glyphs; composites come after
        self.first_extra = self.next_code = max([len(self.order), *self.widths]) + 1
        self.to_unicode: dict[int, str] = {}
        self.gid_of: dict[int, int] = {}
        self.codes: dict[tuple[int, str], int] = {}
        self.composites: dict[tuple, int] = {}
        self.composite_widths: dict[int, float] = {}  # glyph id → advance (thousandths)
        self.used = False

    def width(self, gid: int) -> float:
        """Glyph ``gid``'s advance in thousandths of the font size (WeasyPrint drew each glyph
        with its id as code, so ``/W`` gives it, else ``/DW``; a composite's is its own)."""
        if gid in self.composite_widths:
            return self.composite_widths[gid]
        return self.widths.get(gid, self.default_width)

    def code(self, gid: int, text: str) -> int | None:
        """The code that draws glyph ``gid`` and extracts as ``text`` (a new one if needed)."""
        self.used = True
        code = self.codes.get((gid, text))
        if code is not None:
            return code
        if gid < self.glyphs and gid not in self.to_unicode:
            code = gid  # the glyph's own code, free for its first text
        elif self.next_code > _MAX_CODE:
            return None
        else:
            code = self.next_code
            self.next_code += 1
            self.widths[code] = self.width(gid)
        self.gid_of[code] = gid
        self.to_unicode[code] = text
        self.codes[(gid, text)] = code
        return code

    def composite(self, parts: tuple[tuple[int, int, int], ...], advance: int) -> int | None:
        """A glyph drawing ``parts`` (glyph id, x, y in font units) with ``advance``; its id.

        The glyph is only numbered here; it is built into the font program by :meth:`write`.
        """
        key = (parts, advance)
        gid = self.composites.get(key)
        if gid is not None:
            return gid
        if "glyf" not in self.ttf or len(self.order) > _MAX_CODE:
            return None
        gid = len(self.order)
        self.order.append(f"kbc.cluster{gid}")
        self.composite_widths[gid] = advance * 1000 / self.units
        self.composites[key] = gid
        return gid

    def empty(self) -> int:
        """The id of a glyph that draws nothing and takes no room (added once)."""
        key = ((), 0)
        gid = self.composites.get(key)
        if gid is None:
            gid = len(self.order)
            self.order.append(f"kbc.empty{gid}")
            self.composite_widths[gid] = 0.0
            self.composites[key] = gid
        return gid

    def program(self) -> bytes:
        """The font program with the glyphs :meth:`composite` and :meth:`empty` numbered.

        Kept in the disk cache (:mod:`kbc_docs.cache`) under the original program and the
        glyphs added: the same document, or one drawing the same clusters, makes the same
        font, and building and saving it is a good part of the searchable-text pass.
        """
        entry = cache.key(cache.versions("fonttools"), self.original, repr(self.composites))
        stored = cache.get("pdf-fonts", entry)
        if stored is None:
            stored = self._build()
            cache.put("pdf-fonts", entry, stored)
        return stored

    def _build(self) -> bytes:
        """:meth:`program` without the cache: same outlines at the same offsets (module doc)."""
        self.ttf.setGlyphOrder(self.order)
        glyf, hmtx = self.ttf["glyf"], self.ttf["hmtx"]
        bounds_done: set[str] = set()  # glyphs whose bounds are known (the components)
        for (parts, advance), gid in self.composites.items():
            name = self.order[gid]
            glyph = Glyph()
            glyph.numberOfContours = -1 if parts else 0
            if parts:
                glyph.components = []
            for part, x, y in parts:
                component = GlyphComponent()
                component.glyphName = self.order[part]
                component.x, component.y = x, y
                component.flags = _ARGS_ARE_XY_VALUES
                glyph.components.append(component)
            glyf[name] = glyph
            if parts:
                glyph.recalcBounds(glyf, boundsDone=bounds_done)
            hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0)) if parts else (0, 0)
        for table in ("hdmx", "LTSH", "VDMX"):  # per-glyph device tables: now too short
            if table in self.ttf:
                del self.ttf[table]
        out = io.BytesIO()
        self.ttf.save(out)
        return out.getvalue()

    def write(self, doc: pikepdf.Pdf) -> None:
        """The font program with its composites, widths, CID-to-glyph map and ToUnicode."""
        descriptor = self.descendant.FontDescriptor
        if self.composites:
            program = self.program()
            descriptor.FontFile2 = _flate(doc, program, Length1=len(program))
        top = max([*self.gid_of, *self.widths, 0])
        cid_to_gid = bytearray()
        for code in range(top + 1):
            cid_to_gid += self.gid_of.get(code, code if code < self.glyphs else 0).to_bytes(
                2, "big"
            )
        self.descendant.CIDToGIDMap = _flate(doc, bytes(cid_to_gid))
        drawn = set(self.gid_of)
        self.descendant.W = _widths_array(
            {c: w for c, w in self.widths.items() if c in drawn or c < self.first_extra}
        )
        self.font.ToUnicode = _flate(doc, _to_unicode_cmap(self.to_unicode))


def _font(
    doc: pikepdf.Pdf, font: pikepdf.Object | None, fonts: dict[tuple[int, int], _Font | None]
) -> _Font | None:
    """The :class:`_Font` of a Type0 Identity-H TrueType font resource, else None."""
    if font is None or not font.is_indirect:
        return None
    key = font.objgen
    if key not in fonts:
        ok = (
            font.get("/Subtype") == Name.Type0
            and font.get("/Encoding") == Name("/Identity-H")
            and font.DescendantFonts[0].get("/CIDToGIDMap") == Name.Identity
            and "/FontFile2" in font.DescendantFonts[0].get("/FontDescriptor", Dictionary())
        )
        fonts[key] = _Font(font) if ok else None
    return fonts[key]


def _parse_widths(w: pikepdf.Array) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for j, width in enumerate(items[i + 1]):
                widths[first + j] = float(width)
            i += 2
        else:
            last, width = int(items[i + 1]), float(items[i + 2])
            for code in range(first, last + 1):
                widths[code] = width
            i += 3
    return widths


def _number(value: float) -> int | float:
    """A PDF number: an integer when it is one, else rounded to 4 decimals (deterministic)."""
    value = round(value, 4)
    return int(value) if value.is_integer() else value


def _widths_array(widths: Mapping[int, float]) -> pikepdf.Array:
    w = Array()
    run: Array | None = None
    previous = None
    for code in sorted(widths):
        if run is None or code - 1 != previous:
            run = Array()
            w.append(code)
            w.append(run)
        run.append(_number(widths[code]))
        previous = code
    return w


def _to_unicode_cmap(mapping: Mapping[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted((code, text) for code, text in mapping.items() if text)
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for code, text in batch:
            lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


# ---------------------------------------------------------------- content streams


class _Drawn(NamedTuple):
    """One glyph as the original stream draws it: font, size, glyph, pen x, text rise (a
    tuple: made for every glyph of every line, ten times faster than a frozen dataclass)."""

    font: str
    size: float
    gid: int
    x: float
    rise: float


class _Page:
    """Rewrites one page's content stream: each known line redrawn cluster by cluster."""

    def __init__(
        self,
        doc: pikepdf.Pdf,
        page: pikepdf.Page,
        index: int,
        runs: list[TextRun],
        fonts: dict[tuple[int, int], _Font | None],
        langs: dict[tuple[int, int], str],
        report: TextFix,
    ) -> None:
        self.doc, self.index, self.runs, self.fonts = doc, index, runs, fonts
        self.langs, self.report = langs, report
        resources = page.obj.get("/Resources", Dictionary())
        self.resources = resources.get("/Font", Dictionary())
        self.page = page
        self.out: list = []
        # Text state the original stream sets (it survives lines): font, size, rise.
        self.font_name: str | None = None
        self.size = 0.0
        self.rise = 0.0
        # The line being redrawn.
        self.run: TextRun | None = None
        self.cluster = 0  # index of the run's next cluster
        self.pending: list[_Drawn] = []  # glyphs drawn by the original, not yet redrawn
        self.x = 0.0  # pen x of the original stream, from the line's start (text space)
        self.pen = 0.0  # pen x of the redrawn stream
        self.out_font: tuple[str, float] | None = None  # font and size the redrawn stream set
        self.ok = True

    def rewrite(self) -> list:
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
                    self._take(operands[0] if operator == "TJ" else [operands[0]])
                continue  # redrawn by _flush
            if self.run is not None and operator not in _TEXT_OPERATORS:
                self._flush()
            self.out.append(instruction)
            if operator == "Tm":
                self._open(float(operands[4]), float(operands[5]), mcids)
        self._close()
        self.report.unmatched += [f"page {self.index + 1}: {r.text[:40]!r}" for r in self.runs]
        return self.out

    def _open(self, x: float, y: float, mcids: list[int | None]) -> None:
        for i, run in enumerate(self.runs):
            if abs(run.x - x) < _POSITION_TOLERANCE and abs(run.y - y) < _POSITION_TOLERANCE:
                self.run = self.runs.pop(i)
                break
        else:
            return
        self.cluster, self.pending, self.x, self.pen, self.ok = 0, [], 0.0, 0.0, True
        self.out_font = None
        self.line_rise = self.rise  # the rise the redrawn line is drawn with
        props = Dictionary(ActualText=String(self.run.text))
        self.out.append(pikepdf.ContentStreamInstruction([Name.Span, props], Operator("BDC")))
        if self.run.lang:
            mcid = next((m for m in reversed(mcids) if m is not None), None)
            if mcid is not None:
                self.langs[(self.index, mcid)] = self.run.lang

    def _take(self, items: Sequence) -> None:
        """Follow the original pen over a TJ/Tj operand, noting each glyph it draws."""
        font = (
            _font(self.doc, self.resources.get(self.font_name), self.fonts)
            if self.font_name
            else None
        )
        for item in items:
            if isinstance(item, String):
                raw = bytes(item)
                if font is None or len(raw) % 2:
                    self._misaligned()
                    return
                for i in range(0, len(raw), 2):
                    gid = int.from_bytes(raw[i : i + 2], "big")
                    self.pending.append(_Drawn(self.font_name, self.size, gid, self.x, self.rise))
                    self.x += font.width(gid) / 1000 * self.size
            else:
                self.x -= float(item) / 1000 * self.size

    def _misaligned(self) -> None:
        if self.ok and self.run is not None:
            self.report.misaligned.append(f"page {self.index + 1}: {self.run.text[:40]!r}")
        self.ok = False

    def _flush(self) -> None:
        """Redraw the pending glyphs cluster by cluster: one TJ per font, numbers between."""
        if self.run is None or not self.pending:
            return
        pending, self.pending = self.pending, []
        if not self.ok:
            return
        array: list = []
        for drawn, text, room in self._clusters(pending):
            if drawn is None:
                self._misaligned()
                return
            font = _font(self.doc, self.resources.get(drawn[0].font), self.fonts)
            assert font is not None  # _take checked it
            size = drawn[0].size
            if self.out_font != (drawn[0].font, size):
                if array:
                    self.out.append(_tj(array))
                    array = []
                self.out.append(
                    pikepdf.ContentStreamInstruction([Name(drawn[0].font), size], Operator("Tf"))
                )
                self.out_font = (drawn[0].font, size)
            head, tail = _split_marks(text)
            code = self._code(font, drawn, head, room)
            mark = font.code(font.empty(), tail) if tail else 0
            if code is None or mark is None:
                self._misaligned()
                return
            origin = drawn[0].x
            shift = (origin - self.pen) * 1000 / size
            if abs(shift) > 1e-4:
                array.append(_number(-shift))
            array.append(String(code.to_bytes(2, "big")))
            if tail:  # drawn after the cluster, where it takes no room (see _split_marks)
                array.append(String(mark.to_bytes(2, "big")))
            self.pen = origin + font.width(font.gid_of[code]) / 1000 * size
        if array:
            self.out.append(_tj(array))

    def _clusters(self, pending: list[_Drawn]) -> Iterator[tuple[list[_Drawn] | None, str, float]]:
        """The pending glyphs cut into the run's next clusters, with each one's text and room.

        None instead of the glyphs where they are not the layout's (other glyphs, or a
        cluster split over two fonts): the caller then reports the line.
        """
        assert self.run is not None
        at = 0
        while at < len(pending):
            if self.cluster >= len(self.run.clusters):
                yield None, "", 0.0
                return
            gids, text, room = self.run.clusters[self.cluster]
            drawn = pending[at : at + len(gids)]
            if tuple(d.gid for d in drawn) != gids or len({(d.font, d.size) for d in drawn}) != 1:
                yield None, text, room
                return
            self.cluster += 1
            at += len(gids)
            yield drawn, text, room

    def _code(self, font: _Font, drawn: list[_Drawn], text: str, room: float) -> int | None:
        """The code for one cluster: its glyph, or a composite of its glyphs (see module doc).

        ``room`` is the cluster's advance as laid out (CSS px); a composite takes all of it.
        """
        first = drawn[0]
        spaced = room - sum(font.width(d.gid) for d in drawn) / 1000 * first.size
        tight = spaced < _GAP * first.size or text.isspace()  # a space may stay a space
        if len(drawn) == 1 and first.rise == self.line_rise and tight:
            return font.code(first.gid, text)
        scale = font.units / first.size
        parts = tuple(
            (d.gid, round((d.x - first.x) * scale), round((d.rise - self.line_rise) * scale))
            for d in drawn
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
            self.out.append(pikepdf.ContentStreamInstruction([_number(self.rise)], Operator("Ts")))
        if self.font_name and (self.font_name, self.size) != self.out_font:
            self.out.append(
                pikepdf.ContentStreamInstruction([Name(self.font_name), self.size], Operator("Tf"))
            )
        # The line's /ActualText span ends inside its text object, where it began: a span left
        # open swallowed the marked content after it, and MuPDF's search then placed a line's
        # text on the glyphs of the next (it found no name of the last signature block).
        self.out.append(pikepdf.ContentStreamInstruction([], Operator("EMC")))
        self.run = None


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


def _tj(array: list) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([Array(array)], Operator("TJ"))


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
