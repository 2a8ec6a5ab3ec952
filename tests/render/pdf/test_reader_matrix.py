"""The readers recipients use get every paragraph of every example back, and draw it the same.

Each example content file is built as a user builds it; its PDFs are read by PDFium (Chrome,
Edge), pdf.js (Firefox, in Node.js), MuPDF (phone and desktop viewers), poppler (default and
``-raw``) and pypdf (:mod:`support.reader_matrix`). Every Vietnamese, Khmer and Lao paragraph
must come back exactly (whitespace removed, NFKC on both sides), no reader may return a letter
twice or lose one, each registry name the document prints on one line must be found by the
search of PDFium, pdf.js and MuPDF, and PDFium must end every line where MuPDF and poppler do.
"""

from __future__ import annotations

import collections
import hashlib
import io
import re
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from support.form_pages import CONTENT
from support.reader_matrix import (
    READERS,
    document_text,
    names_let_wrap,
    paragraphs,
    pdfium_pages,
    printed_names,
    read_back,
    right_edge_differences,
    search_misses,
    split_names,
    squeezed,
)

EXAMPLES = sorted(p for p in CONTENT.glob("*.yaml") if p.name != "registry.yaml")
DOCUMENTS = ("report", "signing")
NBSP = "\u00a0"


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def example(request: pytest.FixtureRequest, built_example):  # type: ignore[no-untyped-def]
    return built_example(request.param)


def pdf_of(example, document: str) -> Path:  # type: ignore[no-untyped-def]
    """The example's PDF of ``document``; a document kind this example does not have is skipped."""
    _, outputs = example
    if f"{document}.pdf" not in outputs:
        pytest.skip(f"this example has no {document} document")
    return outputs[f"{document}.pdf"]


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_paragraph_comes_back_exactly(example, document: str, reader: str) -> None:  # type: ignore[no-untyped-def]
    view, _ = example
    pdf = pdf_of(example, document)
    text = document_text(READERS[reader](pdf))
    for lang, wanted in paragraphs(view, document).items():
        cell = read_back(text, wanted)
        assert not cell.missing, f"{reader}, {lang}: {cell.found}/{cell.total}; {cell.missing[:3]}"


