"""Decree 30/2020/NĐ-CP, Appendix I, checked on the Vietnamese version of the real examples.

Both examples (Kiên Giang–Kampot in Vietnamese and Khmer, the three-party Kon Tum–Attapeu–Sekong
file in Vietnamese and Lao) are built as a user builds them. The Word file is read the way Word
resolves formatting (run, paragraph style chain, document defaults), the PDF where its glyphs
are drawn. The rules and their ranges are those of ``/work/shared/reference/official-format.md``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from kbc_docs.text.locale import load_locale
from kbc_docs.text.segment import ZWSP
from kbc_docs.view import DocumentView, Version
from lxml import etree
from support.form_pages import (
    A4_PT,
    KM_EXAMPLE,
    LO_EXAMPLE,
    NS,
    PT_PER_MM,
    TEMPLATES,
    Line,
    WordDocument,
    find_line,
    pdf_chars,
    pdf_lines,
    pdf_page_sizes,
    squeeze,
    text_of,
    version_groups,
    w,
)

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it

LEFT, RIGHT, TOP, BOTTOM = 30 * PT_PER_MM, 15 * PT_PER_MM, 20 * PT_PER_MM, 20 * PT_PER_MM
TEXT_RIGHT = A4_PT[0] - RIGHT
TEXT_CENTRE = (LEFT + TEXT_RIGHT) / 2
# Decree 30's date line: days below 10 and months 1 and 2 take a leading zero.
DATE_LINE = re.compile(
    r"^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$"
)  # fmt: skip


@pytest.fixture(scope="module", params=["km", "lo"])
def example(request: pytest.FixtureRequest, built_example):  # type: ignore[no-untyped-def]
    """(view, outputs) of one real example, built from a copy of its content."""
    return built_example({"km": KM_EXAMPLE, "lo": LO_EXAMPLE}[request.param])


@pytest.fixture(scope="module")
def vi(example) -> Version:  # type: ignore[no-untyped-def]
    view: DocumentView = example[0]
    assert view.versions[0].lang == "vi"
    return view.versions[0]


@pytest.fixture(scope="module")
def word(example) -> WordDocument:  # type: ignore[no-untyped-def]
    return WordDocument(example[1]["report.docx"])


@pytest.fixture(scope="module")
def vi_paragraphs(word: WordDocument) -> list[etree._Element]:
    """The paragraphs of the Vietnamese version: the first section of the report."""
    return word.sections()[0]


def paragraph(paragraphs: list[etree._Element], text: str) -> etree._Element:
    want = text.replace(ZWSP, "")
    found = [p for p in paragraphs if text_of(p) == want]
    assert found, f"no paragraph {text!r}"
    return found[0]


def one_run(word: WordDocument, p: etree._Element) -> dict:
    """The resolved run properties of a paragraph printed in one formatting."""
    props = word.run_props(p)
    assert all(x == props[0] for x in props), props
    return props[0]


# ---------------------------------------------------------------- DOCX: page


@pytest.mark.parametrize("document", ["report.docx", "signing.docx"])
def test_docx_sections_are_a4_with_decree_margins(example, document: str) -> None:  # type: ignore[no-untyped-def]
    for section in docx.Document(str(example[1][document])).sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5)
        assert abs(section.page_height - Mm(297)) < Mm(0.5)
        assert Mm(20) - Mm(0.1) <= section.top_margin <= Mm(25) + Mm(0.1)
        assert Mm(20) - Mm(0.1) <= section.bottom_margin <= Mm(25) + Mm(0.1)
        assert Mm(30) - Mm(0.1) <= section.left_margin <= Mm(35) + Mm(0.1)
        assert Mm(15) - Mm(0.1) <= section.right_margin <= Mm(20) + Mm(0.1)


def test_docx_page_numbers_in_the_header_from_page_2(example, word: WordDocument) -> None:  # type: ignore[no-untyped-def]
    report = docx.Document(str(example[1]["report.docx"]))
    for section in report.sections:
        assert section.different_first_page_header_footer  # "different first page"
        header = section.header._element
        instr = " ".join(t.text for t in header.iter(w("instrText")))
        assert re.search(r"\bPAGE\b", instr)
        first = section.first_page_header._element
        assert not list(first.iter(w("instrText")))
        assert not "".join(t.text or "" for t in first.iter(w("t"))).strip()
        (para,) = header.iter(w("p"))
        assert word.par_props(para)["jc"] == "center"
        size = word.run_levels(para, None)
        assert 13 <= (int(size[0].find("w:sz", NS).get(w("val"))) / 2) <= 14


# ---------------------------------------------------------------- DOCX: fonts and sizes


def test_docx_every_vietnamese_run_is_times_new_roman(  # type: ignore[no-untyped-def]
    word: WordDocument, vi_paragraphs
) -> None:
    fonts = {props["font"] for p in vi_paragraphs for props in word.run_props(p)}
    assert fonts == {"Times New Roman"}


def test_docx_national_title_and_motto(word: WordDocument, vi_paragraphs, vi: Version) -> None:  # type: ignore[no-untyped-def]
    title = paragraph(vi_paragraphs, vi.national_title)
    props = one_run(word, title)
    assert props["bold"] and 12 <= props["size"] <= 13
    assert vi.national_title == vi.national_title.upper()
    motto = paragraph(vi_paragraphs, vi.motto)
    props = one_run(word, motto)
    assert props["bold"] and 13 <= props["size"] <= 14
    for p in (title, motto):
        assert word.par_props(p)["jc"] == "center"
    # Top right: the right-hand cell of the header table, the issuing bodies in the left one.
    cell = next(title.iterancestors(w("tc")))
    row = cell.getparent()
    left, right = row.findall("w:tc", NS)
    assert cell is right
    assert text_of(left.find(".//w:p", NS)) == (vi.bodies[0].superior or vi.bodies[0].body)
    # The rule under the motto: the next paragraph draws a bottom border.
    rule = motto.getnext()
    assert word.style_of(rule) == "KBCRule"


def test_docx_issuing_bodies(word: WordDocument, vi_paragraphs, vi: Version) -> None:  # type: ignore[no-untyped-def]
    for body in vi.bodies:
        if body.superior:
            props = one_run(word, paragraph(vi_paragraphs, body.superior))
            assert not props["bold"] and 12 <= props["size"] <= 13
            assert body.superior == body.superior.upper()
        props = one_run(word, paragraph(vi_paragraphs, body.body))
        assert props["bold"] and 12 <= props["size"] <= 13
        assert body.body == body.body.upper()


def test_docx_number_and_date_line(word: WordDocument, vi_paragraphs, vi: Version) -> None:  # type: ignore[no-untyped-def]
    number = paragraph(vi_paragraphs, vi.number or "")
    assert re.fullmatch(r"Số: \S+", vi.number or "")
    assert one_run(word, number)["size"] == 13
    date = paragraph(vi_paragraphs, vi.date_line)
    props = one_run(word, date)
    assert props["italic"] and 13 <= props["size"] <= 14
    assert DATE_LINE.match(vi.date_line), vi.date_line
    assert word.par_props(date)["jc"] == "center"
    # Same line as the number: the same table row, number left, date right.
    assert next(number.iterancestors(w("tr"))) is next(date.iterancestors(w("tr")))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 2, 5), "Kiên Giang, ngày 05 tháng 02 năm 2025"),
        (dt.date(2024, 1, 1), "Kiên Giang, ngày 01 tháng 01 năm 2024"),
        (dt.date(2025, 3, 9), "Kiên Giang, ngày 09 tháng 3 năm 2025"),
        (dt.date(2023, 11, 16), "Kiên Giang, ngày 16 tháng 11 năm 2023"),
        (dt.date(2024, 12, 31), "Kiên Giang, ngày 31 tháng 12 năm 2024"),
    ],
)
def test_date_line_leading_zero_rule(day: dt.date, expected: str) -> None:
    line = load_locale(TEMPLATES / "locale", "vi").date(day, "Kiên Giang")
    assert line == expected
    assert DATE_LINE.match(line)


def test_docx_kind_and_abstract(word: WordDocument, vi_paragraphs, vi: Version) -> None:  # type: ignore[no-untyped-def]
    kind = paragraph(vi_paragraphs, vi.kind)
    props = one_run(word, kind)
    assert props["bold"] and 13 <= props["size"] <= 14 and vi.kind == vi.kind.upper()
    assert word.par_props(kind)["jc"] == "center"
    title = paragraph(vi_paragraphs, vi.title)
    props = one_run(word, title)
    assert props["bold"] and 13 <= props["size"] <= 14
    assert word.par_props(title)["jc"] == "center"
    assert word.style_of(title.getnext()) == "KBCRule"  # the short rule under the abstract


def test_docx_body_paragraphs(word: WordDocument, vi_paragraphs, vi: Version) -> None:  # type: ignore[no-untyped-def]
    body = [p.text for p in vi.body if p.role in ("body", "item")] + [vi.closing]
    assert len(body) > 10
    for text in body:
        p = paragraph(vi_paragraphs, text)
        props = one_run(word, p)
        assert 13 <= props["size"] <= 14 and not props["bold"] and not props["italic"]
        par = word.par_props(p)
        assert par["jc"] == "both", text[:40]
        assert 0.99 * 567 <= par["first_line"] <= 720  # 1 cm to 1.27 cm
        assert par["after"] + par["before"] >= 120  # ≥ 6 pt between paragraphs
        assert par["line_rule"] == "auto" and 240 <= par["line"] <= 360  # single to 1.5


def test_docx_signers(word: WordDocument, vi_paragraphs, vi: Version) -> None:  # type: ignore[no-untyped-def]
    for signer in vi.signers:
        for text in (signer.authority, signer.title):
            if text:
                props = one_run(word, paragraph(vi_paragraphs, text))
                assert props["bold"] and 13 <= props["size"] <= 14 and text == text.upper()
        name = paragraph(vi_paragraphs, signer.name)
        props = one_run(word, name)
        assert props["bold"] and 13 <= props["size"] <= 14
        assert word.par_props(name)["jc"] == "center"


def test_docx_recipients(word: WordDocument, vi_paragraphs, vi: Version) -> None:  # type: ignore[no-untyped-def]
    assert vi.recipients_label == "Nơi nhận:"
    label = paragraph(vi_paragraphs, vi.recipients_label)
    props = one_run(word, label)
    assert props["bold"] and props["italic"] and props["size"] == 12
    assert word.par_props(label)["jc"] == "left"
    for item in vi.recipients:
        props = one_run(word, paragraph(vi_paragraphs, item))
        assert props["size"] == 11 and not props["bold"]
    assert all(r.startswith("- ") and r.endswith(";") for r in vi.recipients[:-1])
    assert vi.recipients[-1].startswith("- Lưu: ") and vi.recipients[-1].endswith(".")
    # Several parties sign side by side: "Nơi nhận" follows the signature table, at left.
    signatures = next(paragraph(vi_paragraphs, vi.signers[0].name).iterancestors(w("tbl")))
    assert next(label.iterancestors(w("tbl")), None) is None
    assert vi_paragraphs.index(label) > vi_paragraphs.index(signatures.findall(".//w:p", NS)[-1])


# ---------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def pdf(example) -> Path:  # type: ignore[no-untyped-def]
    return example[1]["report.pdf"]


@pytest.fixture(scope="module")
def vi_pages(pdf: Path) -> list[list[Line]]:
    """Lines of the Vietnamese version's pages, page numbers (top margin) left out."""
    group = version_groups(pdf)[0]
    pages = pdf_lines(pdf)
    return [[ln for ln in pages[i] if ln.top > TOP] for i in group]


