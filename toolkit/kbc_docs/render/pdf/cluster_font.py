"""One embedded font of the PDF's text layer: a code per drawn cluster, and a clean name.

WeasyPrint embeds each font as a Type0 font with Identity-H codes equal to glyph ids and one
ToUnicode text per glyph. :class:`ClusterFont` gives :mod:`kbc_docs.render.pdf.text` the code
that draws a glyph *and* extracts as a given text: the glyph's own code for its first text, a
new code (drawing the same glyph through the CID-to-glyph map) for any other, and new
composite TrueType glyphs for clusters drawn with several glyphs. :meth:`ClusterFont.write`
then writes the font program, widths, CID-to-glyph map and ToUnicode map back.
:func:`name_fonts` gives every font a subset tag derived from its program and a clean name.
Same input, same bytes: nothing depends on a clock or on dictionary order.
"""

from __future__ import annotations

import array
import hashlib
import io
import re
import sys
import zlib
from collections.abc import Mapping

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent
from pikepdf import Array, Dictionary, Name

from kbc_docs import cache

__all__ = ["ClusterFont", "flate", "font_of", "name_fonts", "pdf_number"]

_MAX_CODE = 0xFFFF  # Identity-H codes and TrueType glyph ids are two bytes
_ARGS_ARE_XY_VALUES = 0x0002  # TrueType composite flag: the offsets are x, y in font units


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


def flate(doc: pikepdf.Pdf, data: bytes, **keys: pikepdf.Object) -> pikepdf.Stream:
    """A new stream holding ``data`` deflated (deterministic: zlib has no timestamps).

    zlib's default level, as qpdf deflates the rest of the file: level 9 took twice the time
    for 2 % less (the pages' content streams and the font programs of the example report).
    """
    stream = pikepdf.Stream(doc, b"", **keys)
    stream.write(zlib.compress(data), filter=Name.FlateDecode)
    return stream


class ClusterFont:
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
        # Only the table directory, 'head' and 'maxp' are read here: the glyph order (which
        # WeasyPrint's subsets make up from 'cmap', with the Adobe Glyph List) is needed only
        # to build composites, and the font program is mostly in the disk cache.
        self.ttf = TTFont(io.BytesIO(self.original), recalcTimestamp=False)
        self.units = self.ttf["head"].unitsPerEm
        self.glyphs = self.ttf["maxp"].numGlyphs  # WeasyPrint's glyphs; composites come after
        self.names: dict[int, str] = {}  # glyph id → name of each glyph added
        self.first_extra = self.next_code = max([self.glyphs, *self.widths]) + 1
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
        if "glyf" not in self.ttf or self._next_gid() > _MAX_CODE:
            return None
        gid = self._add_glyph("kbc.cluster")
        self.composite_widths[gid] = advance * 1000 / self.units
        self.composites[key] = gid
        return gid

    def empty(self) -> int:
        """The id of a glyph that draws nothing and takes no room (added once)."""
        key = ((), 0)
        gid = self.composites.get(key)
        if gid is None:
            gid = self._add_glyph("kbc.empty")
            self.composite_widths[gid] = 0.0
            self.composites[key] = gid
        return gid

    def _next_gid(self) -> int:
        return self.glyphs + len(self.names)

    def _add_glyph(self, prefix: str) -> int:
        gid = self._next_gid()
        self.names[gid] = f"{prefix}{gid}"
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
        order = [*self.ttf.getGlyphOrder(), *self.names.values()]
        self.ttf.setGlyphOrder(order)
        glyf, hmtx = self.ttf["glyf"], self.ttf["hmtx"]
        bounds_done: set[str] = set()  # glyphs whose bounds are known (the components)
        for (parts, advance), gid in self.composites.items():
            name = order[gid]
            glyph = Glyph()
            glyph.numberOfContours = -1 if parts else 0
            if parts:
                glyph.components = []
            for part, x, y in parts:
                component = GlyphComponent()
                component.glyphName = order[part]
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
            descriptor.FontFile2 = flate(doc, program, Length1=len(program))
        top = max([*self.gid_of, *self.widths, 0])
        # Each code draws its own glyph, or the one given it; codes past the font's glyphs
        # and given none draw glyph 0.
        gids = array.array("H", range(min(top + 1, self.glyphs)))
        gids.extend([0] * (top + 1 - len(gids)))
        for code, gid in self.gid_of.items():
            gids[code] = gid
        if sys.byteorder == "little":
            gids.byteswap()  # big-endian, two bytes a code
        self.descendant.CIDToGIDMap = flate(doc, gids.tobytes())
        drawn = set(self.gid_of)
        self.descendant.W = _widths_array(
            {c: w for c, w in self.widths.items() if c in drawn or c < self.first_extra}
        )
        self.font.ToUnicode = flate(doc, _to_unicode_cmap(self.to_unicode))


def font_of(
    doc: pikepdf.Pdf, font: pikepdf.Object | None, fonts: dict[tuple[int, int], ClusterFont | None]
) -> ClusterFont | None:
    """The :class:`ClusterFont` of a Type0 Identity-H TrueType font resource, else None."""
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
        fonts[key] = ClusterFont(font) if ok else None
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


def pdf_number(value: float) -> int | float:
    """A PDF number: an integer when it is one, else rounded to 4 decimals (deterministic)."""
    value = round(value, 4)
    return int(value) if value.is_integer() else value


def _widths_array(widths: Mapping[int, float]) -> pikepdf.Array:
    """``/W``: each run of consecutive codes as its first code and its widths."""
    w: list = []
    run: list = []
    previous = None
    for code in sorted(widths):
        if code - 1 != previous:
            run = []
            w += [code, run]
        run.append(pdf_number(widths[code]))
        previous = code
    return Array([Array(item) if isinstance(item, list) else item for item in w])


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
