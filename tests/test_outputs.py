"""The example's real outputs carry every text of the content file, in both formats.

These tests build ``content/2023-11-16.yaml`` once and read the files as a recipient would:
python-docx for the Word files, pdftotext and pdfplumber for the PDFs, LibreOffice as a real
client that must open the DOCX.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from kbc_docs.content.references import used_ids
from kbc_docs.content.resolve import load_content
from kbc_docs.content.texts import iter_texts
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.text.segment import unsegment
from kbc_docs.view import build_view
from support.libreoffice import to_pdf

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
KHMER = re.compile("[\u1780-\u17ff]")


def norm(text: str) -> str:
    """Compare texts regardless of line breaks, break marks and case (titles are upper-cased)."""
    return re.sub(r"\s+", " ", unsegment(text)).strip().casefold()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    files = build(EXAMPLE, BuildOptions(out=out, templates=TEMPLATES))
    return {f.name.split("_", 1)[1]: f for f in files}


@pytest.fixture(scope="module")
def content_texts() -> dict[str, list[str]]:
    """Every human-language string of the content file and of the registry entries it uses."""
    resolved, _ = load_content(EXAMPLE, TEMPLATES)
    texts: dict[str, list[str]] = {"vi": [], "km": []}
    sources = [("", resolved.content)]
    for kind, ids in used_ids(resolved.content).items():
        sources += [(kind, getattr(resolved.registry, kind)[i]) for i in sorted(ids)]
    for prefix, model in sources:
        for _path, text in iter_texts(model, prefix):
            for lang in texts:
                texts[lang].append(text[lang])
    texts["vi"] += resolved.content.recipients["vi"]
    return texts


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    """The PDF's text without the page numbers printed in the top margin."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return "\f".join(re.sub(r"^\s*\d+\s*\n", "", page) for page in text.split("\f"))


@pytest.mark.parametrize("document", ["report", "signing"])
def test_no_template_syntax_reaches_any_output(outputs: dict[str, Path], document: str) -> None:
    for text in (
        docx_text(outputs[f"{document}_vi-km.docx"]),
        pdf_text(outputs[f"{document}_vi-km.pdf"]),
    ):
        for tag in ("{{", "}}", "{%", "%}"):
            assert tag not in text


@pytest.mark.parametrize("lang", ["vi", "km"])
def test_every_content_text_is_in_the_report_docx(
    outputs: dict[str, Path], content_texts: dict[str, list[str]], lang: str
) -> None:
    text = norm(docx_text(outputs["report_vi-km.docx"]))
    missing = [t for t in content_texts[lang] if norm(t) not in text]
    assert not missing


def test_every_vietnamese_text_is_in_the_report_pdf(
    outputs: dict[str, Path], content_texts: dict[str, list[str]]
) -> None:
    text = norm(pdf_text(outputs["report_vi-km.pdf"]))
    missing = [t for t in content_texts["vi"] if norm(t) not in text]
    assert not missing


def test_pdf_and_docx_carry_the_same_vietnamese_text_in_the_same_order(
    outputs: dict[str, Path],
) -> None:
    resolved, locales = load_content(EXAMPLE, TEMPLATES)
    view = build_view(resolved, locales)
    vi = [norm(p.text) for p in view.versions[0].body]
    for name in ("report_vi-km.docx", "report_vi-km.pdf"):
        path = outputs[name]
        text = norm(docx_text(path) if name.endswith("docx") else pdf_text(path))
        position = 0
        for para in vi:
            found = text.find(para, position)
            assert found >= 0, (name, para[:60])
            position = found + len(para)


def test_khmer_text_is_in_the_pdf_in_a_khmer_font(outputs: dict[str, Path]) -> None:
    with pdfplumber.open(outputs["report_vi-km.pdf"]) as pdf:
        khmer_chars = [c for page in pdf.pages for c in page.chars if KHMER.match(c["text"])]
    assert len(khmer_chars) > 2000
    fonts = {c["fontname"].split("+")[-1] for c in khmer_chars}
    assert fonts and all("Khmer" in f for f in fonts), fonts


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("document", ["report", "signing"])
def test_libreoffice_opens_the_docx(
    outputs: dict[str, Path], document: str, tmp_path: Path
) -> None:
    (converted,) = to_pdf([outputs[f"{document}_vi-km.docx"]], tmp_path)
    text = norm(pdf_text(converted))
    assert norm("Báo cáo được làm tại Kiên Giang") in text
    assert norm("Lê Thị Vệ") in text and norm("Đuông Savan") in text