@pytest.mark.parametrize("document", ["report.pdf", "signing.pdf"])
def test_pdf_pages_are_a4(example, document: str) -> None:  # type: ignore[no-untyped-def]
    for width, height in pdf_page_sizes(example[1][document]):
        assert width == pytest.approx(A4_PT[0], abs=1)
        assert height == pytest.approx(A4_PT[1], abs=1)


def test_pdf_header_block_positions(pdf: Path, vi: Version) -> None:
    # The two header columns share baselines: read each one on its own (left 40 %).
    split = LEFT + 0.4 * (TEXT_RIGHT - LEFT)
    left = pdf_lines(pdf, (0, split))[0]
    right = pdf_lines(pdf, (split, A4_PT[0]))[0]
    issuer = find_line(left, vi.bodies[0].superior or vi.bodies[0].body)
    title = find_line(right, vi.national_title)
    motto = find_line(right, vi.motto)
    date = find_line(right, vi.date_line)
    number = find_line(left, vi.number or "")
    page = left
    # Issuing body top left, national title top right, level with each other, at the top.
    assert issuer.centre < TEXT_CENTRE < title.centre
    assert issuer.x0 >= LEFT - 1 and title.x1 <= TEXT_RIGHT + 1
    assert abs(issuer.top - title.top) < 3 and title.top < TOP + 10 * PT_PER_MM
    # Motto centred under the national title; the date line under the motto, centred too.
    assert motto.top > title.bottom and abs(motto.centre - title.centre) < 2
    assert date.top > motto.bottom and abs(date.centre - title.centre) < 3 * PT_PER_MM
    # Number at left on the date's line.
    assert abs(number.bottom - date.bottom) < 3 and number.x1 < date.x0
    assert title.fonts == {"Tinos-Bold"} and all(12 <= s <= 13 for s in title.sizes)
    assert motto.fonts == {"Tinos-Bold"} and all(13 <= s <= 14 for s in motto.sizes)
    assert date.fonts == {"Tinos-Italic"} and all(13 <= s <= 14 for s in date.sizes)
    assert number.sizes == {13.0}
    assert "Bold" in " ".join(find_line(page, vi.bodies[0].body).fonts)


