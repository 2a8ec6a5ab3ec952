"""An authority word ("TM.", "ĐẠI DIỆN", "តំណាង", "ຕາງໜ້າ"…) alone on a line of a signature
block only where its whole line cannot fit the block: in our PDF, and in the Word file as
LibreOffice lays it out (the stand-in for Word).

Decree 30 writes "TM. BAN THƯỜNG TRỰC" as one unit. In the narrow columns of a two- or
three-party signing page a clerk breaks it between whole phrases: "TM." above "BAN THƯỜNG
TRỰC", "ĐẠI DIỆN" above "CHÍNH QUYỀN TỈNH KAMPOT", never "TM. BAN THƯỜNG" above "TRỰC"
(``view/signatures.py``; the phrase checks are ``tests/forms/test_signature_lines.py``). Where
the whole line fits, it is one line. Khmer and Lao keep the word joined to the body.
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


TEXT_WIDTH = 165 / 25.4 * 72  # points: the page's text area, the signers' table's width


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_an_authority_word_is_alone_on_a_line_only_where_its_line_cannot_fit(
    built_example: Callable[..., tuple[object, dict[str, Path]]],
    example: Path,
    tmp_path: Path,
) -> None:
    view, outputs = built_example(example)
    block = TEXT_WIDTH / len(view.versions[0].signers)  # type: ignore[attr-defined]
    docx = [outputs["signing.docx"], outputs["report.docx"]]
    ours = [outputs["signing.pdf"], outputs["report.pdf"]]
    words = _authority_words()
    for pdf in [*ours, *to_pdf(docx, tmp_path)]:
        lines = text_lines(pdf)
        for alone in [ln for ln in lines if visible(ln.text).strip() in words]:
            below = min(
                (ln for ln in lines if ln.page == alone.page and ln.y > alone.y
                 and ln.x0 < (alone.x0 + alone.x1) / 2 < ln.x1),
                key=lambda ln: ln.y,
            )  # fmt: skip
            assert visible(alone.text).strip() in ("TM.", "ĐẠI DIỆN"), (pdf.name, alone.text)
            space = 0.25 * alone.size
            whole = (alone.x1 - alone.x0) + space + (below.x1 - below.x0)
            assert whole > block - 2 / 25.4 * 72, (pdf.name, alone.text, below.text, whole)
        # The check reads the signature blocks: their Vietnamese authority lines are there.
        texts = [visible(ln.text).strip() for ln in lines]
        assert any(text.startswith(("TM.", "ĐẠI DIỆN")) for text in texts), (pdf.name, texts)
