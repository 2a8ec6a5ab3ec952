"""Short rules in the Word file, as long as Decree 30 says relative to the line above them.

Decree 30 measures its rules against the text: the motto's rule is as long as the motto, the
rules under the issuing body and under the abstract are 1/3 to 1/2 of their line. A rule is an
empty "KBC Rule" paragraph whose bottom border spans its width; its left and right indents set
that width. Word cannot shrink a border to the text, so the renderer measures the text above
(harfbuzz-shaped, in the fonts and sizes the template gives it, wrapped as Word would wrap it)
and writes the indents. The PDF reaches the same length with a shrink-to-fit box (style.css).

The template stays the source of truth for everything else: which paragraph is a rule, its
border, spacing, and the fonts and sizes measured. A rule after a paragraph of another style,
or whose text cannot be measured (a font that is not installed), keeps the template's indents.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import uharfbuzz as hb
from lxml import etree

from kbc_docs.errors import FontError
from kbc_docs.render.docx.fonts import metric_file
from kbc_docs.render.docx.ooxml import (
    NS,
    PPR_ORDER,
    Styles,
    child_in_order,
    first_toggle,
    first_val,
    w,
)
from kbc_docs.text.segment import PARTNER_LETTERS

# Style name of the paragraph above a rule → the rule's length as a share of that text's
# longest line (the middle of Decree 30's 1/3 to 1/2 where it gives a range).
RULE_SHARE = {
    "KBC Motto": 1.0,
    # The Party's title has no motto; its rule is as long as the title (Hướng dẫn 36-HD/VPTW).
    "KBC National Title": 1.0,
    "KBC Parallel National Title": 1.0,
    "KBC Parallel Motto": 1.0,
    "KBC Issuer Body": 0.4,
    "KBC Title": 0.4,
    "KBC Parallel Title": 0.4,
}
_RULE_STYLE = "KBC Rule"
_DEFAULT_CELL_MARGIN = 108  # twips: Word's left and right cell margin when a table sets none
_TWIPS_PER_PT = 20


@dataclass(frozen=True)
class _Piece:
    """Text drawn in one font at one size."""

    text: str
    family: str
    bold: bool
    size_pt: float


def fit_rules(root: etree._Element, styles: Styles) -> None:
    """Set the indents of every rule that follows a paragraph :data:`RULE_SHARE` knows."""
    section_widths = _section_text_widths(root)
    for rule in root.iter(w("p")):
        if styles.name(styles.paragraph_style(rule)) != _RULE_STYLE:
            continue
        above = rule.getprevious()
        if above is None or above.tag != w("p"):
            continue
        share = RULE_SHARE.get(styles.name(styles.paragraph_style(above)))
        if share is None:
            continue
        room = _room(rule, styles, section_widths, indents=False)
        try:
            longest = _longest_line(above, styles, _room(above, styles, section_widths))
        except FontError:
            continue
        if not longest or not room:
            continue
        length = min(room, longest * share)
        side = str(round((room - length) / 2))
        ppr = rule.find("w:pPr", NS)
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            rule.insert(0, ppr)
        ind = child_in_order(ppr, "ind", PPR_ORDER)
        for name in ("left", "right", "start", "end", "hanging", "firstLine"):
            ind.attrib.pop(w(name), None)
        ind.set(w("left"), side)
        ind.set(w("right"), side)


def _section_text_widths(root: etree._Element) -> dict[etree._Element, int]:
    """Each body paragraph's section text width in twips (page width less its margins)."""
    body = root.find("w:body", NS)
    if body is None:
        return {}
    out: dict[etree._Element, int] = {}
    pending: list[etree._Element] = []
    for p in body.iter(w("p")):
        pending.append(p)
        sect = p.find("w:pPr/w:sectPr", NS)
        if sect is not None:
            out.update(dict.fromkeys(pending, _text_width(sect)))
            pending = []
    last = body.find("w:sectPr", NS)
    if last is not None:
        out.update(dict.fromkeys(pending, _text_width(last)))
    return out


def _text_width(sect: etree._Element) -> int:
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    if size is None or margins is None:
        return 0
    return _twips(size, "w") - _twips(margins, "left") - _twips(margins, "right")


def _twips(element: etree._Element | None, attr: str) -> int:
    value = element.get(w(attr), "0") if element is not None else "0"
    return int(value) if value.lstrip("-").isdigit() else 0


