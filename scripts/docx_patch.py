"""What the re-runnable template scripts share: rewrite ``word/document.xml`` of a Word file.

Each script (``party_docx_template.py``, ``lao_date_docx_template.py``,
``issuer_gap_docx_template.py``) supplies an idempotent ``patch(xml) -> xml``; this module
reads the package, applies it to the document part and writes the package back through a
temporary file, keeping every other part and its zip settings as they were.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path


def para(style: str, text: str) -> str:
    """One paragraph in ``style`` holding ``text`` (a tag, usually), as WordprocessingML."""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">'
        f"{text}</w:t></w:r></w:p>"
    )


def patch_document(path: Path, patch: Callable[[str], str]) -> None:
    """Apply ``patch`` to the document part of the Word file at ``path``, in place."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    out = path.with_suffix(".tmp")
    with zipfile.ZipFile(out, "w") as dst:
        for info, data in items:
            if info.filename == "word/document.xml":
                data = patch(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    out.replace(path)
