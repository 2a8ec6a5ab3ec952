"""The reader matrix: which paragraphs of a document come back exactly from the readers people use.

Recipients read the PDFs in Chrome or Edge (PDFium), Firefox (pdf.js), desktop and phone viewers
built on MuPDF, and tools built on poppler or pypdf. Each reader here extracts the text as that
reader does: PDFium through pypdfium2, pdf.js through ``pdfjs-dist`` (its legacy build, in
Node.js; ``tests/readers`` pins it), MuPDF through PyMuPDF, poppler through ``pdftotext`` in its
default and ``-raw`` modes, and pypdf.

A paragraph *comes back* when its text appears in the reader's text of the document with all
whitespace removed and both sides in NFKC (pdf.js normalises like NFKC: Lao U+0EB3 comes back as
U+0ECD U+0EB2): nothing dropped, doubled, swapped or replaced. Page numbers (a line of digits
first or last on a page) are left out, so that a paragraph running over a page break is still one
text. :func:`search_misses` asks the readers' own search (PDFium's and MuPDF's find, pdf.js's
find bar as it matches its text content) for each registry name the document prints.

Used by ``tests/render/pdf/test_reader_matrix.py`` and printed by ``benchmarks/bench_build.py``.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from kbc_docs.render.pdf import html as pdf_html
from kbc_docs.render.pdf import laid_out, name_keeps
from kbc_docs.render.pdf import render as pdf_module
from kbc_docs.view import DocumentView

from support.form_pages import TEMPLATES
from support.pdf_checks import extract_text, without_page_numbers

READERS_DIR = Path(__file__).resolve().parents[1] / "readers"
PDFJS_SCRIPT = READERS_DIR / "pdfjs_text.mjs"
ZWSP = "\u200b"
# A page number alone on a line, in Latin, Khmer or Lao digits.


def ensure_pdfjs() -> None:
    """Install the pinned pdf.js (``npm ci`` in ``tests/readers``) if it is not there yet."""
    if (READERS_DIR / "node_modules" / "pdfjs-dist").is_dir():
        return
    if shutil.which("npm") is None:
        raise RuntimeError("npm (Node.js) is not installed: it runs pdf.js for the reader tests")
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=READERS_DIR,
        check=True,
        capture_output=True,
    )


# ---------------------------------------------------------------- the readers


def pdfium_pages(pdf: Path) -> list[str]:
    """PDFium's text, as Chrome copies it (a hyphen it takes for a word broken at a line end
    would come back as U+FFFE, and the paragraph would not be found)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def mupdf_pages(pdf: Path) -> list[str]:
    import pymupdf

    with pymupdf.open(pdf) as document:
        return [page.get_text() for page in document]


