"""One font per role per language, the same in the Word file and the PDF (issue 14).

The roles are the locale file's (``fonts:`` in templates/locale/km.yaml, lo.yaml): the body,
the headings, the national title and motto, the signers' names. For each role this reads the
complex-script family of the Word runs holding Khmer or Lao text (``w:rFonts w:cs`` on the
run, as the renderer writes it) and the embedded fonts of the PDF glyphs drawn for the same
text (found through the laid-out boxes of that role), and compares them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from support.form_pages import (
    KM_EXAMPLE,
    LO_EXAMPLE,
    PARTNER,
    build_outputs,
    copy_content,
    laid_out,
    pdf_chars,
    view_of,
)
from weasyprint.formatting_structure import boxes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLES = {"km": KM_EXAMPLE, "lo": LO_EXAMPLE}
# Role → the Word paragraph styles and the HTML classes that print it.
ROLES = {
    "body": ({"KBCBody", "KBCClosing"}, {"content-p", "closing"}),
    "heading": ({"KBCHeading1", "KBCHeading2", "KBCKind", "KBCTitle"}, {"h1", "h2", "kind"}),
    "national_title": ({"KBCNationalTitle", "KBCMotto"}, {"national-title", "motto"}),
    "names": ({"KBCSignerName"}, {"name"}),
}


@pytest.fixture(scope="module", params=["km", "lo"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp(f"fonts-{request.param}")
    content = copy_content(EXAMPLES[request.param], folder / "content")
    return request.param, view_of(content), build_outputs(content, folder / "out")


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_has_one_family_in_word_and_in_the_pdf(built, role: str) -> None:  # type: ignore[no-untyped-def]
    lang, view, outputs = built
    styles, classes = ROLES[role]
    word = _word_families(outputs["report.docx"], styles)
    pdf = _pdf_families(outputs["report.pdf"], laid_out(view, "report.html"), classes)
    wanted = getattr(view.fonts[lang], role)
    assert word == {wanted}, (role, word)
    assert pdf == {wanted}, (role, pdf)


def _word_families(docx: Path, styles: set[str]) -> set[str]:
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found: set[str] = set()
    for paragraph in root.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(f"{W}val") not in styles:
            continue
        for run in paragraph.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            fonts = run.find(f"{W}rPr/{W}rFonts")
            if PARTNER.search(text) and fonts is not None:
                found.add(fonts.get(f"{W}cs"))
    return found


def _pdf_families(pdf: Path, document, classes: set[str]) -> set[str]:  # type: ignore[no-untyped-def]
    pages = pdf_chars(pdf)
    found: set[str] = set()
    for number, box in _boxes_of(document, classes):
        if not PARTNER.search(box.text):
            continue
        top, bottom = box.position_y * 0.75, (box.position_y + box.height) * 0.75
        left, right = box.position_x * 0.75, (box.position_x + box.width) * 0.75
        for char in pages[number]:
            inside = top - 1 <= char["top"] and char["bottom"] <= bottom + 6
            if inside and left - 1 <= char["x0"] <= right + 1 and PARTNER.match(char["text"]):
                found.add(_family(char["fontname"]))
    return found


def _family(pdf_font: str) -> str:
    """ "ABCDEF+Phetsarath-OT-Bold" → "Phetsarath OT" (the family, as Word names it)."""
    name = re.sub(r"-(Bold|Italic|Regular)$", "", pdf_font.split("+", 1)[-1])
    return name.replace("-", " ").strip(" ,")  # Muol Light's PostScript name ends in a comma


def _boxes_of(document, classes: set[str]) -> Iterator[tuple[int, boxes.TextBox]]:  # type: ignore[no-untyped-def]
    for number, page in enumerate(document.pages):
        yield from ((number, b) for b in _walk(page._page_box, classes, False))


def _walk(box: boxes.Box, classes: set[str], inside: bool) -> Iterator[boxes.TextBox]:
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) not in (None, "html"):
        names = set((element.get("class") or "").split()) | {box.element_tag}
        if box.element_tag == "p" and "closing" not in names:
            names.add("content-p")
        inside = inside or bool(names & classes)
    if isinstance(box, boxes.TextBox) and inside and box.text.strip():
        yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child, classes, inside)


BOLD_ROLES = ("heading", "national_title", "names")


def test_lao_bold_roles_are_drawn_bold_in_the_pdf(built) -> None:  # type: ignore[no-untyped-def]
    """Phetsarath OT has no bold face: Word emboldens its bold runs, and so must the PDF
    (stroked outlines, text rendering mode 2), else Lao headings print like body text."""
    lang, view, outputs = built
    if lang != "lo":
        pytest.skip("Khmer OS Muol Light is a display face, never emboldened")
    document = laid_out(view, "report.html")
    strokes = _text_strokes(outputs["report.pdf"])
    bold = [b for role in BOLD_ROLES for b in _boxes_of(document, ROLES[role][1])]
    body = list(_boxes_of(document, ROLES["body"][1]))
    assert bold and body
    for number, box in bold + body:
        if not PARTNER.search(box.text):
            continue
        size = box.style["font_size"]
        at = (round(box.position_x, 2), round(box.position_y + box.baseline, 2))
        width = strokes[number].get(at)
        if (number, box) in body:
            assert width is None, (box.text, "body text stroked")
        else:
            # FreeType's emboldening: the stem grows by an em/24 (EMBOLDEN), Word's looks alike.
            assert width is not None and width >= size / 30, (box.text, width, size)


def _text_strokes(pdf: Path) -> list[dict[tuple[float, float], float | None]]:
    """Per page: where each text object starts (its Tm, CSS px) → its stroke width, when its
    Lao glyphs are stroked as well as filled (Tr 2), else absent."""
    pages = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            found: dict[tuple[float, float], float | None] = {}
            at, mode, width = None, 0, 0.0
            for instruction in pikepdf.parse_content_stream(page):
                operator, operands = str(instruction.operator), instruction.operands
                if operator == "Tm":
                    at = (round(float(operands[4]), 2), round(float(operands[5]), 2))
                elif operator == "Tr":
                    mode = int(operands[0])
                elif operator == "w":
                    width = float(operands[0])
                elif operator in ("TJ", "Tj") and at is not None and mode == 2:
                    found[at] = width
                elif operator == "ET":
                    at, mode = None, 0
            pages.append(found)
    return pages
