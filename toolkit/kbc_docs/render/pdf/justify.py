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
from collections.abc import Callable
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


@functools.lru_cache(maxsize=4096)
def _spaced_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """The UTF-8 byte ranges of ``text`` that get the letter spacing: each Khmer/Lao run from
    its start to its last cluster. Pango adds the spacing after each cluster of a range, so
    the gaps inside the run widen and its ends do not move.

    Cached: a text is set again at every measure of its line and when its page is drawn, and
    the clusters of a text do not change (the cache holds a few pages' lines)."""
    ranges = []
    for run in _RUN.finditer(text):
        starts = _cluster_starts(run.group())
        if len(starts) >= 2:
            start = len(text[: run.start()].encode())
            ranges.append((start, start + len(run.group()[: starts[-1]].encode())))
    return tuple(ranges)


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


class _Measure:
    """The width of a text box's text laid out by Pango with a justification spacing; one
    Pango layout for all the spacings tried (setting the text again replaces the spacing)."""

    def __init__(self, context: Any, box: Any) -> None:
        self.box = box
        self.layout = line_break.create_layout(box.text, box.style, context, None, 0)

    def width(self, spacing: float) -> float:
        self.layout.justification_spacing = spacing
        self.layout.set_text(self.box.text, justify=True)
        line, _ = self.layout.get_first_line()
        return line_break.line_size(line, self.box.style)[0]


_original_set_text = line_break.Layout.set_text


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """WeasyPrint's ``Layout.set_text``, plus letter spacing on Khmer/Lao runs when justified."""
    _original_set_text(self, text, justify)
    spacing = self.justification_spacing if justify else 0
    if not spacing or not _RUN.search(self.text):
        return
    ranges = _spaced_ranges(self.text)
    if not ranges:
        return
    attrs = pango.pango_layout_get_attributes(self.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for start, end in ranges:
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

_SURE = 0.05
"""How far (pt) the estimated widening of a line must be from its extra width for the search
to trust the estimate without measuring. On the examples the estimate is within 0.006 pt of
the measure; a wrong guess could only make the spacing found narrower, never too wide (the
spacing found is always measured)."""


_FOUND: dict[tuple[Any, ...], tuple[float, float]] = {}
"""Lines justified before, by their texts, widths, greatest spacing, other spaces and extra
width: the spacing found and the line's widening at it. The report is laid out several times
(names kept whole, pages laid out again), mostly with the same lines; a line found here is
measured once, at that spacing, and the search is made only if it widens differently."""

_FOUND_SIZE = 4096
"""Lines remembered, the oldest forgotten first: a few reports' lines (a line's texts and two
numbers each)."""


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Share ``extra_width`` among the line's spaces and Khmer/Lao cluster gaps.

    Pango rounds each letter gap to its own units, so the widening is not proportional to the
    spacing: the spacing is found by measuring the line's text boxes on Pango's layout
    (bisection: the widest that does not pass the margin), and each box is told the widening
    it really gets. A share never exceeds :data:`MAX_SHARE` of a space: a gap at a space,
    where Pango adds a share and a half, then stays under two spaces, a word
    boundary (two cluster gaps) too. A line with too few gaps for its extra width (a long name
    that did not fit on it) stays that much short of the right margin.

    Measuring is most of the time this takes, so the bisection measures only where it must.
    Pango adds the spacing, in its units, after each cluster, and drops the ligatures of a
    spaced run: a text's widening is an offset plus a multiple of the spacing in Pango units.
    Measured at the greatest spacing and at half of it, that line tells every other step of the
    bisection, except those whose estimate is within :data:`_SURE` of the extra width, which
    are measured. The spacing found is measured too (each box's widening at it); should that
    not fit, the bisection is made again measuring every step. A line justified before is
    looked up (:data:`_FOUND`).
    """
    texts = _partner_texts(line)
    if not texts:
        return _weasyprint_justify_line(context, line, extra_width)
    cap = MAX_SHARE * _space_width(context, texts[0].style)
    others = _count_expandable(line) - sum(_count_expandable(t) for t in texts)
    limit = extra_width + 0.01
    measures = [_Measure(context, t) for t in texts]
    measured: dict[float, list[float]] = {}  # spacing → each text's widening

    def widening(spacing: float) -> float:
        if spacing not in measured:
            # A text box is as wide as its text laid out without spacing.
            measured[spacing] = [m.width(spacing) - m.box.width for m in measures]
        return sum(measured[spacing]) + others * spacing

    key = (tuple((t.text, t.width) for t in texts), cap, others, extra_width)
    found = _FOUND.get(key)
    if found is not None and widening(found[0]) == found[1]:
        best = found[0]  # the same line as before, its texts widening the same at its spacing
    else:
        best = cap
        if widening(cap) > limit:
            estimate = _estimate(cap, widening, others)
            best = _bisect(cap, lambda s: widening(s) <= limit, estimate, limit)
            if best > 0 and widening(best) > limit:  # the estimate was wrong: measure all
                best = _bisect(cap, lambda s: widening(s) <= limit)
        if best <= 0:
            return None
        _FOUND[key] = best, widening(best)
        if len(_FOUND) > _FOUND_SIZE:
            del _FOUND[next(iter(_FOUND))]
    for text, widened in zip(texts, measured[best], strict=True):
        setattr(text, _UNITS, widened / best)
    inline.add_word_spacing(context, line, best, 0)
    return None


def _estimate(
    cap: float, widening: Callable[[float], float], others: float
) -> Callable[[float], float] | None:
    """A line's widening at any spacing, from its measures at ``cap`` and half of it: the
    Khmer/Lao texts' part is affine in Pango units, the ``others`` spaces' is proportional."""
    half = cap / 2
    units = int(cap * TO_UNITS) - int(half * TO_UNITS)
    if units <= 0:
        return None
    own_cap = widening(cap) - others * cap
    per_unit = (own_cap - widening(half) + others * half) / units

    def estimate(spacing: float) -> float:
        units_less = int(cap * TO_UNITS) - int(spacing * TO_UNITS)
        return own_cap - per_unit * units_less + others * spacing

    return estimate


def _bisect(
    cap: float,
    fits: Callable[[float], bool],
    estimate: Callable[[float], float] | None = None,
    limit: float = 0.0,
) -> float:
    """The widest spacing of :data:`_STEPS` bisection steps between 0 and ``cap`` that
    ``fits``, asking ``fits`` only where ``estimate`` is not surely above or below
    ``limit``; ``fits(cap)`` is known to be false."""
    low, high = 0.0, cap  # low fits, high does not
    for _ in range(_STEPS):
        middle = (low + high) / 2
        guess = estimate(middle) if estimate else limit
        fitting = guess <= limit if abs(guess - limit) > _SURE else fits(middle)
        low, high = (middle, high) if fitting else (low, middle)
    return low


_SPACE = "_kbc_justify_space"
"""Attribute of a computed style: the width of its space (the lines of a paragraph share it)."""


def _space_width(context: Any, style: Any) -> float:
    width = getattr(style, _SPACE, None)
    if width is None:
        layout = line_break.create_layout(" ", style, context, None, 0)
        line, _ = layout.get_first_line()
        width = line_break.line_size(line, style)[0]
        setattr(style, _SPACE, width)
    return width


_weasyprint_justify_line = inline.justify_line


def install_distributed_justification() -> None:
    """Replace WeasyPrint's space count, line justification and text setup (idempotent)."""
    inline.count_expandable_spaces = _count_expandable
    inline.justify_line = _justify_line
    line_break.Layout.set_text = _set_text
