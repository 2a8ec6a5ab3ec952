"""Distributed justification of Khmer and Lao lines (kbc_docs.render.pdf.justify), on the PDF.

The bound of issue 14: no gap in a justified line wider than twice the normal space, measured
on the drawn glyphs of the examples (tests/support/justified_gaps.py). WeasyPrint alone,
widening only the spaces, leaves gaps of 11 to 15 spaces in the same pages
(benchmarks/bench_justify.py).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from kbc_docs.render import DEFAULT_WHEN
from kbc_docs.render.pdf import justify
from kbc_docs.render.pdf.html import as_folders, render_html
from kbc_docs.render.pdf.produce import write_document
from kbc_docs.render.pdf.render import lay_out
from support.form_pages import CONTENT, KM_EXAMPLE, LO_EXAMPLE, TEMPLATES, view_of
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


def _report_pdf(source: Path) -> bytes:
    """The report's PDF for ``source``, laid out anew (no layout kept by a warm process)."""
    view = view_of(source)
    folders = as_folders(TEMPLATES)
    html = render_html(view, "report.html", folders)
    return write_document(lay_out(html, folders, view), html, DEFAULT_WHEN)


@pytest.fixture(scope="module")
def estimated_pdf() -> bytes:
    return _report_pdf(LO_EXAMPLE)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"_estimate": lambda *_: None}, id="no-estimate"),
        pytest.param({"_estimate": lambda *_: lambda spacing: -1.0}, id="estimate-always-fits"),
        pytest.param({"_FOUND_SIZE": 0}, id="no-line-remembered"),
    ],
)
def test_the_shortcuts_find_the_spacing_a_search_measuring_every_step_finds(
    changes: dict[str, Any], estimated_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bisection trusts an estimate of a line's widening where it is sure (justify._estimate)
    and looks up lines justified before (justify._FOUND): the PDF is the same as with every
    step measured and nothing remembered, and a wrong estimate that would pass the margin is
    caught (the spacing found is measured) and the search made again."""
    monkeypatch.setattr(justify, "_FOUND", {})
    for name, value in changes.items():
        monkeypatch.setattr(justify, name, value)
    assert _report_pdf(LO_EXAMPLE) == estimated_pdf
