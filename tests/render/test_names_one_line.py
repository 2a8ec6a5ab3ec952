"""A person's name is never split over two lines, in Word and in the PDF (issue 14).

Khmer and Lao write a Vietnamese name syllable by syllable ("ທ່ານ ເລ ວັນ ແທ່ງ"); a space there
is a line-break opportunity like the space between two phrases, so a name could end one line
and begin the next, in a signature block as in running text. The view joins the syllables of
the registry's names in Khmer and Lao text (signature blocks included) with NO-BREAK SPACE, the
one mark Word and WeasyPrint both honour; Vietnamese spaces are word spaces and wrap alike in
both. These tests read the built files: the Word runs and the PDF's text and laid-out lines.

A name kept whole on a line moves to the next one, and must not leave the line it left with
holes: a keep that does is dropped (the name wraps).
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from kbc_docs.content.load import load_yaml
from kbc_docs.render import DEFAULT_WHEN
from kbc_docs.render.pdf import html as pdf_html
from kbc_docs.render.pdf import produce
from kbc_docs.render.pdf import render as pdf_module
from kbc_docs.text.segment import WJ
from lxml import etree
from support.form_pages import (
    CONTENT,
    LAO,
    LO_EXAMPLE,
    PARTNER,
    TEMPLATES,
    build_outputs,
    copy_content,
    laid_out,
    pdftotext_pages,
    view_of,
)
from support.justified_gaps import VIETNAMESE, justified_gaps
from weasyprint.formatting_structure import boxes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("names")
    content = copy_content(LO_EXAMPLE, folder / "content")
    return view_of(content), build_outputs(content, folder / "out")


def _people(lang: str) -> list[str]:
    registry = load_yaml(CONTENT / "registry.yaml").data
    return [p["name"][lang] for p in registry["people"].values() if " " in p["name"].get(lang, "")]


def _paragraphs(docx: Path, styles: set[str] | None = None) -> list[str]:
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found = []
    for paragraph in root.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if styles is None or (style is not None and style.get(f"{W}val") in styles):
            found.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")).replace(WJ, ""))
    return found


def test_a_name_in_running_text_is_kept_on_one_line(built) -> None:  # type: ignore[no-untyped-def]
    _, outputs = built
    docx = "\n".join(_paragraphs(outputs["report.docx"], {"KBCBody"}))
    pdf = "".join(pdftotext_pages(outputs["report.pdf"], raw=True))
    named = [n for n in _people("lo") if n.replace(" ", NBSP) in docx]
    assert len(named) >= 3, named  # the example names its chairs and delegates in the text
    for name in _people("lo"):
        assert name not in docx, f"{name!r} can break at its spaces in Word"
        assert name not in pdf, f"{name!r} can break at its spaces in the PDF"
    for name in named:
        assert name.replace(" ", NBSP) in pdf, name


@pytest.mark.parametrize("document", ["report", "signing"])
def test_a_signer_s_name_is_on_one_line(built, document: str) -> None:  # type: ignore[no-untyped-def]
    view, outputs = built
    names = _paragraphs(outputs[f"{document}.docx"], {"KBCSignerName"})
    lao = [n for n in names if LAO.search(n)]
    assert len(lao) == 3, names  # three parties sign the Lao version
    assert all(" " not in n and NBSP in n for n in lao), lao
    layout = laid_out(view, f"{document}.html")
    lines = [tops for tops in _name_lines(layout) if tops]
    assert len(lines) >= 6
    assert all(len(tops) == 1 for tops in lines), lines


@pytest.mark.parametrize("letters", [VIETNAMESE, PARTNER], ids=["vi", "lo"])
def test_a_name_kept_whole_leaves_no_hole_in_a_justified_line(built, letters, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """No justified line (a paragraph's last line is not one) has a gap over two spaces,
    except where the same line has it with no name kept whole at all.

    WeasyPrint widens only the spaces of a Vietnamese line, and its own line breaks leave a
    few lines of the example just over two spaces ("… cùng dự có bà Vannaphone", 2.19): no
    keep is there to drop. A keep must not add to them (it once left "Vannaphone
    Sisouvanh," alone on a justified line, 96 spaces wide).
    """
    view, outputs = built
    gaps = justified_gaps(outputs["report.pdf"], letters)
    assert len(gaps) >= 20  # the measure sees the paragraphs' lines
    unkept = _report_without_keeps(view, tmp_path / "unkept.pdf")
    assert unkept.read_bytes() != outputs["report.pdf"].read_bytes()
    allowed = {g.text: g.ratio for g in justified_gaps(unkept, letters) if g.ratio > 2.0}
    holes = [g for g in gaps if g.ratio > max(2.0, allowed.get(g.text, 0.0) + 0.01)]
    assert not holes, [(g.page, g.text, round(g.ratio, 2)) for g in holes]


def _report_without_keeps(view, pdf: Path) -> Path:  # type: ignore[no-untyped-def]
    """The report PDF laid out from the same HTML with no registry name kept whole."""
    templates = TEMPLATES.resolve()
    html = pdf_html.render_html(view, "report.html", templates)
    document = pdf_module.lay_out(html, templates, dataclasses.replace(view, names={}))
    pdf.write_bytes(produce.write_document(document, html, DEFAULT_WHEN))
    return pdf


def _name_lines(document) -> Iterator[set[float]]:  # type: ignore[no-untyped-def]
    """For each signer's name printed in the PDF, the tops of the lines its text is drawn on."""
    for page in document.pages:
        yield from _walk(page._page_box)


def _walk(box: boxes.Box) -> Iterator[set[float]]:
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    if "name" in classes and isinstance(box, boxes.BlockBox):
        yield {round(t.position_y, 1) for t in _texts(box) if t.text.strip()}
        return
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _texts(box: boxes.Box) -> Iterator[boxes.TextBox]:
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _texts(child)
