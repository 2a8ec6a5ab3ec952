"""Re-runnable: several issuing bodies a line apart in report.docx's centred (Khmer/Lao) header.

The PDF sets each issuing body of a joint document 8 pt below the one before it (``style.css``,
``.centred .issuer + .issuer``), so two bodies do not read as one four-line name
(docs/form-sources.md). Word has no "the next one" selector, so the loop over the bodies of the
centred header gets an empty paragraph, exactly 8 pt high, before every body but the first.
Idempotent: a template that already has it is left as it is.

    python scripts/issuer_gap_docx_template.py toolkit/kbc_docs/data/templates/report.docx
"""

import sys
from pathlib import Path

from docx_patch import patch_document

LOOP = (
    '<w:p><w:pPr><w:pStyle w:val="KBCTag"/></w:pPr><w:r><w:t xml:space="preserve">'
    "{%p for b in v.bodies %}</w:t></w:r></w:p>"
)
CENTRED = "{%p if not v.date_at_top %}"  # the number under the bodies: the centred header only
GAP = (
    '<w:p><w:pPr><w:pStyle w:val="KBCTag"/></w:pPr><w:r><w:t xml:space="preserve">'
    "{%p if not loop.first %}</w:t></w:r></w:p>"
    '<w:p><w:pPr><w:pStyle w:val="KBCIssuer"/>'
    '<w:spacing w:before="0" w:after="0" w:line="160" w:lineRule="exact"/></w:pPr></w:p>'
    '<w:p><w:pPr><w:pStyle w:val="KBCTag"/></w:pPr><w:r><w:t xml:space="preserve">'
    "{%p endif %}</w:t></w:r></w:p>"
)


def patch(xml: str) -> str:
    if "{%p if not loop.first %}" in xml:
        return xml
    loop_at = xml.rindex(LOOP, 0, xml.index(CENTRED)) + len(LOOP)
    return xml[:loop_at] + GAP + xml[loop_at:]


if __name__ == "__main__":
    patch_document(Path(sys.argv[1]), patch)