def _room(
    p: etree._Element,
    styles: Styles,
    section_widths: dict[etree._Element, int],
    indents: bool = True,
) -> int:
    """The width in twips ``p``'s lines may fill: its table cell's or section's, less indents."""
    cell = next(p.iterancestors(w("tc")), None)
    if cell is not None:
        table = next(cell.iterancestors(w("tbl")))
        width = _cell_width(cell, table)
        for side, alias in (("left", "start"), ("right", "end")):
            margin = next(
                (
                    found
                    for found in (
                        cell.find(f"w:tcPr/w:tcMar/w:{side}", NS),
                        cell.find(f"w:tcPr/w:tcMar/w:{alias}", NS),
                        table.find(f"w:tblPr/w:tblCellMar/w:{side}", NS),
                        table.find(f"w:tblPr/w:tblCellMar/w:{alias}", NS),
                    )
                    if found is not None
                ),
                None,
            )
            width -= _twips(margin, "w") if margin is not None else _DEFAULT_CELL_MARGIN
    else:
        width = section_widths.get(p, 0)
    if indents:
        levels = [
            *([ppr] if (ppr := p.find("w:pPr", NS)) is not None else []),
            *styles.chain(styles.paragraph_style(p), "pPr"),
        ]
        for side, alias in (("left", "start"), ("right", "end")):
            ind = next((i for lv in levels if (i := lv.find("w:ind", NS)) is not None), None)
            width -= max(_twips(ind, side) or _twips(ind, alias), 0)
    return max(width, 0)


def _cell_width(cell: etree._Element, table: etree._Element) -> int:
    """A cell's width in twips: its grid columns (what Word lays out), else its own ``tcW``."""
    grid = [_twips(col, "w") for col in table.iterfind("w:tblGrid/w:gridCol", NS)]
    column = sum(_span(before) for before in cell.itersiblings(w("tc"), preceding=True))
    if column + _span(cell) <= len(grid):
        return sum(grid[column : column + _span(cell)])
    return _twips(cell.find("w:tcPr/w:tcW", NS), "w")


def _span(cell: etree._Element) -> int:
    """How many grid columns a cell spans."""
    return max(_twips(cell.find("w:tcPr/w:gridSpan", NS), "val"), 1)


def _longest_line(p: etree._Element, styles: Styles, room: int) -> float:
    """The width in twips of the longest line of ``p`` when its text wraps in ``room``.

    Greedy, like Word: a line ends at the last space or U+200B before the text would overflow;
    the spaces at its end do not count; a word longer than the room fills its own line.
    """
    text, advances = "", []
    for piece in _pieces(p, styles):
        text += piece.text
        advances += _advances(piece)
    longest = line = visible = 0.0  # visible: the line without its trailing spaces
    start = 0
    for match in re.finditer(r"[ \u200b]+|\n|\Z", text):
        word = sum(advances[start : match.start()])
        gap = sum(advances[match.start() : match.end()])
        start = match.end()
        if visible and line + word > room:
            longest, line = max(longest, visible), 0.0
        line += word
        visible = line
        line += gap
        if match.group() == "\n":
            longest, line, visible = max(longest, visible), 0.0, 0.0
    return min(max(longest, visible), room)


def _pieces(p: etree._Element, styles: Styles) -> list[_Piece]:
    """The text of ``p`` split where font or size change, line breaks as ``\\n``."""
    psid = styles.paragraph_style(p)
    out: list[_Piece] = []
    for run in p.iter(w("r")):
        levels = styles.run_levels(run, psid)
        for child in run:
            if child.tag == w("t"):
                text = child.text or ""
            elif child.tag in (w("br"), w("cr")):
                text = "\n"
            else:
                continue
            for chunk in filter(None, re.split(f"({PARTNER_LETTERS.pattern}+)", text)):
                cs = bool(PARTNER_LETTERS.match(chunk))
                family = _first_font(levels, "cs" if cs else "ascii")
                size = first_val(levels, "szCs" if cs else "sz")
                if not family or size is None:
                    raise FontError("no font or size to measure with")
                bold = first_toggle(levels, "bCs" if cs else "b")
                out.append(_Piece(chunk, family, bold, size / 2))
    return out


def _first_font(levels: list[etree._Element], attr: str) -> str | None:
    """A font attribute of ``w:rFonts``: each one is inherited on its own, level by level."""
    for level in levels:
        found = level.find("w:rFonts", NS)
        if found is not None and found.get(w(attr)):
            return found.get(w(attr))
    return None


def _advances(piece: _Piece) -> list[float]:
    """Each character's share of the shaped width in twips (a cluster's width on its first)."""
    if piece.text == "\n":
        return [0.0]
    font, upem = _font(piece.family, piece.bold)
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(c) for c in piece.text])
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    scale = piece.size_pt * _TWIPS_PER_PT / upem
    out = [0.0] * len(piece.text)
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        out[info.cluster] += position.x_advance * scale
    return out


@functools.cache
def _font(family: str, bold: bool) -> tuple[hb.Font, int]:
    """A harfbuzz font for ``family`` as fontconfig would draw it (bold: its bold face)."""
    face = hb.Face(hb.Blob.from_file_path(str(metric_file(family, bold))))
    return hb.Font(face), face.upem
