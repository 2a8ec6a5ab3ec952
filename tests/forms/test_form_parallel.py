"""``document.layout: parallel``: one document, Vietnamese left, the partner language right.

The example content is copied with its layout switched to parallel and built as a user would.
What a reader of a parallel text relies on is checked on the outputs: every text of both
languages is there, paragraph ``i`` and its translation start on the same row (same table row in
Word, same height on the same PDF page), and the document is signed once, each signer's block
in both languages. The sequential layout stays the default.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
from pathlib import Path
from typing import get_args

import docx
import pytest
from kbc_docs.errors import RenderError
from kbc_docs.render.docx.render import render_docx
from kbc_docs.render.pdf.render import render_pdf
from kbc_docs.text.segment import ZWSP
from kbc_docs.view import DocumentView, Para, Role
from support.form_pages import (
    KM_EXAMPLE,
    LO_EXAMPLE,
    NS,
    PT_PER_MM,
    TEMPLATES,
    WordDocument,
    build_outputs,
    copy_content,
    laid_out,
    pdf_chars,
    pdf_lines,
    pdftotext_pages,
    squeeze,
    text_of,
    text_runs,
    view_of,
    w,
)
from support.libreoffice import to_pdf

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it


EXAMPLES = {"km": KM_EXAMPLE, "lo": LO_EXAMPLE}


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def parallel(request: pytest.FixtureRequest, built_example):  # type: ignore[no-untyped-def]
    """(view, outputs) of an example rebuilt with ``document.layout: parallel``."""
    view, outputs = built_example(EXAMPLES[request.param], "parallel")
    assert view.layout == "parallel"
    return view, outputs


def printed(view: DocumentView) -> list[str]:
    """Every string the view asks to print (roles are styles; an empty list prints no label)."""
    roles = set(get_args(Role))
    unused = {v.recipients_label for v in view.versions if not v.recipients}
    return [s for s in view.texts() if s and s not in roles and s not in unused]


# ---------------------------------------------------------------- the view


def test_rows_pair_every_paragraph_with_its_translation() -> None:
    view = dataclasses.replace(view_of(KM_EXAMPLE), layout="parallel")
    vi, km = view.versions
    rows = view.rows()
    assert len(rows) == len(vi.body) == len(km.body)
    for row, a, b in zip(rows, vi.body, km.body, strict=True):
        assert row.role == a.role == b.role
        assert [(c.lang, c.text) for c in row.cells] == [("vi", a.text), ("km", b.text)]


def test_shared_signers_show_each_party_once_in_both_languages() -> None:
    view = view_of(KM_EXAMPLE)
    vi, km = view.versions
    signers = view.parallel_signers()
    assert [s.party for s in signers] == [b.party for b in vi.signers]  # left column's order
    for signer in signers:
        by_lang = {t.lang: t for t in signer.texts}
        assert list(by_lang) == ["vi", "km"]
        km_block = next(b for b in km.signers if b.party == signer.party)
        assert by_lang["km"].title == km_block.title and by_lang["km"].name == km_block.name


def test_mismatched_bodies_are_a_render_error_not_misaligned_rows() -> None:
    view = dataclasses.replace(view_of(KM_EXAMPLE), layout="parallel")
    vi, km = view.versions
    broken = dataclasses.replace(view, versions=[vi, dataclasses.replace(km, body=km.body[:-1])])
    for render in (
        lambda: render_pdf(broken, "report.html", TEMPLATES),
        lambda: render_docx(broken, TEMPLATES / "report.docx"),
    ):
        with pytest.raises(RenderError, match="different numbers of paragraphs"):
            render()
    roles = dataclasses.replace(km, body=[Para("h1", km.body[0].text), *km.body[1:]])
    with pytest.raises(RenderError, match="its role differs between the languages"):
        render_pdf(dataclasses.replace(view, versions=[vi, roles]), "report.html", TEMPLATES)
    three = dataclasses.replace(view, versions=[vi, km, km], languages=["vi", "km", "km"])
    with pytest.raises(RenderError, match="two languages"):
        render_docx(three, TEMPLATES / "signing.docx")


def test_sequential_stays_the_default(tmp_path: Path) -> None:
    assert view_of(KM_EXAMPLE).layout == "sequential"
    content = copy_content(KM_EXAMPLE, tmp_path / "content")
    view = view_of(content)
    assert view.layout == "sequential"
    report = docx.Document(str(build_outputs(content, tmp_path / "out")["report.docx"]))
    assert len(report.sections) == len(view.versions)  # one complete version per section


# ---------------------------------------------------------------- DOCX


def test_docx_holds_every_text_of_both_languages(parallel) -> None:  # type: ignore[no-untyped-def]
    view, outputs = parallel
    text = "\n".join(text_of(p) for p in WordDocument(outputs["report.docx"]).body.iter(w("p")))
    missing = [s for s in printed(view) if s.replace(ZWSP, "") not in text]
    assert missing == []


def test_docx_is_one_section_with_page_numbers_from_page_2(parallel) -> None:  # type: ignore[no-untyped-def]
    _, outputs = parallel
    report = docx.Document(str(outputs["report.docx"]))
    assert len(report.sections) == 1
    section = report.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in section.header._element.iter(w("instrText")))


def _row_table(doc: WordDocument, view: DocumentView):  # type: ignore[no-untyped-def]
    """The table whose rows hold the body, and its rows from the first body paragraph on."""
    first = view.versions[0].body[0].text.replace(ZWSP, "")
    for table in doc.body.iter(w("tbl")):
        rows = table.findall("w:tr", NS)
        for i, tr in enumerate(rows):
            cells = tr.findall("w:tc", NS)
            if cells and "".join(text_of(p) for p in cells[0].iter(w("p"))) == first:
                return rows[i:]
    raise AssertionError("no table row holds the first body paragraph")


def test_docx_puts_each_paragraph_and_its_translation_on_one_row(parallel) -> None:  # type: ignore[no-untyped-def]
    view, outputs = parallel
    doc = WordDocument(outputs["report.docx"])
    rows = _row_table(doc, view)
    expected = view.rows()
    assert len(rows) >= len(expected)
    styles = {"h1": "Heading1", "h2": "Heading2", "body": "Body", "item": "Item"}
    for tr, row in zip(rows, expected, strict=False):
        cells = tr.findall("w:tc", NS)
        assert len(cells) == 2
        for tc, cell in zip(cells, row.cells, strict=True):
            (p,) = tc.findall("w:p", NS)
            assert text_of(p) == cell.text.replace(ZWSP, "")
            assert doc.style_of(p) == f"KBCParallel{styles[row.role]}"


def test_docx_has_one_signing_block_in_both_languages(parallel) -> None:  # type: ignore[no-untyped-def]
    view, outputs = parallel
    signers = view.parallel_signers()
    names = [t.name.replace(ZWSP, "") for s in signers for t in s.texts if t.name]
    for name in ("report.docx", "signing.docx"):
        doc = WordDocument(outputs[name])
        # Each name is printed once, as a paragraph of its own: one signing block.
        paragraphs = [text_of(p) for p in doc.body.iter(w("p"))]
        assert all(paragraphs.count(n) == 1 for n in names), name
        (table,) = [
            t for t in doc.body.iter(w("tbl")) if {text_of(p) for p in t.iter(w("p"))} >= set(names)
        ]
        columns = table.find("w:tr", NS).findall("w:tc", NS)
        assert len(columns) == len(signers)
        for column, signer in zip(columns, signers, strict=True):
            heads = [text_of(p) for p in column.iter(w("p"))]
            expected = [s for t in signer.texts for s in (t.authority, t.title) if s]
            assert heads == [s.replace(ZWSP, "") for s in expected]


def test_signing_docx_is_one_section(parallel) -> None:  # type: ignore[no-untyped-def]
    _, outputs = parallel
    assert len(docx.Document(str(outputs["signing.docx"])).sections) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_out_the_parallel_docx(parallel, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view, outputs = parallel
    (converted,) = to_pdf([outputs["report.docx"]], tmp_path)
    vi = view.versions[0]
    # The first page holds the shared header (its left column is 57 % of the width), both
    # titles and the start of the body (left column: half the width).
    header = pdf_lines(converted, (0, 124 * PT_PER_MM))[0]
    assert squeeze(vi.national_title) in {squeeze(line.text) for line in header}
    pages = pdf_lines(converted, (0, 110 * PT_PER_MM))
    first = squeeze(" ".join(line.text for line in pages[0]))
    for s in (vi.motto, vi.kind, vi.body[0].text[:30]):
        assert squeeze(s) in first, s
    text = squeeze(" ".join(line.text for page in pages for line in page))
    assert squeeze(vi.closing) in text


# ---------------------------------------------------------------- PDF


def test_pdf_holds_every_text_of_both_languages(parallel) -> None:  # type: ignore[no-untyped-def]
    view, outputs = parallel
    laid = squeeze("".join(r.text for r in text_runs(laid_out(view, "report.html"))))
    assert [s for s in printed(view) if squeeze(s) not in laid] == []
    # The PDF is that layout: same pages, and its Vietnamese text reads back from the file.
    pdf = squeeze("".join(pdftotext_pages(outputs["report.pdf"], raw=True)))
    vi = dataclasses.replace(view, versions=[view.versions[0]])
    assert [s for s in printed(vi) if squeeze(s) not in pdf] == []
    assert len(pdf_chars(outputs["report.pdf"])) == len(laid_out(view, "report.html").pages)


def test_pdf_rows_start_level(parallel) -> None:  # type: ignore[no-untyped-def]
    """Paragraph i and its translation start on the same page at the same height."""
    view, outputs = parallel
    runs = text_runs(laid_out(view, "report.html"))
    rows = view.rows()
    starts: list[tuple[int, float]] = []
    for index, row in enumerate(rows):
        cells = {}
        for cell in row.cells:
            first = next(r for r in runs if r.row == str(index) and r.lang == cell.lang)
            assert squeeze(cell.text).startswith(squeeze(first.text)), (index, cell.lang)
            cells[cell.lang] = first
        vi, partner = cells.values()
        assert vi.page == partner.page, f"row {index} starts on two pages"
        assert abs(vi.top - partner.top) < 2, f"row {index}: {vi.top:.1f} / {partner.top:.1f}"
        assert vi.x1 <= partner.x0, "Vietnamese left, partner language right"
        starts.append((vi.page, vi.top))
    assert starts == sorted(starts)  # rows in reading order down the pages

    # The same positions on the PDF itself: each row's Vietnamese first line is drawn there.
    pages = pdf_lines(outputs["report.pdf"], (0, 30 * PT_PER_MM + 80 * PT_PER_MM))
    for index, (page, top) in enumerate(starts):
        first = next(r for r in runs if r.row == str(index) and r.lang == "vi")
        # A run is a line's first text box (a line may hold several: a kept run of words).
        drawn = [ln for ln in pages[page] if squeeze(ln.text).startswith(squeeze(first.text))]
        assert drawn, (page, first.text)
        assert min(abs(ln.top - top) for ln in drawn) < 6, (first.text, top)


def test_pdf_header_sets_the_national_titles_side_by_side(parallel) -> None:  # type: ignore[no-untyped-def]
    view, _ = parallel
    runs = [r for r in text_runs(laid_out(view, "report.html")) if r.page == 0]
    vi, partner = view.versions
    left = next(r for r in runs if squeeze(vi.national_title).startswith(squeeze(r.text)))
    right = next(r for r in runs if squeeze(partner.national_title).startswith(squeeze(r.text)))
    assert abs(left.top - right.top) < 3
    assert left.x1 < right.x0
    for r in (left, right):
        assert r.top < 30 * PT_PER_MM  # at the top of the first page


def test_pdf_signs_once_with_both_languages(parallel) -> None:  # type: ignore[no-untyped-def]
    view, outputs = parallel
    signers = view.parallel_signers()
    for template in ("report.html", "signing.html"):
        runs = [r for r in text_runs(laid_out(view, template)) if r.party]
        assert [r.party for r in runs if r.party] and len({r.page for r in runs}) == 1
        lefts = []
        for signer in signers:
            block = [r for r in runs if r.party == signer.party]
            text = squeeze("".join(r.text for r in block))
            for t in signer.texts:
                for s in (t.authority, t.title, t.name):
                    assert squeeze(s) in text, (template, s)
            assert {r.lang for r in block} == {t.lang for t in signer.texts}
            lefts.append(min(r.x0 for r in block))
        assert lefts == sorted(lefts)  # side by side, in the left column's order
        # Each name once in the whole document: one signing block.
        everything = [squeeze(r.text) for r in text_runs(laid_out(view, template))]
        for signer in signers:
            for t in signer.texts:
                if t.name:
                    assert everything.count(squeeze(t.name)) == 1, t.name
    assert len(pdf_chars(outputs["signing.pdf"])) == 1  # the signing page is one page


def test_pdf_page_numbers_from_page_2(parallel) -> None:  # type: ignore[no-untyped-def]
    _, outputs = parallel
    pages = pdf_chars(outputs["report.pdf"])
    assert len(pages) >= 2
    top = 20 * PT_PER_MM
    for number, chars in enumerate(pages, start=1):
        margin = "".join(c["text"] for c in chars if c["bottom"] <= top)
        assert margin == ("" if number == 1 else str(number))


def test_pdf_no_glyph_outside_the_text_area(parallel) -> None:  # type: ignore[no-untyped-def]
    _, outputs = parallel
    left, right = 30 * PT_PER_MM, (210 - 15) * PT_PER_MM
    for name in ("report.pdf", "signing.pdf"):
        for number, chars in enumerate(pdf_chars(outputs[name]), start=1):
            for c in chars:
                if c["bottom"] <= 20 * PT_PER_MM:
                    continue  # the page number
                assert left - 0.05 <= c["x0"] and c["x1"] <= right + 0.05, (name, number, c)
                assert c["bottom"] <= (297 - 20) * PT_PER_MM, (name, number, c["text"])


def test_parallel_templates_log_no_weasyprint_warnings(
    parallel,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unknown CSS (say, a break property WeasyPrint ignores on table rows) is only a warning."""
    view, _ = parallel
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        for template in ("report.html", "signing.html"):
            render_pdf(view, template, TEMPLATES)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