def pdfjs_pages(pdf: Path) -> list[str]:
    ensure_pdfjs()
    result = subprocess.run(
        ["node", str(PDFJS_SCRIPT), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.split("\f")


def poppler_pages(pdf: Path) -> list[str]:
    return extract_text(pdf.read_bytes(), "pdftotext")


def poppler_raw_pages(pdf: Path) -> list[str]:
    return extract_text(pdf.read_bytes(), "pdftotext-raw")


def pypdf_pages(pdf: Path) -> list[str]:
    return extract_text(pdf.read_bytes(), "pypdf")


READERS: dict[str, Callable[[Path], list[str]]] = {
    "PDFium (Chrome, Edge)": pdfium_pages,
    "pdf.js (Firefox)": pdfjs_pages,
    "MuPDF (viewers, phones)": mupdf_pages,
    "poppler pdftotext": poppler_pages,
    "poppler pdftotext -raw": poppler_raw_pages,
    "pypdf": pypdf_pages,
}
"""Reader name → its text of each page of a PDF file."""


# ---------------------------------------------------------------- comparing


def squeezed(text: str) -> str:
    """``text`` in NFKC with every whitespace character removed (U+200B is not whitespace)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def document_text(pages: Iterable[str]) -> str:
    """A reader's text of a whole document, squeezed, page numbers left out."""
    return squeezed("\n".join(without_page_numbers(p) for p in pages))


def paragraphs(view: DocumentView, document: str) -> dict[str, list[str]]:
    """Language → the distinct paragraphs ``document`` prints in it (U+200B break marks removed)."""
    out: dict[str, dict[str, None]] = {}
    for version in view.versions:
        for text in version.printed(document):
            text = text.replace(ZWSP, "")
            if squeezed(text):
                out.setdefault(version.lang, {})[text] = None
    return {lang: list(texts) for lang, texts in out.items()}


@dataclass(frozen=True)
class Cell:
    """One reader × language cell: the paragraphs that came back and the ones that did not."""

    found: int
    missing: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.found + len(self.missing)


def read_back(text: str, wanted: Iterable[str]) -> Cell:
    """Which of ``wanted`` appear in ``text`` (a :func:`document_text`)."""
    found, missing = 0, []
    for paragraph in wanted:
        if squeezed(paragraph) in text:
            found += 1
        else:
            missing.append(paragraph)
    return Cell(found, tuple(missing))


def matrix(
    pdfs: Mapping[str, Path], views: Mapping[str, DocumentView], readers: Iterable[str] = READERS
) -> dict[tuple[str, str], Cell]:
    """(reader, language) → the cell, summed over the documents.

    ``pdfs`` maps a document name (``report``, ``signing``) to its PDF, ``views`` the same name
    to the view it was built from (several content files: pass keys such as ``file/report``).
    """
    cells: dict[tuple[str, str], Cell] = {}
    for reader in readers:
        for name, pdf in pdfs.items():
            text = document_text(READERS[reader](pdf))
            for lang, wanted in paragraphs(views[name], name.rsplit("/", 1)[-1]).items():
                cell = read_back(text, wanted)
                old = cells.get((reader, lang), Cell(0, ()))
                cells[(reader, lang)] = Cell(old.found + cell.found, old.missing + cell.missing)
    return cells


def table(cells: Mapping[tuple[str, str], Cell]) -> str:
    """The matrix as a Markdown table: reader × language, paragraphs found / total."""
    readers = list(dict.fromkeys(r for r, _ in cells))
    langs = list(dict.fromkeys(lang for _, lang in cells))
    lines = [
        "| reader | " + " | ".join(langs) + " |",
        "|---|" + "---|" * len(langs),
    ]
    for reader in readers:
        row = [f"{cells[(reader, lang)].found}/{cells[(reader, lang)].total}" for lang in langs]
        lines.append(f"| {reader} | " + " | ".join(row) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- searching


def registry_names(registry: Path) -> dict[str, set[str]]:
    """Language → every name the registry gives (places, parties, people; every field)."""
    data = yaml.safe_load(registry.read_text(encoding="utf-8")) or {}
    names: dict[str, set[str]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and re.fullmatch(r"[a-z]{2,3}", str(key)):
                    names.setdefault(str(key), set()).add(value.strip())
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for section in ("places", "parties", "people"):
        walk(data.get(section, {}))
    return names


def printed_names(view: DocumentView, document: str, registry: Path) -> dict[str, list[str]]:
    """Language → the registry names that ``document`` prints in that language."""
    printed = paragraphs(view, document)
    out: dict[str, list[str]] = {}
    for lang, names in registry_names(registry).items():
        texts = printed.get(lang, [])
        out[lang] = sorted(n for n in names if n and any(n in t for t in texts))
    return out


def _pdfium_finds(pdf: Path, name: str) -> bool:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for page in document:
            searcher = page.get_textpage().search(name, match_case=True)
            if searcher.get_next() is not None:
                return True
        return False
    finally:
        document.close()


def _mupdf_finds(pdf: Path, name: str) -> bool:
    import pymupdf

    with pymupdf.open(pdf) as document:
        return any(page.search_for(name) for page in document)


def _pdfjs_finds(pages: list[str], name: str) -> bool:
    """As Firefox's find bar matches: NFKC text, any whitespace in the query matches any run."""
    query = r"\s+".join(re.escape(part) for part in unicodedata.normalize("NFKC", name).split())
    return any(re.search(query, unicodedata.normalize("NFKC", page)) for page in pages)


def search_misses(pdf: Path, names: Iterable[str]) -> dict[str, list[str]]:
    """Reader → the ``names`` its search does not find in ``pdf`` (PDFium, pdf.js, MuPDF)."""
    names = list(names)
    pdfjs = pdfjs_pages(pdf)
    return {
        "PDFium (Chrome, Edge)": [n for n in names if not _pdfium_finds(pdf, n)],
        "pdf.js (Firefox)": [n for n in names if not _pdfjs_finds(pdfjs, n)],
        "MuPDF (viewers, phones)": [n for n in names if not _mupdf_finds(pdf, n)],
    }


# ---------------------------------------------------------------- drawing: right edges

EDGE_DPI = 144  # 2 pixels a point


def _pdfium_images(pdf: Path) -> list:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [
            page.render(scale=EDGE_DPI / 72, may_draw_forms=False).to_pil().convert("L")
            for page in document
        ]
    finally:
        document.close()


def _mupdf_images(pdf: Path) -> list:
    import pymupdf
    from PIL import Image

    images = []
    with pymupdf.open(pdf) as document:
        for page in document:
            pixmap = page.get_pixmap(dpi=EDGE_DPI, colorspace=pymupdf.csGRAY, annots=False)
            images.append(Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples))
    return images


def _poppler_images(pdf: Path, folder: Path) -> list:
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(EDGE_DPI),
            "-gray",
            "-hide-annotations",
            str(pdf),
            str(folder / "p"),
        ],
        check=True,
        capture_output=True,
    )
    return [Image.open(path).convert("L") for path in sorted(folder.glob("p-*.pgm"))]


def _line_bands(pdf: Path) -> list[list[tuple[int, int]]]:
    """Each page's text lines as pixel row ranges: from half the font size above the baseline
    down to the baseline, where a line's own letters are and its neighbours' marks are not."""
    import pdfplumber

    scale = EDGE_DPI / 72
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines: dict[int, float] = {}
            for char in page.chars:
                if not char["text"].strip():
                    continue
                baseline = round((page.height - char["matrix"][5]) * scale)
                lines[baseline] = max(lines.get(baseline, 0.0), char["size"])
            bands = sorted((round(b - size * 0.45 * scale), b) for b, size in lines.items())
            pages.append(bands)
    return pages


def _right_edge(image: object, band: tuple[int, int]) -> int | None:
    """The rightmost pixel darker than mid-grey in the rows of ``band`` (None: no ink)."""
    width, _ = image.size  # type: ignore[attr-defined]
    rows = image.crop((0, band[0], width, band[1]))  # type: ignore[attr-defined]
    box = rows.point(lambda v: 255 if v < 128 else 0).getbbox()
    return None if box is None else box[2] - 1


def right_edge_differences(pdf: Path, folder: Path) -> list[str]:
    """Lines whose right end PDFium draws more than 1 pt away from MuPDF's and poppler's.

    Each page is rendered by the three engines at :data:`EDGE_DPI`; lines are the bands of
    inked rows of PDFium's image, and a line's right end is its rightmost inked pixel. Signature
    widgets are left out (MuPDF and poppler draw their own look for an unsigned field).
    """
    tolerance = EDGE_DPI / 72  # 1 pt in pixels
    engines = {
        "MuPDF": _mupdf_images(pdf),
        "poppler": _poppler_images(pdf, folder),
    }
    problems = []
    bands = _line_bands(pdf)
    for number, image in enumerate(_pdfium_images(pdf), start=1):
        for band in bands[number - 1]:
            edge = _right_edge(image, band)
            for name, images in engines.items():
                other = _right_edge(images[number - 1], band)
                if edge is None or other is None or abs(edge - other) > tolerance:
                    problems.append(
                        f"page {number}, rows {band[0]}-{band[1]}: PDFium ends at {edge}, "
                        f"{name} at {other} (pixels at {EDGE_DPI} dpi)"
                    )
    return problems


# ---------------------------------------------------------------- names on one line


@dataclass(frozen=True)
class Split:
    """A name the page prints over several lines: its width, its lines' width, its pieces."""

    name: str
    page: int
    width: float  # the name's pieces, end to end (pt)
    lines: float  # from the leftmost to the rightmost character of the lines it spans (pt)
    texts: tuple[str, ...]  # the lines it spans, squeezed
    pieces: tuple[str, ...]  # the name's piece on each of them, squeezed

    @property
    def fits(self) -> bool:
        """Whether one of those lines could have held the whole name."""
        return self.width <= self.lines

    def between(self, printed: Iterable[str]) -> bool:
        """Whether every break inside the name is one between two printed strings (squeezed),
        as between a header's superior body and its body, rather than a line wrapping."""
        printed = list(printed)
        lines = zip(self.texts, self.pieces, strict=True)
        for (text, piece), (after, next_piece) in itertools.pairwise(lines):
            ends = any(text.endswith(p) and piece in p for p in printed)
            starts = any(after.startswith(p) and next_piece in p for p in printed)
            if not (ends and starts):
                return False
        return True


def names_let_wrap(view: DocumentView, document: str) -> set[str]:
    """The names the layout of ``document`` let wrap although a line could hold them: those
    whose keep the first layout tells would leave a justified line with holes
    (:attr:`kbc_docs.render.pdf.laid_out.WrappedName.loosens`, checked by
    ``tests/render/pdf/test_name_passes.py``), and those whose keep did and was undone
    (:func:`kbc_docs.render.pdf.name_keeps.keep_names`).

    Found by laying the document out as the build does and noting both.
    """
    let_wrap: set[str] = set()
    keep, wrapped_names = name_keeps.keep_names_whole, laid_out.wrapped_names

    def noting(places):  # type: ignore[no-untyped-def]
        places = list(places)

        def undo(element, restore):  # type: ignore[no-untyped-def]
            def run() -> None:
                let_wrap.update(name for kept, name in places if kept is element)
                restore()

            return run

        return {element: undo(element, restore) for element, restore in keep(places).items()}

    def telling(document, names):  # type: ignore[no-untyped-def]
        found = wrapped_names(document, names)
        let_wrap.update(w.name for w in found if w.loosens)
        return found

    templates = TEMPLATES.resolve()
    html = pdf_html.render_html(view, f"{document}.html", templates)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(name_keeps, "keep_names_whole", noting)
        # Every pass made, none taken from the memo of an earlier build.
        patch.setattr(name_keeps.Memo, "active", staticmethod(lambda: False))
        patch.setattr(laid_out, "wrapped_names", telling)
        pdf_module.lay_out(html, templates, view)
    return let_wrap


def split_names(pdf: Path, names: Iterable[str]) -> list[Split]:
    """Every name of ``names`` that MuPDF reads split over two or more lines of ``pdf``.

    Characters are matched squeezed (NFKC, no whitespace, no U+200B); each character's box is
    MuPDF's (PDFium places the characters of an /ActualText span on its first glyph), and a
    line is the characters of one MuPDF block (a column) on one baseline.
    """
    import pymupdf

    wanted = {squeezed(n): n for n in names if squeezed(n)}
    splits = []
    with pymupdf.open(pdf) as document:
        for number, page in enumerate(document, start=1):
            chars: list[tuple[str, object, tuple[float, float, float, float]]] = []
            for index, block in enumerate(page.get_text("rawdict")["blocks"]):
                for row in block.get("lines", []):
                    for span in row["spans"]:
                        for char in span["chars"]:
                            line = (index, round(char["origin"][1]))  # block, baseline
                            box = tuple(char["bbox"])
                            chars += [(c, line, box) for c in squeezed(char["c"])]
            text = "".join(c for c, _, _ in chars)
            for key, name in wanted.items():
                at = text.find(key)
                while at >= 0:
                    part = chars[at : at + len(key)]
                    lines = list(dict.fromkeys(ln for _, ln, _ in part))
                    if len(lines) > 1:
                        splits.append(_split(name, number, chars, part, lines))
                    at = text.find(key, at + 1)
    return splits


def _split(
    name: str,
    page: int,
    chars: list[tuple[str, object, tuple[float, float, float, float]]],
    part: list[tuple[str, object, tuple[float, float, float, float]]],
    lines: list[object],
) -> Split:
    def extent(boxes: list[tuple[float, float, float, float]]) -> float:
        return max(b[2] for b in boxes) - min(b[0] for b in boxes)

    pieces = [[b for _, ln, b in part if ln == n] for n in lines]
    around = [b for _, ln, b in chars if ln in lines]
    return Split(
        name,
        page,
        width=sum(extent(p) for p in pieces),
        lines=extent(around),
        texts=tuple("".join(c for c, ln, _ in chars if ln == n) for n in lines),
        pieces=tuple("".join(c for c, ln, _ in part if ln == n) for n in lines),
    )
