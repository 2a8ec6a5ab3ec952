"""Invisible line-break opportunities for scripts written without spaces between words.

Khmer and Lao separate phrases, not words, with spaces. Pango (WeasyPrint) finds no break
inside such a run, so a long sentence overflows the page. ICU's dictionary-based line breaker
knows the words; we insert U+200B ZERO WIDTH SPACE at each opportunity it finds inside a
Khmer or Lao run. Both renderers get the same text, Word and LibreOffice honour U+200B too,
and it is invisible, so search and copy still see the words. Break marks a Khmer typist put in
by hand are kept; none is doubled, since an opportunity is only added between two letters.
"""

from __future__ import annotations

import functools
import re

import icu

ZWSP = "\u200b"
LETTERS = {"km": "\u1780-\u17ff\u19e0-\u19ff", "lo": "\u0e80-\u0eff"}
"""Character ranges (for a regex class) of the scripts written without spaces between words."""
PARTNER_LETTERS = re.compile(f"[{''.join(LETTERS.values())}]")
"""Any Khmer or Lao letter: text that needs the partner fonts and break opportunities."""


@functools.cache
def _breaker(lang: str) -> icu.BreakIterator:
    return icu.BreakIterator.createLineInstance(icu.Locale(lang))


def segment(text: str, lang: str) -> str:
    """``text`` with U+200B at every line-break opportunity inside Khmer or Lao letters."""
    letters = LETTERS.get(lang)
    if letters is None:
        return text
    run = re.compile(f"[{letters}]")
    breaker = _breaker(lang)
    breaker.setText(text)
    # ICU works in UTF-16 code units; Khmer and Lao are in the BMP, but other text may not be.
    utf16 = text.encode("utf-16-le")
    out: list[str] = []
    start = 0
    for boundary16 in breaker:
        boundary = len(utf16[: boundary16 * 2].decode("utf-16-le"))
        out.append(text[start:boundary])
        start = boundary
        if 0 < boundary < len(text) and run.match(text[boundary - 1]) and run.match(text[boundary]):
            out.append(ZWSP)
    out.append(text[start:])
    return "".join(out)


def unsegment(text: str) -> str:
    """The text as the user wrote it (for comparisons in checks and tests)."""
    return text.replace(ZWSP, "")
