"""Decree 30's short rules, measured where they are drawn.

The rule under the motto is as long as the motto; the rules under the issuing body and under
the abstract are 1/3 to 1/2 as long as the longest line of that text. Checked on the PDF and on
the Word file as LibreOffice lays it out, for both examples, in both layouts, so that a longer
or shorter name than the examples' keeps the ratio too.
"""

from __future__ import annotations

import pdfplumber
import pytest
from kbc_docs.view import DocumentView, Version
from support.form_pages import (
    KM_EXAMPLE,
    LO_EXAMPLE,
    PARTNER,
    TextRun,
    laid_out,
    squeeze,
    text_runs,
)
from support.libreoffice import to_pdf

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it

SHORT = (1 / 3, 1 / 2)
CASES = [(KM_EXAMPLE, "sequential"), (KM_EXAMPLE, "parallel"), (LO_EXAMPLE, "sequential")]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0].stem}-{c[1]}")
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, built_example):  # type: ignore[no-untyped-def]
    source, layout = request.param
    view, outputs = built_example(source, None if layout == "sequential" else layout)
    (word_pdf,) = to_pdf([outputs["report.docx"]], tmp_path_factory.mktemp("rules") / "lo")
    return view, outputs["report.pdf"], word_pdf


def rules(page: pdfplumber.page.Page) -> list[tuple[float, float, float]]:
    """Thin horizontal strokes (x0, x1, top), once each (a border may be both rect and line)."""
    found = {
        (round(o["x0"], 1), round(o["x1"], 1), round(o["top"], 1))
        for o in [*page.rects, *page.lines]
        if o["height"] < 1.5 and o["width"] > 10
    }
    return sorted(found, key=lambda r: (r[2], r[0]))


def lines_ending(  # type: ignore[no-untyped-def]
    page: pdfplumber.page.Page, rule: tuple[float, float, float], text: str, share: float
):
    """The text lines right above ``rule`` that together end with ``text``, if they do.

    Only glyphs near the rule count (no farther than a rule of ``share`` of the text allows)
    and only in the text's script: columns beside it share its baselines.
    """
    x0, x1, top = rule
    centre, reach = (x0 + x1) / 2, (x1 - x0) / share / 2 + 3
    partner = bool(PARTNER.search(text))
    near = page.crop(
        (max(centre - reach, 0), max(top - 160, 0), min(centre + reach, page.width), top + 1)
    )
    near = near.filter(
        lambda o: (
            o["object_type"] != "char"
            or (bool(PARTNER.match(o["text"])) == partner and not o["text"].startswith("(cid:"))
            or not o["text"].strip()
            or o["text"] in "-–,.0123456789"
        )
    )
    target, tail, taken = squeeze(text), "", []
    for ln in sorted(near.extract_text_lines(), key=lambda ln: -ln["bottom"]):
        tail = squeeze(ln["text"]) + tail
        if not target.endswith(tail):
            return []
        taken.append(ln)
        if tail == target:
            return taken
    return []


def measured(
    page: pdfplumber.page.Page, texts: list[str], share: float
) -> dict[str, tuple[float, float]]:
    """For each text with a rule under it: (rule length, the text's longest line)."""
    out: dict[str, tuple[float, float]] = {}
    for rule in rules(page):
        for text in texts:
            block = lines_ending(page, rule, text, share)
            if block:
                out[text] = (rule[1] - rule[0], max(ln["x1"] - ln["x0"] for ln in block))
    return out


def short_ruled(version: Version, layout: str) -> list[str]:
    """The texts of ``version`` that take a short rule: the abstract, and in Decree 30's
    header the issuing bodies (the Khmer and Lao headers have none)."""
    bodies = [b.body for b in version.bodies] if version.lang == "vi" else []
    return [version.title, *bodies] if layout == "sequential" or version.lang == "vi" else []


def check(found: dict[str, tuple[float, float]], texts: list[str]) -> None:
    assert set(found) == set(texts), (sorted(found), texts)
    for text, (rule, longest) in found.items():
        assert SHORT[0] <= rule / longest <= SHORT[1], (text, rule, longest)


def test_short_rules_in_the_pdf(built) -> None:  # type: ignore[no-untyped-def]
    # The lines of each text where WeasyPrint laid them out (exact for every script, unlike
    # text read back from Khmer glyphs), the rules where the PDF draws them.
    view, pdf, _ = built
    view: DocumentView
    runs = text_runs(laid_out(view, "report.html"))
    versions = view.versions[:1] if view.layout == "parallel" else view.versions
    with pdfplumber.open(pdf) as document:
        for version in versions:
            texts = short_ruled(version, view.layout)
            found: dict[str, tuple[float, float]] = {}
            for text in texts:
                block = runs_of(runs, text)
                page = document.pages[block[-1].page]
                centre = (block[-1].x0 + block[-1].x1) / 2
                below = [
                    r
                    for r in rules(page)
                    if block[-1].top < r[2] < block[-1].top + 3 * block[-1].size
                    and abs((r[0] + r[1]) / 2 - centre) < 2
                ]
                assert below, (text, "no rule under it")
                rule = below[0]
                found[text] = (rule[1] - rule[0], max(r.x1 - r.x0 for r in block))
            check(found, texts)


def runs_of(runs: list[TextRun], text: str) -> list[TextRun]:
    """The first consecutive laid-out lines that make up ``text``."""
    target = squeeze(text)
    for i, first in enumerate(runs):
        if not target.startswith(squeeze(first.text)) or not squeeze(first.text):
            continue
        joined, block = "", []
        for run in runs[i:]:
            joined += squeeze(run.text)
            block.append(run)
            if not target.startswith(joined):
                break
            if joined == target:
                return block
    raise AssertionError(f"{text!r} is not laid out")


def test_short_rules_and_motto_rule_in_the_word_file(built) -> None:  # type: ignore[no-untyped-def]
    view, _, word_pdf = built
    vi = view.versions[0]
    texts = short_ruled(vi, "sequential")
    with pdfplumber.open(word_pdf) as document:
        page = document.pages[0]
        found = measured(page, texts, SHORT[0] * 0.95)
        (rule, motto) = measured(page, [vi.motto], 0.97)[vi.motto]
    assert rule == pytest.approx(motto, rel=0.03)
    check(found, texts)
