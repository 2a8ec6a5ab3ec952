"""No authority word ("TM.", "ĐẠI DIỆN", "តំណាង", "ຕາງໜ້າ"…) alone on a line of a signature
block: in our PDF, and in the Word file as LibreOffice lays it out (the stand-in for Word).

Decree 30 writes "TM. ỦY BAN NHÂN DÂN" as one unit. In the narrow columns of a two- or
three-party signing page the body's name often fills a line by itself; the view joins the word
to the name's first word with a NO-BREAK SPACE (``view/signatures.py``), and the PDF's "keep a
registry name on one line" rule measures the name with it (``laid_out.wrapped_names``). Before,
the PDF of 2024-03-25 printed "ĐẠI DIỆN" on a line of its own above "CHÍNH QUYỀN TỈNH KAMPOT".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from kbc_docs.text.locale import load_locale
from support.form_pages import CONTENT, LO_EXAMPLE, TEMPLATES
from support.libreoffice import to_pdf
from support.line_ends import text_lines
from support.visible import visible

pytestmark = pytest.mark.slow

EXAMPLES = [CONTENT / "2024-03-25.yaml", LO_EXAMPLE]


def _authority_words() -> set[str]:
    words: set[str] = set()
    for lang in ("vi", "km", "lo"):
        locale = load_locale(TEMPLATES / "locale", lang)
        for form in ("state", "party"):
            words |= set(dict(locale.authorities(form)).values())
    return words


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_authority_word_is_alone_on_a_line(
    built_example: Callable[..., tuple[object, dict[str, Path]]],
    example: Path,
    tmp_path: Path,
) -> None:
    _, outputs = built_example(example)
    docx = [outputs["signing.docx"], outputs["report.docx"]]
    ours = [outputs["signing.pdf"], outputs["report.pdf"]]
    words = _authority_words()
    for pdf in [*ours, *to_pdf(docx, tmp_path)]:
        lines = [visible(line.text).strip() for line in text_lines(pdf)]
        assert [line for line in lines if line in words] == [], pdf.name
        # The check reads the signature blocks: their Vietnamese authority lines are there.
        assert any(line.startswith(("TM. ", "ĐẠI DIỆN ")) for line in lines), (pdf.name, lines)
