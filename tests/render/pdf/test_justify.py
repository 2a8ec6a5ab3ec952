"""Distributed justification of Khmer and Lao lines (kbc_docs.render.pdf.justify), on the PDF.

The bound of issue 14: no gap in a justified line wider than twice the normal space, measured
on the drawn glyphs of the examples (tests/support/justified_gaps.py). WeasyPrint alone,
widening only the spaces, leaves gaps of 11 to 15 spaces in the same pages
(benchmarks/bench_justify.py).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import weasyprint
from kbc_docs.render.pdf import justify
from support.form_pages import CONTENT, KM_EXAMPLE, LO_EXAMPLE
from support.justified_gaps import justified_gaps
from weasyprint.layout import inline

EXAMPLES = {
    "km": KM_EXAMPLE,
    "km-kien-giang": CONTENT / "kien-giang-kampot-2019-2021.yaml",
    "lo": LO_EXAMPLE,
}


@pytest.fixture(scope="module", params=list(EXAMPLES))
def outputs(request: pytest.FixtureRequest, built_example):  # type: ignore[no-untyped-def]
    return built_example(EXAMPLES[request.param])[1]


def test_no_gap_in_a_justified_line_is_wider_than_two_spaces(outputs: dict[str, Path]) -> None:
    gaps = justified_gaps(outputs["report.pdf"])
    assert len(gaps) >= 20  # the measure sees the paragraphs' lines
    worst = max(gaps, key=lambda g: g.ratio)
    assert worst.ratio <= 2.0, (worst.page, worst.text, worst.widest, worst.space)


def test_the_replaced_weasyprint_internals_have_the_shape_they_were_written_for() -> None:
    """kbc_docs.render.pdf.justify replaces these; a new WeasyPrint must be checked first."""
    assert hasattr(inline, "count_expandable_spaces")
    assert weasyprint.__version__.split(".")[0] == "70"
    assert list(inspect.signature(justify._weasyprint_justify_line).parameters) == [
        "context",
        "line",
        "extra_width",
    ]
    assert list(inspect.signature(inline.add_word_spacing).parameters) == [
        "context",
        "box",
        "justification_spacing",
        "x_advance",
    ]
    assert list(inspect.signature(justify._original_set_text).parameters) == [
        "self",
        "text",
        "justify",
    ]
