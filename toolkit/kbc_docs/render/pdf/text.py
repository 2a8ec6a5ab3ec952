"""Searchable Khmer and Lao in WeasyPrint's PDF: one character code per glyph occurrence.

WeasyPrint gives each glyph *one* text in the font's ToUnicode map, the text of the cluster it
first met it in. Khmer shares glyphs between clusters (the pre-base vowel ``េ``, the coeng-ro
``្រ``…) and draws some before the consonant they follow, so ``ខេត្តកំពត`` came back as
``ខេត្តកំព្រត``. Two fixes, each for a different kind of reader: every drawn line is wrapped in a
marked-content sequence whose ``/ActualText`` is the line's source text (poppler, Acrobat,
screen readers read that), and every glyph *occurrence* gets a character code of its own when
its text differs from the first one's, so that tools that only read ToUnicode (pypdf, pdfminer)
also get the right text in the right order. Same font file, same glyphs: a ``/CIDToGIDMap``
maps the extra codes back to the glyph.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String

# WeasyPrint writes the text matrix (Tm) with six decimals of the layout's position in CSS px:
# a line's text is found from where it is drawn.
_POSITION_TOLERANCE = 1e-3


_MAX_CODE = 0xFFFF  # Identity-H codes are two bytes
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


@dataclass(frozen=True)
class TextRun:
    """One drawn line of one text box, as the layout knows it.

    ``x``/``y`` are where WeasyPrint sets the text matrix (CSS px, from the page's top left;
    the baseline), which is how the run is found in the page's content stream. ``text`` is the
    source text of the line (U+200B break marks removed). ``glyphs`` lists the glyphs in
    drawing order with the text each should extract as: a cluster's text shared among its
    glyphs so that, in drawing order, they spell it in logical order.
    """

    page: int
    x: float
    y: float
    text: str
    lang: str | None
    glyphs: tuple[tuple[int, str], ...]


@dataclass
class TextFix:
    """What :func:`finish_pdf` did to the text: how many lines, which could not be matched."""

    runs: int = 0
    actual_text: int = 0
    remapped_glyphs: int = 0
    extra_codes: int = 0
    unmatched: list[str] = field(default_factory=list)  # runs not found in the content stream
    misaligned: list[str] = field(default_factory=list)  # runs whose glyphs differ from layout


def _flate(doc: pikepdf.Pdf, data: bytes, **keys: pikepdf.Object) -> pikepdf.Stream:
    """A new stream holding ``data`` deflated (deterministic: zlib has no timestamps)."""
    stream = pikepdf.Stream(doc, b"", **keys)
    stream.write(zlib.compress(data, 9), filter=Name.FlateDecode)
    return stream


@dataclass
class _FontCodes:
    """Character codes of one Type0 font: the text of each, and the extra codes allocated."""

    font: pikepdf.Dictionary
    to_unicode: dict[int, str]
    widths: dict[int, float]
    next_code: int
    extra: dict[tuple[int, str], int] = field(default_factory=dict)
    dirty: bool = False

    def code_for(self, gid: int, text: str) -> int | None:
        """The code that draws glyph ``gid`` and extracts as ``text``; None if out of codes."""
        current = self.to_unicode.get(gid)
        if current is None:
            self.to_unicode[gid] = text
            self.dirty = True
            return gid
        if current == text:
            return gid
        code = self.extra.get((gid, text))
        if code is None:
            if self.next_code > _MAX_CODE or gid not in self.widths:
                return None
            code = self.next_code
            self.next_code += 1
            self.extra[(gid, text)] = code
            self.to_unicode[code] = text
            self.widths[code] = self.widths[gid]
            self.dirty = True
        return code


def fix_text(doc: pikepdf.Pdf, runs: Sequence[TextRun], report: TextFix) -> None:
    """Wrap each known line in ``/Span <</ActualText …>> BDC … EMC`` and re-code its glyphs."""
    by_page: dict[int, list[TextRun]] = {}
    for run in runs:
        by_page.setdefault(run.page, []).append(run)
    report.runs += len(runs)
    fonts: dict[tuple[int, int], _FontCodes | None] = {}
    langs: dict[tuple[int, int], str] = {}  # (page, MCID) → language, for the structure tree
    for index, page in enumerate(doc.pages):
        page_runs = by_page.pop(index, [])
        if not page_runs:
            continue
        new = _fix_page(doc, page, index, page_runs, fonts, langs, report)
        page.Contents = _flate(doc, pikepdf.unparse_content_stream(new))
    left = [run for page_runs in by_page.values() for run in page_runs]
    report.unmatched += [f"page {r.page + 1}: {r.text[:40]!r}" for r in left]
    for codes in fonts.values():
        if codes is not None and codes.dirty:
            _rewrite_font(doc, codes)
            report.extra_codes += len(codes.extra)
    _set_structure_languages(doc, langs)


def _fix_page(
    doc: pikepdf.Pdf,
    page: pikepdf.Page,
    index: int,
    page_runs: list[TextRun],
    fonts: dict[tuple[int, int], _FontCodes | None],
    langs: dict[tuple[int, int], str],
    report: TextFix,
) -> list:
    resources = page.obj.get("/Resources", Dictionary())
    font_resources = resources.get("/Font", Dictionary())
    out: list = []
    mcids: list[int | None] = []  # open marked-content sequences, innermost last
    run: TextRun | None = None
    cursor = 0
    aligned = True
    codes: _FontCodes | None = None
    saved: list[_FontCodes | None] = []  # the font is graphics state: q saves it, Q restores it

    def close_run() -> None:
        nonlocal run
        if run is None:
            return
        out.append(pikepdf.ContentStreamInstruction([], Operator("EMC")))
        if aligned and cursor != len(run.glyphs):
            report.misaligned.append(f"page {index + 1}: {run.text[:40]!r}")
        run = None

    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operands, operator = instruction.operands, str(instruction.operator)
        if operator in ("Tm", "ET", "EMC"):
            close_run()
        if operator == "BDC":
            props = operands[1] if len(operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
            mcids.append(int(mcid) if mcid is not None else None)
        elif operator == "BMC":
            mcids.append(None)
        elif operator == "EMC" and mcids:
            mcids.pop()
        elif operator == "Tf":
            codes = _font_codes(doc, font_resources.get(str(operands[0])), fonts)
        elif operator == "q":
            saved.append(codes)
        elif operator == "Q" and saved:
            codes = saved.pop()
        if operator in ("TJ", "Tj") and run is not None and aligned and codes is not None:
            operands, cursor, aligned = _recode(operands, operator, run, cursor, codes, report)
            if not aligned:
                report.misaligned.append(f"page {index + 1}: {run.text[:40]!r}")
            instruction = pikepdf.ContentStreamInstruction(operands, Operator(operator))
        out.append(instruction)
        if operator == "Tm":
            run = _take_run(page_runs, float(operands[4]), float(operands[5]))
            if run is not None:
                cursor, aligned = 0, True
                props = Dictionary(ActualText=String(run.text))
                if run.lang:
                    props.Lang = String(run.lang)
                    mcid = next((m for m in reversed(mcids) if m is not None), None)
                    if mcid is not None:
                        langs[(index, mcid)] = run.lang
                out.append(pikepdf.ContentStreamInstruction([Name.Span, props], Operator("BDC")))
                report.actual_text += 1
    close_run()
    report.unmatched += [f"page {index + 1}: {r.text[:40]!r}" for r in page_runs]
    return out


def _take_run(runs: list[TextRun], x: float, y: float) -> TextRun | None:
    """Remove and return the run the layout put at ``x``, ``y`` (the first, if several)."""
    for i, run in enumerate(runs):
        if abs(run.x - x) < _POSITION_TOLERANCE and abs(run.y - y) < _POSITION_TOLERANCE:
            return runs.pop(i)
    return None


def _recode(
    operands: list,
    operator: str,
    run: TextRun,
    cursor: int,
    codes: _FontCodes,
    report: TextFix,
) -> tuple[list, int, bool]:
    """Give each glyph of a TJ/Tj operand the code that extracts as its cluster text.

    The glyphs must be the layout's, in the same order; otherwise the run is left as it is
    (``aligned`` False) rather than given wrong text.
    """
    items = list(operands[0]) if operator == "TJ" else [operands[0]]
    new_items: list = []
    for item in items:
        if not isinstance(item, String):
            new_items.append(item)
            continue
        raw = bytes(item)
        recoded = bytearray()
        for i in range(0, len(raw) - 1, 2):
            gid = int.from_bytes(raw[i : i + 2], "big")
            if cursor >= len(run.glyphs) or run.glyphs[cursor][0] != gid:
                return operands, cursor, False
            code = codes.code_for(gid, run.glyphs[cursor][1])
            if code is None:
                return operands, cursor, False
            if code != gid:
                report.remapped_glyphs += 1
            recoded += code.to_bytes(2, "big")
            cursor += 1
        new_items.append(String(bytes(recoded)))
    if operator == "TJ":
        return [Array(new_items)], cursor, True
    return [new_items[0]], cursor, True


def _font_codes(
    doc: pikepdf.Pdf, font: pikepdf.Object | None, fonts: dict[tuple[int, int], _FontCodes | None]
) -> _FontCodes | None:
    """The code table of a Type0 Identity-H font with a TrueType descendant, else None."""
    if font is None or not font.is_indirect:
        return None
    key = font.objgen
    if key in fonts:
        return fonts[key]
    codes = None
    if (
        font.get("/Subtype") == Name.Type0
        and font.get("/Encoding") == Name("/Identity-H")
        and "/ToUnicode" in font
    ):
        descendant = font.DescendantFonts[0]
        if descendant.get("/CIDToGIDMap") == Name.Identity:
            to_unicode = _parse_to_unicode(font.ToUnicode.read_bytes())
            widths = _parse_widths(descendant.get("/W", Array()))
            top = max([*to_unicode, *widths, 0])
            codes = _FontCodes(font, to_unicode, widths, next_code=top + 1)
    fonts[key] = codes
    return codes


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    """The ``bfchar`` mappings of a ToUnicode CMap as WeasyPrint writes it (no ranges)."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return mapping


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


def _rewrite_font(doc: pikepdf.Pdf, codes: _FontCodes) -> None:
    """Write the font's new ToUnicode, widths and CID-to-glyph map (same font program)."""
    font = codes.font
    descendant = font.DescendantFonts[0]
    gid_of = {code: gid for (gid, _), code in codes.extra.items()}
    top = max(codes.widths)
    cid_to_gid = bytearray()
    for code in range(top + 1):
        cid_to_gid += gid_of.get(code, code).to_bytes(2, "big")
    descendant.CIDToGIDMap = _flate(doc, bytes(cid_to_gid))
    w = Array()
    run: Array | None = None
    for code in sorted(codes.widths):
        if run is None or code - 1 not in codes.widths:
            run = Array()
            w.append(code)
            w.append(run)
        width = codes.widths[code]
        run.append(int(width) if float(width).is_integer() else width)
    descendant.W = w
    font.ToUnicode = _flate(doc, _to_unicode_cmap(codes.to_unicode))


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
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for code, text in batch:
            lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


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
