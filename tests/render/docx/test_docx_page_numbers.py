"""Khmer page numbers in the Word file: field arithmetic that Word evaluates page by page.

Word has no Khmer page-number format, so the Khmer version's header computes each digit with
``{ SYMBOL { = … {PAGE} … } \\u }`` (see ``kbc_docs.render.docx.page_numbers``). Word itself is
not available here; these tests read the generated header back as a field tree and evaluate
it the way the field reference defines (nested fields first, ``=`` arithmetic, ``SYMBOL \\u``
gives the character), for every page number up to 999, and they convert the file with
LibreOffice, which cannot compute the fields and must still show a plain page number once.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from kbc_docs.text.segment import ZWSP
from lxml import etree
from support.form_pages import KM_EXAMPLE, LO_EXAMPLE, NS, PT_PER_MM, build_outputs, copy_content, w
from support.libreoffice import to_pdf

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it


KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
TOP = 20 * PT_PER_MM


@dataclasses.dataclass
class Field:
    code: list[str | Field]
    hidden: list[bool]


def field_tree(paragraph: etree._Element) -> list[str | Field]:
    """Text and fields of a paragraph, fields nested as Word nests them (results dropped)."""
    stack: list[tuple[Field, bool]] = []  # (field, reading its result part)
    top: list[str | Field] = []
    for run in paragraph.iter(w("r")):
        hidden = run.find("w:rPr/w:vanish", NS) is not None
        for node in run:
            if node.tag == w("fldChar"):
                kind = node.get(w("fldCharType"))
                if kind == "begin":
                    new = Field([], [])
                    if stack:
                        stack[-1][0].code.append(new)
                        stack[-1][0].hidden.append(hidden)
                    else:
                        top.append(new)
                    stack.append((new, False))
                elif kind == "separate":
                    stack[-1] = (stack[-1][0], True)
                elif kind == "end":
                    stack.pop()
            elif node.tag == w("instrText"):
                assert stack and not stack[-1][1]
                stack[-1][0].code.append(node.text or "")
                stack[-1][0].hidden.append(hidden)
            elif node.tag == w("t") and not stack:
                top.append(node.text or "")
    assert not stack, "unbalanced field characters"
    return top


def evaluate(field: Field, page: int) -> str:
    """A field's result as Word computes it for the given page."""
    code = "".join(p if isinstance(p, str) else evaluate(p, page) for p in field.code).strip()
    if code == "PAGE":
        return str(page)
    if code.startswith("="):
        expr, picture = re.fullmatch(r'=\s*(.*?)\s*\\# "(0)"', code).groups()
        assert "," not in expr and ";" not in expr  # one-argument functions only
        assert re.fullmatch(r"[\d\s+\-*/()A-Z]*", expr), expr
        # A whitelisted arithmetic expression, evaluated with no builtins.
        value = eval(
            expr, {"__builtins__": {}}, {"INT": math.floor, "SIGN": lambda x: (x > 0) - (x < 0)}
        )
        return f"{round(value):{picture}}"
    symbol = re.fullmatch(r'SYMBOL\s+(\d+)\s+\\u\s+\\f\s+"([^"]+)"', code)
    assert symbol, code
    return chr(int(symbol.group(1)))


def shown_by_word(paragraph: etree._Element, page: int) -> str:
    return "".join(
        p if isinstance(p, str) else evaluate(p, page) for p in field_tree(paragraph)
    ).replace(ZWSP, "")


def khmer(number: int) -> str:
    return "".join(KHMER_DIGITS[int(d)] for d in str(number))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    content = copy_content(KM_EXAMPLE, folder / "content")
    return build_outputs(content, folder / "out")["report.docx"]


def header_paragraph(section) -> etree._Element:  # type: ignore[no-untyped-def]
    (paragraph,) = section.header._element.iter(w("p"))
    return paragraph


def test_word_computes_khmer_page_numbers(report: Path) -> None:
    vi, km = Document(str(report)).sections
    paragraph = header_paragraph(km)
    for page in range(1, 1000):
        assert shown_by_word(paragraph, page) == khmer(page), page
    # Drawn in the version's Khmer face, at the template's page-number style.
    codes = [f.code[-1] for f in field_tree(paragraph) if isinstance(f, Field)]
    assert codes == [' \\u \\f "Khmer OS Siemreap" '] * 3
    assert paragraph.find("w:pPr/w:pStyle", NS).get(w("val")) == "KBCPageNumber"
    assert km.different_first_page_header_footer
    assert [t.text for t in km.first_page_header._element.iter(w("instrText"))] == []
    # The Vietnamese version keeps the template's own PAGE field, in Arabic digits.
    assert shown_by_word(header_paragraph(vi), 7) == "7"


def test_libreoffice_shows_one_arabic_number_where_it_cannot_compute(report: Path) -> None:
    (pdf,) = to_pdf([report], report.parent / "lo")
    with pdfplumber.open(pdf) as doc:
        tops = [
            "".join(c["text"] for c in page.chars if c["bottom"] <= TOP).replace(ZWSP, "")
            for page in doc.pages
        ]
        khmer_pages = [
            i
            for i, page in enumerate(doc.pages)
            if sum("\u1780" <= c["text"][:1] <= "\u17ff" for c in page.chars) > 50
        ]
    assert khmer_pages == list(range(khmer_pages[0], len(tops))) and khmer_pages[0] > 1
    km_pages = tops[khmer_pages[0] :]
    assert km_pages[0] == ""
    assert km_pages[1:] == [str(n) for n in range(2, len(km_pages) + 1)]


def test_latin_digit_partner_keeps_the_template_header(tmp_path: Path) -> None:
    content = copy_content(LO_EXAMPLE, tmp_path / "content")
    report = build_outputs(content, tmp_path / "out")["report.docx"]
    for section in Document(str(report)).sections:
        assert shown_by_word(header_paragraph(section), 12) == "12"