def test_pdf_kind_and_abstract_centred_bold(vi_pages: list[list[Line]], vi: Version) -> None:
    page = vi_pages[0]
    kind = find_line(page, vi.kind)
    assert kind.fonts == {"Tinos-Bold"} and all(13 <= s <= 14 for s in kind.sizes)
    assert abs(kind.centre - TEXT_CENTRE) < 2
    first = find_line(page, vi.title)
    assert first.fonts == {"Tinos-Bold"} and abs(first.centre - TEXT_CENTRE) < 2
    assert first.top > kind.bottom


def _paragraph_lines(pages: list[list[Line]], text: str) -> list[tuple[int, Line]]:
    """The (page, line) pairs that print ``text``, found by its squeezed text."""
    want = squeeze(text)
    flat = [(i, ln) for i, page in enumerate(pages) for ln in page]
    for start, (_, line) in enumerate(flat):
        if not want.startswith(squeeze(line.text)):
            continue
        got, out = "", []
        for i, ln in flat[start:]:
            got += squeeze(ln.text)
            out.append((i, ln))
            if len(got) >= len(want):
                break
        if got == want:
            return out
    raise AssertionError(f"paragraph not found: {text[:50]!r}")


def test_pdf_body_is_tinos_14_justified_indented_and_spaced(
    vi_pages: list[list[Line]], vi: Version
) -> None:
    paragraphs = [p.text for p in vi.body if p.role in ("body", "item")]
    checked = 0
    previous: tuple[int, Line] | None = None
    for text in [p.text for p in vi.body]:
        lines = _paragraph_lines(vi_pages, text)
        first_page, first = lines[0]
        if text in paragraphs:
            for _, line in lines:
                assert line.fonts == {"Tinos"}, (text[:30], line.fonts)
                assert line.sizes == {14.0}
            indent = (first.x0 - LEFT) / PT_PER_MM
            assert 10 - 0.3 <= indent <= 12.7 + 0.3, (text[:30], indent)
            for _, line in lines[1:]:
                assert abs(line.x0 - LEFT) < 1
            for _, line in lines[:-1]:  # justified: every line but the last is full
                # (0.05 pt: the rounding of justified word spacing, a 500th of a millimetre)
                assert TEXT_RIGHT - 3 < line.x1 <= TEXT_RIGHT + 0.05, (text[:30], line.text[-20:])
            # Line spacing: single (1.15 em for Times metrics) to 1.5 lines.
            for (pa, a), (pb, b) in itertools.pairwise(lines):
                if pa == pb:
                    assert 1.15 * 14 - 0.5 <= b.top - a.top <= 1.5 * 1.15 * 14, text[:30]
            checked += 1
        if previous is not None and previous[0] == first_page:
            # ≥ 6 pt between paragraphs: the gap beyond one line pitch.
            pitch = 1.3 * 14
            assert first.top - previous[1].top - pitch >= 6 - 0.5, text[:30]
        previous = lines[-1]
    assert checked > 10


