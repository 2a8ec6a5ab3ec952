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


# Signs that close a word and never begin a line: Khmer ។ ៕ ៖ ៗ ៘ ៙ ៚ and Lao ໆ.
NO_LINE_START = "\u17d4-\u17da\u0ec6"


def segment(text: str, lang: str, keep: tuple[str, ...] = ()) -> str:
    """``text`` with U+200B at every line-break opportunity inside Khmer or Lao letters.

    ``keep`` lists proper names (places, people) that ICU's dictionary does not know and would
    cut anywhere, even inside a syllable ("ខេ|ត្ត|គៀ|នយ៉ាង"): none is broken, and each is a
    word of its own, with opportunities at both ends. No line starts with a closing sign
    (:data:`NO_LINE_START`), whatever the dictionary says.
    """
    letters = LETTERS.get(lang)
    if letters is None:
        return text
    run = re.compile(f"[{letters}]")
    no_start = re.compile(f"[{NO_LINE_START}]")
    # The text between names is segmented on its own: next to a word it does not know, ICU's
    # dictionary also misreads the known one ("ខេត្ត" before "គៀនយ៉ាង" becomes "ខេ|ត្ត").
    opportunities: set[int] = set()
    cursor = 0
    for start, end in [*sorted(_spans(text, keep)), (len(text), len(text))]:
        opportunities |= {cursor + b for b in _icu_boundaries(text[cursor:start], lang)}
        opportunities |= {start, end}
        cursor = end
    out: list[str] = []
    start = 0
    for at in sorted(opportunities):
        if not 0 < at < len(text):
            continue
        if run.match(text[at - 1]) and run.match(text[at]) and not no_start.match(text[at]):
            out += [text[start:at], ZWSP]
            start = at
    out.append(text[start:])
    return "".join(out)


def _icu_boundaries(text: str, lang: str) -> list[int]:
    """ICU's line-break opportunities in ``text`` as string indices."""
    breaker = _breaker(lang)
    breaker.setText(text)
    # ICU works in UTF-16 code units; Khmer and Lao are in the BMP, but other text may not be.
    utf16 = text.encode("utf-16-le")
    return [len(utf16[: b * 2].decode("utf-16-le")) for b in breaker]


def _spans(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the ``names`` occur in ``text``, longest name first, without overlaps."""
    taken: list[tuple[int, int]] = []
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            span = match.span()
            if all(span[1] <= s or span[0] >= e for s, e in taken):
                taken.append(span)
    return taken


def unsegment(text: str) -> str:
    """The text as the user wrote it (for comparisons in checks and tests)."""
    return text.replace(ZWSP, "")
