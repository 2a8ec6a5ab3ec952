"""Distributed justification of Khmer and Lao lines in WeasyPrint (pinned: weasyprint 70.x).

WeasyPrint justifies a line by widening its spaces only (``count_expandable_spaces`` counts
U+0020 and U+00A0). Khmer and Lao put a space between phrases, not words, so a justified line
with two spaces gets two holes five characters wide. Documents made in Word use "distributed"
("Thai distributed") justification instead: the extra width is spread over every cluster of
the line, and the line looks even. This module does the same in WeasyPrint:

* every gap between two clusters of Khmer or Lao letters is an expansion opportunity, like a
  space; the extra width of a justified line is shared equally by its spaces and these gaps,
  at most 0.65 of a space's width each, so no gap grows beyond two spaces;
* a cluster gap is widened with Pango's letter spacing on the Khmer/Lao runs of the line
  (Pango keeps a cluster's marks and subscripts on their base), a space as before.

A line without Khmer or Lao letters counts exactly what WeasyPrint counts, so Vietnamese
lines are justified as before. The last line of a paragraph is not justified (CSS
``text-align-last: auto``). The glyphs and their text are unchanged: only their positions move.

The three functions replaced are WeasyPrint internals; ``pyproject.toml`` pins the versions they
were written for and ``tests/render/pdf/test_justify.py`` fails if they change shape.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from kbc_docs.render.pdf.weasy import TO_UNITS, boxes, ffi, inline, line_break, pango
from kbc_docs.text.segment import LETTERS

__all__ = ["MAX_SHARE", "install_distributed_justification"]


_COENG = "\u17d2"
_RUN = re.compile(f"[{''.join(LETTERS.values())}\u200b]+")


def _cluster_starts(run: str) -> list[int]:
    """Where the clusters of ``run`` begin: Pango's cursor positions, except after a Khmer
    COENG (shaping keeps the subscript with its base). U+200B is a cluster of its own."""
    encoded = run.encode()
    attrs = ffi.new("PangoLogAttr[]", len(run) + 1)
    pango.pango_get_log_attrs(encoded, len(encoded), -1, _language(), attrs, len(run) + 1)
    return [
        i
        for i in range(len(run))
        if attrs[i].is_cursor_position and (i == 0 or run[i - 1] != _COENG)
    ]


@functools.cache
def _language() -> Any:
    return pango.pango_language_from_string(b"km")


_UNITS = "_kbc_justify_units"
"""Attribute of a text box: how much wider it gets per unit of justification spacing."""


def _count_expandable(box: Any) -> float:
    """How much wider ``box`` gets per unit of justification spacing (measured by
    :func:`_justify_line` on the lines it justifies; WeasyPrint's count of spaces otherwise)."""
    if isinstance(box, boxes.TextBox):
        return getattr(box, _UNITS, box.text.count(" ") + box.text.count("\u00a0"))
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(_count_expandable(child) for child in box.children)
    return 0


def _partner_texts(box: Any) -> list[Any]:
    if isinstance(box, boxes.TextBox):
        return [box] if _RUN.search(box.text) else []
    return [t for child in getattr(box, "children", ()) for t in _partner_texts(child)]


def _width(context: Any, box: Any, spacing: float) -> float:
    """The width of ``box``'s text laid out by Pango with justification ``spacing``."""
    layout = line_break.create_layout(box.text, box.style, context, None, spacing)
    layout.set_text(box.text, justify=True)
    line, _ = layout.get_first_line()
    return line_break.line_size(line, box.style)[0]


_original_set_text = line_break.Layout.set_text


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """WeasyPrint's ``Layout.set_text``, plus letter spacing on Khmer/Lao runs when justified."""
    _original_set_text(self, text, justify)
    spacing = self.justification_spacing if justify else 0
    if not spacing or not _RUN.search(self.text):
        return
    attrs = pango.pango_layout_get_attributes(self.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for run in _RUN.finditer(self.text):
        starts = _cluster_starts(run.group())
        if len(starts) < 2:
            continue
        # Pango adds the spacing after each cluster of the range: every cluster but the last
        # one of the run, so the gaps inside the run widen and its ends do not move.
        start = len(self.text[: run.start()].encode())
        end = len(self.text[: run.start() + starts[-1]].encode())
        attr = pango.pango_attr_letter_spacing_new(int(spacing * TO_UNITS))
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_change(attrs, attr)
    pango.pango_layout_set_attributes(self.layout, attrs)


_STEPS = 8
"""Bisection steps: the spacing is found to 1/256 of its greatest value."""

MAX_SHARE = 0.65
"""The most a gap grows, in spaces (see :func:`_justify_line`). At a space it grows by a share
and a half, so a share under 2/3 keeps every gap under two spaces; measured on the examples
(``benchmarks/bench_justify.py``), 0.65 leaves the widest at 1.8 spaces, and leaves fewer
lines short of the margin than 0.5 did (7 instead of 11 in the three Khmer and Lao reports)."""


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Share ``extra_width`` among the line's spaces and Khmer/Lao cluster gaps.

    Pango rounds each letter gap to its own units, so the widening is not proportional to the
    spacing: the spacing is found by measuring the line's text boxes on Pango's layout
    (bisection: the widest that does not pass the margin), and each box is told the widening
    it really gets. A share never exceeds :data:`MAX_SHARE` of a space: a gap at a space,
    where Pango adds a share and a half, then stays under two spaces, a word
    boundary (two cluster gaps) too. A line with too few gaps for its extra width (a long name
    that did not fit on it) stays that much short of the right margin.
    """
    texts = _partner_texts(line)
    if not texts:
        return _weasyprint_justify_line(context, line, extra_width)
    cap = MAX_SHARE * _space_width(context, texts[0].style)
    base = {id(t): _width(context, t, 0.0) for t in texts}
    others = _count_expandable(line) - sum(_count_expandable(t) for t in texts)

    def widening(spacing: float) -> float:
        own = sum(_width(context, t, spacing) - base[id(t)] for t in texts)
        return own + others * spacing

    best = cap
    if widening(cap) > extra_width + 0.01:
        low, high = 0.0, cap  # widening(low) fits, widening(high) does not
        for _ in range(_STEPS):
            middle = (low + high) / 2
            low, high = (middle, high) if widening(middle) <= extra_width + 0.01 else (low, middle)
        best = low
    if best <= 0:
        return None
    for text in texts:
        setattr(text, _UNITS, (_width(context, text, best) - base[id(text)]) / best)
    inline.add_word_spacing(context, line, best, 0)
    return None


def _space_width(context: Any, style: Any) -> float:
    layout = line_break.create_layout(" ", style, context, None, 0)
    line, _ = layout.get_first_line()
    return line_break.line_size(line, style)[0]


_weasyprint_justify_line = inline.justify_line


def install_distributed_justification() -> None:
    """Replace WeasyPrint's space count, line justification and text setup (idempotent)."""
    inline.count_expandable_spaces = _count_expandable
    inline.justify_line = _justify_line
    line_break.Layout.set_text = _set_text
