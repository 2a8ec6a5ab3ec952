"""Which hand-checked Khmer/Lao words a PDF cuts at a line end, read from its text lines.

Works on any PDF whose text extracts in logical order (the kbc-docs PDF, LibreOffice's PDF of
the Word file), through PyMuPDF. Text pieces on one baseline that touch or nearly touch make a
line; the line that continues it is the nearest one below that overlaps it horizontally (so the
columns of a signature table or of a parallel layout each go on in their own column). Where a
line ends in Khmer or Lao letters and the next begins with them, the two pieces are joined and,
if that joined text is in one of the document's paragraphs (so the two lines really are one
text), every gold word that straddles the join is a word cut at the line end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from kbc_docs.text.segment import LETTERS, unsegment

_GAP = 1.5  # font sizes: pieces closer than this on one baseline are one line (LibreOffice
# writes a Khmer line as several pieces, apart where a vowel is drawn before its consonant)
_REACH = 24  # letters on either side of a line end that are checked (the longest listed word
# is shorter; fewer letters also meet fewer glyphs a PDF maps back to the wrong text)
_BASELINE = 2.0  # points: pieces whose baselines differ less are on one baseline


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    y: float
    size: float
    text: str


@dataclass(frozen=True)
class Cut:
    """A listed word split over two lines."""

    word: str
    page: int  # 1-based
    end: str  # the end of the first line
    start: str  # the start of the next


def text_lines(pdf: Path) -> list[_Line]:
    """The visual lines of every page, top to bottom, left to right."""
    out: list[_Line] = []
    with pymupdf.open(pdf) as document:
        for number, page in enumerate(document, 1):
            pieces = [
                span
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
                if line["dir"] == (1.0, 0.0)
                for span in line["spans"]
                if span["text"].strip()
            ]
            pieces.sort(key=lambda s: (round(s["origin"][1]), s["bbox"][0]))
            lines: list[_Line] = []
            for span in pieces:
                x0, _, x1, _ = span["bbox"]
                y = span["origin"][1]
                same = next(
                    (
                        ln
                        for ln in lines
                        if abs(ln.y - y) < _BASELINE
                        and -_GAP * ln.size < x0 - ln.x1 < _GAP * ln.size
                    ),
                    None,
                )
                if same is None:
                    lines.append(_Line(number, x0, x1, y, span["size"], span["text"]))
                else:
                    same.text += span["text"]
                    same.x1 = max(same.x1, x1)
            out += sorted(lines, key=lambda ln: (ln.y, ln.x0))
    return out


def cut_words(pdf: Path, paragraphs: Iterable[str], words: Iterable[str], lang: str) -> list[Cut]:
    """The ``words`` (of ``lang``) that ``pdf`` splits over two lines of one of ``paragraphs``."""
    units = [w for w in words if w]
    cuts: list[Cut] = []
    for page, end, start in line_joins(pdf, paragraphs, lang):
        joined = end + start
        found = [m.span() for w in units for m in re.finditer(re.escape(w), joined)]
        for word in units:
            for match in re.finditer(re.escape(word), joined):
                a, b = match.span()
                # As in the gold scoring: a unit that straddles a longer listed word is part
                # of that word's neighbourhood, not an occurrence ("វិធាន|ការបង្ការ").
                if any(s < a < e < b or a < s < b < e for s, e in found):
                    continue
                if a < len(end) < b:
                    cuts.append(Cut(word, page, end, start))
    return cuts


def line_joins(pdf: Path, paragraphs: Iterable[str], lang: str) -> list[tuple[int, str, str]]:
    """Every line end of ``pdf`` between two Khmer/Lao letters of one of ``paragraphs``: its
    page, the letters that end the line and those that start the next (the places
    :func:`cut_words` checks; a test that finds none proves nothing)."""
    letters = LETTERS[lang]
    tail = re.compile(f"[{letters}]+$")
    head = re.compile(f"^[{letters}]+")
    texts = [unsegment(p) for p in paragraphs]
    lines = text_lines(pdf)
    out = []
    for line in lines:
        end = tail.search(unsegment(line.text).rstrip())
        below = [
            m
            for m in lines
            if m.page == line.page
            and 0 < m.y - line.y < 2.5 * line.size
            and m.x0 < line.x1
            and m.x1 > line.x0
        ]
        if end is None or not below:
            continue
        start = head.search(unsegment(min(below, key=lambda m: (m.y, m.x0)).text).lstrip())
        if start is None:
            continue
        before, after = end.group()[-_REACH:], start.group()[:_REACH]
        if any(before + after in t for t in texts):
            out.append((line.page, before, after))
    return out
