"""Synthetic bold for faces with one weight, as Word and LibreOffice print them.

Phetsarath OT, the Lao government's standard face, has one weight. Word prints its bold runs
(Lao headings, the national title, signers' names) emboldened; WeasyPrint, which draws the
font file's outlines itself, drew them regular, so the PDF's Lao headings looked like body
text. Word's and LibreOffice's PDF export embolden such a face by stroking the outline as
well as filling it (text rendering mode 2, PDF 32000-1 §9.3.6); this does the same for every
bold text whose font has no bold weight, with FreeType's emboldening strength (an outline
em/24 wider, ``FT_GlyphSlot_Embolden``). The glyphs and their text are unchanged.
"""

from __future__ import annotations

import io
from typing import Any

from fontTools.ttLib import TTFont

from kbc_docs.render.pdf.weasy import draw_module, draw_text_module

__all__ = ["EMBOLDEN", "install_synthetic_bold"]


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
