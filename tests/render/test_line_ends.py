"""No Khmer or Lao word cut at a line end: in our PDF, and in the Word file as LibreOffice lays
it out (the stand-in for Word here; Word itself is not available to the tests).

The words are the hand-checked gold lists (``tests/data/segmentation``); the lines are read from
each PDF's text (:mod:`support.line_ends`). LibreOffice runs ICU's own Khmer and Lao dictionary
over the Word file's text besides the U+200B marks, and before the Word file had word joiners
it cut "ខេ|ត្តគៀនយ៉ាង", "ຄະນະ|ກຳມະການ", "ແຂວງກອນ|ຕູມ" and a dozen more in these examples.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from kbc_docs.render.docx.ooxml import w
from lxml import etree
from support.form_pages import CONTENT, KM_EXAMPLE, LO_EXAMPLE
from support.libreoffice import to_pdf
from support.line_ends import cut_words, line_joins
from support.segmentation_gold import gold

pytestmark = pytest.mark.slow

EXAMPLES = {
    "km": (KM_EXAMPLE, None),
    "km-kien-giang": (CONTENT / "kien-giang-kampot-2019-2021.yaml", None),
    "km-parallel": (KM_EXAMPLE, "parallel"),
    "lo": (LO_EXAMPLE, None),
    "lo-parallel": (LO_EXAMPLE, "parallel"),
}


def _paragraphs(docx: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(w("t"))) for p in root.iter(w("p"))]


@pytest.fixture(scope="module")
def laid_out(
    built_example: Callable[..., tuple[object, dict[str, Path]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], dict[str, tuple[Path, Path, list[str]]]]:
    """example → document → (our PDF, LibreOffice's PDF of the Word file, its paragraphs)."""
    done: dict[str, dict[str, tuple[Path, Path, list[str]]]] = {}

    def get(example: str) -> dict[str, tuple[Path, Path, list[str]]]:
        if example not in done:
            _, outputs = built_example(*EXAMPLES[example])
            docx = [outputs["report.docx"], outputs["signing.docx"]]
            converted = to_pdf(docx, tmp_path_factory.mktemp(f"lo-{example}"))
            done[example] = {
                kind: (outputs[f"{kind}.pdf"], pdf, _paragraphs(source))
                for kind, source, pdf in zip(("report", "signing"), docx, converted, strict=True)
            }
        return done[example]

    return get


@pytest.mark.parametrize("reader", ["pdf", "libreoffice"])
@pytest.mark.parametrize("example", list(EXAMPLES))
def test_no_listed_word_is_cut_at_a_line_end(
    laid_out: Callable[[str], dict[str, tuple[Path, Path, list[str]]]],
    example: str,
    reader: str,
) -> None:
    lang = example[:2]
    checked = 0
    for ours, libreoffice, paragraphs in laid_out(example).values():
        pdf = ours if reader == "pdf" else libreoffice
        assert cut_words(pdf, paragraphs, gold(lang), lang) == []
        checked += len(line_joins(pdf, paragraphs, lang))
    # The check only means something where lines end between two letters of one text.
    assert checked >= 20, checked


def test_without_word_joiners_libreoffice_cuts_words(
    built_example: Callable[..., tuple[object, dict[str, Path]]], tmp_path: Path
) -> None:
    """Why the Word file has them: the same file with the word joiners taken out is cut by
    LibreOffice's dictionary where ours keeps the words whole (and the check above sees it)."""
    _, outputs = built_example(*EXAMPLES["km-kien-giang"])
    bare = tmp_path / "bare.docx"
    with zipfile.ZipFile(outputs["report.docx"]) as zin, zipfile.ZipFile(bare, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace("\u2060".encode(), b"")
            zout.writestr(item, data)
    (pdf,) = to_pdf([bare], tmp_path)
    cut = {c.word for c in cut_words(pdf, _paragraphs(bare), gold("km"), "km")}
    assert "ខេត្តគៀនយ៉ាង" in cut or "សហប្រតិបត្តិការ" in cut, cut