def test_pdf_recipients(vi_pages: list[list[Line]], vi: Version) -> None:
    flat = [ln for page in vi_pages for ln in page]
    label = find_line(flat, vi.recipients_label)
    assert label.fonts == {"Tinos-Bold-Italic"} and label.sizes == {12.0}
    assert abs(label.x0 - LEFT) < 1
    for item in vi.recipients:
        line = find_line(flat, item)
        assert line.sizes == {11.0} and abs(line.x0 - LEFT) < 1


def test_pdf_signature_blocks_bold(vi_pages: list[list[Line]], vi: Version) -> None:
    """Everything between the copies clause and "Nơi nhận" is the signer blocks: bold 13–14."""
    flat = [ln for page in vi_pages for ln in page]
    last = _paragraph_lines(vi_pages, vi.closing)[-1][1]
    label = find_line(flat, vi.recipients_label)
    block = flat[flat.index(last) + 1 : flat.index(label)]
    text = squeeze(" ".join(ln.text for ln in block))
    for signer in vi.signers:
        for s in (signer.authority, signer.title, signer.name):
            for word in s.split():
                assert squeeze(word) in text
    assert {f for ln in block for f in ln.fonts} == {"Tinos-Bold"}
    assert all(13 <= size <= 14 for ln in block for size in ln.sizes)


