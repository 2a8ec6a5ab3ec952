"""Turn the section breaks of Word templates into ``KBC Section Break`` marks (re-runnable).

Templates made before kbc-docs inserted section breaks itself carry a ``w:sectPr`` in each
``KBC Section Break`` paragraph. An office suite that saves the template may move that
break onto a neighbouring tag paragraph, which the build deletes (see
``kbc_docs.render.docx.sections``). This script removes those breaks and leaves the marks; the
renderer now makes each break from the section properties at the end of the document. Other
section breaks a clerk set, the document's own last section and every other part stay as
they are. Running it again changes nothing.

Usage::

    python scripts/section_marks.py [TEMPLATE.docx ...]   # default: the shipped templates
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "toolkit" / "kbc_docs" / "data" / "templates"
MARK = "KBC Section Break"


def mark_ids(styles: etree._Element) -> set[str]:
    """Style ids whose name is ``KBC Section Break``."""
    return {
        style.get(f"{{{W}}}styleId", "")
        for style in styles.iterfind("w:style", NS)
        if style.find("w:name", NS) is not None
        and style.find("w:name", NS).get(f"{{{W}}}val") == MARK
    }


def strip_marked_breaks(path: Path) -> int:
    """Remove the section breaks of ``path``'s marked paragraphs; return how many."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info)) for info in zin.infolist()]
    blobs = {info.filename: blob for info, blob in entries}
    ids = mark_ids(etree.fromstring(blobs["word/styles.xml"]))
    document = etree.fromstring(blobs["word/document.xml"])
    removed = 0
    for paragraph in document.iterfind("w:body/w:p", NS):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        sect_pr = paragraph.find("w:pPr/w:sectPr", NS)
        if style is not None and style.get(f"{{{W}}}val") in ids and sect_pr is not None:
            sect_pr.getparent().remove(sect_pr)
            removed += 1
    if not removed:
        return 0
    xml = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, blob in entries:
            zout.writestr(info, xml if info.filename == "word/document.xml" else blob)
    path.write_bytes(out.getvalue())
    return removed


if __name__ == "__main__":
    targets = [Path(a) for a in sys.argv[1:]] or sorted(TEMPLATES.glob("*.docx"))
    for target in targets:
        print(f"{target}: {strip_marked_breaks(target)} section break(s) turned into marks")
