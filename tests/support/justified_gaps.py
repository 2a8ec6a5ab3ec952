"""The widest gap of every justified line of a PDF, measured on the drawn glyphs.

Shared by ``tests/render/pdf/test_justify.py`` (no gap wider than twice the normal space) and
``benchmarks/bench_justify.py`` (prints the figures). A gap is the empty space between two inked
glyphs of a line: at a space it is the space's own advance plus what justification added. The
normal space is the advance of the space in the font and size of the line's Khmer or Lao glyphs
(read from the font file fontconfig has for the PDF's font name). Vietnamese lines are measured
the same way on their Latin letters (``letters=VIETNAMESE``). A line is justified when it
reaches the right edge of the text (within 2 pt); the last line of a paragraph does not, and is
left alone.
"""

from __future__ import annotations

import functools
import itertools
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from support.form_pages import PARTNER, pdf_chars

BLANK = {" ", "\u00a0", "\u200b", ""}
VIETNAMESE = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
"""The letters of a Vietnamese line (Latin, with Vietnamese's accented letters)."""


@dataclass(frozen=True)
class Gap:
    page: int
    text: str
    widest: float
    space: float

    @property
    def ratio(self) -> float:
        return self.widest / self.space


def justified_gaps(pdf: Path, letters: re.Pattern[str] = PARTNER) -> list[Gap]:
    """The widest gap of each justified line holding ``letters`` (by default Khmer or Lao)."""
    out: list[Gap] = []
    for page_no, chars in enumerate(pdf_chars(pdf), start=1):
        lines = _baselines(chars)
        if not any(letters.match(c["text"]) for line in lines for c in line):
            continue
        right = max(c["x1"] for c in chars)
        for line in lines:
            script = [c for c in line if letters.match(c["text"])]
            if max(c["x1"] for c in line) < right - 2 or len(script) < 10:
                continue
            font = statistics.mode(c["fontname"].split("+", 1)[-1] for c in script)
            size = statistics.mode(round(c["size"], 2) for c in script)
            space = _space_advance(font) * size
            text = "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
            out.append(Gap(page_no, text, _widest_gap(line), space))
    return out


def _baselines(chars: list[dict]) -> list[list[dict]]:
    """The page's glyphs grouped by baseline (the glyph origin's y), within a quarter em.

    pdfplumber's own line grouping puts Latin digits inside a Khmer line on a line of their
    own (their boxes differ), which would leave a false hole where they stand.
    """
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: -c["matrix"][5]):
        if lines and abs(lines[-1][0]["matrix"][5] - char["matrix"][5]) < char["size"] / 4:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


@functools.cache
def _space_advance(pdf_font: str) -> float:
    """The space's advance, in em, of the font a PDF font name ("Khmer-OS-Siemreap") stands for."""
    family = pdf_font.replace("-", " ")
    file = subprocess.run(
        ["fc-match", "--format=%{file}", family], check=True, capture_output=True, text=True
    ).stdout
    font = TTFont(file, lazy=True)
    glyph = font.getBestCmap()[0x20]
    return font["hmtx"][glyph][0] / font["head"].unitsPerEm


def _widest_gap(line: list[dict]) -> float:
    ink = sorted((c for c in line if c["text"] not in BLANK), key=lambda c: c["x0"])
    widest = 0.0
    reach = ink[0]["x1"]
    for char in ink[1:]:
        if char["x1"] - char["x0"] > 0.01:  # a base glyph, not a mark drawn over the last one
            widest = max(widest, char["x0"] - reach)
        reach = max(reach, char["x1"])
    return widest


@dataclass(frozen=True)
class Short:
    """A line of a justified paragraph that stops short of the right edge."""

    page: int
    text: str
    missing: float  # points to the right edge


def short_lines(pdf: Path) -> list[Short]:
    """Khmer/Lao lines that end more than an em short of the right edge although their
    paragraph goes on.

    Distributed justification widens no gap beyond two spaces; a line whose next word is long
    (a name kept whole) and that has too few gaps to take up the rest stays short. A line counts
    when the next baseline is one line below and begins at the left edge of the text (a new
    paragraph is indented, a heading centred); lines in tables and signature blocks, which do
    not begin at the left edge, are not counted.
    """
    out: list[Short] = []
    for page_no, chars in enumerate(pdf_chars(pdf), start=1):
        lines = _baselines(chars)
        if not any(PARTNER.match(c["text"]) for line in lines for c in line):
            continue
        left = min(c["x0"] for c in chars)
        right = max(c["x1"] for c in chars)
        for line, following in itertools.pairwise(lines):
            if sum(1 for c in line if PARTNER.match(c["text"])) < 10:
                continue
            size = line[0]["size"]
            lead = line[0]["matrix"][5] - following[0]["matrix"][5]
            end = max(c["x1"] for c in line)
            if (
                end < right - size
                and min(c["x0"] for c in line) < left + 5 * size
                and abs(min(c["x0"] for c in following) - left) < 2
                and 0 < lead < 2 * size
            ):
                text = "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
                out.append(Short(page_no, text, right - end))
    return out