def test_pdf_page_numbers_centred_in_the_top_margin_from_page_2(pdf: Path) -> None:
    pages = pdf_chars(pdf)
    for group in version_groups(pdf):
        assert [c for c in pages[group[0]] if c["bottom"] <= TOP] == []
        for number, index in enumerate(group[1:], start=2):
            chars = [c for c in pages[index] if c["bottom"] <= TOP]
            assert chars, f"page {index + 1}: no page number"
            if index in version_groups(pdf)[0]:
                assert "".join(c["text"] for c in chars) == str(number)
                assert {c["fontname"].split("+")[-1] for c in chars} == {"Tinos"}
            centre = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
            assert abs(centre - TEXT_CENTRE) < 2
            assert all(12.99 <= c["size"] <= 14.01 for c in chars)
            assert all(c["top"] > 3 * PT_PER_MM for c in chars)


def test_pdf_no_glyph_outside_the_text_area(example) -> None:  # type: ignore[no-untyped-def]
    for document in ("report.pdf", "signing.pdf"):
        for number, chars in enumerate(pdf_chars(example[1][document]), start=1):
            for c in chars:
                if c["bottom"] <= TOP:
                    continue  # the page number
                assert c["x0"] >= LEFT - 0.05 and c["x1"] <= TEXT_RIGHT + 0.05, (number, c)
                assert c["bottom"] <= A4_PT[1] - BOTTOM + 0.05, (number, c["text"])