def _letters(text: str) -> collections.Counter[str]:
    """The non-ASCII characters of a reader's text (MuPDF draws 'SIGN' on empty fields)."""
    return collections.Counter(c for c in text if ord(c) > 0x7F)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_reader_doubles_or_loses_a_letter(example, document: str) -> None:  # type: ignore[no-untyped-def]
    """/ActualText and the glyphs' own text never both reach a reader (MuPDF printed both)."""
    pdf = pdf_of(example, document)
    counts = {reader: _letters(document_text(pages(pdf))) for reader, pages in READERS.items()}
    reference = counts["pypdf"]  # pypdf reads only the fonts' ToUnicode maps
    for reader, count in counts.items():
        assert count == reference, (reader, count - reference, reference - count)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_readers_find_every_registry_name(example, document: str) -> None:  # type: ignore[no-untyped-def]
    """A search for a party, place or person finds it, where the page prints it on one line.

    A name wrapped over two lines is not found by Firefox's or MuPDF's search in any PDF (both
    match a line break only to a space); such names (too long for their line, see
    :func:`test_no_registry_name_wraps_where_a_line_holds_it`) are left out, and at least one
    name in each language of the document must be checked. The search is typed with plain
    spaces, where the page may keep a name together with NO-BREAK SPACEs.
    """
    view, _ = example
    pdf = pdf_of(example, document)
    pages = pdfium_pages(pdf)
    lines = [line.replace(NBSP, " ") for page in pages for line in re.split(r"[\r\n]+", page)]
    checked = set()
    for lang, names in printed_names(view, document, CONTENT / "registry.yaml").items():
        on_a_line = [n for n in names if any(n in line for line in lines)]
        if names:
            assert on_a_line, f"no {lang} registry name printed on one line"
        checked.add(lang)
        for reader, missed in search_misses(pdf, on_a_line).items():
            assert not missed, f"{reader} does not find {missed}"
    assert checked >= set(view.languages)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_registry_name_wraps_where_a_line_holds_it(example, document: str) -> None:  # type: ignore[no-untyped-def]
    """A party, place or person is split over two lines only where it is wider than they are,
    or where keeping it whole would leave a justified line with holes (told from the first
    layout, or seen on the next, and the layout let it wrap: :func:`names_let_wrap`).

    Breaks between two printed strings (a header's superior body above its body) are no
    wrapping. Measured on PDFium's characters: the name's pieces end to end against the
    width of the lines it spans.
    """
    view, _ = example
    pdf = pdf_of(example, document)
    names = [
        n for ns in printed_names(view, document, CONTENT / "registry.yaml").values() for n in ns
    ]
    printed = [squeezed(p) for texts in paragraphs(view, document).values() for p in texts]
    splits = split_names(pdf, names)
    assert all(s.width > 0 and s.lines > 0 for s in splits)
    let_wrap = names_let_wrap(view, document)
    wrapped = [s for s in splits if s.fits and not s.between(printed) and s.name not in let_wrap]
    assert not wrapped, [(s.name, round(s.width), round(s.lines)) for s in wrapped]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_pdfium_ends_lines_where_mupdf_and_poppler_do(
    example, document: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert right_edge_differences(pdf_of(example, document), tmp_path) == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_marked_content_is_nested_in_text_objects(example, document: str) -> None:  # type: ignore[no-untyped-def]
    """Every marked-content span ends, and one begun inside a text object ends inside it.

    A line's /ActualText span left open swallowed the marked content after it; MuPDF's
    search then placed a line's text on the glyphs of another.
    """
    with pikepdf.open(pdf_of(example, document)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            open_spans: list[bool] = []  # one per open span: begun inside a text object?
            in_text = False
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(getattr(instruction, "operator", ""))
                if operator in ("BDC", "BMC"):
                    open_spans.append(in_text)
                elif operator == "EMC":
                    assert open_spans, f"page {number}: EMC without a span"
                    assert open_spans.pop() == in_text, f"page {number}: span crosses BT/ET"
                elif operator in ("BT", "ET"):
                    assert not (open_spans and open_spans[-1]), f"page {number}: {operator}"
                    in_text = operator == "BT"
            assert not open_spans, f"page {number}: {len(open_spans)} spans never end"


def _text_arrays(pdf: Path) -> list[pikepdf.Array]:
    arrays = []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for instruction in pikepdf.parse_content_stream(page):
                if str(getattr(instruction, "operator", "")) == "TJ":
                    arrays.append(instruction.operands[0])
    return arrays


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_empty_strings_in_text_arrays(example, document: str) -> None:  # type: ignore[no-untyped-def]
    """PDFium drops the spacing after an empty string: justified lines would end short."""
    arrays = _text_arrays(pdf_of(example, document))
    assert arrays
    for array in arrays:
        strings = [item for item in array if isinstance(item, pikepdf.String)]
        assert strings and all(len(bytes(s)) for s in strings), array


@pytest.mark.parametrize("document", DOCUMENTS)
def test_fonts_map_every_code_to_text_and_are_named_cleanly(example, document: str) -> None:  # type: ignore[no-untyped-def]
    """No ``<xxxx> <>`` in a ToUnicode map; names without a trailing comma."""
    with pikepdf.open(pdf_of(example, document)) as doc:
        fonts = {
            font.objgen: font for page in doc.pages for _, font in page.obj.Resources.Font.items()
        }
        for font in fonts.values():
            name = str(font.BaseFont)
            assert re.fullmatch(r"/[A-Z]{6}\+[A-Za-z0-9-]+", name), name
            cmap = font.ToUnicode.read_bytes()
            assert not re.search(rb"<[0-9a-fA-F]+>\s*<>", cmap), name
            assert str(font.DescendantFonts[0].FontDescriptor.FontName) == name
            assert _width_mismatches(font) == [], name


def _width_mismatches(font: pikepdf.Dictionary) -> list[tuple[int, float, float]]:
    """Codes whose ``/W`` width differs from the embedded glyph's advance (PDF/A-3 6.2.11.5)."""
    descendant = font.DescendantFonts[0]
    ttf = TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()))
    order, units = ttf.getGlyphOrder(), ttf["head"].unitsPerEm
    cid_to_gid = descendant.CIDToGIDMap
    table = cid_to_gid.read_bytes() if isinstance(cid_to_gid, pikepdf.Stream) else None
    widths, items, i = {}, list(descendant.get("/W", [])), 0
    while i < len(items):
        first = int(items[i])
        for j, width in enumerate(items[i + 1]):
            widths[first + j] = float(width)
        i += 2
    wrong = []
    for code, width in widths.items():
        gid = int.from_bytes(table[2 * code : 2 * code + 2], "big") if table else code
        if gid < len(order):
            advance = ttf["hmtx"][order[gid]][0] * 1000 / units
            if abs(advance - width) > 1:
                wrong.append((code, width, advance))
    return wrong


def test_subset_tags_differ_for_different_glyph_sets(built_example) -> None:  # type: ignore[no-untyped-def]
    """One tag and name per font program, across every example's PDFs (merging tools rely on it)."""
    programs: dict[str, set[bytes]] = collections.defaultdict(set)
    for source in EXAMPLES:
        _, outputs = built_example(source)
        for document in DOCUMENTS:
            if f"{document}.pdf" not in outputs:
                continue
            with pikepdf.open(outputs[f"{document}.pdf"]) as doc:
                for page in doc.pages:
                    for _, font in page.obj.Resources.Font.items():
                        descriptor = font.DescendantFonts[0].FontDescriptor
                        program = descriptor.FontFile2.read_bytes()
                        programs[str(font.BaseFont)].add(hashlib.sha256(program).digest())
    assert programs
    for name, digests in programs.items():
        assert len(digests) == 1, f"{name} names {len(digests)} different font programs"
    by_family = collections.Counter(name.split("+", 1)[1] for name in programs)
    assert max(by_family.values()) > 1  # some font is subset differently in two files
